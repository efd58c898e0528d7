//! Organisations: Diskominfo offices, agencies (OPD) and bodies without
//! accounts (desa/kecamatan offices, BUMD, vertical agencies, state
//! companies); the rows KIMs share with them (KIM details live in
//! [`crate::kims`]); the lookups authorization needs ([`org_ref`]).
//!
//! Invariants:
//! - Every function that changes an organisation takes the acting account
//!   and appends its audit entry in the same transaction ([`crate::audit`]);
//!   there is no way to write one without the other.
//! - Updates are optimistic: the caller passes the `version` the editor saw;
//!   if the row changed since, [`StoreError::Stale`] and nothing is written.
//! - An organisation's kind and region never change; authorization decided
//!   on them stays valid for as long as the row exists.

use std::str::FromStr;

use jembatan_domain::contact::Email;
use jembatan_domain::organisation::{BodyKind, NewOrganisation, OrgKind, OrgProfile, OrgRef, WorkCategory};
use jembatan_domain::{FieldError, OrgId, RegionCode, RegionLevel, Timestamp, UserId, ValidationCode};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, AuditEntry, action};
use crate::changes::{self, Entity};
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::{exec, on_pool, on_tx};

/// An organisation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: OrgId,
    pub kind: OrgKind,
    /// The province or regency an office or agency serves, a body's own
    /// region, the village a KIM serves.
    pub region: RegionCode,
    pub profile: OrgProfile,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Pass back to [`update`] to detect concurrent edits.
    pub version: i64,
}

impl Organisation {
    /// What authorization needs to know about it.
    pub fn org_ref(&self) -> OrgRef {
        OrgRef { id: self.id, kind: self.kind, region: self.region.clone() }
    }
}

/// The columns of `organisations o` that [`OrgRow`] reads.
pub(crate) const ORG_COLUMNS: &str = "o.id, o.kind, o.body_kind, o.name, o.region_code, o.categories, o.description, \
     o.address, o.phone, o.email, o.website, o.created_at, o.updated_at, o.version";

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OrgRow {
    id: String,
    kind: String,
    body_kind: Option<String>,
    name: String,
    region_code: String,
    categories: String,
    description: String,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    created_at: i64,
    updated_at: i64,
    version: i64,
}

impl OrgRow {
    pub(crate) fn into_organisation(self) -> StoreResult<Organisation> {
        let categories = self
            .categories
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| stored(WorkCategory::parse(c), "work category"))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Organisation {
            id: parse_stored(&self.id, "organisation id")?,
            kind: stored(OrgKind::parse(&self.kind), "organisation kind")?,
            region: parse_stored(&self.region_code, "region code")?,
            profile: OrgProfile {
                name: self.name,
                body_kind: self.body_kind.map(|b| stored(BodyKind::parse(&b), "body kind")).transpose()?,
                categories,
                description: self.description,
                address: self.address,
                phone: self.phone,
                email: self.email.map(Email::from_stored),
                website: self.website,
            },
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
            version: self.version,
        })
    }
}

/// A stored value that should always decode; a failure means the database
/// was edited by hand, which is an internal error, not a panic.
pub(crate) fn stored<T>(value: Option<T>, what: &str) -> StoreResult<T> {
    value.ok_or_else(|| StoreError::Internal(format!("stored {what} does not decode")))
}

/// Parses a stored id or code.
pub(crate) fn parse_stored<T: FromStr>(text: &str, what: &str) -> StoreResult<T> {
    stored(text.parse().ok(), what)
}

/// Parses an optional stored id.
pub(crate) fn parse_stored_opt<T: FromStr>(text: Option<&str>, what: &str) -> StoreResult<Option<T>> {
    text.map(|t| parse_stored(t, what)).transpose()
}

/// Checks within the transaction that a region exists, reported as `field`
/// the way [`crate::regions::require`] reports it.
pub(crate) async fn require_region(tx: &mut Tx<'_>, field: &str, code: &RegionCode) -> StoreResult<()> {
    let found: Option<(String,)> = on_tx!(tx, conn => sqlx::query_as("SELECT code FROM regions WHERE code = $1")
        .bind(code.as_str())
        .fetch_optional(conn)
        .await)?;
    match found {
        Some(_) => Ok(()),
        None => Err(StoreError::Invalid(FieldError::new(field, ValidationCode::UnknownRegion))),
    }
}

/// Checks within the transaction that an account exists and is not deleted.
pub(crate) async fn user_exists(tx: &mut Tx<'_>, user: UserId) -> StoreResult<bool> {
    let sql = "SELECT id FROM users WHERE id = $1 AND deleted_at IS NULL";
    let found: Option<(String,)> =
        on_tx!(tx, conn => sqlx::query_as(sql).bind(user.to_string()).fetch_optional(conn).await)?;
    Ok(found.is_some())
}

/// Arguments of a query assembled at run time, bound in order.
#[derive(Debug, Default)]
pub(crate) struct Args(pub(crate) Vec<Arg>);

#[derive(Debug)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
}

impl Args {
    /// Adds a text argument and returns its placeholder.
    pub(crate) fn text(&mut self, value: impl Into<String>) -> String {
        self.0.push(Arg::Text(value.into()));
        format!("${}", self.0.len())
    }

    /// Adds text arguments and returns their placeholders for an `IN`
    /// list (`$1, $2, $3`), or `NULL` when there are none (`x IN (NULL)`
    /// matches nothing).
    pub(crate) fn texts<T: Into<String>>(&mut self, values: impl IntoIterator<Item = T>) -> String {
        let placeholders: Vec<String> = values.into_iter().map(|value| self.text(value)).collect();
        if placeholders.is_empty() { "NULL".to_owned() } else { placeholders.join(", ") }
    }

    /// Adds an integer argument and returns its placeholder.
    pub(crate) fn int(&mut self, value: i64) -> String {
        self.0.push(Arg::Int(value));
        format!("${}", self.0.len())
    }

    /// A condition that `region_col` lies within `within` (the region itself
    /// or any below it). With the table's `regency_col`, queries at regency
    /// level and below use it, so they read one regency's rows through its
    /// index instead of matching every code by prefix.
    pub(crate) fn within(&mut self, region_col: &str, regency_col: Option<&str>, within: &RegionCode) -> String {
        let code = within.as_str();
        match (regency_col, within.level()) {
            (Some(regency_col), RegionLevel::Regency) => format!("{regency_col} = {}", self.text(code)),
            (Some(regency_col), RegionLevel::District | RegionLevel::Village) => {
                let regency = within.regency().map(String::from).unwrap_or_default();
                format!(
                    "({regency_col} = {} AND ({region_col} = {} OR {region_col} LIKE {}))",
                    self.text(regency),
                    self.text(code),
                    self.text(format!("{code}.%"))
                )
            }
            _ => {
                format!("({region_col} = {} OR {region_col} LIKE {})", self.text(code), self.text(format!("{code}.%")))
            }
        }
    }
}

/// Binds every argument of an [`Args`] to a query, in order.
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for arg in &$args.0 {
            query = match arg {
                $crate::organisations::Arg::Text(s) => query.bind(s.clone()),
                $crate::organisations::Arg::Int(i) => query.bind(*i),
            };
        }
        query
    }};
}
pub(crate) use bind_args;

/// The non-personal view of an organisation the audit log keeps. Office
/// contacts are left out too: the log records that they changed, not what
/// they are.
fn audit_view(org: &Organisation) -> serde_json::Value {
    json!({
        "kind": org.kind.as_str(),
        "region": org.region.as_str(),
        "name": org.profile.name,
        "body_kind": org.profile.body_kind.map(BodyKind::as_str),
        "categories": org.profile.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "version": org.version,
    })
}

/// The names of the profile fields that differ, for the audit log.
pub(crate) fn changed_fields(before: &OrgProfile, after: &OrgProfile) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut check = |name, differs: bool| {
        if differs {
            changed.push(name);
        }
    };
    check("name", before.name != after.name);
    check("body_kind", before.body_kind != after.body_kind);
    check("categories", before.categories != after.categories);
    check("description", before.description != after.description);
    check("address", before.address != after.address);
    check("phone", before.phone != after.phone);
    check("email", before.email != after.email);
    check("website", before.website != after.website);
    changed
}

fn categories_text(categories: &[WorkCategory]) -> String {
    categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")
}

/// Inserts the `organisations` row of a new organisation of any kind.
pub(crate) async fn insert_row(
    tx: &mut Tx<'_>,
    id: OrgId,
    kind: OrgKind,
    region: &RegionCode,
    profile: &OrgProfile,
    now: Timestamp,
) -> StoreResult<()> {
    exec!(
        tx,
        sqlx::query(
            "INSERT INTO organisations (id, kind, body_kind, name, region_code, regency_code, categories, description, \
             address, phone, email, website, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, 1)",
        )
        .bind(id.to_string())
        .bind(kind.as_str())
        .bind(profile.body_kind.map(BodyKind::as_str))
        .bind(&profile.name)
        .bind(region.as_str())
        .bind(region.regency().map(String::from))
        .bind(categories_text(&profile.categories))
        .bind(&profile.description)
        .bind(profile.address.as_deref())
        .bind(profile.phone.as_deref())
        .bind(profile.email.as_ref().map(Email::as_str))
        .bind(profile.website.as_deref())
        .bind(now.millis())
    )?;
    Ok(())
}

/// Checks what the domain's form checked, for values built by hand: the
/// kind is not a KIM and the region's level suits the kind.
fn check_kind_and_level(kind: OrgKind, body_kind: Option<BodyKind>, region: &RegionCode) -> StoreResult<()> {
    if kind == OrgKind::Kim {
        return Err(StoreError::Invalid(FieldError::new("kind", ValidationCode::InvalidChoice)));
    }
    if (kind == OrgKind::Body) != body_kind.is_some() {
        return Err(StoreError::Invalid(FieldError::new("body_kind", ValidationCode::InvalidChoice)));
    }
    if !kind.region_levels(body_kind).contains(&region.level()) {
        return Err(StoreError::Invalid(FieldError::new("region", ValidationCode::WrongRegionLevel)));
    }
    Ok(())
}

/// Creates an organisation that is not a KIM (KIMs: [`crate::kims::register`]).
/// An unknown region is refused as `Invalid` on `region`.
pub async fn create(tx: &mut Tx<'_>, new: &NewOrganisation, actor: Option<UserId>) -> StoreResult<Organisation> {
    check_kind_and_level(new.kind, new.profile.body_kind, &new.region)?;
    require_region(tx, "region", &new.region).await?;
    let id = OrgId::generate();
    let now = Timestamp::now();
    insert_row(tx, id, new.kind, &new.region, &new.profile, now).await?;
    let org = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    audit::append(
        tx,
        &AuditEntry {
            actor,
            action: action::ORGANISATION_CREATE,
            target_kind: "organisation",
            target_id: id.to_string(),
            scope_region: org.region.clone(),
            before: None,
            after: Some(audit_view(&org)),
        },
    )
    .await?;
    changes::record(tx, Entity::Organisation, &id.to_string()).await?;
    Ok(org)
}

/// Reads an organisation within a transaction.
pub(crate) async fn get_tx(tx: &mut Tx<'_>, id: OrgId) -> StoreResult<Option<Organisation>> {
    let sql = format!("SELECT {ORG_COLUMNS} FROM organisations o WHERE o.id = $1");
    let row = on_tx!(tx, conn => sqlx::query_as::<_, OrgRow>(&sql).bind(id.to_string()).fetch_optional(conn).await)?;
    row.map(OrgRow::into_organisation).transpose()
}

/// An organisation by id.
pub async fn get(db: &Db, id: OrgId) -> StoreResult<Option<Organisation>> {
    let sql = format!("SELECT {ORG_COLUMNS} FROM organisations o WHERE o.id = $1");
    let row = on_pool!(db, pool => sqlx::query_as::<_, OrgRow>(&sql).bind(id.to_string()).fetch_optional(pool).await)?;
    row.map(OrgRow::into_organisation).transpose()
}

/// Replaces the profile of an organisation that is not a KIM (KIMs:
/// [`crate::kims::update`]), if its version is still `version`; otherwise
/// [`StoreError::Stale`] and nothing is written. Returns the updated row.
pub async fn update(
    tx: &mut Tx<'_>,
    id: OrgId,
    version: i64,
    profile: &OrgProfile,
    actor: Option<UserId>,
) -> StoreResult<Organisation> {
    let before = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    check_kind_and_level(before.kind, profile.body_kind, &before.region)?;
    if before.version != version {
        return Err(StoreError::Stale);
    }
    let now = Timestamp::now();
    let updated = exec!(
        tx,
        sqlx::query(
            "UPDATE organisations SET name = $1, body_kind = $2, categories = $3, description = $4, address = $5, \
             phone = $6, email = $7, website = $8, updated_at = $9, version = version + 1 \
             WHERE id = $10 AND version = $11",
        )
        .bind(&profile.name)
        .bind(profile.body_kind.map(BodyKind::as_str))
        .bind(categories_text(&profile.categories))
        .bind(&profile.description)
        .bind(profile.address.as_deref())
        .bind(profile.phone.as_deref())
        .bind(profile.email.as_ref().map(Email::as_str))
        .bind(profile.website.as_deref())
        .bind(now.millis())
        .bind(id.to_string())
        .bind(version)
    )?;
    if updated == 0 {
        return Err(StoreError::Stale);
    }
    let after = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    let mut after_view = audit_view(&after);
    after_view["changed"] = json!(changed_fields(&before.profile, &after.profile));
    audit::append(
        tx,
        &AuditEntry {
            actor,
            action: action::ORGANISATION_UPDATE,
            target_kind: "organisation",
            target_id: id.to_string(),
            scope_region: after.region.clone(),
            before: Some(audit_view(&before)),
            after: Some(after_view),
        },
    )
    .await?;
    changes::record(tx, Entity::Organisation, &id.to_string()).await?;
    Ok(after)
}

/// Organisations of `kind` (any kind but KIMs when `None`; KIMs have
/// [`crate::kims::list`]) in `within` or any region below it, by name.
pub async fn list(db: &Db, kind: Option<OrgKind>, within: &RegionCode) -> StoreResult<Vec<Organisation>> {
    let mut args = Args::default();
    let kind_clause = match kind {
        Some(kind) => format!("o.kind = {}", args.text(kind.as_str())),
        None => "o.kind <> 'kim'".to_owned(),
    };
    let within_clause = args.within("o.region_code", Some("o.regency_code"), within);
    let sql = format!(
        "SELECT {ORG_COLUMNS} FROM organisations o WHERE {kind_clause} AND {within_clause} \
         ORDER BY length(o.region_code), o.name, o.id"
    );
    let rows = on_pool!(db, pool => bind_args!(sqlx::query_as::<_, OrgRow>(&sql), args).fetch_all(pool).await)?;
    rows.into_iter().map(OrgRow::into_organisation).collect()
}

const ORG_REF_SQL: &str = "SELECT kind, region_code FROM organisations WHERE id = $1";

/// What authorization needs to know about an organisation; `NotFound` when
/// there is none with this id.
pub async fn org_ref(db: &Db, id: OrgId) -> StoreResult<OrgRef> {
    let row: Option<(String, String)> =
        on_pool!(db, pool => sqlx::query_as(ORG_REF_SQL).bind(id.to_string()).fetch_optional(pool).await)?;
    let (kind, region) = row.ok_or(StoreError::NotFound)?;
    Ok(OrgRef {
        id,
        kind: stored(OrgKind::parse(&kind), "organisation kind")?,
        region: parse_stored(&region, "region")?,
    })
}

/// [`org_ref`] within a transaction.
pub(crate) async fn org_ref_tx(tx: &mut Tx<'_>, id: OrgId) -> StoreResult<Option<OrgRef>> {
    let row: Option<(String, String)> =
        on_tx!(tx, conn => sqlx::query_as(ORG_REF_SQL).bind(id.to_string()).fetch_optional(conn).await)?;
    row.map(|(kind, region)| {
        Ok(OrgRef {
            id,
            kind: stored(OrgKind::parse(&kind), "organisation kind")?,
            region: parse_stored(&region, "region")?,
        })
    })
    .transpose()
}

/// Organisations named exactly `name` (names repeat across regencies:
/// every regency has a Dinas Kesehatan), by region; for the demo and the CLI.
pub async fn find_by_name(db: &Db, name: &str) -> StoreResult<Vec<Organisation>> {
    let sql = format!("SELECT {ORG_COLUMNS} FROM organisations o WHERE o.name = $1 ORDER BY o.region_code, o.id");
    let rows = on_pool!(db, pool => sqlx::query_as::<_, OrgRow>(&sql).bind(name.trim()).fetch_all(pool).await)?;
    rows.into_iter().map(OrgRow::into_organisation).collect()
}
