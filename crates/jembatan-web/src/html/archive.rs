//! Date archives: the items published in a year (`/arsip/{yyyy}`, with
//! links to its months that hold items) or in a month (`/arsip/{yyyy}/{mm}`),
//! newest first. Months are calendar months in WIB
//! ([`jembatan_domain::content::month_bounds`]). A malformed year or month
//! is 400.

use axum::extract::{Path, Query};
use axum::response::Response;
use jembatan_domain::Timestamp;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::content::month_bounds;
use jembatan_store::content::{self, ContentFilter};

use crate::auth::Viewer;
use crate::cache::Tag;
use crate::error::AppError;
use crate::html::content::{LinkView, ListQuery, ListingFrame, home_crumb, month_name, render_listing};
use crate::layout::Ctx;

/// The years an archive accepts (as [`jembatan_domain::content::parse_datetime`] does).
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// The site path of a year's archive.
pub fn year_path(year: i32) -> String {
    format!("/arsip/{year}")
}

/// The site path of a month's archive.
pub fn month_path(year: i32, month: u32) -> String {
    format!("/arsip/{year}/{month:02}")
}

/// A year from a URL: four digits within [`YEARS`], else 400 `invalid_date`.
pub fn parse_year(raw: &str) -> Result<i32, AppError> {
    let invalid = || AppError::BadRequest { code: "invalid_date", field: Some("tahun".into()) };
    if raw.len() != 4 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    raw.parse().ok().filter(|y| YEARS.contains(y)).ok_or_else(invalid)
}

/// A month from a URL: two digits, `01` to `12`, else 400 `invalid_date`.
pub fn parse_month(raw: &str) -> Result<u32, AppError> {
    let invalid = || AppError::BadRequest { code: "invalid_date", field: Some("bulan".into()) };
    if raw.len() != 2 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    raw.parse().ok().filter(|m| (1..=12).contains(m)).ok_or_else(invalid)
}

/// The `[from, until)` of a whole year in WIB.
fn year_bounds(year: i32) -> Option<(Timestamp, Timestamp)> {
    Some((month_bounds(year, 1)?.0, month_bounds(year, 12)?.1))
}

/// The [`Tag::ContentMonth`] tags of `[from, until)`: every calendar month
/// (`YYYY-MM`) the span touches, counted in UTC as the page cache counts an
/// item's month, so a WIB month that starts on the last evening of the
/// UTC month before is dropped by items of both.
pub fn month_tags(from: Timestamp, until: Timestamp) -> Vec<Tag> {
    use chrono::Datelike;
    let first = from.to_utc();
    let last = Timestamp(until.millis() - 1).to_utc();
    let (mut y, mut m) = (first.year(), first.month());
    let mut tags = Vec::new();
    while (y, m) <= (last.year(), last.month()) {
        tags.push(Tag::ContentMonth(format!("{y:04}-{m:02}")));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    tags
}

fn range_filter(from: Timestamp, until: Timestamp) -> ContentFilter {
    ContentFilter { published_from: Some(from), published_until: Some(until), ..ContentFilter::default() }
}

/// `GET /arsip/{yyyy}`: the year's items, and links to its months that hold some.
pub async fn show_year(
    ctx: Ctx,
    viewer: Viewer,
    Path(year): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let year = parse_year(&year)?;
    let (from, until) = year_bounds(year).ok_or(AppError::NotFound)?;
    let mut months = Vec::new();
    for month in 1..=12 {
        let Some((m_from, m_until)) = month_bounds(year, month) else { continue };
        let page = content::list(&ctx.state.db, &range_filter(m_from, m_until), None, 1).await?;
        if !page.items.is_empty() {
            months.push(LinkView { text: month_name(&ctx.t, month), href: ctx.t.href(&month_path(year, month)) });
        }
    }
    let title = ctx.t.arg("archive-title-year", "year", &year.to_string());
    let frame = ListingFrame {
        description: ctx.t.arg("archive-description", "period", &year.to_string()),
        crumbs: vec![home_crumb(&ctx)],
        intro: None,
        links_empty: months.is_empty().then(|| ctx.t.get("archive-months-none")),
        links: (!months.is_empty()).then(|| (ctx.t.get("archive-months"), months)),
        feed_base: None,
        feed_name: String::new(),
        title,
    };
    render_listing(&ctx, frame, &range_filter(from, until), &query, month_tags(from, until)).await
}

/// `GET /arsip/{yyyy}/{mm}`: the month's items.
pub async fn show_month(
    ctx: Ctx,
    viewer: Viewer,
    Path((year, month)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let year = parse_year(&year)?;
    let month = parse_month(&month)?;
    let (from, until) = month_bounds(year, month).ok_or(AppError::NotFound)?;
    let period = format!("{} {year}", month_name(&ctx.t, month));
    let frame = ListingFrame {
        title: ctx.t.args("archive-title-month", &[("month", &month_name(&ctx.t, month)), ("year", &year.to_string())]),
        description: ctx.t.arg("archive-description", "period", &period),
        crumbs: vec![
            home_crumb(&ctx),
            LinkView {
                text: ctx.t.arg("archive-title-year", "year", &year.to_string()),
                href: ctx.t.href(&year_path(year)),
            },
        ],
        intro: None,
        links: None,
        links_empty: None,
        feed_base: None,
        feed_name: String::new(),
    };
    render_listing(&ctx, frame, &range_filter(from, until), &query, month_tags(from, until)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_months_are_checked() {
        assert_eq!(parse_year("2026").unwrap(), 2026);
        for bad in ["26", "02026", "20x6", "1989", "2101", "-202"] {
            assert!(parse_year(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_month("01").unwrap(), 1);
        assert_eq!(parse_month("12").unwrap(), 12);
        for bad in ["1", "00", "13", "1a", "012"] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_wib_month_is_tagged_with_both_utc_months_it_touches() {
        let (from, until) = month_bounds(2026, 12).unwrap();
        assert_eq!(
            month_tags(from, until),
            vec![Tag::ContentMonth("2026-11".into()), Tag::ContentMonth("2026-12".into())]
        );
        let (from, until) = year_bounds(2026).unwrap();
        let tags = month_tags(from, until);
        assert_eq!(tags.len(), 13, "December before and the twelve months");
        assert_eq!(tags[0], Tag::ContentMonth("2025-12".into()));
    }
}
