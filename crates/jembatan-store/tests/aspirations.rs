//! Contract tests of aspirations, run on SQLite and PostgreSQL alike:
//! filing with tracking numbers and deadlines, the reporter's identity kept
//! apart, idempotent retries, duplicate and abuse flags, refusals that
//! store nothing, and the holiday calendar's seeding.

use chrono::{Datelike, NaiveDate, Weekday};
use jembatan_domain::aspiration::{
    Channel, Filing, NewReport, ReportClass, ReportForm, ReportStatus, ReporterMode, TrackingNumber,
};
use jembatan_domain::aspiration::{ReportId, ReportStep};
use jembatan_domain::authz::ReportQueueScope;
use jembatan_domain::calendar::{WorkingCalendar, wib_date};
use jembatan_domain::kim::KimForm;
use jembatan_domain::organisation::OrganisationForm;
use jembatan_domain::role::Role;
use jembatan_domain::{OrgId, RegionCode, Timestamp, ValidationCode};
use jembatan_store::aspirations::{
    self, Filed, ImportedEvent, ImportedReport, NewAttachment, QueueFilter, ReporterResponse, StepInput, Submission,
};
use jembatan_store::{
    Db, StoreError, accounts, audit, contract_tests, grants, holidays, kims, notifications, organisations,
};

fn form() -> ReportForm {
    ReportForm {
        class: "pengaduan".into(),
        title: "Jalan berlubang di depan balai desa".into(),
        description: "Lubang sedalam 30 cm di jalan desa membahayakan pengendara motor sejak dua minggu.".into(),
        category: "jalan-infrastruktur".into(),
        region: "35.23.01.2001".into(),
        lat: "-6.95".into(),
        lon: "112.05".into(),
        mode: "anonymous".into(),
        name: "Sulastri Wulandari".into(),
        phone: "0813-1111-2222".into(),
        email: "sulastri@contoh.id".into(),
        ..ReportForm::default()
    }
}

fn validated(form: &ReportForm) -> NewReport {
    form.validate(Filing { with_account: false, region_may_be_located: true }, wib_date(Timestamp::now())).unwrap()
}

fn submission() -> Submission {
    Submission {
        channel: Channel::Web,
        filed_by: None,
        facilitated_by: None,
        province: RegionCode::parse("35").unwrap(),
        idempotency: None,
        attachments: Vec::new(),
    }
}

async fn file(db: &Db, report: NewReport, submission: Submission) -> Result<Filed, StoreError> {
    db.write(move |tx| Box::pin(async move { aspirations::submit(tx, &report, &submission).await })).await
}

/// Files `group` in one write, as the filer does (with the per-contact
/// limit `limit`).
async fn file_group(
    db: &Db,
    group: Vec<(NewReport, Submission)>,
    limit: Option<u32>,
) -> Vec<Result<Filed, StoreError>> {
    db.write(move |tx| {
        Box::pin(async move {
            let refs: Vec<_> = group.iter().map(|(r, s)| (r, s)).collect();
            aspirations::submit_many(tx, &refs, limit).await
        })
    })
    .await
    .unwrap()
}

async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    db.write(move |tx| {
        Box::pin(async move {
            Ok(jembatan_store::on_tx!(tx, conn => sqlx::query_scalar::<_, i64>(&sql).fetch_one(conn).await)?)
        })
    })
    .await
    .unwrap()
}

fn invalid(err: StoreError) -> (String, ValidationCode) {
    match err {
        StoreError::Invalid(e) => (e.field, e.code),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

async fn kim(db: &Db) -> OrgId {
    let new = KimForm {
        name: "KIM Sugihwaras".into(),
        village: "35.23.01.2001".into(),
        status: "terdaftar".into(),
        sk_number: "188/1/2024".into(),
        sk_issuer: "Bupati Tuban".into(),
        sk_date: "2024-01-15".into(),
        ..KimForm::default()
    }
    .validate()
    .unwrap();
    db.write(move |tx| Box::pin(async move { kims::register(tx, &new, None).await })).await.unwrap().id()
}

async fn account(db: &Db, name: &str, email: &str) -> jembatan_domain::UserId {
    let new = jembatan_domain::account::RegistrationForm {
        name: name.into(),
        email: email.into(),
        phone: String::new(),
        password: "sandi yang cukup panjang".into(),
        password_confirm: "sandi yang cukup panjang".into(),
        consent: true,
    }
    .validate()
    .unwrap();
    accounts::create_user(db, &new, "2026-11").await.unwrap().id
}

async fn grant(db: &Db, user: jembatan_domain::UserId, role: Role, scope: &str) {
    let scope = grants::parse_scope(db, scope).await.unwrap();
    db.write(move |tx| Box::pin(async move { grants::grant(tx, user, role, &scope, None).await })).await.unwrap();
}

async fn office(db: &Db, kind: &str, body_kind: &str, name: &str, region: &str) -> OrgId {
    let new = OrganisationForm {
        kind: kind.into(),
        body_kind: body_kind.into(),
        name: name.into(),
        region: region.into(),
        categories: if kind == "agency" { vec!["infrastruktur".into()] } else { vec![] },
        ..OrganisationForm::default()
    }
    .validate()
    .unwrap();
    db.write(move |tx| Box::pin(async move { organisations::create(tx, &new, None).await })).await.unwrap().id
}

fn step(step: ReportStep, org: Option<OrgId>, public_note: Option<&str>) -> StepInput {
    StepInput { step, org, public_note: public_note.map(str::to_owned), private_note: Some("cek lapangan".into()) }
}

async fn take(db: &Db, id: ReportId, version: i64, input: StepInput) -> Result<aspirations::Report, StoreError> {
    db.write(move |tx| Box::pin(async move { aspirations::take_step(tx, id, version, &input, None).await })).await
}

/// A case answered by an agency of Tuban; returns it with its reporter's key.
async fn answered(db: &Db) -> (Filed, OrgId) {
    let dpupr = office(db, "agency", "", "Dinas PUPR Tuban", "35.23").await;
    let filed = file(db, validated(&form()), submission()).await.unwrap();
    take(db, filed.id, 1, step(ReportStep::Verify, None, None)).await.unwrap();
    take(db, filed.id, 2, step(ReportStep::Dispatch, Some(dpupr), None)).await.unwrap();
    take(db, filed.id, 3, step(ReportStep::Answer, None, Some("Sudah diperbaiki."))).await.unwrap();
    (filed, dpupr)
}

async fn respond(db: &Db, id: ReportId, response: ReporterResponse) -> Result<aspirations::Report, StoreError> {
    db.write(move |tx| Box::pin(async move { aspirations::respond(tx, id, &response).await })).await
}

const DAY_MS: i64 = 24 * 3600 * 1000;

contract_tests! {
    async fn the_reporter_rates_or_reopens_within_the_window(db) {
        let (filed, _) = answered(&db).await;
        assert!(aspirations::reporter_may_act(&db, filed.id, Some(&filed.reporter_key), None).await.unwrap());
        assert!(!aspirations::reporter_may_act(&db, filed.id, Some("tebakan"), None).await.unwrap());
        assert!(!aspirations::reporter_may_act(&db, filed.id, Some(""), None).await.unwrap());
        let report = aspirations::get(&db, filed.id).await.unwrap().unwrap();
        assert!(report.answered_at.is_some() && !report.answered_late);

        let reopened = respond(&db, filed.id, ReporterResponse::Reopen { comment: "Masih berlubang.".into() }).await.unwrap();
        assert_eq!(reopened.status.as_str(), "ditindaklanjuti");
        let err = respond(&db, filed.id, ReporterResponse::Rate { rating: 4, comment: None }).await.unwrap_err();
        assert_eq!(invalid(err), ("status".into(), ValidationCode::InvalidTransition), "not answered any more");
        take(&db, filed.id, reopened.version, step(ReportStep::Answer, None, Some("Ditambal ulang."))).await.unwrap();
        let err = respond(&db, filed.id, ReporterResponse::Rate { rating: 6, comment: None }).await.unwrap_err();
        assert_eq!(invalid(err), ("rating".into(), ValidationCode::InvalidChoice));
        let rated = respond(&db, filed.id, ReporterResponse::Rate { rating: 5, comment: Some("Terima kasih".into()) }).await.unwrap();
        assert_eq!((rated.rating, rated.closed_at.is_some()), (Some(5), true));
        let steps: Vec<String> = aspirations::timeline(&db, filed.id).await.unwrap().into_iter().map(|e| e.step).collect();
        assert_eq!(steps[steps.len() - 3..], ["reopen", "answer", "rate"]);
        let err = respond(&db, filed.id, ReporterResponse::Reopen { comment: "x".into() }).await.unwrap_err();
        assert_eq!(invalid(err), ("status".into(), ValidationCode::InvalidTransition), "closed cases stay closed");
    }

    async fn agencies_are_counted_by_what_they_answered_and_when(db) {
        let (filed, dpupr) = answered(&db).await;
        respond(&db, filed.id, ReporterResponse::Rate { rating: 4, comment: None }).await.unwrap();
        let waiting = file(&db, validated(&form()), submission()).await.unwrap();
        take(&db, waiting.id, 1, step(ReportStep::Verify, None, None)).await.unwrap();
        take(&db, waiting.id, 2, step(ReportStep::Dispatch, Some(dpupr), None)).await.unwrap();
        let province = RegionCode::parse("35").unwrap();
        let stats = aspirations::agency_stats(&db, &province, Timestamp::now()).await.unwrap();
        assert_eq!(stats.len(), 1);
        let dinas = &stats[0];
        assert_eq!((dinas.org, dinas.received, dinas.answered, dinas.answered_on_time, dinas.late), (dpupr, 2, 1, 1, 0));
        assert_eq!((dinas.mean_rating, dinas.rated), (Some(4.0), 1));
        assert!(dinas.median_hours_to_answer.unwrap() >= 0.0);
        let later = Timestamp(Timestamp::now().millis() + 30 * DAY_MS);
        assert_eq!(aspirations::agency_stats(&db, &province, later).await.unwrap()[0].late, 1, "the unanswered one is late by then");
        let malang = RegionCode::parse("35.07").unwrap();
        assert!(aspirations::agency_stats(&db, &malang, later).await.unwrap().is_empty());
    }

    async fn an_information_request_is_extended_once_and_objected_to_once(db) {
        let mut request = form();
        request.class = "permintaan_informasi".into();
        request.mode = "named".into();
        let filed = file(&db, validated(&request), submission()).await.unwrap();
        let extend = |version: i64| {
            let db = db.clone();
            async move {
                db.write(move |tx| Box::pin(async move {
                    aspirations::extend_answer(tx, filed.id, version, "Dokumen masih dikumpulkan dari desa.", None).await
                }))
                .await
            }
        };
        let before = aspirations::get(&db, filed.id).await.unwrap().unwrap().answer_due_at.unwrap();
        let extended = extend(1).await.unwrap();
        assert!(extended.answer_extended);
        let after = extended.answer_due_at.unwrap();
        assert!(after.millis() - before.millis() >= 7 * DAY_MS, "{before:?} -> {after:?}");
        assert_eq!(invalid(extend(2).await.unwrap_err()), ("status".into(), ValidationCode::InvalidTransition), "once");
        let complaint = file(&db, validated(&form()), submission()).await.unwrap();
        let err = db
            .write(move |tx| Box::pin(async move { aspirations::extend_answer(tx, complaint.id, 1, "x", None).await }))
            .await
            .unwrap_err();
        assert_eq!(invalid(err), ("class".into(), ValidationCode::InvalidChoice));

        // Nothing to object to while the deadline runs.
        let object = || {
            let db = db.clone();
            async move {
                db.write(move |tx| Box::pin(async move { aspirations::object(tx, filed.id, "Belum dijawab.").await })).await
            }
        };
        assert_eq!(invalid(object().await.unwrap_err()), ("status".into(), ValidationCode::InvalidTransition));
        // The deadline passes unanswered.
        let id = filed.id.to_string();
        db.write(move |tx| Box::pin(async move {
            Ok(jembatan_store::exec!(tx, sqlx::query("UPDATE reports SET answer_due_at = 1 WHERE id = $1").bind(id))?)
        }))
        .await
        .unwrap();
        let objected = object().await.unwrap();
        assert!(objected.objection_at.is_some());
        assert!(objected.objection_due_at.unwrap().millis() - objected.objection_at.unwrap().millis() >= 30 * DAY_MS);
        assert_eq!(objected.due_at, objected.objection_due_at, "the case's clock is the objection's now");
        assert_eq!(invalid(object().await.unwrap_err()), ("status".into(), ValidationCode::InvalidTransition), "once");
        let steps: Vec<String> = aspirations::timeline(&db, filed.id).await.unwrap().into_iter().map(|e| e.step).collect();
        assert_eq!(steps, ["submit", "extend", "objection"]);
    }

    async fn hand_overs_to_bodies_and_to_sp4n_lapor_are_recorded(db) {
        let pln = office(&db, "body", "state_company", "PLN UP3 Tuban", "35.23").await;
        let dpupr = office(&db, "agency", "", "Dinas PUPR Tuban", "35.23").await;
        let to_body = file(&db, validated(&form()), submission()).await.unwrap();
        take(&db, to_body.id, 1, step(ReportStep::Verify, None, None)).await.unwrap();
        take(&db, to_body.id, 2, step(ReportStep::Dispatch, Some(pln), None)).await.unwrap();
        let handover = |id: ReportId, version: i64, method: &'static str| {
            let db = db.clone();
            async move {
                db.write(move |tx| Box::pin(async move { aspirations::record_handover(tx, id, version, method, None).await }))
                    .await
            }
        };
        assert_eq!(invalid(handover(to_body.id, 3, "merpati").await.unwrap_err()), ("method".into(), ValidationCode::InvalidChoice));
        handover(to_body.id, 3, "surat").await.unwrap();
        let last = aspirations::timeline(&db, to_body.id).await.unwrap().pop().unwrap();
        assert_eq!((last.step.as_str(), last.public_note.as_deref()), ("handover", Some("PLN UP3 Tuban (surat)")));

        let to_agency = file(&db, validated(&form()), submission()).await.unwrap();
        take(&db, to_agency.id, 1, step(ReportStep::Verify, None, None)).await.unwrap();
        take(&db, to_agency.id, 2, step(ReportStep::Dispatch, Some(dpupr), None)).await.unwrap();
        let err = handover(to_agency.id, 3, "surat").await.unwrap_err();
        assert_eq!(invalid(err), ("status".into(), ValidationCode::InvalidTransition), "agencies have accounts");

        let lapor = |id: ReportId, version: i64, number: &'static str| {
            let db = db.clone();
            async move {
                db.write(move |tx| Box::pin(async move { aspirations::record_lapor(tx, id, version, number, None).await }))
                    .await
            }
        };
        assert_eq!(invalid(lapor(to_agency.id, 3, " ").await.unwrap_err()), ("lapor_tracking".into(), ValidationCode::Required));
        let recorded = lapor(to_agency.id, 3, "LAP-2026-1").await.unwrap();
        assert_eq!(recorded.lapor_tracking.as_deref(), Some("LAP-2026-1"));
        let audited = audit::for_target(&db, "report", &to_agency.id.to_string()).await.unwrap();
        assert_eq!(audited[0].action, "report.handover_lapor");
    }

    async fn an_answer_no_one_responds_to_closes_after_the_window(db) {
        let (filed, _) = answered(&db).await;
        let now = Timestamp::now();
        assert_eq!(aspirations::close_expired(&db, now).await.unwrap(), 0, "the window is open");
        assert_eq!(aspirations::close_expired(&db, Timestamp(now.millis() + 30 * DAY_MS)).await.unwrap(), 1);
        assert_eq!(aspirations::close_expired(&db, Timestamp(now.millis() + 31 * DAY_MS)).await.unwrap(), 0);
        let report = aspirations::get(&db, filed.id).await.unwrap().unwrap();
        assert!(report.closed_at.is_some() && report.due_at.is_none());
        assert_eq!(aspirations::timeline(&db, filed.id).await.unwrap().last().unwrap().step, "close");
    }

    async fn late_cases_alert_the_regency_then_the_province_once_each(db) {
        let regency_officer = account(&db, "Petugas Tuban", "petugas.tuban@contoh.id").await;
        let province_admin = account(&db, "Admin Jatim", "admin.jatim@contoh.id").await;
        grant(&db, regency_officer, Role::RegencyOfficer, "35.23").await;
        grant(&db, province_admin, Role::ProvinceAdmin, "35").await;
        let filed = file(&db, validated(&form()), submission()).await.unwrap();
        let now = Timestamp::now();
        assert_eq!(aspirations::escalate(&db, now).await.unwrap(), aspirations::Escalated::default());
        let later = Timestamp(now.millis() + 10 * DAY_MS);
        assert_eq!(aspirations::escalate(&db, later).await.unwrap().to_regency, 1);
        assert_eq!(aspirations::escalate(&db, later).await.unwrap(), aspirations::Escalated::default(), "once");
        let told = notifications::list_for_user(&db, regency_officer, 10).await.unwrap();
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].kind, "report.overdue");
        assert_eq!(told[0].link.as_deref(), Some(format!("/admin/aspirasi/{}", filed.id).as_str()));
        let much_later = Timestamp(now.millis() + 61 * DAY_MS);
        assert_eq!(aspirations::escalate(&db, much_later).await.unwrap().to_province, 1);
        let told = notifications::list_for_user(&db, province_admin, 10).await.unwrap();
        assert_eq!(told.iter().map(|n| n.kind.as_str()).collect::<Vec<_>>(), ["report.unsettled"]);
        assert_eq!(aspirations::get(&db, filed.id).await.unwrap().unwrap().escalation, 2);
    }

    async fn a_case_is_verified_dispatched_followed_up_and_answered(db) {
        let dpupr = office(&db, "agency", "", "Dinas PUPR Tuban", "35.23").await;
        let filed = file(&db, validated(&form()), submission()).await.unwrap();
        let report = take(&db, filed.id, 1, step(ReportStep::Verify, None, None)).await.unwrap();
        assert_eq!((report.status, report.version), (jembatan_domain::aspiration::ReportStatus::Terverifikasi, 2));
        let verify_due = report.due_at;

        let report = take(&db, filed.id, 2, step(ReportStep::Dispatch, Some(dpupr), None)).await.unwrap();
        assert_eq!(report.assigned_org, Some(dpupr));
        assert!(report.due_at > verify_due, "the follow-up clock starts at dispatch");
        let calendar = WorkingCalendar::new(
            holidays::list_year(&db, wib_date(Timestamp::now()).year()).await.unwrap().into_iter().map(|h| h.date),
        );
        let due = wib_date(report.due_at.unwrap());
        assert_eq!(calendar.working_days_between(wib_date(report.updated_at), due), 5);

        take(&db, filed.id, 3, step(ReportStep::FollowUp, None, None)).await.unwrap();
        // An answer needs its text.
        let err = take(&db, filed.id, 4, step(ReportStep::Answer, None, None)).await.unwrap_err();
        assert_eq!(invalid(err), ("public_note".into(), ValidationCode::Required));
        let answered = "Lubang sudah ditambal pada 2 Desember.";
        let report = take(&db, filed.id, 4, step(ReportStep::Answer, None, Some(answered))).await.unwrap();
        assert!(report.status.is_settled());

        let timeline = aspirations::timeline(&db, filed.id).await.unwrap();
        let steps: Vec<&str> = timeline.iter().map(|e| e.step.as_str()).collect();
        assert_eq!(steps, ["submit", "verify", "dispatch", "follow_up", "answer"]);
        assert_eq!(timeline[2].org, Some(dpupr));
        assert_eq!(timeline[4].public_note.as_deref(), Some(answered));
        let events = aspirations::case_events(&db, filed.id).await.unwrap();
        assert_eq!(events[1].private_note.as_deref(), Some("cek lapangan"));

        let audited = audit::for_target(&db, "report", &filed.id.to_string()).await.unwrap();
        let actions: Vec<&str> = audited.iter().rev().map(|a| a.action.as_str()).collect();
        assert_eq!(actions, ["report.verify", "report.dispatch", "report.follow_up", "report.answer"]);
        assert!(!audited.iter().any(|a| a.after.as_ref().unwrap().to_string().contains("Lubang")), "no text in the audit log");
    }

    async fn a_second_officer_on_a_stale_page_changes_nothing(db) {
        let filed = file(&db, validated(&form()), submission()).await.unwrap();
        take(&db, filed.id, 1, step(ReportStep::Verify, None, None)).await.unwrap();
        let err = take(&db, filed.id, 1, step(ReportStep::Archive, None, Some("Ganda."))).await.unwrap_err();
        assert!(matches!(err, StoreError::Stale));
        let err = take(&db, filed.id, 2, step(ReportStep::Answer, None, Some("x"))).await.unwrap_err();
        assert_eq!(invalid(err), ("status".into(), ValidationCode::InvalidTransition));
        let report = aspirations::get(&db, filed.id).await.unwrap().unwrap();
        assert_eq!((report.version, report.status.as_str()), (2, "terverifikasi"));
        assert_eq!(aspirations::timeline(&db, filed.id).await.unwrap().len(), 2);
    }

    async fn a_case_goes_only_to_a_body_that_serves_its_region(db) {
        let malang = office(&db, "agency", "", "Dinas PU Malang", "35.07").await;
        let kim = kim(&db).await;
        let pln = office(&db, "body", "state_company", "PLN UP3 Tuban", "35.23").await;
        let filed = file(&db, validated(&form()), submission()).await.unwrap();
        take(&db, filed.id, 1, step(ReportStep::Verify, None, None)).await.unwrap();
        for wrong in [malang, kim, OrgId::generate()] {
            let err = take(&db, filed.id, 2, step(ReportStep::Dispatch, Some(wrong), None)).await.unwrap_err();
            assert_eq!(invalid(err), ("org".into(), ValidationCode::InvalidChoice));
        }
        let err = take(&db, filed.id, 2, step(ReportStep::Dispatch, None, None)).await.unwrap_err();
        assert_eq!(invalid(err), ("org".into(), ValidationCode::Required));
        let report = take(&db, filed.id, 2, step(ReportStep::Dispatch, Some(pln), None)).await.unwrap();
        assert_eq!(report.assigned_org, Some(pln));
        // The agency hands it back: the verifier's clock again, nobody assigned.
        let report = take(&db, filed.id, 3, step(ReportStep::ReturnToVerifier, None, None)).await.unwrap();
        assert_eq!((report.assigned_org, report.status.as_str()), (None, "terverifikasi"));
    }

    async fn queues_list_the_cases_of_the_officers_scope_by_deadline(db) {
        let dpupr = office(&db, "agency", "", "Dinas PUPR Tuban", "35.23").await;
        let tuban = file(&db, validated(&form()), submission()).await.unwrap();
        let mut in_malang = form();
        in_malang.region = "35.07.01.2001".into();
        in_malang.phone = "0857-1212-3434".into();
        in_malang.email.clear();
        let malang = file(&db, validated(&in_malang), submission()).await.unwrap();
        let tuban_officer = ReportQueueScope { verifies_within: vec![RegionCode::parse("35.23").unwrap()], agencies: vec![] };
        let province = ReportQueueScope { verifies_within: vec![RegionCode::parse("35").unwrap()], agencies: vec![] };
        let agency = ReportQueueScope { verifies_within: vec![], agencies: vec![dpupr] };
        let ids = |reports: Vec<aspirations::Report>| reports.into_iter().map(|r| r.id).collect::<Vec<_>>();
        let open = QueueFilter::default();
        assert_eq!(ids(aspirations::queue(&db, &tuban_officer, &open, 1).await.unwrap()), [tuban.id]);
        assert_eq!(ids(aspirations::queue(&db, &province, &open, 1).await.unwrap()), [tuban.id, malang.id]);
        assert!(aspirations::queue(&db, &agency, &open, 1).await.unwrap().is_empty());

        take(&db, tuban.id, 1, step(ReportStep::Verify, None, None)).await.unwrap();
        take(&db, tuban.id, 2, step(ReportStep::Dispatch, Some(dpupr), None)).await.unwrap();
        assert_eq!(ids(aspirations::queue(&db, &agency, &open, 1).await.unwrap()), [tuban.id]);
        // Sooner deadlines first: the Malang case still waits for verification (3 days).
        assert_eq!(ids(aspirations::queue(&db, &province, &open, 1).await.unwrap()), [malang.id, tuban.id]);
        let dispatched = QueueFilter { status: Some(jembatan_domain::aspiration::ReportStatus::Didisposisikan) };
        assert_eq!(ids(aspirations::queue(&db, &province, &dispatched, 1).await.unwrap()), [tuban.id]);
        assert!(aspirations::queue(&db, &province, &open, 2).await.unwrap().is_empty());
    }

    async fn a_filed_report_gets_a_tracking_number_deadlines_and_a_timeline(db) {
        let mut with_photo = submission();
        with_photo.attachments = vec![NewAttachment { mime: "image/png".into(), bytes: vec![1, 2, 3] }];
        let before = Timestamp::now();
        let filed = file(&db, validated(&form()), with_photo).await.unwrap();
        assert!(filed.tracking.as_str().starts_with("ASP-35-"), "{}", filed.tracking);
        assert!(!filed.replayed && !filed.held && filed.duplicate_of.is_none());

        let report = aspirations::by_tracking(&db, &filed.tracking).await.unwrap().unwrap();
        assert_eq!(report.id, filed.id);
        assert_eq!(report.status, ReportStatus::Baru);
        assert_eq!(report.class, ReportClass::Pengaduan);
        assert_eq!(report.mode, ReporterMode::Anonymous);
        assert_eq!(report.region.as_str(), "35.23.01.2001");
        assert_eq!(report.location.unwrap().lat_e6, -6_950_000);
        assert_eq!(report.attachments, 1);
        assert_eq!(report.answer_due_at, None);
        assert!(report.text_is_public());

        // Verification is due at the end of the third working day after filing.
        let calendar = WorkingCalendar::new(
            holidays::list_year(&db, wib_date(before).year()).await.unwrap().into_iter().map(|h| h.date),
        );
        let due = report.due_at.unwrap();
        assert_eq!(due, calendar.deadline(before, 3));
        assert!(!matches!(wib_date(due).weekday(), Weekday::Sat | Weekday::Sun));
        assert!(report.settle_by.millis() - report.created_at.millis() == 60 * 24 * 3600 * 1000);

        let timeline = aspirations::timeline(&db, filed.id).await.unwrap();
        assert_eq!(timeline.len(), 1);
        assert_eq!((timeline[0].step.as_str(), timeline[0].status_after), ("submit", ReportStatus::Baru));

        let reporter = aspirations::reporter(&db, filed.id).await.unwrap();
        assert_eq!(reporter.name.as_deref(), Some("Sulastri Wulandari"));
        assert_eq!(reporter.phone.unwrap().as_str(), "+6281311112222");

        // The tracking number is typed back in any case and spacing.
        let typed = TrackingNumber::parse(&filed.tracking.as_str().to_lowercase().replace('-', " ")).unwrap();
        assert_eq!(aspirations::by_tracking(&db, &typed).await.unwrap().unwrap().id, filed.id);
    }

    async fn a_retry_with_the_same_idempotency_key_returns_the_first_report(db) {
        let mut first = submission();
        first.idempotency = Some(("key-1".into(), "sha-a".into()));
        let filed = file(&db, validated(&form()), first.clone()).await.unwrap();
        let again = file(&db, validated(&form()), first).await.unwrap();
        assert_eq!((again.id, &again.tracking, again.replayed), (filed.id, &filed.tracking, true));
        assert_eq!(count(&db, "reports").await, 1);

        let mut other_body = submission();
        other_body.idempotency = Some(("key-1".into(), "sha-b".into()));
        assert!(matches!(file(&db, validated(&form()), other_body).await, Err(StoreError::Conflict("idempotency_key"))));
        assert_eq!(count(&db, "reports").await, 1);
        assert_eq!(count(&db, "report_events").await, 1);
    }

    async fn unknown_categories_regions_and_kims_store_nothing(db) {
        let mut unknown_category = form();
        unknown_category.category = "perpajakan".into();
        let err = file(&db, validated(&unknown_category), submission()).await.unwrap_err();
        assert_eq!(invalid(err), ("category".into(), ValidationCode::InvalidChoice));

        let mut unknown_region = form();
        unknown_region.region = "35.23.01.9999".into();
        let err = file(&db, validated(&unknown_region), submission()).await.unwrap_err();
        assert_eq!(invalid(err), ("region".into(), ValidationCode::UnknownRegion));

        let mut not_a_kim = submission();
        not_a_kim.facilitated_by = Some(OrgId::generate());
        let err = file(&db, validated(&form()), not_a_kim).await.unwrap_err();
        assert_eq!(invalid(err), ("kim".into(), ValidationCode::InvalidChoice));

        for table in ["reports", "report_reporters", "report_events", "report_attachments"] {
            assert_eq!(count(&db, table).await, 0, "{table}");
        }
    }

    async fn a_kim_files_for_a_neighbour(db) {
        let kim = kim(&db).await;
        let mut facilitated = submission();
        facilitated.facilitated_by = Some(kim);
        let filed = file(&db, validated(&form()), facilitated).await.unwrap();
        let report = aspirations::get(&db, filed.id).await.unwrap().unwrap();
        assert_eq!(report.facilitated_by, Some(kim));
    }

    async fn the_same_reporter_resending_within_a_day_is_flagged_not_dropped(db) {
        let first = file(&db, validated(&form()), submission()).await.unwrap();
        let mut resent = form();
        resent.description.push_str(" Mohon segera.");
        resent.email.clear();
        let second = file(&db, validated(&resent), submission()).await.unwrap();
        assert_eq!(second.duplicate_of.as_ref(), Some(&first.tracking));
        assert_ne!(second.tracking, first.tracking);
        assert_eq!(aspirations::get(&db, second.id).await.unwrap().unwrap().duplicate_of, Some(first.id));

        let mut someone_else = form();
        someone_else.phone = "0857-0000-1111".into();
        someone_else.email.clear();
        assert_eq!(file(&db, validated(&someone_else), submission()).await.unwrap().duplicate_of, None);
        assert_eq!(count(&db, "reports").await, 3);
    }

    async fn abusive_text_is_held_and_not_public_until_a_moderator_clears_it(db) {
        let mut abusive = form();
        abusive.description = "Pejabat desa goblok, jalan rusak dibiarkan.".into();
        let filed = file(&db, validated(&abusive), submission()).await.unwrap();
        assert!(filed.held);
        let report = aspirations::get(&db, filed.id).await.unwrap().unwrap();
        assert!(report.held && !report.text_is_public());
        let public = aspirations::public_reports(&db, &aspirations::PublicFilter::default(), 10, 0).await.unwrap();
        assert!(public.is_empty());

        let id = filed.id;
        let cleared = db.write(move |tx| Box::pin(async move { aspirations::clear_moderation(tx, id, 1, None).await })).await.unwrap();
        assert!(!cleared.held && cleared.text_is_public());
        assert_eq!(aspirations::public_reports(&db, &aspirations::PublicFilter::default(), 10, 0).await.unwrap().len(), 1);
        let again = db.write(move |tx| Box::pin(async move { aspirations::clear_moderation(tx, id, 2, None).await })).await;
        assert_eq!(invalid(again.unwrap_err()), ("status".into(), ValidationCode::InvalidTransition));
    }

    async fn a_located_report_without_region_waits_at_the_province_until_it_is_set(db) {
        let mut located = form();
        located.region.clear();
        let filed = file(&db, validated(&located), submission()).await.unwrap();
        let report = aspirations::get(&db, filed.id).await.unwrap().unwrap();
        assert_eq!(report.region.as_str(), "35");
        assert!(report.region_unconfirmed);

        let set = |version: i64, code: &str| {
            let code = RegionCode::parse(code).unwrap();
            let db = db.clone();
            async move {
                db.write(move |tx| Box::pin(async move { aspirations::set_region(tx, filed.id, version, &code, None).await }))
                    .await
            }
        };
        assert_eq!(invalid(set(1, "35").await.unwrap_err()), ("region".into(), ValidationCode::WrongRegionLevel));
        assert_eq!(invalid(set(1, "35.23.01.9999").await.unwrap_err()), ("region".into(), ValidationCode::UnknownRegion));
        let report = set(1, "35.23.01.2001").await.unwrap();
        assert_eq!((report.region.as_str(), report.region_unconfirmed, report.version), ("35.23.01.2001", false, 2));
        assert!(matches!(set(1, "35.23.01.2002").await, Err(StoreError::Stale)));
        let tuban = ReportQueueScope { verifies_within: vec![RegionCode::parse("35.23").unwrap()], agencies: vec![] };
        let queue = aspirations::queue(&db, &tuban, &QueueFilter::default(), 1).await.unwrap();
        assert_eq!(queue.iter().map(|r| r.id).collect::<Vec<_>>(), [filed.id], "now in the regency's queue");
        let audited = audit::for_target(&db, "report", &filed.id.to_string()).await.unwrap();
        assert_eq!(audited[0].action, "report.set_region");
    }

    async fn an_information_request_runs_on_its_own_clock(db) {
        let mut request = form();
        request.class = "permintaan_informasi".into();
        request.mode = "named".into();
        let filed = file(&db, validated(&request), submission()).await.unwrap();
        let report = aspirations::get(&db, filed.id).await.unwrap().unwrap();
        let (verify, answer) = (report.due_at.unwrap(), report.answer_due_at.unwrap());
        assert!(answer.millis() - verify.millis() >= 7 * 24 * 3600 * 1000, "{verify:?} {answer:?}");
    }

    async fn the_holiday_calendar_is_seeded_once_per_year(db) {
        let days = holidays::list_year(&db, 2026).await.unwrap();
        assert!(days.iter().any(|h| h.date == NaiveDate::from_ymd_opt(2026, 8, 17).unwrap()));
        assert!(holidays::years(&db).await.unwrap().contains(&2027));
        // Two holidays on one day are one row under both names.
        let double = holidays::list_year(&db, 2021).await.unwrap();
        let may_13 = double.iter().find(|h| h.date == NaiveDate::from_ymd_opt(2021, 5, 13).unwrap()).unwrap();
        assert!(may_13.name.contains(" / "), "{}", may_13.name);

        // A removed day stays removed: the year was seeded.
        db.write(|tx| Box::pin(async move {
            Ok(jembatan_store::exec!(tx, sqlx::query("DELETE FROM holidays WHERE day = '2026-08-17'"))?)
        })).await.unwrap();
        assert_eq!(holidays::seed_embedded(&db).await.unwrap(), 0);
        let days = holidays::list_year(&db, 2026).await.unwrap();
        assert!(!days.iter().any(|h| h.date == NaiveDate::from_ymd_opt(2026, 8, 17).unwrap()));
    }

    async fn imported_histories_replay_through_the_workflow_once(db) {
        let dpupr = office(&db, "agency", "", "Dinas PUPR Tuban", "35.23").await;
        let day = 24 * 3600 * 1000;
        let filed_at = Timestamp(Timestamp::now().millis() - 40 * day);
        let at = |days: i64| Timestamp(filed_at.millis() + days * day);
        let step = |step, org, note: Option<&str>| ImportedEvent::Step { step, org, public_note: note.map(str::to_owned) };
        let answered = ImportedReport {
            report: validated(&form()),
            tracking: TrackingNumber::parse("ASP-35-AAAA-BBBB").unwrap(),
            channel: Channel::Open311,
            facilitated_by: None,
            filed_at,
            history: vec![
                (at(1), step(ReportStep::Verify, None, None)),
                (at(2), step(ReportStep::Dispatch, Some(dpupr), None)),
                (at(3), step(ReportStep::FollowUp, None, None)),
                // Ten days after dispatch: past the five working days.
                (at(12), step(ReportStep::Answer, None, Some("Jalan sudah ditambal."))),
                (at(13), ImportedEvent::Rated { rating: 4, comment: Some("Terima kasih".into()) }),
            ],
        };
        let waiting = ImportedReport {
            tracking: TrackingNumber::parse("ASP-35-CCCC-DDDD").unwrap(),
            filed_at: Timestamp(Timestamp::now().millis() - day),
            history: vec![],
            ..answered.clone()
        };
        let batch = vec![answered.clone(), waiting.clone()];
        let counts = db.write(move |tx| Box::pin(async move { aspirations::import_many(tx, &batch).await })).await.unwrap();
        assert_eq!((counts.created, counts.existing), (2, 0));

        let report = aspirations::by_tracking(&db, &answered.tracking).await.unwrap().unwrap();
        assert_eq!(report.status, ReportStatus::Selesai);
        assert_eq!(report.channel, Channel::Open311);
        assert_eq!(report.assigned_org, Some(dpupr));
        assert_eq!(report.answered_at, Some(at(12)));
        assert!(report.answered_late, "answered ten days after dispatch");
        assert_eq!((report.rating, report.closed_at, report.due_at), (Some(4), Some(at(13)), None));
        assert_eq!(report.created_at, filed_at);
        let steps: Vec<String> = aspirations::timeline(&db, report.id).await.unwrap().into_iter().map(|e| e.step).collect();
        assert_eq!(steps, ["submit", "verify", "dispatch", "follow_up", "answer", "rate"]);
        assert_eq!(aspirations::reporter(&db, report.id).await.unwrap().name.as_deref(), Some("Sulastri Wulandari"));

        let waiting_report = aspirations::by_tracking(&db, &waiting.tracking).await.unwrap().unwrap();
        assert_eq!(waiting_report.status, ReportStatus::Baru);
        let calendar = WorkingCalendar::new(holidays::list_year(&db, wib_date(waiting.filed_at).year()).await.unwrap().into_iter().map(|h| h.date));
        assert_eq!(waiting_report.due_at, Some(calendar.deadline(waiting.filed_at, 3)), "three working days to verify");
        let scope = ReportQueueScope { verifies_within: vec![RegionCode::parse("35.23").unwrap()], agencies: vec![] };
        let queue = aspirations::queue(&db, &scope, &QueueFilter::default(), 1).await.unwrap();
        let queued: Vec<&TrackingNumber> = queue.iter().map(|r| &r.tracking).collect();
        assert_eq!(queued, [&waiting.tracking]);
        let region = RegionCode::parse("35").unwrap();
        let imports = audit::list(&db, &region, None, 50).await.unwrap().entries.into_iter().filter(|e| e.action == "report.import").count();
        assert_eq!(imports, 2);
        assert_eq!(count(&db, "outbox").await, 0, "nothing sent: the messages belong to the past");

        // Again: nothing added, nothing changed.
        let (events, reporters) = (count(&db, "report_events").await, count(&db, "report_reporters").await);
        let batch = vec![answered.clone(), waiting.clone()];
        let counts = db.write(move |tx| Box::pin(async move { aspirations::import_many(tx, &batch).await })).await.unwrap();
        assert_eq!((counts.created, counts.existing), (0, 2));
        assert_eq!((count(&db, "report_events").await, count(&db, "report_reporters").await), (events, reporters));
        assert_eq!(aspirations::by_tracking(&db, &answered.tracking).await.unwrap().unwrap(), report);
    }

    async fn an_impossible_history_refuses_the_whole_batch(db) {
        let dpupr = office(&db, "agency", "", "Dinas PUPR Tuban", "35.23").await;
        let filed_at = Timestamp(Timestamp::now().millis() - 10 * 24 * 3600 * 1000);
        let later = Timestamp(filed_at.millis() + 3600 * 1000);
        let fine = ImportedReport {
            report: validated(&form()),
            tracking: TrackingNumber::parse("ASP-35-EEEE-FFFF").unwrap(),
            channel: Channel::Web,
            facilitated_by: None,
            filed_at,
            history: vec![],
        };
        let answer = |note: Option<&str>| ImportedEvent::Step { step: ReportStep::Answer, org: None, public_note: note.map(str::to_owned) };
        let dispatch = |org| ImportedEvent::Step { step: ReportStep::Dispatch, org: Some(org), public_note: None };
        let verify = ImportedEvent::Step { step: ReportStep::Verify, org: None, public_note: None };
        let surabaya = office(&db, "agency", "", "Dinas PU Surabaya", "35.78").await;
        let mut unknown_category = fine.clone();
        unknown_category.report.category = "tidak-ada".into();
        unknown_category.tracking = TrackingNumber::parse("ASP-35-JJJJ-KKKK").unwrap();
        let cases = [
            (vec![(later, answer(Some("Selesai.")))], ("status", ValidationCode::InvalidTransition)),
            (vec![(later, verify.clone()), (later, dispatch(dpupr)), (later, answer(None))], ("public_note", ValidationCode::Required)),
            (vec![(later, verify.clone()), (later, dispatch(surabaya))], ("org", ValidationCode::InvalidChoice)),
            (vec![(later, verify.clone()), (filed_at, verify.clone())], ("history", ValidationCode::InvalidTransition)),
        ];
        for (history, expected) in cases {
            let bad = ImportedReport { tracking: TrackingNumber::parse("ASP-35-GGGG-HHHH").unwrap(), history, ..fine.clone() };
            let batch = vec![fine.clone(), bad];
            let err = db.write(move |tx| Box::pin(async move { aspirations::import_many(tx, &batch).await })).await.unwrap_err();
            assert_eq!(invalid(err), (expected.0.to_owned(), expected.1));
        }
        let batch = vec![fine.clone(), unknown_category];
        let err = db.write(move |tx| Box::pin(async move { aspirations::import_many(tx, &batch).await })).await.unwrap_err();
        assert_eq!(invalid(err), ("category".to_owned(), ValidationCode::InvalidChoice));
        assert_eq!(count(&db, "reports").await, 0, "nothing of a refused batch is stored");
    }

    async fn a_group_files_each_report_alone_as_if_one_after_the_other(db) {
        let good = validated(&form());
        let mut unknown_category = good.clone();
        unknown_category.category = "tidak-ada".into();
        let mut other_reporter = good.clone();
        other_reporter.reporter.phone = Some(jembatan_domain::contact::PhoneNumber::parse("phone", "0857-0000-1111").unwrap());
        other_reporter.reporter.email = None;
        let keyed = Submission { idempotency: Some(("kunci-1".into(), "sha-a".into())), ..submission() };
        let reused = Submission { idempotency: Some(("kunci-1".into(), "sha-b".into())), ..submission() };
        let plain = submission();
        let group = [
            (good.clone(), keyed.clone()),
            (unknown_category, plain.clone()),
            // The same reporter again, in the same words: flagged, not dropped.
            (good.clone(), plain.clone()),
            (other_reporter, plain.clone()),
            // The same key again: the first report back; with another request, a conflict.
            (good.clone(), keyed.clone()),
            (good.clone(), reused),
        ];
        let outcomes = file_group(&db, group.to_vec(), None).await;
        assert_eq!(outcomes.len(), 6);
        let mut outcomes = outcomes.into_iter();
        let first = outcomes.next().unwrap().unwrap();
        assert!(first.duplicate_of.is_none() && !first.replayed);
        assert_eq!(invalid(outcomes.next().unwrap().unwrap_err()), ("category".to_owned(), ValidationCode::InvalidChoice));
        let again = outcomes.next().unwrap().unwrap();
        assert_eq!(again.duplicate_of, Some(first.tracking.clone()), "flagged as the first one's repeat");
        assert_ne!(again.tracking, first.tracking);
        let other = outcomes.next().unwrap().unwrap();
        assert!(other.duplicate_of.is_none(), "another reporter's words are not a repeat");
        let retry = outcomes.next().unwrap().unwrap();
        assert!(retry.replayed);
        assert_eq!(retry.report, first.report, "a replay answers the report as stored");
        assert_eq!(retry.timeline, first.timeline);
        assert_eq!((&retry.tracking, &retry.reporter_key), (&first.tracking, &first.reporter_key));
        assert!(matches!(outcomes.next().unwrap(), Err(StoreError::Conflict("idempotency_key"))));
        assert_eq!(count(&db, "reports").await, 3);
        assert_eq!(count(&db, "report_reporters").await, 3);
        assert_eq!(count(&db, "report_events").await, 3);
    }

    async fn a_key_first_sent_with_a_refused_report_files_its_corrected_retry(db) {
        let good = validated(&form());
        let mut unknown_category = good.clone();
        unknown_category.category = "tidak-ada".into();
        let keyed = Submission { idempotency: Some(("kunci-2".into(), "sha-a".into())), ..submission() };
        let group = vec![(unknown_category, keyed.clone()), (good, keyed)];
        let mut outcomes = file_group(&db, group, None).await.into_iter();
        assert_eq!(invalid(outcomes.next().unwrap().unwrap_err()), ("category".to_owned(), ValidationCode::InvalidChoice));
        let corrected = outcomes.next().unwrap().expect("nothing was stored under the key: the retry is filed");
        assert!(!corrected.replayed);
        assert_eq!(count(&db, "reports").await, 1);
    }

    async fn a_contact_at_its_hourly_limit_is_refused_even_within_one_group(db) {
        let good = validated(&form());
        let mut other_reporter = good.clone();
        other_reporter.reporter.phone = Some(jembatan_domain::contact::PhoneNumber::parse("phone", "0857-0000-2222").unwrap());
        other_reporter.reporter.email = None;
        let plain = submission();
        let keyed = Submission { idempotency: Some(("kunci-batas".into(), "sha-a".into())), ..submission() };
        let first = file_group(&db, vec![(good.clone(), keyed.clone())], Some(2)).await.pop().unwrap().unwrap();
        let mut second = good.clone();
        second.title = "Lampu jalan padam di dusun sebelah".into();
        let group = vec![
            (second.clone(), plain.clone()),
            (second.clone(), plain.clone()),
            (other_reporter, plain.clone()),
            // A retry of the first filing is answered, not counted.
            (good.clone(), keyed),
        ];
        let outcomes = file_group(&db, group, Some(2)).await;
        let mut outcomes = outcomes.into_iter();
        assert!(outcomes.next().unwrap().is_ok(), "the contact's second report within the hour");
        assert!(matches!(outcomes.next().unwrap(), Err(StoreError::ContactLimit)), "its third");
        assert!(outcomes.next().unwrap().is_ok(), "another contact is not limited");
        let retry = outcomes.next().unwrap().unwrap();
        assert!(retry.replayed);
        assert_eq!(retry.tracking, first.tracking);
        assert_eq!(count(&db, "reports").await, 3);
        let unlimited = file(&db, second, submission()).await.unwrap();
        assert!(unlimited.duplicate_of.is_some(), "without a limit it is filed, flagged as a repeat");
    }

    async fn filing_e_mails_the_reporter_at_their_address_or_their_accounts(db) {
        let with_email = validated(&form());
        let mut phone_only = validated(&form());
        phone_only.reporter.email = None;
        phone_only.reporter.phone = Some(jembatan_domain::contact::PhoneNumber::parse("phone", "0857-0000-3333").unwrap());
        let mut by_account = validated(&form());
        by_account.reporter = Default::default();
        by_account.title = "Lampu jalan padam di dusun sebelah".into();
        let user = account(&db, "Warga Terdaftar", "warga@contoh.id").await;
        let filed_by_account = Submission { filed_by: Some(user), ..submission() };
        let outcomes = file_group(
            &db,
            vec![(with_email, submission()), (phone_only, submission()), (by_account, filed_by_account)],
            None,
        )
        .await;
        let filed: Vec<Filed> = outcomes.into_iter().map(Result::unwrap).collect();
        let messages: Vec<(String, String, String)> = db
            .write(|tx| {
                Box::pin(async move {
                    Ok(jembatan_store::on_tx!(tx, conn => sqlx::query_as(
                        "SELECT recipient, template, subject_ref FROM outbox ORDER BY recipient",
                    )
                    .fetch_all(conn)
                    .await)?)
                })
            })
            .await
            .unwrap();
        assert_eq!(
            messages,
            vec![
                ("sulastri@contoh.id".to_owned(), "report-filed".to_owned(), format!("report:{}", filed[0].id)),
                ("warga@contoh.id".to_owned(), "report-filed".to_owned(), format!("report:{}", filed[2].id)),
            ],
            "no address, no e-mail: the phone-only reporter follows the tracking page"
        );
        assert_eq!(count(&db, "jobs WHERE kind = 'outbox.deliver'").await, 2, "each message has its delivery job");
    }

    async fn reports_filed_at_once_go_in_groups_and_each_gets_its_own_number(db) {
        let filer = aspirations::Filer::start(db.clone(), None);
        let mut filings = Vec::new();
        for n in 0..40 {
            let mut form = form();
            form.title = format!("Laporan serentak nomor {n}");
            form.description = format!("Laporan serentak nomor {n} tentang jalan desa yang rusak parah.");
            form.phone = format!("0813-2222-{n:04}");
            form.email = String::new();
            form.event_date = "2026-11-01".into();
            let filer = filer.clone();
            filings.push(tokio::spawn(async move { filer.file(validated(&form), submission()).await }));
        }
        let mut numbers = std::collections::HashSet::new();
        for filing in filings {
            let filed = filing.await.unwrap().unwrap();
            assert!(filed.duplicate_of.is_none());
            // What filing answers is what a read finds.
            assert_eq!(aspirations::get(&db, filed.id).await.unwrap().as_ref(), Some(&filed.report));
            assert_eq!(aspirations::timeline(&db, filed.id).await.unwrap(), filed.timeline);
            numbers.insert(filed.tracking);
        }
        assert_eq!(numbers.len(), 40);
        assert_eq!(count(&db, "reports").await, 40);
    }
}
