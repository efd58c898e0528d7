//! The reporter hears about a case by e-mail through a real SMTP server:
//! the tracking number when filing, the dispatch, and the agency's answer,
//! each sent from the outbox, whose rows keep neither address nor text
//! once sent.

use jembatan_delivery::testing::SmtpServer;
use jembatan_domain::aspiration::TrackingNumber;
use jembatan_store::{Backend, aspirations, outbox};

use crate::admin_support::{agency, sign_up_as};
use crate::aspiration_support::{location, post_report, unique_phone};
use crate::helpers::TestApp;

async fn reporter_hears_by_email(backend: Backend) {
    let smtp = SmtpServer::start();
    let Some(app) = TestApp::spawn_with(backend, &[("JEMBATAN_SMTP_URL", &smtp.url())]).await else { return };
    let agency = agency(&app, "35.23", "Dinas PUPR Kabupaten Tuban").await.to_string();
    let verifier = sign_up_as(&app, "Verifikator Tuban", "regency_officer", "35.23").await;
    let officer = sign_up_as(&app, "Penghubung PUPR", "agency_officer", &agency).await;

    let visitor = TestApp::spawn_client(&app);
    let phone = unique_phone();
    let response = post_report(
        &visitor,
        &[
            ("class", "pengaduan"),
            ("title", "Jembatan kayu rapuh"),
            ("description", "Jembatan kayu di dusun Krajan rapuh dan berbahaya bagi anak sekolah."),
            ("category", "jalan-infrastruktur"),
            ("region", "35.23.01.2001"),
            ("mode", "confidential"),
            ("name", "Darmini"),
            ("phone", &phone),
            ("email", "darmini@contoh.id"),
        ],
        Vec::new(),
    )
    .await;
    assert_eq!(response.status(), 303);
    let tracking = location(&response).trim_start_matches("/aspirasi/").split('?').next().unwrap().to_owned();
    assert_eq!(app.run_jobs().await, 1);
    let mails = smtp.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "darmini@contoh.id");
    assert_eq!(mails[0].subject, format!("Laporan {tracking} diterima"));
    assert!(mails[0].text.contains(&format!("http://127.0.0.1/aspirasi/{tracking}")), "{}", mails[0].text);

    let report = aspirations::by_tracking(&app.db, &TrackingNumber::parse(&tracking).unwrap()).await.unwrap().unwrap();
    let case = format!("/admin/aspirasi/{}", report.id);
    assert_eq!(verifier.post(&format!("{case}/verifikasi"), &[("version", "1")]).await.status(), 303);
    let dispatch = [("version", "2"), ("org", agency.as_str()), ("private_note", "Cek dengan camat")];
    assert_eq!(verifier.post(&format!("{case}/disposisi"), &dispatch).await.status(), 303);
    assert_eq!(officer.post(&format!("{case}/tindak-lanjut"), &[("version", "3")]).await.status(), 303);
    let answer = "Jembatan diperbaiki dengan beton pada pekan depan.";
    assert_eq!(
        officer.post(&format!("{case}/jawab"), &[("version", "4"), ("public_note", answer)]).await.status(),
        303
    );
    assert_eq!(app.run_jobs().await, 3, "verified, dispatched, answered");
    let mails = smtp.messages();
    assert_eq!(mails.len(), 4);
    // The server orders mails by the second they arrived in: look them up.
    assert!(mails.iter().any(|m| m.text.contains("terverifikasi oleh Diskominfo")));
    assert!(mails.iter().any(|m| m.text.contains("diteruskan ke instansi")));
    assert!(!mails.iter().any(|m| m.text.contains("Cek dengan camat")), "internal notes stay inside");
    let answered = mails.iter().find(|m| m.subject == format!("Jawaban atas laporan {tracking}")).expect("the answer");
    assert!(answered.text.contains(answer));
    assert!(mails.iter().all(|m| m.to == "darmini@contoh.id"));

    let records = outbox::about(&app.db, &format!("report:{}", report.id)).await.unwrap();
    let templates: Vec<&str> = records.iter().map(|r| r.template.as_str()).collect();
    assert_eq!(templates, ["report-filed", "report-updated", "report-updated", "report-answered"]);
    assert!(records.iter().all(|r| r.status == "sent"));
}

/// Without an SMTP server the messages wait in the outbox, retried.
async fn messages_wait_for_the_mail_server(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else { return };
    let mut form = crate::aspiration_support::complaint();
    form.email = "menunggu@contoh.id".into();
    let (id, _) = crate::aspiration_support::file_with(&app, &form, vec![]).await;
    app.run_jobs().await;
    let records = outbox::about(&app.db, &format!("report:{id}")).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!((records[0].status.as_str(), records[0].attempts), ("pending", 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reporter_hears_by_email_on_sqlite() {
    reporter_hears_by_email(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reporter_hears_by_email_on_postgres() {
    reporter_hears_by_email(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_wait_for_the_mail_server_on_sqlite() {
    messages_wait_for_the_mail_server(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_wait_for_the_mail_server_on_postgres() {
    messages_wait_for_the_mail_server(Backend::Postgres).await;
}
