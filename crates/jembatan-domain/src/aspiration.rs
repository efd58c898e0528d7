//! Aspirations (aspirasi, pengaduan, permintaan informasi): what a citizen
//! files, how the report is identified to the public (its tracking
//! number), who may see the reporter, and the case workflow as a pure state
//! machine ([`transition`]), mirroring SP4N-LAPOR! so officers recognise it.
//!
//! Who may take each step is decided by [`crate::authz::can`]; the store
//! checks what needs the database (the category and region exist, the
//! facilitating KIM is one).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::contact::{Email, PhoneNumber};
use crate::error::{FieldError, ValidationCode, optional_text, required_text};
use crate::ids::uuid_id;
use crate::organisation::{OrgRef, stable_enum};
use crate::region::{RegionCode, RegionLevel};

uuid_id!(
    /// A report (one aspiration, complaint or information request).
    ReportId
);
uuid_id!(
    /// A photo or PDF attached to a report.
    AttachmentId
);

stable_enum!(
    /// What the citizen brings.
    ReportClass {
        /// A suggestion.
        Aspirasi => "aspirasi",
        /// A complaint.
        Pengaduan => "pengaduan",
        /// A request for public information (UU 14/2008): answered by the
        /// body's PPID on its own clock; the requester must be identified.
        PermintaanInformasi => "permintaan_informasi",
    }
);

stable_enum!(
    /// How the reporter wants to appear. A reporter's name and contact are
    /// never public, whatever the mode.
    ReporterMode {
        /// The handling officers see who filed it.
        Named => "named",
        /// Only the regency's Diskominfo verifiers see who filed it, and
        /// each such view is logged.
        Anonymous => "anonymous",
        /// The report itself is not public; officers handling it see it.
        Confidential => "confidential",
    }
);

stable_enum!(
    /// Where a case stands (SP4N-LAPOR!'s statuses).
    ReportStatus {
        /// Filed, waiting for the regency's verifier.
        Baru => "baru",
        /// Checked by the verifier, to be dispatched.
        Terverifikasi => "terverifikasi",
        /// Dispatched to the responsible agency.
        Didisposisikan => "didisposisikan",
        /// The agency is following it up.
        Ditindaklanjuti => "ditindaklanjuti",
        /// Answered.
        Selesai => "selesai",
        /// On hold, with a reason.
        Ditunda => "ditunda",
        /// Not the authority of any body here, with where it belongs.
        BukanWewenang => "bukan_wewenang",
        /// Archived, with a reason.
        Diarsipkan => "diarsipkan",
    }
);

stable_enum!(
    /// How the report arrived.
    Channel {
        Web => "web",
        Api => "api",
        Open311 => "open311",
    }
);

stable_enum!(
    /// The steps of the case workflow; also the names of their timeline
    /// events and audit entries (`report.<step>`).
    ReportStep {
        /// The regency verifier confirms the report is genuine and complete.
        Verify => "verify",
        /// The verifier sends it to the responsible body (again, to re-dispatch).
        Dispatch => "dispatch",
        /// The agency's liaison officer takes it up.
        FollowUp => "follow_up",
        /// The agency answers publicly; the case is done.
        Answer => "answer",
        /// Put on hold, with a reason.
        Hold => "hold",
        /// Taken off hold, back to the verifier.
        Resume => "resume",
        /// Not anyone's authority here; where it belongs is recorded.
        NotAuthority => "not_authority",
        /// The agency hands it back to the verifier (not theirs).
        ReturnToVerifier => "return_to_verifier",
        /// Archived, with a reason.
        Archive => "archive",
        /// The reporter reopens an answered case within the response window.
        Reopen => "reopen",
    }
);

impl ReportStatus {
    /// Open311's coarse status: a case is `closed` once settled.
    pub fn open311(self) -> &'static str {
        if self.is_settled() { "closed" } else { "open" }
    }

    /// Whether the case needs nobody's action any more.
    pub fn is_settled(self) -> bool {
        matches!(self, ReportStatus::Selesai | ReportStatus::BukanWewenang | ReportStatus::Diarsipkan)
    }
}

/// A step the current status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {step} a report that is {from}")]
pub struct InvalidReportTransition {
    pub from: ReportStatus,
    pub step: ReportStep,
}

impl From<InvalidReportTransition> for FieldError {
    fn from(_: InvalidReportTransition) -> Self {
        FieldError::new("status", ValidationCode::InvalidTransition)
    }
}

/// The case workflow: the status a report in `status` moves to when `step`
/// is taken, or why it cannot.
///
/// ```text
/// baru ─verify─▶ terverifikasi ─dispatch─▶ didisposisikan ─follow_up─▶ ditindaklanjuti ─answer─▶ selesai
///                    ▲   ◀──return_to_verifier──┘ (and from ditindaklanjuti)      reopen ◀──────┘
///                    └──resume── ditunda ◀──hold── (terverifikasi, didisposisikan, ditindaklanjuti)
/// not_authority: baru, terverifikasi, didisposisikan → bukan_wewenang
/// archive: baru, terverifikasi, ditunda, bukan_wewenang, selesai → diarsipkan
/// ```
/// A dispatched case may be dispatched again (re-dispatch keeps history);
/// an agency may answer straight from didisposisikan.
pub fn transition(status: ReportStatus, step: ReportStep) -> Result<ReportStatus, InvalidReportTransition> {
    use ReportStatus::*;
    let next = match (step, status) {
        (ReportStep::Verify, Baru) => Some(Terverifikasi),
        (ReportStep::Dispatch, Terverifikasi | Didisposisikan) => Some(Didisposisikan),
        (ReportStep::FollowUp, Didisposisikan) => Some(Ditindaklanjuti),
        (ReportStep::Answer, Didisposisikan | Ditindaklanjuti) => Some(Selesai),
        (ReportStep::Hold, Terverifikasi | Didisposisikan | Ditindaklanjuti) => Some(Ditunda),
        (ReportStep::Resume, Ditunda) => Some(Terverifikasi),
        (ReportStep::NotAuthority, Baru | Terverifikasi | Didisposisikan) => Some(BukanWewenang),
        (ReportStep::ReturnToVerifier, Didisposisikan | Ditindaklanjuti) => Some(Terverifikasi),
        (ReportStep::Archive, Baru | Terverifikasi | Ditunda | BukanWewenang | Selesai) => Some(Diarsipkan),
        (ReportStep::Reopen, Selesai) => Some(Ditindaklanjuti),
        _ => None,
    };
    next.ok_or(InvalidReportTransition { from: status, step })
}

/// What authorization needs to know about a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRef {
    pub id: ReportId,
    pub status: ReportStatus,
    pub mode: ReporterMode,
    /// Where it was filed (the province while its region is unconfirmed).
    pub region: RegionCode,
    /// The body it is dispatched to.
    pub assigned: Option<OrgRef>,
}

/// The letters of tracking numbers: digits and capitals without I, L, O
/// and U (Crockford's base 32), so nothing read aloud or copied from a
/// phone screen is ambiguous.
const TRACKING_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random bytes a tracking number is made of: 40 bits, eight letters.
pub const TRACKING_RANDOM_BYTES: usize = 5;

/// A report's public handle, e.g. `ASP-35-7K4Q-9MZD`: the province's code
/// and 40 random bits, so one number says nothing about another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TrackingNumber(String);

impl TrackingNumber {
    /// The number for a report in `province` made of `random` (the caller
    /// draws it from a CSPRNG; the domain does no I/O).
    pub fn from_random(province: &RegionCode, random: [u8; TRACKING_RANDOM_BYTES]) -> Self {
        let bits = random.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let letters: String =
            (0..8).rev().map(|i| TRACKING_ALPHABET[((bits >> (i * 5)) & 31) as usize] as char).collect();
        TrackingNumber(format!("ASP-{}-{}-{}", province.province(), &letters[..4], &letters[4..]))
    }

    /// Reads a number as people type it: any case, spaces or dashes
    /// anywhere, the prefix optional, O read as 0 and I or L as 1.
    /// `InvalidTracking` on `tracking` for anything else.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new("tracking", ValidationCode::InvalidTracking);
        let compact: String =
            raw.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        let rest = compact.strip_prefix("ASP").unwrap_or(&compact);
        if rest.len() != 10 || !rest.is_ascii() {
            return Err(invalid());
        }
        let (province, letters) = rest.split_at(2);
        if !province.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let letters: String = letters
            .chars()
            .map(|c| match c {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect();
        if !letters.bytes().all(|b| TRACKING_ALPHABET.contains(&b)) {
            return Err(invalid());
        }
        Ok(TrackingNumber(format!("ASP-{province}-{}-{}", &letters[..4], &letters[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Rebuilds a value read back from storage, where it was made by [`Self::from_random`].
    pub fn from_stored(s: String) -> Self {
        TrackingNumber(s)
    }
}

impl fmt::Display for TrackingNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A point inside Indonesia's bounding box, in millionths of a degree
/// (integers both databases store alike; 0.11 m of precision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Location {
    pub lat_e6: i64,
    pub lon_e6: i64,
}

/// Indonesia's bounding box with a margin for its outer islands and waters:
/// latitude 11.2° S to 6.3° N, longitude 94.7° E to 141.2° E.
const LAT_RANGE_E6: (i64, i64) = (-11_200_000, 6_300_000);
const LON_RANGE_E6: (i64, i64) = (94_700_000, 141_200_000);

impl Location {
    /// Parses decimal degrees as typed (`-7.25`, `112.75`); both or neither
    /// must be given. `InvalidNumber` for what is not a number,
    /// `OutsideIndonesia` for a point outside the bounds.
    pub fn parse(lat: &str, lon: &str) -> Result<Option<Location>, FieldError> {
        let (lat, lon) = (lat.trim(), lon.trim());
        match (lat.is_empty(), lon.is_empty()) {
            (true, true) => return Ok(None),
            (true, false) => return Err(FieldError::new("lat", ValidationCode::Required)),
            (false, true) => return Err(FieldError::new("lon", ValidationCode::Required)),
            (false, false) => {}
        }
        let degrees = |field: &str, raw: &str| -> Result<i64, FieldError> {
            raw.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .map(|v| (v * 1e6).round() as i64)
                .ok_or_else(|| FieldError::new(field, ValidationCode::InvalidNumber))
        };
        let location = Location { lat_e6: degrees("lat", lat)?, lon_e6: degrees("lon", lon)? };
        let inside = |v: i64, (lo, hi): (i64, i64)| (lo..=hi).contains(&v);
        if !inside(location.lat_e6, LAT_RANGE_E6) {
            return Err(FieldError::new("lat", ValidationCode::OutsideIndonesia));
        }
        if !inside(location.lon_e6, LON_RANGE_E6) {
            return Err(FieldError::new("lon", ValidationCode::OutsideIndonesia));
        }
        Ok(Some(location))
    }

    pub fn lat(self) -> f64 {
        self.lat_e6 as f64 / 1e6
    }

    pub fn lon(self) -> f64 {
        self.lon_e6 as f64 / 1e6
    }
}

/// Longest title.
pub const MAX_TITLE_CHARS: usize = 150;
/// Longest description.
pub const MAX_DESCRIPTION_CHARS: usize = 5000;
/// Longest reporter name.
pub const MAX_NAME_CHARS: usize = 120;
/// Most photos or PDFs on one report.
pub const MAX_ATTACHMENTS: usize = 5;
/// Longest category slug.
pub const MAX_CATEGORY_CHARS: usize = 40;
/// The earliest event date accepted, in years before today.
pub const MAX_EVENT_AGE_YEARS: i32 = 5;

/// The report form as typed (web form, API or Open311), before validation.
#[derive(Debug, Clone, Default)]
pub struct ReportForm {
    pub class: String,
    pub title: String,
    pub description: String,
    pub category: String,
    /// A village, district or regency code; empty only where the channel
    /// places a located report at the province (Open311).
    pub region: String,
    pub lat: String,
    pub lon: String,
    /// `YYYY-MM-DD`, optional.
    pub event_date: String,
    pub mode: String,
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// Who filed a report, as the verifier sees it. Never public.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ReporterIdentity {
    pub name: Option<String>,
    pub phone: Option<PhoneNumber>,
    pub email: Option<Email>,
}

impl ReporterIdentity {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.phone.is_none() && self.email.is_none()
    }
}

/// A validated report, ready for the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub class: ReportClass,
    pub title: String,
    pub description: String,
    pub category: String,
    /// Where it happened; `None` when only a location was given (the store
    /// places it at the province and flags it for the verifier).
    pub region: Option<RegionCode>,
    pub location: Option<Location>,
    pub event_date: Option<NaiveDate>,
    pub mode: ReporterMode,
    pub reporter: ReporterIdentity,
}

/// How the form is filed: by someone logged in (whose account receives the
/// updates) or not (a phone or e-mail must be given), and whether a channel
/// may leave the region to the verifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filing {
    pub with_account: bool,
    pub region_may_be_located: bool,
}

impl ReportForm {
    /// Checks every field and reports all failures at once. `today` is the
    /// date in WIB (event dates may not lie after it).
    pub fn validate(&self, filing: Filing, today: NaiveDate) -> Result<NewReport, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut check = |r: Result<(), FieldError>| {
            if let Err(e) = r {
                errors.push(e);
            }
        };
        let class = ReportClass::parse(self.class.trim());
        check(match self.class.trim() {
            "" => Err(FieldError::new("class", ValidationCode::Required)),
            _ if class.is_none() => Err(FieldError::new("class", ValidationCode::InvalidChoice)),
            _ => Ok(()),
        });
        let mode = match self.mode.trim() {
            "" => Some(ReporterMode::Named),
            raw => ReporterMode::parse(raw),
        };
        check(if mode.is_none() { Err(FieldError::new("mode", ValidationCode::InvalidChoice)) } else { Ok(()) });
        let title = required_text("title", &self.title, MAX_TITLE_CHARS);
        let description = required_text("description", &self.description, MAX_DESCRIPTION_CHARS);
        let category = required_text("category", &self.category, MAX_CATEGORY_CHARS);
        let location = Location::parse(&self.lat, &self.lon);
        let region = match self.region.trim() {
            "" if filing.region_may_be_located && matches!(location, Ok(Some(_))) => Ok(None),
            "" => Err(FieldError::new("region", ValidationCode::Required)),
            raw => RegionCode::parse(raw).and_then(|code| {
                if code.level() == RegionLevel::Province {
                    Err(FieldError::new("region", ValidationCode::WrongRegionLevel))
                } else {
                    Ok(Some(code))
                }
            }),
        };
        let event_date = parse_event_date(&self.event_date, today);
        let name = optional_text("name", &self.name, MAX_NAME_CHARS);
        let phone = optional(&self.phone, |raw| PhoneNumber::parse("phone", raw));
        let email = optional(&self.email, |raw| Email::parse("email", raw));

        let title = title.map_err(|e| errors.push(e)).ok();
        let description = description.map_err(|e| errors.push(e)).ok();
        let category = category.map_err(|e| errors.push(e)).ok();
        let location = location.map_err(|e| errors.push(e)).ok();
        let region = region.map_err(|e| errors.push(e)).ok();
        let event_date = event_date.map_err(|e| errors.push(e)).ok();
        let name = name.map_err(|e| errors.push(e)).ok();
        let phone = phone.map_err(|e| errors.push(e)).ok();
        let email = email.map_err(|e| errors.push(e)).ok();

        let reporter = ReporterIdentity {
            name: name.clone().flatten(),
            phone: phone.clone().flatten(),
            email: email.clone().flatten(),
        };
        // An information request is answered to an identified requester
        // (UU 14/2008), so it can be neither anonymous nor nameless.
        if class == Some(ReportClass::PermintaanInformasi) {
            if mode == Some(ReporterMode::Anonymous) {
                errors.push(FieldError::new("mode", ValidationCode::IdentityRequired));
            }
            if matches!(name, Some(None)) {
                errors.push(FieldError::new("name", ValidationCode::IdentityRequired));
            }
        } else if mode == Some(ReporterMode::Named) && matches!(name, Some(None)) {
            errors.push(FieldError::new("name", ValidationCode::Required));
        }
        let contact_given = reporter.phone.is_some() || reporter.email.is_some();
        let contact_fields_valid = phone.is_some() && email.is_some();
        if !filing.with_account && !contact_given && contact_fields_valid {
            errors.push(FieldError::new("contact", ValidationCode::ContactRequired));
        }

        match (class, mode, title, description, category, location, region, event_date) {
            (
                Some(class),
                Some(mode),
                Some(title),
                Some(description),
                Some(category),
                Some(location),
                Some(region),
                Some(event_date),
            ) if errors.is_empty() => {
                Ok(NewReport { class, title, description, category, region, location, event_date, mode, reporter })
            }
            _ => Err(errors),
        }
    }
}

fn optional<T>(raw: &str, parse: impl Fn(&str) -> Result<T, FieldError>) -> Result<Option<T>, FieldError> {
    if raw.trim().is_empty() { Ok(None) } else { parse(raw).map(Some) }
}

/// An event date: optional, `YYYY-MM-DD`, not after `today` and not more
/// than [`MAX_EVENT_AGE_YEARS`] before it.
fn parse_event_date(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| FieldError::new("event_date", ValidationCode::InvalidDate))?;
    let earliest = today.with_year(today.year() - MAX_EVENT_AGE_YEARS).unwrap_or(today);
    if date > today || date < earliest {
        return Err(FieldError::new("event_date", ValidationCode::InvalidDate));
    }
    Ok(Some(date))
}

/// The key a reporter's contact is recognised by across reports (per-contact
/// limits, duplicates): the phone number, else the e-mail address.
pub fn contact_key(reporter: &ReporterIdentity) -> Option<String> {
    match (&reporter.phone, &reporter.email) {
        (Some(phone), _) => Some(format!("phone:{phone}")),
        (None, Some(email)) => Some(format!("email:{}", email.as_str().to_lowercase())),
        (None, None) => None,
    }
}

/// The words of a text, lower-cased, without punctuation.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Whether two texts are near-identical: at least 85% of their distinct
/// words shared (Jaccard), so a resend with a typo fixed or a word added is
/// caught and a different complaint is not.
pub fn near_identical(a: &str, b: &str) -> bool {
    use std::collections::BTreeSet;
    let a: BTreeSet<String> = words(a).into_iter().collect();
    let b: BTreeSet<String> = words(b).into_iter().collect();
    if a.is_empty() || b.is_empty() {
        return a == b;
    }
    let shared = a.intersection(&b).count();
    let all = a.union(&b).count();
    shared * 20 >= all * 17
}

/// Insults and slurs that hold a report for moderation (Indonesian and
/// Javanese). Holding is not refusing: a moderator clears or archives it.
const ABUSIVE_WORDS: &[&str] = &[
    "anjing", "anjir", "asu", "babi", "bajingan", "bangsat", "brengsek", "goblok", "jancok", "jancuk", "jembut",
    "kampret", "keparat", "kontol", "memek", "ngentot", "tai", "taik", "tolol", "bego", "idiot",
];

/// Whether a text contains a word of the abuse list (whole words only, so
/// "tailor" or "babinsa" pass).
pub fn is_abusive(text: &str) -> bool {
    words(text).iter().any(|w| ABUSIVE_WORDS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn form() -> ReportForm {
        ReportForm {
            class: "pengaduan".into(),
            title: "Jalan berlubang di depan balai desa".into(),
            description: "Lubang sedalam 30 cm membahayakan pengendara motor.".into(),
            category: "jalan-infrastruktur".into(),
            region: "35.23.01.2001".into(),
            mode: "confidential".into(),
            phone: "0812-3456-7890".into(),
            ..ReportForm::default()
        }
    }

    const ANONYMOUS_FILING: Filing = Filing { with_account: false, region_may_be_located: false };

    fn codes(errors: &[FieldError]) -> Vec<(&str, ValidationCode)> {
        errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn a_complete_form_becomes_a_report() {
        let report = form().validate(ANONYMOUS_FILING, today()).unwrap();
        assert_eq!(report.class, ReportClass::Pengaduan);
        assert_eq!(report.mode, ReporterMode::Confidential);
        assert_eq!(report.reporter.phone.as_ref().unwrap().as_str(), "+6281234567890");
        assert_eq!(report.region.unwrap().as_str(), "35.23.01.2001");
    }

    #[test]
    fn every_missing_field_is_reported_at_once() {
        let errors = ReportForm::default().validate(ANONYMOUS_FILING, today()).unwrap_err();
        let found = codes(&errors);
        for field in ["class", "title", "description", "category", "region", "name"] {
            assert!(found.iter().any(|(f, _)| *f == field), "{field} missing from {found:?}");
        }
        assert!(found.contains(&("contact", ValidationCode::ContactRequired)));
    }

    #[test]
    fn without_an_account_a_contact_is_required() {
        let mut f = form();
        f.phone.clear();
        assert_eq!(
            codes(&f.validate(ANONYMOUS_FILING, today()).unwrap_err()),
            vec![("contact", ValidationCode::ContactRequired)]
        );
        assert!(f.validate(Filing { with_account: true, region_may_be_located: false }, today()).is_ok());
    }

    #[test]
    fn an_information_request_needs_an_identified_requester() {
        let mut f = form();
        f.class = "permintaan_informasi".into();
        f.mode = "anonymous".into();
        let errors = f.validate(ANONYMOUS_FILING, today()).unwrap_err();
        let found = codes(&errors);
        assert!(found.contains(&("mode", ValidationCode::IdentityRequired)));
        assert!(found.contains(&("name", ValidationCode::IdentityRequired)));
        f.mode = "named".into();
        f.name = "Siti Aminah".into();
        assert!(f.validate(ANONYMOUS_FILING, today()).is_ok());
    }

    #[test]
    fn locations_must_lie_in_indonesia() {
        assert_eq!(Location::parse("", "").unwrap(), None);
        let surabaya = Location::parse("-7.2575", "112.7521").unwrap().unwrap();
        assert_eq!((surabaya.lat_e6, surabaya.lon_e6), (-7_257_500, 112_752_100));
        assert_eq!(Location::parse("48.85", "2.35").unwrap_err().code, ValidationCode::OutsideIndonesia);
        assert_eq!(Location::parse("-7.25", "2.35").unwrap_err().field, "lon");
        assert_eq!(Location::parse("abc", "112").unwrap_err().code, ValidationCode::InvalidNumber);
        assert_eq!(Location::parse("NaN", "112").unwrap_err().code, ValidationCode::InvalidNumber);
        assert_eq!(Location::parse("-7.25", "").unwrap_err().field, "lon");
    }

    #[test]
    fn only_a_located_report_on_a_channel_that_allows_it_may_leave_the_region() {
        let mut f = form();
        f.region.clear();
        f.lat = "-6.9".into();
        f.lon = "112.05".into();
        assert!(
            codes(&f.validate(ANONYMOUS_FILING, today()).unwrap_err()).contains(&("region", ValidationCode::Required))
        );
        let open311 = Filing { with_account: false, region_may_be_located: true };
        assert_eq!(f.validate(open311, today()).unwrap().region, None);
        f.region = "35".into();
        assert!(
            codes(&f.validate(open311, today()).unwrap_err()).contains(&("region", ValidationCode::WrongRegionLevel))
        );
    }

    #[test]
    fn event_dates_lie_in_the_past_five_years() {
        let mut f = form();
        f.event_date = "2026-11-30".into();
        assert!(
            codes(&f.validate(ANONYMOUS_FILING, today()).unwrap_err())
                .contains(&("event_date", ValidationCode::InvalidDate))
        );
        f.event_date = "2026-11-29".into();
        assert_eq!(f.validate(ANONYMOUS_FILING, today()).unwrap().event_date, Some(today()));
        f.event_date = "2020-01-01".into();
        assert!(f.validate(ANONYMOUS_FILING, today()).is_err());
    }

    #[test]
    fn tracking_numbers_are_unambiguous_and_read_as_typed() {
        let province = RegionCode::parse("35.23.01.2001").unwrap();
        let number = TrackingNumber::from_random(&province, [0x3a, 0x91, 0xff, 0x02, 0x7c]);
        assert!(number.as_str().starts_with("ASP-35-"), "{number}");
        assert_eq!(number.as_str().len(), "ASP-35-7K4Q-9MZD".len());
        assert!(!number.as_str()[7..].contains(['I', 'L', 'O', 'U']));
        assert_eq!(TrackingNumber::parse(&number.as_str().to_lowercase()).unwrap(), number);
        assert_eq!(TrackingNumber::parse(" asp 35 7k4q 9mzd ").unwrap().as_str(), "ASP-35-7K4Q-9MZD");
        assert_eq!(TrackingNumber::parse("35-7K4Q-9MZO").unwrap().as_str(), "ASP-35-7K4Q-9MZ0");
        for bad in ["", "ASP-35-7K4Q", "ASP-3X-7K4Q-9MZD", "ASP-35-7K4Q-9MZU", "ASP-35-7K4Q-9MZDD"] {
            assert_eq!(TrackingNumber::parse(bad).unwrap_err().code, ValidationCode::InvalidTracking, "{bad}");
        }
        let other = TrackingNumber::from_random(&province, [0x3a, 0x91, 0xff, 0x02, 0x7d]);
        assert_ne!(number, other);
    }

    #[test]
    fn near_identical_texts_are_caught_and_different_ones_pass() {
        let first = "Jalan berlubang di depan balai desa Sugihwaras, sudah dua minggu tidak diperbaiki.";
        assert!(near_identical(
            first,
            "jalan berlubang di depan balai desa sugihwaras sudah dua minggu tidak diperbaiki"
        ));
        assert!(!near_identical(first, "Lampu jalan di depan balai desa Sugihwaras mati sejak dua minggu."));
        assert!(!near_identical(first, ""));
    }

    #[test]
    fn abuse_is_matched_on_whole_words() {
        assert!(is_abusive("Dasar pejabat GOBLOK!"));
        assert!(!is_abusive("Babinsa dan tailor desa membantu warga"));
    }

    #[test]
    fn the_phone_is_the_contact_key_before_the_email() {
        let mut reporter = ReporterIdentity {
            name: None,
            phone: Some(PhoneNumber::parse("phone", "0812 3456 7890").unwrap()),
            email: Some(Email::parse("email", "Siti@Example.id").unwrap()),
        };
        assert_eq!(contact_key(&reporter).unwrap(), "phone:+6281234567890");
        reporter.phone = None;
        assert_eq!(contact_key(&reporter).unwrap(), "email:siti@example.id");
        reporter.email = None;
        assert_eq!(contact_key(&reporter), None);
    }

    #[test]
    fn the_workflow_follows_sp4n_lapor() {
        use ReportStatus::*;
        let mut status = Baru;
        for (step, expected) in [
            (ReportStep::Verify, Terverifikasi),
            (ReportStep::Dispatch, Didisposisikan),
            (ReportStep::Dispatch, Didisposisikan),
            (ReportStep::FollowUp, Ditindaklanjuti),
            (ReportStep::Answer, Selesai),
            (ReportStep::Reopen, Ditindaklanjuti),
            (ReportStep::Hold, Ditunda),
            (ReportStep::Resume, Terverifikasi),
            (ReportStep::NotAuthority, BukanWewenang),
            (ReportStep::Archive, Diarsipkan),
        ] {
            status = transition(status, step).unwrap();
            assert_eq!(status, expected, "after {step}");
        }
        assert!(transition(Baru, ReportStep::Answer).is_err());
        assert!(transition(Diarsipkan, ReportStep::Reopen).is_err());
        assert!(transition(Selesai, ReportStep::Dispatch).is_err());
        assert_eq!(Diarsipkan.open311(), "closed");
        assert_eq!(Ditunda.open311(), "open");
    }
}
