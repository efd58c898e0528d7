//! Public pages cached as rendered bytes, invalidated by the database's
//! change log, so several processes sharing one database never serve a
//! page older than what changed (within the follower's delay).
//!
//! A handler opts a response in by tagging it ([`cacheable`]) with what the
//! page shows: `regions` (region names), `org:<id>` (one organisation or
//! KIM), `orgs-in:<code>` (lists of organisations within a region). The
//! follower reads [`changes`](jembatan_store::changes) and drops the pages
//! whose tags a change touches. Only tagged responses enter the cache;
//! pages for a logged-in person are never tagged.
//!
//! Read-your-writes within a process: before serving from the cache, a
//! request that follows one of this process's own commits catches the
//! follower up first. Other processes' changes arrive through LISTEN/NOTIFY
//! on PostgreSQL, or the poll below.
//!
//! Two doors: [`CachedFirst`] wraps the whole service and answers GETs of
//! cached pages before any other layer runs (no tracing span, routing or
//! middleware: a cached page costs a hash lookup and a copy of headers);
//! [`serve_cached`], inside the router, answers what the first door passed
//! on (a request behind this process's own writes, after catching up) and
//! stores tagged responses. Both answer with [`respond`], gzip included
//! (compressed once per page, kept beside the page).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use jembatan_domain::content::{ContentId, ContentType};
use jembatan_domain::{OrgId, RegionCode};
use jembatan_store::changes::{self, Change, ChangeCursor, Entity};
use jembatan_store::{Db, StoreResult, content, organisations};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use crate::i18n::Locale;
use crate::state::AppState;

/// How often the follower polls when nothing woke it.
const POLL: Duration = Duration::from_millis(250);
/// Most pages kept; beyond it the cache starts over (cheap, and rare).
const MAX_PAGES: usize = 5_000;
/// Largest page body kept.
const MAX_BODY: usize = 512 * 1024;

/// What a cached page shows, for invalidation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Names and hierarchy of regions.
    Regions,
    /// One organisation (or KIM) and what hangs off it (roster, SK).
    Organisation(OrgId),
    /// Lists of organisations (or KIMs) in this region or below it.
    OrganisationsIn(RegionCode),
    /// One content item: its own page, and every list that shows it (a
    /// list tags each item it shows, so an edit or an unpublish drops it).
    Content(ContentId),
    /// Lists of content targeted at this region (a region page tags each
    /// region above it, so new items targeted there appear).
    ContentAt(RegionCode),
    /// Lists of content targeted at this region or any region inside it
    /// (a region page's own level and below).
    ContentWithin(RegionCode),
    /// Lists of content on a topic.
    ContentTopic(String),
    /// Lists of content of one type.
    ContentKind(ContentType),
    /// Lists of content of one organisation.
    ContentOf(OrgId),
    /// Date archives of one month (`YYYY-MM`).
    ContentMonth(String),
}

/// Tags attached to a response by its handler: the page may be cached.
#[derive(Debug, Clone)]
pub struct CacheTags(pub Vec<Tag>);

/// Marks a public response cacheable, showing what `tags` name.
pub fn cacheable(mut response: Response, tags: Vec<Tag>) -> Response {
    response.extensions_mut().insert(CacheTags(tags));
    response
}

/// One cached page.
pub struct CachedPage {
    /// The calendar day it was rendered on (in the deployment's time zone):
    /// pages show date-dependent facts such as whether an SK is still valid,
    /// so a page from yesterday is not served today.
    day: NaiveDate,
    body: Bytes,
    etag: HeaderValue,
    headers: Vec<(header::HeaderName, HeaderValue)>,
    tags: Vec<Tag>,
    /// The body gzipped with its ETag, made on the first request that
    /// accepts it (`None`: not worth compressing).
    gzip: std::sync::OnceLock<Option<(Bytes, HeaderValue)>>,
}

impl CachedPage {
    fn gzip(&self) -> Option<&(Bytes, HeaderValue)> {
        self.gzip
            .get_or_init(|| {
                let compressible = self.headers.iter().any(|(name, value)| {
                    *name == header::CONTENT_TYPE
                        && value
                            .to_str()
                            .is_ok_and(|t| t.starts_with("text/") || t.contains("json") || t.contains("xml"))
                });
                if !compressible || self.body.len() < MIN_GZIP {
                    return None;
                }
                let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                std::io::Write::write_all(&mut encoder, &self.body).ok()?;
                let gzipped = Bytes::from(encoder.finish().ok()?);
                // Another representation: another strong ETag.
                let etag = self.etag.to_str().ok()?.trim_end_matches('"').to_owned() + "-gz\"";
                Some((gzipped, HeaderValue::from_str(&etag).ok()?))
            })
            .as_ref()
    }
}

/// Bodies smaller than this are sent as they are.
const MIN_GZIP: usize = 256;

struct Follower {
    cursor: Option<ChangeCursor>,
    /// Changes acted on before they were final, so a poll does not drop
    /// the same pages again while an old transaction holds them back.
    early: HashSet<ChangeCursor>,
}

/// The page cache of one process.
pub struct PageCache {
    db: Db,
    pages: RwLock<HashMap<String, Arc<CachedPage>>>,
    follower: Mutex<Follower>,
    /// Counts invalidations, so a page rendered while one happened is not
    /// stored (it may predate the change that was just dropped).
    invalidations: AtomicU64,
    /// The process's commit count when the follower last caught up; read
    /// on every request without taking the follower's lock.
    seen_local: AtomicU64,
}

impl PageCache {
    pub fn new(db: Db) -> PageCache {
        PageCache {
            db,
            pages: RwLock::new(HashMap::new()),
            follower: Mutex::new(Follower { cursor: None, early: HashSet::new() }),
            invalidations: AtomicU64::new(0),
            seen_local: AtomicU64::new(0),
        }
    }

    /// How many pages are cached (metrics and tests).
    pub fn len(&self) -> usize {
        self.pages.read().expect("page cache lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, key: &str, today: NaiveDate) -> Option<Arc<CachedPage>> {
        self.pages.read().expect("page cache lock").get(key).filter(|page| page.day == today).cloned()
    }

    /// Stores `page` unless an invalidation happened since `epoch` was read.
    fn put(&self, key: String, page: CachedPage, epoch: u64) {
        let mut pages = self.pages.write().expect("page cache lock");
        if self.invalidations.load(Ordering::Acquire) != epoch {
            return;
        }
        if pages.len() >= MAX_PAGES {
            pages.clear();
        }
        pages.insert(key, Arc::new(page));
    }

    /// Catches up with the change log, dropping the pages changes touched.
    /// Cheap when nothing changed; serialised so two catch-ups never race.
    pub async fn catch_up(&self) -> StoreResult<()> {
        let mut follower = self.follower.lock().await;
        let local = self.db.local_commits();
        let Some(mut cursor) = follower.cursor else {
            // First run: start from the log's head with an empty cache.
            follower.cursor = Some(changes::head(&self.db).await?);
            self.seen_local.store(local, Ordering::Release);
            self.drop_tagged(&StaleTags { everything: true, tags: HashSet::new() });
            return Ok(());
        };
        loop {
            let (batch, next) = changes::since(&self.db, cursor).await?;
            cursor = next;
            if batch.is_empty() {
                break;
            }
            let stale = self.stale_tags(&batch).await?;
            self.drop_tagged(&stale);
            if batch.len() < changes::PAGE as usize {
                break;
            }
        }
        // Committed changes that are not final yet (PostgreSQL, while an
        // older transaction runs): act on them now, so a write is never
        // followed by its own stale page; they come again later, harmlessly.
        follower.early.retain(|position| *position > cursor);
        let early: Vec<Change> = changes::committed_beyond(&self.db, cursor)
            .await?
            .into_iter()
            .filter(|(position, _)| follower.early.insert(*position))
            .map(|(_, change)| change)
            .collect();
        if !early.is_empty() {
            let stale = self.stale_tags(&early).await?;
            self.drop_tagged(&stale);
        }
        follower.cursor = Some(cursor);
        self.seen_local.store(local, Ordering::Release);
        Ok(())
    }

    /// Whether this process committed writes the follower has not read yet.
    fn behind_local_writes(&self) -> bool {
        self.seen_local.load(Ordering::Acquire) != self.db.local_commits()
    }

    async fn stale_tags(&self, batch: &[Change]) -> StoreResult<StaleTags> {
        let mut stale = StaleTags::default();
        for change in batch {
            match change.entity {
                Entity::Region => stale.everything = true,
                Entity::Organisation => match change.entity_id.parse::<OrgId>() {
                    Ok(id) => {
                        stale.tags.insert(Tag::Organisation(id));
                        match organisations::org_ref(&self.db, id).await {
                            Ok(org) => {
                                stale.tags.extend(org.region.lineage().into_iter().map(Tag::OrganisationsIn));
                            }
                            Err(_) => stale.everything = true,
                        }
                    }
                    Err(_) => stale.everything = true,
                },
                Entity::Content => match change.entity_id.parse::<ContentId>() {
                    Ok(id) => self.content_tags(id, &mut stale).await?,
                    Err(_) => stale.everything = true,
                },
                // Topic names appear on many pages and change rarely.
                Entity::Topic => stale.everything = true,
                // An image never changes under its id; it reaches a page
                // through a content change, which drops that page.
                Entity::Media => {}
                // Accounts and grants appear on no public page; reports'
                // tracking pages are never cached.
                Entity::User | Entity::Grant | Entity::Report => {}
            }
        }
        Ok(stale)
    }

    /// The lists a content item now belongs in; the lists it was in are
    /// reached through its own [`Tag::Content`] tag.
    async fn content_tags(&self, id: ContentId, stale: &mut StaleTags) -> StoreResult<()> {
        stale.tags.insert(Tag::Content(id));
        let Some(item) = content::get(&self.db, id).await? else {
            return Ok(());
        };
        stale.tags.extend(item.regions.iter().cloned().map(Tag::ContentAt));
        stale.tags.extend(item.regions.iter().flat_map(RegionCode::lineage).map(Tag::ContentWithin));
        stale.tags.extend(item.topics.iter().cloned().map(Tag::ContentTopic));
        stale.tags.insert(Tag::ContentKind(item.kind));
        stale.tags.insert(Tag::ContentOf(item.org.id));
        if let Some(published) = item.published_at {
            stale.tags.insert(Tag::ContentMonth(published.to_utc().format("%Y-%m").to_string()));
        }
        Ok(())
    }

    fn drop_tagged(&self, stale: &StaleTags) {
        let mut pages = self.pages.write().expect("page cache lock");
        if stale.everything || !stale.tags.is_empty() {
            self.invalidations.fetch_add(1, Ordering::AcqRel);
        }
        if stale.everything {
            pages.clear();
        } else if !stale.tags.is_empty() {
            pages.retain(|_, page| !page.tags.iter().any(|t| stale.tags.contains(t)));
        }
    }
}

#[derive(Default)]
struct StaleTags {
    everything: bool,
    tags: HashSet<Tag>,
}

/// Follows the change log until cancelled: woken by this process's commits,
/// by PostgreSQL notifications from other processes, or by the poll.
pub async fn follow_changes(state: AppState, cancel: CancellationToken) {
    let cache = &state.page_cache;
    let mut listener = match changes::listener(&state.db).await {
        Ok(listener) => listener,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for changes; polling only");
            None
        }
    };
    loop {
        if let Err(e) = cache.catch_up().await {
            tracing::warn!(error = %e, "page cache cannot read the change log; dropping every page");
            cache.drop_tagged(&StaleTags { everything: true, tags: HashSet::new() });
        }
        let notified = async {
            match listener.as_mut() {
                Some(l) => {
                    if l.next().await.is_err() {
                        tokio::time::sleep(POLL).await;
                    }
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = state.db.next_local_commit() => {}
            _ = notified => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

/// A page's key: its locale and unprefixed path with the query.
fn page_key(locale: Locale, path: &str, query: Option<&str>) -> String {
    match query {
        Some(query) => format!("{}|{path}?{query}", locale.code()),
        None => format!("{}|{path}", locale.code()),
    }
}

/// The key of a request after [`crate::layout::split_locale`].
fn cache_key(request: &Request) -> String {
    let locale = request.extensions().get::<Locale>().copied().unwrap_or(Locale::Id);
    page_key(locale, request.uri().path(), request.uri().query())
}

/// Whether the client takes gzip (`Accept-Encoding`, unless `q=0`).
fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(
        |coding| {
            let mut parts = coding.split(';').map(str::trim);
            parts.next().is_some_and(|name| name.eq_ignore_ascii_case("gzip"))
                && !parts.any(|p| p.strip_prefix("q=").is_some_and(|q| q.parse::<f32>().is_ok_and(|q| q == 0.0)))
        },
    )
}

fn today(state: &AppState) -> NaiveDate {
    chrono::Utc::now().with_timezone(&state.config.timezone).date_naive()
}

/// The outer door (see the module's documentation): wraps the whole
/// service and answers a GET from the cache when the page is there and
/// this process has no write the cache has not caught up with; everything
/// else goes on to `inner`.
#[derive(Clone)]
pub struct CachedFirst<S> {
    state: AppState,
    inner: S,
}

impl<S> CachedFirst<S> {
    pub fn new(state: AppState, inner: S) -> Self {
        CachedFirst { state, inner }
    }
}

impl<S> tower::Service<Request> for CachedFirst<S>
where
    S: tower::Service<Request, Response = Response, Error = std::convert::Infallible>,
{
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future = futures::future::Either<std::future::Ready<Result<Response, Self::Error>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        match cached_answer(&self.state, &request) {
            Some(response) => futures::future::Either::Left(std::future::ready(Ok(response))),
            None => futures::future::Either::Right(self.inner.call(request)),
        }
    }
}

fn cached_answer(state: &AppState, request: &Request) -> Option<Response> {
    let cache = &state.page_cache;
    if *request.method() != Method::GET || cache.behind_local_writes() {
        return None;
    }
    let (locale, path) = Locale::split_path(request.uri().path());
    let page = cache.get(&page_key(locale, path, request.uri().query()), today(state))?;
    let mut response = respond(&page, &Conditions::of(request.headers()));
    let headers = response.headers_mut();
    for (name, value) in crate::security::headers() {
        headers.entry(name).or_insert(value);
    }
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::now_v7().to_string()) {
        headers.insert(crate::REQUEST_ID, id);
    }
    state.metrics.count_cache_hit();
    Some(response)
}

fn etag_of(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    HeaderValue::from_str(&format!("\"{}\"", hex::encode(&digest[..12]))).expect("hex is a valid header")
}

/// Middleware: answers GETs from the cache, with conditional GET; stores
/// the tagged responses of handlers.
pub async fn serve_cached(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let is_get = *request.method() == Method::GET;
    if !is_get && *request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let cache = &state.page_cache;
    if cache.behind_local_writes()
        && let Err(e) = cache.catch_up().await
    {
        tracing::warn!(error = %e, "page cache cannot catch up; answering uncached");
        return next.run(request).await;
    }
    let key = cache_key(&request);
    let today = today(&state);
    let conditions = Conditions::of(request.headers());
    if let Some(page) = cache.get(&key, today) {
        state.metrics.count_cache_hit();
        return respond(&page, &conditions);
    }
    let epoch = cache.invalidations.load(Ordering::Acquire);
    let response = next.run(request).await;
    let Some(CacheTags(tags)) = response.extensions().get::<CacheTags>().cloned() else {
        return response;
    };
    if response.status() != StatusCode::OK || !is_get {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = CachedPage {
        day: today,
        etag: etag_of(&body),
        headers: parts
            .headers
            .iter()
            .filter(|(name, _)| *name != header::CONTENT_LENGTH)
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect(),
        body,
        tags,
        gzip: std::sync::OnceLock::new(),
    };
    let response = respond(&page, &conditions);
    cache.put(key, page, epoch);
    response
}

/// A request's conditional GET headers.
struct Conditions {
    if_none_match: Option<HeaderValue>,
    if_modified_since: Option<chrono::DateTime<chrono::FixedOffset>>,
    gzip: bool,
}

impl Conditions {
    fn of(headers: &axum::http::HeaderMap) -> Conditions {
        Conditions {
            if_none_match: headers.get(header::IF_NONE_MATCH).cloned(),
            if_modified_since: http_date(headers.get(header::IF_MODIFIED_SINCE)),
            gzip: accepts_gzip(headers),
        }
    }

    /// RFC 9110: If-None-Match decides when present; else If-Modified-Since
    /// against the page's Last-Modified (feeds set one).
    fn not_modified(&self, page: &CachedPage, etag: &HeaderValue) -> bool {
        if let Some(tags) = &self.if_none_match {
            return tags.to_str().is_ok_and(|t| t.split(',').any(|t| t.trim() == "*" || t.trim() == etag));
        }
        let last_modified =
            page.headers.iter().find(|(n, _)| *n == header::LAST_MODIFIED).and_then(|(_, v)| http_date(Some(v)));
        matches!((self.if_modified_since, last_modified), (Some(since), Some(modified)) if modified <= since)
    }
}

fn http_date(value: Option<&HeaderValue>) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc2822(value?.to_str().ok()?).ok()
}

/// A cached page as the request asks for it: 304 when its conditions
/// hold, gzipped when it takes gzip and the page is worth it.
fn respond(page: &CachedPage, conditions: &Conditions) -> Response {
    let gzip = if conditions.gzip { page.gzip() } else { None };
    let (body, etag) = match gzip {
        Some((body, etag)) => (body, etag),
        None => (&page.body, &page.etag),
    };
    let not_modified = conditions.not_modified(page, etag);
    let mut response =
        if not_modified { StatusCode::NOT_MODIFIED.into_response() } else { Response::new(Body::from(body.clone())) };
    let headers = response.headers_mut();
    for (name, value) in &page.headers {
        if !(not_modified && *name == header::CONTENT_TYPE) {
            headers.insert(name.clone(), value.clone());
        }
    }
    if gzip.is_some() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::ETAG, etag.clone());
    response
}
