//! Deliveries for accounts: the password reset e-mail
//! ([`jembatan_store::accounts::PASSWORD_RESET_EMAIL`] jobs).

use futures::future::BoxFuture;
use jembatan_store::StoreError;
use jembatan_store::accounts::{self, PasswordResetEmail};
use jembatan_store::jobs::ClaimedJob;

use crate::mail::OutgoingMail;
use crate::worker::{JobContext, JobError, JobHandler};

/// The path of the page that takes a reset token, under the public URL.
pub const RESET_PATH: &str = "/atur-ulang-sandi";

/// Mails the reset link to the account's current address, in the language
/// the reset was asked in. Completes without sending when there is nothing
/// useful to send: the link no longer works (used, replaced, expired), the
/// account was deleted, or it has no e-mail address.
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordResetEmailHandler;

impl JobHandler for PasswordResetEmailHandler {
    fn run<'a>(&'a self, ctx: &'a JobContext, job: &'a ClaimedJob) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let payload: PasswordResetEmail =
                job.payload().map_err(|_| JobError::give_up("malformed password reset payload"))?;
            match accounts::check_password_reset(&ctx.db, &payload.token).await {
                Ok(user) if user == payload.user_id => {}
                Ok(_) | Err(StoreError::NotFound | StoreError::Invalid(_)) => {
                    tracing::info!(job = %job.id, "password reset link no longer valid; e-mail not sent");
                    return Ok(());
                }
                Err(e) => return Err(e.into()),
            }
            let user = accounts::get_user(&ctx.db, payload.user_id).await?.filter(|u| !u.is_deleted());
            let Some((name, email)) = user.and_then(|u| u.email.map(|email| (u.name, email))) else {
                tracing::info!(job = %job.id, "account has no e-mail address; password reset e-mail not sent");
                return Ok(());
            };
            let mailer = ctx.mailer()?;
            let link = format!("{}{RESET_PATH}?token={}", ctx.public_url, payload.token);
            let (subject, text) = ctx.mail_text.password_reset(&payload.locale, &name, &link);
            mailer.send(&OutgoingMail { to: email, subject, text }).await?;
            tracing::info!(job = %job.id, "password reset e-mail sent");
            Ok(())
        })
    }
}
