//! Version 1 of the API.

use axum::Router;
use axum::routing::get;
use serde::Serialize;

use crate::state::AppState;

pub mod me;
pub mod openapi;
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
}
