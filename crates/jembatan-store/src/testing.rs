//! Fresh databases for tests, on both engines.
//!
//! Every test gets a database of its own, already migrated and holding all
//! regions, copied from a template built once per schema version (importing
//! 91,000 regions per test would dominate the suite's time):
//! - SQLite: a copy of a template file, in a temporary folder.
//! - PostgreSQL: `CREATE DATABASE ... TEMPLATE ...` on the server named by
//!   `JEMBATAN_TEST_POSTGRES_URL`; dropped when the [`TestDatabase`] is.
//!   When the variable is unset, PostgreSQL tests print a "skipped" line.

use std::path::PathBuf;

use sqlx::{Connection, PgConnection};
use uuid::Uuid;

use crate::{Backend, ConnectSettings, DatabaseUrl, Db, StoreResult};
use crate::{holidays, regions};

/// The environment variable naming the PostgreSQL server for tests.
pub const POSTGRES_URL_VAR: &str = "JEMBATAN_TEST_POSTGRES_URL";

/// A database that exists for one test.
pub struct TestDatabase {
    /// A URL any process can connect with.
    pub url: String,
    pub backend: Backend,
    _folder: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

/// Names the schema version, region and holiday data, so a changed migration gets a new template.
fn fingerprint(backend: Backend) -> String {
    let mut text = format!("{}:{}:{}", regions::DATA_VERSION, holidays::EMBEDDED.len(), backend_name(backend));
    for (version, checksum) in crate::migrate::checksums(backend) {
        text.push_str(&format!(":{version}={checksum}"));
    }
    // FNV-1a: a short, stable name; collisions only cost a rebuilt template.
    let hash = text.bytes().fold(0xcbf29ce484222325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3));
    format!("{hash:016x}")
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

async fn build_template(url: &str) {
    let db = Db::connect(&DatabaseUrl::parse(url).expect("template URL"), &ConnectSettings::default())
        .await
        .expect("template database");
    regions::ensure_loaded(&db).await.expect("template regions");
    holidays::seed_embedded(&db).await.expect("template holidays");
    db.close().await;
}

/// What a new test database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents {
    /// Nothing: not even the schema (the application migrates on connect).
    Empty,
    /// The schema and every region.
    Regions,
}

impl TestDatabase {
    /// Creates a database holding the schema and all regions; `None` (after
    /// printing why) when the engine is not available to tests here.
    pub async fn create(backend: Backend) -> Option<TestDatabase> {
        Self::create_with(backend, Contents::Regions).await
    }

    /// Creates a database holding `contents`.
    pub async fn create_with(backend: Backend, contents: Contents) -> Option<TestDatabase> {
        match backend {
            Backend::Sqlite => Some(Self::create_sqlite(contents).await),
            Backend::Postgres => {
                let Ok(server) = std::env::var(POSTGRES_URL_VAR) else {
                    eprintln!("skipped: {POSTGRES_URL_VAR} not set, PostgreSQL tests do not run");
                    return None;
                };
                Some(Self::create_postgres(server, contents).await)
            }
        }
    }

    async fn create_sqlite(contents: Contents) -> TestDatabase {
        let folder = tempfile::tempdir().expect("temporary folder");
        let file = folder.path().join("jembatan.db");
        if contents == Contents::Regions {
            std::fs::copy(Self::sqlite_template().await, &file).expect("copy template");
        }
        TestDatabase {
            url: format!("sqlite://{}", file.display()),
            backend: Backend::Sqlite,
            _folder: Some(folder),
            postgres: None,
        }
    }

    async fn sqlite_template() -> PathBuf {
        let template: PathBuf =
            std::env::temp_dir().join(format!("jembatan-template-{}.db", fingerprint(Backend::Sqlite)));
        if !template.exists() {
            // Build beside the final name, then rename: concurrent builders
            // waste work but never leave a half-built template.
            let staging = tempfile::tempdir().expect("temporary folder");
            let path = staging.path().join("template.db");
            build_template(&format!("sqlite://{}", path.display())).await;
            let compact = staging.path().join("compact.db");
            let mut conn =
                sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.expect("open template");
            sqlx::query(&format!("VACUUM INTO '{}'", compact.display()))
                .execute(&mut conn)
                .await
                .expect("vacuum template");
            conn.close().await.ok();
            let unique = template.with_extension(format!("{}.tmp", Uuid::now_v7().simple()));
            std::fs::copy(&compact, &unique).expect("stage template");
            std::fs::rename(&unique, &template).expect("publish template");
        }
        template
    }

    async fn create_postgres(server: String, contents: Contents) -> TestDatabase {
        let mut admin = PgConnection::connect(&server)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {POSTGRES_URL_VAR}: {e}"));
        let template = format!("jembatan_template_{}", fingerprint(Backend::Postgres));
        // One builder at a time across test processes.
        sqlx::query("SELECT pg_advisory_lock(7243001)").execute(&mut admin).await.expect("lock");
        let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&template)
            .fetch_one(&mut admin)
            .await
            .expect("look up template");
        if !exists {
            let building = format!("{template}_building");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .expect("drop stale");
            sqlx::query(&format!("CREATE DATABASE {building}")).execute(&mut admin).await.expect("create template");
            build_template(&database_url(&server, &building)).await;
            sqlx::query(&format!("ALTER DATABASE {building} RENAME TO {template}"))
                .execute(&mut admin)
                .await
                .expect("publish template");
        }
        let name = format!("jembatan_test_{}", Uuid::now_v7().simple());
        let source = match contents {
            Contents::Regions => template.as_str(),
            Contents::Empty => "template0",
        };
        sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {source}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        sqlx::query("SELECT pg_advisory_unlock(7243001)").execute(&mut admin).await.expect("unlock");
        admin.close().await.ok();
        TestDatabase {
            url: database_url(&server, &name),
            backend: Backend::Postgres,
            _folder: None,
            postgres: Some((server, name)),
        }
    }

    /// Connects (and migrates), as the application would.
    pub async fn connect(&self) -> StoreResult<Db> {
        Db::connect(&DatabaseUrl::parse(&self.url).expect("test URL"), &ConnectSettings::default()).await
    }
}

/// `server` with its database name replaced by `name`.
fn database_url(server: &str, name: &str) -> String {
    let mut url = url::Url::parse(server).expect("JEMBATAN_TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{name}"));
    url.to_string()
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else { return };
        // Drop may run inside or outside a runtime; a thread of its own works in both.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&server).await.ok()?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await.ok()
            })
        })
        .join();
    }
}

/// Defines each test twice, `sqlite::name` and `postgres::name`, each with a
/// fresh database bound to the given name.
#[macro_export]
macro_rules! contract_tests {
    ($( $(#[$meta:meta])* async fn $name:ident($db:ident) $body:block )*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let database = $crate::testing::TestDatabase::create($crate::Backend::Sqlite).await.unwrap();
                    let $db = database.connect().await.expect("connect");
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
                    let Some(database) = $crate::testing::TestDatabase::create($crate::Backend::Postgres).await else { return };
                    let $db = database.connect().await.expect("connect");
                    $body
                }
            )*
        }
    };
}
