//! `/api/v1/content`: published items, newest first, filtered by region
//! (the region and every region below it), topic, type, organisation and
//! publication date, with keyset cursors; and one item in full. The same
//! items as the public pages, each with its page `url`. Anything not
//! published does not exist here (404).

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query};
use chrono::NaiveDate;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::content::{
    ContentStatus, ContentType, Image, Language, ProductContact, Provenance, WIB_OFFSET_SECONDS,
};
use jembatan_domain::organisation::OrgKind;
use jembatan_domain::{OrgId, RegionCode, Timestamp};
use jembatan_store::content::{self, Content, ContentCursor, ContentFilter, RegionFilter};
use jembatan_store::media::{self, Media};
use jembatan_store::topics::{self, Topic};
use jembatan_store::{organisations, regions};
use serde::{Deserialize, Serialize};

use super::ListPage;
use super::kims::{RegionRefJson, parse_limit};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::content::{content_path, load_published, media_path, media_width_path, srcset_widths, topic_path};
use crate::html::organisations::org_path;
use crate::layout::Ctx;

/// Query of `GET /api/v1/content`.
#[derive(Debug, Deserialize)]
pub struct ContentListQuery {
    /// A region code at any level: items targeted at it or any region below it.
    pub region: Option<String>,
    /// A topic slug.
    pub topic: Option<String>,
    /// A content type (`berita`, `pengumuman`, `kebijakan`, `agenda`, `produk`).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// An organisation's id (a KIM's too).
    pub org: Option<String>,
    /// Published on or after this day (`YYYY-MM-DD`, WIB).
    pub from: Option<String>,
    /// Published on or before this day (`YYYY-MM-DD`, WIB).
    pub to: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

fn given(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|r| !r.is_empty())
}

fn invalid(code: &'static str, field: &str) -> AppError {
    AppError::BadRequest { code, field: Some(field.to_owned()) }
}

/// The first instant of a calendar day in WIB (`YYYY-MM-DD`); anything
/// else is 400 `invalid_date` on `field`.
pub fn parse_day(field: &str, raw: &str) -> Result<Timestamp, AppError> {
    let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|d| raw.len() == 10 && (1990..=2100).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| invalid("invalid_date", field))?;
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    Ok(Timestamp((midnight.and_utc().timestamp() - i64::from(WIB_OFFSET_SECONDS)) * 1000))
}

/// A cursor from a previous page's `next_cursor`; anything else is 400 `invalid_cursor`.
fn parse_cursor(raw: Option<&str>) -> Result<Option<ContentCursor>, AppError> {
    raw.map(|r| r.parse::<ContentCursor>().map_err(|_| invalid("invalid_cursor", "cursor"))).transpose()
}

/// Checks every filter of a list query against what is stored.
async fn filter_of(ctx: &Ctx, query: &ContentListQuery) -> Result<ContentFilter, AppError> {
    let db = &ctx.state.db;
    let mut filter = ContentFilter::default();
    if let Some(raw) = given(&query.region) {
        let code = RegionCode::parse(raw).map_err(|e| AppError::field(e.for_field("region")))?;
        regions::require(db, "region", &code).await?;
        filter.region = Some(RegionFilter::Within(code));
    }
    if let Some(raw) = given(&query.topic) {
        let topic = topics::get(db, raw).await?.ok_or_else(|| invalid("invalid_choice", "topic"))?;
        filter.topic = Some(topic.slug);
    }
    if let Some(raw) = given(&query.kind) {
        filter.kind = Some(ContentType::parse(raw).ok_or_else(|| invalid("invalid_choice", "type"))?);
    }
    if let Some(raw) = given(&query.org) {
        let id: OrgId = raw.parse().map_err(|_| invalid("invalid_choice", "org"))?;
        organisations::get(db, id).await?.ok_or_else(|| invalid("invalid_choice", "org"))?;
        filter.org = Some(id);
    }
    filter.published_from = given(&query.from).map(|raw| parse_day("from", raw)).transpose()?;
    // `to` is inclusive: until the start of the next day.
    filter.published_until =
        given(&query.to).map(|raw| parse_day("to", raw).map(|t| t.plus_seconds(24 * 3600))).transpose()?;
    if let (Some(from), Some(until)) = (filter.published_from, filter.published_until)
        && until <= from
    {
        return Err(invalid("end_before_start", "to"));
    }
    Ok(filter)
}

/// The publisher of an item.
#[derive(Debug, Serialize)]
pub struct OrganisationRefJson {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    /// The organisation's public page (a KIM's is its KIM page).
    pub url: String,
}

/// A topic an item is filed under.
#[derive(Debug, Serialize)]
pub struct TopicRefJson {
    pub slug: String,
    pub name: String,
    /// The topic's public page.
    pub url: String,
}

/// A resized copy of an image.
#[derive(Debug, Serialize)]
pub struct ImageVariantJson {
    pub url: String,
    pub width: i64,
    pub height: i64,
}

/// An image: the original and its resized copies narrower than it.
#[derive(Debug, Serialize)]
pub struct ImageJson {
    /// The original (metadata removed).
    pub url: String,
    pub width: i64,
    pub height: i64,
    pub caption: Option<String>,
    /// Narrowest first.
    pub variants: Vec<ImageVariantJson>,
}

impl ImageJson {
    fn new(ctx: &Ctx, media: &Media, caption: Option<String>) -> ImageJson {
        let config = &ctx.state.config;
        let widths = srcset_widths(media);
        let mut variants: Vec<ImageVariantJson> = Vec::new();
        for v in media.variants.iter().filter(|v| widths.contains(&v.width)) {
            if variants.last().is_none_or(|last| last.width != v.width) {
                variants.push(ImageVariantJson {
                    url: config.absolute(&media_width_path(media.id, v.width)),
                    width: v.width,
                    height: v.height,
                });
            }
        }
        ImageJson {
            url: config.absolute(&media_path(media.id)),
            width: media.width,
            height: media.height,
            caption,
            variants,
        }
    }
}

/// An item in lists.
#[derive(Debug, Serialize)]
pub struct ContentSummaryJson {
    pub id: String,
    pub kind: ContentType,
    pub title: String,
    pub summary: Option<String>,
    pub language: Language,
    /// The label readers see: official (government), KIM, or citizen.
    pub provenance: Provenance,
    /// RFC 3339, UTC.
    pub published_at: String,
    /// RFC 3339, UTC: the last change (an edit or a correction).
    pub updated_at: String,
    pub organisation: OrganisationRefJson,
    /// The regions it is targeted at, in code order.
    pub regions: Vec<RegionRefJson>,
    pub topics: Vec<TopicRefJson>,
    pub cover: Option<ImageJson>,
    /// The item's public page.
    pub url: String,
}

/// A correction (ralat), shown with its date.
#[derive(Debug, Serialize)]
pub struct CorrectionJson {
    /// RFC 3339, UTC.
    pub at: String,
    pub text: String,
}

/// When and where an agenda item happens.
#[derive(Debug, Serialize)]
pub struct AgendaJson {
    pub starts_at: String,
    pub ends_at: Option<String>,
    pub place: String,
}

/// How to reach a product's seller.
#[derive(Debug, Serialize)]
pub struct ContactJson {
    /// `phone` (E.164) or `url`.
    pub kind: &'static str,
    pub value: String,
    /// For a phone: a WhatsApp chat link.
    pub whatsapp_url: Option<String>,
}

/// A product's price range and contact.
#[derive(Debug, Serialize)]
pub struct ProductJson {
    /// Whole rupiah.
    pub price_min: i64,
    /// Whole rupiah; `null` for a single price.
    pub price_max: Option<i64>,
    pub currency: &'static str,
    pub contact: ContactJson,
}

/// Where the item's claims come from.
#[derive(Debug, Serialize)]
pub struct SourceJson {
    pub name: Option<String>,
    pub url: Option<String>,
}

/// An item in full.
#[derive(Debug, Serialize)]
pub struct ContentJson {
    #[serde(flatten)]
    pub summary: ContentSummaryJson,
    /// Sanitised HTML rendered from the author's Markdown.
    pub body_html: String,
    pub gallery: Vec<ImageJson>,
    pub source: Option<SourceJson>,
    /// Oldest first.
    pub corrections: Vec<CorrectionJson>,
    /// Set for `agenda` items.
    pub agenda: Option<AgendaJson>,
    /// Set for `produk` items.
    pub product: Option<ProductJson>,
}

/// What building items needs, read once per response.
struct Lookups {
    topics: Vec<Topic>,
    region_names: HashMap<String, String>,
}

impl Lookups {
    async fn for_items(ctx: &Ctx, items: &[Content]) -> Result<Lookups, AppError> {
        let codes: Vec<&RegionCode> = items.iter().flat_map(|i| i.regions.iter()).collect();
        Ok(Lookups {
            topics: topics::list(&ctx.state.db).await?,
            region_names: jembatan_store::regions::names(&ctx.state.db, &codes).await?,
        })
    }
}

async fn image(ctx: &Ctx, image: &Image) -> Result<Option<ImageJson>, AppError> {
    Ok(media::get(&ctx.state.db, image.media).await?.map(|m| ImageJson::new(ctx, &m, image.caption.clone())))
}

async fn summary_json(ctx: &Ctx, item: &Content, lookups: &Lookups) -> Result<ContentSummaryJson, AppError> {
    let config = &ctx.state.config;
    let cover = match &item.cover {
        Some(c) => image(ctx, c).await?,
        None => None,
    };
    Ok(ContentSummaryJson {
        id: item.id.to_string(),
        kind: item.kind,
        title: item.title.clone(),
        summary: item.summary.clone(),
        language: item.language,
        provenance: item.provenance,
        published_at: item.published_at.unwrap_or(item.updated_at).to_rfc3339(),
        updated_at: item.updated_at.to_rfc3339(),
        organisation: OrganisationRefJson {
            id: item.org.id.to_string(),
            name: item.org_name.clone(),
            kind: item.org.kind,
            url: config.absolute(&org_path(item.org.id, item.org.kind)),
        },
        regions: item
            .regions
            .iter()
            .map(|code| {
                let name = lookups.region_names.get(code.as_str()).cloned().unwrap_or_else(|| code.to_string());
                RegionRefJson::new(ctx, code.as_str(), name)
            })
            .collect(),
        topics: item
            .topics
            .iter()
            .map(|slug| TopicRefJson {
                name: lookups
                    .topics
                    .iter()
                    .find(|t| &t.slug == slug)
                    .map(|t| t.name_id.clone())
                    .unwrap_or_else(|| slug.clone()),
                url: config.absolute(&topic_path(slug)),
                slug: slug.clone(),
            })
            .collect(),
        cover,
        url: config.absolute(&content_path(item.id, &item.slug)),
    })
}

/// `GET /api/v1/content?region=35.23&topic=kesehatan&type=berita&from=2026-01-01`:
/// published items, newest first.
pub async fn list_content(
    ctx: Ctx,
    viewer: Viewer,
    Query(query): Query<ContentListQuery>,
) -> Result<Json<ListPage<ContentSummaryJson>>, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let limit = parse_limit(query.limit.as_deref())?;
    let after = parse_cursor(given(&query.cursor))?;
    let filter = filter_of(&ctx, &query).await?;
    if let Some(RegionFilter::Within(code)) = &filter.region {
        viewer.authorize(Action::ViewPublic, &Resource::Region(code))?;
    }
    let db = &ctx.state.db;
    let page = content::list(db, &filter, after, limit).await?;
    let mut items = Vec::with_capacity(page.items.len());
    for summary in &page.items {
        // Listed items are published; one unpublished since is left out.
        if let Some(item) = content::get(db, summary.id).await?.filter(|i| i.status == ContentStatus::Published) {
            items.push(item);
        }
    }
    let lookups = Lookups::for_items(&ctx, &items).await?;
    let mut json = Vec::with_capacity(items.len());
    for item in &items {
        json.push(summary_json(&ctx, item, &lookups).await?);
    }
    Ok(Json(ListPage { items: json, next_cursor: page.next.map(|c| c.to_string()) }))
}

/// `GET /api/v1/content/{id}`: a published item in full; anything else
/// (unknown, malformed, not published) is 404.
pub async fn get_content(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Json<ContentJson>, AppError> {
    let item = load_published(&ctx, &viewer, &id).await?;
    let lookups = Lookups::for_items(&ctx, std::slice::from_ref(&item)).await?;
    let summary = summary_json(&ctx, &item, &lookups).await?;
    let mut gallery = Vec::with_capacity(item.gallery.len());
    for g in &item.gallery {
        if let Some(json) = image(&ctx, g).await? {
            gallery.push(json);
        }
    }
    Ok(Json(ContentJson {
        summary,
        body_html: item.body_html.clone(),
        gallery,
        source: item.source.as_ref().map(|s| SourceJson { name: s.name.clone(), url: s.url.clone() }),
        corrections: item
            .corrections
            .iter()
            .map(|c| CorrectionJson { at: c.at.to_rfc3339(), text: c.body.clone() })
            .collect(),
        agenda: item.agenda.as_ref().map(|a| AgendaJson {
            starts_at: a.starts_at.to_rfc3339(),
            ends_at: a.ends_at.map(Timestamp::to_rfc3339),
            place: a.place.clone(),
        }),
        product: item.product.as_ref().map(|p| ProductJson {
            price_min: p.price_min,
            price_max: p.price_max,
            currency: "IDR",
            contact: match &p.contact {
                ProductContact::Phone(phone) => ContactJson {
                    kind: "phone",
                    value: phone.as_str().to_owned(),
                    whatsapp_url: Some(crate::html::kims::whatsapp_url(phone)),
                },
                ProductContact::Url(url) => ContactJson { kind: "url", value: url.clone(), whatsapp_url: None },
            },
        }),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_in_wib() {
        assert_eq!(parse_day("from", "2026-11-02").unwrap().to_rfc3339(), "2026-11-01T17:00:00Z");
        for bad in ["2026-13-01", "2026-2-1", "02-11-2026", "1989-01-01", "2026-11-02T00:00", ""] {
            assert!(parse_day("from", bad).is_err(), "{bad}");
        }
    }
}
