//! What can go wrong in storage, in terms callers act on.

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique value is taken (e.g. an e-mail already registered); names the constraint's subject.
    #[error("conflict on {0}")]
    Conflict(&'static str),
    /// Someone else changed the row since it was read.
    #[error("the record was changed concurrently")]
    Stale,
    /// The reporter's phone or e-mail filed as many reports within the
    /// hour as allowed.
    #[error("too many reports from this contact within the hour")]
    ContactLimit,
    /// A check of the input against stored data failed (e.g. unknown region).
    #[error("invalid: {0}")]
    Invalid(jembatan_domain::FieldError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The SQLite writer task has stopped (the process is shutting down).
    #[error("the database writer has stopped")]
    WriterClosed,
    #[error("{0}")]
    Internal(String),
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Conflict`], leaving other errors as they are.
    pub fn on_unique(self, subject: &'static str) -> StoreError {
        match &self {
            StoreError::Database(sqlx::Error::Database(e)) if e.is_unique_violation() => StoreError::Conflict(subject),
            _ => self,
        }
    }
}

/// Shorthand for storage results.
pub type StoreResult<T> = Result<T, StoreError>;
