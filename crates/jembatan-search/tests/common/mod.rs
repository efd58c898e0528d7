//! Helpers shared by the search tests: documents and a fake source.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::future::BoxFuture;
use jembatan_search::{DocumentSource, SearchDoc, SearchIndex};
use jembatan_store::StoreResult;

/// Milliseconds of 2026-03-01T00:00:00Z; tests count days from it.
pub const MARCH_1: i64 = 1_772_323_200_000;
pub const DAY: i64 = 86_400_000;

/// A published item with sensible defaults; tests override what they check.
pub fn doc(id: &str, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id: id.to_owned(),
        kind: "berita".into(),
        title: title.to_owned(),
        summary: String::new(),
        body: body.to_owned(),
        topics: vec!["infrastruktur".into()],
        regions: vec!["35.23".into()],
        org_id: "org-a".into(),
        language: "id".into(),
        published_at: MARCH_1,
        url_path: format!("/berita/{id}"),
    }
}

/// An in-memory index holding `docs`, committed.
pub async fn index_with(docs: Vec<SearchDoc>) -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    for d in docs {
        index.upsert(d).await.expect("upsert");
    }
    index.commit().await.expect("commit");
    index
}

/// What the application's content store would answer: the published items.
#[derive(Default)]
pub struct FakeSource {
    published: Mutex<BTreeMap<String, SearchDoc>>,
    /// Calls to `load` and to `page`, to tell catching up from rebuilding.
    pub loads: AtomicUsize,
    pub pages: AtomicUsize,
    /// The ids `load` was asked for, in order.
    pub loaded: Mutex<Vec<String>>,
}

impl FakeSource {
    pub fn publish(&self, doc: SearchDoc) {
        self.published.lock().unwrap().insert(doc.id.clone(), doc);
    }

    pub fn unpublish(&self, id: &str) {
        self.published.lock().unwrap().remove(id);
    }

    pub fn loads(&self) -> usize {
        self.loads.load(Ordering::SeqCst)
    }

    /// The ids loaded since the `skip` first loads.
    pub fn loaded_since(&self, skip: usize) -> Vec<String> {
        let mut ids = self.loaded.lock().unwrap()[skip..].to_vec();
        ids.sort();
        ids
    }

    pub fn pages(&self) -> usize {
        self.pages.load(Ordering::SeqCst)
    }
}

impl DocumentSource for FakeSource {
    fn load<'a>(&'a self, id: &'a str) -> BoxFuture<'a, StoreResult<Option<SearchDoc>>> {
        self.loads.fetch_add(1, Ordering::SeqCst);
        self.loaded.lock().unwrap().push(id.to_owned());
        let doc = self.published.lock().unwrap().get(id).cloned();
        Box::pin(async move { Ok(doc) })
    }

    fn page<'a>(&'a self, after: Option<&'a str>, limit: usize) -> BoxFuture<'a, StoreResult<Vec<SearchDoc>>> {
        self.pages.fetch_add(1, Ordering::SeqCst);
        let published = self.published.lock().unwrap();
        let page =
            published.values().filter(|d| after.is_none_or(|a| d.id.as_str() > a)).take(limit).cloned().collect();
        Box::pin(async move { Ok(page) })
    }
}
