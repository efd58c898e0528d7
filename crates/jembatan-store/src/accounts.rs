//! Accounts: users, their login state (password, per-account throttling,
//! sessions), password resets (by e-mail and in person), API tokens,
//! consents, and the UU 27/2022 rights to export and to erase.
//!
//! Invariants:
//! - Personal data lives only in `users` (name, e-mail, phone). Every other
//!   accounts table holds ids, hashes, dates and labels.
//! - No secret is stored in clear: passwords are Argon2id hashes; session,
//!   reset and API tokens are stored as hex SHA-256 of the random token the
//!   person holds (the tokens carry 256 bits of entropy, so a fast hash is
//!   enough and lookups stay one indexed equality).
//! - A deleted account is a tombstone: the row keeps its id (other tables,
//!   such as the append-only audit log, point at it) and loses everything
//!   personal; it can no longer log in or be found, and its e-mail and phone
//!   are free to register again.
//! - Argon2 runs in `spawn_blocking`, before the write transaction, so
//!   neither the async runtime nor SQLite's single writer waits on it.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jembatan_domain::account::{NewAccount, check_new_password};
use jembatan_domain::contact::{Email, LoginIdentifier, PhoneNumber};
use jembatan_domain::error::required_text;
use jembatan_domain::{FieldError, Timestamp, TokenId, UserId, ValidationCode, password};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::changes::{self, Entity};
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::jobs::{self, NewJob};
use crate::{exec, on_pool, on_tx};

/// The consent purpose recorded at registration: holding an account.
pub const ACCOUNT_PURPOSE: &str = "account";
/// The job kind that e-mails a password reset link; its payload is a
/// [`PasswordResetEmail`].
pub const PASSWORD_RESET_EMAIL: &str = "password_reset_email";
/// Every API token starts with this, so leaked tokens are easy to recognise
/// (secret scanners, logs) and other strings are refused without a lookup.
pub const API_TOKEN_PREFIX: &str = "jbt_";
/// Sessions and API tokens record their use at most this often, so reading
/// a page does not cost a write.
pub const TOUCH_INTERVAL_MS: i64 = 60_000;
/// Longest name of an API token.
pub const MAX_TOKEN_NAME_CHARS: usize = 100;

/// The user columns every query selecting a [`User`] reads, from alias `u`.
macro_rules! user_columns {
    () => {
        "u.id, u.name, u.email, u.phone, u.created_at, u.deleted_at, u.reset_in_person_by, u.reset_in_person_at"
    };
}

/// An account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    /// The display name; empty once the account is deleted.
    pub name: String,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
    pub created_at: Timestamp,
    /// Set when the account was deleted; the row stays as a tombstone.
    pub deleted_at: Option<Timestamp>,
    /// The officer who last reset the password in person, until the
    /// account holder acknowledged it at login.
    pub reset_in_person_by: Option<UserId>,
    pub reset_in_person_at: Option<Timestamp>,
}

impl User {
    /// Whether the account was deleted (a tombstone).
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    created_at: i64,
    deleted_at: Option<i64>,
    reset_in_person_by: Option<String>,
    reset_in_person_at: Option<i64>,
}

impl UserRow {
    fn into_user(self) -> StoreResult<User> {
        Ok(User {
            id: parse_id(&self.id)?,
            name: self.name.unwrap_or_default(),
            email: self.email.map(Email::from_stored),
            phone: self.phone.map(PhoneNumber::from_stored),
            created_at: Timestamp(self.created_at),
            deleted_at: self.deleted_at.map(Timestamp),
            reset_in_person_by: self.reset_in_person_by.as_deref().map(parse_id).transpose()?,
            reset_in_person_at: self.reset_in_person_at.map(Timestamp),
        })
    }
}

/// What a login needs: the account, its password hash and its lock state.
#[derive(Clone)]
pub struct LoginAccount {
    pub user: User,
    /// The Argon2id PHC string; check it with
    /// [`jembatan_domain::password::verify_password`] in `spawn_blocking`.
    pub password_hash: String,
    /// Failed logins since the last success or lock.
    pub failed_logins: i64,
    /// Logins are refused until then (see [`record_login_failure`]).
    pub locked_until: Option<Timestamp>,
}

impl LoginAccount {
    /// Whether logins are refused at `now`. Check this before verifying the
    /// password, and do not count attempts made while locked.
    pub fn is_locked(&self, now: Timestamp) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

impl fmt::Debug for LoginAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginAccount")
            .field("user", &self.user)
            .field("password_hash", &"<redacted>")
            .field("failed_logins", &self.failed_logins)
            .field("locked_until", &self.locked_until)
            .finish()
    }
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: String,
    failed_logins: i64,
    locked_until: Option<i64>,
}

/// A session just created: the token goes in the cookie, the CSRF token in forms.
#[derive(Clone)]
pub struct IssuedSession {
    /// The cookie value: 32 random bytes, base64url without padding.
    pub token: String,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

impl fmt::Debug for IssuedSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedSession").field("expires_at", &self.expires_at).finish_non_exhaustive()
    }
}

/// A live session, as found from its cookie.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The stored token hash: identifies the session without the token.
    key: String,
    pub user_id: UserId,
    /// Expected in every form and unsafe request of this session.
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub last_seen_at: Timestamp,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("user_id", &self.user_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("last_seen_at", &self.last_seen_at)
            .finish_non_exhaustive()
    }
}

#[derive(sqlx::FromRow)]
struct SessionUserRow {
    #[sqlx(flatten)]
    user: UserRow,
    token_hash: String,
    csrf_token: String,
    session_created_at: i64,
    expires_at: i64,
    last_seen_at: i64,
}

/// What an API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Read what the account may read.
    Read,
    /// Read and write what the account may.
    Write,
}

impl TokenScope {
    /// The stable name, as stored and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "read" => Some(TokenScope::Read),
            "write" => Some(TokenScope::Write),
            _ => None,
        }
    }
}

/// An API token as listed to its owner (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct ApiTokenRow {
    id: String,
    name: String,
    scope: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl ApiTokenRow {
    fn into_token(self) -> StoreResult<ApiToken> {
        Ok(ApiToken {
            id: parse_id(&self.id)?,
            name: self.name,
            scope: parse_scope(&self.scope)?,
            created_at: Timestamp(self.created_at),
            last_used_at: self.last_used_at.map(Timestamp),
            revoked_at: self.revoked_at.map(Timestamp),
        })
    }
}

/// Who an API request acts as, from its Bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenAuth {
    pub user: User,
    pub scope: TokenScope,
    pub token_id: TokenId,
}

#[derive(sqlx::FromRow)]
struct TokenUserRow {
    #[sqlx(flatten)]
    user: UserRow,
    token_id: String,
    scope: String,
    last_used_at: Option<i64>,
}

/// A consent given (and perhaps withdrawn) under UU 27/2022.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consent {
    pub id: String,
    /// What the data is processed for, e.g. [`ACCOUNT_PURPOSE`].
    pub purpose: String,
    /// Which version of the privacy notice was shown.
    pub notice_version: String,
    pub granted_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct ConsentRow {
    id: String,
    purpose: String,
    notice_version: String,
    granted_at: i64,
    withdrawn_at: Option<i64>,
}

impl From<ConsentRow> for Consent {
    fn from(row: ConsentRow) -> Self {
        Consent {
            id: row.id,
            purpose: row.purpose,
            notice_version: row.notice_version,
            granted_at: Timestamp(row.granted_at),
            withdrawn_at: row.withdrawn_at.map(Timestamp),
        }
    }
}

/// The payload of a [`PASSWORD_RESET_EMAIL`] job. It names the account, not
/// its address: the worker reads the address when it sends, so a changed or
/// erased address is respected. The token is blanked from the queue when
/// the job completes ([`jobs::complete`]).
#[derive(Clone, Serialize, Deserialize)]
pub struct PasswordResetEmail {
    pub user_id: UserId,
    /// The raw reset token, for the link.
    pub token: String,
    /// The language the reset was asked in, e.g. `id` or `en`.
    pub locale: String,
}

impl fmt::Debug for PasswordResetEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordResetEmail")
            .field("user_id", &self.user_id)
            .field("locale", &self.locale)
            .finish_non_exhaustive()
    }
}

fn parse_id<T: FromStr>(s: &str) -> StoreResult<T>
where
    T::Err: fmt::Display,
{
    T::from_str(s).map_err(|e| StoreError::Internal(format!("stored id {s:?}: {e}")))
}

fn parse_scope(s: &str) -> StoreResult<TokenScope> {
    TokenScope::parse(s).ok_or_else(|| StoreError::Internal(format!("stored token scope {s:?}")))
}

/// 32 random bytes (256 bits), base64url without padding: 43 characters.
fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// What is stored in place of a token: its SHA-256, hex.
fn token_hash(raw: &str) -> String {
    format!("{:x}", Sha256::digest(raw.as_bytes()))
}

/// The key e-mail addresses are unique by: the whole address lower-cased
/// (mail systems treat local parts case-insensitively in practice).
fn email_key(email: &Email) -> String {
    email.as_str().to_lowercase()
}

/// Hashes off the async runtime (Argon2 takes tens of milliseconds of CPU).
async fn hash_off_runtime(password: &str) -> StoreResult<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || password::hash_password(&password))
        .await
        .map_err(|e| StoreError::Internal(format!("password hashing: {e}")))
}

/// Checks a new password against the policy before spending a hash on it.
fn check_password(password: &str) -> StoreResult<()> {
    check_new_password("password", password).map_err(StoreError::Invalid)
}

/// Maps a unique violation on `users` to the field it concerns.
fn user_conflict(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        // SQLite says "UNIQUE constraint failed: users.phone"; PostgreSQL
        // names the constraint "users_phone_key".
        let text = format!("{} {}", db.message(), db.constraint().unwrap_or_default());
        return StoreError::Conflict(if text.contains("phone") { "phone" } else { "email" });
    }
    err.into()
}

// ---------------------------------------------------------------- users

/// Registers an account: hashes the password, then in one transaction
/// inserts the user and the consent to [`ACCOUNT_PURPOSE`] under
/// `notice_version`, and records a change.
///
/// An e-mail already registered (in any letter case) is
/// `Conflict("email")`; a phone number already registered is
/// `Conflict("phone")` (e-mail is reported first when both are taken).
pub async fn create_user(db: &Db, account: &NewAccount, notice_version: &str) -> StoreResult<User> {
    let hash = hash_off_runtime(&account.password).await?;
    let now = Timestamp::now();
    let user = User {
        id: UserId::generate(),
        name: account.name.clone(),
        email: account.email.clone(),
        phone: account.phone.clone(),
        created_at: now,
        deleted_at: None,
        reset_in_person_by: None,
        reset_in_person_at: None,
    };
    let stored = user.clone();
    let notice_version = notice_version.to_owned();
    db.write(move |tx| {
        Box::pin(async move {
            let id = stored.id.to_string();
            let key = stored.email.as_ref().map(email_key);
            let phone = stored.phone.as_ref().map(|p| p.as_str().to_owned());
            // Checked first so the caller learns which field is taken; the
            // unique indexes still decide when two registrations race.
            let taken = on_tx!(tx, conn => sqlx::query_as::<_, (Option<String>, Option<String>)>(
                "SELECT email_key, phone FROM users WHERE email_key = $1 OR phone = $2",
            )
            .bind(key.as_deref())
            .bind(phone.as_deref())
            .fetch_all(conn)
            .await)?;
            if key.is_some() && taken.iter().any(|(k, _)| *k == key) {
                return Err(StoreError::Conflict("email"));
            }
            if phone.is_some() && taken.iter().any(|(_, p)| *p == phone) {
                return Err(StoreError::Conflict("phone"));
            }
            exec!(
                tx,
                sqlx::query(
                    "INSERT INTO users (id, name, email, email_key, phone, password_hash, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                )
                .bind(&id)
                .bind(&stored.name)
                .bind(stored.email.as_ref().map(Email::as_str))
                .bind(key.as_deref())
                .bind(phone.as_deref())
                .bind(&hash)
                .bind(now.millis())
            )
            .map_err(user_conflict)?;
            record_consent(tx, stored.id, ACCOUNT_PURPOSE, &notice_version).await?;
            changes::record(tx, Entity::User, &id).await?;
            Ok(())
        })
    })
    .await?;
    Ok(user)
}

/// The account, deleted or not (a tombstone still answers, with its
/// personal fields blank); `None` when the id was never registered.
pub async fn get_user(db: &Db, id: UserId) -> StoreResult<Option<User>> {
    let row = on_pool!(db, pool => sqlx::query_as::<_, UserRow>(
        concat!("SELECT ", user_columns!(), " FROM users u WHERE u.id = $1"),
    )
    .bind(id.to_string())
    .fetch_optional(pool)
    .await)?;
    row.map(UserRow::into_user).transpose()
}

/// The live account a login form names, with what the login needs; `None`
/// when no live account has that e-mail (any case) or phone. When `None`,
/// call [`jembatan_domain::password::verify_against_dummy`] anyway so the
/// answer takes as long as for a wrong password.
pub async fn find_for_login(db: &Db, identifier: &LoginIdentifier) -> StoreResult<Option<LoginAccount>> {
    let (sql, value) = match identifier {
        LoginIdentifier::Email(email) => (
            concat!(
                "SELECT ",
                user_columns!(),
                ", u.password_hash, u.failed_logins, u.locked_until FROM users u \
                 WHERE u.email_key = $1 AND u.deleted_at IS NULL AND u.password_hash IS NOT NULL"
            ),
            email_key(email),
        ),
        LoginIdentifier::Phone(phone) => (
            concat!(
                "SELECT ",
                user_columns!(),
                ", u.password_hash, u.failed_logins, u.locked_until FROM users u \
                 WHERE u.phone = $1 AND u.deleted_at IS NULL AND u.password_hash IS NOT NULL"
            ),
            phone.as_str().to_owned(),
        ),
    };
    let row = on_pool!(db, pool => sqlx::query_as::<_, LoginRow>(sql).bind(&value).fetch_optional(pool).await)?;
    row.map(|row| {
        Ok(LoginAccount {
            user: row.user.into_user()?,
            password_hash: row.password_hash,
            failed_logins: row.failed_logins,
            locked_until: row.locked_until.map(Timestamp),
        })
    })
    .transpose()
}

// ---------------------------------------------------------------- login throttling

/// Counts a failed login of `user`. The `max_failures`-th failure in a row
/// locks the account for `lock_secs` and starts the count again; returns the
/// time the lock ends when this failure set one.
///
/// Throttling per account complements throttling per client address (the
/// web layer's): it stops slow guessing of one account from many addresses.
pub async fn record_login_failure(
    db: &Db,
    user: UserId,
    max_failures: i64,
    lock_secs: i64,
) -> StoreResult<Option<Timestamp>> {
    let now = Timestamp::now();
    let until = now.plus_seconds(lock_secs).millis();
    let id = user.to_string();
    let locked: Option<Option<i64>> = db
        .write(move |tx| {
            Box::pin(async move {
                // Both CASEs read the old failed_logins (SQL evaluates every
                // SET expression against the row before the update).
                Ok(on_tx!(tx, conn => sqlx::query_scalar::<_, Option<i64>>(
                    "UPDATE users SET \
                       failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END, \
                       locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END \
                     WHERE id = $3 AND deleted_at IS NULL RETURNING locked_until",
                )
                .bind(max_failures)
                .bind(until)
                .bind(&id)
                .fetch_optional(conn)
                .await)?)
            })
        })
        .await?;
    match locked {
        None => Err(StoreError::NotFound),
        Some(locked_until) => Ok(locked_until.filter(|&t| t == until).map(Timestamp)),
    }
}

/// Clears the failure count and any lock after a successful login.
pub async fn record_login_success(db: &Db, user: UserId) -> StoreResult<()> {
    let id = user.to_string();
    db.write(move |tx| {
        Box::pin(async move {
            exec!(
                tx,
                sqlx::query(
                    "UPDATE users SET failed_logins = 0, locked_until = NULL \
                     WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
                )
                .bind(&id)
            )?;
            Ok(())
        })
    })
    .await
}

// ---------------------------------------------------------------- sessions

/// Starts a session of `user` lasting `ttl_secs` (extended by
/// [`touch_session`] while in use). `NotFound` for a deleted or unknown user.
pub async fn create_session(db: &Db, user: UserId, ttl_secs: i64) -> StoreResult<IssuedSession> {
    let now = Timestamp::now();
    let issued =
        IssuedSession { token: random_token(), csrf_token: random_token(), expires_at: now.plus_seconds(ttl_secs) };
    let hash = token_hash(&issued.token);
    let csrf = issued.csrf_token.clone();
    let id = user.to_string();
    let expires = issued.expires_at.millis();
    let inserted = db
        .write(move |tx| {
            Box::pin(async move {
                Ok(exec!(
                    tx,
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) \
                         SELECT $1, id, $2, $3, $4, $3 FROM users WHERE id = $5 AND deleted_at IS NULL",
                    )
                    .bind(&hash)
                    .bind(&csrf)
                    .bind(now.millis())
                    .bind(expires)
                    .bind(&id)
                )?)
            })
        })
        .await?;
    if inserted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(issued)
}

/// The live account and session a cookie token names; `None` for an
/// unknown or expired session or a deleted account.
pub async fn session_user(db: &Db, raw_token: &str) -> StoreResult<Option<(User, Session)>> {
    let row = on_pool!(db, pool => sqlx::query_as::<_, SessionUserRow>(concat!(
        "SELECT ",
        user_columns!(),
        ", s.token_hash, s.csrf_token, s.created_at AS session_created_at, s.expires_at, s.last_seen_at \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.deleted_at IS NULL"
    ))
    .bind(token_hash(raw_token))
    .bind(Timestamp::now().millis())
    .fetch_optional(pool)
    .await)?;
    let Some(row) = row else { return Ok(None) };
    let user = row.user.into_user()?;
    let session = Session {
        key: row.token_hash,
        user_id: user.id,
        csrf_token: row.csrf_token,
        created_at: Timestamp(row.session_created_at),
        expires_at: Timestamp(row.expires_at),
        last_seen_at: Timestamp(row.last_seen_at),
    };
    Ok(Some((user, session)))
}

/// Slides a session's expiry to `ttl_secs` from now, at most once per
/// [`TOUCH_INTERVAL_MS`]: returns the new expiry when it wrote, `None` when
/// the session was seen too recently to bother (or is gone).
pub async fn touch_session(db: &Db, session: &Session, ttl_secs: i64) -> StoreResult<Option<Timestamp>> {
    let now = Timestamp::now();
    if now.millis() - session.last_seen_at.millis() < TOUCH_INTERVAL_MS {
        return Ok(None);
    }
    let expires = now.plus_seconds(ttl_secs);
    let key = session.key.clone();
    let updated = db
        .write(move |tx| {
            Box::pin(async move {
                Ok(exec!(
                    tx,
                    sqlx::query(
                        "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3 AND expires_at > $1",
                    )
                    .bind(now.millis())
                    .bind(expires.millis())
                    .bind(&key)
                )?)
            })
        })
        .await?;
    Ok((updated == 1).then_some(expires))
}

/// Ends the session a cookie token names (logout). Unknown tokens are ignored.
pub async fn delete_session(db: &Db, raw_token: &str) -> StoreResult<()> {
    let hash = token_hash(raw_token);
    db.write(move |tx| {
        Box::pin(async move {
            exec!(tx, sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&hash))?;
            Ok(())
        })
    })
    .await
}

/// Ends every session of `user` but the one whose cookie token is `except`
/// ("log out everywhere else"); returns how many ended.
pub async fn delete_user_sessions(db: &Db, user: UserId, except: Option<&str>) -> StoreResult<u64> {
    let id = user.to_string();
    let keep = except.map(token_hash);
    db.write(move |tx| Box::pin(async move { delete_sessions(tx, &id, keep.as_deref()).await })).await
}

async fn delete_sessions(tx: &mut Tx<'_>, user_id: &str, keep_hash: Option<&str>) -> StoreResult<u64> {
    Ok(exec!(
        tx,
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> COALESCE($2, '')")
            .bind(user_id)
            .bind(keep_hash)
    )?)
}

/// Deletes expired sessions; returns how many. Run periodically.
pub async fn purge_expired_sessions(db: &Db) -> StoreResult<u64> {
    let now = Timestamp::now().millis();
    db.write(move |tx| {
        Box::pin(async move { Ok(exec!(tx, sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now))?) })
    })
    .await
}

/// Deletes password reset tokens that expired or were used before `before`;
/// returns how many. Run periodically (their dates are in the export until then).
pub async fn purge_password_resets(db: &Db, before: Timestamp) -> StoreResult<u64> {
    db.write(move |tx| {
        Box::pin(async move {
            Ok(exec!(
                tx,
                sqlx::query("DELETE FROM password_resets WHERE expires_at < $1 OR used_at < $1").bind(before.millis())
            )?)
        })
    })
    .await
}

// ---------------------------------------------------------------- passwords

/// Stores a new password hash for a live account and makes every older
/// credential useless: other sessions end (all but `keep_session_hash`),
/// pending reset links expire, the lock is lifted. Records a change so
/// cached sessions are dropped.
async fn set_password(
    tx: &mut Tx<'_>,
    user_id: &str,
    hash: &str,
    now: Timestamp,
    keep_session_hash: Option<&str>,
) -> StoreResult<()> {
    let updated = exec!(
        tx,
        sqlx::query(
            "UPDATE users SET password_hash = $1, updated_at = $2, failed_logins = 0, locked_until = NULL \
             WHERE id = $3 AND deleted_at IS NULL",
        )
        .bind(hash)
        .bind(now.millis())
        .bind(user_id)
    )?;
    if updated == 0 {
        return Err(StoreError::NotFound);
    }
    delete_sessions(tx, user_id, keep_session_hash).await?;
    expire_password_resets(tx, user_id, now).await?;
    changes::record(tx, Entity::User, user_id).await
}

/// Makes every unused reset link of the user expire now.
async fn expire_password_resets(tx: &mut Tx<'_>, user_id: &str, now: Timestamp) -> StoreResult<()> {
    exec!(
        tx,
        sqlx::query(
            "UPDATE password_resets SET expires_at = $1 WHERE user_id = $2 AND used_at IS NULL AND expires_at > $1",
        )
        .bind(now.millis())
        .bind(user_id)
    )?;
    Ok(())
}

/// Changes the password of `user` (the caller has checked the current one).
/// Every other session ends: all but the one whose cookie token is
/// `keep_session` (the session making the change, if any). The policy is
/// checked again (`Invalid` on field `password`).
pub async fn change_password(db: &Db, user: UserId, new_password: &str, keep_session: Option<&str>) -> StoreResult<()> {
    check_password(new_password)?;
    let hash = hash_off_runtime(new_password).await?;
    let id = user.to_string();
    let keep = keep_session.map(token_hash);
    let now = Timestamp::now();
    db.write(move |tx| Box::pin(async move { set_password(tx, &id, &hash, now, keep.as_deref()).await })).await
}

/// An officer sets a new password for `target`, who came in person (people
/// without e-mail cannot use a reset link). The target's sessions end, the
/// lock is lifted, and `reset_in_person_by/at` are set so the next login
/// tells the account holder (cleared by [`acknowledge_in_person_reset`]).
///
/// Authorization (`Action::ResetMemberPassword`) and the audit entry are
/// the caller's: callers must write the audit log entry for this action.
pub async fn reset_password_in_person(db: &Db, officer: UserId, target: UserId, new_password: &str) -> StoreResult<()> {
    check_password(new_password)?;
    let hash = hash_off_runtime(new_password).await?;
    let (officer, target) = (officer.to_string(), target.to_string());
    let now = Timestamp::now();
    db.write(move |tx| {
        Box::pin(async move {
            set_password(tx, &target, &hash, now, None).await?;
            exec!(
                tx,
                sqlx::query("UPDATE users SET reset_in_person_by = $1, reset_in_person_at = $2 WHERE id = $3")
                    .bind(&officer)
                    .bind(now.millis())
                    .bind(&target)
            )?;
            Ok(())
        })
    })
    .await
}

/// The account holder has seen the notice of an in-person reset.
pub async fn acknowledge_in_person_reset(db: &Db, user: UserId) -> StoreResult<()> {
    let id = user.to_string();
    db.write(move |tx| {
        Box::pin(async move {
            exec!(
                tx,
                sqlx::query(
                    "UPDATE users SET reset_in_person_by = NULL, reset_in_person_at = NULL \
                     WHERE id = $1 AND reset_in_person_at IS NOT NULL",
                )
                .bind(&id)
            )?;
            Ok(())
        })
    })
    .await
}

// ---------------------------------------------------------------- password reset by e-mail

/// Creates a one-time reset token for `user`, valid `ttl_secs`, and in the
/// same transaction queues the [`PASSWORD_RESET_EMAIL`] job that mails the
/// link in `locale`. Earlier unused tokens of the user expire: only the
/// newest link works. Returns the raw token (the caller need not use it;
/// tests do). `NotFound` for a deleted or unknown user.
///
/// Limiting how often someone may ask is the caller's (per address and per
/// account), as is answering the same whether or not the account exists.
pub async fn create_password_reset(db: &Db, user: UserId, locale: &str, ttl_secs: i64) -> StoreResult<String> {
    let raw = random_token();
    let hash = token_hash(&raw);
    let now = Timestamp::now();
    let expires = now.plus_seconds(ttl_secs).millis();
    let payload = PasswordResetEmail { user_id: user, token: raw.clone(), locale: locale.to_owned() };
    db.write(move |tx| {
        Box::pin(async move {
            let id = payload.user_id.to_string();
            expire_password_resets(tx, &id, now).await?;
            let inserted = exec!(
                tx,
                sqlx::query(
                    "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) \
                     SELECT $1, id, $2, $3 FROM users WHERE id = $4 AND deleted_at IS NULL",
                )
                .bind(&hash)
                .bind(now.millis())
                .bind(expires)
                .bind(&id)
            )?;
            if inserted == 0 {
                return Err(StoreError::NotFound);
            }
            // The key holds the hash, never the token: keys are not blanked.
            let job = NewJob::new(PASSWORD_RESET_EMAIL, &payload).once(format!("password_reset:{hash}"));
            jobs::enqueue(tx, &job).await?;
            Ok(())
        })
    })
    .await?;
    Ok(raw)
}

fn reset_state(used_at: Option<i64>, expires_at: i64, now: Timestamp) -> StoreResult<()> {
    if used_at.is_some() {
        Err(StoreError::Invalid(FieldError::new("token", ValidationCode::UsedToken)))
    } else if expires_at <= now.millis() {
        Err(StoreError::Invalid(FieldError::new("token", ValidationCode::ExpiredToken)))
    } else {
        Ok(())
    }
}

/// Whose account a reset token would reset, without using it (to show the
/// new-password form only for a link that works). `NotFound` for an unknown
/// token or a deleted account; `Invalid` on field `token` with
/// [`ValidationCode::UsedToken`] or [`ValidationCode::ExpiredToken`].
pub async fn check_password_reset(db: &Db, raw_token: &str) -> StoreResult<UserId> {
    let row = on_pool!(db, pool => sqlx::query_as::<_, (String, i64, Option<i64>)>(
        "SELECT r.user_id, r.expires_at, r.used_at FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1 AND u.deleted_at IS NULL",
    )
    .bind(token_hash(raw_token))
    .fetch_optional(pool)
    .await)?;
    let (user_id, expires_at, used_at) = row.ok_or(StoreError::NotFound)?;
    reset_state(used_at, expires_at, Timestamp::now())?;
    parse_id(&user_id)
}

/// Uses a reset token to set a new password, atomically: the token is
/// marked used, the password changes, every session of the account ends and
/// other reset links expire. Errors as [`check_password_reset`], plus
/// `Invalid` on field `password` for a password the policy refuses.
pub async fn consume_password_reset(db: &Db, raw_token: &str, new_password: &str) -> StoreResult<UserId> {
    check_password(new_password)?;
    // Refuse bad tokens before spending a hash on them; the transaction
    // checks again, as the token may be used concurrently.
    check_password_reset(db, raw_token).await?;
    let hash = hash_off_runtime(new_password).await?;
    let key = token_hash(raw_token);
    let now = Timestamp::now();
    db.write(move |tx| {
        Box::pin(async move {
            let claimed = on_tx!(tx, conn => sqlx::query_scalar::<_, String>(
                "UPDATE password_resets SET used_at = $1 \
                 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
            )
            .bind(now.millis())
            .bind(&key)
            .fetch_optional(conn)
            .await)?;
            let Some(user_id) = claimed else {
                let row = on_tx!(tx, conn => sqlx::query_as::<_, (i64, Option<i64>)>(
                    "SELECT expires_at, used_at FROM password_resets WHERE token_hash = $1",
                )
                .bind(&key)
                .fetch_optional(conn)
                .await)?;
                let (expires_at, used_at) = row.ok_or(StoreError::NotFound)?;
                reset_state(used_at, expires_at, now)?;
                return Err(StoreError::NotFound);
            };
            set_password(tx, &user_id, &hash, now, None).await?;
            parse_id(&user_id)
        })
    })
    .await
}

// ---------------------------------------------------------------- API tokens

/// Issues a personal access token for the API; returns its id and the
/// token (`jbt_` + 43 base64url characters), shown once and stored only as
/// a hash. `Invalid` on field `name` for an empty or too long name;
/// `NotFound` for a deleted or unknown user.
pub async fn create_api_token(db: &Db, user: UserId, name: &str, scope: TokenScope) -> StoreResult<(TokenId, String)> {
    let name = required_text("name", name, MAX_TOKEN_NAME_CHARS).map_err(StoreError::Invalid)?;
    let id = TokenId::generate();
    let raw = format!("{API_TOKEN_PREFIX}{}", random_token());
    let hash = token_hash(&raw);
    let user_id = user.to_string();
    let token_id = id.to_string();
    let now = Timestamp::now().millis();
    let inserted = db
        .write(move |tx| {
            Box::pin(async move {
                Ok(exec!(
                    tx,
                    sqlx::query(
                        "INSERT INTO api_tokens (id, user_id, name, token_hash, scope, created_at) \
                         SELECT $1, id, $2, $3, $4, $5 FROM users WHERE id = $6 AND deleted_at IS NULL",
                    )
                    .bind(&token_id)
                    .bind(&name)
                    .bind(&hash)
                    .bind(scope.as_str())
                    .bind(now)
                    .bind(&user_id)
                )?)
            })
        })
        .await?;
    if inserted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok((id, raw))
}

/// The account and scope a Bearer token grants; `None` for an unknown or
/// revoked token or a deleted account. Records the use at most once per
/// [`TOUCH_INTERVAL_MS`].
pub async fn authenticate_api_token(db: &Db, raw_token: &str) -> StoreResult<Option<TokenAuth>> {
    if !raw_token.starts_with(API_TOKEN_PREFIX) {
        return Ok(None);
    }
    let row = on_pool!(db, pool => sqlx::query_as::<_, TokenUserRow>(concat!(
        "SELECT ",
        user_columns!(),
        ", t.id AS token_id, t.scope, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.deleted_at IS NULL"
    ))
    .bind(token_hash(raw_token))
    .fetch_optional(pool)
    .await)?;
    let Some(row) = row else { return Ok(None) };
    let now = Timestamp::now();
    if row.last_used_at.is_none_or(|t| now.millis() - t >= TOUCH_INTERVAL_MS) {
        let id = row.token_id.clone();
        db.write(move |tx| {
            Box::pin(async move {
                exec!(
                    tx,
                    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(now.millis()).bind(&id)
                )?;
                Ok(())
            })
        })
        .await?;
    }
    Ok(Some(TokenAuth {
        user: row.user.into_user()?,
        scope: parse_scope(&row.scope)?,
        token_id: parse_id(&row.token_id)?,
    }))
}

/// The account's tokens that still work, newest first.
pub async fn list_api_tokens(db: &Db, user: UserId) -> StoreResult<Vec<ApiToken>> {
    let rows = on_pool!(db, pool => sqlx::query_as::<_, ApiTokenRow>(
        "SELECT id, name, scope, created_at, last_used_at, revoked_at FROM api_tokens \
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
    )
    .bind(user.to_string())
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(ApiTokenRow::into_token).collect()
}

/// Revokes one of the account's own tokens. `NotFound` when the token is
/// not this account's or was already revoked.
pub async fn revoke_api_token(db: &Db, user: UserId, token: TokenId) -> StoreResult<()> {
    let (user, token) = (user.to_string(), token.to_string());
    let now = Timestamp::now().millis();
    let revoked = db
        .write(move |tx| {
            Box::pin(async move {
                Ok(exec!(
                    tx,
                    sqlx::query(
                        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
                    )
                    .bind(now)
                    .bind(&token)
                    .bind(&user)
                )?)
            })
        })
        .await?;
    if revoked == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

// ---------------------------------------------------------------- consents

/// Records, within the caller's transaction, that `user` consented to
/// `purpose` under `notice_version`. Consenting again to the same notice is
/// a no-op; a new notice version adds a row (the history is kept).
/// `NotFound` for a deleted or unknown user.
pub async fn record_consent(tx: &mut Tx<'_>, user: UserId, purpose: &str, notice_version: &str) -> StoreResult<()> {
    let user_id = user.to_string();
    let live = on_tx!(tx, conn => sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM users WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(&user_id)
    .fetch_one(conn)
    .await)?;
    if live == 0 {
        return Err(StoreError::NotFound);
    }
    exec!(
        tx,
        sqlx::query(
            "INSERT INTO consents (id, user_id, purpose, notice_version, granted_at) \
             SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM consents \
               WHERE user_id = $2 AND purpose = $3 AND notice_version = $4 AND withdrawn_at IS NULL)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(&user_id)
        .bind(purpose)
        .bind(notice_version)
        .bind(Timestamp::now().millis())
    )?;
    Ok(())
}

/// [`record_consent`] in a transaction of its own.
pub async fn record_consent_now(db: &Db, user: UserId, purpose: &str, notice_version: &str) -> StoreResult<()> {
    let (purpose, notice_version) = (purpose.to_owned(), notice_version.to_owned());
    db.write(move |tx| Box::pin(async move { record_consent(tx, user, &purpose, &notice_version).await })).await
}

/// Withdraws the account's consents to `purpose`; returns how many were in
/// force. What stops with the consent (e.g. campaign messages) is the
/// caller's to stop; withdrawing [`ACCOUNT_PURPOSE`] means deleting the account.
pub async fn withdraw_consent(db: &Db, user: UserId, purpose: &str) -> StoreResult<u64> {
    let (user, purpose) = (user.to_string(), purpose.to_owned());
    let now = Timestamp::now().millis();
    db.write(move |tx| {
        Box::pin(async move {
            Ok(exec!(
                tx,
                sqlx::query(
                    "UPDATE consents SET withdrawn_at = $1 WHERE user_id = $2 AND purpose = $3 AND withdrawn_at IS NULL",
                )
                .bind(now)
                .bind(&user)
                .bind(&purpose)
            )?)
        })
    })
    .await
}

/// Every consent the account gave, withdrawn ones included, oldest first.
pub async fn list_consents(db: &Db, user: UserId) -> StoreResult<Vec<Consent>> {
    let rows = on_pool!(db, pool => sqlx::query_as::<_, ConsentRow>(
        "SELECT id, purpose, notice_version, granted_at, withdrawn_at FROM consents \
         WHERE user_id = $1 ORDER BY granted_at, id",
    )
    .bind(user.to_string())
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(Consent::from).collect())
}

// ---------------------------------------------------------------- export and erasure

fn time(t: i64) -> serde_json::Value {
    json!(Timestamp(t).to_rfc3339())
}

fn optional_time(t: Option<i64>) -> serde_json::Value {
    t.map(time).unwrap_or(serde_json::Value::Null)
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    id: String,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    created_at: i64,
    updated_at: i64,
    failed_logins: i64,
    locked_until: Option<i64>,
    reset_in_person_at: Option<i64>,
}

/// Everything the accounts tables hold about a live account, as JSON for
/// the holder to download (the right of access under UU 27/2022): the
/// profile, consents, sessions (count and dates), API tokens (names, scope,
/// dates), password resets (dates). Never a hash, token or CSRF value.
/// `NotFound` for a deleted or unknown user.
pub async fn export_user_data(db: &Db, user: UserId) -> StoreResult<serde_json::Value> {
    let id = user.to_string();
    let profile = on_pool!(db, pool => sqlx::query_as::<_, ProfileRow>(
        "SELECT id, name, email, phone, created_at, updated_at, failed_logins, locked_until, reset_in_person_at \
         FROM users WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(&id)
    .fetch_optional(pool)
    .await)?
    .ok_or(StoreError::NotFound)?;
    let consents = list_consents(db, user).await?;
    let sessions = on_pool!(db, pool => sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT created_at, last_seen_at, expires_at FROM sessions WHERE user_id = $1 ORDER BY created_at",
    )
    .bind(&id)
    .fetch_all(pool)
    .await)?;
    let tokens = on_pool!(db, pool => sqlx::query_as::<_, ApiTokenRow>(
        "SELECT id, name, scope, created_at, last_used_at, revoked_at FROM api_tokens \
         WHERE user_id = $1 ORDER BY created_at, id",
    )
    .bind(&id)
    .fetch_all(pool)
    .await)?;
    let resets = on_pool!(db, pool => sqlx::query_as::<_, (i64, i64, Option<i64>)>(
        "SELECT created_at, expires_at, used_at FROM password_resets WHERE user_id = $1 ORDER BY created_at",
    )
    .bind(&id)
    .fetch_all(pool)
    .await)?;

    Ok(json!({
        "format": "jembatan-account-export",
        "version": 1,
        "exported_at": Timestamp::now().to_rfc3339(),
        "account": {
            "id": profile.id,
            "name": profile.name,
            "email": profile.email,
            "phone": profile.phone,
            "created_at": time(profile.created_at),
            "updated_at": time(profile.updated_at),
            "failed_logins": profile.failed_logins,
            "locked_until": optional_time(profile.locked_until),
            "password_reset_in_person_at": optional_time(profile.reset_in_person_at),
        },
        "consents": consents.iter().map(|c| json!({
            "purpose": c.purpose,
            "notice_version": c.notice_version,
            "granted_at": time(c.granted_at.millis()),
            "withdrawn_at": optional_time(c.withdrawn_at.map(Timestamp::millis)),
        })).collect::<Vec<_>>(),
        "sessions": {
            "count": sessions.len(),
            "list": sessions.iter().map(|(created, seen, expires)| json!({
                "created_at": time(*created),
                "last_seen_at": time(*seen),
                "expires_at": time(*expires),
            })).collect::<Vec<_>>(),
        },
        "api_tokens": tokens.iter().map(|t| json!({
            "id": t.id,
            "name": t.name,
            "scope": t.scope,
            "created_at": time(t.created_at),
            "last_used_at": optional_time(t.last_used_at),
            "revoked_at": optional_time(t.revoked_at),
        })).collect::<Vec<_>>(),
        "password_resets": resets.iter().map(|(created, expires, used)| json!({
            "created_at": time(*created),
            "expires_at": time(*expires),
            "used_at": optional_time(*used),
        })).collect::<Vec<_>>(),
    }))
}

/// Deletes an account (the right to erasure under UU 27/2022), in one
/// transaction: name, e-mail, phone and password hash are blanked and
/// `deleted_at` set, keeping the row as a pseudonymous tombstone that other
/// tables (the append-only audit log, rosters) may still point at; sessions,
/// reset tokens and API tokens are deleted; consents in force are marked
/// withdrawn (their history, which holds no personal data, stays as the
/// record of what the processing rested on). Records a change.
///
/// In the same transaction its active roles are revoked and its roster
/// entries removed and blanked (name, phone, consent), each through its
/// module so the audit log records them with the account as actor.
/// `NotFound` for an unknown or already deleted account.
pub async fn delete_account(db: &Db, user: UserId) -> StoreResult<()> {
    let id = user.to_string();
    let now = Timestamp::now().millis();
    db.write(move |tx| {
        Box::pin(async move {
            let blanked = exec!(
                tx,
                sqlx::query(
                    "UPDATE users SET name = NULL, email = NULL, email_key = NULL, phone = NULL, \
                       password_hash = NULL, failed_logins = 0, locked_until = NULL, \
                       reset_in_person_by = NULL, reset_in_person_at = NULL, deleted_at = $1, updated_at = $1 \
                     WHERE id = $2 AND deleted_at IS NULL",
                )
                .bind(now)
                .bind(&id)
            )?;
            if blanked == 0 {
                return Err(StoreError::NotFound);
            }
            for sql in [
                "DELETE FROM sessions WHERE user_id = $1",
                "DELETE FROM password_resets WHERE user_id = $1",
                "DELETE FROM api_tokens WHERE user_id = $1",
            ] {
                exec!(tx, sqlx::query(sql).bind(&id))?;
            }
            exec!(
                tx,
                sqlx::query("UPDATE consents SET withdrawn_at = $1 WHERE user_id = $2 AND withdrawn_at IS NULL")
                    .bind(now)
                    .bind(&id)
            )?;
            // A deleted account holds no roles and sits on no roster; both
            // go through their modules so each step is audited.
            let grant_ids: Vec<String> = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT id FROM role_grants WHERE user_id = $1 AND revoked_at IS NULL",
            )
            .bind(&id)
            .fetch_all(conn)
            .await)?;
            for grant in grant_ids {
                crate::grants::revoke(tx, parse_id(&grant)?, Some(user)).await?;
            }
            let member_ids: Vec<String> = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT id FROM kim_members WHERE user_id = $1",
            )
            .bind(&id)
            .fetch_all(conn)
            .await)?;
            for member in member_ids {
                let member_id = parse_id(&member)?;
                match crate::kims::remove_member(tx, member_id, Some(user)).await {
                    Ok(()) | Err(StoreError::NotFound) => {}
                    Err(e) => return Err(e),
                }
                exec!(
                    tx,
                    sqlx::query(
                        "UPDATE kim_members SET name = '', phone = NULL, phone_public_consent_at = NULL, user_id = NULL \
                         WHERE id = $1",
                    )
                    .bind(&member)
                )?;
            }
            changes::record(tx, Entity::User, &id).await
        })
    })
    .await
}

/// How many accounts exist (deleted ones included): the demo loads its data
/// only into a database with none.
pub async fn count_users(db: &Db) -> StoreResult<i64> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)?)
}
