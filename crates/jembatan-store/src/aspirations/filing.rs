//! Filing reports in groups: [`submit_many`] files many reports in one
//! transaction with a few statements for all of them, and [`Filer`] feeds
//! it the reports that arrive while the previous group is being written.
//!
//! Why: on SQLite every statement of the single writer is a hand-over
//! between threads (sqlx runs each connection on a thread of its own), and
//! under load each hand-over waits for a core. The writer, not the disk,
//! was the limit. A group pays for its statements once: one read of
//! everything its checks need ([`GroupFacts`]), one [`Batch`] of inserts
//! (on SQLite a single call). One commit (one fsync) still makes every
//! report of the group durable before any tracking number is returned.
//!
//! Each report of a group succeeds or fails alone (an unknown category
//! refuses that report only); the group's outcome is the same as filing
//! its reports one after the other in arrival order, duplicate flags and
//! the per-contact hourly limit included. The limit is counted here, in
//! the transaction, rather than by a read before filing: reports that
//! arrive together cannot slip past it, and no filing pays for a read of
//! its own.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use jembatan_domain::aspiration::{
    AttachmentId, NewReport, ReportClass, ReportId, ReportStatus, TrackingNumber, is_abusive, near_identical,
};
use jembatan_domain::calendar::{INFORMATION_WORKING_DAYS, MAX_UNSETTLED_DAYS, VERIFY_WORKING_DAYS, wib_date};
use jembatan_domain::{FieldError, RegionCode, Timestamp, ValidationCode};
use sha2::{Digest, Sha256};
use tokio::sync::{Semaphore, mpsc, oneshot};

use super::{
    DUPLICATE_WINDOW_MS, Event, Filed, NewAttachment, REPORT_FILED_MESSAGE, Report, Submission, TimelineEntry,
    add_events, add_reporters, contact_hash, existing, hex, new_reporter_key, new_tracking, replay, report_message,
};
use crate::batch::Batch;
use crate::changes::{self, Entity};
use crate::db::{Backend, Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::holidays::{calendar_of, calendar_span};
use crate::on_tx;
use crate::organisations::{Args, bind_args, parse_stored};
use crate::outbox;

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

/// A report the reporter (contact or account) filed within the day.
struct Earlier {
    contact_key: Option<String>,
    filed_by: Option<String>,
    id: String,
    tracking: String,
    title: String,
    description: String,
    created_at: i64,
}

/// What a group's checks need from the database, read with one statement
/// (see the module's why).
#[derive(Default)]
struct GroupFacts {
    categories: HashSet<String>,
    regions: HashSet<String>,
    kims: HashSet<String>,
    holidays: Vec<String>,
    /// Idempotency-Keys of the group already used.
    used_keys: HashSet<String>,
    /// Tracking numbers drawn for the group that are taken.
    taken_trackings: HashSet<String>,
    /// The e-mail address of each filing account, by account id.
    account_emails: HashMap<String, String>,
    /// The group's reporters' reports of the last day, newest first.
    earlier: Vec<Earlier>,
}

/// One row of the facts' read: `fact` names what the row is; the other
/// columns are the fact's, NULL where it has none.
#[derive(sqlx::FromRow)]
struct FactRow {
    fact: String,
    key: Option<String>,
    detail: Option<String>,
    id: Option<String>,
    tracking: Option<String>,
    title: Option<String>,
    description: Option<String>,
    created_at: Option<i64>,
}

/// What [`read_facts`] looks up.
struct FactsWanted<'a> {
    categories: Vec<&'a str>,
    regions: Vec<&'a str>,
    kims: Vec<String>,
    keys: Vec<&'a str>,
    trackings: Vec<&'a str>,
    accounts: Vec<String>,
    contacts: Vec<&'a str>,
    today: chrono::NaiveDate,
    since: i64,
}

async fn read_facts(tx: &mut Tx<'_>, wanted: FactsWanted<'_>) -> StoreResult<GroupFacts> {
    let mut args = Args::default();
    let (first_day, last_day) = calendar_span(wanted.today, wanted.today);
    // Every branch has the same eight columns; the casts give PostgreSQL
    // their types where a branch has none.
    let fact = |name: &str, key: &str, detail: &str, from: String| {
        format!(
            "SELECT '{name}' AS fact, {key} AS key, {detail} AS detail, CAST(NULL AS TEXT) AS id, \
             CAST(NULL AS TEXT) AS tracking, CAST(NULL AS TEXT) AS title, CAST(NULL AS TEXT) AS description, \
             CAST(NULL AS BIGINT) AS created_at FROM {from}"
        )
    };
    const NONE: &str = "CAST(NULL AS TEXT)";
    let since = args.int(wanted.since);
    let earlier_columns =
        "'earlier', p.contact_key, r.filed_by, r.id, r.tracking, r.title, r.description, r.created_at";
    let branches = [
        fact("category", "slug", NONE, format!("report_categories WHERE slug IN ({})", args.texts(wanted.categories))),
        fact("region", "code", NONE, format!("regions WHERE code IN ({})", args.texts(wanted.regions))),
        fact("kim", "id", NONE, format!("organisations WHERE kind = 'kim' AND id IN ({})", args.texts(wanted.kims))),
        fact(
            "holiday",
            "day",
            NONE,
            format!("holidays WHERE day >= {} AND day <= {}", args.text(first_day), args.text(last_day)),
        ),
        fact("key", "idempotency_key", NONE, format!("reports WHERE idempotency_key IN ({})", args.texts(wanted.keys))),
        fact("tracking", "tracking", NONE, format!("reports WHERE tracking IN ({})", args.texts(wanted.trackings))),
        fact(
            "account",
            "id",
            "email",
            format!("users WHERE id IN ({}) AND deleted_at IS NULL", args.texts(wanted.accounts.iter().cloned())),
        ),
        // Two indexed lookups (by contact, by account), not one OR over
        // the day's reports: that would read every report filed today.
        format!(
            "SELECT {earlier_columns} FROM report_reporters p JOIN reports r ON r.id = p.report_id \
             WHERE p.contact_key IN ({}) AND r.created_at >= {since}",
            args.texts(wanted.contacts)
        ),
        format!(
            "SELECT {earlier_columns} FROM reports r JOIN report_reporters p ON p.report_id = r.id \
             WHERE r.filed_by IN ({}) AND r.created_at >= {since}",
            args.texts(wanted.accounts)
        ),
    ];
    let sql = branches.join(" UNION ALL ");
    let rows: Vec<FactRow> =
        on_tx!(tx, conn => bind_args!(sqlx::query_as::<_, FactRow>(&sql), args).fetch_all(conn).await)?;
    let mut facts = GroupFacts::default();
    let mut earlier_ids = HashSet::new();
    for row in rows {
        let key = row.key.unwrap_or_default();
        match row.fact.as_str() {
            "category" => drop(facts.categories.insert(key)),
            "region" => drop(facts.regions.insert(key)),
            "kim" => drop(facts.kims.insert(key)),
            "holiday" => facts.holidays.push(key),
            "key" => drop(facts.used_keys.insert(key)),
            "tracking" => drop(facts.taken_trackings.insert(key)),
            "account" => {
                if let Some(email) = row.detail {
                    facts.account_emails.insert(key, email);
                }
            }
            "earlier" => {
                // A report found by both its contact and its account counts once.
                let id = row.id.unwrap_or_default();
                if earlier_ids.insert(id.clone()) {
                    facts.earlier.push(Earlier {
                        contact_key: Some(key).filter(|k| !k.is_empty()),
                        filed_by: row.detail,
                        id,
                        tracking: row.tracking.unwrap_or_default(),
                        title: row.title.unwrap_or_default(),
                        description: row.description.unwrap_or_default(),
                        created_at: row.created_at.unwrap_or_default(),
                    });
                }
            }
            other => return Err(StoreError::Internal(format!("unknown fact {other}"))),
        }
    }
    facts.earlier.sort_by_key(|row| std::cmp::Reverse(row.created_at));
    Ok(facts)
}

async fn submit_group(
    tx: &mut Tx<'_>,
    filings: &[(&NewReport, &Submission)],
    contact_limit_per_hour: Option<u32>,
) -> StoreResult<Vec<StoreResult<Filed>>> {
    let mut outcomes: Vec<Option<StoreResult<Filed>>> = (0..filings.len()).map(|_| None).collect();
    let now = Timestamp::now();
    let places: Vec<RegionCode> = filings
        .iter()
        .map(|(report, submission)| report.region.clone().unwrap_or_else(|| submission.province.clone()))
        .collect();
    let trackings: Vec<TrackingNumber> = places.iter().map(new_tracking).collect();
    let contacts: Vec<Option<String>> = filings.iter().map(|(report, _)| contact_hash(&report.reporter)).collect();
    let accounts: Vec<String> = filings.iter().filter_map(|(_, s)| s.filed_by.map(|u| u.to_string())).collect();
    let facts = read_facts(
        tx,
        FactsWanted {
            categories: dedup(filings.iter().map(|(r, _)| r.category.as_str()).collect()),
            regions: dedup(places.iter().map(RegionCode::as_str).collect()),
            kims: filings.iter().filter_map(|(_, s)| s.facilitated_by.map(|k| k.to_string())).collect(),
            keys: filings.iter().filter_map(|(_, s)| s.idempotency.as_ref().map(|(k, _)| k.as_str())).collect(),
            trackings: trackings.iter().map(TrackingNumber::as_str).collect(),
            accounts: dedup(strs(&accounts)).into_iter().map(str::to_owned).collect(),
            contacts: dedup(contacts.iter().flatten().map(String::as_str).collect()),
            today: wib_date(now),
            since: now.millis() - DUPLICATE_WINDOW_MS,
        },
    )
    .await?;

    // A retry with a key already used gets the first report back.
    for (position, (_, submission)) in filings.iter().enumerate() {
        let Some((key, sha)) = submission.idempotency.as_ref().filter(|(key, _)| facts.used_keys.contains(key)) else {
            continue;
        };
        match replay(tx, key, sha).await {
            Ok(Some(filed)) => outcomes[position] = Some(Ok(filed)),
            Ok(None) => {}
            Err(StoreError::Conflict(code)) => outcomes[position] = Some(Err(StoreError::Conflict(code))),
            Err(e) => return Err(e),
        }
    }

    let calendar = calendar_of(facts.holidays.iter().map(String::as_str));
    let stage = Stage {
        now,
        due_at: calendar.deadline(now, VERIFY_WORKING_DAYS),
        answer_due_at: calendar.deadline(now, INFORMATION_WORKING_DAYS),
        settle_by: now.plus_seconds(MAX_UNSETTLED_DAYS * 24 * 3600),
    };

    let mut accepted: Vec<Accepted> = Vec::new();
    for (position, ((report, submission), (region, (tracking, contact)))) in
        filings.iter().zip(places.into_iter().zip(trackings.into_iter().zip(contacts))).enumerate()
    {
        if outcomes[position].is_some() {
            continue;
        }
        let refused = if !facts.categories.contains(&report.category) {
            Some(FieldError::new("category", ValidationCode::InvalidChoice))
        } else if !facts.regions.contains(region.as_str()) {
            Some(FieldError::new("region", ValidationCode::UnknownRegion))
        } else if submission.facilitated_by.is_some_and(|k| !facts.kims.contains(&k.to_string())) {
            Some(FieldError::new("kim", ValidationCode::InvalidChoice))
        } else {
            None
        };
        if let Some(error) = refused {
            outcomes[position] = Some(Err(StoreError::Invalid(error)));
            continue;
        }
        accepted.push(Accepted {
            position,
            report,
            submission,
            id: ReportId::generate(),
            tracking,
            region,
            contact,
            duplicate_of: None,
            held: is_abusive(&report.title) || is_abusive(&report.description),
            reporter_key: new_reporter_key(),
        });
    }

    let accepted = weigh_against_earlier(accepted, &facts.earlier, &mut outcomes, contact_limit_per_hour, now)?;
    // A retry that arrived in the same group as its first try is answered
    // by a replay once the first is written.
    let mut keys_kept = HashSet::new();
    let (kept, retried): (Vec<Accepted>, Vec<Accepted>) = accepted.into_iter().partition(|report| {
        report.submission.idempotency.as_ref().is_none_or(|(key, _)| keys_kept.insert(key.clone()))
    });
    let mut accepted = kept;
    let mut lost: Vec<usize> = retried.iter().map(|report| report.position).collect();
    if accepted.is_empty() {
        return Ok(decided(outcomes));
    }
    let clash = {
        let mut seen = HashSet::new();
        accepted
            .iter()
            .any(|r| facts.taken_trackings.contains(r.tracking.as_str()) || !seen.insert(r.tracking.as_str()))
    };
    if clash {
        draw_free_trackings(tx, &mut accepted).await?;
    }

    let mut batch = Batch::new(tx.backend());
    add_reports(&mut batch, &accepted, &stage);
    // On PostgreSQL another process may have used a report's
    // Idempotency-Key since the read: learn which reports went in before
    // writing their rows. On SQLite, the single writer, nothing can come
    // between the read and the write, and the group goes in one call.
    if tx.backend() == Backend::Postgres {
        let inserted: HashSet<String> =
            std::mem::replace(&mut batch, Batch::new(Backend::Postgres)).run(tx).await?.into_iter().collect();
        let (went_in, not): (Vec<Accepted>, Vec<Accepted>) =
            accepted.into_iter().partition(|report| inserted.contains(&report.id.to_string()));
        accepted = went_in;
        lost.extend(not.iter().map(|report| report.position));
    }
    add_dependents(&mut batch, &accepted, &facts, now)?;
    batch.run(tx).await?;
    for position in lost {
        let replayed = match &filings[position].1.idempotency {
            Some((key, sha)) => replay(tx, key, sha).await.transpose(),
            None => None,
        };
        outcomes[position] = Some(
            replayed.unwrap_or_else(|| Err(StoreError::Internal("the report's tracking number was taken".into()))),
        );
    }
    for row in accepted {
        let position = row.position;
        outcomes[position] = Some(Ok(filed(row, &stage)));
    }
    Ok(decided(outcomes))
}

/// The report as filed, as `get` reads it back (a test holds the two together).
fn filed(row: Accepted<'_>, stage: &Stage) -> Filed {
    let Stage { now, due_at, answer_due_at, settle_by } = *stage;
    let new = row.report;
    let information = new.class == ReportClass::PermintaanInformasi;
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
    Filed {
        id: row.id,
        tracking: row.tracking,
        duplicate_of: row.duplicate_of.map(|(_, tracking)| tracking),
        held: row.held,
        replayed: false,
        reporter_key: row.reporter_key,
        report,
        timeline: vec![filing],
    }
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
/// (contact or account) filed within a day (`earlier`, newest first) or
/// earlier in this group: refuses it (`ContactLimit` in `outcomes`) when
/// its contact is at `limit` for the hour, otherwise flags it when it
/// repeats an earlier report in near-identical words. Returns the reports
/// kept.
fn weigh_against_earlier<'a>(
    accepted: Vec<Accepted<'a>>,
    earlier: &[Earlier],
    outcomes: &mut [Option<StoreResult<Filed>>],
    limit: Option<u32>,
    now: Timestamp,
) -> StoreResult<Vec<Accepted<'a>>> {
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
            if candidates.len() >= DUPLICATE_CANDIDATES {
                break;
            }
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

/// Adds the reports' rows to the batch; the insert returns the ids it
/// inserted (a report whose Idempotency-Key another transaction used
/// meanwhile is left out).
fn add_reports<'a>(batch: &mut Batch<'a>, accepted: &[Accepted<'a>], stage: &Stage) {
    let Stage { now, due_at, answer_due_at, settle_by } = *stage;
    batch.insert(
        "INSERT INTO reports (id, tracking, class, status, mode, channel, title, description, category, \
         region_code, regency_code, region_unconfirmed, lat_e6, lon_e6, event_date, filed_by, facilitated_by, \
         duplicate_of, moderation, due_at, answer_due_at, settle_by, created_at, updated_at, \
         idempotency_key, request_sha256)",
        26,
        "ON CONFLICT DO NOTHING RETURNING id",
        accepted,
        |values, row| {
            let (report, submission): (&'a NewReport, &'a Submission) = (row.report, row.submission);
            let information = report.class == ReportClass::PermintaanInformasi;
            values
                .add(row.id.to_string())
                .add(row.tracking.as_str().to_owned())
                .add(report.class.as_str())
                .add(ReportStatus::Baru.as_str())
                .add(report.mode.as_str())
                .add(submission.channel.as_str())
                .add(report.title.as_str())
                .add(report.description.as_str())
                .add(report.category.as_str())
                .add(row.region.as_str().to_owned())
                .add(row.region.regency().map(String::from))
                .add(i64::from(report.region.is_none()))
                .add(report.location.map(|l| l.lat_e6))
                .add(report.location.map(|l| l.lon_e6))
                .add(report.event_date.map(|d| d.format("%Y-%m-%d").to_string()))
                .add(submission.filed_by.map(|u| u.to_string()))
                .add(submission.facilitated_by.map(|o| o.to_string()))
                .add(row.duplicate_of.as_ref().map(|(id, _)| id.to_string()))
                .add(if row.held { "held" } else { "none" })
                .add(due_at.millis())
                .add(information.then_some(answer_due_at.millis()))
                .add(settle_by.millis())
                .add(now.millis())
                .add(now.millis())
                .add(submission.idempotency.as_ref().map(|(k, _)| k.as_str()))
                .add(submission.idempotency.as_ref().map(|(_, sha)| sha.as_str()));
        },
    );
}

/// Adds what goes with each filed report to the batch: its reporter, the
/// filing on its timeline, its attachments, the e-mail to the reporter
/// (when there is an address: theirs or the filing account's) and the
/// change log's entries.
fn add_dependents<'a>(
    batch: &mut Batch<'a>,
    accepted: &[Accepted<'a>],
    facts: &GroupFacts,
    now: Timestamp,
) -> StoreResult<()> {
    let reporters: Vec<_> = accepted
        .iter()
        .map(|row| (row.id, &row.report.reporter, row.contact.as_deref(), row.reporter_key.as_str()))
        .collect();
    add_reporters(batch, &reporters);
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
    add_events(batch, &events);
    let attachments: Vec<(ReportId, usize, &'a NewAttachment)> = accepted
        .iter()
        .flat_map(|row| {
            let submission: &'a Submission = row.submission;
            submission.attachments.iter().enumerate().map(move |(i, a)| (row.id, i, a))
        })
        .collect();
    batch.insert(
        "INSERT INTO report_attachments (id, report_id, event_id, position, mime, byte_size, sha256, bytes, created_at)",
        9,
        "",
        &attachments,
        |values, (report, position, attachment)| {
            let attachment: &'a NewAttachment = attachment;
            values
                .add(AttachmentId::generate().to_string())
                .add(report.to_string())
                .add(None::<String>)
                .add(*position as i64)
                .add(attachment.mime.as_str())
                .add(attachment.bytes.len() as i64)
                .add(hex(&Sha256::digest(&attachment.bytes)))
                .add(attachment.bytes.as_slice())
                .add(now.millis());
        },
    );
    let messages: Vec<_> = accepted
        .iter()
        .filter_map(|row| {
            let email = row.report.reporter.email.as_ref().map(|e| e.as_str().to_owned()).or_else(|| {
                let account = row.submission.filed_by?.to_string();
                facts.account_emails.get(&account).cloned()
            })?;
            Some(report_message(
                row.id,
                &row.tracking,
                REPORT_FILED_MESSAGE,
                BTreeMap::new(),
                email,
                Some(&row.reporter_key),
            ))
        })
        .collect();
    outbox::add(batch, &messages)?;
    let ids: Vec<String> = accepted.iter().map(|row| row.id.to_string()).collect();
    changes::add(batch, Entity::Report, &strs(&ids));
    Ok(())
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
