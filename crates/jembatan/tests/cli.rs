//! The binary's commands, run as a person would run them.

use std::process::{Command, Output};

use jembatan_store::Backend;
use jembatan_store::testing::{Contents, TestDatabase};

fn jembatan(db_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jembatan"))
        .args(args)
        .env("JEMBATAN_DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run jembatan")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["migrate", "--help"],
        vec!["regions", "import", "--help"],
        vec!["user", "create", "--help"],
        vec!["backup", "--help"],
    ] {
        let output = jembatan("sqlite://unused.db", &args);
        assert!(output.status.success(), "{args:?}: {}", text(&output));
        assert!(text(&output).contains("Usage:"), "{args:?}");
    }
}

#[test]
fn a_bad_setting_stops_start_up_naming_the_key() {
    let output = Command::new(env!("CARGO_BIN_EXE_jembatan"))
        .arg("migrate")
        .env("JEMBATAN_BIND", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output);
    assert!(message.contains("`bind` (JEMBATAN_BIND)"), "{message}");
    assert!(message.contains("expected an address and port"), "{message}");
}

#[test]
fn a_database_url_without_scheme_is_refused() {
    let output = jembatan("jembatan.db", &["migrate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("database_url"));
}

#[tokio::test]
async fn migrate_creates_the_sqlite_file_and_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/nested/folder/jembatan.db", dir.path().display());
    let output = jembatan(&url, &["migrate"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("database is up to date"));
    assert!(dir.path().join("nested/folder/jembatan.db").exists());
}

async fn user_create_and_backup(backend: Backend) {
    let Some(database) = TestDatabase::create_with(backend, Contents::Regions).await else { return };
    let url = database.url.clone();
    let output = tokio::task::spawn_blocking(move || {
        jembatan(
            &url,
            &[
                "user",
                "create",
                "--name",
                "Admin Jatim",
                "--email",
                "admin@jatimprov.go.id",
                "--role",
                "province_admin",
                "--scope",
                "35",
            ],
        )
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", text(&output));
    let shown = text(&output);
    assert!(shown.contains("password (shown once): "), "{shown}");
    let url = database.url.clone();
    let refused = tokio::task::spawn_blocking(move || {
        jembatan(
            &url,
            &["user", "create", "--name", "X", "--email", "x@contoh.id", "--role", "regency_officer", "--scope", "35"],
        )
    })
    .await
    .unwrap();
    assert!(!refused.status.success());
    assert!(text(&refused).contains("cannot be granted"), "{}", text(&refused));
    let url = database.url.clone();
    let unknown = tokio::task::spawn_blocking(move || {
        jembatan(&url, &["user", "create", "--name", "X", "--email", "y@contoh.id", "--role", "raja"])
    })
    .await
    .unwrap();
    assert!(text(&unknown).contains("unknown role"));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let url = database.url.clone();
    let target = file.display().to_string();
    let output = tokio::task::spawn_blocking(move || jembatan(&url, &["backup", &target])).await.unwrap();
    assert!(output.status.success(), "{}", text(&output));
    match backend {
        Backend::Sqlite => {
            assert!(text(&output).contains("backup written to"));
            let copy = format!("sqlite://{}", file.display());
            let db =
                jembatan_store::Db::connect(&jembatan_store::DatabaseUrl::parse(&copy).unwrap(), &Default::default())
                    .await
                    .unwrap();
            let admin = jembatan_store::accounts::find_for_login(
                &db,
                &jembatan_domain::contact::LoginIdentifier::parse("id", "admin@jatimprov.go.id").unwrap(),
            )
            .await
            .unwrap();
            assert!(admin.is_some(), "the copy holds the account");
        }
        Backend::Postgres => {
            let shown = text(&output);
            if Command::new("pg_dump").arg("--version").output().is_ok() {
                assert!(shown.contains("backup written to"), "{shown}");
                assert!(std::fs::metadata(&file).unwrap().len() > 0);
            } else {
                assert!(shown.contains("pg_dump --format=custom"), "{shown}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_create_and_backup_on_sqlite() {
    user_create_and_backup(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_create_and_backup_on_postgres() {
    user_create_and_backup(Backend::Postgres).await;
}
