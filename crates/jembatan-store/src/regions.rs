//! Regions (wilayah): the Kemendagri data embedded in the binary, its import,
//! and the lookups pages and the API make.
//!
//! The data ships in `data/regions/` (ODbL, with its license) and is compiled
//! in, so `jembatan` runs from any folder. Import is idempotent: it compares
//! with what is stored and writes only what differs.

use std::collections::HashMap;
use std::path::Path;

use jembatan_domain::{FieldError, RegionCode, RegionLevel, Timestamp};
use serde::Serialize;

use crate::changes::{self, Entity};
use crate::db::{Db, Tx, insert_rows};
use crate::error::{StoreError, StoreResult};
use crate::organisations::{Args, bind_args};
use crate::{exec, on_pool};

/// Where the embedded data comes from; recorded when it is imported.
pub const DATA_SOURCE: &str = "idn-area-data";
/// The source recorded for data imported from a folder by an operator.
pub const FOLDER_SOURCE: &str = "folder";
/// The version of [`DATA_SOURCE`] embedded in this build.
pub const DATA_VERSION: &str = "4.0.1";

const EMBEDDED: [(&str, &str); 4] = [
    ("provinces.csv", include_str!("../../../data/regions/provinces.csv")),
    ("regencies.csv", include_str!("../../../data/regions/regencies.csv")),
    ("districts.csv", include_str!("../../../data/regions/districts.csv")),
    ("villages.csv", include_str!("../../../data/regions/villages.csv")),
];

/// A region as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RegionRow {
    pub code: String,
    pub parent_code: Option<String>,
    pub level: String,
    pub name: String,
}

impl RegionRow {
    /// The code as a domain value (stored codes were validated on import).
    pub fn region_code(&self) -> RegionCode {
        RegionCode::parse(&self.code).expect("stored region codes are valid")
    }

    pub fn level(&self) -> RegionLevel {
        self.region_code().level()
    }
}

/// A region read from a data file, before import.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RegionRecord {
    code: RegionCode,
    parent: Option<RegionCode>,
    name: String,
}

/// Why a data file was refused.
#[derive(Debug, thiserror::Error)]
pub enum RegionDataError {
    #[error("{file}: cannot read: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file} line {line}: {reason}")]
    BadRow { file: String, line: u64, reason: String },
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// The region data set to import.
pub enum RegionSource<'a> {
    /// The data compiled into this binary.
    Embedded,
    /// A folder with `provinces.csv`, `regencies.csv`, `districts.csv`, `villages.csv`.
    Folder(&'a Path),
}

fn parse_file(file: &str, text: &str, level: RegionLevel) -> Result<Vec<RegionRecord>, RegionDataError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut records = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| RegionDataError::Unreadable { file: file.into(), reason: e.to_string() })?;
        let line = row.position().map(|p| p.line()).unwrap_or(0);
        let bad = |reason: String| RegionDataError::BadRow { file: file.into(), line, reason };
        let (code, parent, name) = match level {
            RegionLevel::Province => (row.get(0), None, row.get(1)),
            _ => (row.get(0), row.get(1), row.get(2)),
        };
        let code = RegionCode::parse(code.unwrap_or_default()).map_err(|_| bad("malformed code".into()))?;
        if code.level() != level {
            return Err(bad(format!("code {code} is not a {}", level.as_str())));
        }
        let parent = match parent {
            None => None,
            Some(p) => {
                let p = RegionCode::parse(p).map_err(|_| bad("malformed parent code".into()))?;
                if code.parent().as_ref() != Some(&p) {
                    return Err(bad(format!("parent {p} does not match code {code}")));
                }
                Some(p)
            }
        };
        let name = name.unwrap_or_default().trim();
        if name.is_empty() {
            return Err(bad("empty name".into()));
        }
        records.push(RegionRecord { code, parent, name: name.to_owned() });
    }
    Ok(records)
}

fn load(source: &RegionSource<'_>) -> Result<Vec<RegionRecord>, RegionDataError> {
    let levels = [RegionLevel::Province, RegionLevel::Regency, RegionLevel::District, RegionLevel::Village];
    let mut all = Vec::with_capacity(92_000);
    for ((file, embedded), level) in EMBEDDED.iter().zip(levels) {
        let text = match source {
            RegionSource::Embedded => std::borrow::Cow::Borrowed(*embedded),
            RegionSource::Folder(dir) => std::borrow::Cow::Owned(
                std::fs::read_to_string(dir.join(file))
                    .map_err(|e| RegionDataError::Unreadable { file: (*file).into(), reason: e.to_string() })?,
            ),
        };
        all.extend(parse_file(file, &text, level)?);
    }
    Ok(all)
}

/// Imports regions, writing only rows that are new or differ; records the
/// data version. Runs in one transaction: a failed import changes nothing.
pub async fn import(db: &Db, source: RegionSource<'_>, version: &str) -> Result<ImportReport, ImportError> {
    let records = load(&source)?;
    let stored: HashMap<String, (Option<String>, String)> =
        on_pool!(db, pool => sqlx::query_as::<_, (String, Option<String>, String)>(
        "SELECT code, parent_code, name FROM regions",
    )
    .fetch_all(pool)
    .await)
        .map_err(StoreError::from)?
        .into_iter()
        .map(|(code, parent, name)| (code, (parent, name)))
        .collect();

    let mut report = ImportReport::default();
    let mut pending = Vec::new();
    for record in records {
        match stored.get(record.code.as_str()) {
            None => report.inserted += 1,
            Some((parent, name))
                if parent.as_deref() == record.parent.as_ref().map(RegionCode::as_str) && *name == record.name =>
            {
                report.unchanged += 1;
                continue;
            }
            Some(_) => report.updated += 1,
        }
        pending.push(record);
    }
    let total = (report.inserted + report.updated + report.unchanged) as i64;
    let version = version.to_owned();
    let source = match source {
        RegionSource::Embedded => DATA_SOURCE,
        RegionSource::Folder(_) => FOLDER_SOURCE,
    };
    let changed = !pending.is_empty();
    db.write(move |tx| {
        Box::pin(async move {
            // Parents come before children in `pending` (files are read top-down),
            // and each chunk holds one level, so foreign keys hold per statement.
            for level in pending.chunk_by(|a, b| a.code.level() == b.code.level()) {
                upsert(tx, level).await?;
            }
            let now = Timestamp::now().millis();
            exec!(tx, sqlx::query(
                "INSERT INTO region_data (id, source, version, region_count, imported_at) VALUES (1, $1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET source = excluded.source, version = excluded.version, \
                 region_count = excluded.region_count, imported_at = excluded.imported_at",
            )
            .bind(source)
            .bind(&version)
            .bind(total)
            .bind(now))?;
            if changed {
                changes::record(tx, Entity::Region, "*").await?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(report)
}

async fn upsert(tx: &mut Tx<'_>, rows: &[RegionRecord]) -> StoreResult<()> {
    insert_rows!(
        tx,
        "INSERT INTO regions (code, parent_code, level, name, search_name)",
        5,
        "ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code, level = excluded.level, \
         name = excluded.name, search_name = excluded.search_name",
        rows,
        |query, r| query
            .bind(r.code.as_str())
            .bind(r.parent.as_ref().map(RegionCode::as_str))
            .bind(r.code.level().as_str())
            .bind(&r.name)
            .bind(r.name.to_lowercase())
    );
    Ok(())
}

/// An import that failed: bad data or storage.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Data(#[from] RegionDataError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which data set is loaded, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DataVersion {
    pub source: String,
    pub version: String,
    pub region_count: i64,
    pub imported_at: i64,
}

pub async fn data_version(db: &Db) -> StoreResult<Option<DataVersion>> {
    Ok(on_pool!(db, pool => sqlx::query_as::<_, DataVersion>(
        "SELECT source, version, region_count, imported_at FROM region_data WHERE id = 1",
    )
    .fetch_optional(pool)
    .await)?)
}

/// Loads the embedded data into a database without regions, or over an
/// older embedded version; leaves data an operator imported from a folder
/// alone. The check costs one query, so it runs at every start.
pub async fn ensure_loaded(db: &Db) -> Result<Option<ImportReport>, ImportError> {
    match data_version(db).await? {
        Some(v) if v.source != DATA_SOURCE || v.version == DATA_VERSION => Ok(None),
        _ => import(db, RegionSource::Embedded, DATA_VERSION).await.map(Some),
    }
}

const COLUMNS: &str = "code, parent_code, level, name";

/// One region by code.
pub async fn get(db: &Db, code: &RegionCode) -> StoreResult<Option<RegionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM regions WHERE code = $1");
    Ok(on_pool!(db, pool => sqlx::query_as::<_, RegionRow>(&sql).bind(code.as_str()).fetch_optional(pool).await)?)
}

/// One region that must exist, as a field error otherwise (for forms).
pub async fn require(db: &Db, field: &str, code: &RegionCode) -> StoreResult<RegionRow> {
    get(db, code)
        .await?
        .ok_or_else(|| StoreError::Invalid(FieldError::new(field, jembatan_domain::ValidationCode::UnknownRegion)))
}

/// The regions directly below `code`, by name.
pub async fn children(db: &Db, code: &RegionCode) -> StoreResult<Vec<RegionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM regions WHERE parent_code = $1 ORDER BY name, code");
    Ok(on_pool!(db, pool => sqlx::query_as::<_, RegionRow>(&sql).bind(code.as_str()).fetch_all(pool).await)?)
}

/// All provinces, by name.
pub async fn provinces(db: &Db) -> StoreResult<Vec<RegionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM regions WHERE parent_code IS NULL ORDER BY name");
    Ok(on_pool!(db, pool => sqlx::query_as::<_, RegionRow>(&sql).fetch_all(pool).await)?)
}

/// The names of the regions `codes` (codes not stored are left out), in
/// one read.
pub async fn names(db: &Db, codes: &[&RegionCode]) -> StoreResult<HashMap<String, String>> {
    let mut codes: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut found = HashMap::new();
    for chunk in codes.chunks(crate::db::rows_per_statement(db.backend(), 1)) {
        let mut args = Args::default();
        let sql = format!("SELECT code, name FROM regions WHERE code IN ({})", args.texts(chunk.iter().copied()));
        let rows: Vec<(String, String)> =
            on_pool!(db, pool => bind_args!(sqlx::query_as(&sql), args).fetch_all(pool).await)?;
        found.extend(rows);
    }
    Ok(found)
}

/// `code` and every region above it, from the province down. Codes not
/// stored are left out.
pub async fn lineage(db: &Db, code: &RegionCode) -> StoreResult<Vec<RegionRow>> {
    let codes: Vec<RegionCode> = code.lineage();
    let placeholders: Vec<String> = (1..=codes.len()).map(|i| format!("${i}")).collect();
    let sql =
        format!("SELECT {COLUMNS} FROM regions WHERE code IN ({}) ORDER BY length(code)", placeholders.join(", "));
    Ok(on_pool!(db, pool => {
        let mut query = sqlx::query_as::<_, RegionRow>(&sql);
        for c in &codes {
            query = query.bind(c.as_str());
        }
        query.fetch_all(pool).await
    })?)
}

/// Regions whose name contains `text` (case-insensitive), optionally only
/// within `within`; names with a word starting with it first, then higher
/// levels first (so "tub" offers Kabupaten Tuban before Kecamatan Tuban).
pub async fn search(db: &Db, text: &str, within: Option<&RegionCode>, limit: i64) -> StoreResult<Vec<RegionRow>> {
    let needle = text.trim().to_lowercase();
    if needle.is_empty() {
        return Ok(Vec::new());
    }
    let escaped = needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let contains = format!("%{escaped}%");
    let prefix = format!("{escaped}%");
    let word_prefix = format!("% {escaped}%");
    let (scope, scope_prefix) = match within {
        Some(w) => (w.as_str().to_owned(), format!("{}.%", w.as_str())),
        None => (String::new(), "%".to_owned()),
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM regions \
         WHERE search_name LIKE $1 ESCAPE '\\' AND ($4 = '' OR code = $4 OR code LIKE $5) \
         ORDER BY CASE WHEN search_name LIKE $2 ESCAPE '\\' OR search_name LIKE $3 ESCAPE '\\' THEN 0 ELSE 1 END, \
                  length(code), name, code \
         LIMIT $6"
    );
    Ok(on_pool!(db, pool => sqlx::query_as::<_, RegionRow>(&sql)
        .bind(&contains)
        .bind(&prefix)
        .bind(&word_prefix)
        .bind(&scope)
        .bind(&scope_prefix)
        .bind(limit)
        .fetch_all(pool)
        .await)?)
}

/// How many regions are stored at each level.
pub async fn count_by_level(db: &Db) -> StoreResult<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = on_pool!(db, pool => sqlx::query_as("SELECT level, COUNT(*) FROM regions GROUP BY level").fetch_all(pool).await)?;
    Ok(rows.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_data_parses_whole() {
        let all = load(&RegionSource::Embedded).unwrap();
        let count = |level| all.iter().filter(|r| r.code.level() == level).count();
        assert_eq!(count(RegionLevel::Province), 38);
        assert_eq!(count(RegionLevel::Regency), 514);
        assert_eq!(count(RegionLevel::District), 7285);
        assert_eq!(count(RegionLevel::Village), 83_762);
    }

    #[test]
    fn rows_whose_parent_does_not_match_are_refused_with_their_line() {
        let text = "code,regency_code,name\n35.23.01,35.23,Kenduruan\n35.23.02,35.24,Bangilan\n";
        let err = parse_file("districts.csv", text, RegionLevel::District).unwrap_err();
        assert_eq!(err.to_string(), "districts.csv line 3: parent 35.24 does not match code 35.23.02");
    }
}
