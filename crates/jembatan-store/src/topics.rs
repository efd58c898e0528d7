//! The managed list of topics content is filed under (kesehatan,
//! pendidikan, pertanian, ...): seeded by the migration, extended by a
//! province admin (audited).

use jembatan_domain::content::NewTopic;
use jembatan_domain::{RegionCode, Timestamp, UserId};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, AuditEntry, action};
use crate::changes::{self, Entity};
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::organisations::{Args, bind_args};
use crate::{exec, on_pool, on_tx};

/// A topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Topic {
    pub slug: String,
    pub name_id: String,
    pub name_en: String,
    /// Display order, ascending.
    pub position: i64,
    pub created_at: i64,
}

impl Topic {
    /// The name in a locale (`id` or `en`); Indonesian for any other.
    pub fn name(&self, locale: &str) -> &str {
        if locale == "en" { &self.name_en } else { &self.name_id }
    }
}

const COLUMNS: &str = "slug, name_id, name_en, position, created_at";

/// Every topic, in display order.
pub async fn list(db: &Db) -> StoreResult<Vec<Topic>> {
    let sql = format!("SELECT {COLUMNS} FROM topics ORDER BY position, slug");
    Ok(on_pool!(db, pool => sqlx::query_as::<_, Topic>(&sql).fetch_all(pool).await)?)
}

/// A topic by slug.
pub async fn get(db: &Db, slug: &str) -> StoreResult<Option<Topic>> {
    let sql = format!("SELECT {COLUMNS} FROM topics WHERE slug = $1");
    Ok(on_pool!(db, pool => sqlx::query_as::<_, Topic>(&sql).bind(slug).fetch_optional(pool).await)?)
}

/// Adds a topic at the end of the list (the web layer has checked
/// `Action::ManageTopics`); the audit entry belongs to `scope` (the
/// admin's province). `Conflict("topic")` when the slug is taken.
pub async fn create(tx: &mut Tx<'_>, new: &NewTopic, actor: Option<UserId>, scope: &RegionCode) -> StoreResult<Topic> {
    let position: Option<i64> =
        on_tx!(tx, conn => sqlx::query_scalar("SELECT MAX(position) FROM topics").fetch_one(conn).await)?;
    let position = position.unwrap_or(0) + 10;
    exec!(
        tx,
        sqlx::query("INSERT INTO topics (slug, name_id, name_en, position, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&new.slug)
            .bind(&new.name_id)
            .bind(&new.name_en)
            .bind(position)
            .bind(Timestamp::now().millis())
    )
    .map_err(|e| StoreError::from(e).on_unique("topic"))?;
    audit::append(
        tx,
        &AuditEntry {
            actor,
            action: action::TOPIC_CREATE,
            target_kind: "topic",
            target_id: new.slug.clone(),
            scope_region: scope.clone(),
            before: None,
            after: Some(json!({ "slug": new.slug, "name_id": new.name_id, "name_en": new.name_en })),
        },
    )
    .await?;
    changes::record(tx, Entity::Topic, &new.slug).await?;
    let sql = format!("SELECT {COLUMNS} FROM topics WHERE slug = $1");
    Ok(on_tx!(tx, conn => sqlx::query_as::<_, Topic>(&sql).bind(&new.slug).fetch_one(conn).await)?)
}

/// Which of `slugs` are not topics, within a transaction.
pub(crate) async fn missing_tx(tx: &mut Tx<'_>, slugs: &[String]) -> StoreResult<Vec<String>> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let sql = format!("SELECT slug FROM topics WHERE slug IN ({})", args.texts(slugs.iter().cloned()));
    let found: Vec<String> = on_tx!(tx, conn => bind_args!(sqlx::query_scalar(&sql), args).fetch_all(conn).await)?;
    Ok(slugs.iter().filter(|s| !found.contains(s)).cloned().collect())
}
