//! The browser journey: Debian's headless Chromium, driven through
//! chromedriver with fantoccini, clicks and types through the application
//! started in-process on port 0 with a fresh database, on SQLite and on
//! PostgreSQL alike (PostgreSQL prints "skipped: ..." without
//! `JEMBATAN_TEST_POSTGRES_URL`).
//!
//! chromium and chromium-driver must be installed (`scripts/test` installs
//! them): without them these tests fail, they never skip. A failing journey
//! keeps its temporary folder and names it in the panic message, with a
//! screenshot (`failure.png`), the page source and chromedriver's log.

mod app;
mod aspiration_journey;
mod content_journey;
mod driver;
mod journeys;

use jembatan_store::Backend;

use crate::app::spawn_app;
use crate::driver::{Browser, ChromeDriver, SessionOptions};

/// Starts the application and a browser session, runs `journey`, and on
/// failure saves what the browser showed before panicking.
async fn run(
    backend: Backend,
    test: &str,
    options: SessionOptions,
    journey: impl AsyncFnOnce(&Browser, &app::App) -> anyhow::Result<()>,
) {
    let Some(app) = spawn_app(backend).await else { return };
    let dir =
        tempfile::Builder::new().prefix(&format!("jembatan-browser-{test}-")).tempdir().expect("a temporary folder");
    let started = match ChromeDriver::start(dir.path()).await {
        Ok(driver) => Browser::open(&driver, &app.address, &dir.path().join("profile"), options)
            .await
            .map(|browser| (driver, browser)),
        Err(e) => Err(e),
    };
    let (driver, browser) = match started {
        Ok(started) => started,
        Err(e) => {
            let kept = dir.keep();
            panic!("{test} ({backend:?}): {e:#}\n  chromedriver log: {}", kept.join("chromedriver.log").display());
        }
    };
    let outcome = journey(&browser, &app).await;
    if let Err(e) = outcome {
        let at = browser.path().await.unwrap_or_else(|_| "(unknown page)".to_owned());
        let saved = browser.save_failure(&dir.path().join("failure.png")).await;
        browser.close().await;
        drop(driver);
        let kept = dir.keep();
        let saved: Vec<String> = saved.iter().map(|p| p.display().to_string()).collect();
        panic!(
            "{test} ({backend:?}) failed on {at}: {e:#}\n  temporary folder kept: {}\n  saved: {}\n  chromedriver log: {}",
            kept.display(),
            if saved.is_empty() { "nothing (the browser did not answer)".to_owned() } else { saved.join(", ") },
            kept.join("chromedriver.log").display(),
        );
    }
    browser.close().await;
    drop(driver);
}

/// Defines each journey as `sqlite::name` and `postgres::name`.
macro_rules! browser_tests {
    ($( $name:ident: $options:expr => $journey:path; )*) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    run(Backend::Sqlite, stringify!($name), $options, $journey).await;
                }
            )*
        }
        mod postgres {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    run(Backend::Postgres, stringify!($name), $options, $journey).await;
                }
            )*
        }
    };
}

browser_tests! {
    register_browse_and_switch_language: SessionOptions::DESKTOP => journeys::register_browse_and_switch_language;
    works_without_javascript: SessionOptions::NO_SCRIPT => journeys::works_without_javascript;
    fits_a_320px_screen: SessionOptions::PHONE => journeys::fits_a_320px_screen;
    officer_registers_a_kim_grants_a_role_and_reads_the_audit_log: SessionOptions::DESKTOP => journeys::officer_registers_a_kim_grants_a_role_and_reads_the_audit_log;
    contributor_writes_manager_publishes_visitor_finds_and_shares: SessionOptions::DESKTOP => content_journey::contributor_writes_manager_publishes_visitor_finds_and_shares;
    citizen_files_officers_answer_citizen_rates: SessionOptions::DESKTOP => aspiration_journey::citizen_files_officers_answer_citizen_rates;
    a_draft_survives_a_reload_and_waits_for_the_connection: SessionOptions::DESKTOP => aspiration_journey::a_draft_survives_a_reload_and_waits_for_the_connection;
}
