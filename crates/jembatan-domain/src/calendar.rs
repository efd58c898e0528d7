//! The working-day calendar behind the deadlines of citizens' reports
//! (SP4N-LAPOR!: verification within 3 working days, follow-up within 5,
//! information requests within 10, extendable once by 7): which days are
//! working days, counting them, and the instant a deadline ends in WIB.
//!
//! Working days skip Saturdays, Sundays, national public holidays (libur
//! nasional) and joint leave days (cuti bersama). The holidays come from
//! `data/holidays/indonesia.csv` (read here from text, never from a file)
//! and from officers' corrections, validated by [`new_holiday`].

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use serde::Serialize;

use crate::content::WIB_OFFSET_SECONDS;
use crate::error::{FieldError, ValidationCode, required_text};
use crate::kim::{format_date, parse_date};
use crate::organisation::stable_enum;
use crate::time::Timestamp;

/// Working days to verify a new report.
pub const VERIFY_WORKING_DAYS: u32 = 3;
/// Working days for the body a report was handed to to follow it up.
pub const FOLLOW_UP_WORKING_DAYS: u32 = 5;
/// Working days to answer a public information request.
pub const INFORMATION_WORKING_DAYS: u32 = 10;
/// Working days an information request may be extended by, once.
pub const INFORMATION_EXTENSION_WORKING_DAYS: u32 = 7;
/// Working days the PPID's superior has to answer a requester's objection
/// (keberatan, UU 14/2008).
pub const OBJECTION_WORKING_DAYS: u32 = 30;
/// Working days in which the reporter may respond to an answer or reopen the report.
pub const RESPONSE_WINDOW_WORKING_DAYS: u32 = 10;
/// Calendar days within which a complaint must be settled (UU 25/2009 on public services).
pub const MAX_UNSETTLED_DAYS: i64 = 60;
/// Longest holiday name.
pub const MAX_HOLIDAY_NAME_CHARS: usize = 120;

/// The header line of the holiday CSV.
const CSV_HEADER: &str = "date,kind,name";
const MILLIS_PER_DAY: i64 = 24 * 3600 * 1000;

stable_enum!(
    /// Why a day is not a working day (besides weekends).
    HolidayKind {
        /// A national public holiday.
        LiburNasional => "libur_nasional",
        /// A joint leave day for civil servants, set each year by a joint ministerial decree.
        CutiBersama => "cuti_bersama",
    }
);

/// One day off: a national holiday or a joint leave day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    #[serde(serialize_with = "serialize_date")]
    pub date: NaiveDate,
    pub kind: HolidayKind,
    pub name: String,
}

/// Serialises a date as `YYYY-MM-DD` (chrono's serde support is not enabled).
fn serialize_date<S: serde::Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_date(*date))
}

/// A line of the holiday CSV that was refused; `line` counts from 1, the header being line 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HolidayCsvError {
    #[error("line {line}: expected the header `{CSV_HEADER}`")]
    Header { line: usize },
    #[error("line {line}: expected 3 fields, found {found}")]
    FieldCount { line: usize, found: usize },
    #[error("line {line}: `{value}` is not a date (YYYY-MM-DD)")]
    Date { line: usize, value: String },
    #[error("line {line}: unknown kind `{value}` (libur_nasional or cuti_bersama)")]
    Kind { line: usize, value: String },
    #[error("line {line}: the name is empty")]
    EmptyName { line: usize },
    #[error("line {line}: the name is longer than {MAX_HOLIDAY_NAME_CHARS} characters")]
    NameTooLong { line: usize },
    #[error("line {line}: {date} `{name}` repeats line {first}")]
    Duplicate { line: usize, first: usize, date: NaiveDate, name: String },
}

impl HolidayCsvError {
    /// The 1-based line the error is about.
    pub fn line(&self) -> usize {
        match self {
            HolidayCsvError::Header { line }
            | HolidayCsvError::FieldCount { line, .. }
            | HolidayCsvError::Date { line, .. }
            | HolidayCsvError::Kind { line, .. }
            | HolidayCsvError::EmptyName { line }
            | HolidayCsvError::NameTooLong { line }
            | HolidayCsvError::Duplicate { line, .. } => *line,
        }
    }
}

/// Parses `date,kind,name` lines after that header, in file order. Fields
/// are not quoted (names hold no commas); CRLF line ends, a byte-order mark
/// and blank lines are accepted. Two holidays may fall on one day (Idul
/// Fitri and Ascension on 2021-05-13), so a duplicate is the same date with
/// the same name (ignoring case), not merely the same date.
pub fn parse_holidays_csv(text: &str) -> Result<Vec<Holiday>, HolidayCsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    match lines.next() {
        Some((_, header)) if header.trim() == CSV_HEADER => {}
        _ => return Err(HolidayCsvError::Header { line: 1 }),
    }
    let mut holidays = Vec::new();
    let mut seen: HashMap<(NaiveDate, String), usize> = HashMap::new();
    for (line, raw) in lines {
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split(',').map(str::trim).collect();
        let [date_raw, kind_raw, name] = fields[..] else {
            return Err(HolidayCsvError::FieldCount { line, found: fields.len() });
        };
        let date =
            parse_date("date", date_raw).map_err(|_| HolidayCsvError::Date { line, value: date_raw.to_owned() })?;
        let kind =
            HolidayKind::parse(kind_raw).ok_or_else(|| HolidayCsvError::Kind { line, value: kind_raw.to_owned() })?;
        if name.is_empty() {
            return Err(HolidayCsvError::EmptyName { line });
        }
        if name.chars().count() > MAX_HOLIDAY_NAME_CHARS {
            return Err(HolidayCsvError::NameTooLong { line });
        }
        if let Some(&first) = seen.get(&(date, name.to_lowercase())) {
            return Err(HolidayCsvError::Duplicate { line, first, date, name: name.to_owned() });
        }
        seen.insert((date, name.to_lowercase()), line);
        holidays.push(Holiday { date, kind, name: name.to_owned() });
    }
    Ok(holidays)
}

/// Validates a holiday typed by an officer: `date` (`YYYY-MM-DD`), `kind`
/// (a [`HolidayKind`] name) and `name` (at most [`MAX_HOLIDAY_NAME_CHARS`]).
/// Every refused field is reported, not only the first.
pub fn new_holiday(date_raw: &str, kind_raw: &str, name_raw: &str) -> Result<Holiday, Vec<FieldError>> {
    let date = if date_raw.trim().is_empty() {
        Err(FieldError::new("date", ValidationCode::Required))
    } else {
        parse_date("date", date_raw)
    };
    let kind = match kind_raw.trim() {
        "" => Err(FieldError::new("kind", ValidationCode::Required)),
        raw => HolidayKind::parse(raw).ok_or_else(|| FieldError::new("kind", ValidationCode::InvalidChoice)),
    };
    let name = required_text("name", name_raw, MAX_HOLIDAY_NAME_CHARS);
    match (date, kind, name) {
        (Ok(date), Ok(kind), Ok(name)) => Ok(Holiday { date, kind, name }),
        (date, kind, name) => Err([date.err(), kind.err(), name.err()].into_iter().flatten().collect()),
    }
}

/// The years an officer should be warned about: the current year and the
/// coming one (`today`'s year + 1), each when no holiday of it is known.
/// Ascending.
pub fn years_missing(holiday_years: impl IntoIterator<Item = i32>, today: NaiveDate) -> Vec<i32> {
    let known: HashSet<i32> = holiday_years.into_iter().collect();
    [today.year(), today.year() + 1].into_iter().filter(|year| !known.contains(year)).collect()
}

/// The calendar date in WIB at instant `t`.
pub fn wib_date(t: Timestamp) -> NaiveDate {
    t.plus_seconds(i64::from(WIB_OFFSET_SECONDS)).to_utc().date_naive()
}

/// The last millisecond (23:59:59.999) of `date` in WIB.
fn end_of_wib_day(date: NaiveDate) -> Timestamp {
    let midnight_utc = date.and_time(NaiveTime::MIN).and_utc().timestamp_millis();
    Timestamp(midnight_utc + MILLIS_PER_DAY - 1 - i64::from(WIB_OFFSET_SECONDS) * 1000)
}

/// Which days are working days: not Saturday, not Sunday, not a holiday.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    holidays: HashSet<NaiveDate>,
}

impl WorkingCalendar {
    /// A calendar whose days off are `holidays` (either kind) besides weekends.
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        WorkingCalendar { holidays: holidays.into_iter().collect() }
    }

    /// Whether `day` is a working day.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.holidays.contains(&day)
    }

    /// The `n`-th working day strictly after `start`; `start` itself when
    /// `n` is 0 (whether or not it is a working day).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            // Saturates at the last representable date rather than panic.
            let Some(next) = day.succ_opt() else { break };
            day = next;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// The working days in `(from, to]`; negative (those in `(to, from]`)
    /// when `to` is before `from`. For every `n`,
    /// `working_days_between(d, add_working_days(d, n)) == n`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        let count =
            from.iter_days().skip(1).take_while(|day| *day <= to).filter(|day| self.is_working_day(*day)).count();
        i64::try_from(count).unwrap_or(i64::MAX)
    }

    /// When a deadline of `working_days` ends for something submitted at
    /// `submitted`: the last millisecond, in WIB, of the `working_days`-th
    /// working day after the WIB date of submission. Counting from the date
    /// means a report sent late on a working day gets no extra day, while
    /// one sent after midnight WIB does.
    pub fn deadline(&self, submitted: Timestamp, working_days: u32) -> Timestamp {
        end_of_wib_day(self.add_working_days(wib_date(submitted), working_days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse_datetime;

    const CSV: &str = include_str!("../../../data/holidays/indonesia.csv");

    fn date(raw: &str) -> NaiveDate {
        parse_date("date", raw).expect("a test date")
    }

    /// A `YYYY-MM-DDTHH:MM` time in WIB, or an RFC 3339 one.
    fn at(raw: &str) -> Timestamp {
        parse_datetime("at", raw).expect("a test time")
    }

    fn indonesia() -> WorkingCalendar {
        let holidays = parse_holidays_csv(CSV).expect("the shipped CSV parses");
        WorkingCalendar::new(holidays.iter().map(|h| h.date))
    }

    #[test]
    fn friday_plus_three_working_days_is_wednesday() {
        let calendar = WorkingCalendar::default();
        let friday = date("2025-01-10");
        assert_eq!(friday.weekday(), Weekday::Fri);
        let due = calendar.add_working_days(friday, VERIFY_WORKING_DAYS);
        assert_eq!(due, date("2025-01-15"));
        assert_eq!(due.weekday(), Weekday::Wed);
    }

    #[test]
    fn zero_working_days_is_the_start_itself() {
        let calendar = WorkingCalendar::default();
        assert_eq!(calendar.add_working_days(date("2025-01-11"), 0), date("2025-01-11"));
    }

    #[test]
    fn weekends_are_not_working_days() {
        let calendar = WorkingCalendar::default();
        assert!(calendar.is_working_day(date("2025-01-10")));
        assert!(!calendar.is_working_day(date("2025-01-11")));
        assert!(!calendar.is_working_day(date("2025-01-12")));
    }

    #[test]
    fn idul_fitri_2026_and_its_cuti_bersama_are_skipped() {
        let calendar = indonesia();
        // Wed 18 Mar cuti Nyepi, Thu 19 Nyepi, Fri 20 cuti Idul Fitri,
        // Sat 21 and Sun 22 Idul Fitri, Mon 23 and Tue 24 cuti Idul Fitri.
        for day in ["2026-03-18", "2026-03-19", "2026-03-20", "2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24"] {
            assert!(!calendar.is_working_day(date(day)), "{day} is a day off");
        }
        let tuesday = date("2026-03-17");
        assert!(calendar.is_working_day(tuesday));
        assert_eq!(calendar.add_working_days(tuesday, 1), date("2026-03-25"));
        assert_eq!(calendar.add_working_days(tuesday, VERIFY_WORKING_DAYS), date("2026-03-27"));
        assert_eq!(calendar.add_working_days(tuesday, FOLLOW_UP_WORKING_DAYS), date("2026-03-31"));
        assert_eq!(calendar.working_days_between(tuesday, date("2026-03-24")), 0);
        assert_eq!(calendar.deadline(at("2026-03-17T10:00"), VERIFY_WORKING_DAYS), at("2026-03-27T23:59:59.999+07:00"));
        // Without the holidays the same count lands a week earlier.
        assert_eq!(WorkingCalendar::default().add_working_days(tuesday, VERIFY_WORKING_DAYS), date("2026-03-20"));
    }

    #[test]
    fn deadline_counts_from_the_wib_date_of_submission() {
        let calendar = WorkingCalendar::default();
        // Monday 23:30 WIB and Tuesday 00:30 WIB are the same UTC date
        // (Monday), yet a working day apart in Indonesia.
        let monday_night = at("2025-01-06T23:30");
        let tuesday_morning = at("2025-01-07T00:30");
        assert_eq!(monday_night.to_rfc3339(), "2025-01-06T16:30:00Z");
        assert_eq!(tuesday_morning.to_rfc3339(), "2025-01-06T17:30:00Z");
        assert_eq!(calendar.deadline(monday_night, VERIFY_WORKING_DAYS), at("2025-01-09T23:59:59.999+07:00"));
        assert_eq!(calendar.deadline(tuesday_morning, VERIFY_WORKING_DAYS), at("2025-01-10T23:59:59.999+07:00"));
        assert_eq!(
            calendar.deadline(tuesday_morning, VERIFY_WORKING_DAYS).millis() + 1,
            at("2025-01-11T00:00").millis()
        );
    }

    #[test]
    fn deadline_of_zero_working_days_ends_the_submission_day() {
        let calendar = WorkingCalendar::default();
        assert_eq!(calendar.deadline(at("2025-01-11T08:00"), 0), at("2025-01-11T23:59:59.999+07:00"));
    }

    #[test]
    fn working_days_between_inverts_add_working_days() {
        let calendar = indonesia();
        for start in date("2025-12-01").iter_days().take_while(|d| *d <= date("2027-01-31")) {
            for n in 0..=INFORMATION_WORKING_DAYS + INFORMATION_EXTENSION_WORKING_DAYS {
                let due = calendar.add_working_days(start, n);
                assert!(n == 0 || calendar.is_working_day(due), "{start} + {n} lands on a working day");
                assert_eq!(calendar.working_days_between(start, due), i64::from(n), "{start} + {n}");
                assert_eq!(calendar.working_days_between(due, start), -i64::from(n), "{start} + {n} reversed");
            }
        }
    }

    #[test]
    fn working_days_between_ignores_days_off_at_either_end() {
        let calendar = WorkingCalendar::default();
        // (Fri, Sun] holds no working day; (Sat, Mon] holds Monday.
        assert_eq!(calendar.working_days_between(date("2025-01-10"), date("2025-01-12")), 0);
        assert_eq!(calendar.working_days_between(date("2025-01-11"), date("2025-01-13")), 1);
        assert_eq!(calendar.working_days_between(date("2025-01-13"), date("2025-01-13")), 0);
    }

    #[test]
    fn the_shipped_csv_parses_with_both_kinds() {
        let holidays = parse_holidays_csv(CSV).expect("the shipped CSV parses");
        assert_eq!(holidays.len(), CSV.lines().count() - 1);
        assert!(holidays.contains(&Holiday {
            date: date("2026-03-23"),
            kind: HolidayKind::CutiBersama,
            name: "Cuti Bersama Hari Raya Idul Fitri".into(),
        }));
        // Two holidays on one day is not a duplicate.
        assert_eq!(holidays.iter().filter(|h| h.date == date("2021-05-13")).count(), 2);
        let years: Vec<i32> = holidays.iter().map(|h| h.date.year()).collect();
        assert!(years_missing(years, date("2026-06-01")).is_empty());
    }

    #[test]
    fn csv_errors_carry_their_line_number() {
        let good = "date,kind,name\r\n2026-01-01,libur_nasional,Tahun Baru Masehi\r\n\r\n";
        let cases = [
            ("2026-01-02,libur_nasional", HolidayCsvError::FieldCount { line: 4, found: 2 }),
            ("2026-01-02,libur_nasional,A,B", HolidayCsvError::FieldCount { line: 4, found: 4 }),
            ("2026-02-30,libur_nasional,X", HolidayCsvError::Date { line: 4, value: "2026-02-30".into() }),
            ("02/01/2026,libur_nasional,X", HolidayCsvError::Date { line: 4, value: "02/01/2026".into() }),
            ("2026-01-02,libur,X", HolidayCsvError::Kind { line: 4, value: "libur".into() }),
            ("2026-01-02,cuti_bersama, ", HolidayCsvError::EmptyName { line: 4 }),
            (
                "2026-01-01,libur_nasional,tahun baru masehi",
                HolidayCsvError::Duplicate {
                    line: 4,
                    first: 2,
                    date: date("2026-01-01"),
                    name: "tahun baru masehi".into(),
                },
            ),
        ];
        for (bad, expected) in cases {
            let text = format!("{good}{bad}\n2026-12-25,libur_nasional,Hari Raya Natal\n");
            let err = parse_holidays_csv(&text).expect_err(bad);
            assert_eq!(err, expected, "{bad}");
            assert_eq!(err.line(), 4);
            assert!(err.to_string().starts_with("line 4: "), "{err}");
        }
        let long = format!("{good}2026-01-02,cuti_bersama,{}", "x".repeat(MAX_HOLIDAY_NAME_CHARS + 1));
        assert_eq!(parse_holidays_csv(&long), Err(HolidayCsvError::NameTooLong { line: 4 }));
    }

    #[test]
    fn csv_without_its_header_is_refused_at_line_one() {
        assert_eq!(parse_holidays_csv(""), Err(HolidayCsvError::Header { line: 1 }));
        assert_eq!(
            parse_holidays_csv("2026-01-01,libur_nasional,Tahun Baru Masehi\n"),
            Err(HolidayCsvError::Header { line: 1 })
        );
        assert_eq!(parse_holidays_csv("\u{feff}date,kind,name\n"), Ok(vec![]));
    }

    #[test]
    fn an_officer_adds_a_holiday() {
        let holiday = new_holiday(" 2027-03-10 ", "cuti_bersama", "  Cuti Bersama Idul Fitri ").expect("valid");
        assert_eq!(
            holiday,
            Holiday {
                date: date("2027-03-10"),
                kind: HolidayKind::CutiBersama,
                name: "Cuti Bersama Idul Fitri".into()
            }
        );
    }

    #[test]
    fn an_officers_holiday_reports_every_bad_field() {
        let errors = new_holiday("10/03/2027", "libur", &"x".repeat(MAX_HOLIDAY_NAME_CHARS + 1)).expect_err("invalid");
        assert_eq!(
            errors,
            vec![
                FieldError::new("date", ValidationCode::InvalidDate),
                FieldError::new("kind", ValidationCode::InvalidChoice),
                FieldError::new("name", ValidationCode::TooLong),
            ]
        );
        let errors = new_holiday(" ", "", "").expect_err("empty");
        assert_eq!(
            errors,
            vec![
                FieldError::new("date", ValidationCode::Required),
                FieldError::new("kind", ValidationCode::Required),
                FieldError::new("name", ValidationCode::Required),
            ]
        );
    }

    #[test]
    fn years_missing_warns_about_this_year_and_the_next() {
        let years = || 2020..=2026;
        assert_eq!(years_missing(years(), date("2025-12-31")), Vec::<i32>::new());
        assert_eq!(years_missing(years(), date("2026-01-01")), vec![2027]);
        assert_eq!(years_missing(years(), date("2028-03-01")), vec![2028, 2029]);
        assert_eq!(years_missing([2027], date("2026-03-01")), vec![2026]);
        assert_eq!(years_missing([], date("2026-03-01")), vec![2026, 2027]);
    }
}
