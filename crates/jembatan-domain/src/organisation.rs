//! Organisations: Diskominfo offices, agencies (OPD), KIMs, and bodies
//! without accounts that cases can be handed to; the KIM lifecycle.

use serde::Serialize;

use crate::ids::OrgId;
use crate::region::RegionCode;
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

/// The minimum roster size the KIM programme expects.
pub const KIM_MIN_MEMBERS: usize = 10;

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
