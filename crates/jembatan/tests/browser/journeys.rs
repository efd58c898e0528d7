//! What a person does, click by click: each journey returns an error (the
//! harness then saves a screenshot) instead of panicking.

use anyhow::{bail, ensure};

use crate::app::App;
use crate::driver::Browser;

/// A person who registers in a journey (each test has its own database).
pub(crate) struct Person {
    pub(crate) name: &'static str,
    pub(crate) email: &'static str,
    pub(crate) password: &'static str,
}

const SITI: Person = Person { name: "Siti Aminah", email: "siti.aminah@contoh.id", password: "kopi tubruk pagi hari" };

pub(crate) async fn expect_path(b: &Browser, expected: &str) -> anyhow::Result<()> {
    let path = b.path().await?;
    ensure!(path == expected, "expected to be at {expected}, but the browser shows {path}");
    Ok(())
}

/// Home (the province) → Kabupaten Tuban → Kenduruan → Jlodro, by clicking.
async fn browse_to_a_village(b: &Browser) -> anyhow::Result<()> {
    b.goto("/").await?;
    b.heading("Jawa Timur").await?;
    b.click_link("//main", "Kabupaten Tuban").await?;
    b.heading("Kabupaten Tuban").await?;
    expect_path(b, "/wilayah/35.23").await?;
    b.text("20 kecamatan").await?;
    b.click_link("//main", "Kenduruan").await?;
    b.heading("Kenduruan").await?;
    expect_path(b, "/wilayah/35.23.01").await?;
    b.click_href("/wilayah/35.23.01.2001").await?;
    b.heading("Jlodro").await?;
    expect_path(b, "/wilayah/35.23.01.2001").await
}

/// From any page: the header's account link, then "Daftar", then the form.
async fn register(b: &Browser, person: &Person) -> anyhow::Result<()> {
    b.click_link("//header", "Akun").await?;
    b.heading("Masuk").await?;
    let path = b.path().await?;
    ensure!(path.starts_with("/masuk"), "the account link of a visitor leads to the login page, not {path}");
    b.click_link("//main", "Daftar").await?;
    b.heading("Daftar").await?;
    expect_path(b, "/daftar").await?;
    b.type_into("/daftar", "name", person.name).await?;
    b.type_into("/daftar", "email", person.email).await?;
    b.type_into("/daftar", "password", person.password).await?;
    b.type_into("/daftar", "password_confirm", person.password).await?;
    b.tick("/daftar", "consent").await?;
    b.submit("/daftar", "Daftar").await?;
    expect_account_page(b, person).await
}

async fn expect_account_page(b: &Browser, person: &Person) -> anyhow::Result<()> {
    b.heading("Akun saya").await?;
    expect_path(b, "/akun").await?;
    b.wait_for(
        fantoccini::Locator::XPath(&format!("//main//dd[normalize-space()='{}']", person.name)),
        "the name on the account page",
    )
    .await?;
    b.wait_for(
        fantoccini::Locator::XPath(&format!("//header//a[normalize-space()='{}']", person.name)),
        "the name in the header",
    )
    .await?;
    Ok(())
}

/// The header's "Keluar" button; back on the home page as a visitor.
pub(crate) async fn log_out(b: &Browser) -> anyhow::Result<()> {
    b.submit("/keluar", "Keluar").await?;
    b.heading("Jawa Timur").await?;
    expect_path(b, "/").await?;
    b.goto("/akun").await?;
    b.heading("Masuk").await?;
    let path = b.path().await?;
    ensure!(path.starts_with("/masuk"), "after logging out /akun asks to log in, but shows {path}");
    Ok(())
}

/// From any page: the header's account link, then the login form.
pub(crate) async fn log_in(b: &Browser, person: &Person) -> anyhow::Result<()> {
    b.click_link("//header", "Akun").await?;
    b.heading("Masuk").await?;
    b.type_into("/masuk", "identifier", person.email).await?;
    b.type_into("/masuk", "password", person.password).await?;
    b.submit("/masuk", "Masuk").await?;
    expect_account_page(b, person).await
}

/// The whole journey: browse to a village, check its breadcrumbs, register,
/// log out, log in, switch to English and back, log out.
pub async fn register_browse_and_switch_language(b: &Browser, _app: &App) -> anyhow::Result<()> {
    browse_to_a_village(b).await?;

    let crumbs = b.texts("nav.breadcrumbs li").await?;
    ensure!(
        crumbs == ["Jawa Timur", "Kabupaten Tuban", "Kenduruan", "Jlodro"],
        "breadcrumbs of the village: {crumbs:?}"
    );
    let hrefs = b.attrs("nav.breadcrumbs a", "href").await?;
    ensure!(hrefs == ["/wilayah/35", "/wilayah/35.23", "/wilayah/35.23.01"], "breadcrumb links: {hrefs:?}");
    let current = b.texts("nav.breadcrumbs li[aria-current=page]").await?;
    ensure!(current == ["Jlodro"], "the current page is marked in the breadcrumbs: {current:?}");
    b.click_link("//nav[contains(@class, 'breadcrumbs')]", "Kenduruan").await?;
    b.heading("Kenduruan").await?;
    expect_path(b, "/wilayah/35.23.01").await?;

    register(b, &SITI).await?;
    log_out(b).await?;
    log_in(b, &SITI).await?;

    b.click_link("//header", "English").await?;
    b.heading("My account").await?;
    expect_path(b, "/en/akun").await?;
    b.submit("/en/keluar", "Log out").await?;
    b.heading("Jawa Timur").await?;
    expect_path(b, "/en").await?;
    let lang = b.eval("return document.documentElement.lang").await?;
    ensure!(lang == "en", "the English page says lang={lang}");
    b.text("38 regencies and cities").await?;
    b.click_link("//main", "Kabupaten Tuban").await?;
    b.heading("Kabupaten Tuban").await?;
    expect_path(b, "/en/wilayah/35.23").await?;
    b.text("20 districts").await?;
    b.click_link("//header", "Bahasa Indonesia").await?;
    b.heading("Kabupaten Tuban").await?;
    expect_path(b, "/wilayah/35.23").await?;
    b.text("20 kecamatan").await?;
    let lang = b.eval("return document.documentElement.lang").await?;
    ensure!(lang == "id", "the Indonesian page says lang={lang}");

    log_in(b, &SITI).await?;
    log_out(b).await
}

/// The first steps with JavaScript switched off: pages and forms work.
pub async fn works_without_javascript(b: &Browser, _app: &App) -> anyhow::Result<()> {
    b.goto_url("data:text/html,<title>off</title><script>document.title='on'</script>").await?;
    let title = b.title().await?;
    ensure!(title == "off", "JavaScript should be off in this session, but a script ran (title {title:?})");

    browse_to_a_village(b).await?;
    register(b, &SITI).await?;
    log_out(b).await?;
    log_in(b, &SITI).await?;
    log_out(b).await
}

/// How wide the page is, and what sticks out past `width` when it is too wide.
async fn overflow(b: &Browser, width: u64) -> anyhow::Result<Option<String>> {
    let scroll = b.eval("return document.documentElement.scrollWidth").await?.as_u64().unwrap_or(u64::MAX);
    if scroll <= width {
        return Ok(None);
    }
    let culprits = b
        .eval(&format!(
            "return Array.from(document.querySelectorAll('body *'))
               .filter(e => e.getBoundingClientRect().right > {width} + 0.5)
               .slice(0, 6)
               .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                    + ' (right ' + Math.round(e.getBoundingClientRect().right) + ') '
                    + JSON.stringify((e.textContent || '').trim().slice(0, 40)))"
        ))
        .await?;
    Ok(Some(format!("scrollWidth {scroll} > {width}; sticking out: {culprits}")))
}

/// At 320 CSS pixels no region page nor the registration and login forms
/// scroll sideways, and registering works.
pub async fn fits_a_320px_screen(b: &Browser, _app: &App) -> anyhow::Result<()> {
    const WIDTH: u64 = 320;
    b.goto("/").await?;
    b.heading("Jawa Timur").await?;
    let inner = b.eval("return window.innerWidth").await?.as_u64().unwrap_or(0);
    ensure!(inner == WIDTH, "the window should be {WIDTH} px wide, but innerWidth is {inner}");

    let mut problems = Vec::new();
    let pages = [
        ("/", "Jawa Timur"),
        ("/wilayah/35.23", "Kabupaten Tuban"),
        ("/wilayah/35.23.01", "Kenduruan"),
        ("/wilayah/35.23.01.2001", "Jlodro"),
        ("/en/wilayah/35.23.01.2001", "Jlodro"),
        ("/daftar", "Daftar"),
        ("/en/daftar", "Register"),
        ("/masuk", "Masuk"),
        ("/kim", "KIM di Jawa Timur"),
    ];
    for (path, heading) in pages {
        b.goto(path).await?;
        b.heading(heading).await?;
        if let Some(problem) = overflow(b, WIDTH).await? {
            problems.push(format!("{path}: {problem}"));
        }
    }
    // The registration form works at this width too, and the account page
    // it leads to (long e-mail addresses included) fits.
    b.goto("/").await?;
    register(b, &SITI).await?;
    if let Some(problem) = overflow(b, WIDTH).await? {
        problems.push(format!("/akun: {problem}"));
    }
    if !problems.is_empty() {
        bail!("pages scroll sideways at {WIDTH} px:\n    {}", problems.join("\n    "));
    }
    Ok(())
}

/// A Diskominfo officer of Kabupaten Tuban (made as `jembatan user create`
/// makes the first officers) logs in, registers a KIM in a Tuban village
/// (verified at once), sees it verified on its public profile, makes a
/// registered citizen its manager, and finds both actions in the audit log.
pub async fn officer_registers_a_kim_grants_a_role_and_reads_the_audit_log(
    b: &Browser,
    app: &App,
) -> anyhow::Result<()> {
    const OFFICER: Person =
        Person { name: "Agus Wibowo", email: "agus@tuban.example.id", password: "kata sandi petugas" };
    const BUDI: Person = Person { name: "Budi Santoso", email: "budi@contoh.id", password: "kata sandi budi" };
    let officer = jembatan::cli::UserCreate {
        name: OFFICER.name.into(),
        email: Some(OFFICER.email.into()),
        phone: None,
        role: "regency_officer".into(),
        scope: Some("35.23".into()),
        password_stdin: true,
    };
    jembatan::commands::user::create(&app.db, &officer, Some(OFFICER.password.into())).await?;
    let citizen = jembatan::cli::UserCreate {
        name: BUDI.name.into(),
        email: Some(BUDI.email.into()),
        phone: None,
        role: "citizen".into(),
        scope: None,
        password_stdin: true,
    };
    jembatan::commands::user::create(&app.db, &citizen, Some(BUDI.password.into())).await?;

    b.goto("/masuk").await?;
    log_in(b, &OFFICER).await?;
    b.click_link("//header", "Admin").await?;
    expect_path(b, "/admin").await?;
    b.click_link("//main", "KIM").await?;
    expect_path(b, "/admin/kim").await?;
    b.click_link("//main", "Daftarkan KIM").await?;
    expect_path(b, "/admin/kim/baru").await?;
    b.type_into("/admin/kim/baru", "village", "35.23.01.2001").await?;
    b.type_into("/admin/kim/baru", "name", "KIM Jlodro Berdaya").await?;
    b.submit("/admin/kim/baru", "Daftarkan KIM").await?;
    let path = b.path().await?;
    let kim = path
        .strip_prefix("/admin/kim/")
        .and_then(|rest| rest.split(['/', '?']).next())
        .filter(|id| id.len() == 36)
        .ok_or_else(|| anyhow::anyhow!("after registering, the KIM's admin page should open, not {path}"))?
        .to_owned();

    b.goto(&format!("/kim/{kim}")).await?;
    b.heading("KIM Jlodro Berdaya").await?;
    b.text("Terverifikasi oleh Diskominfo Kabupaten Tuban").await?;

    b.goto("/admin/peran").await?;
    b.type_into("/admin/peran", "account", BUDI.email).await?;
    b.choose("/admin/peran", "role", "kim_manager").await?;
    b.type_into("/admin/peran", "scope", &kim).await?;
    b.submit("/admin/peran", "Beri peran").await?;
    b.text(BUDI.name).await?;

    b.click_link("//main", "Log audit").await?;
    let actions = b.texts("main table").await?.join(" ");
    for expected in ["Mendaftarkan KIM", "Memberi peran"] {
        ensure!(actions.contains(expected), "the audit log shows {expected:?}: {actions}");
    }
    log_out(b).await
}
