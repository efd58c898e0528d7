//! The test application: started in-process on port 0 with its own
//! database, reached through a real HTTP client with a cookie jar.

use jembatan::config::Config;
use jembatan::startup::Application;
use jembatan_store::testing::TestDatabase;
use jembatan_store::{Backend, Db};
use tokio_util::sync::CancellationToken;

/// A running application and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    /// The job worker; tests run it with [`TestApp::run_jobs`] instead of waiting.
    pub worker: jembatan_delivery::Worker,
    shutdown: CancellationToken,
    /// This application's own search index folder (tests never share one:
    /// a folder is locked by the process writing it).
    search_dir: tempfile::TempDir,
    database: TestDatabase,
}

impl TestApp {
    /// Starts the application on `backend`; `None` when that engine is not
    /// available to tests here (PostgreSQL without its URL).
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, &[]).await
    }

    /// Starts the application with extra `JEMBATAN_*` settings.
    pub async fn spawn_with(backend: Backend, settings: &[(&str, &str)]) -> Option<TestApp> {
        let database = TestDatabase::create(backend).await?;
        let search_dir = tempfile::tempdir().expect("a search index folder");
        let mut env: Vec<(String, String)> = vec![
            ("JEMBATAN_DATABASE_URL".into(), database.url.clone()),
            ("JEMBATAN_BIND".into(), "127.0.0.1:0".into()),
            ("JEMBATAN_PUBLIC_URL".into(), "http://127.0.0.1".into()),
            ("JEMBATAN_SEARCH_DIR".into(), search_dir.path().display().to_string()),
        ];
        env.extend(settings.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let config = Config::load_from(None, |name| env.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
            .expect("test configuration");
        let mut app = Application::build(&config).await.expect("build application");
        let worker = app.take_background_work().expect("a job worker");
        let address = format!("http://127.0.0.1:{}", app.port());
        let db = app.state().db.clone();
        let shutdown = CancellationToken::new();
        tokio::spawn(app.run_until_stopped(shutdown.clone()));
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client");
        Some(TestApp { address, client, db, worker, shutdown, search_dir, database })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The URL of the application's database, for the binary's commands.
    pub fn database_url(&self) -> &str {
        &self.database.url
    }

    /// The folder of the application's search index.
    pub fn search_dir(&self) -> &std::path::Path {
        self.search_dir.path()
    }

    /// Runs every due job (e-mails, scheduled checks); returns how many ran.
    pub async fn run_jobs(&self) -> usize {
        self.worker.run_until_idle().await.expect("job queue")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// GETs a page and returns its status and body.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// GETs JSON and returns its status and value.
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl TestApp {
    /// A second visitor (own cookie jar) of the same running application.
    pub fn spawn_client(app: &TestApp) -> Visitor {
        Visitor {
            address: app.address.clone(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("HTTP client"),
        }
    }
}

/// Another browser talking to a running [`TestApp`].
pub struct Visitor {
    pub address: String,
    pub client: reqwest::Client,
}

impl Visitor {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(path)).header("sec-fetch-site", "same-origin").form(form).send().await.expect("POST")
    }

    pub async fn log_in(&self, identifier: &str, password: &str) -> reqwest::Response {
        self.post_form("/masuk", &[("identifier", identifier), ("password", password)]).await
    }
}

/// Like [`http_tests!`], with extra `JEMBATAN_*` settings for every test.
#[macro_export]
macro_rules! http_tests_with {
    ($settings:tt $( $(#[$meta:meta])* async fn $name:ident($app:ident) $body:block )*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let $app = $crate::helpers::TestApp::spawn_with(jembatan_store::Backend::Sqlite, &$settings).await.unwrap();
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some($app) = $crate::helpers::TestApp::spawn_with(jembatan_store::Backend::Postgres, &$settings).await else { return };
                    $body
                }
            )*
        }
    };
}

/// Defines each test twice, `sqlite::name` and `postgres::name`, each with
/// a freshly started application bound to the given name.
#[macro_export]
macro_rules! http_tests {
    ($( $(#[$meta:meta])* async fn $name:ident($app:ident) $body:block )*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let $app = $crate::helpers::TestApp::spawn(jembatan_store::Backend::Sqlite).await.unwrap();
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some($app) = $crate::helpers::TestApp::spawn(jembatan_store::Backend::Postgres).await else { return };
                    $body
                }
            )*
        }
    };
}

/// A registered account's credentials.
pub struct Person {
    pub name: String,
    pub email: String,
    pub password: String,
}

impl TestApp {
    /// POSTs a form (as a same-origin browser would) and returns the response.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(path)).header("sec-fetch-site", "same-origin").form(form).send().await.expect("POST")
    }

    /// Registers `name` with a unique e-mail; the client is then logged in.
    pub async fn register(&self, name: &str) -> Person {
        let email = format!("{}.{}@contoh.id", name.to_lowercase().replace(' ', "."), uuid::Uuid::now_v7().simple());
        let person = Person { name: name.to_owned(), email, password: "kopi tubruk pagi hari".to_owned() };
        let response = self
            .post_form(
                "/daftar",
                &[
                    ("name", &person.name),
                    ("email", &person.email),
                    ("phone", ""),
                    ("password", &person.password),
                    ("password_confirm", &person.password),
                    ("consent", "yes"),
                ],
            )
            .await;
        assert_eq!(response.status(), 303, "registration of {name} redirects");
        person
    }

    /// Logs in with `identifier` and `password`; returns the response.
    pub async fn log_in(&self, identifier: &str, password: &str) -> reqwest::Response {
        self.post_form("/masuk", &[("identifier", identifier), ("password", password)]).await
    }

    /// The CSRF token of the logged-in session, read from the account page.
    pub async fn csrf(&self) -> String {
        let (status, html) = self.get_text("/akun").await;
        assert_eq!(status, 200, "logged in");
        hidden_value(&html, "csrf").expect("a csrf field on the account page")
    }

    /// Logs out through the form.
    pub async fn log_out(&self) {
        let csrf = self.csrf().await;
        let response = self.post_form("/keluar", &[("csrf", &csrf)]).await;
        assert_eq!(response.status(), 303);
    }
}

/// The value of the hidden input named `name` in `html`.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    Some(html[start..].split('"').next()?.to_owned())
}

impl TestApp {
    /// The id of the account registered with `email`.
    pub async fn user_id(&self, email: &str) -> jembatan_domain::UserId {
        let identifier = jembatan_domain::contact::LoginIdentifier::parse("email", email).expect("an e-mail");
        jembatan_store::accounts::find_for_login(&self.db, &identifier)
            .await
            .expect("lookup")
            .expect("registered")
            .user
            .id
    }

    /// Grants `role` (stable name) in `scope` (region code or organisation
    /// id) to the account registered with `email`, as the CLI would.
    pub async fn grant(&self, email: &str, role: &str, scope: &str) {
        let user = self.user_id(email).await;
        let role = jembatan_domain::role::Role::parse(role).expect("a role");
        let scope = jembatan_store::grants::parse_scope(&self.db, scope).await.expect("a scope");
        self.db
            .write(move |tx| Box::pin(async move { jembatan_store::grants::grant(tx, user, role, &scope, None).await }))
            .await
            .expect("grant");
    }
}
