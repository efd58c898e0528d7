//! Public KIM pages: the KIMs of the province (`/kim`) and of any region
//! (`/wilayah/{code}/kim`), paginated and filtered by status, and each
//! KIM's public profile (`/kim/{id}`).
//!
//! Nothing here depends on who is looking: the pages are shareable and
//! cacheable. A member's phone number appears only when the store returns
//! it, which it does only with the member's recorded consent.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::contact::PhoneNumber;
use jembatan_domain::organisation::{KimPosition, KimStatus, SkValidity};
use jembatan_domain::{OrgId, RegionCode, RegionLevel};
use jembatan_store::kims::{self, KimFilter, KimListItem, KimProfile};
use jembatan_store::regions::{self, RegionRow};
use serde::Deserialize;

use crate::auth::Viewer;
use crate::cache::{Tag, cacheable};
use crate::error::AppError;
use crate::html::common::render_public;
use crate::html::content::{ContentList, LinkView, ListQuery, feed_alternates, feed_links, org_listing};
use crate::html::regions::{RegionView, parse_code, region_path};
use crate::i18n::Locale;
use crate::layout::{Ctx, Page};

/// KIMs per page of a list.
pub const PAGE_SIZE: i64 = 30;

/// The highest page number accepted; anything above is a malformed request.
const MAX_PAGE: i64 = 100_000;

/// The site path of a KIM's public profile.
pub fn kim_path(id: OrgId) -> String {
    format!("/kim/{id}")
}

/// The site path of the KIM list of a region.
pub fn region_kims_path(code: &str) -> String {
    format!("/wilayah/{code}/kim")
}

/// The catalog key naming a status, e.g. "Aktif".
pub fn status_key(status: KimStatus) -> &'static str {
    match status {
        KimStatus::Dibentuk => "kim-status-dibentuk",
        KimStatus::Terdaftar => "kim-status-terdaftar",
        KimStatus::Aktif => "kim-status-aktif",
        KimStatus::Vakum => "kim-status-vakum",
    }
}

/// The badge classes of a status.
fn status_class(status: KimStatus) -> &'static str {
    match status {
        KimStatus::Aktif | KimStatus::Terdaftar => "badge ok",
        KimStatus::Dibentuk => "badge",
        KimStatus::Vakum => "badge warn",
    }
}

/// The catalog key naming where an SK stands, e.g. "SK berlaku".
pub fn sk_key(validity: SkValidity) -> &'static str {
    match validity {
        SkValidity::Missing => "kim-sk-missing",
        SkValidity::Valid => "kim-sk-valid",
        SkValidity::ExpiringSoon => "kim-sk-expiring_soon",
        SkValidity::Expired => "kim-sk-expired",
    }
}

/// The badge classes of an SK's validity. A missing SK is no alarm: a
/// KIM just formed has none yet (registered ones must hold one).
fn sk_class(validity: SkValidity) -> &'static str {
    match validity {
        SkValidity::Valid => "badge ok",
        SkValidity::ExpiringSoon => "badge warn",
        SkValidity::Expired => "badge bad",
        SkValidity::Missing => "badge",
    }
}

/// The catalog key naming an officer's position, e.g. "Ketua".
pub fn position_key(position: KimPosition) -> &'static str {
    match position {
        KimPosition::Ketua => "kim-position-ketua",
        KimPosition::Sekretaris => "kim-position-sekretaris",
        KimPosition::Bendahara => "kim-position-bendahara",
        KimPosition::Seksi => "kim-position-seksi",
        KimPosition::Anggota => "kim-position-anggota",
    }
}

/// Today in the deployment's time zone: SK validity turns at local midnight.
pub fn today(ctx: &Ctx) -> NaiveDate {
    chrono::Utc::now().with_timezone(&ctx.state.config.timezone).date_naive()
}

/// A date for people, e.g. `31-12-2026`.
pub fn human_date(date: NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

/// An organisation id from a URL; a malformed one names nothing, so 404.
pub fn parse_org_id(raw: &str) -> Result<OrgId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// A status filter from a query; empty means all, unknown is 400.
pub fn parse_status_filter(raw: Option<&str>) -> Result<Option<KimStatus>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => KimStatus::parse(raw)
            .map(Some)
            .ok_or_else(|| AppError::BadRequest { code: "invalid_choice", field: Some("status".into()) }),
    }
}

/// A page number from `?halaman=`; absent or empty is the first page,
/// anything but a whole number from 1 is 400.
pub fn parse_page_number(raw: Option<&str>) -> Result<i64, AppError> {
    let invalid = || AppError::BadRequest { code: "invalid_page", field: Some("halaman".into()) };
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(1),
        Some(raw) => match raw.parse::<i64>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
            _ => Err(invalid()),
        },
    }
}

/// A label with its classes (`badge`, and `ok`, `warn` or `bad` for a colour).
pub struct Badge {
    pub label: String,
    pub class: &'static str,
}

/// A KIM as a list shows it.
pub struct KimItemView {
    pub name: String,
    pub href: String,
    pub village_name: String,
    pub village_href: String,
    pub status: Badge,
    pub verified: Option<String>,
    pub sk: Badge,
    pub members: String,
}

impl KimItemView {
    pub fn new(ctx: &Ctx, item: &KimListItem) -> KimItemView {
        KimItemView {
            name: item.name.clone(),
            href: ctx.t.href(&kim_path(item.id)),
            village_name: item.village_name.clone(),
            village_href: ctx.t.href(&region_path(item.village.as_str())),
            status: Badge { label: ctx.t.get(status_key(item.status)), class: status_class(item.status) },
            verified: item.verified.then(|| ctx.t.get("kim-verified")),
            sk: Badge { label: ctx.t.get(sk_key(item.sk_validity)), class: sk_class(item.sk_validity) },
            members: ctx.t.num("kim-member-count", "count", item.member_count),
        }
    }
}

/// Previous and next links of a paginated list.
pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
    /// "Halaman 2 dari 5".
    pub position: String,
}

impl Pager {
    /// Links for page `page` of `pages`, each built by `href(page)`.
    pub fn new(ctx: &Ctx, page: i64, pages: i64, href: impl Fn(i64) -> String) -> Pager {
        let position = ctx.t.args("kims-pager-position", &[("page", &page.to_string()), ("pages", &pages.to_string())]);
        Pager { prev: (page > 1).then(|| href(page - 1)), next: (page < pages).then(|| href(page + 1)), position }
    }

    pub fn is_needed(&self) -> bool {
        self.prev.is_some() || self.next.is_some()
    }
}

/// The query string of a list page: its page number (omitted for the
/// first) and filters (omitted when empty), each `(name, value)`.
pub fn list_query(page: i64, filters: &[(&str, &str)]) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    if page > 1 {
        pairs.append_pair("halaman", &page.to_string());
    }
    for (name, value) in filters.iter().filter(|(_, v)| !v.is_empty()) {
        pairs.append_pair(name, value);
    }
    pairs.finish()
}

/// `path` with `query` appended (nothing for an empty query).
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") }
}

/// Points the page's canonical and language links at this request's
/// meaningful query (a page number, a filter), so page 2 in English
/// switches to page 2 in Indonesian.
pub fn link_query(mut page: Page, ctx: &Ctx, query: &str) -> Page {
    if query.is_empty() {
        return page;
    }
    let path = with_query(&ctx.path, query);
    let config = &ctx.state.config;
    page.switch_href = ctx.t.locale.other().href(&path);
    page.canonical = config.absolute(&ctx.t.href(&path));
    page.alternate_id = config.absolute(&Locale::Id.href(&path));
    page.alternate_en = config.absolute(&Locale::English.href(&path));
    page
}

/// How many pages `total` items fill (at least one, for the empty list).
pub fn page_count(total: i64, per_page: i64) -> i64 {
    ((total + per_page - 1) / per_page).max(1)
}

/// One choice of a filter's `<select>`.
pub struct FilterOption {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

/// Query of the KIM lists.
#[derive(Debug, Default, Deserialize)]
pub struct KimListQuery {
    pub halaman: Option<String>,
    pub status: Option<String>,
}

#[derive(Template)]
#[template(path = "kims/list.html")]
struct KimListPage {
    page: Page,
    breadcrumbs: Vec<RegionView>,
    intro: String,
    count: String,
    action: String,
    statuses: Vec<FilterOption>,
    kims: Vec<KimItemView>,
    pager: Pager,
}

/// `GET /kim`: the KIMs of the deployment's province.
pub async fn list_kims(ctx: Ctx, viewer: Viewer, Query(query): Query<KimListQuery>) -> Result<Response, AppError> {
    let code = ctx.state.config.default_province.clone();
    render_kim_list(ctx, viewer, code, query).await
}

/// `GET /wilayah/{code}/kim`: the KIMs of a region and every region below it.
pub async fn list_region_kims(
    ctx: Ctx,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(query): Query<KimListQuery>,
) -> Result<Response, AppError> {
    let code = parse_code(&code)?;
    render_kim_list(ctx, viewer, code, query).await
}

async fn render_kim_list(
    ctx: Ctx,
    viewer: Viewer,
    code: RegionCode,
    query: KimListQuery,
) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Region(&code))?;
    let page_number = parse_page_number(query.halaman.as_deref())?;
    let status = parse_status_filter(query.status.as_deref())?;
    let db = &ctx.state.db;
    let lineage = regions::lineage(db, &code).await?;
    let Some(region) = lineage.last().filter(|r| r.code == code.as_str()) else {
        return Err(AppError::NotFound);
    };
    let filter = KimFilter { within: code.clone(), status };
    let total = kims::count(db, &filter).await?;
    let pages = page_count(total, PAGE_SIZE);
    if page_number > pages {
        return Err(AppError::NotFound);
    }
    let items = kims::list(db, &filter, today(&ctx), PAGE_SIZE, (page_number - 1) * PAGE_SIZE).await?;
    let status_value = status.map(KimStatus::as_str).unwrap_or_default();
    let base = ctx.path.clone();
    let pager = Pager::new(&ctx, page_number, pages, |n| {
        ctx.t.href(&with_query(&base, &list_query(n, &[("status", status_value)])))
    });
    let title = ctx.t.arg("kims-title", "region", &region.name);
    let page = ctx.page(title).with_description(ctx.t.arg("kims-description", "region", &region.name));
    let page = link_query(page, &ctx, &list_query(page_number, &[("status", status_value)]));
    let statuses = KimStatus::ALL
        .iter()
        .map(|s| FilterOption { value: s.as_str(), label: ctx.t.get(status_key(*s)), selected: Some(*s) == status })
        .collect();
    let count = match status {
        Some(s) => {
            ctx.t.args("kims-count-status", &[("count", &total.to_string()), ("status", &ctx.t.get(status_key(s)))])
        }
        None => ctx.t.num("kims-count", "count", total),
    };
    let template = KimListPage {
        breadcrumbs: lineage.iter().map(|r| RegionView::new(&ctx, r)).collect(),
        intro: ctx.t.arg("kims-intro", "region", &region.name),
        count,
        action: ctx.t.href(&base),
        statuses,
        kims: items.iter().map(|k| KimItemView::new(&ctx, k)).collect(),
        pager,
        page,
    };
    Ok(cacheable(render_public(template, StatusCode::OK)?, vec![Tag::Regions, Tag::OrganisationsIn(code)]))
}

/// An officer on the public profile.
pub struct OfficerView {
    pub name: String,
    /// The phone as written for people, and its `tel:` link; only with consent.
    pub phone: Option<(String, String)>,
}

/// The holders of one position.
pub struct PositionGroup {
    pub label: String,
    pub people: Vec<OfficerView>,
}

/// A link to a contact channel.
pub struct ChannelView {
    pub label: String,
    pub href: String,
    /// The link's text in [`wrap_points`] pieces.
    pub text: Vec<String>,
}

/// The SK as the profile shows it.
pub struct SkView {
    /// In [`wrap_points`] pieces.
    pub number: Vec<String>,
    pub issuer: String,
    pub date: String,
    pub expires: Option<String>,
}

/// A phone number the way Indonesians write it: `0812-3456-7890`.
pub fn national_phone(phone: &PhoneNumber) -> String {
    let digits = phone.as_str().trim_start_matches("+62");
    let national = format!("0{digits}");
    let (a, rest) = national.split_at(4.min(national.len()));
    let (b, c) = rest.split_at(4.min(rest.len()));
    [a, b, c].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join("-")
}

/// The `https://wa.me/62...` link that opens a chat with `phone`.
pub fn whatsapp_url(phone: &PhoneNumber) -> String {
    format!("https://wa.me/{}", phone.as_str().trim_start_matches('+'))
}

/// Splits text typed with blank lines into paragraphs.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
}

#[derive(Template)]
#[template(path = "kims/profile.html")]
struct KimProfilePage {
    page: Page,
    name: String,
    breadcrumbs: Vec<RegionView>,
    village: RegionView,
    status: Badge,
    verified: Option<String>,
    sk_badge: Badge,
    description: Vec<String>,
    address: Option<String>,
    /// The address and its text in [`wrap_points`] pieces.
    email: Option<(String, Vec<String>)>,
    channels: Vec<ChannelView>,
    sk: Option<SkView>,
    officers: Vec<PositionGroup>,
    members: String,
    kims_href: String,
    kims_link: String,
    /// The items the KIM published.
    list: ContentList,
    feeds: Vec<LinkView>,
}

/// `GET /kim/{id}`: a KIM's public profile and the items it published
/// (paginated, with its feeds). An unknown or malformed id is 404.
pub async fn show_kim(
    ctx: Ctx,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let id = parse_org_id(&id)?;
    let profile = kims::profile(&ctx.state.db, id).await?.ok_or(AppError::NotFound)?;
    viewer.authorize(Action::ViewPublic, &Resource::Organisation(&profile.kim.org.org_ref()))?;
    let lineage = regions::lineage(&ctx.state.db, profile.kim.village()).await?;
    let name = profile.kim.org.profile.name.clone();
    let listing = org_listing(&ctx, id, &name, &query).await?;
    let path = kim_path(id);
    let mut template = profile_page(&ctx, profile, &lineage, listing.list);
    template.page.alternates = feed_alternates(&ctx, &path, &name);
    template.page = link_query(template.page, &ctx, &listing.query);
    template.feeds = feed_links(&ctx, &path);
    let mut tags = vec![Tag::Regions, Tag::Organisation(id)];
    tags.extend(listing.tags);
    Ok(cacheable(render_public(template, StatusCode::OK)?, tags))
}

fn profile_page(ctx: &Ctx, profile: KimProfile, lineage: &[RegionRow], list: ContentList) -> KimProfilePage {
    let t = &ctx.t;
    let KimProfile { kim, village_name, officers, member_count } = profile;
    let village_href = t.href(&region_path(kim.village().as_str()));
    let regency_name = lineage.iter().find(|r| r.level() == RegionLevel::Regency).map(|r| r.name.as_str());
    let verified = kim.is_verified().then(|| match regency_name {
        Some(regency) => {
            t.args("kim-verified-by", &[("office", &ctx.state.config.offices.regency_office), ("regency", regency)])
        }
        None => t.get("kim-verified"),
    });
    let validity = kim.sk_validity(today(ctx));
    let mut channels = Vec::new();
    if let Some(site) = &kim.kim_id_url {
        channels.push(ChannelView {
            label: t.get("kim-site"),
            href: site.clone(),
            text: wrap_points(&display_url(site)),
        });
    }
    if let Some(phone) = &kim.channels.whatsapp {
        channels.push(ChannelView {
            label: t.get("kim-channel-whatsapp"),
            href: whatsapp_url(phone),
            text: vec![national_phone(phone)],
        });
    }
    for (key, link) in [
        ("kim-channel-instagram", &kim.channels.instagram),
        ("kim-channel-facebook", &kim.channels.facebook),
        ("kim-channel-youtube", &kim.channels.youtube),
    ] {
        if let Some(link) = link {
            channels.push(ChannelView { label: t.get(key), href: link.clone(), text: wrap_points(&display_url(link)) });
        }
    }
    let mut groups: Vec<(KimPosition, PositionGroup)> = Vec::new();
    for officer in officers {
        let view = OfficerView {
            name: officer.name,
            phone: officer.phone.as_ref().map(|p| (national_phone(p), format!("tel:{}", p.as_str()))),
        };
        match groups.last_mut() {
            Some((position, group)) if *position == officer.position => group.people.push(view),
            _ => groups.push((
                officer.position,
                PositionGroup { label: t.get(position_key(officer.position)), people: vec![view] },
            )),
        }
    }
    let description_text = match kim.org.profile.description.trim() {
        "" => t.arg("kim-profile-description", "village", &village_name),
        text => text.chars().take(300).collect(),
    };
    // Other KIMs nearby: those of the district, or the village's when the district is unknown.
    let (nearby_code, kims_link) = match lineage.iter().find(|r| r.level() == RegionLevel::District) {
        Some(district) => (district.code.clone(), t.arg("kims-of-district", "district", &district.name)),
        None => (kim.village().to_string(), t.arg("kims-of-region", "region", &village_name)),
    };
    let name = kim.org.profile.name.clone();
    let village_code = kim.village().as_str().to_owned();
    let page = ctx.page(name.clone()).with_description(description_text);
    KimProfilePage {
        page,
        breadcrumbs: lineage.iter().map(|r| RegionView::new(ctx, r)).collect(),
        village: RegionView { code: village_code.clone(), name: village_name.clone(), href: village_href },
        status: Badge { label: t.get(status_key(kim.status)), class: status_class(kim.status) },
        verified,
        sk_badge: Badge { label: t.get(sk_key(validity)), class: sk_class(validity) },
        description: paragraphs(&kim.org.profile.description),
        address: kim.org.profile.address.clone(),
        email: kim.org.profile.email.as_ref().map(|e| (e.to_string(), wrap_points(e.as_str()))),
        channels,
        sk: kim.sk.as_ref().map(|sk| SkView {
            number: wrap_points(&sk.number),
            issuer: sk.issuer.clone(),
            date: human_date(sk.date),
            expires: sk.expires.map(human_date),
        }),
        officers: groups.into_iter().map(|(_, g)| g).collect(),
        members: t.num("kim-member-count", "count", member_count),
        kims_href: t.href(&region_kims_path(&nearby_code)),
        kims_link,
        name,
        list,
        feeds: Vec::new(),
    }
}

/// `text` cut after each `/`, `.`, `@`, `-` and `_`, for a template to join
/// with `<wbr>`: a long web address or SK number then wraps on a 320 px
/// screen instead of widening the page.
pub fn wrap_points(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for c in text.chars() {
        piece.push(c);
        if matches!(c, '/' | '.' | '@' | '-' | '_') {
            pieces.push(std::mem::take(&mut piece));
        }
    }
    if !piece.is_empty() {
        pieces.push(piece);
    }
    pieces
}

/// An address as shown in a link's text: without the scheme and the trailing slash.
pub fn display_url(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    rest.trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use jembatan_domain::contact::PhoneNumber;
    use jembatan_domain::organisation::{KimPosition, KimStatus, SkValidity};

    use super::*;
    use crate::i18n::{Catalog, Locale};

    #[test]
    fn every_status_validity_and_position_has_a_label() {
        let catalog = Catalog::load().unwrap();
        let keys = KimStatus::ALL
            .iter()
            .map(|s| status_key(*s))
            .chain([SkValidity::Missing, SkValidity::Valid, SkValidity::ExpiringSoon, SkValidity::Expired].map(sk_key))
            .chain(KimPosition::ALL.iter().map(|p| position_key(*p)));
        for key in keys {
            for locale in Locale::ALL {
                assert!(catalog.has(locale, key), "{key} missing in {}", locale.code());
            }
        }
    }

    #[test]
    fn phones_are_written_nationally_and_open_whatsapp() {
        let phone = PhoneNumber::parse("p", "0812 3456 7890").unwrap();
        assert_eq!(national_phone(&phone), "0812-3456-7890");
        assert_eq!(whatsapp_url(&phone), "https://wa.me/6281234567890");
        assert_eq!(wrap_points("kim.id/a-b"), ["kim.", "id/", "a-", "b"]);
        assert_eq!(display_url("https://jlodro.kim.id/"), "jlodro.kim.id");
    }

    #[test]
    fn page_numbers_and_filters_are_checked() {
        assert_eq!(parse_page_number(None).unwrap(), 1);
        assert_eq!(parse_page_number(Some("")).unwrap(), 1);
        assert_eq!(parse_page_number(Some("3")).unwrap(), 3);
        for bad in ["0", "-1", "x", "1.5", "999999999999"] {
            assert!(parse_page_number(Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(parse_status_filter(Some("aktif")).unwrap(), Some(KimStatus::Aktif));
        assert_eq!(parse_status_filter(Some("")).unwrap(), None);
        assert!(parse_status_filter(Some("hidup")).is_err());
        assert_eq!(list_query(1, &[("status", "")]), "");
        assert_eq!(list_query(2, &[("status", "aktif")]), "halaman=2&status=aktif");
        assert_eq!(page_count(0, 30), 1);
        assert_eq!(page_count(31, 30), 2);
    }
}
