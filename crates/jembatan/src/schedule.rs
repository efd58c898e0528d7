//! Periodic work every process runs: enqueue the daily SK expiry scan,
//! close answered aspirations whose response window passed, alert officers
//! about late ones, and clear out expired state. Safe with several processes on one database:
//! the scan is enqueued once per day by its idempotency key, and the
//! clean-ups are idempotent deletes.

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use jembatan_domain::Timestamp;
use jembatan_store::{Db, StoreResult, accounts, aspirations, changes, kims};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// How often [`run`] ticks.
pub const INTERVAL: Duration = Duration::from_secs(600);
/// How long the change log keeps entries; followers are far ahead of this.
const CHANGE_LOG_DAYS: i64 = 7;

/// What one tick did, for logs and tests.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tick {
    pub scan_enqueued: bool,
    pub sessions_purged: u64,
    pub changes_pruned: u64,
    pub reports_closed: usize,
    pub reports_escalated: aspirations::Escalated,
}

/// One round: `today` is the calendar day in the deployment's time zone.
pub async fn tick(db: &Db, today: NaiveDate, now: Timestamp) -> StoreResult<Tick> {
    let scan_enqueued =
        db.write(move |tx| Box::pin(async move { kims::schedule_sk_expiry_scan(tx, today).await })).await?;
    let sessions_purged = accounts::purge_expired_sessions(db).await?;
    accounts::purge_password_resets(db, now.plus_seconds(-86_400)).await?;
    let changes_pruned = changes::prune(db, now.plus_seconds(-CHANGE_LOG_DAYS * 86_400)).await?;
    let reports_closed = aspirations::close_expired(db, now).await?;
    let reports_escalated = aspirations::escalate(db, now).await?;
    Ok(Tick { scan_enqueued, sessions_purged, changes_pruned, reports_closed, reports_escalated })
}

/// Ticks every [`INTERVAL`] until cancelled, waking the job worker when it
/// enqueued work.
pub async fn run(db: Db, timezone: chrono_tz::Tz, worker: Arc<Notify>, cancel: CancellationToken) {
    loop {
        let today = chrono::Utc::now().with_timezone(&timezone).date_naive();
        match tick(&db, today, Timestamp::now()).await {
            Ok(done) => {
                if done.scan_enqueued {
                    worker.notify_one();
                }
                tracing::debug!(?done, "scheduled work done");
            }
            Err(e) => tracing::warn!(error = %e, "scheduled work failed; retrying at the next tick"),
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(INTERVAL) => {}
        }
    }
}
