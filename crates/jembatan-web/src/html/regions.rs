//! Public region pages: the province, each regency/city, district and
//! village, with breadcrumbs, the latest items targeted at the region,
//! every region above it and every region inside it (each labelled by the
//! region it was targeted at, newest first, paginated), the regions below, how many KIMs the region
//! holds (a village lists the KIMs serving it) and links to its KIM and
//! organisation lists. The province's page (the home page) also links to
//! topics, types and the archive.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use chrono::Datelike;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::{RegionCode, RegionLevel};
use jembatan_store::content::{ContentFilter, RegionFilter};
use jembatan_store::kims::{self, KimFilter};
use jembatan_store::regions::{self, RegionRow};

use crate::auth::Viewer;
use crate::cache::{Tag, cacheable};
use crate::error::AppError;
use crate::html::archive::year_path;
use crate::html::content::{
    ContentList, LinkView, ListQuery, feed_alternates, feed_links, kind_links, listing, region_tags, with_listing,
};
use crate::html::kims::{KimItemView, PAGE_SIZE, region_kims_path, today};
use crate::html::organisations::region_orgs_path;
use crate::html::topics::topic_links;
use crate::layout::{Ctx, Page, public_html};

/// A region as a page shows it.
pub struct RegionView {
    pub code: String,
    pub name: String,
    pub href: String,
}

impl RegionView {
    pub fn new(ctx: &Ctx, row: &RegionRow) -> RegionView {
        RegionView { code: row.code.clone(), name: row.name.clone(), href: ctx.t.href(&region_path(&row.code)) }
    }
}

/// The site path of a region's page.
pub fn region_path(code: &str) -> String {
    format!("/wilayah/{code}")
}

/// The catalog key naming a level, e.g. "Kecamatan".
pub fn level_key(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::Province => "region-level-province",
        RegionLevel::Regency => "region-level-regency",
        RegionLevel::District => "region-level-district",
        RegionLevel::Village => "region-level-village",
    }
}

/// The catalog key counting a level's regions, e.g. "{ $count } kecamatan".
fn children_count_key(level: RegionLevel) -> &'static str {
    match level {
        RegionLevel::Province => "region-children-regencies",
        RegionLevel::Regency => "region-children-districts",
        RegionLevel::District => "region-children-villages",
        RegionLevel::Village => "region-children-none",
    }
}

#[derive(Template)]
#[template(path = "regions/region.html")]
struct RegionPage {
    page: Page,
    region: RegionView,
    level_label: String,
    breadcrumbs: Vec<RegionView>,
    children_heading: String,
    children: Vec<RegionView>,
    kims_count: String,
    kims_total: i64,
    kims_href: String,
    /// On a village page, the KIMs serving it.
    village_kims: Vec<KimItemView>,
    orgs_href: String,
    /// The latest items targeted at the region, above it and inside it.
    list: ContentList,
    feeds: Vec<LinkView>,
    /// The province's page: links to topics, types and the archive.
    portal: Option<PortalLinks>,
}

/// What the province's page links to besides regions.
pub struct PortalLinks {
    pub topics: Vec<LinkView>,
    pub kinds: Vec<LinkView>,
    pub archive: LinkView,
}

/// Parses a region code from a URL: malformed is 400, as the issue asks.
pub fn parse_code(raw: &str) -> Result<RegionCode, AppError> {
    RegionCode::parse(raw).map_err(AppError::field)
}

/// `GET /`: the deployment's province.
pub async fn show_home(ctx: Ctx, viewer: Viewer, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    let code = ctx.state.config.default_province.clone();
    render_region(ctx, viewer, code, query).await
}

/// `GET /wilayah/{code}`.
pub async fn show_region(
    ctx: Ctx,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let code = parse_code(&code)?;
    render_region(ctx, viewer, code, query).await
}

async fn render_region(ctx: Ctx, viewer: Viewer, code: RegionCode, query: ListQuery) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Region(&code))?;
    let db = &ctx.state.db;
    let lineage = regions::lineage(db, &code).await?;
    let Some(row) = lineage.last().filter(|r| r.code == code.as_str()) else {
        return Err(AppError::NotFound);
    };
    let children = regions::children(db, &code).await?;
    let level = code.level();
    let filter = KimFilter { within: code.clone(), status: None };
    let kims_total = kims::count(db, &filter).await?;
    let village_kims = if level == RegionLevel::Village && kims_total > 0 {
        kims::list(db, &filter, today(&ctx), PAGE_SIZE, 0).await?
    } else {
        Vec::new()
    };
    let filter = ContentFilter { region: Some(RegionFilter::Around(code.clone())), ..ContentFilter::default() };
    let listing = listing(&ctx, ctx.t.get("content-latest"), &filter, &query).await?;
    // The home page's feeds are at the site's root.
    let feed_base = if ctx.path == "/" { String::new() } else { region_path(code.as_str()) };
    let portal = if level == RegionLevel::Province {
        let year = crate::html::content::local(&ctx, jembatan_domain::Timestamp::now()).year();
        Some(PortalLinks {
            topics: topic_links(&ctx).await?,
            kinds: kind_links(&ctx),
            archive: LinkView { text: ctx.t.get("content-archive-link"), href: ctx.t.href(&year_path(year)) },
        })
    } else {
        None
    };
    let region = RegionView::new(&ctx, row);
    let level_label = ctx.t.get(level_key(level));
    let title = row.name.clone();
    let description = ctx.t.args("region-description", &[("name", &row.name), ("level", &level_label)]);
    let mut page = ctx.page(title).with_description(description);
    page.alternates = feed_alternates(&ctx, &feed_base, &row.name);
    let page = with_listing(page, &ctx, &listing);
    let mut tags = vec![Tag::Regions, Tag::OrganisationsIn(code.clone())];
    tags.extend(region_tags(&code));
    tags.extend(listing.tags);
    let template = RegionPage {
        page,
        list: listing.list,
        feeds: feed_links(&ctx, &feed_base),
        portal,
        breadcrumbs: lineage[..lineage.len() - 1].iter().map(|r| RegionView::new(&ctx, r)).collect(),
        children_heading: ctx.t.num(children_count_key(level), "count", children.len() as i64),
        children: children.iter().map(|r| RegionView::new(&ctx, r)).collect(),
        kims_count: ctx.t.num("kims-count", "count", kims_total),
        kims_total,
        kims_href: ctx.t.href(&region_kims_path(code.as_str())),
        village_kims: village_kims.iter().map(|k| KimItemView::new(&ctx, k)).collect(),
        orgs_href: ctx.t.href(&region_orgs_path(code.as_str())),
        region,
        level_label,
    };
    Ok(cacheable(public_html(template.render()?), tags))
}
