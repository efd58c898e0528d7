//! Role grants: which account holds which role within which scope (a
//! region or an organisation); granting, revoking, and the lookups the web
//! layer makes on every request ([`grants_of_user`]) and on admin pages.
//!
//! Invariants:
//! - A grant is stored only when the role accepts the scope
//!   ([`Role::accepts`]) as the scope is *stored*: an organisation scope is
//!   re-read in the transaction, so a forged kind or region cannot pass.
//! - At most one active grant per account, role and scope (a unique index).
//! - [`grant`] and [`revoke`] append their audit entry in the same
//!   transaction; revoked grants stay as history (`revoked_at`).
//! - Each grant or revoke records a change of [`Entity::Grant`] whose id is
//!   the *account's* id: what caches of [`grants_of_user`] are keyed by.

use jembatan_domain::organisation::OrgKind;
use jembatan_domain::role::{Grant, Role, Scope, ScopeRef};
use jembatan_domain::{FieldError, GrantId, OrgId, RegionCode, Timestamp, UserId, ValidationCode};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, AuditEntry, action};
use crate::changes::{self, Entity};
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::organisations::{self, Args, bind_args, parse_stored, parse_stored_opt, stored};
use crate::{exec, on_pool, on_tx};

/// A grant with who holds it and who gave it, for admin pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantRecord {
    pub grant: Grant,
    pub user: UserId,
    /// The holder's display name (`None` once the account is deleted).
    pub user_name: Option<String>,
    /// `None` when granted by the system (the CLI's first admin).
    pub granted_by: Option<UserId>,
    pub granted_at: Timestamp,
}

/// The columns [`GrantRow`] reads, from `role_grants g` joined with
/// `organisations o` on the scope and `users u` on the holder.
const COLUMNS: &str = "g.id, g.role, g.scope_region, g.scope_org, o.kind AS org_kind, o.region_code AS org_region, \
     g.user_id, u.name AS user_name, g.granted_by, g.granted_at";
const FROM: &str =
    "role_grants g LEFT JOIN organisations o ON o.id = g.scope_org LEFT JOIN users u ON u.id = g.user_id";

#[derive(sqlx::FromRow)]
struct GrantRow {
    id: String,
    role: String,
    scope_region: Option<String>,
    scope_org: Option<String>,
    org_kind: Option<String>,
    org_region: Option<String>,
    user_id: String,
    user_name: Option<String>,
    granted_by: Option<String>,
    granted_at: i64,
}

impl GrantRow {
    /// The domain grant; `None` for a role this build does not know (a
    /// newer version wrote it), which then grants nothing.
    fn grant(&self) -> StoreResult<Option<Grant>> {
        let Some(role) = Role::parse(&self.role) else { return Ok(None) };
        let scope = match (&self.scope_region, &self.scope_org) {
            (Some(region), _) => Scope::Region(parse_stored(region, "region")?),
            (None, Some(org)) => Scope::Organisation(jembatan_domain::organisation::OrgRef {
                id: parse_stored(org, "organisation id")?,
                kind: stored(self.org_kind.as_deref().and_then(OrgKind::parse), "organisation kind")?,
                region: parse_stored(self.org_region.as_deref().unwrap_or_default(), "region")?,
            }),
            (None, None) => return Err(StoreError::Internal("a grant without a scope".into())),
        };
        Ok(Some(Grant { id: parse_stored(&self.id, "grant id")?, role, scope }))
    }

    fn into_record(self) -> StoreResult<Option<GrantRecord>> {
        let Some(grant) = self.grant()? else { return Ok(None) };
        Ok(Some(GrantRecord {
            grant,
            user: parse_stored(&self.user_id, "user id")?,
            user_name: self.user_name,
            granted_by: parse_stored_opt(self.granted_by.as_deref(), "user id")?,
            granted_at: Timestamp(self.granted_at),
        }))
    }
}

fn records(rows: Vec<GrantRow>) -> StoreResult<Vec<GrantRecord>> {
    Ok(rows.into_iter().map(GrantRow::into_record).collect::<StoreResult<Vec<_>>>()?.into_iter().flatten().collect())
}

/// A scope as the audit log keeps it.
fn scope_json(scope: &Scope) -> serde_json::Value {
    match scope {
        Scope::Region(r) => json!({ "region": r.as_str() }),
        Scope::Organisation(o) => json!({ "organisation": o.id, "kind": o.kind.as_str(), "region": o.region.as_str() }),
    }
}

/// Looks a scope up within the transaction: the region must exist; an
/// organisation is re-read so its stored kind and region are used.
async fn stored_scope(tx: &mut Tx<'_>, scope: &ScopeRef) -> StoreResult<Scope> {
    match scope {
        ScopeRef::Region(code) => {
            organisations::require_region(tx, "scope", code).await?;
            Ok(Scope::Region(code.clone()))
        }
        ScopeRef::Organisation(id) => organisations::org_ref_tx(tx, *id)
            .await?
            .map(Scope::Organisation)
            .ok_or_else(|| StoreError::Invalid(FieldError::new("scope", ValidationCode::InvalidChoice))),
    }
}

/// Grants `role` to `user` within `scope`. Refused as `Invalid` on `scope`
/// when the role does not take that scope (a regency officer on a KIM) or
/// the scope does not exist; `NotFound` for an unknown or deleted account;
/// `Conflict("grant")` when the account already holds it there.
pub async fn grant(
    tx: &mut Tx<'_>,
    user: UserId,
    role: Role,
    scope: &Scope,
    granted_by: Option<UserId>,
) -> StoreResult<Grant> {
    let scope = stored_scope(tx, &scope.to_ref()).await?;
    if !role.accepts(&scope) {
        return Err(StoreError::Invalid(FieldError::new("scope", ValidationCode::InvalidChoice)));
    }
    if !organisations::user_exists(tx, user).await? {
        return Err(StoreError::NotFound);
    }
    let id = GrantId::generate();
    let (scope_region, scope_org) = match &scope {
        Scope::Region(r) => (Some(r.as_str().to_owned()), None),
        Scope::Organisation(o) => (None, Some(o.id.to_string())),
    };
    exec!(
        tx,
        sqlx::query(
            "INSERT INTO role_grants (id, user_id, role, scope_region, scope_org, granted_by, granted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.to_string())
        .bind(user.to_string())
        .bind(role.as_str())
        .bind(scope_region)
        .bind(scope_org)
        .bind(granted_by.map(|u| u.to_string()))
        .bind(Timestamp::now().millis())
    )
    .map_err(|e| StoreError::from(e).on_unique("grant"))?;
    audit::append(
        tx,
        &AuditEntry {
            actor: granted_by,
            action: action::ROLE_GRANT,
            target_kind: "user",
            target_id: user.to_string(),
            scope_region: scope.region().clone(),
            before: None,
            after: Some(json!({ "grant_id": id, "role": role.as_str(), "scope": scope_json(&scope) })),
        },
    )
    .await?;
    changes::record(tx, Entity::Grant, &user.to_string()).await?;
    Ok(Grant { id, role, scope })
}

/// Revokes an active grant; `NotFound` when there is none with this id or
/// it was already revoked. Returns what was revoked.
pub async fn revoke(tx: &mut Tx<'_>, grant: GrantId, revoked_by: Option<UserId>) -> StoreResult<GrantRecord> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE g.id = $1 AND g.revoked_at IS NULL");
    let row =
        on_tx!(tx, conn => sqlx::query_as::<_, GrantRow>(&sql).bind(grant.to_string()).fetch_optional(conn).await)?;
    let record = row.map(GrantRow::into_record).transpose()?.flatten().ok_or(StoreError::NotFound)?;
    let revoked = exec!(
        tx,
        sqlx::query("UPDATE role_grants SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL")
            .bind(Timestamp::now().millis())
            .bind(revoked_by.map(|u| u.to_string()))
            .bind(grant.to_string())
    )?;
    if revoked == 0 {
        return Err(StoreError::NotFound);
    }
    let scope = &record.grant.scope;
    audit::append(
        tx,
        &AuditEntry {
            actor: revoked_by,
            action: action::ROLE_REVOKE,
            target_kind: "user",
            target_id: record.user.to_string(),
            scope_region: scope.region().clone(),
            before: Some(json!({ "grant_id": grant, "role": record.grant.role.as_str(), "scope": scope_json(scope) })),
            after: None,
        },
    )
    .await?;
    changes::record(tx, Entity::Grant, &record.user.to_string()).await?;
    Ok(record)
}

/// An active grant by id, with its holder: what the web layer checks
/// [`jembatan_domain::authz::Action::RevokeRole`] against.
pub async fn get(db: &Db, grant: GrantId) -> StoreResult<Option<GrantRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE g.id = $1 AND g.revoked_at IS NULL");
    let row =
        on_pool!(db, pool => sqlx::query_as::<_, GrantRow>(&sql).bind(grant.to_string()).fetch_optional(pool).await)?;
    Ok(row.map(GrantRow::into_record).transpose()?.flatten())
}

/// The active grants of an account, organisation scopes resolved; one
/// query, as it runs on every logged-in request.
pub async fn grants_of_user(db: &Db, user: UserId) -> StoreResult<Vec<Grant>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE g.user_id = $1 AND g.revoked_at IS NULL ORDER BY g.granted_at, g.id"
    );
    let rows = on_pool!(db, pool => sqlx::query_as::<_, GrantRow>(&sql).bind(user.to_string()).fetch_all(pool).await)?;
    Ok(records(rows)?.into_iter().map(|r| r.grant).collect())
}

/// The active grants whose scope lies within `region` (region scopes at or
/// below it, organisation scopes whose organisation does), for the admin
/// page of that region; by scope, role and age.
pub async fn list_within(db: &Db, region: &RegionCode) -> StoreResult<Vec<GrantRecord>> {
    let mut args = Args::default();
    let by_region = args.within("g.scope_region", None, region);
    let by_org = args.within("o.region_code", Some("o.regency_code"), region);
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE g.revoked_at IS NULL AND ({by_region} OR {by_org}) \
         ORDER BY COALESCE(g.scope_region, o.region_code), g.role, g.granted_at, g.id"
    );
    let rows = on_pool!(db, pool => bind_args!(sqlx::query_as::<_, GrantRow>(&sql), args).fetch_all(pool).await)?;
    records(rows)
}

/// The accounts (not deleted) holding `role` for the region `scope`, read
/// in the caller's transaction.
pub(crate) async fn holders_tx(tx: &mut Tx<'_>, role: Role, scope: &RegionCode) -> StoreResult<Vec<UserId>> {
    let ids: Vec<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id \
         WHERE g.role = $1 AND g.scope_region = $2 AND g.revoked_at IS NULL AND u.deleted_at IS NULL \
         ORDER BY g.granted_at, g.user_id",
    )
    .bind(role.as_str())
    .bind(scope.as_str())
    .fetch_all(conn)
    .await)?;
    ids.iter().map(|id| parse_stored(id, "user id")).collect()
}

/// The accounts (not deleted) holding `role` exactly in `scope`.
pub async fn holders(db: &Db, role: Role, scope: &Scope) -> StoreResult<Vec<UserId>> {
    let (column, value) = match scope {
        Scope::Region(r) => ("g.scope_region", r.as_str().to_owned()),
        Scope::Organisation(o) => ("g.scope_org", o.id.to_string()),
    };
    let sql = format!(
        "SELECT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id \
         WHERE g.role = $1 AND {column} = $2 AND g.revoked_at IS NULL AND u.deleted_at IS NULL \
         ORDER BY g.granted_at, g.user_id"
    );
    let ids: Vec<String> = on_pool!(db, pool => sqlx::query_scalar(&sql)
        .bind(role.as_str())
        .bind(value)
        .fetch_all(pool)
        .await)?;
    ids.iter().map(|id| parse_stored(id, "user id")).collect()
}

/// The accounts to notify about something in KIM `kim` of regency
/// `regency`: the KIM's managers and the regency's officers, each once.
pub(crate) async fn kim_overseers(tx: &mut Tx<'_>, kim: OrgId, regency: &RegionCode) -> StoreResult<Vec<UserId>> {
    let ids: Vec<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT DISTINCT g.user_id FROM role_grants g JOIN users u ON u.id = g.user_id \
         WHERE g.revoked_at IS NULL AND u.deleted_at IS NULL \
           AND ((g.role = 'kim_manager' AND g.scope_org = $1) OR (g.role = 'regency_officer' AND g.scope_region = $2)) \
         ORDER BY g.user_id",
    )
    .bind(kim.to_string())
    .bind(regency.as_str())
    .fetch_all(conn)
    .await)?;
    ids.iter().map(|id| parse_stored(id, "user id")).collect()
}

/// Looks up a typed scope: a stored region, or an organisation by id.
/// Unknown ones are `Invalid` on `scope`.
pub async fn resolve_scope(db: &Db, scope: &ScopeRef) -> StoreResult<Scope> {
    match scope {
        ScopeRef::Region(code) => {
            crate::regions::require(db, "scope", code).await?;
            Ok(Scope::Region(code.clone()))
        }
        ScopeRef::Organisation(id) => match organisations::org_ref(db, *id).await {
            Ok(org) => Ok(Scope::Organisation(org)),
            Err(StoreError::NotFound) => {
                Err(StoreError::Invalid(FieldError::new("scope", ValidationCode::InvalidChoice)))
            }
            Err(e) => Err(e),
        },
    }
}

/// Parses and looks up the CLI's `--scope`: a region code (`35.23`) or an
/// organisation's id.
pub async fn parse_scope(db: &Db, raw: &str) -> StoreResult<Scope> {
    let scope = ScopeRef::parse("scope", raw).map_err(StoreError::Invalid)?;
    resolve_scope(db, &scope).await
}
