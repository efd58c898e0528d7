//! The durable job queue: work that must happen even if the process dies
//! (e-mails, scheduled checks, later every outgoing message).
//!
//! A job is claimed with a lease; a worker that dies leaves the lease to
//! expire and another worker retries the job. Failed attempts back off
//! exponentially up to `max_attempts`. An idempotency key makes enqueueing
//! the same job twice (two processes running the same schedule) a no-op.

use jembatan_domain::Timestamp;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::batch::Batch;
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::{exec, on_pool, on_tx};

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub payload: serde_json::Value,
    pub run_at: Timestamp,
    pub max_attempts: i64,
    pub idempotency_key: Option<String>,
}

impl NewJob {
    /// A job of `kind` due now, retried up to 8 times.
    pub fn new(kind: &'static str, payload: &impl Serialize) -> Self {
        NewJob {
            kind,
            payload: serde_json::to_value(payload).unwrap_or_default(),
            run_at: Timestamp::now(),
            max_attempts: 8,
            idempotency_key: None,
        }
    }

    /// Enqueue at most once for this key.
    pub fn once(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Run no earlier than `at`.
    pub fn at(mut self, at: Timestamp) -> Self {
        self.run_at = at;
        self
    }
}

/// A claimed job, leased to the caller until it reports back.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedJob {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub max_attempts: i64,
}

impl ClaimedJob {
    /// Decodes the payload.
    pub fn payload<T: DeserializeOwned>(&self) -> StoreResult<T> {
        serde_json::from_str(&self.payload).map_err(|e| StoreError::Internal(format!("job payload: {e}")))
    }
}

/// Adds a job within the caller's transaction, so it exists exactly when
/// the write that asked for it does. Returns false when the idempotency key
/// was already used.
pub async fn enqueue(tx: &mut Tx<'_>, job: &NewJob) -> StoreResult<bool> {
    let mut batch = Batch::new(tx.backend());
    add_with(&mut batch, std::slice::from_ref(job), &format!("{ON_USED_KEY} RETURNING id"));
    Ok(!batch.run(tx).await?.is_empty())
}

/// A job whose idempotency key was used is not enqueued again.
const ON_USED_KEY: &str = "ON CONFLICT (idempotency_key) DO NOTHING";

/// Adds jobs to a batch of writes, as [`enqueue`] does one (a job whose
/// idempotency key was used is left out).
pub(crate) fn add(batch: &mut Batch<'_>, jobs: &[NewJob]) {
    add_with(batch, jobs, ON_USED_KEY);
}

fn add_with(batch: &mut Batch<'_>, jobs: &[NewJob], tail: &str) {
    let now = Timestamp::now().millis();
    batch.insert(
        "INSERT INTO jobs (id, kind, payload, run_at, max_attempts, idempotency_key, created_at)",
        7,
        tail,
        jobs,
        |values, job| {
            values
                .add(Uuid::now_v7().to_string())
                .add(job.kind)
                .add(job.payload.to_string())
                .add(job.run_at.millis())
                .add(job.max_attempts)
                .add(job.idempotency_key.clone())
                .add(now);
        },
    );
}

/// Enqueues a job in a transaction of its own.
pub async fn enqueue_now(db: &Db, job: NewJob) -> StoreResult<bool> {
    db.write(move |tx| Box::pin(async move { enqueue(tx, &job).await })).await
}

/// Claims up to `limit` due jobs for `lease_secs` seconds.
pub async fn claim(db: &Db, limit: i64, lease_secs: i64) -> StoreResult<Vec<ClaimedJob>> {
    let now = Timestamp::now();
    let lease_until = now.plus_seconds(lease_secs).millis();
    let now = now.millis();
    db.write(move |tx| {
        Box::pin(async move {
            // PostgreSQL: SKIP LOCKED lets several processes claim without
            // blocking each other. SQLite: the single writer already serialises.
            let lock = match tx.backend() {
                crate::Backend::Postgres => "FOR UPDATE SKIP LOCKED",
                crate::Backend::Sqlite => "",
            };
            let sql = format!(
                "UPDATE jobs SET lease_until = $1, attempts = attempts + 1 \
                 WHERE id IN (SELECT id FROM jobs WHERE status = 'pending' AND run_at <= $2 \
                              AND (lease_until IS NULL OR lease_until < $2) \
                              ORDER BY run_at, id LIMIT $3 {lock}) \
                 RETURNING id, kind, payload, attempts, max_attempts"
            );
            let mut jobs = on_tx!(tx, conn => sqlx::query_as::<_, ClaimedJob>(&sql)
                .bind(lease_until)
                .bind(now)
                .bind(limit)
                .fetch_all(conn)
                .await)?;
            // RETURNING has no order; hand jobs out oldest first (UUIDv7 ids sort by creation).
            jobs.sort_by(|a, b| a.id.cmp(&b.id));
            Ok(jobs)
        })
    })
    .await
}

/// Marks a claimed job done and blanks its payload: payloads may carry
/// secrets meant for one delivery (a password reset token), which must not
/// outlive it in the database or its backups.
pub async fn complete(db: &Db, id: &str) -> StoreResult<()> {
    let id = id.to_owned();
    let now = Timestamp::now().millis();
    db.write(move |tx| {
        Box::pin(async move {
            exec!(
                tx,
                sqlx::query("UPDATE jobs SET status = 'done', payload = '{}', finished_at = $1, lease_until = NULL WHERE id = $2",)
                    .bind(now)
                    .bind(&id)
            )?;
            Ok(())
        })
    })
    .await
}

/// Records a failed attempt: retried later with backoff, or given up after
/// the last attempt (its payload then blanked, as on completion: it may
/// hold a one-time token). The error text must hold no personal data.
pub async fn fail(db: &Db, job: &ClaimedJob, error: &str) -> StoreResult<()> {
    let id = job.id.clone();
    let error: String = error.chars().take(1000).collect();
    let now = Timestamp::now();
    let give_up = job.attempts >= job.max_attempts;
    let retry_at = now.plus_seconds(backoff_seconds(job.attempts)).millis();
    db.write(move |tx| {
        Box::pin(async move {
            let sql = if give_up {
                "UPDATE jobs SET status = 'failed', last_error = $1, finished_at = $2, lease_until = NULL, payload = '{}' \
                 WHERE id = $3"
            } else {
                "UPDATE jobs SET last_error = $1, run_at = $2, lease_until = NULL WHERE id = $3"
            };
            let at = if give_up { now.millis() } else { retry_at };
            exec!(tx, sqlx::query(sql).bind(&error).bind(at).bind(&id))?;
            Ok(())
        })
    })
    .await
}

/// Seconds to wait after the `attempt`-th failure: 30 s, 1 min, 2 min, ... capped at 6 h.
pub fn backoff_seconds(attempt: i64) -> i64 {
    let exp = attempt.clamp(1, 20) - 1;
    (30_i64 << exp).min(6 * 3600)
}

/// Counts of jobs by status, for tests, metrics and the admin page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct QueueStats {
    pub pending: i64,
    pub done: i64,
    pub failed: i64,
}

pub async fn stats(db: &Db) -> StoreResult<QueueStats> {
    let rows: Vec<(String, i64)> = on_pool!(db, pool => sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status").fetch_all(pool).await)?;
    let mut stats = QueueStats::default();
    for (status, n) in rows {
        match status.as_str() {
            "pending" => stats.pending = n,
            "done" => stats.done = n,
            _ => stats.failed = n,
        }
    }
    Ok(stats)
}

/// A job as listed for tests and the admin page.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// Jobs of a kind, newest first.
pub async fn list_by_kind(db: &Db, kind: &str) -> StoreResult<Vec<JobRow>> {
    Ok(on_pool!(db, pool => sqlx::query_as::<_, JobRow>(
        "SELECT id, kind, payload, status, attempts, last_error FROM jobs WHERE kind = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(kind)
    .fetch_all(pool)
    .await)?)
}

#[cfg(test)]
mod tests {
    use super::backoff_seconds;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff_seconds(1), 30);
        assert_eq!(backoff_seconds(2), 60);
        assert_eq!(backoff_seconds(3), 120);
        assert_eq!(backoff_seconds(30), 6 * 3600);
    }
}
