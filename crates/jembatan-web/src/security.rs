//! Response security headers and the cross-site request check that guards
//! every state-changing request.
//!
//! Cross-site requests are refused by origin (`Sec-Fetch-Site`, then
//! `Origin`), which needs no per-user token in public pages; logged-in
//! forms also carry a session token (checked where the form is read).

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;

/// The Content Security Policy: no inline script or style, no framing.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Headers every response carries.
pub fn headers() -> [(HeaderName, HeaderValue); 5] {
    [
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin")),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ),
    ]
}

/// Refuses state-changing requests that come from another site.
pub async fn refuse_cross_site(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || is_same_site(&state, &request) {
        next.run(request).await
    } else {
        tracing::info!(method = %request.method(), "cross-site request refused");
        AppError::Forbidden.into_response()
    }
}

fn is_same_site(state: &AppState, request: &Request) -> bool {
    let headers = request.headers();
    // API clients authenticate with a Bearer token, which a browser never
    // attaches on its own, so cross-site forgery does not apply to them.
    if headers.get(header::AUTHORIZATION).is_some_and(|v| v.as_bytes().starts_with(b"Bearer ")) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        Some(origin) => origin == state.config.origin() || origin_matches_host(origin, headers),
        // Neither header: not a browser form post from another site (old
        // browsers send Origin on cross-site POSTs); allow.
        None => true,
    }
}

/// The request's own host, for deployments reached under several names.
fn origin_matches_host(origin: &str, headers: &axum::http::HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    origin.split_once("://").is_some_and(|(_, rest)| !host.is_empty() && rest == host)
}
