//! Contract tests of the storage core, run on SQLite and PostgreSQL alike:
//! migrations, the write path, the change log, the job queue, regions.

use std::collections::BTreeSet;

use jembatan_domain::RegionCode;
use jembatan_store::changes::{self, Entity};
use jembatan_store::jobs::{self, NewJob};
use jembatan_store::regions::{self, RegionSource};
use jembatan_store::testing::{Contents, TestDatabase};
use jembatan_store::{Db, StoreError, contract_tests, exec};

/// Reads the change log until `want` changes arrived. On PostgreSQL a change
/// becomes readable once every older transaction in the cluster has ended,
/// and other tests run transactions on the same server.
async fn follow(
    db: &Db,
    mut cursor: changes::ChangeCursor,
    want: usize,
) -> (Vec<changes::Change>, changes::ChangeCursor) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut seen = Vec::new();
    while seen.len() < want && std::time::Instant::now() < deadline {
        let (more, next) = changes::since(db, cursor).await.unwrap();
        seen.extend(more);
        cursor = next;
        if seen.len() < want {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    (seen, cursor)
}

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

#[test]
fn both_migration_folders_hold_the_same_versions() {
    let names = |engine: &str| -> BTreeSet<String> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
        std::fs::read_dir(format!("{dir}/{engine}"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect()
    };
    assert!(!names("sqlite").is_empty());
    assert_eq!(names("sqlite"), names("postgres"));
}

/// What makes an acknowledged write durable on SQLite, and the writer's
/// checkpoint interval (see `db.rs`), as the writer's connection reports them.
#[tokio::test]
async fn the_sqlite_writer_commits_durably_to_the_wal() {
    let test = TestDatabase::create(jembatan_store::Backend::Sqlite).await.unwrap();
    let db = test.connect().await.unwrap();
    let settings: (String, i64, i64) = db
        .write(|tx| {
            Box::pin(async move {
                let conn = match tx {
                    jembatan_store::Tx::Sqlite(conn) => conn,
                    jembatan_store::Tx::Postgres(_) => unreachable!("a SQLite database"),
                };
                let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut **conn).await?;
                let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut **conn).await?;
                let checkpoint: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint").fetch_one(&mut **conn).await?;
                Ok((mode, synchronous, checkpoint))
            })
        })
        .await
        .unwrap();
    // synchronous=2 is FULL: the WAL is synced at every commit.
    assert_eq!(settings, ("wal".to_owned(), 2, 4_000));
}

contract_tests! {
    async fn a_failed_write_changes_nothing(db) {
        let before = changes::count(&db).await.unwrap();
        let outcome: Result<(), StoreError> = db
            .write(|tx| Box::pin(async move {
                changes::record(tx, Entity::User, "kept-out").await?;
                Err(StoreError::Conflict("test"))
            }))
            .await;
        assert!(matches!(outcome, Err(StoreError::Conflict("test"))));
        let start = changes::head(&db).await.unwrap();
        let (seen, _) = changes::since(&db, start).await.unwrap();
        assert!(seen.is_empty());
        assert_eq!(changes::count(&db).await.unwrap(), before);
    }

    async fn concurrent_writes_all_commit_and_a_failing_one_rolls_back_alone(db) {
        let before = changes::count(&db).await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..200 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                db.write(move |tx| Box::pin(async move {
                    changes::record(tx, Entity::User, &format!("u{i}")).await?;
                    if i % 50 == 7 {
                        return Err(StoreError::Conflict("planned"));
                    }
                    Ok(i)
                }))
                .await
            }));
        }
        let mut ok = 0;
        for t in tasks {
            if t.await.unwrap().is_ok() {
                ok += 1;
            }
        }
        assert_eq!(ok, 196);
        assert_eq!(changes::count(&db).await.unwrap(), before + 196);
    }

    async fn followers_see_every_change_once_in_commit_order(db) {
        let start = changes::head(&db).await.unwrap();
        for i in 0..5 {
            db.write(move |tx| Box::pin(async move { changes::record(tx, Entity::Organisation, &format!("o{i}")).await }))
                .await
                .unwrap();
        }
        let (seen, cursor) = follow(&db, start, 5).await;
        let ids: Vec<String> = seen.iter().map(|c| c.entity_id.clone()).collect();
        assert_eq!(ids, ["o0", "o1", "o2", "o3", "o4"]);
        assert!(seen.iter().all(|c| c.entity == Entity::Organisation));
        let (again, _) = changes::since(&db, cursor).await.unwrap();
        assert!(again.is_empty(), "nothing is delivered twice");
    }

    async fn jobs_are_claimed_once_retried_with_backoff_and_deduplicated(db) {
        assert!(jobs::enqueue_now(&db, NewJob::new("mail", &"a").once("k1")).await.unwrap());
        assert!(!jobs::enqueue_now(&db, NewJob::new("mail", &"a").once("k1")).await.unwrap(), "same key enqueues once");
        jobs::enqueue_now(&db, NewJob::new("mail", &"b")).await.unwrap();
        let later = jembatan_domain::Timestamp::now().plus_seconds(3600);
        jobs::enqueue_now(&db, NewJob::new("mail", &"c").at(later)).await.unwrap();

        let claimed = jobs::claim(&db, 10, 60).await.unwrap();
        assert_eq!(claimed.len(), 2, "the future job is not due");
        assert!(jobs::claim(&db, 10, 60).await.unwrap().is_empty(), "leased jobs are not claimed twice");

        let (first, second) = (&claimed[0], &claimed[1]);
        assert_eq!(first.payload::<String>().unwrap(), "a");
        jobs::complete(&db, &first.id).await.unwrap();
        jobs::fail(&db, second, "smtp refused").await.unwrap();
        let stats = jobs::stats(&db).await.unwrap();
        assert_eq!((stats.pending, stats.done, stats.failed), (2, 1, 0));
        assert!(jobs::claim(&db, 10, 60).await.unwrap().is_empty(), "a failed job waits for its backoff");
        let rows = jobs::list_by_kind(&db, "mail").await.unwrap();
        assert!(rows.iter().any(|r| r.last_error.as_deref() == Some("smtp refused")));
    }

    async fn a_job_gives_up_after_its_last_attempt(db) {
        let mut job = NewJob::new("mail", &"x");
        job.max_attempts = 1;
        jobs::enqueue_now(&db, job).await.unwrap();
        let claimed = jobs::claim(&db, 1, 60).await.unwrap();
        jobs::fail(&db, &claimed[0], "boom").await.unwrap();
        assert_eq!(jobs::stats(&db).await.unwrap().failed, 1);
    }

    async fn regions_load_whole_and_reimport_changes_nothing(_db) {
        let empty = TestDatabase::create_with(_db.backend(), Contents::Empty).await.unwrap();
        let db = empty.connect().await.unwrap();
        let report = regions::ensure_loaded(&db).await.unwrap().expect("first load imports");
        assert_eq!(report.inserted, 38 + 514 + 7285 + 83_762);
        let counts = regions::count_by_level(&db).await.unwrap();
        assert_eq!(counts["village"], 83_762);
        assert!(regions::ensure_loaded(&db).await.unwrap().is_none(), "same version loads once");

        let again = regions::import(&db, RegionSource::Embedded, regions::DATA_VERSION).await.unwrap();
        assert_eq!((again.inserted, again.updated), (0, 0));
        assert_eq!(again.unchanged, report.inserted);
        let version = regions::data_version(&db).await.unwrap().unwrap();
        assert_eq!((version.source.as_str(), version.version.as_str()), ("idn-area-data", "4.0.1"));
    }

    async fn region_hierarchy_and_search(db) {
        regions::ensure_loaded(&db).await.unwrap();
        let jatim = regions::children(&db, &code("35")).await.unwrap();
        assert_eq!(jatim.len(), 38);
        let tuban = regions::get(&db, &code("35.23")).await.unwrap().unwrap();
        assert_eq!(tuban.name, "Kabupaten Tuban");
        assert_eq!(tuban.parent_code.as_deref(), Some("35"));
        let chain: Vec<String> = regions::lineage(&db, &code("35.23.01.2001")).await.unwrap().into_iter().map(|r| r.code).collect();
        assert_eq!(chain, ["35", "35.23", "35.23.01", "35.23.01.2001"]);
        assert!(regions::get(&db, &code("35.99")).await.unwrap().is_none());
        let (tuban_code, village, unknown) = (code("35.23"), code("35.23.01.2001"), code("35.99"));
        let names = regions::names(&db, &[&tuban_code, &village, &tuban_code, &unknown]).await.unwrap();
        assert_eq!(names.len(), 2, "each known code once, unknown ones left out: {names:?}");
        assert_eq!(names["35.23"], "Kabupaten Tuban");
        assert_eq!(names["35.23.01.2001"], regions::get(&db, &village).await.unwrap().unwrap().name);

        let found = regions::search(&db, "TUB", None, 20).await.unwrap();
        assert_eq!(found[0].code, "35.23", "a regency whose name starts a word ranks first");
        let in_tuban = regions::search(&db, "a", Some(&code("35.23")), 500).await.unwrap();
        assert!(!in_tuban.is_empty());
        assert!(in_tuban.iter().all(|r| r.code.starts_with("35.23")));
        assert!(regions::search(&db, "%", None, 5).await.unwrap().is_empty(), "wildcards are matched literally");
    }

    async fn a_bad_data_folder_is_refused_and_changes_nothing(db) {
        regions::ensure_loaded(&db).await.unwrap();
        let folder = tempfile::tempdir().unwrap();
        for file in ["provinces.csv", "regencies.csv", "districts.csv"] {
            std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/regions/").to_owned() + file, folder.path().join(file)).unwrap();
        }
        std::fs::write(folder.path().join("villages.csv"), "code,district_code,name\n35.23.01.2001,35.23.01,Renamed\n35.23.01.x,35.23.01,Bad\n").unwrap();
        let err = regions::import(&db, RegionSource::Folder(folder.path()), "test").await.unwrap_err();
        assert!(err.to_string().contains("villages.csv line 3"), "{err}");
        let village = regions::get(&db, &code("35.23.01.2001")).await.unwrap().unwrap();
        assert_ne!(village.name, "Renamed");
    }

    async fn the_change_log_is_written_by_region_imports(db) {
        let start = changes::head(&db).await.unwrap();
        let folder = tempfile::tempdir().unwrap();
        for file in ["provinces.csv", "regencies.csv", "districts.csv", "villages.csv"] {
            std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/regions/").to_owned() + file, folder.path().join(file)).unwrap();
        }
        let villages = folder.path().join("villages.csv");
        let text = std::fs::read_to_string(&villages).unwrap().replace("35.23.01.2001,35.23.01,", "35.23.01.2001,35.23.01,Desa Baru ");
        std::fs::write(&villages, text).unwrap();
        let report = regions::import(&db, RegionSource::Folder(folder.path()), "local").await.unwrap();
        assert_eq!(report.updated, 1);
        assert!(regions::get(&db, &code("35.23.01.2001")).await.unwrap().unwrap().name.starts_with("Desa Baru "));
        assert!(regions::ensure_loaded(&db).await.unwrap().is_none(), "the next start keeps an operator's import");
        assert!(regions::get(&db, &code("35.23.01.2001")).await.unwrap().unwrap().name.starts_with("Desa Baru "));
        let version = regions::data_version(&db).await.unwrap().unwrap();
        assert_eq!((version.source.as_str(), version.version.as_str()), ("folder", "local"));
        let (seen, _) = follow(&db, start, 1).await;
        assert!(seen.iter().any(|c| c.entity == Entity::Region));
    }

    async fn raw_statements_run_through_exec(db) {
        let affected = db
            .write(|tx| Box::pin(async move {
                Ok(exec!(tx, sqlx::query("INSERT INTO changes (entity, entity_id, at) VALUES ('user', 'x', 1)"))?)
            }))
            .await
            .unwrap();
        assert_eq!(affected, 1);
    }
}
