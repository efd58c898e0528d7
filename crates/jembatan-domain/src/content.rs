//! Content: the types of items organisations publish (berita, pengumuman,
//! kebijakan/program, agenda, produk desa/UMKM), what the content form
//! accepts, the provenance label readers see, and the editorial workflow as
//! a pure state machine ([`transition`]).
//!
//! Who may take each step is decided by [`crate::authz::can`]; this module
//! only says which steps a status allows. The store checks what needs the
//! database (regions, topics and images exist; the publisher's kind).

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone};
use serde::Serialize;

use crate::contact::PhoneNumber;
use crate::error::{FieldError, ValidationCode, optional_text, required_text};
use crate::ids::uuid_id;
use crate::organisation::{MAX_URL_CHARS, OrgKind, OrgRef, parse_web_url, stable_enum};
use crate::region::RegionCode;
use crate::time::Timestamp;

uuid_id!(
    /// A content item.
    ContentId
);
uuid_id!(
    /// An uploaded image.
    MediaId
);

stable_enum!(
    /// What kind of item it is.
    ContentType {
        /// News.
        Berita => "berita",
        /// An announcement.
        Pengumuman => "pengumuman",
        /// A policy or programme explained.
        Kebijakan => "kebijakan",
        /// An event with a start time and a place.
        Agenda => "agenda",
        /// A village or UMKM product with a price range and a contact.
        Produk => "produk",
    }
);

stable_enum!(
    /// Where an item stands in the editorial workflow.
    ContentStatus {
        /// Being written; also where an item returned to its author waits.
        Draft => "draft",
        /// Waiting for a reviewer.
        Submitted => "submitted",
        /// Approved, to be published at its `publish_at` by a job.
        Scheduled => "scheduled",
        /// Public.
        Published => "published",
        /// No longer public (archived by its publisher or unpublished by the regency).
        Archived => "archived",
    }
);

stable_enum!(
    /// The label readers see about where an item comes from.
    Provenance {
        /// Official information of a government office or agency.
        Resmi => "resmi",
        /// Written by a KIM.
        Kim => "kim",
        /// Written by a citizen, published through a KIM.
        Warga => "warga",
    }
);

stable_enum!(
    /// The language an item is written in.
    Language {
        Id => "id",
        En => "en",
        /// Javanese.
        Jv => "jv",
        /// Madurese.
        Mad => "mad",
    }
);

stable_enum!(
    /// The steps of the editorial workflow; also the names of their audit
    /// entries (`content.<step>`).
    WorkflowStep {
        /// The author hands a draft to the reviewers.
        Submit => "submit",
        /// A reviewer sends it back with a comment.
        ReturnToAuthor => "return_to_author",
        /// A publisher publishes it now.
        PublishNow => "publish_now",
        /// A publisher sets a time for it to be published.
        Schedule => "schedule",
        /// The job publishes a scheduled item at its time.
        PublishScheduled => "publish_scheduled",
        /// The regency (moderation) takes it down, with a reason.
        Unpublish => "unpublish",
        /// Its publisher retires it.
        Archive => "archive",
        /// An archived item goes back to draft to be reworked.
        RestoreDraft => "restore_draft",
    }
);

impl Provenance {
    /// The labels a publisher of `kind` may use; the first is the default.
    /// Official (`resmi`) content comes only from an agency or a Diskominfo
    /// office; a KIM publishes as itself or on behalf of a citizen. Bodies
    /// without accounts publish nothing.
    pub fn allowed_for(kind: OrgKind) -> &'static [Provenance] {
        match kind {
            OrgKind::Diskominfo | OrgKind::Agency => &[Provenance::Resmi],
            OrgKind::Kim => &[Provenance::Kim, Provenance::Warga],
            OrgKind::Body => &[],
        }
    }

    /// The label an item of a publisher of `kind` gets: `requested` when
    /// allowed, the default when none was asked for. `InvalidChoice` on
    /// `provenance` otherwise (on `org` for a publisher that cannot publish).
    pub fn resolve(requested: Option<Provenance>, kind: OrgKind) -> Result<Provenance, FieldError> {
        let allowed = Provenance::allowed_for(kind);
        let Some(default) = allowed.first() else {
            return Err(FieldError::new("org", ValidationCode::InvalidChoice));
        };
        match requested {
            None => Ok(*default),
            Some(p) if allowed.contains(&p) => Ok(p),
            Some(_) => Err(FieldError::new("provenance", ValidationCode::InvalidChoice)),
        }
    }
}

/// A workflow step with what it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowAction {
    Submit,
    ReturnToAuthor,
    PublishNow,
    /// Publish at this time (must be in the future when asked; see [`check_schedule`]).
    Schedule(Timestamp),
    PublishScheduled,
    Unpublish,
    Archive,
    RestoreDraft,
}

impl WorkflowAction {
    pub fn step(self) -> WorkflowStep {
        match self {
            WorkflowAction::Submit => WorkflowStep::Submit,
            WorkflowAction::ReturnToAuthor => WorkflowStep::ReturnToAuthor,
            WorkflowAction::PublishNow => WorkflowStep::PublishNow,
            WorkflowAction::Schedule(_) => WorkflowStep::Schedule,
            WorkflowAction::PublishScheduled => WorkflowStep::PublishScheduled,
            WorkflowAction::Unpublish => WorkflowStep::Unpublish,
            WorkflowAction::Archive => WorkflowStep::Archive,
            WorkflowAction::RestoreDraft => WorkflowStep::RestoreDraft,
        }
    }
}

/// A step the current status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {step} content that is {from}")]
pub struct InvalidTransition {
    pub from: ContentStatus,
    pub step: WorkflowStep,
}

impl InvalidTransition {
    /// The stable code clients match on.
    pub fn code(&self) -> ValidationCode {
        ValidationCode::InvalidTransition
    }
}

impl From<InvalidTransition> for FieldError {
    fn from(_: InvalidTransition) -> Self {
        FieldError::new("status", ValidationCode::InvalidTransition)
    }
}

/// The editorial workflow: the status an item in `status` moves to when
/// `action` is taken, or why it cannot.
///
/// ```text
/// draft ──submit──▶ submitted ──publish_now──▶ published ──unpublish/archive──▶ archived
///   ▲  ◀──return_to_author──┘ │                   ▲                                 │
///   │                          └──schedule──▶ scheduled ──publish_scheduled──┘     │
///   └──────────────────────────────── restore_draft ◀──────────────────────────────┘
/// ```
/// Publishers may also publish or schedule a draft directly (their own
/// official content needs no review), reschedule a scheduled item, and
/// archive anything not yet archived. Unpublishing (moderation) takes down
/// what is public or about to be.
pub fn transition(status: ContentStatus, action: WorkflowAction) -> Result<ContentStatus, InvalidTransition> {
    use ContentStatus::*;
    let next = match (action, status) {
        (WorkflowAction::Submit, Draft) => Some(Submitted),
        (WorkflowAction::ReturnToAuthor, Submitted | Scheduled) => Some(Draft),
        (WorkflowAction::PublishNow, Draft | Submitted | Scheduled) => Some(Published),
        (WorkflowAction::Schedule(_), Draft | Submitted | Scheduled) => Some(Scheduled),
        (WorkflowAction::PublishScheduled, Scheduled) => Some(Published),
        (WorkflowAction::Unpublish, Published | Scheduled) => Some(Archived),
        (WorkflowAction::Archive, Draft | Submitted | Scheduled | Published) => Some(Archived),
        (WorkflowAction::RestoreDraft, Archived) => Some(Draft),
        _ => None,
    };
    next.ok_or(InvalidTransition { from: status, step: action.step() })
}

/// A scheduled time must lie after `now`; `NotInFuture` on `publish_at` otherwise.
pub fn check_schedule(at: Timestamp, now: Timestamp) -> Result<(), FieldError> {
    if at > now { Ok(()) } else { Err(FieldError::new("publish_at", ValidationCode::NotInFuture)) }
}

/// Whether the content of a status can still be edited (an archived item
/// is restored to draft first).
pub fn editable(status: ContentStatus) -> bool {
    status != ContentStatus::Archived
}

/// Longest title.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest summary.
pub const MAX_SUMMARY_CHARS: usize = 400;
/// Longest body (Markdown as typed).
pub const MAX_BODY_CHARS: usize = 100_000;
/// Longest image caption.
pub const MAX_CAPTION_CHARS: usize = 300;
/// Longest place of an agenda item.
pub const MAX_PLACE_CHARS: usize = 200;
/// Longest source name.
pub const MAX_SOURCE_NAME_CHARS: usize = 200;
/// Longest comment, correction or reason.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Most target regions of one item.
pub const MAX_REGIONS: usize = 20;
/// Most topics of one item.
pub const MAX_TOPICS: usize = 5;
/// Most gallery images of one item.
pub const MAX_GALLERY: usize = 20;
/// Longest topic slug.
pub const MAX_TOPIC_SLUG_CHARS: usize = 40;
/// Longest topic name.
pub const MAX_TOPIC_NAME_CHARS: usize = 80;
/// Highest price accepted, in rupiah (a typo guard: Rp 1 trillion).
pub const MAX_PRICE: i64 = 1_000_000_000_000;

/// The offset of Western Indonesia Time (WIB, UTC+7), in which times typed
/// without an offset are read: Jawa Timur, the first province, lies in it.
pub const WIB_OFFSET_SECONDS: i32 = 7 * 3600;

fn wib() -> FixedOffset {
    FixedOffset::east_opt(WIB_OFFSET_SECONDS).expect("a valid offset")
}

/// Parses a time as a form or the API sends it: `YYYY-MM-DDTHH:MM[:SS]`
/// (an HTML `datetime-local` field, read in WIB) or RFC 3339 with an
/// offset. `InvalidDateTime` on `field` otherwise; years outside 1990..=2100
/// are typos.
pub fn parse_datetime(field: &str, raw: &str) -> Result<Timestamp, FieldError> {
    let invalid = || FieldError::new(field, ValidationCode::InvalidDateTime);
    let raw = raw.trim();
    let parsed = if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        t
    } else {
        let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
            .ok_or_else(invalid)?;
        wib().from_local_datetime(&local).single().ok_or_else(invalid)?
    };
    let year = chrono::Datelike::year(&parsed);
    if !(1990..=2100).contains(&year) {
        return Err(invalid());
    }
    Ok(Timestamp(parsed.timestamp_millis()))
}

/// Writes a time as an HTML `datetime-local` value in WIB, the form
/// [`parse_datetime`] reads back.
pub fn format_datetime_local(t: Timestamp) -> String {
    t.to_utc().with_timezone(&wib()).format("%Y-%m-%dT%H:%M").to_string()
}

/// The first and the day after the last instant of a calendar month in
/// WIB, as `[from, until)` bounds for a date archive. `None` for a month
/// that does not exist.
pub fn month_bounds(year: i32, month: u32) -> Option<(Timestamp, Timestamp)> {
    let start = wib().with_ymd_and_hms(year, month, 1, 0, 0, 0).single()?;
    let (ny, nm) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    let end = wib().with_ymd_and_hms(ny, nm, 1, 0, 0, 0).single()?;
    Some((Timestamp(start.timestamp_millis()), Timestamp(end.timestamp_millis())))
}

/// The region a publisher may target: a KIM its district (kecamatan: its
/// own village, its neighbours and the district itself), an office or
/// agency the region it serves. Keeps a KIM from placing items on every
/// page of the province.
pub fn target_reach(org: &OrgRef) -> RegionCode {
    match org.kind {
        OrgKind::Kim => org.region.parent().unwrap_or_else(|| org.region.clone()),
        _ => org.region.clone(),
    }
}

/// Checks that every target region lies within the publisher's reach;
/// `OutOfScope` on `regions` otherwise.
pub fn check_targets(org: &OrgRef, regions: &[RegionCode]) -> Result<(), FieldError> {
    let reach = target_reach(org);
    if regions.iter().all(|r| reach.contains(r)) {
        Ok(())
    } else {
        Err(FieldError::new("regions", ValidationCode::OutOfScope))
    }
}

/// An image as the form names it: an uploaded image's id and its caption.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageForm {
    pub media: String,
    pub caption: String,
}

/// An item as typed in the form or sent to the API; lists may also hold
/// comma- or space-separated values. Empty strings mean "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentForm {
    /// A [`ContentType`] name.
    pub kind: String,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    /// A [`Language`] name; empty means Indonesian.
    pub language: String,
    /// A [`Provenance`] name; empty means the publisher's default.
    pub provenance: String,
    /// Target region codes, at any level.
    pub regions: Vec<String>,
    /// Topic slugs.
    pub topics: Vec<String>,
    /// The cover image's id.
    pub cover_media: String,
    pub cover_caption: String,
    pub gallery: Vec<ImageForm>,
    pub source_name: String,
    pub source_url: String,
    /// Agenda: start, `YYYY-MM-DDTHH:MM` in WIB or RFC 3339.
    pub starts_at: String,
    /// Agenda: optional end, after the start.
    pub ends_at: String,
    /// Agenda: where.
    pub place: String,
    /// Produk: lowest price in rupiah (`15000`, `15.000`, `Rp 15.000`).
    pub price_min: String,
    /// Produk: highest price; empty for a single price.
    pub price_max: String,
    /// Produk: an Indonesian mobile number or a web address.
    pub contact: String,
}

/// An image of an item: an uploaded image and its caption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Image {
    pub media: MediaId,
    pub caption: Option<String>,
}

/// Where a claim comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub name: Option<String>,
    /// An http(s) address, normalised.
    pub url: Option<String>,
}

/// When and where an agenda item happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agenda {
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
    pub place: String,
}

/// How to reach a product's seller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum ProductContact {
    Phone(PhoneNumber),
    /// An http(s) address (a shop page, a marketplace listing).
    Url(String),
}

impl ProductContact {
    /// As stored: the E.164 number or the address.
    pub fn as_str(&self) -> &str {
        match self {
            ProductContact::Phone(p) => p.as_str(),
            ProductContact::Url(u) => u,
        }
    }

    /// Rebuilds a stored value: numbers are stored in E.164 (`+62...`).
    pub fn from_stored(s: String) -> Self {
        if s.starts_with('+') { ProductContact::Phone(PhoneNumber::from_stored(s)) } else { ProductContact::Url(s) }
    }
}

/// A product's price range and contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    /// Rupiah.
    pub price_min: i64,
    /// Rupiah, at least `price_min`; `None` for a single price.
    pub price_max: Option<i64>,
    pub contact: ProductContact,
}

/// An item's editable content, checked: what a create or an update writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentDraft {
    pub kind: ContentType,
    /// Trimmed, runs of white space made one space.
    pub title: String,
    pub summary: Option<String>,
    /// Markdown exactly as typed; it is rendered and sanitised on output.
    pub body: String,
    pub language: Language,
    /// `None`: the publisher's default ([`Provenance::resolve`]).
    pub provenance: Option<Provenance>,
    /// At least one, each once, in code order; the store checks they exist.
    pub regions: Vec<RegionCode>,
    /// At least one topic slug, each once, in the order given; the store
    /// checks they exist.
    pub topics: Vec<String>,
    pub cover: Option<Image>,
    pub gallery: Vec<Image>,
    pub source: Option<Source>,
    /// Set exactly for [`ContentType::Agenda`].
    pub agenda: Option<Agenda>,
    /// Set exactly for [`ContentType::Produk`].
    pub product: Option<Product>,
}

fn push<T>(errors: &mut Vec<FieldError>, outcome: Result<T, FieldError>) -> Option<T> {
    outcome.map_err(|e| errors.push(e)).ok()
}

/// Splits list entries that hold several comma- or space-separated values.
fn entries(list: &[String]) -> impl Iterator<Item = &str> {
    list.iter().flat_map(|s| s.split(|c: char| c == ',' || c.is_whitespace())).filter(|s| !s.is_empty())
}

/// Trims and makes every run of white space (new lines too) one space.
pub fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl ContentForm {
    /// Checks every field, returning every failure.
    pub fn validate(&self) -> Result<ContentDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = push(
            &mut errors,
            match self.kind.trim() {
                "" => Err(FieldError::new("kind", ValidationCode::Required)),
                raw => ContentType::parse(raw).ok_or_else(|| FieldError::new("kind", ValidationCode::InvalidChoice)),
            },
        );
        let title = push(&mut errors, required_text("title", &collapse_whitespace(&self.title), MAX_TITLE_CHARS));
        let summary = push(&mut errors, optional_text("summary", &self.summary, MAX_SUMMARY_CHARS));
        let body = push(&mut errors, check_body(&self.body));
        let language = push(
            &mut errors,
            match self.language.trim() {
                "" => Ok(Language::Id),
                raw => Language::parse(raw).ok_or_else(|| FieldError::new("language", ValidationCode::InvalidChoice)),
            },
        );
        let provenance = push(
            &mut errors,
            match self.provenance.trim() {
                "" => Ok(None),
                raw => Provenance::parse(raw)
                    .map(Some)
                    .ok_or_else(|| FieldError::new("provenance", ValidationCode::InvalidChoice)),
            },
        );
        let regions = push(&mut errors, check_regions(&self.regions));
        let topics = push(&mut errors, check_topics(&self.topics));
        let cover = push(&mut errors, self.check_cover());
        let gallery = push(&mut errors, check_gallery(&self.gallery));
        let source = push(&mut errors, self.check_source());
        let agenda = match kind {
            Some(ContentType::Agenda) => self.check_agenda(&mut errors).map(Some),
            _ => Some(None),
        };
        let product = match kind {
            Some(ContentType::Produk) => self.check_product(&mut errors).map(Some),
            _ => Some(None),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        match (
            kind, title, summary, body, language, provenance, regions, topics, cover, gallery, source, agenda, product,
        ) {
            (
                Some(kind),
                Some(title),
                Some(summary),
                Some(body),
                Some(language),
                Some(provenance),
                Some(regions),
                Some(topics),
                Some(cover),
                Some(gallery),
                Some(source),
                Some(agenda),
                Some(product),
            ) => Ok(ContentDraft {
                kind,
                title,
                summary,
                body,
                language,
                provenance,
                regions,
                topics,
                cover,
                gallery,
                source,
                agenda,
                product,
            }),
            _ => Err(errors),
        }
    }

    fn check_cover(&self) -> Result<Option<Image>, FieldError> {
        let caption = optional_text("cover_caption", &self.cover_caption, MAX_CAPTION_CHARS)?;
        match self.cover_media.trim() {
            "" => Ok(None),
            raw => {
                let media = raw
                    .parse::<MediaId>()
                    .map_err(|_| FieldError::new("cover_media", ValidationCode::InvalidChoice))?;
                Ok(Some(Image { media, caption }))
            }
        }
    }

    fn check_source(&self) -> Result<Option<Source>, FieldError> {
        let name = optional_text("source_name", &self.source_name, MAX_SOURCE_NAME_CHARS)?;
        let url = optional_text("source_url", &self.source_url, MAX_URL_CHARS)?
            .map(|u| parse_web_url("source_url", &u).map(String::from))
            .transpose()?;
        Ok((name.is_some() || url.is_some()).then_some(Source { name, url }))
    }

    fn check_agenda(&self, errors: &mut Vec<FieldError>) -> Option<Agenda> {
        let starts_at = push(
            errors,
            match self.starts_at.trim() {
                "" => Err(FieldError::new("starts_at", ValidationCode::Required)),
                raw => parse_datetime("starts_at", raw),
            },
        );
        let ends_at = push(
            errors,
            match self.ends_at.trim() {
                "" => Ok(None),
                raw => parse_datetime("ends_at", raw).map(Some),
            },
        );
        if let (Some(start), Some(Some(end))) = (starts_at, ends_at)
            && end <= start
        {
            errors.push(FieldError::new("ends_at", ValidationCode::EndBeforeStart));
        }
        let place = push(errors, required_text("place", &collapse_whitespace(&self.place), MAX_PLACE_CHARS));
        Some(Agenda { starts_at: starts_at?, ends_at: ends_at?, place: place? })
    }

    fn check_product(&self, errors: &mut Vec<FieldError>) -> Option<Product> {
        let price_min = push(
            errors,
            match self.price_min.trim() {
                "" => Err(FieldError::new("price_min", ValidationCode::Required)),
                raw => parse_rupiah("price_min", raw),
            },
        );
        let price_max = push(
            errors,
            match self.price_max.trim() {
                "" => Ok(None),
                raw => parse_rupiah("price_max", raw).map(Some),
            },
        );
        if let (Some(min), Some(Some(max))) = (price_min, price_max)
            && max < min
        {
            errors.push(FieldError::new("price_max", ValidationCode::InvalidRange));
        }
        let contact = push(errors, parse_contact("contact", &self.contact));
        Some(Product { price_min: price_min?, price_max: price_max?, contact: contact? })
    }
}

impl From<&ContentDraft> for ContentForm {
    /// The form pre-filled with a draft, to edit it.
    fn from(d: &ContentDraft) -> Self {
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        ContentForm {
            kind: d.kind.as_str().into(),
            title: d.title.clone(),
            summary: text(&d.summary),
            body: d.body.clone(),
            language: d.language.as_str().into(),
            provenance: d.provenance.map(|p| p.as_str().to_owned()).unwrap_or_default(),
            regions: d.regions.iter().map(|r| r.as_str().to_owned()).collect(),
            topics: d.topics.clone(),
            cover_media: d.cover.as_ref().map(|c| c.media.to_string()).unwrap_or_default(),
            cover_caption: d.cover.as_ref().and_then(|c| c.caption.clone()).unwrap_or_default(),
            gallery: d
                .gallery
                .iter()
                .map(|g| ImageForm { media: g.media.to_string(), caption: text(&g.caption) })
                .collect(),
            source_name: d.source.as_ref().and_then(|s| s.name.clone()).unwrap_or_default(),
            source_url: d.source.as_ref().and_then(|s| s.url.clone()).unwrap_or_default(),
            starts_at: d.agenda.as_ref().map(|a| format_datetime_local(a.starts_at)).unwrap_or_default(),
            ends_at: d.agenda.as_ref().and_then(|a| a.ends_at).map(format_datetime_local).unwrap_or_default(),
            place: d.agenda.as_ref().map(|a| a.place.clone()).unwrap_or_default(),
            price_min: d.product.as_ref().map(|p| p.price_min.to_string()).unwrap_or_default(),
            price_max: d.product.as_ref().and_then(|p| p.price_max).map(|p| p.to_string()).unwrap_or_default(),
            contact: d.product.as_ref().map(|p| p.contact.as_str().to_owned()).unwrap_or_default(),
        }
    }
}

/// The body: present (not only white space) and at most [`MAX_BODY_CHARS`];
/// kept exactly as typed.
fn check_body(raw: &str) -> Result<String, FieldError> {
    if raw.trim().is_empty() {
        Err(FieldError::new("body", ValidationCode::Required))
    } else if raw.chars().count() > MAX_BODY_CHARS {
        Err(FieldError::new("body", ValidationCode::TooLong))
    } else {
        Ok(raw.to_owned())
    }
}

fn check_regions(list: &[String]) -> Result<Vec<RegionCode>, FieldError> {
    let mut regions = Vec::new();
    for raw in entries(list) {
        let code = RegionCode::parse(raw).map_err(|e| e.for_field("regions"))?;
        if !regions.contains(&code) {
            regions.push(code);
        }
    }
    if regions.is_empty() {
        return Err(FieldError::new("regions", ValidationCode::Required));
    }
    if regions.len() > MAX_REGIONS {
        return Err(FieldError::new("regions", ValidationCode::TooMany));
    }
    regions.sort();
    Ok(regions)
}

fn check_topics(list: &[String]) -> Result<Vec<String>, FieldError> {
    let mut topics: Vec<String> = Vec::new();
    for raw in entries(list) {
        let slug = parse_topic_slug("topics", raw).map_err(|e| match e.code {
            ValidationCode::TooLong => e,
            _ => FieldError::new("topics", ValidationCode::InvalidChoice),
        })?;
        if !topics.contains(&slug) {
            topics.push(slug);
        }
    }
    if topics.is_empty() {
        return Err(FieldError::new("topics", ValidationCode::Required));
    }
    if topics.len() > MAX_TOPICS {
        return Err(FieldError::new("topics", ValidationCode::TooMany));
    }
    Ok(topics)
}

fn check_gallery(list: &[ImageForm]) -> Result<Vec<Image>, FieldError> {
    let mut gallery: Vec<Image> = Vec::new();
    for entry in list.iter().filter(|g| !g.media.trim().is_empty()) {
        let media = entry
            .media
            .trim()
            .parse::<MediaId>()
            .map_err(|_| FieldError::new("gallery", ValidationCode::InvalidChoice))?;
        let caption = optional_text("gallery", &entry.caption, MAX_CAPTION_CHARS)?;
        if !gallery.iter().any(|g| g.media == media) {
            gallery.push(Image { media, caption });
        }
    }
    if gallery.len() > MAX_GALLERY {
        return Err(FieldError::new("gallery", ValidationCode::TooMany));
    }
    Ok(gallery)
}

/// A price in whole rupiah as people write it: `15000`, `15.000`,
/// `Rp 15.000`, `Rp15.000,-`. Negative, fractional or absurd amounts are
/// `InvalidNumber`.
pub fn parse_rupiah(field: &str, raw: &str) -> Result<i64, FieldError> {
    let invalid = || FieldError::new(field, ValidationCode::InvalidNumber);
    let mut text = raw.trim();
    for prefix in ["Rp.", "Rp", "rp.", "rp", "RP.", "RP", "IDR"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            text = rest.trim_start();
            break;
        }
    }
    let text = text.strip_suffix(",-").or_else(|| text.strip_suffix(",00")).unwrap_or(text);
    // Dots group thousands; each group after the first has three digits.
    let groups: Vec<&str> = text.split('.').collect();
    let well_formed = !groups[0].is_empty()
        && groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && groups.iter().skip(1).all(|g| g.len() == 3);
    if !well_formed {
        return Err(invalid());
    }
    let digits: String = groups.concat();
    let value: i64 = digits.parse().map_err(|_| invalid())?;
    if value > MAX_PRICE { Err(invalid()) } else { Ok(value) }
}

/// A product contact: an Indonesian mobile number, else a web address.
fn parse_contact(field: &str, raw: &str) -> Result<ProductContact, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new(field, ValidationCode::Required));
    }
    let looks_like_number = raw.chars().all(|c| c.is_ascii_digit() || " -.()+".contains(c));
    if looks_like_number {
        PhoneNumber::parse(field, raw).map(ProductContact::Phone)
    } else {
        parse_web_url(field, raw).map(|u| ProductContact::Url(u.into()))
    }
}

/// A topic slug: lower-case letters and digits in words joined by single
/// hyphens, at most [`MAX_TOPIC_SLUG_CHARS`].
pub fn parse_topic_slug(field: &str, raw: &str) -> Result<String, FieldError> {
    let slug = raw.trim();
    if slug.is_empty() {
        return Err(FieldError::new(field, ValidationCode::Required));
    }
    if slug.len() > MAX_TOPIC_SLUG_CHARS {
        return Err(FieldError::new(field, ValidationCode::TooLong));
    }
    let well_formed =
        slug.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if well_formed { Ok(slug.to_owned()) } else { Err(FieldError::new(field, ValidationCode::InvalidChoice)) }
}

/// A comment, a return note, a correction or a reason: required, at most
/// [`MAX_NOTE_CHARS`], trimmed.
pub fn parse_note(field: &str, raw: &str) -> Result<String, FieldError> {
    required_text(field, raw, MAX_NOTE_CHARS)
}

/// A topic as typed by a province admin.
#[derive(Debug, Clone, Default)]
pub struct TopicForm {
    pub slug: String,
    pub name_id: String,
    pub name_en: String,
}

/// A topic to create, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTopic {
    pub slug: String,
    pub name_id: String,
    pub name_en: String,
}

impl TopicForm {
    pub fn validate(&self) -> Result<NewTopic, Vec<FieldError>> {
        let mut errors = Vec::new();
        let slug = push(&mut errors, parse_topic_slug("slug", &self.slug));
        let name_id = push(&mut errors, required_text("name_id", &self.name_id, MAX_TOPIC_NAME_CHARS));
        let name_en = push(&mut errors, required_text("name_en", &self.name_en, MAX_TOPIC_NAME_CHARS));
        match (errors.is_empty(), slug, name_id, name_en) {
            (true, Some(slug), Some(name_id), Some(name_en)) => Ok(NewTopic { slug, name_id, name_en }),
            _ => Err(errors),
        }
    }
}

/// Where an imported item came from, so importing it again finds it:
/// the source (`wordpress:kimmaju.kim.id`, `jsonl`) and its id there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ImportKey {
    pub source: String,
    pub id: String,
}

impl ImportKey {
    /// Both parts required; the source at most 200 characters, the id at most 200.
    pub fn new(source: &str, id: &str) -> Result<Self, FieldError> {
        Ok(ImportKey { source: required_text("import_source", source, 200)?, id: required_text("import_id", id, 200)? })
    }
}

/// Longest slug made from a title.
pub const MAX_SLUG_CHARS: usize = 80;

/// The URL slug of a title: ASCII lower-case words joined by hyphens
/// (`Panen Raya Jagung di Desa Jlodro!` → `panen-raya-jagung-di-desa-jlodro`),
/// cut at a word boundary; `konten` when nothing is left.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    let mut pending_dash = false;
    for c in title.chars().flat_map(fold_latin) {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '’' {
            pending_dash = true;
        }
    }
    if slug.len() > MAX_SLUG_CHARS {
        let cut = slug[..=MAX_SLUG_CHARS].rfind('-').unwrap_or(MAX_SLUG_CHARS);
        slug.truncate(cut);
    }
    if slug.is_empty() { "konten".to_owned() } else { slug }
}

/// Latin letters with diacritics as their base letter (`é` → `e`, `É` →
/// `e`), for slugs and for comparing names; always `Some` (for `flat_map`).
pub fn fold_latin(c: char) -> Option<char> {
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        other => other,
    };
    Some(folded)
}

/// What authorization needs to know about an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContentRef {
    pub id: ContentId,
    /// The publishing organisation.
    pub org: OrgRef,
    /// Who wrote it (`None` for imported items without a known account).
    pub author: Option<crate::ids::UserId>,
    pub status: ContentStatus,
    /// Where it is shown.
    pub regions: Vec<RegionCode>,
    /// Archived by the regency's moderation (unpublished): only an
    /// administrator of the region may bring it back.
    pub moderated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrgId;

    fn form() -> ContentForm {
        ContentForm {
            kind: "berita".into(),
            title: "  Panen Raya Jagung\n di Desa Jlodro  ".into(),
            summary: "Petani Jlodro memanen jagung hibrida.".into(),
            body: "Petani **Jlodro** memanen jagung.\n\n<script>alert(1)</script>".into(),
            regions: vec!["35.23.01.2001, 35.23.01".into(), "35.23.01.2001".into()],
            topics: vec!["pertanian".into(), "ekonomi-umkm pertanian".into()],
            source_name: "Kelompok Tani Sumber Rejeki".into(),
            source_url: "kimjlodro.kim.id/panen".into(),
            ..ContentForm::default()
        }
    }

    fn codes(errors: Vec<FieldError>) -> Vec<(String, ValidationCode)> {
        errors.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_news_item_is_checked_and_normalised() {
        let draft = form().validate().unwrap();
        assert_eq!(draft.kind, ContentType::Berita);
        assert_eq!(draft.title, "Panen Raya Jagung di Desa Jlodro");
        assert!(draft.body.contains("<script>"), "the body is kept as typed");
        assert_eq!(draft.language, Language::Id);
        assert_eq!(draft.provenance, None);
        assert_eq!(draft.regions.iter().map(RegionCode::as_str).collect::<Vec<_>>(), ["35.23.01", "35.23.01.2001"]);
        assert_eq!(draft.topics, ["pertanian", "ekonomi-umkm"]);
        let source = draft.source.as_ref().unwrap();
        assert_eq!(source.url.as_deref(), Some("https://kimjlodro.kim.id/panen"));
        assert_eq!((draft.agenda.as_ref(), draft.product.as_ref()), (None, None));
        let again = ContentForm::from(&draft).validate().unwrap();
        assert_eq!(again, draft, "the pre-filled form validates to the same draft");
    }

    #[test]
    fn every_failing_field_is_reported() {
        let bad = ContentForm {
            kind: "gosip".into(),
            title: "x".repeat(10_000),
            summary: "y".repeat(401),
            body: "   ".into(),
            language: "fr".into(),
            provenance: "rahasia".into(),
            regions: vec!["35.2".into()],
            topics: vec![],
            cover_media: "not-an-id".into(),
            source_url: "javascript:alert(1)".into(),
            ..ContentForm::default()
        };
        assert_eq!(
            codes(bad.validate().unwrap_err()),
            vec![
                ("kind".into(), ValidationCode::InvalidChoice),
                ("title".into(), ValidationCode::TooLong),
                ("summary".into(), ValidationCode::TooLong),
                ("body".into(), ValidationCode::Required),
                ("language".into(), ValidationCode::InvalidChoice),
                ("provenance".into(), ValidationCode::InvalidChoice),
                ("regions".into(), ValidationCode::MalformedRegionCode),
                ("topics".into(), ValidationCode::Required),
                ("cover_media".into(), ValidationCode::InvalidChoice),
                ("source_url".into(), ValidationCode::InvalidUrl),
            ]
        );
        let empty = ContentForm::default().validate().unwrap_err();
        assert_eq!(
            codes(empty),
            vec![
                ("kind".into(), ValidationCode::Required),
                ("title".into(), ValidationCode::Required),
                ("body".into(), ValidationCode::Required),
                ("regions".into(), ValidationCode::Required),
                ("topics".into(), ValidationCode::Required),
            ]
        );
    }

    #[test]
    fn lists_have_limits_and_topics_a_shape() {
        let many_regions = ContentForm { regions: (1..=21).map(|i| format!("35.{i:02}")).collect(), ..form() };
        assert_eq!(codes(many_regions.validate().unwrap_err()), vec![("regions".into(), ValidationCode::TooMany)]);
        let many_topics = ContentForm { topics: vec!["a b c d e f".into()], ..form() };
        assert_eq!(codes(many_topics.validate().unwrap_err()), vec![("topics".into(), ValidationCode::TooMany)]);
        let bad_topic = ContentForm { topics: vec!["Kesehatan".into()], ..form() };
        assert_eq!(codes(bad_topic.validate().unwrap_err()), vec![("topics".into(), ValidationCode::InvalidChoice)]);
        for bad in ["-a", "a--b", "a_b", "ke sehatan", ""] {
            assert!(parse_topic_slug("slug", bad).is_err(), "{bad}");
        }
        assert_eq!(parse_topic_slug("slug", "ekonomi-umkm").unwrap(), "ekonomi-umkm");
        let media = MediaId::generate();
        let gallery = ContentForm {
            gallery: vec![
                ImageForm { media: media.to_string(), caption: "Warga memanen".into() },
                ImageForm { media: media.to_string(), caption: "twice".into() },
                ImageForm::default(),
            ],
            ..form()
        };
        let draft = gallery.validate().unwrap();
        assert_eq!(draft.gallery, vec![Image { media, caption: Some("Warga memanen".into()) }]);
    }

    #[test]
    fn an_agenda_needs_a_start_and_a_place_and_ends_after_it_starts() {
        let agenda = ContentForm {
            kind: "agenda".into(),
            starts_at: "2025-03-10T08:00".into(),
            ends_at: "2025-03-10T12:30".into(),
            place: "Balai Desa Jlodro".into(),
            price_min: "ignored for an agenda".into(),
            ..form()
        };
        let draft = agenda.validate().unwrap();
        let a = draft.agenda.unwrap();
        assert_eq!(a.starts_at.to_rfc3339(), "2025-03-10T01:00:00Z", "read in WIB");
        assert_eq!(a.ends_at.unwrap().to_rfc3339(), "2025-03-10T05:30:00Z");
        assert_eq!(draft.product, None);
        let bad =
            ContentForm { starts_at: "10/03/2025".into(), ends_at: String::new(), place: " ".into(), ..agenda.clone() };
        assert_eq!(
            codes(bad.validate().unwrap_err()),
            vec![("starts_at".into(), ValidationCode::InvalidDateTime), ("place".into(), ValidationCode::Required)]
        );
        let backwards = ContentForm { ends_at: "2025-03-10T07:00".into(), ..agenda.clone() };
        assert_eq!(codes(backwards.validate().unwrap_err()), vec![("ends_at".into(), ValidationCode::EndBeforeStart)]);
        let missing = ContentForm { starts_at: String::new(), ends_at: String::new(), ..agenda };
        assert_eq!(codes(missing.validate().unwrap_err()), vec![("starts_at".into(), ValidationCode::Required)]);
        assert_eq!(parse_datetime("t", "2025-03-10T08:00:00+08:00").unwrap().to_rfc3339(), "2025-03-10T00:00:00Z");
        assert!(parse_datetime("t", "0025-03-10T08:00").is_err());
        assert_eq!(format_datetime_local(parse_datetime("t", "2025-03-10T08:00").unwrap()), "2025-03-10T08:00");
    }

    #[test]
    fn a_product_has_a_price_range_in_rupiah_and_a_contact() {
        let product = ContentForm {
            kind: "produk".into(),
            price_min: "Rp 15.000".into(),
            price_max: "25000".into(),
            contact: "0812-3456-7890".into(),
            ..form()
        };
        let p = product.validate().unwrap().product.unwrap();
        assert_eq!((p.price_min, p.price_max), (15_000, Some(25_000)));
        assert_eq!(p.contact, ProductContact::Phone(PhoneNumber::parse("c", "081234567890").unwrap()));
        let shop =
            ContentForm { contact: "tokopedia.com/batikjlodro".into(), price_max: String::new(), ..product.clone() };
        let p = shop.validate().unwrap().product.unwrap();
        assert_eq!(p.contact, ProductContact::Url("https://tokopedia.com/batikjlodro".into()));
        assert_eq!(p.price_max, None);
        let bad = ContentForm {
            price_min: "-5000".into(),
            price_max: "12,5".into(),
            contact: "0212345".into(),
            ..product.clone()
        };
        assert_eq!(
            codes(bad.validate().unwrap_err()),
            vec![
                ("price_min".into(), ValidationCode::InvalidNumber),
                ("price_max".into(), ValidationCode::InvalidNumber),
                ("contact".into(), ValidationCode::InvalidPhone),
            ]
        );
        let inverted = ContentForm { price_min: "30.000".into(), ..product.clone() };
        assert_eq!(codes(inverted.validate().unwrap_err()), vec![("price_max".into(), ValidationCode::InvalidRange)]);
        let missing = ContentForm { price_min: String::new(), contact: String::new(), ..product };
        assert_eq!(
            codes(missing.validate().unwrap_err()),
            vec![("price_min".into(), ValidationCode::Required), ("contact".into(), ValidationCode::Required)]
        );
        for (raw, value) in [("0", 0), ("1.500.000", 1_500_000), ("Rp15.000,-", 15_000), ("IDR 7500", 7_500)] {
            assert_eq!(parse_rupiah("p", raw).unwrap(), value, "{raw}");
        }
        for raw in ["1.50", "15.000.00", "abc", "Rp", "99999999999999"] {
            assert!(parse_rupiah("p", raw).is_err(), "{raw}");
        }
    }

    #[test]
    fn the_workflow_allows_only_its_steps() {
        use ContentStatus::*;
        let at = Timestamp(1);
        let allowed = [
            (Draft, WorkflowAction::Submit, Submitted),
            (Submitted, WorkflowAction::ReturnToAuthor, Draft),
            (Scheduled, WorkflowAction::ReturnToAuthor, Draft),
            (Draft, WorkflowAction::PublishNow, Published),
            (Submitted, WorkflowAction::PublishNow, Published),
            (Scheduled, WorkflowAction::PublishNow, Published),
            (Submitted, WorkflowAction::Schedule(at), Scheduled),
            (Scheduled, WorkflowAction::Schedule(at), Scheduled),
            (Scheduled, WorkflowAction::PublishScheduled, Published),
            (Published, WorkflowAction::Unpublish, Archived),
            (Scheduled, WorkflowAction::Unpublish, Archived),
            (Draft, WorkflowAction::Archive, Archived),
            (Published, WorkflowAction::Archive, Archived),
            (Archived, WorkflowAction::RestoreDraft, Draft),
        ];
        for (from, action, to) in allowed {
            assert_eq!(transition(from, action), Ok(to), "{from} {action:?}");
        }
        let refused = [
            (Submitted, WorkflowAction::Submit),
            (Published, WorkflowAction::Submit),
            (Draft, WorkflowAction::ReturnToAuthor),
            (Published, WorkflowAction::ReturnToAuthor),
            (Published, WorkflowAction::PublishNow),
            (Archived, WorkflowAction::PublishNow),
            (Published, WorkflowAction::Schedule(at)),
            (Draft, WorkflowAction::PublishScheduled),
            (Published, WorkflowAction::PublishScheduled),
            (Draft, WorkflowAction::Unpublish),
            (Archived, WorkflowAction::Unpublish),
            (Archived, WorkflowAction::Archive),
            (Published, WorkflowAction::RestoreDraft),
        ];
        for (from, action) in refused {
            let err = transition(from, action).unwrap_err();
            assert_eq!((err.from, err.step), (from, action.step()));
            assert_eq!(FieldError::from(err), FieldError::new("status", ValidationCode::InvalidTransition));
        }
        assert!(check_schedule(Timestamp(2), Timestamp(1)).is_ok());
        assert_eq!(check_schedule(Timestamp(1), Timestamp(1)).unwrap_err().code, ValidationCode::NotInFuture);
        assert!(editable(Published) && !editable(Archived));
    }

    #[test]
    fn provenance_follows_the_publisher() {
        assert_eq!(Provenance::resolve(None, OrgKind::Agency), Ok(Provenance::Resmi));
        assert_eq!(Provenance::resolve(None, OrgKind::Kim), Ok(Provenance::Kim));
        assert_eq!(Provenance::resolve(Some(Provenance::Warga), OrgKind::Kim), Ok(Provenance::Warga));
        assert_eq!(
            Provenance::resolve(Some(Provenance::Resmi), OrgKind::Kim).unwrap_err(),
            FieldError::new("provenance", ValidationCode::InvalidChoice)
        );
        assert!(Provenance::resolve(Some(Provenance::Kim), OrgKind::Diskominfo).is_err());
        assert_eq!(Provenance::resolve(None, OrgKind::Body).unwrap_err().field, "org");
    }

    #[test]
    fn publishers_target_regions_within_their_reach() {
        let code = |s: &str| RegionCode::parse(s).unwrap();
        let kim = OrgRef { id: OrgId::generate(), kind: OrgKind::Kim, region: code("35.23.01.2001") };
        assert_eq!(target_reach(&kim), code("35.23.01"));
        assert!(check_targets(&kim, &[code("35.23.01.2001"), code("35.23.01.2002"), code("35.23.01")]).is_ok());
        assert_eq!(check_targets(&kim, &[code("35.23")]).unwrap_err().code, ValidationCode::OutOfScope);
        let agency = OrgRef { id: OrgId::generate(), kind: OrgKind::Agency, region: code("35.23") };
        assert!(check_targets(&agency, &[code("35.23"), code("35.23.05.2003")]).is_ok());
        assert!(check_targets(&agency, &[code("35.07")]).is_err());
    }

    #[test]
    fn slugs_and_month_bounds() {
        assert_eq!(slugify("Panen Raya Jagung di Desa Jlodro!"), "panen-raya-jagung-di-desa-jlodro");
        assert_eq!(slugify("Jum'at Bersih: Kerja Bakti — Café"), "jumat-bersih-kerja-bakti-cafe");
        assert_eq!(slugify("!!!"), "konten");
        let long = slugify(&"pembangunan jalan ".repeat(20));
        assert!(long.len() <= MAX_SLUG_CHARS && !long.ends_with('-'), "{long}");
        let (from, until) = month_bounds(2025, 12).unwrap();
        assert_eq!(
            (from.to_rfc3339().as_str(), until.to_rfc3339().as_str()),
            ("2025-11-30T17:00:00Z", "2025-12-31T17:00:00Z")
        );
        assert_eq!(month_bounds(2025, 13), None);
    }

    #[test]
    fn topics_and_notes() {
        let topic =
            TopicForm { slug: "air-bersih".into(), name_id: "Air Bersih".into(), name_en: "Clean Water".into() };
        assert_eq!(topic.validate().unwrap().slug, "air-bersih");
        let bad = TopicForm { slug: "Air Bersih".into(), ..TopicForm::default() };
        assert_eq!(
            codes(bad.validate().unwrap_err()),
            vec![
                ("slug".into(), ValidationCode::InvalidChoice),
                ("name_id".into(), ValidationCode::Required),
                ("name_en".into(), ValidationCode::Required),
            ]
        );
        assert_eq!(parse_note("comment", " Tolong tambahkan foto. ").unwrap(), "Tolong tambahkan foto.");
        assert_eq!(parse_note("comment", "").unwrap_err().code, ValidationCode::Required);
        assert!(ImportKey::new("wordpress", "").is_err());
    }
}
