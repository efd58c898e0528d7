//! Versioned migrations, one folder per engine with the same versions.

use sqlx::migrate::Migrator;

use crate::db::{Db, MaintenanceConnection};
use crate::error::StoreResult;

static SQLITE: Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("../../migrations/postgres");

/// Applies pending migrations; safe to run from several processes at once
/// (PostgreSQL takes an advisory lock, SQLite a write lock).
pub async fn run(db: &Db) -> StoreResult<()> {
    match db.maintenance_connection().await? {
        MaintenanceConnection::Sqlite(mut conn) => SQLITE.run(&mut conn).await?,
        MaintenanceConnection::Postgres(mut conn) => POSTGRES.run(&mut conn).await?,
    }
    Ok(())
}

/// Each migration's version and checksum, to tell schema versions apart.
pub fn checksums(backend: crate::Backend) -> Vec<(i64, String)> {
    let migrator = match backend {
        crate::Backend::Sqlite => &SQLITE,
        crate::Backend::Postgres => &POSTGRES,
    };
    migrator.iter().map(|m| (m.version, m.checksum.iter().map(|b| format!("{b:02x}")).collect())).collect()
}

/// The migrations this build knows, as `(version, description)`.
pub fn known(db: &Db) -> Vec<(i64, String)> {
    let migrator = match db {
        Db::Sqlite(_) => &SQLITE,
        Db::Postgres(_) => &POSTGRES,
    };
    migrator.iter().map(|m| (m.version, m.description.to_string())).collect()
}
