//! Uploaded images: the original as uploaded with its metadata removed,
//! and resized variants for `srcset`.
//!
//! Images are stored in the database itself (BLOB on SQLite, BYTEA on
//! PostgreSQL), not in files beside it: every process sharing the database
//! serves the same images, and a backup of the database holds them.
//!
//! Decoding, validating by content, stripping EXIF/GPS and resizing happen
//! in the web layer; this module receives finished bytes. It deduplicates
//! by the SHA-256 of the stripped original, so the same photo uploaded
//! twice is stored once, and it refuses bytes that still carry EXIF or XMP
//! metadata ([`carries_metadata`]): a photo's GPS position never reaches
//! storage, whatever code calls it.

use jembatan_domain::content::MediaId;
use jembatan_domain::{FieldError, Timestamp, UserId, ValidationCode};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::changes::{self, Entity};
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::organisations::{Args, bind_args, parse_stored, parse_stored_opt};
use crate::{exec, on_pool, on_tx};

/// The formats stored (what the web layer produces or accepts).
pub const ALLOWED_MIME: &[&str] = &["image/jpeg", "image/png", "image/webp"];

/// Largest original stored, in bytes; the web layer refuses larger uploads
/// earlier, with a clear message.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// An image to store: the stripped original and its variants.
#[derive(Debug, Clone)]
pub struct NewMedia {
    pub mime: String,
    pub width: i64,
    pub height: i64,
    /// The original as uploaded, metadata (EXIF, GPS) removed.
    pub bytes: Vec<u8>,
    pub variants: Vec<NewVariant>,
}

/// A resized copy.
#[derive(Debug, Clone)]
pub struct NewVariant {
    pub width: i64,
    pub height: i64,
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// A variant as listed (for `srcset`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Variant {
    pub width: i64,
    pub height: i64,
    pub mime: String,
    pub byte_size: i64,
}

/// A stored image, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Media {
    pub id: MediaId,
    /// Hex SHA-256 of the stored original.
    pub sha256: String,
    pub mime: String,
    pub width: i64,
    pub height: i64,
    pub byte_size: i64,
    pub uploaded_by: Option<UserId>,
    pub created_at: Timestamp,
    /// Narrowest first.
    pub variants: Vec<Variant>,
}

/// Bytes to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaBytes {
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// What [`store`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub media: Media,
    /// False when the same bytes were stored before: `media` is that image.
    pub created: bool,
}

/// The hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn check(new: &NewMedia) -> StoreResult<()> {
    let invalid = || StoreError::Invalid(FieldError::new("file", ValidationCode::InvalidChoice));
    if new.bytes.len() > MAX_BYTES {
        return Err(StoreError::Invalid(FieldError::new("file", ValidationCode::TooLong)));
    }
    let shapes_ok =
        !new.bytes.is_empty() && new.width > 0 && new.height > 0 && ALLOWED_MIME.contains(&new.mime.as_str());
    let variants_ok = new
        .variants
        .iter()
        .all(|v| !v.bytes.is_empty() && v.width > 0 && v.height > 0 && ALLOWED_MIME.contains(&v.mime.as_str()));
    if !(shapes_ok && variants_ok) {
        return Err(invalid());
    }
    let stripped =
        !carries_metadata(&new.mime, &new.bytes) && new.variants.iter().all(|v| !carries_metadata(&v.mime, &v.bytes));
    if stripped { Ok(()) } else { Err(invalid()) }
}

/// Whether an image still holds EXIF or XMP metadata (where cameras and
/// phones put the GPS position): a JPEG `APP1` segment, a PNG `eXIf` or XMP
/// text chunk, a WebP `EXIF` or `XMP ` chunk. Only the container is walked;
/// bytes that do not parse as one hold no metadata found here.
pub fn carries_metadata(mime: &str, bytes: &[u8]) -> bool {
    match mime {
        "image/jpeg" => jpeg_metadata(bytes),
        "image/png" => png_metadata(bytes),
        "image/webp" => webp_metadata(bytes),
        _ => false,
    }
}

fn jpeg_metadata(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        match marker {
            // Start of scan or end of image: no more metadata segments.
            0xDA | 0xD9 => return false,
            0x01 | 0xD0..=0xD7 | 0xFF => {
                at += if marker == 0xFF { 1 } else { 2 };
                continue;
            }
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let payload = bytes.get(at + 4..at + 2 + len).unwrap_or_default();
        if marker == 0xE1 && (payload.starts_with(b"Exif\0") || payload.starts_with(b"http://ns.adobe.com/xap/")) {
            return true;
        }
        at += 2 + len;
    }
    false
}

fn png_metadata(bytes: &[u8]) -> bool {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) {
        return false;
    }
    let mut at = SIGNATURE.len();
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let kind = &bytes[at + 4..at + 8];
        let data = bytes.get(at + 8..at + 8 + len).unwrap_or_default();
        if kind == b"eXIf" || (kind == b"iTXt" && data.starts_with(b"XML:com.adobe.xmp")) {
            return true;
        }
        if kind == b"IEND" {
            return false;
        }
        at += 12 + len;
    }
    false
}

fn webp_metadata(bytes: &[u8]) -> bool {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return false;
    }
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let kind = &bytes[at..at + 4];
        if kind == b"EXIF" || kind == b"XMP " {
            return true;
        }
        let len = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]) as usize;
        at += 8 + len + (len & 1);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::carries_metadata;

    fn jpeg(segments: &[(u8, &[u8])]) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        for (marker, payload) in segments {
            bytes.extend([0xFF, *marker]);
            bytes.extend(((payload.len() + 2) as u16).to_be_bytes());
            bytes.extend(*payload);
        }
        bytes.extend([0xFF, 0xDA, 0x00, 0x02, 0x12, 0x34, 0xFF, 0xD9]);
        bytes
    }

    #[test]
    fn finds_exif_and_xmp_in_each_container() {
        let jfif = (0xE0, b"JFIF\0\x01\x01".as_slice());
        assert!(!carries_metadata("image/jpeg", &jpeg(&[jfif])));
        assert!(carries_metadata("image/jpeg", &jpeg(&[jfif, (0xE1, b"Exif\0\0MM\0*GPS")])));
        assert!(carries_metadata("image/jpeg", &jpeg(&[(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x/>")])));
        assert!(!carries_metadata("image/jpeg", b"\xFF\xD8garbage"));

        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend(kind);
            c.extend(data);
            c.extend([0; 4]);
            c
        };
        let png = |chunks: Vec<Vec<u8>>| {
            let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
            b.extend(chunks.concat());
            b.extend(chunk(b"IEND", b""));
            b
        };
        assert!(!carries_metadata("image/png", &png(vec![chunk(b"IHDR", &[0; 13])])));
        assert!(carries_metadata("image/png", &png(vec![chunk(b"IHDR", &[0; 13]), chunk(b"eXIf", b"MM\0*")])));
        assert!(carries_metadata("image/png", &png(vec![chunk(b"iTXt", b"XML:com.adobe.xmp\0\0\0\0\0<x/>")])));

        let webp = |kind: &[u8]| {
            let mut b = b"RIFF\0\0\0\0WEBP".to_vec();
            b.extend(b"VP8L");
            b.extend(5u32.to_le_bytes());
            b.extend([1, 2, 3, 4, 5, 0]);
            b.extend(kind);
            b.extend(2u32.to_le_bytes());
            b.extend([0, 0]);
            b
        };
        assert!(!carries_metadata("image/webp", &webp(b"ICCP")));
        assert!(carries_metadata("image/webp", &webp(b"EXIF")));
        assert!(carries_metadata("image/webp", &webp(b"XMP ")));
    }
}

const MEDIA_COLUMNS: &str = "id, sha256, mime, width, height, byte_size, uploaded_by, created_at";

#[derive(sqlx::FromRow)]
struct MediaRow {
    id: String,
    sha256: String,
    mime: String,
    width: i64,
    height: i64,
    byte_size: i64,
    uploaded_by: Option<String>,
    created_at: i64,
}

impl MediaRow {
    fn into_media(self, variants: Vec<Variant>) -> StoreResult<Media> {
        Ok(Media {
            id: parse_stored(&self.id, "media id")?,
            sha256: self.sha256,
            mime: self.mime,
            width: self.width,
            height: self.height,
            byte_size: self.byte_size,
            uploaded_by: parse_stored_opt(self.uploaded_by.as_deref(), "user id")?,
            created_at: Timestamp(self.created_at),
            variants,
        })
    }
}

const VARIANTS_SQL: &str =
    "SELECT width, height, mime, byte_size FROM media_variants WHERE media_id = $1 ORDER BY width, mime";

async fn get_tx(tx: &mut Tx<'_>, id: &str) -> StoreResult<Option<Media>> {
    let sql = format!("SELECT {MEDIA_COLUMNS} FROM media WHERE id = $1");
    let row = on_tx!(tx, conn => sqlx::query_as::<_, MediaRow>(&sql).bind(id).fetch_optional(conn).await)?;
    let Some(row) = row else { return Ok(None) };
    let variants = on_tx!(tx, conn => sqlx::query_as::<_, Variant>(VARIANTS_SQL).bind(id).fetch_all(conn).await)?;
    row.into_media(variants).map(Some)
}

/// Stores an image and its variants, or finds the same bytes stored
/// before. Refused as `Invalid` on `file` when a format is not allowed, a
/// size is not positive or the original exceeds [`MAX_BYTES`].
pub async fn store(tx: &mut Tx<'_>, new: &NewMedia, uploaded_by: Option<UserId>) -> StoreResult<Stored> {
    check(new)?;
    let sha256 = sha256_hex(&new.bytes);
    let existing: Option<String> = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM media WHERE sha256 = $1")
        .bind(&sha256)
        .fetch_optional(conn)
        .await)?;
    if let Some(id) = existing {
        let media = get_tx(tx, &id).await?.ok_or(StoreError::NotFound)?;
        return Ok(Stored { media, created: false });
    }
    let id = MediaId::generate().to_string();
    let inserted = exec!(
        tx,
        sqlx::query(
            "INSERT INTO media (id, sha256, mime, width, height, byte_size, bytes, uploaded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(&id)
        .bind(&sha256)
        .bind(&new.mime)
        .bind(new.width)
        .bind(new.height)
        .bind(new.bytes.len() as i64)
        .bind(&new.bytes)
        .bind(uploaded_by.map(|u| u.to_string()))
        .bind(Timestamp::now().millis())
    )?;
    if inserted == 0 {
        // Another process stored the same bytes since we looked (PostgreSQL).
        let id: String = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM media WHERE sha256 = $1")
            .bind(&sha256)
            .fetch_one(conn)
            .await)?;
        let media = get_tx(tx, &id).await?.ok_or(StoreError::NotFound)?;
        return Ok(Stored { media, created: false });
    }
    for variant in &new.variants {
        exec!(
            tx,
            sqlx::query(
                "INSERT INTO media_variants (media_id, width, height, mime, byte_size, bytes) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (media_id, width, mime) DO NOTHING",
            )
            .bind(&id)
            .bind(variant.width)
            .bind(variant.height)
            .bind(&variant.mime)
            .bind(variant.bytes.len() as i64)
            .bind(&variant.bytes)
        )?;
    }
    changes::record(tx, Entity::Media, &id).await?;
    let media = get_tx(tx, &id).await?.ok_or(StoreError::NotFound)?;
    Ok(Stored { media, created: true })
}

/// An image's description and variants, without bytes.
pub async fn get(db: &Db, id: MediaId) -> StoreResult<Option<Media>> {
    let id = id.to_string();
    let sql = format!("SELECT {MEDIA_COLUMNS} FROM media WHERE id = $1");
    let row = on_pool!(db, pool => sqlx::query_as::<_, MediaRow>(&sql).bind(&id).fetch_optional(pool).await)?;
    let Some(row) = row else { return Ok(None) };
    let variants = on_pool!(db, pool => sqlx::query_as::<_, Variant>(VARIANTS_SQL).bind(&id).fetch_all(pool).await)?;
    row.into_media(variants).map(Some)
}

/// The stored original's bytes.
pub async fn original(db: &Db, id: MediaId) -> StoreResult<Option<MediaBytes>> {
    let row: Option<(String, Vec<u8>)> = on_pool!(db, pool => sqlx::query_as("SELECT mime, bytes FROM media WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(pool)
        .await)?;
    Ok(row.map(|(mime, bytes)| MediaBytes { mime, bytes }))
}

/// The variant of exactly `width`, in `mime` when given (else any format,
/// by name).
pub async fn variant(db: &Db, id: MediaId, width: i64, mime: Option<&str>) -> StoreResult<Option<MediaBytes>> {
    let mut args = Args::default();
    let mut sql = format!(
        "SELECT mime, bytes FROM media_variants WHERE media_id = {} AND width = {}",
        args.text(id.to_string()),
        args.int(width)
    );
    if let Some(mime) = mime {
        sql.push_str(&format!(" AND mime = {}", args.text(mime)));
    }
    sql.push_str(" ORDER BY mime LIMIT 1");
    let row: Option<(String, Vec<u8>)> =
        on_pool!(db, pool => bind_args!(sqlx::query_as(&sql), args).fetch_optional(pool).await)?;
    Ok(row.map(|(mime, bytes)| MediaBytes { mime, bytes }))
}

/// The image stored with these exact bytes (hex SHA-256), if any.
pub async fn find_by_sha256(db: &Db, sha256: &str) -> StoreResult<Option<MediaId>> {
    let id: Option<String> = on_pool!(db, pool => sqlx::query_scalar("SELECT id FROM media WHERE sha256 = $1")
        .bind(sha256.to_ascii_lowercase())
        .fetch_optional(pool)
        .await)?;
    id.map(|id| parse_stored(&id, "media id")).transpose()
}

/// Which of `ids` are not stored, within a transaction.
pub(crate) async fn missing_tx(tx: &mut Tx<'_>, ids: &[MediaId]) -> StoreResult<Vec<MediaId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::default();
    let sql = format!("SELECT id FROM media WHERE id IN ({})", args.texts(ids.iter().map(|id| id.to_string())));
    let found: Vec<String> = on_tx!(tx, conn => bind_args!(sqlx::query_scalar(&sql), args).fetch_all(conn).await)?;
    Ok(ids.iter().filter(|id| !found.contains(&id.to_string())).copied().collect())
}
