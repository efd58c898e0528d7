//! Jobs of content: scheduled publishing ([`jembatan_store::content::PUBLISH_JOB`]).

use futures::future::BoxFuture;
use jembatan_store::content::{self, PublishJob};
use jembatan_store::jobs::ClaimedJob;

use crate::worker::{JobContext, JobError, JobHandler};

/// Publishes an item at its scheduled time. The store checks the item is
/// still scheduled for that time, so a job left behind by a reschedule or a
/// return to the author does nothing, and a retry publishes at most once.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublishScheduledHandler;

impl JobHandler for PublishScheduledHandler {
    fn run<'a>(&'a self, ctx: &'a JobContext, job: &'a ClaimedJob) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let PublishJob { content_id, at } =
                job.payload().map_err(|_| JobError::give_up("malformed publish payload"))?;
            let published = ctx
                .db
                .write(move |tx| Box::pin(async move { content::publish_scheduled(tx, content_id, at).await }))
                .await?;
            tracing::info!(job = %job.id, published, "scheduled publishing ran");
            Ok(())
        })
    }
}
