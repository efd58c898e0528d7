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
    endpoints: Vec<Endpoint>,
}

/// One operation of the API as the page lists it.
pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub description: String,
}

/// Every operation of the OpenAPI document as `(method, path, catalog key)`,
/// by path; the key is `api-op-<operationId>`.
pub fn operations() -> Vec<(String, String, String)> {
    let document: serde_json::Value =
        serde_json::from_str(crate::api::v1::openapi::DOCUMENT).expect("the OpenAPI document is JSON");
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let id = operation["operationId"].as_str().unwrap_or_default();
            operations.push((method.to_uppercase(), path.clone(), format!("api-op-{id}")));
        }
    }
    operations
}

/// `GET /api`: a human-readable introduction to the JSON API.
pub async fn show_api(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let template = ApiPage {
        page: ctx.page(ctx.t.get("api-title")),
        openapi_url: ctx.state.config.absolute("/api/v1/openapi.json"),
        example_url: ctx.state.config.absolute("/api/v1/regions?q=tuban"),
        endpoints: operations()
            .into_iter()
            .map(|(method, path, key)| Endpoint { description: ctx.t.get(&key), method, path })
            .collect(),
    };
    Ok(public_html(template.render()?))
}

#[cfg(test)]
mod tests {
    use super::operations;
    use crate::i18n::{Catalog, Locale};

    #[test]
    fn every_api_operation_is_described_in_the_catalog() {
        let catalog = Catalog::load().unwrap();
        let operations = operations();
        assert!(operations.len() >= 10);
        for (method, path, key) in operations {
            for locale in Locale::ALL {
                assert!(catalog.has(locale, &key), "{method} {path}: {key} missing in {}", locale.code());
            }
        }
    }
}
