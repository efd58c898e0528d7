//! Version 1 of the API.

use axum::Router;
use axum::routing::get;
use serde::Serialize;

use crate::state::AppState;

pub mod kims;
pub mod me;
pub mod openapi;
pub mod organisations;
pub mod regions;

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
}
