//! Server-rendered HTML pages, one module per capability.

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub mod accounts;
pub mod admin;
pub mod common;
pub mod kims;
pub mod organisations;
pub mod pages;
pub mod regions;

/// Routes of the HTML site (each also served under `/en`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(regions::show_home))
        .route("/wilayah/{code}", get(regions::show_region))
        .route("/wilayah/{code}/kim", get(kims::list_region_kims))
        .route("/wilayah/{code}/organisasi", get(organisations::list_region_organisations))
        .route("/kim", get(kims::list_kims))
        .route("/kim/{id}", get(kims::show_kim))
        .route("/organisasi/{id}", get(organisations::show_organisation))
        .route("/privasi", get(pages::show_privacy))
        .route("/tentang-data", get(pages::show_data_sources))
        .route("/api", get(pages::show_api))
        .route("/daftar", get(accounts::show_register).post(accounts::register))
        .route("/masuk", get(accounts::show_login).post(accounts::log_in_with_password))
        .route("/keluar", post(accounts::log_out))
        .route("/akun", get(accounts::show_account))
        .route("/akun/atur-ulang-diketahui", post(accounts::acknowledge_reset))
        .route("/akun/pemberitahuan/dibaca", post(accounts::mark_notifications_read))
        .route("/akun/sandi", get(accounts::show_password_change).post(accounts::change_password))
        .route("/lupa-sandi", get(accounts::show_forgot).post(accounts::request_reset))
        .route("/atur-ulang-sandi", get(accounts::show_reset).post(accounts::reset_password))
        .route("/akun/token", get(accounts::show_tokens).post(accounts::create_token))
        .route("/akun/token/{id}/cabut", post(accounts::revoke_token))
        .route("/akun/data", get(accounts::export_data))
        .route("/akun/hapus", get(accounts::show_delete).post(accounts::delete_account))
        .merge(admin::routes())
}
