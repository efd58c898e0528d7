//! In-app notifications: what an account is told (an SK about to lapse,
//! later a case dispatched, a contribution to review), read in the app.
//!
//! A notification holds a stable `kind` and JSON `params`, never a
//! sentence: the web layer renders it in the reader's language.

use jembatan_domain::{Timestamp, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::organisations::parse_stored;
use crate::{exec, on_pool};

/// The stable kinds of notification; the translation key of each message.
pub mod kind {
    /// A KIM's SK has lapsed. Params: `kim_id`, `kim_name`, `sk_expires`.
    pub const KIM_SK_EXPIRED: &str = "kim.sk_expired";
    /// A KIM's SK lapses within the warning period. Params as above.
    pub const KIM_SK_EXPIRING: &str = "kim.sk_expiring";
    /// A report passed its stage's deadline (to the regency's officers). Params: `tracking`.
    pub const REPORT_OVERDUE: &str = "report.overdue";
    /// A report is unsettled after 60 days (to the province). Params: `tracking`.
    pub const REPORT_UNSETTLED: &str = "report.unsettled";
}

/// A notification to create.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub user: UserId,
    /// One of [`kind`].
    pub kind: &'static str,
    /// What it is about, e.g. a KIM's id.
    pub subject_id: Option<String>,
    /// Arguments of the translated message.
    pub params: serde_json::Value,
    /// Where it leads, a path within the site.
    pub link: Option<String>,
}

/// A notification as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    pub id: Uuid,
    pub user: UserId,
    pub kind: String,
    pub subject_id: Option<String>,
    pub params: serde_json::Value,
    pub link: Option<String>,
    pub created_at: Timestamp,
    pub read_at: Option<Timestamp>,
}

/// Creates a notification within the caller's transaction, so it exists
/// exactly when what it tells about does.
pub async fn create(tx: &mut Tx<'_>, new: &NewNotification) -> StoreResult<Uuid> {
    let id = Uuid::now_v7();
    exec!(
        tx,
        sqlx::query(
            "INSERT INTO notifications (id, user_id, kind, subject_id, params, link, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.to_string())
        .bind(new.user.to_string())
        .bind(new.kind)
        .bind(new.subject_id.as_deref())
        .bind(new.params.to_string())
        .bind(new.link.as_deref())
        .bind(Timestamp::now().millis())
    )?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: String,
    user_id: String,
    kind: String,
    subject_id: Option<String>,
    params: String,
    link: Option<String>,
    created_at: i64,
    read_at: Option<i64>,
}

impl NotificationRow {
    fn into_notification(self) -> StoreResult<Notification> {
        Ok(Notification {
            id: parse_stored(&self.id, "notification id")?,
            user: parse_stored(&self.user_id, "user id")?,
            kind: self.kind,
            subject_id: self.subject_id,
            params: serde_json::from_str(&self.params).unwrap_or_default(),
            link: self.link,
            created_at: Timestamp(self.created_at),
            read_at: self.read_at.map(Timestamp),
        })
    }
}

/// A user's notifications: unread first, then newest first; at most `limit`.
pub async fn list_for_user(db: &Db, user: UserId, limit: i64) -> StoreResult<Vec<Notification>> {
    let rows = on_pool!(db, pool => sqlx::query_as::<_, NotificationRow>(
        "SELECT id, user_id, kind, subject_id, params, link, created_at, read_at FROM notifications \
         WHERE user_id = $1 \
         ORDER BY CASE WHEN read_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT $2",
    )
    .bind(user.to_string())
    .bind(limit.max(1))
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(NotificationRow::into_notification).collect()
}

/// Marks one of `user`'s notifications read; `NotFound` when it is not
/// theirs (or does not exist). Marking it again changes nothing.
pub async fn mark_read(db: &Db, user: UserId, id: Uuid) -> StoreResult<()> {
    let now = Timestamp::now().millis();
    db.write(move |tx| {
        Box::pin(async move {
            let found = exec!(
                tx,
                sqlx::query("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3")
                    .bind(now)
                    .bind(id.to_string())
                    .bind(user.to_string())
            )?;
            if found == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
    })
    .await
}

/// Marks all of `user`'s notifications read; returns how many were unread.
pub async fn mark_all_read(db: &Db, user: UserId) -> StoreResult<u64> {
    let now = Timestamp::now().millis();
    db.write(move |tx| {
        Box::pin(async move {
            Ok(exec!(
                tx,
                sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
                    .bind(now)
                    .bind(user.to_string())
            )?)
        })
    })
    .await
}

/// How many of `user`'s notifications are unread (the badge in the header).
pub async fn count_unread(db: &Db, user: UserId) -> StoreResult<i64> {
    Ok(on_pool!(db, pool => sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user.to_string())
    .fetch_one(pool)
    .await)?)
}

/// Notifications about `subject_id` (for tests and the admin page).
pub async fn about(db: &Db, subject_id: &str) -> StoreResult<Vec<Notification>> {
    let rows = on_pool!(db, pool => sqlx::query_as::<_, NotificationRow>(
        "SELECT id, user_id, kind, subject_id, params, link, created_at, read_at FROM notifications \
         WHERE subject_id = $1 ORDER BY created_at, id",
    )
    .bind(subject_id)
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(NotificationRow::into_notification).collect()
}
