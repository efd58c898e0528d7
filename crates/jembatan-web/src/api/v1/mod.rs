//! Version 1 of the API.

use axum::Router;
use axum::routing::{get, post};
use serde::Serialize;

use crate::state::AppState;

pub mod aspirations;
pub mod content;
pub mod kims;
pub mod me;
pub mod openapi;
pub mod organisations;
pub mod regions;
pub mod search;

/// A page of a list.
#[derive(Debug, Serialize)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Routes of `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::get_openapi))
        .route("/api/v1/regions", get(regions::list_regions))
        .route("/api/v1/regions/{code}", get(regions::get_region))
        .route("/api/v1/me", get(me::get_me))
        .route("/api/v1/kims", get(kims::list_kims))
        .route("/api/v1/kims/{id}", get(kims::get_kim))
        .route("/api/v1/organisations", get(organisations::list_organisations))
        .route("/api/v1/organisations/{id}", get(organisations::get_organisation))
        .route("/api/v1/content", get(content::list_content))
        .route("/api/v1/content/{id}", get(content::get_content))
        .route("/api/v1/search", get(search::search_content))
        .route("/api/v1/aspirations", post(aspirations::create_report))
        .route("/api/v1/aspirations/{tracking}", get(aspirations::get_report))
}
