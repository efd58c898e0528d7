//! `/api/v1/regions`: name search for autocomplete and one region with its children.

use axum::Json;
use axum::extract::{Path, Query};
use jembatan_domain::RegionCode;
use jembatan_domain::authz::{Action, Resource};
use jembatan_store::regions::{self, RegionRow};
use serde::{Deserialize, Serialize};

use super::ListPage;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::regions::{parse_code, region_path};
use crate::layout::Ctx;

/// A region in API responses.
#[derive(Debug, Serialize)]
pub struct RegionJson {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    /// The region's public page.
    pub url: String,
}

impl RegionJson {
    fn new(ctx: &Ctx, row: RegionRow) -> RegionJson {
        RegionJson {
            url: ctx.state.config.absolute(&region_path(&row.code)),
            code: row.code,
            name: row.name,
            level: row.level,
            parent_code: row.parent_code,
        }
    }
}

/// One region with the regions directly below it.
#[derive(Debug, Serialize)]
pub struct RegionDetailJson {
    #[serde(flatten)]
    pub region: RegionJson,
    pub children: Vec<RegionJson>,
}

/// Query of `GET /api/v1/regions`.
#[derive(Debug, Deserialize)]
pub struct RegionQuery {
    /// Name text to search for (case-insensitive, prefix or substring).
    pub q: Option<String>,
    /// Only regions within this code.
    pub within: Option<String>,
    pub limit: Option<i64>,
}

const MAX_LIMIT: i64 = 100;

/// `GET /api/v1/regions?q=tub`: regions whose name contains `q`; without
/// `q`, the provinces.
pub async fn list_regions(
    ctx: Ctx,
    viewer: Viewer,
    Query(query): Query<RegionQuery>,
) -> Result<Json<ListPage<RegionJson>>, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let limit = query.limit.unwrap_or(20);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::BadRequest { code: "invalid_limit", field: Some("limit".into()) });
    }
    let within: Option<RegionCode> = query
        .within
        .as_deref()
        .filter(|w| !w.is_empty())
        .map(|w| RegionCode::parse(w).map_err(|e| AppError::field(e.for_field("within"))))
        .transpose()?;
    let q = query.q.unwrap_or_default();
    if q.chars().count() > 100 {
        return Err(AppError::BadRequest { code: "too_long", field: Some("q".into()) });
    }
    let rows = if q.trim().is_empty() {
        match &within {
            Some(code) => regions::children(&ctx.state.db, code).await?,
            None => regions::provinces(&ctx.state.db).await?,
        }
    } else {
        regions::search(&ctx.state.db, &q, within.as_ref(), limit).await?
    };
    let items = rows.into_iter().take(limit as usize).map(|r| RegionJson::new(&ctx, r)).collect();
    Ok(Json(ListPage { items, next_cursor: None }))
}

/// `GET /api/v1/regions/{code}`.
pub async fn get_region(
    ctx: Ctx,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Json<RegionDetailJson>, AppError> {
    let code = parse_code(&code)?;
    viewer.authorize(Action::ViewPublic, &Resource::Region(&code))?;
    let row = regions::get(&ctx.state.db, &code).await?.ok_or(AppError::NotFound)?;
    let children = regions::children(&ctx.state.db, &code).await?;
    Ok(Json(RegionDetailJson {
        region: RegionJson::new(&ctx, row),
        children: children.into_iter().map(|r| RegionJson::new(&ctx, r)).collect(),
    }))
}
