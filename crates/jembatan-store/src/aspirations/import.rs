//! Reports brought in whole, with their history: generated for benchmarks
//! (`jembatan seed --reports`) and, one day, moved here from another
//! system. Many reports per transaction, a few multi-row statements per
//! table, as content's `import_many` does.
//!
//! The history is replayed through the same state machine and deadline
//! rules as live steps ([`transition`], [`stage_deadline`]), so an imported
//! case looks exactly like one worked here: its status, its current
//! deadline, its answer's lateness, its public timeline. Nothing is sent to
//! the reporter: the messages belong to the past.

use std::collections::{HashMap, HashSet};

use jembatan_domain::aspiration::{
    Channel, NewReport, ReportClass, ReportId, ReportStatus, ReportStep, TrackingNumber, is_abusive, transition,
};
use jembatan_domain::calendar::{
    INFORMATION_WORKING_DAYS, MAX_UNSETTLED_DAYS, VERIFY_WORKING_DAYS, WorkingCalendar, wib_date,
};
use jembatan_domain::organisation::OrgKind;
use jembatan_domain::{FieldError, OrgId, RegionCode, Timestamp, ValidationCode};
use serde_json::json;

use super::{
    Event, add_events, add_reporters, contact_hash, existing, handles_region, needs_public_note, new_reporter_key,
    stage_deadline,
};
use crate::audit::{self, AuditEntry, action};
use crate::batch::Batch;
use crate::changes::{self, Entity};
use crate::db::{Tx, insert_rows};
use crate::error::{StoreError, StoreResult};
use crate::holidays::calendar_between;
use crate::organisations;

/// What happened to a case after it was filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportedEvent {
    /// An officer's workflow step; `org` is the body dispatched to.
    Step { step: ReportStep, org: Option<OrgId>, public_note: Option<String> },
    /// The reporter rated the answer 1-5; the case closed.
    Rated { rating: i64, comment: Option<String> },
    /// The response window passed without a response; the case closed.
    Closed,
}

/// A report and its history, oldest event first.
#[derive(Debug, Clone)]
pub struct ImportedReport {
    pub report: NewReport,
    /// Kept as given: the key that makes importing again add nothing.
    pub tracking: TrackingNumber,
    pub channel: Channel,
    pub facilitated_by: Option<OrgId>,
    pub filed_at: Timestamp,
    pub history: Vec<(Timestamp, ImportedEvent)>,
}

/// What [`import_many`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: u64,
    /// Already stored under their tracking number: left as they were.
    pub existing: u64,
}

/// Stores reports with their histories; the ones whose tracking number is
/// taken are left alone. Every history is checked first (allowed
/// transitions only, in time order, notes where a step needs one, a body
/// dispatched to that serves the report's region), as are categories,
/// regions and KIMs: one fault refuses the whole batch as `Invalid`,
/// nothing written. Each created report is audited (`report.import`) and
/// recorded in the change log.
pub async fn import_many(tx: &mut Tx<'_>, reports: &[ImportedReport]) -> StoreResult<ImportCounts> {
    let trackings: Vec<&str> = reports.iter().map(|r| r.tracking.as_str()).collect();
    let taken = existing(tx, "SELECT tracking FROM reports WHERE tracking IN", &trackings).await?;
    let mut seen = HashSet::new();
    let new: Vec<&ImportedReport> =
        reports.iter().filter(|r| !taken.contains(r.tracking.as_str()) && seen.insert(r.tracking.as_str())).collect();
    let counts = ImportCounts { created: new.len() as u64, existing: (reports.len() - new.len()) as u64 };
    if new.is_empty() {
        return Ok(counts);
    }
    check_references(tx, &new).await?;
    let handlers = handlers(tx, &new).await?;

    let first = new.iter().map(|r| r.filed_at).min().expect("not empty");
    let last = new.iter().flat_map(|r| r.history.iter().map(|(at, _)| *at)).chain([first]).max().expect("not empty");
    let calendar = calendar_between(tx, wib_date(first), wib_date(last)).await?;
    let now = Timestamp::now();
    let mut rows = Vec::with_capacity(new.len());
    for imported in &new {
        rows.push(replay(imported, &calendar, &handlers, now)?);
    }

    insert_rows!(
        tx,
        "INSERT INTO reports (id, tracking, class, status, mode, channel, title, description, category, region_code, \
         regency_code, region_unconfirmed, lat_e6, lon_e6, event_date, facilitated_by, assigned_org_id, moderation, \
         due_at, answer_due_at, settle_by, created_at, updated_at, version, answered_at, answered_late, rating, \
         rating_comment, closed_at)",
        29,
        "",
        rows,
        |query, row| {
            let report = &row.imported.report;
            query
                .bind(row.id.to_string())
                .bind(row.imported.tracking.as_str())
                .bind(report.class.as_str())
                .bind(row.status.as_str())
                .bind(report.mode.as_str())
                .bind(row.imported.channel.as_str())
                .bind(&report.title)
                .bind(&report.description)
                .bind(&report.category)
                .bind(row.region.as_str())
                .bind(row.region.regency().map(String::from))
                .bind(0i64)
                .bind(report.location.map(|l| l.lat_e6))
                .bind(report.location.map(|l| l.lon_e6))
                .bind(report.event_date.map(|d| d.format("%Y-%m-%d").to_string()))
                .bind(row.imported.facilitated_by.map(|o| o.to_string()))
                .bind(row.assigned.map(|o| o.to_string()))
                .bind(if row.held { "held" } else { "none" })
                .bind(row.due_at.map(Timestamp::millis))
                .bind(row.answer_due_at.map(Timestamp::millis))
                .bind(row.imported.filed_at.millis() + MAX_UNSETTLED_DAYS * 24 * 3600 * 1000)
                .bind(row.imported.filed_at.millis())
                .bind(row.updated_at.millis())
                .bind(row.imported.history.len() as i64 + 1)
                .bind(row.answered_at.map(Timestamp::millis))
                .bind(i64::from(row.answered_late))
                .bind(row.rating)
                .bind(row.rating_comment.as_deref())
                .bind(row.closed_at.map(Timestamp::millis))
        }
    );
    let contacts: Vec<Option<String>> = rows.iter().map(|row| contact_hash(&row.imported.report.reporter)).collect();
    let keys: Vec<String> = rows.iter().map(|_| new_reporter_key()).collect();
    let reporters: Vec<_> = rows
        .iter()
        .zip(&contacts)
        .zip(&keys)
        .map(|((row, contact), key)| (row.id, &row.imported.report.reporter, contact.as_deref(), key.as_str()))
        .collect();
    let events: Vec<_> = rows
        .iter()
        .flat_map(|row| {
            row.events.iter().map(|e| {
                let event = Event {
                    step: e.step,
                    status_after: e.status_after,
                    actor: None,
                    org: e.org,
                    public_note: e.public_note.as_deref(),
                    private_note: None,
                };
                (row.id, e.at, event)
            })
        })
        .collect();
    let ids: Vec<String> = rows.iter().map(|row| row.id.to_string()).collect();
    let mut batch = Batch::new(tx.backend());
    add_reporters(&mut batch, &reporters);
    add_events(&mut batch, &events);
    changes::add(&mut batch, Entity::Report, &ids.iter().map(String::as_str).collect::<Vec<_>>());
    batch.run(tx).await?;
    let entries: Vec<AuditEntry> = rows
        .iter()
        .map(|row| AuditEntry {
            actor: None,
            action: action::REPORT_IMPORT,
            target_kind: "report",
            target_id: row.id.to_string(),
            scope_region: row.region.clone(),
            before: None,
            after: Some(json!({ "tracking": row.imported.tracking.as_str(), "status": row.status.as_str() })),
        })
        .collect();
    audit::append_many(tx, &entries).await?;
    Ok(counts)
}

/// A report as its history left it, ready to insert.
struct ReportRow<'a> {
    imported: &'a ImportedReport,
    id: ReportId,
    region: RegionCode,
    status: ReportStatus,
    held: bool,
    assigned: Option<OrgId>,
    due_at: Option<Timestamp>,
    answer_due_at: Option<Timestamp>,
    updated_at: Timestamp,
    answered_at: Option<Timestamp>,
    answered_late: bool,
    rating: Option<i64>,
    rating_comment: Option<String>,
    closed_at: Option<Timestamp>,
    events: Vec<EventRow>,
}

impl ReportRow<'_> {
    /// The answered case closes: rated, or silent past its window.
    fn close(&mut self, at: Timestamp, step: &'static str, org: Option<OrgId>, public_note: Option<String>) {
        self.closed_at = Some(at);
        self.due_at = None;
        self.events.push(EventRow { at, step, status_after: ReportStatus::Selesai, org, public_note });
    }
}

/// One timeline event.
struct EventRow {
    at: Timestamp,
    step: &'static str,
    status_after: ReportStatus,
    org: Option<OrgId>,
    public_note: Option<String>,
}

/// Where a body dispatched to sits, by id.
type Handlers = HashMap<OrgId, (OrgKind, RegionCode)>;

fn invalid(field: &str, code: ValidationCode) -> StoreError {
    StoreError::Invalid(FieldError::new(field, code))
}

/// Plays a report's history through the workflow as live steps would.
fn replay<'a>(
    imported: &'a ImportedReport,
    calendar: &WorkingCalendar,
    handlers: &Handlers,
    now: Timestamp,
) -> StoreResult<ReportRow<'a>> {
    let report = &imported.report;
    let filed_at = imported.filed_at;
    let region = report.region.clone().ok_or_else(|| invalid("region", ValidationCode::Required))?;
    let mut row = ReportRow {
        imported,
        id: ReportId::generate(),
        region,
        status: ReportStatus::Baru,
        held: is_abusive(&report.title) || is_abusive(&report.description),
        assigned: None,
        due_at: Some(calendar.deadline(filed_at, VERIFY_WORKING_DAYS)),
        answer_due_at: (report.class == ReportClass::PermintaanInformasi)
            .then(|| calendar.deadline(filed_at, INFORMATION_WORKING_DAYS)),
        updated_at: filed_at,
        answered_at: None,
        answered_late: false,
        rating: None,
        rating_comment: None,
        closed_at: None,
        events: Vec::with_capacity(imported.history.len() + 1),
    };
    row.events.push(EventRow {
        at: filed_at,
        step: "submit",
        status_after: ReportStatus::Baru,
        org: None,
        public_note: None,
    });
    let mut previous = filed_at;
    for (at, event) in &imported.history {
        if *at < previous || *at > now {
            return Err(invalid("history", ValidationCode::InvalidTransition));
        }
        previous = *at;
        let closing = row.status == ReportStatus::Selesai && row.closed_at.is_none();
        match event {
            ImportedEvent::Step { step, org, public_note } => {
                let next = transition(row.status, *step).map_err(|e| StoreError::Invalid(e.into()))?;
                if needs_public_note(*step) && public_note.is_none() {
                    return Err(invalid("public_note", ValidationCode::Required));
                }
                match step {
                    ReportStep::Dispatch => {
                        let org = org.ok_or_else(|| invalid("org", ValidationCode::Required))?;
                        let (kind, at_region) =
                            handlers.get(&org).ok_or_else(|| invalid("org", ValidationCode::InvalidChoice))?;
                        if !handles_region(*kind, at_region, &row.region) {
                            return Err(invalid("org", ValidationCode::InvalidChoice));
                        }
                        row.assigned = Some(org);
                    }
                    ReportStep::ReturnToVerifier => row.assigned = None,
                    ReportStep::Answer => {
                        row.answered_at = Some(*at);
                        row.answered_late = row.due_at.is_some_and(|due| due < *at);
                    }
                    _ => {}
                }
                row.due_at = stage_deadline(*step, row.due_at, calendar, *at);
                row.status = next;
                row.events.push(EventRow {
                    at: *at,
                    step: step.as_str(),
                    status_after: next,
                    org: row.assigned,
                    public_note: public_note.clone(),
                });
            }
            ImportedEvent::Rated { rating, comment } => {
                if !closing || row.due_at.is_some_and(|end| *at > end) {
                    return Err(invalid("status", ValidationCode::InvalidTransition));
                }
                if !(1..=5).contains(rating) {
                    return Err(invalid("rating", ValidationCode::InvalidChoice));
                }
                row.rating = Some(*rating);
                row.rating_comment = comment.clone();
                let org = row.assigned;
                row.close(*at, "rate", org, comment.clone());
            }
            ImportedEvent::Closed => {
                if !closing {
                    return Err(invalid("status", ValidationCode::InvalidTransition));
                }
                row.close(*at, "close", None, None);
            }
        }
        row.updated_at = *at;
    }
    Ok(row)
}

/// Refuses the batch when a category, region or facilitating KIM is unknown.
async fn check_references(tx: &mut Tx<'_>, reports: &[&ImportedReport]) -> StoreResult<()> {
    let mut categories: Vec<&str> = reports.iter().map(|r| r.report.category.as_str()).collect();
    let mut regions: Vec<&str> =
        reports.iter().filter_map(|r| r.report.region.as_ref().map(RegionCode::as_str)).collect();
    let kims: Vec<String> = reports.iter().filter_map(|r| r.facilitated_by.map(|o| o.to_string())).collect();
    let mut kims: Vec<&str> = kims.iter().map(String::as_str).collect();
    for (sql, field, values) in [
        ("SELECT slug FROM report_categories WHERE slug IN", "category", &mut categories),
        ("SELECT code FROM regions WHERE code IN", "region", &mut regions),
        ("SELECT id FROM organisations WHERE kind = 'kim' AND id IN", "kim", &mut kims),
    ] {
        values.sort_unstable();
        values.dedup();
        let found = existing(tx, sql, values).await?;
        if values.iter().any(|v| !found.contains(*v)) {
            return Err(invalid(field, ValidationCode::InvalidChoice));
        }
    }
    Ok(())
}

/// The bodies the histories dispatch to, with their kind and region.
async fn handlers(tx: &mut Tx<'_>, reports: &[&ImportedReport]) -> StoreResult<Handlers> {
    let mut ids: Vec<OrgId> = reports
        .iter()
        .flat_map(|r| r.history.iter())
        .filter_map(|(_, event)| match event {
            ImportedEvent::Step { org: Some(org), .. } => Some(*org),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    // A handful of bodies per batch: one lookup each.
    let mut found = Handlers::new();
    for id in ids {
        if let Some(org) = organisations::org_ref_tx(tx, id).await? {
            found.insert(id, (org.kind, org.region));
        }
    }
    Ok(found)
}
