//! Public organisation pages: the profile of a Diskominfo office, an
//! agency (OPD) or a body (`/organisasi/{id}`), and the organisations
//! within a region (`/wilayah/{code}/organisasi`). KIMs have their own
//! pages ([`crate::html::kims`]); their ids redirect there.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jembatan_domain::OrgId;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::organisation::{BodyKind, OrgKind, WorkCategory};
use jembatan_store::organisations::{self, Organisation};
use jembatan_store::regions;
use serde::Deserialize;

use crate::auth::Viewer;
use crate::cache::{Tag, cacheable};
use crate::error::AppError;
use crate::html::common::render_public;
use crate::html::content::{ContentList, LinkView, ListQuery, feed_alternates, feed_links, org_listing, with_listing};
use crate::html::kims::{
    FilterOption, Pager, display_url, kim_path, link_query, list_query, page_count, paragraphs, parse_org_id,
    parse_page_number, with_query, wrap_points,
};
use crate::html::regions::{RegionView, parse_code, region_path};
use crate::layout::{Ctx, Page};

/// Organisations per page of a list.
pub const PAGE_SIZE: usize = 30;

/// The kinds the organisation lists show (KIMs have their own).
pub const LISTED_KINDS: [OrgKind; 3] = [OrgKind::Diskominfo, OrgKind::Agency, OrgKind::Body];

/// The site path of an organisation's public profile (a KIM's is its KIM page).
pub fn org_path(id: OrgId, kind: OrgKind) -> String {
    match kind {
        OrgKind::Kim => kim_path(id),
        _ => format!("/organisasi/{id}"),
    }
}

/// The site path of the organisation list of a region.
pub fn region_orgs_path(code: &str) -> String {
    format!("/wilayah/{code}/organisasi")
}

/// The catalog key naming a kind of organisation, e.g. "OPD".
pub fn kind_key(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::Diskominfo => "org-kind-diskominfo",
        OrgKind::Agency => "org-kind-agency",
        OrgKind::Kim => "org-kind-kim",
        OrgKind::Body => "org-kind-body",
    }
}

/// The catalog key naming a kind of body, e.g. "BUMD".
pub fn body_kind_key(kind: BodyKind) -> &'static str {
    match kind {
        BodyKind::VillageOffice => "body-kind-village_office",
        BodyKind::DistrictOffice => "body-kind-district_office",
        BodyKind::Bumd => "body-kind-bumd",
        BodyKind::VerticalAgency => "body-kind-vertical_agency",
        BodyKind::StateCompany => "body-kind-state_company",
    }
}

/// The catalog key naming an agency's area of work, e.g. "Kesehatan".
pub fn category_key(category: WorkCategory) -> &'static str {
    match category {
        WorkCategory::Kesehatan => "work-category-kesehatan",
        WorkCategory::Pendidikan => "work-category-pendidikan",
        WorkCategory::Infrastruktur => "work-category-infrastruktur",
        WorkCategory::Kebencanaan => "work-category-kebencanaan",
        WorkCategory::Pertanian => "work-category-pertanian",
        WorkCategory::Ekonomi => "work-category-ekonomi",
        WorkCategory::Sosial => "work-category-sosial",
        WorkCategory::Kependudukan => "work-category-kependudukan",
        WorkCategory::Lingkungan => "work-category-lingkungan",
        WorkCategory::Keamanan => "work-category-keamanan",
        WorkCategory::Pemerintahan => "work-category-pemerintahan",
        WorkCategory::Komunikasi => "work-category-komunikasi",
    }
}

/// A listed kind from a query; empty means all, unknown (or `kim`) is 400 on `field`.
pub fn parse_kind_filter(raw: Option<&str>, field: &str) -> Result<Option<OrgKind>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => OrgKind::parse(raw)
            .filter(|k| LISTED_KINDS.contains(k))
            .map(Some)
            .ok_or_else(|| AppError::BadRequest { code: "invalid_choice", field: Some(field.to_owned()) }),
    }
}

/// The label of what an organisation is: its kind, or for a body its body kind.
pub fn kind_label(ctx: &Ctx, org: &Organisation) -> String {
    match org.profile.body_kind {
        Some(body) => ctx.t.get(body_kind_key(body)),
        None => ctx.t.get(kind_key(org.kind)),
    }
}

/// An organisation as a list shows it.
pub struct OrgItemView {
    pub name: String,
    pub href: String,
    pub kind: String,
    pub region_name: String,
    pub region_href: String,
}

/// Query of the organisation list.
#[derive(Debug, Default, Deserialize)]
pub struct OrgListQuery {
    pub halaman: Option<String>,
    pub jenis: Option<String>,
}

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct OrgListPage {
    page: Page,
    breadcrumbs: Vec<RegionView>,
    count: String,
    action: String,
    kinds: Vec<FilterOption>,
    orgs: Vec<OrgItemView>,
    pager: Pager,
}

/// `GET /wilayah/{code}/organisasi`: Diskominfo offices, agencies and
/// bodies in a region and every region below it, optionally of one kind
/// (`?jenis=agency`).
pub async fn list_region_organisations(
    ctx: Ctx,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(query): Query<OrgListQuery>,
) -> Result<Response, AppError> {
    let code = parse_code(&code)?;
    viewer.authorize(Action::ViewPublic, &Resource::Region(&code))?;
    let page_number = parse_page_number(query.halaman.as_deref())?;
    let kind = parse_kind_filter(query.jenis.as_deref(), "jenis")?;
    let db = &ctx.state.db;
    let lineage = regions::lineage(db, &code).await?;
    let Some(region) = lineage.last().filter(|r| r.code == code.as_str()) else {
        return Err(AppError::NotFound);
    };
    let all = organisations::list(db, kind, &code).await?;
    let pages = page_count(all.len() as i64, PAGE_SIZE as i64);
    if page_number > pages {
        return Err(AppError::NotFound);
    }
    let shown: Vec<&Organisation> = all.iter().skip((page_number as usize - 1) * PAGE_SIZE).take(PAGE_SIZE).collect();
    let names = regions::names(&ctx.state.db, &shown.iter().map(|o| &o.region).collect::<Vec<_>>()).await?;
    let orgs = shown
        .iter()
        .map(|org| OrgItemView {
            name: org.profile.name.clone(),
            href: ctx.t.href(&org_path(org.id, org.kind)),
            kind: kind_label(&ctx, org),
            region_name: names.get(org.region.as_str()).cloned().unwrap_or_else(|| org.region.to_string()),
            region_href: ctx.t.href(&region_path(org.region.as_str())),
        })
        .collect();
    let kind_value = kind.map(OrgKind::as_str).unwrap_or_default();
    let base = ctx.path.clone();
    let pager = Pager::new(&ctx, page_number, pages, |n| {
        ctx.t.href(&with_query(&base, &list_query(n, &[("jenis", kind_value)])))
    });
    let title = ctx.t.arg("orgs-title", "region", &region.name);
    let page = ctx.page(title).with_description(ctx.t.arg("orgs-description", "region", &region.name));
    let page = link_query(page, &ctx, &list_query(page_number, &[("jenis", kind_value)]));
    let template = OrgListPage {
        breadcrumbs: lineage.iter().map(|r| RegionView::new(&ctx, r)).collect(),
        count: ctx.t.num("orgs-count", "count", all.len() as i64),
        action: ctx.t.href(&base),
        kinds: LISTED_KINDS
            .iter()
            .map(|k| FilterOption { value: k.as_str(), label: ctx.t.get(kind_key(*k)), selected: Some(*k) == kind })
            .collect(),
        orgs,
        pager,
        page,
    };
    Ok(cacheable(render_public(template, StatusCode::OK)?, vec![Tag::Regions, Tag::OrganisationsIn(code)]))
}

#[derive(Template)]
#[template(path = "organisations/profile.html")]
struct OrgProfilePage {
    page: Page,
    name: String,
    kind: String,
    breadcrumbs: Vec<RegionView>,
    region: RegionView,
    categories: Vec<String>,
    description: Vec<String>,
    address: Option<String>,
    phone: Option<(String, String)>,
    /// The address and its text in [`wrap_points`] pieces.
    email: Option<(String, Vec<String>)>,
    website: Option<(String, Vec<String>)>,
    orgs_href: String,
    orgs_link: String,
    /// The items it published.
    list: ContentList,
    feeds: Vec<LinkView>,
}

/// The `tel:` link of an office number as typed (`(0356) 321-123`).
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{digits}")
}

/// `GET /organisasi/{id}`: an organisation's public profile and the items
/// it published (paginated, with its feeds); a KIM's id redirects (301) to
/// its KIM page; an unknown or malformed id is 404.
pub async fn show_organisation(
    ctx: Ctx,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let id = parse_org_id(&id)?;
    let org = organisations::get(&ctx.state.db, id).await?.ok_or(AppError::NotFound)?;
    viewer.authorize(Action::ViewPublic, &Resource::Organisation(&org.org_ref()))?;
    if org.kind == OrgKind::Kim {
        let location = ctx.t.href(&kim_path(org.id));
        return Ok((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response());
    }
    let lineage = regions::lineage(&ctx.state.db, &org.region).await?;
    let Some((region_row, above)) = lineage.split_last() else {
        return Err(AppError::Internal(format!("organisation {id} has an unknown region")));
    };
    let region = RegionView::new(&ctx, region_row);
    let name = org.profile.name.clone();
    let kind = kind_label(&ctx, &org);
    let description = match org.profile.description.trim() {
        "" => ctx.t.args("org-profile-description", &[("kind", &kind), ("region", &region.name)]),
        text => text.chars().take(300).collect(),
    };
    let listing = org_listing(&ctx, id, &name, &query).await?;
    let path = org_path(id, org.kind);
    let mut page = ctx.page(name.clone()).with_description(description);
    page.alternates = feed_alternates(&ctx, &path, &name);
    let page = with_listing(page, &ctx, &listing);
    let mut tags = vec![Tag::Regions, Tag::Organisation(id)];
    tags.extend(listing.tags);
    let template = OrgProfilePage {
        page,
        list: listing.list,
        feeds: feed_links(&ctx, &path),
        breadcrumbs: above.iter().map(|r| RegionView::new(&ctx, r)).collect(),
        categories: org.profile.categories.iter().map(|c| ctx.t.get(category_key(*c))).collect(),
        description: paragraphs(&org.profile.description),
        address: org.profile.address.clone(),
        phone: org.profile.phone.as_ref().map(|p| (p.clone(), tel_href(p))),
        email: org.profile.email.as_ref().map(|e| (e.to_string(), wrap_points(e.as_str()))),
        website: org.profile.website.as_ref().map(|w| (w.clone(), wrap_points(&display_url(w)))),
        orgs_href: ctx.t.href(&region_orgs_path(&region.code)),
        orgs_link: ctx.t.arg("orgs-title", "region", &region.name),
        region,
        kind,
        name,
    };
    Ok(cacheable(render_public(template, StatusCode::OK)?, tags))
}

#[cfg(test)]
mod tests {
    use jembatan_domain::organisation::{BodyKind, OrgKind, WorkCategory};

    use super::*;
    use crate::i18n::{Catalog, Locale};

    #[test]
    fn every_kind_body_kind_and_category_has_a_label() {
        let catalog = Catalog::load().unwrap();
        let keys = OrgKind::ALL
            .iter()
            .map(|k| kind_key(*k))
            .chain(BodyKind::ALL.iter().map(|b| body_kind_key(*b)))
            .chain(WorkCategory::ALL.iter().map(|c| category_key(*c)));
        for key in keys {
            for locale in Locale::ALL {
                assert!(catalog.has(locale, key), "{key} missing in {}", locale.code());
            }
        }
    }

    #[test]
    fn kind_filters_refuse_kims_and_unknown_kinds() {
        assert_eq!(parse_kind_filter(None, "kind").unwrap(), None);
        assert_eq!(parse_kind_filter(Some("agency"), "kind").unwrap(), Some(OrgKind::Agency));
        assert!(parse_kind_filter(Some("kim"), "kind").is_err());
        assert!(parse_kind_filter(Some("dinas"), "kind").is_err());
        assert_eq!(tel_href("(0356) 321-123"), "tel:0356321123");
    }
}
