//! Delivery of the outbox ([`jembatan_store::outbox::DELIVER_JOB`] jobs):
//! one message per job, rendered from the translation catalog through
//! [`crate::MailText::message`] and sent on its channel (e-mail through
//! [`crate::Mailer`]). The message is settled (its recipient and text
//! blanked) when it went out or can never go; a failure worth retrying is
//! counted and retried by the worker with backoff, until the job's last
//! attempt settles it as failed.

use futures::future::BoxFuture;
use jembatan_domain::contact::Email;
use jembatan_store::jobs::ClaimedJob;
use jembatan_store::outbox::{self, Channel, DeliverJob};

use crate::mail::OutgoingMail;
use crate::worker::{JobContext, JobError, JobHandler};

/// Delivers one outbox message.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutboxHandler;

impl JobHandler for OutboxHandler {
    fn run<'a>(&'a self, ctx: &'a JobContext, job: &'a ClaimedJob) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let payload: DeliverJob = job.payload().map_err(|_| JobError::give_up("malformed outbox payload"))?;
            let Some(message) = outbox::pending(&ctx.db, &payload.message_id).await? else {
                return Ok(()); // already settled: a retried job after a crash
            };
            let sent = match message.channel {
                Channel::Email => send_email(ctx, &message).await,
            };
            match sent {
                Ok(()) => {
                    outbox::settle(&ctx.db, &message.id, true, None).await?;
                    tracing::info!(job = %job.id, template = %message.template, "outbox message sent");
                    Ok(())
                }
                Err(error) if error.retryable && job.attempts < job.max_attempts => {
                    outbox::record_failure(&ctx.db, &message.id, &error.message).await?;
                    Err(error)
                }
                Err(error) => {
                    outbox::settle(&ctx.db, &message.id, false, Some(&error.message)).await?;
                    Err(JobError::give_up(error.message))
                }
            }
        })
    }
}

async fn send_email(ctx: &JobContext, message: &outbox::PendingMessage) -> Result<(), JobError> {
    let to = Email::parse("recipient", &message.recipient).map_err(|_| JobError::give_up("invalid recipient"))?;
    let mut args = message.args.clone();
    if let Some(path) = args.get("path").cloned() {
        args.insert("link".to_owned(), format!("{}{path}", ctx.public_url));
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (subject, text) = ctx.mail_text.message(&message.locale, &message.template, &args);
    ctx.mailer()?.send(&OutgoingMail { to, subject, text }).await?;
    Ok(())
}
