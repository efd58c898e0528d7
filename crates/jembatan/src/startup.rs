//! Building and running the application: connect and migrate, load
//! regions, open the search index, bind the listener, start background
//! work (job worker, scheduler, search index follower), serve.
//!
//! Tests call [`Application::build`] with port 0 and read [`Application::port`].

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use jembatan_delivery::{Mailer, Worker, WorkerConfig};
use jembatan_search::{DocumentSource, SearchError, SearchIndex};
use jembatan_store::{ConnectSettings, Db, holidays, regions};
use jembatan_web::i18n::Catalog;
use jembatan_web::mail::CatalogMailText;
use jembatan_web::{AppState, LoginPolicy, OfficeNames, ReportLimits, WebConfig};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::config::{Config, env_var};
use crate::search_source::ContentSource;

/// Connects to the configured database (creating and migrating it) and
/// makes sure the embedded regions and holiday calendar are loaded.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    let settings = ConnectSettings { max_connections: config.db_max_connections, ..ConnectSettings::default() };
    let db = Db::connect(&config.database_url, &settings).await?;
    let started = Instant::now();
    if let Some(report) = regions::ensure_loaded(&db).await? {
        tracing::info!(
            inserted = report.inserted,
            updated = report.updated,
            millis = started.elapsed().as_millis() as u64,
            version = regions::DATA_VERSION,
            "regions loaded"
        );
    }
    let added = holidays::seed_embedded(&db).await?;
    if added > 0 {
        tracing::info!(added, "holiday calendar seeded");
    }
    Ok(db)
}

/// The web settings derived from the configuration.
pub fn web_config(config: &Config) -> WebConfig {
    WebConfig {
        public_url: config.public_url.clone(),
        default_province: config.default_province.clone(),
        offices: OfficeNames {
            province_office: config.province_office.clone(),
            regency_office: config.regency_office.clone(),
        },
        trusted_proxies: config.trusted_proxies.clone(),
        login: LoginPolicy {
            max_failures_per_account: config.login_max_failures,
            account_lock_seconds: config.login_lock_seconds,
            attempts_per_ip_per_minute: config.login_attempts_per_ip_per_minute,
        },
        session_ttl_secs: config.session_days * 86_400,
        reset_ttl_secs: 3600,
        privacy_contact: config.privacy_contact.clone(),
        timezone: config.timezone,
        max_body_bytes: config.max_body_bytes,
        max_upload_bytes: config.max_upload_bytes,
        reports: ReportLimits {
            per_ip_per_minute: config.reports_per_ip_per_minute,
            per_contact_per_hour: config.reports_per_contact_per_hour,
        },
    }
}

/// The job worker with every handler; e-mail goes through SMTP when configured.
fn build_worker(config: &Config, db: Db, catalog: Arc<Catalog>) -> anyhow::Result<Worker> {
    let mailer = match &config.smtp_url {
        Some(url) => Some(Mailer::new(url, &config.mail_from).map_err(|e| anyhow::anyhow!("smtp_url: {e}"))?),
        None => {
            tracing::warn!("no smtp_url configured: e-mails wait in the job queue");
            None
        }
    };
    let public_url = config.public_url.as_str().trim_end_matches('/').to_owned();
    Ok(Worker::new(db, mailer, Arc::new(CatalogMailText(catalog)), WorkerConfig::new(public_url)))
}

/// A built application, listening but not yet serving.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    /// Runs the job queue; `None` once a test took the background work to
    /// drive it itself (then the scheduler does not run either).
    worker: Option<Worker>,
}

impl Application {
    /// Opens the database and binds the configured address (port 0 picks a free port).
    pub async fn build(config: &Config) -> anyhow::Result<Application> {
        let db = open_database(config).await?;
        Application::build_with(config, db).await
    }

    /// Like [`Application::build`] on an already open database.
    pub async fn build_with(config: &Config, db: Db) -> anyhow::Result<Application> {
        let catalog = Arc::new(Catalog::load()?);
        let worker = build_worker(config, db.clone(), catalog.clone())?;
        let search = SearchIndex::open(&config.search_dir).map_err(|e| search_dir_error(&config.search_dir, e))?;
        let state = AppState::new(db, web_config(config), catalog, worker.notifier(), search);
        let listener = TcpListener::bind(config.bind).await?;
        Ok(Application { listener, state, worker: Some(worker) })
    }

    /// Takes the background work out: the caller runs the job worker (tests
    /// drain the queue with `Worker::run_until_idle` instead of waiting) and
    /// calls `schedule::tick` when it wants scheduled work done.
    pub fn take_background_work(&mut self) -> Option<Worker> {
        self.worker.take()
    }

    /// The port the application listens on.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The shared state (tests reach the database through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` is cancelled, then finishes requests in flight.
    pub async fn run_until_stopped(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        let db = self.state.db.clone();
        let search = self.state.search.clone();
        let follower = tokio::spawn(follow_content(search.clone(), db.clone(), shutdown.clone()));
        let background = self.worker.map(|worker| {
            let scheduler = crate::schedule::run(
                db.clone(),
                self.state.config.timezone,
                self.state.jobs_waiting.clone(),
                shutdown.clone(),
            );
            (tokio::spawn(worker.run(shutdown.clone())), tokio::spawn(scheduler))
        });
        let served = jembatan_web::serve(self.listener, self.state, shutdown.clone()).await;
        shutdown.cancel();
        if let Some((worker, scheduler)) = background {
            let _ = worker.await;
            let _ = scheduler.await;
        }
        let _ = follower.await;
        // Releases the folder's lock, so the next start (or a `search
        // reindex`) can open it at once.
        search.close().await;
        db.close().await;
        Ok(served?)
    }
}

/// What start-up says when the index in `search_dir` cannot be opened:
/// the setting to change, and for a lock, who holds it.
fn search_dir_error(dir: &Path, error: SearchError) -> anyhow::Error {
    let setting = search_dir_setting(dir);
    match error {
        SearchError::Locked(_) => anyhow::anyhow!(
            "the search index in {setting} is in use by another process, probably another `jembatan serve` on \
             this machine: give each process its own search_dir (each follows the database on its own)"
        ),
        other => anyhow::anyhow!("cannot open the search index in {setting}: {other}"),
    }
}

/// The `search_dir` setting as messages name it: its variable and value.
fn search_dir_setting(dir: &Path) -> String {
    format!("`search_dir` ({}) = {}", env_var("search_dir"), dir.display())
}

/// Keeps `index` equal to the published content until `shutdown`. The first
/// start on a database with content (or after the folder was deleted)
/// builds the index first (the follower's first catch-up); pages are served
/// meanwhile, and search finds more as it fills.
async fn follow_content(index: SearchIndex, db: Db, shutdown: CancellationToken) {
    let source: Arc<dyn DocumentSource> = Arc::new(ContentSource::new(db.clone()));
    jembatan_search::follow(index, db, source, shutdown).await;
}

/// What `jembatan search reindex` did.
#[derive(Debug)]
pub struct Reindexed {
    pub documents: usize,
    pub elapsed: std::time::Duration,
}

/// Rebuilds the index in `config.search_dir` from the database (the
/// `search reindex` command).
pub async fn reindex(config: &Config, db: &Db) -> anyhow::Result<Reindexed> {
    let index = SearchIndex::open(&config.search_dir).map_err(|e| match e {
        SearchError::Locked(_) => anyhow::anyhow!(
            "the search index in {} is held by a running server (`jembatan serve`), which keeps it up to date by \
             itself. To rebuild it anyway, stop the server and run `jembatan search reindex` again, or stop the \
             server and delete the folder: the server rebuilds the index when it starts",
            search_dir_setting(&config.search_dir)
        ),
        other => search_dir_error(&config.search_dir, other),
    })?;
    let started = Instant::now();
    let source = ContentSource::new(db.clone());
    let rebuilt = jembatan_search::reindex(&index, db, &source).await;
    index.close().await;
    Ok(Reindexed { documents: rebuilt?, elapsed: started.elapsed() })
}

/// Cancels `token` on SIGTERM or Ctrl-C.
pub fn cancel_on_signal(token: CancellationToken) {
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
            tokio::select! {
                _ = ctrl_c => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
        tracing::info!("shutting down: finishing requests in flight");
        token.cancel();
    });
}
