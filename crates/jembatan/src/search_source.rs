//! The search index's view of the content store: what
//! [`jembatan_search::follow`] and [`jembatan_search::reindex`] read.
//!
//! Only published items become documents; any other status (draft,
//! submitted, scheduled, archived or unpublished) or a missing item is
//! `None`, so the follower drops it from the index. Bodies are the store's
//! plain text (Markdown rendered and stripped), never Markdown or HTML.

use std::future::Future;
use std::pin::Pin;

use jembatan_domain::content::ContentId;
use jembatan_search::{DocumentSource, SearchDoc};
use jembatan_store::content::{self, SearchDoc as StoredDoc};
use jembatan_store::{Db, StoreResult};
use jembatan_web::html::content::content_path;

/// What [`DocumentSource`]'s methods return (`futures::future::BoxFuture`).
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Published content, read from the database.
#[derive(Clone)]
pub struct ContentSource {
    db: Db,
}

impl ContentSource {
    pub fn new(db: Db) -> ContentSource {
        ContentSource { db }
    }
}

impl DocumentSource for ContentSource {
    fn load<'a>(&'a self, id: &'a str) -> BoxFuture<'a, StoreResult<Option<SearchDoc>>> {
        Box::pin(async move {
            // The change log names items by id; anything else names nothing.
            let Ok(id) = id.parse::<ContentId>() else { return Ok(None) };
            Ok(content::search_doc(&self.db, id).await?.and_then(document))
        })
    }

    fn page<'a>(&'a self, after: Option<&'a str>, limit: usize) -> BoxFuture<'a, StoreResult<Vec<SearchDoc>>> {
        Box::pin(async move {
            let after = match after {
                Some(raw) => match raw.parse::<ContentId>() {
                    Ok(id) => Some(id),
                    // Ids handed back are the ones this source gave out.
                    Err(_) => return Ok(Vec::new()),
                },
                None => None,
            };
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let docs = content::published_docs(&self.db, after, limit).await?;
            Ok(docs.into_iter().filter_map(document).collect())
        })
    }
}

/// The index document of a stored item; `None` unless it is public.
pub fn document(stored: StoredDoc) -> Option<SearchDoc> {
    if !stored.is_public() {
        return None;
    }
    let published_at = stored.published_at.unwrap_or(stored.updated_at).millis();
    Some(SearchDoc {
        url_path: content_path(stored.id, &stored.slug),
        id: stored.id.to_string(),
        kind: stored.kind.as_str().to_owned(),
        title: stored.title,
        summary: stored.summary.unwrap_or_default(),
        body: stored.body_text,
        topics: stored.topics,
        regions: stored.regions.iter().map(|r| r.as_str().to_owned()).collect(),
        org_id: stored.org_id.to_string(),
        language: stored.language.as_str().to_owned(),
        published_at,
    })
}
