//! The OpenAPI 3.1 document of the API, kept beside the routes it
//! describes; a test checks that every `/api/v1` route is in it.

use axum::http::header;
use axum::response::IntoResponse;

/// The document, with `{{PUBLIC_URL}}` standing for the server address.
pub const DOCUMENT: &str = include_str!("../../../api/openapi.json");

/// `GET /api/v1/openapi.json`.
pub async fn get_openapi(ctx: crate::layout::Ctx) -> impl IntoResponse {
    let base = ctx.state.config.public_url.as_str().trim_end_matches('/').to_owned();
    (
        [(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=300")],
        DOCUMENT.replace("{{PUBLIC_URL}}", &base),
    )
}
