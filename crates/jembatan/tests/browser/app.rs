//! The application under test, started in-process on port 0 with a fresh
//! database, as `tests/api/helpers.rs` does (the job worker runs inside).

use jembatan::config::Config;
use jembatan::startup::Application;
use jembatan_store::Backend;
use jembatan_store::testing::TestDatabase;
use tokio_util::sync::CancellationToken;

/// A running application; stopped when dropped.
pub struct App {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub address: String,
    /// The application's database, for fixtures a browser cannot create
    /// (the first officer, as `jembatan user create` makes it).
    pub db: jembatan_store::Db,
    shutdown: CancellationToken,
    _database: TestDatabase,
    /// The application's own search index folder.
    _search_dir: tempfile::TempDir,
}

/// Starts the application on `backend`; `None` (after a "skipped:" line)
/// when that engine is not available here (PostgreSQL without its URL).
pub async fn spawn_app(backend: Backend) -> Option<App> {
    let database = TestDatabase::create(backend).await?;
    let search_dir = tempfile::tempdir().expect("a search index folder");
    let env = [
        ("JEMBATAN_DATABASE_URL", database.url.clone()),
        ("JEMBATAN_BIND", "127.0.0.1:0".to_owned()),
        ("JEMBATAN_PUBLIC_URL", "http://127.0.0.1".to_owned()),
        ("JEMBATAN_SEARCH_DIR", search_dir.path().display().to_string()),
    ];
    let config = Config::load_from(None, |name| env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()))
        .expect("test configuration");
    let app = Application::build(&config).await.expect("build application");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.state().db.clone();
    let shutdown = CancellationToken::new();
    tokio::spawn(app.run_until_stopped(shutdown.clone()));
    Some(App { address, db, shutdown, _database: database, _search_dir: search_dir })
}

impl Drop for App {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
