//! The editor: writing and editing content items (`/tulis`), the editorial
//! workflow (submit, return with a comment, publish now or at a set time,
//! unpublish, archive, restore, corrections, comments), the revision
//! history with a diff view, the author's and the reviewer's dashboards,
//! and images: uploaded with the item's form, served from `/media/`.
//!
//! Every page here is private (`private, no-store`) except the images;
//! every handler asks [`Viewer::authorize`] before it reads or writes;
//! every transition goes through `jembatan_store::content`, which audits
//! it and records the change. Forms work without JavaScript: the item form
//! is `multipart/form-data` (read by [`EditorPost`], which also checks the
//! CSRF token), the workflow's small forms are urlencoded
//! ([`crate::auth::CsrfForm`]).

use std::collections::HashMap;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Request};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jembatan_domain::content::{ContentId, ContentRef, ContentStatus, ContentType};
use jembatan_domain::{FieldError, UserId, ValidationCode};
use jembatan_store::{accounts, content};
use subtle::ConstantTimeEq;

use crate::auth::Viewer;
use crate::error::{AppError, message_key};
use crate::forms::FormErrors;
use crate::html::admin::Fields;
use crate::i18n::Tr;
use crate::layout::Ctx;
use crate::state::{AppState, WebConfig};
pub use crate::uploads::Upload;
use crate::uploads::read_form;

pub mod dashboards;
pub mod items;
pub mod media;
pub mod revisions;
pub mod workflow;

/// Images one item form may carry at once: a cover and the new gallery slots.
pub const UPLOAD_SLOTS: usize = 1 + items::NEW_GALLERY_SLOTS;

/// Routes of the editor (each also served under `/en`).
pub fn routes() -> Router<AppState> {
    // The item form carries images: its body limit is the editor's own
    // (see `upload_body_limit`), counted by `EditorPost` while reading.
    let uploads = Router::new()
        .route("/tulis", get(items::show_new).post(items::create))
        .route("/tulis/{id}", get(items::show_item).post(items::edit))
        .layer(DefaultBodyLimit::disable());
    Router::new()
        .merge(uploads)
        .route("/tulis/{id}/{step}", post(workflow::take_step))
        .route("/tulis/{id}/revisi", get(revisions::show_history))
        .route("/tulis/{id}/revisi/{version}", get(revisions::show_diff))
        .route("/akun/tulisan", get(dashboards::show_mine))
        .route("/admin/konten", get(dashboards::show_queue))
        .route("/media/{id}", get(media::serve_original))
        .route("/media/{id}/{variant}", get(media::serve_variant))
}

/// The editor's page of an item.
pub fn item_path(id: ContentId) -> String {
    format!("/tulis/{id}")
}

// ------------------------------------------------------------ body limit

/// Largest body of an item form: every upload slot full, plus the text.
pub fn upload_body_limit(config: &WebConfig) -> usize {
    config.max_upload_bytes.saturating_mul(UPLOAD_SLOTS).saturating_add(config.max_body_bytes)
}

/// Whether a request posts an item form (which may carry images).
pub(crate) fn posts_item_form(method: &Method, path: &str) -> bool {
    let item = path.strip_prefix("/tulis/").is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
    *method == Method::POST && (path == "/tulis" || item)
}

// ------------------------------------------------------------ the item form's body

/// The item form as posted: `multipart/form-data` from a browser (fields
/// and files), or urlencoded fields alone; the session's CSRF token is
/// checked before anything is done with it.
pub struct EditorPost {
    pub viewer: Viewer,
    pub fields: Fields,
    pub uploads: Vec<Upload>,
}

impl FromRequest<AppState> for EditorPost {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let viewer = request.extensions().get::<Viewer>().cloned().unwrap_or_default();
        let csrf = viewer.require_user().map_err(IntoResponse::into_response)?.csrf.clone();
        let (fields, uploads) = read_form(request, state, upload_body_limit(&state.config)).await?;
        let sent = fields.get("csrf");
        if csrf.is_empty() || !bool::from(sent.as_bytes().ct_eq(csrf.as_bytes())) {
            tracing::info!("item form refused: CSRF token missing or wrong");
            return Err(AppError::Forbidden.into_response());
        }
        Ok(EditorPost { viewer, fields, uploads })
    }
}

// ------------------------------------------------------------ shared

/// An item by the id in the path and what authorization needs to know of
/// it; 404 for a malformed id or no such item.
pub async fn load_ref(ctx: &Ctx, raw: &str) -> Result<ContentRef, AppError> {
    let id: ContentId = raw.parse().map_err(|_| AppError::NotFound)?;
    Ok(content::content_ref(&ctx.state.db, id).await?)
}

/// The translated label of an item's status, and the badge class showing it.
pub fn status_label(t: &Tr, status: ContentStatus) -> (String, &'static str) {
    let class = match status {
        ContentStatus::Published => "ok",
        ContentStatus::Submitted | ContentStatus::Scheduled => "warn",
        ContentStatus::Draft => "",
        ContentStatus::Archived => "bad",
    };
    (t.get(&format!("editor-status-{}", status.as_str())), class)
}

/// The translated name of an item type.
pub fn kind_label(t: &Tr, kind: ContentType) -> String {
    t.get(&format!("editor-kind-{}", kind.as_str()))
}

/// A refused field's message: the editor's own wording where it says
/// more than the general one (limits, unknown topics, reach).
pub fn field_message(t: &Tr, error: &FieldError) -> String {
    let key = match (error.field.as_str(), error.code) {
        ("title", ValidationCode::TooLong) => "editor-error-title-too-long",
        ("summary", ValidationCode::TooLong) => "editor-error-summary-too-long",
        ("body", ValidationCode::TooLong) => "editor-error-body-too-long",
        ("topics", ValidationCode::InvalidChoice) => "editor-error-topic-unknown",
        ("topics", ValidationCode::TooMany) => "editor-error-topics-too-many",
        ("regions", ValidationCode::TooMany) => "editor-error-regions-too-many",
        ("regions", ValidationCode::OutOfScope) => "editor-error-regions-out-of-reach",
        ("gallery", ValidationCode::TooMany) => "editor-error-gallery-too-many",
        ("cover_media" | "gallery", ValidationCode::InvalidChoice) => "editor-error-image-unknown",
        ("org", ValidationCode::InvalidChoice) => "editor-error-org-cannot-publish",
        ("status", ValidationCode::InvalidTransition) => "editor-error-invalid-transition",
        _ => return t.get(&message_key(error.code.as_str())),
    };
    t.get(key)
}

/// Adds domain validation failures to a form's errors, in the editor's words.
pub fn add_field_errors(t: &Tr, errors: &mut FormErrors, failures: &[FieldError]) {
    for e in failures {
        errors.add(&e.field, field_message(t, e));
    }
}

/// Display names of accounts, read once per page.
#[derive(Default)]
pub struct Names(HashMap<UserId, String>);

impl Names {
    /// The name of `user`; a deleted account or none at all gets a placeholder.
    pub async fn of(&mut self, ctx: &Ctx, user: Option<UserId>) -> Result<String, AppError> {
        let Some(user) = user else { return Ok(ctx.t.get("editor-nobody")) };
        if let Some(name) = self.0.get(&user) {
            return Ok(name.clone());
        }
        let name = accounts::get_user(&ctx.state.db, user)
            .await?
            .map(|u| u.name)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| ctx.t.get("editor-deleted-account"));
        self.0.insert(user, name.clone());
        Ok(name)
    }
}

#[cfg(test)]
mod tests {
    use jembatan_domain::content::{ContentStatus, ContentType, Language, Provenance};
    use jembatan_domain::quality::QualityCode;

    use crate::i18n::{Catalog, Locale};
    use crate::media::MediaError;

    /// Keys built at run time from stable names, which the catalog test
    /// cannot see in the source: every one must exist in every locale.
    #[test]
    fn every_key_built_from_a_stable_name_exists() {
        let catalog = Catalog::load().unwrap();
        let mut keys: Vec<String> = Vec::new();
        keys.extend(QualityCode::ALL.iter().map(|c| format!("quality-{}", c.as_str())));
        keys.extend(ContentStatus::ALL.iter().map(|s| format!("editor-status-{}", s.as_str())));
        keys.extend(ContentType::ALL.iter().map(|k| format!("editor-kind-{}", k.as_str())));
        keys.extend(Language::ALL.iter().map(|l| format!("editor-language-{}", l.as_str())));
        keys.extend(Provenance::ALL.iter().map(|p| format!("editor-provenance-{}", p.as_str())));
        keys.extend(MediaError::ALL.iter().map(|e| format!("error-{}", e.code())));
        keys.push("error-upload_too_large".to_owned());
        keys.extend(super::workflow::DONE.iter().map(|(_, key)| (*key).to_owned()));
        keys.extend(super::workflow::step_keys());
        for locale in Locale::ALL {
            let missing: Vec<_> = keys.iter().filter(|k| !catalog.has(locale, k)).collect();
            assert!(missing.is_empty(), "missing in {}: {missing:?}", locale.code());
        }
        assert_eq!(QualityCode::ALL.len(), 13, "a translated explanation for every finding");
    }

    #[test]
    fn only_item_forms_get_the_upload_limit() {
        use axum::http::Method;
        assert!(super::posts_item_form(&Method::POST, "/tulis"));
        assert!(super::posts_item_form(&Method::POST, "/tulis/0190a7d2-0000-7000-8000-000000000000"));
        assert!(!super::posts_item_form(&Method::POST, "/tulis/0190/ajukan"));
        assert!(!super::posts_item_form(&Method::GET, "/tulis"));
        assert!(!super::posts_item_form(&Method::POST, "/tulisan"));
        assert!(!super::posts_item_form(&Method::POST, "/wilayah/35"));
    }
}
