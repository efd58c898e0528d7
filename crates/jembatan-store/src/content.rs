//! Content items: drafts and their edits (versioned, each version kept as a
//! revision), the editorial workflow (submit, return with a comment,
//! publish now or at a set time through the job queue, unpublish, archive,
//! restore), public corrections, reviewer comments, imports keyed by their
//! source, and the reads the portal, the feeds, the API and search make.
//!
//! Invariants:
//! - Every write checks the step against the pure state machine
//!   ([`jembatan_domain::content::transition`]) and, where the caller acted
//!   on what it read, the item's version: a concurrent edit or a second
//!   reviewer gets [`StoreError::Stale`] and nothing is overwritten.
//! - Every write appends its audit entry (ids and non-personal fields only:
//!   no titles, texts or reasons) and records [`Entity::Content`] in the
//!   same transaction.
//! - The stored body is the Markdown as typed; `body_html` is rendered and
//!   sanitised when written, so a `<script>` stays in the text and never
//!   reaches a page.
//! - `content_regions.listed_at`, `content_reach.listed_at` and
//!   `content_topics.listed_at` equal the item's `published_at` while it is
//!   published and are NULL otherwise ([`sync_listing`] after every change
//!   of status or targets): region and topic pages read one index in date
//!   order. `content_reach` holds each target and every region above it
//!   ([`reach`]), rewritten with the targets.
//! - Targets lie within the publisher's reach
//!   ([`jembatan_domain::content::check_targets`]), the regions, topics and
//!   images exist, and the provenance suits the publisher, all checked
//!   against what is stored, in the transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

use futures::Stream;
use jembatan_domain::authz::ReviewScope;
use jembatan_domain::content::{
    Agenda, ContentDraft, ContentId, ContentRef, ContentStatus, ContentType, Image, ImportKey, Language, Product,
    ProductContact, Provenance, Source, WorkflowAction, check_schedule, check_targets, editable, parse_note, slugify,
    transition,
};
use jembatan_domain::organisation::{OrgKind, OrgRef};
use jembatan_domain::{FieldError, OrgId, RegionCode, Timestamp, UserId, ValidationCode, markdown, quality};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, AuditEntry, action};
use crate::changes::{self, Entity};
use crate::db::{Db, Tx, insert_rows};
use crate::error::{StoreError, StoreResult};
use crate::jobs::{self, NewJob};
use crate::organisations::{self, Args, bind_args, parse_stored, parse_stored_opt, stored};
use crate::{exec, media, on_tx, topics};

/// The job kind that publishes a scheduled item; its payload is a [`PublishJob`].
pub const PUBLISH_JOB: &str = "content.publish";

/// What a [`PUBLISH_JOB`] carries: which item, for which scheduled time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishJob {
    pub content_id: ContentId,
    pub at: Timestamp,
}

/// Runs `$body` with `$conn` bound to one read connection of the engine in
/// use, for reads that take several queries.
macro_rules! on_read_conn {
    ($db:expr, $conn:ident => $body:expr) => {
        match $db {
            Db::Sqlite(inner) => {
                let mut held = inner.readers.acquire().await?;
                let $conn: &mut ::sqlx::SqliteConnection = &mut *held;
                $body
            }
            Db::Postgres(inner) => {
                let mut held = inner.pool.acquire().await?;
                let $conn: &mut ::sqlx::PgConnection = &mut *held;
                $body
            }
        }
    };
}

/// Why an item was archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveKind {
    /// Retired by its publisher.
    Archive,
    /// Taken down by the regency's moderation.
    Unpublish,
}

impl ArchiveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ArchiveKind::Archive => "archive",
            ArchiveKind::Unpublish => "unpublish",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "archive" => Some(ArchiveKind::Archive),
            "unpublish" => Some(ArchiveKind::Unpublish),
            _ => None,
        }
    }
}

/// When and why an item was archived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Archived {
    pub at: Timestamp,
    pub kind: ArchiveKind,
    pub reason: Option<String>,
}

/// A correction (ralat), shown publicly on the item with its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub id: Uuid,
    pub body: String,
    pub author: Option<UserId>,
    pub at: Timestamp,
}

/// What a comment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentKind {
    /// A reviewer's or the author's remark.
    Comment,
    /// The note sent with a return to the author.
    Return,
}

/// A comment on an item under review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub id: Uuid,
    pub kind: CommentKind,
    pub body: String,
    pub author: Option<UserId>,
    pub at: Timestamp,
}

/// An item as stored, with its targets, topics, gallery and corrections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Content {
    pub id: ContentId,
    pub kind: ContentType,
    pub status: ContentStatus,
    pub title: String,
    pub summary: Option<String>,
    /// Markdown as typed.
    pub body: String,
    /// Sanitised HTML, safe to include in a page.
    pub body_html: String,
    pub language: Language,
    pub provenance: Provenance,
    pub org: OrgRef,
    pub org_name: String,
    pub author: Option<UserId>,
    /// In code order.
    pub regions: Vec<RegionCode>,
    /// In the author's order.
    pub topics: Vec<String>,
    pub cover: Option<Image>,
    pub gallery: Vec<Image>,
    pub source: Option<Source>,
    pub agenda: Option<Agenda>,
    pub product: Option<Product>,
    pub slug: String,
    /// When a scheduled item is to be published.
    pub publish_at: Option<Timestamp>,
    /// First publication.
    pub published_at: Option<Timestamp>,
    pub submitted_at: Option<Timestamp>,
    /// When a reviewer last returned it (cleared when resubmitted).
    pub returned_at: Option<Timestamp>,
    pub archived: Option<Archived>,
    pub import: Option<ImportKey>,
    pub quality_score: i64,
    /// Oldest first.
    pub corrections: Vec<Correction>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

impl Content {
    /// What authorization needs to know about it.
    pub fn content_ref(&self) -> ContentRef {
        ContentRef {
            id: self.id,
            org: self.org.clone(),
            author: self.author,
            status: self.status,
            regions: self.regions.clone(),
            moderated: self.archived.as_ref().is_some_and(|a| a.kind == ArchiveKind::Unpublish),
        }
    }

    /// Its editable content, as [`update`] takes it (to pre-fill a form or
    /// run the quality check).
    pub fn draft(&self) -> ContentDraft {
        ContentDraft {
            kind: self.kind,
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            language: self.language,
            provenance: Some(self.provenance),
            regions: self.regions.clone(),
            topics: self.topics.clone(),
            cover: self.cover.clone(),
            gallery: self.gallery.clone(),
            source: self.source.clone(),
            agenda: self.agenda.clone(),
            product: self.product.clone(),
        }
    }

    /// Returned to its author and not resubmitted since.
    pub fn is_returned(&self) -> bool {
        self.status == ContentStatus::Draft && self.returned_at.is_some()
    }
}

const COLUMNS: &str = "c.id, c.kind, c.status, c.title, c.summary, c.body, c.body_html, c.language, c.provenance, \
     c.org_id, o.kind AS org_kind, o.region_code AS org_region, o.name AS org_name, c.author_id, c.cover_media_id, \
     c.cover_caption, c.source_name, c.source_url, c.starts_at, c.ends_at, c.place, c.price_min, c.price_max, \
     c.contact, c.slug, c.publish_at, c.published_at, c.submitted_at, c.returned_at, c.archived_at, c.archive_kind, \
     c.archive_reason, c.import_source, c.import_id, c.quality_score, c.created_at, c.updated_at, c.version";
const FROM: &str = "content c JOIN organisations o ON o.id = c.org_id";

#[derive(sqlx::FromRow)]
struct ContentRow {
    id: String,
    kind: String,
    status: String,
    title: String,
    summary: Option<String>,
    body: String,
    body_html: String,
    language: String,
    provenance: String,
    org_id: String,
    org_kind: String,
    org_region: String,
    org_name: String,
    author_id: Option<String>,
    cover_media_id: Option<String>,
    cover_caption: Option<String>,
    source_name: Option<String>,
    source_url: Option<String>,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    place: Option<String>,
    price_min: Option<i64>,
    price_max: Option<i64>,
    contact: Option<String>,
    slug: String,
    publish_at: Option<i64>,
    published_at: Option<i64>,
    submitted_at: Option<i64>,
    returned_at: Option<i64>,
    archived_at: Option<i64>,
    archive_kind: Option<String>,
    archive_reason: Option<String>,
    import_source: Option<String>,
    import_id: Option<String>,
    quality_score: i64,
    created_at: i64,
    updated_at: i64,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct CorrectionRow {
    id: String,
    body: String,
    author_id: Option<String>,
    at: i64,
}

impl CorrectionRow {
    fn into_correction(self) -> StoreResult<Correction> {
        Ok(Correction {
            id: parse_stored(&self.id, "correction id")?,
            body: self.body,
            author: parse_stored_opt(self.author_id.as_deref(), "user id")?,
            at: Timestamp(self.at),
        })
    }
}

/// An item's row and the rows of its lists, read with one connection.
struct Parts {
    row: ContentRow,
    regions: Vec<String>,
    topics: Vec<String>,
    gallery: Vec<(String, Option<String>)>,
    corrections: Vec<CorrectionRow>,
}

fn org_ref(id: &str, kind: &str, region: &str) -> StoreResult<OrgRef> {
    Ok(OrgRef {
        id: parse_stored(id, "organisation id")?,
        kind: stored(OrgKind::parse(kind), "organisation kind")?,
        region: parse_stored(region, "region")?,
    })
}

fn image(media: Option<&str>, caption: Option<String>) -> StoreResult<Option<Image>> {
    media.map(|m| Ok(Image { media: parse_stored(m, "media id")?, caption })).transpose()
}

impl Parts {
    fn into_content(self) -> StoreResult<Content> {
        let r = self.row;
        let kind = stored(ContentType::parse(&r.kind), "content type")?;
        let agenda = match (kind, r.starts_at) {
            (ContentType::Agenda, Some(starts_at)) => Some(Agenda {
                starts_at: Timestamp(starts_at),
                ends_at: r.ends_at.map(Timestamp),
                place: r.place.unwrap_or_default(),
            }),
            _ => None,
        };
        let product = match (kind, r.price_min, r.contact) {
            (ContentType::Produk, Some(price_min), Some(contact)) => {
                Some(Product { price_min, price_max: r.price_max, contact: ProductContact::from_stored(contact) })
            }
            _ => None,
        };
        let archived = match (r.archived_at, r.archive_kind.as_deref()) {
            (Some(at), Some(kind)) => Some(Archived {
                at: Timestamp(at),
                kind: stored(ArchiveKind::parse(kind), "archive kind")?,
                reason: r.archive_reason,
            }),
            _ => None,
        };
        let source = (r.source_name.is_some() || r.source_url.is_some())
            .then_some(Source { name: r.source_name, url: r.source_url });
        let import = match (r.import_source, r.import_id) {
            (Some(source), Some(id)) => Some(ImportKey { source, id }),
            _ => None,
        };
        Ok(Content {
            id: parse_stored(&r.id, "content id")?,
            kind,
            status: stored(ContentStatus::parse(&r.status), "content status")?,
            title: r.title,
            summary: r.summary,
            body: r.body,
            body_html: r.body_html,
            language: stored(Language::parse(&r.language), "language")?,
            provenance: stored(Provenance::parse(&r.provenance), "provenance")?,
            org: org_ref(&r.org_id, &r.org_kind, &r.org_region)?,
            org_name: r.org_name,
            author: parse_stored_opt(r.author_id.as_deref(), "user id")?,
            regions: self.regions.iter().map(|c| parse_stored(c, "region")).collect::<StoreResult<_>>()?,
            topics: self.topics,
            cover: image(r.cover_media_id.as_deref(), r.cover_caption)?,
            gallery: self
                .gallery
                .into_iter()
                .map(|(m, caption)| Ok(Image { media: parse_stored(&m, "media id")?, caption }))
                .collect::<StoreResult<_>>()?,
            source,
            agenda,
            product,
            slug: r.slug,
            publish_at: r.publish_at.map(Timestamp),
            published_at: r.published_at.map(Timestamp),
            submitted_at: r.submitted_at.map(Timestamp),
            returned_at: r.returned_at.map(Timestamp),
            archived,
            import,
            quality_score: r.quality_score,
            corrections: self
                .corrections
                .into_iter()
                .map(CorrectionRow::into_correction)
                .collect::<StoreResult<_>>()?,
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
            version: r.version,
        })
    }
}

/// Reads an item's [`Parts`] with the connection `$conn` (a
/// `&mut SqliteConnection` or `&mut PgConnection`).
macro_rules! load_parts {
    ($conn:ident, $id:expr) => {{
        let id: &str = $id;
        let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE c.id = $1");
        match sqlx::query_as::<_, ContentRow>(&sql).bind(id).fetch_optional(&mut *$conn).await? {
            None => None,
            Some(row) => {
                let regions: Vec<String> = sqlx::query_scalar(
                    "SELECT region_code FROM content_regions WHERE content_id = $1 ORDER BY region_code",
                )
                .bind(id)
                .fetch_all(&mut *$conn)
                .await?;
                let topics: Vec<String> =
                    sqlx::query_scalar("SELECT topic FROM content_topics WHERE content_id = $1 ORDER BY position")
                        .bind(id)
                        .fetch_all(&mut *$conn)
                        .await?;
                let gallery: Vec<(String, Option<String>)> = sqlx::query_as(
                    "SELECT media_id, caption FROM content_gallery WHERE content_id = $1 ORDER BY position",
                )
                .bind(id)
                .fetch_all(&mut *$conn)
                .await?;
                let corrections: Vec<CorrectionRow> = sqlx::query_as(
                    "SELECT id, body, author_id, at FROM content_corrections WHERE content_id = $1 ORDER BY at, id",
                )
                .bind(id)
                .fetch_all(&mut *$conn)
                .await?;
                Some(Parts { row, regions, topics, gallery, corrections })
            }
        }
    }};
}

/// An item within a transaction.
pub(crate) async fn get_tx(tx: &mut Tx<'_>, id: ContentId) -> StoreResult<Option<Content>> {
    let id = id.to_string();
    let parts: Option<Parts> = on_tx!(tx, conn => load_parts!(conn, &id));
    parts.map(Parts::into_content).transpose()
}

/// An item by id, whatever its status (the web layer checks who may see
/// what is not published).
pub async fn get(db: &Db, id: ContentId) -> StoreResult<Option<Content>> {
    let id = id.to_string();
    let parts: Option<Parts> = on_read_conn!(db, conn => load_parts!(conn, &id));
    parts.map(Parts::into_content).transpose()
}

#[derive(sqlx::FromRow)]
struct RefRow {
    org_id: String,
    org_kind: String,
    org_region: String,
    author_id: Option<String>,
    status: String,
    archive_kind: Option<String>,
}

/// What authorization needs to know about an item; `NotFound` when there
/// is none.
pub async fn content_ref(db: &Db, id: ContentId) -> StoreResult<ContentRef> {
    let key = id.to_string();
    let (row, regions): (Option<RefRow>, Vec<String>) = on_read_conn!(db, conn => {
        let row = sqlx::query_as::<_, RefRow>(
            "SELECT c.org_id, o.kind AS org_kind, o.region_code AS org_region, c.author_id, c.status, c.archive_kind \
             FROM content c JOIN organisations o ON o.id = c.org_id WHERE c.id = $1",
        )
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?;
        let regions =
            sqlx::query_scalar("SELECT region_code FROM content_regions WHERE content_id = $1 ORDER BY region_code")
                .bind(&key)
                .fetch_all(&mut *conn)
                .await?;
        (row, regions)
    });
    let row = row.ok_or(StoreError::NotFound)?;
    Ok(ContentRef {
        id,
        org: org_ref(&row.org_id, &row.org_kind, &row.org_region)?,
        author: parse_stored_opt(row.author_id.as_deref(), "user id")?,
        status: stored(ContentStatus::parse(&row.status), "content status")?,
        regions: regions.iter().map(|c| parse_stored(c, "region")).collect::<StoreResult<_>>()?,
        moderated: row.archive_kind.as_deref() == Some(ArchiveKind::Unpublish.as_str()),
    })
}

/// Checks what a draft names against what is stored, and returns the
/// provenance the item gets.
async fn check_refs(tx: &mut Tx<'_>, org: &OrgRef, draft: &ContentDraft) -> StoreResult<Provenance> {
    Ok(check_refs_many(tx, &[(org, draft)]).await?[0])
}

/// [`check_refs`] for many drafts with one query per referenced table; the
/// first error found is returned.
async fn check_refs_many(tx: &mut Tx<'_>, drafts: &[(&OrgRef, &ContentDraft)]) -> StoreResult<Vec<Provenance>> {
    let invalid = |field, code| StoreError::Invalid(FieldError::new(field, code));
    let mut provenances = Vec::with_capacity(drafts.len());
    let (mut regions, mut topic_slugs, mut media_ids) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for (org, draft) in drafts {
        provenances.push(Provenance::resolve(draft.provenance, org.kind).map_err(StoreError::Invalid)?);
        check_targets(org, &draft.regions).map_err(StoreError::Invalid)?;
        if draft.regions.is_empty() {
            return Err(invalid("regions", ValidationCode::Required));
        }
        if draft.topics.is_empty() {
            return Err(invalid("topics", ValidationCode::Required));
        }
        let kind_fields_ok = (draft.kind == ContentType::Agenda) == draft.agenda.is_some()
            && (draft.kind == ContentType::Produk) == draft.product.is_some();
        if !kind_fields_ok {
            return Err(invalid("kind", ValidationCode::InvalidChoice));
        }
        regions.extend(draft.regions.iter().map(RegionCode::as_str));
        topic_slugs.extend(draft.topics.iter().cloned());
        media_ids.extend(draft.cover.iter().chain(&draft.gallery).map(|image| image.media));
    }
    let regions: Vec<&str> = regions.into_iter().collect();
    for chunk in regions.chunks(crate::db::rows_per_statement(tx.backend(), 1)) {
        let mut args = Args::default();
        let sql = format!("SELECT COUNT(*) FROM regions WHERE code IN ({})", args.texts(chunk.iter().copied()));
        let found: i64 = on_tx!(tx, conn => bind_args!(sqlx::query_scalar(&sql), args).fetch_one(conn).await)?;
        if found != chunk.len() as i64 {
            return Err(invalid("regions", ValidationCode::UnknownRegion));
        }
    }
    if !topics::missing_tx(tx, &topic_slugs.into_iter().collect::<Vec<_>>()).await?.is_empty() {
        return Err(invalid("topics", ValidationCode::InvalidChoice));
    }
    let missing = media::missing_tx(tx, &media_ids.into_iter().collect::<Vec<_>>()).await?;
    for (_, draft) in drafts {
        if draft.cover.as_ref().is_some_and(|cover| missing.contains(&cover.media)) {
            return Err(invalid("cover_media", ValidationCode::InvalidChoice));
        }
        if draft.gallery.iter().any(|image| missing.contains(&image.media)) {
            return Err(invalid("gallery", ValidationCode::InvalidChoice));
        }
    }
    Ok(provenances)
}

/// The publisher as stored; an unknown organisation is `Invalid` on `org`.
async fn publisher(tx: &mut Tx<'_>, org: OrgId) -> StoreResult<OrgRef> {
    organisations::org_ref_tx(tx, org)
        .await?
        .ok_or_else(|| StoreError::Invalid(FieldError::new("org", ValidationCode::InvalidChoice)))
}

/// Replaces an item's regions, topics and gallery, then syncs their listing.
async fn write_lists(tx: &mut Tx<'_>, id: &str, draft: &ContentDraft) -> StoreResult<()> {
    for table in ["content_regions", "content_reach", "content_topics", "content_gallery"] {
        exec!(tx, sqlx::query(&format!("DELETE FROM {table} WHERE content_id = $1")).bind(id))?;
    }
    insert_lists(tx, &[(id, draft, None)]).await?;
    sync_listing(tx, id).await
}

/// Writes the regions, reach, topics and gallery of new items, each
/// `(id, draft, listed_at)`, with a few multi-row statements per table.
async fn insert_lists(tx: &mut Tx<'_>, items: &[(&str, &ContentDraft, Option<i64>)]) -> StoreResult<()> {
    let mut regions = Vec::new();
    let mut reached = Vec::new();
    let mut topics = Vec::new();
    let mut gallery = Vec::new();
    for &(id, draft, listed_at) in items {
        regions.extend(draft.regions.iter().map(|region| (id, region.as_str(), listed_at)));
        reached.extend(reach(&draft.regions).into_iter().map(|(region, target)| (id, region, target, listed_at)));
        topics.extend(draft.topics.iter().enumerate().map(|(position, topic)| (id, topic, position as i64, listed_at)));
        gallery.extend(draft.gallery.iter().enumerate().map(|(position, image)| (id, image, position as i64)));
    }
    insert_rows!(
        tx,
        "INSERT INTO content_regions (content_id, region_code, listed_at)",
        3,
        "",
        regions,
        |query, row| query.bind(row.0).bind(row.1).bind(row.2)
    );
    insert_rows!(
        tx,
        "INSERT INTO content_reach (content_id, region_code, target_code, listed_at)",
        4,
        "",
        reached,
        |query, row| query.bind(row.0).bind(row.1.as_str()).bind(row.2.as_str()).bind(row.3)
    );
    insert_rows!(
        tx,
        "INSERT INTO content_topics (content_id, topic, position, listed_at)",
        4,
        "",
        topics,
        |query, row| query.bind(row.0).bind(row.1.as_str()).bind(row.2).bind(row.3)
    );
    insert_rows!(
        tx,
        "INSERT INTO content_gallery (content_id, media_id, caption, position)",
        4,
        "",
        gallery,
        |query, row| query.bind(row.0).bind(row.1.media.to_string()).bind(row.1.caption.as_deref()).bind(row.2)
    );
    Ok(())
}

/// Every region the targets reach (each target and the regions above it),
/// with the most specific target that reaches it.
fn reach(targets: &[RegionCode]) -> std::collections::BTreeMap<RegionCode, RegionCode> {
    let mut reach = std::collections::BTreeMap::<RegionCode, RegionCode>::new();
    for target in targets {
        for region in target.lineage() {
            let entry = reach.entry(region).or_insert_with(|| target.clone());
            if target.as_str().len() > entry.as_str().len() {
                *entry = target.clone();
            }
        }
    }
    reach
}

/// Sets the listing dates of an item's regions and topics from its status.
async fn sync_listing(tx: &mut Tx<'_>, id: &str) -> StoreResult<()> {
    for table in ["content_regions", "content_reach", "content_topics"] {
        let sql = format!(
            "UPDATE {table} SET listed_at = (SELECT CASE WHEN c.status = 'published' THEN c.published_at END \
             FROM content c WHERE c.id = $1) WHERE content_id = $1"
        );
        exec!(tx, sqlx::query(&sql).bind(id))?;
    }
    Ok(())
}

async fn write_revision(
    tx: &mut Tx<'_>,
    id: &str,
    version: i64,
    draft: &ContentDraft,
    editor: Option<UserId>,
) -> StoreResult<()> {
    insert_revisions(tx, &[(id, version, draft, editor)]).await
}

/// Writes revisions, each `(id, version, draft, editor)`.
async fn insert_revisions(
    tx: &mut Tx<'_>,
    revisions: &[(&str, i64, &ContentDraft, Option<UserId>)],
) -> StoreResult<()> {
    let now = Timestamp::now().millis();
    insert_rows!(
        tx,
        "INSERT INTO content_revisions (content_id, version, title, summary, body, editor_id, at)",
        7,
        "",
        revisions,
        |query, row| {
            let (id, version, draft, editor) = row;
            query
                .bind(*id)
                .bind(*version)
                .bind(draft.title.as_str())
                .bind(draft.summary.as_deref())
                .bind(draft.body.as_str())
                .bind(editor.map(|u| u.to_string()))
                .bind(now)
        }
    );
    Ok(())
}

/// The non-personal view of an item the audit log keeps: no title or text
/// (they may name people), ids and states only.
fn audit_view(c: &Content) -> serde_json::Value {
    json!({
        "kind": c.kind.as_str(),
        "status": c.status.as_str(),
        "version": c.version,
        "org": c.org.id,
        "provenance": c.provenance.as_str(),
        "regions": c.regions.iter().map(RegionCode::as_str).collect::<Vec<_>>(),
        "topics": c.topics,
        "publish_at": c.publish_at,
        "quality_score": c.quality_score,
    })
}

fn entry(
    actor: Option<UserId>,
    action: &'static str,
    c: &Content,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditEntry {
    AuditEntry {
        actor,
        action,
        target_kind: "content",
        target_id: c.id.to_string(),
        scope_region: c.org.region.clone(),
        before,
        after,
    }
}

/// The draft's own columns, in the order [`DRAFT_COLUMNS`] names them.
struct DraftValues {
    kind: &'static str,
    title: String,
    summary: Option<String>,
    body: String,
    body_html: String,
    language: &'static str,
    provenance: &'static str,
    cover_media_id: Option<String>,
    cover_caption: Option<String>,
    source_name: Option<String>,
    source_url: Option<String>,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
    place: Option<String>,
    price_min: Option<i64>,
    price_max: Option<i64>,
    contact: Option<String>,
    slug: String,
    quality_score: i64,
}

impl DraftValues {
    fn of(draft: &ContentDraft, provenance: Provenance) -> Self {
        DraftValues {
            kind: draft.kind.as_str(),
            title: draft.title.clone(),
            summary: draft.summary.clone(),
            body: draft.body.clone(),
            body_html: markdown::to_html(&draft.body),
            language: draft.language.as_str(),
            provenance: provenance.as_str(),
            cover_media_id: draft.cover.as_ref().map(|c| c.media.to_string()),
            cover_caption: draft.cover.as_ref().and_then(|c| c.caption.clone()),
            source_name: draft.source.as_ref().and_then(|s| s.name.clone()),
            source_url: draft.source.as_ref().and_then(|s| s.url.clone()),
            starts_at: draft.agenda.as_ref().map(|a| a.starts_at.millis()),
            ends_at: draft.agenda.as_ref().and_then(|a| a.ends_at).map(Timestamp::millis),
            place: draft.agenda.as_ref().map(|a| a.place.clone()),
            price_min: draft.product.as_ref().map(|p| p.price_min),
            price_max: draft.product.as_ref().and_then(|p| p.price_max),
            contact: draft.product.as_ref().map(|p| p.contact.as_str().to_owned()),
            slug: slugify(&draft.title),
            quality_score: i64::from(quality::check(draft).score),
        }
    }
}

/// Binds [`DraftValues`] in column order to a query.
macro_rules! bind_draft {
    ($query:expr, $v:expr) => {
        $query
            .bind($v.kind)
            .bind(&$v.title)
            .bind($v.summary.as_deref())
            .bind(&$v.body)
            .bind(&$v.body_html)
            .bind($v.language)
            .bind($v.provenance)
            .bind($v.cover_media_id.as_deref())
            .bind($v.cover_caption.as_deref())
            .bind($v.source_name.as_deref())
            .bind($v.source_url.as_deref())
            .bind($v.starts_at)
            .bind($v.ends_at)
            .bind($v.place.as_deref())
            .bind($v.price_min)
            .bind($v.price_max)
            .bind($v.contact.as_deref())
            .bind(&$v.slug)
            .bind($v.quality_score)
    };
}

const DRAFT_COLUMNS: &[&str] = &[
    "kind",
    "title",
    "summary",
    "body",
    "body_html",
    "language",
    "provenance",
    "cover_media_id",
    "cover_caption",
    "source_name",
    "source_url",
    "starts_at",
    "ends_at",
    "place",
    "price_min",
    "price_max",
    "contact",
    "slug",
    "quality_score",
];

/// An item about to be inserted by [`insert_many`].
#[derive(Clone, Copy)]
struct NewItem<'a> {
    id: ContentId,
    org: &'a OrgRef,
    author: Option<UserId>,
    draft: &'a ContentDraft,
    /// Published at this time, or a draft when `None`.
    published_at: Option<Timestamp>,
    import: Option<&'a ImportKey>,
}

impl NewItem<'_> {
    fn status(&self) -> ContentStatus {
        if self.published_at.is_some() { ContentStatus::Published } else { ContentStatus::Draft }
    }

    /// What the audit log keeps of the item as inserted: [`audit_view`]
    /// without reading it back.
    fn audit_view(&self, provenance: Provenance, quality_score: i64) -> serde_json::Value {
        let mut regions: Vec<&str> = self.draft.regions.iter().map(RegionCode::as_str).collect();
        regions.sort_unstable();
        json!({
            "kind": self.draft.kind.as_str(),
            "status": self.status().as_str(),
            "version": 1,
            "org": self.org.id,
            "provenance": provenance.as_str(),
            "regions": regions,
            "topics": self.draft.topics,
            "publish_at": None::<Timestamp>,
            "quality_score": quality_score,
        })
    }
}

/// Columns of `content` a new item fills besides [`DRAFT_COLUMNS`].
const NEW_ITEM_COLUMNS: &[&str] = &[
    "id",
    "status",
    "org_id",
    "author_id",
    "published_at",
    "import_source",
    "import_id",
    "created_at",
    "updated_at",
    "version",
];

/// Inserts new items with their first revisions and lists, a few
/// statements for all of them. Returns the audit view of each item
/// inserted (by id); an item whose import key is already stored (also by
/// a transaction committed meanwhile: the insert waits for it) is skipped,
/// so parallel imports of one source id never fail.
async fn insert_many(tx: &mut Tx<'_>, items: &[NewItem<'_>]) -> StoreResult<HashMap<ContentId, serde_json::Value>> {
    if items.is_empty() {
        return Ok(HashMap::new());
    }
    let refs: Vec<(&OrgRef, &ContentDraft)> = items.iter().map(|item| (item.org, item.draft)).collect();
    let provenances = check_refs_many(tx, &refs).await?;
    let rows: Vec<(&NewItem, DraftValues)> = items
        .iter()
        .zip(&provenances)
        .map(|(item, &provenance)| (item, DraftValues::of(item.draft, provenance)))
        .collect();
    let now = Timestamp::now().millis();
    let columns = DRAFT_COLUMNS.len() + NEW_ITEM_COLUMNS.len();
    let head = format!("INSERT INTO content ({}, {})", DRAFT_COLUMNS.join(", "), NEW_ITEM_COLUMNS.join(", "));
    let mut inserted = Vec::with_capacity(items.len());
    for chunk in rows.chunks(crate::db::rows_per_statement(tx.backend(), columns)) {
        let sql = format!(
            "{head} VALUES {} ON CONFLICT (import_source, import_id) DO NOTHING RETURNING id",
            crate::db::value_tuples(tx.backend(), chunk.len(), columns)
        );
        let ids: Vec<String> = on_tx!(tx, conn => {
            let mut query = sqlx::query_scalar(&sql);
            for (item, values) in chunk {
                query = bind_draft!(query, values)
                    .bind(item.id.to_string())
                    .bind(item.status().as_str())
                    .bind(item.org.id.to_string())
                    .bind(item.author.map(|a| a.to_string()))
                    .bind(item.published_at.map(Timestamp::millis))
                    .bind(item.import.map(|i| i.source.as_str()))
                    .bind(item.import.map(|i| i.id.as_str()))
                    .bind(now)
                    .bind(now)
                    .bind(1_i64);
            }
            query.fetch_all(conn).await
        })?;
        inserted.extend(ids);
    }
    let inserted: BTreeSet<String> = inserted.into_iter().collect();
    let written: Vec<(&NewItem, &DraftValues, String, Provenance)> = rows
        .iter()
        .zip(&provenances)
        .map(|((item, values), &provenance)| (*item, values, item.id.to_string(), provenance))
        .filter(|(_, _, id, _)| inserted.contains(id))
        .collect();
    let lists: Vec<(&str, &ContentDraft, Option<i64>)> = written
        .iter()
        .map(|(item, _, id, _)| (id.as_str(), item.draft, item.published_at.map(Timestamp::millis)))
        .collect();
    insert_lists(tx, &lists).await?;
    let revisions: Vec<(&str, i64, &ContentDraft, Option<UserId>)> =
        written.iter().map(|(item, _, id, _)| (id.as_str(), 1, item.draft, item.author)).collect();
    insert_revisions(tx, &revisions).await?;
    Ok(written
        .iter()
        .map(|(item, values, _, provenance)| (item.id, item.audit_view(*provenance, values.quality_score)))
        .collect())
}

/// Creates a draft of `org` written by `author` (the web layer has checked
/// `Action::CreateContent`). Refused as `Invalid` when the organisation,
/// a region, a topic or an image is unknown, a target lies outside the
/// publisher's reach, or the provenance does not suit the publisher.
pub async fn create(tx: &mut Tx<'_>, org: OrgId, author: Option<UserId>, draft: &ContentDraft) -> StoreResult<Content> {
    let org = publisher(tx, org).await?;
    let id = ContentId::generate();
    let item = NewItem { id, org: &org, author, draft, published_at: None, import: None };
    if insert_many(tx, &[item]).await?.is_empty() {
        return Err(StoreError::Conflict("content"));
    }
    let content = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    audit::append(tx, &entry(author, action::CONTENT_CREATE, &content, None, Some(audit_view(&content)))).await?;
    changes::record(tx, Entity::Content, &id.to_string()).await?;
    Ok(content)
}

/// An item to import from another site.
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub key: ImportKey,
    pub draft: ContentDraft,
    /// When the source published it: imported as published at that time;
    /// `None` imports a draft.
    pub published_at: Option<Timestamp>,
}

/// What [`import`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new item.
    Created(ContentId),
    /// An item with this source and id was imported before; nothing changed.
    Existing(ContentId),
}

/// The id of the item imported with a source ($1) and id ($2).
const IMPORTED_ID: &str = "SELECT id FROM content WHERE import_source = $1 AND import_id = $2";

/// The item imported with `key`, if any, as the transaction sees it.
async fn import_id_tx(tx: &mut Tx<'_>, key: &ImportKey) -> StoreResult<Option<ContentId>> {
    let id: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(IMPORTED_ID)
    .bind(&key.source)
    .bind(&key.id)
    .fetch_optional(conn)
    .await)?;
    id.map(|id| parse_stored(&id, "content id")).transpose()
}

/// The item imported with `key`, if any.
pub async fn find_import(db: &Db, key: &ImportKey) -> StoreResult<Option<ContentId>> {
    let id: Option<String> = crate::on_pool!(db, pool => sqlx::query_scalar(IMPORTED_ID)
    .bind(&key.source)
    .bind(&key.id)
    .fetch_optional(pool)
    .await)?;
    id.map(|id| parse_stored(&id, "content id")).transpose()
}

/// Imports an item for `org`, idempotently: an item already imported
/// with the same key is left as it is. Checked like [`create`].
pub async fn import(
    tx: &mut Tx<'_>,
    org: OrgId,
    author: Option<UserId>,
    item: &ImportItem,
) -> StoreResult<ImportOutcome> {
    Ok(import_many(tx, author, &[(org, item)]).await?[0])
}

/// Imports many items, each for its organisation, with a few statements
/// for all of them (how `seed` writes a million items); outcomes in their
/// order. One invalid new item fails them all: a caller that wants
/// per-item errors imports one at a time with [`import`].
pub async fn import_many(
    tx: &mut Tx<'_>,
    author: Option<UserId>,
    items: &[(OrgId, &ImportItem)],
) -> StoreResult<Vec<ImportOutcome>> {
    let stored = imported_ids(tx, items.iter().map(|(_, item)| &item.key)).await?;
    let mut publishers: HashMap<OrgId, OrgRef> = HashMap::new();
    for (org, item) in items {
        if !stored.contains_key(&item.key) && !publishers.contains_key(org) {
            publishers.insert(*org, publisher(tx, *org).await?);
        }
    }
    let new: Vec<(usize, NewItem)> = items
        .iter()
        .enumerate()
        .filter(|(_, (_, item))| !stored.contains_key(&item.key))
        .map(|(position, (org, item))| {
            let new = NewItem {
                id: ContentId::generate(),
                org: &publishers[org],
                author,
                draft: &item.draft,
                published_at: item.published_at,
                import: Some(&item.key),
            };
            (position, new)
        })
        .collect();
    let mut created = insert_many(tx, &new.iter().map(|(_, item)| *item).collect::<Vec<_>>()).await?;
    let mut entries = Vec::with_capacity(created.len());
    let mut outcomes: Vec<Option<ImportOutcome>> = vec![None; items.len()];
    for (position, item) in &new {
        let (Some(mut after), Some(key)) = (created.remove(&item.id), item.import) else { continue };
        after["import_source"] = json!(key.source);
        entries.push(AuditEntry {
            actor: author,
            action: action::CONTENT_IMPORT,
            target_kind: "content",
            target_id: item.id.to_string(),
            scope_region: item.org.region.clone(),
            before: None,
            after: Some(after),
        });
        outcomes[*position] = Some(ImportOutcome::Created(item.id));
    }
    audit::append_many(tx, &entries).await?;
    let changed: Vec<&str> = entries.iter().map(|entry| entry.target_id.as_str()).collect();
    changes::record_many(tx, Entity::Content, &changed).await?;
    let mut finished = Vec::with_capacity(items.len());
    for (outcome, (_, item)) in outcomes.into_iter().zip(items) {
        let outcome = match (outcome, stored.get(&item.key)) {
            (Some(outcome), _) => outcome,
            (None, Some(id)) => ImportOutcome::Existing(*id),
            // Stored meanwhile by another transaction, or by an earlier
            // item of this batch with the same key.
            (None, None) => ImportOutcome::Existing(import_id_tx(tx, &item.key).await?.ok_or(StoreError::NotFound)?),
        };
        finished.push(outcome);
    }
    Ok(finished)
}

/// The items already imported with any of `keys`.
async fn imported_ids<'k>(
    tx: &mut Tx<'_>,
    keys: impl Iterator<Item = &'k ImportKey>,
) -> StoreResult<HashMap<ImportKey, ContentId>> {
    let mut by_source: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for key in keys {
        by_source.entry(key.source.as_str()).or_default().push(key.id.as_str());
    }
    let mut found = HashMap::new();
    let per_statement = crate::db::rows_per_statement(tx.backend(), 1);
    for (source, ids) in by_source {
        for chunk in ids.chunks(per_statement) {
            let mut args = Args::default();
            let source_arg = args.text(source);
            let list = args.texts(chunk.iter().copied());
            let sql = format!(
                "SELECT import_id, id FROM content WHERE import_source = {source_arg} AND import_id IN ({list})"
            );
            let rows: Vec<(String, String)> =
                on_tx!(tx, conn => bind_args!(sqlx::query_as(&sql), args).fetch_all(conn).await)?;
            for (import_id, id) in rows {
                let key = ImportKey { source: source.to_owned(), id: import_id };
                found.insert(key, parse_stored(&id, "content id")?);
            }
        }
    }
    Ok(found)
}

/// The names of the fields that differ between two drafts, for the audit log.
fn changed_fields(before: &ContentDraft, after: &ContentDraft) -> Vec<&'static str> {
    [
        ("kind", before.kind != after.kind),
        ("title", before.title != after.title),
        ("summary", before.summary != after.summary),
        ("body", before.body != after.body),
        ("language", before.language != after.language),
        ("provenance", before.provenance != after.provenance && after.provenance.is_some()),
        ("regions", before.regions != after.regions),
        ("topics", before.topics != after.topics),
        ("cover", before.cover != after.cover),
        ("gallery", before.gallery != after.gallery),
        ("source", before.source != after.source),
        ("agenda", before.agenda != after.agenda),
        ("product", before.product != after.product),
    ]
    .into_iter()
    .filter_map(|(name, differs)| differs.then_some(name))
    .collect()
}

/// Saves a new version of an item if its version is still `version`;
/// otherwise [`StoreError::Stale`] and nothing is written. Writes the
/// revision of the new version. An archived item is restored first
/// (`Invalid` on `status`). Checked like [`create`].
pub async fn update(
    tx: &mut Tx<'_>,
    id: ContentId,
    version: i64,
    draft: &ContentDraft,
    actor: Option<UserId>,
) -> StoreResult<Content> {
    let before = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    if before.version != version {
        return Err(StoreError::Stale);
    }
    if !editable(before.status) {
        return Err(StoreError::Invalid(FieldError::new("status", ValidationCode::InvalidTransition)));
    }
    let provenance = check_refs(tx, &before.org, draft).await?;
    let key = id.to_string();
    let values = DraftValues::of(draft, provenance);
    let n = DRAFT_COLUMNS.len();
    let sets = DRAFT_COLUMNS.iter().enumerate().map(|(i, c)| format!("{c} = ${}", i + 1)).collect::<Vec<_>>();
    let sql = format!(
        "UPDATE content SET {}, updated_at = ${}, version = version + 1 WHERE id = ${} AND version = ${}",
        sets.join(", "),
        n + 1,
        n + 2,
        n + 3
    );
    let updated =
        exec!(tx, bind_draft!(sqlx::query(&sql), values).bind(Timestamp::now().millis()).bind(&key).bind(version))?;
    if updated == 0 {
        return Err(StoreError::Stale);
    }
    write_lists(tx, &key, draft).await?;
    write_revision(tx, &key, version + 1, draft, actor).await?;
    let after = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    let mut after_view = audit_view(&after);
    after_view["changed"] = json!(changed_fields(&before.draft(), draft));
    audit::append(tx, &entry(actor, action::CONTENT_UPDATE, &after, Some(audit_view(&before)), Some(after_view)))
        .await?;
    changes::record(tx, Entity::Content, &key).await?;
    Ok(after)
}

/// Reads an item for a workflow step: `NotFound`, `Stale` when `version`
/// is given and differs, `Invalid` on `status` when the step is not
/// allowed from its status.
async fn begin_step(
    tx: &mut Tx<'_>,
    id: ContentId,
    version: Option<i64>,
    action: WorkflowAction,
) -> StoreResult<(Content, ContentStatus)> {
    let before = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    if version.is_some_and(|v| v != before.version) {
        return Err(StoreError::Stale);
    }
    let next = transition(before.status, action).map_err(|e| StoreError::Invalid(e.into()))?;
    Ok((before, next))
}

/// A workflow step's write: the status it moves to, `set` (SQL
/// assignments after `status = $1`, their placeholders from [`StepArgs`]),
/// its audit action and what the audit entry adds.
struct StepWrite {
    next: ContentStatus,
    set: String,
    args: StepArgs,
    action: &'static str,
    extra: serde_json::Value,
}

/// Applies a step's write if the item is still in the status and version
/// read; `Stale` otherwise. Then syncs listings, appends the audit entry,
/// records the change and returns the item after.
async fn finish_step(
    tx: &mut Tx<'_>,
    before: &Content,
    step: StepWrite,
    actor: Option<UserId>,
) -> StoreResult<Content> {
    let key = before.id.to_string();
    let args = step.args.into_args();
    let sql = format!(
        "UPDATE content SET status = $1, {} WHERE id = $2 AND status = $3 AND version = ${}",
        step.set,
        args.0.len() + 4
    );
    let updated = exec!(
        tx,
        bind_args!(sqlx::query(&sql).bind(step.next.as_str()).bind(&key).bind(before.status.as_str()), args)
            .bind(before.version)
    )?;
    if updated == 0 {
        return Err(StoreError::Stale);
    }
    sync_listing(tx, &key).await?;
    let after = get_tx(tx, before.id).await?.ok_or(StoreError::NotFound)?;
    let mut after_view = json!({ "status": after.status.as_str(), "version": after.version });
    if let (Some(view), Some(extra)) = (after_view.as_object_mut(), step.extra.as_object()) {
        view.extend(extra.clone());
    }
    audit::append(
        tx,
        &entry(actor, step.action, &after, Some(json!({ "status": before.status.as_str() })), Some(after_view)),
    )
    .await?;
    changes::record(tx, Entity::Content, &key).await?;
    Ok(after)
}

/// Placeholders for [`finish_step`]'s `set`, numbered after its own three.
struct StepArgs(Args);

impl StepArgs {
    fn new() -> Self {
        // $1..$3 are finish_step's own (status, id, old status).
        StepArgs(Args(vec![
            crate::organisations::Arg::Int(0),
            crate::organisations::Arg::Int(0),
            crate::organisations::Arg::Int(0),
        ]))
    }

    fn int(&mut self, v: i64) -> String {
        self.0.int(v)
    }

    fn text(&mut self, v: impl Into<String>) -> String {
        self.0.text(v)
    }

    fn opt_text(&mut self, v: Option<String>) -> String {
        match v {
            Some(v) => self.text(v),
            None => "NULL".to_owned(),
        }
    }

    /// The arguments alone, placeholders already numbered from `$4`.
    fn into_args(self) -> Args {
        Args(self.0.0.into_iter().skip(3).collect())
    }
}

/// The author hands a draft to the reviewers (`Action::SubmitContent`).
pub async fn submit(tx: &mut Tx<'_>, id: ContentId, version: i64, actor: Option<UserId>) -> StoreResult<Content> {
    let (before, next) = begin_step(tx, id, Some(version), WorkflowAction::Submit).await?;
    let mut a = StepArgs::new();
    let set =
        format!("submitted_at = {now}, returned_at = NULL, updated_at = {now}", now = a.int(Timestamp::now().millis()));
    finish_step(tx, &before, StepWrite { next, set, args: a, action: action::CONTENT_SUBMIT, extra: json!({}) }, actor)
        .await
}

/// A reviewer sends an item back to its author with a comment
/// (`Action::ReturnContent`); the comment is kept with the item.
pub async fn return_to_author(
    tx: &mut Tx<'_>,
    id: ContentId,
    version: i64,
    comment: &str,
    actor: Option<UserId>,
) -> StoreResult<Content> {
    let comment = parse_note("comment", comment).map_err(StoreError::Invalid)?;
    let (before, next) = begin_step(tx, id, Some(version), WorkflowAction::ReturnToAuthor).await?;
    let mut a = StepArgs::new();
    let set =
        format!("returned_at = {now}, publish_at = NULL, updated_at = {now}", now = a.int(Timestamp::now().millis()));
    let after = finish_step(
        tx,
        &before,
        StepWrite { next, set, args: a, action: action::CONTENT_RETURN, extra: json!({}) },
        actor,
    )
    .await?;
    insert_comment(tx, &id.to_string(), CommentKind::Return, &comment, actor).await?;
    Ok(after)
}

/// A publisher publishes an item now (`Action::PublishContent`). An item
/// published before (archived, restored, republished) keeps its first date.
pub async fn publish_now(tx: &mut Tx<'_>, id: ContentId, version: i64, actor: Option<UserId>) -> StoreResult<Content> {
    let (before, next) = begin_step(tx, id, Some(version), WorkflowAction::PublishNow).await?;
    let mut a = StepArgs::new();
    let set = format!(
        "published_at = COALESCE(published_at, {now}), publish_at = NULL, updated_at = {now}",
        now = a.int(Timestamp::now().millis())
    );
    finish_step(tx, &before, StepWrite { next, set, args: a, action: action::CONTENT_PUBLISH, extra: json!({}) }, actor)
        .await
}

/// The idempotency key of the job publishing `id` at `at`.
fn publish_job_key(id: ContentId, at: Timestamp) -> String {
    format!("{PUBLISH_JOB}:{id}:{}", at.millis())
}

/// A publisher sets a time for an item to be published
/// (`Action::PublishContent`); a [`PUBLISH_JOB`] for that time is enqueued
/// in the same transaction (once per item and time). `Invalid` on
/// `publish_at` when the time is not in the future. Rescheduling leaves the
/// earlier job to find the item no longer due at its time.
pub async fn schedule(
    tx: &mut Tx<'_>,
    id: ContentId,
    version: i64,
    at: Timestamp,
    actor: Option<UserId>,
) -> StoreResult<Content> {
    let now = Timestamp::now();
    check_schedule(at, now).map_err(StoreError::Invalid)?;
    let (before, next) = begin_step(tx, id, Some(version), WorkflowAction::Schedule(at)).await?;
    let mut a = StepArgs::new();
    let set = format!("publish_at = {}, updated_at = {}", a.int(at.millis()), a.int(now.millis()));
    let after = finish_step(
        tx,
        &before,
        StepWrite { next, set, args: a, action: action::CONTENT_SCHEDULE, extra: json!({ "publish_at": at }) },
        actor,
    )
    .await?;
    let job = NewJob::new(PUBLISH_JOB, &PublishJob { content_id: id, at }).at(at).once(publish_job_key(id, at));
    jobs::enqueue(tx, &job).await?;
    Ok(after)
}

/// What the [`PUBLISH_JOB`] calls: publishes the item if it is still
/// scheduled for `at`, dated `at`. Returns false, writing nothing, when it
/// is not (returned, rescheduled, already published, unknown): the job is
/// then done all the same.
pub async fn publish_scheduled(tx: &mut Tx<'_>, id: ContentId, at: Timestamp) -> StoreResult<bool> {
    let Some(before) = get_tx(tx, id).await? else { return Ok(false) };
    if before.status != ContentStatus::Scheduled || before.publish_at != Some(at) {
        return Ok(false);
    }
    let next =
        transition(before.status, WorkflowAction::PublishScheduled).map_err(|e| StoreError::Invalid(e.into()))?;
    let mut a = StepArgs::new();
    let set = format!(
        "published_at = COALESCE(published_at, {}), publish_at = NULL, updated_at = {}",
        a.int(at.millis()),
        a.int(Timestamp::now().millis())
    );
    finish_step(
        tx,
        &before,
        StepWrite { next, set, args: a, action: action::CONTENT_PUBLISH, extra: json!({ "scheduled": true }) },
        None,
    )
    .await?;
    Ok(true)
}

/// Takes an item down as moderation, with a reason (the web layer has
/// checked `Action::UnpublishContent`). Only an administrator of the
/// region may restore it ([`ContentRef::moderated`]).
pub async fn unpublish(tx: &mut Tx<'_>, id: ContentId, reason: &str, actor: Option<UserId>) -> StoreResult<Content> {
    let reason = parse_note("reason", reason).map_err(StoreError::Invalid)?;
    archive_as(tx, id, ArchiveKind::Unpublish, Some(reason), actor).await
}

/// Retires an item of one's own organisation (`Action::ArchiveContent`);
/// the reason is optional.
pub async fn archive(
    tx: &mut Tx<'_>,
    id: ContentId,
    reason: Option<&str>,
    actor: Option<UserId>,
) -> StoreResult<Content> {
    let reason = match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => Some(parse_note("reason", r).map_err(StoreError::Invalid)?),
        None => None,
    };
    archive_as(tx, id, ArchiveKind::Archive, reason, actor).await
}

async fn archive_as(
    tx: &mut Tx<'_>,
    id: ContentId,
    kind: ArchiveKind,
    reason: Option<String>,
    actor: Option<UserId>,
) -> StoreResult<Content> {
    let step = match kind {
        ArchiveKind::Unpublish => WorkflowAction::Unpublish,
        ArchiveKind::Archive => WorkflowAction::Archive,
    };
    let (before, next) = begin_step(tx, id, None, step).await?;
    let mut a = StepArgs::new();
    let now = Timestamp::now().millis();
    let set = format!(
        "archived_at = {}, archive_kind = {}, archive_reason = {}, publish_at = NULL, updated_at = {}",
        a.int(now),
        a.text(kind.as_str()),
        a.opt_text(reason),
        a.int(now)
    );
    let audit_action = match kind {
        ArchiveKind::Unpublish => action::CONTENT_UNPUBLISH,
        ArchiveKind::Archive => action::CONTENT_ARCHIVE,
    };
    finish_step(
        tx,
        &before,
        StepWrite { next, set, args: a, action: audit_action, extra: json!({ "archive_kind": kind.as_str() }) },
        actor,
    )
    .await
}

/// Brings an archived item back to draft (`Action::RestoreContent`).
pub async fn restore_draft(tx: &mut Tx<'_>, id: ContentId, actor: Option<UserId>) -> StoreResult<Content> {
    let (before, next) = begin_step(tx, id, None, WorkflowAction::RestoreDraft).await?;
    let mut a = StepArgs::new();
    let set = format!(
        "archived_at = NULL, archive_kind = NULL, archive_reason = NULL, returned_at = NULL, updated_at = {}",
        a.int(Timestamp::now().millis())
    );
    finish_step(tx, &before, StepWrite { next, set, args: a, action: action::CONTENT_RESTORE, extra: json!({}) }, actor)
        .await
}

/// Adds a correction (ralat) to a published item (`Action::CorrectContent`);
/// it is shown publicly with its date. `Invalid` on `status` for an item
/// that is not published, on `correction` for an empty text.
pub async fn correct(tx: &mut Tx<'_>, id: ContentId, text: &str, actor: Option<UserId>) -> StoreResult<Correction> {
    let body = parse_note("correction", text).map_err(StoreError::Invalid)?;
    let content = get_tx(tx, id).await?.ok_or(StoreError::NotFound)?;
    if content.status != ContentStatus::Published {
        return Err(StoreError::Invalid(FieldError::new("status", ValidationCode::InvalidTransition)));
    }
    let correction = Correction { id: Uuid::now_v7(), body, author: actor, at: Timestamp::now() };
    exec!(
        tx,
        sqlx::query(
            "INSERT INTO content_corrections (id, content_id, body, author_id, at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(correction.id.to_string())
        .bind(id.to_string())
        .bind(&correction.body)
        .bind(actor.map(|a| a.to_string()))
        .bind(correction.at.millis())
    )?;
    exec!(
        tx,
        sqlx::query("UPDATE content SET updated_at = $1 WHERE id = $2")
            .bind(correction.at.millis())
            .bind(id.to_string())
    )?;
    audit::append(
        tx,
        &entry(actor, action::CONTENT_CORRECT, &content, None, Some(json!({ "correction_id": correction.id }))),
    )
    .await?;
    changes::record(tx, Entity::Content, &id.to_string()).await?;
    Ok(correction)
}

async fn insert_comment(
    tx: &mut Tx<'_>,
    id: &str,
    kind: CommentKind,
    body: &str,
    author: Option<UserId>,
) -> StoreResult<Comment> {
    let comment = Comment { id: Uuid::now_v7(), kind, body: body.to_owned(), author, at: Timestamp::now() };
    let kind = match kind {
        CommentKind::Comment => "comment",
        CommentKind::Return => "return",
    };
    exec!(
        tx,
        sqlx::query(
            "INSERT INTO content_comments (id, content_id, kind, body, author_id, at) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(comment.id.to_string())
        .bind(id)
        .bind(kind)
        .bind(&comment.body)
        .bind(author.map(|a| a.to_string()))
        .bind(comment.at.millis())
    )?;
    Ok(comment)
}

/// Adds a comment to an item (`Action::CommentContent`); `Invalid` on
/// `comment` for an empty or overlong text.
pub async fn comment(tx: &mut Tx<'_>, id: ContentId, text: &str, actor: Option<UserId>) -> StoreResult<Comment> {
    let body = parse_note("comment", text).map_err(StoreError::Invalid)?;
    let exists: Option<String> = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM content WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(conn)
        .await)?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    insert_comment(tx, &id.to_string(), CommentKind::Comment, &body, actor).await
}

/// An item's comments, oldest first.
pub async fn comments(db: &Db, id: ContentId) -> StoreResult<Vec<Comment>> {
    let rows: Vec<(String, String, String, Option<String>, i64)> = crate::on_pool!(db, pool => sqlx::query_as(
        "SELECT id, kind, body, author_id, at FROM content_comments WHERE content_id = $1 ORDER BY at, id",
    )
    .bind(id.to_string())
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|(id, kind, body, author, at)| {
            Ok(Comment {
                id: parse_stored(&id, "comment id")?,
                kind: if kind == "return" { CommentKind::Return } else { CommentKind::Comment },
                body,
                author: parse_stored_opt(author.as_deref(), "user id")?,
                at: Timestamp(at),
            })
        })
        .collect()
}

/// A saved version, as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionInfo {
    pub version: i64,
    pub editor: Option<UserId>,
    pub at: Timestamp,
}

/// A saved version's text, for the diff view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Revision {
    pub version: i64,
    pub title: String,
    pub summary: Option<String>,
    pub body: String,
    pub editor: Option<UserId>,
    pub at: Timestamp,
}

/// An item's saved versions, newest first.
pub async fn revisions(db: &Db, id: ContentId) -> StoreResult<Vec<RevisionInfo>> {
    let rows: Vec<(i64, Option<String>, i64)> = crate::on_pool!(db, pool => sqlx::query_as(
        "SELECT version, editor_id, at FROM content_revisions WHERE content_id = $1 ORDER BY version DESC",
    )
    .bind(id.to_string())
    .fetch_all(pool)
    .await)?;
    rows.into_iter()
        .map(|(version, editor, at)| {
            Ok(RevisionInfo { version, editor: parse_stored_opt(editor.as_deref(), "user id")?, at: Timestamp(at) })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    version: i64,
    title: String,
    summary: Option<String>,
    body: String,
    editor_id: Option<String>,
    at: i64,
}

/// One saved version of an item.
pub async fn revision(db: &Db, id: ContentId, version: i64) -> StoreResult<Option<Revision>> {
    let row = crate::on_pool!(db, pool => sqlx::query_as::<_, RevisionRow>(
        "SELECT version, title, summary, body, editor_id, at FROM content_revisions WHERE content_id = $1 AND version = $2",
    )
    .bind(id.to_string())
    .bind(version)
    .fetch_optional(pool)
    .await)?;
    row.map(|r| {
        Ok(Revision {
            version: r.version,
            title: r.title,
            summary: r.summary,
            body: r.body,
            editor: parse_stored_opt(r.editor_id.as_deref(), "user id")?,
            at: Timestamp(r.at),
        })
    })
    .transpose()
}

// ---------------------------------------------------------------------------
// Listings

/// An item as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentSummary {
    pub id: ContentId,
    pub kind: ContentType,
    pub status: ContentStatus,
    pub title: String,
    pub summary: Option<String>,
    pub slug: String,
    pub language: Language,
    pub provenance: Provenance,
    pub org: OrgRef,
    pub org_name: String,
    pub author: Option<UserId>,
    pub cover: Option<Image>,
    pub published_at: Option<Timestamp>,
    pub publish_at: Option<Timestamp>,
    pub submitted_at: Option<Timestamp>,
    /// Returned to its author and not resubmitted since.
    pub returned: bool,
    pub updated_at: Timestamp,
    pub version: i64,
    pub quality_score: i64,
    /// Agenda items: when and where.
    pub starts_at: Option<Timestamp>,
    pub place: Option<String>,
    /// With a region filter: the targeted region that matched, the most
    /// specific one when several did (a page labels the item by its level).
    pub matched_region: Option<RegionCode>,
}

const SUMMARY_COLUMNS: &str = "c.id, c.kind, c.status, c.title, c.summary, c.slug, c.language, c.provenance, c.org_id, \
     o.kind AS org_kind, o.region_code AS org_region, o.name AS org_name, c.author_id, c.cover_media_id, \
     c.cover_caption, c.published_at, c.publish_at, c.submitted_at, c.returned_at, c.updated_at, c.version, \
     c.quality_score, c.starts_at, c.place";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    kind: String,
    status: String,
    title: String,
    summary: Option<String>,
    slug: String,
    language: String,
    provenance: String,
    org_id: String,
    org_kind: String,
    org_region: String,
    org_name: String,
    author_id: Option<String>,
    cover_media_id: Option<String>,
    cover_caption: Option<String>,
    published_at: Option<i64>,
    publish_at: Option<i64>,
    submitted_at: Option<i64>,
    returned_at: Option<i64>,
    updated_at: i64,
    version: i64,
    quality_score: i64,
    starts_at: Option<i64>,
    place: Option<String>,
}

impl SummaryRow {
    fn into_summary(self) -> StoreResult<ContentSummary> {
        let status = stored(ContentStatus::parse(&self.status), "content status")?;
        Ok(ContentSummary {
            id: parse_stored(&self.id, "content id")?,
            kind: stored(ContentType::parse(&self.kind), "content type")?,
            status,
            title: self.title,
            summary: self.summary,
            slug: self.slug,
            language: stored(Language::parse(&self.language), "language")?,
            provenance: stored(Provenance::parse(&self.provenance), "provenance")?,
            org: org_ref(&self.org_id, &self.org_kind, &self.org_region)?,
            org_name: self.org_name,
            author: parse_stored_opt(self.author_id.as_deref(), "user id")?,
            cover: image(self.cover_media_id.as_deref(), self.cover_caption)?,
            published_at: self.published_at.map(Timestamp),
            publish_at: self.publish_at.map(Timestamp),
            submitted_at: self.submitted_at.map(Timestamp),
            returned: status == ContentStatus::Draft && self.returned_at.is_some(),
            updated_at: Timestamp(self.updated_at),
            version: self.version,
            quality_score: self.quality_score,
            starts_at: self.starts_at.map(Timestamp),
            place: self.place,
            matched_region: None,
        })
    }
}

/// Summaries of `ids`, in that order (ids not found are left out).
async fn summaries(db: &Db, ids: &[String]) -> StoreResult<Vec<ContentSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let sql = format!("SELECT {SUMMARY_COLUMNS} FROM {FROM} WHERE c.id IN ({})", args.texts(ids.iter().cloned()));
    let rows =
        crate::on_pool!(db, pool => bind_args!(sqlx::query_as::<_, SummaryRow>(&sql), args).fetch_all(pool).await)?;
    let mut by_id: HashMap<String, SummaryRow> = rows.into_iter().map(|r| (r.id.clone(), r)).collect();
    ids.iter().filter_map(|id| by_id.remove(id)).map(SummaryRow::into_summary).collect()
}

/// Which regions' items a listing shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionFilter {
    /// Items targeted at this region, any region above it or any region
    /// inside it: a region's page (a village page shows village, district,
    /// regency and province items; a regency page also what its districts
    /// and villages were sent).
    Around(RegionCode),
    /// Items targeted at this region or any region below it: the API's
    /// region filter, a regency's "from its villages".
    Within(RegionCode),
}

/// What a public listing shows: published items, newest first, narrowed by
/// every filter given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentFilter {
    pub region: Option<RegionFilter>,
    /// A topic slug.
    pub topic: Option<String>,
    pub kind: Option<ContentType>,
    pub org: Option<OrgId>,
    /// Published at or after (a date archive's month, the API's date range).
    pub published_from: Option<Timestamp>,
    /// Published before.
    pub published_until: Option<Timestamp>,
}

/// Where a page of a listing ends: the last item's publication time and id.
/// Written as `<millis>_<id>` in URLs and the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ContentCursor {
    pub published_at: Timestamp,
    pub id: ContentId,
}

impl fmt::Display for ContentCursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.published_at.millis(), self.id)
    }
}

impl FromStr for ContentCursor {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || FieldError::new("cursor", ValidationCode::InvalidChoice);
        let (millis, id) = s.trim().split_once('_').ok_or_else(invalid)?;
        Ok(ContentCursor {
            published_at: Timestamp(millis.parse().map_err(|_| invalid())?),
            id: id.parse().map_err(|_| invalid())?,
        })
    }
}

/// One page of a listing and where the next starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentPage {
    pub items: Vec<ContentSummary>,
    /// Pass as `after` for the next (older) page; `None` on the last.
    pub next: Option<ContentCursor>,
}

/// Most items one page holds.
pub const MAX_PAGE: i64 = 100;

/// Conditions on `c` (content) for the filter's kind, organisation and
/// dates, each starting with ` AND `.
fn content_conditions(filter: &ContentFilter, args: &mut Args) -> String {
    let mut sql = String::new();
    if let Some(kind) = filter.kind {
        sql.push_str(&format!(" AND c.kind = {}", args.text(kind.as_str())));
    }
    if let Some(org) = filter.org {
        sql.push_str(&format!(" AND c.org_id = {}", args.text(org.to_string())));
    }
    if let Some(from) = filter.published_from {
        sql.push_str(&format!(" AND c.published_at >= {}", args.int(from.millis())));
    }
    if let Some(until) = filter.published_until {
        sql.push_str(&format!(" AND c.published_at < {}", args.int(until.millis())));
    }
    sql
}

fn topic_exists(topic: &str, args: &mut Args) -> String {
    format!(
        " AND EXISTS (SELECT 1 FROM content_topics tw WHERE tw.content_id = c.id AND tw.topic = {})",
        args.text(topic)
    )
}

/// Published items matching `filter`, newest first, after `after`, at most
/// `limit` (capped at [`MAX_PAGE`]). Keyset pagination: pages never repeat
/// or skip an item, whatever is published meanwhile.
///
/// Region filters and topics read `content_reach`, `content_regions` and
/// `content_topics` in date order through their listing index (one short
/// scan per lineage level, merged here); other filters read `content` by
/// date.
pub async fn list(
    db: &Db,
    filter: &ContentFilter,
    after: Option<ContentCursor>,
    limit: i64,
) -> StoreResult<ContentPage> {
    let limit = limit.clamp(1, MAX_PAGE);
    let fetch = limit + 1;
    let mut args = Args::default();
    // Each arm: (table, alias, key column, key value). Arms yield
    // (content_id, listed_at, region_code) newest first.
    let arms: Vec<(&str, &str, &str, String)> = match (&filter.region, &filter.topic) {
        (Some(RegionFilter::Around(code)), _) => {
            // The region and below from the reach; above it, direct targets only.
            let mut lineage = code.lineage();
            lineage.pop();
            let above = lineage.into_iter().map(|l| ("content_regions", "r", "region_code", l.as_str().to_owned()));
            std::iter::once(("content_reach", "r", "region_code", code.as_str().to_owned())).chain(above).collect()
        }
        (Some(RegionFilter::Within(code)), _) => vec![("content_reach", "r", "region_code", code.as_str().to_owned())],
        (_, Some(topic)) => vec![("content_topics", "r", "topic", topic.clone())],
        _ => Vec::new(),
    };
    let rows: Vec<(String, i64, Option<String>)> = if arms.is_empty() {
        let mut sql = format!(
            "SELECT c.id, c.published_at, CAST(NULL AS TEXT) FROM content c WHERE c.status = 'published'{}",
            content_conditions(filter, &mut args)
        );
        if let Some(cursor) = after {
            sql.push_str(&format!(
                " AND (c.published_at, c.id) < ({}, {})",
                args.int(cursor.published_at.millis()),
                args.text(cursor.id.to_string())
            ));
        }
        sql.push_str(&format!(" ORDER BY c.published_at DESC, c.id DESC LIMIT {}", args.int(fetch)));
        crate::on_pool!(db, pool => bind_args!(sqlx::query_as(&sql), args).fetch_all(pool).await)?
    } else {
        let mut parts = Vec::new();
        for (i, (table, alias, column, value)) in arms.iter().enumerate() {
            let region_col = match *table {
                "content_regions" => format!("{alias}.region_code"),
                "content_reach" => format!("{alias}.target_code"),
                _ => "CAST(NULL AS TEXT)".into(),
            };
            let mut sql = format!(
                "SELECT {alias}.content_id AS content_id, {alias}.listed_at AS listed_at, {region_col} AS region_code \
                 FROM {table} {alias} JOIN content c ON c.id = {alias}.content_id \
                 WHERE {alias}.{column} = {} AND {alias}.listed_at IS NOT NULL{}",
                args.text(value.clone()),
                content_conditions(filter, &mut args)
            );
            if *table != "content_topics"
                && let Some(topic) = &filter.topic
            {
                sql.push_str(&topic_exists(topic, &mut args));
            }
            if let Some(cursor) = after {
                sql.push_str(&format!(
                    " AND ({alias}.listed_at, {alias}.content_id) < ({}, {})",
                    args.int(cursor.published_at.millis()),
                    args.text(cursor.id.to_string())
                ));
            }
            sql.push_str(&format!(
                " ORDER BY {alias}.listed_at DESC, {alias}.content_id DESC LIMIT {}",
                args.int(fetch)
            ));
            parts.push(format!("SELECT * FROM ({sql}) AS arm{i}"));
        }
        let sql = format!("{} ORDER BY listed_at DESC, content_id DESC", parts.join(" UNION ALL "));
        crate::on_pool!(db, pool => bind_args!(sqlx::query_as(&sql), args).fetch_all(pool).await)?
    };
    // Merge: one entry per item, keeping its most specific matched region.
    let mut picked: Vec<(String, i64, Option<String>)> = Vec::new();
    for (id, listed_at, region) in rows {
        if let Some(last) = picked.last_mut()
            && last.0 == id
        {
            if region.as_ref().map(String::len) > last.2.as_ref().map(String::len) {
                last.2 = region;
            }
            continue;
        }
        if picked.len() as i64 == fetch {
            break;
        }
        picked.push((id, listed_at, region));
    }
    let more = picked.len() as i64 > limit;
    picked.truncate(limit as usize);
    let ids: Vec<String> = picked.iter().map(|p| p.0.clone()).collect();
    let mut items = summaries(db, &ids).await?;
    let regions: HashMap<&str, &Option<String>> = picked.iter().map(|p| (p.0.as_str(), &p.2)).collect();
    for item in &mut items {
        if let Some(Some(code)) = regions.get(item.id.to_string().as_str()) {
            item.matched_region = Some(parse_stored(code, "region")?);
        }
    }
    let next = match (more, picked.last()) {
        (true, Some((id, listed_at, _))) => {
            Some(ContentCursor { published_at: Timestamp(*listed_at), id: parse_stored(id, "content id")? })
        }
        _ => None,
    };
    Ok(ContentPage { items, next })
}

/// Published items sharing topics or target regions with `item`, excluding
/// itself: most shared first (a topic counts twice a region), then newest.
pub async fn related(db: &Db, item: &Content, limit: i64) -> StoreResult<Vec<ContentSummary>> {
    const PER_ARM: i64 = 30;
    let limit = limit.clamp(1, MAX_PAGE);
    let key = item.id.to_string();
    let regions: Vec<String> = item.regions.iter().map(|r| r.as_str().to_owned()).collect();
    let arms: Vec<(&str, &str, i64, &String)> = item
        .topics
        .iter()
        .map(|t| ("content_topics", "topic", 2, t))
        .chain(regions.iter().map(|r| ("content_regions", "region_code", 1, r)))
        .collect();
    if arms.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let parts: Vec<String> = arms
        .iter()
        .enumerate()
        .map(|(i, (table, column, weight, value))| {
            format!(
                "SELECT * FROM (SELECT content_id, listed_at, CAST({weight} AS BIGINT) AS weight FROM {table} \
                 WHERE {column} = {} AND listed_at IS NOT NULL AND content_id <> {} \
                 ORDER BY listed_at DESC, content_id DESC LIMIT {}) AS arm{i}",
                args.text((*value).clone()),
                args.text(key.clone()),
                args.int(PER_ARM)
            )
        })
        .collect();
    let sql = parts.join(" UNION ALL ");
    let rows: Vec<(String, i64, i64)> =
        crate::on_pool!(db, pool => bind_args!(sqlx::query_as(&sql), args).fetch_all(pool).await)?;
    let mut scores: HashMap<String, (i64, i64)> = HashMap::new();
    for (id, listed_at, weight) in rows {
        let entry = scores.entry(id).or_insert((0, listed_at));
        entry.0 += weight;
    }
    let mut ranked: Vec<(String, (i64, i64))> = scores.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    let ids: Vec<String> = ranked.into_iter().take(limit as usize).map(|(id, _)| id).collect();
    summaries(db, &ids).await
}

/// An author's items in `statuses` (all when empty), most recently changed
/// first: the author's dashboard (drafts, returned, submitted, scheduled).
pub async fn by_author(
    db: &Db,
    author: UserId,
    statuses: &[ContentStatus],
    limit: i64,
) -> StoreResult<Vec<ContentSummary>> {
    let mut args = Args::default();
    let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM {FROM} WHERE c.author_id = {}", args.text(author.to_string()));
    if !statuses.is_empty() {
        sql.push_str(&format!(" AND c.status IN ({})", args.texts(statuses.iter().map(|s| s.as_str()))));
    }
    sql.push_str(&format!(" ORDER BY c.updated_at DESC, c.id DESC LIMIT {}", args.int(limit.clamp(1, MAX_PAGE))));
    let rows =
        crate::on_pool!(db, pool => bind_args!(sqlx::query_as::<_, SummaryRow>(&sql), args).fetch_all(pool).await)?;
    rows.into_iter().map(SummaryRow::into_summary).collect()
}

/// Submitted items a reviewer may publish (`scope` from
/// [`jembatan_domain::authz::review_scope`]), longest waiting first.
pub async fn review_queue(db: &Db, scope: &ReviewScope, limit: i64) -> StoreResult<Vec<ContentSummary>> {
    if scope.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let mut any = Vec::new();
    if !scope.orgs.is_empty() {
        any.push(format!("c.org_id IN ({})", args.texts(scope.orgs.iter().map(|o| o.to_string()))));
    }
    for region in &scope.within {
        any.push(args.within("o.region_code", Some("o.regency_code"), region));
    }
    for region in &scope.diskominfo_within {
        let within = args.within("o.region_code", Some("o.regency_code"), region);
        any.push(format!("(o.kind = 'diskominfo' AND {within})"));
    }
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM {FROM} WHERE c.status = 'submitted' AND o.kind <> 'body' AND ({}) \
         ORDER BY c.submitted_at, c.id LIMIT {}",
        any.join(" OR "),
        args.int(limit.clamp(1, MAX_PAGE))
    );
    let rows =
        crate::on_pool!(db, pool => bind_args!(sqlx::query_as::<_, SummaryRow>(&sql), args).fetch_all(pool).await)?;
    rows.into_iter().map(SummaryRow::into_summary).collect()
}

// ---------------------------------------------------------------------------
// Search

/// What a search index needs of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchDoc {
    pub id: ContentId,
    pub kind: ContentType,
    pub status: ContentStatus,
    pub title: String,
    pub summary: Option<String>,
    /// The body as plain text ([`markdown::plain_text`]).
    pub body_text: String,
    pub topics: Vec<String>,
    pub regions: Vec<RegionCode>,
    pub org_id: OrgId,
    pub org_name: String,
    pub language: Language,
    pub provenance: Provenance,
    pub slug: String,
    pub published_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

impl SearchDoc {
    /// Whether it belongs in a public index; anything else is removed from it.
    pub fn is_public(&self) -> bool {
        self.status == ContentStatus::Published
    }
}

const DOC_COLUMNS: &str = "c.id, c.kind, c.status, c.title, c.summary, c.body, c.org_id, o.name AS org_name, \
     c.language, c.provenance, c.slug, c.published_at, c.updated_at";

#[derive(sqlx::FromRow)]
struct DocRow {
    id: String,
    kind: String,
    status: String,
    title: String,
    summary: Option<String>,
    body: String,
    org_id: String,
    org_name: String,
    language: String,
    provenance: String,
    slug: String,
    published_at: Option<i64>,
    updated_at: i64,
}

impl DocRow {
    fn into_doc(self, topics: Vec<String>, regions: Vec<String>) -> StoreResult<SearchDoc> {
        Ok(SearchDoc {
            id: parse_stored(&self.id, "content id")?,
            kind: stored(ContentType::parse(&self.kind), "content type")?,
            status: stored(ContentStatus::parse(&self.status), "content status")?,
            title: self.title,
            summary: self.summary,
            body_text: markdown::plain_text(&self.body),
            topics,
            regions: regions.iter().map(|r| parse_stored(r, "region")).collect::<StoreResult<_>>()?,
            org_id: parse_stored(&self.org_id, "organisation id")?,
            org_name: self.org_name,
            language: stored(Language::parse(&self.language), "language")?,
            provenance: stored(Provenance::parse(&self.provenance), "provenance")?,
            slug: self.slug,
            published_at: self.published_at.map(Timestamp),
            updated_at: Timestamp(self.updated_at),
        })
    }
}

/// Rows of (item id, value).
type Pairs = Vec<(String, String)>;

/// Reads documents for `rows` with their topics and regions (two queries).
///
/// Both read the id range from the smallest to the largest id of `rows`
/// (two parameters, not one per row: SQLite binds each parameter by
/// name, so a list of hundreds costs more than the range); rows of items
/// in between that are not in `rows` are read and left out.
async fn docs(db: &Db, rows: Vec<DocRow>) -> StoreResult<Vec<SearchDoc>> {
    let (Some(first), Some(last)) = (rows.iter().map(|r| &r.id).min(), rows.iter().map(|r| &r.id).max()) else {
        return Ok(Vec::new());
    };
    let (first, last) = (first.clone(), last.clone());
    let topic_sql = "SELECT content_id, topic FROM content_topics WHERE content_id >= $1 AND content_id <= $2 \
                     ORDER BY content_id, position";
    let region_sql = "SELECT content_id, region_code FROM content_regions WHERE content_id >= $1 AND content_id <= $2 \
                      ORDER BY content_id, region_code";
    let (topic_rows, region_rows): (Pairs, Pairs) = on_read_conn!(db, conn => {
        let t = sqlx::query_as(topic_sql).bind(&first).bind(&last).fetch_all(&mut *conn).await?;
        let r = sqlx::query_as(region_sql).bind(&first).bind(&last).fetch_all(&mut *conn).await?;
        (t, r)
    });
    let mut topics: HashMap<String, Vec<String>> = HashMap::new();
    for (id, topic) in topic_rows {
        topics.entry(id).or_default().push(topic);
    }
    let mut regions: HashMap<String, Vec<String>> = HashMap::new();
    for (id, region) in region_rows {
        regions.entry(id).or_default().push(region);
    }
    rows.into_iter()
        .map(|row| {
            let t = topics.remove(&row.id).unwrap_or_default();
            let r = regions.remove(&row.id).unwrap_or_default();
            row.into_doc(t, r)
        })
        .collect()
}

/// What the search index needs of one item, whatever its status (an
/// indexer following [`Entity::Content`] changes removes items that are no
/// longer public); `None` when there is no such item.
pub async fn search_doc(db: &Db, id: ContentId) -> StoreResult<Option<SearchDoc>> {
    let sql = format!("SELECT {DOC_COLUMNS} FROM {FROM} WHERE c.id = $1");
    let rows =
        crate::on_pool!(db, pool => sqlx::query_as::<_, DocRow>(&sql).bind(id.to_string()).fetch_all(pool).await)?;
    Ok(docs(db, rows).await?.into_iter().next())
}

/// Published items by id after `after`, at most `limit`: one batch of a
/// full reindex. Pass the last id of a batch to get the next.
pub async fn published_docs(db: &Db, after: Option<ContentId>, limit: i64) -> StoreResult<Vec<SearchDoc>> {
    let mut args = Args::default();
    // `c.status || ''` keeps SQLite off the indexes that start with
    // `status`: through one of them every batch would read and sort all
    // published items (quadratic over a reindex: hours at a million
    // items); walking the primary key from `after` reads one batch.
    let mut sql = format!("SELECT {DOC_COLUMNS} FROM {FROM} WHERE c.status || '' = 'published'");
    if let Some(after) = after {
        sql.push_str(&format!(" AND c.id > {}", args.text(after.to_string())));
    }
    sql.push_str(&format!(" ORDER BY c.id LIMIT {}", args.int(limit.clamp(1, 10_000))));
    let rows = crate::on_pool!(db, pool => bind_args!(sqlx::query_as::<_, DocRow>(&sql), args).fetch_all(pool).await)?;
    docs(db, rows).await
}

/// Every published item, in batches of `batch`, as a stream: what a
/// search reindex reads, in constant memory.
pub fn all_published(db: &Db, batch: i64) -> impl Stream<Item = StoreResult<SearchDoc>> + '_ {
    use futures::StreamExt;
    let batch = batch.clamp(1, 10_000);
    // The state is the id to continue after; `None` once the last batch was read.
    futures::stream::unfold(Some(None::<ContentId>), move |state| async move {
        let after = state?;
        match published_docs(db, after, batch).await {
            Err(e) => Some((vec![Err(e)], None)),
            Ok(docs) if docs.is_empty() => None,
            Ok(docs) => {
                let next = if (docs.len() as i64) < batch { None } else { docs.last().map(|d| Some(d.id)) };
                Some((docs.into_iter().map(Ok).collect::<Vec<_>>(), next))
            }
        }
    })
    .flat_map(futures::stream::iter)
}
