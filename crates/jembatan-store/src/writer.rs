//! SQLite's single writer: every write transaction of the process runs on
//! one connection, owned by one task, which groups the writes that queue up
//! while a commit is in progress into the next transaction (group commit).
//!
//! Each write runs inside its own SAVEPOINT, so one failing write rolls back
//! alone; its caller hears back only after the COMMIT that made the batch
//! durable. SQLite then never sees two writers, never answers `SQLITE_BUSY`,
//! and one fsync covers many writes. A batch of one write (a group of
//! filings, usually) needs no SAVEPOINT: the transaction is its savepoint,
//! and SQLite keeps no savepoint journal for it.
//!
//! The writer task runs on a thread of its own (a single-threaded tokio
//! runtime): every statement is a hand-over between it and sqlx's
//! connection thread, and on the shared runtime each hand-over waited
//! behind the HTTP work queued there: under a burst of filings the
//! connection thread, the one serial part of every write, spent about a
//! third of its time waiting for its next statement (`perf sched`).

use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use futures::future::BoxFuture;
use sqlx::{Connection, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

use crate::db::Tx;
use crate::error::StoreError;

/// Most writes folded into one transaction.
const MAX_BATCH: usize = 512;

/// Tells a waiting caller how its write ended once the batch's fate is known.
type Finish = Box<dyn FnOnce(Option<StoreError>) + Send>;

/// A write waiting for the writer.
trait QueuedWrite: Send {
    /// Runs the write on the connection; says whether it succeeded (else its
    /// savepoint is rolled back) and how to report the batch's outcome.
    fn run<'c>(self: Box<Self>, conn: &'c mut SqliteConnection) -> BoxFuture<'c, (bool, Finish)>;
    /// Reports that the write never ran.
    fn abort(self: Box<Self>, error: StoreError);
}

struct PendingWrite<T, F> {
    work: F,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

impl<T, F> QueuedWrite for PendingWrite<T, F>
where
    T: Send + 'static,
    F: for<'t, 'c> FnOnce(&'t mut Tx<'c>) -> BoxFuture<'t, Result<T, StoreError>> + Send + 'static,
{
    fn run<'c>(self: Box<Self>, conn: &'c mut SqliteConnection) -> BoxFuture<'c, (bool, Finish)> {
        let PendingWrite { work, reply } = *self;
        Box::pin(async move {
            let mut tx = Tx::Sqlite(conn);
            let outcome = AssertUnwindSafe(work(&mut tx))
                .catch_unwind()
                .await
                .unwrap_or_else(|_| Err(StoreError::Internal("write panicked".into())));
            let ok = outcome.is_ok();
            let finish: Finish = Box::new(move |commit_error| {
                let _ = reply.send(match commit_error {
                    None => outcome,
                    Some(e) => Err(e),
                });
            });
            (ok, finish)
        })
    }

    fn abort(self: Box<Self>, error: StoreError) {
        let _ = self.reply.send(Err(error));
    }
}

type WriteJob = Box<dyn QueuedWrite>;

/// Handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<WriteJob>,
}

impl Writer {
    /// Starts the writer on `conn`, on a thread of its own that ends when
    /// the last handle is dropped.
    pub fn start(conn: SqliteConnection) -> Result<Self, StoreError> {
        let (jobs, rx) = mpsc::channel(4096);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StoreError::Internal(format!("sqlite writer runtime: {e}")))?;
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || runtime.block_on(run_writer(conn, rx)))
            .map_err(|e| StoreError::Internal(format!("sqlite writer thread: {e}")))?;
        Ok(Writer { jobs })
    }

    /// Runs `work` in a write transaction and returns its result once committed.
    pub async fn run<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'t, 'c> FnOnce(&'t mut Tx<'c>) -> BoxFuture<'t, Result<T, StoreError>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: WriteJob = Box::new(PendingWrite { work, reply });
        self.jobs.send(job).await.map_err(|_| StoreError::WriterClosed)?;
        answer.await.map_err(|_| StoreError::WriterClosed)?
    }
}

async fn run_writer(mut conn: SqliteConnection, mut rx: mpsc::Receiver<WriteJob>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match run_batch(&mut conn, std::mem::take(&mut batch)).await {
            Ok(finishes) => finishes.into_iter().for_each(|f| f(None)),
            Err((e, finishes)) => {
                tracing::error!(error = %e, "sqlite group commit failed");
                for f in finishes {
                    f(Some(StoreError::Internal(format!("commit failed: {e}"))));
                }
            }
        }
    }
    let _ = conn.close().await;
}

type BatchError = (sqlx::Error, Vec<Finish>);

async fn run_batch(conn: &mut SqliteConnection, mut jobs: Vec<WriteJob>) -> Result<Vec<Finish>, BatchError> {
    if let Err(e) = run_sql(&mut *conn, "BEGIN IMMEDIATE").await {
        for job in jobs {
            job.abort(StoreError::Internal(format!("begin failed: {e}")));
        }
        return Err((e, Vec::new()));
    }
    if jobs.len() == 1 {
        // Its own transaction is its savepoint.
        let (ok, finish) = jobs.pop().expect("one job").run(&mut *conn).await;
        return end(conn, if ok { "COMMIT" } else { "ROLLBACK" }, vec![finish]).await;
    }
    let mut finishes = Vec::with_capacity(jobs.len());
    // Each job's end and the next one's savepoint (or the commit) go to
    // SQLite as one call: every call is a hand-over to the connection's
    // thread, and a write of a few statements would pay for three more.
    let mut next = "SAVEPOINT write_job";
    for job in jobs {
        if let Err(e) = run_sql(&mut *conn, next).await {
            let _ = run_sql(&mut *conn, "ROLLBACK").await;
            return Err((e, finishes));
        }
        let (ok, finish) = job.run(&mut *conn).await;
        finishes.push(finish);
        next = if ok {
            "RELEASE write_job; SAVEPOINT write_job"
        } else {
            "ROLLBACK TO write_job; RELEASE write_job; SAVEPOINT write_job"
        };
    }
    let last = if next.starts_with("RELEASE") {
        "RELEASE write_job; COMMIT"
    } else {
        "ROLLBACK TO write_job; RELEASE write_job; COMMIT"
    };
    end(conn, last, finishes).await
}

/// Ends the transaction with `sql`; rolls back if that fails.
async fn end(conn: &mut SqliteConnection, sql: &'static str, finishes: Vec<Finish>) -> Result<Vec<Finish>, BatchError> {
    match run_sql(&mut *conn, sql).await {
        Ok(_) => Ok(finishes),
        Err(e) => {
            let _ = run_sql(&mut *conn, "ROLLBACK").await;
            Err((e, finishes))
        }
    }
}

/// Runs a statement of transaction control. Boxed so the writer task's
/// future stays `Send` (the compiler cannot prove it through sqlx's
/// higher-ranked executor bounds otherwise).
fn run_sql<'c>(conn: &'c mut SqliteConnection, sql: &'static str) -> BoxFuture<'c, Result<(), sqlx::Error>> {
    Box::pin(async move { sqlx::Executor::execute(conn, sql).await.map(|_| ()) })
}
