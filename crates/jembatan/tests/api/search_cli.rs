//! `jembatan search reindex`, run as a person would: it rebuilds an index
//! from the database and says how many items it holds; while a server holds
//! the folder it says so and fails, and so does a second server started on
//! the same folder.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use jembatan_domain::OrgId;
use jembatan_domain::content::ContentForm;
use jembatan_search::{SearchIndex, SearchQuery};
use jembatan_store::content;

use crate::admin_support::kim;
use crate::helpers::TestApp;
use crate::http_tests;

/// Runs the binary with `args` against `database_url` and `search_dir`,
/// stopping it after `timeout`.
async fn jembatan(database_url: &str, search_dir: &Path, args: &[&str], timeout: Duration) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jembatan"));
    command
        .args(args)
        .env("JEMBATAN_DATABASE_URL", database_url)
        .env("JEMBATAN_SEARCH_DIR", search_dir)
        .env("JEMBATAN_BIND", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tokio::task::spawn_blocking(move || {
        let mut child = command.spawn().expect("run jembatan");
        let started = Instant::now();
        while child.try_wait().expect("wait").is_none() {
            if started.elapsed() > timeout {
                child.kill().expect("stop jembatan");
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().expect("output")
    })
    .await
    .unwrap()
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn form(title: &str, body: &str) -> ContentForm {
    ContentForm {
        kind: "berita".into(),
        title: title.into(),
        summary: "Kabar singkat untuk warga.".into(),
        body: body.into(),
        regions: vec!["35.23.01.2001".into()],
        topics: vec!["infrastruktur".into()],
        ..ContentForm::default()
    }
}

/// Creates an item; publishes it when `publish`.
async fn item(app: &TestApp, org: OrgId, title: &str, publish: bool) {
    let draft = form(title, "Warga membangun jalan desa bersama-sama.").validate().unwrap();
    app.db
        .write(move |tx| {
            Box::pin(async move {
                let created = content::create(tx, org, None, &draft).await?;
                if publish {
                    content::publish_now(tx, created.id, created.version, None).await?;
                }
                Ok(())
            })
        })
        .await
        .unwrap();
}

http_tests! {
    async fn reindex_rebuilds_an_index_from_the_database_and_reports_the_count(app) {
        let kim = kim(&app, "35.23.01.2001", "KIM Jlodro Maju").await;
        for n in 0..3 {
            item(&app, kim, &format!("Jalan dusun {n}"), true).await;
        }
        item(&app, kim, "Masih draf", false).await;

        let folder = tempfile::tempdir().unwrap();
        let dir = folder.path().join("search");
        let output = jembatan(app.database_url(), &dir, &["search", "reindex"], Duration::from_secs(60)).await;
        assert!(output.status.success(), "{}", text(&output));
        let said = text(&output);
        assert!(said.contains("search index rebuilt: 3 published items"), "{said}");
        eprintln!("jembatan search reindex: {}", said.trim());

        let index = SearchIndex::open(&dir).expect("the rebuilt index opens");
        assert_eq!(index.num_docs(), 3);
        let found = index.search(SearchQuery::text("pembangunan jalan")).await.unwrap();
        assert_eq!(found.total, 3, "the draft is not in it");
        index.close().await;
    }

    async fn reindex_and_a_second_server_say_so_when_a_server_holds_the_index(app) {
        let output = jembatan(app.database_url(), app.search_dir(), &["search", "reindex"], Duration::from_secs(60)).await;
        assert!(!output.status.success(), "{}", text(&output));
        let said = text(&output);
        assert!(said.contains("held by a running server"), "{said}");
        assert!(said.contains("`search_dir` (JEMBATAN_SEARCH_DIR)"), "{said}");
        assert!(said.contains("stop the server"), "{said}");

        let output = jembatan(app.database_url(), app.search_dir(), &["serve"], Duration::from_secs(60)).await;
        assert!(!output.status.success(), "a second server on the same folder stops: {}", text(&output));
        let said = text(&output);
        assert!(said.contains("`search_dir` (JEMBATAN_SEARCH_DIR)") && said.contains("in use by another process"), "{said}");

        // The running server still searches.
        let (status, _) = app.get_json("/api/v1/search?q=jalan").await;
        assert_eq!(status, 200);
    }
}

#[test]
fn reindex_has_help() {
    let output = Command::new(env!("CARGO_BIN_EXE_jembatan")).args(["search", "reindex", "--help"]).output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("Usage:") && help.contains("search_dir"), "{help}");
}
