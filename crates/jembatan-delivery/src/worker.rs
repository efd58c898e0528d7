//! The [`Worker`]: claims due jobs from the queue with a lease, runs each
//! with the [`JobHandler`] registered for its kind, and records the outcome
//! (`jobs::complete`, or `jobs::fail`, which retries with backoff).
//!
//! [`Worker::run`] loops until cancelled, sleeping between rounds until a
//! poll interval passes or someone wakes it through [`Worker::notifier`]
//! (after enqueueing, so mail leaves at once). Tests call
//! [`Worker::run_until_idle`] instead and never sleep.
//!
//! Several workers, in one process or many, may share a database: claims
//! are leased, so each job runs on one worker at a time.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;
use futures::future::{BoxFuture, join_all};
use jembatan_store::jobs::{self, ClaimedJob};
use jembatan_store::{Db, StoreError, StoreResult};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::mail::{MailError, MailText, Mailer};

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The site's public base URL, for links in messages, e.g.
    /// `https://kim.jatimprov.go.id`.
    pub public_url: String,
    /// Most jobs claimed (and run concurrently) at once.
    pub batch_size: i64,
    /// How long a claimed job is leased; a job still running after 90% of
    /// it is abandoned as failed, so no other worker takes it while it runs.
    pub lease_secs: i64,
    /// How long [`Worker::run`] waits between rounds when nobody wakes it.
    pub poll_interval: Duration,
}

impl WorkerConfig {
    /// The defaults: batches of 16, 5-minute leases, polling every second.
    pub fn new(public_url: impl Into<String>) -> Self {
        WorkerConfig {
            public_url: public_url.into(),
            batch_size: 16,
            lease_secs: 300,
            poll_interval: Duration::from_secs(1),
        }
    }
}

/// What handlers work with.
pub struct JobContext {
    pub db: Db,
    /// `None` when no SMTP server is configured.
    pub mailer: Option<Mailer>,
    pub mail_text: Arc<dyn MailText>,
    /// [`WorkerConfig::public_url`] without a trailing slash.
    pub public_url: String,
}

impl JobContext {
    /// The mailer, or a retryable failure when SMTP is not configured: the
    /// job waits (with backoff, up to its attempts) for an operator to
    /// configure it rather than being dropped.
    pub fn mailer(&self) -> Result<&Mailer, JobError> {
        self.mailer.as_ref().ok_or_else(|| JobError::retry("smtp not configured"))
    }
}

/// Why a job failed. The message is stored with the job and shown to
/// administrators, so it must hold no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError {
    pub message: String,
    /// Whether a later attempt may succeed; when false the job fails at once.
    pub retryable: bool,
}

impl JobError {
    /// A failure worth trying again later (with backoff).
    pub fn retry(message: impl Into<String>) -> Self {
        JobError { message: message.into(), retryable: true }
    }

    /// A failure no retry can fix (a malformed payload, a refused recipient).
    pub fn give_up(message: impl Into<String>) -> Self {
        JobError { message: message.into(), retryable: false }
    }
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<MailError> for JobError {
    fn from(e: MailError) -> Self {
        JobError { retryable: e.is_retryable(), message: e.to_string() }
    }
}

impl From<StoreError> for JobError {
    /// Store errors are described by kind only: a database message can
    /// quote the values involved.
    fn from(e: StoreError) -> Self {
        tracing::warn!(error = %e, "store error in a job");
        let kind = match e {
            StoreError::NotFound => "not found",
            StoreError::Conflict(_) => "conflict",
            StoreError::Stale => "stale record",
            StoreError::Invalid(_) => "invalid data",
            StoreError::ContactLimit => "rate limited",
            StoreError::Database(_) | StoreError::Migration(_) | StoreError::Internal(_) => "database error",
            StoreError::WriterClosed => "database writer stopped",
        };
        JobError::retry(kind)
    }
}

/// Runs the jobs of one kind. Handlers must be idempotent enough for
/// at-least-once delivery, and report failures without personal data.
pub trait JobHandler: Send + Sync {
    fn run<'a>(&'a self, ctx: &'a JobContext, job: &'a ClaimedJob) -> BoxFuture<'a, Result<(), JobError>>;
}

/// Claims and runs jobs. See the module documentation.
pub struct Worker {
    ctx: Arc<JobContext>,
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    wake: Arc<Notify>,
    config: WorkerConfig,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut kinds: Vec<_> = self.handlers.keys().collect();
        kinds.sort();
        f.debug_struct("Worker").field("kinds", &kinds).field("config", &self.config).finish_non_exhaustive()
    }
}

impl Worker {
    /// A worker with the handlers of every job kind this crate knows.
    /// Without a `mailer`, jobs that send e-mail fail and are retried with
    /// backoff until one is configured or their attempts run out.
    pub fn new(db: Db, mailer: Option<Mailer>, mail_text: Arc<dyn MailText>, config: WorkerConfig) -> Worker {
        let public_url = config.public_url.trim_end_matches('/').to_owned();
        let mut worker = Worker {
            ctx: Arc::new(JobContext { db, mailer, mail_text, public_url }),
            handlers: HashMap::new(),
            wake: Arc::new(Notify::new()),
            config,
        };
        worker.register(jembatan_store::accounts::PASSWORD_RESET_EMAIL, crate::accounts::PasswordResetEmailHandler);
        worker.register(jembatan_store::kims::SK_EXPIRY_SCAN_JOB, crate::kims::SkExpiryScanHandler);
        worker.register(jembatan_store::content::PUBLISH_JOB, crate::content::PublishScheduledHandler);
        worker.register(jembatan_store::outbox::DELIVER_JOB, crate::outbox::OutboxHandler);
        worker
    }

    /// Adds (or replaces) the handler of `kind`.
    pub fn register(&mut self, kind: &'static str, handler: impl JobHandler + 'static) -> &mut Self {
        self.handlers.insert(kind, Arc::new(handler));
        self
    }

    /// Wakes [`Worker::run`] for a new round: `notifier.notify_one()`. A
    /// wake-up while a round runs is kept, so none is lost.
    pub fn notifier(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Claims and runs due jobs until none are due; returns how many ran
    /// (completed or failed). Jobs that failed wait for their backoff, so
    /// this ends. Fails only when the queue itself cannot be read or written.
    pub async fn run_until_idle(&self) -> StoreResult<usize> {
        self.drain(None).await
    }

    /// Runs rounds until `cancel` fires; jobs already claimed finish first.
    pub async fn run(self, cancel: CancellationToken) {
        tracing::info!("delivery worker started");
        while !cancel.is_cancelled() {
            if let Err(e) = self.drain(Some(&cancel)).await {
                tracing::error!(error = %e, "delivery worker cannot use the job queue");
            }
            tokio::select! {
                _ = cancel.cancelled() => {}
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.config.poll_interval) => {}
            }
        }
        tracing::info!("delivery worker stopped");
    }

    async fn drain(&self, cancel: Option<&CancellationToken>) -> StoreResult<usize> {
        let mut ran = 0;
        while !cancel.is_some_and(CancellationToken::is_cancelled) {
            let batch = jobs::claim(&self.ctx.db, self.config.batch_size, self.config.lease_secs).await?;
            if batch.is_empty() {
                break;
            }
            ran += batch.len();
            // Record every outcome of the batch before reporting a failure to record one.
            let recorded = join_all(batch.iter().map(|job| self.run_job(job))).await;
            recorded.into_iter().collect::<StoreResult<Vec<()>>>()?;
        }
        Ok(ran)
    }

    async fn run_job(&self, job: &ClaimedJob) -> StoreResult<()> {
        let outcome = match self.handlers.get(job.kind.as_str()) {
            // Perhaps a newer version of the application, sharing the
            // database, knows the kind: leave it for a retry.
            None => Err(JobError::retry(format!("no handler for job kind {}", job.kind))),
            Some(handler) => {
                let limit = Duration::from_millis(u64::try_from(self.config.lease_secs).unwrap_or(0) * 900);
                let run = AssertUnwindSafe(handler.run(&self.ctx, job)).catch_unwind();
                match tokio::time::timeout(limit, run).await {
                    Err(_) => Err(JobError::retry("timed out")),
                    Ok(Err(_)) => Err(JobError::retry("handler panicked")),
                    Ok(Ok(outcome)) => outcome,
                }
            }
        };
        match outcome {
            Ok(()) => {
                tracing::debug!(job = %job.id, kind = %job.kind, "job done");
                jobs::complete(&self.ctx.db, &job.id).await
            }
            Err(e) => {
                tracing::warn!(
                    job = %job.id, kind = %job.kind, attempt = job.attempts, retryable = e.retryable,
                    error = %e.message, "job failed"
                );
                if e.retryable {
                    jobs::fail(&self.ctx.db, job, &e.message).await
                } else {
                    // `fail` gives up when the attempts are used up: make this the last.
                    let last = ClaimedJob { max_attempts: job.attempts, ..job.clone() };
                    jobs::fail(&self.ctx.db, &last, &e.message).await
                }
            }
        }
    }
}
