//! E-mail text from the translation catalog, for the delivery worker.

use std::sync::Arc;

use jembatan_delivery::MailText;

use crate::i18n::{Catalog, Locale, Tr};

/// [`MailText`] backed by the Fluent catalog.
pub struct CatalogMailText(pub Arc<Catalog>);

impl CatalogMailText {
    fn tr(&self, locale: &str) -> Tr {
        let locale = if locale == Locale::English.code() { Locale::English } else { Locale::Id };
        Tr::new(self.0.clone(), locale)
    }
}

impl MailText for CatalogMailText {
    fn password_reset(&self, locale: &str, name: &str, link: &str) -> (String, String) {
        let t = self.tr(locale);
        (t.get("mail-reset-subject"), t.args("mail-reset-body", &[("name", name), ("link", link)]))
    }

    fn message(&self, locale: &str, template: &str, args: &[(&str, &str)]) -> (String, String) {
        let t = self.tr(locale);
        (t.args(&format!("mail-{template}-subject"), args), t.args(&format!("mail-{template}-body"), args))
    }
}
