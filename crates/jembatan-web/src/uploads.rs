//! Request bodies that carry files: the body limit per route (forms with
//! files get their own, everything else `max_body_bytes`) and the reading
//! of `multipart/form-data` within those limits, shared by the item form
//! and the report form.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;

use crate::error::{AppError, ErrorInfo};
use crate::html::admin::Fields;
use crate::html::{aspirations, editor};
use crate::state::{AppState, WebConfig};

/// Slack above a route's limit before the stream itself breaks off, so
/// axum's own limit (exact, answering 413) trips first wherever it applies.
const STREAM_SLACK: usize = 64 * 1024;

/// The body limit of the forms that carry files, by route: the item form
/// (images) and the report form (photos and PDFs); `None` for the rest.
fn upload_limit(method: &Method, path: &str, config: &WebConfig) -> Option<usize> {
    if editor::posts_item_form(method, path) {
        Some(editor::upload_body_limit(config))
    } else if aspirations::posts_report_form(method, path) {
        Some(aspirations::upload_body_limit(config))
    } else {
        None
    }
}

/// Middleware in place of a single global body limit: the forms that
/// carry files get their own ([`upload_limit`]), every other route at most
/// `max_body_bytes`. A declared length above the limit gets 413 at once;
/// a body without one is cut off where it passes the limit.
pub async fn limit_request_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let upload_limit = upload_limit(request.method(), request.uri().path(), &state.config);
    let uploads = upload_limit.is_some();
    let limit = upload_limit.unwrap_or(state.config.max_body_bytes);
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        // A client still sending when the answer comes may see a broken
        // connection instead of the page: a body not far over the limit is
        // read to its end (and dropped) first.
        if declared.is_some_and(|n| n <= limit.saturating_mul(2)) {
            let mut stream = request.into_body().into_data_stream();
            while let Some(Ok(_)) = stream.next().await {}
        }
        return payload_too_large(uploads);
    }
    let (parts, body) = request.into_parts();
    let cap = limit.saturating_add(STREAM_SLACK);
    let mut seen = 0usize;
    let stream = body.into_data_stream().map(move |chunk| {
        let chunk = chunk?;
        seen = seen.saturating_add(chunk.len());
        if seen > cap { Err(axum::Error::new("request body too large")) } else { Ok(chunk) }
    });
    next.run(Request::from_parts(parts, Body::from_stream(stream))).await
}

/// 413 with the upload message for forms that carry files, the general one elsewhere.
pub fn payload_too_large(uploads: bool) -> Response {
    let mut response = StatusCode::PAYLOAD_TOO_LARGE.into_response();
    let code = if uploads { "upload_too_large" } else { "payload_too_large" };
    response.extensions_mut().insert(ErrorInfo { code, field: None });
    response
}

/// A file sent with a form.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The form field it came in.
    pub field: String,
    /// The name the browser gave it (shown in messages only).
    pub file_name: String,
    /// Its bytes; empty when it was larger than allowed.
    pub bytes: Vec<u8>,
    /// Its size as sent.
    pub size: usize,
    /// Larger than `max_upload_bytes`: refused without being kept.
    pub too_large: bool,
}

/// Reads a multipart body within limits: the whole body at most
/// `total_limit`, each file at most `max_upload_bytes` (a larger one is
/// read past and marked, so the form can say so), each text field at most
/// `max_body_bytes`.
pub async fn read_multipart(
    request: Request,
    state: &AppState,
    total_limit: usize,
) -> Result<(Fields, Vec<Upload>), Response> {
    let bad = |_: axum::extract::multipart::MultipartError| AppError::bad_request("bad_request").into_response();
    let file_limit = state.config.max_upload_bytes;
    let text_limit = state.config.max_body_bytes;
    let mut multipart = Multipart::from_request(request, state).await.map_err(IntoResponse::into_response)?;
    let mut fields = Vec::new();
    let mut uploads = Vec::new();
    let mut total = 0usize;
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let mut bytes = Vec::new();
        let (mut size, mut too_large) = (0usize, false);
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            total += chunk.len();
            size += chunk.len();
            if total > total_limit {
                return Err(payload_too_large(true));
            }
            match &file_name {
                Some(_) if size > file_limit => {
                    too_large = true;
                    bytes = Vec::new();
                }
                Some(_) if too_large => {}
                None if size > text_limit => return Err(payload_too_large(true)),
                _ => bytes.extend_from_slice(&chunk),
            }
        }
        match file_name {
            // An empty file input is sent as a part without a name or bytes.
            Some(file_name) if size == 0 && file_name.is_empty() => {}
            Some(file_name) => uploads.push(Upload { field: name, file_name, bytes, size, too_large }),
            None => match String::from_utf8(bytes) {
                Ok(text) => fields.push((name, text)),
                Err(_) => return Err(AppError::bad_request("bad_request").into_response()),
            },
        }
    }
    Ok((Fields(fields), uploads))
}

/// Whether a request carries `multipart/form-data`.
pub fn is_multipart(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Reads a form that may carry files: `multipart/form-data` from a browser
/// (fields and files, within `total_limit`), or urlencoded fields alone.
pub async fn read_form(
    request: Request,
    state: &AppState,
    total_limit: usize,
) -> Result<(Fields, Vec<Upload>), Response> {
    if is_multipart(&request) {
        return read_multipart(request, state, total_limit).await;
    }
    let limit = state.config.max_body_bytes;
    let bytes = axum::body::to_bytes(request.into_body(), limit).await.map_err(|_| payload_too_large(true))?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::bad_request("bad_request").into_response())?;
    Ok((Fields(pairs), Vec::new()))
}
