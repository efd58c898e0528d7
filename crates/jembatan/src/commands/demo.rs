//! `jembatan demo`: realistic demo data for an empty database: a province
//! admin, Diskominfo officers for Kabupaten Tuban and Kota Surabaya,
//! agencies and bodies, and a dozen KIMs with rosters in real villages of
//! Tuban, Malang, Surabaya and Sumenep. Generated from a fixed seed, so two
//! demo databases hold the same names and villages.

use jembatan_domain::account::RegistrationForm;
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
    if accounts::count_users(db).await? == 0 {
        load(db).await?;
        tracing::info!("demo data loaded");
    }
    Ok(logins())
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

const FIRST_NAMES: &[&str] = &[
    "Ahmad", "Siti", "Budi", "Sri", "Agus", "Dewi", "Eko", "Wahyuni", "Joko", "Lestari", "Hadi", "Rina", "Imam", "Nur",
    "Bambang", "Yuliana", "Teguh", "Ani", "Dwi", "Fitri", "Moh.", "Umi", "Slamet", "Indah", "Rahmat", "Endang",
];
const LAST_NAMES: &[&str] = &[
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
    for (regency, count) in KIM_REGENCIES {
        let villages = villages_of(db, regency).await?;
        for _ in 0..*count {
            let village = villages.choose(&mut rng).expect("a regency has villages").clone();
            let word = names.remove(rng.random_range(0..names.len()));
            let kim = create_kim(db, &mut rng, word, &village, regency).await?;
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
    Ok(())
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
