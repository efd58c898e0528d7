//! Aspirations on the web: the report form (`/aspirasi/baru`: works without
//! JavaScript, carries photos and PDFs), the tracking lookup
//! (`/aspirasi/lacak`) and a report's tracking page (`/aspirasi/{nomor}`).
//!
//! The tracking page never shows who filed a report, and shows the text of
//! a report only when it is neither confidential nor held for moderation.
//! Every page here is `private, no-store`: what it shows depends on who
//! holds the number, and shared caches must not keep it.

use askama::Template;
use axum::extract::{FromRequest, Path, Query, Request};
use axum::http::{Method, StatusCode};
use axum::response::Response;
use jembatan_domain::aspiration::{
    Channel, Filing, MAX_ATTACHMENTS, ReportClass, ReportForm, ReportStatus, ReporterMode, TrackingNumber,
};
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::calendar::wib_date;
use jembatan_domain::organisation::OrgKind;
use jembatan_domain::role::Scope;
use jembatan_domain::{FieldError, OrgId, Timestamp, ValidationCode};
use jembatan_store::StoreError;
use jembatan_store::aspirations::{self, Category, Filed, NewAttachment, Report, Submission};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::auth::{ClientIp, Viewer};
use crate::error::{AppError, message_key};
use crate::forms::FormErrors;
use crate::html::admin::{Choice, Fields, RegionLabels, choices, region_label};
use crate::html::common::{format_time, private_page, redirect, render_private};
use crate::layout::{Ctx, Page};
use crate::media::{self, MediaError, UploadLimits};
use crate::state::{AppState, WebConfig};
use crate::uploads::{Upload, read_form};

/// The report form's path.
pub const NEW_PATH: &str = "/aspirasi/baru";

/// A report's tracking page.
pub fn tracking_path(tracking: &TrackingNumber) -> String {
    format!("/aspirasi/{tracking}")
}

/// Whether a request posts the report form (which may carry files).
pub(crate) fn posts_report_form(method: &Method, path: &str) -> bool {
    *method == Method::POST && path == NEW_PATH
}

/// Largest body of the report form: every attachment at its limit, plus the text.
pub fn upload_body_limit(config: &WebConfig) -> usize {
    config.max_upload_bytes.saturating_mul(MAX_ATTACHMENTS).saturating_add(config.max_body_bytes)
}

/// The form's fields as typed, kept when the form is refused.
#[derive(Debug, Clone, Default)]
pub struct ReportFields {
    pub form: ReportForm,
    /// The KIM filing for a neighbour (its id), if any.
    pub kim: String,
}

impl ReportFields {
    fn read(fields: &Fields) -> Self {
        ReportFields {
            form: ReportForm {
                class: fields.get("class"),
                title: fields.get("title"),
                description: fields.get("description"),
                category: fields.get("category"),
                region: fields.get("region"),
                lat: fields.get("lat"),
                lon: fields.get("lon"),
                event_date: fields.get("event_date"),
                mode: fields.get("mode"),
                name: fields.get("name"),
                phone: fields.get("phone"),
                email: fields.get("email"),
            },
            kim: fields.get("kim"),
        }
    }
}

/// The honeypot: a field people never see (hidden by CSS and from screen
/// readers) that form-filling robots fill in.
const HONEYPOT: &str = "website";

#[derive(Template)]
#[template(path = "aspirations/new.html")]
struct NewReportPage {
    page: Page,
    values: ReportForm,
    errors: FormErrors,
    classes: Vec<Choice>,
    categories: Vec<Choice>,
    modes: Vec<Choice>,
    kims: Vec<Choice>,
    csrf: String,
    logged_in: bool,
    upload_hint: String,
    attachment_error: Option<String>,
    /// The script that keeps a draft of the form (progressive enhancement).
    draft_script: String,
}

impl NewReportPage {
    async fn build(
        ctx: &Ctx,
        viewer: &Viewer,
        fields: ReportFields,
        errors: FormErrors,
        attachment_error: Option<String>,
    ) -> Result<Self, AppError> {
        let categories = aspirations::categories(&ctx.state.db).await?;
        let form = fields.form;
        let kims = kim_choices(ctx, viewer, &fields.kim).await?;
        let locale = ctx.t.lang();
        let class = if form.class.is_empty() { "pengaduan" } else { form.class.as_str() };
        let mode = if form.mode.is_empty() { "named" } else { form.mode.as_str() };
        Ok(NewReportPage {
            page: private_page(ctx, viewer, ctx.t.get("report-new-title")),
            classes: choices(ctx, ReportClass::ALL.iter().map(|c| c.as_str()), "report-class-", &[class]),
            modes: choices(ctx, ReporterMode::ALL.iter().map(|m| m.as_str()), "report-mode-", &[mode]),
            categories: category_choices(&categories, locale, &form.category),
            values: form,
            errors,
            kims,
            csrf: viewer.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
            logged_in: viewer.user.is_some(),
            upload_hint: ctx.t.args(
                "report-attachments-hint",
                &[
                    ("count", &MAX_ATTACHMENTS.to_string()),
                    ("mib", &(ctx.state.config.max_upload_bytes / (1024 * 1024)).max(1).to_string()),
                ],
            ),
            attachment_error,
            draft_script: ctx.state.assets.url("report-draft.js").to_owned(),
        })
    }
}

fn category_choices(categories: &[Category], locale: &str, selected: &str) -> Vec<Choice> {
    categories
        .iter()
        .map(|c| Choice { value: c.slug.clone(), label: c.name(locale).to_owned(), selected: c.slug == selected })
        .collect()
}

/// The KIMs the viewer may file for (as their manager or contributor).
async fn kim_choices(ctx: &Ctx, viewer: &Viewer, selected: &str) -> Result<Vec<Choice>, AppError> {
    let mut kims = Vec::new();
    for grant in &viewer.actor.grants {
        if let Scope::Organisation(org) = &grant.scope
            && org.kind == OrgKind::Kim
            && !kims.iter().any(|k: &Choice| k.value == org.id.to_string())
            && viewer.can(Action::FileReportForKim, &Resource::Organisation(org))
            && let Some(kim) = jembatan_store::organisations::get(&ctx.state.db, org.id).await?
        {
            let value = org.id.to_string();
            kims.push(Choice { selected: value == selected, value, label: kim.profile.name });
        }
    }
    Ok(kims)
}

/// `GET /aspirasi/baru`.
pub async fn show_new(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::FileReport, &Resource::Platform)?;
    let page = NewReportPage::build(&ctx, &viewer, ReportFields::default(), FormErrors::default(), None).await?;
    render_private(page, StatusCode::OK)
}

/// The report form as posted: its fields and files.
pub struct ReportPost {
    fields: Fields,
    uploads: Vec<Upload>,
}

impl FromRequest<AppState> for ReportPost {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (fields, uploads) = read_form(request, state, upload_body_limit(&state.config)).await?;
        Ok(ReportPost { fields, uploads })
    }
}

/// `POST /aspirasi/baru`: files the report and shows its tracking page.
pub async fn create(
    ctx: Ctx,
    viewer: Viewer,
    ClientIp(ip): ClientIp,
    ReportPost { fields, uploads }: ReportPost,
) -> Result<Response, AppError> {
    viewer.authorize(Action::FileReport, &Resource::Platform)?;
    // A logged-in form files in the account's name.
    check_csrf_if_logged_in(&viewer, &fields.get("csrf"))?;
    let typed = ReportFields::read(&fields);
    let refuse = |errors: FormErrors, attachment_error: Option<String>, status: StatusCode| {
        let (ctx, viewer, typed) = (&ctx, &viewer, typed.clone());
        async move {
            let page = NewReportPage::build(ctx, viewer, typed, errors, attachment_error).await?;
            render_private(page, status)
        }
    };
    if !fields.get(HONEYPOT).is_empty() {
        tracing::info!("report refused: honeypot filled");
        return refuse(FormErrors::general(ctx.t.get("report-refused")), None, StatusCode::BAD_REQUEST).await;
    }
    if let Err(wait) = ctx.state.report_limiter.check(ip) {
        let seconds = wait.as_secs().max(1).to_string();
        let message = ctx.t.arg("report-throttled", "seconds", &seconds);
        return refuse(FormErrors::general(message), None, StatusCode::TOO_MANY_REQUESTS).await;
    }
    let facilitated_by = match typed.kim.trim() {
        "" => None,
        raw => Some(facilitating_kim(&ctx, &viewer, raw).await?),
    };
    let filing = Filing { with_account: viewer.user.is_some(), region_may_be_located: false };
    let report = match typed.form.validate(filing, wib_date(Timestamp::now())) {
        Ok(report) => report,
        Err(errors) => return refuse(form_errors(&ctx, &errors), None, StatusCode::BAD_REQUEST).await,
    };
    let attachments = match check_attachments(&ctx, &uploads).await? {
        Ok(attachments) => attachments,
        Err(message) => {
            let errors = FormErrors::general(ctx.t.get("form-has-errors"));
            return refuse(errors, Some(message), StatusCode::BAD_REQUEST).await;
        }
    };
    let submission = Submission {
        channel: Channel::Web,
        filed_by: viewer.user.as_ref().map(|u| u.id),
        facilitated_by,
        province: ctx.state.config.default_province.clone(),
        idempotency: None,
        attachments,
    };
    match file(&ctx, report, submission).await {
        Ok(filed) => {
            let path = format!("{}?baru=1&kunci={}", tracking_path(&filed.tracking), filed.reporter_key);
            Ok(redirect(&ctx, &path))
        }
        Err(AppError::BadRequest { code, field: Some(field) }) => {
            let mut errors = FormErrors::default();
            errors.add(&field, ctx.t.get(&message_key(code)));
            refuse(errors, None, StatusCode::BAD_REQUEST).await
        }
        Err(AppError::TooManyRequests { .. }) => {
            let message = ctx.t.get("report-contact-throttled");
            refuse(FormErrors::general(message), None, StatusCode::TOO_MANY_REQUESTS).await
        }
        Err(other) => Err(other),
    }
}

/// Files a validated report (shared by the form, the API and Open311).
pub async fn file(
    ctx: &Ctx,
    report: jembatan_domain::aspiration::NewReport,
    submission: Submission,
) -> Result<Filed, AppError> {
    let filed = ctx.state.filer.file(report, submission).await;
    match filed {
        Ok(filed) => Ok(filed),
        Err(StoreError::Conflict("idempotency_key")) => {
            Err(AppError::Conflict { code: "idempotency_key_reused", field: None })
        }
        Err(e) => Err(e.into()),
    }
}

/// The KIM a member files for: it must be one the viewer may file for.
async fn facilitating_kim(ctx: &Ctx, viewer: &Viewer, raw: &str) -> Result<OrgId, AppError> {
    let id: OrgId = raw.parse().map_err(|_| AppError::field(FieldError::new("kim", ValidationCode::InvalidChoice)))?;
    let org = jembatan_store::organisations::org_ref(&ctx.state.db, id).await.map_err(|e| match e {
        StoreError::NotFound => AppError::field(FieldError::new("kim", ValidationCode::InvalidChoice)),
        other => other.into(),
    })?;
    viewer.authorize(Action::FileReportForKim, &Resource::Organisation(&org))?;
    Ok(id)
}

/// The form's messages for refused fields.
fn form_errors(ctx: &Ctx, errors: &[FieldError]) -> FormErrors {
    let mut form = FormErrors::from_fields(&ctx.t, errors);
    form.general = Some(ctx.t.get("form-has-errors"));
    form
}

/// Checks each file (at most [`MAX_ATTACHMENTS`]) by its content, off the
/// async runtime; the message names the first refused file.
async fn check_attachments(ctx: &Ctx, uploads: &[Upload]) -> Result<Result<Vec<NewAttachment>, String>, AppError> {
    let files: Vec<&Upload> = uploads.iter().filter(|u| u.field == "attachments").collect();
    if files.len() > MAX_ATTACHMENTS {
        return Ok(Err(ctx.t.num("report-attachments-too-many", "count", MAX_ATTACHMENTS as i64)));
    }
    let limits = UploadLimits { max_bytes: ctx.state.config.max_upload_bytes, ..UploadLimits::default() };
    let mut accepted = Vec::with_capacity(files.len());
    for upload in files {
        let checked = if upload.too_large {
            Err(MediaError::TooLarge)
        } else {
            let bytes = upload.bytes.clone();
            tokio::task::spawn_blocking(move || media::attachment(&bytes, limits))
                .await
                .map_err(|e| AppError::Internal(format!("attachment check: {e}")))?
        };
        match checked {
            Ok((mime, bytes)) => accepted.push(NewAttachment { mime: mime.to_owned(), bytes }),
            Err(error) => {
                let mib = (limits.max_bytes / (1024 * 1024)).max(1).to_string();
                let reason = ctx.t.arg(&message_key(error.code()), "mib", &mib);
                return Ok(Err(ctx
                    .t
                    .args("report-attachment-refused", &[("file", &upload.file_name), ("reason", &reason)])));
            }
        }
    }
    Ok(Ok(accepted))
}

// ------------------------------------------------------------ the public list

/// Reports a page of the public list holds.
const LIST_PAGE: i64 = 30;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub wilayah: Option<String>,
    pub kategori: Option<String>,
    /// `terbuka` (unsettled) or `selesai` (settled).
    pub status: Option<String>,
    pub halaman: Option<String>,
}

/// A report as the public list shows it.
pub struct PublicRow {
    pub href: String,
    pub tracking: String,
    pub title: String,
    pub category: String,
    pub region: String,
    pub status: String,
    pub status_class: &'static str,
    pub age: String,
}

#[derive(Template)]
#[template(path = "aspirations/list.html")]
struct ListPage {
    page: Page,
    region: String,
    categories: Vec<Choice>,
    statuses: Vec<Choice>,
    rows: Vec<PublicRow>,
    next_href: Option<String>,
    prev_href: Option<String>,
}

/// `GET /aspirasi`: public reports (never confidential ones or ones held
/// for moderation) with their status and age, by region, category and
/// whether they are settled; newest first.
pub async fn list(ctx: Ctx, viewer: Viewer, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    let given = |raw: &Option<String>| raw.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let within = match given(&query.wilayah) {
        Some(raw) => {
            Some(jembatan_domain::RegionCode::parse(&raw).map_err(|e| AppError::field(e.for_field("wilayah")))?)
        }
        None => None,
    };
    let category = given(&query.kategori);
    let settled = match given(&query.status).as_deref() {
        None => None,
        Some("terbuka") => Some(false),
        Some("selesai") => Some(true),
        Some(_) => return Err(AppError::BadRequest { code: "invalid_choice", field: Some("status".into()) }),
    };
    let page_number: i64 = match given(&query.halaman) {
        None => 1,
        Some(raw) => raw.parse().ok().filter(|n| *n >= 1).ok_or_else(|| AppError::bad_request("invalid_number"))?,
    };
    let filter =
        aspirations::PublicFilter { within: within.clone(), category: category.clone(), settled, from: None, to: None };
    let reports =
        aspirations::public_reports(&ctx.state.db, &filter, LIST_PAGE + 1, (page_number - 1) * LIST_PAGE).await?;
    let categories = aspirations::categories(&ctx.state.db).await?;
    let now = Timestamp::now();
    let shown = &reports[..reports.len().min(LIST_PAGE as usize)];
    let regions = RegionLabels::load(&ctx, &shown.iter().map(|r| &r.region).collect::<Vec<_>>()).await?;
    let mut rows = Vec::new();
    for report in shown {
        let (status, status_class) = status_label(&ctx, report.status);
        let days = (now.millis() - report.created_at.millis()) / (24 * 3600 * 1000);
        rows.push(PublicRow {
            href: ctx.t.href(&tracking_path(&report.tracking)),
            tracking: report.tracking.to_string(),
            title: report.title.clone(),
            category: category_name(&categories, &report.category, ctx.t.lang()),
            region: regions.label(&report.region),
            status,
            status_class,
            age: ctx.t.num("report-age-days", "days", days),
        });
    }
    let link = |page: i64| {
        let mut params = Vec::new();
        if let Some(w) = &within {
            params.push(format!("wilayah={w}"));
        }
        if let Some(k) = &category {
            params.push(format!("kategori={k}"));
        }
        if let Some(s) = given(&query.status) {
            params.push(format!("status={s}"));
        }
        params.push(format!("halaman={page}"));
        ctx.t.href(&format!("/aspirasi?{}", params.join("&")))
    };
    let selected_status = given(&query.status).unwrap_or_default();
    let template = ListPage {
        page: private_page(&ctx, &viewer, ctx.t.get("report-list-title")),
        region: within.as_ref().map(|w| w.to_string()).unwrap_or_default(),
        categories: category_choices(&categories, ctx.t.lang(), category.as_deref().unwrap_or_default()),
        statuses: ["terbuka", "selesai"]
            .iter()
            .map(|s| Choice {
                value: (*s).to_owned(),
                label: ctx.t.get(&format!("report-list-status-{s}")),
                selected: *s == selected_status,
            })
            .collect(),
        rows,
        next_href: (reports.len() as i64 > LIST_PAGE).then(|| link(page_number + 1)),
        prev_href: (page_number > 1).then(|| link(page_number - 1)),
    };
    render_private(template, StatusCode::OK)
}

// ------------------------------------------------------------ statistics

/// One agency's line of the statistics.
pub struct StatsRow {
    pub name: String,
    pub received: i64,
    pub answered: i64,
    pub on_time: i64,
    pub late: i64,
    pub median: String,
    pub rating: String,
}

#[derive(Template)]
#[template(path = "aspirations/stats.html")]
struct StatsPage {
    page: Page,
    rows: Vec<StatsRow>,
}

/// `GET /aspirasi/statistik`: per agency, the cases received, answered on
/// time and late, the median time to answer and the reporters' rating.
pub async fn stats(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    let province = ctx.state.config.default_province.clone();
    let stats = aspirations::agency_stats(&ctx.state.db, &province, Timestamp::now()).await?;
    let rows = stats
        .into_iter()
        .map(|s| StatsRow {
            name: s.name,
            received: s.received,
            answered: s.answered,
            on_time: s.answered_on_time,
            late: s.late,
            median: s
                .median_hours_to_answer
                .map(|h| ctx.t.arg("report-stats-hours", "hours", &format!("{h:.1}")))
                .unwrap_or_else(|| "-".into()),
            rating: s.mean_rating.map(|r| format!("{r:.1} ({})", s.rated)).unwrap_or_else(|| "-".into()),
        })
        .collect();
    render_private(
        StatsPage { page: private_page(&ctx, &viewer, ctx.t.get("report-stats-title")), rows },
        StatusCode::OK,
    )
}

// ------------------------------------------------------------ tracking

#[derive(Debug, Default, Deserialize)]
pub struct LookupQuery {
    pub nomor: Option<String>,
}

#[derive(Template)]
#[template(path = "aspirations/lookup.html")]
struct LookupPage {
    page: Page,
    number: String,
    errors: FormErrors,
}

/// `GET /aspirasi/lacak[?nomor=...]`: the lookup form; with a number, its
/// tracking page (or why there is none).
pub async fn lookup(ctx: Ctx, viewer: Viewer, Query(query): Query<LookupQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    let number = query.nomor.unwrap_or_default();
    let refuse = |key: &str, status: StatusCode| {
        let mut errors = FormErrors::default();
        errors.add("nomor", ctx.t.get(key));
        let page = private_page(&ctx, &viewer, ctx.t.get("report-lookup-title"));
        render_private(LookupPage { page, number: number.clone(), errors }, status)
    };
    if number.trim().is_empty() {
        let page = private_page(&ctx, &viewer, ctx.t.get("report-lookup-title"));
        return render_private(LookupPage { page, number, errors: FormErrors::default() }, StatusCode::OK);
    }
    let Ok(tracking) = TrackingNumber::parse(&number) else {
        return refuse(&message_key(ValidationCode::InvalidTracking.as_str()), StatusCode::BAD_REQUEST);
    };
    if aspirations::by_tracking(&ctx.state.db, &tracking).await?.is_none() {
        return refuse("report-not-found", StatusCode::NOT_FOUND);
    }
    Ok(redirect(&ctx, &tracking_path(&tracking)))
}

#[derive(Debug, Default, Deserialize)]
pub struct TrackQuery {
    /// Set right after filing: the page greets the reporter.
    pub baru: Option<String>,
    /// The reporter's key (from filing or the e-mails): lets them rate the
    /// answer or reopen the case.
    pub kunci: Option<String>,
}

/// The reporter's forms after an answer.
pub struct ResponseForms {
    pub action: String,
    pub key: String,
    pub csrf: String,
    pub window_ends: String,
}

/// One line of the timeline as shown.
pub struct TimelineView {
    pub at: String,
    pub status: String,
    pub step: String,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "aspirations/track.html")]
struct TrackPage {
    page: Page,
    tracking: String,
    just_filed: bool,
    status: String,
    status_class: &'static str,
    class: String,
    category: String,
    region: String,
    filed_at: String,
    due: Option<String>,
    answer_due: Option<String>,
    text: Option<(String, String)>,
    withheld: Option<String>,
    attachments: i64,
    timeline: Vec<TimelineView>,
    /// The link with the reporter's key, to keep (right after filing).
    key_link: Option<String>,
    /// Right after filing: the script that clears the form's draft.
    draft_script: Option<String>,
    respond: Option<ResponseForms>,
    rating: Option<String>,
    closed: Option<String>,
    errors: FormErrors,
    objection: Option<String>,
    /// The requester may object (keberatan) now: the form's action.
    object_action: Option<String>,
    key: String,
    csrf: String,
}

/// `GET /aspirasi/{nomor}`: where the case stands, its public timeline;
/// the text only when it is public; never who filed it.
pub async fn track(
    ctx: Ctx,
    viewer: Viewer,
    Path(number): Path<String>,
    Query(query): Query<TrackQuery>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    let tracking = TrackingNumber::parse(&number).map_err(|_| AppError::NotFound)?;
    let report = aspirations::by_tracking(&ctx.state.db, &tracking).await?.ok_or(AppError::NotFound)?;
    if tracking.as_str() != number {
        return Ok(redirect(&ctx, &tracking_path(&tracking)));
    }
    render_track(&ctx, &viewer, &report, query, FormErrors::default(), StatusCode::OK).await
}

async fn render_track(
    ctx: &Ctx,
    viewer: &Viewer,
    report: &Report,
    query: TrackQuery,
    errors: FormErrors,
    status_code: StatusCode,
) -> Result<Response, AppError> {
    let tracking = report.tracking.clone();
    let key = query.kunci.clone().unwrap_or_default();
    let is_reporter =
        aspirations::reporter_may_act(&ctx.state.db, report.id, Some(&key), viewer.user.as_ref().map(|u| u.id)).await?;
    let may_respond = report.status == ReportStatus::Selesai
        && report.closed_at.is_none()
        && report.due_at.is_some_and(|end| Timestamp::now() <= end)
        && is_reporter;
    let may_object = is_reporter
        && report.class == jembatan_domain::aspiration::ReportClass::PermintaanInformasi
        && report.objection_at.is_none()
        && ((report.status == ReportStatus::Selesai && report.closed_at.is_none())
            || (report.answered_at.is_none()
                && !report.status.is_settled()
                && report.answer_due_at.is_some_and(|due| due < Timestamp::now())));
    let timeline = aspirations::timeline(&ctx.state.db, report.id).await?;
    let categories = aspirations::categories(&ctx.state.db).await?;
    let category = category_name(&categories, &report.category, ctx.t.lang());
    let (status, status_class) = status_label(ctx, report.status);
    let withheld = match (report.text_is_public(), report.held) {
        (true, _) => None,
        (false, true) => Some(ctx.t.get("report-text-held")),
        (false, false) => Some(ctx.t.get("report-text-confidential")),
    };
    let template = TrackPage {
        page: private_page(ctx, viewer, ctx.t.arg("report-track-title", "number", tracking.as_str())),
        tracking: tracking.to_string(),
        just_filed: query.baru.is_some(),
        status,
        status_class,
        class: class_label(ctx, report.class),
        category,
        region: region_label(ctx, &report.region).await?,
        filed_at: format_time(ctx, report.created_at),
        due: due_text(ctx, report),
        answer_due: report.answer_due_at.map(|at| format_time(ctx, at)),
        text: report.text_is_public().then(|| (report.title.clone(), report.description.clone())),
        withheld,
        attachments: report.attachments,
        timeline: timeline
            .into_iter()
            .map(|entry| TimelineView {
                at: format_time(ctx, entry.at),
                status: status_label(ctx, entry.status_after).0,
                step: ctx.t.get(&format!("report-step-{}", entry.step.replace('_', "-"))),
                note: entry.public_note,
            })
            .collect(),
        key_link: (query.baru.is_some() && !key.is_empty())
            .then(|| ctx.state.config.absolute(&ctx.t.href(&format!("{}?kunci={key}", tracking_path(&tracking))))),
        draft_script: query.baru.is_some().then(|| ctx.state.assets.url("report-draft.js").to_owned()),
        respond: may_respond.then(|| ResponseForms {
            action: ctx.t.href(&format!("{}/tanggapan", tracking_path(&tracking))),
            key: key.clone(),
            csrf: viewer.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
            window_ends: report.due_at.map(|at| format_time(ctx, at)).unwrap_or_default(),
        }),
        rating: report.rating.map(|r| ctx.t.num("report-rated", "rating", r)),
        closed: report.closed_at.map(|at| ctx.t.arg("report-closed", "when", &format_time(ctx, at))),
        errors,
        objection: crate::html::admin::aspirations::objection_text(ctx, report),
        object_action: may_object.then(|| ctx.t.href(&format!("{}/keberatan", tracking_path(&tracking)))),
        key: key.clone(),
        csrf: viewer.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
    };
    render_private(template, status_code)
}

/// The reporter's response as posted.
#[derive(Debug, Default, Deserialize)]
pub struct ResponseForm {
    #[serde(default)]
    pub kunci: String,
    #[serde(default)]
    pub csrf: String,
    /// `nilai` (rate) or `buka` (reopen).
    #[serde(default)]
    pub tindakan: String,
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub comment: String,
}

/// Longest comment of a rating or a reopening.
const MAX_RESPONSE_CHARS: usize = 2000;

/// `POST /aspirasi/{nomor}/tanggapan`: the reporter rates the answer
/// (closing the case) or reopens it, within the response window.
pub async fn respond(
    ctx: Ctx,
    viewer: Viewer,
    Path(number): Path<String>,
    axum::Form(form): axum::Form<ResponseForm>,
) -> Result<Response, AppError> {
    let (tracking, report) = reporters_case(&ctx, &viewer, &number, &form).await?;
    let query = TrackQuery { baru: None, kunci: Some(form.kunci.clone()) };
    let comment = match jembatan_domain::error::optional_text("comment", &form.comment, MAX_RESPONSE_CHARS) {
        Ok(comment) => comment,
        Err(e) => return refuse_response(&ctx, &viewer, &report, query, e).await,
    };
    let response = match form.tindakan.as_str() {
        "nilai" => match form.rating.trim().parse::<i64>() {
            Ok(rating) if (1..=5).contains(&rating) => aspirations::ReporterResponse::Rate { rating, comment },
            _ => {
                let error = FieldError::new("rating", ValidationCode::InvalidChoice);
                return refuse_response(&ctx, &viewer, &report, query, error).await;
            }
        },
        "buka" => match comment {
            Some(comment) => aspirations::ReporterResponse::Reopen { comment },
            None => {
                let error = FieldError::new("comment", ValidationCode::Required);
                return refuse_response(&ctx, &viewer, &report, query, error).await;
            }
        },
        _ => return Err(AppError::bad_request("invalid_choice")),
    };
    let id = report.id;
    let written =
        ctx.state.db.write(move |tx| Box::pin(async move { aspirations::respond(tx, id, &response).await })).await;
    answer_response(&ctx, &viewer, &report, query, written.map(|_| tracking)).await
}

/// Forms a logged-in person posts act in their account's name: they must
/// carry the session's CSRF token (anonymous forms rely on the cross-site
/// check alone).
fn check_csrf_if_logged_in(viewer: &Viewer, sent: &str) -> Result<(), AppError> {
    match &viewer.user {
        Some(user) if !bool::from(sent.as_bytes().ct_eq(user.csrf.as_bytes())) => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

/// The report a reporter's form acts on, once the form proved it comes from
/// the reporter (their key, or the filing account with its CSRF token).
async fn reporters_case(
    ctx: &Ctx,
    viewer: &Viewer,
    number: &str,
    form: &ResponseForm,
) -> Result<(TrackingNumber, Report), AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    check_csrf_if_logged_in(viewer, &form.csrf)?;
    let tracking = TrackingNumber::parse(number).map_err(|_| AppError::NotFound)?;
    let report = aspirations::by_tracking(&ctx.state.db, &tracking).await?.ok_or(AppError::NotFound)?;
    let account = viewer.user.as_ref().map(|u| u.id);
    if !aspirations::reporter_may_act(&ctx.state.db, report.id, Some(&form.kunci), account).await? {
        return Err(AppError::Forbidden);
    }
    Ok((tracking, report))
}

async fn refuse_response(
    ctx: &Ctx,
    viewer: &Viewer,
    report: &Report,
    query: TrackQuery,
    error: FieldError,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::from_fields(&ctx.t, std::slice::from_ref(&error));
    errors.general = Some(ctx.t.get("form-has-errors"));
    render_track(ctx, viewer, report, query, errors, StatusCode::BAD_REQUEST).await
}

/// The deadline of the current stage, while the case is unsettled.
fn due_text(ctx: &Ctx, report: &Report) -> Option<String> {
    report.due_at.filter(|_| !report.status.is_settled()).map(|at| format_time(ctx, at))
}

/// The translated name of a report's class.
pub fn class_label(ctx: &Ctx, class: ReportClass) -> String {
    ctx.t.get(&format!("report-class-{}", class.as_str().replace('_', "-")))
}

/// A category's name in `locale`, or its slug when it is gone from the list.
pub fn category_name(categories: &[Category], slug: &str, locale: &str) -> String {
    categories.iter().find(|c| c.slug == slug).map(|c| c.name(locale).to_owned()).unwrap_or_else(|| slug.to_owned())
}

/// The translated label of a status and the badge class showing it.
pub fn status_label(ctx: &Ctx, status: ReportStatus) -> (String, &'static str) {
    let class = match status {
        ReportStatus::Selesai => "ok",
        ReportStatus::Baru | ReportStatus::Terverifikasi | ReportStatus::Didisposisikan => "",
        ReportStatus::Ditindaklanjuti | ReportStatus::Ditunda => "warn",
        ReportStatus::BukanWewenang | ReportStatus::Diarsipkan => "bad",
    };
    (ctx.t.get(&format!("report-status-{}", status.as_str().replace('_', "-"))), class)
}

/// `POST /aspirasi/{nomor}/keberatan`: the requester of an information
/// request objects (keberatan) to the answer or to its absence past the
/// deadline (UU 14/2008); with the reporter's key or as the filing account.
pub async fn object(
    ctx: Ctx,
    viewer: Viewer,
    Path(number): Path<String>,
    axum::Form(form): axum::Form<ResponseForm>,
) -> Result<Response, AppError> {
    let (tracking, report) = reporters_case(&ctx, &viewer, &number, &form).await?;
    let query = TrackQuery { baru: None, kunci: Some(form.kunci.clone()) };
    let reason = match jembatan_domain::error::required_text("comment", &form.comment, MAX_RESPONSE_CHARS) {
        Ok(reason) => reason,
        Err(e) => return refuse_response(&ctx, &viewer, &report, query, e).await,
    };
    let id = report.id;
    let written =
        ctx.state.db.write(move |tx| Box::pin(async move { aspirations::object(tx, id, &reason).await })).await;
    answer_response(&ctx, &viewer, &report, query, written.map(|_| tracking)).await
}

/// Answers a reporter's form once written: back to the tracking page with
/// their key, or the page again with the refusal.
async fn answer_response(
    ctx: &Ctx,
    viewer: &Viewer,
    report: &Report,
    query: TrackQuery,
    written: Result<TrackingNumber, StoreError>,
) -> Result<Response, AppError> {
    match written {
        Ok(tracking) => {
            let key = query.kunci.clone().unwrap_or_default();
            Ok(redirect(ctx, &format!("{}?kunci={key}", tracking_path(&tracking))))
        }
        Err(StoreError::Invalid(e)) => refuse_response(ctx, viewer, report, query, e).await,
        Err(e) => Err(e.into()),
    }
}
