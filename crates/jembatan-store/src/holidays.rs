//! The holiday calendar working-day deadlines count against: national
//! holidays and joint leave days, seeded from the embedded
//! `data/holidays/indonesia.csv` year by year, maintained by the province
//! admin.
//!
//! Invariant: a year of the embedded calendar is seeded once
//! (`holidays_seeded`), so a date an admin removed stays removed and a newer
//! binary only adds the years it brings.

use chrono::{Datelike, NaiveDate};
use jembatan_domain::Timestamp;
use jembatan_domain::calendar::{Holiday, HolidayKind, WorkingCalendar, parse_holidays_csv};

use jembatan_domain::{RegionCode, UserId};
use serde_json::json;

use crate::audit::{self, AuditEntry, action};
use crate::db::{Db, Tx, insert_rows};
use crate::error::{StoreError, StoreResult};
use crate::organisations::stored;
use crate::{exec, on_pool, on_tx};

/// The calendar shipped with the binary.
pub(crate) const EMBEDDED: &str = include_str!("../../../data/holidays/indonesia.csv");

/// Seeds every year of the embedded calendar not seeded before; returns the
/// number of dates added. Safe to run at every start and from several
/// processes at once.
pub async fn seed_embedded(db: &Db) -> StoreResult<usize> {
    let holidays = parse_holidays_csv(EMBEDDED).map_err(|e| StoreError::Internal(e.to_string()))?;
    db.write(move |tx| Box::pin(async move { seed(tx, &holidays).await })).await
}

async fn seed(tx: &mut Tx<'_>, holidays: &[Holiday]) -> StoreResult<usize> {
    let seeded: Vec<i64> =
        on_tx!(tx, conn => sqlx::query_scalar("SELECT year FROM holidays_seeded").fetch_all(conn).await)?;
    let mut years: Vec<i64> = holidays.iter().map(|h| i64::from(h.date.year())).collect();
    years.sort_unstable();
    years.dedup();
    years.retain(|y| !seeded.contains(y));
    if years.is_empty() {
        return Ok(0);
    }
    let now = Timestamp::now().millis();
    // Two holidays may fall on one day (Idul Fitri and Ascension on
    // 2021-05-13): the day is stored once, under both names.
    let mut fresh: Vec<Holiday> = Vec::new();
    for holiday in holidays.iter().filter(|h| years.contains(&i64::from(h.date.year()))) {
        match fresh.iter_mut().find(|h| h.date == holiday.date) {
            Some(same_day) => same_day.name = format!("{} / {}", same_day.name, holiday.name),
            None => fresh.push(holiday.clone()),
        }
    }
    let added = insert_rows!(
        tx,
        "INSERT INTO holidays (day, kind, name, updated_by, updated_at)",
        5,
        "ON CONFLICT (day) DO NOTHING",
        fresh,
        |query, h| query.bind(day_text(h.date)).bind(h.kind.as_str()).bind(&h.name).bind(None::<String>).bind(now)
    );
    insert_rows!(
        tx,
        "INSERT INTO holidays_seeded (year, seeded_at)",
        2,
        "ON CONFLICT (year) DO NOTHING",
        years,
        |query, year| query.bind(*year).bind(now)
    );
    Ok(added as usize)
}

fn day_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[derive(sqlx::FromRow)]
struct HolidayRow {
    day: String,
    kind: String,
    name: String,
}

impl HolidayRow {
    fn into_holiday(self) -> StoreResult<Holiday> {
        let date = NaiveDate::parse_from_str(&self.day, "%Y-%m-%d")
            .map_err(|_| StoreError::Internal(format!("stored holiday date {:?}", self.day)))?;
        Ok(Holiday { date, kind: stored(HolidayKind::parse(&self.kind), "holiday kind")?, name: self.name })
    }
}

/// The holidays of one year, in date order.
pub async fn list_year(db: &Db, year: i32) -> StoreResult<Vec<Holiday>> {
    let (from, to) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    let rows = on_pool!(db, pool => sqlx::query_as::<_, HolidayRow>(
        "SELECT day, kind, name FROM holidays WHERE day >= $1 AND day <= $2 ORDER BY day",
    )
    .bind(from)
    .bind(to)
    .fetch_all(pool)
    .await)?;
    rows.into_iter().map(HolidayRow::into_holiday).collect()
}

/// The years that have at least one holiday.
pub async fn years(db: &Db) -> StoreResult<Vec<i32>> {
    let days: Vec<String> = on_pool!(db, pool => sqlx::query_scalar(
        "SELECT MIN(day) FROM holidays GROUP BY SUBSTR(day, 1, 4) ORDER BY 1",
    )
    .fetch_all(pool)
    .await)?;
    Ok(days.iter().filter_map(|d| d.get(..4)?.parse().ok()).collect())
}

/// How far ahead of a date [`calendar_from`] reads holidays: enough for
/// every working-day deadline the platform sets (at most 17 working days,
/// or a response window of 10), with room for long holiday seasons.
const CALENDAR_SPAN_DAYS: i64 = 120;

/// The working calendar from `from` on, read in the transaction.
pub(crate) async fn calendar_from(tx: &mut Tx<'_>, from: NaiveDate) -> StoreResult<WorkingCalendar> {
    calendar_between(tx, from, from).await
}

/// The working calendar for deadlines set between `from` and `to`, read in
/// the transaction.
pub(crate) async fn calendar_between(tx: &mut Tx<'_>, from: NaiveDate, to: NaiveDate) -> StoreResult<WorkingCalendar> {
    let (first, last) = calendar_span(from, to);
    let days: Vec<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT day FROM holidays WHERE day >= $1 AND day <= $2",
    )
    .bind(first)
    .bind(last)
    .fetch_all(conn)
    .await)?;
    Ok(calendar_of(days.iter().map(String::as_str)))
}

/// The first and last day (as stored) of the holidays a calendar for
/// deadlines set between `from` and `to` reads.
pub(crate) fn calendar_span(from: NaiveDate, to: NaiveDate) -> (String, String) {
    (day_text(from), day_text(to + chrono::Duration::days(CALENDAR_SPAN_DAYS)))
}

/// The working calendar of the holidays read (days as stored).
pub(crate) fn calendar_of<'a>(days: impl IntoIterator<Item = &'a str>) -> WorkingCalendar {
    WorkingCalendar::new(days.into_iter().filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()))
}

/// Adds or replaces the holiday on `holiday.date` (the web layer checked
/// that `actor` is an admin of `province`); audited. Deadlines set from now
/// on count it; deadlines already set stay as they were.
pub async fn put(tx: &mut Tx<'_>, holiday: &Holiday, actor: UserId, province: &RegionCode) -> StoreResult<()> {
    exec!(
        tx,
        sqlx::query(
            "INSERT INTO holidays (day, kind, name, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(day_text(holiday.date))
        .bind(holiday.kind.as_str())
        .bind(&holiday.name)
        .bind(actor.to_string())
        .bind(Timestamp::now().millis())
    )?;
    audit_day(tx, action::HOLIDAY_PUT, holiday.date, Some(holiday.kind), actor, province).await
}

/// Removes the holiday on `date`, audited; `NotFound` when there is none.
pub async fn remove(tx: &mut Tx<'_>, date: NaiveDate, actor: UserId, province: &RegionCode) -> StoreResult<()> {
    match exec!(tx, sqlx::query("DELETE FROM holidays WHERE day = $1").bind(day_text(date)))? {
        0 => Err(StoreError::NotFound),
        _ => audit_day(tx, action::HOLIDAY_REMOVE, date, None, actor, province).await,
    }
}

async fn audit_day(
    tx: &mut Tx<'_>,
    action: &'static str,
    date: NaiveDate,
    kind: Option<HolidayKind>,
    actor: UserId,
    province: &RegionCode,
) -> StoreResult<()> {
    let entry = AuditEntry {
        actor: Some(actor),
        action,
        target_kind: "holiday",
        target_id: day_text(date),
        scope_region: province.clone(),
        before: None,
        after: kind.map(|k| json!({ "kind": k.as_str() })),
    };
    audit::append(tx, &entry).await?;
    Ok(())
}
