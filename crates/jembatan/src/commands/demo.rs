//! `jembatan demo`: realistic demo data for an empty database: a province
//! admin, Diskominfo officers for Kabupaten Tuban and Kota Surabaya,
//! agencies and bodies, and a dozen KIMs with rosters in real villages of
//! Tuban, Malang, Surabaya and Sumenep, and published content of those
//! KIMs and agencies (news on posyandu, village roads, harvests and UMKM;
//! announcements; programme explainers; agenda items in the coming weeks;
//! village products with prices; some corrected), plus one item waiting
//! for review. Generated from a fixed seed and fixed texts, so two demo
//! databases hold the same names, villages and items (dates are relative
//! to the day of loading).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use anyhow::Context;
use jembatan_domain::account::RegistrationForm;
use jembatan_domain::content::WIB_OFFSET_SECONDS;
use jembatan_domain::kim::{KimForm, MemberForm};
use jembatan_domain::organisation::OrganisationForm;
use jembatan_domain::role::{Role, Scope};
use jembatan_domain::{OrgId, RegionCode, UserId};
use jembatan_store::organisations::Organisation;
use jembatan_store::{Db, accounts, grants, kims, organisations, regions};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Every demo account's password (printed at start; demo databases only).
pub const DEMO_PASSWORD: &str = "jembatan-demo-2026";
const SEED: u64 = 35_23;

/// A demo login to print.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: &'static str,
    pub login: String,
}

/// Loads the demo data unless the database already has accounts; returns
/// the logins to print (also when the data was loaded earlier).
pub async fn ensure_loaded(db: &Db) -> anyhow::Result<Vec<DemoLogin>> {
    load_if_empty(db).await?;
    Ok(logins())
}

/// Loads the demo data unless the database already has accounts; whether
/// it did.
pub async fn load_if_empty(db: &Db) -> anyhow::Result<bool> {
    if accounts::count_users(db).await? != 0 {
        return Ok(false);
    }
    load(db).await?;
    tracing::info!("demo data loaded");
    Ok(true)
}

fn logins() -> Vec<DemoLogin> {
    PEOPLE.iter().map(|p| DemoLogin { role: p.label, login: p.email.to_owned() }).collect()
}

struct DemoPerson {
    label: &'static str,
    name: &'static str,
    email: &'static str,
}

const PEOPLE: &[DemoPerson] = &[
    DemoPerson { label: "Admin provinsi (Jawa Timur)", name: "Sherlita Dewi", email: "admin@demo.jembatan.id" },
    DemoPerson { label: "Diskominfo Kabupaten Tuban", name: "Agus Wibowo", email: "tuban@demo.jembatan.id" },
    DemoPerson { label: "Diskominfo Kota Surabaya", name: "Ratna Kusumawati", email: "surabaya@demo.jembatan.id" },
    DemoPerson {
        label: "Petugas OPD (Dinas Kesehatan Tuban)",
        name: "dr. Hendra Gunawan",
        email: "dinkes@demo.jembatan.id",
    },
    DemoPerson { label: "Pengurus KIM (Tuban)", name: "Suparmi", email: "pengurus@demo.jembatan.id" },
    DemoPerson { label: "Anggota KIM (Tuban)", name: "Rizky Pratama", email: "anggota@demo.jembatan.id" },
    DemoPerson { label: "Verifikator cek fakta", name: "Nur Aini", email: "cekfakta@demo.jembatan.id" },
    DemoPerson { label: "Warga", name: "Slamet Riyadi", email: "warga@demo.jembatan.id" },
];

/// Javanese and Madurese given names and family names, for demo people
/// (also the seed's sources and authors).
pub(crate) const FIRST_NAMES: &[&str] = &[
    "Ahmad", "Siti", "Budi", "Sri", "Agus", "Dewi", "Eko", "Wahyuni", "Joko", "Lestari", "Hadi", "Rina", "Imam", "Nur",
    "Bambang", "Yuliana", "Teguh", "Ani", "Dwi", "Fitri", "Moh.", "Umi", "Slamet", "Indah", "Rahmat", "Endang",
];
pub(crate) const LAST_NAMES: &[&str] = &[
    "Santoso",
    "Wulandari",
    "Prasetyo",
    "Rahayu",
    "Hidayat",
    "Susanti",
    "Setiawan",
    "Kurniawan",
    "Puspitasari",
    "Hartono",
    "Maulana",
    "Anggraini",
    "Saputra",
    "Handayani",
    "Syaifuddin",
    "Fauzi",
    "Zainal",
    "Ningsih",
];
const KIM_WORDS: &[&str] = &[
    "Sumber Informasi",
    "Tunas Harapan",
    "Cahaya Desa",
    "Mitra Warga",
    "Gema Desa",
    "Suara Rakyat",
    "Bina Informasi",
    "Sinar Mandiri",
    "Jembatan Warga",
    "Lentera",
    "Maju Bersama",
    "Kabar Kampung",
];

/// KIMs per regency: Tuban, Malang, Surabaya, Sumenep.
const KIM_REGENCIES: &[(&str, usize)] = &[("35.23", 4), ("35.07", 3), ("35.78", 3), ("35.29", 2)];

async fn load(db: &Db) -> anyhow::Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut users = Vec::new();
    for person in PEOPLE {
        users.push(create_user(db, person.name, person.email).await?);
    }
    let [admin, tuban_officer, surabaya_officer, agency_officer, kim_manager, kim_member, fact_checker, _citizen] =
        users[..]
    else {
        unreachable!("one user per demo person")
    };
    grant(db, admin, Role::ProvinceAdmin, region("35")).await?;
    grant(db, tuban_officer, Role::RegencyOfficer, region("35.23")).await?;
    grant(db, surabaya_officer, Role::RegencyOfficer, region("35.78")).await?;
    grant(db, fact_checker, Role::FactChecker, region("35")).await?;

    for (name, code) in [
        ("Diskominfo Provinsi Jawa Timur", "35"),
        ("Diskominfo Kabupaten Tuban", "35.23"),
        ("Diskominfo Kota Surabaya", "35.78"),
        ("Diskominfo Kabupaten Malang", "35.07"),
        ("Diskominfo Kabupaten Sumenep", "35.29"),
    ] {
        create_org(db, admin, org_form("diskominfo", "", name, code, &[])).await?;
    }
    let dinkes =
        create_org(db, admin, org_form("agency", "", "Dinas Kesehatan Kabupaten Tuban", "35.23", &["kesehatan"]))
            .await?;
    for (name, code, categories) in [
        ("Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Tuban", "35.23", &["infrastruktur"][..]),
        ("Badan Penanggulangan Bencana Daerah Provinsi Jawa Timur", "35", &["kebencanaan"][..]),
        ("Dinas Pendidikan Kota Surabaya", "35.78", &["pendidikan"][..]),
        ("Dinas Sosial Kabupaten Sumenep", "35.29", &["sosial", "kependudukan"][..]),
    ] {
        create_org(db, admin, org_form("agency", "", name, code, categories)).await?;
    }
    for (kind, name, code) in [
        ("state_company", "PLN UP3 Tuban", "35.23"),
        ("vertical_agency", "Polres Tuban", "35.23"),
        ("bumd", "Perumda Air Minum Tirta Lestari Tuban", "35.23"),
        ("district_office", "Kantor Kecamatan Kenduruan", "35.23.01"),
    ] {
        create_org(db, admin, org_form("body", kind, name, code, &[])).await?;
    }
    grant(db, agency_officer, Role::AgencyOfficer, org_scope(db, dinkes.id).await?).await?;

    let mut names = KIM_WORDS.to_vec();
    let mut first_kim = None;
    let mut all_kims = Vec::new();
    for (regency, count) in KIM_REGENCIES {
        let villages = villages_of(db, regency).await?;
        for _ in 0..*count {
            let village = villages.choose(&mut rng).expect("a regency has villages").clone();
            let word = names.remove(rng.random_range(0..names.len()));
            let kim = create_kim(db, &mut rng, word, &village, regency).await?;
            all_kims.push(kim);
            if *regency == "35.23" {
                kims_verify(db, kim, tuban_officer).await?;
                first_kim.get_or_insert(kim);
            } else if *regency == "35.78" {
                kims_verify(db, kim, surabaya_officer).await?;
            }
        }
    }
    let kim = first_kim.expect("Tuban has KIMs");
    grant(db, kim_manager, Role::KimManager, org_scope(db, kim).await?).await?;
    grant(db, kim_member, Role::KimContributor, org_scope(db, kim).await?).await?;
    add_member(db, kim, "Suparmi", "seksi", Some(kim_manager)).await?;
    add_member(db, kim, "Rizky Pratama", "anggota", Some(kim_member)).await?;
    let people = DemoAuthors { admin, tuban_officer, surabaya_officer, agency_officer, kim_manager, kim_member };
    load_content(db, &all_kims, &people).await
}

fn region(code: &str) -> Scope {
    Scope::Region(RegionCode::parse(code).expect("a valid demo region"))
}

async fn org_scope(db: &Db, id: OrgId) -> anyhow::Result<Scope> {
    Ok(Scope::Organisation(organisations::org_ref(db, id).await?))
}

async fn create_user(db: &Db, name: &str, email: &str) -> anyhow::Result<UserId> {
    let form = RegistrationForm {
        name: name.into(),
        email: email.into(),
        phone: String::new(),
        password: DEMO_PASSWORD.into(),
        password_confirm: DEMO_PASSWORD.into(),
        consent: true,
    };
    let account = form.validate().map_err(|e| anyhow::anyhow!("demo account {email}: {e:?}"))?;
    Ok(accounts::create_user(db, &account, "demo").await?.id)
}

async fn grant(db: &Db, user: UserId, role: Role, scope: Scope) -> anyhow::Result<()> {
    db.write(move |tx| Box::pin(async move { grants::grant(tx, user, role, &scope, None).await })).await?;
    Ok(())
}

fn org_form(kind: &str, body_kind: &str, name: &str, region: &str, categories: &[&str]) -> OrganisationForm {
    OrganisationForm {
        kind: kind.into(),
        body_kind: body_kind.into(),
        name: name.into(),
        region: region.into(),
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        ..OrganisationForm::default()
    }
}

async fn create_org(db: &Db, actor: UserId, form: OrganisationForm) -> anyhow::Result<Organisation> {
    let new = form.validate().map_err(|e| anyhow::anyhow!("demo organisation {}: {e:?}", form.name))?;
    Ok(db.write(move |tx| Box::pin(async move { organisations::create(tx, &new, Some(actor)).await })).await?)
}

async fn villages_of(db: &Db, regency: &str) -> anyhow::Result<Vec<RegionCode>> {
    let mut villages = Vec::new();
    for district in regions::children(db, &RegionCode::parse(regency)?).await? {
        villages.extend(regions::children(db, &district.region_code()).await?.iter().map(|v| v.region_code()));
    }
    Ok(villages)
}

fn person_name(rng: &mut ChaCha8Rng) -> String {
    format!("{} {}", FIRST_NAMES.choose(rng).expect("names"), LAST_NAMES.choose(rng).expect("names"))
}

async fn create_kim(
    db: &Db,
    rng: &mut ChaCha8Rng,
    word: &str,
    village: &RegionCode,
    regency: &str,
) -> anyhow::Result<OrgId> {
    let village_name = regions::get(db, village).await?.map(|r| r.name).unwrap_or_default();
    let regency_name = regions::get(db, &RegionCode::parse(regency)?).await?.map(|r| r.name).unwrap_or_default();
    let issuer = if regency_name.starts_with("Kota ") {
        format!("Wali {}", regency_name)
    } else {
        format!("Bupati {}", regency_name.trim_start_matches("Kabupaten "))
    };
    // Years since the SK: one lapsed, one lapsing soon, the rest valid.
    let sk_year = 2021 + rng.random_range(0..4);
    let (status, expires) = match rng.random_range(0..10) {
        0 => ("vakum", format!("{}-06-30", 2025)),
        1 => ("terdaftar", "2026-12-15".to_owned()),
        2 => ("dibentuk", String::new()),
        _ => ("aktif", format!("{}-12-31", sk_year + 5)),
    };
    let slug: String = word.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
    let form = KimForm {
        name: format!("KIM {word} {village_name}"),
        village: village.to_string(),
        status: status.into(),
        sk_number: if status == "dibentuk" {
            String::new()
        } else {
            format!("188/{}/KPTS/{sk_year}", rng.random_range(10..400))
        },
        sk_issuer: if status == "dibentuk" { String::new() } else { issuer },
        sk_date: if status == "dibentuk" {
            String::new()
        } else {
            format!("{sk_year}-0{}-1{}", rng.random_range(1..10), rng.random_range(0..10))
        },
        sk_expires: if status == "dibentuk" { String::new() } else { expires },
        kim_id_url: format!("https://{slug}{}.kim.id", rng.random_range(1..99)),
        whatsapp: format!("08{}", rng.random_range(1_100_000_000_u64..1_399_999_999)),
        instagram: format!("kim.{slug}"),
        description: format!(
            "Komunitas Informasi Masyarakat Desa {village_name}: kabar desa, informasi program pemerintah, dan aspirasi warga."
        ),
        address: format!("Balai Desa {village_name}, {regency_name}"),
        ..KimForm::default()
    };
    let new = form.validate().map_err(|e| anyhow::anyhow!("demo KIM {}: {e:?}", form.name))?;
    let kim = db.write(move |tx| Box::pin(async move { kims::register(tx, &new, None).await })).await?.id();
    let positions = ["ketua", "sekretaris", "bendahara", "seksi", "seksi"];
    let size = 10 + rng.random_range(0..6);
    for i in 0..size {
        let position = positions.get(i).copied().unwrap_or("anggota");
        let name = person_name(rng);
        let member = add_member(db, kim, &name, position, None).await?;
        if i == 0 {
            let phone = format!("08{}", rng.random_range(1_200_000_000_u64..1_299_999_999));
            set_member_phone(db, member, &name, &phone).await?;
        }
    }
    Ok(kim)
}

async fn add_member(
    db: &Db,
    kim: OrgId,
    name: &str,
    position: &str,
    user: Option<UserId>,
) -> anyhow::Result<jembatan_domain::MemberId> {
    let form = MemberForm {
        name: name.into(),
        position: position.into(),
        phone: String::new(),
        user_id: user.map(|u| u.to_string()).unwrap_or_default(),
    };
    let new = form.validate().map_err(|e| anyhow::anyhow!("demo member {name}: {e:?}"))?;
    Ok(db.write(move |tx| Box::pin(async move { kims::add_member(tx, kim, &new, None).await })).await?.id)
}

/// Gives the ketua a phone number shown publicly, with consent recorded first.
async fn set_member_phone(db: &Db, member: jembatan_domain::MemberId, name: &str, phone: &str) -> anyhow::Result<()> {
    let form = MemberForm { name: name.into(), position: "ketua".into(), phone: phone.into(), user_id: String::new() };
    let new = form.validate().map_err(|e| anyhow::anyhow!("demo phone {phone}: {e:?}"))?;
    db.write(move |tx| {
        Box::pin(async move {
            kims::update_member(tx, member, &new, None).await?;
            kims::set_phone_public_consent(tx, member, true, None).await
        })
    })
    .await?;
    Ok(())
}

async fn kims_verify(db: &Db, kim: OrgId, officer: UserId) -> anyhow::Result<()> {
    db.write(move |tx| Box::pin(async move { kims::verify(tx, kim, officer).await })).await?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Content

/// The demo people who write content.
struct DemoAuthors {
    admin: UserId,
    tuban_officer: UserId,
    surabaya_officer: UserId,
    agency_officer: UserId,
    kim_manager: UserId,
    kim_member: UserId,
}

/// Who publishes a demo item.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Publisher {
    /// The n-th demo KIM (Tuban 0–3, Malang 4–6, Surabaya 7–9, Sumenep 10–11).
    Kim(usize),
    /// An office or agency by its exact name.
    Org(&'static str),
}

/// Where a demo item is shown.
#[derive(Clone, Copy)]
enum Target {
    /// The publisher's own region (a KIM's village).
    Own,
    /// The publisher's own region and its district (a KIM).
    OwnAndDistrict,
    /// The first district of the publisher's region, by name.
    FirstDistrict,
}

/// What the type needs beyond the text.
#[derive(Clone, Copy)]
enum Extra {
    None,
    /// In `days` from the day of loading, at `hour` WIB, for `hours`, at `place` (with placeholders).
    Agenda {
        days: i64,
        hour: i64,
        hours: i64,
        place: &'static str,
    },
    Produk {
        min: i64,
        max: Option<i64>,
        contact: &'static str,
    },
}

struct DemoItem {
    key: &'static str,
    publisher: Publisher,
    kind: &'static str,
    topics: &'static [&'static str],
    target: Target,
    /// Hours before loading it was published.
    hours_ago: i64,
    /// Texts may name `{desa}` (the village), `{kec}` (the district), `{kab}` (the regency) and `{kim}`.
    title: &'static str,
    summary: &'static str,
    body: &'static str,
    source: Option<&'static str>,
    extra: Extra,
    correction: Option<&'static str>,
}

const DINKES_TUBAN: &str = "Dinas Kesehatan Kabupaten Tuban";
const PUPR_TUBAN: &str = "Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Tuban";
const BPBD_JATIM: &str = "Badan Penanggulangan Bencana Daerah Provinsi Jawa Timur";
const DISPENDIK_SURABAYA: &str = "Dinas Pendidikan Kota Surabaya";
const DINSOS_SUMENEP: &str = "Dinas Sosial Kabupaten Sumenep";
const KOMINFO_JATIM: &str = "Diskominfo Provinsi Jawa Timur";
const KOMINFO_TUBAN: &str = "Diskominfo Kabupaten Tuban";
const KOMINFO_SURABAYA: &str = "Diskominfo Kota Surabaya";

const DEMO_ITEMS: &[DemoItem] = &[
    DemoItem {
        key: "posyandu-melati-timbang-balita",
        publisher: Publisher::Kim(0),
        kind: "berita",
        topics: &["kesehatan"],
        target: Target::OwnAndDistrict,
        hours_ago: 20,
        title: "Posyandu Melati Desa {desa} Timbang 64 Balita, Tiga Anak Dirujuk ke Puskesmas",
        summary: "Kader Posyandu Melati menimbang dan mengukur 64 balita pada hari posyandu bulan ini; tiga anak dengan berat badan kurang dirujuk ke Puskesmas {kec}.",
        body: "Sebanyak 64 balita ditimbang dan diukur tinggi badannya di Posyandu Melati, Desa {desa}, Kecamatan {kec}. Kegiatan rutin bulanan ini dilayani lima kader posyandu bersama bidan desa.\n\n\"Tiga anak beratnya di bawah garis kuning, jadi kami rujuk ke puskesmas supaya diperiksa lebih lanjut,\" kata Siti Rahayu, ketua kader Posyandu Melati.\n\nSelain penimbangan, balita usia 6–59 bulan mendapat **kapsul vitamin A** dan ibu hamil mendapat tablet tambah darah. Pemberian makanan tambahan berupa bubur kacang hijau dan telur rebus dibiayai dari Dana Desa.\n\nPosyandu Melati buka setiap Selasa minggu kedua pukul 08.00–11.00 WIB di rumah Kepala Dusun Krajan. Orang tua diminta membawa buku KIA.",
        source: Some("Siti Rahayu, ketua kader Posyandu Melati"),
        extra: Extra::None,
        correction: Some("Sebelumnya tertulis 46 balita; jumlah yang benar 64 balita."),
    },
    DemoItem {
        key: "jalan-desa-dicor",
        publisher: Publisher::Kim(0),
        kind: "berita",
        topics: &["infrastruktur"],
        target: Target::Own,
        hours_ago: 52,
        title: "Jalan Desa {desa} Sepanjang 800 Meter Mulai Dicor",
        summary: "Pengecoran jalan poros Dusun Krajan sepanjang 800 meter dimulai; pekerjaan dibiayai Dana Desa dan dikerjakan warga secara padat karya.",
        body: "Pemerintah Desa {desa} mulai mengecor jalan poros Dusun Krajan sepanjang 800 meter dengan lebar 3 meter. Jalan yang selama ini berlubang dan becek saat hujan itu menjadi jalur utama petani mengangkut hasil panen.\n\nPembangunan jalan dikerjakan secara padat karya tunai oleh 35 warga setempat. \"Warga bekerja sekaligus mendapat upah harian, jadi uangnya berputar di desa,\" ujar Kepala Desa {desa}.\n\nAnggaran pembangunan sebesar Rp412 juta bersumber dari Dana Desa tahun ini. Pekerjaan ditargetkan selesai dalam enam minggu. Selama pengecoran, kendaraan roda empat diminta memutar lewat jalan Dusun Ngemplak.",
        source: Some("Pemerintah Desa {desa}"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "panen-raya-jagung",
        publisher: Publisher::Kim(0),
        kind: "berita",
        topics: &["pertanian"],
        target: Target::OwnAndDistrict,
        hours_ago: 98,
        title: "Panen Raya Jagung di {desa}: Hasil Naik Jadi 9 Ton per Hektare",
        summary: "Kelompok Tani Sumber Rejeki memanen jagung hibrida di lahan 40 hektare; hasilnya naik dari 7 menjadi 9 ton per hektare berkat pemupukan berimbang.",
        body: "Petani anggota Kelompok Tani Sumber Rejeki, Desa {desa}, memanen jagung hibrida di lahan seluas 40 hektare. Hasil panen musim ini rata-rata 9 ton pipilan kering per hektare, naik dari 7 ton pada musim lalu.\n\nKenaikan itu, menurut penyuluh pertanian Kecamatan {kec}, berkat pemupukan berimbang dan penanaman serentak yang menekan serangan hama. Petani juga mulai memakai pupuk organik dari kotoran ternak.\n\nHarga jagung di tingkat petani saat ini Rp4.800 per kilogram. Sebagian hasil panen dijual ke BUMDes yang menampung jagung untuk pabrik pakan ternak, sehingga petani tidak bergantung pada tengkulak.",
        source: Some("Kelompok Tani Sumber Rejeki"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "perekaman-ektp-keliling",
        publisher: Publisher::Kim(0),
        kind: "pengumuman",
        topics: &["kependudukan"],
        target: Target::OwnAndDistrict,
        hours_ago: 30,
        title: "Perekaman e-KTP Keliling di Balai Desa {desa} Sabtu Ini",
        summary: "Petugas Dispendukcapil melayani perekaman e-KTP pemula dan cetak ulang kartu keluarga di Balai Desa {desa} pada Sabtu pukul 08.00–14.00 WIB.",
        body: "Dinas Kependudukan dan Pencatatan Sipil membuka layanan jemput bola di Balai Desa {desa}. Layanan ini untuk warga Kecamatan {kec} yang belum merekam e-KTP, terutama pemilih pemula yang baru berusia 17 tahun.\n\nYang perlu dibawa:\n\n- fotokopi kartu keluarga\n- surat pengantar dari RT\n- e-KTP lama bagi yang ingin mengganti kartu rusak\n\nLayanan gratis dan tidak dipungut biaya apa pun. Warga lansia dan penyandang disabilitas yang tidak bisa datang dapat mendaftar ke perangkat desa untuk dikunjungi di rumah.",
        source: None,
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "posyandu-lansia",
        publisher: Publisher::Kim(0),
        kind: "agenda",
        topics: &["kesehatan"],
        target: Target::Own,
        hours_ago: 6,
        title: "Posyandu Lansia dan Senam Sehat di Balai Desa {desa}",
        summary: "Pemeriksaan tekanan darah, gula darah dan kolesterol gratis untuk warga berusia 60 tahun ke atas, dilanjutkan senam lansia.",
        body: "Posyandu Lansia Desa {desa} mengundang warga berusia 60 tahun ke atas untuk pemeriksaan kesehatan gratis: tekanan darah, gula darah, kolesterol dan asam urat.\n\nPemeriksaan dilayani petugas Puskesmas {kec} dan kader posyandu, dilanjutkan senam lansia bersama. Warga diminta membawa kartu BPJS Kesehatan dan buku catatan kesehatan lansia bila ada.",
        source: None,
        extra: Extra::Agenda { days: 6, hour: 7, hours: 3, place: "Balai Desa {desa}" },
        correction: None,
    },
    DemoItem {
        key: "keripik-tempe-bu-sulastri",
        publisher: Publisher::Kim(0),
        kind: "produk",
        topics: &["ekonomi-umkm"],
        target: Target::OwnAndDistrict,
        hours_ago: 140,
        title: "Keripik Tempe Bu Sulastri, Oleh-oleh Renyah Khas {desa}",
        summary: "Keripik tempe tipis buatan rumahan, tersedia rasa original dan pedas daun jeruk, kemasan 100 gram sampai 500 gram.",
        body: "Keripik tempe buatan Bu Sulastri sudah dikenal sampai luar kecamatan. Tempe diiris tipis, dibalut tepung beras berbumbu bawang dan ketumbar, lalu digoreng dua kali sampai renyah.\n\nTersedia dua rasa, original dan pedas daun jeruk, dalam kemasan 100 gram, 250 gram dan 500 gram. Produk sudah memiliki sertifikat halal dan izin PIRT.\n\nPesanan bisa diambil di rumah produksi, Dusun Krajan RT 02 RW 01, atau dikirim lewat jasa ekspedisi.",
        source: None,
        extra: Extra::Produk { min: 12_000, max: Some(45_000), contact: "0812-3456-7001" },
        correction: None,
    },
    DemoItem {
        key: "bank-sampah-plastik",
        publisher: Publisher::Kim(0),
        kind: "berita",
        topics: &["lingkungan", "ekonomi-umkm"],
        target: Target::Own,
        hours_ago: 210,
        title: "Bank Sampah {desa} Kumpulkan 1,2 Ton Sampah Plastik dalam Tiga Bulan",
        summary: "Nasabah Bank Sampah Berseri menyetor 1,2 ton plastik dan kardus; tabungan sampah bisa ditukar dengan sembako atau dipakai membayar iuran.",
        body: "Bank Sampah Berseri Desa {desa} mencatat 1,2 ton sampah anorganik terkumpul dalam tiga bulan terakhir dari 112 nasabah. Sampah dipilah menjadi botol plastik, gelas plastik, kardus dan kaleng sebelum dijual ke pengepul.\n\n\"Dulu plastik dibakar atau dibuang ke sungai. Sekarang warga tahu sampah bisa jadi uang,\" kata pengurus bank sampah, Endang Wulandari.\n\nTabungan nasabah dapat ditukar dengan sembako, dipakai membayar iuran kebersihan, atau diambil tunai menjelang Lebaran. Bank sampah buka setiap Minggu pagi di samping balai desa.",
        source: Some("Endang Wulandari, pengurus Bank Sampah Berseri"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "tanam-padi-serentak",
        publisher: Publisher::Kim(1),
        kind: "berita",
        topics: &["pertanian"],
        target: Target::OwnAndDistrict,
        hours_ago: 75,
        title: "Kelompok Tani {desa} Tanam Padi Serentak Awal Musim Hujan",
        summary: "Sekitar 120 petani menanam padi serentak di 65 hektare sawah untuk memutus siklus hama wereng dan tikus.",
        body: "Sekitar 120 petani Desa {desa}, Kecamatan {kec}, menanam padi serentak di hamparan sawah seluas 65 hektare. Penanaman serentak disepakati dalam rembuk tani sebulan sebelumnya.\n\nMenurut penyuluh pertanian, tanam serentak memutus siklus hidup hama wereng cokelat dan tikus yang musim lalu merusak hampir seperempat tanaman.\n\nBenih varietas Inpari 32 dibagikan gratis dari bantuan Dinas Pertanian, sedangkan pupuk bersubsidi ditebus melalui Kartu Tani di kios resmi.",
        source: None,
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "batik-gedog",
        publisher: Publisher::Kim(1),
        kind: "produk",
        topics: &["ekonomi-umkm", "budaya-pariwisata"],
        target: Target::Own,
        hours_ago: 320,
        title: "Batik Gedog Tulis dari Perajin {desa}",
        summary: "Kain batik gedog tulis tangan dari tenun tradisional Tuban, motif lokcan dan kijing miring, dikerjakan dua sampai empat minggu per lembar.",
        body: "Batik gedog adalah batik tulis khas Tuban yang dibuat di atas kain tenun gedog. Para perajin di Desa {desa} masih memintal dan menenun benang sendiri sebelum kain dibatik.\n\nSatu lembar kain dikerjakan dua sampai empat minggu, tergantung kerumitan motif. Motif yang paling dicari pembeli adalah lokcan dan kijing miring dengan pewarna alam dari kulit kayu mahoni dan daun indigo.\n\nPembeli dapat datang langsung ke galeri kelompok perajin atau memesan lewat WhatsApp.",
        source: None,
        extra: Extra::Produk { min: 150_000, max: Some(750_000), contact: "0813-3000-4521" },
        correction: None,
    },
    DemoItem {
        key: "sedekah-bumi",
        publisher: Publisher::Kim(2),
        kind: "agenda",
        topics: &["budaya-pariwisata"],
        target: Target::OwnAndDistrict,
        hours_ago: 44,
        title: "Sedekah Bumi Desa {desa} dengan Kirab Hasil Bumi dan Tayub",
        summary: "Tradisi syukur panen tahunan: kirab gunungan hasil bumi keliling desa, doa bersama di sendang, dan pertunjukan tayub pada malam hari.",
        body: "Pemerintah Desa {desa} bersama warga menggelar sedekah bumi sebagai ungkapan syukur atas hasil panen. Acara dimulai dengan kirab gunungan hasil bumi dari balai desa menuju sendang desa.\n\nSetelah doa bersama, gunungan diperebutkan warga. Pada malam hari digelar pertunjukan tayub di halaman balai desa. Warga dan pengunjung dari luar desa dipersilakan hadir.",
        source: None,
        extra: Extra::Agenda { days: 12, hour: 8, hours: 14, place: "Balai Desa {desa} dan Sendang Desa" },
        correction: None,
    },
    DemoItem {
        key: "air-bersih-pamsimas",
        publisher: Publisher::Kim(3),
        kind: "berita",
        topics: &["infrastruktur", "kesehatan"],
        target: Target::Own,
        hours_ago: 160,
        title: "Air Bersih Pamsimas Kini Mengalir ke 240 Rumah di {desa}",
        summary: "Sumur bor dan jaringan pipa Pamsimas selesai dibangun; warga membayar iuran Rp2.000 per meter kubik untuk perawatan.",
        body: "Sebanyak 240 rumah di Desa {desa} kini mendapat air bersih dari sumur bor program Pamsimas. Sebelumnya warga harus membeli air jeriken saat kemarau.\n\nPengelolaan air diserahkan kepada Badan Pengelola Sarana Air Minum desa. Setiap rumah memasang meteran dan membayar iuran Rp2.000 per meter kubik untuk biaya listrik pompa dan perawatan pipa.\n\n\"Anak-anak sekarang bisa mandi sebelum sekolah tanpa antre di sumur tetangga,\" kata Sri Handayani, warga Dusun Tengah.",
        source: Some("BPSPAMS Desa {desa}"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "kopi-petik-merah",
        publisher: Publisher::Kim(4),
        kind: "berita",
        topics: &["pertanian", "ekonomi-umkm"],
        target: Target::OwnAndDistrict,
        hours_ago: 90,
        title: "Petani Kopi {desa} Belajar Mengolah Kopi Petik Merah",
        summary: "Tiga puluh petani kopi mengikuti pelatihan petik merah dan pengolahan pascapanen agar harga jual biji kopi naik.",
        body: "Tiga puluh petani kopi robusta di Desa {desa}, {kab}, mengikuti pelatihan pengolahan pascapanen. Mereka belajar memetik hanya buah yang merah, menjemur di atas para-para, dan menyortir biji cacat.\n\nKopi petik merah yang diolah dengan benar dihargai hingga Rp65.000 per kilogram biji kering, jauh di atas kopi asalan yang hanya Rp38.000.\n\nPelatihan diselenggarakan KIM bersama penyuluh perkebunan dan koperasi kopi setempat. Koperasi berjanji membeli hasil panen petani yang lulus pelatihan.",
        source: None,
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "kopi-robusta-bubuk",
        publisher: Publisher::Kim(5),
        kind: "produk",
        topics: &["ekonomi-umkm"],
        target: Target::Own,
        hours_ago: 400,
        title: "Kopi Robusta Bubuk Lereng Semeru dari {desa}",
        summary: "Kopi robusta petik merah, disangrai sedang, dalam kemasan 250 gram dan 1 kilogram, dari kebun warga {desa}.",
        body: "Kopi robusta dari kebun warga Desa {desa} ditanam di ketinggian 600 meter di lereng pegunungan. Biji dipetik merah, dijemur 14 hari, lalu disangrai sedang agar rasa cokelatnya keluar.\n\nTersedia dalam bentuk biji atau bubuk, kemasan 250 gram dan 1 kilogram. Pembelian untuk warung kopi mendapat harga khusus.",
        source: None,
        extra: Extra::Produk { min: 35_000, max: Some(120_000), contact: "0821-4455-7890" },
        correction: None,
    },
    DemoItem {
        key: "jadwal-pupuk-bersubsidi",
        publisher: Publisher::Kim(6),
        kind: "pengumuman",
        topics: &["pertanian"],
        target: Target::OwnAndDistrict,
        hours_ago: 14,
        title: "Jadwal Penebusan Pupuk Bersubsidi untuk Petani {desa}",
        summary: "Penebusan pupuk urea dan NPK bersubsidi dilayani di kios resmi sesuai jadwal per kelompok tani; bawa KTP dan Kartu Tani.",
        body: "Petani Desa {desa} yang terdaftar dalam e-RDKK dapat menebus pupuk bersubsidi di kios resmi sesuai jadwal kelompok tani masing-masing.\n\n- Kelompok Tani Makmur: Senin dan Selasa\n- Kelompok Tani Subur: Rabu dan Kamis\n- Kelompok Tani Lestari: Jumat dan Sabtu\n\nHarga eceran tertinggi urea Rp2.250 per kilogram dan NPK Rp2.300 per kilogram. Petani wajib membawa KTP dan Kartu Tani. Laporkan kios yang menjual di atas harga eceran tertinggi kepada penyuluh pertanian.",
        source: Some("Penyuluh Pertanian Kecamatan {kec}"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "sabun-minyak-jelantah",
        publisher: Publisher::Kim(7),
        kind: "berita",
        topics: &["lingkungan", "ekonomi-umkm"],
        target: Target::Own,
        hours_ago: 66,
        title: "Ibu-ibu Kelurahan {desa} Olah Minyak Jelantah Jadi Sabun Cuci",
        summary: "Minyak goreng bekas dari rumah tangga dan warung dikumpulkan lalu diolah menjadi sabun cuci piring yang dijual Rp10.000 per botol.",
        body: "Kelompok PKK Kelurahan {desa}, {kab}, mengumpulkan minyak jelantah dari rumah tangga dan warung di lingkungan RW. Dalam sebulan terkumpul sekitar 80 liter minyak bekas.\n\nMinyak disaring, dijernihkan dengan arang, lalu dicampur soda api untuk dibuat sabun cuci piring. \"Minyak jelantah yang dibuang ke saluran bikin mampet dan mencemari air,\" ujar ketua PKK setempat.\n\nSabun dijual Rp10.000 per botol di warung dan kegiatan arisan. Hasilnya masuk kas PKK untuk kegiatan posyandu.",
        source: None,
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "literasi-digital-lansia",
        publisher: Publisher::Kim(8),
        kind: "agenda",
        topics: &["pendidikan"],
        target: Target::Own,
        hours_ago: 26,
        title: "Kelas Literasi Digital untuk Warga Lansia di Kelurahan {desa}",
        summary: "Belajar memakai WhatsApp, mengenali pesan penipuan dan hoaks, serta mengakses layanan kesehatan daring; gratis, tempat terbatas.",
        body: "KIM bersama karang taruna membuka kelas literasi digital untuk warga lanjut usia. Materi meliputi cara memakai WhatsApp dengan aman, mengenali pesan penipuan berhadiah dan hoaks kesehatan, serta mendaftar layanan puskesmas secara daring.\n\nPeserta diminta membawa telepon genggam masing-masing. Pendaftaran melalui ketua RT paling lambat dua hari sebelum acara.",
        source: None,
        extra: Extra::Agenda { days: 9, hour: 9, hours: 2, place: "Balai RW 05 Kelurahan {desa}" },
        correction: None,
    },
    DemoItem {
        key: "kue-kering-pkk",
        publisher: Publisher::Kim(9),
        kind: "produk",
        topics: &["ekonomi-umkm"],
        target: Target::Own,
        hours_ago: 260,
        title: "Kue Kering Nastar dan Kastengel Kelompok PKK {desa}",
        summary: "Nastar selai nanas dan kastengel keju buatan ibu-ibu PKK, toples 500 gram, menerima pesanan untuk hajatan dan hari raya.",
        body: "Kelompok usaha PKK Kelurahan {desa} memproduksi kue kering rumahan tanpa bahan pengawet. Nastar memakai selai nanas buatan sendiri, sedangkan kastengel memakai keju edam.\n\nSatu toples berisi 500 gram. Pesanan untuk hajatan dan hari raya sebaiknya dilakukan seminggu sebelumnya.",
        source: None,
        extra: Extra::Produk { min: 65_000, max: Some(95_000), contact: "0857-3311-2244" },
        correction: None,
    },
    DemoItem {
        key: "karapan-sapi",
        publisher: Publisher::Kim(10),
        kind: "berita",
        topics: &["budaya-pariwisata"],
        target: Target::OwnAndDistrict,
        hours_ago: 120,
        title: "Karapan Sapi Antardesa Meriahkan Kecamatan {kec}",
        summary: "Dua puluh empat pasang sapi dari delapan desa beradu cepat di lapangan kecamatan; ribuan penonton memadati arena.",
        body: "Sebanyak 24 pasang sapi kerapan dari delapan desa di Kecamatan {kec}, {kab}, beradu cepat di lapangan kecamatan. Ribuan penonton memadati pinggir arena sejak pagi.\n\nPanitia menegaskan lomba digelar tanpa kekerasan terhadap sapi: joki dilarang memakai paku atau benda tajam, sesuai kesepakatan para pemilik sapi dan pemerintah daerah.\n\nPasangan sapi dari Desa {desa} keluar sebagai juara kedua. Pemenang akan mewakili kecamatan di tingkat kabupaten.",
        source: None,
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "garam-krosok",
        publisher: Publisher::Kim(11),
        kind: "produk",
        topics: &["ekonomi-umkm"],
        target: Target::Own,
        hours_ago: 500,
        title: "Garam Krosok dan Garam Halus Beryodium dari Petambak {desa}",
        summary: "Garam krosok langsung dari tambak dan garam halus beryodium kemasan 250 gram, untuk rumah tangga maupun pengasinan ikan.",
        body: "Petambak garam Desa {desa} menjual garam krosok langsung dari tambak dalam karung 50 kilogram, serta garam halus beryodium dalam kemasan 250 gram untuk dapur rumah tangga.\n\nGaram diproduksi dengan teknologi geomembran sehingga lebih putih dan bersih. Tersedia pengiriman ke luar pulau untuk pembelian partai besar.",
        source: None,
        extra: Extra::Produk { min: 3_000, max: Some(150_000), contact: "0819-3456-1122" },
        correction: None,
    },
    DemoItem {
        key: "cek-kesehatan-gratis",
        publisher: Publisher::Org(DINKES_TUBAN),
        kind: "kebijakan",
        topics: &["kesehatan"],
        target: Target::Own,
        hours_ago: 36,
        title: "Cek Kesehatan Gratis di Puskesmas: Siapa yang Bisa dan Bagaimana Caranya",
        summary: "Semua warga dapat memeriksakan kesehatan gratis di puskesmas pada bulan ulang tahunnya; daftar lewat aplikasi SATUSEHAT Mobile atau langsung di loket.",
        body: "Program Cek Kesehatan Gratis memberi setiap warga kesempatan memeriksakan kesehatan sekali setahun di puskesmas, tanpa biaya, pada bulan ulang tahunnya.\n\n## Apa saja yang diperiksa\n\n- tekanan darah, gula darah dan kolesterol\n- berat dan tinggi badan, lingkar perut\n- skrining kesehatan jiwa dan risiko penyakit jantung\n- untuk balita dan anak: pertumbuhan, pendengaran dan penglihatan\n\n## Cara mendaftar\n\nDaftar melalui aplikasi SATUSEHAT Mobile, atau datang langsung ke loket puskesmas dengan membawa KTP atau kartu keluarga. Warga yang belum memiliki BPJS Kesehatan tetap dilayani.\n\nHasil pemeriksaan dicatat dan warga yang memerlukan pengobatan lanjutan akan dirujuk sesuai ketentuan.",
        source: Some("Dinas Kesehatan Kabupaten Tuban"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "pekan-imunisasi",
        publisher: Publisher::Org(DINKES_TUBAN),
        kind: "pengumuman",
        topics: &["kesehatan"],
        target: Target::Own,
        hours_ago: 10,
        title: "Pekan Imunisasi Polio: Bawa Balita ke Posyandu Terdekat",
        summary: "Imunisasi polio tetes untuk semua anak usia 0–7 tahun di posyandu, puskesmas dan sekolah, gratis, tanpa memandang status imunisasi sebelumnya.",
        body: "Dinas Kesehatan Kabupaten Tuban melaksanakan pekan imunisasi polio bagi semua anak usia 0 sampai 7 tahun. Imunisasi diberikan dua tetes melalui mulut dan **gratis**.\n\nAnak tetap perlu diimunisasi walaupun sudah pernah mendapat imunisasi polio sebelumnya. Imunisasi tambahan ini memperkuat kekebalan agar kasus polio tidak muncul lagi.\n\nLayanan tersedia di posyandu, puskesmas, puskesmas pembantu, PAUD, TK dan SD. Orang tua diminta membawa buku KIA atau kartu imunisasi anak.",
        source: Some("Dinas Kesehatan Kabupaten Tuban"),
        extra: Extra::None,
        correction: Some("Pekan imunisasi diperpanjang satu minggu; sebelumnya tertulis berakhir akhir bulan ini."),
    },
    DemoItem {
        key: "donor-darah",
        publisher: Publisher::Org(DINKES_TUBAN),
        kind: "agenda",
        topics: &["kesehatan", "sosial"],
        target: Target::Own,
        hours_ago: 4,
        title: "Donor Darah Bersama PMI di Alun-Alun Tuban",
        summary: "Stok darah menipis menjelang akhir tahun; warga berusia 17–60 tahun dengan berat badan minimal 45 kilogram diajak mendonorkan darah.",
        body: "Dinas Kesehatan bersama PMI Kabupaten Tuban mengajak warga mendonorkan darah. Stok darah di unit transfusi biasanya menipis menjelang akhir tahun.\n\nSyarat donor: berusia 17–60 tahun, berat badan minimal 45 kilogram, tidur cukup malam sebelumnya, dan sudah sarapan. Pendonor mendapat pemeriksaan kesehatan singkat dan bingkisan.",
        source: None,
        extra: Extra::Agenda { days: 16, hour: 7, hours: 5, place: "Alun-Alun Tuban" },
        correction: None,
    },
    DemoItem {
        key: "stunting-turun",
        publisher: Publisher::Org(DINKES_TUBAN),
        kind: "berita",
        topics: &["kesehatan"],
        target: Target::Own,
        hours_ago: 180,
        title: "Angka Stunting di Kabupaten Tuban Turun Jadi 14 Persen",
        summary: "Hasil penimbangan serentak menunjukkan prevalensi stunting turun dari 17 menjadi 14 persen; pendampingan ibu hamil dan makanan tambahan berbahan lokal diperluas.",
        body: "Hasil penimbangan dan pengukuran serentak di seluruh posyandu menunjukkan prevalensi stunting di Kabupaten Tuban turun dari 17 persen menjadi 14 persen.\n\nPenurunan itu dicapai melalui pendampingan ibu hamil oleh tim pendamping keluarga, pemberian makanan tambahan berbahan pangan lokal, dan pemeriksaan kehamilan minimal enam kali.\n\nDinas Kesehatan meminta desa terus menganggarkan kegiatan posyandu dari Dana Desa. Kecamatan dengan angka tertinggi akan mendapat pendampingan khusus tahun depan.",
        source: Some("Dinas Kesehatan Kabupaten Tuban"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "jembatan-penghubung",
        publisher: Publisher::Org(PUPR_TUBAN),
        kind: "berita",
        topics: &["infrastruktur"],
        target: Target::FirstDistrict,
        hours_ago: 60,
        title: "Perbaikan Jembatan Penghubung di Kecamatan {kec} Rampung Akhir Bulan",
        summary: "Rehabilitasi jembatan sepanjang 24 meter yang menghubungkan dua desa memasuki tahap pengecoran lantai; kendaraan roda empat dialihkan sementara.",
        body: "Rehabilitasi jembatan sepanjang 24 meter di Kecamatan {kec} memasuki tahap pengecoran lantai jembatan. Jembatan ini menghubungkan dua desa dan menjadi jalur anak-anak berangkat ke SMP negeri.\n\nSelama pengerjaan, kendaraan roda empat dialihkan melalui jalan kabupaten. Sepeda motor dan pejalan kaki masih dapat melintas di jalur darurat di sisi jembatan.\n\nPekerjaan senilai Rp1,9 miliar dari APBD kabupaten ini ditargetkan rampung akhir bulan.",
        source: Some("Dinas PUPR Kabupaten Tuban"),
        extra: Extra::None,
        correction: Some("Nilai pekerjaan yang benar Rp1,9 miliar, bukan Rp19 miliar."),
    },
    DemoItem {
        key: "waspada-banjir-longsor",
        publisher: Publisher::Org(BPBD_JATIM),
        kind: "pengumuman",
        topics: &["kebencanaan"],
        target: Target::Own,
        hours_ago: 18,
        title: "Waspada Banjir dan Tanah Longsor pada Puncak Musim Hujan",
        summary: "BPBD Jawa Timur meminta warga di bantaran sungai dan lereng rawan longsor bersiaga, menyiapkan tas siaga bencana, dan mengikuti informasi resmi.",
        body: "Puncak musim hujan diperkirakan berlangsung beberapa minggu ke depan. BPBD Provinsi Jawa Timur meminta warga yang tinggal di bantaran sungai dan lereng rawan longsor meningkatkan kewaspadaan.\n\nYang perlu disiapkan:\n\n- tas siaga berisi dokumen penting, obat-obatan, senter dan pakaian\n- nomor telepon posko BPBD kabupaten dan perangkat desa\n- jalur evakuasi dan titik kumpul yang disepakati warga\n\nSegera mengungsi bila muncul retakan tanah, air sungai naik cepat atau keruh, atau terdengar gemuruh dari lereng. Ikuti informasi resmi dan jangan menyebarkan kabar yang belum jelas sumbernya.",
        source: Some("BPBD Provinsi Jawa Timur"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "desa-tangguh-bencana",
        publisher: Publisher::Org(BPBD_JATIM),
        kind: "kebijakan",
        topics: &["kebencanaan", "pemerintahan"],
        target: Target::Own,
        hours_ago: 300,
        title: "Desa Tangguh Bencana: Apa Itu dan Bagaimana Desa Mengikutinya",
        summary: "Program Destana melatih desa rawan bencana menyusun peta risiko, rencana kontinjensi dan tim relawan sendiri; desa mengajukan diri melalui BPBD kabupaten.",
        body: "Desa Tangguh Bencana (Destana) adalah program untuk membuat desa mampu mengenali ancaman di wilayahnya dan bersiap menghadapinya.\n\n## Yang dilakukan desa\n\n1. menyusun peta risiko dan jalur evakuasi bersama warga\n2. membentuk forum pengurangan risiko bencana dan tim relawan desa\n3. menyusun rencana kontinjensi dan menganggarkannya di APBDes\n4. menggelar simulasi evakuasi setidaknya sekali setahun\n\n## Cara mengikuti\n\nPemerintah desa mengajukan surat minat kepada BPBD kabupaten. Desa di kawasan rawan banjir, longsor, tsunami dan erupsi gunung api diprioritaskan.",
        source: Some("BPBD Provinsi Jawa Timur"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "ppdb-surabaya",
        publisher: Publisher::Org(DISPENDIK_SURABAYA),
        kind: "pengumuman",
        topics: &["pendidikan"],
        target: Target::Own,
        hours_ago: 40,
        title: "Pendaftaran Peserta Didik Baru SD dan SMP Negeri Dibuka",
        summary: "Pendaftaran dilakukan daring melalui jalur domisili, afirmasi, mutasi dan prestasi; warga yang kesulitan dibantu di kelurahan.",
        body: "Dinas Pendidikan Kota Surabaya membuka pendaftaran peserta didik baru untuk SD dan SMP negeri. Pendaftaran dilakukan secara daring melalui empat jalur: domisili, afirmasi, mutasi orang tua dan prestasi.\n\nDokumen yang disiapkan: kartu keluarga, akta kelahiran, dan bagi jalur afirmasi, bukti terdaftar sebagai keluarga kurang mampu.\n\nOrang tua yang tidak memiliki gawai atau kesulitan mendaftar dapat datang ke kantor kelurahan untuk dibantu petugas.",
        source: Some("Dinas Pendidikan Kota Surabaya"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "blt-dana-desa",
        publisher: Publisher::Org(DINSOS_SUMENEP),
        kind: "kebijakan",
        topics: &["sosial"],
        target: Target::Own,
        hours_ago: 110,
        title: "BLT Dana Desa: Siapa yang Berhak dan Cara Mengeceknya",
        summary: "Bantuan langsung tunai dari Dana Desa untuk keluarga miskin ekstrem yang belum menerima bantuan lain; penerima ditetapkan lewat musyawarah desa.",
        body: "Bantuan Langsung Tunai (BLT) Dana Desa diberikan kepada keluarga miskin ekstrem yang belum menerima bantuan sosial lain seperti PKH atau bantuan pangan.\n\nCalon penerima didata oleh relawan desa, lalu ditetapkan dalam musyawarah desa khusus yang terbuka untuk warga. Daftar penerima diumumkan di balai desa sehingga warga dapat mengajukan keberatan.\n\nWarga yang merasa berhak tetapi tidak terdata dapat melapor ke kepala dusun atau pendamping desa. Penyaluran dilakukan tunai atau melalui rekening, tanpa potongan apa pun.",
        source: Some("Dinas Sosial Kabupaten Sumenep"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "bantuan-pangan-beras",
        publisher: Publisher::Org(DINSOS_SUMENEP),
        kind: "berita",
        topics: &["sosial"],
        target: Target::FirstDistrict,
        hours_ago: 80,
        title: "Penyaluran Bantuan Pangan Beras di Kecamatan {kec}",
        summary: "Keluarga penerima manfaat menerima 10 kilogram beras per bulan; penyaluran di balai desa diawasi pendamping dan perangkat desa.",
        body: "Sebanyak 2.140 keluarga penerima manfaat di Kecamatan {kec} menerima bantuan pangan berupa 10 kilogram beras. Penyaluran dilakukan di balai desa masing-masing dan diawasi pendamping sosial serta perangkat desa.\n\nPenerima cukup membawa KTP dan kartu keluarga. Bagi lansia atau warga sakit, bantuan dapat diambil anggota keluarga dengan surat kuasa dari desa.",
        source: None,
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "pelatihan-jurnalistik-kim",
        publisher: Publisher::Org(KOMINFO_TUBAN),
        kind: "berita",
        topics: &["pemerintahan"],
        target: Target::Own,
        hours_ago: 50,
        title: "KIM se-Kabupaten Tuban Ikuti Pelatihan Jurnalistik Warga",
        summary: "Enam puluh pengurus KIM belajar menulis berita yang menjawab 5W+1H, memotret dengan ponsel dan memeriksa fakta sebelum berbagi informasi.",
        body: "Sebanyak 60 pengurus Kelompok Informasi Masyarakat dari 20 kecamatan mengikuti pelatihan jurnalistik warga yang digelar Diskominfo Kabupaten Tuban.\n\nPeserta belajar menulis berita yang menjawab apa, siapa, kapan, di mana, mengapa dan bagaimana; memotret kegiatan dengan ponsel; serta memeriksa fakta sebelum membagikan informasi ke grup WhatsApp warga.\n\n\"KIM adalah jembatan informasi antara pemerintah dan warga. Informasinya harus benar dan mudah dipahami,\" kata Kepala Diskominfo Kabupaten Tuban.",
        source: Some("Diskominfo Kabupaten Tuban"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "lomba-kim-tuban",
        publisher: Publisher::Org(KOMINFO_TUBAN),
        kind: "agenda",
        topics: &["pemerintahan"],
        target: Target::Own,
        hours_ago: 8,
        title: "Lomba KIM Kabupaten Tuban: Penilaian Lapangan dan Presentasi",
        summary: "KIM terbaik tiap kecamatan mempresentasikan kegiatan dan produk informasinya di hadapan dewan juri; pemenang mewakili Tuban di tingkat provinsi.",
        body: "Diskominfo Kabupaten Tuban menggelar Lomba KIM tingkat kabupaten. KIM terbaik dari tiap kecamatan mempresentasikan kegiatan, produk informasi dan dampaknya bagi warga.\n\nPenilaian meliputi pengelolaan informasi, pemanfaatan media sosial, kemitraan dengan pemerintah desa, dan pemberdayaan ekonomi anggota. Pemenang mewakili Kabupaten Tuban dalam Lomba KIM tingkat Provinsi Jawa Timur.",
        source: None,
        extra: Extra::Agenda { days: 20, hour: 8, hours: 7, place: "Pendopo Krida Manunggal Tuban" },
        correction: None,
    },
    DemoItem {
        key: "hak-informasi-publik",
        publisher: Publisher::Org(KOMINFO_JATIM),
        kind: "kebijakan",
        topics: &["pemerintahan"],
        target: Target::Own,
        hours_ago: 220,
        title: "Hak Warga atas Informasi Publik dan Cara Memintanya",
        summary: "Setiap warga berhak meminta informasi publik kepada badan publik, termasuk pemerintah desa; permohonan dijawab paling lambat 10 hari kerja.",
        body: "Undang-Undang Keterbukaan Informasi Publik menjamin hak setiap warga untuk meminta informasi dari badan publik, termasuk pemerintah desa, dinas dan BUMD.\n\n## Cara meminta informasi\n\n1. ajukan permohonan tertulis atau lisan kepada PPID badan publik yang bersangkutan\n2. sebutkan informasi yang diminta dan tujuannya\n3. badan publik wajib menjawab paling lambat 10 hari kerja, dapat diperpanjang 7 hari kerja\n\nBila permohonan ditolak atau tidak dijawab, warga dapat mengajukan keberatan kepada atasan PPID, lalu sengketa informasi kepada Komisi Informasi Provinsi Jawa Timur.",
        source: Some("Diskominfo Provinsi Jawa Timur"),
        extra: Extra::None,
        correction: None,
    },
    DemoItem {
        key: "wifi-balai-rw",
        publisher: Publisher::Org(KOMINFO_SURABAYA),
        kind: "pengumuman",
        topics: &["pemerintahan", "pendidikan"],
        target: Target::Own,
        hours_ago: 130,
        title: "Wi-Fi Gratis di Balai RW Diperluas ke 300 Titik",
        summary: "Warga dapat memakai internet gratis di balai RW untuk belajar dan usaha; jaringan bernama SurabayaWiFi, tanpa kata sandi.",
        body: "Diskominfo Kota Surabaya memperluas layanan internet gratis di balai RW menjadi 300 titik. Layanan ini dapat dipakai warga untuk belajar, mengurus layanan daring dan berjualan.\n\nSambungkan perangkat ke jaringan bernama SurabayaWiFi tanpa kata sandi. Situs judi daring dan konten negatif diblokir. Laporkan gangguan melalui pengurus RW.",
        source: None,
        extra: Extra::None,
        correction: None,
    },
];

/// What a demo item's placeholders stand for.
struct Place {
    desa: String,
    kec: String,
    kab: String,
    kim: String,
}

impl Place {
    fn fill(&self, text: &str) -> String {
        text.replace("{desa}", &self.desa)
            .replace("{kec}", &self.kec)
            .replace("{kab}", &self.kab)
            .replace("{kim}", &self.kim)
    }
}

async fn region_name(db: &Db, code: Option<RegionCode>) -> anyhow::Result<String> {
    Ok(match code {
        Some(code) => regions::get(db, &code).await?.map(|r| r.name).unwrap_or_default(),
        None => String::new(),
    })
}

const HOUR_MILLIS: i64 = 3_600_000;

/// The start (midnight, WIB) of the day `millis` falls on, in WIB.
pub(crate) fn wib_midnight(millis: i64) -> i64 {
    millis - (millis + i64::from(WIB_OFFSET_SECONDS) * 1000).rem_euclid(24 * HOUR_MILLIS)
}

/// A demo publisher as its items need it, read once for all of them.
struct PublisherInfo {
    org: OrgId,
    own: RegionCode,
    first_district: Option<RegionCode>,
    /// The village's name (a KIM), else empty.
    desa: String,
    /// The name of the district above the village (a KIM), else empty.
    parent_district: String,
    /// The name of [`Self::first_district`].
    first_district_name: String,
    kab: String,
    name: String,
}

impl PublisherInfo {
    async fn read(db: &Db, organisation: Organisation) -> anyhow::Result<Self> {
        let own = organisation.region.clone();
        let village = own.level() == jembatan_domain::RegionLevel::Village;
        let first_district = regions::children(db, &own).await?.first().map(|r| r.region_code());
        Ok(PublisherInfo {
            org: organisation.id,
            desa: if village { region_name(db, Some(own.clone())).await? } else { String::new() },
            parent_district: if village { region_name(db, own.parent()).await? } else { String::new() },
            first_district_name: region_name(db, first_district.clone()).await?,
            kab: region_name(db, own.regency()).await?,
            name: organisation.profile.name,
            first_district,
            own,
        })
    }

    /// The placeholders' values for an item shown at `target`.
    fn place(&self, target: Target) -> Place {
        let kec = match target {
            Target::FirstDistrict => &self.first_district_name,
            _ => &self.parent_district,
        };
        Place { desa: self.desa.clone(), kec: kec.clone(), kab: self.kab.clone(), kim: self.name.clone() }
    }
}

/// Loads the demo items: published at fixed hours before now (agenda
/// items in the coming weeks), corrections where the text has them, and
/// one contributor's item waiting for review.
async fn load_content(db: &Db, kims: &[OrgId], people: &DemoAuthors) -> anyhow::Result<()> {
    let now = jembatan_domain::Timestamp::now().millis();
    let midnight_wib = wib_midnight(now);
    let mut publishers: HashMap<Publisher, PublisherInfo> = HashMap::new();
    for item in DEMO_ITEMS {
        let author = match item.publisher {
            Publisher::Kim(n) => (n == 0).then_some(people.kim_manager),
            Publisher::Org(DINKES_TUBAN) => Some(people.agency_officer),
            Publisher::Org(KOMINFO_TUBAN) => Some(people.tuban_officer),
            Publisher::Org(KOMINFO_SURABAYA) => Some(people.surabaya_officer),
            Publisher::Org(KOMINFO_JATIM) => Some(people.admin),
            Publisher::Org(_) => None,
        };
        let info = match publishers.entry(item.publisher) {
            Entry::Occupied(found) => found.into_mut(),
            Entry::Vacant(slot) => {
                let organisation = match item.publisher {
                    Publisher::Kim(n) => {
                        let id = *kims.get(n).context("a demo KIM")?;
                        organisations::get(db, id).await?.context("a demo KIM")?
                    }
                    Publisher::Org(name) => {
                        organisations::find_by_name(db, name).await?.into_iter().next().context("a demo org")?
                    }
                };
                slot.insert(PublisherInfo::read(db, organisation).await?)
            }
        };
        let (org, own) = (info.org, &info.own);
        let place = info.place(item.target);
        let regions: Vec<String> = match item.target {
            Target::Own => vec![own.to_string()],
            Target::OwnAndDistrict => {
                vec![own.to_string(), own.parent().map(|p| p.to_string()).unwrap_or_else(|| own.to_string())]
            }
            Target::FirstDistrict => vec![info.first_district.clone().context("a district")?.to_string()],
        };
        let mut form = jembatan_domain::content::ContentForm {
            kind: item.kind.into(),
            title: place.fill(item.title),
            summary: place.fill(item.summary),
            body: place.fill(item.body),
            regions,
            topics: item.topics.iter().map(|t| (*t).to_owned()).collect(),
            source_name: item.source.map(|s| place.fill(s)).unwrap_or_default(),
            ..Default::default()
        };
        match item.extra {
            Extra::None => {}
            Extra::Agenda { days, hour, hours, place: at } => {
                let starts = jembatan_domain::Timestamp(midnight_wib + days * 24 * HOUR_MILLIS + hour * HOUR_MILLIS);
                form.starts_at = starts.to_rfc3339();
                form.ends_at = jembatan_domain::Timestamp(starts.millis() + hours * HOUR_MILLIS).to_rfc3339();
                form.place = place.fill(at);
            }
            Extra::Produk { min, max, contact } => {
                form.price_min = min.to_string();
                form.price_max = max.map(|m| m.to_string()).unwrap_or_default();
                form.contact = contact.into();
            }
        }
        let draft = form.validate().map_err(|e| anyhow::anyhow!("demo item {}: {e:?}", item.key))?;
        let import = jembatan_store::content::ImportItem {
            key: jembatan_domain::content::ImportKey::new("demo", item.key)
                .map_err(|e| anyhow::anyhow!("demo item {}: {e:?}", item.key))?,
            draft,
            published_at: Some(jembatan_domain::Timestamp(now - item.hours_ago * HOUR_MILLIS)),
        };
        let correction = item.correction;
        db.write(move |tx| {
            Box::pin(async move {
                let outcome = jembatan_store::content::import(tx, org, author, &import).await?;
                if let (jembatan_store::content::ImportOutcome::Created(id), Some(text)) = (outcome, correction) {
                    jembatan_store::content::correct(tx, id, text, author).await?;
                }
                Ok(())
            })
        })
        .await
        .with_context(|| format!("demo item {}", item.key))?;
    }
    submit_for_review(db, kims[0], people.kim_member).await
}

/// A contributor's item waiting in the KIM manager's review queue.
async fn submit_for_review(db: &Db, kim: OrgId, author: UserId) -> anyhow::Result<()> {
    let village = organisations::org_ref(db, kim).await?.region;
    let name = region_name(db, Some(village.clone())).await?;
    let form = jembatan_domain::content::ContentForm {
        kind: "berita".into(),
        title: format!("Warga {name} Gotong Royong Bedah Rumah Mbah Karsih"),
        summary: "Puluhan warga memperbaiki rumah Mbah Karsih, janda lansia yang tinggal sendiri, dengan bahan bangunan sumbangan warga dan BUMDes.".into(),
        body: format!(
            "Puluhan warga Desa {name} bergotong royong memperbaiki rumah Mbah Karsih (78), janda lansia yang tinggal seorang diri. Atap yang bocor diganti dan dinding anyaman bambu diganti bata ringan.\n\nBahan bangunan senilai sekitar Rp18 juta berasal dari sumbangan warga dan BUMDes. Pekerjaan selesai dalam tiga hari."
        ),
        regions: vec![village.to_string()],
        topics: vec!["sosial".into()],
        ..Default::default()
    };
    let draft = form.validate().map_err(|e| anyhow::anyhow!("demo draft: {e:?}"))?;
    db.write(move |tx| {
        Box::pin(async move {
            let created = jembatan_store::content::create(tx, kim, Some(author), &draft).await?;
            jembatan_store::content::submit(tx, created.id, created.version, Some(author)).await?;
            Ok(())
        })
    })
    .await?;
    Ok(())
}
