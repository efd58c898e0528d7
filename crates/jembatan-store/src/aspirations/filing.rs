//! Filing reports in groups: [`submit_many`] files many reports in one
//! transaction with a few statements for all of them, and [`Filer`] feeds
//! it the reports that arrive while the previous group is being written.
//!
//! Why: on SQLite every statement of the single writer is a hand-over
//! between threads (sqlx runs each connection on a thread of its own), and
//! filing one report alone takes about eight of them. Under load the
//! writer, not the disk, was the limit. A group pays for its statements
//! once, and one commit (one fsync) still makes every report of the group
//! durable before any tracking number is returned.
//!
//! Each report of a group succeeds or fails alone (an unknown category
//! refuses that report only); the group's outcome is the same as filing
//! its reports one after the other in arrival order, duplicate flags and
//! the per-contact hourly limit included. The limit is counted here, in
//! the transaction, rather than by a read before filing: reports that
//! arrive together cannot slip past it, and no filing pays for a read of
//! its own.

use std::collections::{BTreeMap, HashSet};

use jembatan_domain::aspiration::{
    AttachmentId, NewReport, ReportClass, ReportId, ReportStatus, TrackingNumber, is_abusive, near_identical,
};
use jembatan_domain::calendar::{INFORMATION_WORKING_DAYS, MAX_UNSETTLED_DAYS, VERIFY_WORKING_DAYS, wib_date};
use jembatan_domain::{FieldError, RegionCode, Timestamp, ValidationCode};
use sha2::{Digest, Sha256};
use std::sync::Arc;

use tokio::sync::{Semaphore, mpsc, oneshot};

use super::{
    DUPLICATE_WINDOW_MS, Event, Filed, REPORT_FILED_MESSAGE, Report, Submission, TimelineEntry, contact_hash, existing,
    hex, insert_events, insert_reporters, new_reporter_key, new_tracking, notify, replay,
};
use crate::changes::{self, Entity};
use crate::db::{Db, Tx, insert_rows, rows_per_statement, value_tuples};
use crate::error::{StoreError, StoreResult};
use crate::holidays::calendar_from;
use crate::on_tx;
use crate::organisations::{Args, bind_args, parse_stored};

/// Most reports filed in one group.
pub const MAX_GROUP: usize = 200;

/// Groups being written at once on PostgreSQL, which commits them side by
/// side. On SQLite one: its single writer would run them one after the
/// other anyway, and smaller groups cost more statements per report.
const POSTGRES_GROUPS_IN_FLIGHT: usize = 4;

/// How many earlier reports of the same reporter are compared for duplicates.
const DUPLICATE_CANDIDATES: usize = 20;

/// Files reports, each `Ok` with its tracking number or `Err` alone
/// (`Invalid` on `category`, `region` or `kim`; `Conflict` for an
/// Idempotency-Key reused with another request; `ContactLimit` when the
/// reporter's phone or e-mail filed `contact_limit_per_hour` reports
/// within the hour already, counting this group's earlier ones). The outer
/// error is the database's: nothing of the group is written then.
pub async fn submit_many(
    tx: &mut Tx<'_>,
    filings: &[(&NewReport, &Submission)],
    contact_limit_per_hour: Option<u32>,
) -> StoreResult<Vec<StoreResult<Filed>>> {
    let mut outcomes = Vec::with_capacity(filings.len());
    for group in filings.chunks(MAX_GROUP) {
        outcomes.extend(submit_group(tx, group, contact_limit_per_hour).await?);
    }
    Ok(outcomes)
}

/// When the group is filed, and the deadlines its reports start with.
#[derive(Clone, Copy)]
struct Stage {
    now: Timestamp,
    /// To verify.
    due_at: Timestamp,
    /// To answer an information request.
    answer_due_at: Timestamp,
    /// To settle (UU 25/2009).
    settle_by: Timestamp,
}

/// A report that passed the checks, on its way into the tables.
struct Accepted<'a> {
    position: usize,
    report: &'a NewReport,
    submission: &'a Submission,
    id: ReportId,
    region: RegionCode,
    contact: Option<String>,
    duplicate_of: Option<(ReportId, TrackingNumber)>,
    held: bool,
    tracking: TrackingNumber,
    reporter_key: String,
}

async fn submit_group(
    tx: &mut Tx<'_>,
    filings: &[(&NewReport, &Submission)],
    contact_limit_per_hour: Option<u32>,
) -> StoreResult<Vec<StoreResult<Filed>>> {
    let mut outcomes: Vec<Option<StoreResult<Filed>>> = (0..filings.len()).map(|_| None).collect();
    // A retry with a key already used gets the first report back (one
    // read finds which keys are used).
    let keys: Vec<&str> = filings.iter().filter_map(|(_, s)| s.idempotency.as_ref().map(|(k, _)| k.as_str())).collect();
    let used = existing(tx, "SELECT idempotency_key FROM reports WHERE idempotency_key IN", &keys).await?;
    for (position, (_, submission)) in filings.iter().enumerate() {
        if let Some((key, sha)) = submission.idempotency.as_ref().filter(|(key, _)| used.contains(key)) {
            match replay(tx, key, sha).await {
                Ok(Some(filed)) => outcomes[position] = Some(Ok(filed)),
                Ok(None) => {}
                Err(StoreError::Conflict(code)) => outcomes[position] = Some(Err(StoreError::Conflict(code))),
                Err(e) => return Err(e),
            }
        }
    }

    let place = |(report, submission): &(&NewReport, &Submission)| {
        report.region.clone().unwrap_or_else(|| submission.province.clone())
    };
    let categories: Vec<&str> = filings.iter().map(|(r, _)| r.category.as_str()).collect();
    let categories = existing(tx, "SELECT slug FROM report_categories WHERE slug IN", &dedup(categories)).await?;
    let places: Vec<String> = filings.iter().map(|f| place(f).as_str().to_owned()).collect();
    let regions = existing(tx, "SELECT code FROM regions WHERE code IN", &dedup(strs(&places))).await?;
    let kims: Vec<String> = filings.iter().filter_map(|(_, s)| s.facilitated_by.map(|k| k.to_string())).collect();
    let kims = existing(tx, "SELECT id FROM organisations WHERE kind = 'kim' AND id IN", &dedup(strs(&kims))).await?;

    let now = Timestamp::now();
    let calendar = calendar_from(tx, wib_date(now)).await?;
    let due_at = calendar.deadline(now, VERIFY_WORKING_DAYS);
    let answer_due_at = calendar.deadline(now, INFORMATION_WORKING_DAYS);
    let settle_by = now.plus_seconds(MAX_UNSETTLED_DAYS * 24 * 3600);

    let mut accepted: Vec<Accepted> = Vec::new();
    for (position, filing) in filings.iter().enumerate() {
        if outcomes[position].is_some() {
            continue;
        }
        let (report, submission) = *filing;
        let refused = if !categories.contains(&report.category) {
            Some(FieldError::new("category", ValidationCode::InvalidChoice))
        } else if !regions.contains(places[position].as_str()) {
            Some(FieldError::new("region", ValidationCode::UnknownRegion))
        } else if submission.facilitated_by.is_some_and(|k| !kims.contains(&k.to_string())) {
            Some(FieldError::new("kim", ValidationCode::InvalidChoice))
        } else {
            None
        };
        if let Some(error) = refused {
            outcomes[position] = Some(Err(StoreError::Invalid(error)));
            continue;
        }
        let region = place(filing);
        accepted.push(Accepted {
            position,
            report,
            submission,
            id: ReportId::generate(),
            tracking: new_tracking(&region),
            region,
            contact: contact_hash(&report.reporter),
            duplicate_of: None,
            held: is_abusive(&report.title) || is_abusive(&report.description),
            reporter_key: new_reporter_key(),
        });
    }

    let mut accepted = weigh_against_earlier(tx, accepted, &mut outcomes, contact_limit_per_hour, now).await?;
    if accepted.is_empty() {
        return Ok(decided(outcomes));
    }
    draw_free_trackings(tx, &mut accepted).await?;
    let stage = Stage { now, due_at, answer_due_at, settle_by };
    let inserted = insert_reports(tx, &accepted, &stage).await?;
    // A report not inserted met its Idempotency-Key already used: by a
    // report earlier in this group, or by another process meanwhile
    // (PostgreSQL). It is answered once the others are written.
    let (accepted, lost): (Vec<Accepted>, Vec<Accepted>) =
        accepted.into_iter().partition(|report| inserted.contains(&report.id.to_string()));

    let reporters: Vec<_> = accepted
        .iter()
        .map(|row| (row.id, &row.report.reporter, row.contact.as_deref(), row.reporter_key.as_str()))
        .collect();
    insert_reporters(tx, &reporters).await?;
    let events: Vec<_> = accepted
        .iter()
        .map(|row| {
            let filing = Event {
                step: "submit",
                status_after: ReportStatus::Baru,
                actor: row.submission.filed_by,
                org: row.submission.facilitated_by,
                public_note: None,
                private_note: None,
            };
            (row.id, now, filing)
        })
        .collect();
    insert_events(tx, &events).await?;
    let attachments: Vec<(&Accepted, usize, &super::NewAttachment)> = accepted
        .iter()
        .flat_map(|row| row.submission.attachments.iter().enumerate().map(move |(i, a)| (row, i, a)))
        .collect();
    insert_rows!(
        tx,
        "INSERT INTO report_attachments (id, report_id, event_id, position, mime, byte_size, sha256, bytes, created_at)",
        9,
        "",
        attachments,
        |query, row| {
            let (report, position, attachment) = row;
            query
                .bind(AttachmentId::generate().to_string())
                .bind(report.id.to_string())
                .bind(None::<String>)
                .bind(*position as i64)
                .bind(&attachment.mime)
                .bind(attachment.bytes.len() as i64)
                .bind(hex(&Sha256::digest(&attachment.bytes)))
                .bind(&attachment.bytes)
                .bind(now.millis())
        }
    );
    for row in &accepted {
        // Without an address or an account there is no one to e-mail: no lookup.
        if row.report.reporter.email.is_some() || row.submission.filed_by.is_some() {
            notify(tx, row.id, &row.tracking, REPORT_FILED_MESSAGE, BTreeMap::new()).await?;
        }
    }
    let ids: Vec<String> = accepted.iter().map(|row| row.id.to_string()).collect();
    changes::record_many(tx, Entity::Report, &strs(&ids)).await?;
    for report in lost {
        let replayed = match &report.submission.idempotency {
            Some((key, sha)) => replay(tx, key, sha).await.transpose(),
            None => None,
        };
        outcomes[report.position] = Some(
            replayed.unwrap_or_else(|| Err(StoreError::Internal("the report's tracking number was taken".into()))),
        );
    }
    for row in accepted {
        let new = row.report;
        let information = new.class == ReportClass::PermintaanInformasi;
        // As `get` reads it back (a test holds the two together).
        let report = Report {
            id: row.id,
            tracking: row.tracking.clone(),
            class: new.class,
            status: ReportStatus::Baru,
            mode: new.mode,
            channel: row.submission.channel,
            title: new.title.clone(),
            description: new.description.clone(),
            category: new.category.clone(),
            region: row.region.clone(),
            region_unconfirmed: new.region.is_none(),
            location: new.location,
            event_date: new.event_date,
            filed_by: row.submission.filed_by,
            facilitated_by: row.submission.facilitated_by,
            assigned_org: None,
            duplicate_of: row.duplicate_of.as_ref().map(|(id, _)| *id),
            held: row.held,
            due_at: Some(due_at),
            answer_due_at: information.then_some(answer_due_at),
            settle_by,
            created_at: now,
            updated_at: now,
            version: 1,
            attachments: row.submission.attachments.len() as i64,
            answered_at: None,
            answered_late: false,
            rating: None,
            rating_comment: None,
            closed_at: None,
            escalation: 0,
            answer_extended: false,
            objection_at: None,
            objection_due_at: None,
            lapor_tracking: None,
        };
        let filing = TimelineEntry {
            at: now,
            step: "submit".to_owned(),
            status_after: ReportStatus::Baru,
            org: row.submission.facilitated_by,
            public_note: None,
        };
        outcomes[row.position] = Some(Ok(Filed {
            id: row.id,
            tracking: row.tracking,
            duplicate_of: row.duplicate_of.map(|(_, tracking)| tracking),
            held: row.held,
            replayed: false,
            reporter_key: row.reporter_key,
            report,
            timeline: vec![filing],
        }));
    }
    Ok(decided(outcomes))
}

fn decided(outcomes: Vec<Option<StoreResult<Filed>>>) -> Vec<StoreResult<Filed>> {
    outcomes.into_iter().map(|o| o.expect("every report decided")).collect()
}

fn strs(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

fn dedup(mut values: Vec<&str>) -> Vec<&str> {
    values.sort_unstable();
    values.dedup();
    values
}

/// Weighs each report, in arrival order, against what its reporter
/// (contact or account) filed within a day, stored before or kept earlier
/// in this group: refuses it (`ContactLimit` in `outcomes`) when its
/// contact is at `limit` for the hour, otherwise flags it when it repeats
/// an earlier report in near-identical words. Returns the reports kept.
async fn weigh_against_earlier<'a>(
    tx: &mut Tx<'_>,
    accepted: Vec<Accepted<'a>>,
    outcomes: &mut [Option<StoreResult<Filed>>],
    limit: Option<u32>,
    now: Timestamp,
) -> StoreResult<Vec<Accepted<'a>>> {
    let contacts: Vec<&str> = accepted.iter().filter_map(|r| r.contact.as_deref()).collect();
    let accounts: Vec<String> = accepted.iter().filter_map(|r| r.submission.filed_by.map(|u| u.to_string())).collect();
    if contacts.is_empty() && accounts.is_empty() {
        return Ok(accepted);
    }
    #[derive(sqlx::FromRow)]
    struct Earlier {
        contact_key: Option<String>,
        filed_by: Option<String>,
        id: String,
        tracking: String,
        title: String,
        description: String,
        created_at: i64,
    }
    // Two indexed lookups (by contact, by account), not one OR over the
    // day's reports: that would read every report filed today.
    let mut args = Args::default();
    let since = args.int(now.millis() - DUPLICATE_WINDOW_MS);
    let contact_list = args.texts(dedup(contacts));
    let account_list = args.texts(dedup(strs(&accounts)));
    let columns = "p.contact_key, r.filed_by, r.id, r.tracking, r.title, r.description, r.created_at";
    let sql = format!(
        "SELECT {columns} FROM report_reporters p JOIN reports r ON r.id = p.report_id \
         WHERE p.contact_key IN ({contact_list}) AND r.created_at >= {since} \
         UNION \
         SELECT {columns} FROM reports r JOIN report_reporters p ON p.report_id = r.id \
         WHERE r.filed_by IN ({account_list}) AND r.created_at >= {since} \
         ORDER BY 7 DESC"
    );
    let earlier: Vec<Earlier> =
        on_tx!(tx, conn => bind_args!(sqlx::query_as::<_, Earlier>(&sql), args).fetch_all(conn).await)?;
    let hour_ago = now.millis() - 3600 * 1000;
    let mut kept: Vec<Accepted<'a>> = Vec::with_capacity(accepted.len());
    for mut report in accepted {
        if let (Some(limit), Some(contact)) = (limit, report.contact.as_deref()) {
            let stored = earlier
                .iter()
                .filter(|row| row.contact_key.as_deref() == Some(contact) && row.created_at >= hour_ago)
                .count();
            let grouped = kept.iter().filter(|e| e.contact.as_deref() == Some(contact)).count();
            if stored + grouped >= limit as usize {
                outcomes[report.position] = Some(Err(StoreError::ContactLimit));
                continue;
            }
        }
        let account = report.submission.filed_by.map(|u| u.to_string());
        let same_reporter = |contact: Option<&str>, filed_by: Option<&str>| {
            (report.contact.is_some() && contact == report.contact.as_deref())
                || (account.is_some() && filed_by == account.as_deref())
        };
        // Newest first: this group's reports, then the stored ones.
        let mut candidates: Vec<(ReportId, TrackingNumber, String)> = kept
            .iter()
            .rev()
            .filter(|e| same_reporter(e.contact.as_deref(), e.submission.filed_by.map(|u| u.to_string()).as_deref()))
            .map(|e| (e.id, e.tracking.clone(), text_of(&e.report.title, &e.report.description)))
            .collect();
        for row in earlier.iter().filter(|row| same_reporter(row.contact_key.as_deref(), row.filed_by.as_deref())) {
            let id = parse_stored(&row.id, "report id")?;
            candidates.push((
                id,
                TrackingNumber::from_stored(row.tracking.clone()),
                text_of(&row.title, &row.description),
            ));
        }
        candidates.truncate(DUPLICATE_CANDIDATES);
        let text = text_of(&report.report.title, &report.report.description);
        report.duplicate_of = candidates
            .into_iter()
            .find(|(_, _, earlier)| near_identical(earlier, &text))
            .map(|(id, tracking, _)| (id, tracking));
        kept.push(report);
    }
    Ok(kept)
}

/// What duplicates are compared on.
fn text_of(title: &str, description: &str) -> String {
    format!("{title}\n{description}")
}

/// Draws the tracking numbers again for the reports whose number is taken
/// (stored, or drawn twice in this group); one in a trillion.
async fn draw_free_trackings(tx: &mut Tx<'_>, accepted: &mut [Accepted<'_>]) -> StoreResult<()> {
    for _ in 0..5 {
        let numbers: Vec<&str> = accepted.iter().map(|r| r.tracking.as_str()).collect();
        let taken: HashSet<String> = existing(tx, "SELECT tracking FROM reports WHERE tracking IN", &numbers).await?;
        let mut seen = HashSet::new();
        let mut clash = false;
        for report in accepted.iter_mut() {
            if taken.contains(report.tracking.as_str()) || !seen.insert(report.tracking.as_str().to_owned()) {
                report.tracking = new_tracking(&report.region);
                clash = true;
            }
        }
        if !clash {
            return Ok(());
        }
    }
    Err(StoreError::Internal("no free tracking numbers after 5 draws".into()))
}

/// Inserts the reports' rows; returns the ids inserted (a report whose
/// Idempotency-Key another transaction used meanwhile is left out).
async fn insert_reports(tx: &mut Tx<'_>, accepted: &[Accepted<'_>], stage: &Stage) -> StoreResult<HashSet<String>> {
    const COLUMNS: usize = 26;
    let Stage { now, due_at, answer_due_at, settle_by } = *stage;
    let mut inserted = HashSet::new();
    for chunk in accepted.chunks(rows_per_statement(tx.backend(), COLUMNS)) {
        let sql = format!(
            "INSERT INTO reports (id, tracking, class, status, mode, channel, title, description, category, \
             region_code, regency_code, region_unconfirmed, lat_e6, lon_e6, event_date, filed_by, facilitated_by, \
             duplicate_of, moderation, due_at, answer_due_at, settle_by, created_at, updated_at, \
             idempotency_key, request_sha256) VALUES {} ON CONFLICT DO NOTHING RETURNING id",
            value_tuples(tx.backend(), chunk.len(), COLUMNS)
        );
        let ids: Vec<String> = on_tx!(tx, conn => {
            let mut query = sqlx::query_scalar(&sql);
            for row in chunk {
                let report = row.report;
                let information = report.class == ReportClass::PermintaanInformasi;
                query = query
                    .bind(row.id.to_string())
                    .bind(row.tracking.as_str())
                    .bind(report.class.as_str())
                    .bind(ReportStatus::Baru.as_str())
                    .bind(report.mode.as_str())
                    .bind(row.submission.channel.as_str())
                    .bind(&report.title)
                    .bind(&report.description)
                    .bind(&report.category)
                    .bind(row.region.as_str())
                    .bind(row.region.regency().map(String::from))
                    .bind(i64::from(report.region.is_none()))
                    .bind(report.location.map(|l| l.lat_e6))
                    .bind(report.location.map(|l| l.lon_e6))
                    .bind(report.event_date.map(|d| d.format("%Y-%m-%d").to_string()))
                    .bind(row.submission.filed_by.map(|u| u.to_string()))
                    .bind(row.submission.facilitated_by.map(|o| o.to_string()))
                    .bind(row.duplicate_of.as_ref().map(|(id, _)| id.to_string()))
                    .bind(if row.held { "held" } else { "none" })
                    .bind(due_at.millis())
                    .bind(information.then_some(answer_due_at.millis()))
                    .bind(settle_by.millis())
                    .bind(now.millis())
                    .bind(now.millis())
                    .bind(row.submission.idempotency.as_ref().map(|(k, _)| k.as_str()))
                    .bind(row.submission.idempotency.as_ref().map(|(_, sha)| sha.as_str()));
            }
            query.fetch_all(conn).await
        })?;
        inserted.extend(ids);
    }
    Ok(inserted)
}

/// A report waiting for its group.
struct Pending {
    report: NewReport,
    submission: Submission,
    reply: oneshot::Sender<StoreResult<Filed>>,
}

/// Files reports in groups: the reports that arrive while a group is
/// being written go together into the next one. Cheap to clone.
#[derive(Clone)]
pub struct Filer {
    queue: mpsc::Sender<Pending>,
}

impl Filer {
    /// Starts the task that writes the groups to `db`, refusing reports
    /// past `contact_limit_per_hour` (see [`submit_many`]).
    pub fn start(db: Db, contact_limit_per_hour: Option<u32>) -> Filer {
        let (queue, waiting) = mpsc::channel(4 * MAX_GROUP);
        tokio::spawn(write_groups(db, waiting, contact_limit_per_hour));
        Filer { queue }
    }

    /// Files a report; answers once it is committed (on disk).
    pub async fn file(&self, report: NewReport, submission: Submission) -> StoreResult<Filed> {
        let (reply, answer) = oneshot::channel();
        self.queue.send(Pending { report, submission, reply }).await.map_err(|_| StoreError::WriterClosed)?;
        answer.await.map_err(|_| StoreError::WriterClosed)?
    }
}

async fn write_groups(db: Db, mut waiting: mpsc::Receiver<Pending>, contact_limit_per_hour: Option<u32>) {
    let groups_in_flight = match db.backend() {
        crate::Backend::Sqlite => 1,
        crate::Backend::Postgres => POSTGRES_GROUPS_IN_FLIGHT,
    };
    let in_flight = Arc::new(Semaphore::new(groups_in_flight));
    let mut group = Vec::with_capacity(MAX_GROUP);
    while waiting.recv_many(&mut group, MAX_GROUP).await > 0 {
        let Ok(permit) = in_flight.clone().acquire_owned().await else { return };
        let (filings, replies): (Vec<(NewReport, Submission)>, Vec<_>) =
            group.drain(..).map(|p| ((p.report, p.submission), p.reply)).unzip();
        let db = db.clone();
        tokio::spawn(async move {
            let written = db
                .write(move |tx| {
                    Box::pin(async move {
                        let refs: Vec<(&NewReport, &Submission)> = filings.iter().map(|(r, s)| (r, s)).collect();
                        submit_many(tx, &refs, contact_limit_per_hour).await
                    })
                })
                .await;
            drop(permit);
            match written {
                Ok(outcomes) => {
                    for (reply, outcome) in replies.into_iter().zip(outcomes) {
                        let _ = reply.send(outcome);
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, reports = replies.len(), "filing a group of reports failed");
                    for reply in replies {
                        let _ = reply.send(Err(StoreError::Internal(format!("filing failed: {e}"))));
                    }
                }
            }
        });
    }
}
