//! In-person password resets with their audit entry, in one transaction.
//!
//! Many villagers have a phone number and no e-mail, so a reset link cannot
//! reach them: a KIM manager or a regency officer sets a new password while
//! the person stands beside them. The write is the same as
//! [`crate::accounts::reset_password_in_person`] (new hash, lock lifted,
//! sessions ended, reset links expired, `reset_in_person_by/at` set so the
//! next login tells the account holder), and here the audit entry commits
//! with it or not at all.
//!
//! Authorization (`Action::ResetMemberPassword`) is the caller's.

use jembatan_domain::account::check_new_password;
use jembatan_domain::{RegionCode, Timestamp, UserId, password};
use serde_json::json;

use crate::audit::{self, AuditEntry, action};
use crate::changes::{self, Entity};
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::exec;

/// Sets `new_password` for `target` on behalf of `officer`, who met the
/// account holder in person, and appends a
/// [`action::PASSWORD_RESET_IN_PERSON`] entry under `scope_region` (the
/// village of the KIM the person belongs to, or the region the officer
/// acted in). `Invalid` on `password` for a password the policy refuses;
/// `NotFound` for an unknown or deleted account.
pub async fn reset_password_in_person_audited(
    db: &Db,
    officer: UserId,
    target: UserId,
    new_password: &str,
    scope_region: RegionCode,
) -> StoreResult<()> {
    check_new_password("password", new_password).map_err(StoreError::Invalid)?;
    let attempt = new_password.to_owned();
    // Argon2 takes tens of milliseconds of CPU: off the runtime, before the
    // write transaction, so SQLite's single writer never waits on it.
    let hash = tokio::task::spawn_blocking(move || password::hash_password(&attempt))
        .await
        .map_err(|e| StoreError::Internal(format!("password hashing: {e}")))?;
    let now = Timestamp::now();
    db.write(move |tx| {
        Box::pin(async move {
            let id = target.to_string();
            let updated = exec!(
                tx,
                sqlx::query(
                    "UPDATE users SET password_hash = $1, updated_at = $2, failed_logins = 0, locked_until = NULL, \
                     reset_in_person_by = $3, reset_in_person_at = $2 WHERE id = $4 AND deleted_at IS NULL",
                )
                .bind(&hash)
                .bind(now.millis())
                .bind(officer.to_string())
                .bind(&id)
            )?;
            if updated == 0 {
                return Err(StoreError::NotFound);
            }
            let sessions_ended = exec!(tx, sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&id))?;
            exec!(
                tx,
                sqlx::query(
                    "UPDATE password_resets SET expires_at = $1 \
                     WHERE user_id = $2 AND used_at IS NULL AND expires_at > $1",
                )
                .bind(now.millis())
                .bind(&id)
            )?;
            audit::append(
                tx,
                &AuditEntry {
                    actor: Some(officer),
                    action: action::PASSWORD_RESET_IN_PERSON,
                    target_kind: "user",
                    target_id: id.clone(),
                    scope_region,
                    before: None,
                    after: Some(json!({ "user_id": target, "sessions_ended": sessions_ended })),
                },
            )
            .await?;
            changes::record(tx, Entity::User, &id).await
        })
    })
    .await
}
