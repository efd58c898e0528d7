//! Accounts over HTTP: registration, login and throttling, logout, password
//! change, API tokens, export and deletion.

use crate::helpers::{TestApp, hidden_value};
use crate::{http_tests, http_tests_with};

http_tests! {
    async fn registering_logs_in_with_a_safe_cookie(app) {
        let response = app
            .post_form("/daftar", &[
                ("name", "Siti Aminah"), ("email", "siti@contoh.id"), ("phone", "0812-3456-7890"),
                ("password", "kopi tubruk pagi"), ("password_confirm", "kopi tubruk pagi"), ("consent", "yes"),
            ])
            .await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/akun");
        let cookie = response.headers()["set-cookie"].to_str().unwrap();
        assert!(cookie.starts_with("jembatan_session="));
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "http deployments cannot use Secure cookies");
        let response = app.get("/akun").await;
        assert_eq!(response.headers()["cache-control"], "private, no-store");
        let html = response.text().await.unwrap();
        assert!(html.contains("Siti Aminah"));
        assert!(html.contains("+6281234567890"), "the phone is normalised to +62");
        let (_, home) = app.get_text("/").await;
        assert!(!home.contains("Siti Aminah"), "public pages carry nothing per-user");
    }

    async fn refused_registrations_keep_what_was_typed_and_store_nothing(app) {
        let response = app
            .post_form("/daftar", &[
                ("name", "Budi Santoso"), ("email", "budi@contoh"), ("phone", ""),
                ("password", "pendek"), ("password_confirm", "pendek"),
            ])
            .await;
        assert_eq!(response.status(), 400);
        let html = response.text().await.unwrap();
        assert!(html.contains("value=\"Budi Santoso\""));
        assert!(html.contains("value=\"budi@contoh\""));
        assert!(!html.contains("value=\"pendek\""), "passwords are not echoed");
        assert!(html.contains("Alamat email tidak valid."));
        assert!(html.contains("Kata sandi minimal 10 karakter"));
        assert!(html.contains("menyetujui kebijakan privasi"));
        assert!(html.contains("aria-invalid=\"true\""));
        assert_eq!(app.log_in("budi@contoh.id", "pendek").await.status(), 401);
    }

    async fn the_same_email_cannot_register_twice(app) {
        let person = app.register("Ani").await;
        let other = TestApp::spawn_client(&app);
        let response = other
            .post_form("/daftar", &[
                ("name", "Ani Lain"), ("email", &person.email.to_uppercase()), ("phone", ""),
                ("password", "kata sandi panjang"), ("password_confirm", "kata sandi panjang"), ("consent", "yes"),
            ])
            .await;
        assert_eq!(response.status(), 400);
        assert!(response.text().await.unwrap().contains("Email ini sudah terdaftar"));
    }

    async fn login_by_phone_in_any_writing(app) {
        let response = app
            .post_form("/daftar", &[
                ("name", "Pak Darmo"), ("email", ""), ("phone", "081298765432"),
                ("password", "sawah hijau subur"), ("password_confirm", "sawah hijau subur"), ("consent", "yes"),
            ])
            .await;
        assert_eq!(response.status(), 303);
        app.log_out().await;
        let response = app.log_in("+62 812-9876-5432", "sawah hijau subur").await;
        assert_eq!(response.status(), 303);
        let response = app.post_form("/masuk", &[("identifier", "0812 9876 5432"), ("password", "salah sekali"), ("next", "/wilayah/35")]).await;
        assert_eq!(response.status(), 401);
        let html = response.text().await.unwrap();
        assert!(html.contains("Email/nomor HP atau kata sandi salah."));
        assert!(html.contains("value=\"0812 9876 5432\""), "the identifier is kept");
    }

    async fn login_redirects_only_to_local_paths(app) {
        let person = app.register("Rina").await;
        app.log_out().await;
        let response = app.post_form("/masuk", &[("identifier", &person.email), ("password", &person.password), ("next", "/wilayah/35.23")]).await;
        assert_eq!(response.headers()["location"], "/wilayah/35.23");
        app.log_out().await;
        let response = app.post_form("/masuk", &[("identifier", &person.email), ("password", &person.password), ("next", "//evil.example")]).await;
        assert_eq!(response.headers()["location"], "/akun");
    }

    async fn pages_that_need_a_login_send_to_the_login_form(app) {
        let response = app.get("/akun/sandi").await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/masuk?next=%2Fakun%2Fsandi");
        let response = app.get("/en/akun").await;
        assert_eq!(response.headers()["location"], "/en/masuk?next=%2Fakun");
        let (status, body) = app.get_json("/api/v1/me").await;
        assert_eq!(status, 401);
        assert_eq!(body["error"]["code"], "unauthorized");
    }

    async fn logging_out_needs_the_session_token_and_ends_the_session(app) {
        app.register("Wati").await;
        let response = app.post_form("/keluar", &[("csrf", "wrong")]).await;
        assert_eq!(response.status(), 403);
        assert_eq!(app.get("/akun").await.status(), 200, "still logged in");
        app.log_out().await;
        assert_eq!(app.get("/akun").await.status(), 303);
    }

    async fn changing_the_password_ends_other_sessions(app) {
        let person = app.register("Joko").await;
        let phone = TestApp::spawn_client(&app);
        assert_eq!(phone.log_in(&person.email, &person.password).await.status(), 303);
        let csrf = app.csrf().await;
        let response = app.post_form("/akun/sandi", &[("csrf", &csrf), ("current_password", "bukan ini"), ("password", "sandi baru yang panjang"), ("password_confirm", "sandi baru yang panjang")]).await;
        assert_eq!(response.status(), 400);
        assert!(response.text().await.unwrap().contains("Kata sandi saat ini salah."));
        let response = app.post_form("/akun/sandi", &[("csrf", &csrf), ("current_password", &person.password), ("password", "sandi baru yang panjang"), ("password_confirm", "sandi baru yang panjang")]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(app.get("/akun").await.status(), 200, "this session stays");
        assert_eq!(phone.get("/akun").await.status(), 303, "the other session ended");
        assert_eq!(phone.log_in(&person.email, &person.password).await.status(), 401);
        assert_eq!(phone.log_in(&person.email, "sandi baru yang panjang").await.status(), 303);
    }

    async fn api_tokens_authenticate_and_can_be_revoked(app) {
        let person = app.register("Dewi").await;
        let csrf = app.csrf().await;
        let response = app.post_form("/akun/token", &[("csrf", &csrf), ("name", "Bot WhatsApp"), ("scope", "read")]).await;
        assert_eq!(response.status(), 200);
        let html = response.text().await.unwrap();
        let token = html.split("<code>").nth(1).unwrap().split("</code>").next().unwrap().to_owned();
        assert!(token.starts_with("jbt_"));
        let anonymous = reqwest::Client::new();
        let me: serde_json::Value = anonymous.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["name"], person.name.as_str());
        assert_eq!(me["email"], person.email.as_str());
        let write = anonymous.post(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(write.status(), 403, "a read token cannot write");
        let revoke_path = html.split("action=\"/akun/token/").nth(1).unwrap().split('"').next().unwrap();
        let response = app.post_form(&format!("/akun/token/{revoke_path}"), &[("csrf", &csrf)]).await;
        assert_eq!(response.status(), 303);
        let after = anonymous.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(after.status(), 401);
    }

    async fn people_can_export_and_delete_their_data(app) {
        let person = app.register("Sri Wahyuni").await;
        let response = app.get("/akun/data").await;
        assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
        let export = response.text().await.unwrap();
        assert!(export.contains("Sri Wahyuni"));
        assert!(!export.contains("argon2"), "no password hash in the export");
        let csrf = app.csrf().await;
        let response = app.post_form("/akun/hapus", &[("csrf", &csrf), ("password", "salah")]).await;
        assert_eq!(response.status(), 400);
        let response = app.post_form("/akun/hapus", &[("csrf", &csrf), ("password", &person.password)]).await;
        assert_eq!(response.status(), 200);
        assert_eq!(app.get("/akun").await.status(), 303, "logged out");
        assert_eq!(app.log_in(&person.email, &person.password).await.status(), 401);
        let again = app
            .post_form("/daftar", &[
                ("name", "Sri"), ("email", &person.email), ("phone", ""),
                ("password", &person.password), ("password_confirm", &person.password), ("consent", "yes"),
            ])
            .await;
        assert_eq!(again.status(), 303, "the address is free again");
    }
}

mod account_lock {
    use super::*;

    http_tests_with! {
        [("JEMBATAN_LOGIN_MAX_FAILURES", "3"), ("JEMBATAN_LOGIN_LOCK_SECONDS", "600")]
        async fn an_account_locks_after_repeated_failures(app) {
            let person = app.register("Tono").await;
            app.log_out().await;
            for _ in 0..2 {
                assert_eq!(app.log_in(&person.email, "tebakan salah").await.status(), 401);
            }
            let response = app.log_in(&person.email, "tebakan salah").await;
            assert_eq!(response.status(), 429);
            assert!(response.text().await.unwrap().contains("dikunci sementara"));
            let response = app.log_in(&person.email, &person.password).await;
            assert_eq!(response.status(), 429, "even the right password waits for the lock");
        }
    }
}

mod address_throttle {
    use super::*;

    http_tests_with! {
        [("JEMBATAN_LOGIN_ATTEMPTS_PER_IP_PER_MINUTE", "2")]
        async fn one_address_is_throttled_with_a_clear_message(app) {
            assert_eq!(app.log_in("a@contoh.id", "x").await.status(), 401);
            assert_eq!(app.log_in("b@contoh.id", "x").await.status(), 401);
            let response = app.log_in("c@contoh.id", "x").await;
            assert_eq!(response.status(), 429);
            assert!(response.text().await.unwrap().contains("dari jaringan Anda"));
        }
    }
}

mod secure_cookies {
    use super::*;

    http_tests_with! {
        [("JEMBATAN_PUBLIC_URL", "https://kim.example.id")]
        async fn cookies_are_secure_behind_https(app) {
            let response = app
                .post_form("/daftar", &[
                    ("name", "Hadi"), ("email", "hadi@contoh.id"), ("phone", ""),
                    ("password", "kata sandi panjang"), ("password_confirm", "kata sandi panjang"), ("consent", "yes"),
                ])
                .await;
            assert!(response.headers()["set-cookie"].to_str().unwrap().contains("Secure"));
        }
    }
}

#[test]
fn hidden_values_are_found() {
    assert_eq!(hidden_value("<input type=\"hidden\" name=\"csrf\" value=\"abc\">", "csrf").as_deref(), Some("abc"));
}
