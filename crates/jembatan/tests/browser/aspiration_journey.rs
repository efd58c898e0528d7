//! Issue 4's journey: a citizen without an account files a confidential
//! complaint with a photo and gets a tracking number and a private link;
//! the regency's Diskominfo officer verifies it and dispatches it to the
//! agency; the agency's officer takes it up and answers; the citizen opens
//! the private link (the one the e-mails carry) and rates the answer,
//! which closes the case.

use anyhow::{Context, anyhow, ensure};
use fantoccini::Locator;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};
use jembatan_domain::organisation::OrganisationForm;
use jembatan_store::organisations;

use crate::app::App;
use crate::driver::Browser;
use crate::journeys::{Person, log_in, log_out};

const VERIFIER: Person = Person { name: "Bu Ratna", email: "ratna@tubankab.go.id", password: "kata sandi verifikator" };
const LIAISON: Person =
    Person { name: "Pak Joko", email: "joko@pupr.tubankab.go.id", password: "kata sandi penghubung" };

const TITLE: &str = "Jembatan bambu Dusun Krajan hampir roboh";
const DESCRIPTION: &str = "Tiang jembatan bambu menuju sekolah sudah miring sejak hujan deras pekan lalu.";
const ANSWER: &str = "Tim UPT Jalan mengganti jembatan dengan rangka baja ringan pada 3 Desember.";

/// The agency, the regency's verifier and the agency's liaison officer.
async fn set_up(app: &App) -> anyhow::Result<String> {
    let agency = OrganisationForm {
        kind: "agency".into(),
        name: "Dinas PUPR Kabupaten Tuban".into(),
        region: "35.23".into(),
        categories: vec!["infrastruktur".into()],
        ..OrganisationForm::default()
    }
    .validate()
    .map_err(|e| anyhow!("a valid agency: {e:?}"))?;
    let agency = app
        .db
        .write(move |tx| Box::pin(async move { organisations::create(tx, &agency, None).await }))
        .await
        .map_err(|e| anyhow!("create the agency: {e}"))?
        .id
        .to_string();
    for (person, role, scope) in
        [(&VERIFIER, "regency_officer", "35.23".to_owned()), (&LIAISON, "agency_officer", agency.clone())]
    {
        let account = jembatan::cli::UserCreate {
            name: person.name.into(),
            email: Some(person.email.into()),
            phone: None,
            role: role.into(),
            scope: Some(scope),
            password_stdin: true,
        };
        jembatan::commands::user::create(&app.db, &account, Some(person.password.into())).await?;
    }
    Ok(agency)
}

/// Waits until the page's main content contains `needle` (after a click
/// the next page may still be loading).
async fn shows(b: &Browser, needle: &str) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    loop {
        if b.texts("main").await.unwrap_or_default().concat().contains(needle) {
            return Ok(());
        }
        ensure!(started.elapsed() < crate::driver::WAIT, "the page does not show {needle:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

fn photo(path: &std::path::Path) -> anyhow::Result<()> {
    let image = RgbImage::from_fn(480, 320, |x, y| image::Rgb([(x / 2) as u8, (y / 2) as u8, 90]));
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 85).write_image(
        image.as_raw(),
        480,
        320,
        image::ExtendedColorType::Rgb8,
    )?;
    std::fs::write(path, bytes)?;
    Ok(())
}

pub async fn citizen_files_officers_answer_citizen_rates(b: &Browser, app: &App) -> anyhow::Result<()> {
    let agency = set_up(app).await?;

    // The citizen: from the header to the form, without an account.
    b.goto("/").await?;
    b.click_link("//header", "Aspirasi").await?;
    b.heading("Aspirasi warga").await?;
    b.click_link("//main", "Sampaikan laporan baru").await?;
    b.heading("Sampaikan aspirasi atau pengaduan").await?;
    let form = "/aspirasi/baru";
    b.pick(form, "class", "pengaduan").await?;
    b.type_into(form, "title", TITLE).await?;
    b.type_into(form, "description", DESCRIPTION).await?;
    b.choose(form, "category", "jalan-infrastruktur").await?;
    b.type_into(form, "region", "35.23.01.2001").await?;
    let folder = tempfile::tempdir()?;
    let picture = folder.path().join("jembatan.jpg");
    photo(&picture)?;
    b.attach(form, "attachments", &picture).await?;
    b.pick(form, "mode", "confidential").await?;
    b.type_into(form, "name", "Sumiati").await?;
    b.type_into(form, "phone", "0813 5555 1212").await?;
    b.type_into(form, "email", "sumiati@contoh.id").await?;
    b.submit(form, "Kirim laporan").await?;

    shows(b, "Simpan nomor ini").await?;
    let tracking = b.texts("main .tracking").await?.into_iter().next().context("the tracking number is shown")?;
    ensure!(tracking.starts_with("ASP-35-"), "a tracking number, not {tracking:?}");
    shows(b, "Simpan nomor ini").await?;
    let links = b.attrs("main .notice a", "href").await?;
    let private = links.iter().find(|l| l.contains("kunci=")).context("the private link to keep")?.clone();
    ensure!(!b.texts("main").await?.concat().contains(TITLE), "a confidential report's text is not shown");

    // The regency's verifier: the queue, the case, verify, dispatch.
    log_in(b, &VERIFIER).await?;
    b.goto("/admin/aspirasi").await?;
    b.heading("Aspirasi masuk").await?;
    b.click_link("//main", &tracking).await?;
    shows(b, TITLE).await?;
    shows(b, "Lampiran 1").await?;
    let case = b.path().await?;
    let case = case.split('?').next().unwrap_or_default().to_owned();
    b.submit(&format!("{case}/verifikasi"), "Diverifikasi").await?;
    shows(b, "tersimpan").await?;
    b.choose(&format!("{case}/disposisi"), "org", &agency).await?;
    b.type_into(&format!("{case}/disposisi"), "private_note", "Mohon survei lokasi minggu ini.").await?;
    b.submit(&format!("{case}/disposisi"), "Didisposisikan ke instansi").await?;
    shows(b, "Dinas PUPR Kabupaten Tuban").await?;
    log_out(b).await?;

    // The agency's liaison officer: takes it up and answers.
    log_in(b, &LIAISON).await?;
    b.goto("/admin/aspirasi").await?;
    b.click_link("//main", &tracking).await?;
    b.submit(&format!("{case}/tindak-lanjut"), "Ditindaklanjuti instansi").await?;
    shows(b, "tersimpan").await?;
    b.type_into(&format!("{case}/jawab"), "public_note", ANSWER).await?;
    b.submit(&format!("{case}/jawab"), "Dijawab").await?;
    shows(b, ANSWER).await?;
    log_out(b).await?;

    // The citizen follows the private link and rates the answer.
    // The link is absolute under the public URL; the test server listens elsewhere.
    let path = private.split_once("://").and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_owned()));
    b.goto(&path.context("the private link has a path")?).await?;
    shows(b, ANSWER).await?;
    shows(b, "Tanggapi jawaban").await?;
    let respond = format!("/aspirasi/{tracking}/tanggapan");
    b.pick(&respond, "rating", "5").await?;
    b.wait_for(Locator::Css(&format!("form[action=\"{respond}\"] textarea[name=\"comment\"]")), "the comment").await?;
    b.type_into(&respond, "comment", "Terima kasih, cepat sekali.").await?;
    b.submit(&respond, "Kirim penilaian dan tutup kasus").await?;
    shows(b, "5 dari 5").await?;
    shows(b, "Kasus ditutup").await?;
    Ok(())
}

async fn field_value(b: &Browser, name: &str) -> anyhow::Result<String> {
    let value = b.eval(&format!("return document.querySelector('form[data-draft] [name={name}]').value")).await?;
    Ok(value.as_str().unwrap_or_default().to_owned())
}

/// With JavaScript on, the report form keeps a draft: it survives a reload,
/// and a report sent while offline waits and goes out when the connection
/// returns; once stored, the draft is gone.
pub async fn a_draft_survives_a_reload_and_waits_for_the_connection(b: &Browser, _app: &App) -> anyhow::Result<()> {
    let form = "/aspirasi/baru";
    b.goto(form).await?;
    b.type_into(form, "title", TITLE).await?;
    b.type_into(form, "description", DESCRIPTION).await?;
    b.choose(form, "category", "jalan-infrastruktur").await?;
    b.reload().await?;
    shows(b, "dipulihkan").await?;
    ensure!(field_value(b, "title").await? == TITLE, "the title is restored after a reload");
    ensure!(field_value(b, "category").await? == "jalan-infrastruktur", "the category is restored");

    b.type_into(form, "region", "35.23.01.2001").await?;
    b.type_into(form, "name", "Sumiati").await?;
    b.type_into(form, "phone", "0813 5555 1212").await?;
    // The connection drops (as the browser reports it) before sending.
    b.eval("Object.defineProperty(navigator, 'onLine', { get: () => false, configurable: true }); return true").await?;
    b.submit(form, "Kirim laporan").await?;
    shows(b, "Tidak ada sambungan internet").await?;
    ensure!(b.path().await? == form, "the form waits on its page while offline");
    // It comes back: the form sends itself.
    b.eval(
        "Object.defineProperty(navigator, 'onLine', { get: () => true, configurable: true }); \
         window.dispatchEvent(new Event('online')); return true",
    )
    .await?;
    shows(b, "Simpan nomor ini").await?;
    b.goto(form).await?;
    b.heading("Sampaikan aspirasi atau pengaduan").await?;
    ensure!(field_value(b, "title").await?.is_empty(), "the draft is cleared once the report is stored");
    Ok(())
}
