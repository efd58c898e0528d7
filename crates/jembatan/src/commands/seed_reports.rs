//! `jembatan seed --reports N`: generated aspiration reports with their
//! histories, for benchmarks (the officers' queue at a million reports).
//!
//! - Deterministic: report `i` of seed `s` comes from its own ChaCha8
//!   stream, and its tracking number is a bijection of `i` and `s`, so
//!   running again adds nothing (reports are keyed by tracking number) and
//!   no two reports of one seed share a number. Dates count back from the
//!   start of the current day (UTC).
//! - Realistic: the villages of the regencies where the demo organisations
//!   work, the managed categories, the three classes and reporter modes,
//!   Indonesian text per category. Each case is worked as officers would
//!   (verify, dispatch to the agency the category suggests, follow up,
//!   answer, then a rating or the silent close; some archived, held or not
//!   ours), each step a little later than the one before; the steps that
//!   would fall after today are not taken yet, so recent reports wait in
//!   the queues with live deadlines, while old ones are settled.
//! - Batched: written by [`aspirations::import_many`], which replays each
//!   history through the workflow's state machine and deadline rules.

use std::collections::BTreeSet;

use anyhow::{Context, bail};
use chrono::Duration;
use jembatan_domain::aspiration::{Channel, Filing, ReportForm, ReportStep, TRACKING_RANDOM_BYTES, TrackingNumber};
use jembatan_domain::calendar::wib_date;
use jembatan_domain::organisation::{OrgKind, WorkCategory};
use jembatan_domain::{OrgId, RegionCode, Timestamp};
use jembatan_store::aspirations::{self, Category, ImportedEvent, ImportedReport};
use jembatan_store::{Db, Tx, organisations, regions};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::seed::{BatchWrite, SeedReport, publishers, write_in_batches};

const HOUR_MILLIS: i64 = 3_600_000;
const DAY_MILLIS: i64 = 24 * HOUR_MILLIS;
/// How far back reports go.
const SPAN_DAYS: f64 = 730.0;
/// Keeps report `i`'s stream apart from content item `i`'s.
const STREAM_SALT: u64 = 0x5245_504f_5254_5321;

/// A village reports are filed in, with the names text uses.
#[derive(Debug, Clone)]
pub struct Place {
    pub code: RegionCode,
    /// `Desa Jlodro`, `Kelurahan Kebonsari`.
    pub village: String,
}

/// A body cases are dispatched to.
#[derive(Debug, Clone)]
pub struct Handler {
    pub id: OrgId,
    pub region: RegionCode,
    pub categories: Vec<WorkCategory>,
}

/// What the generator draws from.
#[derive(Debug, Clone)]
pub struct ReportPlan {
    pub places: Vec<Place>,
    pub handlers: Vec<Handler>,
    pub categories: Vec<Category>,
    /// KIMs that file on neighbours' behalf, with their village.
    pub kims: Vec<(OrgId, RegionCode)>,
    /// The start of the day dates count back from.
    pub anchor: Timestamp,
}

impl ReportPlan {
    /// Reads the villages of the regencies where the organisations work,
    /// the agencies and bodies of their provinces, the KIMs and categories.
    pub async fn load(db: &Db) -> anyhow::Result<Self> {
        let orgs = publishers(db).await?;
        let regencies: BTreeSet<String> = orgs.iter().filter_map(|o| o.region.regency().map(String::from)).collect();
        let provinces: BTreeSet<RegionCode> = orgs.iter().map(|o| o.region.province()).collect();
        let mut places = Vec::new();
        for regency in &regencies {
            let regency = RegionCode::parse(regency).context("regency code")?;
            for district in regions::children(db, &regency).await? {
                for village in regions::children(db, &district.region_code()).await? {
                    let code = village.region_code();
                    let kelurahan = code.as_str().rsplit('.').next().is_some_and(|last| last.starts_with('1'));
                    let kind = if kelurahan { "Kelurahan" } else { "Desa" };
                    places.push(Place { village: format!("{kind} {}", village.name), code });
                }
            }
        }
        if places.is_empty() {
            bail!("no village to file reports in: load the regions and the demo data (jembatan demo)");
        }
        let mut handlers = Vec::new();
        let mut kims = Vec::new();
        for province in &provinces {
            for kind in [OrgKind::Agency, OrgKind::Body] {
                for org in organisations::list(db, Some(kind), province).await? {
                    handlers.push(Handler { id: org.id, region: org.region, categories: org.profile.categories });
                }
            }
            for kim in organisations::list(db, Some(OrgKind::Kim), province).await? {
                kims.push((kim.id, kim.region));
            }
        }
        let categories = aspirations::categories(db).await?;
        let now = Timestamp::now().millis();
        Ok(ReportPlan { places, handlers, categories, kims, anchor: Timestamp(now - now.rem_euclid(DAY_MILLIS)) })
    }

    /// The body a verifier would pick for a case: one whose work matches
    /// the category, else any serving the village; `None` when no body
    /// here serves it.
    fn handler_for(&self, place: &RegionCode, category: &Category) -> Option<OrgId> {
        let serving: Vec<&Handler> =
            self.handlers.iter().filter(|h| h.region.contains(place) || place.contains(&h.region)).collect();
        let work = category.work_category.as_deref().and_then(WorkCategory::parse);
        serving
            .iter()
            .find(|h| work.is_some_and(|w| h.categories.contains(&w)))
            .or_else(|| serving.first())
            .map(|h| h.id)
    }
}

/// Generates and writes reports `0..count` of `seed`, `batch` per
/// transaction; `progress` hears how many are done.
pub async fn seed(
    db: &Db,
    plan: &ReportPlan,
    count: u64,
    seed: u64,
    batch: usize,
    progress: &mut dyn FnMut(u64),
) -> anyhow::Result<SeedReport> {
    let make_batch = |range: std::ops::Range<u64>| range.map(|index| generate(plan, seed, index)).collect();
    write_in_batches(db, count, batch, "reports", progress, make_batch, write_reports).await
}

fn write_reports<'t>(tx: &'t mut Tx<'_>, reports: Vec<ImportedReport>) -> BatchWrite<'t> {
    Box::pin(async move {
        let counts = aspirations::import_many(tx, &reports).await?;
        Ok((counts.created, counts.existing))
    })
}

/// The tracking number of report `index` of `seed`: a bijection of the
/// index on 40 bits (multiply by odd constants, xor-shift), keyed by the
/// seed, so numbers look random and never repeat within a seed.
pub fn tracking(province: &RegionCode, seed: u64, index: u64) -> TrackingNumber {
    const MASK: u64 = (1 << 40) - 1;
    let mut x = (index.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ seed.wrapping_mul(0xD1B5_4A32_D192_ED03)) & MASK;
    x = (x ^ (x >> 21)) & MASK;
    x = x.wrapping_mul(0x0000_00F1_357A_EA2F | 1) & MASK;
    x = (x ^ (x >> 19)) & MASK;
    let bytes = x.to_be_bytes();
    let mut random = [0u8; TRACKING_RANDOM_BYTES];
    random.copy_from_slice(&bytes[8 - TRACKING_RANDOM_BYTES..]);
    TrackingNumber::from_random(province, random)
}

/// Report `index` of `seed`, with its history up to the plan's anchor.
pub fn generate(plan: &ReportPlan, seed: u64, index: u64) -> anyhow::Result<ImportedReport> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ STREAM_SALT);
    rng.set_stream(index);
    let place = plan.places.choose(&mut rng).context("places")?;
    let category = plan.categories.choose(&mut rng).context("categories")?;
    let words = words_for(&category.slug);
    let class = match rng.random_range(0..100) {
        0..55 => "pengaduan",
        55..85 => "aspirasi",
        _ => "permintaan_informasi",
    };
    let mode = match (class, rng.random_range(0..100)) {
        ("permintaan_informasi", 0..85) => "named",
        ("permintaan_informasi", _) => "confidential",
        (_, 0..60) => "named",
        (_, 60..90) => "anonymous",
        _ => "confidential",
    };
    // More reports lately than two years ago.
    let age = rng.random::<f64>().powi(2) * SPAN_DAYS * DAY_MILLIS as f64;
    let filed_at = Timestamp(plan.anchor.millis() - 1 - age as i64);
    let event_day = wib_date(filed_at) - Duration::days(rng.random_range(0..6));
    let first = FIRST_NAMES.choose(&mut rng).expect("names");
    let last = LAST_NAMES.choose(&mut rng).expect("names");
    let email = if rng.random_bool(0.4) {
        format!("{}.{}{}@contoh.id", first.to_lowercase(), last.to_lowercase(), rng.random_range(1..100))
    } else {
        String::new()
    };
    let (title, description) = if class == "permintaan_informasi" {
        let about = words.information.choose(&mut rng).expect("words");
        (
            format!("Permohonan informasi {about} di {}", place.village),
            format!(
                "Saya memohon salinan informasi {about} di {} untuk tahun {}. Informasi ini akan saya gunakan untuk \
                 memantau pelaksanaan program bersama warga. {}",
                place.village,
                event_day.format("%Y"),
                CLOSINGS.choose(&mut rng).expect("words")
            ),
        )
    } else {
        let problem = words.problems.choose(&mut rng).expect("words");
        let verb = if class == "aspirasi" { "Usulan" } else { "Keluhan" };
        (
            format!("{verb}: {problem} di {}", place.village),
            format!(
                "{} di {} sejak {} minggu terakhir. {} {} {}",
                capitalised(problem),
                place.village,
                rng.random_range(1..9),
                words.impacts.choose(&mut rng).expect("words"),
                words.requests.choose(&mut rng).expect("words"),
                CLOSINGS.choose(&mut rng).expect("words")
            ),
        )
    };
    let form = ReportForm {
        class: class.to_owned(),
        title,
        description,
        category: category.slug.clone(),
        region: place.code.as_str().to_owned(),
        event_date: event_day.format("%Y-%m-%d").to_string(),
        mode: mode.to_owned(),
        name: format!("{first} {last}"),
        phone: format!("08{}{:09}", rng.random_range(11..99), rng.random_range(0..1_000_000_000u64)),
        email,
        ..ReportForm::default()
    };
    let report = form
        .validate(Filing { with_account: false, region_may_be_located: false }, wib_date(plan.anchor))
        .map_err(|e| anyhow::anyhow!("generated report {index}: {e:?}"))?;
    let channel = match rng.random_range(0..100) {
        0..70 => Channel::Web,
        70..85 => Channel::Api,
        _ => Channel::Open311,
    };
    let facilitated_by = if rng.random_bool(0.15) {
        plan.kims.iter().find(|(_, village)| *village == place.code).map(|(id, _)| *id)
    } else {
        None
    };
    let handler = plan.handler_for(&place.code, category);
    let history = History::new(filed_at, plan.anchor).work(&mut rng, handler, words);
    Ok(ImportedReport {
        report,
        tracking: tracking(&place.code, seed, index),
        channel,
        facilitated_by,
        filed_at,
        history,
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A case's history as it is being worked: each event a while after the
/// one before, none after the anchor (those are still to come).
struct History {
    at: Timestamp,
    anchor: Timestamp,
    events: Vec<(Timestamp, ImportedEvent)>,
}

impl History {
    fn new(filed_at: Timestamp, anchor: Timestamp) -> Self {
        History { at: filed_at, anchor, events: Vec::new() }
    }

    /// Adds `event` `hours` after the last one; false (and nothing added)
    /// when that is after the anchor.
    fn then(&mut self, hours: f64, event: ImportedEvent) -> bool {
        let at = Timestamp(self.at.millis() + (hours * HOUR_MILLIS as f64) as i64);
        if at > self.anchor {
            return false;
        }
        self.at = at;
        self.events.push((at, event));
        true
    }

    fn step(&mut self, hours: f64, step: ReportStep, org: Option<OrgId>, note: Option<&str>) -> bool {
        self.then(hours, ImportedEvent::Step { step, org, public_note: note.map(str::to_owned) })
    }

    /// Works the case as officers and the reporter would.
    fn work(mut self, rng: &mut ChaCha8Rng, handler: Option<OrgId>, words: &Words) -> Vec<(Timestamp, ImportedEvent)> {
        let roll = rng.random_range(0..100);
        if roll < 4 {
            let note = "Laporan tidak dapat diproses: isi laporan tidak lengkap dan pelapor tidak dapat dihubungi.";
            self.step(rng.random_range(2.0..60.0), ReportStep::Archive, None, Some(note));
            return self.events;
        }
        if !self.step(rng.random_range(1.0..70.0), ReportStep::Verify, None, None) {
            return self.events;
        }
        let Some(handler) = handler.filter(|_| roll >= 10) else {
            self.step(rng.random_range(1.0..30.0), ReportStep::NotAuthority, None, Some(words.elsewhere));
            return self.events;
        };
        if !self.step(rng.random_range(1.0..30.0), ReportStep::Dispatch, Some(handler), None) {
            return self.events;
        }
        if roll < 13 {
            let note = "Penanganan menunggu anggaran perubahan tahun berjalan.";
            if !self.step(rng.random_range(24.0..120.0), ReportStep::Hold, None, Some(note))
                || !self.step(rng.random_range(120.0..480.0), ReportStep::Resume, None, None)
                || !self.step(rng.random_range(1.0..24.0), ReportStep::Dispatch, Some(handler), None)
            {
                return self.events;
            }
        }
        if rng.random_bool(0.8) && !self.step(rng.random_range(2.0..48.0), ReportStep::FollowUp, None, None) {
            return self.events;
        }
        let answer = words.answers.choose(rng).expect("words");
        if !self.step(rng.random_range(24.0..200.0), ReportStep::Answer, None, Some(answer)) {
            return self.events;
        }
        match rng.random_range(0..100) {
            0..55 => {
                let rating = *[5, 5, 4, 4, 4, 3, 2, 1].choose(rng).expect("ratings");
                let comment = (rating >= 4).then(|| "Terima kasih, sudah ditangani.".to_owned());
                self.then(rng.random_range(2.0..190.0), ImportedEvent::Rated { rating, comment });
            }
            _ => {
                self.then(21.0 * 24.0, ImportedEvent::Closed);
            }
        }
        self.events
    }
}

/// What people write about a category.
struct Words {
    problems: &'static [&'static str],
    impacts: &'static [&'static str],
    requests: &'static [&'static str],
    information: &'static [&'static str],
    answers: &'static [&'static str],
    /// Where a case that is not ours belongs.
    elsewhere: &'static str,
}

const CLOSINGS: &[&str] = &[
    "Terima kasih atas perhatiannya.",
    "Mohon segera ditindaklanjuti.",
    "Atas perhatian Bapak/Ibu kami ucapkan terima kasih.",
    "Semoga dapat segera ditangani.",
];

const FIRST_NAMES: &[&str] = &[
    "Siti", "Agus", "Sri", "Budi", "Dewi", "Joko", "Rina", "Slamet", "Wahyu", "Nur", "Eko", "Ani", "Bambang", "Yuli",
    "Hadi", "Lestari", "Suparman", "Indah", "Rudi", "Ratna", "Teguh", "Fitri", "Imam", "Umi",
];

const LAST_NAMES: &[&str] = &[
    "Rahayu",
    "Santoso",
    "Wulandari",
    "Hidayat",
    "Susanti",
    "Prasetyo",
    "Kurniawan",
    "Handayani",
    "Setiawan",
    "Purnomo",
    "Maulana",
    "Lestari",
    "Saputra",
    "Fauzi",
    "Kusuma",
    "Anggraini",
    "Wibowo",
    "Hartono",
];

const GENERAL: Words = Words {
    problems: &["pelayanan di kantor desa lambat", "informasi program pemerintah tidak sampai ke warga"],
    impacts: &["Warga harus datang berkali-kali untuk urusan yang sama.", "Banyak warga tidak tahu haknya."],
    requests: &["Mohon ada penjelasan dan perbaikan layanan.", "Kami berharap ada sosialisasi di balai desa."],
    information: &["rencana kerja pemerintah desa", "penggunaan dana desa"],
    answers: &["Petugas telah menjelaskan prosedur kepada warga dan jadwal layanan kini diumumkan di balai desa."],
    elsewhere: "Menjadi kewenangan pemerintah desa setempat; laporan diteruskan kepada kepala desa.",
};

fn words_for(category: &str) -> &'static Words {
    match category {
        "jalan-infrastruktur" => &Words {
            problems: &[
                "jalan desa rusak dan berlubang",
                "jembatan penghubung antardusun retak",
                "lampu penerangan jalan padam",
                "saluran air di tepi jalan tersumbat",
            ],
            impacts: &[
                "Sudah ada pengendara motor yang terjatuh.",
                "Anak sekolah harus memutar jauh.",
                "Saat hujan jalan tergenang air setinggi lutut.",
            ],
            requests: &["Mohon segera diperbaiki.", "Kami mohon jalan ini masuk rencana perbaikan tahun ini."],
            information: &["anggaran pemeliharaan jalan", "rencana pembangunan jalan"],
            answers: &[
                "Tim Dinas PUPR telah menambal jalan yang berlubang dan memasang rambu sementara.",
                "Perbaikan jembatan masuk anggaran perubahan; pekerjaan dimulai bulan depan.",
            ],
            elsewhere: "Jalan ini jalan provinsi; laporan diteruskan ke UPT Pengelolaan Jalan Provinsi.",
        },
        "kesehatan" => &Words {
            problems: &[
                "posyandu tidak buka sesuai jadwal",
                "stok obat di puskesmas pembantu kosong",
                "antrean puskesmas sangat panjang",
            ],
            impacts: &["Balita tidak ditimbang bulan ini.", "Lansia harus menunggu hingga siang."],
            requests: &["Mohon jadwal layanan ditepati.", "Mohon ada tambahan petugas."],
            information: &["data balita stunting", "jadwal imunisasi"],
            answers: &["Puskesmas telah menambah petugas pendaftaran dan membuka antrean daring."],
            elsewhere: "Menjadi kewenangan rumah sakit swasta yang bersangkutan; laporan diteruskan ke pengelolanya.",
        },
        "pendidikan" => &Words {
            problems: &["atap ruang kelas sekolah dasar bocor", "bantuan seragam sekolah belum dibagikan"],
            impacts: &["Kegiatan belajar terganggu saat hujan.", "Orang tua murid resah."],
            requests: &["Mohon ruang kelas segera diperbaiki.", "Mohon kejelasan jadwal pembagian."],
            information: &["penerimaan dana BOS", "daftar penerima beasiswa"],
            answers: &["Dinas Pendidikan telah mengirim tim; perbaikan atap selesai dalam dua minggu."],
            elsewhere: "Sekolah ini madrasah di bawah Kementerian Agama; laporan diteruskan ke Kantor Kemenag.",
        },
        "administrasi-kependudukan" => &Words {
            problems: &["pencetakan KTP elektronik tertunda", "akta kelahiran anak belum jadi"],
            impacts: &["Warga tidak dapat mendaftar bantuan.", "Anak tidak dapat mendaftar sekolah."],
            requests: &["Mohon ada layanan jemput bola.", "Mohon kejelasan waktu penyelesaian."],
            information: &["jumlah blangko KTP elektronik", "prosedur pindah domisili"],
            answers: &["Dispendukcapil telah mencetak dokumen; warga dapat mengambilnya di kantor kecamatan."],
            elsewhere: GENERAL.elsewhere,
        },
        "bansos" => &Words {
            problems: &["bantuan sosial tidak tepat sasaran", "pencairan bantuan pangan terlambat"],
            impacts: &["Warga yang benar-benar miskin tidak menerima.", "Keluarga penerima kesulitan."],
            requests: &["Mohon data penerima diperbarui.", "Mohon jadwal pencairan diumumkan."],
            information: &["daftar penerima bantuan sosial", "kriteria penerima bantuan"],
            answers: &["Data penerima telah diverifikasi ulang bersama pemerintah desa dan diperbarui."],
            elsewhere: "Penyaluran ini oleh Kantor Pos; laporan diteruskan ke kantor cabang setempat.",
        },
        "lingkungan-sampah" => &Words {
            problems: &["sampah menumpuk di tepi sungai", "pembakaran sampah menimbulkan asap"],
            impacts: &["Bau menyengat hingga permukiman.", "Warga batuk-batuk terkena asap."],
            requests: &["Mohon disediakan tempat pembuangan sementara.", "Mohon ada pengangkutan rutin."],
            information: &["jadwal pengangkutan sampah", "izin lingkungan pabrik"],
            answers: &["Dinas Lingkungan Hidup telah mengangkut sampah dan menjadwalkan pengangkutan mingguan."],
            elsewhere: "Sungai ini wewenang Balai Besar Wilayah Sungai; laporan diteruskan ke sana.",
        },
        "air-bersih" => &Words {
            problems: &["air PDAM tidak mengalir", "sumur bor desa rusak"],
            impacts: &["Warga membeli air jeriken setiap hari.", "Musim kemarau membuat warga kesulitan."],
            requests: &["Mohon segera diperbaiki.", "Mohon dikirim bantuan air bersih."],
            information: &["jadwal distribusi air", "rencana perluasan jaringan air bersih"],
            answers: &["Pompa sumur bor telah diganti dan air kembali mengalir."],
            elsewhere: "Menjadi kewenangan PDAM; laporan diteruskan ke kantor layanan PDAM setempat.",
        },
        "listrik" => &Words {
            problems: &["listrik sering padam", "tiang listrik miring hampir roboh"],
            impacts: &["Usaha warga terganggu.", "Warga khawatir tiang roboh menimpa rumah."],
            requests: &["Mohon segera ditangani.", "Mohon dicek oleh petugas."],
            information: &["jadwal pemadaman bergilir"],
            answers: &["Petugas telah berkoordinasi dengan PLN; tiang diganti pada minggu ini."],
            elsewhere: "Menjadi kewenangan PLN UP3 setempat; laporan diteruskan ke PLN.",
        },
        "keamanan" => &Words {
            problems: &["balap liar setiap malam minggu", "pencurian ternak berulang"],
            impacts: &["Warga tidak bisa beristirahat.", "Peternak merugi."],
            requests: &["Mohon ada patroli rutin.", "Mohon pos ronda diaktifkan kembali."],
            information: &["jadwal patroli wilayah"],
            answers: &["Satpol PP bersama aparat desa menggelar patroli rutin setiap akhir pekan."],
            elsewhere: "Menjadi kewenangan Polres setempat; laporan diteruskan ke Polsek.",
        },
        "kebencanaan" => &Words {
            problems: &["tanggul sungai retak", "tebing longsor menutup jalan"],
            impacts: &["Warga khawatir banjir saat hujan deras.", "Akses ke dusun terputus."],
            requests: &["Mohon segera ditangani sebelum musim hujan.", "Mohon alat berat dikirim."],
            information: &["peta rawan bencana desa", "rencana kontinjensi banjir"],
            answers: &["BPBD telah memasang karung pasir dan mengajukan perbaikan permanen tanggul."],
            elsewhere: "Tanggul ini wewenang Balai Besar Wilayah Sungai; laporan diteruskan ke sana.",
        },
        "pertanian" => &Words {
            problems: &["pupuk bersubsidi langka di kios", "saluran irigasi sawah rusak"],
            impacts: &["Petani terlambat memupuk.", "Sawah kekurangan air."],
            requests: &["Mohon distribusi pupuk diawasi.", "Mohon irigasi diperbaiki."],
            information: &["kuota pupuk bersubsidi desa", "daftar kelompok tani penerima bantuan"],
            answers: &["Penyuluh pertanian telah mengecek kios; stok pupuk dikirim ulang minggu ini."],
            elsewhere: GENERAL.elsewhere,
        },
        _ => &GENERAL,
    }
}
