//! The one base layout's data ([`Page`]), the per-request context
//! handlers start from ([`Ctx`]), and the locale routing around the router.
//!
//! Public pages carry nothing about who is looking, so their bytes can be
//! cached and shared; pages for a logged-in person are marked private.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{Html, IntoResponse, Response};

use crate::i18n::{Locale, Tr};
use crate::state::AppState;

/// The path as the visitor requested it, without the locale prefix, with its query.
#[derive(Debug, Clone)]
pub struct OriginalPath(pub String);

/// Strips the `/en` prefix before routing and records the locale, so the
/// router holds each route once. Runs outside the router.
pub fn split_locale(mut request: Request) -> Request {
    let path = request.uri().path().to_owned();
    let (locale, rest) = Locale::split_path(&path);
    let query = request.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
    request.extensions_mut().insert(OriginalPath(format!("{rest}{query}")));
    request.extensions_mut().insert(locale);
    if locale != Locale::Id {
        let mut parts = request.uri().clone().into_parts();
        let rewritten = format!("{rest}{query}");
        parts.path_and_query = rewritten.parse().ok();
        if let Ok(uri) = Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
    }
    request
}

/// The unprefixed path and query of a request (see [`split_locale`]).
pub fn original_path(request: &Request) -> String {
    request.extensions().get::<OriginalPath>().map(|p| p.0.clone()).unwrap_or_else(|| request.uri().path().to_owned())
}

/// What every handler starts from: state, locale, translations, and the
/// path being served.
#[derive(Clone)]
pub struct Ctx {
    pub state: AppState,
    pub t: Tr,
    /// The unprefixed path (without query).
    pub path: String,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let locale = parts.extensions.get::<Locale>().copied().unwrap_or(Locale::Id);
        Ok(Ctx { state: state.clone(), t: Tr::new(state.catalog.clone(), locale), path: parts.uri.path().to_owned() })
    }
}

impl Ctx {
    /// A page of this request titled `title`.
    pub fn page(&self, title: impl Into<String>) -> Page {
        Page::bare(&self.state, self.t.clone(), &self.path, title.into())
    }
}

/// A `<link rel="alternate">` for feed discovery.
#[derive(Debug, Clone)]
pub struct Alternate {
    pub media_type: &'static str,
    pub title: String,
    pub href: String,
}

/// The base layout's data.
pub struct Page {
    pub t: Tr,
    pub title: String,
    pub description: String,
    /// Site name from the catalog.
    pub site_name: String,
    /// Fingerprinted stylesheet URL.
    pub css: String,
    pub favicon: String,
    /// The same page in the other language.
    pub switch_href: String,
    pub switch_lang: &'static str,
    pub switch_label: String,
    /// Absolute URL of this page in each locale, for hreflang and canonical.
    pub canonical: String,
    pub alternate_id: String,
    pub alternate_en: String,
    pub alternates: Vec<Alternate>,
    pub province_office: String,
    /// Set on pages for a logged-in person only (never on public pages).
    pub private: Option<PrivateNav>,
}

/// What the header shows on a logged-in person's own pages.
pub struct PrivateNav {
    pub user_name: String,
    pub show_admin: bool,
    pub csrf: String,
}

impl Page {
    /// A page with the site's defaults.
    pub fn bare(state: &AppState, t: Tr, path: &str, title: String) -> Page {
        let path = path.split('?').next().unwrap_or("/");
        let other = t.locale.other();
        Page {
            site_name: t.get("site-name"),
            description: t.get("site-description"),
            css: state.assets.url("app.css").to_owned(),
            favicon: state.assets.url("favicon.svg").to_owned(),
            switch_href: other.href(path),
            switch_lang: other.code(),
            switch_label: t.get("language-switch"),
            canonical: state.config.absolute(&t.locale.href(path)),
            alternate_id: state.config.absolute(&Locale::Id.href(path)),
            alternate_en: state.config.absolute(&Locale::English.href(path)),
            alternates: Vec::new(),
            province_office: state.config.offices.province_office.clone(),
            private: None,
            title,
            t,
        }
    }

    pub fn with_description(mut self, description: impl Into<String>) -> Page {
        self.description = description.into();
        self
    }
}

/// A public page's response: shareable, briefly cacheable.
pub fn public_html(html: String) -> Response {
    let mut response = Html(html).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    response
}

/// A personal page's response: never stored by a shared cache.
pub fn private_html(html: String) -> Response {
    let mut response = Html(html).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}
