//! What HTML handlers share: rendering with a status, private pages,
//! redirects in the request's locale, dates for people.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jembatan_domain::Timestamp;
use jembatan_domain::authz::{Action, Resource};

use crate::auth::Viewer;
use crate::error::AppError;
use crate::layout::{Ctx, Page, PrivateNav, private_html, public_html};

/// The private header for a logged-in person's pages.
pub fn private_nav(viewer: &Viewer) -> Option<PrivateNav> {
    viewer.user.as_ref().map(|u| PrivateNav {
        user_name: u.name.clone(),
        show_admin: viewer.can(Action::OpenAdmin, &Resource::Platform),
        csrf: u.csrf.clone(),
    })
}

/// A page for a logged-in person: private header, never cached.
pub fn private_page(ctx: &Ctx, viewer: &Viewer, title: String) -> Page {
    let mut page = ctx.page(title);
    page.private = private_nav(viewer);
    page
}

/// A date and time for people, in the deployment's time zone.
pub fn format_time(ctx: &Ctx, at: Timestamp) -> String {
    at.to_utc().with_timezone(&ctx.state.config.timezone).format("%d-%m-%Y %H:%M %Z").to_string()
}

/// Renders a personal page (never cached) with `status`.
pub fn render_private(template: impl Template, status: StatusCode) -> Result<Response, AppError> {
    let mut response = private_html(template.render()?);
    *response.status_mut() = status;
    Ok(response)
}

/// Redirects to `path` in the request's locale.
pub fn redirect(ctx: &Ctx, path: &str) -> Response {
    Redirect::to(&ctx.t.href(path)).into_response()
}

/// Renders a public page (shareable, cacheable) with `status`.
pub fn render_public(template: impl Template, status: StatusCode) -> Result<Response, AppError> {
    let mut response = public_html(template.render()?);
    *response.status_mut() = status;
    Ok(response)
}
