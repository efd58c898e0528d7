//! `/api/v1/search`: full-text search over published content, the same
//! index and filters as the search page (`/cari`), with English parameter
//! names and cursor pagination.
//!
//! Text never makes a search fail (broken syntax is searched as plain
//! words); a parameter that cannot be used is 400 with a stable code and
//! the parameter's name: `too_long` (q), `malformed_region_code` and
//! `unknown_region` (region), `invalid_choice` (topic, type, org),
//! `invalid_date` (from, to), `end_before_start` (to before from),
//! `invalid_cursor`, `invalid_limit`.

use axum::Json;
use axum::extract::Query;
use jembatan_domain::Timestamp;
use jembatan_domain::authz::{Action, Resource};
use jembatan_search::Hit;
use jembatan_search::query::MAX_OFFSET;
use serde::{Deserialize, Serialize};

use crate::api::v1::kims::{decode_cursor, encode_cursor, parse_limit};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::search::{FilterInput, FilterNames, Filters, MAX_QUERY_CHARS, run};
use crate::layout::Ctx;

/// The API's parameter names.
const API_NAMES: FilterNames =
    FilterNames { region: "region", topic: "topic", kind: "type", org: "org", from: "from", to: "to" };

/// Query of `GET /api/v1/search`.
#[derive(Debug, Deserialize)]
pub struct SearchParams {
    /// Words, as typed; absent or empty lists the filtered items newest first.
    pub q: Option<String>,
    pub region: Option<String>,
    pub topic: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub org: Option<String>,
    /// `YYYY-MM-DD`, inclusive, in the deployment's time zone.
    pub from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// One matching item.
#[derive(Debug, Serialize)]
pub struct SearchHitJson {
    pub id: String,
    pub title: String,
    /// The item's public page.
    pub url: String,
    /// `berita`, `pengumuman`, `kebijakan`, `agenda` or `produk`.
    #[serde(rename = "type")]
    pub kind: String,
    /// RFC 3339, UTC.
    pub published_at: String,
    /// A passage with matched words in `<mark>`; everything else escaped,
    /// so it can be inserted into HTML as is.
    pub snippet_html: String,
    /// Relevance; 0 when listing without text.
    pub score: f32,
}

/// A page of hits.
#[derive(Debug, Serialize)]
pub struct SearchPageJson {
    pub items: Vec<SearchHitJson>,
    pub next_cursor: Option<String>,
    /// How many items match in all.
    pub total: usize,
}

impl SearchHitJson {
    fn new(ctx: &Ctx, hit: Hit) -> SearchHitJson {
        SearchHitJson {
            url: ctx.state.config.absolute(&hit.url_path),
            published_at: Timestamp(hit.published_at).to_rfc3339(),
            id: hit.id,
            title: hit.title,
            kind: hit.kind,
            snippet_html: hit.snippet_html,
            score: hit.score,
        }
    }
}

/// `GET /api/v1/search?q=pembangunan+jalan&region=35.23`: published items
/// matching the words, best first.
pub async fn search_content(
    ctx: Ctx,
    viewer: Viewer,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchPageJson>, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let text = params.q.as_deref().unwrap_or_default().trim();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::BadRequest { code: "too_long", field: Some("q".into()) });
    }
    let limit = parse_limit(params.limit.as_deref())? as usize;
    let offset = decode_cursor(params.cursor.as_deref())? as usize;
    if offset > MAX_OFFSET {
        return Err(AppError::BadRequest { code: "invalid_cursor", field: Some("cursor".into()) });
    }
    let input = FilterInput {
        region: params.region.as_deref(),
        topic: params.topic.as_deref(),
        kind: params.kind.as_deref(),
        org: params.org.as_deref(),
        from: params.from.as_deref(),
        to: params.to.as_deref(),
    };
    let filters = Filters::parse(&ctx, input, API_NAMES).await?.map_err(AppError::field)?;
    if let Some(region) = &filters.region {
        viewer.authorize(Action::ViewPublic, &Resource::Region(&region.code))?;
    }
    let results = run(&ctx, filters.query(&ctx, text, offset, limit)).await?;
    let next = offset + limit;
    let next_cursor = (next < results.total && next <= MAX_OFFSET).then(|| encode_cursor(next as i64));
    let items = results.hits.into_iter().map(|h| SearchHitJson::new(&ctx, h)).collect();
    Ok(Json(SearchPageJson { items, next_cursor, total: results.total }))
}
