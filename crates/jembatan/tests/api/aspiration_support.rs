//! Fixtures of the aspiration tests: report forms, filing through the
//! store, posting the web form with files.

use std::sync::atomic::{AtomicU32, Ordering};

use jembatan_domain::OrgId;
use jembatan_domain::aspiration::{Channel, Filing, ReportForm, ReportId, ReportStep};
use jembatan_domain::calendar::wib_date;
use jembatan_domain::{RegionCode, Timestamp};
use jembatan_store::aspirations::{self, Filed, NewAttachment, StepInput, Submission};
use reqwest::multipart::{Form, Part};

use crate::helpers::{TestApp, Visitor};

/// A named complaint about a road in village 35.23.01.2001.
pub fn complaint() -> ReportForm {
    ReportForm {
        class: "pengaduan".into(),
        title: "Jalan desa berlubang".into(),
        description: "Lubang besar di jalan desa dekat SD membahayakan anak-anak.".into(),
        category: "jalan-infrastruktur".into(),
        region: "35.23.01.2001".into(),
        mode: "named".into(),
        name: "Pelapor Contoh".into(),
        phone: unique_phone(),
        ..ReportForm::default()
    }
}

/// Files `form` through the store (as the web channel) and returns its tracking number.
pub async fn file(app: &TestApp, form: &ReportForm) -> String {
    file_with(app, form, Vec::new()).await.1
}

/// Files `form` with attachments; returns the report's id and tracking number.
pub async fn file_with(app: &TestApp, form: &ReportForm, attachments: Vec<NewAttachment>) -> (ReportId, String) {
    let filed = file_through_store(app, form, Channel::Web, attachments).await;
    (filed.id, filed.tracking.to_string())
}

/// Files `form` through the store on `channel`; Open311 may give a
/// location without a region.
async fn file_through_store(
    app: &TestApp,
    form: &ReportForm,
    channel: Channel,
    attachments: Vec<NewAttachment>,
) -> Filed {
    let filing = Filing { with_account: false, region_may_be_located: channel == Channel::Open311 };
    let report = form.validate(filing, wib_date(Timestamp::now())).expect("a valid report");
    let submission = Submission {
        channel,
        filed_by: None,
        facilitated_by: None,
        province: RegionCode::parse("35").unwrap(),
        idempotency: None,
        attachments,
    };
    app.db
        .write(move |tx| Box::pin(async move { aspirations::submit(tx, &report, &submission).await }))
        .await
        .expect("filed")
}

/// Verifies a fresh report and dispatches it to `org` (its version is then 3).
pub async fn dispatch(app: &TestApp, id: ReportId, org: OrgId) {
    for (version, step, to) in [(1, ReportStep::Verify, None), (2, ReportStep::Dispatch, Some(org))] {
        let input = StepInput { step, org: to, public_note: None, private_note: None };
        app.db
            .write(move |tx| Box::pin(async move { aspirations::take_step(tx, id, version, &input, None).await }))
            .await
            .expect("step");
    }
}

/// A mobile number no other test uses, so per-contact limits never meet.
pub fn unique_phone() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let salt = (Timestamp::now().millis() % 10_000) as u32;
    format!("0813{:04}{:04}", salt, n % 10_000)
}

/// A file to send: file name, content type, bytes.
pub type File<'a> = (&'a str, &'a str, Vec<u8>);

/// POSTs the report form as a browser does (`multipart/form-data`, same origin).
pub async fn post_report(visitor: &Visitor, fields: &[(&str, &str)], files: Vec<File<'_>>) -> reqwest::Response {
    let mut form = Form::new();
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    for (file_name, mime, bytes) in files {
        let part = Part::bytes(bytes).file_name(file_name.to_owned()).mime_str(mime).expect("a content type");
        form = form.part("attachments", part);
    }
    visitor
        .client
        .post(visitor.url("/aspirasi/baru"))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .expect("POST")
}

/// POSTs a report to `/api/v1/aspirations` as JSON, with an
/// `Idempotency-Key` when given.
pub async fn post_api_report(app: &TestApp, key: Option<&str>, body: &serde_json::Value) -> reqwest::Response {
    let mut request = reqwest::Client::new().post(app.url("/api/v1/aspirations")).json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.expect("POST")
}

/// POSTs an Open311 request (`requests.json`); the status and the JSON answer.
pub async fn post_open311(app: &TestApp, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new().post(app.url("/open311/v2/requests.json")).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The value of the `Location` header.
pub fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// A fresh report filed, dispatched to `org` and answered; returns its
/// tracking number and the reporter's key.
pub async fn answered(app: &TestApp, org: OrgId) -> (String, String) {
    answered_form(app, org, complaint()).await
}

/// A named information request (UU 14/2008).
pub fn information_request() -> ReportForm {
    ReportForm { class: "permintaan_informasi".into(), title: "Salinan APBDes 2026".into(), ..complaint() }
}

/// [`answered`] for any form.
pub async fn answered_form(app: &TestApp, org: OrgId, form: ReportForm) -> (String, String) {
    let filed = file_through_store(app, &form, Channel::Web, Vec::new()).await;
    dispatch(app, filed.id, org).await;
    let answer =
        StepInput { step: ReportStep::Answer, org: None, public_note: Some("Selesai.".into()), private_note: None };
    let id = filed.id;
    app.db
        .write(move |tx| Box::pin(async move { aspirations::take_step(tx, id, 3, &answer, None).await }))
        .await
        .expect("answered");
    (filed.tracking.to_string(), filed.reporter_key)
}

/// Files a report with a location and no region (placed at the province).
pub async fn located(app: &TestApp) -> ReportId {
    let mut form = complaint();
    form.region.clear();
    form.lat = "-6.95".into();
    form.lon = "112.05".into();
    file_through_store(app, &form, Channel::Open311, Vec::new()).await.id
}

/// Files a report with an insult in it (held for moderation).
pub async fn held(app: &TestApp) -> ReportId {
    let mut form = complaint();
    form.description = "Kepala dusun bangsat, jalan dibiarkan rusak.".into();
    file_with(app, &form, Vec::new()).await.0
}

/// A body without accounts in Tuban (PLN's office), created in the store.
pub async fn body(app: &TestApp) -> OrgId {
    let new = jembatan_domain::organisation::OrganisationForm {
        kind: "body".into(),
        body_kind: "state_company".into(),
        name: "PLN UP3 Tuban".into(),
        region: "35.23".into(),
        ..jembatan_domain::organisation::OrganisationForm::default()
    }
    .validate()
    .expect("a valid body");
    app.db
        .write(move |tx| Box::pin(async move { jembatan_store::organisations::create(tx, &new, None).await }))
        .await
        .expect("the body")
        .id
}
