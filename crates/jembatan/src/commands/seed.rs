//! `jembatan seed --items N`: generated, published items for benchmarks.
//!
//! - Deterministic: item `i` of seed `s` comes from its own ChaCha8 stream
//!   (`seed_from_u64(s)`, stream `i`), so the same seed gives the same items
//!   whatever the batch size, and running again adds nothing (each item is
//!   imported under the key `seed:<s>` / `<i>`). Dates count back from the
//!   start of the current day (UTC).
//! - Indonesian: titles, summaries and bodies of several paragraphs built
//!   from roots with their affixes (meN-, di-, peN-an, ber-, -kan/-i, -an:
//!   `bangun` → membangun, dibangun, pembangunan, bangunan), so search
//!   benchmarks exercise the stemmer.
//! - Spread across the publishing organisations (KIMs, agencies, Diskominfo
//!   offices), their regions (a KIM's village, its neighbours and
//!   district; an office's regency, districts and villages), the topics and
//!   the five types, published over the last two years.
//! - Batched: many items per write transaction, written by
//!   [`content::import_many`] with a few multi-row statements per table, a
//!   few transactions in flight at once ([`BATCHES_IN_FLIGHT`]).

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::ops::Range;
use std::pin::Pin;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jembatan_domain::content::{ContentForm, ImportKey, WIB_OFFSET_SECONDS};
use jembatan_domain::organisation::{OrgKind, OrgRef};
use jembatan_domain::{OrgId, RegionCode, RegionLevel, Timestamp};
use jembatan_store::content::{self, ImportItem, ImportOutcome};
use jembatan_store::organisations::{self, Organisation};
use jembatan_store::{Db, StoreResult, Tx, regions};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio::task::JoinHandle;

use crate::cli_content::SeedArgs;
use crate::commands::{demo, import, seed_reports};
use crate::config::Config;
use crate::startup;

/// Write transactions in flight at once.
const BATCHES_IN_FLIGHT: usize = 4;
const DAY_MILLIS: i64 = 86_400_000;

/// Runs `jembatan seed`.
pub async fn run(config: &Config, args: &SeedArgs) -> anyhow::Result<()> {
    if args.batch == 0 {
        bail!("--batch must be at least 1");
    }
    let db = startup::open_database(config).await?;
    let outcome = async {
        if demo::load_if_empty(&db).await? {
            println!("the database was empty: demo data loaded first");
        }
        if let Some(items) = args.items {
            let publishers = match &args.org {
                Some(raw) => vec![import::find_org(&db, raw).await?],
                None => publishers(&db).await?,
            };
            let plan = Plan::load(&db, publishers).await?;
            let bar = progress_bar(items);
            let report = seed(&db, &plan, items, args.seed, args.batch, &mut |done| bar.set_position(done)).await;
            bar.finish_and_clear();
            println!("{}", report?);
        }
        if let Some(reports) = args.reports {
            let plan = seed_reports::ReportPlan::load(&db).await?;
            let bar = progress_bar(reports);
            let report =
                seed_reports::seed(&db, &plan, reports, args.seed, args.batch, &mut |done| bar.set_position(done))
                    .await;
            bar.finish_and_clear();
            println!("{}", report?);
        }
        Ok(())
    }
    .await;
    db.close().await;
    outcome
}

/// A progress bar of `len` steps, drawn only on a terminal.
fn progress_bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {elapsed_precise} [{wide_bar}] {pos}/{len} ({per_sec}, {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    if !std::io::stdout().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// Every organisation that publishes content (KIMs, agencies, Diskominfo
/// offices), by name.
pub async fn publishers(db: &Db) -> anyhow::Result<Vec<Organisation>> {
    let mut found = Vec::new();
    for province in regions::provinces(db).await? {
        for kind in [OrgKind::Kim, OrgKind::Agency, OrgKind::Diskominfo] {
            found.extend(organisations::list(db, Some(kind), &province.region_code()).await?);
        }
    }
    found.sort_by(|a, b| a.profile.name.cmp(&b.profile.name).then_with(|| a.region.cmp(&b.region)));
    if found.is_empty() {
        bail!("no organisation publishes content here; load the demo data (jembatan demo) or pass --org");
    }
    Ok(found)
}

/// A region an item may target, with the name text uses for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub code: RegionCode,
    /// As text says it: `Desa Jlodro`, `Kecamatan Kenduruan`, `Kabupaten Tuban`.
    pub name: String,
}

/// A publisher and where it may publish.
#[derive(Debug, Clone)]
pub struct Publisher {
    pub org: OrgRef,
    pub name: String,
    /// Its own region first, then the others it reaches (a sample).
    pub targets: Vec<Target>,
}

/// What the generator draws from: the publishers and their regions.
#[derive(Debug, Clone)]
pub struct Plan {
    pub publishers: Vec<Publisher>,
    /// The start of the day dates count back from.
    pub anchor: Timestamp,
}

fn display_name(row: &regions::RegionRow) -> String {
    let code = row.region_code();
    match code.level() {
        RegionLevel::Village => {
            let kelurahan = code.as_str().rsplit('.').next().is_some_and(|last| last.starts_with('1'));
            format!("{} {}", if kelurahan { "Kelurahan" } else { "Desa" }, row.name)
        }
        RegionLevel::District => format!("Kecamatan {}", row.name),
        _ => row.name.clone(),
    }
}

impl Plan {
    /// Reads the regions each publisher reaches.
    pub async fn load(db: &Db, orgs: Vec<Organisation>) -> anyhow::Result<Self> {
        let mut publishers = Vec::new();
        for organisation in orgs {
            let org = organisation.org_ref();
            if jembatan_domain::content::Provenance::allowed_for(org.kind).is_empty() {
                bail!("{} publishes no content", organisation.profile.name);
            }
            let own = regions::get(db, &org.region).await?.context("organisation's region")?;
            let mut targets = vec![Target { code: org.region.clone(), name: display_name(&own) }];
            match org.region.level() {
                RegionLevel::Village => {
                    // A KIM: its district and neighbouring villages.
                    if let Some(district) = org.region.parent() {
                        if let Some(row) = regions::get(db, &district).await? {
                            targets.push(Target { code: district.clone(), name: display_name(&row) });
                        }
                        for row in regions::children(db, &district).await?.iter().take(8) {
                            if row.code != org.region.as_str() {
                                targets.push(Target { code: row.region_code(), name: display_name(row) });
                            }
                        }
                    }
                }
                RegionLevel::Regency => {
                    for district in regions::children(db, &org.region).await? {
                        targets.push(Target { code: district.region_code(), name: display_name(&district) });
                        for village in regions::children(db, &district.region_code()).await?.iter().take(3) {
                            targets.push(Target { code: village.region_code(), name: display_name(village) });
                        }
                    }
                }
                RegionLevel::Province => {
                    for regency in regions::children(db, &org.region).await? {
                        targets.push(Target { code: regency.region_code(), name: display_name(&regency) });
                    }
                }
                RegionLevel::District => {
                    for village in regions::children(db, &org.region).await? {
                        targets.push(Target { code: village.region_code(), name: display_name(&village) });
                    }
                }
            }
            publishers.push(Publisher { org, name: organisation.profile.name, targets });
        }
        if publishers.is_empty() {
            bail!("no publisher to seed for");
        }
        let now = Timestamp::now().millis();
        Ok(Plan { publishers, anchor: Timestamp(now - now.rem_euclid(DAY_MILLIS)) })
    }
}

/// What `seed` did.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeedReport {
    pub created: u64,
    pub existing: u64,
    pub elapsed: Duration,
    /// What was seeded, plural: "items", "reports".
    pub unit: &'static str,
}

impl SeedReport {
    pub fn rate(&self) -> f64 {
        (self.created + self.existing) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

impl std::fmt::Display for SeedReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "seeded: {} created, {} already there in {:.1} s ({:.0} {}/s)",
            self.created,
            self.existing,
            self.elapsed.as_secs_f64(),
            self.rate(),
            self.unit
        )
    }
}

/// Generates and writes items `0..items` of `seed`, `batch` per
/// transaction; `progress` hears how many are done.
pub async fn seed(
    db: &Db,
    plan: &Plan,
    items: u64,
    seed: u64,
    batch: usize,
    progress: &mut dyn FnMut(u64),
) -> anyhow::Result<SeedReport> {
    let source = format!("seed:{seed}");
    let make_batch = |range: Range<u64>| -> anyhow::Result<Vec<(OrgId, ImportItem)>> {
        let mut chunk = Vec::with_capacity(range.clone().count());
        for index in range {
            let generated = generate(plan, seed, index);
            let key = ImportKey::new(&source, &index.to_string()).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let draft = generated.form.validate().map_err(|e| anyhow::anyhow!("generated item {index}: {e:?}"))?;
            chunk.push((generated.org, ImportItem { key, draft, published_at: Some(generated.published_at) }));
        }
        Ok(chunk)
    };
    write_in_batches(db, items, batch, "items", progress, make_batch, write_items).await
}

/// One batch's write: how many records it created and found already there.
pub type BatchWrite<'t> = Pin<Box<dyn Future<Output = StoreResult<(u64, u64)>> + Send + 't>>;

fn write_items<'t>(tx: &'t mut Tx<'_>, chunk: Vec<(OrgId, ImportItem)>) -> BatchWrite<'t> {
    Box::pin(async move {
        let items: Vec<_> = chunk.iter().map(|(org, item)| (*org, item)).collect();
        let outcomes = content::import_many(tx, None, &items).await?;
        let created = outcomes.iter().filter(|o| matches!(o, ImportOutcome::Created(_))).count() as u64;
        Ok((created, outcomes.len() as u64 - created))
    })
}

/// Generates records `0..count` in batches of `batch` (`make_batch` makes a
/// range's batch) and writes each in one transaction (`write`), a few
/// transactions in flight at once; `progress` hears how many are done.
pub async fn write_in_batches<T: Send + 'static>(
    db: &Db,
    count: u64,
    batch: usize,
    unit: &'static str,
    progress: &mut dyn FnMut(u64),
    mut make_batch: impl FnMut(Range<u64>) -> anyhow::Result<T>,
    write: for<'t, 'c> fn(&'t mut Tx<'c>, T) -> BatchWrite<'t>,
) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    let mut report = SeedReport { unit, ..SeedReport::default() };
    let mut in_flight: VecDeque<JoinHandle<anyhow::Result<(u64, u64)>>> = VecDeque::new();
    let mut next = 0u64;
    while next < count {
        let end = (next + batch.max(1) as u64).min(count);
        let chunk = make_batch(next..end)?;
        next = end;
        let db = db.clone();
        in_flight.push_back(tokio::spawn(async move { Ok(db.write(move |tx| write(tx, chunk)).await?) }));
        while in_flight.len() >= BATCHES_IN_FLIGHT {
            let (created, existing) = in_flight.pop_front().expect("in flight").await??;
            report.created += created;
            report.existing += existing;
            progress(report.created + report.existing);
        }
    }
    while let Some(task) = in_flight.pop_front() {
        let (created, existing) = task.await??;
        report.created += created;
        report.existing += existing;
        progress(report.created + report.existing);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// One generated item.
#[derive(Debug, Clone)]
pub struct Generated {
    pub org: jembatan_domain::OrgId,
    pub form: ContentForm,
    pub published_at: Timestamp,
}

// ---------------------------------------------------------------------------
// Morphology

/// Takes the suffix -kan.
const KAN: u8 = 1;
/// Takes the suffix -i.
const I: u8 = 2;
/// Has a peN-an noun (pembangunan).
const PEAN: u8 = 4;
/// Has a root-an noun (bangunan).
const AN: u8 = 8;
/// Starts with the prefix per-, kept after meN- (perkuat → memperkuat).
const PER: u8 = 16;

/// A root and the affixes it takes.
#[derive(Debug, Clone, Copy)]
pub struct Root {
    pub word: &'static str,
    pub flags: u8,
}

const fn r(word: &'static str, flags: u8) -> Root {
    Root { word, flags }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// The nasal prefix meN- / peN- (`head`: "me" or "pe") on a root, with
/// Indonesian assimilation: bangun → membangun, tanam → menanam,
/// salur → menyalur, kelola → mengelola, pasang → memasang, latih →
/// melatih; consonant clusters keep their first letter (produksi →
/// memproduksi).
pub fn nasal(head: &str, root: &str) -> String {
    let mut chars = root.chars();
    let Some(first) = chars.next() else { return head.to_owned() };
    let second = chars.next();
    let cluster = second.is_some_and(|c| !is_vowel(c));
    let rest = &root[first.len_utf8()..];
    match first {
        c if is_vowel(c) => format!("{head}ng{root}"),
        'k' if !cluster => format!("{head}ng{rest}"),
        'k' | 'g' | 'h' => format!("{head}ng{root}"),
        'p' if !cluster => format!("{head}m{rest}"),
        'p' | 'b' | 'f' | 'v' => format!("{head}m{root}"),
        't' if !cluster => format!("{head}n{rest}"),
        's' if !cluster => format!("{head}ny{rest}"),
        't' | 's' | 'c' | 'd' | 'j' | 'z' => format!("{head}n{root}"),
        _ => format!("{head}{root}"),
    }
}

fn suffix(root: &Root) -> &'static str {
    if root.flags & KAN != 0 {
        "kan"
    } else if root.flags & I != 0 {
        "i"
    } else {
        ""
    }
}

/// The active verb: meN-root(-kan/-i) (menyalurkan).
pub fn men(root: &Root) -> String {
    if root.flags & PER != 0 {
        return format!("mem{}{}", root.word, suffix(root));
    }
    format!("{}{}", nasal("me", root.word), suffix(root))
}

/// The passive verb: di-root(-kan/-i) (disalurkan).
pub fn di(root: &Root) -> String {
    format!("di{}{}", root.word, suffix(root))
}

/// The process noun: peN-root-an (penyaluran).
pub fn pen_an(root: &Root) -> String {
    format!("{}an", nasal("pe", root.word))
}

/// The result noun: root-an (bangunan).
pub fn an(root: &Root) -> String {
    format!("{}an", root.word)
}

/// The intransitive verb: ber-root (bertani; be- before r and a first
/// syllable in -er: beternak, bekerja).
pub fn ber(root: &str) -> String {
    if root == "ajar" {
        return "belajar".to_owned();
    }
    let first_syllable_er = root.len() > 3 && &root[1..3] == "er";
    if root.starts_with('r') || first_syllable_er { format!("be{root}") } else { format!("ber{root}") }
}

// ---------------------------------------------------------------------------
// Vocabulary

/// A transitive root and the objects it fits (`bangun` → jalan desa, jembatan).
struct Verb {
    root: Root,
    objects: &'static [&'static str],
}

const fn v(word: &'static str, flags: u8, objects: &'static [&'static str]) -> Verb {
    Verb { root: r(word, flags), objects }
}

/// Words of one topic.
struct Theme {
    topic: &'static str,
    verbs: &'static [Verb],
    /// Roots taking ber- (warga bertani).
    intransitive: &'static [&'static str],
    actors: &'static [&'static str],
    programs: &'static [&'static str],
    goals: &'static [&'static str],
}

const THEMES: &[Theme] = &[
    Theme {
        topic: "kesehatan",
        verbs: &[
            v(
                "periksa",
                PEAN,
                &["kesehatan ibu hamil", "tekanan darah lansia", "gigi anak sekolah", "kadar gula darah"],
            ),
            v("timbang", PEAN | AN, &["balita", "bayi di bawah dua tahun", "anak usia sekolah"]),
            v("layan", I | PEAN, &["ibu hamil", "balita", "pasien lansia", "peserta BPJS Kesehatan"]),
            v("cegah", PEAN, &["stunting", "demam berdarah", "gizi buruk", "penyakit menular"]),
            v("obat", I | PEAN, &["warga yang sakit", "pasien tuberkulosis", "anak penderita cacingan"]),
            v("pantau", PEAN | AN, &["tumbuh kembang balita", "jentik nyamuk", "gizi anak"]),
            v("data", PEAN, &["ibu hamil", "balita stunting", "lansia"]),
            v("bagi", KAN | PEAN, &["vitamin A", "tablet tambah darah", "makanan tambahan"]),
        ],
        intransitive: &["olahraga"],
        actors: &["kader posyandu", "bidan desa", "petugas puskesmas", "tim penggerak PKK", "relawan kesehatan"],
        programs: &["Posyandu Prima", "Gerakan Bumil Sehat", "Bulan Imunisasi Anak Nasional", "Germas"],
        goals: &[
            "angka stunting di desa terus turun",
            "ibu dan balita mendapat layanan yang lebih dekat",
            "warga terbiasa hidup bersih dan sehat",
            "penyakit dapat dicegah sejak dini",
        ],
    },
    Theme {
        topic: "pertanian",
        verbs: &[
            v("tanam", PEAN | AN, &["padi", "jagung hibrida", "kedelai", "cabai rawit", "bawang merah"]),
            v("panen", PEAN, &["padi", "jagung", "tembakau", "kacang tanah"]),
            v("pupuk", PEAN, &["sawah", "lahan jagung", "tanaman cabai"]),
            v("olah", PEAN | AN, &["lahan kering", "sawah tadah hujan", "hasil panen"]),
            v("air", I | PEAN, &["sawah", "lahan pertanian", "kebun sayur"]),
            v("semprot", PEAN, &["hama wereng", "tanaman padi", "ulat grayak"]),
            v("salur", KAN | PEAN, &["pupuk bersubsidi", "bibit unggul", "benih padi"]),
            v("kendali", KAN | PEAN, &["hama tikus", "hama wereng"]),
        ],
        intransitive: &["tani", "ternak", "kebun"],
        actors: &["kelompok tani", "gapoktan", "penyuluh pertanian", "petani muda", "kelompok wanita tani"],
        programs: &["Kartu Tani", "Asuransi Usaha Tani Padi", "Desa Mandiri Benih", "Lumbung Pangan Desa"],
        goals: &[
            "hasil panen meningkat pada musim tanam berikutnya",
            "petani tidak lagi kesulitan mendapatkan pupuk",
            "ketahanan pangan desa tetap terjaga",
            "biaya produksi bisa ditekan",
        ],
    },
    Theme {
        topic: "infrastruktur",
        verbs: &[
            v("bangun", PEAN | AN, &["jalan desa", "jembatan gantung", "talud", "balai desa", "sumur bor"]),
            v("aspal", PEAN, &["jalan desa", "jalan poros dusun", "jalan antardesa"]),
            v("pasang", PEAN, &["lampu penerangan jalan", "gorong-gorong", "pipa air bersih", "paving"]),
            v("lebar", KAN | PEAN, &["jalan desa", "saluran irigasi", "jalan usaha tani"]),
            v("gali", PEAN, &["saluran drainase", "sumur bor", "saluran irigasi"]),
            v("rehabilitasi", 0, &["jembatan", "saluran irigasi", "balai desa", "gedung posyandu"]),
            v("sambung", PEAN, &["jaringan air bersih", "jaringan listrik"]),
            v("tata", PEAN, &["drainase", "kawasan pasar desa", "alun-alun desa"]),
        ],
        intransitive: &["kerja", "gotong royong"],
        actors: &["tim pelaksana kegiatan", "perangkat desa", "warga RT 03", "Dinas PUPR", "kontraktor pelaksana"],
        programs: &["Padat Karya Tunai Desa", "Dana Desa", "Bantuan Keuangan Khusus", "Jalan Mulus Antardesa"],
        goals: &[
            "hasil panen lebih mudah diangkut ke pasar",
            "anak-anak aman berangkat ke sekolah",
            "banjir tidak lagi menggenangi permukiman",
            "warga lebih cepat menjangkau puskesmas",
        ],
    },
    Theme {
        topic: "ekonomi-umkm",
        verbs: &[
            v("jual", PEAN | AN, &["keripik singkong", "batik tulis", "kopi robusta", "madu hutan", "gula aren"]),
            v("kembang", KAN | PEAN, &["usaha keripik", "produk olahan ikan", "kerajinan bambu", "BUMDes"]),
            v("latih", PEAN, &["pelaku UMKM", "ibu rumah tangga", "pemuda desa"]),
            v("pasar", KAN | PEAN, &["produk desa", "batik tulis", "kopi robusta", "tenun ikat"]),
            v("kemas", PEAN | AN, &["keripik singkong", "terasi udang", "gula aren", "sambal pecel"]),
            v("daftar", KAN | PEAN, &["sertifikat halal", "nomor induk berusaha", "merek dagang"]),
            v("produksi", 0, &["kerupuk ikan", "jamu tradisional", "emping melinjo"]),
        ],
        intransitive: &["usaha", "dagang", "jualan"],
        actors: &["pelaku UMKM", "BUMDes", "koperasi wanita", "kelompok usaha bersama", "pendamping UMKM"],
        programs: &["Kredit Usaha Rakyat", "Sertifikasi Halal Gratis", "Pasar Desa Digital", "UMKM Naik Kelas"],
        goals: &[
            "produk desa bisa menembus pasar yang lebih luas",
            "pendapatan keluarga ikut meningkat",
            "pelaku usaha lebih mudah mendapat modal",
            "lapangan kerja baru terbuka bagi pemuda desa",
        ],
    },
    Theme {
        topic: "kebencanaan",
        verbs: &[
            v("evakuasi", 0, &["warga terdampak", "lansia dan anak-anak", "ternak warga"]),
            v("salur", KAN | PEAN, &["bantuan logistik", "air bersih", "paket sembako", "selimut dan tikar"]),
            v("tanggulang", I | PEAN, &["banjir", "tanah longsor", "kebakaran hutan"]),
            v("bersih", KAN | PEAN, &["sisa lumpur banjir", "material longsor", "pohon tumbang"]),
            v("tampung", PEAN, &["warga terdampak", "pengungsi"]),
            v("perkuat", PER, &["tanggul sungai", "tebing rawan longsor"]),
            v("siap", KAN, &["jalur evakuasi", "posko pengungsian", "perahu karet"]),
        ],
        intransitive: &["siaga", "jaga"],
        actors: &["BPBD", "relawan tagana", "Babinsa", "Bhabinkamtibmas", "tim reaksi cepat"],
        programs: &["Desa Tangguh Bencana", "Sekolah Siaga Bencana", "Kampung Siaga Bencana"],
        goals: &[
            "korban jiwa dapat dihindari",
            "warga tahu ke mana harus mengungsi",
            "bantuan sampai tepat sasaran",
            "kerusakan rumah warga bisa segera ditangani",
        ],
    },
    Theme {
        topic: "pendidikan",
        verbs: &[
            v("bimbing", PEAN | AN, &["siswa kelas enam", "anak putus sekolah", "calon penerima beasiswa"]),
            v("baca", PEAN | AN, &["buku cerita anak", "dongeng daerah"]),
            v("salur", KAN | PEAN, &["beasiswa", "bantuan seragam", "buku pelajaran"]),
            v("daftar", KAN | PEAN, &["anak usia sekolah", "calon siswa PAUD", "penerima beasiswa"]),
            v("latih", PEAN, &["guru PAUD", "relawan taman baca", "guru honorer"]),
            v("kembang", KAN | PEAN, &["taman baca", "perpustakaan desa", "sekolah alam"]),
        ],
        intransitive: &["ajar", "sekolah", "lomba"],
        actors: &["pegiat literasi", "guru PAUD", "karang taruna", "komite sekolah", "mahasiswa KKN"],
        programs: &["Program Indonesia Pintar", "Gerakan Literasi Desa", "Beasiswa Santri Berprestasi"],
        goals: &[
            "tidak ada lagi anak putus sekolah",
            "minat baca anak desa terus tumbuh",
            "siswa dari keluarga kurang mampu tetap bisa bersekolah",
        ],
    },
    Theme {
        topic: "sosial",
        verbs: &[
            v("salur", KAN | PEAN, &["bantuan langsung tunai", "paket sembako", "bantuan PKH", "beras bantuan pangan"]),
            v("data", PEAN, &["keluarga penerima manfaat", "lansia terlantar", "penyandang disabilitas"]),
            v("verifikasi", 0, &["data penerima bantuan", "usulan DTKS"]),
            v("santun", I | PEAN, &["anak yatim", "lansia terlantar", "kaum duafa"]),
            v("bedah", 0, &["rumah tidak layak huni"]),
            v("damping", I | PEAN | AN, &["keluarga penerima manfaat", "penyandang disabilitas"]),
        ],
        intransitive: &["bagi"],
        actors: &["pendamping PKH", "Dinas Sosial", "TKSK", "perangkat desa", "pengurus masjid"],
        programs: &["Program Keluarga Harapan", "BLT Dana Desa", "Bantuan Pangan Non Tunai", "Bedah Rumah"],
        goals: &[
            "bantuan tepat sasaran kepada warga yang berhak",
            "beban keluarga kurang mampu berkurang",
            "tidak ada warga yang terlewat dari pendataan",
        ],
    },
    Theme {
        topic: "pemerintahan",
        verbs: &[
            v("tetap", KAN | PEAN, &["APBDes", "peraturan desa", "RKPDes", "daftar penerima BLT"]),
            v("lapor", KAN | PEAN | AN, &["realisasi Dana Desa", "penggunaan anggaran desa"]),
            v("rencana", KAN | PEAN, &["pembangunan desa", "kegiatan tahun depan", "RKPDes"]),
            v("lantik", PEAN, &["perangkat desa", "anggota BPD", "kepala dusun"]),
            v("layan", I | PEAN, &["pengurusan surat keterangan", "administrasi warga", "pengaduan warga"]),
            v("sosialisasi", KAN, &["peraturan desa", "APBDes", "layanan desa daring"]),
        ],
        intransitive: &["musyawarah", "partisipasi"],
        actors: &["pemerintah desa", "BPD", "camat", "perangkat desa", "tokoh masyarakat"],
        programs: &["Desa Antikorupsi", "Pelayanan Satu Pintu", "Desa Digital"],
        goals: &[
            "pengelolaan anggaran desa makin terbuka",
            "warga tidak perlu antre lama mengurus surat",
            "usulan warga masuk dalam rencana pembangunan",
        ],
    },
    Theme {
        topic: "lingkungan",
        verbs: &[
            v("bersih", KAN | PEAN, &["sungai desa", "saluran air", "pantai", "makam umum"]),
            v("kelola", PEAN, &["bank sampah", "sampah rumah tangga", "TPS3R"]),
            v("pilah", PEAN, &["sampah plastik", "sampah organik"]),
            v("tanam", PEAN | AN, &["bibit pohon", "mangrove", "pohon trembesi"]),
            v("olah", PEAN | AN, &["sampah organik", "minyak jelantah", "limbah ternak"]),
            v("hijau", KAN | PEAN, &["lahan kritis", "bantaran sungai"]),
        ],
        intransitive: &["gotong royong", "kerja bakti"],
        actors: &["pengurus bank sampah", "karang taruna", "ibu-ibu PKK", "komunitas peduli sungai", "siswa SMP"],
        programs: &["Kampung Iklim", "Jumat Bersih", "Desa Bebas Sampah Plastik", "Adiwiyata"],
        goals: &[
            "sungai kembali bersih dari sampah",
            "sampah rumah tangga bernilai ekonomi",
            "lingkungan desa lebih hijau dan sejuk",
        ],
    },
    Theme {
        topic: "kependudukan",
        verbs: &[
            v("rekam", PEAN | AN, &["e-KTP pemula", "e-KTP warga lansia", "data sidik jari"]),
            v("urus", PEAN, &["akta kelahiran", "kartu keluarga", "surat pindah"]),
            v("catat", PEAN | AN, &["kelahiran", "perkawinan", "kematian"]),
            v("cetak", PEAN, &["kartu identitas anak", "e-KTP", "kartu keluarga"]),
            v("perbarui", PER, &["data kependudukan", "kartu keluarga"]),
        ],
        intransitive: &["kumpul"],
        actors: &["petugas Dispendukcapil", "operator desa", "perangkat desa", "petugas kecamatan"],
        programs: &["Jemput Bola Adminduk", "Layanan Adminduk Daring", "Gerakan Sadar Adminduk"],
        goals: &[
            "semua warga memiliki dokumen kependudukan",
            "warga tidak perlu jauh-jauh ke kantor kabupaten",
            "data kependudukan desa selalu mutakhir",
        ],
    },
    Theme {
        topic: "keamanan",
        verbs: &[
            v("jaga", PEAN, &["pos kamling", "keamanan lingkungan", "arus mudik"]),
            v("aman", KAN | PEAN, &["arus mudik", "pasar malam", "pelaksanaan pilkades"]),
            v("tertib", KAN | PEAN, &["parkir liar", "balap liar", "pedagang kaki lima"]),
            v("awas", I | PEAN, &["peredaran narkoba", "pencurian ternak"]),
            v("cegah", PEAN, &["peredaran narkoba", "tawuran remaja", "pencurian"]),
        ],
        intransitive: &["ronda", "patroli"],
        actors: &["Bhabinkamtibmas", "Babinsa", "anggota linmas", "pemuda desa", "Satpol PP"],
        programs: &["Kampung Tangguh", "Siskamling Swakarsa", "Desa Bersinar"],
        goals: &["warga merasa aman beraktivitas malam hari", "angka kriminalitas terus menurun"],
    },
    Theme {
        topic: "budaya-pariwisata",
        verbs: &[
            v("lestari", KAN | PEAN, &["tari tradisional", "kesenian jaranan", "tradisi sedekah bumi"]),
            v("gelar", 0, &["sedekah bumi", "karapan sapi", "festival kuliner", "larung sesaji"]),
            v("pentas", KAN | PEAN, &["reog", "tari remo", "ludruk", "kesenian jaranan"]),
            v("kenal", KAN | PEAN, &["desa wisata", "kuliner khas desa", "batik tulis"]),
            v("kunjung", I | AN, &["desa wisata", "air terjun", "kampung batik"]),
            v("kelola", PEAN, &["desa wisata", "homestay", "wisata religi"]),
        ],
        intransitive: &["wisata", "latih"],
        actors: &["kelompok sadar wisata", "sanggar tari", "pemuda desa", "pengelola wisata", "seniman lokal"],
        programs: &["Desa Wisata Mandiri", "Festival Budaya Desa", "Kalender Event Kabupaten"],
        goals: &[
            "tradisi leluhur tetap lestari",
            "kunjungan wisatawan ikut menggerakkan ekonomi warga",
            "generasi muda mengenal budaya daerahnya",
        ],
    },
];

const ROLES: &[&str] =
    &["kepala desa", "sekretaris desa", "ketua KIM", "ketua RT", "kepala dusun", "ketua BPD", "warga setempat"];
const MONTHS: &[&str] = &[
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const FUNDS: &[&str] =
    &["Dana Desa", "APBD kabupaten", "swadaya masyarakat", "bantuan keuangan provinsi", "CSR perusahaan"];
const OUTCOMES: &[&str] =
    &["Rampung", "Dimulai", "Capai 80 Persen", "Ditargetkan Selesai Bulan Depan", "Berjalan Lancar"];
const GATHERINGS: &[&str] = &["Sosialisasi", "Pelatihan", "Musyawarah", "Penyuluhan", "Lomba", "Gerakan"];
const PLACES: &[&str] = &["Balai Desa", "Pendopo Kecamatan", "Aula Kantor Desa", "Lapangan", "Gedung Serbaguna"];
const PRODUCTS: &[(&str, &str)] = &[
    ("Keripik Singkong Balado", "bungkus"),
    ("Batik Tulis Motif Gedog", "lembar"),
    ("Kopi Robusta Bubuk", "kemasan 250 gram"),
    ("Madu Hutan Murni", "botol"),
    ("Gula Aren Cetak", "kilogram"),
    ("Terasi Udang", "bungkus"),
    ("Kerupuk Ikan Tenggiri", "bungkus"),
    ("Tenun Ikat", "lembar"),
    ("Sambal Pecel", "bungkus"),
    ("Jamu Kunyit Asam", "botol"),
    ("Emping Melinjo", "kilogram"),
    ("Anyaman Bambu", "buah"),
];
const REQUIREMENTS: &[&str] = &[
    "fotokopi KTP elektronik",
    "fotokopi kartu keluarga",
    "surat pengantar dari RT/RW",
    "pas foto ukuran 3x4",
    "surat keterangan tidak mampu dari desa",
    "buku tabungan atas nama sendiri",
];
/// Words kept lower case inside a title.
const SMALL_WORDS: &[&str] =
    &["di", "ke", "dari", "dan", "yang", "untuk", "bagi", "pada", "dengan", "hingga", "oleh", "atau", "per", "agar"];

/// Capitalises each word but the small ones (acronyms stay as they are).
pub fn title_case(text: &str) -> String {
    text.split(' ')
        .enumerate()
        .map(|(i, word)| if i > 0 && SMALL_WORDS.contains(&word) { word.to_owned() } else { capitalise(word) })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text with its first letter upper case.
fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

const WEEKDAYS: &[&str] = &["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"];

/// A date as Indonesian text says it, in WIB: `Jumat, 19 Desember 2025`.
pub fn tanggal(t: Timestamp) -> String {
    use chrono::Datelike;
    let wib = t.to_utc() + chrono::Duration::seconds(i64::from(WIB_OFFSET_SECONDS));
    format!(
        "{}, {} {} {}",
        WEEKDAYS[wib.weekday().num_days_from_monday() as usize],
        wib.day(),
        MONTHS[wib.month0() as usize],
        wib.year()
    )
}

/// Draws words of a theme.
struct Writer<'a> {
    rng: &'a mut ChaCha8Rng,
    theme: &'static Theme,
    place: &'a str,
    org: &'a str,
}

impl Writer<'_> {
    fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        *list.choose(self.rng).expect("a non-empty list")
    }

    /// A verb and an object it fits.
    fn verb(&mut self) -> (Root, &'static str) {
        let verb = self.theme.verbs.choose(self.rng).expect("verbs");
        (verb.root, *verb.objects.choose(self.rng).expect("objects"))
    }

    /// A verb with a peN-an noun, and an object.
    fn process_verb(&mut self) -> (Root, &'static str) {
        let fitting: Vec<&Verb> = self.theme.verbs.iter().filter(|v| v.root.flags & PEAN != 0).collect();
        let verb = fitting.choose(self.rng).expect("every theme has peN-an verbs");
        (verb.root, *verb.objects.choose(self.rng).expect("objects"))
    }

    /// A process noun phrase: `pembangunan jalan desa`.
    fn process(&mut self) -> String {
        let (root, object) = self.process_verb();
        format!("{} {object}", pen_an(&root))
    }

    fn actor(&mut self) -> &'static str {
        self.pick(self.theme.actors)
    }

    fn goal(&mut self) -> &'static str {
        self.pick(self.theme.goals)
    }

    fn person(&mut self) -> String {
        format!("{} {}", self.pick(demo::FIRST_NAMES), self.pick(demo::LAST_NAMES))
    }

    fn number(&mut self, low: u32, high: u32) -> u32 {
        self.rng.random_range(low..high)
    }

    fn month(&mut self) -> &'static str {
        self.pick(MONTHS)
    }

    fn sentence(&mut self) -> String {
        let place = self.place.to_owned();
        match self.rng.random_range(0..13) {
            0 => {
                let ((root, object), month) = (self.verb(), self.month());
                format!("{} di {place} mulai {} sejak bulan {month} lalu.", capitalise(object), di(&root))
            }
            1 => {
                let (person, role, (root, object), goal) = (self.person(), self.pick(ROLES), self.verb(), self.goal());
                format!("Menurut {person}, {role}, kegiatan ini bertujuan {} {object} agar {goal}.", men(&root))
            }
            2 => {
                let (n, (root, object)) = (self.number(20, 400), self.verb());
                format!("Sebanyak {n} warga ikut {} {object} dalam kegiatan tersebut.", men(&root))
            }
            3 => {
                let ((root, object), person, role) = (self.verb(), self.person(), self.pick(ROLES));
                format!("\"Kami {} {object} secara bergotong royong,\" ujar {person}, {role}.", men(&root))
            }
            4 => {
                let (process, fund, amount) = (self.process(), self.pick(FUNDS), self.number(15, 950));
                format!("Kegiatan {process} ini dibiayai dari {fund} sebesar Rp{amount} juta.")
            }
            5 => {
                let (actor, (root, object), year) = (self.actor(), self.verb(), self.number(2025, 2028));
                format!("{} akan terus {} {object} hingga tahun {year}.", capitalise(actor), men(&root))
            }
            6 => {
                let process = self.process();
                format!(
                    "Warga yang ingin mengetahui jadwal {process} dapat menghubungi {} melalui kantor desa atau grup WhatsApp KIM.",
                    self.org
                )
            }
            7 => {
                let ((root, object), goal) = (self.verb(), self.goal());
                format!("Setelah {object} {}, diharapkan {goal}.", di(&root))
            }
            8 => match self.theme.intransitive.choose(self.rng) {
                Some(root) => format!("Warga {place} juga diajak {} bersama.", ber(root)),
                None => format!("Warga {place} menyambut baik kegiatan ini."),
            },
            9 => {
                let with_an: Vec<&Verb> = self.theme.verbs.iter().filter(|v| v.root.flags & AN != 0).collect();
                match with_an.choose(self.rng) {
                    Some(verb) => {
                        let actor = self.actor();
                        format!("Menurut {actor}, mutu {} warga terus membaik dari tahun ke tahun.", an(&verb.root))
                    }
                    None => {
                        let actor = self.actor();
                        format!("Pendampingan dilakukan oleh {actor} setiap pekan.")
                    }
                }
            }
            10 => {
                let (actor, process) = (self.actor(), self.process());
                format!("Selain itu, {actor} juga melakukan {process} di sejumlah dusun.")
            }
            11 => {
                let process = self.process();
                let day = self.pick(WEEKDAYS);
                format!("{} dilakukan setiap hari {day} mulai pukul 08.00 WIB.", capitalise(&process))
            }
            _ => {
                let (program, goal) = (self.pick(self.theme.programs), self.goal());
                format!("Langkah ini sejalan dengan program {} agar {goal}.", program.trim_start_matches("Program "))
            }
        }
    }

    fn paragraph(&mut self) -> String {
        let n = self.rng.random_range(2..5);
        (0..n).map(|_| self.sentence()).collect::<Vec<_>>().join(" ")
    }
}

/// Item `index` of `seed`: the same for the same plan, seed and index.
pub fn generate(plan: &Plan, seed: u64, index: u64) -> Generated {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    let publisher = &plan.publishers[rng.random_range(0..plan.publishers.len())];
    // Most items target the publisher's own region.
    let target = if rng.random_bool(0.6) {
        &publisher.targets[0]
    } else {
        &publisher.targets[rng.random_range(0..publisher.targets.len())]
    };
    let kind = match rng.random_range(0..100) {
        0..55 => "berita",
        55..70 => "pengumuman",
        70..80 => "kebijakan",
        80..92 => "agenda",
        _ => "produk",
    };
    let theme = match kind {
        "produk" => THEMES.iter().find(|t| t.topic == "ekonomi-umkm").expect("an economy theme"),
        _ => &THEMES[rng.random_range(0..THEMES.len())],
    };
    let published_at =
        Timestamp(plan.anchor.millis() - rng.random_range(0..730 * DAY_MILLIS) - rng.random_range(0..DAY_MILLIS / 2));
    let place = target.name.clone();
    let mut w = Writer { rng: &mut rng, theme, place: &place, org: &publisher.name };
    let mut form = ContentForm {
        kind: kind.to_owned(),
        regions: vec![target.code.as_str().to_owned()],
        topics: vec![theme.topic.to_owned()],
        ..ContentForm::default()
    };
    // The item's subject: one verb and its object, in the title and the lead.
    let (root, object) = w.process_verb();
    let process = format!("{} {object}", pen_an(&root));
    let actor = w.actor();
    let goal = w.goal();
    let day = tanggal(Timestamp(published_at.millis() - DAY_MILLIS));
    let mut body: Vec<String> = Vec::new();
    let (title, lead) = match kind {
        "pengumuman" => {
            let until = tanggal(Timestamp(published_at.millis() + i64::from(w.number(7, 30)) * DAY_MILLIS));
            let title = match w.number(0, 3) {
                0 => format!("Pengumuman: {process} dibuka hingga {}", until.split(", ").nth(1).unwrap_or(&until)),
                1 => {
                    let (month, year) = (w.month(), w.number(2024, 2027));
                    format!("Jadwal {process} di {place} bulan {month} {year}")
                }
                _ => format!("Pemberitahuan {process} untuk warga {place}"),
            };
            let lead = format!(
                "Warga {place} diminta memperhatikan jadwal {process}. Pendaftaran dibuka hingga {until} di kantor desa."
            );
            (title, lead)
        }
        "kebijakan" => {
            let program = w.pick(theme.programs).trim_start_matches("Program ");
            let title = match w.number(0, 3) {
                0 => format!("Program {program}: cara {} dan syarat bagi warga", pen_an(&root)),
                1 => format!("Mengenal program {program} bersama {actor}"),
                _ => {
                    let (month, year) = (w.month(), w.number(2024, 2027));
                    format!("Aturan baru {process} berlaku mulai {month} {year}")
                }
            };
            let lead = format!(
                "Program {program} mengatur {process} agar {goal}. Berikut penjelasan siapa yang berhak, syarat, dan cara mengikutinya."
            );
            (title, lead)
        }
        "agenda" => {
            let gathering = w.pick(GATHERINGS);
            let days = i64::from(w.number(2, 30));
            let hour = i64::from(*[8_u32, 9, 13, 19].choose(w.rng).expect("hours"));
            let midnight_wib = demo::wib_midnight(published_at.millis());
            let starts = Timestamp(midnight_wib + days * DAY_MILLIS + hour * 3_600_000);
            let ends = Timestamp(starts.millis() + i64::from(w.number(2, 5)) * 3_600_000);
            let hall = w.pick(PLACES);
            let short =
                place.trim_start_matches("Desa ").trim_start_matches("Kelurahan ").trim_start_matches("Kecamatan ");
            form.starts_at = starts.to_rfc3339();
            form.ends_at = ends.to_rfc3339();
            form.place = format!("{hall} {short}");
            let when = format!("{} pukul {hour:02}.00 WIB", tanggal(starts));
            body.push(format!("**Waktu:** {when}  \n**Tempat:** {}", form.place));
            let lead = format!(
                "{gathering} {process} akan digelar di {} pada {when}. Warga {place} diundang hadir.",
                form.place
            );
            (format!("{gathering} {process} di {place}"), lead)
        }
        "produk" => {
            let (product, unit) = w.pick(PRODUCTS);
            let min = 5_000 + 500 * i64::from(w.number(0, 290));
            let max = if w.rng.random_bool(0.7) { Some(min + 500 * i64::from(w.number(2, 200))) } else { None };
            form.price_min = min.to_string();
            form.price_max = max.map(|m| m.to_string()).unwrap_or_default();
            form.contact = format!("08{}", w.rng.random_range(1_100_000_000_u64..1_399_999_999));
            let title = match w.number(0, 2) {
                0 => format!("{product} khas {place}"),
                _ => format!("{product} produksi {actor} {place} tembus pasar daring"),
            };
            let lead = format!(
                "{product} buatan {actor} {place} dijual mulai Rp{} per {unit}. Pemesanan bisa melalui WhatsApp.",
                rupiah(min)
            );
            (title, lead)
        }
        _ => {
            let title = match w.number(0, 5) {
                0 => format!("{actor} {} {object} di {place}", men(&root)),
                1 => {
                    let outcome = w.pick(OUTCOMES);
                    format!("{process} di {place} {outcome}")
                }
                2 => format!("{object} di {place} {}, warga sambut gembira", di(&root)),
                3 => {
                    let n = w.number(12, 300);
                    format!("{n} warga {place} ikuti {process}")
                }
                _ => format!("warga {place} gotong royong {} {object}", men(&root)),
            };
            let lead = format!("{} {} {object} di {place} pada {day} agar {goal}.", capitalise(actor), men(&root));
            (title, lead)
        }
    };
    form.title = title_case(&title);
    form.summary = lead.clone();
    let extra = w.sentence();
    body.push(format!("{lead} {extra}"));
    let paragraphs = 2 + w.number(0, 4) as usize;
    body.extend((0..paragraphs).map(|_| w.paragraph()));
    if matches!(kind, "pengumuman" | "kebijakan") {
        let mut list = String::from("Persyaratan yang perlu disiapkan:\n");
        let count = 2 + w.number(0, 3) as usize;
        for requirement in REQUIREMENTS.iter().take(count) {
            list.push_str(&format!("\n- {requirement}"));
        }
        body.insert(body.len().min(2), list);
    }
    if w.rng.random_bool(0.3) {
        let person = w.person();
        form.source_name = format!("{person}, {}", w.pick(ROLES));
    }
    form.body = body.join("\n\n");
    Generated { org: publisher.org.id, form, published_at }
}

/// Rupiah with thousands dots: `15.000`.
pub fn rupiah(amount: i64) -> String {
    let digits = amount.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affixes_follow_indonesian_assimilation() {
        let bangun = r("bangun", PEAN | AN);
        assert_eq!(
            (men(&bangun), di(&bangun), pen_an(&bangun), an(&bangun)),
            ("membangun".into(), "dibangun".into(), "pembangunan".into(), "bangunan".into())
        );
        let tanam = r("tanam", PEAN | AN);
        assert_eq!((men(&tanam), pen_an(&tanam), an(&tanam)), ("menanam".into(), "penanaman".into(), "tanaman".into()));
        for (root, flags, active, passive, noun) in [
            ("salur", KAN, "menyalurkan", "disalurkan", "penyaluran"),
            ("kelola", 0, "mengelola", "dikelola", "pengelolaan"),
            ("pasang", 0, "memasang", "dipasang", "pemasangan"),
            ("latih", 0, "melatih", "dilatih", "pelatihan"),
            ("layan", I, "melayani", "dilayani", "pelayanan"),
            ("air", I, "mengairi", "diairi", "pengairan"),
            ("olah", 0, "mengolah", "diolah", "pengolahan"),
            ("cegah", 0, "mencegah", "dicegah", "pencegahan"),
            ("periksa", 0, "memeriksa", "diperiksa", "pemeriksaan"),
            ("tertib", KAN, "menertibkan", "ditertibkan", "penertiban"),
            ("rawat", 0, "merawat", "dirawat", "perawatan"),
            ("hijau", KAN, "menghijaukan", "dihijaukan", "penghijauan"),
            ("gali", 0, "menggali", "digali", "penggalian"),
            ("awas", I, "mengawasi", "diawasi", "pengawasan"),
            ("tampung", 0, "menampung", "ditampung", "penampungan"),
        ] {
            let root = r(root, flags);
            assert_eq!(
                (men(&root), di(&root), pen_an(&root)),
                (active.into(), passive.into(), noun.into()),
                "{root:?}"
            );
        }
        assert_eq!(men(&r("produksi", 0)), "memproduksi", "a cluster keeps its consonant");
        assert_eq!((men(&r("perkuat", PER)), di(&r("perkuat", PER))), ("memperkuat".into(), "diperkuat".into()));
        assert_eq!(ber("ajar"), "belajar");
        assert_eq!(rupiah(1_500_000), "1.500.000");
        assert_eq!(tanggal(Timestamp(1_766_102_400_000)), "Jumat, 19 Desember 2025");
        assert_eq!(men(&r("sosialisasi", KAN)), "menyosialisasikan");
        assert_eq!(
            [ber("tani"), ber("ternak"), ber("kerja"), ber("usaha"), ber("siaga")],
            ["bertani", "beternak", "bekerja", "berusaha", "bersiaga"]
        );
    }

    #[test]
    fn titles_are_title_cased() {
        assert_eq!(
            title_case("pembangunan jalan desa di Desa Jlodro rampung"),
            "Pembangunan Jalan Desa di Desa Jlodro Rampung"
        );
        assert_eq!(title_case("program PKH untuk warga"), "Program PKH untuk Warga");
    }

    fn plan() -> Plan {
        let org = OrgRef {
            id: jembatan_domain::OrgId::generate(),
            kind: OrgKind::Kim,
            region: RegionCode::parse("35.23.01.2001").unwrap(),
        };
        Plan {
            publishers: vec![Publisher {
                org,
                name: "KIM Cahaya Desa Jlodro".into(),
                targets: vec![
                    Target { code: RegionCode::parse("35.23.01.2001").unwrap(), name: "Desa Jlodro".into() },
                    Target { code: RegionCode::parse("35.23.01").unwrap(), name: "Kecamatan Kenduruan".into() },
                ],
            }],
            anchor: Timestamp(1_767_225_600_000),
        }
    }

    #[test]
    fn the_same_seed_generates_the_same_valid_items() {
        let plan = plan();
        let mut kinds = std::collections::HashSet::new();
        for index in 0..300 {
            let a = generate(&plan, 7, index);
            let b = generate(&plan, 7, index);
            assert_eq!(a.form, b.form);
            assert_eq!(a.published_at, b.published_at);
            let draft = a.form.validate().unwrap_or_else(|e| panic!("item {index}: {e:?}\n{:#?}", a.form));
            assert!(draft.body.split("\n\n").count() >= 3, "several paragraphs");
            assert!(a.published_at < plan.anchor && a.published_at.millis() > plan.anchor.millis() - 731 * DAY_MILLIS);
            kinds.insert(draft.kind);
        }
        assert_eq!(kinds.len(), 5, "every type");
        assert_ne!(generate(&plan, 7, 0).form.title, generate(&plan, 8, 0).form.title);
    }
}
