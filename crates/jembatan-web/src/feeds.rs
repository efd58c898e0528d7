//! Feeds of published content: RSS 2.0, Atom 1.0 and JSON Feed 1.1, from
//! one list of [`FeedItem`]s. Written with the `rss` and `atom_syndication`
//! crates (JSON Feed with serde), so escaping and dates are theirs.
//!
//! Served for the province (`/rss.xml`, `/atom.xml`, `/feed.json`), each
//! region (`/wilayah/{code}/...`), topic (`/topik/{slug}/...`) and
//! organisation (`/organisasi/{id}/...`, KIMs at `/kim/{id}/...`): the
//! [`FEED_ITEMS`] newest items of the matching page, each with a permanent
//! `urn:uuid:` id and its cover image as an enclosure. A feed carries
//! `Last-Modified` (its newest item's update) and is tagged like its page,
//! so the page cache answers conditional GETs (ETag and
//! If-Modified-Since) with 304 and drops it when an item in it changes.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::organisation::OrgKind;
use jembatan_domain::{RegionCode, markdown};
use jembatan_store::content::{self, ContentFilter, RegionFilter};
use jembatan_store::{media, organisations, regions, topics};
use serde::Serialize;

use crate::auth::Viewer;
use crate::cache::{Tag, cacheable};
use crate::error::AppError;
use crate::html::content::{content_path, media_path, media_width_path, region_tags, srcset_widths, topic_path};
use crate::html::kims::parse_org_id;
use crate::html::organisations::org_path;
use crate::html::regions::{parse_code, region_path};
use crate::layout::Ctx;

/// Which format to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Rss,
    Atom,
    Json,
}

impl FeedFormat {
    /// The file name each feed is served under, after its page's path.
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::Json => "application/feed+json; charset=utf-8",
        }
    }

    /// The media type of `<link rel="alternate">`.
    pub fn link_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }

    pub const ALL: [FeedFormat; 3] = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json];

    /// The catalog key of the `<link rel="alternate">` title ("RSS: { $name }").
    pub fn title_key(self) -> &'static str {
        match self {
            FeedFormat::Rss => "feed-rss",
            FeedFormat::Atom => "feed-atom",
            FeedFormat::Json => "feed-json",
        }
    }

    /// The catalog key of the format's name in visible links.
    pub fn label_key(self) -> &'static str {
        match self {
            FeedFormat::Rss => "feed-label-rss",
            FeedFormat::Atom => "feed-label-atom",
            FeedFormat::Json => "feed-label-json",
        }
    }

    /// The format a request path names by its file name.
    pub fn from_path(path: &str) -> Option<FeedFormat> {
        let file = path.rsplit('/').next()?;
        FeedFormat::ALL.into_iter().find(|f| f.file_name() == file)
    }
}

/// An image attached to an item (RSS enclosure, Atom enclosure link,
/// JSON Feed image/attachment).
#[derive(Debug, Clone)]
pub struct FeedImage {
    pub url: String,
    pub mime: String,
    pub length: u64,
}

/// One published item.
#[derive(Debug, Clone)]
pub struct FeedItem {
    /// A globally unique, permanent id: `urn:uuid:<content id>`.
    pub guid: String,
    pub title: String,
    pub summary: String,
    /// The item's page, absolute.
    pub url: String,
    pub published: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub author: Option<String>,
    pub categories: Vec<String>,
    pub image: Option<FeedImage>,
}

/// What the feed is about.
#[derive(Debug, Clone)]
pub struct FeedMeta {
    pub title: String,
    pub description: String,
    /// The page the feed follows, absolute.
    pub home_url: String,
    /// This feed's own URL, absolute.
    pub feed_url: String,
    /// BCP 47, e.g. `id`.
    pub language: String,
}

/// Writes the feed in `format`.
pub fn write(format: FeedFormat, meta: &FeedMeta, items: &[FeedItem], updated: DateTime<Utc>) -> String {
    match format {
        FeedFormat::Rss => rss_feed(meta, items, updated),
        FeedFormat::Atom => atom_feed(meta, items, updated),
        FeedFormat::Json => json_feed(meta, items),
    }
}

fn rss_feed(meta: &FeedMeta, items: &[FeedItem], updated: DateTime<Utc>) -> String {
    let mut channel = rss::Channel::default();
    channel.set_title(meta.title.clone());
    channel.set_link(meta.home_url.clone());
    channel.set_description(meta.description.clone());
    channel.set_language(Some(meta.language.clone()));
    channel.set_last_build_date(Some(updated.to_rfc2822()));
    channel.set_generator(Some("Jembatan".to_owned()));
    channel.set_items(
        items
            .iter()
            .map(|item| {
                let mut entry = rss::Item::default();
                entry.set_title(Some(item.title.clone()));
                entry.set_link(Some(item.url.clone()));
                entry.set_description(Some(item.summary.clone()));
                entry.set_guid(Some(rss::Guid { value: item.guid.clone(), permalink: false }));
                entry.set_pub_date(Some(item.published.to_rfc2822()));
                // RSS 2.0's <author> holds an e-mail address; a publisher's
                // name goes in Dublin Core's <dc:creator>.
                if let Some(author) = &item.author {
                    let mut dc = rss::extension::dublincore::DublinCoreExtension::default();
                    dc.set_creators(vec![author.clone()]);
                    entry.set_dublin_core_ext(Some(dc));
                }
                entry.set_categories(
                    item.categories.iter().map(|c| rss::Category { name: c.clone(), domain: None }).collect::<Vec<_>>(),
                );
                if let Some(image) = &item.image {
                    entry.set_enclosure(Some(rss::Enclosure {
                        url: image.url.clone(),
                        length: image.length.to_string(),
                        mime_type: image.mime.clone(),
                    }));
                }
                entry
            })
            .collect::<Vec<_>>(),
    );
    channel.to_string()
}

fn atom_feed(meta: &FeedMeta, items: &[FeedItem], updated: DateTime<Utc>) -> String {
    use atom_syndication as atom;
    let link = |href: &str, rel: &str, mime: Option<&str>| {
        let mut link = atom::Link::default();
        link.set_href(href);
        link.set_rel(rel);
        link.set_mime_type(mime.map(str::to_owned));
        link
    };
    let mut feed = atom::Feed::default();
    feed.set_id(meta.feed_url.clone());
    feed.set_title(meta.title.clone());
    feed.set_subtitle(Some(atom::Text::plain(meta.description.clone())));
    feed.set_updated(updated.fixed_offset());
    feed.set_lang(Some(meta.language.clone()));
    feed.set_links(vec![
        link(&meta.home_url, "alternate", Some("text/html")),
        link(&meta.feed_url, "self", Some("application/atom+xml")),
    ]);
    feed.set_entries(
        items
            .iter()
            .map(|item| {
                let mut entry = atom::Entry::default();
                entry.set_id(item.guid.clone());
                entry.set_title(atom::Text::plain(item.title.clone()));
                entry.set_summary(Some(atom::Text::plain(item.summary.clone())));
                entry.set_published(Some(item.published.fixed_offset()));
                entry.set_updated(item.updated.fixed_offset());
                let mut links = vec![link(&item.url, "alternate", Some("text/html"))];
                if let Some(image) = &item.image {
                    let mut enclosure = link(&image.url, "enclosure", Some(&image.mime));
                    enclosure.set_length(Some(image.length.to_string()));
                    links.push(enclosure);
                }
                entry.set_links(links);
                if let Some(author) = &item.author {
                    let mut person = atom::Person::default();
                    person.set_name(author.clone());
                    entry.set_authors(vec![person]);
                }
                entry.set_categories(
                    item.categories
                        .iter()
                        .map(|c| {
                            let mut category = atom::Category::default();
                            category.set_term(c.clone());
                            category
                        })
                        .collect::<Vec<_>>(),
                );
                entry
            })
            .collect::<Vec<_>>(),
    );
    feed.to_string()
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    summary: &'a str,
    content_text: &'a str,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<JsonAttachment<'a>>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct JsonAttachment<'a> {
    url: &'a str,
    mime_type: &'a str,
    size_in_bytes: u64,
}

fn json_feed(meta: &FeedMeta, items: &[FeedItem]) -> String {
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &meta.title,
        home_page_url: &meta.home_url,
        feed_url: &meta.feed_url,
        description: &meta.description,
        language: &meta.language,
        items: items
            .iter()
            .map(|item| JsonItem {
                id: &item.guid,
                url: &item.url,
                title: &item.title,
                summary: &item.summary,
                content_text: &item.summary,
                date_published: item.published.to_rfc3339(),
                date_modified: item.updated.to_rfc3339(),
                authors: item.author.as_deref().map(|name| vec![JsonAuthor { name }]).unwrap_or_default(),
                tags: &item.categories,
                image: item.image.as_ref().map(|i| i.url.as_str()),
                attachments: item
                    .image
                    .iter()
                    .map(|i| JsonAttachment { url: &i.url, mime_type: &i.mime, size_in_bytes: i.length })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_string(&feed).expect("a feed serialises")
}

/// Items a feed carries: the newest.
pub const FEED_ITEMS: i64 = 20;

/// A time as an HTTP date (`Last-Modified`), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// What a feed follows: a page's list.
struct FeedSource {
    /// What the feed is about, e.g. the region's name.
    name: String,
    /// The page the feed follows.
    page_path: String,
    filter: ContentFilter,
    /// The list's own tags (as its page's).
    tags: Vec<Tag>,
}

/// The cover of an item as an enclosure: the 640 px copy when stored
/// (enough for a reader's preview), else the original; absolute URL and
/// the stored byte size.
async fn enclosure(ctx: &Ctx, id: jembatan_domain::content::MediaId) -> Result<Option<FeedImage>, AppError> {
    let Some(m) = media::get(&ctx.state.db, id).await? else { return Ok(None) };
    let copy = srcset_widths(&m)
        .into_iter()
        .rev()
        .find(|w| *w <= 640)
        .and_then(|w| m.variants.iter().find(|v| v.width == w).map(|v| (media_width_path(m.id, w), v)));
    let (path, mime, length) = match copy {
        Some((path, v)) => (path, v.mime.clone(), v.byte_size),
        None => (media_path(m.id), m.mime.clone(), m.byte_size),
    };
    Ok(Some(FeedImage { url: ctx.state.config.absolute(&path), mime, length: length.max(0) as u64 }))
}

/// Writes the feed the request's path names for `source`.
async fn serve(ctx: &Ctx, source: FeedSource) -> Result<Response, AppError> {
    let format = FeedFormat::from_path(&ctx.path).ok_or(AppError::NotFound)?;
    let db = &ctx.state.db;
    let config = &ctx.state.config;
    let page = content::list(db, &source.filter, None, FEED_ITEMS).await?;
    let all_topics = topics::list(db).await?;
    let mut tags = source.tags;
    let mut items = Vec::new();
    for summary in &page.items {
        tags.push(Tag::Content(summary.id));
        let Some(item) = content::get(db, summary.id).await? else { continue };
        let published = item.published_at.unwrap_or(item.updated_at);
        let text = match &item.summary {
            Some(s) => s.clone(),
            None => markdown::plain_text(&item.body).chars().take(300).collect(),
        };
        let image = match &item.cover {
            Some(cover) => enclosure(ctx, cover.media).await?,
            None => None,
        };
        items.push(FeedItem {
            guid: format!("urn:uuid:{}", item.id),
            title: item.title.clone(),
            summary: text,
            url: config.absolute(&ctx.t.href(&content_path(item.id, &item.slug))),
            published: published.to_utc(),
            updated: item.updated_at.max(published).to_utc(),
            author: Some(item.org_name.clone()),
            categories: item
                .topics
                .iter()
                .map(|slug| {
                    all_topics
                        .iter()
                        .find(|t| &t.slug == slug)
                        .map(|t| t.name(ctx.t.lang()).to_owned())
                        .unwrap_or_else(|| slug.clone())
                })
                .collect(),
            image,
        });
    }
    let orgs: std::collections::BTreeSet<_> = page.items.iter().map(|i| i.org.id).collect();
    tags.extend(orgs.into_iter().map(Tag::Organisation));
    let site = ctx.t.get("site-name");
    let meta = FeedMeta {
        title: ctx.t.args("feed-title", &[("name", &source.name), ("site", &site)]),
        description: ctx.t.args("feed-description", &[("name", &source.name), ("site", &site)]),
        home_url: config.absolute(&ctx.t.href(&source.page_path)),
        feed_url: config.absolute(&ctx.t.href(&ctx.path)),
        language: ctx.t.lang().to_owned(),
    };
    // An empty feed gets a fixed date, so its bytes (and ETag) stay the same.
    let newest = items.iter().map(|i| i.updated).max();
    let updated = newest.unwrap_or(DateTime::UNIX_EPOCH);
    let body = write(format, &meta, &items, updated);
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    if let Some(newest) = newest
        && let Ok(value) = HeaderValue::from_str(&http_date(newest))
    {
        headers.insert(header::LAST_MODIFIED, value);
    }
    Ok(cacheable(response, tags))
}

/// The feeds of a region's page: items targeted at it and above.
async fn region_source(
    ctx: &Ctx,
    viewer: &Viewer,
    code: RegionCode,
    page_path: String,
) -> Result<FeedSource, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Region(&code))?;
    let row = regions::get(&ctx.state.db, &code).await?.ok_or(AppError::NotFound)?;
    let mut tags = region_tags(&code);
    tags.push(Tag::Regions);
    Ok(FeedSource {
        name: row.name,
        page_path,
        filter: ContentFilter { region: Some(RegionFilter::Around(code)), ..ContentFilter::default() },
        tags,
    })
}

/// `GET /rss.xml`, `/atom.xml`, `/feed.json`: the province's home page.
pub async fn province_feed(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    let code = ctx.state.config.default_province.clone();
    let source = region_source(&ctx, &viewer, code, "/".to_owned()).await?;
    serve(&ctx, source).await
}

/// `GET /wilayah/{code}/rss.xml` (and `atom.xml`, `feed.json`).
pub async fn region_feed(ctx: Ctx, viewer: Viewer, Path(code): Path<String>) -> Result<Response, AppError> {
    let code = parse_code(&code)?;
    let page_path = region_path(code.as_str());
    let source = region_source(&ctx, &viewer, code, page_path).await?;
    serve(&ctx, source).await
}

/// `GET /topik/{slug}/rss.xml` (and `atom.xml`, `feed.json`); an unknown topic is 404.
pub async fn topic_feed(ctx: Ctx, viewer: Viewer, Path(slug): Path<String>) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let topic = topics::get(&ctx.state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let source = FeedSource {
        name: topic.name(ctx.t.lang()).to_owned(),
        page_path: topic_path(&topic.slug),
        filter: ContentFilter { topic: Some(topic.slug.clone()), ..ContentFilter::default() },
        tags: vec![Tag::ContentTopic(topic.slug)],
    };
    serve(&ctx, source).await
}

/// The feed of an organisation served at its kind's path (`kim` or not),
/// or a 301 to the same feed at the other path.
async fn org_source(
    ctx: &Ctx,
    viewer: &Viewer,
    raw: &str,
    kim: bool,
) -> Result<Result<FeedSource, Response>, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let id = parse_org_id(raw)?;
    let org = organisations::get(&ctx.state.db, id).await?.ok_or(AppError::NotFound)?;
    viewer.authorize(Action::ViewPublic, &Resource::Organisation(&org.org_ref()))?;
    let page_path = org_path(org.id, org.kind);
    if (org.kind == OrgKind::Kim) != kim {
        let file = FeedFormat::from_path(&ctx.path).ok_or(AppError::NotFound)?.file_name();
        let location = ctx.t.href(&format!("{page_path}/{file}"));
        return Ok(Err((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response()));
    }
    Ok(Ok(FeedSource {
        name: org.profile.name.clone(),
        page_path,
        filter: ContentFilter { org: Some(org.id), ..ContentFilter::default() },
        tags: vec![Tag::ContentOf(org.id), Tag::Organisation(org.id)],
    }))
}

/// `GET /organisasi/{id}/rss.xml` (and `atom.xml`, `feed.json`); a KIM's
/// id redirects (301) to its feed under `/kim/{id}/`.
pub async fn org_feed(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Response, AppError> {
    match org_source(&ctx, &viewer, &id, false).await? {
        Ok(source) => serve(&ctx, source).await,
        Err(redirect) => Ok(redirect),
    }
}

/// `GET /kim/{id}/rss.xml` (and `atom.xml`, `feed.json`); another
/// organisation's id redirects (301) to its feed under `/organisasi/{id}/`.
pub async fn kim_feed(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Response, AppError> {
    match org_source(&ctx, &viewer, &id, true).await? {
        Ok(source) => serve(&ctx, source).await,
        Err(redirect) => Ok(redirect),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn sample() -> (FeedMeta, Vec<FeedItem>) {
        let meta = FeedMeta {
            title: "Kabar Kabupaten Tuban".into(),
            description: "Berita & pengumuman <terbaru>".into(),
            home_url: "https://kim.example.id/wilayah/35.23".into(),
            feed_url: "https://kim.example.id/wilayah/35.23/rss.xml".into(),
            language: "id".into(),
        };
        let at = Utc.with_ymd_and_hms(2026, 11, 2, 3, 4, 5).unwrap();
        let items = vec![
            FeedItem {
                guid: "urn:uuid:0193c3a0-0000-7000-8000-000000000001".into(),
                title: "Posyandu & imunisasi di Desa Jlodro".into(),
                summary: "Jadwal <posyandu> bulan ini.".into(),
                url: "https://kim.example.id/konten/1".into(),
                published: at,
                updated: at + chrono::Duration::hours(2),
                author: Some("KIM Jlodro".into()),
                categories: vec!["kesehatan".into()],
                image: Some(FeedImage {
                    url: "https://kim.example.id/media/1/640".into(),
                    mime: "image/jpeg".into(),
                    length: 52_000,
                }),
            },
            FeedItem {
                guid: "urn:uuid:0193c3a0-0000-7000-8000-000000000002".into(),
                title: "Pengumuman jalan ditutup".into(),
                summary: "Perbaikan jembatan.".into(),
                url: "https://kim.example.id/konten/2".into(),
                published: at - chrono::Duration::days(1),
                updated: at - chrono::Duration::days(1),
                author: None,
                categories: vec![],
                image: None,
            },
        ];
        (meta, items)
    }

    #[test]
    fn every_format_parses_back_with_its_items() {
        let (meta, items) = sample();
        let updated = items.iter().map(|i| i.updated).max().unwrap();
        for format in FeedFormat::ALL {
            let text = write(format, &meta, &items, updated);
            let feed = feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{format:?}: {e}\n{text}"));
            assert_eq!(feed.title.unwrap().content, "Kabar Kabupaten Tuban", "{format:?}");
            assert_eq!(feed.entries.len(), 2, "{format:?}");
            let first = &feed.entries[0];
            assert!(first.id.contains("0193c3a0-0000-7000-8000-000000000001"), "{format:?}: {}", first.id);
            assert_eq!(first.title.as_ref().unwrap().content, "Posyandu & imunisasi di Desa Jlodro", "{format:?}");
            assert_eq!(first.links[0].href, "https://kim.example.id/konten/1", "{format:?}");
            assert_eq!(first.published.unwrap(), items[0].published, "{format:?}");
            assert!(
                first
                    .media
                    .iter()
                    .flat_map(|m| &m.content)
                    .any(|c| c.url.as_ref().is_some_and(|u| u.as_str().ends_with("/media/1/640")))
                    || first.links.iter().any(|l| l.href.ends_with("/media/1/640")),
                "{format:?}: the image is attached"
            );
        }
    }
}
