//! Errors at the web edge: [`AppError`] for handlers, and the middleware
//! that turns every error response into a friendly Indonesian (or English)
//! page, or into `{"error": {"code", "message", "field"}}` under `/api/`.
//!
//! Handlers return an `AppError`; its response carries only an
//! [`ErrorInfo`] marker. [`render_errors`] runs outside the router, knows
//! the locale, and renders the body. Errors raised by axum itself (unknown
//! route, wrong method, oversize body, malformed form) get the same pages.
//! Internal causes are logged with the request id, never shown.

use askama::Template;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jembatan_domain::{FieldError, ValidationCode};
use jembatan_store::StoreError;
use serde_json::json;

use crate::i18n::{Locale, Tr};
use crate::layout::Page;
use crate::open311::Format;
use crate::state::AppState;

/// What went wrong, in terms of what the client should be told.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input refused; `code` is a stable snake_case name, `field` the input at fault.
    #[error("bad request: {code}")]
    BadRequest { code: &'static str, field: Option<String> },
    /// Not logged in: pages redirect to the login form, the API answers 401.
    #[error("not logged in")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A concurrent change or a duplicate.
    #[error("conflict: {code}")]
    Conflict { code: &'static str, field: Option<String> },
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A refused field, from a domain validation failure.
    pub fn field(error: FieldError) -> AppError {
        AppError::BadRequest { code: error.code.as_str(), field: Some(error.field) }
    }

    /// A refused input, not tied to one field.
    pub fn bad_request(code: &'static str) -> AppError {
        AppError::BadRequest { code, field: None }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(what) => AppError::Conflict { code: "duplicate", field: Some(what.to_owned()) },
            StoreError::Stale => AppError::Conflict { code: "stale", field: None },
            StoreError::Invalid(field) => AppError::field(field),
            // Counted over the past hour: the next report may go within it.
            StoreError::ContactLimit => AppError::TooManyRequests { retry_after_secs: 3600 },
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

/// Marker left on an error response for [`render_errors`] to fill in.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub field: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let (code, field) = match &self {
            AppError::BadRequest { code, field } | AppError::Conflict { code, field } => (*code, field.clone()),
            AppError::Unauthorized => ("unauthorized", None),
            AppError::Forbidden => ("forbidden", None),
            AppError::NotFound => ("not_found", None),
            AppError::TooManyRequests { .. } => ("too_many_requests", None),
            AppError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                ("internal", None)
            }
        };
        let mut response = status.into_response();
        if let AppError::TooManyRequests { retry_after_secs } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs.max(1)));
        }
        response.extensions_mut().insert(ErrorInfo { code, field });
        response
    }
}

/// The stable code for an error status axum raised by itself.
fn code_for_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}

/// The translation key of the human message for an error code.
pub fn message_key(code: &str) -> String {
    format!("error-{code}")
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    page: Page,
    status: u16,
    heading: String,
    message: String,
}

/// Outermost middleware: gives every error response its body.
pub async fn render_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let locale = request.extensions().get::<Locale>().copied().unwrap_or(Locale::Id);
    let path = request.uri().path().to_owned();
    let is_open311 = Locale::split_path(&path).1.starts_with(crate::open311::BASE);
    let is_api = is_open311 || Locale::split_path(&path).1.starts_with("/api/");
    let wants_html = !is_api;
    let original_path = crate::layout::original_path(&request);
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let info = response.extensions().get::<ErrorInfo>().cloned();
    let already_rendered = info.is_none()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("text/html") || ct.starts_with("application/json"));
    if already_rendered {
        return response;
    }
    let info = info.unwrap_or(ErrorInfo { code: code_for_status(status), field: None });
    let tr = Tr::new(state.catalog.clone(), if is_api { Locale::Id } else { locale });

    if status == StatusCode::UNAUTHORIZED && wants_html {
        let next = url_encode(&original_path);
        return Redirect::to(&format!("{}?next={next}", tr.href("/masuk"))).into_response();
    }

    let mut headers = response.headers().clone();
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::CONTENT_TYPE);
    let message = tr.get(&message_key(info.code));
    let mut rendered = if is_open311 {
        // Open311's own error shape: a list of code and description.
        let description = match &info.field {
            Some(field) => format!("{field}: {message}"),
            None => message,
        };
        let body = json!([{ "code": status.as_u16(), "description": description }]);
        crate::open311::Answer { format: Format::of_path(&path), status, root: "errors", body }.into_response()
    } else if is_api {
        let body = json!({ "error": { "code": info.code, "message": message, "field": info.field } });
        (status, Json(body)).into_response()
    } else {
        let page = Page::bare(&state, tr.clone(), &original_path, tr.get(&format!("error-page-{}", status.as_u16())));
        let template = ErrorPage { heading: page.title.clone(), page, status: status.as_u16(), message };
        match template.render() {
            Ok(html) => (status, axum::response::Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "error page failed to render");
                status.into_response()
            }
        }
    };
    for (name, value) in headers.iter() {
        if !rendered.headers().contains_key(name) {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    rendered
}

/// Percent-encodes a path for use in a query string.
pub fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Converts domain validation failures into the form's error map.
pub fn field_errors(errors: Vec<FieldError>) -> Vec<(String, ValidationCode)> {
    errors.into_iter().map(|e| (e.field, e.code)).collect()
}
