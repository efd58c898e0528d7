//! Online backups. SQLite: `VACUUM INTO`, a consistent copy taken while the
//! server keeps running. PostgreSQL: `pg_dump`, run when installed, else
//! printed for the operator to run.

use std::fmt;
use std::path::Path;

use sqlx::postgres::PgConnectOptions;

use crate::db::{Db, MaintenanceConnection};
use crate::error::{StoreError, StoreResult};

/// What a backup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupOutcome {
    /// A copy was written to this file.
    Written { file: String, bytes: u64 },
    /// pg_dump is not installed here; this command would take the backup.
    Command(String),
}

impl fmt::Display for BackupOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackupOutcome::Written { file, bytes } => write!(f, "backup written to {file} ({bytes} bytes)"),
            BackupOutcome::Command(cmd) => {
                write!(f, "pg_dump is not installed here; run this to take the backup:\n{cmd}")
            }
        }
    }
}

/// Writes a consistent copy of the database to `file`, which must not exist.
pub async fn backup(db: &Db, file: &Path) -> StoreResult<BackupOutcome> {
    if file.exists() {
        return Err(StoreError::Internal(format!("{} already exists; choose a new file", file.display())));
    }
    let shown = file.display().to_string();
    match db.maintenance_connection().await? {
        MaintenanceConnection::Sqlite(mut conn) => {
            let target = file.to_str().ok_or_else(|| StoreError::Internal("the backup path is not UTF-8".into()))?;
            sqlx::query("VACUUM INTO $1").bind(target).execute(&mut conn).await?;
            let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
            Ok(BackupOutcome::Written { file: shown, bytes })
        }
        MaintenanceConnection::Postgres(_) => {
            let Db::Postgres(pg) = db else { unreachable!("a PostgreSQL connection comes from a PostgreSQL database") };
            let args = pg_dump_args(&pg.options, file);
            match std::process::Command::new("pg_dump").args(&args).status() {
                Ok(status) if status.success() => {
                    let bytes = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
                    Ok(BackupOutcome::Written { file: shown, bytes })
                }
                Ok(status) => Err(StoreError::Internal(format!("pg_dump failed ({status})"))),
                Err(_) => Ok(BackupOutcome::Command(format!("pg_dump {}", args.join(" ")))),
            }
        }
    }
}

/// pg_dump arguments. No password: pg_dump reads PGPASSWORD or ~/.pgpass,
/// so none appears on a command line or in this program's output.
fn pg_dump_args(options: &PgConnectOptions, file: &Path) -> Vec<String> {
    vec![
        "--format=custom".into(),
        format!("--file={}", file.display()),
        format!("--host={}", options.get_host()),
        format!("--port={}", options.get_port()),
        format!("--username={}", options.get_username()),
        format!("--dbname={}", options.get_database().unwrap_or("postgres")),
    ]
}
