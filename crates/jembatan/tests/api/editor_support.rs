//! Fixtures of the editor's tests: images built byte by byte (PNGs of any
//! size from a tiny encoder, a JPEG photo with an EXIF block holding a GPS
//! position), item forms posted as real `multipart/form-data`, and items
//! and offices written through the store the way an earlier request would
//! have.

use jembatan_domain::content::{ContentForm, ContentId, MediaId};
use jembatan_domain::organisation::OrganisationForm;
use jembatan_domain::{OrgId, UserId};
use jembatan_store::content::{self, Content};
use jembatan_store::media::{self, NewMedia};
use jembatan_store::organisations;
use reqwest::multipart::{Form, Part};

use crate::admin_support::Session;
use crate::helpers::TestApp;

// ------------------------------------------------------------ images

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend(data);
    out.extend(&body);
    out.extend(crc32(&body).to_be_bytes());
}

/// A PNG of one colour, `width` × `height`, uncompressed (stored deflate
/// blocks): valid for any decoder, its size predictable.
pub fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    // Each scanline: filter type 0, then the pixels.
    let scanline: Vec<u8> = std::iter::once(0).chain(rgb.repeat(width as usize)).collect();
    let raw = scanline.repeat(height as usize);
    let mut zlib = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        zlib.extend(len.to_le_bytes());
        zlib.extend((!len).to_le_bytes());
        zlib.extend(*block);
    }
    zlib.extend(adler32(&raw).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// The image crate's baseline JPEG of a 400 × 240 photo of one colour:
/// its header, then the scan's repeating run.
const JPEG_HEADER: &str = concat!(
    "ffd8ffe000104a46494600010200000100010000ffc000110800f0019003011100021101031101ffdb0043000d090a0b",
    "0a080d0b0a0b0e0e0d0f13201513121213271c1e17202e2931302e292d2c333a4a3e333646372c2d405741464c4e5253",
    "52323e5a615a50604a51524fffdb0043010e0e0e131113261515264f352d354f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f",
    "4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4f4fffc4001f0000010501010101010100",
    "000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203000411051221",
    "31410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a",
    "434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a9293949596979899",
    "9aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1",
    "f2f3f4f5f6f7f8f9faffc4001f0100030101010101010101010000000000000102030405060708090a0bffc400b51100",
    "020102040403040705040400010277000102031104052131061241510761711322328108144291a1b1c109233352f015",
    "6272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a63646566676869",
    "6a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4",
    "c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c03010002110311003f00",
);

/// A JPEG photo, 400 × 240 (wider than the smallest resized copy).
pub fn jpeg() -> Vec<u8> {
    let hex = format!("{JPEG_HEADER}c7ae53cb0a{}002800a00fffd9", "002800a002800a".repeat(374));
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

/// The text a phone's GPS tag carries in [`with_gps`].
pub const GPS_MARKER: &[u8] = b"GPS-LOCATION-OF-THE-REPORTER";

/// `jpeg` with an EXIF block as phones write it: a GPSInfo tag pointing to
/// a GPS directory, and the position's text beside it.
pub fn with_gps(jpeg: &[u8]) -> Vec<u8> {
    let mut tiff = vec![b'I', b'I', 42, 0, 8, 0, 0, 0];
    tiff.extend(1u16.to_le_bytes());
    // GPSInfo (0x8825), LONG, one value: the GPS directory's offset.
    tiff.extend(0x8825u16.to_le_bytes());
    tiff.extend(4u16.to_le_bytes());
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(26u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    // The GPS directory: one ASCII tag (GPSAreaInformation-like) with the marker.
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(0x001Cu16.to_le_bytes());
    tiff.extend(2u16.to_le_bytes());
    tiff.extend((GPS_MARKER.len() as u32).to_le_bytes());
    tiff.extend(44u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(GPS_MARKER);
    let mut segment = b"Exif\0\0".to_vec();
    segment.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((segment.len() + 2) as u16).to_be_bytes());
    out.extend(segment);
    out.extend(&jpeg[2..]);
    out
}

/// Whether `haystack` holds `needle`.
pub fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

// ------------------------------------------------------------ posting forms

/// A file to send: field, file name, content type, bytes.
pub type FilePart<'a> = (&'a str, &'a str, &'a str, Vec<u8>);

/// POSTs the item form as a browser does (`multipart/form-data`, same
/// origin), with the session's CSRF token unless `csrf` is false.
pub async fn post_item(
    session: &Session,
    path: &str,
    fields: &[(&str, &str)],
    files: Vec<FilePart<'_>>,
    csrf: bool,
) -> reqwest::Response {
    let mut form = Form::new();
    if csrf {
        form = form.text("csrf", session.csrf.clone());
    }
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    for (name, file_name, mime, bytes) in files {
        let part = Part::bytes(bytes).file_name(file_name.to_owned()).mime_str(mime).expect("a content type");
        form = form.part(name.to_owned(), part);
    }
    session
        .visitor
        .client
        .post(session.visitor.url(path))
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .expect("POST")
}

/// [`post_item`] with the session's token, returning status and body.
pub async fn post_item_text(
    session: &Session,
    path: &str,
    fields: &[(&str, &str)],
    files: Vec<FilePart<'_>>,
) -> (u16, String) {
    let response = post_item(session, path, fields, files, true).await;
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// A valid news item's fields for a KIM of village `village`.
pub fn news_fields<'a>(org: &'a str, title: &'a str, village: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("org", org),
        ("kind", "berita"),
        ("title", title),
        ("summary", "Kelompok tani Sumber Rejeki memanen jagung hibrida di Dusun Krajan, Senin pagi."),
        ("body", BODY),
        ("language", "id"),
        ("provenance", "kim"),
        ("regions", village),
        ("topics", "pertanian"),
        ("source_name", "Kelompok Tani Sumber Rejeki"),
        ("source_url", ""),
    ]
}

/// A plain news body.
pub const BODY: &str = "Petani Desa Jlodro memanen jagung hibrida pada Senin, 10 Maret 2025.\n\n\
    Ketua kelompok tani, Pak Slamet, mengatakan hasilnya tujuh ton per hektare.";

/// The id in an item page's path (`/tulis/<id>?selesai=...`).
pub fn item_id(location: &str) -> ContentId {
    location.split('?').next().unwrap_or_default().rsplit('/').next().unwrap_or_default().parse().expect("an item id")
}

// ------------------------------------------------------------ the store

/// The item as stored.
pub async fn stored(app: &TestApp, id: ContentId) -> Content {
    content::get(&app.db, id).await.expect("read").expect("the item is stored")
}

/// How many items `author` has.
pub async fn items_by(app: &TestApp, author: UserId) -> usize {
    content::by_author(&app.db, author, &[], 100).await.expect("read").len()
}

/// A draft news item of `org` targeting `region`, written through the store.
pub async fn draft(app: &TestApp, org: OrgId, author: Option<UserId>, title: &str, region: &str) -> ContentId {
    let form = ContentForm {
        kind: "berita".into(),
        title: title.to_owned(),
        body: BODY.to_owned(),
        regions: vec![region.to_owned()],
        topics: vec!["pertanian".into()],
        ..ContentForm::default()
    };
    let new = form.validate().expect("a valid item");
    app.db
        .write(move |tx| Box::pin(async move { content::create(tx, org, author, &new).await }))
        .await
        .expect("create item")
        .id
}

/// A draft written and submitted.
pub async fn submitted(app: &TestApp, org: OrgId, author: Option<UserId>, title: &str, region: &str) -> ContentId {
    let id = draft(app, org, author, title, region).await;
    app.db.write(move |tx| Box::pin(async move { content::submit(tx, id, 1, author).await })).await.expect("submit");
    id
}

/// A draft written and published at once.
pub async fn published(app: &TestApp, org: OrgId, author: Option<UserId>, title: &str, region: &str) -> ContentId {
    let id = draft(app, org, author, title, region).await;
    app.db
        .write(move |tx| Box::pin(async move { content::publish_now(tx, id, 1, None).await }))
        .await
        .expect("publish");
    id
}

/// A Diskominfo office of `region`, written through the store.
pub async fn office(app: &TestApp, region: &str, name: &str) -> OrgId {
    let new = OrganisationForm {
        kind: "diskominfo".into(),
        name: name.to_owned(),
        region: region.to_owned(),
        ..OrganisationForm::default()
    }
    .validate()
    .expect("a valid office");
    app.db
        .write(move |tx| Box::pin(async move { organisations::create(tx, &new, None).await }))
        .await
        .expect("create office")
        .id
}

/// An item published and then archived by its publisher.
pub async fn archived(app: &TestApp, org: OrgId, title: &str, region: &str) -> ContentId {
    let id = published(app, org, None, title, region).await;
    app.db.write(move |tx| Box::pin(async move { content::archive(tx, id, None, None).await })).await.expect("archive");
    id
}

/// A small image stored as an upload would be (the same bytes each time,
/// so the same id).
pub async fn stored_image(app: &TestApp) -> MediaId {
    let new = NewMedia { mime: "image/png".into(), width: 4, height: 3, bytes: png(4, 3, [9, 9, 9]), variants: vec![] };
    app.db
        .write(move |tx| Box::pin(async move { media::store(tx, &new, None).await }))
        .await
        .expect("store image")
        .media
        .id
}
