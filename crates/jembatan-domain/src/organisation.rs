//! Organisations: Diskominfo offices, agencies (OPD), KIMs, and bodies
//! without accounts that cases can be handed to; the KIM lifecycle; what an
//! organisation form accepts (KIMs have their own form in [`crate::kim`]).

use chrono::NaiveDate;
use serde::Serialize;

use crate::contact::Email;
use crate::error::{FieldError, ValidationCode, optional_text, required_text};
use crate::ids::OrgId;
use crate::region::{RegionCode, RegionLevel};
use crate::time::Timestamp;

/// Stable string names shared by the database, the API and translation keys.
macro_rules! stable_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stable name.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use stable_enum;

stable_enum!(
    /// What an organisation is.
    OrgKind {
        /// Dinas Komunikasi dan Informatika of the province or a regency.
        Diskominfo => "diskominfo",
        /// Organisasi Perangkat Daerah: a local government agency.
        Agency => "agency",
        /// Komunitas Informasi Masyarakat.
        Kim => "kim",
        /// A body without accounts here that cases can be handed to.
        Body => "body",
    }
);

stable_enum!(
    /// The kinds of bodies without accounts.
    BodyKind {
        VillageOffice => "village_office",
        DistrictOffice => "district_office",
        Bumd => "bumd",
        VerticalAgency => "vertical_agency",
        StateCompany => "state_company",
    }
);

stable_enum!(
    /// A KIM's lifecycle status.
    KimStatus {
        /// Formed, not yet registered by its regency.
        Dibentuk => "dibentuk",
        /// Registered with an SK.
        Terdaftar => "terdaftar",
        /// Registered and active.
        Aktif => "aktif",
        /// Dormant.
        Vakum => "vakum",
    }
);

stable_enum!(
    /// A position on a KIM's roster.
    KimPosition {
        Ketua => "ketua",
        Sekretaris => "sekretaris",
        Bendahara => "bendahara",
        Seksi => "seksi",
        Anggota => "anggota",
    }
);

stable_enum!(
    /// Areas of work an agency covers; later issues route aspirations by them.
    WorkCategory {
        Kesehatan => "kesehatan",
        Pendidikan => "pendidikan",
        Infrastruktur => "infrastruktur",
        Kebencanaan => "kebencanaan",
        Pertanian => "pertanian",
        Ekonomi => "ekonomi",
        Sosial => "sosial",
        Kependudukan => "kependudukan",
        Lingkungan => "lingkungan",
        Keamanan => "keamanan",
        Pemerintahan => "pemerintahan",
        Komunikasi => "komunikasi",
    }
);

impl BodyKind {
    /// The levels of region a body of this kind sits at: a desa/kelurahan
    /// office in its village, a kecamatan office in its district; BUMD,
    /// vertical agencies (Polres, Polsek, KUA) and state companies (PLN
    /// UP3/ULP) at province, regency or district level.
    pub fn region_levels(self) -> &'static [RegionLevel] {
        match self {
            BodyKind::VillageOffice => &[RegionLevel::Village],
            BodyKind::DistrictOffice => &[RegionLevel::District],
            BodyKind::Bumd => &[RegionLevel::Province, RegionLevel::Regency],
            BodyKind::VerticalAgency | BodyKind::StateCompany => {
                &[RegionLevel::Province, RegionLevel::Regency, RegionLevel::District]
            }
        }
    }
}

impl OrgKind {
    /// The levels of region an organisation of this kind sits at; a body's
    /// depend on its [`BodyKind`] (`body_kind`, ignored for other kinds).
    pub fn region_levels(self, body_kind: Option<BodyKind>) -> &'static [RegionLevel] {
        match (self, body_kind) {
            (OrgKind::Kim, _) => &[RegionLevel::Village],
            (OrgKind::Diskominfo | OrgKind::Agency, _) => &[RegionLevel::Province, RegionLevel::Regency],
            (OrgKind::Body, Some(body)) => body.region_levels(),
            (OrgKind::Body, None) => {
                &[RegionLevel::Province, RegionLevel::Regency, RegionLevel::District, RegionLevel::Village]
            }
        }
    }
}

/// What authorization needs to know about an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgRef {
    pub id: OrgId,
    pub kind: OrgKind,
    /// Where it sits: the province or a regency for offices and agencies,
    /// the village served for a KIM.
    pub region: RegionCode,
}

/// How many days before an SK lapses its KIM and regency officer are warned.
pub const SK_EXPIRY_WARNING_DAYS: i64 = 30;

/// Where an SK stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkValidity {
    /// No SK recorded.
    Missing,
    Valid,
    /// Valid, lapsing within [`SK_EXPIRY_WARNING_DAYS`].
    ExpiringSoon,
    Expired,
}

impl SkValidity {
    /// Judges an SK by its expiry (if it has one) at `now`.
    pub fn judge(has_sk: bool, expires: Option<Timestamp>, now: Timestamp) -> Self {
        match (has_sk, expires) {
            (false, _) => SkValidity::Missing,
            (true, None) => SkValidity::Valid,
            (true, Some(exp)) if exp <= now => SkValidity::Expired,
            (true, Some(exp)) if exp <= now.plus_seconds(SK_EXPIRY_WARNING_DAYS * 86_400) => SkValidity::ExpiringSoon,
            (true, Some(_)) => SkValidity::Valid,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SkValidity::Missing => "missing",
            SkValidity::Valid => "valid",
            SkValidity::ExpiringSoon => "expiring_soon",
            SkValidity::Expired => "expired",
        }
    }
}

impl SkValidity {
    /// Judges an SK by its expiry date on `today`. The expiry date is the
    /// last day the SK is in force: it lapses the day after.
    pub fn on_day(has_sk: bool, expires: Option<NaiveDate>, today: NaiveDate) -> Self {
        match (has_sk, expires) {
            (false, _) => SkValidity::Missing,
            (true, None) => SkValidity::Valid,
            (true, Some(exp)) if exp < today => SkValidity::Expired,
            (true, Some(exp)) if (exp - today).num_days() <= SK_EXPIRY_WARNING_DAYS => SkValidity::ExpiringSoon,
            (true, Some(_)) => SkValidity::Valid,
        }
    }
}

/// The minimum roster size the KIM programme expects.
pub const KIM_MIN_MEMBERS: usize = 10;

/// Longest name of an organisation or a KIM.
pub const MAX_ORG_NAME_CHARS: usize = 150;
/// Longest profile description.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
/// Longest postal address.
pub const MAX_ADDRESS_CHARS: usize = 300;
/// Longest web address.
pub const MAX_URL_CHARS: usize = 300;
/// Longest office telephone number as typed.
pub const MAX_OFFICE_PHONE_CHARS: usize = 30;

/// An organisation (not a KIM) as typed in the form or sent to the API.
/// Categories are the `WorkCategory` names ticked; empty strings are ignored.
#[derive(Debug, Clone, Default)]
pub struct OrganisationForm {
    pub kind: String,
    pub body_kind: String,
    pub name: String,
    pub region: String,
    pub categories: Vec<String>,
    pub description: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub website: String,
}

/// The editable part of an organisation, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgProfile {
    pub name: String,
    /// Set exactly for [`OrgKind::Body`].
    pub body_kind: Option<BodyKind>,
    /// At least one for an agency, none for other kinds; in [`WorkCategory::ALL`] order.
    pub categories: Vec<WorkCategory>,
    pub description: String,
    pub address: Option<String>,
    /// An office number as typed (landlines allowed), trimmed.
    pub phone: Option<String>,
    pub email: Option<Email>,
    /// An http(s) address, normalised.
    pub website: Option<String>,
}

/// An organisation to create, checked. KIMs are registered with
/// [`crate::kim::NewKim`] instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub kind: OrgKind,
    /// Checked for shape and level; the store checks that it exists.
    pub region: RegionCode,
    pub profile: OrgProfile,
}

impl OrganisationForm {
    /// Checks every field of a new organisation, returning all failures.
    pub fn validate(&self) -> Result<NewOrganisation, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = match self.kind.trim() {
            "" => Err(FieldError::new("kind", ValidationCode::Required)),
            raw => match OrgKind::parse(raw) {
                // KIMs carry an SK, a roster and a lifecycle: they have their own form.
                Some(OrgKind::Kim) | None => Err(FieldError::new("kind", ValidationCode::InvalidChoice)),
                Some(kind) => Ok(kind),
            },
        }
        .map_err(|e| errors.push(e))
        .ok();
        let region = RegionCode::parse(&self.region).map_err(|e| errors.push(e.for_field("region"))).ok();
        let profile = self.check_profile(kind, region.as_ref(), &mut errors);
        match (errors.is_empty(), kind, region, profile) {
            (true, Some(kind), Some(region), Some(profile)) => Ok(NewOrganisation { kind, region, profile }),
            _ => Err(errors),
        }
    }

    /// Checks the editable fields of an existing organisation of `kind` in
    /// `region`; the form's own kind and region are ignored (they do not change).
    pub fn validate_profile(&self, kind: OrgKind, region: &RegionCode) -> Result<OrgProfile, Vec<FieldError>> {
        let mut errors = Vec::new();
        match self.check_profile(Some(kind), Some(region), &mut errors) {
            Some(profile) if errors.is_empty() => Ok(profile),
            _ => Err(errors),
        }
    }

    /// Checks the profile fields, pushing each failure; kind- and
    /// region-dependent rules are skipped when those did not parse.
    fn check_profile(
        &self,
        kind: Option<OrgKind>,
        region: Option<&RegionCode>,
        errors: &mut Vec<FieldError>,
    ) -> Option<OrgProfile> {
        let name = required_text("name", &self.name, MAX_ORG_NAME_CHARS).map_err(|e| errors.push(e)).ok();
        let body_kind = match (kind, self.body_kind.trim()) {
            (Some(OrgKind::Body), "") => Err(FieldError::new("body_kind", ValidationCode::Required)),
            (_, "") => Ok(None),
            (Some(OrgKind::Body) | None, raw) => BodyKind::parse(raw)
                .map(Some)
                .ok_or_else(|| FieldError::new("body_kind", ValidationCode::InvalidChoice)),
            (Some(_), _) => Err(FieldError::new("body_kind", ValidationCode::InvalidChoice)),
        }
        .map_err(|e| errors.push(e))
        .ok();
        let categories = self.check_categories(kind).map_err(|e| errors.push(e)).ok();
        let description = optional_text("description", &self.description, MAX_DESCRIPTION_CHARS)
            .map_err(|e| errors.push(e))
            .ok()
            .map(Option::unwrap_or_default);
        let address = optional_text("address", &self.address, MAX_ADDRESS_CHARS).map_err(|e| errors.push(e)).ok();
        let phone = parse_office_phone("phone", &self.phone).map_err(|e| errors.push(e)).ok();
        let email = optional_text("email", &self.email, 254)
            .and_then(|e| e.map(|e| Email::parse("email", &e)).transpose())
            .map_err(|e| errors.push(e))
            .ok();
        let website = optional_text("website", &self.website, MAX_URL_CHARS)
            .and_then(|w| w.map(|w| parse_web_url("website", &w).map(String::from)).transpose())
            .map_err(|e| errors.push(e))
            .ok();
        if let (Some(kind), Some(region), Some(body_kind)) = (kind, region, body_kind)
            && !kind.region_levels(body_kind).contains(&region.level())
        {
            errors.push(FieldError::new("region", ValidationCode::WrongRegionLevel));
        }
        Some(OrgProfile {
            name: name?,
            body_kind: body_kind?,
            categories: categories?,
            description: description?,
            address: address?,
            phone: phone?,
            email: email?,
            website: website?,
        })
    }

    /// An agency names the areas it works in; other kinds name none.
    fn check_categories(&self, kind: Option<OrgKind>) -> Result<Vec<WorkCategory>, FieldError> {
        let ticked: Vec<&str> = self.categories.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
        let mut categories = Vec::with_capacity(ticked.len());
        for raw in &ticked {
            let category =
                WorkCategory::parse(raw).ok_or_else(|| FieldError::new("categories", ValidationCode::InvalidChoice))?;
            if !categories.contains(&category) {
                categories.push(category);
            }
        }
        categories.sort();
        match kind {
            Some(OrgKind::Agency) if categories.is_empty() => {
                Err(FieldError::new("categories", ValidationCode::Required))
            }
            Some(OrgKind::Agency) | None => Ok(categories),
            Some(_) if categories.is_empty() => Ok(categories),
            Some(_) => Err(FieldError::new("categories", ValidationCode::InvalidChoice)),
        }
    }
}

/// An office telephone number: landlines and mobiles, digits with the usual
/// separators, 6 to 15 digits. Empty is `None`.
pub fn parse_office_phone(field: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.chars().count() > MAX_OFFICE_PHONE_CHARS {
        return Err(FieldError::new(field, ValidationCode::TooLong));
    }
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let allowed = raw.chars().all(|c| c.is_ascii_digit() || " -.()+".contains(c));
    if allowed && (6..=15).contains(&digits) && !raw[1..].contains('+') {
        Ok(Some(raw.split_whitespace().collect::<Vec<_>>().join(" ")))
    } else {
        Err(FieldError::new(field, ValidationCode::InvalidPhone))
    }
}

/// Parses an http(s) address with a host, adding `https://` when people
/// typed none (`kimmaju.kim.id`). Addresses with a user name or password
/// are refused: they serve only to disguise where a link leads.
pub fn parse_web_url(field: &str, raw: &str) -> Result<url::Url, FieldError> {
    let invalid = || FieldError::new(field, ValidationCode::InvalidUrl);
    let raw = raw.trim();
    if raw.chars().count() > MAX_URL_CHARS {
        return Err(FieldError::new(field, ValidationCode::TooLong));
    }
    let with_scheme = if raw.contains("://") { raw.to_owned() } else { format!("https://{raw}") };
    let url = url::Url::parse(&with_scheme).map_err(|_| invalid())?;
    let host_ok = matches!(url.host(), Some(url::Host::Domain(d)) if d.contains('.'));
    if !matches!(url.scheme(), "http" | "https") || !host_ok || !url.username().is_empty() || url.password().is_some() {
        return Err(invalid());
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_names_round_trip() {
        for k in KimStatus::ALL {
            assert_eq!(KimStatus::parse(k.as_str()), Some(*k));
        }
        assert_eq!(OrgKind::parse("kim"), Some(OrgKind::Kim));
        assert_eq!(OrgKind::parse("KIM"), None);
    }

    fn form() -> OrganisationForm {
        OrganisationForm {
            kind: "agency".into(),
            name: "Dinas Kesehatan Kabupaten Tuban".into(),
            region: "35.23".into(),
            categories: vec!["kesehatan".into(), "sosial".into(), "kesehatan".into(), " ".into()],
            website: "dinkes.tubankab.go.id".into(),
            phone: "(0356) 321 456".into(),
            ..OrganisationForm::default()
        }
    }

    fn codes(errors: Vec<FieldError>) -> Vec<(String, ValidationCode)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn an_agency_names_its_categories_once_each() {
        let new = form().validate().unwrap();
        assert_eq!(new.kind, OrgKind::Agency);
        assert_eq!(new.profile.categories, vec![WorkCategory::Kesehatan, WorkCategory::Sosial]);
        assert_eq!(new.profile.website.as_deref(), Some("https://dinkes.tubankab.go.id/"));
        assert_eq!(new.profile.phone.as_deref(), Some("(0356) 321 456"));
        let none = OrganisationForm { categories: vec![], ..form() };
        assert_eq!(codes(none.validate().unwrap_err()), vec![("categories".into(), ValidationCode::Required)]);
    }

    #[test]
    fn reports_every_failing_field_of_an_organisation() {
        let bad = OrganisationForm {
            kind: "kim".into(),
            name: "x".repeat(151),
            region: "35.2".into(),
            categories: vec!["astrologi".into()],
            email: "not-an-address".into(),
            website: "javascript:alert(1)".into(),
            phone: "call me".into(),
            ..form()
        };
        assert_eq!(
            codes(bad.validate().unwrap_err()),
            vec![
                ("kind".into(), ValidationCode::InvalidChoice),
                ("region".into(), ValidationCode::MalformedRegionCode),
                ("name".into(), ValidationCode::TooLong),
                ("categories".into(), ValidationCode::InvalidChoice),
                ("phone".into(), ValidationCode::InvalidPhone),
                ("email".into(), ValidationCode::InvalidEmail),
                ("website".into(), ValidationCode::InvalidUrl),
            ]
        );
    }

    #[test]
    fn bodies_have_a_kind_and_sit_at_its_level() {
        let polres = OrganisationForm {
            kind: "body".into(),
            body_kind: "vertical_agency".into(),
            name: "Polres Tuban".into(),
            categories: vec![],
            ..form()
        };
        assert_eq!(polres.validate().unwrap().profile.body_kind, Some(BodyKind::VerticalAgency));
        let desa = OrganisationForm { body_kind: "village_office".into(), ..polres.clone() };
        assert_eq!(codes(desa.validate().unwrap_err()), vec![("region".into(), ValidationCode::WrongRegionLevel)]);
        let desa = OrganisationForm { region: "35.23.01.2001".into(), ..desa };
        assert!(desa.validate().is_ok());
        let unnamed = OrganisationForm { body_kind: String::new(), ..polres.clone() };
        assert_eq!(codes(unnamed.validate().unwrap_err()), vec![("body_kind".into(), ValidationCode::Required)]);
        let office_with_body_kind = OrganisationForm { kind: "diskominfo".into(), ..polres };
        assert_eq!(
            codes(office_with_body_kind.validate().unwrap_err()),
            vec![("body_kind".into(), ValidationCode::InvalidChoice)]
        );
        let agency_in_a_village = OrganisationForm { region: "35.23.01.2001".into(), ..form() };
        assert_eq!(
            codes(agency_in_a_village.validate().unwrap_err()),
            vec![("region".into(), ValidationCode::WrongRegionLevel)]
        );
    }

    #[test]
    fn web_addresses_must_be_http_with_a_host_and_no_credentials() {
        for good in ["https://kominfo.jatimprov.go.id", "http://tubankab.go.id/berita", "tubankab.go.id"] {
            assert!(parse_web_url("website", good).is_ok(), "{good}");
        }
        for bad in ["ftp://tubankab.go.id", "https://localhost", "https://user:pw@tubankab.go.id", "https://"] {
            assert_eq!(parse_web_url("website", bad).unwrap_err().code, ValidationCode::InvalidUrl, "{bad}");
        }
    }

    #[test]
    fn sk_validity_by_expiry_date_counts_the_last_day_in_force() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = day("2025-06-01");
        assert_eq!(SkValidity::on_day(false, Some(today), today), SkValidity::Missing);
        assert_eq!(SkValidity::on_day(true, None, today), SkValidity::Valid);
        assert_eq!(SkValidity::on_day(true, Some(day("2025-05-31")), today), SkValidity::Expired);
        assert_eq!(SkValidity::on_day(true, Some(today), today), SkValidity::ExpiringSoon);
        assert_eq!(SkValidity::on_day(true, Some(day("2025-07-01")), today), SkValidity::ExpiringSoon);
        assert_eq!(SkValidity::on_day(true, Some(day("2025-07-02")), today), SkValidity::Valid);
    }

    #[test]
    fn sk_validity_by_expiry() {
        let now = Timestamp(1_000_000_000_000);
        let day = 86_400;
        assert_eq!(SkValidity::judge(false, None, now), SkValidity::Missing);
        assert_eq!(SkValidity::judge(true, None, now), SkValidity::Valid);
        assert_eq!(SkValidity::judge(true, Some(now.plus_seconds(-day)), now), SkValidity::Expired);
        assert_eq!(SkValidity::judge(true, Some(now), now), SkValidity::Expired);
        assert_eq!(SkValidity::judge(true, Some(now.plus_seconds(10 * day)), now), SkValidity::ExpiringSoon);
        assert_eq!(SkValidity::judge(true, Some(now.plus_seconds(90 * day)), now), SkValidity::Valid);
    }
}
