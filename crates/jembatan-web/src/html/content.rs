//! Public content: the lists of published items that region, topic, type,
//! organisation and archive pages share (newest first, keyset pagination
//! with `?sebelum=<cursor>`), the type pages (`/jenis/{type}`), and the
//! item page (`/konten/{id}/{slug}`) with its breadcrumbs, provenance,
//! images, corrections, related items, WhatsApp share link, schema.org
//! JSON-LD and Open Graph tags.
//!
//! Only published items are public: anything else is 404 here, whoever
//! asks, so the bytes of every page can be cached and shared. Each page is
//! tagged with every item it shows ([`Tag::Content`]) and with the list it
//! is ([`Tag::ContentAt`], [`Tag::ContentTopic`], ...), so publishing,
//! editing or unpublishing an item drops exactly the pages concerned.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike};
use chrono_tz::Tz;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::content::{ContentId, ContentType, MediaId, ProductContact, Provenance};
use jembatan_domain::{RegionCode, Timestamp};
use jembatan_store::content::{self, Content, ContentCursor, ContentFilter, ContentSummary};
use jembatan_store::media::{self, Media};
use jembatan_store::{regions, topics};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Viewer;
use crate::cache::{Tag, cacheable};
use crate::error::AppError;
use crate::feeds::FeedFormat;
use crate::html::common::render_public;
use crate::html::kims::{link_query, national_phone, whatsapp_url, with_query};
use crate::html::organisations::org_path;
use crate::html::regions::{RegionView, level_key};
use crate::i18n::Tr;
use crate::layout::{Alternate, Ctx, Page};

/// Items per page of a list (and per feed).
pub const PAGE_SIZE: i64 = 20;
/// Related items under an item.
const RELATED: i64 = 5;
/// The `sizes` of a full-width image in the page's column (60rem less padding).
const SIZES: &str = "(min-width: 60rem) 58rem, 100vw";

/// The site path of an item's page.
pub fn content_path(id: ContentId, slug: &str) -> String {
    format!("/konten/{id}/{slug}")
}

/// The site path of a topic's page.
pub fn topic_path(slug: &str) -> String {
    format!("/topik/{slug}")
}

/// The site path of a type's page.
pub fn kind_path(kind: ContentType) -> String {
    format!("/jenis/{}", kind.as_str())
}

/// The site path of an uploaded image as stored.
pub fn media_path(id: MediaId) -> String {
    format!("/media/{id}")
}

/// The site path of an image's resized copy of `width` pixels.
pub fn media_width_path(id: MediaId, width: i64) -> String {
    format!("/media/{id}/w{width}")
}

/// The catalog key naming a type, e.g. "Berita".
pub fn kind_key(kind: ContentType) -> &'static str {
    match kind {
        ContentType::Berita => "content-kind-berita",
        ContentType::Pengumuman => "content-kind-pengumuman",
        ContentType::Kebijakan => "content-kind-kebijakan",
        ContentType::Agenda => "content-kind-agenda",
        ContentType::Produk => "content-kind-produk",
    }
}

/// The catalog key of the provenance label readers see, e.g. "Resmi pemerintah".
pub fn provenance_key(provenance: Provenance) -> &'static str {
    match provenance {
        Provenance::Resmi => "content-provenance-resmi",
        Provenance::Kim => "content-provenance-kim",
        Provenance::Warga => "content-provenance-warga",
    }
}

/// The label's classes: each provenance has its own colour.
fn provenance_class(provenance: Provenance) -> &'static str {
    match provenance {
        Provenance::Resmi => "pv resmi",
        Provenance::Kim => "pv kim",
        Provenance::Warga => "pv warga",
    }
}

/// The catalog keys of the months, January first.
pub const MONTH_KEYS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8", "month-9", "month-10",
    "month-11", "month-12",
];

/// The name of month `month` (1 to 12).
pub fn month_name(t: &Tr, month: u32) -> String {
    MONTH_KEYS.get(month.wrapping_sub(1) as usize).map(|k| t.get(k)).unwrap_or_default()
}

/// An instant in the deployment's time zone.
pub fn local(ctx: &Ctx, at: Timestamp) -> DateTime<Tz> {
    at.to_utc().with_timezone(&ctx.state.config.timezone)
}

/// A date for people, e.g. "2 November 2026".
pub fn human_date(ctx: &Ctx, at: Timestamp) -> String {
    let d = local(ctx, at);
    ctx.t.args(
        "content-date",
        &[("day", &d.day().to_string()), ("month", &month_name(&ctx.t, d.month())), ("year", &d.year().to_string())],
    )
}

/// A date and time for people, e.g. "2 November 2026, pukul 08.00 WIB".
pub fn human_datetime(ctx: &Ctx, at: Timestamp) -> String {
    let d = local(ctx, at);
    let time = d.format("%H.%M %Z").to_string();
    ctx.t.args("content-datetime", &[("date", &human_date(ctx, at)), ("time", &time)])
}

/// A machine-readable local time, for `<time datetime>` and JSON-LD.
pub fn iso_local(ctx: &Ctx, at: Timestamp) -> String {
    local(ctx, at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Whole rupiah with the locale's thousands separator: `15.000` or `15,000`.
pub fn group_thousands(t: &Tr, amount: i64) -> String {
    let separator = if t.lang() == "en" { ',' } else { '.' };
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    if amount < 0 { format!("-{out}") } else { out }
}

/// Percent-encodes text for a URL's query (RFC 3986 unreserved characters kept).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The WhatsApp link that shares `title` and the absolute `url` of an item.
pub fn whatsapp_share(title: &str, url: &str) -> String {
    format!("https://wa.me/?text={}", percent_encode(&format!("{title} {url}")))
}

/// Query of a list page: `?sebelum=<cursor>` for older items.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub sebelum: Option<String>,
}

/// A cursor from `?sebelum=`; absent or empty is the first page, anything
/// else that is not a cursor is 400 `invalid_cursor`.
pub fn parse_cursor(raw: Option<&str>) -> Result<Option<ContentCursor>, AppError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(raw) => raw
            .parse::<ContentCursor>()
            .map(Some)
            .map_err(|_| AppError::BadRequest { code: "invalid_cursor", field: Some("sebelum".into()) }),
    }
}

/// An item as a list shows it.
pub struct ContentItemView {
    pub title: String,
    pub href: String,
    pub kind: String,
    pub provenance: String,
    pub provenance_class: &'static str,
    /// On a region page: the level the item was targeted at ("Kecamatan").
    pub level: Option<String>,
    pub summary: Option<String>,
    /// Agenda items: when and where.
    pub agenda: Option<String>,
    pub org_name: String,
    pub date: String,
    pub datetime: String,
}

impl ContentItemView {
    pub fn new(ctx: &Ctx, item: &ContentSummary) -> ContentItemView {
        let published = item.published_at.unwrap_or(item.updated_at);
        let agenda = item.starts_at.map(|starts| {
            ctx.t.args(
                "content-agenda-when",
                &[("when", &human_datetime(ctx, starts)), ("place", item.place.as_deref().unwrap_or_default())],
            )
        });
        ContentItemView {
            title: item.title.clone(),
            href: ctx.t.href(&content_path(item.id, &item.slug)),
            kind: ctx.t.get(kind_key(item.kind)),
            provenance: ctx.t.get(provenance_key(item.provenance)),
            provenance_class: provenance_class(item.provenance),
            level: item.matched_region.as_ref().map(|r| ctx.t.get(level_key(r.level()))),
            summary: item.summary.clone(),
            agenda,
            org_name: item.org_name.clone(),
            date: human_date(ctx, published),
            datetime: iso_local(ctx, published),
        }
    }
}

/// A list of items as a page shows it, with its pagination links.
pub struct ContentList {
    pub heading: String,
    pub items: Vec<ContentItemView>,
    /// Back to the first page (on later pages).
    pub newest: Option<String>,
    /// The next, older page.
    pub older: Option<String>,
    /// What an empty list says.
    pub empty: String,
}

impl ContentList {
    pub fn is_paged(&self) -> bool {
        self.newest.is_some() || self.older.is_some()
    }
}

/// One page of a list: what to show, what it shows (for the cache), and
/// the meaningful query of the page (for canonical and language links).
pub struct Listing {
    pub list: ContentList,
    pub tags: Vec<Tag>,
    pub query: String,
}

/// Reads one page of `filter` after the `?sebelum=` cursor of `query`.
/// The tags name every item shown and every publisher named; the caller
/// adds the list's own tags.
pub async fn listing(
    ctx: &Ctx,
    heading: String,
    filter: &ContentFilter,
    query: &ListQuery,
) -> Result<Listing, AppError> {
    let after = parse_cursor(query.sebelum.as_deref())?;
    let page = content::list(&ctx.state.db, filter, after, PAGE_SIZE).await?;
    let mut tags: Vec<Tag> = page.items.iter().map(|i| Tag::Content(i.id)).collect();
    let orgs: BTreeSet<_> = page.items.iter().map(|i| i.org.id).collect();
    tags.extend(orgs.into_iter().map(Tag::Organisation));
    let base = ctx.path.clone();
    let list = ContentList {
        items: page.items.iter().map(|i| ContentItemView::new(ctx, i)).collect(),
        newest: after.map(|_| ctx.t.href(&base)),
        older: page.next.map(|c| ctx.t.href(&with_query(&base, &format!("sebelum={c}")))),
        empty: ctx.t.get(if after.is_some() { "content-empty-older" } else { "content-empty" }),
        heading,
    };
    let query = after.map(|c| format!("sebelum={c}")).unwrap_or_default();
    Ok(Listing { list, tags, query })
}

/// The feeds of a page whose path is `base` ("" for the province's home),
/// for `<link rel="alternate">` in its head.
pub fn feed_alternates(ctx: &Ctx, base: &str, name: &str) -> Vec<Alternate> {
    FeedFormat::ALL
        .iter()
        .map(|format| Alternate {
            media_type: format.link_type(),
            title: ctx.t.arg(format.title_key(), "name", name),
            href: ctx.state.config.absolute(&ctx.t.href(&format!("{base}/{}", format.file_name()))),
        })
        .collect()
}

/// Visible links to the same feeds, for people who follow with a reader.
pub fn feed_links(ctx: &Ctx, base: &str) -> Vec<LinkView> {
    FeedFormat::ALL
        .iter()
        .map(|format| LinkView {
            text: ctx.t.get(format.label_key()),
            href: ctx.t.href(&format!("{base}/{}", format.file_name())),
        })
        .collect()
}

/// Applies a listing's query to the page's canonical and language links.
pub fn with_listing(page: Page, ctx: &Ctx, listing: &Listing) -> Page {
    link_query(page, ctx, &listing.query)
}

/// An image as a page shows it: `srcset` of the stored copies narrower
/// than the original, and the original's size for `width`/`height` (the
/// browser reserves the space, so nothing jumps while it loads).
pub struct ImageView {
    pub src: String,
    pub srcset: String,
    pub sizes: &'static str,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub caption: Option<String>,
}

/// The widths offered in `srcset`: each stored copy narrower than the original.
pub fn srcset_widths(media: &Media) -> Vec<i64> {
    let mut widths: Vec<i64> = media
        .variants
        .iter()
        .map(|v| v.width)
        .filter(|w| crate::media::VARIANT_WIDTHS.contains(&(*w as u32)) && *w < media.width)
        .collect();
    widths.sort_unstable();
    widths.dedup();
    widths
}

impl ImageView {
    pub fn new(media: &Media, caption: Option<String>, alt: &str) -> ImageView {
        let widths = srcset_widths(media);
        let mut srcset: Vec<String> =
            widths.iter().map(|w| format!("{} {w}w", media_width_path(media.id, *w))).collect();
        srcset.push(format!("{} {}w", media_path(media.id), media.width));
        // What a browser without srcset loads: a phone-sized copy when there is one.
        let src = match widths.iter().rev().find(|w| **w <= 640) {
            Some(w) => media_width_path(media.id, *w),
            None => media_path(media.id),
        };
        ImageView {
            src,
            srcset: srcset.join(", "),
            sizes: SIZES,
            width: media.width,
            height: media.height,
            alt: caption.clone().unwrap_or_else(|| alt.to_owned()),
            caption,
        }
    }
}

/// The largest copy to show elsewhere (Open Graph, JSON-LD, feeds): the
/// 1024 px copy when stored, else the original.
pub fn share_image_path(media: &Media) -> String {
    match srcset_widths(media).into_iter().rev().find(|w| *w <= 1024) {
        Some(w) => media_width_path(media.id, w),
        None => media_path(media.id),
    }
}

/// A link with its text.
pub struct LinkView {
    pub text: String,
    pub href: String,
}

/// A correction with its date.
pub struct CorrectionView {
    pub heading: String,
    pub datetime: String,
    pub body: String,
}

/// When and where an agenda item happens.
pub struct AgendaView {
    pub starts: String,
    pub starts_iso: String,
    pub ends: Option<String>,
    pub place: String,
}

/// A product's price and contact.
pub struct ProductView {
    pub price: String,
    /// The contact's text and link.
    pub contact: (String, String),
    /// A WhatsApp chat with the seller, for a phone number.
    pub chat: Option<String>,
}

/// The Open Graph tags of an item.
pub struct OpenGraph {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub image: Option<String>,
    pub site_name: String,
    pub locale: &'static str,
}

#[derive(Template)]
#[template(path = "content/show.html")]
struct ItemPage {
    page: Page,
    breadcrumbs: Vec<RegionView>,
    title: String,
    summary: Option<String>,
    kind: LinkView,
    provenance: String,
    provenance_class: &'static str,
    org: LinkView,
    date: String,
    datetime: String,
    corrections: Vec<CorrectionView>,
    cover: Option<ImageView>,
    agenda: Option<AgendaView>,
    product: Option<ProductView>,
    body_html: String,
    gallery: Vec<ImageView>,
    source: Option<(String, Option<String>)>,
    topics: Vec<LinkView>,
    regions: Vec<LinkView>,
    share_href: String,
    related: Vec<ContentItemView>,
    og: OpenGraph,
    json_ld: String,
}

/// An item id from a URL; a malformed one names nothing, so 404.
pub fn parse_content_id(raw: &str) -> Result<ContentId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// A published item, or 404: drafts, submitted, scheduled and archived
/// items do not exist for the public pages, whoever asks.
pub async fn load_published(ctx: &Ctx, viewer: &Viewer, raw_id: &str) -> Result<Content, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let id = parse_content_id(raw_id)?;
    let item = content::get(&ctx.state.db, id).await?.ok_or(AppError::NotFound)?;
    if item.status != jembatan_domain::content::ContentStatus::Published {
        return Err(AppError::NotFound);
    }
    viewer.authorize(Action::ViewPublic, &Resource::Content(&item.content_ref()))?;
    Ok(item)
}

fn moved_permanently(location: String) -> Response {
    (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response()
}

/// `GET /konten/{id}`: redirects (301) to the item's canonical URL.
pub async fn redirect_item(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Response, AppError> {
    let item = load_published(&ctx, &viewer, &id).await?;
    Ok(moved_permanently(ctx.t.href(&content_path(item.id, &item.slug))))
}

/// `GET /konten/{id}/{slug}`: the item page; another slug redirects (301)
/// to the canonical URL.
pub async fn show_item(
    ctx: Ctx,
    viewer: Viewer,
    Path((id, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let item = load_published(&ctx, &viewer, &id).await?;
    if slug != item.slug {
        return Ok(moved_permanently(ctx.t.href(&content_path(item.id, &item.slug))));
    }
    let db = &ctx.state.db;
    let lineage = match item.regions.first() {
        Some(first) => regions::lineage(db, first).await?,
        None => Vec::new(),
    };
    let related = content::related(db, &item, RELATED).await?;
    let cover_media = match &item.cover {
        Some(cover) => media::get(db, cover.media).await?,
        None => None,
    };
    let mut gallery = Vec::new();
    for image in &item.gallery {
        if let Some(m) = media::get(db, image.media).await? {
            gallery.push(ImageView::new(&m, image.caption.clone(), &item.title));
        }
    }
    let all_topics = topics::list(db).await?;
    let topic_names: HashMap<&str, &str> = all_topics.iter().map(|t| (t.slug.as_str(), t.name(ctx.t.lang()))).collect();
    let names = jembatan_store::regions::names(&ctx.state.db, &item.regions.iter().collect::<Vec<_>>()).await?;

    let config = &ctx.state.config;
    let url = config.absolute(&ctx.t.href(&content_path(item.id, &item.slug)));
    let org_href = ctx.t.href(&org_path(item.org.id, item.org.kind));
    let kind_label = ctx.t.get(kind_key(item.kind));
    let description = item
        .summary
        .clone()
        .unwrap_or_else(|| ctx.t.args("content-item-description", &[("kind", &kind_label), ("org", &item.org_name)]));
    let share_image = cover_media.as_ref().map(|m| config.absolute(&share_image_path(m)));
    let published = item.published_at.unwrap_or(item.updated_at);
    let json_ld = json_ld(&ctx, &item, &url, &config.absolute(&org_href), &description, share_image.as_deref());
    let og = OpenGraph {
        kind: if item.kind == ContentType::Produk { "product" } else { "article" },
        title: item.title.clone(),
        description: description.clone(),
        url: url.clone(),
        image: share_image,
        site_name: ctx.t.get("site-name"),
        locale: if ctx.t.lang() == "en" { "en_US" } else { "id_ID" },
    };
    let agenda = item.agenda.as_ref().map(|a| AgendaView {
        starts: human_datetime(&ctx, a.starts_at),
        starts_iso: iso_local(&ctx, a.starts_at),
        ends: a.ends_at.map(|e| human_datetime(&ctx, e)),
        place: a.place.clone(),
    });
    let product = item.product.as_ref().map(|p| {
        let price = match p.price_max.filter(|max| *max != p.price_min) {
            Some(max) => ctx.t.args(
                "content-price-range",
                &[("min", &group_thousands(&ctx.t, p.price_min)), ("max", &group_thousands(&ctx.t, max))],
            ),
            None => ctx.t.arg("content-price", "amount", &group_thousands(&ctx.t, p.price_min)),
        };
        let (contact, chat) = match &p.contact {
            ProductContact::Phone(phone) => {
                ((national_phone(phone), format!("tel:{}", phone.as_str())), Some(whatsapp_url(phone)))
            }
            ProductContact::Url(u) => ((crate::html::kims::display_url(u), u.clone()), None),
        };
        ProductView { price, contact, chat }
    });
    let mut tags = vec![Tag::Content(item.id), Tag::Regions, Tag::Organisation(item.org.id)];
    tags.extend(related.iter().map(|r| Tag::Content(r.id)));
    let page = ctx.page(item.title.clone()).with_description(description);
    let template = ItemPage {
        breadcrumbs: lineage.iter().map(|r| RegionView::new(&ctx, r)).collect(),
        summary: item.summary.clone(),
        kind: LinkView { text: kind_label, href: ctx.t.href(&kind_path(item.kind)) },
        provenance: ctx.t.get(provenance_key(item.provenance)),
        provenance_class: provenance_class(item.provenance),
        org: LinkView { text: item.org_name.clone(), href: org_href },
        date: human_date(&ctx, published),
        datetime: iso_local(&ctx, published),
        corrections: item
            .corrections
            .iter()
            .map(|c| CorrectionView {
                heading: ctx.t.arg("content-correction-at", "date", &human_datetime(&ctx, c.at)),
                datetime: iso_local(&ctx, c.at),
                body: c.body.clone(),
            })
            .collect(),
        cover: cover_media
            .as_ref()
            .map(|m| ImageView::new(m, item.cover.as_ref().and_then(|c| c.caption.clone()), &item.title)),
        agenda,
        product,
        body_html: item.body_html.clone(),
        gallery,
        source: item.source.as_ref().map(|s| {
            let text = s.name.clone().or_else(|| s.url.as_deref().map(crate::html::kims::display_url));
            (text.unwrap_or_default(), s.url.clone())
        }),
        topics: item
            .topics
            .iter()
            .map(|slug| LinkView {
                text: topic_names.get(slug.as_str()).map(|n| (*n).to_owned()).unwrap_or_else(|| slug.clone()),
                href: ctx.t.href(&topic_path(slug)),
            })
            .collect(),
        regions: item
            .regions
            .iter()
            .map(|code| LinkView {
                text: names.get(code.as_str()).cloned().unwrap_or_else(|| code.to_string()),
                href: ctx.t.href(&crate::html::regions::region_path(code.as_str())),
            })
            .collect(),
        share_href: whatsapp_share(&item.title, &url),
        related: related.iter().map(|r| ContentItemView::new(&ctx, r)).collect(),
        og,
        json_ld,
        title: item.title.clone(),
        page,
    };
    Ok(cacheable(render_public(template, StatusCode::OK)?, tags))
}

/// The item's schema.org description: `NewsArticle` for news,
/// announcements and policies, `Event` for an agenda item, `Product` for
/// a product. Escaped for a `<script>` element (no `<`, `>` or `&`).
fn json_ld(ctx: &Ctx, item: &Content, url: &str, org_url: &str, description: &str, image: Option<&str>) -> String {
    let org = json!({ "@type": "Organization", "name": item.org_name, "url": org_url });
    let images: Vec<&str> = image.into_iter().collect();
    let mut value = match (item.kind, &item.agenda, &item.product) {
        (ContentType::Agenda, Some(agenda), _) => {
            let mut event = json!({
                "@type": "Event",
                "name": item.title,
                "description": description,
                "url": url,
                "startDate": iso_local(ctx, agenda.starts_at),
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "eventStatus": "https://schema.org/EventScheduled",
                "location": { "@type": "Place", "name": agenda.place, "address": agenda.place },
                "organizer": org,
            });
            if let Some(ends) = agenda.ends_at {
                event["endDate"] = json!(iso_local(ctx, ends));
            }
            event
        }
        (ContentType::Produk, _, Some(product)) => {
            let offers = match product.price_max.filter(|max| *max != product.price_min) {
                Some(max) => json!({
                    "@type": "AggregateOffer",
                    "lowPrice": product.price_min,
                    "highPrice": max,
                    "priceCurrency": "IDR",
                    "seller": org,
                }),
                None => json!({
                    "@type": "Offer",
                    "price": product.price_min,
                    "priceCurrency": "IDR",
                    "url": url,
                    "seller": org,
                }),
            };
            json!({
                "@type": "Product",
                "name": item.title,
                "description": description,
                "url": url,
                "offers": offers,
            })
        }
        _ => {
            let published = item.published_at.unwrap_or(item.updated_at);
            json!({
                "@type": "NewsArticle",
                "headline": item.title,
                "description": description,
                "url": url,
                "mainEntityOfPage": url,
                "datePublished": iso_local(ctx, published),
                "dateModified": iso_local(ctx, item.updated_at.max(published)),
                "inLanguage": item.language.as_str(),
                "author": org,
                "publisher": org,
            })
        }
    };
    value["@context"] = json!("https://schema.org");
    if !images.is_empty() {
        value["image"] = json!(images);
    }
    script_json(&value)
}

/// JSON safe inside a `<script>` element.
pub fn script_json(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[derive(Template)]
#[template(path = "content/listing.html")]
struct ListingPage {
    page: Page,
    crumbs: Vec<LinkView>,
    intro: Option<String>,
    /// Links above the list (months of an archive year), with their heading.
    links: Option<(String, Vec<LinkView>)>,
    links_empty: Option<String>,
    list: ContentList,
    feeds: Vec<LinkView>,
}

/// What a listing page (type, topic or archive) shows around its list.
pub struct ListingFrame {
    pub title: String,
    pub description: String,
    pub crumbs: Vec<LinkView>,
    pub intro: Option<String>,
    pub links: Option<(String, Vec<LinkView>)>,
    pub links_empty: Option<String>,
    /// The page's feeds: its path ("" for none).
    pub feed_base: Option<String>,
    /// The feeds' name, e.g. the topic.
    pub feed_name: String,
}

/// Renders a type, topic or archive page: its frame, one page of
/// `filter`, tagged with what it shows and `tags`.
pub async fn render_listing(
    ctx: &Ctx,
    frame: ListingFrame,
    filter: &ContentFilter,
    query: &ListQuery,
    tags: Vec<Tag>,
) -> Result<Response, AppError> {
    let listing = listing(ctx, ctx.t.get("content-latest"), filter, query).await?;
    let mut page = ctx.page(frame.title.clone()).with_description(frame.description);
    let feeds = match &frame.feed_base {
        Some(base) => {
            page.alternates = feed_alternates(ctx, base, &frame.feed_name);
            feed_links(ctx, base)
        }
        None => Vec::new(),
    };
    let page = with_listing(page, ctx, &listing);
    let mut all_tags = listing.tags;
    all_tags.extend(tags);
    let template = ListingPage {
        page,
        crumbs: frame.crumbs,
        intro: frame.intro,
        links: frame.links,
        links_empty: frame.links_empty,
        list: listing.list,
        feeds,
    };
    Ok(cacheable(render_public(template, StatusCode::OK)?, all_tags))
}

/// The first breadcrumb of pages outside the region tree: the home page.
pub fn home_crumb(ctx: &Ctx) -> LinkView {
    LinkView { text: ctx.t.get("content-home"), href: ctx.t.href("/") }
}

/// `GET /jenis/{type}`: published items of one type; an unknown type is 404.
pub async fn show_kind(
    ctx: Ctx,
    viewer: Viewer,
    Path(raw): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let kind = ContentType::parse(&raw).ok_or(AppError::NotFound)?;
    let label = ctx.t.get(kind_key(kind));
    let frame = ListingFrame {
        description: ctx.t.arg("content-kind-description", "kind", &label),
        crumbs: vec![home_crumb(&ctx)],
        intro: None,
        links: None,
        links_empty: None,
        feed_base: None,
        feed_name: String::new(),
        title: label,
    };
    let filter = ContentFilter { kind: Some(kind), ..ContentFilter::default() };
    render_listing(&ctx, frame, &filter, &query, vec![Tag::ContentKind(kind)]).await
}

/// The tags of `code`'s list of content: each region above it (an item
/// targeted there appears too), and the region itself with what lies inside.
pub fn region_tags(code: &RegionCode) -> Vec<Tag> {
    let mut lineage = code.lineage();
    lineage.pop();
    let mut tags: Vec<Tag> = lineage.into_iter().map(Tag::ContentAt).collect();
    tags.push(Tag::ContentWithin(code.clone()));
    tags
}

/// The items an organisation published, for its page (`path` is the
/// page's, where its feeds live too); tagged with [`Tag::ContentOf`].
pub async fn org_listing(
    ctx: &Ctx,
    org: jembatan_domain::OrgId,
    name: &str,
    query: &ListQuery,
) -> Result<Listing, AppError> {
    let filter = ContentFilter { org: Some(org), ..ContentFilter::default() };
    let mut listing = listing(ctx, ctx.t.arg("content-latest-org", "name", name), &filter, query).await?;
    listing.tags.push(Tag::ContentOf(org));
    Ok(listing)
}

/// Links to every type's page (for the home page).
pub fn kind_links(ctx: &Ctx) -> Vec<LinkView> {
    ContentType::ALL
        .iter()
        .map(|k| LinkView { text: ctx.t.get(kind_key(*k)), href: ctx.t.href(&kind_path(*k)) })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Catalog, Locale};

    #[test]
    fn every_type_provenance_and_month_has_a_label() {
        let catalog = Catalog::load().unwrap();
        let keys = ContentType::ALL
            .iter()
            .map(|k| kind_key(*k))
            .chain(Provenance::ALL.iter().map(|p| provenance_key(*p)))
            .chain(MONTH_KEYS)
            .chain(FeedFormat::ALL.iter().flat_map(|f| [f.title_key(), f.label_key()]));
        for key in keys {
            for locale in Locale::ALL {
                assert!(catalog.has(locale, key), "{key} missing in {}", locale.code());
            }
        }
    }

    #[test]
    fn cursors_prices_and_share_links() {
        assert_eq!(parse_cursor(None).unwrap(), None);
        assert_eq!(parse_cursor(Some(" ")).unwrap(), None);
        let cursor = ContentCursor { published_at: Timestamp(1_700_000_000_000), id: ContentId::generate() };
        assert_eq!(parse_cursor(Some(&cursor.to_string())).unwrap(), Some(cursor));
        for bad in ["x", "12_notanid", "_", "abc_0193c3a0-0000-7000-8000-000000000001"] {
            assert!(parse_cursor(Some(bad)).is_err(), "{bad}");
        }
        let catalog = std::sync::Arc::new(Catalog::load().unwrap());
        let id = Tr::new(catalog.clone(), Locale::Id);
        let en = Tr::new(catalog, Locale::English);
        assert_eq!(group_thousands(&id, 1_500_000), "1.500.000");
        assert_eq!(group_thousands(&en, 15_000), "15,000");
        assert_eq!(group_thousands(&id, 999), "999");
        assert_eq!(percent_encode("Panen & jagung/1"), "Panen%20%26%20jagung%2F1");
        assert_eq!(
            whatsapp_share("Posyandu", "https://kim.example.id/konten/1/a"),
            "https://wa.me/?text=Posyandu%20https%3A%2F%2Fkim.example.id%2Fkonten%2F1%2Fa"
        );
        assert_eq!(script_json(&json!({"a": "</script><b>&"})), r#"{"a":"\u003c/script\u003e\u003cb\u003e\u0026"}"#);
    }

    #[test]
    fn srcset_offers_only_stored_copies_narrower_than_the_original() {
        let variant = |width: i64| media::Variant { width, height: width / 2, mime: "image/jpeg".into(), byte_size: 1 };
        let image = Media {
            id: MediaId::generate(),
            sha256: String::new(),
            mime: "image/jpeg".into(),
            width: 800,
            height: 400,
            byte_size: 10,
            uploaded_by: None,
            created_at: Timestamp(0),
            variants: vec![variant(320), variant(640)],
        };
        let view = ImageView::new(&image, None, "Panen");
        let id = image.id;
        assert_eq!(view.srcset, format!("/media/{id}/w320 320w, /media/{id}/w640 640w, /media/{id} 800w"));
        assert_eq!(view.src, format!("/media/{id}/w640"));
        assert_eq!((view.width, view.height, view.alt.as_str()), (800, 400, "Panen"));
        assert_eq!(share_image_path(&image), format!("/media/{id}/w640"));
        let small = Media { width: 300, variants: vec![], ..image };
        assert_eq!(ImageView::new(&small, Some("Foto".into()), "x").srcset, format!("/media/{id} 300w"));
    }
}
