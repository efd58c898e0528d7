//! Aspirations: filing a report (with its tracking number, deadlines,
//! duplicate and abuse flags, attachments and an idempotency key), the
//! managed list of categories, and the reads of the public tracking page.
//!
//! Invariants:
//! - A report is acknowledged (its tracking number returned) only after
//!   its transaction committed: [`Db::write`] answers after COMMIT, and on
//!   SQLite the writer commits with `synchronous=FULL`.
//! - The reporter's identity lives in `report_reporters` and nothing that
//!   reads `reports` joins it: public reads cannot carry it by accident.
//!   Only [`reporter`] reads it, for officers the web layer authorised.
//! - One Idempotency-Key makes one report: a retry with the same key and
//!   the same request gets the first report back, with other contents a
//!   `Conflict("idempotency_key")`.
//! - Every filing and step appends a `report_events` row (the public
//!   timeline) and records [`Entity::Report`] in the same transaction.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use jembatan_domain::aspiration::{
    AttachmentId, Channel, Location, NewReport, ReportClass, ReportId, ReportRef, ReportStatus, ReportStep,
    ReporterIdentity, ReporterMode, TRACKING_RANDOM_BYTES, TrackingNumber, contact_key, transition,
};
use jembatan_domain::authz::ReportQueueScope;
use jembatan_domain::calendar::{
    FOLLOW_UP_WORKING_DAYS, INFORMATION_EXTENSION_WORKING_DAYS, OBJECTION_WORKING_DAYS, RESPONSE_WINDOW_WORKING_DAYS,
    VERIFY_WORKING_DAYS, WorkingCalendar, wib_date,
};
use jembatan_domain::contact::{Email, PhoneNumber};
use jembatan_domain::organisation::{OrgKind, OrgRef};
use jembatan_domain::role::Role;
use jembatan_domain::{FieldError, OrgId, RegionCode, Timestamp, UserId, ValidationCode};
use rand::RngCore;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::audit::{self, AuditEntry, action};
use crate::batch::Batch;
use crate::changes::{self, Entity};
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::holidays::calendar_from;
use crate::organisations::{Args, bind_args, parse_stored, parse_stored_opt, require_region, stored};
use crate::outbox;
use crate::{exec, on_pool, on_tx};
use crate::{grants, notifications};

pub mod filing;
pub mod import;
pub use filing::{Filer, submit_many};
pub use import::{ImportCounts, ImportedEvent, ImportedReport, import_many};

/// A category citizens file under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Category {
    pub slug: String,
    pub name_id: String,
    pub name_en: String,
    /// The agencies' work category cases of this category go to by default.
    pub work_category: Option<String>,
    pub position: i64,
}

impl Category {
    /// The name in a locale (`id` or `en`); Indonesian for any other.
    pub fn name(&self, locale: &str) -> &str {
        if locale == "en" { &self.name_en } else { &self.name_id }
    }
}

/// Every category, in display order.
pub async fn categories(db: &Db) -> StoreResult<Vec<Category>> {
    Ok(on_pool!(db, pool => sqlx::query_as::<_, Category>(
        "SELECT slug, name_id, name_en, work_category, position FROM report_categories ORDER BY position, slug",
    )
    .fetch_all(pool)
    .await)?)
}

/// A photo or PDF checked by the web layer (content sniffed, photos
/// stripped of their metadata).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// How a report arrives, besides what it says.
#[derive(Debug, Clone)]
pub struct Submission {
    pub channel: Channel,
    /// The logged-in account filing it.
    pub filed_by: Option<UserId>,
    /// The KIM filing it on a neighbour's behalf (the web layer checked
    /// that `filed_by` may file for it).
    pub facilitated_by: Option<OrgId>,
    /// Where a report given only a location is placed (the platform's province).
    pub province: RegionCode,
    /// The client's Idempotency-Key and the SHA-256 of its request.
    pub idempotency: Option<(String, String)>,
    pub attachments: Vec<NewAttachment>,
}

/// What filing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    pub id: ReportId,
    pub tracking: TrackingNumber,
    /// The report this one repeats (same reporter, near-identical text within a day).
    pub duplicate_of: Option<TrackingNumber>,
    /// Held for moderation (abusive text): not public until cleared.
    pub held: bool,
    /// True when an earlier request with the same Idempotency-Key made it.
    pub replayed: bool,
    /// The reporter's secret for rating or reopening the case without an
    /// account (never public; see [`reporter_may_act`]).
    pub reporter_key: String,
    /// The report as stored and its timeline, so that the answer to the
    /// filing needs no second read.
    pub report: Report,
    pub timeline: Vec<TimelineEntry>,
}

/// How long a report by the same reporter counts as a possible duplicate.
const DUPLICATE_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// Files a report without a per-contact limit. Unknown category, region
/// or facilitating KIM are refused as `Invalid` on their field; nothing is
/// written then. (A group of one: see [`submit_many`].)
pub async fn submit(tx: &mut Tx<'_>, report: &NewReport, submission: &Submission) -> StoreResult<Filed> {
    submit_many(tx, &[(report, submission)], None).await?.pop().expect("one outcome per report")
}

/// The outbox message confirming a filing, with the tracking number.
pub const REPORT_FILED_MESSAGE: &str = "report-filed";
/// The outbox message telling the reporter where the case stands now.
pub const REPORT_UPDATED_MESSAGE: &str = "report-updated";
/// The outbox message carrying the agency's answer.
pub const REPORT_ANSWERED_MESSAGE: &str = "report-answered";

/// Queues a message to the reporter, by e-mail when there is an address:
/// the one given with the report, else the filing account's. (Reporters
/// with a phone number only are told through channels still to come.)
/// The link in it carries the reporter's key.
async fn notify(
    tx: &mut Tx<'_>,
    id: ReportId,
    tracking: &TrackingNumber,
    template: &'static str,
    args: BTreeMap<String, String>,
) -> StoreResult<()> {
    let row: Option<(Option<String>, Option<String>)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT COALESCE(p.email, u.email), p.reporter_key FROM reports r \
         JOIN report_reporters p ON p.report_id = r.id \
         LEFT JOIN users u ON u.id = r.filed_by AND u.deleted_at IS NULL WHERE r.id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(conn)
    .await)?;
    let Some((Some(email), key)) = row else { return Ok(()) };
    outbox::enqueue(tx, &report_message(id, tracking, template, args, email, key.as_deref())).await?;
    Ok(())
}

/// The e-mail to a report's reporter at `email`; their own link carries
/// their key (it lets them rate or reopen).
fn report_message(
    id: ReportId,
    tracking: &TrackingNumber,
    template: &'static str,
    mut args: BTreeMap<String, String>,
    email: String,
    key: Option<&str>,
) -> outbox::NewMessage {
    args.insert("tracking".to_owned(), tracking.to_string());
    let query = key.map(|k| format!("?kunci={k}")).unwrap_or_default();
    args.insert("path".to_owned(), format!("/aspirasi/{tracking}{query}"));
    outbox::NewMessage {
        channel: outbox::Channel::Email,
        recipient: email,
        template,
        locale: "id".to_owned(),
        args,
        subject_ref: format!("report:{id}"),
    }
}

/// A reporter's secret: 128 random bits, hex.
fn new_reporter_key() -> String {
    let mut random = [0u8; 16];
    rand::rng().fill_bytes(&mut random);
    hex(&random)
}

fn new_tracking(region: &RegionCode) -> TrackingNumber {
    let mut random = [0u8; TRACKING_RANDOM_BYTES];
    rand::rng().fill_bytes(&mut random);
    TrackingNumber::from_random(region, random)
}

/// The values of `values` that `select` (a query ending in `IN`, selecting
/// one text column) finds.
async fn existing(tx: &mut Tx<'_>, select: &str, values: &[&str]) -> StoreResult<HashSet<String>> {
    let mut found = HashSet::new();
    for chunk in values.chunks(crate::db::rows_per_statement(tx.backend(), 1)) {
        let mut args = Args::default();
        let sql = format!("{select} ({})", args.texts(chunk.iter().copied()));
        let rows: Vec<String> = on_tx!(tx, conn => bind_args!(sqlx::query_scalar(&sql), args).fetch_all(conn).await)?;
        found.extend(rows);
    }
    Ok(found)
}

/// The stored form of a reporter's contact (SHA-256 of the normalised
/// phone or e-mail): per-contact limits and duplicate checks match on it.
fn contact_hash(reporter: &ReporterIdentity) -> Option<String> {
    contact_key(reporter).map(|k| hex(&Sha256::digest(k.as_bytes())))
}

/// Adds who filed each report, `(report, reporter, contact hash, key)`, to
/// a batch of writes.
fn add_reporters(batch: &mut Batch<'_>, rows: &[(ReportId, &ReporterIdentity, Option<&str>, &str)]) {
    batch.insert(
        "INSERT INTO report_reporters (report_id, name, phone, email, contact_key, reporter_key)",
        6,
        "",
        rows,
        |values, (report, reporter, contact, key)| {
            values
                .add(report.to_string())
                .add(reporter.name.clone())
                .add(reporter.phone.as_ref().map(|p| p.as_str().to_owned()))
                .add(reporter.email.as_ref().map(|e| e.as_str().to_owned()))
                .add(contact.map(str::to_owned))
                .add(key.to_string());
        },
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The report an Idempotency-Key already made, if any; a `Conflict` when
/// the key came with a different request.
async fn replay(tx: &mut Tx<'_>, key: &str, sha: &str) -> StoreResult<Option<Filed>> {
    #[derive(sqlx::FromRow)]
    struct Earlier {
        id: String,
        tracking: String,
        request_sha256: Option<String>,
        moderation: String,
        reporter_key: Option<String>,
    }
    let row = on_tx!(tx, conn => sqlx::query_as::<_, Earlier>(
        "SELECT r.id, r.tracking, r.request_sha256, r.moderation, p.reporter_key FROM reports r \
         LEFT JOIN report_reporters p ON p.report_id = r.id WHERE r.idempotency_key = $1",
    )
    .bind(key)
    .fetch_optional(conn)
    .await)?;
    let Some(Earlier { id, tracking, request_sha256: stored_sha, moderation, reporter_key }) = row else {
        return Ok(None);
    };
    if stored_sha.as_deref() != Some(sha) {
        return Err(StoreError::Conflict("idempotency_key"));
    }
    let id = parse_stored(&id, "report id")?;
    let report = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    let timeline = on_tx!(tx, conn => sqlx::query_as::<_, TimelineRow>(TIMELINE_SQL)
        .bind(id.to_string())
        .fetch_all(conn)
        .await)?;
    Ok(Some(Filed {
        id,
        tracking: TrackingNumber::from_stored(tracking),
        duplicate_of: None,
        held: moderation == "held",
        replayed: true,
        reporter_key: reporter_key.unwrap_or_default(),
        report,
        timeline: timeline_entries(timeline)?,
    }))
}

/// A report as officers and the tracking page read it: never the
/// reporter's identity (see [`reporter`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub id: ReportId,
    pub tracking: TrackingNumber,
    pub class: ReportClass,
    pub status: ReportStatus,
    pub mode: ReporterMode,
    pub channel: Channel,
    pub title: String,
    pub description: String,
    pub category: String,
    pub region: RegionCode,
    /// Placed at the province from a location; the verifier sets the region.
    pub region_unconfirmed: bool,
    pub location: Option<Location>,
    pub event_date: Option<NaiveDate>,
    pub filed_by: Option<UserId>,
    pub facilitated_by: Option<OrgId>,
    pub assigned_org: Option<OrgId>,
    pub duplicate_of: Option<ReportId>,
    /// Held for moderation: nothing of it is public.
    pub held: bool,
    pub due_at: Option<Timestamp>,
    pub answer_due_at: Option<Timestamp>,
    pub settle_by: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
    pub attachments: i64,
    pub answered_at: Option<Timestamp>,
    /// The answer came after the follow-up deadline.
    pub answered_late: bool,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    /// The response window after the answer passed, or the reporter rated it.
    pub closed_at: Option<Timestamp>,
    /// 0 none, 1 the regency was alerted, 2 the province was.
    pub escalation: i64,
    /// An information request's answer deadline was moved by 7 working days.
    pub answer_extended: bool,
    /// The requester objected (keberatan), and by when it must be answered.
    pub objection_at: Option<Timestamp>,
    pub objection_due_at: Option<Timestamp>,
    /// SP4N-LAPOR!'s tracking number of a case handed over there.
    pub lapor_tracking: Option<String>,
}

impl Report {
    /// Whether the report's text may be shown to the public (it is neither
    /// confidential nor held for moderation).
    pub fn text_is_public(&self) -> bool {
        self.mode != ReporterMode::Confidential && !self.held
    }
}

const REPORT_COLUMNS: &str = "r.id, r.tracking, r.class, r.status, r.mode, r.channel, r.title, r.description, \
     r.category, r.region_code, r.region_unconfirmed, r.lat_e6, r.lon_e6, r.event_date, r.filed_by, \
     r.facilitated_by, r.assigned_org_id, r.duplicate_of, r.moderation, r.due_at, r.answer_due_at, r.settle_by, \
     r.created_at, r.updated_at, r.version, \
     (SELECT COUNT(*) FROM report_attachments a WHERE a.report_id = r.id AND a.event_id IS NULL) AS attachments, \
     r.answered_at, r.answered_late, r.rating, r.rating_comment, r.closed_at, r.escalation, r.answer_extended, \
     r.objection_at, r.objection_due_at, r.lapor_tracking";

#[derive(sqlx::FromRow)]
struct ReportRow {
    id: String,
    tracking: String,
    class: String,
    status: String,
    mode: String,
    channel: String,
    title: String,
    description: String,
    category: String,
    region_code: String,
    region_unconfirmed: i64,
    lat_e6: Option<i64>,
    lon_e6: Option<i64>,
    event_date: Option<String>,
    filed_by: Option<String>,
    facilitated_by: Option<String>,
    assigned_org_id: Option<String>,
    duplicate_of: Option<String>,
    moderation: String,
    due_at: Option<i64>,
    answer_due_at: Option<i64>,
    settle_by: i64,
    created_at: i64,
    updated_at: i64,
    version: i64,
    attachments: i64,
    answered_at: Option<i64>,
    answered_late: i64,
    rating: Option<i64>,
    rating_comment: Option<String>,
    closed_at: Option<i64>,
    escalation: i64,
    answer_extended: i64,
    objection_at: Option<i64>,
    objection_due_at: Option<i64>,
    lapor_tracking: Option<String>,
}

impl ReportRow {
    fn into_report(self) -> StoreResult<Report> {
        Ok(Report {
            id: parse_stored(&self.id, "report id")?,
            tracking: TrackingNumber::from_stored(self.tracking),
            class: stored(ReportClass::parse(&self.class), "report class")?,
            status: stored(ReportStatus::parse(&self.status), "report status")?,
            mode: stored(ReporterMode::parse(&self.mode), "reporter mode")?,
            channel: stored(Channel::parse(&self.channel), "report channel")?,
            title: self.title,
            description: self.description,
            category: self.category,
            region: parse_stored(&self.region_code, "region code")?,
            region_unconfirmed: self.region_unconfirmed != 0,
            location: self.lat_e6.zip(self.lon_e6).map(|(lat_e6, lon_e6)| Location { lat_e6, lon_e6 }),
            event_date: self.event_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            filed_by: parse_stored_opt(self.filed_by.as_deref(), "user id")?,
            facilitated_by: parse_stored_opt(self.facilitated_by.as_deref(), "organisation id")?,
            assigned_org: parse_stored_opt(self.assigned_org_id.as_deref(), "organisation id")?,
            duplicate_of: parse_stored_opt(self.duplicate_of.as_deref(), "report id")?,
            held: self.moderation == "held",
            due_at: self.due_at.map(Timestamp),
            answer_due_at: self.answer_due_at.map(Timestamp),
            settle_by: Timestamp(self.settle_by),
            created_at: Timestamp(self.created_at),
            updated_at: Timestamp(self.updated_at),
            version: self.version,
            attachments: self.attachments,
            answered_at: self.answered_at.map(Timestamp),
            answered_late: self.answered_late != 0,
            rating: self.rating,
            rating_comment: self.rating_comment,
            closed_at: self.closed_at.map(Timestamp),
            escalation: self.escalation,
            answer_extended: self.answer_extended != 0,
            objection_at: self.objection_at.map(Timestamp),
            objection_due_at: self.objection_due_at.map(Timestamp),
            lapor_tracking: self.lapor_tracking,
        })
    }
}

/// A report by its tracking number.
pub async fn by_tracking(db: &Db, tracking: &TrackingNumber) -> StoreResult<Option<Report>> {
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports r WHERE r.tracking = $1");
    let row =
        on_pool!(db, pool => sqlx::query_as::<_, ReportRow>(&sql).bind(tracking.as_str()).fetch_optional(pool).await)?;
    row.map(ReportRow::into_report).transpose()
}

/// A report by id.
pub async fn get(db: &Db, id: ReportId) -> StoreResult<Option<Report>> {
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports r WHERE r.id = $1");
    let row =
        on_pool!(db, pool => sqlx::query_as::<_, ReportRow>(&sql).bind(id.to_string()).fetch_optional(pool).await)?;
    row.map(ReportRow::into_report).transpose()
}

/// One entry of a case's public timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub at: Timestamp,
    /// `submit` or a workflow step.
    pub step: String,
    pub status_after: ReportStatus,
    /// The organisation acted for or dispatched to.
    pub org: Option<OrgId>,
    pub public_note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct TimelineRow {
    at: i64,
    step: String,
    status_after: String,
    org_id: Option<String>,
    public_note: Option<String>,
}

/// The public timeline of a report, oldest first: no actors, no private notes.
pub async fn timeline(db: &Db, id: ReportId) -> StoreResult<Vec<TimelineEntry>> {
    let rows = on_pool!(db, pool => sqlx::query_as::<_, TimelineRow>(TIMELINE_SQL)
        .bind(id.to_string())
        .fetch_all(pool)
        .await)?;
    timeline_entries(rows)
}

const TIMELINE_SQL: &str =
    "SELECT at, step, status_after, org_id, public_note FROM report_events WHERE report_id = $1 ORDER BY at, id";

fn timeline_entries(rows: Vec<TimelineRow>) -> StoreResult<Vec<TimelineEntry>> {
    rows.into_iter()
        .map(|row| {
            Ok(TimelineEntry {
                at: Timestamp(row.at),
                step: row.step,
                status_after: stored(ReportStatus::parse(&row.status_after), "report status")?,
                org: parse_stored_opt(row.org_id.as_deref(), "organisation id")?,
                public_note: row.public_note,
            })
        })
        .collect()
}

/// Who filed a report. Only for officers the web layer authorised; the
/// caller audits views of an anonymous reporter's identity.
pub async fn reporter(db: &Db, id: ReportId) -> StoreResult<ReporterIdentity> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT name, phone, email FROM report_reporters WHERE report_id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(pool)
    .await)?;
    let (name, phone, email) = row.ok_or(StoreError::NotFound)?;
    Ok(ReporterIdentity { name, phone: phone.map(PhoneNumber::from_stored), email: email.map(Email::from_stored) })
}

/// An attachment's description (its bytes: [`attachment_bytes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentMeta {
    pub id: AttachmentId,
    pub mime: String,
    pub byte_size: i64,
    pub sha256: String,
}

/// The files filed with a report, in the order sent.
pub async fn attachments(db: &Db, report: ReportId) -> StoreResult<Vec<AttachmentMeta>> {
    let rows: Vec<(String, String, i64, String)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id, mime, byte_size, sha256 FROM report_attachments \
         WHERE report_id = $1 AND event_id IS NULL ORDER BY position",
    )
    .bind(report.to_string())
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|(id, mime, byte_size, sha256)| {
            Ok(AttachmentMeta { id: parse_stored(&id, "attachment id")?, mime, byte_size, sha256 })
        })
        .collect()
}

/// An attachment's type and bytes, if it belongs to `report` (the web
/// layer decides who may read them).
pub async fn attachment_bytes(db: &Db, report: ReportId, id: AttachmentId) -> StoreResult<Option<(String, Vec<u8>)>> {
    Ok(on_pool!(db, pool => sqlx::query_as(
        "SELECT mime, bytes FROM report_attachments WHERE id = $1 AND report_id = $2",
    )
    .bind(id.to_string())
    .bind(report.to_string())
    .fetch_optional(pool)
    .await)?)
}

/// How many reports are stored.
pub async fn count(db: &Db) -> StoreResult<i64> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM reports").fetch_one(pool).await)?)
}

// ------------------------------------------------------------ the officers' workflow

#[derive(sqlx::FromRow)]
struct RefRow {
    status: String,
    mode: String,
    region_code: String,
    assigned_org_id: Option<String>,
    org_kind: Option<String>,
    org_region: Option<String>,
}

/// What authorization needs to know of a report: [`ReportRef`].
pub async fn report_ref(db: &Db, id: ReportId) -> StoreResult<ReportRef> {
    let row = on_pool!(db, pool => sqlx::query_as::<_, RefRow>(
        "SELECT r.status, r.mode, r.region_code, r.assigned_org_id, o.kind AS org_kind, o.region_code AS org_region \
         FROM reports r LEFT JOIN organisations o ON o.id = r.assigned_org_id WHERE r.id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(pool)
    .await)?;
    let row = row.ok_or(StoreError::NotFound)?;
    let assigned = match (row.assigned_org_id, row.org_kind, row.org_region) {
        (Some(org), Some(kind), Some(org_region)) => Some(OrgRef {
            id: parse_stored(&org, "organisation id")?,
            kind: stored(OrgKind::parse(&kind), "organisation kind")?,
            region: parse_stored(&org_region, "region code")?,
        }),
        _ => None,
    };
    Ok(ReportRef {
        id,
        status: stored(ReportStatus::parse(&row.status), "report status")?,
        mode: stored(ReporterMode::parse(&row.mode), "reporter mode")?,
        region: parse_stored(&row.region_code, "region code")?,
        assigned,
    })
}

/// An officer's step on a case.
#[derive(Debug, Clone)]
pub struct StepInput {
    pub step: ReportStep,
    /// The body to dispatch to ([`ReportStep::Dispatch`]).
    pub org: Option<OrgId>,
    /// Shown on the tracking page: the answer, the reason for a hold or an
    /// archive, where a case that is not ours belongs.
    pub public_note: Option<String>,
    /// For officers only.
    pub private_note: Option<String>,
}

/// The steps whose public note is required: an answer, or a reason.
fn needs_public_note(step: ReportStep) -> bool {
    matches!(step, ReportStep::Answer | ReportStep::Hold | ReportStep::NotAuthority | ReportStep::Archive)
}

/// Takes an officer's step on a report whose version is still `version`
/// (else `Stale`, nothing written; the web layer has checked who may).
/// Moves the status by the state machine (`Invalid` on `status` when the
/// step is not allowed), sets the stage's deadline from the holiday
/// calendar, appends the timeline event and the audit entry, and records
/// the change.
pub async fn take_step(
    tx: &mut Tx<'_>,
    id: ReportId,
    version: i64,
    input: &StepInput,
    actor: Option<UserId>,
) -> StoreResult<Report> {
    let before = current(tx, id, version).await?;
    let next = transition(before.status, input.step).map_err(|e| StoreError::Invalid(e.into()))?;
    if needs_public_note(input.step) && input.public_note.is_none() {
        return Err(StoreError::Invalid(FieldError::new("public_note", ValidationCode::Required)));
    }
    let assigned = match input.step {
        ReportStep::Dispatch => {
            let org = input.org.ok_or_else(|| StoreError::Invalid(FieldError::new("org", ValidationCode::Required)))?;
            require_handler(tx, org, &before.region).await?;
            Some(org)
        }
        ReportStep::ReturnToVerifier => None,
        _ => before.assigned_org,
    };
    let now = Timestamp::now();
    let calendar = calendar_from(tx, wib_date(now)).await?;
    let due_at = stage_deadline(input.step, before.due_at, &calendar, now);
    let updated = exec!(
        tx,
        sqlx::query(
            "UPDATE reports SET status = $1, assigned_org_id = $2, due_at = $3, updated_at = $4, \
             version = version + 1 WHERE id = $5 AND version = $6",
        )
        .bind(next.as_str())
        .bind(assigned.map(|o| o.to_string()))
        .bind(due_at.map(Timestamp::millis))
        .bind(now.millis())
        .bind(id.to_string())
        .bind(version)
    )?;
    one_row_or_stale(updated)?;
    if input.step == ReportStep::Answer {
        let late = before.due_at.is_some_and(|due| due < now);
        exec!(
            tx,
            sqlx::query("UPDATE reports SET answered_at = $1, answered_late = $2 WHERE id = $3")
                .bind(now.millis())
                .bind(i64::from(late))
                .bind(id.to_string())
        )?;
    }
    let event = Event {
        step: input.step.as_str(),
        status_after: next,
        actor,
        org: if input.step == ReportStep::Dispatch { assigned } else { before.assigned_org },
        public_note: input.public_note.as_deref(),
        private_note: input.private_note.as_deref(),
    };
    if let Some(template) = step_message(input.step) {
        let args = BTreeMap::from([
            ("status".to_owned(), next.as_str().to_owned()),
            ("note".to_owned(), input.public_note.clone().unwrap_or_default()),
        ]);
        notify(tx, id, &before.tracking, template, args).await?;
    }
    let audited = Audited {
        action: step_action(input.step),
        scope: before.region.clone(),
        before: Some(json!({ "status": before.status.as_str(), "org": before.assigned_org })),
        after: Some(json!({ "status": next.as_str(), "org": assigned })),
    };
    record_change(tx, id, now, &event, Some(audited)).await
}

/// The deadline of the stage a step taken at `at` starts: the one before
/// (`due_at`) when the stage goes on, none when nobody must act.
fn stage_deadline(
    step: ReportStep,
    due_at: Option<Timestamp>,
    calendar: &WorkingCalendar,
    at: Timestamp,
) -> Option<Timestamp> {
    match step {
        ReportStep::Verify | ReportStep::FollowUp => due_at,
        ReportStep::Dispatch | ReportStep::Reopen => Some(calendar.deadline(at, FOLLOW_UP_WORKING_DAYS)),
        ReportStep::Resume | ReportStep::ReturnToVerifier => Some(calendar.deadline(at, VERIFY_WORKING_DAYS)),
        // The reporter may respond or reopen until then; then it closes.
        ReportStep::Answer => Some(calendar.deadline(at, RESPONSE_WINDOW_WORKING_DAYS)),
        ReportStep::Hold | ReportStep::NotAuthority | ReportStep::Archive => None,
    }
}

/// The message the reporter gets when a step is taken: an answer, or a
/// change of where the case stands worth telling (not the agency's own
/// taking up, nor a hand-back between officers).
fn step_message(step: ReportStep) -> Option<&'static str> {
    match step {
        ReportStep::Answer => Some(REPORT_ANSWERED_MESSAGE),
        ReportStep::Verify
        | ReportStep::Dispatch
        | ReportStep::Hold
        | ReportStep::NotAuthority
        | ReportStep::Archive => Some(REPORT_UPDATED_MESSAGE),
        ReportStep::FollowUp | ReportStep::Resume | ReportStep::ReturnToVerifier | ReportStep::Reopen => None,
    }
}

/// The audit action of a step.
fn step_action(step: ReportStep) -> &'static str {
    match step {
        ReportStep::Verify => action::REPORT_VERIFY,
        ReportStep::Dispatch => action::REPORT_DISPATCH,
        ReportStep::FollowUp => action::REPORT_FOLLOW_UP,
        ReportStep::Answer => action::REPORT_ANSWER,
        ReportStep::Hold => action::REPORT_HOLD,
        ReportStep::Resume => action::REPORT_RESUME,
        ReportStep::NotAuthority => action::REPORT_NOT_AUTHORITY,
        ReportStep::ReturnToVerifier => action::REPORT_RETURN,
        ReportStep::Archive => action::REPORT_ARCHIVE,
        ReportStep::Reopen => action::REPORT_REOPEN,
    }
}

/// A case is dispatched to an agency or a body without accounts that
/// serves where it was filed: in the same province, at or above the
/// report's regency (a district office for its district). `Invalid` on
/// `org` otherwise.
async fn require_handler(tx: &mut Tx<'_>, org: OrgId, report_region: &RegionCode) -> StoreResult<()> {
    let row: Option<(String, String)> = on_tx!(tx, conn => sqlx::query_as("SELECT kind, region_code FROM organisations WHERE id = $1")
            .bind(org.to_string())
            .fetch_optional(conn)
            .await)?;
    let refuse = || StoreError::Invalid(FieldError::new("org", ValidationCode::InvalidChoice));
    let (kind, region) = row.ok_or_else(refuse)?;
    let region: RegionCode = parse_stored(&region, "region code")?;
    let handles = OrgKind::parse(&kind).is_some_and(|kind| handles_region(kind, &region, report_region));
    if handles { Ok(()) } else { Err(refuse()) }
}

/// Whether an organisation of `kind` at `region` may take a case filed at
/// `report_region`: an agency or a body at, above or below it.
fn handles_region(kind: OrgKind, region: &RegionCode, report_region: &RegionCode) -> bool {
    matches!(kind, OrgKind::Agency | OrgKind::Body)
        && (region.contains(report_region) || report_region.contains(region))
}

/// A timeline event to append.
#[derive(Clone, Copy)]
struct Event<'a> {
    step: &'a str,
    status_after: ReportStatus,
    actor: Option<UserId>,
    org: Option<OrgId>,
    public_note: Option<&'a str>,
    private_note: Option<&'a str>,
}

/// Appends timeline events, `(report, at, event)`: one live step, or the
/// many of a filing group or an import, with multi-row statements.
async fn insert_events(tx: &mut Tx<'_>, events: &[(ReportId, Timestamp, Event<'_>)]) -> StoreResult<()> {
    let mut batch = Batch::new(tx.backend());
    add_events(&mut batch, events);
    batch.run(tx).await?;
    Ok(())
}

/// Adds timeline events to a batch of writes.
fn add_events(batch: &mut Batch<'_>, events: &[(ReportId, Timestamp, Event<'_>)]) {
    batch.insert(
        "INSERT INTO report_events (id, report_id, at, step, status_after, actor_id, org_id, public_note, private_note)",
        9,
        "",
        events,
        |values, (report, at, event)| {
            values
                .add(uuid::Uuid::now_v7().to_string())
                .add(report.to_string())
                .add(at.millis())
                .add(event.step.to_owned())
                .add(event.status_after.as_str())
                .add(event.actor.map(|u| u.to_string()))
                .add(event.org.map(|o| o.to_string()))
                .add(event.public_note.map(str::to_owned))
                .add(event.private_note.map(str::to_owned));
        },
    );
}

async fn get_tx(tx: &mut Tx<'_>, id: ReportId) -> StoreResult<Option<Report>> {
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports r WHERE r.id = $1");
    let row = on_tx!(tx, conn => sqlx::query_as::<_, ReportRow>(&sql).bind(id.to_string()).fetch_optional(conn).await)?;
    row.map(ReportRow::into_report).transpose()
}

/// The case as it stands, when `version` is still its version (else
/// `Stale`: someone changed it since the form was shown).
async fn current(tx: &mut Tx<'_>, id: ReportId, version: i64) -> StoreResult<Report> {
    let report = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    if report.version != version {
        return Err(StoreError::Stale);
    }
    Ok(report)
}

/// `Stale` when an update guarded by the case's version changed no row:
/// another transaction changed the case after it was read (PostgreSQL).
fn one_row_or_stale(updated: u64) -> StoreResult<()> {
    if updated == 0 { Err(StoreError::Stale) } else { Ok(()) }
}

/// The audit entry of an officer's change to a case (actor and target come
/// from the change itself).
struct Audited {
    action: &'static str,
    scope: RegionCode,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

/// What every change to a case leaves behind: its timeline event, the audit
/// entry of an officer's change, the change-log record. Returns the case as
/// it is now.
async fn record_change(
    tx: &mut Tx<'_>,
    id: ReportId,
    at: Timestamp,
    event: &Event<'_>,
    audited: Option<Audited>,
) -> StoreResult<Report> {
    insert_events(tx, &[(id, at, *event)]).await?;
    if let Some(Audited { action, scope, before, after }) = audited {
        let entry = AuditEntry {
            actor: event.actor,
            action,
            target_kind: "report",
            target_id: id.to_string(),
            scope_region: scope,
            before,
            after,
        };
        audit::append(tx, &entry).await?;
    }
    changes::record(tx, Entity::Report, &id.to_string()).await?;
    get_tx(tx, id).await?.ok_or(StoreError::NotFound)
}

/// One entry of a case's full timeline, as officers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    pub at: Timestamp,
    pub step: String,
    pub status_after: ReportStatus,
    pub actor: Option<UserId>,
    pub org: Option<OrgId>,
    pub public_note: Option<String>,
    pub private_note: Option<String>,
}

/// The full timeline of a case, oldest first, private notes included.
pub async fn case_events(db: &Db, id: ReportId) -> StoreResult<Vec<CaseEvent>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        at: i64,
        step: String,
        status_after: String,
        actor_id: Option<String>,
        org_id: Option<String>,
        public_note: Option<String>,
        private_note: Option<String>,
    }
    let rows = on_pool!(db, pool => sqlx::query_as::<_, Row>(
        "SELECT at, step, status_after, actor_id, org_id, public_note, private_note FROM report_events \
         WHERE report_id = $1 ORDER BY at, id",
    )
    .bind(id.to_string())
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|row| {
            Ok(CaseEvent {
                at: Timestamp(row.at),
                step: row.step,
                status_after: stored(ReportStatus::parse(&row.status_after), "report status")?,
                actor: parse_stored_opt(row.actor_id.as_deref(), "user id")?,
                org: parse_stored_opt(row.org_id.as_deref(), "organisation id")?,
                public_note: row.public_note,
                private_note: row.private_note,
            })
        })
        .collect()
}

/// Records that `actor` saw the identity of an anonymous reporter (the
/// audit log keeps who and when, not the identity).
pub async fn log_identity_view(tx: &mut Tx<'_>, report: &ReportRef, actor: UserId) -> StoreResult<()> {
    audit::append(
        tx,
        &AuditEntry {
            actor: Some(actor),
            action: action::REPORT_VIEW_IDENTITY,
            target_kind: "report",
            target_id: report.id.to_string(),
            scope_region: report.region.clone(),
            before: None,
            after: Some(json!({ "mode": report.mode.as_str() })),
        },
    )
    .await?;
    Ok(())
}

/// The condition that a report `r` lies in an officer's scope: filed in a
/// region they verify, or dispatched to an agency they serve.
fn scope_condition(args: &mut Args, scope: &ReportQueueScope) -> String {
    let mut reach: Vec<String> =
        scope.verifies_within.iter().map(|r| args.within("r.region_code", Some("r.regency_code"), r)).collect();
    if !scope.agencies.is_empty() {
        reach.push(format!("r.assigned_org_id IN ({})", args.texts(scope.agencies.iter().map(|o| o.to_string()))));
    }
    format!("({})", reach.join(" OR "))
}

/// Which reports a queue lists.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// One status; `None`: every unsettled case, by deadline.
    pub status: Option<ReportStatus>,
}

/// Most reports a queue page holds.
pub const QUEUE_PAGE: i64 = 50;

/// One page of an officer's queue: the reports of `scope`, unsettled ones
/// by deadline (soonest first), one status's newest first. `page` counts from 1.
pub async fn queue(db: &Db, scope: &ReportQueueScope, filter: &QueueFilter, page: i64) -> StoreResult<Vec<Report>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let reach = scope_condition(&mut args, scope);
    let (status_condition, order) = match filter.status {
        Some(status) => (format!("r.status = {}", args.text(status.as_str())), "r.created_at DESC, r.id DESC"),
        None => {
            let open = [
                ReportStatus::Baru,
                ReportStatus::Terverifikasi,
                ReportStatus::Didisposisikan,
                ReportStatus::Ditindaklanjuti,
            ];
            // Literals, not parameters: so the planner can match the
            // partial indexes of unsettled cases (migration 0012).
            let list: Vec<String> = open.iter().map(|s| format!("'{}'", s.as_str())).collect();
            (format!("r.status IN ({})", list.join(", ")), "r.due_at, r.id")
        }
    };
    let limit = args.int(QUEUE_PAGE);
    let offset = args.int((page.max(1) - 1) * QUEUE_PAGE);
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM reports r WHERE {reach} AND {status_condition} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    let rows = on_pool!(db, pool => bind_args!(sqlx::query_as::<_, ReportRow>(&sql), args).fetch_all(pool).await)?;
    rows.into_iter().map(ReportRow::into_report).collect()
}

// ------------------------------------------------------------ public lists

/// Which public reports a list shows (Open311's `requests.json`, the
/// public pages): never confidential ones or ones held for moderation.
#[derive(Debug, Clone, Default)]
pub struct PublicFilter {
    /// Filed in this region or any below it.
    pub within: Option<RegionCode>,
    pub category: Option<String>,
    /// `Some(true)`: settled only (Open311 `closed`); `Some(false)`: unsettled only.
    pub settled: Option<bool>,
    /// Filed at or after.
    pub from: Option<Timestamp>,
    /// Filed before.
    pub to: Option<Timestamp>,
}

/// The statuses of settled cases, as stored.
const SETTLED: [ReportStatus; 3] = [ReportStatus::Selesai, ReportStatus::BukanWewenang, ReportStatus::Diarsipkan];

/// Public reports, newest first, at most `limit` after skipping `offset`.
pub async fn public_reports(db: &Db, filter: &PublicFilter, limit: i64, offset: i64) -> StoreResult<Vec<Report>> {
    let mut args = Args::default();
    let mut conditions = vec![
        format!("r.mode <> {}", args.text(ReporterMode::Confidential.as_str())),
        format!("r.moderation <> {}", args.text("held")),
    ];
    if let Some(within) = &filter.within {
        conditions.push(args.within("r.region_code", Some("r.regency_code"), within));
    }
    if let Some(category) = &filter.category {
        conditions.push(format!("r.category = {}", args.text(category.clone())));
    }
    if let Some(settled) = filter.settled {
        let negation = if settled { "" } else { "NOT " };
        conditions.push(format!("r.status {negation}IN ({})", args.texts(SETTLED.iter().map(|s| s.as_str()))));
    }
    if let Some(from) = filter.from {
        conditions.push(format!("r.created_at >= {}", args.int(from.millis())));
    }
    if let Some(to) = filter.to {
        conditions.push(format!("r.created_at < {}", args.int(to.millis())));
    }
    let limit = args.int(limit);
    let offset = args.int(offset.max(0));
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM reports r WHERE {} ORDER BY r.created_at DESC, r.id DESC \
         LIMIT {limit} OFFSET {offset}",
        conditions.join(" AND ")
    );
    let rows = on_pool!(db, pool => bind_args!(sqlx::query_as::<_, ReportRow>(&sql), args).fetch_all(pool).await)?;
    rows.into_iter().map(ReportRow::into_report).collect()
}

// ------------------------------------------------------------ the reporter's side

/// Whether the holder of `key`, or `account`, filed the report (and so may
/// rate the answer or reopen the case).
pub async fn reporter_may_act(db: &Db, id: ReportId, key: Option<&str>, account: Option<UserId>) -> StoreResult<bool> {
    let row: Option<(Option<String>, Option<String>)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT p.reporter_key, r.filed_by FROM reports r JOIN report_reporters p ON p.report_id = r.id \
         WHERE r.id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(pool)
    .await)?;
    let Some((stored_key, filed_by)) = row else { return Ok(false) };
    let by_key =
        matches!((key, stored_key.as_deref()), (Some(given), Some(stored)) if !given.is_empty() && given == stored);
    let by_account = account.is_some_and(|a| filed_by.as_deref() == Some(a.to_string().as_str()));
    Ok(by_key || by_account)
}

/// What the reporter does after the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReporterResponse {
    /// Rates the answer 1-5, with an optional comment; the case closes.
    Rate { rating: i64, comment: Option<String> },
    /// Not satisfied: back to the agency, with why.
    Reopen { comment: String },
}

/// The reporter's response to an answer, within the response window (the
/// web layer checked [`reporter_may_act`]). `Invalid` on `status` when the
/// case is not answered or the window passed; on `rating` for a rating
/// outside 1-5.
pub async fn respond(tx: &mut Tx<'_>, id: ReportId, response: &ReporterResponse) -> StoreResult<Report> {
    let before = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    let now = Timestamp::now();
    let open = before.status == ReportStatus::Selesai
        && before.closed_at.is_none()
        && before.due_at.is_some_and(|window_end| now <= window_end);
    if !open {
        return Err(StoreError::Invalid(FieldError::new("status", ValidationCode::InvalidTransition)));
    }
    let (step, status, note) = match response {
        ReporterResponse::Rate { rating, comment } => {
            if !(1..=5).contains(rating) {
                return Err(StoreError::Invalid(FieldError::new("rating", ValidationCode::InvalidChoice)));
            }
            exec!(
                tx,
                sqlx::query(
                    "UPDATE reports SET rating = $1, rating_comment = $2, closed_at = $3, due_at = NULL, \
                     updated_at = $3, version = version + 1 WHERE id = $4",
                )
                .bind(rating)
                .bind(comment.as_deref())
                .bind(now.millis())
                .bind(id.to_string())
            )?;
            ("rate", ReportStatus::Selesai, comment.clone())
        }
        ReporterResponse::Reopen { comment } => {
            let next = transition(before.status, ReportStep::Reopen).map_err(|e| StoreError::Invalid(e.into()))?;
            let calendar = calendar_from(tx, wib_date(now)).await?;
            exec!(
                tx,
                sqlx::query(
                    "UPDATE reports SET status = $1, due_at = $2, updated_at = $3, version = version + 1 WHERE id = $4",
                )
                .bind(next.as_str())
                .bind(calendar.deadline(now, FOLLOW_UP_WORKING_DAYS).millis())
                .bind(now.millis())
                .bind(id.to_string())
            )?;
            ("reopen", next, Some(comment.clone()))
        }
    };
    let event = Event {
        step,
        status_after: status,
        actor: None,
        org: before.assigned_org,
        public_note: note.as_deref(),
        private_note: None,
    };
    record_change(tx, id, now, &event, None).await
}

/// Most cases one round of [`close_expired`] or [`escalate`] handles.
const ROUND: i64 = 500;

/// Closes answered cases whose response window passed without a response
/// (as SP4N-LAPOR! does); returns how many closed.
pub async fn close_expired(db: &Db, now: Timestamp) -> StoreResult<usize> {
    db.write(move |tx| {
        Box::pin(async move {
            let ids: Vec<String> = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT id FROM reports WHERE status = 'selesai' AND closed_at IS NULL AND due_at < $1 \
                 ORDER BY due_at LIMIT $2",
            )
            .bind(now.millis())
            .bind(ROUND)
            .fetch_all(conn)
            .await)?;
            if ids.is_empty() {
                return Ok(0);
            }
            let mut args = Args::default();
            let sql = format!(
                "UPDATE reports SET closed_at = {at}, due_at = NULL, updated_at = {at} WHERE id IN ({ids})",
                at = args.int(now.millis()),
                ids = args.texts(ids.iter().cloned()),
            );
            exec!(tx, bind_args!(sqlx::query(&sql), args))?;
            let closed = Event {
                step: "close",
                status_after: ReportStatus::Selesai,
                actor: None,
                org: None,
                public_note: None,
                private_note: None,
            };
            let events = ids
                .iter()
                .map(|id| Ok((parse_stored(id, "report id")?, now, closed)))
                .collect::<StoreResult<Vec<_>>>()?;
            insert_events(tx, &events).await?;
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            changes::record_many(tx, Entity::Report, &ids).await?;
            Ok(ids.len())
        })
    })
    .await
}

/// What one round of escalation did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Escalated {
    /// Cases past a deadline whose regency's Diskominfo was alerted.
    pub to_regency: usize,
    /// Cases unsettled after 60 days whose province was alerted.
    pub to_province: usize,
}

/// Alerts officers about late cases, each once per level: a case past its
/// stage's deadline to the regency's Diskominfo officers, a case unsettled
/// after 60 days (UU 25/2009) to the province admins. The alert is an
/// in-app notification linking to the case.
pub async fn escalate(db: &Db, now: Timestamp) -> StoreResult<Escalated> {
    db.write(move |tx| {
        Box::pin(async move {
            let mut done = Escalated::default();
            let unsettled = "status NOT IN ('selesai', 'bukan_wewenang', 'diarsipkan')";
            for (level, condition) in [(2_i64, "settle_by < $1"), (1, "due_at < $1")] {
                let sql = format!(
                    "SELECT id, tracking, region_code, regency_code FROM reports \
                     WHERE {unsettled} AND escalation < $2 AND {condition} ORDER BY created_at LIMIT $3"
                );
                let rows: Vec<(String, String, String, Option<String>)> = on_tx!(tx, conn => sqlx::query_as(&sql)
                    .bind(now.millis())
                    .bind(level)
                    .bind(ROUND)
                    .fetch_all(conn)
                    .await)?;
                for (id, tracking, region, regency) in rows {
                    let region: RegionCode = parse_stored(&region, "region code")?;
                    let (role, scope, kind) = if level == 2 {
                        (Role::ProvinceAdmin, region.province(), notifications::kind::REPORT_UNSETTLED)
                    } else {
                        let regency = regency.as_deref().map(|r| parse_stored(r, "region code")).transpose()?;
                        (
                            Role::RegencyOfficer,
                            regency.unwrap_or_else(|| region.province()),
                            notifications::kind::REPORT_OVERDUE,
                        )
                    };
                    let role = if level == 1 && scope.level() == jembatan_domain::RegionLevel::Province {
                        Role::ProvinceAdmin
                    } else {
                        role
                    };
                    exec!(tx, sqlx::query("UPDATE reports SET escalation = $1 WHERE id = $2").bind(level).bind(&id))?;
                    for user in grants::holders_tx(tx, role, &scope).await? {
                        let notification = notifications::NewNotification {
                            user,
                            kind,
                            subject_id: Some(id.clone()),
                            params: json!({ "tracking": tracking }),
                            link: Some(format!("/admin/aspirasi/{id}")),
                        };
                        notifications::create(tx, &notification).await?;
                    }
                    if level == 2 { done.to_province += 1 } else { done.to_regency += 1 }
                }
            }
            Ok(done)
        })
    })
    .await
}

// ------------------------------------------------------------ statistics and export

/// How one agency (or body) handles the cases dispatched to it.
#[derive(Debug, Clone, PartialEq)]
pub struct AgencyStats {
    pub org: OrgId,
    pub name: String,
    /// Cases dispatched to it (and not handed back).
    pub received: i64,
    pub answered: i64,
    pub answered_on_time: i64,
    /// Answered after the deadline, or unanswered and past it now.
    pub late: i64,
    /// Median time from filing to answer, in hours.
    pub median_hours_to_answer: Option<f64>,
    /// Mean rating of the answers reporters rated, and how many did.
    pub mean_rating: Option<f64>,
    pub rated: i64,
}

#[derive(sqlx::FromRow)]
struct StatsRow {
    org: String,
    name: String,
    received: i64,
    answered: i64,
    answered_on_time: i64,
    late: i64,
    rated: i64,
    rating_sum: i64,
}

/// Statistics of every agency or body with cases dispatched to it, in
/// `within` (the province for the public page), most cases first.
pub async fn agency_stats(db: &Db, within: &RegionCode, now: Timestamp) -> StoreResult<Vec<AgencyStats>> {
    let mut args = Args::default();
    let now_arg = args.int(now.millis());
    let within_clause = args.within("o.region_code", Some("o.regency_code"), within);
    let sql = format!(
        "SELECT o.id AS org, o.name AS name, COUNT(*) AS received, \
         SUM(CASE WHEN r.answered_at IS NOT NULL THEN 1 ELSE 0 END) AS answered, \
         SUM(CASE WHEN r.answered_at IS NOT NULL AND r.answered_late = 0 THEN 1 ELSE 0 END) AS answered_on_time, \
         SUM(CASE WHEN r.answered_late = 1 OR (r.answered_at IS NULL AND r.due_at < {now_arg} \
             AND r.status IN ('didisposisikan', 'ditindaklanjuti')) THEN 1 ELSE 0 END) AS late, \
         SUM(CASE WHEN r.rating IS NOT NULL THEN 1 ELSE 0 END) AS rated, \
         CAST(COALESCE(SUM(r.rating), 0) AS BIGINT) AS rating_sum \
         FROM reports r JOIN organisations o ON o.id = r.assigned_org_id \
         WHERE {within_clause} GROUP BY o.id, o.name ORDER BY received DESC, o.name"
    );
    let rows = on_pool!(db, pool => bind_args!(sqlx::query_as::<_, StatsRow>(&sql), args).fetch_all(pool).await)?;
    // Every answer's time to answer, by agency, in one read (not one per agency).
    let mut args = Args::default();
    let within_clause = args.within("o.region_code", Some("o.regency_code"), within);
    let sql = format!(
        "SELECT r.assigned_org_id, r.answered_at - r.created_at FROM reports r \
         JOIN organisations o ON o.id = r.assigned_org_id \
         WHERE r.answered_at IS NOT NULL AND {within_clause} ORDER BY 1, 2"
    );
    let answers: Vec<(String, i64)> =
        on_pool!(db, pool => bind_args!(sqlx::query_as(&sql), args).fetch_all(pool).await)?;
    let mut durations: HashMap<String, Vec<i64>> = HashMap::new();
    for (org, took) in answers {
        durations.entry(org).or_default().push(took);
    }
    let mut stats = Vec::with_capacity(rows.len());
    for row in rows {
        let durations = durations.remove(&row.org).unwrap_or_default();
        let median = match durations.len() {
            0 => None,
            n if n % 2 == 1 => Some(durations[n / 2] as f64),
            n => Some((durations[n / 2 - 1] + durations[n / 2]) as f64 / 2.0),
        };
        stats.push(AgencyStats {
            org: parse_stored(&row.org, "organisation id")?,
            name: row.name,
            received: row.received,
            answered: row.answered,
            answered_on_time: row.answered_on_time,
            late: row.late,
            median_hours_to_answer: median.map(|ms| ms / 3_600_000.0),
            mean_rating: (row.rated > 0).then(|| row.rating_sum as f64 / row.rated as f64),
            rated: row.rated,
        });
    }
    Ok(stats)
}

/// Every report of an officer's scope, oldest first, for the CSV export
/// (without the reporters: identities never leave the case page).
pub async fn export(db: &Db, scope: &ReportQueueScope) -> StoreResult<Vec<Report>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let reach = scope_condition(&mut args, scope);
    let sql = format!("SELECT {REPORT_COLUMNS} FROM reports r WHERE {reach} ORDER BY r.created_at, r.id");
    let rows = on_pool!(db, pool => bind_args!(sqlx::query_as::<_, ReportRow>(&sql), args).fetch_all(pool).await)?;
    rows.into_iter().map(ReportRow::into_report).collect()
}

// ------------------------------------------------------------ the verifier's corrections

/// Sets a report's region (one placed at the province from its location,
/// or filed in the wrong village) if its version is still `version`
/// (else `Stale`); the web layer checked the actor verifies both the old
/// and the new region. `Invalid` on `region` for an unknown region or a
/// province.
pub async fn set_region(
    tx: &mut Tx<'_>,
    id: ReportId,
    version: i64,
    region: &RegionCode,
    actor: Option<UserId>,
) -> StoreResult<Report> {
    let before = current(tx, id, version).await?;
    if region.level() == jembatan_domain::RegionLevel::Province {
        return Err(StoreError::Invalid(FieldError::new("region", ValidationCode::WrongRegionLevel)));
    }
    require_region(tx, "region", region).await?;
    let now = Timestamp::now();
    let updated = exec!(
        tx,
        sqlx::query(
            "UPDATE reports SET region_code = $1, regency_code = $2, region_unconfirmed = 0, updated_at = $3, \
             version = version + 1 WHERE id = $4 AND version = $5",
        )
        .bind(region.as_str())
        .bind(region.regency().map(String::from))
        .bind(now.millis())
        .bind(id.to_string())
        .bind(version)
    )?;
    one_row_or_stale(updated)?;
    let event = Event {
        step: "set_region",
        status_after: before.status,
        actor,
        org: None,
        public_note: Some(region.as_str()),
        private_note: None,
    };
    let audited = Audited {
        action: action::REPORT_SET_REGION,
        scope: before.region.province(),
        before: Some(json!({ "region": before.region.as_str() })),
        after: Some(json!({ "region": region.as_str() })),
    };
    record_change(tx, id, now, &event, Some(audited)).await
}

/// Clears a report held for moderation (its words were not abuse after
/// all): it becomes public as its mode allows. `Invalid` on `status` when
/// it is not held; `Stale` when `version` moved on.
pub async fn clear_moderation(
    tx: &mut Tx<'_>,
    id: ReportId,
    version: i64,
    actor: Option<UserId>,
) -> StoreResult<Report> {
    let before = current(tx, id, version).await?;
    if !before.held {
        return Err(StoreError::Invalid(FieldError::new("status", ValidationCode::InvalidTransition)));
    }
    let now = Timestamp::now();
    let updated = exec!(
        tx,
        sqlx::query(
            "UPDATE reports SET moderation = 'cleared', updated_at = $1, version = version + 1 \
             WHERE id = $2 AND version = $3",
        )
        .bind(now.millis())
        .bind(id.to_string())
        .bind(version)
    )?;
    one_row_or_stale(updated)?;
    let event = Event {
        step: "clear_moderation",
        status_after: before.status,
        actor,
        org: None,
        public_note: None,
        private_note: None,
    };
    let audited = Audited {
        action: action::REPORT_CLEAR_MODERATION,
        scope: before.region.clone(),
        before: Some(json!({ "moderation": "held" })),
        after: Some(json!({ "moderation": "cleared" })),
    };
    record_change(tx, id, now, &event, Some(audited)).await
}

// ------------------------------------------------------------ information requests (UU 14/2008)

fn not_allowed() -> StoreError {
    StoreError::Invalid(FieldError::new("status", ValidationCode::InvalidTransition))
}

/// Moves an information request's answer deadline once, by 7 working days
/// after the original one, with `notice` (its reason) shown to the public
/// and sent to the requester. `Invalid` on `class` for another class, on
/// `status` when already extended or settled; `Stale` when `version` moved.
pub async fn extend_answer(
    tx: &mut Tx<'_>,
    id: ReportId,
    version: i64,
    notice: &str,
    actor: Option<UserId>,
) -> StoreResult<Report> {
    let before = current(tx, id, version).await?;
    if before.class != ReportClass::PermintaanInformasi {
        return Err(StoreError::Invalid(FieldError::new("class", ValidationCode::InvalidChoice)));
    }
    let Some(due) = before.answer_due_at.filter(|_| !before.answer_extended && !before.status.is_settled()) else {
        return Err(not_allowed());
    };
    let now = Timestamp::now();
    let calendar = calendar_from(tx, wib_date(due)).await?;
    let extended = calendar.deadline(due, INFORMATION_EXTENSION_WORKING_DAYS);
    let updated = exec!(
        tx,
        sqlx::query(
            "UPDATE reports SET answer_due_at = $1, answer_extended = 1, updated_at = $2, version = version + 1 \
             WHERE id = $3 AND version = $4",
        )
        .bind(extended.millis())
        .bind(now.millis())
        .bind(id.to_string())
        .bind(version)
    )?;
    one_row_or_stale(updated)?;
    let event = Event {
        step: "extend",
        status_after: before.status,
        actor,
        org: before.assigned_org,
        public_note: Some(notice),
        private_note: None,
    };
    let args = BTreeMap::from([("status".to_owned(), "extended".to_owned()), ("note".to_owned(), notice.to_owned())]);
    notify(tx, id, &before.tracking, REPORT_UPDATED_MESSAGE, args).await?;
    let audited = Audited {
        action: action::REPORT_EXTEND,
        scope: before.region.clone(),
        before: Some(json!({ "answer_due_at": due.millis() })),
        after: Some(json!({ "answer_due_at": extended.millis() })),
    };
    record_change(tx, id, now, &event, Some(audited)).await
}

/// The requester's objection (keberatan) to an information request's
/// answer, or to its absence past the deadline (the web layer checked
/// [`reporter_may_act`]): recorded once, with `reason` public, to be
/// answered within 30 working days; an answered case goes back to the
/// agency. `Invalid` on `class` for another class, on `status` when there
/// is nothing to object to yet or an objection was already made.
pub async fn object(tx: &mut Tx<'_>, id: ReportId, reason: &str) -> StoreResult<Report> {
    let before = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    if before.class != ReportClass::PermintaanInformasi {
        return Err(StoreError::Invalid(FieldError::new("class", ValidationCode::InvalidChoice)));
    }
    let now = Timestamp::now();
    let answered_and_open = before.status == ReportStatus::Selesai && before.closed_at.is_none();
    let unanswered_late = before.answered_at.is_none()
        && !before.status.is_settled()
        && before.answer_due_at.is_some_and(|due| due < now);
    if before.objection_at.is_some() || !(answered_and_open || unanswered_late) {
        return Err(not_allowed());
    }
    let calendar = calendar_from(tx, wib_date(now)).await?;
    let objection_due = calendar.deadline(now, OBJECTION_WORKING_DAYS);
    let status = if answered_and_open {
        transition(before.status, ReportStep::Reopen).map_err(|e| StoreError::Invalid(e.into()))?
    } else {
        before.status
    };
    exec!(
        tx,
        sqlx::query(
            "UPDATE reports SET objection_at = $1, objection_due_at = $2, status = $3, due_at = $2, updated_at = $1, \
             version = version + 1 WHERE id = $4",
        )
        .bind(now.millis())
        .bind(objection_due.millis())
        .bind(status.as_str())
        .bind(id.to_string())
    )?;
    let event = Event {
        step: "objection",
        status_after: status,
        actor: None,
        org: before.assigned_org,
        public_note: Some(reason),
        private_note: None,
    };
    record_change(tx, id, now, &event, None).await
}

// ------------------------------------------------------------ hand-overs

/// How a case went to a body without an account here.
pub const HANDOVER_METHODS: &[&str] = &["surat", "email", "langsung"];

/// Records that a case dispatched to a body without accounts (a village or
/// district office, PLN, Polres, a BUMD) was handed over to it, and how
/// (one of [`HANDOVER_METHODS`]); shown on the public timeline, audited.
/// `Invalid` on `method` for another method, on `status` when the case is
/// not dispatched to such a body.
pub async fn record_handover(
    tx: &mut Tx<'_>,
    id: ReportId,
    version: i64,
    method: &str,
    actor: Option<UserId>,
) -> StoreResult<Report> {
    let before = current(tx, id, version).await?;
    if !HANDOVER_METHODS.contains(&method) {
        return Err(StoreError::Invalid(FieldError::new("method", ValidationCode::InvalidChoice)));
    }
    let body: Option<(String, String)> = match before.assigned_org {
        Some(org) => on_tx!(tx, conn => sqlx::query_as("SELECT kind, name FROM organisations WHERE id = $1")
            .bind(org.to_string())
            .fetch_optional(conn)
            .await)?,
        None => None,
    };
    let Some((_, name)) = body.filter(|(kind, _)| kind == "body" && before.status == ReportStatus::Didisposisikan)
    else {
        return Err(not_allowed());
    };
    let now = Timestamp::now();
    let updated = exec!(
        tx,
        sqlx::query("UPDATE reports SET updated_at = $1, version = version + 1 WHERE id = $2 AND version = $3")
            .bind(now.millis())
            .bind(id.to_string())
            .bind(version)
    )?;
    one_row_or_stale(updated)?;
    let note = format!("{name} ({method})");
    let event = Event {
        step: "handover",
        status_after: before.status,
        actor,
        org: before.assigned_org,
        public_note: Some(&note),
        private_note: None,
    };
    let audited = Audited {
        action: action::REPORT_HANDOVER,
        scope: before.region.clone(),
        before: None,
        after: Some(json!({ "org": before.assigned_org, "method": method })),
    };
    record_change(tx, id, now, &event, Some(audited)).await
}

/// Longest SP4N-LAPOR! tracking number accepted.
const MAX_LAPOR_TRACKING_CHARS: usize = 40;

/// Records SP4N-LAPOR!'s tracking number of a case an officer filed there
/// (after declaring it not our authority, or instead of dispatching it);
/// shown on the public timeline, audited. `Invalid` on `lapor_tracking`
/// for an empty or overlong number, on `status` for a case answered or
/// archived.
pub async fn record_lapor(
    tx: &mut Tx<'_>,
    id: ReportId,
    version: i64,
    lapor_tracking: &str,
    actor: Option<UserId>,
) -> StoreResult<Report> {
    let before = current(tx, id, version).await?;
    let number = jembatan_domain::error::required_text("lapor_tracking", lapor_tracking, MAX_LAPOR_TRACKING_CHARS)
        .map_err(StoreError::Invalid)?;
    if matches!(before.status, ReportStatus::Selesai | ReportStatus::Diarsipkan) {
        return Err(not_allowed());
    }
    let now = Timestamp::now();
    let updated = exec!(
        tx,
        sqlx::query(
            "UPDATE reports SET lapor_tracking = $1, updated_at = $2, version = version + 1 \
             WHERE id = $3 AND version = $4",
        )
        .bind(&number)
        .bind(now.millis())
        .bind(id.to_string())
        .bind(version)
    )?;
    one_row_or_stale(updated)?;
    let event = Event {
        step: "handover_lapor",
        status_after: before.status,
        actor,
        org: None,
        public_note: Some(&number),
        private_note: None,
    };
    let audited = Audited {
        action: action::REPORT_HANDOVER_LAPOR,
        scope: before.region.clone(),
        before: None,
        after: Some(json!({ "lapor_tracking": number })),
    };
    record_change(tx, id, now, &event, Some(audited)).await
}
