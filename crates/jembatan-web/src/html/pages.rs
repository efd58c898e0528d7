//! Fixed pages: the privacy notice, data sources and licences, the API page.

use askama::Template;
use axum::response::Response;
use jembatan_domain::authz::{Action, Resource};

use crate::auth::Viewer;
use crate::error::AppError;
use crate::layout::{Ctx, Page, public_html};

#[derive(Template)]
#[template(path = "pages/privacy.html")]
struct PrivacyPage {
    page: Page,
    contact: String,
}

/// `GET /privasi`: the privacy notice (UU 27/2022): what is collected, why.
pub async fn show_privacy(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let template =
        PrivacyPage { page: ctx.page(ctx.t.get("privacy-title")), contact: ctx.state.config.privacy_contact.clone() };
    Ok(public_html(template.render()?))
}

#[derive(Template)]
#[template(path = "pages/data.html")]
struct DataPage {
    page: Page,
    regions_text: String,
}

/// `GET /tentang-data`: where the data comes from and under which licence.
pub async fn show_data_sources(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let template = DataPage {
        page: ctx.page(ctx.t.get("data-title")),
        regions_text: ctx.t.args(
            "data-regions",
            &[("source", jembatan_store::regions::DATA_SOURCE), ("version", jembatan_store::regions::DATA_VERSION)],
        ),
    };
    Ok(public_html(template.render()?))
}

#[derive(Template)]
#[template(path = "pages/api.html")]
struct ApiPage {
    page: Page,
    openapi_url: String,
    example_url: String,
}

/// `GET /api`: a human-readable introduction to the JSON API.
pub async fn show_api(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let template = ApiPage {
        page: ctx.page(ctx.t.get("api-title")),
        openapi_url: ctx.state.config.absolute("/api/v1/openapi.json"),
        example_url: ctx.state.config.absolute("/api/v1/regions?q=tuban"),
    };
    Ok(public_html(template.render()?))
}
