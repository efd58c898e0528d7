//! The index on disk, its one writer, and the follower that keeps it equal
//! to the database's published content.
//!
//! One thread owns tantivy's `IndexWriter` and takes commands from a
//! queue ([`SearchIndex::upsert`], [`SearchIndex::remove`],
//! [`SearchIndex::commit`]); every other task only sends. After each
//! commit the writer reloads the reader before answering, so what a commit
//! covers is searchable when `commit` returns.
//!
//! The follower ([`follow`]) reads the change log for the content entity,
//! asks the application's [`DocumentSource`] for each changed item (a
//! published item gives a document, anything else deletes it), and commits
//! the index together with its [`ChangeCursor`]: the cursor is the commit's
//! payload in the index's `meta.json`, so what the index holds and the
//! position it resumes from are saved in one atomic step. A restart catches
//! up from there; an index without a cursor (new, of a new schema version,
//! or left unused longer than the change log is kept) is rebuilt from the
//! source ([`reindex`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use jembatan_domain::Timestamp;
use jembatan_store::changes::{self, ChangeCursor, Entity};
use jembatan_store::{Db, StoreError, StoreResult};
use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError, Term};
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use crate::analyzer::{self, ANALYZER, PAIRS_ANALYZER};
use crate::index::{Fields, SCHEMA_VERSION, SearchDoc, schema};
use crate::query::{SearchQuery, SearchResults, execute};

/// How often the follower polls when nothing woke it.
pub const POLL: Duration = Duration::from_millis(250);
/// Documents per page read from the source while rebuilding.
pub const REINDEX_PAGE: usize = 500;
/// A cursor saved longer ago than this is not trusted: the change log keeps
/// a week (`jembatan::schedule` prunes older rows), so changes after it
/// may be gone; the index is rebuilt instead.
pub const CURSOR_MAX_AGE_MS: i64 = 6 * 86_400_000;
/// How long the follower may leave its cursor unsaved when only other
/// entities changed (re-reading them after a restart is harmless).
const CURSOR_SAVE_INTERVAL: Duration = Duration::from_secs(10);
/// Commands queued for the writer before senders wait. Small: a rebuild
/// reads items from the database faster than tantivy indexes them, and
/// each queued command may hold a page of [`REINDEX_PAGE`] documents, so
/// the queue's length is memory the server holds while it rebuilds.
const QUEUE: usize = 4;
/// Indexing memory per writer thread; a full budget is flushed as a
/// segment (some 3,600 items with the seed's texts).
const WRITER_BUDGET_PER_THREAD: usize = 20_000_000;
/// Segments holding more live documents than this are merged no further
/// (tantivy's default: ten million). A merge reads its eight or so input
/// segments through memory maps, and every page it reads counts in the
/// server's resident memory: a `serve` rebuilding a million items peaked
/// at 1.1 GiB with no limit and a 32 MB budget, at 230 MiB with these
/// two (BENCHMARKS.md). So segments stop near 30,000 items (about 40 at a
/// million, searched in parallel); deletions bring one back under this
/// and into merges again.
const MERGE_UP_TO_DOCS: usize = 25_000;

/// What can go wrong with the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] TantivyError),
    /// Another process (or an earlier, still open handle) writes this index.
    #[error("the search index at {0} is in use by another process")]
    Locked(PathBuf),
    /// The index on disk has another schema than this release under the
    /// same [`SCHEMA_VERSION`] (a release changed the schema without
    /// bumping it); delete the folder to rebuild.
    #[error("the search index at {0} has another schema than this release expects")]
    SchemaChanged(PathBuf),
    #[error("search index directory {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The writer thread has stopped ([`SearchIndex::close`] or a panic).
    #[error("the search index writer has stopped")]
    WriterStopped,
}

/// Where the application's published content comes from. The application
/// implements it over the content store.
pub trait DocumentSource: Send + Sync {
    /// The document for item `id` if it is published now; `None` when it is
    /// a draft, unpublished, archived, deleted or unknown (the index then
    /// drops it).
    fn load<'a>(&'a self, id: &'a str) -> BoxFuture<'a, StoreResult<Option<SearchDoc>>>;

    /// Published items with ids greater than `after` (all when `None`), in
    /// ascending id order, at most `limit` of them. A page shorter than
    /// `limit` is the last.
    fn page<'a>(&'a self, after: Option<&'a str>, limit: usize) -> BoxFuture<'a, StoreResult<Vec<SearchDoc>>>;
}

/// Saved with every commit, in the index's `meta.json`.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    schema_version: u32,
    cursor: Option<ChangeCursor>,
    /// When it was saved, Unix ms.
    saved_at: i64,
}

enum Command {
    /// Replace (or add) these documents.
    Upsert(Vec<SearchDoc>),
    /// Add documents known to be absent (after [`Command::Clear`]).
    Add(Vec<SearchDoc>),
    Remove(Vec<String>),
    /// Delete every document.
    Clear,
    /// Drop everything queued since the last commit.
    Rollback,
    /// Commit what was queued before, saving `cursor` (or keeping the last
    /// saved one), then reload the reader.
    Commit {
        cursor: Option<ChangeCursor>,
        reply: oneshot::Sender<Result<(), SearchError>>,
    },
    /// Finish: drop the writer (releasing the directory's lock), then answer.
    Close(oneshot::Sender<()>),
}

struct FollowerState {
    /// Position in the change log the index reflects; `None` until built.
    cursor: Option<ChangeCursor>,
    /// Changes applied before they were final (PostgreSQL), so a poll does
    /// not load them again while an old transaction holds them back.
    early: HashSet<ChangeCursor>,
    last_save: Instant,
}

struct Inner {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    commands: mpsc::Sender<Command>,
    follower: Mutex<FollowerState>,
}

/// The search index: cheap to clone, shared by the follower and request
/// handlers.
#[derive(Clone)]
pub struct SearchIndex {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("docs", &self.num_docs()).finish()
    }
}

impl SearchIndex {
    /// Opens the index kept in `dir`, creating the folder and the index when
    /// missing. The index lives in a sub-folder named after
    /// [`SCHEMA_VERSION`] (`v1`, ...): a release that changes what is
    /// indexed starts an empty index beside the old one (the follower then
    /// rebuilds it) and removes older versions nobody writes any more. Fails
    /// with [`SearchError::Locked`] while another process writes the index.
    pub fn open(dir: impl AsRef<Path>) -> Result<SearchIndex, SearchError> {
        let root = dir.as_ref();
        let dir = root.join(format!("v{SCHEMA_VERSION}"));
        std::fs::create_dir_all(&dir).map_err(|source| SearchError::Io { path: dir.clone(), source })?;
        let directory = MmapDirectory::open(&dir).map_err(TantivyError::from)?;
        let index = if Index::exists(&directory).map_err(TantivyError::from)? {
            Index::open(directory)?
        } else {
            Index::create(directory, schema(), Default::default())?
        };
        if index.schema() != schema() {
            return Err(SearchError::SchemaChanged(dir));
        }
        let opened = Self::start(index, Some(&dir))?;
        remove_older_versions(root);
        Ok(opened)
    }

    /// An index held in memory (tests, tools).
    pub fn in_memory() -> Result<SearchIndex, SearchError> {
        Self::start(Index::create_in_ram(schema()), None)
    }

    fn start(mut index: Index, dir: Option<&Path>) -> Result<SearchIndex, SearchError> {
        index.tokenizers().register(ANALYZER, analyzer::indonesian());
        index.tokenizers().register(PAIRS_ANALYZER, analyzer::indonesian_pairs());
        let fields = Fields::of(&index.schema());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        // A query reads the index's segments in parallel: a query matching
        // much of a large index (a phrase of two common words) answers in
        // a fraction of the time on an otherwise idle machine.
        if threads > 1 {
            index.set_multithread_executor(threads)?;
        }
        let writer: IndexWriter = match index.writer_with_num_threads(threads, threads * WRITER_BUDGET_PER_THREAD) {
            Ok(writer) => writer,
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                return Err(SearchError::Locked(dir.map(Path::to_owned).unwrap_or_default()));
            }
            Err(e) => return Err(e.into()),
        };
        let mut merges = tantivy::merge_policy::LogMergePolicy::default();
        merges.set_max_docs_before_merge(MERGE_UP_TO_DOCS);
        writer.set_merge_policy(Box::new(merges));
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let cursor = read_payload(&index)?.filter(|p| p.schema_version == SCHEMA_VERSION).and_then(|payload| {
            let fresh = Timestamp::now().millis() - payload.saved_at <= CURSOR_MAX_AGE_MS;
            if !fresh && payload.cursor.is_some() {
                tracing::info!("search index cursor is older than the change log; rebuilding");
            }
            payload.cursor.filter(|_| fresh)
        });
        let (commands, queue) = mpsc::channel(QUEUE);
        let worker = Writer { writer, reader: reader.clone(), fields, cursor };
        std::thread::Builder::new()
            .name("search-writer".into())
            .spawn(move || worker.run(queue))
            .map_err(|source| SearchError::Io { path: dir.map(Path::to_owned).unwrap_or_default(), source })?;
        Ok(SearchIndex {
            inner: Arc::new(Inner {
                index,
                fields,
                reader,
                commands,
                follower: Mutex::new(FollowerState { cursor, early: HashSet::new(), last_save: Instant::now() }),
            }),
        })
    }

    /// Searches the last committed state, on the calling thread (a few
    /// milliseconds; use [`SearchIndex::search`] from async code).
    pub fn search_blocking(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let searcher = self.inner.reader.searcher();
        Ok(execute(&self.inner.index, &self.inner.fields, &searcher, query)?)
    }

    /// Searches the last committed state, off the async runtime's threads.
    pub async fn search(&self, query: SearchQuery) -> Result<SearchResults, SearchError> {
        let index = self.clone();
        tokio::task::spawn_blocking(move || index.search_blocking(&query))
            .await
            .map_err(|e| SearchError::Index(TantivyError::InternalError(format!("search task failed: {e}"))))?
    }

    /// How many documents the last commit holds.
    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    /// Queues `doc` to replace any document with its id (visible after
    /// the next commit).
    pub async fn upsert(&self, doc: SearchDoc) -> Result<(), SearchError> {
        self.send(Command::Upsert(vec![doc])).await
    }

    /// Queues the removal of the document with id `id`.
    pub async fn remove(&self, id: &str) -> Result<(), SearchError> {
        self.send(Command::Remove(vec![id.to_owned()])).await
    }

    /// Commits everything queued before it; returns once it is searchable.
    pub async fn commit(&self) -> Result<(), SearchError> {
        self.commit_with(None).await
    }

    /// Stops the writer and waits until it released the index (so the
    /// folder can be opened again). Other clones can still search.
    pub async fn close(&self) {
        let (reply, done) = oneshot::channel();
        if self.inner.commands.send(Command::Close(reply)).await.is_ok() {
            let _ = done.await;
        }
    }

    /// The change-log position the index reflects (`None`: not built yet).
    pub async fn cursor(&self) -> Option<ChangeCursor> {
        self.inner.follower.lock().await.cursor
    }

    async fn send(&self, command: Command) -> Result<(), SearchError> {
        self.inner.commands.send(command).await.map_err(|_| SearchError::WriterStopped)
    }

    async fn commit_with(&self, cursor: Option<ChangeCursor>) -> Result<(), SearchError> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Commit { cursor, reply }).await?;
        answer.await.map_err(|_| SearchError::WriterStopped)?
    }

    /// Brings the index up to date with the change log: loads every item
    /// changed since the cursor and commits. Builds the whole index first
    /// when it has no cursor. Returns how many items it loaded. Serialised
    /// with other catch-ups and with [`reindex`].
    pub async fn catch_up(&self, db: &Db, source: &dyn DocumentSource) -> Result<usize, SearchError> {
        let mut state = self.inner.follower.lock().await;
        let Some(mut cursor) = state.cursor else {
            return self.rebuild(&mut state, db, source).await;
        };
        let start = cursor;
        let mut loaded = 0;
        loop {
            let (batch, next) = changes::since(db, cursor).await?;
            let ids = item_ids(batch.iter().map(|c| (c.entity, c.entity_id.as_str())));
            loaded += self.apply(&ids, source).await?;
            let full = batch.len() >= changes::PAGE as usize;
            if !ids.is_empty() || (next != start && (full || state.last_save.elapsed() >= CURSOR_SAVE_INTERVAL)) {
                self.commit_with(Some(next)).await?;
                state.last_save = Instant::now();
            }
            cursor = next;
            state.cursor = Some(cursor);
            if !full {
                break;
            }
        }
        // Committed but not final yet (PostgreSQL, while an older
        // transaction runs): apply them now, so publishing is findable at
        // once; they come again from `since`, and loading is idempotent.
        state.early.retain(|position| *position > cursor);
        let beyond = changes::committed_beyond(db, cursor).await?;
        let fresh: Vec<_> = beyond.iter().filter(|(position, _)| !state.early.contains(position)).collect();
        let ids = item_ids(fresh.iter().map(|(_, c)| (c.entity, c.entity_id.as_str())));
        if !ids.is_empty() {
            loaded += self.apply(&ids, source).await?;
            self.commit_with(None).await?;
        }
        state.early.extend(fresh.iter().map(|(position, _)| *position));
        Ok(loaded)
    }

    /// Loads each item and queues its upsert or removal.
    async fn apply(&self, ids: &[String], source: &dyn DocumentSource) -> Result<usize, SearchError> {
        let mut upserts = Vec::new();
        let mut removals = Vec::new();
        for id in ids {
            match source.load(id).await? {
                Some(doc) => upserts.push(doc),
                None => removals.push(id.clone()),
            }
        }
        if !removals.is_empty() {
            self.send(Command::Remove(removals)).await?;
        }
        if !upserts.is_empty() {
            self.send(Command::Upsert(upserts)).await?;
        }
        Ok(ids.len())
    }

    async fn rebuild(
        &self,
        state: &mut FollowerState,
        db: &Db,
        source: &dyn DocumentSource,
    ) -> Result<usize, SearchError> {
        let started = Instant::now();
        // The head first: whatever commits after it is read again by the
        // follower, so nothing between the two reads is missed.
        let head = changes::head(db).await?;
        match self.rebuild_from(head, source).await {
            Ok(count) => {
                state.cursor = Some(head);
                state.early.clear();
                state.last_save = Instant::now();
                let millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                tracing::info!(documents = count, millis, "search index rebuilt from the database");
                Ok(count)
            }
            Err(e) => {
                // Never let a later commit publish half a rebuild.
                let _ = self.send(Command::Rollback).await;
                Err(e)
            }
        }
    }

    async fn rebuild_from(&self, head: ChangeCursor, source: &dyn DocumentSource) -> Result<usize, SearchError> {
        self.send(Command::Clear).await?;
        let mut count = 0;
        let mut after: Option<String> = None;
        loop {
            let page = source.page(after.as_deref(), REINDEX_PAGE).await?;
            let last = page.len() < REINDEX_PAGE;
            count += page.len();
            after = page.last().map(|doc| doc.id.clone()).or(after);
            if !page.is_empty() {
                self.send(Command::Add(page)).await?;
            }
            if last {
                break;
            }
        }
        self.commit_with(Some(head)).await?;
        Ok(count)
    }
}

/// The ids of content items ([`Entity::Content`]) among `changes`, once
/// each, in order.
fn item_ids<'a>(changes: impl Iterator<Item = (Entity, &'a str)>) -> Vec<String> {
    let mut seen = HashSet::new();
    changes
        .filter(|(entity, _)| *entity == Entity::Content)
        .filter(|(_, id)| seen.insert(*id))
        .map(|(_, id)| id.to_owned())
        .collect()
}

/// Rebuilds the whole index from `source` in one commit (searches see the
/// old index until it lands) and sets the cursor to the change log's head
/// taken before reading the source. Returns how many documents it holds.
pub async fn reindex(index: &SearchIndex, db: &Db, source: &dyn DocumentSource) -> Result<usize, SearchError> {
    let mut state = index.inner.follower.lock().await;
    index.rebuild(&mut state, db, source).await
}

/// Keeps `index` following the database until `cancel` fires: woken by this
/// process's commits, by PostgreSQL notifications from other processes, and
/// every [`POLL`]. An index without a cursor is built first (the first
/// catch-up). Failures are logged and retried with a growing delay. A
/// catch-up in progress when `cancel` fires is abandoned and what it queued
/// rolled back.
pub async fn follow(index: SearchIndex, db: Db, source: Arc<dyn DocumentSource>, cancel: CancellationToken) {
    let mut listener = match changes::listener(&db).await {
        Ok(listener) => listener,
        Err(e) => {
            tracing::warn!(error = %e, "search index cannot listen for changes; polling only");
            None
        }
    };
    let mut failures: u32 = 0;
    loop {
        let local = db.local_commits();
        // The first catch-up may build the whole index: shutting down must
        // not wait for it.
        let caught_up = tokio::select! {
            _ = cancel.cancelled() => {
                // Drop what the interrupted catch-up queued, so no later
                // commit publishes half of it.
                let _ = index.send(Command::Rollback).await;
                return;
            }
            caught_up = index.catch_up(&db, &*source) => caught_up,
        };
        match caught_up {
            Ok(_) => failures = 0,
            Err(e) => {
                failures = failures.saturating_add(1);
                tracing::warn!(error = %e, failures, "search index cannot follow the database");
            }
        }
        if failures > 0 {
            let delay = POLL * 2u32.pow(failures.min(6));
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(delay) => {}
            }
            continue;
        }
        if db.local_commits() != local {
            // A write landed while catching up; its wake-up may be gone.
            continue;
        }
        let notified = async {
            match listener.as_mut() {
                Some(l) => {
                    if l.next().await.is_err() {
                        tokio::time::sleep(POLL).await;
                    }
                }
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = db.next_local_commit() => {}
            _ = notified => {}
            _ = tokio::time::sleep(POLL) => {}
        }
    }
}

fn read_payload(index: &Index) -> Result<Option<Payload>, SearchError> {
    let metas = index.load_metas()?;
    Ok(metas.payload.as_deref().and_then(|text| serde_json::from_str(text).ok()))
}

/// Removes the index folders of earlier schema versions under `root`,
/// each only when no process holds its writer lock.
fn remove_older_versions(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(version) = name.to_str().and_then(|n| n.strip_prefix('v')).and_then(|v| v.parse::<u32>().ok()) else {
            continue;
        };
        if version >= SCHEMA_VERSION || !entry.path().is_dir() {
            continue;
        }
        let Ok(directory) = MmapDirectory::open(entry.path()) else { continue };
        let Ok(lock) = directory.acquire_lock(&INDEX_WRITER_LOCK) else { continue };
        drop(lock);
        drop(directory);
        match std::fs::remove_dir_all(entry.path()) {
            Ok(()) => tracing::info!(path = %entry.path().display(), "removed a search index of an earlier version"),
            Err(e) => tracing::warn!(path = %entry.path().display(), error = %e, "cannot remove an old search index"),
        }
    }
}

/// The writer thread's state.
struct Writer {
    writer: IndexWriter,
    reader: IndexReader,
    fields: Fields,
    /// The cursor saved by the last commit.
    cursor: Option<ChangeCursor>,
}

impl Writer {
    fn run(mut self, mut queue: mpsc::Receiver<Command>) {
        // An error from adding or deleting (the writer failed) is reported
        // by the next commit, which then rolls back.
        let mut failed: Option<TantivyError> = None;
        while let Some(command) = queue.blocking_recv() {
            match command {
                Command::Upsert(docs) => {
                    for doc in &docs {
                        self.writer.delete_term(Term::from_field_text(self.fields.id, &doc.id));
                        if let Err(e) = self.writer.add_document(self.fields.document(doc)) {
                            failed.get_or_insert(e);
                        }
                    }
                }
                Command::Add(docs) => {
                    for doc in &docs {
                        if let Err(e) = self.writer.add_document(self.fields.document(doc)) {
                            failed.get_or_insert(e);
                        }
                    }
                }
                Command::Remove(ids) => {
                    for id in &ids {
                        self.writer.delete_term(Term::from_field_text(self.fields.id, id));
                    }
                }
                Command::Clear => {
                    if let Err(e) = self.writer.delete_all_documents() {
                        failed.get_or_insert(e);
                    }
                }
                Command::Rollback => {
                    failed = None;
                    if let Err(e) = self.writer.rollback() {
                        tracing::error!(error = %e, "search index cannot roll back");
                    }
                }
                Command::Commit { cursor, reply } => {
                    let outcome = match failed.take() {
                        Some(e) => Err(e),
                        None => self.commit(cursor),
                    };
                    let outcome = outcome.map_err(|e| {
                        if let Err(rollback) = self.writer.rollback() {
                            tracing::error!(error = %rollback, "search index cannot roll back");
                        }
                        SearchError::from(e)
                    });
                    let _ = reply.send(outcome);
                }
                Command::Close(reply) => {
                    if let Err(e) = self.writer.wait_merging_threads() {
                        tracing::warn!(error = %e, "search index merges did not finish");
                    }
                    let _ = reply.send(());
                    return;
                }
            }
        }
    }

    fn commit(&mut self, cursor: Option<ChangeCursor>) -> tantivy::Result<()> {
        let cursor = cursor.or(self.cursor);
        let payload = Payload { schema_version: SCHEMA_VERSION, cursor, saved_at: Timestamp::now().millis() };
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&payload).expect("payload serialises"));
        prepared.commit()?;
        self.cursor = cursor;
        self.reader.reload()
    }
}
