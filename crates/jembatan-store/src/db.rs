//! The database handle: [`Db`] is SQLite or PostgreSQL, chosen by the URL's
//! scheme, with one API over both.
//!
//! Reads go to a pool ([`on_pool!`]); writes go through [`Db::write`], which
//! on SQLite hands them to the single writer task and on PostgreSQL runs them
//! in a transaction. Store functions take a [`Tx`] and write their SQL once,
//! expanded per backend by [`on_tx!`]; dialect branches exist only where the
//! SQL differs.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use std::sync::atomic::{AtomicU64, Ordering};

use futures::future::BoxFuture;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, PgConnection, PgPool, SqliteConnection, SqlitePool};

use tokio::sync::Notify;

use crate::error::StoreError;
use crate::writer::Writer;

/// WAL pages after which the SQLite writer's commit checkpoints.
const WAL_AUTOCHECKPOINT_PAGES: u32 = 4_000;

/// Which engine a [`Db`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connected database. Cheap to clone.
#[derive(Clone)]
pub enum Db {
    Sqlite(Arc<SqliteDb>),
    Postgres(Arc<PgDb>),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Db({:?})", self.backend())
    }
}

/// SQLite: a pool of read-only connections and the single writer.
pub struct SqliteDb {
    pub(crate) readers: SqlitePool,
    pub(crate) writer: Writer,
    pub(crate) options: SqliteConnectOptions,
    pub(crate) commits: CommitSignal,
}

/// PostgreSQL: one pool for reads and writes.
pub struct PgDb {
    pub(crate) pool: PgPool,
    pub(crate) options: PgConnectOptions,
    pub(crate) commits: CommitSignal,
}

/// Counts this process's committed writes and wakes whoever waits for one,
/// so a cache can catch up with the change log before answering a request
/// that follows a write of its own (read-your-writes within a process).
#[derive(Default)]
pub(crate) struct CommitSignal {
    count: AtomicU64,
    notify: Notify,
}

impl CommitSignal {
    fn bump(&self) {
        self.count.fetch_add(1, Ordering::Release);
        self.notify.notify_waiters();
    }
}

/// A write transaction in progress, on either engine.
pub enum Tx<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Tx<'_> {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Runs `$body` with `$conn` bound to the transaction's concrete connection
/// (`&mut SqliteConnection` or `&mut PgConnection`); the body is written
/// once and compiled for both engines.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(inner) => {
                let $conn: &mut ::sqlx::SqliteConnection = &mut **inner;
                $body
            }
            $crate::Tx::Postgres(inner) => {
                let $conn: &mut ::sqlx::PgConnection = &mut **inner;
                $body
            }
        }
    };
}

/// Executes the statement `$query` (built with `$conn` in scope) in the
/// transaction and returns the number of rows it affected.
#[macro_export]
macro_rules! exec {
    ($tx:expr, $query:expr) => {
        $crate::on_tx!($tx, conn => $query.execute(conn).await.map(|done| done.rows_affected()))
    };
}

/// The `VALUES` tuples of a multi-row statement, for `backend`: numbered
/// parameters on PostgreSQL (`($1, $2), ($3, $4)` for two rows of two
/// columns), anonymous ones on SQLite (`(?, ?), (?, ?)`), bound in order.
/// The rest of the statement must not use parameters.
///
/// Why anonymous on SQLite: sqlx looks up the name of every parameter it
/// binds, and SQLite finds a name by walking the statement's list of
/// names, so binding a statement of n numbered parameters costs n²; with
/// anonymous ones there is no list to walk.
pub(crate) fn value_tuples(backend: Backend, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 5);
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&(row * columns + column + 1).to_string());
                }
            }
        }
        sql.push(')');
    }
    sql
}

/// How many rows of `columns` values one multi-row statement carries: a
/// few thousand values (SQLite allows 32,766 parameters, PostgreSQL
/// 65,535), so that a group commit or a seed batch takes few statements.
pub(crate) fn rows_per_statement(backend: Backend, columns: usize) -> usize {
    let values = match backend {
        Backend::Sqlite => 4_000,
        Backend::Postgres => 20_000,
    };
    (values / columns.max(1)).max(1)
}

/// Writes `$rows` with as few statements as the engine takes well:
/// `$head VALUES (..), (..) $tail`, each row's `$columns` values bound by
/// `|$query, $row| expression`. Returns the number of rows affected.
macro_rules! insert_rows {
    ($tx:expr, $head:expr, $columns:expr, $tail:expr, $rows:expr, |$query:ident, $row:ident| $bind:expr) => {{
        let columns: usize = $columns;
        let per_statement = $crate::db::rows_per_statement($tx.backend(), columns);
        let mut affected = 0u64;
        for chunk in $rows.chunks(per_statement) {
            let sql =
                format!("{} VALUES {} {}", $head, $crate::db::value_tuples($tx.backend(), chunk.len(), columns), $tail);
            affected += $crate::exec!($tx, {
                let mut $query = ::sqlx::query(&sql);
                for $row in chunk {
                    $query = $bind;
                }
                $query
            })?;
        }
        affected
    }};
}
pub(crate) use insert_rows;

/// Runs `$body` with `$pool` bound to the read pool of the engine in use.
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite(inner) => {
                let $pool = &inner.readers;
                $body
            }
            $crate::Db::Postgres(inner) => {
                let $pool = &inner.pool;
                $body
            }
        }
    };
}

/// Connection settings that are not part of the URL.
#[derive(Debug, Clone)]
pub struct ConnectSettings {
    /// Largest number of pooled connections (readers on SQLite).
    pub max_connections: u32,
    /// How long to wait for a locked SQLite database or a pooled connection.
    pub busy_timeout: Duration,
}

impl Default for ConnectSettings {
    fn default() -> Self {
        ConnectSettings { max_connections: 8, busy_timeout: Duration::from_secs(5) }
    }
}

/// Why a database URL was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UrlError {
    #[error("the URL must start with sqlite:// or postgres:// (got {0:?})")]
    UnknownScheme(String),
    #[error("the SQLite URL names no file")]
    EmptyPath,
}

/// A database location parsed from a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://relative/path.db` or `sqlite:///absolute/path.db`.
    Sqlite(PathBuf),
    /// `postgres://...` or `postgresql://...`, kept whole for the driver.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses a URL; the scheme is required so a typo never silently
    /// creates an empty database somewhere else.
    pub fn parse(url: &str) -> Result<Self, UrlError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(UrlError::EmptyPath);
            }
            Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_owned()))
        } else {
            let scheme = url.split("://").next().unwrap_or(url);
            Err(UrlError::UnknownScheme(scheme.to_owned()))
        }
    }
}

impl Db {
    /// Connects, creating a SQLite file and its folder when missing, and
    /// applies pending migrations.
    pub async fn connect(url: &DatabaseUrl, settings: &ConnectSettings) -> Result<Db, StoreError> {
        let db = match url {
            DatabaseUrl::Sqlite(path) => Db::connect_sqlite(path, settings).await?,
            DatabaseUrl::Postgres(url) => Db::connect_postgres(url, settings).await?,
        };
        crate::migrate::run(&db).await?;
        Ok(db)
    }

    async fn connect_sqlite(path: &Path, settings: &ConnectSettings) -> Result<Db, StoreError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|e| StoreError::Internal(format!("cannot create {}: {e}", folder.display())))?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(settings.busy_timeout)
            .pragma("temp_store", "memory")
            .disable_statement_logging();
        // The writer's connection creates the file and sets WAL before any reader opens it.
        // The writer keeps its statement journal in a file: each write job's
        // SAVEPOINT makes SQLite journal pages for the whole group commit,
        // and releasing a statement walks an in-memory journal from its
        // start, so with temp_store=memory a bulk transaction grows
        // quadratically slower (perf: 30% of `seed` in memjrnlTruncate).
        // Its page cache holds what a large group commit dirties instead of
        // spilling it mid-transaction (SQLite's default is 2 MiB); the cache
        // grows only as far as writes use it.
        // It checkpoints every 4,000 WAL pages (16 MiB) rather than SQLite's
        // 1,000: a checkpoint copies each page once, however many commits
        // rewrote it, and the pages at the right edge of the time-ordered
        // indexes are rewritten by almost every group of filings. Filing
        // over HTTP: about a tenth more reports per second (BENCHMARKS.md).
        let writer_conn = options
            .clone()
            .pragma("temp_store", "file")
            .pragma("cache_size", "-65536")
            .pragma("wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES.to_string())
            .connect()
            .await?;
        let readers = SqlitePoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(settings.busy_timeout)
            .connect_with(options.clone().pragma("query_only", "ON"))
            .await?;
        let writer = Writer::start(writer_conn)?;
        Ok(Db::Sqlite(Arc::new(SqliteDb { readers, writer, options, commits: CommitSignal::default() })))
    }

    async fn connect_postgres(url: &str, settings: &ConnectSettings) -> Result<Db, StoreError> {
        let options = PgConnectOptions::from_str(url)?.disable_statement_logging();
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections)
            .acquire_timeout(settings.busy_timeout)
            .connect_with(options.clone())
            .await?;
        Ok(Db::Postgres(Arc::new(PgDb { pool, options, commits: CommitSignal::default() })))
    }

    /// The engine in use.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs `work` in one write transaction; it commits when `work` returns
    /// `Ok` and rolls back otherwise. The result is returned only once durable.
    pub async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'t, 'c> FnOnce(&'t mut Tx<'c>) -> BoxFuture<'t, Result<T, StoreError>> + Send + 'static,
    {
        let outcome = match self {
            Db::Sqlite(db) => db.writer.run(work).await,
            Db::Postgres(db) => {
                let mut conn = db.pool.begin().await?;
                let outcome = {
                    let mut tx = Tx::Postgres(&mut conn);
                    work(&mut tx).await
                };
                match outcome {
                    Ok(value) => {
                        conn.commit().await?;
                        Ok(value)
                    }
                    Err(e) => Err(e),
                }
            }
        };
        if outcome.is_ok() {
            self.commits().bump();
        }
        outcome
    }

    fn commits(&self) -> &CommitSignal {
        match self {
            Db::Sqlite(db) => &db.commits,
            Db::Postgres(db) => &db.commits,
        }
    }

    /// How many writes this process has committed; compare two readings to
    /// know whether a write happened in between.
    pub fn local_commits(&self) -> u64 {
        self.commits().count.load(Ordering::Acquire)
    }

    /// Resolves after the next write this process commits.
    pub async fn next_local_commit(&self) {
        self.commits().notify.notified().await
    }

    /// Answers whether the database responds, for `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Closes every connection; the SQLite writer finishes what is queued.
    pub async fn close(&self) {
        match self {
            Db::Sqlite(db) => db.readers.close().await,
            Db::Postgres(db) => db.pool.close().await,
        }
    }

    /// A fresh connection outside the pools, for maintenance (migrations, backup).
    pub(crate) async fn maintenance_connection(&self) -> Result<MaintenanceConnection, StoreError> {
        Ok(match self {
            Db::Sqlite(db) => MaintenanceConnection::Sqlite(db.options.clone().connect().await?),
            Db::Postgres(db) => MaintenanceConnection::Postgres(db.options.clone().connect().await?),
        })
    }
}

pub(crate) enum MaintenanceConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}
