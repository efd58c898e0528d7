//! `jembatan content import`: a WordPress export and JSON Lines become
//! content, idempotently, with every bad item reported by position and the
//! rest imported; streamed in constant memory. On SQLite and PostgreSQL.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use jembatan::commands::import::{self, ImportOptions, ImportReport, Level, Notice, Observer, Position, Quiet};
use jembatan::commands::wxr;
use jembatan_domain::account::RegistrationForm;
use jembatan_domain::content::{ContentStatus, ContentType, ImportKey, Provenance};
use jembatan_domain::organisation::OrganisationForm;
use jembatan_domain::{OrgId, UserId};
use jembatan_store::content::{self, Content};
use jembatan_store::{Db, accounts, contract_tests, media, organisations};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn open(path: &Path) -> BufReader<std::fs::File> {
    BufReader::new(std::fs::File::open(path).expect("fixture"))
}

async fn agency(db: &Db) -> OrgId {
    let form = OrganisationForm {
        kind: "agency".into(),
        name: "Dinas Kesehatan Kabupaten Tuban".into(),
        region: "35.23".into(),
        categories: vec!["kesehatan".into()],
        ..OrganisationForm::default()
    };
    let new = form.validate().unwrap();
    db.write(move |tx| Box::pin(async move { organisations::create(tx, &new, None).await })).await.unwrap().id
}

/// The default options for `org`.
async fn options_for(db: &Db, org: OrgId) -> ImportOptions {
    ImportOptions::for_org(organisations::org_ref(db, org).await.unwrap())
}

async fn account(db: &Db, name: &str, email: &str) -> UserId {
    let form = RegistrationForm {
        name: name.into(),
        email: email.into(),
        phone: String::new(),
        password: "rahasia-sekali-2026".into(),
        password_confirm: "rahasia-sekali-2026".into(),
        consent: true,
    };
    accounts::create_user(db, &form.validate().unwrap(), "test").await.unwrap().id
}

async fn imported(db: &Db, source: &str, id: &str) -> Content {
    let key = ImportKey::new(source, id).unwrap();
    let found = content::find_import(db, &key).await.unwrap().unwrap_or_else(|| panic!("{source} {id} imported"));
    content::get(db, found).await.unwrap().unwrap()
}

/// A JPEG whose EXIF block carries a GPS marker, as phones write them.
fn photo_with_gps() -> Vec<u8> {
    let image = image::RgbImage::from_fn(800, 600, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let mut payload = b"Exif\0\0MM\0*\0\0\0\x08\0\0\0\0\0\0".to_vec();
    payload.extend_from_slice(b"GPS-LOCATION-OF-THE-REPORTER");
    let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1];
    with_exif.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    with_exif.extend_from_slice(&payload);
    with_exif.extend_from_slice(&jpeg[2..]);
    with_exif
}

/// The line each `<item>` of the fixture starts on, by post id.
fn item_lines(path: &Path) -> Vec<(String, u64)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut found = Vec::new();
    let mut open = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim() == "<item>" {
            open = Some(i as u64 + 1);
        }
        if let (Some(start), Some(rest)) = (open, line.trim().strip_prefix("<wp:post_id>")) {
            found.push((rest.trim_end_matches("</wp:post_id>").to_owned(), start));
            open = None;
        }
    }
    found
}

fn error_of<'a>(report: &'a ImportReport, position: &Position) -> Vec<&'a Notice> {
    report.errors().filter(|n| &n.position == position).collect()
}

async fn import_wxr(db: &Db, options: &ImportOptions) -> ImportReport {
    let path = fixture("kim-maju.wxr.xml");
    let attachments = options.media_dir.as_ref().map(|_| wxr::Attachments::scan(open(&path)).unwrap());
    import::import_wxr(db, options, open(&path), attachments, &mut Quiet).await.unwrap()
}

contract_tests! {
    async fn a_wordpress_export_becomes_content_once(db) {
        let org = agency(&db).await;
        let editor = account(&db, "Redaksi KIM Maju", "redaksi@kimmaju.kim.id").await;
        let operator = account(&db, "Operator", "operator@tuban.go.id").await;
        let media_dir = tempfile::tempdir().unwrap();
        let uploads = media_dir.path().join("2024/03");
        std::fs::create_dir_all(&uploads).unwrap();
        let photo = photo_with_gps();
        assert!(media::carries_metadata("image/jpeg", &photo), "the test photo has EXIF");
        std::fs::write(uploads.join("posyandu.jpg"), &photo).unwrap();

        let mut options = options_for(&db, org).await;
        options.publish = true;
        options.default_topic = Some("pemerintahan".into());
        options.media_dir = Some(media_dir.path().to_owned());
        options.fallback_author = Some(operator);
        let report = import_wxr(&db, &options).await;
        assert_eq!(
            (report.created, report.existing, report.failed, report.skipped),
            (4, 0, 2, 2),
            "posts 11, 12, 13, 16 imported; 14 and 15 refused; a page and an attachment skipped: {:#?}",
            report.notices
        );

        // Errors name the post, the line its <item> starts on, the field and the reason.
        let lines = item_lines(&fixture("kim-maju.wxr.xml"));
        let line = |id: &str| lines.iter().find(|(post, _)| post == id).unwrap().1;
        let bad_date = error_of(&report, &Position::Post { id: Some("14".into()), line: line("14") });
        assert_eq!(bad_date.len(), 1, "{:#?}", report.notices);
        assert_eq!((bad_date[0].field.as_deref(), bad_date[0].reason.as_str()), (Some("wp:post_date_gmt"), "invalid date"));
        assert_eq!(bad_date[0].to_string(), format!("error: post 14 (line {}): wp:post_date_gmt: invalid date", line("14")));
        let no_title = error_of(&report, &Position::Post { id: Some("15".into()), line: line("15") });
        assert_eq!((no_title[0].field.as_deref(), no_title[0].reason.as_str()), (Some("title"), "required"));

        let source = "wordpress:kimmaju.kim.id";
        let posyandu = imported(&db, source, "11").await;
        assert_eq!(posyandu.title, "Posyandu Mawar Timbang 50 Balita – Tiga Dirujuk", "entities decoded");
        assert_eq!(posyandu.summary.as_deref(), Some("Kader menimbang 50 balita dan merujuk tiga anak ke puskesmas."));
        assert_eq!(posyandu.topics, ["kesehatan"], "Kesehatan maps; Berita Desa does not");
        assert_eq!(posyandu.status, ContentStatus::Published);
        assert_eq!(posyandu.published_at.unwrap().to_rfc3339(), "2024-03-05T02:30:00Z", "dated as on the old site");
        assert_eq!(posyandu.author, Some(editor), "dc:creator matched by the author's e-mail");
        assert_eq!((posyandu.kind, posyandu.provenance), (ContentType::Berita, Provenance::Resmi));
        assert_eq!(posyandu.regions.iter().map(|r| r.as_str()).collect::<Vec<_>>(), ["35.23"]);
        // Paragraphs, links and lists survive Markdown and the sanitiser; scripts and outside images do not.
        let html = &posyandu.body_html;
        assert!(html.contains("<p>Sebanyak 50 balita ditimbang"), "{html}");
        assert!(html.contains("<a href=\"https://puskesmas.example/jadwal\" rel=\"nofollow noopener\">situs puskesmas</a>"), "{html}");
        assert!(html.contains("<li>vitamin A untuk balita</li>"), "{html}");
        assert!(html.contains("<p>Kader *posyandu* juga"), "WordPress text is not read as Markdown: {html}");
        assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
        // The featured image is stored without its EXIF (and GPS) block, with its caption.
        let cover = posyandu.cover.clone().expect("a featured image");
        assert_eq!(cover.caption.as_deref(), Some("Kader menimbang balita di Posyandu Mawar"));
        let stored = media::original(&db, cover.media).await.unwrap().unwrap();
        assert!(!media::carries_metadata(&stored.mime, &stored.bytes));
        assert!(!stored.bytes.windows(12).any(|w| w == b"GPS-LOCATION"), "GPS gone");
        assert!(!media::get(&db, cover.media).await.unwrap().unwrap().variants.is_empty(), "resized copies made");

        let panen = imported(&db, source, "12").await;
        assert_eq!(panen.topics, ["pertanian"], "Pertanian & Perkebunan");
        assert_eq!(panen.author, Some(operator), "rizky has no account here: --author");
        assert!(panen.body_html.contains("<p>Petani Desa Jlodro memanen padi di lahan 40 hektare.<br>"), "{}", panen.body_html);
        assert!(!panen.body_html.contains("<code>") && !panen.body_html.contains("<h"), "{}", panen.body_html);
        let kerja_bakti = imported(&db, source, "13").await;
        assert_eq!(kerja_bakti.status, ContentStatus::Draft, "a WordPress draft stays a draft");
        assert_eq!(kerja_bakti.topics, ["pemerintahan"], "Uncategorized: the default topic");
        let default_warning = report.notices.iter().any(|n| {
            n.level == Level::Warning
                && n.position == Position::Post { id: Some("13".into()), line: line("13") }
                && n.reason.contains("filed under pemerintahan")
        });
        assert!(default_warning, "{:#?}", report.notices);
        let lomba = imported(&db, source, "16").await;
        assert_eq!(lomba.cover, None);
        assert!(report.notices.iter().any(|n| n.reason.contains("attachment 99 is not in the export")));

        // Importing again changes nothing.
        let again = import_wxr(&db, &options).await;
        assert_eq!((again.created, again.existing, again.failed, again.skipped), (0, 4, 2, 2));
        assert_eq!(imported(&db, source, "11").await, posyandu, "left as it was");
    }

    async fn without_a_media_folder_or_default_topic_items_say_why(db) {
        let org = agency(&db).await;
        let options = options_for(&db, org).await;
        let report = import_wxr(&db, &options).await;
        // Without --publish everything is a draft; post 14's bad date does not matter then.
        assert_eq!((report.created, report.failed), (4, 2), "{:#?}", report.notices);
        let source = "wordpress:kimmaju.kim.id";
        assert_eq!(imported(&db, source, "11").await.status, ContentStatus::Draft);
        assert!(report.notices.iter().any(|n| n.reason == "featured image left out: no --media-dir"));
        let uncategorised: Vec<&Notice> = report.errors().filter(|n| n.field.as_deref() == Some("category")).collect();
        assert_eq!(uncategorised.len(), 1, "{uncategorised:#?}");
        assert!(uncategorised[0].reason.contains("pass --default-topic"));
    }

    async fn json_lines_report_each_bad_line_and_import_the_rest(db) {
        let org = agency(&db).await;
        let mut options = options_for(&db, org).await;
        options.publish = true;
        let report = import::import_jsonl(&db, &options, "kim.jsonl", open(&fixture("kim.jsonl")), &mut Quiet)
            .await
            .unwrap();
        assert_eq!(
            (report.created, report.existing, report.failed),
            (3, 1, 5),
            "lines 1, 6, 7 imported; line 10 repeats line 1's id: {:#?}",
            report.notices
        );
        let reasons = |line: u64| -> Vec<(Option<String>, String)> {
            error_of(&report, &Position::Line(line)).iter().map(|n| (n.field.clone(), n.reason.clone())).collect()
        };
        assert!(reasons(2)[0].1.starts_with("invalid JSON"), "{:?}", reasons(2));
        assert!(reasons(3).contains(&(Some("title".into()), "required".into())), "{:?}", reasons(3));
        assert_eq!(reasons(4), [(Some("regions".into()), "unknown region \"35.23.99.9999\"".into())]);
        assert_eq!(reasons(5), [(Some("title".into()), "too long (10000 characters; at most 200)".into())]);
        assert_eq!(reasons(8)[0].0.as_deref(), Some("topics"));
        assert!(reasons(8)[0].1.contains("gosip"), "{:?}", reasons(8));
        assert_eq!(report.to_string().split(" in ").next().unwrap(),
            "imported: 3 created, 1 already there, 5 failed, 0 skipped (not posts), 1 warnings", "{:#?}", report.notices);

        let source = "jsonl:kim.jsonl";
        let first = imported(&db, source, "a-1").await;
        assert_eq!(first.regions.iter().map(|r| r.as_str()).collect::<Vec<_>>(), ["35.23"], "the organisation's region");
        assert_eq!(first.published_at.unwrap().to_rfc3339(), "2025-01-10T01:00:00Z");
        assert!(first.body_html.contains("<strong>Kamis malam</strong>"), "Markdown bodies are Markdown");
        let agenda = imported(&db, source, "a-6").await;
        assert_eq!(agenda.kind, ContentType::Agenda);
        assert_eq!(agenda.topics, ["pendidikan"]);
        assert_eq!(agenda.agenda.as_ref().unwrap().place, "Balai Desa Jlodro");
        assert!(agenda.body_html.contains("<a href=\"https://example.id/daftar\" rel=\"nofollow noopener\">taman baca</a>"));
        let product = imported(&db, source, "7").await;
        let p = product.product.as_ref().unwrap();
        assert_eq!((p.price_min, p.price_max, p.contact.as_str()), (45_000, Some(90_000), "+6281234567890"));
        assert_eq!(product.provenance, Provenance::Resmi, "warga is not an agency's label");

        let again = import::import_jsonl(&db, &options, "kim.jsonl", open(&fixture("kim.jsonl")), &mut Quiet)
            .await
            .unwrap();
        assert_eq!((again.created, again.existing, again.failed), (0, 4, 5));
    }
}

/// Makes JSON Lines as they are read, counting the lines handed out: the
/// file never exists, in memory or on disk.
struct Generated {
    next: u64,
    total: u64,
    pending: Vec<u8>,
    produced: Arc<AtomicU64>,
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            if self.next == self.total {
                return Ok(0);
            }
            self.next += 1;
            self.produced.store(self.next, Ordering::SeqCst);
            let body = format!("Warga desa membangun jalan dan menanam pohon, kabar ke-{}. ", self.next).repeat(8);
            let line = serde_json::json!({
                "id": self.next,
                "title": format!("Kabar desa nomor {}", self.next),
                "body": body,
                "topics": ["infrastruktur"],
                "published_at": 1_736_700_000_000_i64 + self.next as i64 * 60_000,
            });
            self.pending = format!("{line}\n").into_bytes();
        }
        let n = out.len().min(self.pending.len());
        out[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

/// Checks, at every finished item, how far reading ran ahead of writing.
struct Lookahead {
    produced: Arc<AtomicU64>,
    most_ahead: u64,
    errors: u64,
}

impl Observer for Lookahead {
    fn notice(&mut self, notice: &Notice) {
        if notice.level == Level::Error {
            self.errors += 1;
            eprintln!("{notice}");
        }
    }

    fn progress(&mut self, done: u64, _bytes: u64) {
        let ahead = self.produced.load(Ordering::SeqCst).saturating_sub(done);
        self.most_ahead = self.most_ahead.max(ahead);
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_thousand_lines_stream_through_in_constant_memory() {
    const LINES: u64 = 20_000;
    let database = jembatan_store::testing::TestDatabase::create(jembatan_store::Backend::Sqlite).await.unwrap();
    let db = database.connect().await.unwrap();
    let org = agency(&db).await;
    let mut options = options_for(&db, org).await;
    options.publish = true;
    let produced = Arc::new(AtomicU64::new(0));
    let reader: Box<dyn BufRead + Send> = Box::new(BufReader::with_capacity(
        8 * 1024,
        Generated { next: 0, total: LINES, pending: Vec::new(), produced: produced.clone() },
    ));
    let rss_before = peak_rss_kib();
    let mut observer = Lookahead { produced, most_ahead: 0, errors: 0 };
    let report = import::import_jsonl(&db, &options, "generated.jsonl", reader, &mut observer).await.unwrap();
    let rss_after = peak_rss_kib();
    assert_eq!((report.created, report.failed, observer.errors), (LINES, 0, 0));
    // Reading runs ahead of writing by at most the queue, the items in
    // flight and a buffer's worth of lines: the file is never held.
    let bound = (import::QUEUED + import::IN_FLIGHT + 16) as u64;
    assert!(observer.most_ahead <= bound, "read {} lines ahead of the writes (bound {bound})", observer.most_ahead);
    println!(
        "imported {LINES} JSON Lines in {:.1} s: {:.0} items/s; read at most {} lines ahead; peak RSS {:?} → {:?} KiB",
        report.elapsed.as_secs_f64(),
        report.rate(),
        observer.most_ahead,
        rss_before,
        rss_after
    );
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        assert!(after.saturating_sub(before) < 256 * 1024, "peak memory grew by {} KiB", after - before);
    }
}

#[tokio::test]
async fn the_command_imports_a_file_and_reports_errors_with_positions() {
    let database = jembatan_store::testing::TestDatabase::create(jembatan_store::Backend::Sqlite).await.unwrap();
    let db = database.connect().await.unwrap();
    let org = agency(&db).await;
    db.close().await;
    let url = database.url.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_jembatan"))
            .args(["content", "import"])
            .arg(fixture("kim-maju.wxr.xml"))
            .args(["--org", &org.to_string(), "--default-topic", "pemerintahan", "--publish"])
            .env("JEMBATAN_DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "failures make the exit status non-zero: {stdout}{stderr}");
    assert!(stdout.contains("imported: 4 created, 0 already there, 2 failed, 2 skipped"), "{stdout}");
    assert!(stderr.contains("error: post 14 (line "), "{stderr}");
    assert!(stderr.contains("wp:post_date_gmt: invalid date"), "{stderr}");
    assert!(stderr.contains("2 item(s) failed"), "{stderr}");
    assert!(!stdout.contains('\u{1b}'), "no progress bar drawn when stdout is not a terminal");

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_jembatan"))
        .args(["content", "import", "notes.txt", "--org", "x"])
        .env("JEMBATAN_DATABASE_URL", &database.url)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--format"));
}

/// A JPEG of noise: too varied to compress below a few hundred KB.
fn noisy_photo() -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    let image = image::RgbImage::from_fn(800, 600, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [r, g, b, _] = state.to_le_bytes();
        image::Rgb([r, g, b])
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    jpeg
}

fn run_jembatan<S: AsRef<std::ffi::OsStr>>(url: &str, args: &[S], env: &[(&str, &str)]) -> std::process::Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_jembatan"));
    command.args(args).env("JEMBATAN_DATABASE_URL", url).env("RUST_LOG", "warn");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

#[tokio::test]
async fn the_configured_upload_limit_leaves_out_a_larger_featured_image() {
    let database = jembatan_store::testing::TestDatabase::create(jembatan_store::Backend::Sqlite).await.unwrap();
    let db = database.connect().await.unwrap();
    let org = agency(&db).await;
    db.close().await;
    let media_dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(media_dir.path().join("2024/03")).unwrap();
    let photo = noisy_photo();
    assert!(photo.len() > 64 * 1024, "the photo ({} bytes) is over the limit", photo.len());
    assert!(photo.len() < 8 * 1024 * 1024, "and under the default limit");
    std::fs::write(media_dir.path().join("2024/03/posyandu.jpg"), &photo).unwrap();
    let url = database.url.clone();
    let (wxr, org, dir) = (fixture("kim-maju.wxr.xml"), org.to_string(), media_dir.path().to_owned());
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&std::ffi::OsStr> = vec![
            "content".as_ref(),
            "import".as_ref(),
            wxr.as_os_str(),
            "--org".as_ref(),
            org.as_ref(),
            "--default-topic".as_ref(),
            "pemerintahan".as_ref(),
            "--media-dir".as_ref(),
            dir.as_os_str(),
        ];
        run_jembatan(&url, &args, &[("JEMBATAN_MAX_UPLOAD_KIB", "64")])
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Without --publish post 14's bad date does not matter: only 15 (no title) fails.
    assert!(stdout.contains("imported: 5 created, 0 already there, 1 failed, 2 skipped"), "{stdout}{stderr}");
    let line = item_lines(&fixture("kim-maju.wxr.xml")).into_iter().find(|(id, _)| id == "11").unwrap().1;
    let expected = format!("warning: post 11 (line {line}): _thumbnail_id: featured image ");
    let warning = stderr.lines().find(|l| l.starts_with(&expected)).unwrap_or_else(|| panic!("{stderr}"));
    assert!(warning.ends_with("posyandu.jpg left out: larger than 64 KB"), "{warning}");

    let db = database.connect().await.unwrap();
    assert_eq!(imported(&db, "wordpress:kimmaju.kim.id", "11").await.cover, None, "imported without its image");
}

#[tokio::test]
async fn the_command_refuses_bad_options_naming_them() {
    let database = jembatan_store::testing::TestDatabase::create(jembatan_store::Backend::Sqlite).await.unwrap();
    let db = database.connect().await.unwrap();
    let org = agency(&db).await.to_string();
    db.close().await;
    let wxr = fixture("kim-maju.wxr.xml");
    let wxr = wxr.to_str().unwrap();
    let missing = fixture("no-such-export.xml");
    let missing = missing.to_str().unwrap();
    let not_a_folder = format!("--media-dir {wxr}: not a folder");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![wxr, "--org", "Dinas Yang Tidak Ada"], "--org \"Dinas Yang Tidak Ada\": no organisation"),
        (vec![wxr, "--org", "0190a0a0-0000-7000-8000-000000000000"], "no organisation has this id"),
        (vec![wxr, "--org", &org, "--media-dir", wxr], &not_a_folder),
        (vec![wxr, "--org", &org, "--kind", "gosip"], "--kind \"gosip\""),
        (vec![wxr, "--org", &org, "--kind", "agenda"], "--kind agenda"),
        (vec![wxr, "--org", &org, "--author", "siapa@contoh.id"], "--author \"siapa@contoh.id\""),
        (vec![wxr, "--org", &org, "--region", "jawa"], "--region \"jawa\""),
        (vec![wxr, "--org", &org, "--region", "35.23.99"], "--region 35.23.99: no such region"),
        (vec![wxr, "--org", &org, "--region", "35.24"], "--region 35.24: outside the organisation's reach"),
        (vec![wxr, "--org", &org, "--default-topic", "gosip"], "--default-topic \"gosip\": no such topic"),
        (vec!["-", "--format", "wxr", "--org", &org], "`-` (standard input) with --format wxr"),
        (vec![missing, "--org", &org], missing),
    ];
    let url = database.url.clone();
    let cases: Vec<(Vec<String>, String)> =
        cases.into_iter().map(|(a, m)| (a.into_iter().map(str::to_owned).collect(), m.to_owned())).collect();
    let outputs = tokio::task::spawn_blocking(move || {
        cases
            .into_iter()
            .map(|(args, message)| {
                let all: Vec<&str> = ["content", "import"].into_iter().chain(args.iter().map(String::as_str)).collect();
                (args.join(" "), message, run_jembatan(&url, &all, &[]))
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for (args, message, output) in outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args}: {stderr}");
        assert!(stderr.contains(&message), "{args}: expected {message:?} in {stderr}");
    }
    let db = database.connect().await.unwrap();
    let key = ImportKey::new("wordpress:kimmaju.kim.id", "11").unwrap();
    assert_eq!(content::find_import(&db, &key).await.unwrap(), None, "nothing imported");
}
