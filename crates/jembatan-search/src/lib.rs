//! Jembatan's full-text search over published content.
//!
//! - [`analyzer`]: the Indonesian analyser (tokens, stop words, the
//!   Snowball Indonesian stemmer), so `pembangunan jalan` finds
//!   `membangun jalan`.
//! - [`index`]: the schema and [`SearchDoc`], one published item.
//! - [`query`]: [`SearchQuery`] → [`SearchResults`], with filters and
//!   highlighted snippets; typed text never makes a search fail.
//! - [`ranking`](crate::ranking): the collector of the best hits, ties newest
//!   first, that lets tantivy skip what cannot make the page.
//! - [`service`]: [`SearchIndex`] (on disk or in memory) with its single
//!   writer, the change-log follower ([`follow`]) and [`reindex`].
//!
//! The index is derived state: it can be deleted and is rebuilt from the
//! database through the application's [`DocumentSource`].

pub mod analyzer;
pub mod index;
pub mod query;
mod ranking;
pub mod service;

pub use index::SearchDoc;
pub use query::{Hit, SearchQuery, SearchResults};
pub use service::{DocumentSource, SearchError, SearchIndex, follow, reindex};
