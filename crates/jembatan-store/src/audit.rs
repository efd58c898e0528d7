//! The audit log: every privileged action (role changes, KIM registration
//! and verification, roster changes, in-person password resets, later
//! publishing and dispatch), with actor, time, action, target and the state
//! before and after; read by admins within their region.
//!
//! Invariants:
//! - Append-only in the storage layer: `UPDATE`, `DELETE` (and on
//!   PostgreSQL `TRUNCATE`) of `audit_log` fail in the database itself
//!   (triggers in the migration), whatever code runs them.
//! - Every store function that performs a privileged action takes the actor
//!   and calls [`append`] in the same transaction as the change. The two
//!   commit together or not at all; no privileged write skips its entry.
//! - `before`/`after` hold ids and non-personal fields only (a member's id
//!   and position, never a name, phone or e-mail): the log outlives account
//!   deletion, so personal data in it could never be erased.

use jembatan_domain::{AuditId, RegionCode, Timestamp, UserId};
use serde::Serialize;

use crate::db::{Db, Tx, insert_rows};
use crate::error::StoreResult;
use crate::on_pool;
use crate::organisations::{Args, bind_args, parse_stored, parse_stored_opt};

/// The stable names of audited actions, `noun.verb` in snake_case; stored,
/// and the keys their descriptions are translated under.
pub mod action {
    pub const ROLE_GRANT: &str = "role.grant";
    pub const ROLE_REVOKE: &str = "role.revoke";
    pub const ORGANISATION_CREATE: &str = "organisation.create";
    pub const ORGANISATION_UPDATE: &str = "organisation.update";
    pub const KIM_REGISTER: &str = "kim.register";
    pub const KIM_VERIFY: &str = "kim.verify";
    pub const KIM_UPDATE: &str = "kim.update";
    pub const KIM_STATUS: &str = "kim.status";
    pub const MEMBER_ADD: &str = "member.add";
    pub const MEMBER_UPDATE: &str = "member.update";
    pub const MEMBER_REMOVE: &str = "member.remove";
    pub const MEMBER_PHONE_CONSENT: &str = "member.phone_consent";
    pub const PASSWORD_RESET_IN_PERSON: &str = "password.reset_in_person";
    pub const CONTENT_CREATE: &str = "content.create";
    pub const CONTENT_IMPORT: &str = "content.import";
    pub const CONTENT_UPDATE: &str = "content.update";
    pub const CONTENT_SUBMIT: &str = "content.submit";
    pub const CONTENT_RETURN: &str = "content.return";
    pub const CONTENT_PUBLISH: &str = "content.publish";
    pub const CONTENT_SCHEDULE: &str = "content.schedule";
    pub const CONTENT_UNPUBLISH: &str = "content.unpublish";
    pub const CONTENT_ARCHIVE: &str = "content.archive";
    pub const CONTENT_RESTORE: &str = "content.restore";
    pub const CONTENT_CORRECT: &str = "content.correct";
    pub const TOPIC_CREATE: &str = "topic.create";
    pub const REPORT_VERIFY: &str = "report.verify";
    pub const REPORT_DISPATCH: &str = "report.dispatch";
    pub const REPORT_FOLLOW_UP: &str = "report.follow_up";
    pub const REPORT_ANSWER: &str = "report.answer";
    pub const REPORT_HOLD: &str = "report.hold";
    pub const REPORT_RESUME: &str = "report.resume";
    pub const REPORT_NOT_AUTHORITY: &str = "report.not_authority";
    pub const REPORT_RETURN: &str = "report.return_to_verifier";
    pub const REPORT_ARCHIVE: &str = "report.archive";
    pub const REPORT_REOPEN: &str = "report.reopen";
    /// A report brought in whole with its history (generated or moved here).
    pub const REPORT_IMPORT: &str = "report.import";
    /// An officer saw an anonymous reporter's identity.
    pub const REPORT_VIEW_IDENTITY: &str = "report.view_identity";
    pub const REPORT_SET_REGION: &str = "report.set_region";
    pub const REPORT_EXTEND: &str = "report.extend";
    pub const REPORT_HANDOVER: &str = "report.handover";
    pub const REPORT_HANDOVER_LAPOR: &str = "report.handover_lapor";
    pub const REPORT_CLEAR_MODERATION: &str = "report.clear_moderation";
    pub const HOLIDAY_PUT: &str = "holiday.put";
    pub const HOLIDAY_REMOVE: &str = "holiday.remove";

    /// Every action, for the catalog test (each has a translated name).
    pub const ALL: &[&str] = &[
        ROLE_GRANT,
        ROLE_REVOKE,
        ORGANISATION_CREATE,
        ORGANISATION_UPDATE,
        KIM_REGISTER,
        KIM_VERIFY,
        KIM_UPDATE,
        KIM_STATUS,
        MEMBER_ADD,
        MEMBER_UPDATE,
        MEMBER_REMOVE,
        MEMBER_PHONE_CONSENT,
        PASSWORD_RESET_IN_PERSON,
        CONTENT_CREATE,
        CONTENT_IMPORT,
        CONTENT_UPDATE,
        CONTENT_SUBMIT,
        CONTENT_RETURN,
        CONTENT_PUBLISH,
        CONTENT_SCHEDULE,
        CONTENT_UNPUBLISH,
        CONTENT_ARCHIVE,
        CONTENT_RESTORE,
        CONTENT_CORRECT,
        TOPIC_CREATE,
        REPORT_VERIFY,
        REPORT_DISPATCH,
        REPORT_FOLLOW_UP,
        REPORT_ANSWER,
        REPORT_HOLD,
        REPORT_RESUME,
        REPORT_NOT_AUTHORITY,
        REPORT_RETURN,
        REPORT_ARCHIVE,
        REPORT_REOPEN,
        REPORT_IMPORT,
        REPORT_VIEW_IDENTITY,
        REPORT_SET_REGION,
        REPORT_EXTEND,
        REPORT_HANDOVER,
        REPORT_HANDOVER_LAPOR,
        REPORT_CLEAR_MODERATION,
        HOLIDAY_PUT,
        HOLIDAY_REMOVE,
    ];

    /// Every kind of thing acted on (`AuditEntry::target_kind`).
    pub const TARGET_KINDS: &[&str] = &["user", "organisation", "member", "content", "topic", "report", "holiday"];
}

/// An entry to append. `action` and `target_kind` are stable names, never
/// text from a request.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// The account that acted; `None` for the system (CLI, scheduled jobs).
    pub actor: Option<UserId>,
    /// One of [`action`].
    pub action: &'static str,
    /// What kind of thing was acted on: `user`, `organisation`, `member`, ...
    pub target_kind: &'static str,
    pub target_id: String,
    /// The region the entry belongs to: admins of this region or any above
    /// it see it.
    pub scope_region: RegionCode,
    /// State before, ids and non-personal fields only.
    pub before: Option<serde_json::Value>,
    /// State after, ids and non-personal fields only.
    pub after: Option<serde_json::Value>,
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditRecord {
    pub id: AuditId,
    pub at: Timestamp,
    pub actor: Option<UserId>,
    pub action: String,
    pub target_kind: String,
    pub target_id: String,
    pub scope_region: RegionCode,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// One page of the log, newest first, and where the next page starts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditPage {
    pub entries: Vec<AuditRecord>,
    /// Pass as `before` to [`list`] for the next (older) page; `None` on the last.
    pub next: Option<AuditId>,
}

/// Most entries [`list`] returns at once.
pub const MAX_PAGE: i64 = 200;

/// Appends an entry within the caller's transaction.
pub async fn append(tx: &mut Tx<'_>, entry: &AuditEntry) -> StoreResult<AuditId> {
    let ids = append_many(tx, std::slice::from_ref(entry)).await?;
    Ok(ids[0])
}

/// Appends several entries at once (a batch import); ids in their order.
pub async fn append_many(tx: &mut Tx<'_>, entries: &[AuditEntry]) -> StoreResult<Vec<AuditId>> {
    let now = Timestamp::now().millis();
    let rows: Vec<(AuditId, &AuditEntry)> = entries.iter().map(|e| (AuditId::generate(), e)).collect();
    insert_rows!(
        tx,
        "INSERT INTO audit_log (id, at, actor_id, action, target_kind, target_id, scope_region, before_state, \
         after_state)",
        9,
        "",
        rows,
        |query, row| {
            let (id, entry) = row;
            query
                .bind(id.to_string())
                .bind(now)
                .bind(entry.actor.map(|a| a.to_string()))
                .bind(entry.action)
                .bind(entry.target_kind)
                .bind(entry.target_id.as_str())
                .bind(entry.scope_region.as_str())
                .bind(entry.before.as_ref().map(|v| v.to_string()))
                .bind(entry.after.as_ref().map(|v| v.to_string()))
        }
    );
    Ok(rows.into_iter().map(|(id, _)| id).collect())
}

const COLUMNS: &str = "id, at, actor_id, action, target_kind, target_id, scope_region, before_state, after_state";

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: String,
    at: i64,
    actor_id: Option<String>,
    action: String,
    target_kind: String,
    target_id: String,
    scope_region: String,
    before_state: Option<String>,
    after_state: Option<String>,
}

impl AuditRow {
    fn into_record(self) -> StoreResult<AuditRecord> {
        let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        Ok(AuditRecord {
            id: parse_stored(&self.id, "audit id")?,
            at: Timestamp(self.at),
            actor: parse_stored_opt(self.actor_id.as_deref(), "actor id")?,
            action: self.action,
            target_kind: self.target_kind,
            target_id: self.target_id,
            scope_region: parse_stored(&self.scope_region, "region")?,
            before: json(self.before_state),
            after: json(self.after_state),
        })
    }
}

/// Entries whose region is `within` or lies below it, newest first, at
/// most `limit` (capped at [`MAX_PAGE`]), older than `before` when given.
/// Ids are UUIDv7, so ordering by id orders by time.
pub async fn list(db: &Db, within: &RegionCode, before: Option<AuditId>, limit: i64) -> StoreResult<AuditPage> {
    let limit = limit.clamp(1, MAX_PAGE);
    let mut args = Args::default();
    let mut conditions = vec![args.within("scope_region", None, within)];
    if let Some(before) = before {
        conditions.push(format!("id < {}", args.text(before.to_string())));
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log WHERE {} ORDER BY id DESC LIMIT {}",
        conditions.join(" AND "),
        args.int(limit)
    );
    let rows = on_pool!(db, pool => bind_args!(sqlx::query_as::<_, AuditRow>(&sql), args).fetch_all(pool).await)?;
    let entries = rows.into_iter().map(AuditRow::into_record).collect::<StoreResult<Vec<_>>>()?;
    let next = if entries.len() as i64 == limit { entries.last().map(|e| e.id) } else { None };
    Ok(AuditPage { entries, next })
}

/// Every entry about one target (a KIM, an account), newest first: the
/// history shown on its admin page.
pub async fn for_target(db: &Db, target_kind: &str, target_id: &str) -> StoreResult<Vec<AuditRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE target_kind = $1 AND target_id = $2 ORDER BY id DESC");
    let rows = on_pool!(db, pool => sqlx::query_as::<_, AuditRow>(&sql)
        .bind(target_kind)
        .bind(target_id)
        .fetch_all(pool)
        .await)?;
    rows.into_iter().map(AuditRow::into_record).collect()
}
