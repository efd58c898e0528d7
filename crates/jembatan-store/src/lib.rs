//! Jembatan's storage layer: one schema and one API over SQLite (embedded,
//! the default) and PostgreSQL (a province on several machines).
//!
//! [`Db`] is the handle; each capability has a module of functions taking it
//! (reads) or a [`Tx`] (writes inside [`Db::write`]). Handlers above this
//! crate never see sqlx types.

pub mod accounts;
pub mod aspirations;
pub mod audit;
pub mod backup;
mod batch;
pub mod changes;
pub mod content;
mod db;
mod error;
pub mod grants;
pub mod holidays;
pub mod in_person;
pub mod jobs;
pub mod kims;
pub mod media;
pub mod migrate;
pub mod notifications;
pub mod organisations;
pub mod outbox;
pub mod regions;
pub mod topics;
mod writer;

pub use db::{Backend, ConnectSettings, DatabaseUrl, Db, Tx, UrlError};
pub use error::{StoreError, StoreResult};
#[cfg(feature = "testing")]
pub mod testing;
