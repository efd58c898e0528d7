//! Jembatan's web layer: the axum router with server-rendered HTML pages
//! (`html/`), the JSON API (`api/v1/`), and what surrounds every request
//! (locale, errors, security headers, metrics, logging).
//!
//! Request flow, outermost first: request id and trace span → locale split
//! (`/en` prefix stripped before routing) → compression → security headers
//! → error rendering → metrics → page cache → viewer (session or API token)
//! → body limit → cross-site check → handler.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderName;
use axum::middleware;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub mod api;
pub mod assets;
pub mod auth;
pub mod cache;
pub mod error;
pub mod feeds;
pub mod forms;
pub mod html;
pub mod i18n;
pub mod layout;
pub mod mail;
pub mod media;
pub mod metrics;
pub mod open311;
pub mod ops;
pub mod rate_limit;
pub mod security;
pub mod state;
pub mod uploads;

pub use state::{AppState, LoginPolicy, OfficeNames, ReportLimits, WebConfig};

pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The application's routes with their middleware, before locale routing.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new()
        .merge(html::routes())
        .merge(api::v1::routes())
        .merge(open311::routes())
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/static/{name}", get(ops::static_asset))
        .fallback(|| async { error::AppError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), security::refuse_cross_site))
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), uploads::limit_request_body))
        .layer(middleware::from_fn_with_state(state.clone(), auth::resolve_viewer))
        .layer(middleware::from_fn_with_state(state.clone(), cache::serve_cached))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(middleware::from_fn_with_state(state.clone(), error::render_errors))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)));
    for (name, value) in security::headers() {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    router.layer(CompressionLayer::new()).with_state(state)
}

/// Serves `state`'s application on `listener` until `shutdown` is
/// cancelled, then finishes requests in flight.
pub async fn serve(listener: TcpListener, state: AppState, shutdown: CancellationToken) -> std::io::Result<()> {
    let app = ServiceBuilder::new()
        .map_response(|response: axum::http::Response<_>| response.map(axum::body::Body::new))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            // The path only: query strings may hold tokens.
            tracing::info_span!("request", id = %id, method = %request.method(), path = %request.uri().path())
        }))
        .map_request(layout::split_locale)
        .service(router(state.clone()));
    let app = cache::CachedFirst::new(state.clone(), app);
    let make_service = axum::ServiceExt::<Request>::into_make_service_with_connect_info::<SocketAddr>(app);
    let follower = tokio::spawn(cache::follow_changes(state.clone(), shutdown.clone()));
    let served = axum::serve(listener, make_service).with_graceful_shutdown(shutdown.clone().cancelled_owned()).await;
    shutdown.cancel();
    let _ = follower.await;
    served
}
