//! Jobs of the KIM registry: the daily SK expiry scan
//! ([`jembatan_store::kims::SK_EXPIRY_SCAN_JOB`]), which notifies a KIM's
//! managers and its regency's officers when its SK lapses or will soon.

use futures::future::BoxFuture;
use jembatan_domain::kim::parse_date;
use jembatan_store::jobs::ClaimedJob;
use jembatan_store::kims;

use crate::worker::{JobContext, JobError, JobHandler};

/// Runs the scan for the day in the payload (`YYYY-MM-DD`); idempotent, so
/// a retry after a crash alerts nobody twice.
#[derive(Debug, Clone, Copy, Default)]
pub struct SkExpiryScanHandler;

impl JobHandler for SkExpiryScanHandler {
    fn run<'a>(&'a self, ctx: &'a JobContext, job: &'a ClaimedJob) -> BoxFuture<'a, Result<(), JobError>> {
        Box::pin(async move {
            let day: String = job.payload().map_err(|_| JobError::give_up("malformed SK scan payload"))?;
            let today = parse_date("date", &day).map_err(|_| JobError::give_up("malformed SK scan date"))?;
            let alerted = kims::run_sk_expiry_scan(&ctx.db, today).await?;
            tracing::info!(alerted, day = %day, "SK expiry scan done");
            Ok(())
        })
    }
}
