//! Issue 3's journey: a KIM contributor writes a news item with a photo in
//! the browser, the KIM's manager reviews and publishes it, and a visitor
//! finds it on the village, district and regency pages, in the feeds, in
//! search by another word form (also narrowed to the regency and the
//! district), and shares it through WhatsApp.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail, ensure};
use fantoccini::Locator;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};
use jembatan_domain::kim::KimForm;
use jembatan_store::kims;

use crate::app::App;
use crate::driver::Browser;
use crate::journeys::{Person, expect_path, log_in, log_out};

const VILLAGE: &str = "35.23.01.2001";
const DISTRICT: &str = "35.23.01";
const REGENCY: &str = "35.23";
const KIM_NAME: &str = "KIM Jlodro Maju";

const CONTRIBUTOR: Person =
    Person { name: "Sri Wahyuni", email: "sri.wahyuni@contoh.id", password: "kata sandi kontributor" };
const MANAGER: Person = Person { name: "Pak Slamet", email: "slamet@contoh.id", password: "kata sandi pengelola" };

const TITLE: &str = "Pembangunan Jalan Desa Jlodro Dimulai Pekan Ini";
const SUMMARY: &str = "Pembangunan jalan sepanjang 800 meter di Dusun Krajan, Desa Jlodro, dimulai Senin pagi.";
const BODY: &str = "Pembangunan jalan cor beton di Dusun Krajan, Desa Jlodro, dimulai pada Senin, 2 Maret 2026.\n\n\
    Kepala Desa Jlodro, Pak Harjo, mengatakan pekerjaan selesai dalam enam minggu.";
const SOURCE: &str = "Pemerintah Desa Jlodro";
const COVER_CAPTION: &str = "Warga Dusun Krajan melihat alat berat di ujung jalan desa.";
const GALLERY_CAPTION: &str = "Material cor beton di balai desa.";
/// Another form of the text's "pembangunan": the same stem, other affixes.
const OTHER_FORM: &str = "membangun";

/// How long the search index may take to follow a publication.
const INDEX_WAIT: Duration = Duration::from_secs(5);

/// A real JPEG photo, `width` × `height`, a colour gradient.
fn jpeg(width: u32, height: u32, tint: u8) -> anyhow::Result<Vec<u8>> {
    let image =
        RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, tint]));
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 85).write_image(
        image.as_raw(),
        width,
        height,
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(bytes)
}

/// A KIM in the village (as an officer's earlier registration made it), a
/// contributor and a manager of it (as `jembatan user create` makes them).
async fn set_up(app: &App) -> anyhow::Result<String> {
    let new = KimForm { name: KIM_NAME.into(), village: VILLAGE.into(), ..KimForm::default() }
        .validate()
        .map_err(|e| anyhow!("a valid KIM: {e:?}"))?;
    let kim = app
        .db
        .write(move |tx| Box::pin(async move { kims::register(tx, &new, None).await }))
        .await
        .map_err(|e| anyhow!("register the KIM: {e}"))?
        .id()
        .to_string();
    for (person, role) in [(&CONTRIBUTOR, "kim_contributor"), (&MANAGER, "kim_manager")] {
        let account = jembatan::cli::UserCreate {
            name: person.name.into(),
            email: Some(person.email.into()),
            phone: None,
            role: role.into(),
            scope: Some(kim.clone()),
            password_stdin: true,
        };
        jembatan::commands::user::create(&app.db, &account, Some(person.password.into())).await?;
    }
    Ok(kim)
}

/// The item's id in an editor path, `/tulis/<id>` or `/tulis/<id>?...`.
fn editor_id(path: &str) -> Option<String> {
    let id = path.strip_prefix("/tulis/")?.split(['/', '?']).next()?;
    (id.len() == 36).then(|| id.to_owned())
}

/// Decodes a URL's percent-encoding (as WhatsApp reads `?text=`).
fn percent_decode(text: &str) -> anyhow::Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3).ok_or_else(|| anyhow!("a cut-off escape in {text}"))?;
                out.push(u8::from_str_radix(hex, 16).with_context(|| format!("the escape %{hex}"))?);
                i += 3;
            }
            b'+' => bail!("a '+' in {text}: spaces must be %20 for WhatsApp"),
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8(out)?)
}

/// The path (and query) of an absolute URL of the site.
fn path_of(url: &str) -> anyhow::Result<String> {
    let rest = url.split_once("://").map(|(_, rest)| rest).ok_or_else(|| anyhow!("not absolute: {url}"))?;
    Ok(rest.find('/').map(|i| rest[i..].to_owned()).unwrap_or_else(|| "/".to_owned()))
}

/// Waits, up to [`crate::driver::WAIT`], for the image matching `css` to
/// have loaded (the browser decoded real pixels from the server).
async fn image_loaded(b: &Browser, css: &str) -> anyhow::Result<()> {
    let script = format!(
        "const i = document.querySelector({css:?}); if (!i) return -1; \
         i.scrollIntoView(); return i.complete ? i.naturalWidth : 0"
    );
    let started = Instant::now();
    loop {
        let width = b.eval(&script).await?.as_i64().unwrap_or(0);
        ensure!(width >= 0, "no image matches {css}");
        if width > 0 {
            return Ok(());
        }
        if started.elapsed() > crate::driver::WAIT {
            bail!("the image {css} did not load within {:?}", crate::driver::WAIT);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits, up to [`crate::driver::WAIT`], for the browser to show a page
/// whose path (and query) passes `expected`.
async fn wait_for_path(b: &Browser, expected: impl Fn(&str) -> bool) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        let path = b.path().await?;
        if expected(&path) {
            return Ok(());
        }
        if started.elapsed() > crate::driver::WAIT {
            bail!("still on {path} after {:?}", crate::driver::WAIT);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The titles of the news list of the region page shown.
async fn listed_titles(b: &Browser) -> anyhow::Result<Vec<String>> {
    b.wait_for(Locator::Css("section.news"), "the news section").await?;
    b.texts("section.news li h3 a").await
}

/// GETs one of the site's feeds and returns its entries' titles and links.
async fn feed_entries(app: &App, path: &str) -> anyhow::Result<Vec<(String, String)>> {
    let response = reqwest::get(format!("{}{path}", app.address)).await.with_context(|| format!("GET {path}"))?;
    ensure!(response.status() == 200, "GET {path}: {}", response.status());
    let bytes = response.bytes().await?;
    let feed = feed_rs::parser::parse(&bytes[..]).with_context(|| format!("parse the feed {path}"))?;
    Ok(feed
        .entries
        .into_iter()
        .map(|e| {
            let title = e.title.map(|t| t.content).unwrap_or_default();
            let link = e.links.first().map(|l| l.href.clone()).unwrap_or_default();
            (title, link)
        })
        .collect())
}

/// Searches through the header's search box, reloading the results (a
/// bounded wait: the index follows the database within a second) until
/// `title` is among them; returns the marked words of its snippet.
async fn search_finds(b: &Browser, query: &str, title: &str) -> anyhow::Result<Vec<String>> {
    b.type_into("/cari", "q", query).await?;
    b.submit("/cari", "Cari").await?;
    b.heading(&format!("Pencarian: {query}")).await?;
    let started = Instant::now();
    loop {
        let titles = b.texts("ol.search-results li h2 a").await?;
        if titles.iter().any(|t| t == title) {
            return b.texts("ol.search-results li p.snippet mark").await;
        }
        if started.elapsed() > INDEX_WAIT {
            bail!("searching {query:?} did not find {title:?} within {INDEX_WAIT:?}; results: {titles:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        b.reload().await?;
    }
}

/// The contributor writes the item with a photo, reads the quality check
/// and submits it; returns the item's id.
async fn contributor_writes_and_submits(b: &Browser, kim: &str, photos: &Path) -> anyhow::Result<String> {
    b.goto("/").await?;
    log_in(b, &CONTRIBUTOR).await?;
    b.click_link("//main", "Tulisan saya").await?;
    b.heading("Tulisan saya").await?;
    expect_path(b, "/akun/tulisan").await?;
    b.click_link("//main", "Tulis baru").await?;
    b.heading("Tulis").await?;
    b.choose("/tulis", "org", kim).await?;
    b.pick("/tulis", "jenis", "berita").await?;
    b.submit("/tulis", "Lanjut").await?;
    b.heading("Tulis Berita").await?;

    let regions =
        b.eval("return document.querySelector('form[action=\"/tulis\"] textarea[name=regions]').value").await?;
    ensure!(regions == VILLAGE, "the KIM's village is the default target: {regions}");
    b.type_into("/tulis", "title", TITLE).await?;
    b.type_into("/tulis", "summary", SUMMARY).await?;
    b.type_into("/tulis", "body", BODY).await?;
    b.type_into("/tulis", "regions", VILLAGE).await?;
    b.pick("/tulis", "topics", "infrastruktur").await?;
    b.type_into("/tulis", "source_name", SOURCE).await?;
    b.attach("/tulis", "cover_file", &photos.join("jalan.jpg")).await?;
    b.type_into("/tulis", "cover_caption", COVER_CAPTION).await?;
    b.attach("/tulis", "gallery_file_0", &photos.join("material.jpg")).await?;
    b.type_into("/tulis", "gallery_new_caption_0", GALLERY_CAPTION).await?;
    b.submit("/tulis", "Simpan sebagai draf").await?;

    b.text("Draf sudah disimpan.").await?;
    let path = b.path().await?;
    let id = editor_id(&path).ok_or_else(|| anyhow!("after saving, the item's editor page should open, not {path}"))?;
    ensure!(path.ends_with("?selesai=dibuat"), "the saved draft's page says so: {path}");
    b.heading(TITLE).await?;

    // The quality check: a score out of 100 and each finding with its reason.
    b.wait_for(Locator::Css("section.quality"), "the quality check").await?;
    let heading = b.texts("#quality-heading").await?.join(" ");
    let score = heading
        .split("Skor ")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .and_then(|s| s.parse::<u32>().ok())
        .ok_or_else(|| anyhow!("the quality check shows a score: {heading:?}"))?;
    ensure!(heading.starts_with("Cek mutu") && score <= 100, "the quality heading: {heading:?}");
    let passed = b.texts("section.quality li.pass").await?;
    let failed = b.texts("section.quality li.fail").await?;
    ensure!(passed.len() + failed.len() >= 5, "the quality check lists its findings: {passed:?} {failed:?}");
    // Each finding: its mark (shown in capitals by the style sheet), then its reason.
    let says = |finding: &String, mark: &str| {
        finding.to_lowercase().strip_prefix(mark).is_some_and(|reason| reason.trim().chars().count() > 10)
    };
    ensure!(
        passed.iter().all(|f| says(f, "sudah ")) && failed.iter().all(|f| says(f, "belum ")),
        "each finding says whether it is met and why: {passed:?} {failed:?}"
    );
    for reason in
        ["Ada foto sampul, dan setiap foto diberi keterangan.", "Menyebut sumber informasi (narasumber atau lembaga)."]
    {
        ensure!(passed.iter().any(|f| f.ends_with(reason)), "{reason:?} is met: {passed:?}");
    }
    ensure!(score >= 50, "a well-formed item scores at least 50, not {score}: failed {failed:?}");
    let thumbs = b.attrs("form.editor-form img.thumb", "src").await?;
    ensure!(
        thumbs.len() == 2 && thumbs.iter().all(|s| s.starts_with("/media/")),
        "the uploads' thumbnails: {thumbs:?}"
    );
    let steps = b.texts("section.steps button").await?;
    ensure!(!steps.iter().any(|s| s == "Terbitkan sekarang"), "a contributor does not publish: {steps:?}");

    b.submit(&format!("/tulis/{id}/ajukan"), "Ajukan untuk ditinjau").await?;
    b.text("Tulisan sudah diajukan untuk ditinjau.").await?;
    b.text("Menunggu tinjauan").await?;
    log_out(b).await?;
    Ok(id)
}

/// The manager finds the item in the review queue and publishes it;
/// returns the link to its public page (`/konten/<id>`).
async fn manager_reviews_and_publishes(b: &Browser, id: &str) -> anyhow::Result<String> {
    log_in(b, &MANAGER).await?;
    b.click_link("//header", "Admin").await?;
    wait_for_path(b, |path| path == "/admin").await?;
    b.click_link("//main", "Antrean tinjauan").await?;
    b.heading("Antrean tinjauan").await?;
    let queued = b.texts("main ul.items li").await?;
    ensure!(
        queued.iter().any(|row| row.contains(TITLE) && row.contains(CONTRIBUTOR.name) && row.contains(KIM_NAME)),
        "the queue shows the item, its author and KIM: {queued:?}"
    );
    b.click_link("//main", TITLE).await?;
    b.heading(TITLE).await?;
    expect_path(b, &format!("/tulis/{id}")).await?;
    b.text("Menunggu tinjauan").await?;
    b.submit(&format!("/tulis/{id}/terbitkan"), "Terbitkan sekarang").await?;
    b.text("Tulisan sudah terbit.").await?;
    let public = b.attrs("p.status-line a", "href").await?;
    let public = public
        .into_iter()
        .find(|href| href.starts_with(&format!("/konten/{id}")))
        .ok_or_else(|| anyhow!("the published item links to its public page"))?;
    log_out(b).await?;
    Ok(public)
}

/// The whole journey of issue 3.
pub async fn contributor_writes_manager_publishes_visitor_finds_and_shares(
    b: &Browser,
    app: &App,
) -> anyhow::Result<()> {
    ensure!(
        !format!("{TITLE} {SUMMARY} {BODY}").to_lowercase().contains(OTHER_FORM),
        "the search must find a word form the text does not hold"
    );
    let kim = set_up(app).await?;
    let photos = tempfile::tempdir()?;
    std::fs::write(photos.path().join("jalan.jpg"), jpeg(800, 500, 90)?)?;
    std::fs::write(photos.path().join("material.jpg"), jpeg(720, 480, 200)?)?;

    let id = contributor_writes_and_submits(b, &kim, photos.path()).await?;
    let public = manager_reviews_and_publishes(b, &id).await?;

    // A visitor (logged out) on the village page: the item is listed, and
    // the page's head advertises its feeds.
    b.goto(&format!("/wilayah/{VILLAGE}")).await?;
    b.heading("Jlodro").await?;
    let titles = listed_titles(b).await?;
    ensure!(titles.first().map(String::as_str) == Some(TITLE), "the village page lists the item first: {titles:?}");
    let feeds = b
        .eval(
            "return Array.from(document.head.querySelectorAll('link[rel=alternate][type]'))
               .map(l => [l.type, l.getAttribute('href')])",
        )
        .await?;
    let feeds: Vec<(String, String)> = serde_json::from_value(feeds)?;
    let types: Vec<&str> = feeds.iter().map(|(t, _)| t.as_str()).collect();
    for expected in ["application/rss+xml", "application/atom+xml", "application/feed+json"] {
        ensure!(types.contains(&expected), "the village page advertises a {expected} feed: {feeds:?}");
    }

    // The item page, reached from the village page.
    b.click_link("//section[contains(@class, 'news')]", TITLE).await?;
    b.heading(TITLE).await?;
    let item_path = b.path().await?;
    ensure!(
        item_path.starts_with(&format!("{public}/")) && item_path.len() > public.len() + 1,
        "the village page links to the item's page, {public} and its slug: {item_path}"
    );
    let cover = "figure.cover img";
    let srcset = b.attrs(cover, "srcset").await?.join("");
    for width in ["320w", "640w", "800w"] {
        ensure!(srcset.contains(width), "the cover offers its {width} copy: {srcset:?}");
    }
    let size = (b.attrs(cover, "width").await?, b.attrs(cover, "height").await?);
    ensure!(size == (vec!["800".to_owned()], vec!["500".to_owned()]), "the cover's width and height: {size:?}");
    let loading = b.attrs(cover, "loading").await?;
    ensure!(loading == [""], "the cover is the page's main image, loaded at once, not lazily: {loading:?}");
    let caption = b.texts("figure.cover figcaption").await?;
    ensure!(caption == [COVER_CAPTION], "the cover's caption: {caption:?}");
    image_loaded(b, cover).await?;
    let gallery = "div.gallery img";
    let lazy = b.attrs(gallery, "loading").await?;
    ensure!(lazy == ["lazy"], "gallery photos load lazily: {lazy:?}");
    let (width, height, srcset) =
        (b.attrs(gallery, "width").await?, b.attrs(gallery, "height").await?, b.attrs(gallery, "srcset").await?);
    ensure!(
        width == ["720"] && height == ["480"] && srcset.join("").contains("320w"),
        "the gallery photo's size and copies: {width:?} {height:?} {srcset:?}"
    );
    let caption = b.texts("div.gallery figcaption").await?;
    ensure!(caption == [GALLERY_CAPTION], "the gallery photo's caption: {caption:?}");
    image_loaded(b, gallery).await?;

    // Shared through WhatsApp: the title and the item's absolute link.
    let share = b.attrs("p.share a", "href").await?;
    let [share] = share.as_slice() else { bail!("one WhatsApp share link: {share:?}") };
    let label = b.texts("p.share a").await?;
    ensure!(label == ["Bagikan lewat WhatsApp"], "the share link's label: {label:?}");
    let text = share
        .strip_prefix("https://wa.me/?text=")
        .ok_or_else(|| anyhow!("the share link opens WhatsApp with a text: {share}"))?;
    let canonical = b.attrs("link[rel=canonical]", "href").await?.join("");
    ensure!(path_of(&canonical)? == item_path, "the canonical link is the item's: {canonical}");
    let decoded = percent_decode(text)?;
    ensure!(decoded == format!("{TITLE} {canonical}"), "the shared text is the title and the link: {decoded:?}");

    // Every feed the village page advertises lists the item, and so do the
    // KIM's and the topic's.
    for (kind, href) in &feeds {
        let path = path_of(href)?;
        ensure!(path.starts_with(&format!("/wilayah/{VILLAGE}/")), "the {kind} feed is the village's: {href}");
        let entries = feed_entries(app, &path).await?;
        ensure!(
            entries.iter().any(|(title, link)| title == TITLE && link.ends_with(&item_path)),
            "the village's {kind} feed {path} lists the item: {entries:?}"
        );
    }
    for path in [format!("/kim/{kim}/rss.xml"), "/topik/infrastruktur/rss.xml".to_owned()] {
        let entries = feed_entries(app, &path).await?;
        ensure!(entries.iter().any(|(title, _)| title == TITLE), "the feed {path} lists the item: {entries:?}");
    }

    // The district's and the regency's pages list it too (an item of one
    // of their villages), and advertise their own feeds.
    for (code, name) in [(DISTRICT, "Kenduruan"), (REGENCY, "Kabupaten Tuban")] {
        b.goto(&format!("/wilayah/{code}")).await?;
        b.heading(name).await?;
        let titles = listed_titles(b).await?;
        ensure!(titles.first().map(String::as_str) == Some(TITLE), "the {name} page lists the item first: {titles:?}");
        let links = b.attrs("section.news li h3 a", "href").await?;
        ensure!(links.first() == Some(&item_path), "the {name} page links to the item's page: {links:?}");
        let rss = b.attrs("head link[rel=alternate][type='application/rss+xml']", "href").await?;
        ensure!(
            rss.len() == 1 && path_of(&rss[0])? == format!("/wilayah/{code}/rss.xml"),
            "the {name} page advertises its RSS feed: {rss:?}"
        );
    }

    // Search by another word form, from the header's search box.
    b.goto("/").await?;
    let marked = search_finds(b, OTHER_FORM, TITLE).await?;
    ensure!(
        marked.iter().any(|m| m.to_lowercase() == "pembangunan"),
        "the snippet marks the text's own word form: {marked:?}"
    );
    // Narrowed to the regency, then the district, with the results page's
    // filters: still found (the index knows every level above the village).
    for code in [REGENCY, DISTRICT] {
        b.eval("document.querySelector('details.search-filters').open = true").await?;
        b.type_into("/cari", "wilayah", code).await?;
        b.submit("/cari", "Terapkan").await?;
        // The results page looks like the one before: wait for its address.
        wait_for_path(b, |path| {
            path.contains(&format!("wilayah={code}&")) || path.ends_with(&format!("wilayah={code}"))
        })
        .await?;
        b.wait_for(Locator::Css("p.search-summary"), "the search summary").await?;
        let titles = b.texts("ol.search-results li h2 a").await?;
        ensure!(titles == [TITLE], "searching {OTHER_FORM:?} within {code} finds the item: {titles:?}");
    }
    b.click_link("//main", TITLE).await?;
    b.heading(TITLE).await?;
    expect_path(b, &item_path).await
}
