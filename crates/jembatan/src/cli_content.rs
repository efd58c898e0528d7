//! The command line of content commands: `jembatan content import` and
//! `jembatan seed`, wired into [`crate::cli::Command`].

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Import items from a WordPress export (WXR) or JSON Lines (one item a line, in the API's item
    /// shape), streaming and idempotently: an item imported before is left as it is. Each bad item
    /// is reported with its position and skipped; the rest is imported.
    Import(ImportArgs),
}

/// The formats `content import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// WordPress eXtended RSS: Tools → Export in WordPress.
    Wxr,
    /// JSON Lines: one item a line, as `/api/v1/content` gives them.
    Jsonl,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import; `-` reads JSON Lines from standard input.
    pub file: PathBuf,
    /// The publishing organisation: its id or its exact name.
    #[arg(long)]
    pub org: String,
    /// The file's format; by default from its extension (.xml: wxr; .jsonl, .ndjson, .json: jsonl).
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// The account (e-mail) credited with items whose author is not matched to an account.
    #[arg(long)]
    pub author: Option<String>,
    /// Publish items the source published, dated as there; without it every item is a draft.
    #[arg(long)]
    pub publish: bool,
    /// A target region of imported items (repeatable); default: the organisation's own region.
    /// JSON Lines items that name their regions keep them.
    #[arg(long = "region", value_name = "CODE")]
    pub regions: Vec<String>,
    /// The topic of items none of whose categories maps to a topic (a slug, e.g. pemerintahan).
    #[arg(long, value_name = "SLUG")]
    pub default_topic: Option<String>,
    /// WXR: the folder holding the site's uploads (or the site root), where featured images are
    /// looked up by their URL's path. Nothing is fetched from the network.
    #[arg(long, value_name = "DIR")]
    pub media_dir: Option<PathBuf>,
    /// The name the items' source ids belong to; default: the site's address (WXR) or the file
    /// name (JSON Lines). Importing again with the same source finds the items imported before.
    #[arg(long)]
    pub source: Option<String>,
    /// WXR: the type posts become.
    #[arg(long, default_value = "berita")]
    pub kind: String,
}

/// `jembatan seed`: generated items for benchmarks.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).multiple(true).args(["items", "reports"]))]
pub struct SeedArgs {
    /// How many published content items to generate.
    #[arg(long)]
    pub items: Option<u64>,
    /// How many aspiration reports (with their histories) to generate.
    #[arg(long)]
    pub reports: Option<u64>,
    /// The seed: the same seed generates the same items and reports (run again, it adds none).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Only this publishing organisation (its id or exact name); default: the demo KIMs, agencies
    /// and Diskominfo offices. The demo data is loaded first into an empty database.
    #[arg(long)]
    pub org: Option<String>,
    /// Items or reports written per transaction (with a few multi-row statements per table).
    #[arg(long, default_value_t = 2000)]
    pub batch: usize,
}
