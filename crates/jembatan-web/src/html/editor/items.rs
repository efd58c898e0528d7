//! Writing: choosing the publishing organisation and the type (`GET
//! /tulis`), the item form for a new item (`POST /tulis`) and for an
//! existing one (`GET/POST /tulis/{id}`, versioned: a stale form gets 409
//! with what was typed, and nothing is overwritten), and the item's page
//! around the form: status, quality check, workflow, comments, corrections.
//!
//! A refused form keeps everything typed, and images already uploaded are
//! kept by id in hidden fields, so nothing has to be sent twice on slow
//! mobile data.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::content::{
    ContentDraft, ContentForm, ContentStatus, ContentType, ImageForm, Language, MediaId, Provenance, check_targets,
    editable, target_reach,
};
use jembatan_domain::organisation::{OrgKind, OrgRef};
use jembatan_domain::quality;
use jembatan_domain::role::Scope;
use jembatan_domain::{FieldError, OrgId, ValidationCode};
use jembatan_store::content::{self, CommentKind, Content};
use jembatan_store::topics::{self, Topic};
use jembatan_store::{StoreError, organisations, regions};
use serde::Deserialize;

use super::media::{Thumbnail, megabytes, store_upload, thumbnail};
use super::workflow::{StepForm, StepState, done_message, step_forms};
use super::{EditorPost, Names, Upload, add_field_errors, field_message, item_path, kind_label, status_label};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::html::admin::{Choice, Fields, region_label};
use crate::html::common::{format_time, private_page, redirect, render_private};
use crate::layout::{Ctx, Page};

/// Empty slots for new gallery images on the form.
pub const NEW_GALLERY_SLOTS: usize = 3;
/// Width of the thumbnails the editor shows.
const THUMB_WIDTH: i64 = 320;

// ------------------------------------------------------------ the form as typed

/// A gallery image already uploaded, as the form carries it.
#[derive(Debug, Clone, Default)]
pub struct GalleryEntry {
    pub media: String,
    pub caption: String,
    pub remove: bool,
}

/// The item form as typed (kept when refused). `version` is the version an
/// edit form was opened at.
#[derive(Debug, Clone, Default)]
pub struct ItemFields {
    pub org: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub language: String,
    pub provenance: String,
    /// Region codes as typed: one per line or separated by commas.
    pub regions: String,
    pub topics: Vec<String>,
    pub cover_media: String,
    pub cover_caption: String,
    pub cover_remove: bool,
    pub gallery: Vec<GalleryEntry>,
    /// Captions typed for the new gallery slots.
    pub new_captions: Vec<String>,
    pub source_name: String,
    pub source_url: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub price_min: String,
    pub price_max: String,
    pub contact: String,
    pub version: String,
}

impl ItemFields {
    /// The form as posted.
    fn from_fields(f: &Fields) -> ItemFields {
        let removed = f.all("gallery_remove");
        let gallery = f
            .all("gallery_media")
            .into_iter()
            .zip(f.all("gallery_caption").into_iter().chain(std::iter::repeat(String::new())))
            .filter(|(media, _)| !media.trim().is_empty())
            .map(|(media, caption)| GalleryEntry { remove: removed.contains(&media), media, caption })
            .collect();
        ItemFields {
            org: f.get("org"),
            kind: f.get("kind"),
            title: f.get("title"),
            summary: f.get("summary"),
            body: f.get("body"),
            language: f.get("language"),
            provenance: f.get("provenance"),
            regions: f.all("regions").join("\n"),
            topics: f.all("topics"),
            cover_media: f.get("cover_media"),
            cover_caption: f.get("cover_caption"),
            cover_remove: !f.get("cover_remove").is_empty(),
            gallery,
            new_captions: (0..NEW_GALLERY_SLOTS).map(|i| f.get(&format!("gallery_new_caption_{i}"))).collect(),
            source_name: f.get("source_name"),
            source_url: f.get("source_url"),
            starts_at: f.get("starts_at"),
            ends_at: f.get("ends_at"),
            place: f.get("place"),
            price_min: f.get("price_min"),
            price_max: f.get("price_max"),
            contact: f.get("contact"),
            version: f.get("version"),
        }
    }

    /// A blank form for a new item of `kind` for `org`.
    fn blank(org: &OrgRef, kind: ContentType) -> ItemFields {
        ItemFields {
            org: org.id.to_string(),
            kind: kind.as_str().to_owned(),
            regions: org.region.to_string(),
            new_captions: vec![String::new(); NEW_GALLERY_SLOTS],
            ..ItemFields::default()
        }
    }

    /// The stored item, to pre-fill the edit form.
    fn from_content(item: &Content) -> ItemFields {
        let f = ContentForm::from(&item.draft());
        ItemFields {
            org: item.org.id.to_string(),
            kind: f.kind,
            title: f.title,
            summary: f.summary,
            body: f.body,
            language: f.language,
            provenance: f.provenance,
            regions: f.regions.join("\n"),
            topics: f.topics,
            cover_media: f.cover_media,
            cover_caption: f.cover_caption,
            cover_remove: false,
            gallery: f
                .gallery
                .into_iter()
                .map(|g| GalleryEntry { media: g.media, caption: g.caption, remove: false })
                .collect(),
            new_captions: vec![String::new(); NEW_GALLERY_SLOTS],
            source_name: f.source_name,
            source_url: f.source_url,
            starts_at: f.starts_at,
            ends_at: f.ends_at,
            place: f.place,
            price_min: f.price_min,
            price_max: f.price_max,
            contact: f.contact,
            version: item.version.to_string(),
        }
    }

    /// What the domain checks.
    fn to_form(&self) -> ContentForm {
        let cover = |s: &String| if self.cover_remove { String::new() } else { s.clone() };
        ContentForm {
            kind: self.kind.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            body: self.body.clone(),
            language: self.language.clone(),
            provenance: self.provenance.clone(),
            regions: vec![self.regions.clone()],
            topics: self.topics.clone(),
            cover_media: cover(&self.cover_media),
            cover_caption: cover(&self.cover_caption),
            gallery: self
                .gallery
                .iter()
                .filter(|g| !g.remove)
                .map(|g| ImageForm { media: g.media.clone(), caption: g.caption.clone() })
                .collect(),
            source_name: self.source_name.clone(),
            source_url: self.source_url.clone(),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            place: self.place.clone(),
            price_min: self.price_min.clone(),
            price_max: self.price_max.clone(),
            contact: self.contact.clone(),
        }
    }

    /// Removed images leave the form once it is shown again.
    fn drop_removed(&mut self) {
        if self.cover_remove {
            self.cover_media.clear();
            self.cover_caption.clear();
            self.cover_remove = false;
        }
        self.gallery.retain(|g| !g.remove);
    }
}

/// Stores the images sent with the form and puts them in it: a new cover
/// replaces the old one, new gallery images join the gallery with the
/// caption typed beside them. A refused image is named in `errors`.
async fn take_uploads(
    ctx: &Ctx,
    viewer: &Viewer,
    uploads: &[Upload],
    form: &mut ItemFields,
    errors: &mut FormErrors,
) -> Result<(), AppError> {
    let user = viewer.require_user()?.id;
    for upload in uploads {
        let slot = upload
            .field
            .strip_prefix("gallery_file_")
            .and_then(|i| i.parse::<usize>().ok())
            .filter(|i| *i < NEW_GALLERY_SLOTS);
        if upload.field != "cover_file" && slot.is_none() {
            continue;
        }
        match (store_upload(ctx, user, upload).await?, slot) {
            (Ok(id), None) => {
                form.cover_media = id.to_string();
                form.cover_remove = false;
            }
            (Ok(id), Some(i)) => {
                let caption = std::mem::take(&mut form.new_captions[i]);
                form.gallery.push(GalleryEntry { media: id.to_string(), caption, remove: false });
            }
            (Err(message), _) => errors.add(&upload.field, message),
        }
    }
    Ok(())
}

/// Checks the form: the domain's rules, then what needs the database
/// (topics and regions exist, targets within the publisher's reach), so
/// every refusal is named at once. The draft when all is well.
async fn check_form(
    ctx: &Ctx,
    org: &OrgRef,
    form: &ItemFields,
    topic_list: &[Topic],
    errors: &mut FormErrors,
) -> Result<Option<ContentDraft>, AppError> {
    let draft = match form.to_form().validate() {
        Ok(draft) => Some(draft),
        Err(failures) => {
            add_field_errors(&ctx.t, errors, &failures);
            None
        }
    };
    let unknown_topic = form
        .topics
        .iter()
        .flat_map(|t| t.split(|c: char| c == ',' || c.is_whitespace()))
        .filter(|t| !t.is_empty())
        .any(|slug| !topic_list.iter().any(|t| t.slug == slug));
    if unknown_topic {
        errors.add("topics", field_message(&ctx.t, &FieldError::new("topics", ValidationCode::InvalidChoice)));
    }
    if let Some(draft) = &draft {
        for code in &draft.regions {
            if regions::get(&ctx.state.db, code).await?.is_none() {
                errors.add("regions", ctx.t.arg("editor-error-region-unknown", "code", code.as_str()));
            }
        }
        if let Err(e) = check_targets(org, &draft.regions) {
            add_field_errors(&ctx.t, errors, &[e]);
        }
        if let Err(e) = Provenance::resolve(draft.provenance, org.kind) {
            add_field_errors(&ctx.t, errors, &[e]);
        }
    }
    Ok(draft.filter(|_| errors.is_empty()))
}

// ------------------------------------------------------------ what the page shows

/// A gallery image on the form.
pub struct GalleryView {
    pub media: String,
    pub caption: String,
    pub remove: bool,
    pub thumb: Option<Thumbnail>,
    pub index: usize,
}

/// An empty slot for a new gallery image.
pub struct SlotView {
    pub index: usize,
    /// Counted from one, for people.
    pub number: usize,
    pub caption: String,
    pub error: Option<String>,
}

/// The item form with its choices.
pub struct FormView {
    pub action: String,
    pub values: ItemFields,
    pub errors: FormErrors,
    pub org_name: String,
    pub kinds: Vec<Choice>,
    pub languages: Vec<Choice>,
    /// Offered when the publisher may choose (a KIM: as itself or for a citizen).
    pub provenances: Vec<Choice>,
    pub provenance_fixed: Option<String>,
    pub topics: Vec<Choice>,
    pub regions_hint: String,
    pub cover: Option<Thumbnail>,
    /// A refused cover upload, or a cover that is not stored.
    pub cover_error: Option<String>,
    pub gallery: Vec<GalleryView>,
    pub gallery_error: Option<String>,
    pub slots: Vec<SlotView>,
    pub is_agenda: bool,
    pub is_product: bool,
    pub upload_hint: String,
    pub submit_label: String,
    pub is_new: bool,
}

/// One finding of the quality check.
pub struct FindingView {
    pub passed: bool,
    pub text: String,
}

/// The quality check as author and reviewer see it.
pub struct QualityView {
    pub score: u32,
    pub class: &'static str,
    pub findings: Vec<FindingView>,
}

/// The quality check of a draft: failed findings first (what to fix),
/// each with its short explanation.
pub fn quality_view(ctx: &Ctx, draft: &ContentDraft) -> QualityView {
    let report = quality::check(draft);
    let mut findings: Vec<FindingView> = report
        .findings
        .iter()
        .map(|f| FindingView { passed: f.passed, text: ctx.t.get(&format!("quality-{}", f.code.as_str())) })
        .collect();
    findings.sort_by_key(|f| f.passed);
    let class = match report.score {
        80.. => "ok",
        50..80 => "warn",
        _ => "bad",
    };
    QualityView { score: u32::from(report.score), class, findings }
}

/// A label and a value.
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// A comment or a correction as listed.
pub struct NoteView {
    pub author: String,
    pub when: String,
    pub text: String,
    /// What kind of note it is, when it matters (the note sent with a
    /// return to the author).
    pub kind: Option<String>,
}

/// What the page shows of the item as readers would see it.
pub struct Preview {
    pub title: String,
    pub summary: Option<String>,
    /// Sanitised when stored: scripts and handlers never reach it.
    pub body_html: String,
    pub cover: Option<Thumbnail>,
    pub open: bool,
}

/// An existing item: everything around the form.
pub struct ItemView {
    pub status: String,
    pub status_class: &'static str,
    pub facts: Vec<Fact>,
    pub returned: Option<NoteView>,
    pub quality: QualityView,
    pub preview: Preview,
    pub version: i64,
    pub steps: Vec<StepForm>,
    pub comments: Vec<NoteView>,
    pub comment_form: Option<StepForm>,
    pub corrections: Vec<NoteView>,
    pub correct_form: Option<StepForm>,
    pub history_href: String,
    /// The item on the portal, once published.
    pub public_href: Option<String>,
}

#[derive(Template)]
#[template(path = "editor/item.html")]
struct ItemPage {
    page: Page,
    csrf: String,
    flash: Option<String>,
    /// A form-wide notice (a conflict, a step refused).
    notice: Option<String>,
    /// Text typed into a refused step that is no longer offered.
    kept: Option<String>,
    form: Option<FormView>,
    item: Option<ItemView>,
    mine_href: String,
}

/// Builds the form for `org` around `values`.
async fn form_view(
    ctx: &Ctx,
    org: &OrgRef,
    values: ItemFields,
    errors: FormErrors,
    action: String,
    is_new: bool,
) -> Result<FormView, AppError> {
    let t = &ctx.t;
    let db = &ctx.state.db;
    let org_name = organisations::get(db, org.id).await?.map(|o| o.profile.name).unwrap_or_default();
    let kinds = ContentType::ALL
        .iter()
        .map(|k| Choice { value: k.as_str().into(), label: kind_label(t, *k), selected: values.kind == k.as_str() })
        .collect();
    let language = if values.language.is_empty() { "id" } else { values.language.as_str() };
    let languages = Language::ALL
        .iter()
        .map(|l| Choice {
            value: l.as_str().into(),
            label: t.get(&format!("editor-language-{}", l.as_str())),
            selected: language == l.as_str(),
        })
        .collect();
    let allowed = Provenance::allowed_for(org.kind);
    let provenance_label = |p: &Provenance| t.get(&format!("editor-provenance-{}", p.as_str()));
    let chosen = allowed.iter().find(|p| p.as_str() == values.provenance).or(allowed.first());
    let (provenances, provenance_fixed) = if allowed.len() > 1 {
        let choices = allowed
            .iter()
            .map(|p| Choice { value: p.as_str().into(), label: provenance_label(p), selected: Some(p) == chosen })
            .collect();
        (choices, None)
    } else {
        (Vec::new(), chosen.map(provenance_label))
    };
    let topics = topics::list(db)
        .await?
        .iter()
        .map(|topic| Choice {
            value: topic.slug.clone(),
            label: topic.name(t.lang()).to_owned(),
            selected: values.topics.contains(&topic.slug),
        })
        .collect();
    let reach = target_reach(org);
    let reach_key = if org.kind == OrgKind::Kim { "editor-regions-hint-kim" } else { "editor-regions-hint" };
    let regions_hint = t.arg(reach_key, "reach", &region_label(ctx, &reach).await?);
    let cover = match values.cover_media.parse::<MediaId>() {
        Ok(id) => thumbnail(ctx, id, THUMB_WIDTH).await?,
        Err(_) => None,
    };
    let mut gallery = Vec::new();
    for (index, g) in values.gallery.iter().enumerate() {
        let thumb = match g.media.parse::<MediaId>() {
            Ok(id) => thumbnail(ctx, id, THUMB_WIDTH).await?,
            Err(_) => None,
        };
        gallery.push(GalleryView {
            media: g.media.clone(),
            caption: g.caption.clone(),
            remove: g.remove,
            thumb,
            index,
        });
    }
    let slots = (0..NEW_GALLERY_SLOTS)
        .map(|index| SlotView {
            index,
            number: index + 1,
            caption: values.new_captions.get(index).cloned().unwrap_or_default(),
            error: errors.get(&format!("gallery_file_{index}")).map(str::to_owned),
        })
        .collect();
    let cover_error = errors.get("cover_file").or(errors.get("cover_media")).map(str::to_owned);
    let gallery_error = errors.get("gallery").map(str::to_owned);
    let upload_hint = t.arg("editor-upload-hint", "max", &megabytes(t, ctx.state.config.max_upload_bytes));
    Ok(FormView {
        action,
        is_agenda: values.kind == ContentType::Agenda.as_str(),
        is_product: values.kind == ContentType::Produk.as_str(),
        values,
        errors,
        org_name,
        kinds,
        languages,
        provenances,
        provenance_fixed,
        topics,
        regions_hint,
        cover,
        cover_error,
        gallery,
        gallery_error,
        slots,
        upload_hint,
        submit_label: t.get(if is_new { "editor-save-new" } else { "editor-save" }),
        is_new,
    })
}

/// Renders the form for a new item of `org`.
async fn render_new(
    ctx: &Ctx,
    viewer: &Viewer,
    org: &OrgRef,
    mut values: ItemFields,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    values.drop_removed();
    let kind = ContentType::parse(&values.kind).unwrap_or(ContentType::Berita);
    let title = ctx.t.arg("editor-new-title", "kind", &kind_label(&ctx.t, kind));
    let form = form_view(ctx, org, values, errors, ctx.t.href("/tulis"), true).await?;
    let template = ItemPage {
        page: private_page(ctx, viewer, title),
        csrf: viewer.require_user()?.csrf.clone(),
        flash: None,
        notice: None,
        kept: None,
        form: Some(form),
        item: None,
        mine_href: ctx.t.href("/akun/tulisan"),
    };
    render_private(template, status)
}

/// What the item page shows besides the stored item.
#[derive(Default)]
pub struct ItemState {
    /// The form as typed (a refused edit); the stored item when `None`.
    pub values: Option<ItemFields>,
    pub errors: FormErrors,
    pub notice: Option<String>,
    pub flash: Option<String>,
    /// A refused workflow step.
    pub step: Option<StepState>,
}

/// Renders an item's page: its facts, the quality check, the form (for
/// those who may edit it now), the workflow, comments and corrections.
pub async fn render_item(
    ctx: &Ctx,
    viewer: &Viewer,
    item: &Content,
    state: ItemState,
    status: StatusCode,
) -> Result<Response, AppError> {
    let t = &ctx.t;
    let db = &ctx.state.db;
    let resource = Resource::Content(&item.content_ref());
    let path = item_path(item.id);
    let mut names = Names::default();
    // A refused edit keeps what was typed, even when the item changed under it.
    let may_edit = editable(item.status) && viewer.can(Action::EditContent, &resource);
    let form = if may_edit || state.values.is_some() {
        let mut values = state.values.unwrap_or_else(|| ItemFields::from_content(item));
        values.drop_removed();
        Some(form_view(ctx, &item.org, values, state.errors, t.href(&path), false).await?)
    } else {
        None
    };
    let (status_text, status_class) = status_label(t, item.status);
    let mut facts = vec![
        Fact { label: t.get("editor-fact-org"), value: item.org_name.clone() },
        Fact { label: t.get("editor-fact-kind"), value: kind_label(t, item.kind) },
        Fact { label: t.get("editor-fact-author"), value: names.of(ctx, item.author).await? },
        Fact { label: t.get("editor-fact-created"), value: format_time(ctx, item.created_at) },
        Fact { label: t.get("editor-fact-updated"), value: format_time(ctx, item.updated_at) },
        Fact { label: t.get("editor-fact-version"), value: item.version.to_string() },
        Fact {
            label: t.get("editor-fact-provenance"),
            value: t.get(&format!("editor-provenance-{}", item.provenance)),
        },
    ];
    if let Some(at) = item.submitted_at.filter(|_| item.status == ContentStatus::Submitted) {
        facts.push(Fact { label: t.get("editor-fact-submitted"), value: format_time(ctx, at) });
    }
    if let Some(at) = item.publish_at {
        facts.push(Fact { label: t.get("editor-fact-publish-at"), value: format_time(ctx, at) });
    }
    if let Some(at) = item.published_at {
        facts.push(Fact { label: t.get("editor-fact-published"), value: format_time(ctx, at) });
    }
    if let Some(archived) = &item.archived {
        let key = match archived.kind {
            content::ArchiveKind::Unpublish => "editor-fact-unpublished",
            content::ArchiveKind::Archive => "editor-fact-archived",
        };
        let mut value = format_time(ctx, archived.at);
        if let Some(reason) = &archived.reason {
            value = format!("{value}: {reason}");
        }
        facts.push(Fact { label: t.get(key), value });
    }
    let mut comments = Vec::new();
    for c in content::comments(db, item.id).await? {
        comments.push(NoteView {
            author: names.of(ctx, c.author).await?,
            when: format_time(ctx, c.at),
            text: c.body,
            kind: (c.kind == CommentKind::Return).then(|| t.get("editor-comment-return")),
        });
    }
    let returned = if item.is_returned() {
        comments.iter().rev().find(|c| c.kind.is_some()).map(|c| NoteView {
            author: c.author.clone(),
            when: c.when.clone(),
            text: c.text.clone(),
            kind: Some(t.args("editor-returned-by", &[("name", &c.author), ("when", &c.when)])),
        })
    } else {
        None
    };
    let mut corrections = Vec::new();
    for c in &item.corrections {
        corrections.push(NoteView {
            author: names.of(ctx, c.author).await?,
            when: format_time(ctx, c.at),
            text: c.body.clone(),
            kind: None,
        });
    }
    let (steps, comment_form, correct_form) = step_forms(ctx, viewer, item, state.step.as_ref());
    // A refused step no longer offered (the item moved on): its message and
    // what was typed go to the top of the page instead.
    let mut notice = state.notice;
    let mut kept = None;
    if let Some(failed) = &state.step {
        let offered = steps.iter().chain(&comment_form).chain(&correct_form).any(|f| f.step == failed.step);
        if !offered {
            notice = Some(failed.error.clone());
            kept = Some(failed.value.clone()).filter(|v| !v.trim().is_empty());
        }
    }
    let cover = match &item.cover {
        Some(image) => thumbnail(ctx, image.media, 640).await?,
        None => None,
    };
    let view = ItemView {
        status: status_text,
        status_class,
        facts,
        returned,
        quality: quality_view(ctx, &item.draft()),
        preview: Preview {
            title: item.title.clone(),
            summary: item.summary.clone(),
            body_html: item.body_html.clone(),
            cover,
            open: form.is_none(),
        },
        version: item.version,
        steps,
        comments,
        comment_form,
        corrections,
        correct_form,
        history_href: t.href(&format!("{path}/revisi")),
        public_href: (item.status == ContentStatus::Published).then(|| t.href(&format!("/konten/{}", item.id))),
    };
    let template = ItemPage {
        page: private_page(ctx, viewer, item.title.clone()),
        csrf: viewer.require_user()?.csrf.clone(),
        flash: state.flash,
        notice,
        kept,
        form,
        item: Some(view),
        mine_href: t.href("/akun/tulisan"),
    };
    render_private(template, status)
}

// ------------------------------------------------------------ choosing where to write

/// An organisation the viewer may write for.
pub struct OrgChoice {
    pub org: OrgRef,
    pub name: String,
}

/// The organisations the viewer may write for: those named in the
/// viewer's grants, and the Diskominfo offices of the regions granted.
pub async fn writable_orgs(ctx: &Ctx, viewer: &Viewer) -> Result<Vec<OrgChoice>, AppError> {
    let db = &ctx.state.db;
    let mut found: Vec<OrgChoice> = Vec::new();
    let consider = |org: OrgRef, name: String, found: &mut Vec<OrgChoice>| {
        if viewer.can(Action::CreateContent, &Resource::Organisation(&org)) && !found.iter().any(|o| o.org.id == org.id)
        {
            found.push(OrgChoice { org, name });
        }
    };
    for grant in &viewer.actor.grants {
        match &grant.scope {
            Scope::Organisation(org) => {
                if let Some(stored) = organisations::get(db, org.id).await? {
                    consider(stored.org_ref(), stored.profile.name, &mut found);
                }
            }
            Scope::Region(region) => {
                for office in organisations::list(db, Some(OrgKind::Diskominfo), region).await? {
                    consider(office.org_ref(), office.profile.name.clone(), &mut found);
                }
            }
        }
    }
    Ok(found)
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    pub org: Option<String>,
    pub jenis: Option<String>,
}

#[derive(Template)]
#[template(path = "editor/choose.html")]
struct ChoosePage {
    page: Page,
    orgs: Vec<Choice>,
    kinds: Vec<Choice>,
    errors: FormErrors,
    mine_href: String,
}

/// The publisher named in a form or a query: 404 for an unknown one, and
/// the viewer must be allowed to write for it.
async fn chosen_org(ctx: &Ctx, viewer: &Viewer, raw: &str) -> Result<OrgRef, AppError> {
    let id: OrgId = raw.trim().parse().map_err(|_| AppError::NotFound)?;
    let org = organisations::org_ref(&ctx.state.db, id).await?;
    viewer.authorize(Action::CreateContent, &Resource::Organisation(&org))?;
    Ok(org)
}

/// `GET /tulis`: choose the publishing organisation and the type; with
/// both chosen (`?org=..&jenis=..`), the form for the new item.
pub async fn show_new(ctx: Ctx, viewer: Viewer, Query(query): Query<NewQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let chosen = match query.org.as_deref().filter(|o| !o.trim().is_empty()) {
        Some(raw) => Some(chosen_org(&ctx, &viewer, raw).await?),
        None => None,
    };
    let kind = query.jenis.as_deref().and_then(ContentType::parse);
    if let (Some(org), Some(kind)) = (&chosen, kind) {
        return render_new(&ctx, &viewer, org, ItemFields::blank(org, kind), FormErrors::default(), StatusCode::OK)
            .await;
    }
    let orgs = writable_orgs(&ctx, &viewer).await?;
    if orgs.is_empty() {
        return Err(AppError::Forbidden);
    }
    let only = (orgs.len() == 1).then(|| orgs[0].org.id);
    let selected = chosen.map(|o| o.id).or(only);
    let mut errors = FormErrors::default();
    if query.jenis.is_some() && kind.is_none() {
        errors.add("jenis", ctx.t.get("error-invalid_choice"));
    }
    let template = ChoosePage {
        page: private_page(&ctx, &viewer, ctx.t.get("editor-choose-title")),
        orgs: orgs
            .iter()
            .map(|o| Choice {
                value: o.org.id.to_string(),
                label: format!("{} · {}", o.name, ctx.t.get(&format!("admin-kind-{}", o.org.kind.as_str()))),
                selected: Some(o.org.id) == selected,
            })
            .collect(),
        kinds: ContentType::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().into(),
                label: kind_label(&ctx.t, *k),
                selected: *k == kind.unwrap_or(ContentType::Berita),
            })
            .collect(),
        errors,
        mine_href: ctx.t.href("/akun/tulisan"),
    };
    let status = if query.jenis.is_some() && kind.is_none() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    render_private(template, status)
}

/// `POST /tulis`: creates the draft; a refused form comes back with what
/// was typed and the images already uploaded.
pub async fn create(ctx: Ctx, post: EditorPost) -> Result<Response, AppError> {
    let EditorPost { viewer, fields, uploads } = post;
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let org = chosen_org(&ctx, &viewer, &fields.get("org")).await?;
    let mut form = ItemFields::from_fields(&fields);
    let mut errors = FormErrors::default();
    take_uploads(&ctx, &viewer, &uploads, &mut form, &mut errors).await?;
    let topic_list = topics::list(&ctx.state.db).await?;
    let draft = check_form(&ctx, &org, &form, &topic_list, &mut errors).await?;
    let Some(draft) = draft else {
        return render_new(&ctx, &viewer, &org, form, errors, StatusCode::BAD_REQUEST).await;
    };
    let user = viewer.require_user()?.id;
    let org_id = org.id;
    let written = ctx
        .state
        .db
        .write(move |tx| Box::pin(async move { content::create(tx, org_id, Some(user), &draft).await }))
        .await;
    match written {
        Ok(item) => Ok(redirect(&ctx, &format!("{}?selesai=dibuat", item_path(item.id)))),
        Err(StoreError::Invalid(e)) => {
            add_field_errors(&ctx.t, &mut errors, &[e]);
            render_new(&ctx, &viewer, &org, form, errors, StatusCode::BAD_REQUEST).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    pub selesai: Option<String>,
}

/// An item by the id in the path, whole; 404 when there is none.
pub async fn load_item(ctx: &Ctx, raw: &str) -> Result<Content, AppError> {
    let id = raw.parse().map_err(|_| AppError::NotFound)?;
    content::get(&ctx.state.db, id).await?.ok_or(AppError::NotFound)
}

/// `GET /tulis/{id}`: the item's page, for those who work on it.
pub async fn show_item(
    ctx: Ctx,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let item = load_item(&ctx, &id).await?;
    viewer.authorize(Action::ViewContentPrivate, &Resource::Content(&item.content_ref()))?;
    let state = ItemState { flash: done_message(&ctx, query.selesai.as_deref()), ..ItemState::default() };
    render_item(&ctx, &viewer, &item, state, StatusCode::OK).await
}

/// `POST /tulis/{id}`: saves a new version if nobody saved one since the
/// form was opened; a stale form gets 409, the conflict message and what
/// was typed, and nothing is overwritten.
pub async fn edit(ctx: Ctx, Path(id): Path<String>, post: EditorPost) -> Result<Response, AppError> {
    let EditorPost { viewer, fields, uploads } = post;
    let item = load_item(&ctx, &id).await?;
    viewer.authorize(Action::EditContent, &Resource::Content(&item.content_ref()))?;
    let mut form = ItemFields::from_fields(&fields);
    form.org = item.org.id.to_string();
    let version: i64 = form.version.trim().parse().map_err(|_| AppError::bad_request("bad_request"))?;
    let mut errors = FormErrors::default();
    take_uploads(&ctx, &viewer, &uploads, &mut form, &mut errors).await?;
    let topic_list = topics::list(&ctx.state.db).await?;
    let draft = check_form(&ctx, &item.org, &form, &topic_list, &mut errors).await?;
    let refuse = |form: ItemFields, errors: FormErrors, notice: Option<String>| ItemState {
        values: Some(form),
        errors,
        notice,
        ..ItemState::default()
    };
    let Some(draft) = draft else {
        return render_item(&ctx, &viewer, &item, refuse(form, errors, None), StatusCode::BAD_REQUEST).await;
    };
    let user = viewer.require_user()?.id;
    let item_id = item.id;
    let written = ctx
        .state
        .db
        .write(move |tx| Box::pin(async move { content::update(tx, item_id, version, &draft, Some(user)).await }))
        .await;
    match written {
        Ok(_) => Ok(redirect(&ctx, &format!("{}?selesai=disimpan", item_path(item_id)))),
        Err(StoreError::Stale) => {
            let current = load_item(&ctx, &id).await?;
            let state = refuse(form, errors, Some(ctx.t.get("editor-conflict")));
            render_item(&ctx, &viewer, &current, state, StatusCode::CONFLICT).await
        }
        Err(StoreError::Invalid(e)) => {
            add_field_errors(&ctx.t, &mut errors, &[e]);
            render_item(&ctx, &viewer, &item, refuse(form, errors, None), StatusCode::BAD_REQUEST).await
        }
        Err(e) => Err(e.into()),
    }
}
