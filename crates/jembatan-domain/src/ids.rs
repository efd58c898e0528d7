//! Identifiers: UUIDv7 newtypes, so a user id cannot be passed where an
//! organisation id is meant.

/// A UUIDv7 newtype with `generate`, `Display` and `FromStr` (also used by
/// the content module for its ids).
macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub ::uuid::Uuid);

        impl $name {
            /// A new time-ordered (v7) id.
            pub fn generate() -> Self {
                $name(::uuid::Uuid::now_v7())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                ::uuid::Uuid::parse_str(s).map($name)
            }
        }
    };
}
pub(crate) use uuid_id;

uuid_id!(
    /// An account.
    UserId
);
uuid_id!(
    /// An organisation: a Diskominfo office, an agency, a KIM or a body without accounts.
    OrgId
);
uuid_id!(
    /// A role granted to an account within a scope.
    GrantId
);
uuid_id!(
    /// A person on a KIM's roster, with or without an account.
    MemberId
);
uuid_id!(
    /// A personal access token for the API.
    TokenId
);
uuid_id!(
    /// An entry of the audit log.
    AuditId
);
