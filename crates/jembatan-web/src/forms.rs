//! Form handling shared by every page with a form: error messages per
//! field (translated), and safe redirect targets.

use jembatan_domain::FieldError;

use crate::error::message_key;
use crate::i18n::Tr;

/// Translated error messages by field, for re-rendering a refused form.
#[derive(Debug, Default, Clone)]
pub struct FormErrors {
    fields: Vec<(String, String)>,
    /// A message about the whole form (e.g. wrong password).
    pub general: Option<String>,
}

impl FormErrors {
    /// Messages for domain validation failures.
    pub fn from_fields(t: &Tr, errors: &[FieldError]) -> FormErrors {
        let mut form = FormErrors::default();
        for e in errors {
            form.add(&e.field, t.get(&message_key(e.code.as_str())));
        }
        form
    }

    /// A form-wide message.
    pub fn general(message: String) -> FormErrors {
        FormErrors { fields: Vec::new(), general: Some(message) }
    }

    /// Adds a message for `field` (the first message per field wins).
    pub fn add(&mut self, field: &str, message: String) {
        if self.get(field).is_none() {
            self.fields.push((field.to_owned(), message));
        }
    }

    /// The message for `field`, if it was refused.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }

    /// Every field message, in the order the fields were checked.
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(_, m)| m.as_str())
    }
}

/// A site-relative path safe to redirect to after login: must start with
/// one `/` (never `//host` or a scheme) and hold no backslash.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let ok = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') && !next.contains("://");
    ok.then(|| next.to_owned())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(safe_next(Some("/akun")), Some("/akun".into()));
        assert_eq!(safe_next(Some("/wilayah/35?x=1")), Some("/wilayah/35?x=1".into()));
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "akun", "/x?u=http://e"] {
            assert_eq!(safe_next(Some(bad)), None, "{bad}");
        }
        assert_eq!(safe_next(None), None);
    }
}
