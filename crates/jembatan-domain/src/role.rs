//! Roles and the scopes they are granted in.

use serde::Serialize;

use crate::ids::{GrantId, OrgId};
use crate::organisation::{OrgKind, OrgRef, stable_enum};
use crate::region::{RegionCode, RegionLevel};

stable_enum!(
    /// What an account may do, always within a [`Scope`].
    Role {
        /// Admin provinsi: everything within the province.
        ProvinceAdmin => "province_admin",
        /// Diskominfo kabupaten/kota officer.
        RegencyOfficer => "regency_officer",
        /// OPD (agency) officer.
        AgencyOfficer => "agency_officer",
        /// Pengurus KIM.
        KimManager => "kim_manager",
        /// Anggota KIM who writes.
        KimContributor => "kim_contributor",
        /// Verifikator cek fakta.
        FactChecker => "fact_checker",
        /// Every account is a citizen; the role is implicit and never granted.
        Citizen => "citizen",
    }
);

impl Role {
    /// The roles that can be granted (all but the implicit citizen).
    pub const GRANTABLE: &'static [Role] = &[
        Role::ProvinceAdmin,
        Role::RegencyOfficer,
        Role::AgencyOfficer,
        Role::KimManager,
        Role::KimContributor,
        Role::FactChecker,
    ];

    /// Whether a grant of this role may take `scope`.
    pub fn accepts(self, scope: &Scope) -> bool {
        match (self, scope) {
            (Role::ProvinceAdmin, Scope::Region(r)) => r.level() == RegionLevel::Province,
            (Role::RegencyOfficer, Scope::Region(r)) => r.level() == RegionLevel::Regency,
            (Role::FactChecker, Scope::Region(r)) => r.level() <= RegionLevel::Regency,
            (Role::AgencyOfficer, Scope::Organisation(o)) => o.kind == OrgKind::Agency,
            (Role::KimManager | Role::KimContributor, Scope::Organisation(o)) => o.kind == OrgKind::Kim,
            _ => false,
        }
    }
}

/// Where a role applies: a region (the province or a regency) or one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    Region(RegionCode),
    Organisation(OrgRef),
}

impl Scope {
    /// The region the scope lies in (an organisation's own region).
    pub fn region(&self) -> &RegionCode {
        match self {
            Scope::Region(r) => r,
            Scope::Organisation(o) => &o.region,
        }
    }

    /// The organisation, when the scope is one.
    pub fn organisation(&self) -> Option<&OrgRef> {
        match self {
            Scope::Region(_) => None,
            Scope::Organisation(o) => Some(o),
        }
    }

    /// True when this scope is `org` itself.
    pub fn is_organisation(&self, org: OrgId) -> bool {
        matches!(self, Scope::Organisation(o) if o.id == org)
    }
}

/// A role held within a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub id: GrantId,
    pub role: Role,
    pub scope: Scope,
}
