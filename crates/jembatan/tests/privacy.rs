//! A reporter's identity never leaks. A reporter's name, phone number and
//! e-mail address are planted in reports filed every way there is (the web
//! form as anonymous and as confidential, the API named, Open311, a refused
//! API request); officers work the cases; then every public page, API
//! answer and Open311 answer, the pages of an agency that must not see an
//! anonymous reporter, and every line the server logged at debug level are
//! searched for them. On SQLite and PostgreSQL.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jembatan_domain::account::RegistrationForm;
use jembatan_domain::aspiration::TrackingNumber;
use jembatan_domain::organisation::OrganisationForm;
use jembatan_domain::role::Role;
use jembatan_store::testing::TestDatabase;
use jembatan_store::{Backend, Db, accounts, aspirations, grants, organisations};
use serde_json::json;

const NAME: &str = "Wulan Prasetyaningsih";
const PHONE_TYPED: &str = "0812-9876-5432";
const EMAIL: &str = "wulan.rahasia@contoh.id";
const PASSWORD: &str = "sandi petugas yang panjang";

/// Every form the planted identity could take in text.
fn planted() -> Vec<String> {
    vec![
        NAME.to_owned(),
        "Prasetyaningsih".to_owned(),
        "81298765432".to_owned(),
        "9876-5432".to_owned(),
        EMAIL.to_owned(),
        "wulan.rahasia".to_owned(),
        "wulan.rahasia%40".to_owned(),
    ]
}

fn assert_clean(what: &str, text: &str) {
    for secret in planted() {
        assert!(!text.contains(&secret), "{what} shows {secret:?}");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Server {
    child: Child,
    base: String,
    log: std::path::PathBuf,
    _folder: tempfile::TempDir,
}

impl Server {
    async fn start(database: &TestDatabase) -> Server {
        let folder = tempfile::tempdir().unwrap();
        let log = folder.path().join("server.log");
        let port = free_port();
        let out = std::fs::File::create(&log).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_jembatan"))
            .arg("serve")
            .env("JEMBATAN_DATABASE_URL", &database.url)
            .env("JEMBATAN_BIND", format!("127.0.0.1:{port}"))
            .env("JEMBATAN_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("JEMBATAN_SEARCH_DIR", folder.path().join("search"))
            .env("RUST_LOG", "debug")
            .stdout(Stdio::from(out.try_clone().unwrap()))
            .stderr(Stdio::from(out))
            .spawn()
            .expect("start jembatan serve");
        let server = Server { child, base: format!("http://127.0.0.1:{port}"), log, _folder: folder };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        while !client.get(server.url("/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
            assert!(Instant::now() < deadline, "the server did not become ready");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server (SIGTERM) and returns everything it logged.
    fn stop(mut self) -> String {
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        self.child.wait().unwrap();
        std::fs::read_to_string(&self.log).unwrap()
    }
}

/// An account with a role, created in the store; returns its e-mail.
async fn officer(db: &Db, name: &str, role: Role, scope: &str) -> String {
    let email = format!("{}@contoh.id", name.to_lowercase().replace(' ', "."));
    let new = RegistrationForm {
        name: name.into(),
        email: email.clone(),
        phone: String::new(),
        password: PASSWORD.into(),
        password_confirm: PASSWORD.into(),
        consent: true,
    }
    .validate()
    .unwrap();
    let user = accounts::create_user(db, &new, "2026-11").await.unwrap().id;
    let scope = grants::parse_scope(db, scope).await.unwrap();
    db.write(move |tx| Box::pin(async move { grants::grant(tx, user, role, &scope, None).await })).await.unwrap();
    email
}

/// A browser logged in as `email`.
async fn logged_in(server: &Server, email: &str) -> reqwest::Client {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = client
        .post(server.url("/masuk"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("identifier", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "{email} logs in");
    client
}

async fn csrf(server: &Server, client: &reqwest::Client) -> String {
    let page = client.get(server.url("/akun")).send().await.unwrap().text().await.unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    page[start..].split('"').next().unwrap().to_owned()
}

async fn text(client: &reqwest::Client, url: String) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

fn tracking_in(location: &str) -> String {
    location.trim_start_matches("/aspirasi/").split('?').next().unwrap().to_owned()
}

async fn identity_stays_private(backend: Backend) {
    let Some(database) = TestDatabase::create(backend).await else { return };
    let db = database.connect().await.unwrap();
    let agency = OrganisationForm {
        kind: "agency".into(),
        name: "Dinas Lingkungan Hidup Tuban".into(),
        region: "35.23".into(),
        categories: vec!["lingkungan".into()],
        ..OrganisationForm::default()
    }
    .validate()
    .unwrap();
    let agency =
        db.write(move |tx| Box::pin(async move { organisations::create(tx, &agency, None).await })).await.unwrap().id;
    let verifier = officer(&db, "Verifikator Privasi", Role::RegencyOfficer, "35.23").await;
    let agency_officer = officer(&db, "Penghubung Privasi", Role::AgencyOfficer, &agency.to_string()).await;
    let server = Server::start(&database).await;
    let public = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    // Filed every way, each carrying the planted identity.
    let form = |mode: &str| {
        vec![
            ("class", "pengaduan".to_owned()),
            ("title", format!("Pembuangan limbah ke sungai ({mode})")),
            ("description", "Pabrik membuang limbah ke sungai desa pada malam hari.".to_owned()),
            ("category", "lingkungan-sampah".to_owned()),
            ("region", "35.23.01.2001".to_owned()),
            ("mode", mode.to_owned()),
            ("name", NAME.to_owned()),
            ("phone", PHONE_TYPED.to_owned()),
            ("email", EMAIL.to_owned()),
        ]
    };
    let mut trackings = Vec::new();
    for mode in ["anonymous", "confidential"] {
        let response = public
            .post(server.url("/aspirasi/baru"))
            .header("sec-fetch-site", "same-origin")
            .form(&form(mode))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        trackings.push(tracking_in(response.headers()["location"].to_str().unwrap()));
    }
    let named = json!({
        "class": "aspirasi", "title": "Usul tempat sampah terpilah", "description": "Mohon disediakan tempat sampah terpilah.",
        "category": "lingkungan-sampah", "region": "35.23.01.2001", "mode": "named",
        "name": NAME, "phone": PHONE_TYPED, "email": EMAIL,
    });
    let response = public.post(server.url("/api/v1/aspirations")).json(&named).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let body = response.text().await.unwrap();
    assert_clean("the API's answer to filing", &body);
    trackings.push(serde_json::from_str::<serde_json::Value>(&body).unwrap()["tracking"].as_str().unwrap().to_owned());
    let mut refused = named.clone();
    refused["category"] = "tidak-ada".into();
    let response = public.post(server.url("/api/v1/aspirations")).json(&refused).send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert_clean("an API error", &response.text().await.unwrap());
    let response = public
        .post(server.url("/open311/v2/requests.json"))
        .form(&[
            ("service_code", "lingkungan-sampah"),
            ("description", "Sampah dibakar di lapangan desa."),
            ("attribute[region]", "35.23.01.2001"),
            ("first_name", "Wulan"),
            ("last_name", "Prasetyaningsih"),
            ("phone", PHONE_TYPED),
            ("email", EMAIL),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body = response.text().await.unwrap();
    assert_clean("Open311's answer to filing", &body);
    trackings.push(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()[0]["service_request_id"].as_str().unwrap().to_owned(),
    );
    let response = public
        .post(server.url("/open311/v2/requests.json"))
        .form(&[
            ("service_code", "lingkungan-sampah"),
            ("lat", "x"),
            ("long", "y"),
            ("first_name", NAME),
            ("email", EMAIL),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_clean("an Open311 error", &response.text().await.unwrap());

    // Officers work the anonymous case: the verifier looks the reporter up
    // (allowed, audited) and dispatches; the agency must not see them.
    let anonymous =
        aspirations::by_tracking(&db, &TrackingNumber::parse(&trackings[0]).unwrap()).await.unwrap().unwrap();
    let case = format!("/admin/aspirasi/{}", anonymous.id);
    let verifier = logged_in(&server, &verifier).await;
    let token = csrf(&server, &verifier).await;
    let seen = verifier
        .post(server.url(&format!("{case}/identitas")))
        .header("sec-fetch-site", "same-origin")
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(seen.contains(NAME), "the regency's verifier may see the reporter");
    for (step, extra) in [("verifikasi", None), ("disposisi", Some(agency.to_string()))] {
        let version = aspirations::get(&db, anonymous.id).await.unwrap().unwrap().version.to_string();
        let mut fields = vec![("csrf", token.clone()), ("version", version)];
        if let Some(org) = extra {
            fields.push(("org", org));
        }
        let response = verifier
            .post(server.url(&format!("{case}/{step}")))
            .header("sec-fetch-site", "same-origin")
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{step}");
    }
    let agency_officer = logged_in(&server, &agency_officer).await;
    assert_clean("the agency's case page of an anonymous report", &text(&agency_officer, server.url(&case)).await);
    assert_clean("the agency's queue", &text(&agency_officer, server.url("/admin/aspirasi")).await);
    assert_clean("the agency's export", &text(&agency_officer, server.url("/admin/aspirasi/ekspor.csv")).await);
    assert_clean("the verifier's export", &text(&verifier, server.url("/admin/aspirasi/ekspor.csv")).await);

    // Everything public.
    let mut urls = vec![
        "/".to_owned(),
        "/aspirasi".to_owned(),
        "/aspirasi?wilayah=35.23".to_owned(),
        "/aspirasi/statistik".to_owned(),
        "/wilayah/35.23.01.2001".to_owned(),
        "/rss.xml".to_owned(),
        "/feed.json".to_owned(),
        "/open311/v2/requests.json".to_owned(),
        "/open311/v2/requests.json?status=open".to_owned(),
    ];
    // Search echoes the query; what matters is that reports are not in it.
    let found: serde_json::Value =
        public.get(server.url("/api/v1/search?q=Prasetyaningsih")).send().await.unwrap().json().await.unwrap();
    assert_eq!(found["total"], 0, "reports and reporters are not searchable");
    for tracking in &trackings {
        urls.push(format!("/aspirasi/{tracking}"));
        urls.push(format!("/api/v1/aspirations/{tracking}"));
        urls.push(format!("/open311/v2/requests/{tracking}.json"));
        urls.push(format!("/open311/v2/tokens/{tracking}.json"));
        urls.push(format!("/open311/v2/requests.json?service_request_id={tracking}"));
    }
    for url in &urls {
        let response = public.get(server.url(url)).send().await.unwrap();
        assert!(response.status().is_success(), "{url}: {}", response.status());
        assert_clean(url, &response.text().await.unwrap());
    }

    let log = server.stop();
    assert!(log.lines().count() > 20, "the server logged at debug level");
    assert_clean("the server's log", &log);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_stays_private_on_sqlite() {
    identity_stays_private(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_stays_private_on_postgres() {
    identity_stays_private(Backend::Postgres).await;
}
