//! The search page, `/cari`: full-text search over published content with
//! filters (region with everything inside it, topic, type, organisation,
//! date range), highlighted snippets and pages of results. Served without
//! JavaScript; the box in the site header submits here too.
//!
//! What a person types never makes the page fail: the index searches text
//! with broken syntax as plain words. Filters are parsed here, shared with
//! `/api/v1/search` (which names its parameters in English): a malformed
//! or unknown filter is a 400 naming the parameter.
//!
//! Result pages depend on the query, so the page cache does not keep them
//! (they carry no tags); browsers and proxies may keep them a minute.

use askama::Template;
use axum::extract::Query;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{NaiveDate, TimeZone};
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::content::ContentType;
use jembatan_domain::{FieldError, OrgId, RegionCode, Timestamp, ValidationCode};
use jembatan_search::{Hit, SearchQuery, SearchResults};
use jembatan_store::organisations;
use jembatan_store::regions;
use jembatan_store::topics::{self, Topic};
use serde::Deserialize;

use crate::auth::Viewer;
use crate::error::{AppError, message_key};
use crate::html::common::render_public;
use crate::html::content::{human_date, iso_local, kind_key};
use crate::html::kims::{Pager, link_query, list_query, with_query};
use crate::layout::{Ctx, Page};

/// The search page's path.
pub const SEARCH_PATH: &str = "/cari";
/// Hits per page of results.
pub const PAGE_SIZE: usize = 20;
/// The deepest page served: the index serves offsets up to
/// [`jembatan_search::query::MAX_OFFSET`].
pub const MAX_PAGE: usize = jembatan_search::query::MAX_OFFSET / PAGE_SIZE + 1;
/// The longest search text considered, in characters; the page cuts what
/// is longer, the API refuses it (`too_long`).
pub const MAX_QUERY_CHARS: usize = 200;

/// The names a surface gives the filter parameters (the page speaks
/// Indonesian, the API English); errors name the parameter as sent.
#[derive(Debug, Clone, Copy)]
pub struct FilterNames {
    pub region: &'static str,
    pub topic: &'static str,
    pub kind: &'static str,
    pub org: &'static str,
    pub from: &'static str,
    pub to: &'static str,
}

/// The search page's parameter names.
pub const PAGE_NAMES: FilterNames =
    FilterNames { region: "wilayah", topic: "topik", kind: "jenis", org: "organisasi", from: "dari", to: "sampai" };

/// Filters as sent, before parsing; empty values mean "any".
#[derive(Debug, Clone, Copy, Default)]
pub struct FilterInput<'a> {
    pub region: Option<&'a str>,
    pub topic: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub org: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// A region a search is narrowed to (with every region inside it).
#[derive(Debug, Clone)]
pub struct RegionFilter {
    pub code: RegionCode,
    pub name: String,
}

/// An organisation a search is narrowed to.
#[derive(Debug, Clone)]
pub struct OrgFilter {
    pub id: OrgId,
    pub name: String,
}

/// Parsed filters, each checked against what is stored (an unknown region,
/// topic or organisation is refused rather than silently finding nothing).
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub region: Option<RegionFilter>,
    pub topic: Option<Topic>,
    pub kind: Option<ContentType>,
    pub org: Option<OrgFilter>,
    /// First day, inclusive.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive.
    pub to: Option<NaiveDate>,
}

/// The trimmed value, `None` when absent or blank.
fn given(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|v| !v.is_empty())
}

/// A `YYYY-MM-DD` date.
fn parse_date(field: &str, raw: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| FieldError::new(field, ValidationCode::InvalidDate))
}

impl Filters {
    /// Parses and checks `input`. The outer error is a failure to check
    /// (the database); the inner one refuses a parameter, named by `names`.
    pub async fn parse(
        ctx: &Ctx,
        input: FilterInput<'_>,
        names: FilterNames,
    ) -> Result<Result<Filters, FieldError>, AppError> {
        let db = &ctx.state.db;
        let mut filters = Filters::default();
        if let Some(raw) = given(input.region) {
            let code = match RegionCode::parse(raw) {
                Ok(code) => code,
                Err(e) => return Ok(Err(e.for_field(names.region))),
            };
            match regions::get(db, &code).await? {
                Some(row) => filters.region = Some(RegionFilter { code, name: row.name }),
                None => return Ok(Err(FieldError::new(names.region, ValidationCode::UnknownRegion))),
            }
        }
        if let Some(raw) = given(input.topic) {
            match topics::get(db, raw).await? {
                Some(topic) => filters.topic = Some(topic),
                None => return Ok(Err(FieldError::new(names.topic, ValidationCode::InvalidChoice))),
            }
        }
        if let Some(raw) = given(input.kind) {
            match ContentType::parse(raw) {
                Some(kind) => filters.kind = Some(kind),
                None => return Ok(Err(FieldError::new(names.kind, ValidationCode::InvalidChoice))),
            }
        }
        if let Some(raw) = given(input.org) {
            let org = match raw.parse::<OrgId>() {
                Ok(id) => organisations::get(db, id).await?,
                Err(_) => None,
            };
            match org {
                Some(org) => filters.org = Some(OrgFilter { id: org.id, name: org.profile.name }),
                None => return Ok(Err(FieldError::new(names.org, ValidationCode::InvalidChoice))),
            }
        }
        for (raw, field, slot) in [(input.from, names.from, &mut filters.from), (input.to, names.to, &mut filters.to)] {
            if let Some(raw) = given(raw) {
                match parse_date(field, raw) {
                    Ok(day) => *slot = Some(day),
                    Err(e) => return Ok(Err(e)),
                }
            }
        }
        if let (Some(from), Some(to)) = (filters.from, filters.to)
            && to < from
        {
            return Ok(Err(FieldError::new(names.to, ValidationCode::EndBeforeStart)));
        }
        Ok(Ok(filters))
    }

    /// Whether any filter is set.
    pub fn any(&self) -> bool {
        self.region.is_some()
            || self.topic.is_some()
            || self.kind.is_some()
            || self.org.is_some()
            || self.from.is_some()
            || self.to.is_some()
    }

    /// The index query for `text` with these filters; dates are whole days
    /// in the deployment's time zone.
    pub fn query(&self, ctx: &Ctx, text: &str, offset: usize, limit: usize) -> SearchQuery {
        let tz = ctx.state.config.timezone;
        let start_of = |day: NaiveDate| -> i64 {
            let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
            tz.from_local_datetime(&midnight)
                .earliest()
                .map_or_else(|| midnight.and_utc().timestamp_millis(), |t| t.timestamp_millis())
        };
        SearchQuery {
            text: text.to_owned(),
            region: self.region.as_ref().map(|r| r.code.as_str().to_owned()),
            topic: self.topic.as_ref().map(|t| t.slug.clone()),
            kind: self.kind.map(|k| k.as_str().to_owned()),
            org: self.org.as_ref().map(|o| o.id.to_string()),
            from: self.from.map(start_of),
            // Through the last millisecond of the day.
            to: self.to.map(|day| day.succ_opt().map_or(i64::MAX, start_of) - 1),
            offset,
            limit,
        }
    }

    /// The page's query-string pairs for these filters, in a fixed order.
    fn page_pairs(&self) -> Vec<(&'static str, String)> {
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        vec![
            (PAGE_NAMES.kind, self.kind.map(|k| k.as_str().to_owned()).unwrap_or_default()),
            (PAGE_NAMES.topic, self.topic.as_ref().map(|t| t.slug.clone()).unwrap_or_default()),
            (PAGE_NAMES.region, self.region.as_ref().map(|r| r.code.as_str().to_owned()).unwrap_or_default()),
            (PAGE_NAMES.org, self.org.as_ref().map(|o| o.id.to_string()).unwrap_or_default()),
            (PAGE_NAMES.from, date(self.from)),
            (PAGE_NAMES.to, date(self.to)),
        ]
    }
}

/// Runs `query` on this process's index.
pub async fn run(ctx: &Ctx, query: SearchQuery) -> Result<SearchResults, AppError> {
    ctx.state.search.search(query).await.map_err(|e| AppError::Internal(format!("search: {e}")))
}

/// `text` cut to [`MAX_QUERY_CHARS`] characters.
fn cut(text: &str) -> &str {
    match text.char_indices().nth(MAX_QUERY_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Query of `GET /cari`.
#[derive(Debug, Default, Deserialize)]
pub struct SearchPageQuery {
    pub q: Option<String>,
    pub wilayah: Option<String>,
    pub topik: Option<String>,
    pub jenis: Option<String>,
    pub organisasi: Option<String>,
    pub dari: Option<String>,
    pub sampai: Option<String>,
    pub halaman: Option<String>,
}

/// One hit as the page shows it.
pub struct HitView {
    pub title: String,
    pub href: String,
    pub kind: String,
    pub date: String,
    /// For `<time datetime>`.
    pub datetime: String,
    /// Escaped text with `<mark>` around matched words (see [`Hit`]).
    pub snippet_html: String,
}

impl HitView {
    fn new(ctx: &Ctx, hit: Hit) -> HitView {
        let at = Timestamp(hit.published_at);
        HitView {
            href: ctx.t.href(&hit.url_path),
            kind: ContentType::parse(&hit.kind).map(|k| ctx.t.get(kind_key(k))).unwrap_or(hit.kind),
            date: human_date(ctx, at),
            datetime: iso_local(ctx, at),
            title: hit.title,
            snippet_html: hit.snippet_html,
        }
    }
}

/// One choice of a filter's `<select>`.
pub struct ChoiceView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A refused filter, shown above the form.
pub struct FilterErrorView {
    /// The parameter's name.
    pub field: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "search/search.html")]
struct SearchPage {
    page: Page,
    action: String,
    q: String,
    kinds: Vec<ChoiceView>,
    topics: Vec<ChoiceView>,
    region: String,
    /// The region filter's name, once known.
    region_name: Option<String>,
    /// The organisation filter: its id (kept in a hidden field) and name,
    /// with the link that searches without it.
    org: Option<(String, String, String)>,
    from: String,
    to: String,
    /// Open the filters when one is set (or refused).
    filters_open: bool,
    error: Option<FilterErrorView>,
    /// The refused parameter's name ("" when none), to mark its input.
    invalid: String,
    /// Whether a search ran (there was text or a filter).
    searched: bool,
    summary: String,
    hits: Vec<HitView>,
    /// The number of the first hit on this page, for `<ol start>`.
    first: usize,
    pager: Pager,
}

/// `GET /cari?q=...`: the search form, and results when asked.
pub async fn show_search(ctx: Ctx, viewer: Viewer, Query(query): Query<SearchPageQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let page_number = parse_page(query.halaman.as_deref())?;
    let text = cut(query.q.as_deref().unwrap_or_default().trim()).to_owned();
    let input = FilterInput {
        region: query.wilayah.as_deref(),
        topic: query.topik.as_deref(),
        kind: query.jenis.as_deref(),
        org: query.organisasi.as_deref(),
        from: query.dari.as_deref(),
        to: query.sampai.as_deref(),
    };
    let (filters, error) = match Filters::parse(&ctx, input, PAGE_NAMES).await? {
        Ok(filters) => (filters, None),
        Err(e) => {
            let message = ctx.t.get(&message_key(e.code.as_str()));
            (Filters::default(), Some(FilterErrorView { field: e.field, message }))
        }
    };
    if let Some(region) = &filters.region {
        viewer.authorize(Action::ViewPublic, &Resource::Region(&region.code))?;
    }

    let searched = error.is_none() && (!text.is_empty() || filters.any());
    let offset = (page_number - 1) * PAGE_SIZE;
    let results = if searched {
        run(&ctx, filters.query(&ctx, &text, offset, PAGE_SIZE)).await?
    } else {
        SearchResults::default()
    };

    let mut pairs: Vec<(&str, String)> = vec![("q", text.clone())];
    pairs.extend(filters.page_pairs());
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let pages = results.total.div_ceil(PAGE_SIZE).clamp(1, MAX_PAGE);
    let base = ctx.path.clone();
    let pager = Pager::new(&ctx, page_number as i64, pages as i64, |n| {
        ctx.t.href(&with_query(&base, &list_query(n, &borrowed)))
    });

    let title = if text.is_empty() { ctx.t.get("search-title") } else { ctx.t.arg("search-title-for", "q", &text) };
    let page = ctx.page(title).with_description(ctx.t.get("search-description"));
    let page = link_query(page, &ctx, &list_query(page_number as i64, &borrowed));
    let summary = match (searched, text.is_empty()) {
        (false, _) => String::new(),
        (true, true) => ctx.t.num("search-count", "count", results.total as i64),
        (true, false) => {
            let results = ctx.t.num("search-count", "count", results.total as i64);
            ctx.t.args("search-count-for", &[("results", &results), ("q", &text)])
        }
    };
    let all_topics = topics::list(&ctx.state.db).await?;
    let without_org = {
        let kept: Vec<(&str, &str)> = borrowed.iter().copied().filter(|(k, _)| *k != PAGE_NAMES.org).collect();
        ctx.t.href(&with_query(&base, &list_query(1, &kept)))
    };
    // The form shows what was sent, also beside a refused filter.
    let sent = |raw: &Option<String>| given(raw.as_deref()).unwrap_or_default().to_owned();
    let template = SearchPage {
        action: ctx.t.href(SEARCH_PATH),
        kinds: ContentType::ALL
            .iter()
            .map(|k| ChoiceView {
                value: k.as_str().to_owned(),
                label: ctx.t.get(kind_key(*k)),
                selected: sent(&query.jenis) == k.as_str(),
            })
            .collect(),
        topics: all_topics
            .iter()
            .map(|t| ChoiceView {
                value: t.slug.clone(),
                label: t.name(ctx.t.lang()).to_owned(),
                selected: sent(&query.topik) == t.slug,
            })
            .collect(),
        region: sent(&query.wilayah),
        region_name: filters.region.as_ref().map(|r| r.name.clone()),
        org: filters.org.as_ref().map(|o| (o.id.to_string(), o.name.clone(), without_org)),
        from: sent(&query.dari),
        to: sent(&query.sampai),
        filters_open: error.is_some() || filters.any(),
        searched,
        summary,
        first: offset + 1,
        hits: results.hits.into_iter().map(|h| HitView::new(&ctx, h)).collect(),
        pager,
        q: text,
        invalid: error.as_ref().map(|e| e.field.clone()).unwrap_or_default(),
        error,
        page,
    };
    let refused = template.error.is_some();
    let mut response = render_public(template, if refused { StatusCode::BAD_REQUEST } else { StatusCode::OK })?;
    if refused {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

/// A page number from `?halaman=`: absent or empty is the first page;
/// anything but a whole number from 1 to [`MAX_PAGE`] is 400.
fn parse_page(raw: Option<&str>) -> Result<usize, AppError> {
    match given(raw) {
        None => Ok(1),
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or(AppError::BadRequest { code: "invalid_page", field: Some("halaman".into()) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_on_a_character() {
        let long = "é".repeat(MAX_QUERY_CHARS + 5);
        assert_eq!(cut(&long).chars().count(), MAX_QUERY_CHARS);
        assert_eq!(cut("jalan desa"), "jalan desa");
    }

    #[test]
    fn pages_are_whole_numbers_within_reach() {
        assert_eq!(parse_page(None).unwrap(), 1);
        assert_eq!(parse_page(Some(" ")).unwrap(), 1);
        assert_eq!(parse_page(Some("3")).unwrap(), 3);
        for bad in ["0", "-1", "x", "1.5", &(MAX_PAGE + 1).to_string()] {
            assert!(parse_page(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_are_iso_days() {
        assert_eq!(parse_date("dari", "2026-11-29").unwrap(), NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
        let refused = parse_date("dari", "29-11-2026").unwrap_err();
        assert_eq!((refused.field.as_str(), refused.code), ("dari", ValidationCode::InvalidDate));
    }
}
