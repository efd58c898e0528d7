//! KIM registration and rosters: what the KIM form and the member form
//! accept, the SK (decree) a KIM is registered with, its kim.id address and
//! contact channels, and the rule tying a lifecycle status to an SK.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::account::MAX_NAME_CHARS;
use crate::contact::{Email, PhoneNumber};
use crate::error::{FieldError, ValidationCode, optional_text, required_text};
use crate::ids::UserId;
use crate::organisation::{
    KimPosition, KimStatus, MAX_ADDRESS_CHARS, MAX_DESCRIPTION_CHARS, MAX_ORG_NAME_CHARS, OrgKind, parse_web_url,
};
use crate::region::RegionCode;

/// Longest SK number, e.g. `188.45/123/KPTS/414.013/2024`.
pub const MAX_SK_NUMBER_CHARS: usize = 100;
/// Longest name of the SK's issuer, e.g. `Bupati Tuban`.
pub const MAX_SK_ISSUER_CHARS: usize = 150;
/// Longest social media handle accepted (without the platform's address).
pub const MAX_HANDLE_CHARS: usize = 60;
/// The domain every KIM's own site lives under.
pub const KIM_ID_DOMAIN: &str = "kim.id";

/// How dates are written in forms, the API and the database.
const DATE_FORMAT: &str = "%Y-%m-%d";

/// Parses a `YYYY-MM-DD` date. Years outside 1990..=2100 are refused as
/// typos (`0224-05-01`): no SK of the KIM programme is dated there.
pub fn parse_date(field: &str, raw: &str) -> Result<NaiveDate, FieldError> {
    let invalid = || FieldError::new(field, ValidationCode::InvalidDate);
    let raw = raw.trim();
    if raw.len() != 10 {
        return Err(invalid());
    }
    let date = NaiveDate::parse_from_str(raw, DATE_FORMAT).map_err(|_| invalid())?;
    if (1990..=2100).contains(&date.year()) { Ok(date) } else { Err(invalid()) }
}

/// Writes a date as `YYYY-MM-DD`, the form [`parse_date`] reads.
pub fn format_date(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

/// Serialises dates as `YYYY-MM-DD` (chrono's serde support is not enabled).
mod iso_date {
    use chrono::NaiveDate;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_date(*date))
    }

    pub fn serialize_option<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serialize(date, s),
            None => s.serialize_none(),
        }
    }
}

/// The decree (surat keputusan) a KIM is registered with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sk {
    pub number: String,
    /// Who issued it, e.g. `Bupati Tuban` or `Kepala Desa Jlodro`.
    pub issuer: String,
    #[serde(serialize_with = "iso_date::serialize")]
    pub date: NaiveDate,
    /// The last day it is in force; `None` for an SK without a term.
    #[serde(serialize_with = "iso_date::serialize_option")]
    pub expires: Option<NaiveDate>,
}

/// Where people reach a KIM besides its kim.id site. Social links are
/// stored as full https addresses, whether a handle or an address was typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KimChannels {
    pub whatsapp: Option<PhoneNumber>,
    pub instagram: Option<String>,
    pub facebook: Option<String>,
    pub youtube: Option<String>,
}

/// A KIM as typed in the registration or edit form, or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct KimForm {
    pub name: String,
    /// The village (desa/kelurahan) code the KIM serves.
    pub village: String,
    /// A [`KimStatus`] name; empty means `dibentuk`.
    pub status: String,
    pub sk_number: String,
    pub sk_issuer: String,
    pub sk_date: String,
    pub sk_expires: String,
    pub kim_id_url: String,
    pub whatsapp: String,
    pub instagram: String,
    pub facebook: String,
    pub youtube: String,
    pub description: String,
    pub address: String,
    pub email: String,
}

/// The editable details of a KIM, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KimDetails {
    pub name: String,
    pub description: String,
    pub address: Option<String>,
    pub email: Option<Email>,
    pub sk: Option<Sk>,
    /// The KIM's site on kim.id, normalised (e.g. `https://kimmaju.kim.id/`).
    pub kim_id_url: Option<String>,
    pub channels: KimChannels,
}

/// A KIM to register, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKim {
    /// A village code (shape and level checked; the store checks it exists).
    pub village: RegionCode,
    pub status: KimStatus,
    pub details: KimDetails,
}

impl KimStatus {
    /// Registered and active KIMs hold an SK; formed and dormant ones may not.
    pub fn requires_sk(self) -> bool {
        matches!(self, KimStatus::Terdaftar | KimStatus::Aktif)
    }
}

/// Refuses a status that needs an SK for a KIM without one, reported
/// against the SK number field that is missing.
pub fn check_status_sk(status: KimStatus, has_sk: bool) -> Result<(), FieldError> {
    if status.requires_sk() && !has_sk { Err(FieldError::new("sk_number", ValidationCode::Required)) } else { Ok(()) }
}

/// Parses a status as chosen in a form; empty means [`KimStatus::Dibentuk`].
pub fn parse_status(field: &str, raw: &str) -> Result<KimStatus, FieldError> {
    match raw.trim() {
        "" => Ok(KimStatus::Dibentuk),
        raw => KimStatus::parse(raw).ok_or_else(|| FieldError::new(field, ValidationCode::InvalidChoice)),
    }
}

impl KimForm {
    /// Checks every field of a KIM to register, returning all failures.
    pub fn validate(&self) -> Result<NewKim, Vec<FieldError>> {
        let mut errors = Vec::new();
        let village = RegionCode::parse(&self.village)
            .map_err(|e| e.for_field("village"))
            .and_then(|code| {
                if OrgKind::Kim.region_levels(None).contains(&code.level()) {
                    Ok(code)
                } else {
                    Err(FieldError::new("village", ValidationCode::WrongRegionLevel))
                }
            })
            .map_err(|e| errors.push(e))
            .ok();
        let status = parse_status("status", &self.status).map_err(|e| errors.push(e)).ok();
        let details = self.check_details(&mut errors);
        if let (Some(status), Some(details)) = (status, &details)
            && let Err(e) = check_status_sk(status, details.sk.is_some())
            && !errors.iter().any(|x| x.field == e.field)
        {
            errors.push(e);
        }
        match (errors.is_empty(), village, status, details) {
            (true, Some(village), Some(status), Some(details)) => Ok(NewKim { village, status, details }),
            _ => Err(errors),
        }
    }

    /// Checks the editable details of an existing KIM; the form's village
    /// and status are ignored (the village does not change, the status
    /// changes on its own). The store checks the stored status still fits.
    pub fn validate_details(&self) -> Result<KimDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        match self.check_details(&mut errors) {
            Some(details) if errors.is_empty() => Ok(details),
            _ => Err(errors),
        }
    }

    fn check_details(&self, errors: &mut Vec<FieldError>) -> Option<KimDetails> {
        let name = required_text("name", &self.name, MAX_ORG_NAME_CHARS).map_err(|e| errors.push(e)).ok();
        let description = optional_text("description", &self.description, MAX_DESCRIPTION_CHARS)
            .map_err(|e| errors.push(e))
            .ok()
            .map(Option::unwrap_or_default);
        let address = optional_text("address", &self.address, MAX_ADDRESS_CHARS).map_err(|e| errors.push(e)).ok();
        let email = optional_text("email", &self.email, 254)
            .and_then(|e| e.map(|e| Email::parse("email", &e)).transpose())
            .map_err(|e| errors.push(e))
            .ok();
        let sk = self.check_sk(errors);
        let kim_id_url = if self.kim_id_url.trim().is_empty() {
            Some(None)
        } else {
            parse_kim_id_url("kim_id_url", &self.kim_id_url).map(Some).map_err(|e| errors.push(e)).ok()
        };
        let whatsapp = if self.whatsapp.trim().is_empty() {
            Some(None)
        } else {
            PhoneNumber::parse("whatsapp", &self.whatsapp).map(Some).map_err(|e| errors.push(e)).ok()
        };
        let instagram =
            parse_social("instagram", &self.instagram, Platform::Instagram).map_err(|e| errors.push(e)).ok();
        let facebook = parse_social("facebook", &self.facebook, Platform::Facebook).map_err(|e| errors.push(e)).ok();
        let youtube = parse_social("youtube", &self.youtube, Platform::Youtube).map_err(|e| errors.push(e)).ok();
        Some(KimDetails {
            name: name?,
            description: description?,
            address: address?,
            email: email?,
            sk: sk?,
            kim_id_url: kim_id_url?,
            channels: KimChannels {
                whatsapp: whatsapp?,
                instagram: instagram?,
                facebook: facebook?,
                youtube: youtube?,
            },
        })
    }

    /// An SK is all or nothing: once any of its fields is filled, number,
    /// issuer and date are required; the expiry is optional and after the date.
    fn check_sk(&self, errors: &mut Vec<FieldError>) -> Option<Option<Sk>> {
        let fields = [&self.sk_number, &self.sk_issuer, &self.sk_date, &self.sk_expires];
        if fields.iter().all(|f| f.trim().is_empty()) {
            return Some(None);
        }
        let number = required_text("sk_number", &self.sk_number, MAX_SK_NUMBER_CHARS).map_err(|e| errors.push(e)).ok();
        let issuer = required_text("sk_issuer", &self.sk_issuer, MAX_SK_ISSUER_CHARS).map_err(|e| errors.push(e)).ok();
        let date = if self.sk_date.trim().is_empty() {
            Err(FieldError::new("sk_date", ValidationCode::Required))
        } else {
            parse_date("sk_date", &self.sk_date)
        }
        .map_err(|e| errors.push(e))
        .ok();
        let expires = if self.sk_expires.trim().is_empty() {
            Ok(None)
        } else {
            parse_date("sk_expires", &self.sk_expires).map(Some)
        }
        .map_err(|e| errors.push(e))
        .ok();
        if let (Some(date), Some(Some(expires))) = (date, expires)
            && expires <= date
        {
            errors.push(FieldError::new("sk_expires", ValidationCode::EndBeforeStart));
            return None;
        }
        Some(Some(Sk { number: number?, issuer: issuer?, date: date?, expires: expires? }))
    }
}

/// Parses a KIM's kim.id address: http(s) on `kim.id` or a subdomain of it
/// (`https://kimmaju.kim.id`), `https://` added when typed without.
pub fn parse_kim_id_url(field: &str, raw: &str) -> Result<String, FieldError> {
    let url = parse_web_url(field, raw)?;
    let host = url.host_str().unwrap_or_default().trim_end_matches('.');
    let on_kim_id = host == KIM_ID_DOMAIN || host.ends_with(&format!(".{KIM_ID_DOMAIN}"));
    if on_kim_id && url.port().is_none() {
        Ok(url.into())
    } else {
        Err(FieldError::new(field, ValidationCode::InvalidUrl))
    }
}

#[derive(Debug, Clone, Copy)]
enum Platform {
    Instagram,
    Facebook,
    Youtube,
}

impl Platform {
    fn hosts(self) -> &'static [&'static str] {
        match self {
            Platform::Instagram => &["instagram.com", "www.instagram.com"],
            Platform::Facebook => &["facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com", "fb.com"],
            Platform::Youtube => &["youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"],
        }
    }

    fn profile_url(self, handle: &str) -> String {
        match self {
            Platform::Instagram => format!("https://www.instagram.com/{handle}"),
            Platform::Facebook => format!("https://www.facebook.com/{handle}"),
            Platform::Youtube => format!("https://www.youtube.com/@{handle}"),
        }
    }
}

/// A social media account as a handle (`@kimmaju`) or an address on the
/// platform; stored as the https address of the profile. Empty is `None`.
fn parse_social(field: &str, raw: &str, platform: Platform) -> Result<Option<String>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let invalid = || FieldError::new(field, ValidationCode::InvalidUrl);
    let looks_like_address = raw.contains('/') || platform.hosts().iter().any(|h| raw.starts_with(h));
    if looks_like_address {
        let url = parse_web_url(field, raw)?;
        let host = url.host_str().unwrap_or_default();
        if platform.hosts().contains(&host) && url.path().len() > 1 {
            return Ok(Some(url.into()));
        }
        return Err(invalid());
    }
    let handle = raw.strip_prefix('@').unwrap_or(raw);
    if handle.chars().count() > MAX_HANDLE_CHARS {
        return Err(FieldError::new(field, ValidationCode::TooLong));
    }
    let well_formed =
        !handle.is_empty() && handle.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if well_formed { Ok(Some(platform.profile_url(handle))) } else { Err(invalid()) }
}

impl KimPosition {
    /// Officers (pengurus) are every position but ordinary member.
    pub fn is_officer(self) -> bool {
        self != KimPosition::Anggota
    }

    /// Positions one person holds at a time: ketua, sekretaris, bendahara.
    /// A KIM has several seksi and any number of members.
    pub fn is_single(self) -> bool {
        matches!(self, KimPosition::Ketua | KimPosition::Sekretaris | KimPosition::Bendahara)
    }
}

/// A roster entry as typed by a KIM manager. Members need not have accounts.
#[derive(Debug, Clone, Default)]
pub struct MemberForm {
    pub name: String,
    /// A [`KimPosition`] name; empty means `anggota`.
    pub position: String,
    pub phone: String,
    /// The member's account id, when the member has one; empty otherwise.
    pub user_id: String,
}

/// A roster entry, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub name: String,
    pub position: KimPosition,
    pub phone: Option<PhoneNumber>,
    /// The store checks that the account exists.
    pub user: Option<UserId>,
}

impl MemberForm {
    /// Checks every field, returning all failures.
    pub fn validate(&self) -> Result<NewMember, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = required_text("name", &self.name, MAX_NAME_CHARS).map_err(|e| errors.push(e)).ok();
        let position = match self.position.trim() {
            "" => Ok(KimPosition::Anggota),
            raw => KimPosition::parse(raw).ok_or_else(|| FieldError::new("position", ValidationCode::InvalidChoice)),
        }
        .map_err(|e| errors.push(e))
        .ok();
        let phone = if self.phone.trim().is_empty() {
            Some(None)
        } else {
            PhoneNumber::parse("phone", &self.phone).map(Some).map_err(|e| errors.push(e)).ok()
        };
        let user = match self.user_id.trim() {
            "" => Some(None),
            raw => raw
                .parse::<UserId>()
                .map(Some)
                .map_err(|_| errors.push(FieldError::new("user_id", ValidationCode::InvalidChoice)))
                .ok(),
        };
        match (errors.is_empty(), name, position, phone, user) {
            (true, Some(name), Some(position), Some(phone), Some(user)) => {
                Ok(NewMember { name, position, phone, user })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> KimForm {
        KimForm {
            name: "KIM Jlodro Maju".into(),
            village: "35.23.01.2001".into(),
            status: "terdaftar".into(),
            sk_number: "188/12/KPTS/414.013/2024".into(),
            sk_issuer: "Bupati Tuban".into(),
            sk_date: "2024-03-01".into(),
            sk_expires: "2027-02-28".into(),
            kim_id_url: "jlodromaju.kim.id".into(),
            whatsapp: "0812 3456 7890".into(),
            instagram: "@kim.jlodro".into(),
            facebook: "https://www.facebook.com/kimjlodro".into(),
            ..KimForm::default()
        }
    }

    fn codes(errors: Vec<FieldError>) -> Vec<(String, ValidationCode)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn day(s: &str) -> NaiveDate {
        parse_date("d", s).unwrap()
    }

    #[test]
    fn a_registered_kim_with_its_sk_and_channels() {
        let kim = form().validate().unwrap();
        assert_eq!(kim.village.as_str(), "35.23.01.2001");
        assert_eq!(kim.status, KimStatus::Terdaftar);
        let sk = kim.details.sk.unwrap();
        assert_eq!((sk.date, sk.expires), (day("2024-03-01"), Some(day("2027-02-28"))));
        assert_eq!(kim.details.kim_id_url.as_deref(), Some("https://jlodromaju.kim.id/"));
        let channels = kim.details.channels;
        assert_eq!(channels.whatsapp.unwrap().as_str(), "+6281234567890");
        assert_eq!(channels.instagram.as_deref(), Some("https://www.instagram.com/kim.jlodro"));
        assert_eq!(channels.facebook.as_deref(), Some("https://www.facebook.com/kimjlodro"));
        assert_eq!(channels.youtube, None);
    }

    #[test]
    fn reports_every_failing_field_of_a_kim() {
        let bad = KimForm {
            name: String::new(),
            village: "35.23".into(),
            status: "bubar".into(),
            sk_issuer: String::new(),
            sk_date: "01-03-2024".into(),
            kim_id_url: "https://kimmaju.blogspot.com".into(),
            whatsapp: "021 555 1234".into(),
            instagram: "https://twitter.com/kim".into(),
            ..form()
        };
        assert_eq!(
            codes(bad.validate().unwrap_err()),
            vec![
                ("village".into(), ValidationCode::WrongRegionLevel),
                ("status".into(), ValidationCode::InvalidChoice),
                ("name".into(), ValidationCode::Required),
                ("sk_issuer".into(), ValidationCode::Required),
                ("sk_date".into(), ValidationCode::InvalidDate),
                ("kim_id_url".into(), ValidationCode::InvalidUrl),
                ("whatsapp".into(), ValidationCode::InvalidPhone),
                ("instagram".into(), ValidationCode::InvalidUrl),
            ]
        );
    }

    #[test]
    fn an_sk_expires_after_it_is_dated() {
        let bad = KimForm { sk_expires: "2024-03-01".into(), ..form() };
        assert_eq!(codes(bad.validate().unwrap_err()), vec![("sk_expires".into(), ValidationCode::EndBeforeStart)]);
        let no_term = KimForm { sk_expires: String::new(), ..form() };
        assert_eq!(no_term.validate().unwrap().details.sk.unwrap().expires, None);
        assert_eq!(parse_date("d", "0224-03-01").unwrap_err().code, ValidationCode::InvalidDate);
        assert_eq!(parse_date("d", "2024-02-30").unwrap_err().code, ValidationCode::InvalidDate);
        assert_eq!(format_date(day("2024-02-29")), "2024-02-29");
    }

    #[test]
    fn a_registered_or_active_kim_needs_an_sk_a_formed_one_does_not() {
        let no_sk = KimForm {
            sk_number: String::new(),
            sk_issuer: String::new(),
            sk_date: String::new(),
            sk_expires: String::new(),
            ..form()
        };
        assert_eq!(codes(no_sk.validate().unwrap_err()), vec![("sk_number".into(), ValidationCode::Required)]);
        let formed = KimForm { status: String::new(), ..no_sk.clone() };
        let kim = formed.validate().unwrap();
        assert_eq!((kim.status, kim.details.sk), (KimStatus::Dibentuk, None));
        assert!(no_sk.validate_details().is_ok(), "edits leave the status to the store");
    }

    #[test]
    fn kim_id_addresses_live_on_kim_id() {
        for good in ["https://kim.id/jlodro", "http://kimmaju.kim.id", "KimMaju.KIM.id", "https://a.b.kim.id/x"] {
            assert!(parse_kim_id_url("u", good).is_ok(), "{good}");
        }
        for bad in [
            "https://kim.id.evil.com",
            "https://notkim.id",
            "https://kim.id@evil.com",
            "https://kimmaju.kim.id:8080",
            "ftp://kim.id",
            "https://evil.com/kim.id",
        ] {
            assert_eq!(parse_kim_id_url("u", bad).unwrap_err().code, ValidationCode::InvalidUrl, "{bad}");
        }
    }

    #[test]
    fn members_need_a_name_and_may_have_a_phone_and_an_account() {
        let member = MemberForm { name: " Siti ".into(), ..MemberForm::default() }.validate().unwrap();
        assert_eq!(
            (member.name.as_str(), member.position, member.phone, member.user),
            ("Siti", KimPosition::Anggota, None, None)
        );
        let bad = MemberForm {
            name: String::new(),
            position: "presiden".into(),
            phone: "12345".into(),
            user_id: "not-a-uuid".into(),
        };
        assert_eq!(
            codes(bad.validate().unwrap_err()),
            vec![
                ("name".into(), ValidationCode::Required),
                ("position".into(), ValidationCode::InvalidChoice),
                ("phone".into(), ValidationCode::InvalidPhone),
                ("user_id".into(), ValidationCode::InvalidChoice),
            ]
        );
        assert!(KimPosition::Ketua.is_single() && !KimPosition::Seksi.is_single());
        assert!(KimPosition::Seksi.is_officer() && !KimPosition::Anggota.is_officer());
    }
}
