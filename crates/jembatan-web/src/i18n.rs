//! Translations: the Fluent catalogs in `locales/`, the [`Locale`] a request
//! is served in, and [`Tr`], what templates call to get text.
//!
//! Indonesian is the default and needs no URL prefix; English lives under
//! `/en`. The locale comes from the URL only, never from Accept-Language:
//! many cheap phones run in English while their owners read Indonesian.

use std::collections::HashMap;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));

/// A language the interface is served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// Bahasa Indonesia, the default.
    Id,
    English,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Id, Locale::English];

    /// BCP 47 code, for `lang` attributes.
    pub fn code(self) -> &'static str {
        match self {
            Locale::Id => "id",
            Locale::English => "en",
        }
    }

    /// The URL prefix: none for Indonesian.
    pub fn prefix(self) -> &'static str {
        match self {
            Locale::Id => "",
            Locale::English => "/en",
        }
    }

    /// The locale a path is in and the path without its prefix.
    pub fn split_path(path: &str) -> (Locale, &str) {
        match path.strip_prefix("/en") {
            Some("") => (Locale::English, "/"),
            Some(rest) if rest.starts_with('/') => (Locale::English, rest),
            _ => (Locale::Id, path),
        }
    }

    /// The other locale, for the language switch.
    pub fn other(self) -> Locale {
        match self {
            Locale::Id => Locale::English,
            Locale::English => Locale::Id,
        }
    }

    /// Prefixes an unprefixed site path for this locale.
    pub fn href(self, path: &str) -> String {
        match (self, path) {
            (Locale::Id, _) => path.to_owned(),
            (Locale::English, "/") => "/en".to_owned(),
            (Locale::English, _) => format!("/en{path}"),
        }
    }
}

/// All catalogs, parsed once at start.
pub struct Catalog {
    bundles: HashMap<Locale, FluentBundle<FluentResource>>,
}

/// Why the catalog failed to load (a broken `.ftl` file: a build defect).
#[derive(Debug, thiserror::Error)]
#[error("translation catalog {file}: {reason}")]
pub struct CatalogError {
    file: String,
    reason: String,
}

impl Catalog {
    /// Parses the embedded catalogs.
    pub fn load() -> Result<Catalog, CatalogError> {
        let mut bundles = HashMap::new();
        for locale in Locale::ALL {
            let langid = locale.code().parse().expect("valid language id");
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Isolation marks would reach HTML and e-mail as invisible characters.
            bundle.set_use_isolating(false);
            for (code, file, text) in CATALOG_FILES.iter().filter(|(code, _, _)| *code == locale.code()) {
                let resource = FluentResource::try_new((*text).to_owned()).map_err(|(_, errors)| CatalogError {
                    file: format!("{code}/{file}"),
                    reason: format!("{errors:?}"),
                })?;
                bundle
                    .add_resource(resource)
                    .map_err(|errors| CatalogError { file: format!("{code}/{file}"), reason: format!("{errors:?}") })?;
            }
            bundles.insert(locale, bundle);
        }
        Ok(Catalog { bundles })
    }

    /// The message `key` in `locale`, formatted with `args`. A missing key
    /// yields the key itself (and a test keeps that from shipping).
    pub fn format(&self, locale: Locale, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = &self.bundles[&locale];
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, locale = locale.code(), "missing translation");
            return key.to_owned();
        };
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }

    /// Whether `key` exists in `locale`.
    pub fn has(&self, locale: Locale, key: &str) -> bool {
        self.bundles[&locale].has_message(key)
    }

    /// Every message id of `locale`.
    pub fn keys(locale: Locale) -> Vec<String> {
        CATALOG_FILES
            .iter()
            .filter(|(code, _, _)| *code == locale.code())
            .flat_map(|(_, _, text)| {
                let resource = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(r, _)| r);
                resource
                    .entries()
                    .filter_map(|e| match e {
                        fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// Integers a message can count with; templates pass references.
pub trait Numeric {
    fn to_i64(&self) -> i64;
}

macro_rules! numeric {
    ($($t:ty),*) => {$(
        impl Numeric for $t {
            fn to_i64(&self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )*};
}
numeric!(u16, u32, u64, usize, i32, i64);

impl<T: Numeric> Numeric for &T {
    fn to_i64(&self) -> i64 {
        (**self).to_i64()
    }
}

/// Text for one request: the catalog and the request's locale.
#[derive(Clone)]
pub struct Tr {
    catalog: Arc<Catalog>,
    pub locale: Locale,
}

impl Tr {
    pub fn new(catalog: Arc<Catalog>, locale: Locale) -> Self {
        Tr { catalog, locale }
    }

    /// The message `key`.
    pub fn get(&self, key: &str) -> String {
        self.catalog.format(self.locale, key, None)
    }

    /// The message `key` with one text argument.
    pub fn arg(&self, key: &str, name: &str, value: &str) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_owned()));
        self.catalog.format(self.locale, key, Some(&args))
    }

    /// The message `key` with one number argument (for plural rules).
    pub fn num(&self, key: &str, name: &str, value: impl Numeric) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_i64()));
        self.catalog.format(self.locale, key, Some(&args))
    }

    /// The message `key` with several text arguments.
    pub fn args(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set((*name).to_owned(), FluentValue::from((*value).to_owned()));
        }
        self.catalog.format(self.locale, key, Some(&args))
    }

    /// A site path in this locale.
    pub fn href(&self, path: &str) -> String {
        self.locale.href(path)
    }

    /// The code of this locale.
    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_by_locale_prefix() {
        assert_eq!(Locale::split_path("/en/wilayah/35"), (Locale::English, "/wilayah/35"));
        assert_eq!(Locale::split_path("/en"), (Locale::English, "/"));
        assert_eq!(Locale::split_path("/enak"), (Locale::Id, "/enak"));
        assert_eq!(Locale::split_path("/wilayah/35"), (Locale::Id, "/wilayah/35"));
        assert_eq!(Locale::English.href("/"), "/en");
        assert_eq!(Locale::Id.href("/masuk"), "/masuk");
    }

    #[test]
    fn both_locales_hold_the_same_keys() {
        let mut id = Catalog::keys(Locale::Id);
        let mut en = Catalog::keys(Locale::English);
        id.sort();
        en.sort();
        let only_id: Vec<_> = id.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !id.contains(k)).collect();
        assert!(only_id.is_empty() && only_en.is_empty(), "only in id: {only_id:?}; only in en: {only_en:?}");
        let mut dedup = id.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), id.len(), "a key is defined twice");
    }

    #[test]
    fn every_validation_code_has_a_message() {
        let catalog = Catalog::load().unwrap();
        for code in jembatan_domain::ValidationCode::ALL {
            for locale in Locale::ALL {
                let key = format!("error-{}", code.as_str());
                assert!(catalog.has(locale, &key), "{key} missing in {}", locale.code());
            }
        }
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let catalog = Catalog::load().unwrap();
        let root = concat!(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        let mut files = Vec::new();
        collect_files(std::path::Path::new(&format!("{root}/templates")), &mut files);
        collect_files(std::path::Path::new(&format!("{root}/src")), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for key in used_keys(&text) {
                if !catalog.has(Locale::Id, &key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        assert!(missing.is_empty(), "missing translations: {missing:#?}");
    }

    fn collect_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "html" || e == "rs") {
                out.push(path);
            }
        }
    }

    /// Keys passed as string literals to a translator's `get`, `arg`, `num`
    /// or `args`, where the translator is an identifier named `t`.
    fn used_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for call in ["t.get(\"", "t.arg(\"", "t.num(\"", "t.args(\""] {
            for (at, _) in text.match_indices(call) {
                let whole_identifier =
                    at == 0 || !text[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
                let rest = &text[at + call.len()..];
                if let (true, Some(end)) = (whole_identifier, rest.find('"')) {
                    keys.push(rest[..end].to_owned());
                }
            }
        }
        keys
    }
}
