//! The command line: `jembatan serve | demo | migrate | regions import |
//! user create | backup | search reindex`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Jembatan: the platform of Indonesia's community information groups (KIM).
#[derive(Debug, Parser)]
#[command(name = "jembatan", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file (TOML); JEMBATAN_* environment variables override it.
    #[arg(long, global = true, env = "JEMBATAN_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the platform (production start).
    Serve,
    /// Serve with realistic demo data, loaded only into an empty database; prints the demo logins.
    Demo,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Region data (wilayah).
    #[command(subcommand)]
    Regions(RegionsCommand),
    /// Accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Content items: import from WordPress (WXR) or JSON Lines.
    #[command(subcommand)]
    Content(crate::cli_content::ContentCommand),
    /// Generate N published items (deterministic, Indonesian) for benchmarks.
    Seed(crate::cli_content::SeedArgs),
    /// Write a consistent copy of a running database to FILE (SQLite); print or run pg_dump (PostgreSQL).
    Backup {
        /// Where to write the copy; must not exist yet.
        file: PathBuf,
    },
    /// The full-text search index in `search_dir`.
    #[command(subcommand)]
    Search(SearchCommand),
}

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Rebuild the search index in `search_dir` from the database and print how many items it holds.
    ///
    /// A running server keeps its index up to date by itself and holds the folder while it runs:
    /// stop it first (or stop it, delete the folder and start it again: it rebuilds the index at start).
    Reindex,
}

#[derive(Debug, Subcommand)]
pub enum RegionsCommand {
    /// Import regions from DIR holding provinces.csv, regencies.csv, districts.csv and villages.csv (idempotent).
    Import {
        dir: PathBuf,
        /// The data version to record.
        #[arg(long, default_value = "local")]
        data_version: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account with a role (e.g. the first province admin), without a web form.
    Create(UserCreate),
}

#[derive(Debug, Args)]
pub struct UserCreate {
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// E-mail address (this or --phone, or both).
    #[arg(long)]
    pub email: Option<String>,
    /// Indonesian mobile number, e.g. 0812 3456 7890.
    #[arg(long)]
    pub phone: Option<String>,
    /// Role: province_admin, regency_officer, agency_officer, kim_manager, kim_contributor, fact_checker, citizen.
    #[arg(long)]
    pub role: String,
    /// Where the role applies: a region code (35, 35.23) or an organisation's id.
    #[arg(long)]
    pub scope: Option<String>,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}
