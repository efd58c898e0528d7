//! The change log: what caches and indexes follow to stay derived from the
//! database, across every process that shares it.
//!
//! A write that a cache or index may depend on calls [`record`] in its own
//! transaction. Followers call [`since`] with the [`ChangeCursor`] they hold
//! and get every change committed after it, none missed and none twice:
//! - SQLite has one writer, so ids are assigned in commit order.
//! - PostgreSQL assigns sequence values before commit, so they commit out of
//!   order. Each row carries its transaction id; a reader only takes rows of
//!   transactions older than its snapshot's `xmin` (all finished, so no such
//!   row can still appear) and walks them in `(txid, id)` order.

use jembatan_domain::Timestamp;
use serde::{Deserialize, Serialize};

use crate::batch::Batch;
use crate::db::{Backend, Db, Tx};
use crate::error::StoreResult;
use crate::{exec, on_pool};

/// What kind of thing changed. Names are stable; they are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Region,
    User,
    Organisation,
    Grant,
    /// A content item (its id): text, status, regions, topics, corrections.
    Content,
    /// A topic (its slug).
    Topic,
    /// An uploaded image (its id).
    Media,
    /// A report (its id): filing, status, answer.
    Report,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Region => "region",
            Entity::User => "user",
            Entity::Organisation => "organisation",
            Entity::Grant => "grant",
            Entity::Content => "content",
            Entity::Topic => "topic",
            Entity::Media => "media",
            Entity::Report => "report",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "region" => Some(Entity::Region),
            "user" => Some(Entity::User),
            "organisation" => Some(Entity::Organisation),
            "grant" => Some(Entity::Grant),
            "content" => Some(Entity::Content),
            "topic" => Some(Entity::Topic),
            "media" => Some(Entity::Media),
            "report" => Some(Entity::Report),
            _ => None,
        }
    }
}

/// One committed change: which entity, which one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub entity: Entity,
    pub entity_id: String,
}

/// A follower's position in the log (or a change's own position). Opaque;
/// persist it to resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct ChangeCursor {
    txid: i64,
    id: i64,
}

/// Most changes returned by one call to [`since`].
pub const PAGE: i64 = 1000;

/// The PostgreSQL channel that announces new changes to other processes.
pub const CHANNEL: &str = "jembatan_changes";

/// Appends a change to the log within the caller's transaction. On
/// PostgreSQL it also notifies [`CHANNEL`] (delivered at commit), so other
/// processes follow at once instead of at their next poll.
pub async fn record(tx: &mut Tx<'_>, entity: Entity, entity_id: &str) -> StoreResult<()> {
    record_many(tx, entity, &[entity_id]).await
}

/// Records changes of several entities of one kind at once (a batch
/// import), with one announcement.
pub async fn record_many(tx: &mut Tx<'_>, entity: Entity, entity_ids: &[&str]) -> StoreResult<()> {
    let mut batch = Batch::new(tx.backend());
    add(&mut batch, entity, entity_ids);
    batch.run(tx).await?;
    Ok(())
}

/// Adds changes of several entities of one kind, and their announcement,
/// to a batch of writes.
pub(crate) fn add(batch: &mut Batch<'_>, entity: Entity, entity_ids: &[&str]) {
    if entity_ids.is_empty() {
        return;
    }
    let now = Timestamp::now().millis();
    batch.insert("INSERT INTO changes (entity, entity_id, at)", 3, "", entity_ids, |values, id| {
        values.add(entity.as_str()).add(id.to_string()).add(now);
    });
    if batch.backend() == Backend::Postgres {
        batch.statement(&format!("SELECT pg_notify('{CHANNEL}', '')"));
    }
}

/// Waits for announcements of new changes from any process (PostgreSQL);
/// `None` on SQLite, where all writes are this process's own.
pub async fn listener(db: &Db) -> StoreResult<Option<ChangeListener>> {
    match db {
        Db::Sqlite(_) => Ok(None),
        Db::Postgres(pg) => {
            let mut listener = sqlx::postgres::PgListener::connect_with(&pg.pool).await?;
            listener.listen(CHANNEL).await?;
            Ok(Some(ChangeListener { listener }))
        }
    }
}

/// A subscription to [`CHANNEL`].
pub struct ChangeListener {
    listener: sqlx::postgres::PgListener,
}

impl ChangeListener {
    /// Resolves when another (or this) process committed changes; errors
    /// when the connection is lost (sqlx reconnects on the next call).
    pub async fn next(&mut self) -> StoreResult<()> {
        self.listener.recv().await?;
        Ok(())
    }
}

/// The position after everything committed so far: where a follower that
/// starts with an empty cache begins.
pub async fn head(db: &Db) -> StoreResult<ChangeCursor> {
    Ok(match db {
        Db::Sqlite(db) => {
            let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM changes").fetch_one(&db.readers).await?;
            ChangeCursor { txid: 0, id: id.unwrap_or(0) }
        }
        Db::Postgres(db) => {
            // Everything below the horizon is final; start just below it so
            // transactions still running are read when they finish.
            let horizon: i64 = sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
                .fetch_one(&db.pool)
                .await?;
            ChangeCursor { txid: horizon, id: 0 }
        }
    })
}

/// Changes committed after `cursor`, oldest first, at most [`PAGE`] of them,
/// and the cursor to pass next time.
pub async fn since(db: &Db, cursor: ChangeCursor) -> StoreResult<(Vec<Change>, ChangeCursor)> {
    let rows: Vec<(i64, i64, String, String)> = match db {
        Db::Sqlite(db) => {
            sqlx::query_as("SELECT txid, id, entity, entity_id FROM changes WHERE id > $1 ORDER BY id LIMIT $2")
                .bind(cursor.id)
                .bind(PAGE)
                .fetch_all(&db.readers)
                .await?
        }
        Db::Postgres(db) => {
            sqlx::query_as(
                "SELECT txid, id, entity, entity_id FROM changes \
                 WHERE (txid, id) > ($1, $2) \
                   AND txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint \
                 ORDER BY txid, id LIMIT $3",
            )
            .bind(cursor.txid)
            .bind(cursor.id)
            .bind(PAGE)
            .fetch_all(&db.pool)
            .await?
        }
    };
    let next = rows.last().map(|(txid, id, _, _)| ChangeCursor { txid: *txid, id: *id }).unwrap_or(cursor);
    let changes = rows
        .into_iter()
        .filter_map(|(_, _, entity, entity_id)| Entity::parse(&entity).map(|entity| Change { entity, entity_id }))
        .collect();
    Ok((changes, next))
}

/// Changes already committed but not yet final for [`since`]: on
/// PostgreSQL, rows of transactions at or past the snapshot's `xmin` (an
/// older transaction somewhere is still running, so rows may yet appear
/// before them). A cache may act on them early (invalidation is idempotent)
/// but must not move its cursor past them; they come again from [`since`].
/// Always empty on SQLite, where [`since`] already returns everything.
pub async fn committed_beyond(db: &Db, cursor: ChangeCursor) -> StoreResult<Vec<(ChangeCursor, Change)>> {
    let Db::Postgres(pg) = db else { return Ok(Vec::new()) };
    let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT txid, id, entity, entity_id FROM changes \
         WHERE (txid, id) > ($1, $2) \
           AND txid >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint \
         ORDER BY txid, id LIMIT $3",
    )
    .bind(cursor.txid)
    .bind(cursor.id)
    .bind(PAGE)
    .fetch_all(&pg.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(txid, id, entity, entity_id)| {
            Entity::parse(&entity).map(|entity| (ChangeCursor { txid, id }, Change { entity, entity_id }))
        })
        .collect())
}

/// Deletes changes older than `before`; followers are expected to be far past them.
pub async fn prune(db: &Db, before: Timestamp) -> StoreResult<u64> {
    db.write(move |tx| {
        Box::pin(async move { Ok(exec!(tx, sqlx::query("DELETE FROM changes WHERE at < $1").bind(before.millis()))?) })
    })
    .await
}

/// How many changes the log holds; for tests and metrics.
pub async fn count(db: &Db) -> StoreResult<i64> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM changes").fetch_one(pool).await)?)
}
