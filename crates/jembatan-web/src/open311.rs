//! Open311 GeoReport v2 (`/open311/v2/...`, JSON and XML), so existing Open311
//! clients and apps can file and read aspirations: discovery, services
//! (one per category, with the class, region, title and reporter mode as
//! attributes), requests (GET a list of public ones and POST a new one, no
//! `api_key`: public filing, rate-limited like the form), one request, and
//! tokens (the tracking number is the id and the token).
//!
//! A request may carry coordinates without a region: it is then placed at
//! the province and flagged for the verifier to set the region. The eight
//! statuses map to `open`/`closed`, the detailed one in `status_notes`.
//! Errors come in Open311's own shape, `[{"code": 400, "description": ...}]`
//! (see [`crate::error::render_errors`]). Remote `media_url`s are not
//! fetched.
//!
//! Every endpoint answers in the format its path ends with, `.json` or
//! `.xml`. Handlers build the JSON value once; [`Answer`] writes it as XML
//! by the spec's naming (a list is an element holding one element per
//! item: `<services><service>`, `<service_requests><request>`), so the two
//! formats cannot drift apart.

use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::DateTime;
use jembatan_domain::aspiration::{Channel, Filing, ReportClass, ReportForm, ReporterMode, TrackingNumber};
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::calendar::wib_date;
use jembatan_domain::{FieldError, Timestamp};
use jembatan_store::aspirations::{self, Category, PublicFilter, Report, Submission};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::{ClientIp, Viewer};
use crate::error::AppError;
use crate::html::aspirations::file;
use crate::layout::Ctx;

/// Where the Open311 endpoints live.
pub const BASE: &str = "/open311/v2";

/// The Open311 routes.
pub fn routes() -> axum::Router<crate::state::AppState> {
    use axum::routing::get;
    let mut router = axum::Router::new();
    for extension in ["json", "xml"] {
        router = router
            .route(&format!("/open311/v2/discovery.{extension}"), get(discovery))
            .route(&format!("/open311/v2/services.{extension}"), get(services))
            .route(&format!("/open311/v2/requests.{extension}"), get(list_requests).post(create_request));
    }
    router
        .route("/open311/v2/services/{code}", get(service_definition))
        .route("/open311/v2/requests/{id}", get(get_request))
        .route("/open311/v2/tokens/{token}", get(get_request))
}

/// The format a client asked for: the extension of the path's last segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// The format of a request for `path` (JSON unless it ends with `.xml`).
    pub fn of_path(path: &str) -> Format {
        if path.ends_with(".xml") { Format::Xml } else { Format::Json }
    }
}

/// An Open311 answer: a JSON value written in the format asked for, under
/// `root` (the element XML needs around it).
pub struct Answer {
    pub format: Format,
    pub status: StatusCode,
    pub root: &'static str,
    pub body: Value,
}

impl Answer {
    fn ok(uri: &Uri, root: &'static str, body: impl Serialize) -> Result<Answer, AppError> {
        let body = serde_json::to_value(body).map_err(|e| AppError::Internal(format!("open311 body: {e}")))?;
        Ok(Answer { format: Format::of_path(uri.path()), status: StatusCode::OK, root, body })
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        match self.format {
            Format::Json => (self.status, axum::Json(self.body)).into_response(),
            Format::Xml => {
                let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
                write_xml(&mut xml, self.root, &self.body);
                let mut response = (self.status, xml).into_response();
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"));
                response
            }
        }
    }
}

/// The element each item of a list is written as.
fn item_name(list: &str) -> &str {
    match list {
        "service_requests" => "request",
        other => other.strip_suffix('s').unwrap_or(other),
    }
}

/// Writes `value` as the element `name`: an object's fields and a list's
/// items as child elements, `null` as an empty element.
fn write_xml(out: &mut String, name: &str, value: &Value) {
    if value.is_null() {
        out.push_str(&format!("<{name}/>"));
        return;
    }
    out.push_str(&format!("<{name}>"));
    match value {
        Value::Object(fields) => fields.iter().for_each(|(field, value)| write_xml(out, field, value)),
        Value::Array(items) => items.iter().for_each(|item| write_xml(out, item_name(name), item)),
        Value::String(text) => out.push_str(&quick_xml::escape::escape(text.as_str())),
        other => out.push_str(&other.to_string()),
    }
    out.push_str(&format!("</{name}>"));
}

/// Most requests `GET requests.json` answers with.
const MAX_REQUESTS: i64 = 200;

/// The longest title taken from the start of a description.
const TITLE_FROM_DESCRIPTION_CHARS: usize = 80;

#[derive(Serialize)]
struct Endpoint {
    specification: &'static str,
    url: String,
    changeset: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    formats: [&'static str; 2],
}

#[derive(Serialize)]
struct Discovery {
    changeset: &'static str,
    contact: String,
    key_service: String,
    endpoints: [Endpoint; 1],
}

const CHANGESET: &str = "2026-11-29T00:00:00Z";

/// `GET /open311/v2/discovery.json`.
pub async fn discovery(ctx: Ctx, viewer: Viewer, uri: Uri) -> Result<Answer, AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    let config = &ctx.state.config;
    Answer::ok(
        &uri,
        "discovery",
        Discovery {
            changeset: CHANGESET,
            contact: config.offices.province_office.clone(),
            key_service: config.absolute("/api"),
            endpoints: [Endpoint {
                specification: "http://wiki.open311.org/GeoReport_v2",
                url: config.absolute(BASE),
                changeset: CHANGESET,
                kind: "production",
                formats: ["application/json", "text/xml"],
            }],
        },
    )
}

#[derive(Serialize)]
struct Service {
    service_code: String,
    service_name: String,
    description: String,
    metadata: bool,
    #[serde(rename = "type")]
    kind: &'static str,
    keywords: String,
    group: &'static str,
}

fn service(category: &Category) -> Service {
    Service {
        service_code: category.slug.clone(),
        service_name: category.name_id.clone(),
        description: format!("{} / {}", category.name_id, category.name_en),
        metadata: true,
        kind: "realtime",
        keywords: category.slug.replace('-', ","),
        group: "aspirasi",
    }
}

/// `GET /open311/v2/services.json`: one service per category.
pub async fn services(ctx: Ctx, viewer: Viewer, uri: Uri) -> Result<Answer, AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    let categories = aspirations::categories(&ctx.state.db).await?;
    Answer::ok(&uri, "services", categories.iter().map(service).collect::<Vec<_>>())
}

#[derive(Serialize)]
struct AttributeValue {
    key: String,
    name: String,
}

#[derive(Serialize)]
struct Attribute {
    variable: bool,
    code: &'static str,
    datatype: &'static str,
    required: bool,
    datatype_description: &'static str,
    order: u32,
    description: &'static str,
    values: Vec<AttributeValue>,
}

#[derive(Serialize)]
struct ServiceDefinition {
    service_code: String,
    attributes: Vec<Attribute>,
}

/// Strips the `.json` or `.xml` the spec puts on the last path segment
/// (the answer's format is read from the path: [`Format::of_path`]).
fn without_format(segment: &str) -> Result<&str, AppError> {
    segment.strip_suffix(".json").or_else(|| segment.strip_suffix(".xml")).ok_or(AppError::NotFound)
}

/// `GET /open311/v2/services/{code}.json`: the attributes a request may carry.
pub async fn service_definition(
    ctx: Ctx,
    viewer: Viewer,
    uri: Uri,
    Path(segment): Path<String>,
) -> Result<Answer, AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    let code = without_format(&segment)?;
    let categories = aspirations::categories(&ctx.state.db).await?;
    let category = categories.iter().find(|c| c.slug == code).ok_or(AppError::NotFound)?;
    let values = |items: &[(&str, &str)]| {
        items.iter().map(|(k, n)| AttributeValue { key: (*k).to_owned(), name: (*n).to_owned() }).collect()
    };
    let text = |code, order, required, description| Attribute {
        variable: true,
        code,
        datatype: "string",
        required,
        datatype_description: "",
        order,
        description,
        values: Vec::new(),
    };
    Answer::ok(
        &uri,
        "service_definition",
        ServiceDefinition {
            service_code: category.slug.clone(),
            attributes: vec![
                Attribute {
                    variable: true,
                    code: "class",
                    datatype: "singlevaluelist",
                    required: false,
                    datatype_description: "pengaduan when absent",
                    order: 1,
                    description: "Jenis laporan / kind of report",
                    values: values(&[
                        ("aspirasi", "Aspirasi (saran)"),
                        ("pengaduan", "Pengaduan"),
                        ("permintaan_informasi", "Permintaan informasi publik (UU 14/2008)"),
                    ]),
                },
                text("title", 2, false, "Judul / title (taken from the description when absent)"),
                text(
                    "region",
                    3,
                    false,
                    "Kode wilayah desa, kecamatan, atau kabupaten (e.g. 35.23.01.2001); with lat/long only, the verifier sets it",
                ),
                Attribute {
                    variable: true,
                    code: "mode",
                    datatype: "singlevaluelist",
                    required: false,
                    datatype_description: "named when a name is given, else anonymous",
                    order: 4,
                    description: "Identitas pelapor / reporter's identity",
                    values: values(&[
                        ("named", "Biasa / named"),
                        ("anonymous", "Anonim / anonymous"),
                        ("confidential", "Rahasia / confidential"),
                    ]),
                },
            ],
        },
    )
}

/// A request as Open311 shows it.
#[derive(Serialize)]
struct ServiceRequest {
    service_request_id: String,
    token: String,
    status: &'static str,
    status_notes: String,
    service_name: String,
    service_code: String,
    description: Option<String>,
    agency_responsible: Option<String>,
    service_notice: Option<String>,
    requested_datetime: String,
    updated_datetime: String,
    expected_datetime: Option<String>,
    address: Option<String>,
    address_id: String,
    zipcode: Option<String>,
    lat: Option<f64>,
    long: Option<f64>,
    media_url: Option<String>,
}

async fn service_request(ctx: &Ctx, report: &Report, categories: &[Category]) -> Result<ServiceRequest, AppError> {
    let public = report.text_is_public();
    let agency = match report.assigned_org {
        Some(org) => jembatan_store::organisations::get(&ctx.state.db, org).await?.map(|o| o.profile.name),
        None => None,
    };
    let answer = aspirations::timeline(&ctx.state.db, report.id)
        .await?
        .into_iter()
        .rev()
        .find(|e| e.public_note.is_some())
        .and_then(|e| e.public_note);
    let status_notes = match answer {
        Some(note) => format!("{}: {note}", report.status.as_str()),
        None => report.status.as_str().to_owned(),
    };
    Ok(ServiceRequest {
        service_request_id: report.tracking.to_string(),
        token: report.tracking.to_string(),
        status: report.status.open311(),
        status_notes,
        service_name: crate::html::aspirations::category_name(categories, &report.category, "id"),
        service_code: report.category.clone(),
        description: public.then(|| report.description.clone()),
        agency_responsible: agency,
        service_notice: None,
        requested_datetime: report.created_at.to_rfc3339(),
        updated_datetime: report.updated_at.to_rfc3339(),
        expected_datetime: report.due_at.filter(|_| !report.status.is_settled()).map(Timestamp::to_rfc3339),
        address: None,
        address_id: report.region.to_string(),
        zipcode: None,
        lat: report.location.filter(|_| public).map(|l| l.lat()),
        long: report.location.filter(|_| public).map(|l| l.lon()),
        media_url: None,
    })
}

/// Query of `GET requests.json`.
#[derive(Debug, Default, Deserialize)]
pub struct RequestsQuery {
    /// Comma-separated tracking numbers.
    pub service_request_id: Option<String>,
    pub service_code: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: Option<String>,
}

fn instant(field: &str, raw: &Option<String>) -> Result<Option<Timestamp>, AppError> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(raw) => DateTime::parse_from_rfc3339(raw)
            .map(|t| Some(Timestamp(t.timestamp_millis())))
            .map_err(|_| AppError::BadRequest { code: "invalid_date_time", field: Some(field.to_owned()) }),
    }
}

/// `GET /open311/v2/requests.json`: public requests (never confidential
/// ones or ones held for moderation), newest first; or the ones named by
/// `service_request_id`.
pub async fn list_requests(
    ctx: Ctx,
    viewer: Viewer,
    uri: Uri,
    Query(query): Query<RequestsQuery>,
) -> Result<Answer, AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    let categories = aspirations::categories(&ctx.state.db).await?;
    let mut reports = Vec::new();
    if let Some(ids) = query.service_request_id.as_deref().filter(|s| !s.trim().is_empty()) {
        for raw in ids.split(',').take(MAX_REQUESTS as usize) {
            let tracking =
                TrackingNumber::parse(raw).map_err(|e| AppError::field(e.for_field("service_request_id")))?;
            if let Some(report) = aspirations::by_tracking(&ctx.state.db, &tracking).await? {
                reports.push(report);
            }
        }
    } else {
        let settled = match query.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("open") => Some(false),
            Some("closed") => Some(true),
            Some(_) => return Err(AppError::BadRequest { code: "invalid_choice", field: Some("status".into()) }),
        };
        let filter = PublicFilter {
            within: None,
            category: query.service_code.clone().filter(|s| !s.is_empty()),
            settled,
            from: instant("start_date", &query.start_date)?,
            to: instant("end_date", &query.end_date)?,
        };
        reports = aspirations::public_reports(&ctx.state.db, &filter, MAX_REQUESTS, 0).await?;
    }
    let mut out = Vec::with_capacity(reports.len());
    for report in &reports {
        out.push(service_request(&ctx, report, &categories).await?);
    }
    Answer::ok(&uri, "service_requests", out)
}

/// `GET /open311/v2/requests/{id}.json` (and `tokens/{token}.json`: the
/// tracking number is both): one request, in a list as the spec has it.
pub async fn get_request(ctx: Ctx, viewer: Viewer, uri: Uri, Path(segment): Path<String>) -> Result<Answer, AppError> {
    viewer.authorize(Action::TrackReport, &Resource::Platform)?;
    let raw = without_format(&segment)?;
    let tracking = TrackingNumber::parse(raw).map_err(|e| AppError::field(e.for_field("service_request_id")))?;
    let report = aspirations::by_tracking(&ctx.state.db, &tracking).await?.ok_or(AppError::NotFound)?;
    let categories = aspirations::categories(&ctx.state.db).await?;
    Answer::ok(&uri, "service_requests", vec![service_request(&ctx, &report, &categories).await?])
}

#[derive(Serialize)]
struct Created {
    service_request_id: String,
    token: String,
    service_notice: String,
    account_id: Option<String>,
}

/// The Open311 field a domain field is called.
fn open311_field(field: &str) -> String {
    match field {
        "category" => "service_code",
        "lon" => "long",
        "region" => "attribute[region]",
        "class" => "attribute[class]",
        "mode" => "attribute[mode]",
        "title" => "attribute[title]",
        "name" => "first_name",
        other => other,
    }
    .to_owned()
}

fn refuse(error: FieldError) -> AppError {
    let field = open311_field(&error.field);
    AppError::BadRequest { code: error.code.as_str(), field: Some(field) }
}

/// `POST /open311/v2/requests.json` (urlencoded, as the spec has it):
/// files a report without an `api_key`, rate-limited like the web form.
pub async fn create_request(
    ctx: Ctx,
    viewer: Viewer,
    ClientIp(ip): ClientIp,
    uri: Uri,
    body: Bytes,
) -> Result<Answer, AppError> {
    viewer.authorize(Action::FileReport, &Resource::Platform)?;
    if let Err(wait) = ctx.state.report_limiter.check(ip) {
        return Err(AppError::TooManyRequests { retry_after_secs: wait.as_secs() });
    }
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::bad_request("bad_request"))?;
    let get = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_owned()).unwrap_or_default();
    let service_code = get("service_code");
    if service_code.is_empty() {
        return Err(AppError::BadRequest { code: "required", field: Some("service_code".into()) });
    }
    let description = get("description");
    let name = [get("first_name"), get("last_name")].join(" ").trim().to_owned();
    let title = match get("attribute[title]") {
        t if !t.is_empty() => t,
        _ => title_from(&description),
    };
    let mode = match get("attribute[mode]") {
        m if !m.is_empty() => m,
        _ if name.is_empty() => ReporterMode::Anonymous.as_str().to_owned(),
        _ => ReporterMode::Named.as_str().to_owned(),
    };
    let class = match get("attribute[class]") {
        c if !c.is_empty() => c,
        _ => ReportClass::Pengaduan.as_str().to_owned(),
    };
    let region = match get("attribute[region]") {
        r if !r.is_empty() => r,
        _ => get("address_id"),
    };
    let form = ReportForm {
        class,
        title,
        description,
        category: service_code,
        region,
        lat: get("lat"),
        lon: get("long"),
        event_date: String::new(),
        mode,
        name,
        phone: get("phone"),
        email: get("email"),
    };
    let filing = Filing { with_account: viewer.user.is_some(), region_may_be_located: true };
    let report = form.validate(filing, wib_date(Timestamp::now())).map_err(|errors| {
        refuse(
            errors
                .into_iter()
                .next()
                .unwrap_or_else(|| FieldError::new("service_code", jembatan_domain::ValidationCode::Required)),
        )
    })?;
    let submission = Submission {
        channel: Channel::Open311,
        filed_by: viewer.user.as_ref().map(|u| u.id),
        facilitated_by: None,
        province: ctx.state.config.default_province.clone(),
        idempotency: None,
        attachments: Vec::new(),
    };
    let filed = file(&ctx, report, submission).await.map_err(|e| match e {
        AppError::BadRequest { code, field: Some(field) } => {
            AppError::BadRequest { code, field: Some(open311_field(&field)) }
        }
        other => other,
    })?;
    let created = Created {
        service_request_id: filed.tracking.to_string(),
        token: filed.tracking.to_string(),
        service_notice: ctx.t.get("report-filed-keep"),
        account_id: None,
    };
    Ok(Answer { status: StatusCode::CREATED, ..Answer::ok(&uri, "service_requests", vec![created])? })
}

/// The first sentence of a description, or its first words, as a title.
fn title_from(description: &str) -> String {
    let first = description.split(['.', '\n', '!', '?']).next().unwrap_or_default().trim();
    let mut title: String = first.chars().take(TITLE_FROM_DESCRIPTION_CHARS).collect();
    if first.chars().count() > TITLE_FROM_DESCRIPTION_CHARS {
        if let Some(cut) = title.rfind(' ') {
            title.truncate(cut);
        }
        title.push('…');
    }
    title
}

#[cfg(test)]
mod tests {
    use super::title_from;

    #[test]
    fn a_title_is_the_first_sentence_cut_at_a_word() {
        assert_eq!(title_from("Lampu jalan mati. Sudah seminggu."), "Lampu jalan mati");
        let long = "Jalan ".repeat(30);
        let title = title_from(&long);
        assert!(title.ends_with('…') && title.chars().count() <= 81, "{title}");
        assert_eq!(title_from(""), "");
    }
}
