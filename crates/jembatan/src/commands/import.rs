//! `jembatan content import`: items from a WordPress export ([`super::wxr`])
//! or JSON Lines ([`super::jsonl`]) become content of one organisation.
//!
//! - Streaming: a parser reads the file on a blocking thread and hands items
//!   one by one through a bounded channel; at most [`IN_FLIGHT`] items are
//!   being written at once, so memory does not grow with the file.
//! - Idempotent: each item is keyed by its source and its id there
//!   ([`ImportKey`]); an item imported before is counted as "already there"
//!   and left as it is ([`content::import`]).
//! - Forgiving: a bad item is reported with its position (line, or post id
//!   and line), the field and the reason, and skipped; the rest goes on.
//! - Writes go through [`Db::write`] one item each, up to [`IN_FLIGHT`] at
//!   once: on SQLite the single writer may fold them into shared
//!   transactions (each item in its own savepoint), on PostgreSQL each is
//!   its own transaction on its own connection; a failing item rolls back
//!   alone.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::io::{BufRead, IsTerminal, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jembatan_domain::contact::LoginIdentifier;
use jembatan_domain::content::{
    ContentForm, ContentType, Image, ImportKey, MAX_SUMMARY_CHARS, MAX_TOPICS, MediaId, Provenance, fold_latin,
};
use jembatan_domain::markdown::{self, excerpt};
use jembatan_domain::organisation::OrgRef;
use jembatan_domain::{FieldError, OrgId, RegionCode, Timestamp, UserId};
use jembatan_store::content::{self, ImportItem, ImportOutcome};
use jembatan_store::media::{self, NewMedia};
use jembatan_store::organisations::Organisation;
use jembatan_store::topics::Topic;
use jembatan_store::{Db, StoreError, accounts, organisations, regions, topics};
use jembatan_web::media::UploadLimits;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinHandle;

use crate::cli_content::{ContentCommand, ImportArgs, ImportFormat};
use crate::commands::{jsonl, wxr};
use crate::config::Config;
use crate::startup;

/// Most items being written at once.
pub const IN_FLIGHT: usize = 32;
/// Most parsed items waiting for a writer.
pub const QUEUED: usize = 64;
/// Most notices kept in a report (all are shown as they happen).
pub const KEPT_NOTICES: usize = 1000;
/// Most featured images decoded at once (each may take tens of megabytes).
const IMAGES_AT_ONCE: usize = 4;

/// Runs `jembatan content ...`.
pub async fn run(config: &Config, command: ContentCommand) -> anyhow::Result<()> {
    match command {
        ContentCommand::Import(args) => run_import(config, &args).await,
    }
}

async fn run_import(config: &Config, args: &ImportArgs) -> anyhow::Result<()> {
    let format = match args.format {
        Some(format) => format,
        None => format_of(&args.file)?,
    };
    let stdin = args.file.as_os_str() == "-";
    if stdin && format == ImportFormat::Wxr {
        bail!(
            "`-` (standard input) with --format wxr: a WordPress export is read from a file (featured images need a second pass); pass its path"
        );
    }
    let size = if stdin {
        None
    } else {
        Some(std::fs::metadata(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?.len())
    };
    let db = startup::open_database(config).await?;
    let outcome = async {
        let options = ImportOptions::resolve(&db, args, config.max_upload_bytes).await?;
        let mut observer = TerminalObserver::new(size);
        let report = match format {
            ImportFormat::Wxr => {
                let attachments = match &options.media_dir {
                    Some(_) => Some(wxr::Attachments::scan(open(&args.file)?)?),
                    None => None,
                };
                import_wxr(&db, &options, open(&args.file)?, attachments, &mut observer).await?
            }
            ImportFormat::Jsonl => {
                let name = if stdin {
                    "stdin".to_owned()
                } else {
                    args.file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
                };
                let reader: Box<dyn BufRead + Send> = if stdin {
                    Box::new(std::io::BufReader::new(std::io::stdin()))
                } else {
                    Box::new(open(&args.file)?)
                };
                import_jsonl(&db, &options, &name, reader, &mut observer).await?
            }
        };
        observer.finish();
        println!("{report}");
        match (&report.fatal, report.failed) {
            (Some(fatal), _) => bail!("the import stopped early: {fatal}"),
            (None, 0) => Ok(()),
            (None, failed) => bail!("{failed} item(s) failed; see the errors above"),
        }
    }
    .await;
    db.close().await;
    outcome
}

fn open(path: &Path) -> anyhow::Result<std::io::BufReader<std::fs::File>> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(std::io::BufReader::with_capacity(64 * 1024, file))
}

/// The format a file's extension names.
pub fn format_of(path: &Path) -> anyhow::Result<ImportFormat> {
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "xml" | "wxr" => Ok(ImportFormat::Wxr),
        "jsonl" | "ndjson" | "json" => Ok(ImportFormat::Jsonl),
        _ => bail!("cannot tell the format of {}; pass --format wxr or --format jsonl", path.display()),
    }
}

// ---------------------------------------------------------------------------
// Options

/// What every imported item shares, resolved and checked before the first item.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The publisher.
    pub org: OrgRef,
    /// The author of items whose own author has no account here.
    pub fallback_author: Option<UserId>,
    /// Publish what the source published (else drafts).
    pub publish: bool,
    /// Target regions of items that name none.
    pub regions: Vec<RegionCode>,
    /// The topic of items whose categories map to none.
    pub default_topic: Option<String>,
    /// Where featured images of a WordPress export are looked up.
    pub media_dir: Option<PathBuf>,
    /// The source items' ids belong to; `None`: from the file.
    pub source: Option<String>,
    /// The type WordPress posts become.
    pub wxr_kind: ContentType,
    /// Largest featured image, in bytes (the configuration's `max_upload_kib`,
    /// as for uploads in the editor); a larger one is left out with a warning.
    pub max_image_bytes: usize,
}

impl ImportOptions {
    /// Options for `org` with every default: drafts, the organisation's own
    /// region, featured images up to the default upload limit.
    pub fn for_org(org: OrgRef) -> Self {
        ImportOptions {
            regions: vec![org.region.clone()],
            org,
            fallback_author: None,
            publish: false,
            default_topic: None,
            media_dir: None,
            source: None,
            wxr_kind: ContentType::Berita,
            max_image_bytes: UploadLimits::default().max_bytes,
        }
    }

    /// Resolves the command line's options against the database; featured
    /// images may be at most `max_image_bytes` (the configured upload limit).
    pub async fn resolve(db: &Db, args: &ImportArgs, max_image_bytes: usize) -> anyhow::Result<Self> {
        let org = find_org(db, &args.org).await?.org_ref();
        if Provenance::allowed_for(org.kind).is_empty() {
            bail!("--org {:?}: an organisation of this kind publishes no content", args.org);
        }
        let mut options = ImportOptions::for_org(org);
        options.max_image_bytes = max_image_bytes;
        options.publish = args.publish;
        options.source = args.source.clone();
        options.media_dir = args.media_dir.clone();
        if let Some(dir) = &options.media_dir
            && !dir.is_dir()
        {
            bail!("--media-dir {}: not a folder", dir.display());
        }
        options.wxr_kind = ContentType::parse(&args.kind).with_context(|| {
            format!(
                "--kind {:?}: use berita, pengumuman, kebijakan (agenda and produk need fields posts lack)",
                args.kind
            )
        })?;
        if matches!(options.wxr_kind, ContentType::Agenda | ContentType::Produk) {
            bail!("--kind {}: posts lack the fields this type needs", args.kind);
        }
        if let Some(email) = &args.author {
            options.fallback_author = Some(
                find_user(db, email)
                    .await?
                    .with_context(|| format!("--author {email:?}: no account has this e-mail"))?,
            );
        }
        if !args.regions.is_empty() {
            let mut codes = Vec::new();
            for raw in &args.regions {
                let code =
                    RegionCode::parse(raw).map_err(|e| anyhow::anyhow!("--region {raw:?}: {}", e.code.as_str()))?;
                if regions::get(db, &code).await?.is_none() {
                    bail!("--region {raw}: no such region");
                }
                if !jembatan_domain::content::target_reach(&options.org).contains(&code) {
                    bail!("--region {raw}: outside the organisation's reach");
                }
                codes.push(code);
            }
            options.regions = codes;
        }
        if let Some(slug) = &args.default_topic {
            if topics::get(db, slug).await?.is_none() {
                let known: Vec<String> = topics::list(db).await?.into_iter().map(|t| t.slug).collect();
                bail!("--default-topic {slug:?}: no such topic; use one of: {}", known.join(", "));
            }
            options.default_topic = Some(slug.clone());
        }
        Ok(options)
    }
}

/// An organisation by id or exact name; several with the name is an error
/// listing them.
pub async fn find_org(db: &Db, raw: &str) -> anyhow::Result<Organisation> {
    if let Ok(id) = raw.trim().parse::<OrgId>() {
        return organisations::get(db, id)
            .await?
            .with_context(|| format!("--org {raw:?}: no organisation has this id"));
    }
    let mut found = organisations::find_by_name(db, raw).await?;
    match found.as_slice() {
        [] => bail!("--org {raw:?}: no organisation has this id or name"),
        [_] => Ok(found.remove(0)),
        many => {
            let list: Vec<String> = many.iter().map(|o| format!("{} ({})", o.id, o.region)).collect();
            bail!("--org {raw:?}: several organisations have this name; pass one's id: {}", list.join(", "))
        }
    }
}

async fn find_user(db: &Db, email: &str) -> anyhow::Result<Option<UserId>> {
    let Ok(identifier @ LoginIdentifier::Email(_)) = LoginIdentifier::parse("author", email) else {
        return Ok(None);
    };
    Ok(accounts::find_for_login(db, &identifier).await?.map(|a| a.user.id))
}

// ---------------------------------------------------------------------------
// Topics

/// Indonesian (and English) words for each standard topic, by slug; a
/// WordPress category or a tag matching one files the item under it.
pub const TOPIC_SYNONYMS: &[(&str, &[&str])] = &[
    (
        "kesehatan",
        &[
            "sehat",
            "health",
            "posyandu",
            "puskesmas",
            "stunting",
            "gizi",
            "imunisasi",
            "vaksinasi",
            "vaksin",
            "covid",
            "covid 19",
            "bpjs kesehatan",
            "dinkes",
            "dinas kesehatan",
            "kesehatan masyarakat",
            "bidan",
            "polindes",
            "demam berdarah",
            "dbd",
        ],
    ),
    (
        "pendidikan",
        &[
            "education",
            "sekolah",
            "beasiswa",
            "pelajar",
            "siswa",
            "guru",
            "paud",
            "literasi",
            "perpustakaan",
            "taman baca",
            "ppdb",
            "dispendik",
            "dinas pendidikan",
            "kampus",
            "mahasiswa",
        ],
    ),
    (
        "pertanian",
        &[
            "agriculture",
            "tani",
            "petani",
            "kelompok tani",
            "gapoktan",
            "perkebunan",
            "peternakan",
            "perikanan",
            "nelayan",
            "panen",
            "pangan",
            "ketahanan pangan",
            "pupuk",
            "sawah",
            "hortikultura",
            "agribisnis",
        ],
    ),
    (
        "infrastruktur",
        &[
            "infrastructure",
            "pembangunan",
            "pembangunan desa",
            "jalan",
            "jalan desa",
            "jembatan",
            "pekerjaan umum",
            "pupr",
            "irigasi",
            "drainase",
            "sanitasi",
            "air bersih",
            "listrik",
            "fisik",
        ],
    ),
    (
        "kebencanaan",
        &[
            "bencana",
            "disaster",
            "banjir",
            "longsor",
            "tanah longsor",
            "gempa",
            "bpbd",
            "kebakaran",
            "mitigasi",
            "tanggap darurat",
            "kekeringan",
            "puting beliung",
            "siaga bencana",
        ],
    ),
    (
        "ekonomi-umkm",
        &[
            "ekonomi",
            "umkm",
            "ukm",
            "usaha",
            "usaha kecil",
            "bisnis",
            "koperasi",
            "economy",
            "business",
            "pasar",
            "bumdes",
            "produk desa",
            "produk unggulan",
            "wirausaha",
            "kewirausahaan",
            "ekonomi kreatif",
            "perdagangan",
            "industri",
        ],
    ),
    (
        "sosial",
        &[
            "social",
            "bansos",
            "bantuan sosial",
            "kesejahteraan",
            "kesejahteraan sosial",
            "pkh",
            "blt",
            "disabilitas",
            "lansia",
            "dinsos",
            "dinas sosial",
            "kemiskinan",
            "perlindungan anak",
            "pemberdayaan",
        ],
    ),
    (
        "pemerintahan",
        &[
            "government",
            "pemerintah",
            "pemdes",
            "pemerintah desa",
            "pemerintahan desa",
            "musdes",
            "musyawarah desa",
            "apbdes",
            "dana desa",
            "kebijakan",
            "pelayanan publik",
            "birokrasi",
            "bpd",
            "perdes",
            "kecamatan",
            "pilkades",
            "pemilu",
            "politik",
        ],
    ),
    (
        "lingkungan",
        &[
            "environment",
            "lingkungan hidup",
            "kebersihan",
            "sampah",
            "bank sampah",
            "penghijauan",
            "reboisasi",
            "iklim",
            "perubahan iklim",
            "konservasi",
            "mangrove",
            "dlh",
        ],
    ),
    (
        "kependudukan",
        &[
            "population",
            "adminduk",
            "administrasi kependudukan",
            "dukcapil",
            "dispendukcapil",
            "ktp",
            "e ktp",
            "kartu keluarga",
            "akta kelahiran",
            "catatan sipil",
        ],
    ),
    (
        "keamanan",
        &[
            "security",
            "kamtibmas",
            "ketertiban",
            "keamanan dan ketertiban",
            "polisi",
            "polres",
            "polsek",
            "satpol pp",
            "linmas",
            "siskamling",
            "narkoba",
            "kriminal",
            "hukum",
        ],
    ),
    (
        "budaya-pariwisata",
        &[
            "budaya",
            "pariwisata",
            "wisata",
            "desa wisata",
            "seni",
            "kesenian",
            "tradisi",
            "adat",
            "culture",
            "tourism",
            "festival",
            "seni budaya",
        ],
    ),
];

/// Words left out when comparing names (`Ekonomi dan UMKM` = `ekonomi-umkm`).
const NAME_STOP_WORDS: &[&str] = &["dan", "and", "serta", "the", "of"];

/// Maps category names and slugs to topic slugs: a topic's own slug or
/// names, or one of its [`TOPIC_SYNONYMS`], whole; failing that, one of
/// its words (`Kesehatan Ibu dan Anak` → kesehatan).
#[derive(Debug, Clone, Default)]
pub struct TopicMap {
    keys: HashMap<String, String>,
}

/// Lower case, accents folded, anything but letters and digits a space,
/// stop words dropped: `Ekonomi & UMKM` → `ekonomi umkm`.
pub fn normalise_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars().flat_map(fold_latin).flat_map(char::to_lowercase) {
        out.push(if c.is_alphanumeric() { c } else { ' ' });
    }
    out.split_whitespace().filter(|w| !NAME_STOP_WORDS.contains(w)).collect::<Vec<_>>().join(" ")
}

impl TopicMap {
    /// The map for the topics that exist.
    pub fn new(topics: &[Topic]) -> Self {
        let mut keys = HashMap::new();
        for topic in topics {
            for name in [topic.slug.as_str(), &topic.name_id, &topic.name_en] {
                keys.entry(normalise_name(name)).or_insert_with(|| topic.slug.clone());
            }
        }
        for (slug, words) in TOPIC_SYNONYMS {
            if topics.iter().any(|t| t.slug == *slug) {
                for word in *words {
                    keys.entry(normalise_name(word)).or_insert_with(|| (*slug).to_owned());
                }
            }
        }
        TopicMap { keys }
    }

    /// The topic a category (its name or slug) maps to.
    pub fn map(&self, name: &str) -> Option<&str> {
        let key = normalise_name(name);
        if key.is_empty() {
            return None;
        }
        if let Some(slug) = self.keys.get(&key) {
            return Some(slug);
        }
        key.split(' ').find_map(|word| self.keys.get(word)).map(String::as_str)
    }

    /// The topics of a list of categories (each by name, else by slug), in
    /// order, at most [`MAX_TOPICS`]; and the categories that mapped to none.
    pub fn map_all<'a>(&self, categories: &'a [Category]) -> (Vec<String>, Vec<&'a str>) {
        let mut slugs: Vec<String> = Vec::new();
        let mut unmapped = Vec::new();
        for category in categories {
            let found = self.map(&category.name).or_else(|| category.slug.as_deref().and_then(|s| self.map(s)));
            match found {
                Some(slug) if !slugs.iter().any(|s| s == slug) => slugs.push(slug.to_owned()),
                Some(_) => {}
                None => unmapped.push(category.name.as_str()),
            }
        }
        slugs.truncate(MAX_TOPICS);
        (slugs, unmapped)
    }
}

// ---------------------------------------------------------------------------
// What parsers hand over

/// Where an item is in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// A JSON Lines line (1-based).
    Line(u64),
    /// A WordPress item: its post id (when it has one) and the line its `<item>` starts on.
    Post { id: Option<String>, line: u64 },
    /// The file as a whole.
    File,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Position::Line(n) => write!(f, "line {n}"),
            Position::Post { id: Some(id), line } => write!(f, "post {id} (line {line})"),
            Position::Post { id: None, line } => write!(f, "item at line {line}"),
            Position::File => write!(f, "file"),
        }
    }
}

/// How bad a notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The item was imported, with something left out or guessed.
    Warning,
    /// The item was not imported.
    Error,
}

/// A warning or an error about one item (or the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub position: Position,
    /// The field as the file names it, when one is at fault.
    pub field: Option<String>,
    pub reason: String,
}

impl Notice {
    pub fn error(position: &Position, field: Option<&str>, reason: impl Into<String>) -> Self {
        Notice {
            level: Level::Error,
            position: position.clone(),
            field: field.map(str::to_owned),
            reason: reason.into(),
        }
    }

    pub fn warning(position: &Position, field: Option<&str>, reason: impl Into<String>) -> Self {
        Notice {
            level: Level::Warning,
            position: position.clone(),
            field: field.map(str::to_owned),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Warning => "warning",
            Level::Error => "error",
        };
        match &self.field {
            Some(field) => write!(f, "{level}: {}: {field}: {}", self.position, self.reason),
            None => write!(f, "{level}: {}: {}", self.position, self.reason),
        }
    }
}

/// A category or tag of a source item (a topic slug in JSON Lines).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub name: String,
    pub slug: Option<String>,
}

/// Where an item's featured image is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoverRef {
    /// The attachment's address; its path is looked up in the media folder.
    Url { url: String, caption: Option<String> },
    /// The attachment the post names is not in the export.
    MissingAttachment(String),
    /// A featured image is named but no media folder was given.
    NoMediaDir,
}

/// An item as a parser read it, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct RawItem {
    /// Its id in the source.
    pub id: String,
    /// Its fields; `topics` and `regions` may be empty (defaults apply).
    pub form: ContentForm,
    /// Category names (WXR) or topic slugs (JSON Lines), mapped to topics.
    pub categories: Vec<Category>,
    /// Tags: tried when no category maps to a topic.
    pub tags: Vec<Category>,
    /// When the source published it.
    pub published_at: Option<Timestamp>,
    /// The source shows it publicly.
    pub published: bool,
    /// The e-mail of its author in the source.
    pub author_email: Option<String>,
    pub cover: Option<CoverRef>,
    /// Notes from parsing: (field, reason).
    pub warnings: Vec<(String, String)>,
    /// The source's date cannot be read: (field, reason). An error only
    /// when the item is to be published.
    pub date_error: Option<(String, String)>,
    /// How the file names each form field in reports, when not as the form does.
    pub field_names: &'static [(&'static str, &'static str)],
}

/// What a parser hands over for each thing it read.
#[derive(Debug)]
pub enum Parsed {
    /// The name of the source (a WordPress site's address), before its items.
    Source(String),
    Item(Position, Box<RawItem>),
    /// Not content to import (a page, an attachment, a trashed post).
    Skipped(Position),
    /// Unreadable: one notice per field at fault.
    Invalid(Vec<Notice>),
    /// The file cannot be read further.
    Fatal(Notice),
}

/// Counts what a parser consumed: bytes (progress) and new lines (positions).
pub struct CountingReader<R> {
    inner: R,
    bytes: Arc<AtomicU64>,
    lines: u64,
}

impl<R: BufRead> CountingReader<R> {
    pub fn new(inner: R, bytes: Arc<AtomicU64>) -> Self {
        CountingReader { inner, bytes, lines: 0 }
    }

    /// The 1-based line of the next byte.
    pub fn line(&self) -> u64 {
        self.lines + 1
    }
}

impl<R: BufRead> Read for CountingReader<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.lines += out[..n].iter().filter(|b| **b == b'\n').count() as u64;
        self.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for CountingReader<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if amount > 0
            && let Ok(buffer) = self.inner.fill_buf()
        {
            let seen = &buffer[..amount.min(buffer.len())];
            self.lines += seen.iter().filter(|b| **b == b'\n').count() as u64;
        }
        self.bytes.fetch_add(amount as u64, Ordering::Relaxed);
        self.inner.consume(amount);
    }
}

// ---------------------------------------------------------------------------
// Reporting

/// Told what happens, as it happens.
pub trait Observer: Send {
    /// A warning or an error (every one, also those a report does not keep).
    fn notice(&mut self, notice: &Notice);
    /// `done` items finished; `bytes` of the file read.
    fn progress(&mut self, done: u64, bytes: u64);
}

/// Keeps nothing, shows nothing.
#[derive(Debug, Default)]
pub struct Quiet;

impl Observer for Quiet {
    fn notice(&mut self, _: &Notice) {}
    fn progress(&mut self, _: u64, _: u64) {}
}

/// A progress bar on a terminal (hidden otherwise); notices on standard error.
pub struct TerminalObserver {
    bar: ProgressBar,
}

impl TerminalObserver {
    /// `size`: the file's length in bytes, when known.
    pub fn new(size: Option<u64>) -> Self {
        let bar = match size {
            Some(size) => {
                let bar = ProgressBar::new(size);
                if let Ok(style) = ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} ({eta}) {msg}",
                ) {
                    bar.set_style(style.progress_chars("=> "));
                }
                bar
            }
            None => {
                let bar = ProgressBar::new_spinner();
                if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed_precise} {bytes} {msg}") {
                    bar.set_style(style);
                }
                bar
            }
        };
        if !std::io::stdout().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.enable_steady_tick(Duration::from_millis(200));
        TerminalObserver { bar }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Observer for TerminalObserver {
    fn notice(&mut self, notice: &Notice) {
        self.bar.suspend(|| eprintln!("{notice}"));
    }

    fn progress(&mut self, done: u64, bytes: u64) {
        self.bar.set_position(bytes);
        self.bar.set_message(format!("{done} items"));
    }
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// New items.
    pub created: u64,
    /// Items imported before (same source and id), left as they were.
    pub existing: u64,
    /// Items not imported because of an error.
    pub failed: u64,
    /// Things in the file that are not content to import (pages, attachments).
    pub skipped: u64,
    pub warnings: u64,
    /// The first [`KEPT_NOTICES`] warnings and errors, in the order they were found.
    pub notices: Vec<Notice>,
    /// Why reading stopped before the end of the file.
    pub fatal: Option<String>,
    /// The ids of the items created, in file order (the first [`KEPT_NOTICES`]).
    pub created_ids: Vec<jembatan_domain::content::ContentId>,
    pub elapsed: Duration,
}

impl ImportReport {
    /// Items per second, of all read.
    pub fn rate(&self) -> f64 {
        let items = (self.created + self.existing + self.failed) as f64;
        items / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The errors kept.
    pub fn errors(&self) -> impl Iterator<Item = &Notice> {
        self.notices.iter().filter(|n| n.level == Level::Error)
    }

    fn note(&mut self, notice: Notice, observer: &mut dyn Observer) {
        observer.notice(&notice);
        if notice.level == Level::Warning {
            self.warnings += 1;
        }
        if self.notices.len() < KEPT_NOTICES {
            self.notices.push(notice);
        }
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "imported: {} created, {} already there, {} failed, {} skipped (not posts), {} warnings in {:.1} s ({:.0} items/s)",
            self.created,
            self.existing,
            self.failed,
            self.skipped,
            self.warnings,
            self.elapsed.as_secs_f64(),
            self.rate()
        )
    }
}

// ---------------------------------------------------------------------------
// Entry points

/// Imports a WordPress export read from `reader`. `attachments` (from a
/// first pass over the same file, [`wxr::Attachments::scan`]) resolves
/// featured images; without it they are left out with a warning.
pub async fn import_wxr<R: BufRead + Send + 'static>(
    db: &Db,
    options: &ImportOptions,
    reader: R,
    attachments: Option<wxr::Attachments>,
    observer: &mut dyn Observer,
) -> anyhow::Result<ImportReport> {
    let bytes = Arc::new(AtomicU64::new(0));
    let counting = CountingReader::new(reader, bytes.clone());
    let (tx, rx) = mpsc::channel(QUEUED);
    let kind = options.wxr_kind.as_str();
    let parser = tokio::task::spawn_blocking(move || {
        wxr::parse(counting, attachments.as_ref(), kind, &mut |parsed| tx.blocking_send(parsed).is_ok())
    });
    let report = consume(db, options, None, rx, bytes, observer).await?;
    parser.await.context("the WXR reader stopped")?;
    Ok(report)
}

/// Imports JSON Lines read from `reader`; `name` (the file's name) is the
/// source of ids unless the options name one.
pub async fn import_jsonl<R: BufRead + Send + 'static>(
    db: &Db,
    options: &ImportOptions,
    name: &str,
    reader: R,
    observer: &mut dyn Observer,
) -> anyhow::Result<ImportReport> {
    let bytes = Arc::new(AtomicU64::new(0));
    let counting = CountingReader::new(reader, bytes.clone());
    let (tx, rx) = mpsc::channel(QUEUED);
    let parser =
        tokio::task::spawn_blocking(move || jsonl::parse(counting, &mut |parsed| tx.blocking_send(parsed).is_ok()));
    let source = format!("jsonl:{name}");
    let report = consume(db, options, Some(source), rx, bytes, observer).await?;
    parser.await.context("the JSON Lines reader stopped")?;
    Ok(report)
}

/// What all items of one import share while it runs.
struct Shared {
    db: Db,
    org: OrgRef,
    images: Semaphore,
    image_limits: UploadLimits,
}

/// Caches filled as items name things (bounded by the distinct names).
#[derive(Default)]
struct Lookups {
    regions: HashMap<String, bool>,
    authors: HashMap<String, Option<UserId>>,
}

/// A checked item, ready to write.
struct Ready {
    position: Position,
    item: ImportItem,
    author: Option<UserId>,
    cover: Option<(PathBuf, Option<String>)>,
    /// Shown unless the item turns out to be there already.
    warnings: Vec<Notice>,
}

/// How one item ended.
struct Finished {
    outcome: Result<ImportOutcome, Vec<Notice>>,
    warnings: Vec<Notice>,
}

async fn consume(
    db: &Db,
    options: &ImportOptions,
    default_source: Option<String>,
    mut rx: mpsc::Receiver<Parsed>,
    bytes: Arc<AtomicU64>,
    observer: &mut dyn Observer,
) -> anyhow::Result<ImportReport> {
    let started = Instant::now();
    let topics = TopicMap::new(&topics::list(db).await?);
    let shared = Arc::new(Shared {
        db: db.clone(),
        org: options.org.clone(),
        images: Semaphore::new(IMAGES_AT_ONCE),
        image_limits: UploadLimits { max_bytes: options.max_image_bytes, ..UploadLimits::default() },
    });
    let mut source = options.source.clone().or(default_source);
    let mut lookups = Lookups::default();
    let mut report = ImportReport::default();
    // Writes under way, with the source id each writes.
    let mut in_flight: VecDeque<(ImportKey, JoinHandle<Finished>)> = VecDeque::new();
    let mut done = 0u64;
    while let Some(parsed) = rx.recv().await {
        match parsed {
            Parsed::Source(name) => {
                if source.is_none() {
                    source = Some(name);
                }
            }
            Parsed::Skipped(_) => report.skipped += 1,
            Parsed::Invalid(notices) => {
                report.failed += 1;
                done += 1;
                for notice in notices {
                    report.note(notice, observer);
                }
            }
            Parsed::Fatal(notice) => {
                report.fatal = Some(notice.to_string());
                report.note(notice, observer);
                break;
            }
            Parsed::Item(position, raw) => {
                let Some(source) = source.as_deref() else {
                    let notice =
                        Notice::error(&Position::File, None, "the file names no source (a site <link>); pass --source");
                    report.fatal = Some(notice.to_string());
                    report.note(notice, observer);
                    break;
                };
                match prepare(db, options, &topics, &mut lookups, source, position, *raw).await {
                    Err(notices) => {
                        report.failed += 1;
                        done += 1;
                        for notice in notices {
                            report.note(notice, observer);
                        }
                    }
                    Ok(ready) => {
                        // The same source id earlier in the file and still being
                        // written: it finishes first, so the first line wins.
                        while in_flight.iter().any(|(key, _)| *key == ready.item.key) {
                            let (_, task) = in_flight.pop_front().expect("in flight");
                            let finished = task.await.context("an import task failed")?;
                            done += 1;
                            settle(&mut report, finished, observer);
                        }
                        let shared = shared.clone();
                        let key = ready.item.key.clone();
                        in_flight.push_back((key, tokio::spawn(async move { write(&shared, ready).await })));
                    }
                }
            }
        }
        while in_flight.len() >= IN_FLIGHT {
            let (_, task) = in_flight.pop_front().expect("in flight");
            let finished = task.await.context("an import task failed")?;
            done += 1;
            settle(&mut report, finished, observer);
            observer.progress(done, bytes.load(Ordering::Relaxed));
        }
        observer.progress(done, bytes.load(Ordering::Relaxed));
    }
    // Stop the parser early after a fatal error: closing the channel makes its sends fail.
    rx.close();
    while let Some((_, task)) = in_flight.pop_front() {
        let finished = task.await.context("an import task failed")?;
        done += 1;
        settle(&mut report, finished, observer);
        observer.progress(done, bytes.load(Ordering::Relaxed));
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

fn settle(report: &mut ImportReport, finished: Finished, observer: &mut dyn Observer) {
    // Warnings about an item found already there were told when it was imported.
    if !matches!(finished.outcome, Ok(ImportOutcome::Existing(_))) {
        for warning in finished.warnings {
            report.note(warning, observer);
        }
    }
    match finished.outcome {
        Ok(ImportOutcome::Created(id)) => {
            report.created += 1;
            if report.created_ids.len() < KEPT_NOTICES {
                report.created_ids.push(id);
            }
        }
        Ok(ImportOutcome::Existing(_)) => report.existing += 1,
        Err(notices) => {
            report.failed += 1;
            for notice in notices {
                report.note(notice, observer);
            }
        }
    }
}

/// The name a file gives a form field.
fn label(names: &[(&str, &str)], field: &str) -> String {
    names.iter().find(|(form, _)| *form == field).map(|(_, file)| *file).unwrap_or(field).to_owned()
}

/// A summary longer than allowed, cut at a word to at most
/// [`MAX_SUMMARY_CHARS`] with its `…` ([`excerpt`] adds the `…` after the
/// characters it keeps).
fn shorten_summary(text: &str) -> String {
    excerpt(text, MAX_SUMMARY_CHARS - 1)
}

/// Checks an item and resolves what it names; the errors when it cannot be imported.
async fn prepare(
    db: &Db,
    options: &ImportOptions,
    topics: &TopicMap,
    lookups: &mut Lookups,
    source: &str,
    position: Position,
    raw: RawItem,
) -> Result<Ready, Vec<Notice>> {
    let names = raw.field_names;
    let labels: HashMap<&str, String> = ["topics", "regions", "summary", "provenance", "published_at"]
        .into_iter()
        .map(|f| (f, label(names, f)))
        .collect();
    let field = |f: &str| labels.get(f).map(String::as_str);
    let mut warnings: Vec<Notice> = raw
        .warnings
        .iter()
        .map(|(f, reason)| Notice::warning(&position, Some(&label(names, f)), reason.clone()))
        .collect();
    let mut errors = Vec::new();
    if options.publish
        && raw.published
        && let Some((f, reason)) = &raw.date_error
    {
        errors.push(Notice::error(&position, Some(f), reason.clone()));
    }
    let key = match ImportKey::new(source, &raw.id) {
        Ok(key) => Some(key),
        Err(e) => {
            errors.push(Notice::error(&position, Some(&label(names, "id")), e.code.as_str().replace('_', " ")));
            None
        }
    };
    let mut form = raw.form;

    // Topics: categories, else tags, else the default.
    let (mut slugs, unmapped) = topics.map_all(&raw.categories);
    if slugs.is_empty() && !raw.tags.is_empty() {
        slugs = topics.map_all(&raw.tags).0;
    }
    if slugs.is_empty() {
        let names: Vec<&str> = raw.categories.iter().map(|c| c.name.as_str()).collect();
        let listed = if names.is_empty() { "none".to_owned() } else { names.join(", ") };
        match &options.default_topic {
            Some(default) => {
                warnings.push(Notice::warning(
                    &position,
                    field("topics"),
                    format!("no category maps to a topic ({listed}); filed under {default}"),
                ));
                slugs.push(default.clone());
            }
            None => errors.push(Notice::error(
                &position,
                field("topics"),
                format!("no category maps to a topic ({listed}); pass --default-topic"),
            )),
        }
    } else if !unmapped.is_empty() {
        warnings.push(Notice::warning(
            &position,
            field("topics"),
            format!("categories that map to no topic are left out: {}", unmapped.join(", ")),
        ));
    }
    form.topics = slugs;

    // Regions: the item's own (which must exist), else the default.
    if form.regions.is_empty() {
        form.regions = options.regions.iter().map(|r| r.as_str().to_owned()).collect();
    } else {
        for code in form.regions.clone() {
            let known = match lookups.regions.get(&code) {
                Some(known) => *known,
                None => {
                    let known = match RegionCode::parse(code.trim()) {
                        Ok(parsed) => regions::get(db, &parsed).await.ok().flatten().is_some(),
                        Err(_) => false,
                    };
                    lookups.regions.insert(code.clone(), known);
                    known
                }
            };
            if !known {
                errors.push(Notice::error(&position, field("regions"), format!("unknown region {code:?}")));
            }
        }
    }

    // A summary longer than allowed is shortened rather than refused.
    if form.summary.chars().count() > MAX_SUMMARY_CHARS {
        form.summary = shorten_summary(&form.summary);
        warnings.push(Notice::warning(
            &position,
            field("summary"),
            format!("longer than {MAX_SUMMARY_CHARS} characters; shortened"),
        ));
    }
    // A label this publisher may not use gives way to its default.
    if let Some(provenance) = Provenance::parse(form.provenance.trim())
        && !Provenance::allowed_for(options.org.kind).contains(&provenance)
    {
        warnings.push(Notice::warning(
            &position,
            field("provenance"),
            format!("{} is not for this organisation; its default is used", provenance.as_str()),
        ));
        form.provenance.clear();
    }

    let draft = match form.validate() {
        Ok(draft) => Some(draft),
        Err(fields) => {
            for e in fields {
                let notice = field_error(&position, names, &e, &form);
                // One error per field: a topic or region already found wanting is not repeated.
                if !errors.iter().any(|n: &Notice| n.field == notice.field) {
                    errors.push(notice);
                }
            }
            None
        }
    };
    let (Some(key), Some(draft)) = (key, draft) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }

    let author = match raw.author_email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        None => options.fallback_author,
        Some(email) => {
            let key = email.to_lowercase();
            let found = match lookups.authors.get(&key) {
                Some(found) => *found,
                None => {
                    let found = find_user(db, email).await.ok().flatten();
                    lookups.authors.insert(key, found);
                    found
                }
            };
            found.or(options.fallback_author)
        }
    };
    let published_at = (options.publish && raw.published).then(|| raw.published_at.unwrap_or_else(Timestamp::now));
    if options.publish && raw.published && raw.published_at.is_none() {
        warnings.push(Notice::warning(&position, field("published_at"), "no date; published as of now"));
    }
    let cover = match raw.cover {
        None => None,
        Some(CoverRef::NoMediaDir) => {
            warnings.push(Notice::warning(&position, Some("_thumbnail_id"), "featured image left out: no --media-dir"));
            None
        }
        Some(CoverRef::MissingAttachment(id)) => {
            warnings.push(Notice::warning(
                &position,
                Some("_thumbnail_id"),
                format!("featured image left out: attachment {id} is not in the export"),
            ));
            None
        }
        Some(CoverRef::Url { url, caption }) => {
            match options.media_dir.as_deref().and_then(|dir| local_file(dir, &url)) {
                Some(path) => Some((path, caption)),
                None => {
                    warnings.push(Notice::warning(
                        &position,
                        Some("_thumbnail_id"),
                        format!("featured image left out: {url} is not a file in the media folder"),
                    ));
                    None
                }
            }
        }
    };
    Ok(Ready { position, item: ImportItem { key, draft, published_at }, author, cover, warnings })
}

/// A validation error as a notice, with the length of an overlong text.
fn field_error(position: &Position, names: &[(&str, &str)], e: &FieldError, form: &ContentForm) -> Notice {
    let mut reason = e.code.as_str().replace('_', " ");
    if e.code == jembatan_domain::ValidationCode::TooLong {
        let (length, max) = match e.field.as_str() {
            "title" => (form.title.chars().count(), jembatan_domain::content::MAX_TITLE_CHARS),
            "body" => (form.body.chars().count(), jembatan_domain::content::MAX_BODY_CHARS),
            _ => (0, 0),
        };
        if max > 0 {
            reason = format!("too long ({length} characters; at most {max})");
        }
    }
    Notice::error(position, Some(&label(names, &e.field)), reason)
}

/// The file under `dir` an upload's address names: the address's path
/// below the folder (a copy of the site) or, for WordPress uploads, below
/// `wp-content/uploads/` (a copy of the uploads folder). Never leaves `dir`.
pub fn local_file(dir: &Path, url: &str) -> Option<PathBuf> {
    let path = match url::Url::parse(url) {
        Ok(parsed) => parsed.path().to_owned(),
        Err(_) => url.split(['?', '#']).next().unwrap_or_default().to_owned(),
    };
    let decoded = percent_decode(&path);
    let relative = decoded.trim_start_matches('/');
    let mut candidates = vec![relative.to_owned()];
    if let Some((_, rest)) = relative.split_once("wp-content/uploads/") {
        candidates.push(rest.to_owned());
    }
    for candidate in candidates {
        let candidate = Path::new(&candidate);
        if candidate.as_os_str().is_empty() || candidate.components().any(|c| !matches!(c, Component::Normal(_))) {
            continue;
        }
        let full = dir.join(candidate);
        if full.is_file() {
            return Some(full);
        }
    }
    None
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Writes one checked item (with its featured image, in one transaction).
async fn write(shared: &Shared, ready: Ready) -> Finished {
    let Ready { position, item, author, cover, mut warnings } = ready;
    // Seen before: no image to decode (the write finds it too, so items without one skip this read).
    if cover.is_some() {
        match content::find_import(&shared.db, &item.key).await {
            Ok(Some(id)) => return Finished { outcome: Ok(ImportOutcome::Existing(id)), warnings },
            Ok(None) => {}
            Err(e) => {
                let notice = Notice::error(&position, None, e.to_string());
                return Finished { outcome: Err(vec![notice]), warnings };
            }
        }
    }
    let media = match cover {
        None => None,
        Some((path, caption)) => match load_image(shared, &path).await {
            Ok(media) => Some((media, caption)),
            Err(reason) => {
                warnings.push(Notice::warning(
                    &position,
                    Some("_thumbnail_id"),
                    format!("featured image {} left out: {reason}", path.display()),
                ));
                None
            }
        },
    };
    let org = shared.org.id;
    let outcome = shared
        .db
        .write(move |tx| {
            Box::pin(async move {
                let mut item = item;
                if let Some((media, caption)) = &media {
                    let stored = media::store(tx, media, author).await?;
                    let id: MediaId = stored.media.id;
                    item.draft.cover = Some(Image { media: id, caption: caption.clone() });
                }
                content::import(tx, org, author, &item).await
            })
        })
        .await;
    let outcome = match outcome {
        Ok(outcome) => Ok(outcome),
        Err(StoreError::Invalid(e)) => {
            Err(vec![Notice::error(&position, Some(&e.field), e.code.as_str().replace('_', " "))])
        }
        Err(e) => Err(vec![Notice::error(&position, None, e.to_string())]),
    };
    Finished { outcome, warnings }
}

/// Reads, checks and cleans a featured image (EXIF and GPS removed, resized
/// copies made), refusing one larger than the import's limit.
async fn load_image(shared: &Shared, path: &Path) -> Result<NewMedia, String> {
    let limits = shared.image_limits;
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > limits.max_bytes as u64 {
        return Err(format!("larger than {}", size_text(limits.max_bytes)));
    }
    let _permit = shared.images.acquire().await.map_err(|e| e.to_string())?;
    let path = path.to_owned();
    let processed = tokio::task::spawn_blocking(move || {
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        jembatan_web::media::process(&bytes, limits).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())??;
    Ok(NewMedia::from(processed))
}

/// A limit for people: `8 MB`, `64 KB`.
fn size_text(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

// ---------------------------------------------------------------------------
// HTML from other systems

/// WordPress shortcodes whose brackets are dropped (their content stays).
const SHORTCODES: &[&str] =
    &["caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist", "vc_row", "vc_column"];

fn starts_block(chunk: &str) -> bool {
    let Some(rest) = chunk.strip_prefix('<') else { return false };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    let after = rest[name.len()..].chars().next();
    // A chunk starting with a block tag passes through Markdown untouched
    // (CommonMark's HTML block) and is then sanitised.
    markdown::BLOCK_TAGS.contains(&name.as_str()) && matches!(after, None | Some(' ' | '>' | '/' | '\n' | '\t'))
}

/// Removes `<!-- ... -->` comments (WordPress block markers, `<!--more-->`).
fn strip_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => rest = &rest[start + 4 + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes tags named `name` (e.g. `img`), counting them.
fn strip_tag(html: &str, name: &str) -> (String, usize) {
    let mut out = String::with_capacity(html.len());
    let mut count = 0;
    let mut rest = html;
    let open = format!("<{name}");
    loop {
        let lower = rest.to_ascii_lowercase();
        let Some(start) = lower.find(&open) else { break };
        let after = lower[start + open.len()..].chars().next();
        if !matches!(after, Some(' ' | '>' | '/' | '\n' | '\t')) {
            out.push_str(&rest[..start + open.len()]);
            rest = &rest[start + open.len()..];
            continue;
        }
        out.push_str(&rest[..start]);
        match rest[start..].find('>') {
            Some(end) => rest = &rest[start + end + 1..],
            None => rest = "",
        }
        count += 1;
    }
    out.push_str(rest);
    (out, count)
}

/// Drops the brackets of known WordPress shortcodes, keeping what they enclose.
fn strip_shortcodes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let tail = &rest[start + 1..];
        let inner = tail.strip_prefix('/').unwrap_or(tail);
        let name: String = inner.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        match (SHORTCODES.contains(&name.as_str()), tail.find(']')) {
            (true, Some(end)) => rest = &tail[end + 1..],
            _ => {
                out.push('[');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Turns HTML as WordPress stores it (paragraphs as blank lines, Gutenberg
/// comments, shortcodes) into a body the Markdown renderer passes through:
/// every paragraph an HTML block (`<p>...</p>`), each block starting a
/// line and separated by a blank line, so no text is read as Markdown
/// (`*`, `_`, `#`, indentation) and the sanitiser keeps paragraphs, links,
/// lists and emphasis. Inline images are left out (their files are not
/// imported); the count is returned.
pub fn html_to_body(html: &str) -> (String, usize) {
    let text = html.replace("\r\n", "\n").replace('\r', "\n");
    let text = strip_comments(&text);
    let text = strip_shortcodes(&text);
    let (text, images) = strip_tag(&text, "img");
    let mut chunks: Vec<String> = Vec::new();
    let mut open_pre = false;
    for raw in text.split("\n\n") {
        let chunk = raw.trim_matches(|c: char| c == '\n' || c == ' ' || c == '\t');
        if open_pre {
            // Inside <pre>: blank lines are content.
            if let Some(last) = chunks.last_mut() {
                last.push_str("\n\n");
                last.push_str(raw);
            }
            open_pre = !raw.to_ascii_lowercase().contains("</pre>");
            continue;
        }
        if chunk.is_empty() {
            continue;
        }
        let lower = chunk.to_ascii_lowercase();
        if lower.contains("<pre") && !lower.contains("</pre>") {
            open_pre = true;
        }
        if starts_block(chunk) {
            chunks.push(chunk.to_owned());
        } else {
            let lines: Vec<&str> = chunk.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            chunks.push(format!("<p>{}</p>", lines.join("<br />\n")));
        }
    }
    (chunks.join("\n\n"), images)
}

/// The text of an HTML fragment: comments, tags, scripts and styles
/// dropped ([`markdown::html_text`]), common entities decoded, white space
/// collapsed (for titles and excerpts).
pub fn html_to_text(html: &str) -> String {
    let decoded = decode_entities(&markdown::html_text(&strip_comments(html)));
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the HTML entities WordPress writes into titles and excerpts.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|end| {
            let name = &tail[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "hellip" => Some('…'),
                "ndash" => Some('–'),
                "mdash" => Some('—'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let value = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(value)
                }
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(slug: &str, id: &str, en: &str) -> Topic {
        Topic { slug: slug.into(), name_id: id.into(), name_en: en.into(), position: 0, created_at: 0 }
    }

    #[test]
    fn categories_map_to_topics_by_slug_name_or_synonym() {
        let map = TopicMap::new(&[
            topic("kesehatan", "Kesehatan", "Health"),
            topic("ekonomi-umkm", "Ekonomi dan UMKM", "Economy and small business"),
            topic("pertanian", "Pertanian", "Agriculture"),
        ]);
        assert_eq!(map.map("Kesehatan"), Some("kesehatan"));
        assert_eq!(map.map("KESEHATÁN"), Some("kesehatan"), "accents folded in either case");
        assert_eq!(map.map("Posyandu"), Some("kesehatan"));
        assert_eq!(map.map("Ekonomi & UMKM"), Some("ekonomi-umkm"));
        assert_eq!(map.map("ekonomi-umkm"), Some("ekonomi-umkm"));
        assert_eq!(map.map("Kelompok Tani"), Some("pertanian"));
        assert_eq!(map.map("Kesehatan Ibu dan Anak"), Some("kesehatan"), "by a word");
        assert_eq!(map.map("Berita Desa"), None);
        assert_eq!(map.map("Uncategorized"), None);
        assert_eq!(map.map("Bencana"), None, "kebencanaan is not a topic here");
    }

    #[test]
    fn wordpress_html_becomes_blocks_markdown_leaves_alone() {
        let html = "<!-- wp:paragraph -->\nPanen *raya* di <a href=\"https://desa.id/x\">Jlodro</a>.\nBaris kedua.\n<!-- /wp:paragraph -->\n\n    kode? bukan\n\n[caption id=\"a\"]<img src=\"https://x/y.jpg\" /> Foto panen[/caption]\n\n<ul>\n<li>satu</li>\n</ul>";
        let (body, images) = html_to_body(html);
        assert_eq!(images, 1);
        assert_eq!(
            body,
            "<p>Panen *raya* di <a href=\"https://desa.id/x\">Jlodro</a>.<br />\nBaris kedua.</p>\n\n<p>kode? bukan</p>\n\n<p>Foto panen</p>\n\n<ul>\n<li>satu</li>\n</ul>"
        );
        let rendered = jembatan_domain::markdown::to_html(&body);
        assert!(
            rendered.contains("<p>Panen *raya* di <a href=\"https://desa.id/x\" rel=\"nofollow noopener\">Jlodro</a>."),
            "{rendered}"
        );
        assert!(!rendered.contains("<em>") && !rendered.contains("<code>"), "{rendered}");
        assert!(rendered.contains("<li>satu</li>"));
    }

    #[test]
    fn entities_and_tags_leave_titles() {
        assert_eq!(html_to_text("Panen &amp; Pasar &#8211; <b>Desa</b>&nbsp;Maju"), "Panen & Pasar – Desa Maju");
        assert_eq!(html_to_text("<p>Satu <b>dua</b>.</p><p>Tiga</p>"), "Satu dua. Tiga");
        assert_eq!(
            html_to_text("Satu<br />dua <!-- x --><script>alert(1)</script><style>b{}</style>tiga"),
            "Satu dua tiga"
        );
        assert_eq!(decode_entities("a & b &unknown; &#x41;"), "a & b &unknown; A");
    }

    #[test]
    fn upload_paths_stay_inside_the_media_folder() {
        let dir = tempfile_dir();
        std::fs::create_dir_all(dir.join("2024/03")).unwrap();
        std::fs::write(dir.join("2024/03/foto panen.jpg"), b"x").unwrap();
        let found = local_file(&dir, "https://kim.id/wp-content/uploads/2024/03/foto%20panen.jpg").unwrap();
        assert_eq!(found, dir.join("2024/03/foto panen.jpg"));
        assert_eq!(local_file(&dir, "https://kim.id/wp-content/uploads/../../etc/passwd"), None);
        assert_eq!(local_file(&dir, "https://kim.id/wp-content/uploads/2024/03/none.jpg"), None);
        std::fs::remove_dir_all(&dir).ok();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("jembatan-import-test-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn long_summaries_are_shortened_at_a_word() {
        let text = "kata ".repeat(MAX_SUMMARY_CHARS);
        let short = shorten_summary(text.trim());
        assert!(short.chars().count() <= MAX_SUMMARY_CHARS && short.ends_with("kata…"), "{short}");
        let unbroken = "k".repeat(MAX_SUMMARY_CHARS + 10);
        assert_eq!(shorten_summary(&unbroken).chars().count(), MAX_SUMMARY_CHARS, "the … counts");
        assert_eq!(shorten_summary("pendek"), "pendek");
    }
}
