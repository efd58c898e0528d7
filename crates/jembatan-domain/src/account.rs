//! Accounts: what registration accepts and the password policy.

use crate::contact::{Email, PhoneNumber};
use crate::error::{FieldError, ValidationCode, optional_text, required_text};

/// Shortest password accepted; long passphrases beat character rules.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted, so hashing cost stays bounded.
pub const MAX_PASSWORD_CHARS: usize = 200;
/// Longest display name.
pub const MAX_NAME_CHARS: usize = 100;

/// A registration as typed in the form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct RegistrationForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub password: String,
    pub password_confirm: String,
    /// The privacy notice was accepted.
    pub consent: bool,
}

/// A registration that passed every check.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub name: String,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
    pub password: String,
}

impl RegistrationForm {
    /// Checks every field, returning all failures so a form can mark each.
    pub fn validate(&self) -> Result<NewAccount, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = required_text("name", &self.name, MAX_NAME_CHARS).map_err(|e| errors.push(e)).ok();
        let email = optional_text("email", &self.email, 254)
            .and_then(|e| e.map(|e| Email::parse("email", &e)).transpose())
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let phone = if self.phone.trim().is_empty() {
            None
        } else {
            PhoneNumber::parse("phone", &self.phone).map_err(|e| errors.push(e)).ok()
        };
        if self.email.trim().is_empty() && self.phone.trim().is_empty() {
            errors.push(FieldError::new("email", ValidationCode::ContactRequired));
        }
        if let Err(e) = check_new_password("password", &self.password) {
            errors.push(e);
        } else if self.password != self.password_confirm {
            errors.push(FieldError::new("password_confirm", ValidationCode::PasswordMismatch));
        }
        if !self.consent {
            errors.push(FieldError::new("consent", ValidationCode::ConsentRequired));
        }
        match (errors.is_empty(), name) {
            (true, Some(name)) => Ok(NewAccount { name, email, phone, password: self.password.clone() }),
            _ => Err(errors),
        }
    }
}

/// The password policy: length only, as NIST SP 800-63B advises.
pub fn check_new_password(field: &str, password: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(FieldError::new(field, ValidationCode::WeakPassword))
    } else if chars > MAX_PASSWORD_CHARS {
        Err(FieldError::new(field, ValidationCode::TooLong))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RegistrationForm {
        RegistrationForm {
            name: "Siti Aminah".into(),
            email: String::new(),
            phone: "0812 3456 7890".into(),
            password: "kopi tubruk pagi".into(),
            password_confirm: "kopi tubruk pagi".into(),
            consent: true,
        }
    }

    #[test]
    fn a_phone_without_email_is_enough() {
        let account = form().validate().unwrap();
        assert_eq!(account.phone.unwrap().as_str(), "+6281234567890");
        assert!(account.email.is_none());
    }

    #[test]
    fn reports_every_failing_field() {
        let bad = RegistrationForm {
            name: " ".into(),
            phone: String::new(),
            password: "short".into(),
            consent: false,
            ..form()
        };
        let fields: Vec<(String, ValidationCode)> =
            bad.validate().unwrap_err().into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            vec![
                ("name".into(), ValidationCode::Required),
                ("email".into(), ValidationCode::ContactRequired),
                ("password".into(), ValidationCode::WeakPassword),
                ("consent".into(), ValidationCode::ConsentRequired),
            ]
        );
    }

    #[test]
    fn password_confirmation_must_match() {
        let bad = RegistrationForm { password_confirm: "something else".into(), ..form() };
        assert_eq!(bad.validate().unwrap_err()[0].code, ValidationCode::PasswordMismatch);
    }
}
