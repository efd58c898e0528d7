//! The index follows the database: publishing is findable and unpublishing
//! gone within a second, on SQLite and PostgreSQL; a restart resumes from
//! the saved cursor; a rebuild misses nothing written while it reads.
//!
//! Items are written to the change log the way the content store does
//! (`changes::record` in the write's transaction); a fake
//! [`DocumentSource`] stands in for the content store's published view.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{FakeSource, doc};
use futures::future::BoxFuture;
use jembatan_search::{DocumentSource, SearchDoc, SearchError, SearchIndex, SearchQuery, follow, reindex};
use jembatan_store::changes::{self, Entity};
use jembatan_store::testing::TestDatabase;
use jembatan_store::{Backend, Db, StoreResult};
use tokio_util::sync::CancellationToken;

/// Defines each test for SQLite and PostgreSQL; the body gets the database.
macro_rules! both_engines {
    ($( async fn $name:ident($database:ident) $body:block )*) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let $database = TestDatabase::create(Backend::Sqlite).await.unwrap();
                    $body
                }
            )*
        }
        mod postgres {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some($database) = TestDatabase::create(Backend::Postgres).await else { return };
                    $body
                }
            )*
        }
    };
}

const WITHIN: Duration = Duration::from_secs(1);

fn content() -> Entity {
    Entity::Content
}

async fn record(db: &Db, entity: Entity, id: &str) {
    let id = id.to_owned();
    db.write(move |tx| Box::pin(async move { changes::record(tx, entity, &id).await })).await.expect("record change");
}

async fn found(index: &SearchIndex, text: &str) -> Vec<String> {
    let results = index.search(SearchQuery::text(text)).await.expect("search");
    results.hits.into_iter().map(|h| h.id).collect()
}

/// Polls the index until `done` holds; returns how long that took, or
/// panics once `WITHIN` has passed.
async fn within_a_second(index: &SearchIndex, text: &str, done: impl Fn(&[String]) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        if done(&found(index, text).await) {
            return start.elapsed();
        }
        assert!(start.elapsed() < WITHIN, "not within a second: {text:?} → {:?}", found(index, text).await);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn wait_built(index: &SearchIndex) {
    let start = Instant::now();
    while index.cursor().await.is_none() {
        assert!(start.elapsed() < Duration::from_secs(10), "the follower never built the index");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn item(id: &str, title: &str) -> SearchDoc {
    doc(id, title, "Isi kabar dari desa.")
}

both_engines! {
    async fn published_is_findable_and_unpublished_gone_within_a_second(database) {
        let db = database.connect().await.unwrap();
        let index = SearchIndex::in_memory().unwrap();
        let source = Arc::new(FakeSource::default());
        let cancel = CancellationToken::new();
        let follower = tokio::spawn(follow(index.clone(), db.clone(), source.clone(), cancel.clone()));
        wait_built(&index).await;

        // This process publishes.
        source.publish(item("a", "Warga membangun jalan desa"));
        record(&db, content(), "a").await;
        let took = within_a_second(&index, "pembangunan jalan", |ids| ids == ["a"]).await;
        eprintln!("published, findable after {took:?}");

        source.unpublish("a");
        record(&db, content(), "a").await;
        let took = within_a_second(&index, "pembangunan jalan", |ids| ids.is_empty()).await;
        eprintln!("unpublished, gone after {took:?}");

        cancel.cancel();
        follower.await.unwrap();
    }

    async fn another_process_publishing_is_findable_within_a_second(database) {
        // The follower's handle never sees the write as its own: it learns of
        // it through NOTIFY (PostgreSQL) or its poll.
        let follower_db = database.connect().await.unwrap();
        let other_process = database.connect().await.unwrap();
        let index = SearchIndex::in_memory().unwrap();
        let source = Arc::new(FakeSource::default());
        let cancel = CancellationToken::new();
        let follower = tokio::spawn(follow(index.clone(), follower_db, source.clone(), cancel.clone()));
        wait_built(&index).await;

        source.publish(item("b", "Jembatan dibangun kembali"));
        record(&other_process, content(), "b").await;
        within_a_second(&index, "pembangunan jembatan", |ids| ids == ["b"]).await;
        source.unpublish("b");
        record(&other_process, content(), "b").await;
        within_a_second(&index, "jembatan", |ids| ids.is_empty()).await;

        cancel.cancel();
        follower.await.unwrap();
    }

    async fn a_restart_resumes_from_the_saved_cursor(database) {
        let db = database.connect().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let source = FakeSource::default();
        source.publish(item("a", "Jalan desa diperbaiki"));

        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(index.cursor().await, None, "a new index has no cursor");
        index.catch_up(&db, &source).await.unwrap();
        assert_eq!(source.pages(), 1, "the first catch-up builds from the source");
        assert_eq!(found(&index, "jalan").await, ["a"]);
        source.publish(item("b", "Posyandu dibuka"));
        record(&db, content(), "b").await;
        index.catch_up(&db, &source).await.unwrap();
        let saved = index.cursor().await;
        index.close().await;
        drop(index);

        // While the process is down: one item published, one unpublished.
        source.publish(item("c", "Pelatihan petani"));
        record(&db, content(), "c").await;
        source.unpublish("a");
        record(&db, content(), "a").await;

        let loads_before = source.loads();
        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(index.cursor().await, saved, "the cursor came back from disk");
        assert_eq!(found(&index, "jalan").await, ["a"], "the index came back from disk");
        assert_eq!(index.num_docs(), 2);
        index.catch_up(&db, &source).await.unwrap();
        assert_eq!(source.pages(), 1, "resumed, not rebuilt");
        let loaded = source.loaded_since(loads_before);
        match database.backend {
            Backend::Sqlite => assert_eq!(loaded, ["a", "c"], "loaded only what changed while down"),
            // `b` was applied before it was final (another test's older
            // transaction held the horizon back), so it may come again.
            Backend::Postgres => assert!(
                loaded == ["a", "c"] || loaded == ["a", "b", "c"],
                "loaded only what changed while down (or was not final): {loaded:?}"
            ),
        }
        assert!(found(&index, "jalan").await.is_empty());
        assert_eq!(found(&index, "latihan tani").await, ["c"]);
        assert_eq!(found(&index, "posyandu").await, ["b"]);
        index.close().await;
    }

    async fn reindex_rebuilds_from_the_source_and_misses_nothing_written_meanwhile(database) {
        let db = database.connect().await.unwrap();
        let index = SearchIndex::in_memory().unwrap();
        // Something the database no longer publishes.
        index.upsert(item("ghost", "Kabar lama")).await.unwrap();
        index.commit().await.unwrap();

        let inner = FakeSource::default();
        for i in 0..1_203 {
            inner.publish(item(&format!("item-{i:05}"), "Kabar jalan"));
        }
        let source = RacingSource { inner, db: db.clone(), fired: AtomicBool::new(false) };
        assert_eq!(reindex(&index, &db, &source).await.unwrap(), 1_203);
        assert_eq!(source.inner.pages(), 3, "read in pages");
        assert_eq!(index.num_docs(), 1_203);
        assert!(found(&index, "kabar lama").await.is_empty());
        // Published while the rebuild was reading: the next catch-up has it.
        assert!(found(&index, "terlambat").await.is_empty());
        index.catch_up(&db, &source).await.unwrap();
        assert_eq!(found(&index, "terlambat").await, ["aaa-late"]);
        assert_eq!(index.num_docs(), 1_204);
    }

    async fn changes_to_other_entities_load_nothing(database) {
        let db = database.connect().await.unwrap();
        let index = SearchIndex::in_memory().unwrap();
        let source = FakeSource::default();
        index.catch_up(&db, &source).await.unwrap();
        source.publish(item("x", "Jalan"));
        record(&db, Entity::Organisation, "x").await;
        record(&db, Entity::User, "x").await;
        let before = index.cursor().await;
        // On PostgreSQL the cursor waits while any older transaction on the
        // server (other tests') still runs.
        let start = Instant::now();
        loop {
            assert_eq!(index.catch_up(&db, &source).await.unwrap(), 0);
            if index.cursor().await > before {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "the cursor never moved past them");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(source.loads(), 0);
        assert!(found(&index, "jalan").await.is_empty());
    }

    async fn one_item_changed_many_times_is_loaded_once_per_batch(database) {
        let db = database.connect().await.unwrap();
        let index = SearchIndex::in_memory().unwrap();
        let source = FakeSource::default();
        index.catch_up(&db, &source).await.unwrap();
        source.publish(item("a", "Jalan"));
        for _ in 0..5 {
            record(&db, content(), "a").await;
        }
        index.catch_up(&db, &source).await.unwrap();
        match database.backend {
            Backend::Sqlite => assert_eq!(source.loads(), 1),
            // Changes split between final ones and ones not final yet (an
            // older transaction elsewhere on the server) are two batches; the
            // second is loaded again, as it may have committed after the first
            // load.
            Backend::Postgres => assert!(source.loads() <= 2, "{} loads", source.loads()),
        }
        assert_eq!(found(&index, "jalan").await, ["a"]);
    }
}

/// A source that, while the rebuild reads its first page, publishes an item
/// the page does not hold (the reader's snapshot predates it).
struct RacingSource {
    inner: FakeSource,
    db: Db,
    fired: AtomicBool,
}

impl DocumentSource for RacingSource {
    fn load<'a>(&'a self, id: &'a str) -> BoxFuture<'a, StoreResult<Option<SearchDoc>>> {
        self.inner.load(id)
    }

    fn page<'a>(&'a self, after: Option<&'a str>, limit: usize) -> BoxFuture<'a, StoreResult<Vec<SearchDoc>>> {
        Box::pin(async move {
            let page = self.inner.page(after, limit).await?;
            if !self.fired.swap(true, Ordering::SeqCst) {
                // Sorts before every id, so no later page holds it either.
                self.inner.publish(item("aaa-late", "Kabar terlambat"));
                record(&self.db, content(), "aaa-late").await;
            }
            Ok(page)
        })
    }
}

#[tokio::test]
async fn a_folder_is_written_by_one_index_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let first = SearchIndex::open(dir.path()).unwrap();
    assert!(matches!(SearchIndex::open(dir.path()), Err(SearchError::Locked(_))));
    first.close().await;
    SearchIndex::open(dir.path()).expect("free again after close");
}

/// Builds an index in `dir` holding item `a`, then closes it.
async fn built_index(db: &Db, dir: &std::path::Path, source: &FakeSource) {
    source.publish(item("a", "Jalan"));
    let index = SearchIndex::open(dir).unwrap();
    index.catch_up(db, source).await.unwrap();
    assert_eq!(index.num_docs(), 1);
    index.close().await;
}

#[tokio::test]
async fn a_new_schema_version_starts_an_empty_index_and_removes_the_old() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let db = database.connect().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = FakeSource::default();
    built_index(&db, dir.path(), &source).await;
    // Pretend an earlier release wrote it.
    let current = dir.path().join(format!("v{}", jembatan_search::index::SCHEMA_VERSION));
    let older = dir.path().join("v0");
    std::fs::rename(&current, &older).unwrap();

    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.num_docs(), 0);
    assert_eq!(index.cursor().await, None);
    assert!(!older.exists(), "the earlier version's folder is removed");
    index.catch_up(&db, &source).await.unwrap();
    assert_eq!(found(&index, "jalan").await, ["a"]);
}

#[tokio::test]
async fn a_cursor_older_than_the_change_log_is_not_trusted() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let db = database.connect().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = FakeSource::default();
    built_index(&db, dir.path(), &source).await;
    // Pretend it was saved long ago: the commit payload holds the time.
    let meta = dir.path().join(format!("v{}", jembatan_search::index::SCHEMA_VERSION)).join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    let key = r#"\"saved_at\":"#;
    let at = text.find(key).expect("the payload holds saved_at") + key.len();
    let end = at + text[at..].find(|c: char| !c.is_ascii_digit()).unwrap();
    std::fs::write(&meta, format!("{}0{}", &text[..at], &text[end..])).unwrap();

    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.cursor().await, None, "rebuilt instead of resumed");
    assert_eq!(index.num_docs(), 1, "searchable meanwhile");
    index.catch_up(&db, &source).await.unwrap();
    assert_eq!(source.pages(), 2, "read the source again");
}

/// PostgreSQL: while an older transaction is still open, newer commits are
/// not final for the change log yet; the follower acts on them anyway.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_publishing_is_findable_while_an_older_transaction_runs() {
    use sqlx::Connection;
    let Some(database) = TestDatabase::create(Backend::Postgres).await else { return };
    let db = database.connect().await.unwrap();
    let index = SearchIndex::in_memory().unwrap();
    let source = Arc::new(FakeSource::default());
    let cancel = CancellationToken::new();
    let follower = tokio::spawn(follow(index.clone(), db.clone(), source.clone(), cancel.clone()));
    wait_built(&index).await;

    let mut old = sqlx::PgConnection::connect(&database.url).await.unwrap();
    let mut old_tx = old.begin().await.unwrap();
    sqlx::query("SELECT txid_current()").execute(&mut *old_tx).await.unwrap();
    let held = index.cursor().await;

    source.publish(item("a", "Pelatihan kader posyandu"));
    record(&db, content(), "a").await;
    within_a_second(&index, "latihan posyandu", |ids| ids == ["a"]).await;
    source.unpublish("a");
    record(&db, content(), "a").await;
    within_a_second(&index, "posyandu", |ids| ids.is_empty()).await;
    assert_eq!(index.cursor().await, held, "the cursor waits for the older transaction");

    old_tx.rollback().await.unwrap();
    let start = Instant::now();
    while index.cursor().await == held {
        assert!(start.elapsed() < Duration::from_secs(10), "the cursor never moved on");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(found(&index, "posyandu").await.is_empty());
    cancel.cancel();
    follower.await.unwrap();
}

/// A source that fails after its first page.
struct FailingSource(FakeSource);

impl DocumentSource for FailingSource {
    fn load<'a>(&'a self, id: &'a str) -> BoxFuture<'a, StoreResult<Option<SearchDoc>>> {
        self.0.load(id)
    }

    fn page<'a>(&'a self, after: Option<&'a str>, limit: usize) -> BoxFuture<'a, StoreResult<Vec<SearchDoc>>> {
        Box::pin(async move {
            if after.is_some() {
                return Err(jembatan_store::StoreError::Internal("the database went away".into()));
            }
            self.0.page(after, limit).await
        })
    }
}

#[tokio::test]
async fn a_failed_rebuild_leaves_the_index_as_it_was() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let db = database.connect().await.unwrap();
    let index = SearchIndex::in_memory().unwrap();
    index.upsert(item("old", "Kabar lama")).await.unwrap();
    index.commit().await.unwrap();
    let source = FailingSource(FakeSource::default());
    for i in 0..600 {
        source.0.publish(item(&format!("new-{i:04}"), "Kabar baru"));
    }
    assert!(matches!(reindex(&index, &db, &source).await, Err(SearchError::Store(_))));
    // Nothing of the half-read rebuild reaches a later commit.
    index.commit().await.unwrap();
    assert_eq!(found(&index, "kabar lama").await, ["old"]);
    assert_eq!(index.num_docs(), 1);
    assert_eq!(index.cursor().await, None);
}
