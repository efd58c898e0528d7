//! Validation failures of domain values, as a field plus a stable code.
//!
//! The code is the API's `error.code` and, prefixed with `error-`, the
//! translation key of the message people read; the domain never holds text.

use std::fmt;

/// Why a value was refused. Names are stable: clients match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValidationCode {
    Required,
    TooLong,
    TooShort,
    MalformedRegionCode,
    UnknownRegion,
    InvalidEmail,
    InvalidPhone,
    ContactRequired,
    WeakPassword,
    PasswordMismatch,
    InvalidChoice,
    InvalidDate,
    InvalidUrl,
    Duplicate,
    ConsentRequired,
    OutOfScope,
    /// A region code of the right shape but the wrong level (e.g. a KIM
    /// placed in a regency instead of a village).
    WrongRegionLevel,
    /// An end date (an SK's expiry) that is not after its start.
    EndBeforeStart,
    /// A one-time link or token is past its expiry (or was replaced by a newer one).
    ExpiredToken,
    /// A one-time link or token was already used.
    UsedToken,
    /// Not a whole number of the expected kind (a price in rupiah).
    InvalidNumber,
    /// A lower bound above its upper bound (a product's price range).
    InvalidRange,
    /// Not a date and time (`YYYY-MM-DDTHH:MM`).
    InvalidDateTime,
    /// A time that must lie in the future does not (scheduled publishing).
    NotInFuture,
    /// More entries than a list accepts (target regions, topics, photos).
    TooMany,
    /// A workflow step that the item's current status does not allow
    /// (publishing an archived item, returning a published one).
    InvalidTransition,
    /// Not a tracking number (`ASP-35-7K4Q-9MZD`).
    InvalidTracking,
    /// A point outside Indonesia's bounds.
    OutsideIndonesia,
    /// The requester must be identified (an information request, UU 14/2008).
    IdentityRequired,
}

impl ValidationCode {
    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ValidationCode::Required => "required",
            ValidationCode::TooLong => "too_long",
            ValidationCode::TooShort => "too_short",
            ValidationCode::MalformedRegionCode => "malformed_region_code",
            ValidationCode::UnknownRegion => "unknown_region",
            ValidationCode::InvalidEmail => "invalid_email",
            ValidationCode::InvalidPhone => "invalid_phone",
            ValidationCode::ContactRequired => "contact_required",
            ValidationCode::WeakPassword => "weak_password",
            ValidationCode::PasswordMismatch => "password_mismatch",
            ValidationCode::InvalidChoice => "invalid_choice",
            ValidationCode::InvalidDate => "invalid_date",
            ValidationCode::InvalidUrl => "invalid_url",
            ValidationCode::Duplicate => "duplicate",
            ValidationCode::ConsentRequired => "consent_required",
            ValidationCode::OutOfScope => "out_of_scope",
            ValidationCode::WrongRegionLevel => "wrong_region_level",
            ValidationCode::EndBeforeStart => "end_before_start",
            ValidationCode::ExpiredToken => "expired_token",
            ValidationCode::UsedToken => "used_token",
            ValidationCode::InvalidNumber => "invalid_number",
            ValidationCode::InvalidRange => "invalid_range",
            ValidationCode::InvalidDateTime => "invalid_date_time",
            ValidationCode::NotInFuture => "not_in_future",
            ValidationCode::TooMany => "too_many",
            ValidationCode::InvalidTransition => "invalid_transition",
            ValidationCode::InvalidTracking => "invalid_tracking",
            ValidationCode::OutsideIndonesia => "outside_indonesia",
            ValidationCode::IdentityRequired => "identity_required",
        }
    }

    /// Every code, for tests that check each has a translated message.
    pub const ALL: &'static [ValidationCode] = &[
        ValidationCode::Required,
        ValidationCode::TooLong,
        ValidationCode::TooShort,
        ValidationCode::MalformedRegionCode,
        ValidationCode::UnknownRegion,
        ValidationCode::InvalidEmail,
        ValidationCode::InvalidPhone,
        ValidationCode::ContactRequired,
        ValidationCode::WeakPassword,
        ValidationCode::PasswordMismatch,
        ValidationCode::InvalidChoice,
        ValidationCode::InvalidDate,
        ValidationCode::InvalidUrl,
        ValidationCode::Duplicate,
        ValidationCode::ConsentRequired,
        ValidationCode::OutOfScope,
        ValidationCode::WrongRegionLevel,
        ValidationCode::EndBeforeStart,
        ValidationCode::ExpiredToken,
        ValidationCode::UsedToken,
        ValidationCode::InvalidNumber,
        ValidationCode::InvalidRange,
        ValidationCode::InvalidDateTime,
        ValidationCode::NotInFuture,
        ValidationCode::TooMany,
        ValidationCode::InvalidTransition,
        ValidationCode::InvalidTracking,
        ValidationCode::OutsideIndonesia,
        ValidationCode::IdentityRequired,
    ];
}

/// One refused field: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FieldError {
    /// The form or JSON field name, e.g. `email`.
    pub field: String,
    pub code: ValidationCode,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ValidationCode) -> Self {
        FieldError { field: field.into(), code }
    }

    /// The same failure reported against another field name.
    pub fn for_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.code.as_str())
    }
}

/// Trims `value` and checks it is present and at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        Err(FieldError::new(field, ValidationCode::Required))
    } else if value.chars().count() > max {
        Err(FieldError::new(field, ValidationCode::TooLong))
    } else {
        Ok(value.to_owned())
    }
}

/// Like [`required_text`] but an empty value is `None`.
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    if value.trim().is_empty() { Ok(None) } else { required_text(field, value, max).map(Some) }
}
