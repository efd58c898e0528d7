//! The editorial workflow's buttons: submit, return to the author with a
//! comment, publish now, schedule (a time in WIB), unpublish (moderation,
//! with a reason), archive, restore to draft, corrections (ralat) and
//! comments. Each is a small form with the session's CSRF token and the
//! version the page showed; each handler asks authorization for its own
//! action and calls the store's step, which checks the status and the
//! version, audits and records the change. A refused step shows the item
//! again with its message and what was typed.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::content::{
    ContentId, ContentStatus, WorkflowAction, format_datetime_local, parse_datetime, transition,
};
use jembatan_domain::{FieldError, Timestamp, UserId};
use jembatan_store::StoreError;
use jembatan_store::content::{self, Content};
use serde::Deserialize;

use super::items::{ItemState, load_item, render_item};
use super::{field_message, item_path, load_ref};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::html::common::redirect;
use crate::layout::Ctx;

/// Confirmations after a redirect, by the fixed name in `?selesai=`.
pub const DONE: &[(&str, &str)] = &[
    ("dibuat", "editor-done-created"),
    ("disimpan", "editor-done-saved"),
    ("diajukan", "editor-done-submitted"),
    ("dikembalikan", "editor-done-returned"),
    ("diterbitkan", "editor-done-published"),
    ("dijadwalkan", "editor-done-scheduled"),
    ("ditarik", "editor-done-unpublished"),
    ("diarsipkan", "editor-done-archived"),
    ("dipulihkan", "editor-done-restored"),
    ("ralat", "editor-done-corrected"),
    ("komentar", "editor-done-commented"),
];

/// The confirmation named in the query (never text from the URL itself).
pub fn done_message(ctx: &Ctx, done: Option<&str>) -> Option<String> {
    let done = done?;
    DONE.iter().find(|(name, _)| *name == done).map(|(_, key)| ctx.t.get(key))
}

/// A text the step asks for.
pub struct NoteField {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub value: String,
    /// `textarea`, or an `<input>` type.
    pub input: &'static str,
    pub required: bool,
}

/// One step's form on the item's page.
pub struct StepForm {
    /// The last path segment, also the form's id.
    pub step: &'static str,
    pub action: String,
    pub intro: Option<String>,
    pub note: Option<NoteField>,
    pub button: String,
    pub class: &'static str,
    pub error: Option<String>,
}

/// A step that was refused: its message and what was typed.
#[derive(Debug, Clone)]
pub struct StepState {
    pub step: &'static str,
    pub value: String,
    pub error: String,
}

/// What a step needs to be offered: its name, the authorization action,
/// the workflow action (for the status check; `None` when the status
/// decides otherwise), its text field and its look.
struct StepSpec {
    step: &'static str,
    /// Reads the step from its form.
    read: fn(&StepFields) -> StepRead,
    /// The confirmation's name in `?selesai=` (see [`DONE`]).
    done: &'static str,
    action: Action,
    workflow: Option<WorkflowAction>,
    note: Option<(&'static str, &'static str, bool)>,
    class: &'static str,
}

const STATUS_STEPS: &[StepSpec] = &[
    StepSpec {
        step: "ajukan",
        read: |f| Ok(Ok(Step::Submit { version: f.version()? })),
        done: "diajukan",
        action: Action::SubmitContent,
        workflow: Some(WorkflowAction::Submit),
        note: None,
        class: "",
    },
    StepSpec {
        step: "terbitkan",
        read: |f| Ok(Ok(Step::PublishNow { version: f.version()? })),
        done: "diterbitkan",
        action: Action::PublishContent,
        workflow: Some(WorkflowAction::PublishNow),
        note: None,
        class: "",
    },
    StepSpec {
        step: "jadwalkan",
        read: read_schedule,
        done: "dijadwalkan",
        action: Action::PublishContent,
        workflow: Some(WorkflowAction::Schedule(Timestamp(0))),
        note: Some(("publish_at", "datetime-local", true)),
        class: "secondary",
    },
    StepSpec {
        step: "kembalikan",
        read: |f| Ok(Ok(Step::ReturnToAuthor { version: f.version()?, comment: f.comment.clone() })),
        done: "dikembalikan",
        action: Action::ReturnContent,
        workflow: Some(WorkflowAction::ReturnToAuthor),
        note: Some(("comment", "textarea", true)),
        class: "secondary",
    },
    StepSpec {
        step: "tarik",
        read: |f| Ok(Ok(Step::Unpublish { reason: f.reason.clone() })),
        done: "ditarik",
        action: Action::UnpublishContent,
        workflow: Some(WorkflowAction::Unpublish),
        note: Some(("reason", "textarea", true)),
        class: "danger",
    },
    StepSpec {
        step: "arsipkan",
        read: |f| Ok(Ok(Step::Archive { reason: f.reason.clone() })),
        done: "diarsipkan",
        action: Action::ArchiveContent,
        workflow: Some(WorkflowAction::Archive),
        note: Some(("reason", "textarea", false)),
        class: "secondary",
    },
    StepSpec {
        step: "pulihkan",
        read: |_| Ok(Ok(Step::Restore)),
        done: "dipulihkan",
        action: Action::RestoreContent,
        workflow: Some(WorkflowAction::RestoreDraft),
        note: None,
        class: "secondary",
    },
];

const COMMENT_STEP: StepSpec = StepSpec {
    step: "komentar",
    read: |f| Ok(Ok(Step::Comment { text: f.comment.clone() })),
    done: "komentar",
    action: Action::CommentContent,
    workflow: None,
    note: Some(("comment", "textarea", true)),
    class: "secondary",
};

const CORRECT_STEP: StepSpec = StepSpec {
    step: "ralat",
    read: |f| Ok(Ok(Step::Correct { text: f.correction.clone() })),
    done: "ralat",
    action: Action::CorrectContent,
    workflow: None,
    note: Some(("correction", "textarea", true)),
    class: "secondary",
};

/// Every translation key the steps' forms use (for the catalog test).
pub fn step_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for spec in STATUS_STEPS.iter().chain([&COMMENT_STEP, &CORRECT_STEP]) {
        keys.push(format!("editor-step-{}", spec.step));
        keys.push(format!("editor-step-{}-intro", spec.step));
        if spec.note.is_some() {
            keys.push(format!("editor-step-{}-note", spec.step));
            keys.push(format!("editor-step-{}-hint", spec.step));
        }
    }
    keys
}

fn build(ctx: &Ctx, item: &Content, spec: &StepSpec, failed: Option<&StepState>) -> StepForm {
    let t = &ctx.t;
    let failed = failed.filter(|f| f.step == spec.step);
    let note = spec.note.map(|(name, input, required)| {
        let stored = match (name, item.publish_at) {
            ("publish_at", Some(at)) => format_datetime_local(at),
            _ => String::new(),
        };
        NoteField {
            name,
            label: t.get(&format!("editor-step-{}-note", spec.step)),
            hint: t.get(&format!("editor-step-{}-hint", spec.step)),
            value: failed.map(|f| f.value.clone()).unwrap_or(stored),
            input,
            required,
        }
    });
    StepForm {
        step: spec.step,
        action: t.href(&format!("{}/{}", item_path(item.id), spec.step)),
        intro: Some(t.get(&format!("editor-step-{}-intro", spec.step))),
        note,
        button: t.get(&format!("editor-step-{}", spec.step)),
        class: spec.class,
        error: failed.map(|f| f.error.clone()),
    }
}

/// The steps the viewer may take on the item in its status, the comment
/// form and the correction form (a correction is for a published item).
pub fn step_forms(
    ctx: &Ctx,
    viewer: &Viewer,
    item: &Content,
    failed: Option<&StepState>,
) -> (Vec<StepForm>, Option<StepForm>, Option<StepForm>) {
    let item_ref = item.content_ref();
    let resource = Resource::Content(&item_ref);
    let steps = STATUS_STEPS
        .iter()
        .filter(|spec| viewer.can(spec.action, &resource))
        .filter(|spec| spec.workflow.is_none_or(|w| transition(item.status, w).is_ok()))
        .map(|spec| build(ctx, item, spec, failed))
        .collect();
    let comment = viewer.can(COMMENT_STEP.action, &resource).then(|| build(ctx, item, &COMMENT_STEP, failed));
    let correct = (item.status == ContentStatus::Published && viewer.can(CORRECT_STEP.action, &resource))
        .then(|| build(ctx, item, &CORRECT_STEP, failed));
    (steps, comment, correct)
}

/// A step's form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct StepFields {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub correction: String,
    #[serde(default)]
    pub publish_at: String,
}

impl StepFields {
    fn version(&self) -> Result<i64, AppError> {
        self.version.trim().parse().map_err(|_| AppError::bad_request("bad_request"))
    }

    /// What was typed in the step's text field, kept when it is refused.
    fn typed(&self, spec: &StepSpec) -> String {
        match spec.note.map(|(name, _, _)| name) {
            Some("comment") => self.comment.clone(),
            Some("reason") => self.reason.clone(),
            Some("correction") => self.correction.clone(),
            Some("publish_at") => self.publish_at.clone(),
            _ => String::new(),
        }
    }
}

/// Answers a step: back to the item with a confirmation, or the item
/// again with the step's message (409 for a stale page, 400 otherwise).
async fn finish<T>(
    ctx: &Ctx,
    viewer: &Viewer,
    id: ContentId,
    step: &'static str,
    done: &'static str,
    typed: String,
    result: Result<T, StoreError>,
) -> Result<Response, AppError> {
    let (status, error) = match result {
        Ok(_) => return Ok(redirect(ctx, &format!("{}?selesai={done}", item_path(id)))),
        Err(StoreError::Stale) => (StatusCode::CONFLICT, ctx.t.get("editor-step-stale")),
        Err(StoreError::Invalid(e)) => (StatusCode::BAD_REQUEST, field_message(&ctx.t, &e)),
        Err(e) => return Err(e.into()),
    };
    let item = load_item(ctx, &id.to_string()).await?;
    let state = ItemState { step: Some(StepState { step, value: typed, error }), ..ItemState::default() };
    render_item(ctx, viewer, &item, state, status).await
}

/// A step read from its form: a malformed form is an [`AppError`]; a
/// time that cannot be read is the field's error, shown on the item with
/// what was typed.
type StepRead = Result<Result<Step, FieldError>, AppError>;

fn read_schedule(form: &StepFields) -> StepRead {
    let version = form.version()?;
    let at = match form.publish_at.trim() {
        "" => Err(FieldError::new("publish_at", jembatan_domain::ValidationCode::Required)),
        raw => parse_datetime("publish_at", raw),
    };
    Ok(at.map(|at| Step::Schedule { version, at }))
}

/// A step as the store takes it, read from its form.
enum Step {
    Submit { version: i64 },
    ReturnToAuthor { version: i64, comment: String },
    PublishNow { version: i64 },
    Schedule { version: i64, at: Timestamp },
    Unpublish { reason: String },
    Archive { reason: String },
    Restore,
    Correct { text: String },
    Comment { text: String },
}

impl Step {
    /// Takes the step in one transaction; the store checks the status and
    /// the version, audits and records the change.
    async fn take(self, ctx: &Ctx, id: ContentId, user: Option<UserId>) -> Result<(), StoreError> {
        let scheduled = matches!(self, Step::Schedule { .. });
        ctx.state
            .db
            .write(move |tx| {
                Box::pin(async move {
                    match self {
                        Step::Submit { version } => content::submit(tx, id, version, user).await.map(drop),
                        Step::ReturnToAuthor { version, comment } => {
                            content::return_to_author(tx, id, version, &comment, user).await.map(drop)
                        }
                        Step::PublishNow { version } => content::publish_now(tx, id, version, user).await.map(drop),
                        Step::Schedule { version, at } => content::schedule(tx, id, version, at, user).await.map(drop),
                        Step::Unpublish { reason } => content::unpublish(tx, id, &reason, user).await.map(drop),
                        Step::Archive { reason } => content::archive(tx, id, Some(&reason), user).await.map(drop),
                        Step::Restore => content::restore_draft(tx, id, user).await.map(drop),
                        Step::Correct { text } => content::correct(tx, id, &text, user).await.map(drop),
                        Step::Comment { text } => content::comment(tx, id, &text, user).await.map(drop),
                    }
                })
            })
            .await?;
        if scheduled {
            // The job is due later; the worker sleeps until then on its own.
            ctx.state.jobs_waiting.notify_one();
        }
        Ok(())
    }
}

/// `POST /tulis/{id}/{step}`: one step of the workflow, each asking
/// authorization for its own action: `ajukan` (the author hands the draft
/// to the reviewers), `kembalikan` (a reviewer sends it back with a
/// comment), `terbitkan` (publish now), `jadwalkan` (a time typed in WIB,
/// published by the job queue; a past time is refused), `tarik` (the
/// regency takes it down, with a reason), `arsipkan` (its publisher
/// retires it), `pulihkan` (an archived item goes back to draft), `ralat`
/// (a correction, shown publicly with its date) and `komentar` (a remark
/// for the author or the reviewers).
pub async fn take_step(
    ctx: Ctx,
    Path((id, step)): Path<(String, String)>,
    CsrfForm { viewer, form }: CsrfForm<StepFields>,
) -> Result<Response, AppError> {
    let spec = STATUS_STEPS
        .iter()
        .chain([&COMMENT_STEP, &CORRECT_STEP])
        .find(|spec| spec.step == step)
        .ok_or(AppError::NotFound)?;
    let item = load_ref(&ctx, &id).await?;
    viewer.authorize(spec.action, &Resource::Content(&item))?;
    let user = Some(viewer.require_user()?.id);
    let result = match (spec.read)(&form)? {
        Ok(step) => step.take(&ctx, item.id, user).await,
        Err(e) => Err(StoreError::Invalid(e)),
    };
    finish(&ctx, &viewer, item.id, spec.step, spec.done, form.typed(spec), result).await
}
