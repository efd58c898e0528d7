//! `/api/v1/aspirations`: filing a report (JSON; an `Idempotency-Key`
//! header makes a retried request safe: the same key and body get the
//! first report back, the same key with another body a 409) and reading a
//! report by its tracking number, as its tracking page shows it: never who
//! filed it, the text only when it is public.

use axum::Json;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jembatan_domain::FieldError;
use jembatan_domain::aspiration::{Channel, Filing, ReportForm, TrackingNumber};
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::calendar::wib_date;
use jembatan_domain::{Timestamp, ValidationCode};
use jembatan_store::accounts::TokenScope;
use jembatan_store::aspirations::{self, Report, Submission, TimelineEntry};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::{ClientIp, Viewer};
use crate::error::AppError;
use crate::html::aspirations::{file, tracking_path};
use crate::layout::Ctx;

/// Longest Idempotency-Key accepted.
const MAX_IDEMPOTENCY_KEY: usize = 255;

/// A report as `POST /api/v1/aspirations` takes it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    #[serde(default)]
    pub class: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub region: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    #[serde(default)]
    pub event_date: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

impl ReportRequest {
    fn into_form(self) -> ReportForm {
        ReportForm {
            class: self.class,
            title: self.title,
            description: self.description,
            category: self.category,
            region: self.region,
            lat: self.lat.map(|v| v.to_string()).unwrap_or_default(),
            lon: self.lon.map(|v| v.to_string()).unwrap_or_default(),
            event_date: self.event_date,
            mode: self.mode,
            name: self.name,
            phone: self.phone,
            email: self.email,
        }
    }
}

/// One entry of a report's public timeline.
#[derive(Debug, Serialize)]
pub struct TimelineJson {
    pub at: String,
    /// `submit` or a workflow step.
    pub step: String,
    pub status: &'static str,
    pub note: Option<String>,
}

/// A report as the public may see it.
#[derive(Debug, Serialize)]
pub struct ReportJson {
    pub tracking: String,
    /// Its tracking page.
    pub url: String,
    pub class: &'static str,
    /// One of the eight statuses (`baru` ... `diarsipkan`).
    pub status: &'static str,
    /// Open311's `open` or `closed`.
    pub open311_status: &'static str,
    pub category: String,
    pub region: String,
    pub created_at: String,
    /// The deadline of the current stage, while the case is unsettled.
    pub due_at: Option<String>,
    /// An information request's answer deadline (UU 14/2008).
    pub answer_due_at: Option<String>,
    /// Absent for confidential reports and reports held for moderation.
    pub title: Option<String>,
    pub description: Option<String>,
    pub confidential: bool,
    pub attachments: i64,
    /// The reporter's rating of the answer, 1-5.
    pub rating: Option<i64>,
    /// When the case closed (rated, or the response window passed).
    pub closed_at: Option<String>,
    pub timeline: Vec<TimelineJson>,
}

/// What filing answers: the report and, when flagged, the earlier report
/// of the same reporter it repeats.
#[derive(Debug, Serialize)]
pub struct FiledJson {
    #[serde(flatten)]
    pub report: ReportJson,
    pub duplicate_of: Option<String>,
    /// Held for moderation (abusive words): not public until cleared.
    pub held_for_moderation: bool,
    /// The reporter's private key: the tracking page with `?kunci=` and it
    /// lets them rate the answer or reopen the case. Keep it secret.
    pub reporter_key: String,
}

fn report_json(ctx: &Ctx, report: &Report, timeline: Vec<TimelineEntry>) -> ReportJson {
    let public = report.text_is_public();
    ReportJson {
        tracking: report.tracking.to_string(),
        url: ctx.state.config.absolute(&tracking_path(&report.tracking)),
        class: report.class.as_str(),
        status: report.status.as_str(),
        open311_status: report.status.open311(),
        category: report.category.clone(),
        region: report.region.to_string(),
        created_at: report.created_at.to_rfc3339(),
        due_at: report.due_at.filter(|_| !report.status.is_settled()).map(Timestamp::to_rfc3339),
        answer_due_at: report.answer_due_at.map(Timestamp::to_rfc3339),
        title: public.then(|| report.title.clone()),
        description: public.then(|| report.description.clone()),
        confidential: report.mode == jembatan_domain::aspiration::ReporterMode::Confidential,
        attachments: report.attachments,
        rating: report.rating,
        closed_at: report.closed_at.map(Timestamp::to_rfc3339),
        timeline: timeline
            .into_iter()
            .map(|e| TimelineJson {
                at: e.at.to_rfc3339(),
                step: e.step,
                status: e.status_after.as_str(),
                note: e.public_note,
            })
            .collect(),
    }
}

/// The client's Idempotency-Key, if it sent one; 400 for an empty, too
/// long or non-printable one.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get("idempotency-key") else { return Ok(None) };
    let key = value.to_str().map(str::trim).unwrap_or_default();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::BadRequest { code: "invalid_idempotency_key", field: Some("Idempotency-Key".into()) });
    }
    Ok(Some(key.to_owned()))
}

/// `POST /api/v1/aspirations`: files a report; 201 with the report and a
/// `Location` header (also for a replayed request, marked
/// `Idempotent-Replayed: true`).
pub async fn create_report(
    ctx: Ctx,
    viewer: Viewer,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    viewer.authorize(Action::FileReport, &Resource::Platform)?;
    if viewer.user.as_ref().is_some_and(|u| u.token_scope == Some(TokenScope::Read)) {
        return Err(AppError::Forbidden);
    }
    let key = idempotency_key(&headers)?;
    if let Err(wait) = ctx.state.report_limiter.check(ip) {
        return Err(AppError::TooManyRequests { retry_after_secs: wait.as_secs() });
    }
    let request: ReportRequest = serde_json::from_slice(&body).map_err(|_| AppError::bad_request("invalid_json"))?;
    let filing = Filing { with_account: viewer.user.is_some(), region_may_be_located: false };
    let report =
        request.into_form().validate(filing, wib_date(Timestamp::now())).map_err(|errors| first_error(&errors))?;
    let sha = hex::encode(Sha256::digest(&body));
    let submission = Submission {
        channel: Channel::Api,
        filed_by: viewer.user.as_ref().map(|u| u.id),
        facilitated_by: None,
        province: ctx.state.config.default_province.clone(),
        idempotency: key.map(|k| (k, sha)),
        attachments: Vec::new(),
    };
    let filed = file(&ctx, report, submission).await?;
    let report = filed.report;
    let body = FiledJson {
        report: report_json(&ctx, &report, filed.timeline),
        duplicate_of: filed.duplicate_of.map(|t| t.to_string()),
        held_for_moderation: filed.held,
        reporter_key: filed.reporter_key,
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    let location = tracking_api_path(&report.tracking);
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    if filed.replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// The first refused field, as the API's one error (the form shows them all).
fn first_error(errors: &[FieldError]) -> AppError {
    errors
        .first()
        .cloned()
        .map(AppError::field)
        .unwrap_or_else(|| AppError::field(FieldError::new("report", ValidationCode::Required)))
}

fn tracking_api_path(tracking: &TrackingNumber) -> String {
    format!("/api/v1/aspirations/{tracking}")
}

/// `GET /api/v1/aspirations/{tracking}`.
pub async fn get_report(ctx: Ctx, viewer: Viewer, Path(number): Path<String>) -> Result<Json<ReportJson>, AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    let tracking = TrackingNumber::parse(&number).map_err(AppError::field)?;
    let report = aspirations::by_tracking(&ctx.state.db, &tracking).await?.ok_or(AppError::NotFound)?;
    let timeline = aspirations::timeline(&ctx.state.db, report.id).await?;
    Ok(Json(report_json(&ctx, &report, timeline)))
}
