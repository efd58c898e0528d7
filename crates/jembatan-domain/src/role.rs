//! Roles and the scopes they are granted in.

use serde::Serialize;

use crate::error::{FieldError, ValidationCode};
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

    /// Parses a role that can be granted, as typed in a form or on the
    /// command line; the implicit citizen role is refused.
    pub fn parse_grantable(field: &str, raw: &str) -> Result<Role, FieldError> {
        match raw.trim() {
            "" => Err(FieldError::new(field, ValidationCode::Required)),
            raw => Role::parse(raw)
                .filter(|r| Role::GRANTABLE.contains(r))
                .ok_or_else(|| FieldError::new(field, ValidationCode::InvalidChoice)),
        }
    }

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

    /// The scope as written down before it is looked up.
    pub fn to_ref(&self) -> ScopeRef {
        match self {
            Scope::Region(r) => ScopeRef::Region(r.clone()),
            Scope::Organisation(o) => ScopeRef::Organisation(o.id),
        }
    }
}

/// A scope as typed (`--scope 35.23`, `--scope <organisation id>`), before
/// the store looks it up and turns it into a [`Scope`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ScopeRef {
    Region(RegionCode),
    Organisation(OrgId),
}

impl ScopeRef {
    /// A region code or an organisation's id (a UUID).
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::new(field, ValidationCode::Required));
        }
        if let Ok(code) = RegionCode::parse(raw) {
            return Ok(ScopeRef::Region(code));
        }
        raw.parse::<OrgId>()
            .map(ScopeRef::Organisation)
            .map_err(|_| FieldError::new(field, ValidationCode::InvalidChoice))
    }
}

/// A role held within a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub id: GrantId,
    pub role: Role,
    pub scope: Scope,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_typed_as_region_codes_or_organisation_ids() {
        assert_eq!(ScopeRef::parse("scope", " 35.23 ").unwrap(), ScopeRef::Region(RegionCode::parse("35.23").unwrap()));
        let id = OrgId::generate();
        assert_eq!(ScopeRef::parse("scope", &id.to_string()).unwrap(), ScopeRef::Organisation(id));
        assert_eq!(ScopeRef::parse("scope", "tuban").unwrap_err().code, ValidationCode::InvalidChoice);
        assert_eq!(ScopeRef::parse("scope", "").unwrap_err().code, ValidationCode::Required);
    }

    #[test]
    fn only_grantable_roles_parse_for_grants() {
        assert_eq!(Role::parse_grantable("role", "kim_manager").unwrap(), Role::KimManager);
        assert_eq!(Role::parse_grantable("role", "citizen").unwrap_err().code, ValidationCode::InvalidChoice);
        assert_eq!(Role::parse_grantable("role", "root").unwrap_err().code, ValidationCode::InvalidChoice);
    }
}
