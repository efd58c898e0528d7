//! Server-rendered HTML pages, one module per capability.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::state::AppState;

pub mod accounts;
pub mod admin;
pub mod archive;
pub mod aspirations;
pub mod common;
pub mod content;
pub mod editor;
pub mod kims;
pub mod organisations;
pub mod pages;
pub mod regions;
pub mod search;
pub mod topics;

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
        // ---- content portal and feeds
        .route("/konten/{id}", get(content::redirect_item))
        .route("/konten/{id}/{slug}", get(content::show_item))
        .route("/jenis/{kind}", get(content::show_kind))
        .route("/topik", get(topics::list_topics))
        .route("/topik/{slug}", get(topics::show_topic))
        .route("/arsip/{year}", get(archive::show_year))
        .route("/arsip/{year}/{month}", get(archive::show_month))
        .route("/rss.xml", get(crate::feeds::province_feed))
        .route("/atom.xml", get(crate::feeds::province_feed))
        .route("/feed.json", get(crate::feeds::province_feed))
        .route("/wilayah/{code}/rss.xml", get(crate::feeds::region_feed))
        .route("/wilayah/{code}/atom.xml", get(crate::feeds::region_feed))
        .route("/wilayah/{code}/feed.json", get(crate::feeds::region_feed))
        .route("/topik/{slug}/rss.xml", get(crate::feeds::topic_feed))
        .route("/topik/{slug}/atom.xml", get(crate::feeds::topic_feed))
        .route("/topik/{slug}/feed.json", get(crate::feeds::topic_feed))
        .route("/organisasi/{id}/rss.xml", get(crate::feeds::org_feed))
        .route("/organisasi/{id}/atom.xml", get(crate::feeds::org_feed))
        .route("/organisasi/{id}/feed.json", get(crate::feeds::org_feed))
        .route("/kim/{id}/rss.xml", get(crate::feeds::kim_feed))
        .route("/kim/{id}/atom.xml", get(crate::feeds::kim_feed))
        .route("/kim/{id}/feed.json", get(crate::feeds::kim_feed))
        .route("/privasi", get(pages::show_privacy))
        .route("/tentang-data", get(pages::show_data_sources))
        .route("/api", get(pages::show_api))
        .route("/cari", get(search::show_search))
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
        // ---- aspirations (the form carries files: its own body limit, see `uploads`)
        .merge(
            Router::new()
                .route(aspirations::NEW_PATH, get(aspirations::show_new).post(aspirations::create))
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/aspirasi", get(aspirations::list))
        .route("/aspirasi/lacak", get(aspirations::lookup))
        .route("/aspirasi/statistik", get(aspirations::stats))
        .route("/aspirasi/{tracking}", get(aspirations::track))
        .route("/aspirasi/{tracking}/tanggapan", post(aspirations::respond))
        .route("/aspirasi/{tracking}/keberatan", post(aspirations::object))
        .merge(admin::routes())
        .merge(editor::routes())
}
