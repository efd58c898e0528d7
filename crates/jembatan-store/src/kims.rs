//! KIMs: registration and verification by the regency, details and SK,
//! lifecycle status, the roster of members (with or without accounts), the
//! public profile and lists per region, and the scheduled SK expiry scan.
//!
//! Invariants:
//! - A KIM is an `organisations` row of kind `kim` plus its `kims` row,
//!   written together; its region is the village it serves.
//! - Every privileged change (register, verify, update, status, roster,
//!   consent) takes the actor and appends its audit entry in the same
//!   transaction; entries hold member ids and positions, never names or phones.
//! - A member's phone number leaves the database for a public page only when
//!   the member's consent is recorded: the public query itself withholds it.
//!   Changing the number withdraws the consent given for the old one.
//! - A registered or active KIM holds an SK ([`check_status_sk`]).

use chrono::{Days, NaiveDate};
use jembatan_domain::contact::{Email, PhoneNumber};
use jembatan_domain::kim::{KimChannels, KimDetails, NewKim, NewMember, Sk, check_status_sk, format_date};
use jembatan_domain::organisation::{
    KimPosition, KimStatus, OrgKind, OrgProfile, OrgRef, SK_EXPIRY_WARNING_DAYS, SkValidity,
};
use jembatan_domain::{FieldError, MemberId, OrgId, RegionCode, Timestamp, UserId, ValidationCode};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, AuditEntry, action};
use crate::changes::{self, Entity};
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::jobs::{self, NewJob};
use crate::notifications::{self, NewNotification};
use crate::organisations::{
    self, Args, ORG_COLUMNS, OrgRow, Organisation, bind_args, parse_stored, parse_stored_opt, stored,
};
use crate::{exec, grants, on_pool, on_tx};

/// A KIM as stored: its organisation row and its KIM details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kim {
    /// Name, village (`org.region`), description, address, e-mail, version.
    pub org: Organisation,
    pub status: KimStatus,
    pub sk: Option<Sk>,
    pub kim_id_url: Option<String>,
    pub channels: KimChannels,
    pub registered_by: Option<UserId>,
    pub verified_at: Option<Timestamp>,
    pub verified_by: Option<UserId>,
}

impl Kim {
    pub fn id(&self) -> OrgId {
        self.org.id
    }

    /// The village the KIM serves.
    pub fn village(&self) -> &RegionCode {
        &self.org.region
    }

    /// Verified: registered (or later confirmed) by its regency's officer
    /// or a province admin.
    pub fn is_verified(&self) -> bool {
        self.verified_at.is_some()
    }

    /// Where its SK stands on `today`.
    pub fn sk_validity(&self, today: NaiveDate) -> SkValidity {
        SkValidity::on_day(self.sk.is_some(), self.sk.as_ref().and_then(|sk| sk.expires), today)
    }

    /// The editable details, as [`update`] takes them (to pre-fill a form).
    pub fn details(&self) -> KimDetails {
        KimDetails {
            name: self.org.profile.name.clone(),
            description: self.org.profile.description.clone(),
            address: self.org.profile.address.clone(),
            email: self.org.profile.email.clone(),
            sk: self.sk.clone(),
            kim_id_url: self.kim_id_url.clone(),
            channels: self.channels.clone(),
        }
    }
}

const KIM_COLUMNS: &str = "k.status, k.sk_number, k.sk_issuer, k.sk_date, k.sk_expires, k.kim_id_url, k.whatsapp, \
     k.instagram, k.facebook, k.youtube, k.registered_by, k.verified_at, k.verified_by";
const KIM_FROM: &str = "organisations o JOIN kims k ON k.org_id = o.id";

#[derive(sqlx::FromRow)]
struct KimRow {
    #[sqlx(flatten)]
    org: OrgRow,
    status: String,
    sk_number: Option<String>,
    sk_issuer: Option<String>,
    sk_date: Option<String>,
    sk_expires: Option<String>,
    kim_id_url: Option<String>,
    whatsapp: Option<String>,
    instagram: Option<String>,
    facebook: Option<String>,
    youtube: Option<String>,
    registered_by: Option<String>,
    verified_at: Option<i64>,
    verified_by: Option<String>,
}

fn parse_date(text: &str) -> StoreResult<NaiveDate> {
    stored(jembatan_domain::kim::parse_date("date", text).ok(), "date")
}

impl KimRow {
    fn into_kim(self) -> StoreResult<Kim> {
        let sk = match (self.sk_number, self.sk_issuer, self.sk_date) {
            (Some(number), Some(issuer), Some(date)) => Some(Sk {
                number,
                issuer,
                date: parse_date(&date)?,
                expires: self.sk_expires.as_deref().map(parse_date).transpose()?,
            }),
            _ => None,
        };
        Ok(Kim {
            org: self.org.into_organisation()?,
            status: stored(KimStatus::parse(&self.status), "KIM status")?,
            sk,
            kim_id_url: self.kim_id_url,
            channels: KimChannels {
                whatsapp: self.whatsapp.map(PhoneNumber::from_stored),
                instagram: self.instagram,
                facebook: self.facebook,
                youtube: self.youtube,
            },
            registered_by: parse_stored_opt(self.registered_by.as_deref(), "user id")?,
            verified_at: self.verified_at.map(Timestamp),
            verified_by: parse_stored_opt(self.verified_by.as_deref(), "user id")?,
        })
    }
}

/// A KIM within a transaction.
async fn get_tx(tx: &mut Tx<'_>, kim: OrgId) -> StoreResult<Option<Kim>> {
    let sql = format!("SELECT {ORG_COLUMNS}, {KIM_COLUMNS} FROM {KIM_FROM} WHERE o.id = $1");
    let row = on_tx!(tx, conn => sqlx::query_as::<_, KimRow>(&sql).bind(kim.to_string()).fetch_optional(conn).await)?;
    row.map(KimRow::into_kim).transpose()
}

/// A KIM by id (`None` for an unknown id or an organisation that is not a KIM).
pub async fn get(db: &Db, kim: OrgId) -> StoreResult<Option<Kim>> {
    let sql = format!("SELECT {ORG_COLUMNS}, {KIM_COLUMNS} FROM {KIM_FROM} WHERE o.id = $1");
    let row = on_pool!(db, pool => sqlx::query_as::<_, KimRow>(&sql).bind(kim.to_string()).fetch_optional(pool).await)?;
    row.map(KimRow::into_kim).transpose()
}

/// The non-personal view of a KIM the audit log keeps.
fn audit_view(kim: &Kim) -> serde_json::Value {
    json!({
        "name": kim.org.profile.name,
        "village": kim.village().as_str(),
        "status": kim.status.as_str(),
        "sk_number": kim.sk.as_ref().map(|sk| sk.number.as_str()),
        "sk_expires": kim.sk.as_ref().and_then(|sk| sk.expires).map(format_date),
        "kim_id_url": kim.kim_id_url,
        "verified": kim.is_verified(),
        "version": kim.org.version,
    })
}

fn kim_entry(
    actor: Option<UserId>,
    action: &'static str,
    kim: &Kim,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditEntry {
    AuditEntry {
        actor,
        action,
        target_kind: "organisation",
        target_id: kim.id().to_string(),
        scope_region: kim.village().clone(),
        before,
        after,
    }
}

/// The organisation-row part of a KIM's details.
fn org_profile(details: &KimDetails) -> OrgProfile {
    OrgProfile {
        name: details.name.clone(),
        body_kind: None,
        categories: Vec::new(),
        description: details.description.clone(),
        address: details.address.clone(),
        phone: None,
        email: details.email.clone(),
        website: None,
    }
}

/// Writes the `kims` columns that [`KimDetails`] holds.
async fn write_kim_details(tx: &mut Tx<'_>, kim: OrgId, details: &KimDetails) -> StoreResult<()> {
    let sk = details.sk.as_ref();
    exec!(
        tx,
        sqlx::query(
            "UPDATE kims SET sk_number = $1, sk_issuer = $2, sk_date = $3, sk_expires = $4, kim_id_url = $5, \
             whatsapp = $6, instagram = $7, facebook = $8, youtube = $9 WHERE org_id = $10",
        )
        .bind(sk.map(|sk| sk.number.clone()))
        .bind(sk.map(|sk| sk.issuer.clone()))
        .bind(sk.map(|sk| format_date(sk.date)))
        .bind(sk.and_then(|sk| sk.expires).map(format_date))
        .bind(details.kim_id_url.as_deref())
        .bind(details.channels.whatsapp.as_ref().map(PhoneNumber::as_str))
        .bind(details.channels.instagram.as_deref())
        .bind(details.channels.facebook.as_deref())
        .bind(details.channels.youtube.as_deref())
        .bind(kim.to_string())
    )?;
    Ok(())
}

/// Registers a KIM for a village, not yet verified. When the registering
/// actor is the regency's officer or a province admin (the web layer asks
/// `authz::can(.., VerifyKim, ..)`), call [`verify`] in the same transaction.
/// An unknown village is `Invalid` on `village`.
pub async fn register(tx: &mut Tx<'_>, new: &NewKim, actor: Option<UserId>) -> StoreResult<Kim> {
    if !OrgKind::Kim.region_levels(None).contains(&new.village.level()) {
        return Err(StoreError::Invalid(FieldError::new("village", ValidationCode::WrongRegionLevel)));
    }
    check_status_sk(new.status, new.details.sk.is_some()).map_err(StoreError::Invalid)?;
    organisations::require_region(tx, "village", &new.village).await?;
    let id = OrgId::generate();
    organisations::insert_row(tx, id, OrgKind::Kim, &new.village, &org_profile(&new.details), Timestamp::now()).await?;
    exec!(
        tx,
        sqlx::query("INSERT INTO kims (org_id, status, registered_by) VALUES ($1, $2, $3)")
            .bind(id.to_string())
            .bind(new.status.as_str())
            .bind(actor.map(|a| a.to_string()))
    )?;
    write_kim_details(tx, id, &new.details).await?;
    let kim = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    audit::append(tx, &kim_entry(actor, action::KIM_REGISTER, &kim, None, Some(audit_view(&kim)))).await?;
    changes::record(tx, Entity::Organisation, &id.to_string()).await?;
    Ok(kim)
}

/// Marks a KIM verified by `actor` (the web layer has checked
/// `Action::VerifyKim`). Returns false, writing nothing, when it already
/// was; `NotFound` when there is no such KIM.
pub async fn verify(tx: &mut Tx<'_>, kim: OrgId, actor: UserId) -> StoreResult<bool> {
    let before = get_tx(tx, kim).await?.ok_or(StoreError::NotFound)?;
    if before.is_verified() {
        return Ok(false);
    }
    let verified = exec!(
        tx,
        sqlx::query("UPDATE kims SET verified_at = $1, verified_by = $2 WHERE org_id = $3 AND verified_at IS NULL")
            .bind(Timestamp::now().millis())
            .bind(actor.to_string())
            .bind(kim.to_string())
    )?;
    // On PostgreSQL a concurrent verification may have committed since the read.
    if verified == 0 {
        return Ok(false);
    }
    audit::append(
        tx,
        &kim_entry(
            Some(actor),
            action::KIM_VERIFY,
            &before,
            Some(json!({ "verified": false })),
            Some(json!({ "verified": true })),
        ),
    )
    .await?;
    changes::record(tx, Entity::Organisation, &kim.to_string()).await?;
    Ok(true)
}

/// Replaces a KIM's details if its version is still `version`; otherwise
/// [`StoreError::Stale`] and nothing is written. Removing the SK of a
/// registered or active KIM is `Invalid` on `sk_number`.
pub async fn update(
    tx: &mut Tx<'_>,
    kim: OrgId,
    version: i64,
    details: &KimDetails,
    actor: Option<UserId>,
) -> StoreResult<Kim> {
    let before = get_tx(tx, kim).await?.ok_or(StoreError::NotFound)?;
    if before.org.version != version {
        return Err(StoreError::Stale);
    }
    check_status_sk(before.status, details.sk.is_some()).map_err(StoreError::Invalid)?;
    let profile = org_profile(details);
    let updated = exec!(
        tx,
        sqlx::query(
            "UPDATE organisations SET name = $1, description = $2, address = $3, email = $4, updated_at = $5, \
             version = version + 1 WHERE id = $6 AND version = $7",
        )
        .bind(&profile.name)
        .bind(&profile.description)
        .bind(profile.address.as_deref())
        .bind(profile.email.as_ref().map(Email::as_str))
        .bind(Timestamp::now().millis())
        .bind(kim.to_string())
        .bind(version)
    )?;
    if updated == 0 {
        return Err(StoreError::Stale);
    }
    write_kim_details(tx, kim, details).await?;
    let after = get_tx(tx, kim).await?.ok_or(StoreError::NotFound)?;
    let mut changed = organisations::changed_fields(&before.org.profile, &after.org.profile);
    let old = before.details();
    changed.extend(
        [
            ("sk", old.sk != details.sk),
            ("kim_id_url", old.kim_id_url != details.kim_id_url),
            ("channels", old.channels != details.channels),
        ]
        .into_iter()
        .filter_map(|(name, differs)| differs.then_some(name)),
    );
    let mut after_view = audit_view(&after);
    after_view["changed"] = json!(changed);
    audit::append(tx, &kim_entry(actor, action::KIM_UPDATE, &after, Some(audit_view(&before)), Some(after_view)))
        .await?;
    changes::record(tx, Entity::Organisation, &kim.to_string()).await?;
    Ok(after)
}

/// Sets a KIM's lifecycle status (the web layer has checked
/// `Action::SetKimStatus`). A status needing an SK on a KIM without one is
/// `Invalid` on `sk_number`. Setting the current status writes nothing.
pub async fn set_status(tx: &mut Tx<'_>, kim: OrgId, status: KimStatus, actor: Option<UserId>) -> StoreResult<()> {
    let before = get_tx(tx, kim).await?.ok_or(StoreError::NotFound)?;
    if before.status == status {
        return Ok(());
    }
    check_status_sk(status, before.sk.is_some()).map_err(StoreError::Invalid)?;
    exec!(
        tx,
        sqlx::query("UPDATE kims SET status = $1 WHERE org_id = $2").bind(status.as_str()).bind(kim.to_string())
    )?;
    exec!(
        tx,
        sqlx::query("UPDATE organisations SET updated_at = $1 WHERE id = $2")
            .bind(Timestamp::now().millis())
            .bind(kim.to_string())
    )?;
    audit::append(
        tx,
        &kim_entry(
            actor,
            action::KIM_STATUS,
            &before,
            Some(json!({ "status": before.status.as_str() })),
            Some(json!({ "status": status.as_str() })),
        ),
    )
    .await?;
    changes::record(tx, Entity::Organisation, &kim.to_string()).await?;
    Ok(())
}

/// An officer as the public profile shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicOfficer {
    pub member_id: MemberId,
    pub name: String,
    pub position: KimPosition,
    /// Present only when the officer consented to it being shown.
    pub phone: Option<PhoneNumber>,
}

/// What the public KIM profile page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KimProfile {
    pub kim: Kim,
    pub village_name: String,
    /// Ketua, sekretaris, bendahara, then seksi, each by name.
    pub officers: Vec<PublicOfficer>,
    /// Members on the roster now, officers included.
    pub member_count: i64,
}

/// Orders positions as a KIM's structure lists them.
const POSITION_ORDER: &str = "CASE m.position WHEN 'ketua' THEN 0 WHEN 'sekretaris' THEN 1 WHEN 'bendahara' THEN 2 \
     WHEN 'seksi' THEN 3 ELSE 4 END";

/// A KIM's public profile; `None` when there is no such KIM.
pub async fn profile(db: &Db, kim: OrgId) -> StoreResult<Option<KimProfile>> {
    let sql = format!(
        "SELECT {ORG_COLUMNS}, {KIM_COLUMNS}, r.name AS village_name, \
           (SELECT COUNT(*) FROM kim_members m WHERE m.kim_id = o.id AND m.removed_at IS NULL) AS member_count \
         FROM {KIM_FROM} JOIN regions r ON r.code = o.region_code WHERE o.id = $1"
    );
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        kim: KimRow,
        village_name: String,
        member_count: i64,
    }
    let row = on_pool!(db, pool => sqlx::query_as::<_, Row>(&sql).bind(kim.to_string()).fetch_optional(pool).await)?;
    let Some(row) = row else { return Ok(None) };
    // The phone is withheld here, in the query, unless consent is recorded.
    let officers_sql = format!(
        "SELECT m.id, m.name, m.position, \
           CASE WHEN m.phone_public_consent_at IS NOT NULL THEN m.phone END AS phone \
         FROM kim_members m WHERE m.kim_id = $1 AND m.removed_at IS NULL AND m.position <> 'anggota' \
         ORDER BY {POSITION_ORDER}, m.name, m.id"
    );
    let officers: Vec<(String, String, String, Option<String>)> =
        on_pool!(db, pool => sqlx::query_as(&officers_sql).bind(kim.to_string()).fetch_all(pool).await)?;
    let officers = officers
        .into_iter()
        .map(|(id, name, position, phone)| {
            Ok(PublicOfficer {
                member_id: parse_stored(&id, "member id")?,
                name,
                position: stored(KimPosition::parse(&position), "position")?,
                phone: phone.map(PhoneNumber::from_stored),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Some(KimProfile {
        kim: row.kim.into_kim()?,
        village_name: row.village_name,
        officers,
        member_count: row.member_count,
    }))
}

/// Which KIMs a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KimFilter {
    /// A region at any level; KIMs of the villages at or below it.
    pub within: RegionCode,
    pub status: Option<KimStatus>,
}

/// A KIM as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KimListItem {
    pub id: OrgId,
    pub name: String,
    pub village: RegionCode,
    pub village_name: String,
    pub status: KimStatus,
    pub verified: bool,
    pub sk_validity: SkValidity,
    pub sk_expires: Option<String>,
    pub member_count: i64,
}

fn filter_clause(filter: &KimFilter, args: &mut Args) -> String {
    let mut clause = args.within("o.region_code", Some("o.regency_code"), &filter.within);
    if let Some(status) = filter.status {
        clause.push_str(&format!(" AND k.status = {}", args.text(status.as_str())));
    }
    clause
}

/// Counts of a region's KIMs for a dashboard, computed in the database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KimSummary {
    /// KIMs per lifecycle status (statuses without KIMs are absent).
    pub by_status: Vec<(KimStatus, i64)>,
    pub sk_missing: i64,
    pub sk_expired: i64,
    /// Valid, lapsing within [`SK_EXPIRY_WARNING_DAYS`].
    pub sk_expiring: i64,
    pub unverified: i64,
}

/// Counts the KIMs within a region by status, SK validity on `today` (as
/// [`SkValidity::on_day`] judges it) and verification, in one query.
pub async fn summary(db: &Db, within: &RegionCode, today: NaiveDate) -> StoreResult<KimSummary> {
    let mut args = Args::default();
    let clause = filter_clause(&KimFilter { within: within.clone(), status: None }, &mut args);
    let soon = today.checked_add_days(Days::new(SK_EXPIRY_WARNING_DAYS as u64)).unwrap_or(today);
    let today = args.text(format_date(today));
    let soon = args.text(format_date(soon));
    let sql = format!(
        "SELECT k.status, COUNT(*) AS total, \
           SUM(CASE WHEN k.sk_number IS NULL THEN 1 ELSE 0 END) AS missing, \
           SUM(CASE WHEN k.sk_number IS NOT NULL AND k.sk_expires < {today} THEN 1 ELSE 0 END) AS expired, \
           SUM(CASE WHEN k.sk_number IS NOT NULL AND k.sk_expires >= {today} AND k.sk_expires <= {soon} \
                    THEN 1 ELSE 0 END) AS expiring, \
           SUM(CASE WHEN k.verified_at IS NULL THEN 1 ELSE 0 END) AS unverified \
         FROM {KIM_FROM} WHERE {clause} GROUP BY k.status"
    );
    let rows: Vec<(String, i64, i64, i64, i64, i64)> =
        on_pool!(db, pool => bind_args!(sqlx::query_as(&sql), args).fetch_all(pool).await)?;
    let mut summary = KimSummary::default();
    for (status, total, missing, expired, expiring, unverified) in rows {
        summary.by_status.push((stored(KimStatus::parse(&status), "KIM status")?, total));
        summary.sk_missing += missing;
        summary.sk_expired += expired;
        summary.sk_expiring += expiring;
        summary.unverified += unverified;
    }
    summary.by_status.sort();
    Ok(summary)
}

/// KIMs within a region, by name, with their status and SK validity on
/// `today`; `limit` from `offset`.
pub async fn list(
    db: &Db,
    filter: &KimFilter,
    today: NaiveDate,
    limit: i64,
    offset: i64,
) -> StoreResult<Vec<KimListItem>> {
    let mut args = Args::default();
    let clause = filter_clause(filter, &mut args);
    let sql = format!(
        "SELECT o.id, o.name, o.region_code, r.name AS village_name, k.status, k.sk_number, k.sk_expires, \
           k.verified_at, \
           (SELECT COUNT(*) FROM kim_members m WHERE m.kim_id = o.id AND m.removed_at IS NULL) AS member_count \
         FROM {KIM_FROM} JOIN regions r ON r.code = o.region_code \
         WHERE {clause} ORDER BY o.name, o.id LIMIT {} OFFSET {}",
        args.int(limit.max(0)),
        args.int(offset.max(0))
    );
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        name: String,
        region_code: String,
        village_name: String,
        status: String,
        sk_number: Option<String>,
        sk_expires: Option<String>,
        verified_at: Option<i64>,
        member_count: i64,
    }
    let rows = on_pool!(db, pool => bind_args!(sqlx::query_as::<_, Row>(&sql), args).fetch_all(pool).await)?;
    rows.into_iter()
        .map(|r| {
            let expires = r.sk_expires.as_deref().map(parse_date).transpose()?;
            Ok(KimListItem {
                id: parse_stored(&r.id, "organisation id")?,
                name: r.name,
                village: parse_stored(&r.region_code, "region")?,
                village_name: r.village_name,
                status: stored(KimStatus::parse(&r.status), "KIM status")?,
                verified: r.verified_at.is_some(),
                sk_validity: SkValidity::on_day(r.sk_number.is_some(), expires, today),
                sk_expires: r.sk_expires,
                member_count: r.member_count,
            })
        })
        .collect()
}

/// How many KIMs [`list`] would show in all.
pub async fn count(db: &Db, filter: &KimFilter) -> StoreResult<i64> {
    let mut args = Args::default();
    let clause = filter_clause(filter, &mut args);
    let sql = format!("SELECT COUNT(*) FROM {KIM_FROM} WHERE {clause}");
    Ok(on_pool!(db, pool => bind_args!(sqlx::query_scalar(&sql), args).fetch_one(pool).await)?)
}

/// A person on a KIM's roster, with their contact: for the KIM's managers
/// and the regency, never for public pages (those use [`profile`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub id: MemberId,
    pub kim: OrgId,
    pub name: String,
    pub position: KimPosition,
    pub user: Option<UserId>,
    pub phone: Option<PhoneNumber>,
    /// When the member agreed to the phone number being shown publicly.
    pub phone_public_consent_at: Option<Timestamp>,
    pub joined_at: Timestamp,
}

const MEMBER_COLUMNS: &str = "m.id, m.kim_id, m.name, m.position, m.user_id, m.phone, m.phone_public_consent_at, \
     m.joined_at";

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: String,
    kim_id: String,
    name: String,
    position: String,
    user_id: Option<String>,
    phone: Option<String>,
    phone_public_consent_at: Option<i64>,
    joined_at: i64,
}

impl MemberRow {
    fn into_member(self) -> StoreResult<Member> {
        Ok(Member {
            id: parse_stored(&self.id, "member id")?,
            kim: parse_stored(&self.kim_id, "organisation id")?,
            name: self.name,
            position: stored(KimPosition::parse(&self.position), "position")?,
            user: parse_stored_opt(self.user_id.as_deref(), "user id")?,
            phone: self.phone.map(PhoneNumber::from_stored),
            phone_public_consent_at: self.phone_public_consent_at.map(Timestamp),
            joined_at: Timestamp(self.joined_at),
        })
    }
}

/// A current (not removed) member within a transaction, with the village of its KIM.
async fn member_tx(tx: &mut Tx<'_>, member: MemberId) -> StoreResult<Option<(Member, RegionCode)>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS}, o.region_code FROM kim_members m JOIN organisations o ON o.id = m.kim_id \
         WHERE m.id = $1 AND m.removed_at IS NULL"
    );
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        member: MemberRow,
        region_code: String,
    }
    let row = on_tx!(tx, conn => sqlx::query_as::<_, Row>(&sql).bind(member.to_string()).fetch_optional(conn).await)?;
    row.map(|r| Ok((r.member.into_member()?, parse_stored(&r.region_code, "region")?))).transpose()
}

/// The non-personal view of a member the audit log keeps.
fn member_view(member_id: MemberId, kim: OrgId, new: &NewMember) -> serde_json::Value {
    json!({
        "member_id": member_id,
        "kim_id": kim,
        "position": new.position.as_str(),
        "has_account": new.user.is_some(),
        "has_phone": new.phone.is_some(),
    })
}

fn member_entry(
    actor: Option<UserId>,
    action: &'static str,
    member: MemberId,
    village: &RegionCode,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditEntry {
    AuditEntry {
        actor,
        action,
        target_kind: "member",
        target_id: member.to_string(),
        scope_region: village.clone(),
        before,
        after,
    }
}

/// Refuses a second holder of a single post or a second entry for one
/// account on the same roster (`Invalid` on `position` / `user_id`), and
/// an unknown account (`Invalid` on `user_id`).
async fn check_roster_fit(tx: &mut Tx<'_>, kim: OrgId, new: &NewMember, except: Option<MemberId>) -> StoreResult<()> {
    let except = except.map(|m| m.to_string()).unwrap_or_default();
    if new.position.is_single() {
        let taken: Option<(String,)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT id FROM kim_members WHERE kim_id = $1 AND position = $2 AND removed_at IS NULL AND id <> $3",
        )
        .bind(kim.to_string())
        .bind(new.position.as_str())
        .bind(&except)
        .fetch_optional(conn)
        .await)?;
        if taken.is_some() {
            return Err(StoreError::Invalid(FieldError::new("position", ValidationCode::Duplicate)));
        }
    }
    if let Some(user) = new.user {
        if !organisations::user_exists(tx, user).await? {
            return Err(StoreError::Invalid(FieldError::new("user_id", ValidationCode::InvalidChoice)));
        }
        let listed: Option<(String,)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT id FROM kim_members WHERE kim_id = $1 AND user_id = $2 AND removed_at IS NULL AND id <> $3",
        )
        .bind(kim.to_string())
        .bind(user.to_string())
        .bind(&except)
        .fetch_optional(conn)
        .await)?;
        if listed.is_some() {
            return Err(StoreError::Invalid(FieldError::new("user_id", ValidationCode::Duplicate)));
        }
    }
    Ok(())
}

/// Adds a person to a KIM's roster; `NotFound` when `kim` is not a KIM.
pub async fn add_member(tx: &mut Tx<'_>, kim: OrgId, new: &NewMember, actor: Option<UserId>) -> StoreResult<Member> {
    let org =
        organisations::org_ref_tx(tx, kim).await?.filter(|o| o.kind == OrgKind::Kim).ok_or(StoreError::NotFound)?;
    check_roster_fit(tx, kim, new, None).await?;
    let id = MemberId::generate();
    exec!(
        tx,
        sqlx::query(
            "INSERT INTO kim_members (id, kim_id, name, position, user_id, phone, joined_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.to_string())
        .bind(kim.to_string())
        .bind(&new.name)
        .bind(new.position.as_str())
        .bind(new.user.map(|u| u.to_string()))
        .bind(new.phone.as_ref().map(PhoneNumber::as_str))
        .bind(Timestamp::now().millis())
    )
    .map_err(|e| StoreError::from(e).on_unique("member"))?;
    audit::append(tx, &member_entry(actor, action::MEMBER_ADD, id, &org.region, None, Some(member_view(id, kim, new))))
        .await?;
    changes::record(tx, Entity::Organisation, &kim.to_string()).await?;
    let (member, _) = member_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    Ok(member)
}

/// Replaces a current member's entry. A changed phone number drops the
/// consent to show the old one. `NotFound` for a removed or unknown member.
pub async fn update_member(
    tx: &mut Tx<'_>,
    member: MemberId,
    new: &NewMember,
    actor: Option<UserId>,
) -> StoreResult<Member> {
    let (before, village) = member_tx(tx, member).await?.ok_or(StoreError::NotFound)?;
    check_roster_fit(tx, before.kim, new, Some(member)).await?;
    let keep_consent = before.phone == new.phone;
    exec!(
        tx,
        sqlx::query(
            "UPDATE kim_members SET name = $1, position = $2, user_id = $3, phone = $4, \
             phone_public_consent_at = CASE WHEN $5 = 1 THEN phone_public_consent_at END \
             WHERE id = $6 AND removed_at IS NULL",
        )
        .bind(&new.name)
        .bind(new.position.as_str())
        .bind(new.user.map(|u| u.to_string()))
        .bind(new.phone.as_ref().map(PhoneNumber::as_str))
        .bind(i64::from(keep_consent))
        .bind(member.to_string())
    )
    .map_err(|e| StoreError::from(e).on_unique("member"))?;
    let old =
        NewMember { name: String::new(), position: before.position, phone: before.phone.clone(), user: before.user };
    audit::append(
        tx,
        &member_entry(
            actor,
            action::MEMBER_UPDATE,
            member,
            &village,
            Some(member_view(member, before.kim, &old)),
            Some(member_view(member, before.kim, new)),
        ),
    )
    .await?;
    changes::record(tx, Entity::Organisation, &before.kim.to_string()).await?;
    let (after, _) = member_tx(tx, member).await?.ok_or(StoreError::NotFound)?;
    Ok(after)
}

/// Takes a member off the roster (kept as history with `removed_at`);
/// `NotFound` when already removed or unknown.
pub async fn remove_member(tx: &mut Tx<'_>, member: MemberId, actor: Option<UserId>) -> StoreResult<()> {
    let (before, village) = member_tx(tx, member).await?.ok_or(StoreError::NotFound)?;
    let removed = exec!(
        tx,
        sqlx::query("UPDATE kim_members SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL")
            .bind(Timestamp::now().millis())
            .bind(member.to_string())
    )?;
    if removed == 0 {
        return Err(StoreError::NotFound);
    }
    let view = json!({ "member_id": member, "kim_id": before.kim, "position": before.position.as_str() });
    audit::append(tx, &member_entry(actor, action::MEMBER_REMOVE, member, &village, Some(view), None)).await?;
    changes::record(tx, Entity::Organisation, &before.kim.to_string()).await?;
    Ok(())
}

/// Records (`consented`) or withdraws the member's consent to have the
/// phone number shown on the public profile. Recording it again keeps the
/// first time given. `NotFound` for a removed or unknown member.
pub async fn set_phone_public_consent(
    tx: &mut Tx<'_>,
    member: MemberId,
    consented: bool,
    actor: Option<UserId>,
) -> StoreResult<()> {
    let (before, village) = member_tx(tx, member).await?.ok_or(StoreError::NotFound)?;
    let was = before.phone_public_consent_at.is_some();
    if was == consented {
        return Ok(());
    }
    let at = consented.then(|| Timestamp::now().millis());
    exec!(
        tx,
        sqlx::query("UPDATE kim_members SET phone_public_consent_at = $1 WHERE id = $2")
            .bind(at)
            .bind(member.to_string())
    )?;
    audit::append(
        tx,
        &member_entry(
            actor,
            action::MEMBER_PHONE_CONSENT,
            member,
            &village,
            Some(json!({ "member_id": member, "phone_public": was })),
            Some(json!({ "member_id": member, "phone_public": consented })),
        ),
    )
    .await?;
    changes::record(tx, Entity::Organisation, &before.kim.to_string()).await?;
    Ok(())
}

/// A KIM's current roster with contacts, officers first, each by name.
pub async fn members(db: &Db, kim: OrgId) -> StoreResult<Vec<Member>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM kim_members m WHERE m.kim_id = $1 AND m.removed_at IS NULL \
         ORDER BY {POSITION_ORDER}, m.name, m.id"
    );
    let rows = on_pool!(db, pool => sqlx::query_as::<_, MemberRow>(&sql).bind(kim.to_string()).fetch_all(pool).await)?;
    rows.into_iter().map(MemberRow::into_member).collect()
}

/// A current member by id (for the web layer to find the KIM to authorize against).
pub async fn member(db: &Db, member: MemberId) -> StoreResult<Option<Member>> {
    let sql = format!("SELECT {MEMBER_COLUMNS} FROM kim_members m WHERE m.id = $1 AND m.removed_at IS NULL");
    let row =
        on_pool!(db, pool => sqlx::query_as::<_, MemberRow>(&sql).bind(member.to_string()).fetch_optional(pool).await)?;
    row.map(MemberRow::into_member).transpose()
}

/// The KIMs whose current roster lists the account (for `authz::UserTarget`).
pub async fn kim_memberships_of_user(db: &Db, user: UserId) -> StoreResult<Vec<OrgRef>> {
    let rows: Vec<(String, String)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT DISTINCT o.id, o.region_code FROM kim_members m JOIN organisations o ON o.id = m.kim_id \
         WHERE m.user_id = $1 AND m.removed_at IS NULL ORDER BY o.id",
    )
    .bind(user.to_string())
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|(id, region)| {
            Ok(OrgRef {
                id: parse_stored(&id, "organisation id")?,
                kind: OrgKind::Kim,
                region: parse_stored(&region, "region")?,
            })
        })
        .collect()
}

/// The kind of job that runs [`run_sk_expiry_scan`].
pub const SK_EXPIRY_SCAN_JOB: &str = "kim.sk_expiry_scan";

/// A KIM whose SK lapsed or lapses soon and whose people were not yet told
/// about this expiry date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkAlert {
    pub kim: OrgId,
    pub name: String,
    pub village: RegionCode,
    pub sk_expires: NaiveDate,
    /// `Expired` or `ExpiringSoon`.
    pub validity: SkValidity,
}

/// KIMs whose SK has lapsed on `today` or lapses within
/// [`SK_EXPIRY_WARNING_DAYS`], and that were not alerted for this expiry
/// date yet (a renewed SK with a new date is alerted anew), soonest first.
pub async fn kims_needing_sk_alert(db: &Db, today: NaiveDate) -> StoreResult<Vec<SkAlert>> {
    let horizon = today.checked_add_days(Days::new(SK_EXPIRY_WARNING_DAYS as u64)).unwrap_or(today);
    let rows: Vec<(String, String, String, String)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT o.id, o.name, o.region_code, k.sk_expires FROM kims k JOIN organisations o ON o.id = k.org_id \
         WHERE k.sk_expires IS NOT NULL AND k.sk_number IS NOT NULL AND k.sk_expires <= $1 \
           AND (k.sk_alerted_for IS NULL OR k.sk_alerted_for <> k.sk_expires) \
         ORDER BY k.sk_expires, o.id",
    )
    .bind(format_date(horizon))
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|(id, name, region, expires)| {
            let sk_expires = parse_date(&expires)?;
            Ok(SkAlert {
                kim: parse_stored(&id, "organisation id")?,
                name,
                village: parse_stored(&region, "region")?,
                sk_expires,
                validity: SkValidity::on_day(true, Some(sk_expires), today),
            })
        })
        .collect()
}

/// Records that the people of `kim` were alerted about the SK expiring on
/// `sk_expires`. Returns false, writing nothing, when they already were or
/// the SK's expiry is no longer that date (it was renewed meanwhile).
pub async fn mark_sk_alerted(tx: &mut Tx<'_>, kim: OrgId, sk_expires: NaiveDate) -> StoreResult<bool> {
    let date = format_date(sk_expires);
    let marked = exec!(
        tx,
        sqlx::query(
            "UPDATE kims SET sk_alerted_for = $1 WHERE org_id = $2 AND sk_expires = $1 \
             AND (sk_alerted_for IS NULL OR sk_alerted_for <> $1)",
        )
        .bind(&date)
        .bind(kim.to_string())
    )?;
    Ok(marked == 1)
}

/// The scheduled SK check: for each KIM from [`kims_needing_sk_alert`], in
/// one transaction, notifies its managers and its regency's officers, marks
/// it alerted and records a change. Idempotent: a second run (or a second
/// process running the same schedule) alerts nobody twice. Returns how many
/// KIMs were alerted.
pub async fn run_sk_expiry_scan(db: &Db, today: NaiveDate) -> StoreResult<usize> {
    let mut alerted = 0;
    for alert in kims_needing_sk_alert(db, today).await? {
        let done = db
            .write(move |tx| {
                Box::pin(async move {
                    if !mark_sk_alerted(tx, alert.kim, alert.sk_expires).await? {
                        return Ok(false);
                    }
                    let regency = alert.village.regency().unwrap_or_else(|| alert.village.province());
                    let kind = match alert.validity {
                        SkValidity::Expired => notifications::kind::KIM_SK_EXPIRED,
                        _ => notifications::kind::KIM_SK_EXPIRING,
                    };
                    let params = json!({
                        "kim_id": alert.kim,
                        "kim_name": alert.name,
                        "sk_expires": format_date(alert.sk_expires),
                    });
                    for user in grants::kim_overseers(tx, alert.kim, &regency).await? {
                        let notification = NewNotification {
                            user,
                            kind,
                            subject_id: Some(alert.kim.to_string()),
                            params: params.clone(),
                            link: Some(format!("/admin/kim/{}", alert.kim)),
                        };
                        notifications::create(tx, &notification).await?;
                    }
                    changes::record(tx, Entity::Organisation, &alert.kim.to_string()).await?;
                    Ok(true)
                })
            })
            .await?;
        alerted += usize::from(done);
    }
    Ok(alerted)
}

/// Enqueues the SK check for `today`, once per day however many processes
/// run the schedule. The job's payload is the date (`YYYY-MM-DD`).
pub async fn schedule_sk_expiry_scan(tx: &mut Tx<'_>, today: NaiveDate) -> StoreResult<bool> {
    let date = format_date(today);
    jobs::enqueue(tx, &NewJob::new(SK_EXPIRY_SCAN_JOB, &date).once(format!("{SK_EXPIRY_SCAN_JOB}:{date}"))).await
}
