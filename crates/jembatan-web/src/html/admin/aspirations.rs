//! The officers' side of aspirations: the queue (`/admin/aspirasi`: the
//! cases of the viewer's regency or agency, unsettled ones by deadline,
//! near and past deadlines marked), a case in full (`/admin/aspirasi/{id}`:
//! text, attachments, the timeline with private notes, the reporter's
//! identity where allowed, the steps the viewer may take) and the steps
//! themselves (`POST /admin/aspirasi/{id}/{step}`), SP4N-LAPOR!'s
//! verify → dispatch → follow up → answer.
//!
//! An anonymous reporter's identity is shown only after the verifier asks
//! for it (`POST .../identitas`), and each such view is audited.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::future::BoxFuture;
use jembatan_domain::aspiration::{ReportId, ReportRef, ReportStatus, ReportStep, ReporterMode, transition};
use jembatan_domain::authz::{Action, Resource, report_queue_scope};
use jembatan_domain::organisation::{OrgKind, WorkCategory};
use jembatan_domain::{FieldError, OrgId, RegionLevel, Timestamp, UserId, ValidationCode};
use jembatan_store::aspirations::{self, QueueFilter, Report, StepInput};
use jembatan_store::{StoreError, Tx, organisations};
use serde::Deserialize;

use crate::auth::{CsrfForm, Viewer};
use crate::error::{AppError, message_key};
use crate::forms::FormErrors;
use crate::html::admin::{Choice, NavLink, RegionLabels, admin_nav, admin_page, csrf_of, region_label};
use crate::html::aspirations::{category_name, class_label, status_label, tracking_path};
use crate::html::common::{format_time, redirect, render_private};
use crate::layout::{Ctx, Page};

/// The queue's path.
pub const QUEUE_PATH: &str = "/admin/aspirasi";

/// A case's page.
pub fn case_path(id: ReportId) -> String {
    format!("{QUEUE_PATH}/{id}")
}

/// The steps officers take here: the path segment, the step, who may.
const STEPS: &[(&str, ReportStep, Action)] = &[
    ("verifikasi", ReportStep::Verify, Action::VerifyReport),
    ("disposisi", ReportStep::Dispatch, Action::VerifyReport),
    ("tunda", ReportStep::Hold, Action::VerifyReport),
    ("lanjutkan", ReportStep::Resume, Action::VerifyReport),
    ("bukan-wewenang", ReportStep::NotAuthority, Action::VerifyReport),
    ("arsipkan", ReportStep::Archive, Action::VerifyReport),
    ("tindak-lanjut", ReportStep::FollowUp, Action::FollowUpReport),
    ("jawab", ReportStep::Answer, Action::FollowUpReport),
    ("kembalikan", ReportStep::ReturnToVerifier, Action::FollowUpReport),
];

/// The translation key of a step's label.
fn step_key(step: ReportStep) -> String {
    format!("report-step-{}", step.as_str().replace('_', "-"))
}

// ------------------------------------------------------------ the queue

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    pub status: Option<String>,
    pub halaman: Option<String>,
}

/// A case as the queue lists it.
pub struct CaseRow {
    pub tracking: String,
    pub href: String,
    pub title: String,
    pub category: String,
    pub region: String,
    pub status: String,
    pub status_class: &'static str,
    pub filed: String,
    pub due: Option<String>,
    /// `bad` past the deadline, `warn` within a day of it.
    pub urgency: &'static str,
}

#[derive(Template)]
#[template(path = "admin/aspirations.html")]
struct QueuePage {
    page: Page,
    nav: Vec<NavLink>,
    statuses: Vec<Choice>,
    rows: Vec<CaseRow>,
    next_href: Option<String>,
    calendar_warning: Option<String>,
}

/// How close to its deadline a case is: `bad` past it, `warn` within a day.
fn urgency(report: &Report, now: Timestamp) -> &'static str {
    match report.due_at {
        Some(due) if !report.status.is_settled() && due < now => "bad",
        Some(due) if !report.status.is_settled() && due.millis() - now.millis() < 24 * 3600 * 1000 => "warn",
        _ => "",
    }
}

/// `GET /admin/aspirasi`: the viewer's cases.
pub async fn show_queue(ctx: Ctx, viewer: Viewer, Query(query): Query<QueueQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::ReviewReports, &Resource::Platform)?;
    let status = match query.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => Some(ReportStatus::parse(raw).ok_or_else(|| AppError::bad_request("invalid_choice"))?),
        None => None,
    };
    let page_number: i64 = match query.halaman.as_deref() {
        None | Some("") => 1,
        Some(raw) => raw.parse().ok().filter(|n| *n >= 1).ok_or_else(|| AppError::bad_request("invalid_number"))?,
    };
    let scope = report_queue_scope(&viewer.actor);
    let reports = aspirations::queue(&ctx.state.db, &scope, &QueueFilter { status }, page_number).await?;
    let categories = aspirations::categories(&ctx.state.db).await?;
    let now = Timestamp::now();
    let regions = RegionLabels::load(&ctx, &reports.iter().map(|r| &r.region).collect::<Vec<_>>()).await?;
    let mut rows = Vec::with_capacity(reports.len());
    for report in &reports {
        let (status, status_class) = status_label(&ctx, report.status);
        rows.push(CaseRow {
            tracking: report.tracking.to_string(),
            href: ctx.t.href(&case_path(report.id)),
            title: report.title.clone(),
            category: category_name(&categories, &report.category, ctx.t.lang()),
            region: regions.label(&report.region),
            status,
            status_class,
            filed: format_time(&ctx, report.created_at),
            due: report.due_at.filter(|_| !report.status.is_settled()).map(|at| format_time(&ctx, at)),
            urgency: urgency(report, now),
        });
    }
    let selected = status.map(|s| s.as_str()).unwrap_or_default();
    let statuses = ReportStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str().to_owned(),
            label: status_label(&ctx, *s).0,
            selected: s.as_str() == selected,
        })
        .collect();
    let next_href = (reports.len() as i64 == aspirations::QUEUE_PAGE).then(|| {
        let status = status.map(|s| format!("status={}&", s.as_str())).unwrap_or_default();
        ctx.t.href(&format!("{QUEUE_PATH}?{status}halaman={}", page_number + 1))
    });
    let calendar_warning = calendar_warning(&ctx).await?;
    let template = QueuePage {
        page: admin_page(&ctx, &viewer, ctx.t.get("report-queue-title")),
        nav: admin_nav(&ctx, &viewer),
        statuses,
        rows,
        next_href,
        calendar_warning,
    };
    render_private(template, StatusCode::OK)
}

/// A warning when this year or the next has no holidays yet: deadlines
/// would count them as working days.
async fn calendar_warning(ctx: &Ctx) -> Result<Option<String>, AppError> {
    let years = jembatan_store::holidays::years(&ctx.state.db).await?;
    Ok(missing_years_warning(ctx, years))
}

/// The warning for `years` with holidays (also on the calendar page).
pub fn missing_years_warning(ctx: &Ctx, years: Vec<i32>) -> Option<String> {
    let missing = jembatan_domain::calendar::years_missing(years, crate::html::admin::today(ctx));
    (!missing.is_empty()).then(|| {
        let list = missing.iter().map(|y| y.to_string()).collect::<Vec<_>>().join(", ");
        ctx.t.arg("report-calendar-missing", "years", &list)
    })
}

/// The version a step's form was rendered with (a form without a number
/// was not made by this site).
fn form_version(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::bad_request("bad_request"))
}

// ------------------------------------------------------------ a case

/// One entry of the case's timeline as officers see it.
pub struct CaseEventView {
    pub at: String,
    pub step: String,
    pub status: String,
    pub org: Option<String>,
    pub public_note: Option<String>,
    pub private_note: Option<String>,
}

/// A step the viewer may take now, with its form's path.
pub struct StepView {
    pub key: &'static str,
    pub label: String,
    pub action: String,
    pub needs_org: bool,
    pub needs_note: bool,
}

/// The reporter as shown to an officer allowed to see them.
pub struct IdentityView {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/aspiration.html")]
struct CasePage {
    page: Page,
    nav: Vec<NavLink>,
    csrf: String,
    public_href: String,
    title: String,
    description: String,
    class: String,
    category: String,
    region: String,
    region_unconfirmed: bool,
    location: Option<String>,
    event_date: Option<String>,
    mode: String,
    status: String,
    status_class: &'static str,
    filed_at: String,
    due: Option<String>,
    answer_due: Option<String>,
    assigned: Option<String>,
    duplicate_of: Option<String>,
    held: bool,
    attachments: Vec<(String, String)>,
    identity: Option<IdentityView>,
    identity_on_request: bool,
    identity_action: String,
    events: Vec<CaseEventView>,
    steps: Vec<StepView>,
    handlers: Vec<Choice>,
    errors: FormErrors,
    done: Option<String>,
    version: i64,
    /// The verifier may correct the region / clear the moderation hold.
    region_action: Option<String>,
    moderation_action: Option<String>,
    /// An information request's deadline may be extended once.
    extend_action: Option<String>,
    objection: Option<String>,
    /// The hand-over letter, for a case dispatched to a body without accounts.
    letter_href: Option<String>,
    /// The SP4N-LAPOR! export, for a case the verifier may hand there.
    lapor_href: Option<String>,
    lapor_tracking: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct CaseQuery {
    /// The step just taken, for the confirmation.
    pub selesai: Option<String>,
}

async fn load(ctx: &Ctx, raw: &str) -> Result<ReportRef, AppError> {
    let id: ReportId = raw.parse().map_err(|_| AppError::NotFound)?;
    Ok(aspirations::report_ref(&ctx.state.db, id).await?)
}

/// `GET /admin/aspirasi/{id}`.
pub async fn show_case(
    ctx: Ctx,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<CaseQuery>,
) -> Result<Response, AppError> {
    let case = load(&ctx, &id).await?;
    viewer.authorize(Action::ViewReportCase, &Resource::Report(&case))?;
    let done = query
        .selesai
        .as_deref()
        .and_then(|s| STEPS.iter().find(|(key, _, _)| *key == s))
        .map(|(_, step, _)| ctx.t.arg("report-step-done", "step", &ctx.t.get(&step_key(*step))));
    render_case(&ctx, &viewer, &case, CaseExtras { done, ..CaseExtras::default() }, StatusCode::OK).await
}

/// What a case page shows beyond the case itself.
#[derive(Default)]
struct CaseExtras {
    errors: FormErrors,
    done: Option<String>,
    /// The verifier asked to see an anonymous reporter (already audited).
    reveal_identity: bool,
}

async fn render_case(
    ctx: &Ctx,
    viewer: &Viewer,
    case: &ReportRef,
    extras: CaseExtras,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = &ctx.state.db;
    let report = aspirations::get(db, case.id).await?.ok_or(AppError::NotFound)?;
    let categories = aspirations::categories(db).await?;
    let work_category = categories.iter().find(|c| c.slug == report.category).and_then(|c| c.work_category.clone());
    let may_see_identity = viewer.can(Action::ViewReporterIdentity, &Resource::Report(case));
    let identity_on_request = may_see_identity && report.mode == ReporterMode::Anonymous && !extras.reveal_identity;
    let identity = if may_see_identity && !identity_on_request {
        let reporter = aspirations::reporter(db, report.id).await?;
        Some(IdentityView {
            name: reporter.name,
            phone: reporter.phone.map(|p| p.to_string()),
            email: reporter.email.map(|e| e.to_string()),
        })
    } else {
        None
    };
    let mut events = Vec::new();
    for event in aspirations::case_events(db, report.id).await? {
        events.push(CaseEventView {
            at: format_time(ctx, event.at),
            step: ctx.t.get(&step_key_of(&event.step)),
            status: status_label(ctx, event.status_after).0,
            org: match event.org {
                Some(org) => organisations::get(db, org).await?.map(|o| o.profile.name),
                None => None,
            },
            public_note: event.public_note,
            private_note: event.private_note,
        });
    }
    let steps: Vec<StepView> = STEPS
        .iter()
        .filter(|(_, step, action)| {
            transition(report.status, *step).is_ok() && viewer.can(*action, &Resource::Report(case))
        })
        .map(|(key, step, _)| StepView {
            key,
            label: ctx.t.get(&step_key(*step)),
            action: ctx.t.href(&format!("{}/{key}", case_path(report.id))),
            needs_org: *step == ReportStep::Dispatch,
            needs_note: matches!(
                step,
                ReportStep::Answer | ReportStep::Hold | ReportStep::NotAuthority | ReportStep::Archive
            ),
        })
        .collect();
    let handlers = if steps.iter().any(|s| s.needs_org) {
        handler_choices(ctx, &report, work_category.as_deref()).await?
    } else {
        Vec::new()
    };
    let assigned = match report.assigned_org {
        Some(org) => organisations::get(db, org).await?.map(|o| o.profile.name),
        None => None,
    };
    let duplicate_of = match report.duplicate_of {
        Some(id) => aspirations::get(db, id).await?.map(|r| r.tracking.to_string()),
        None => None,
    };
    let (status_text, status_class) = status_label(ctx, report.status);
    let template = CasePage {
        page: admin_page(ctx, viewer, ctx.t.arg("report-track-title", "number", report.tracking.as_str())),
        nav: admin_nav(ctx, viewer),
        csrf: csrf_of(viewer)?,
        public_href: ctx.t.href(&tracking_path(&report.tracking)),
        title: report.title.clone(),
        description: report.description.clone(),
        class: class_label(ctx, report.class),
        category: category_name(&categories, &report.category, ctx.t.lang()),
        region: region_label(ctx, &report.region).await?,
        region_unconfirmed: report.region_unconfirmed,
        location: report.location.map(|l| format!("{:.6}, {:.6}", l.lat(), l.lon())),
        event_date: report.event_date.map(|d| d.format("%d-%m-%Y").to_string()),
        mode: ctx.t.get(&format!("report-mode-{}", report.mode.as_str())),
        status: status_text,
        status_class,
        filed_at: format_time(ctx, report.created_at),
        due: report.due_at.filter(|_| !report.status.is_settled()).map(|at| format_time(ctx, at)),
        answer_due: report.answer_due_at.map(|at| format_time(ctx, at)),
        assigned,
        duplicate_of,
        held: report.held,
        attachments: aspirations::attachments(db, report.id)
            .await?
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let href = ctx.t.href(&format!("{}/lampiran/{}", case_path(report.id), a.id));
                (href, format!("{} {} ({}, {} KB)", ctx.t.get("report-attachment"), i + 1, a.mime, a.byte_size / 1024))
            })
            .collect(),
        identity,
        identity_on_request,
        identity_action: ctx.t.href(&format!("{}/identitas", case_path(report.id))),
        events,
        steps,
        handlers,
        errors: extras.errors,
        done: extras.done,
        version: report.version,
        region_action: (viewer.can(Action::VerifyReport, &Resource::Report(case)) && !report.status.is_settled())
            .then(|| ctx.t.href(&format!("{}/wilayah", case_path(report.id)))),
        moderation_action: (report.held && viewer.can(Action::VerifyReport, &Resource::Report(case)))
            .then(|| ctx.t.href(&format!("{}/moderasi", case_path(report.id)))),
        extend_action: (report.class == jembatan_domain::aspiration::ReportClass::PermintaanInformasi
            && !report.answer_extended
            && !report.status.is_settled()
            && viewer.can(Action::ExtendInformationRequest, &Resource::Report(case)))
        .then(|| ctx.t.href(&format!("{}/perpanjang", case_path(report.id)))),
        objection: objection_text(ctx, &report),
        letter_href: (viewer.can(Action::VerifyReport, &Resource::Report(case))
            && case.assigned.as_ref().is_some_and(|o| o.kind == OrgKind::Body))
        .then(|| ctx.t.href(&format!("{}/surat", case_path(report.id)))),
        lapor_href: (viewer.can(Action::VerifyReport, &Resource::Report(case))
            && !matches!(report.status, ReportStatus::Selesai | ReportStatus::Diarsipkan))
        .then(|| ctx.t.href(&format!("{}/lapor", case_path(report.id)))),
        lapor_tracking: report.lapor_tracking.clone(),
    };
    render_private(template, status)
}

/// Where a requester's objection stands, for the case and tracking pages.
pub fn objection_text(ctx: &Ctx, report: &Report) -> Option<String> {
    let (at, due) = (report.objection_at?, report.objection_due_at?);
    Some(ctx.t.args("report-objection-filed", &[("at", &format_time(ctx, at)), ("due", &format_time(ctx, due))]))
}

/// A timeline event's label key (`submit` or a step's stable name).
fn step_key_of(step: &str) -> String {
    format!("report-step-{}", step.replace('_', "-"))
}

/// Who a case may be dispatched to: agencies of the report's regency and
/// of the province, and bodies without accounts there; agencies whose work
/// covers the category first (the suggestion), the verifier chooses.
async fn handler_choices(ctx: &Ctx, report: &Report, work: Option<&str>) -> Result<Vec<Choice>, AppError> {
    let db = &ctx.state.db;
    let province = report.region.province();
    let mut handlers = organisations::list(db, Some(OrgKind::Agency), &province).await?;
    handlers.extend(organisations::list(db, Some(OrgKind::Body), &province).await?);
    let reaches = |region: &jembatan_domain::RegionCode| {
        region.level() == RegionLevel::Province || region.contains(&report.region) || report.region.contains(region)
    };
    handlers.retain(|o| reaches(&o.region));
    let work = work.and_then(WorkCategory::parse);
    let suggested = |o: &organisations::Organisation| work.is_some_and(|w| o.profile.categories.contains(&w));
    handlers.sort_by_key(|o| (!suggested(o), o.region.level() == RegionLevel::Province, o.profile.name.clone()));
    let selected = report.assigned_org;
    Ok(handlers
        .iter()
        .map(|o| {
            let label = if suggested(o) {
                ctx.t.arg("report-handler-suggested", "name", &o.profile.name)
            } else {
                o.profile.name.clone()
            };
            Choice { value: o.id.to_string(), label, selected: Some(o.id) == selected }
        })
        .collect())
}

/// A step's form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub public_note: String,
    #[serde(default)]
    pub private_note: String,
}

/// Longest note.
const MAX_NOTE_CHARS: usize = 5000;

/// `POST /admin/aspirasi/{id}/{step}`.
pub async fn take_step(
    ctx: Ctx,
    Path((id, key)): Path<(String, String)>,
    CsrfForm { viewer, form }: CsrfForm<StepForm>,
) -> Result<Response, AppError> {
    let (_, step, action) = STEPS.iter().find(|(k, _, _)| *k == key).copied().ok_or(AppError::NotFound)?;
    let (case, user) = changing(&ctx, &viewer, &id, action).await?;
    let input = match read_step(step, &form) {
        Ok(input) => input,
        Err(e) => return refuse(&ctx, &viewer, &case, &e).await,
    };
    let version = form_version(&form.version)?;
    let id = case.id;
    write_change(&ctx, &viewer, &case, &key, move |tx| {
        Box::pin(async move { aspirations::take_step(tx, id, version, &input, Some(user)).await })
    })
    .await
}

fn read_step(step: ReportStep, form: &StepForm) -> Result<StepInput, FieldError> {
    let note = |field: &str, raw: &str| jembatan_domain::error::optional_text(field, raw, MAX_NOTE_CHARS);
    let org = match form.org.trim() {
        "" => None,
        raw => Some(raw.parse::<OrgId>().map_err(|_| FieldError::new("org", ValidationCode::InvalidChoice))?),
    };
    Ok(StepInput {
        step,
        org,
        public_note: note("public_note", &form.public_note)?,
        private_note: note("private_note", &form.private_note)?,
    })
}

async fn refuse(ctx: &Ctx, viewer: &Viewer, case: &ReportRef, error: &FieldError) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let message = ctx.t.get(&message_key(error.code.as_str()));
    errors.add(&error.field, message.clone());
    // The case page holds several small forms: the summary names the field.
    let label = match error.field.as_str() {
        "public_note" => "report-public-note",
        "org" => "report-dispatch-to",
        "region" => "report-region",
        "status" => "report-status",
        _ => "form-has-errors",
    };
    errors.general =
        Some(if label == "form-has-errors" { ctx.t.get(label) } else { format!("{}: {message}", ctx.t.get(label)) });
    render_case(ctx, viewer, case, CaseExtras { errors, ..CaseExtras::default() }, StatusCode::BAD_REQUEST).await
}

#[derive(Debug, Default, Deserialize)]
pub struct Empty {}

/// `POST /admin/aspirasi/{id}/identitas`: shows an anonymous reporter's
/// identity to a verifier of the regency, and audits the view.
pub async fn reveal_identity(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let case = load(&ctx, &id).await?;
    viewer.authorize(Action::ViewReporterIdentity, &Resource::Report(&case))?;
    let user = viewer.require_user()?.id;
    let logged = case.clone();
    ctx.state
        .db
        .write(move |tx| Box::pin(async move { aspirations::log_identity_view(tx, &logged, user).await }))
        .await?;
    let extras = CaseExtras { reveal_identity: true, ..CaseExtras::default() };
    render_case(&ctx, &viewer, &case, extras, StatusCode::OK).await
}

/// `GET /admin/aspirasi/{id}/lampiran/{attachment}`: a file of a case, for
/// the officers who see the case (never cached by anyone).
pub async fn serve_attachment(
    ctx: Ctx,
    viewer: Viewer,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let case = load(&ctx, &id).await?;
    viewer.authorize(Action::ViewReportCase, &Resource::Report(&case))?;
    let attachment = attachment.parse().map_err(|_| AppError::NotFound)?;
    let (mime, bytes) =
        aspirations::attachment_bytes(&ctx.state.db, case.id, attachment).await?.ok_or(AppError::NotFound)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("inline"));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    Ok(response)
}

/// `GET /admin/aspirasi/ekspor.csv`: every case of the viewer's scope as
/// CSV (no reporters' identities: they never leave the case page).
pub async fn export_csv(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::ReviewReports, &Resource::Platform)?;
    let scope = report_queue_scope(&viewer.actor);
    let reports = aspirations::export(&ctx.state.db, &scope).await?;
    let mut names = std::collections::HashMap::new();
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "tracking",
        "class",
        "category",
        "region",
        "status",
        "mode",
        "channel",
        "created_at",
        "due_at",
        "assigned_to",
        "answered_at",
        "answered_late",
        "rating",
        "closed_at",
    ];
    let csv_error = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    out.write_record(header).map_err(csv_error)?;
    let time = |t: Option<Timestamp>| t.map(Timestamp::to_rfc3339).unwrap_or_default();
    for report in &reports {
        let assigned = match report.assigned_org {
            Some(org) => match names.get(&org) {
                Some(name) => String::clone(name),
                None => {
                    let name =
                        organisations::get(&ctx.state.db, org).await?.map(|o| o.profile.name).unwrap_or_default();
                    names.insert(org, name.clone());
                    name
                }
            },
            None => String::new(),
        };
        out.write_record([
            report.tracking.as_str(),
            report.class.as_str(),
            report.category.as_str(),
            report.region.as_str(),
            report.status.as_str(),
            report.mode.as_str(),
            report.channel.as_str(),
            &report.created_at.to_rfc3339(),
            &time(report.due_at),
            &assigned,
            &time(report.answered_at),
            if report.answered_late { "1" } else { "0" },
            &report.rating.map(|r| r.to_string()).unwrap_or_default(),
            &time(report.closed_at),
        ])
        .map_err(csv_error)?;
    }
    let bytes = out.into_inner().map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"aspirasi.csv\""));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
pub struct RegionForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub region: String,
}

/// `POST /admin/aspirasi/{id}/wilayah`: sets the region of a report placed
/// at the province from its location (or filed in the wrong place); the
/// verifier must verify both the old and the new region.
pub async fn set_region(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form }: CsrfForm<RegionForm>,
) -> Result<Response, AppError> {
    let (case, user) = changing(&ctx, &viewer, &id, Action::VerifyReport).await?;
    let region = match jembatan_domain::RegionCode::parse(&form.region) {
        Ok(region) => region,
        Err(e) => return refuse(&ctx, &viewer, &case, &e).await,
    };
    let moved = ReportRef { region: region.clone(), ..case.clone() };
    viewer.authorize(Action::VerifyReport, &Resource::Report(&moved))?;
    let version = form_version(&form.version)?;
    let id = case.id;
    write_change(&ctx, &viewer, &case, "wilayah", move |tx| {
        Box::pin(async move { aspirations::set_region(tx, id, version, &region, Some(user)).await })
    })
    .await
}

/// `POST /admin/aspirasi/{id}/moderasi`: clears a report held for moderation.
pub async fn clear_moderation(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form }: CsrfForm<StepForm>,
) -> Result<Response, AppError> {
    let (case, user) = changing(&ctx, &viewer, &id, Action::VerifyReport).await?;
    let version = form_version(&form.version)?;
    let id = case.id;
    write_change(&ctx, &viewer, &case, "moderasi", move |tx| {
        Box::pin(async move { aspirations::clear_moderation(tx, id, version, Some(user)).await })
    })
    .await
}

/// The case a form changes, checked for `action`, and the officer acting.
async fn changing(ctx: &Ctx, viewer: &Viewer, id: &str, action: Action) -> Result<(ReportRef, UserId), AppError> {
    let case = load(ctx, id).await?;
    viewer.authorize(action, &Resource::Report(&case))?;
    Ok((case, viewer.require_user()?.id))
}

/// Writes an officer's change to a case and answers as the case page
/// does: back to the case (`?selesai={key}`), the case again with the
/// refusal, or 409 when someone changed the case since the form was shown.
async fn write_change<F>(
    ctx: &Ctx,
    viewer: &Viewer,
    case: &ReportRef,
    key: &str,
    write: F,
) -> Result<Response, AppError>
where
    F: for<'t, 'c> FnOnce(&'t mut Tx<'c>) -> BoxFuture<'t, Result<Report, StoreError>> + Send + 'static,
{
    match ctx.state.db.write(write).await {
        Ok(report) => Ok(redirect(ctx, &format!("{}?selesai={key}", case_path(report.id)))),
        Err(StoreError::Invalid(e)) => refuse(ctx, viewer, case, &e).await,
        Err(StoreError::Stale) => {
            let errors = FormErrors::general(ctx.t.get("report-stale"));
            render_case(ctx, viewer, case, CaseExtras { errors, ..CaseExtras::default() }, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/aspirasi/{id}/perpanjang`: moves an information request's
/// answer deadline once by 7 working days, with the notice the requester
/// gets (UU 14/2008).
pub async fn extend(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form }: CsrfForm<StepForm>,
) -> Result<Response, AppError> {
    let (case, user) = changing(&ctx, &viewer, &id, Action::ExtendInformationRequest).await?;
    let notice = match jembatan_domain::error::required_text("public_note", &form.public_note, MAX_NOTE_CHARS) {
        Ok(notice) => notice,
        Err(e) => return refuse(&ctx, &viewer, &case, &e).await,
    };
    let version = form_version(&form.version)?;
    let id = case.id;
    write_change(&ctx, &viewer, &case, "perpanjang", move |tx| {
        Box::pin(async move { aspirations::extend_answer(tx, id, version, &notice, Some(user)).await })
    })
    .await
}

// ------------------------------------------------------------ hand-overs

/// What a hand-over document says of a case: never the reporter.
pub struct HandoverFacts {
    pub tracking: String,
    pub class: String,
    pub category: String,
    pub region: String,
    pub filed: String,
    pub event_date: Option<String>,
    pub location: Option<String>,
    pub title: String,
    pub description: String,
}

async fn handover_facts(ctx: &Ctx, report: &Report) -> Result<HandoverFacts, AppError> {
    let categories = aspirations::categories(&ctx.state.db).await?;
    Ok(HandoverFacts {
        tracking: report.tracking.to_string(),
        class: class_label(ctx, report.class),
        // The letter is in Indonesian whatever the officer's language.
        category: category_name(&categories, &report.category, "id"),
        region: region_label(ctx, &report.region).await?,
        filed: format_time(ctx, report.created_at),
        event_date: report.event_date.map(|d| d.format("%d-%m-%Y").to_string()),
        location: report.location.map(|l| format!("{:.6}, {:.6}", l.lat(), l.lon())),
        title: report.title.clone(),
        description: report.description.clone(),
    })
}

#[derive(Template)]
#[template(path = "admin/handover_letter.html")]
struct LetterPage {
    page: Page,
    nav: Vec<NavLink>,
    office: String,
    body_name: String,
    body_address: Option<String>,
    date: String,
    facts: HandoverFacts,
    record_action: String,
    csrf: String,
    version: i64,
    methods: Vec<Choice>,
}

/// `GET /admin/aspirasi/{id}/surat`: the letter handing a case to the body
/// without an account it was dispatched to (print it or send it), and the
/// form recording that it went.
pub async fn show_letter(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Response, AppError> {
    let case = load(&ctx, &id).await?;
    viewer.authorize(Action::VerifyReport, &Resource::Report(&case))?;
    let body = case.assigned.as_ref().filter(|o| o.kind == OrgKind::Body).ok_or(AppError::NotFound)?;
    let report = aspirations::get(&ctx.state.db, case.id).await?.ok_or(AppError::NotFound)?;
    let body = organisations::get(&ctx.state.db, body.id).await?.ok_or(AppError::NotFound)?;
    let office = match report.region.regency() {
        Some(regency) => format!("{} {}", ctx.state.config.offices.regency_office, region_label(&ctx, &regency).await?),
        None => ctx.state.config.offices.province_office.clone(),
    };
    let template = LetterPage {
        page: admin_page(&ctx, &viewer, ctx.t.arg("report-letter-title", "number", report.tracking.as_str())),
        nav: admin_nav(&ctx, &viewer),
        office,
        body_name: body.profile.name.clone(),
        body_address: body.profile.address.clone(),
        date: format_time(&ctx, Timestamp::now()),
        facts: handover_facts(&ctx, &report).await?,
        record_action: ctx.t.href(&format!("{}/serah-terima", case_path(report.id))),
        csrf: csrf_of(&viewer)?,
        version: report.version,
        methods: aspirations::HANDOVER_METHODS
            .iter()
            .map(|m| Choice {
                value: (*m).to_owned(),
                label: ctx.t.get(&format!("report-handover-{m}")),
                selected: *m == "surat",
            })
            .collect(),
    };
    render_private(template, StatusCode::OK)
}

#[derive(Debug, Default, Deserialize)]
pub struct HandoverForm {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub lapor_tracking: String,
}

/// `POST /admin/aspirasi/{id}/serah-terima`: records the hand-over.
pub async fn record_handover(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form }: CsrfForm<HandoverForm>,
) -> Result<Response, AppError> {
    let (case, user) = changing(&ctx, &viewer, &id, Action::VerifyReport).await?;
    let version = form_version(&form.version)?;
    let id = case.id;
    let method = form.method.trim().to_owned();
    write_change(&ctx, &viewer, &case, "serah-terima", move |tx| {
        Box::pin(async move { aspirations::record_handover(tx, id, version, &method, Some(user)).await })
    })
    .await
}

#[derive(Template)]
#[template(path = "admin/lapor_export.html")]
struct LaporPage {
    page: Page,
    nav: Vec<NavLink>,
    facts: HandoverFacts,
    record_action: String,
    csrf: String,
    version: i64,
    recorded: Option<String>,
}

/// `GET /admin/aspirasi/{id}/lapor`: the case in the fields of
/// SP4N-LAPOR!'s form, for an officer to file it there by hand (there is
/// no integration to pretend), and the form to record LAPOR!'s number.
pub async fn show_lapor(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Response, AppError> {
    let case = load(&ctx, &id).await?;
    viewer.authorize(Action::VerifyReport, &Resource::Report(&case))?;
    let report = aspirations::get(&ctx.state.db, case.id).await?.ok_or(AppError::NotFound)?;
    let template = LaporPage {
        page: admin_page(&ctx, &viewer, ctx.t.arg("report-lapor-title", "number", report.tracking.as_str())),
        nav: admin_nav(&ctx, &viewer),
        facts: handover_facts(&ctx, &report).await?,
        record_action: ctx.t.href(&format!("{}/lapor", case_path(report.id))),
        csrf: csrf_of(&viewer)?,
        version: report.version,
        recorded: report.lapor_tracking.clone(),
    };
    render_private(template, StatusCode::OK)
}

/// `POST /admin/aspirasi/{id}/lapor`: records SP4N-LAPOR!'s tracking number.
pub async fn record_lapor(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form }: CsrfForm<HandoverForm>,
) -> Result<Response, AppError> {
    let (case, user) = changing(&ctx, &viewer, &id, Action::VerifyReport).await?;
    let version = form_version(&form.version)?;
    let id = case.id;
    let number = form.lapor_tracking.clone();
    write_change(&ctx, &viewer, &case, "lapor", move |tx| {
        Box::pin(async move { aspirations::record_lapor(tx, id, version, &number, Some(user)).await })
    })
    .await
}
