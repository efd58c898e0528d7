//! Password reset by an e-mailed one-time link, through a real SMTP server.

use jembatan_delivery::testing::SmtpServer;
use jembatan_store::Backend;

use crate::helpers::{TestApp, hidden_value};

async fn reset_by_email(backend: Backend) {
    let smtp = SmtpServer::start();
    let Some(app) = TestApp::spawn_with(backend, &[("JEMBATAN_SMTP_URL", &smtp.url())]).await else { return };
    let person = app.register("Lestari").await;
    app.log_out().await;

    let response = app.post_form("/lupa-sandi", &[("email", &person.email)]).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("Jika email tersebut terdaftar"));
    let unknown = app.post_form("/lupa-sandi", &[("email", "tidak.ada@contoh.id")]).await;
    assert!(
        unknown.text().await.unwrap().contains("Jika email tersebut terdaftar"),
        "same answer for unknown addresses"
    );

    assert_eq!(app.run_jobs().await, 1, "one e-mail for the one account");
    let mails = smtp.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, person.email);
    assert_eq!(mails[0].subject, "Atur ulang kata sandi Jembatan");
    assert!(mails[0].text.contains("Halo Lestari"));
    let link =
        mails[0].text.lines().find(|l| l.contains("/atur-ulang-sandi?token=")).expect("a reset link").trim().to_owned();
    assert!(link.starts_with("http://127.0.0.1/atur-ulang-sandi?token="), "{link}");
    let path = link.trim_start_matches("http://127.0.0.1");

    let response = app.get(path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    let html = response.text().await.unwrap();
    let token = hidden_value(&html, "token").unwrap();

    let weak = app
        .post_form("/atur-ulang-sandi", &[("token", &token), ("password", "pendek"), ("password_confirm", "pendek")])
        .await;
    assert_eq!(weak.status(), 400);
    let done = app
        .post_form(
            "/atur-ulang-sandi",
            &[("token", &token), ("password", "sandi pulih kembali"), ("password_confirm", "sandi pulih kembali")],
        )
        .await;
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("Kata sandi baru sudah disimpan"));

    let reused = app
        .post_form(
            "/atur-ulang-sandi",
            &[("token", &token), ("password", "sandi lain lagi ya"), ("password_confirm", "sandi lain lagi ya")],
        )
        .await;
    assert_eq!(reused.status(), 400);
    assert!(reused.text().await.unwrap().contains("sudah pernah dipakai"));
    let (status, html) = app.get_text("/atur-ulang-sandi?token=bukan-token").await;
    assert_eq!(status, 400);
    assert!(html.contains("Tautan ini tidak valid"));

    assert_eq!(app.log_in(&person.email, &person.password).await.status(), 401);
    assert_eq!(app.log_in(&person.email, "sandi pulih kembali").await.status(), 303);
    assert_eq!(app.run_jobs().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_by_email_on_sqlite() {
    reset_by_email(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_by_email_on_postgres() {
    reset_by_email(Backend::Postgres).await;
}

async fn english_requests_get_english_mail(backend: Backend) {
    let smtp = SmtpServer::start();
    let Some(app) = TestApp::spawn_with(backend, &[("JEMBATAN_SMTP_URL", &smtp.url())]).await else { return };
    let person = app.register("Mary").await;
    app.log_out().await;
    let response = app.post_form("/en/lupa-sandi", &[("email", &person.email)]).await;
    assert!(response.text().await.unwrap().contains("If that address is registered"));
    app.run_jobs().await;
    assert_eq!(smtp.messages()[0].subject, "Reset your Jembatan password");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_requests_get_english_mail_on_sqlite() {
    english_requests_get_english_mail(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_requests_get_english_mail_on_postgres() {
    english_requests_get_english_mail(Backend::Postgres).await;
}
