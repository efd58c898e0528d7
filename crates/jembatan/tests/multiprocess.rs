//! Two `jembatan serve` processes on one PostgreSQL database: login state is
//! shared, and a change made through one is served by the other within a
//! second, although the other had the page cached: a KIM's profile, and a
//! content item published and unpublished on the region pages, the feed and
//! the search index of the other process.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use jembatan_domain::RegionCode;
use jembatan_domain::account::RegistrationForm;
use jembatan_domain::content::ContentForm;
use jembatan_domain::kim::KimForm;
use jembatan_domain::organisation::OrganisationForm;
use jembatan_domain::role::{Role, Scope};
use jembatan_domain::{OrgId, UserId};
use jembatan_store::testing::TestDatabase;
use jembatan_store::{Backend, Db, accounts, content, grants, kims, organisations};

struct Server {
    child: Child,
    base: String,
    /// Each process keeps its own search index (a folder is locked by its writer).
    _search_dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn start(database_url: &str) -> Server {
    let port = free_port();
    let search_dir = tempfile::tempdir().expect("a search index folder");
    let child = Command::new(env!("CARGO_BIN_EXE_jembatan"))
        .arg("serve")
        .env("JEMBATAN_DATABASE_URL", database_url)
        .env("JEMBATAN_BIND", format!("127.0.0.1:{port}"))
        .env("JEMBATAN_SEARCH_DIR", search_dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start jembatan serve");
    let server = Server { child, base: format!("http://127.0.0.1:{port}"), _search_dir: search_dir };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = reqwest::get(format!("{}/readyz", server.base)).await
            && r.status() == 200
        {
            return server;
        }
        assert!(Instant::now() < deadline, "{} did not become ready", server.base);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The e-mail and password of Tuban's regency officer.
const OFFICER: (&str, &str) = ("petugas@tuban.example.id", "kata sandi petugas");

/// Tuban's regency officer (who also publishes for Diskominfo Kabupaten Tuban).
async fn regency_officer(db: &Db) -> UserId {
    let officer = RegistrationForm {
        name: "Petugas Tuban".into(),
        email: OFFICER.0.into(),
        password: OFFICER.1.into(),
        password_confirm: OFFICER.1.into(),
        consent: true,
        ..RegistrationForm::default()
    };
    let officer = accounts::create_user(db, &officer.validate().unwrap(), "test").await.unwrap().id;
    let scope = Scope::Region(RegionCode::parse("35.23").unwrap());
    db.write(move |tx| Box::pin(async move { grants::grant(tx, officer, Role::RegencyOfficer, &scope, None).await }))
        .await
        .unwrap();
    officer
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn log_in(client: &reqwest::Client, server: &Server) -> reqwest::Response {
    let login = client
        .post(format!("{}/masuk", server.base))
        .form(&[("identifier", OFFICER.0), ("password", OFFICER.1)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 303, "the officer logs in");
    login
}

async fn text(client: &reqwest::Client, url: &str) -> String {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.text().await.unwrap()
}

/// Waits, at most a second from `since`, until every URL's body contains
/// `needle` (or, with `present` false, none does).
async fn within_a_second(client: &reqwest::Client, since: Instant, urls: &[String], needle: &str, present: bool) {
    for url in urls {
        loop {
            if text(client, url).await.contains(needle) == present {
                break;
            }
            assert!(
                since.elapsed() < Duration::from_secs(1),
                "{url} still {} {needle:?} after a second",
                if present { "lacks" } else { "shows" }
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} in the form")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_through_one_process_is_served_by_the_other_within_a_second() {
    let Some(database) = TestDatabase::create(Backend::Postgres).await else { return };
    let db = database.connect().await.unwrap();
    regency_officer(&db).await;
    let kim = KimForm { name: "KIM Nama Lama".into(), village: "35.23.01.2001".into(), ..KimForm::default() };
    let kim = kim.validate().unwrap();
    let kim = db.write(move |tx| Box::pin(async move { kims::register(tx, &kim, None).await })).await.unwrap().id();
    db.close().await;

    let (a, b) = (start(&database.url).await, start(&database.url).await);
    let client = browser();

    // Login state lives in the database: a session made by A works on B.
    let login = log_in(&client, &a).await;
    let session_cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    assert_eq!(client.get(format!("{}/akun", b.base)).send().await.unwrap().status(), 200, "B knows A's session");

    // B caches the public profile.
    let profile = format!("{}/kim/{kim}", b.base);
    let first = client.get(&profile).send().await.unwrap();
    let etag = first.headers()["etag"].clone();
    assert!(first.text().await.unwrap().contains("KIM Nama Lama"));
    assert_eq!(client.get(&profile).send().await.unwrap().headers()["etag"], etag, "served from B's cache");

    // A changes the KIM through its admin form.
    let form = client.get(format!("{}/admin/kim/{kim}", a.base)).send().await.unwrap().text().await.unwrap();
    let (csrf, version) = (hidden(&form, "csrf"), hidden(&form, "version"));
    let saved = client
        .post(format!("{}/admin/kim/{kim}", a.base))
        .form(&[("csrf", csrf.as_str()), ("version", version.as_str()), ("name", "KIM Nama Baru")])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303, "A saved the change");
    let changed_at = Instant::now();

    loop {
        let html = client.get(&profile).send().await.unwrap().text().await.unwrap();
        if html.contains("KIM Nama Baru") {
            break;
        }
        assert!(changed_at.elapsed() < Duration::from_secs(1), "B still serves the old page after a second");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let seen_after = changed_at.elapsed();
    assert!(seen_after < Duration::from_secs(1), "seen after {seen_after:?}");

    // Logging out on B ends the session for A too.
    let akun = client.get(format!("{}/akun", b.base)).send().await.unwrap().text().await.unwrap();
    let logout =
        client.post(format!("{}/keluar", b.base)).form(&[("csrf", hidden(&akun, "csrf"))]).send().await.unwrap();
    assert_eq!(logout.status(), 303);
    let replay = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let after = replay.get(format!("{}/akun", a.base)).header("cookie", &session_cookie).send().await.unwrap();
    assert_eq!(after.status(), 303, "A no longer accepts the session B ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn content_published_and_unpublished_through_one_process_shows_on_the_others_pages_feed_and_search() {
    let Some(database) = TestDatabase::create(Backend::Postgres).await else { return };
    let db = database.connect().await.unwrap();
    regency_officer(&db).await;
    let office = OrganisationForm {
        kind: "diskominfo".into(),
        name: "Diskominfo Kabupaten Tuban".into(),
        region: "35.23".into(),
        ..OrganisationForm::default()
    }
    .validate()
    .unwrap();
    let office: OrgId =
        db.write(move |tx| Box::pin(async move { organisations::create(tx, &office, None).await })).await.unwrap().id;
    let draft = ContentForm {
        kind: "pengumuman".into(),
        title: "Pembangunan Jembatan Desa Jlodro Dimulai".into(),
        summary: "Pekerjaan jembatan dimulai pekan depan.".into(),
        body: "Dinas memulai pembangunan jembatan penghubung dusun. Warga diminta berhati-hati.".into(),
        regions: vec!["35.23.01.2001".into()],
        topics: vec!["infrastruktur".into()],
        ..ContentForm::default()
    }
    .validate()
    .unwrap();
    let item =
        db.write(move |tx| Box::pin(async move { content::create(tx, office, None, &draft).await })).await.unwrap();
    db.close().await;

    let (a, b) = (start(&database.url).await, start(&database.url).await);
    let visitor = browser();
    let title = "Pembangunan Jembatan Desa Jlodro Dimulai";
    // Pages on B that would show the item, each cached by B while it is a draft.
    let pages: Vec<String> =
        ["/wilayah/35.23.01.2001", "/wilayah/35.23.01", "/wilayah/35.23", "/wilayah/35.23.01.2001/rss.xml"]
            .iter()
            .map(|path| format!("{}{path}", b.base))
            .collect();
    for page in &pages {
        assert!(!text(&visitor, page).await.contains(title), "{page}: a draft is not public");
        let etag = visitor.get(page).send().await.unwrap().headers()["etag"].clone();
        assert_eq!(visitor.get(page).send().await.unwrap().headers()["etag"], etag, "{page} is served from B's cache");
    }
    // Another word form than the text's "pembangunan".
    let search = vec![format!("{}/api/v1/search?q=membangun+jembatan", b.base)];
    let id = item.id.to_string();
    within_a_second(&visitor, Instant::now(), &search, &id, false).await;

    // The officer publishes it through A.
    let officer = browser();
    log_in(&officer, &a).await;
    let editor = text(&officer, &format!("{}/tulis/{id}", a.base)).await;
    let (csrf, version) = (hidden(&editor, "csrf"), hidden(&editor, "version"));
    let published = officer
        .post(format!("{}/tulis/{id}/terbitkan", a.base))
        .form(&[("csrf", csrf.as_str()), ("version", version.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(published.status(), 303, "A published the item");
    let published_at = Instant::now();
    within_a_second(&visitor, published_at, &pages, title, true).await;
    within_a_second(&visitor, published_at, &search, &id, true).await;

    // And takes it down through A, with a reason.
    let taken_down = officer
        .post(format!("{}/tulis/{id}/tarik", a.base))
        .form(&[("csrf", csrf.as_str()), ("reason", "Jadwal pekerjaan berubah.")])
        .send()
        .await
        .unwrap();
    assert_eq!(taken_down.status(), 303, "A unpublished the item");
    let unpublished_at = Instant::now();
    within_a_second(&visitor, unpublished_at, &pages, title, false).await;
    within_a_second(&visitor, unpublished_at, &search, &id, false).await;
    assert_eq!(visitor.get(format!("{}/konten/{id}", b.base)).send().await.unwrap().status(), 404);
}
