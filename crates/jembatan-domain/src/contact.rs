//! Contact values people type: e-mail addresses and Indonesian mobile numbers.

use std::fmt;

use serde::Serialize;

use crate::error::{FieldError, ValidationCode};

/// An e-mail address, trimmed and with its domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.chars().count() > 254 {
            return Err(FieldError::new(field, ValidationCode::TooLong));
        }
        let parsed =
            email_address::EmailAddress::parse_with_options(raw, email_address::Options::default().with_required_tld())
                .map_err(|_| FieldError::new(field, ValidationCode::InvalidEmail))?;
        Ok(Email(format!("{}@{}", parsed.local_part(), parsed.domain().to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Rebuilds a value read back from storage, where it was validated on the way in.
    pub fn from_stored(s: String) -> Self {
        Email(s)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An Indonesian mobile number in E.164 form, e.g. `+6281234567890`.
///
/// Accepts the ways people write them: `0812-3456-7890`, `62812...`,
/// `+62 812 ...`, `+62 (0)812...`. Indonesian mobile numbers start with 8
/// after the country code and have 9 to 12 digits after it. A one-country
/// rule this narrow does not need a world numbering-plan library.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new(field, ValidationCode::InvalidPhone);
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::new(field, ValidationCode::Required));
        }
        if raw.chars().any(|c| !(c.is_ascii_digit() || " -.()+".contains(c))) {
            return Err(invalid());
        }
        if raw.chars().skip(1).any(|c| c == '+') {
            return Err(invalid());
        }
        let digits: String = raw.replace("(0)", "").chars().filter(char::is_ascii_digit).collect();
        let national = if let Some(rest) = digits.strip_prefix("62") {
            rest.strip_prefix('0').unwrap_or(rest)
        } else if let Some(rest) = digits.strip_prefix('0') {
            rest
        } else {
            return Err(invalid());
        };
        if national.starts_with('8') && (9..=12).contains(&national.len()) {
            Ok(PhoneNumber(format!("+62{national}")))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Rebuilds a value read back from storage, where it was validated on the way in.
    pub fn from_stored(s: String) -> Self {
        PhoneNumber(s)
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a login form's identifier field holds: an e-mail or a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginIdentifier {
    Email(Email),
    Phone(PhoneNumber),
}

impl LoginIdentifier {
    /// An `@` means e-mail; anything else is tried as a phone number.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        if raw.trim().is_empty() {
            Err(FieldError::new(field, ValidationCode::Required))
        } else if raw.contains('@') {
            Email::parse(field, raw).map(LoginIdentifier::Email)
        } else {
            PhoneNumber::parse(field, raw).map(LoginIdentifier::Phone)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_the_usual_ways_of_writing_a_mobile_number() {
        for raw in [
            "081234567890",
            "0812-3456-7890",
            "62 812 3456 7890",
            "+6281234567890",
            "+62 (0)812 3456 7890",
            "0812.3456.7890",
        ] {
            assert_eq!(PhoneNumber::parse("phone", raw).unwrap().as_str(), "+6281234567890", "{raw}");
        }
    }

    #[test]
    fn rejects_landlines_foreign_and_junk_numbers() {
        for raw in [
            "0215551234",
            "+6121555123",
            "+14155550100",
            "0812",
            "08123456789012345",
            "08x1234567",
            "0812+3456789",
            "812345678",
        ] {
            assert_eq!(PhoneNumber::parse("phone", raw).unwrap_err().code, ValidationCode::InvalidPhone, "{raw}");
        }
        assert_eq!(PhoneNumber::parse("phone", "  ").unwrap_err().code, ValidationCode::Required);
    }

    #[test]
    fn email_domain_is_lower_cased_and_bad_addresses_refused() {
        assert_eq!(Email::parse("email", " Siti@Contoh.CO.ID ").unwrap().as_str(), "Siti@contoh.co.id");
        for raw in ["siti", "siti@", "@contoh.id", "siti@contoh", "a b@contoh.id"] {
            assert_eq!(Email::parse("email", raw).unwrap_err().code, ValidationCode::InvalidEmail, "{raw}");
        }
    }

    #[test]
    fn login_identifier_picks_email_or_phone() {
        assert!(matches!(LoginIdentifier::parse("id", "a@b.id").unwrap(), LoginIdentifier::Email(_)));
        assert!(matches!(LoginIdentifier::parse("id", "0812 3456 789").unwrap(), LoginIdentifier::Phone(_)));
    }
}
