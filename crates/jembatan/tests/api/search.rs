//! Full-text search, black-box over HTTP on both engines: an item published
//! through the store is findable on `/cari` and `/api/v1/search` within a
//! second and gone within a second of being unpublished; Indonesian word
//! forms find each other; the title weighs more than the body; filters
//! narrow (region with everything inside it, topic, type, organisation,
//! dates); text with broken syntax still searches; bad parameters are 400
//! with stable codes.

use std::time::{Duration, Instant};

use jembatan_domain::OrgId;
use jembatan_domain::content::{ContentForm, ContentId};
use jembatan_store::content;
use serde_json::Value;

use crate::admin_support::{agency, kim};
use crate::content_support;
use crate::helpers::TestApp;
use crate::http_tests;

/// How soon the index must follow the database.
const WITHIN: Duration = Duration::from_secs(1);

/// A published item's form: `kind` with `title` and `body`, targeted at
/// `regions`, filed under `topics`.
fn form(kind: &str, title: &str, body: &str, regions: &[&str], topics: &[&str]) -> ContentForm {
    ContentForm {
        kind: kind.into(),
        title: title.into(),
        summary: "Kabar singkat untuk warga.".into(),
        body: body.into(),
        regions: regions.iter().map(|r| r.to_string()).collect(),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        ..ContentForm::default()
    }
}

/// Creates and publishes an item now.
async fn publish(app: &TestApp, org: OrgId, form: ContentForm) -> ContentId {
    content_support::publish(app, org, form).await.id
}

/// Publishes an item dated `day` (`YYYY-MM-DD`, 10:00 UTC), as an import would.
async fn publish_on(app: &TestApp, org: OrgId, form: ContentForm, day: &str) -> ContentId {
    content_support::publish_at(app, org, form, content_support::at(&format!("{day}T10:00:00Z"))).await
}

async fn unpublish(app: &TestApp, id: ContentId) {
    app.db
        .write(move |tx| Box::pin(async move { content::unpublish(tx, id, "Melanggar pedoman", None).await }))
        .await
        .expect("unpublish");
}

/// `q` encoded for a query string.
fn enc(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

/// The API's answer to `/api/v1/search?{query}`, which must be 200.
async fn api(app: &TestApp, query: &str) -> Value {
    let (status, body) = app.get_json(&format!("/api/v1/search?{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

/// The ids the API finds for `query`, best first.
async fn api_ids(app: &TestApp, query: &str) -> Vec<String> {
    let body = api(app, query).await;
    body["items"].as_array().unwrap().iter().map(|item| item["id"].as_str().unwrap().to_owned()).collect()
}

/// The search page for `query`, which must be 200.
async fn page(app: &TestApp, query: &str) -> String {
    let (status, html) = app.get_text(&format!("/cari?{query}")).await;
    assert_eq!(status, 200, "/cari?{query}");
    html
}

/// Polls until `done` holds, at most [`WITHIN`]; returns how long it took.
/// The promise under test: published items are findable within a second.
async fn within_a_second<F, Fut>(what: &str, done: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    poll(what, WITHIN, done).await
}

/// Polls until the items a test set up are indexed, at most ten seconds:
/// tests of other properties wait with room for a loaded machine, the
/// one-second promise is [`within_a_second`]'s.
async fn until_indexed<F, Fut>(what: &str, done: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    poll(what, Duration::from_secs(10), done).await
}

async fn poll<F, Fut>(what: &str, limit: Duration, mut done: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    loop {
        if done().await {
            return start.elapsed();
        }
        assert!(start.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

http_tests! {
    async fn a_published_item_is_findable_within_a_second_and_gone_within_a_second_of_unpublishing(app) {
        let kim = kim(&app, "35.23.01.2001", "KIM Jlodro Maju").await;
        let body = "Warga Jlodro bergotong royong memperbaiki saluran irigasi sawah sebelum musim tanam.";
        let id = publish(&app, kim, form("berita", "Gotong royong irigasi Jlodro", body, &["35.23.01.2001"], &["pertanian"])).await;
        let id = id.to_string();

        let api_delay = within_a_second("the API finds it", || async {
            api_ids(&app, "q=irigasi").await.contains(&id)
        })
        .await;
        let page_delay = within_a_second("the page finds it", || async {
            page(&app, "q=irigasi").await.contains("Gotong royong irigasi Jlodro")
        })
        .await;
        eprintln!("publish → findable: API {api_delay:?}, page {page_delay:?} (after the API)");

        let found = api(&app, "q=irigasi").await;
        assert_eq!(found["total"], 1);
        let item = &found["items"][0];
        assert_eq!(item["type"], "berita");
        assert_eq!(item["title"], "Gotong royong irigasi Jlodro");
        let url = item["url"].as_str().unwrap();
        assert!(url.starts_with("http://127.0.0.1/konten/") && url.contains(&id), "{url}");
        let published_at = item["published_at"].as_str().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(published_at).is_ok(), "{published_at}");
        assert!(item["score"].as_f64().unwrap() > 0.0);
        assert!(item["snippet_html"].as_str().unwrap().contains("<mark>irigasi</mark>"), "{item}");

        let html = page(&app, "q=irigasi").await;
        assert!(html.contains("<mark>irigasi</mark>"), "the snippet highlights the word");
        let href = format!("href=\"/konten/{id}/");
        assert!(html.contains(&href), "the title links to the item");

        unpublish(&app, id.parse().unwrap()).await;
        let gone = within_a_second("the API no longer finds it", || async {
            !api_ids(&app, "q=irigasi").await.contains(&id)
        })
        .await;
        within_a_second("the page no longer shows it", || async {
            !page(&app, "q=irigasi").await.contains("Gotong royong irigasi Jlodro")
        })
        .await;
        eprintln!("unpublish → gone: API {gone:?}");
    }

    async fn other_word_forms_find_each_other(app) {
        let kim = kim(&app, "35.23.01.2001", "KIM Jlodro Maju").await;
        let village = &["35.23.01.2001"];
        let built = publish(&app, kim, form("berita", "Kerja bakti warga Jlodro",
            "Warga Jlodro membangun jalan desa sepanjang dua kilometer.", village, &["infrastruktur"])).await;
        let passive = publish(&app, kim, form("berita", "Akses ke sawah lebih mudah",
            "Tahun ini dibangun jalan baru menuju sawah di sebelah timur desa.", village, &["infrastruktur"])).await;
        let unrelated = publish(&app, kim, form("berita", "Posyandu balita",
            "Posyandu membuka layanan imunisasi untuk balita setiap bulan.", village, &["kesehatan"])).await;
        let mut expected = vec![built.to_string(), passive.to_string()];
        expected.sort();
        until_indexed("both forms are found", || async {
            let mut found = api_ids(&app, &format!("q={}", enc("pembangunan jalan"))).await;
            found.sort();
            found == expected
        })
        .await;
        let html = page(&app, &format!("q={}", enc("pembangunan jalan"))).await;
        assert!(html.contains("Kerja bakti warga Jlodro") && html.contains("Akses ke sawah lebih mudah"));
        assert!(!html.contains("Posyandu balita"));
        assert!(!api_ids(&app, "q=jalan").await.contains(&unrelated.to_string()));
    }

    async fn a_match_in_the_title_ranks_above_one_in_the_body(app) {
        let kim = kim(&app, "35.23.01.2001", "KIM Jlodro Maju").await;
        let village = &["35.23.01.2001"];
        // Published first, so the newer item would win a tie.
        let in_title = publish(&app, kim, form("berita", "Jembatan Sumberejo diperbaiki",
            "Pekerjaan dimulai Senin dan selesai dalam tiga minggu.", village, &["infrastruktur"])).await;
        let in_body = publish(&app, kim, form("berita", "Kabar dari balai desa",
            "Kepala desa menyampaikan rencana kerja, termasuk perawatan jembatan kecil di dusun.", village,
            &["pemerintahan"])).await;
        until_indexed("both are found", || async { api_ids(&app, "q=jembatan").await.len() == 2 }).await;
        assert_eq!(api_ids(&app, "q=jembatan").await, [in_title.to_string(), in_body.to_string()]);
        let html = page(&app, "q=jembatan").await;
        let title_at = html.find("Jembatan Sumberejo diperbaiki").unwrap();
        let body_at = html.find("Kabar dari balai desa").unwrap();
        assert!(title_at < body_at, "the title match is listed first");
    }

    async fn filters_narrow_by_region_and_below_topic_type_organisation_and_date(app) {
        let kim = kim(&app, "35.23.01.2001", "KIM Jlodro Maju").await;
        let tuban = agency(&app, "35.23", "Dinas Kesehatan Kabupaten Tuban").await;
        let malang = agency(&app, "35.07", "Dinas Kesehatan Kabupaten Malang").await;
        let village = publish_on(&app, kim, form("berita", "Posyandu Jlodro",
            "Posyandu Jlodro buka setiap Selasa.", &["35.23.01.2001"], &["kesehatan"]), "2026-03-10").await;
        let regency = publish_on(&app, tuban, form("pengumuman", "Jadwal posyandu Tuban",
            "Jadwal posyandu di seluruh Kabupaten Tuban.", &["35.23"], &["kesehatan", "sosial"]), "2026-05-20").await;
        let elsewhere = publish_on(&app, malang, form("pengumuman", "Jadwal posyandu Malang",
            "Jadwal posyandu di Kabupaten Malang.", &["35.07"], &["pendidikan"]), "2026-05-21").await;
        let (village, regency, elsewhere) = (village.to_string(), regency.to_string(), elsewhere.to_string());
        until_indexed("all three are found", || async { api_ids(&app, "q=posyandu").await.len() == 3 }).await;

        let sorted = |mut ids: Vec<String>| { ids.sort(); ids };
        let expect = |ids: &[&String]| sorted(ids.iter().map(|s| s.to_string()).collect());
        let cases: Vec<(String, Vec<String>)> = vec![
            // A region finds items targeted at it or anywhere inside it.
            ("region=35.23".into(), expect(&[&village, &regency])),
            ("region=35.23.01".into(), expect(&[&village])),
            ("region=35".into(), expect(&[&village, &regency, &elsewhere])),
            ("region=35.07.01".into(), expect(&[])),
            ("topic=sosial".into(), expect(&[&regency])),
            ("topic=kesehatan".into(), expect(&[&village, &regency])),
            ("type=pengumuman".into(), expect(&[&regency, &elsewhere])),
            (format!("org={kim}"), expect(&[&village])),
            ("from=2026-05-01".into(), expect(&[&regency, &elsewhere])),
            ("to=2026-05-20".into(), expect(&[&village, &regency])),
            ("from=2026-03-10&to=2026-03-10".into(), expect(&[&village])),
            ("region=35.23&type=pengumuman&from=2026-05-01".into(), expect(&[&regency])),
        ];
        for (filter, expected) in &cases {
            assert_eq!(&sorted(api_ids(&app, &format!("q=posyandu&{filter}")).await), expected, "{filter}");
        }
        // Without text, filters list their items (newest first).
        assert_eq!(api_ids(&app, "region=35.23").await, [regency.clone(), village.clone()]);

        // The page takes the same filters under Indonesian names.
        let html = page(&app, "q=posyandu&wilayah=35.23&jenis=pengumuman").await;
        assert!(html.contains("Jadwal posyandu Tuban"));
        assert!(!html.contains("Posyandu Jlodro") && !html.contains("Jadwal posyandu Malang"));
        let html = page(&app, "q=posyandu&topik=kesehatan&dari=2026-03-01&sampai=2026-03-31").await;
        assert!(html.contains("Posyandu Jlodro") && !html.contains("Jadwal posyandu Tuban"));
        let html = page(&app, &format!("q=posyandu&organisasi={malang}")).await;
        assert!(html.contains("Jadwal posyandu Malang") && !html.contains("Jadwal posyandu Tuban"));
        assert!(html.contains("Dinas Kesehatan Kabupaten Malang"), "the organisation filter is named");
    }

    async fn text_with_broken_syntax_still_searches(app) {
        let kim = kim(&app, "35.23.01.2001", "KIM Jlodro Maju").await;
        let id = publish(&app, kim, form("berita", "Pasar murah di balai desa",
            "Pasar murah menjual beras dan minyak goreng.", &["35.23.01.2001"], &["ekonomi-umkm"])).await;
        let id = id.to_string();
        until_indexed("it is found", || async { api_ids(&app, "q=pasar").await.contains(&id) }).await;
        for q in ["\"pasar murah", "pasar AND OR", "((pasar", "pasar ))", "beras OR", "pasar:", "title:pasar)"] {
            let found = api_ids(&app, &format!("q={}", enc(q))).await;
            assert!(found.contains(&id), "{q:?} finds the item: {found:?}");
            let html = page(&app, &format!("q={}", enc(q))).await;
            assert!(html.contains("Pasar murah di balai desa"), "{q:?} on the page");
        }
        for q in ["\"", "AND OR", "((", "))", ":", "-", "title:"] {
            let body = api(&app, &format!("q={}", enc(q))).await;
            assert_eq!(body["total"], 0, "{q:?} finds nothing");
            page(&app, &format!("q={}", enc(q))).await;
        }
    }

    async fn results_are_paged_with_a_cursor_and_page_numbers(app) {
        let kim = kim(&app, "35.23.01.2001", "KIM Jlodro Maju").await;
        let mut ids = Vec::new();
        for n in 0..25 {
            let title = format!("Lomba kebersihan RT {n}");
            let day = format!("2026-04-{:02}", n + 1);
            let body = "Lomba kebersihan antar RT di Desa Jlodro.";
            ids.push(publish_on(&app, kim, form("berita", &title, body, &["35.23.01.2001"], &["lingkungan"]), &day).await.to_string());
        }
        until_indexed("all are found", || async { api(&app, "q=lomba").await["total"] == 25 }).await;
        let mut seen = Vec::new();
        let mut cursor = String::new();
        loop {
            let body = api(&app, &format!("q=lomba&limit=10&cursor={cursor}")).await;
            assert_eq!(body["total"], 25);
            seen.extend(body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()));
            match body["next_cursor"].as_str() {
                Some(next) => cursor = next.to_owned(),
                None => break,
            }
        }
        assert_eq!(seen.len(), 25, "every item once");
        seen.sort();
        ids.sort();
        assert_eq!(seen, ids);

        let first = page(&app, "q=lomba").await;
        assert!(first.contains("rel=\"next\"") && first.contains("halaman=2"), "a link to the next page");
        let second = page(&app, "q=lomba&halaman=2").await;
        assert!(second.contains("rel=\"prev\"") && second.contains("start=\"21\""));
        assert!(second.matches("<mark>").count() >= 5, "highlighted snippets on page 2");
        let (status, _) = app.get_text("/cari?q=lomba&halaman=0").await;
        assert_eq!(status, 400);
    }

    async fn the_search_page_shows_the_form_and_is_not_kept_by_the_page_cache(app) {
        let response = app.get("/cari").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "public, max-age=60");
        assert!(response.headers().get("etag").is_none(), "not a page the page cache keeps");
        let html = response.text().await.unwrap();
        assert!(html.contains("name=\"q\"") && html.contains("action=\"/cari\""));
        assert!(!html.contains("class=\"search-results\""), "no results without a query");

        let response = app.get("/cari?q=jalan").await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "public, max-age=60");
        assert!(response.headers().get("etag").is_none());
        let html = response.text().await.unwrap();
        assert!(html.contains("value=\"jalan\""), "the box keeps the words");
        assert!(html.contains("noindex"));

        let (status, html) = app.get_text("/en/cari?q=jalan").await;
        assert_eq!(status, 200);
        assert!(html.contains("action=\"/en/cari\""));

        // Every page's header carries a search box.
        let (_, home) = app.get_text("/kim").await;
        assert!(home.contains("role=\"search\"") && home.contains("action=\"/cari\""));
    }

    async fn snippets_escape_the_text_and_mark_only_the_words(app) {
        let kim = kim(&app, "35.23.01.2001", "KIM Jlodro Maju").await;
        let body = "Harga <b>pupuk</b> & benih naik; <script>alert(1)</script> petani diminta hemat pupuk.";
        let id = publish(&app, kim, form("berita", "Harga pupuk <naik>", body, &["35.23.01.2001"], &["pertanian"])).await;
        until_indexed("it is found", || async { api_ids(&app, "q=pupuk").await.contains(&id.to_string()) }).await;
        let html = page(&app, "q=pupuk").await;
        assert!(!html.contains("<script>alert"), "no script from the text");
        assert!(!html.contains("<b>"), "no markup from the text");
        assert!(html.contains("Harga pupuk &lt;naik&gt;") || html.contains("Harga pupuk &#60;naik&#62;"), "the title is escaped");
        assert!(html.contains("<mark>pupuk</mark>"));
        let snippet = api(&app, "q=pupuk").await["items"][0]["snippet_html"].as_str().unwrap().to_owned();
        assert!(!snippet.contains("<script") && !snippet.contains("<b>"), "{snippet}");
        assert!(snippet.contains("&amp;") || !snippet.contains('&'), "{snippet}");
    }

    async fn bad_parameters_are_refused_with_stable_codes(app) {
        let long = "a".repeat(201);
        let cases: Vec<(String, &str, &str)> = vec![
            (format!("q={long}"), "too_long", "q"),
            ("region=35.x".into(), "malformed_region_code", "region"),
            ("region=35.99".into(), "unknown_region", "region"),
            ("topic=gosip".into(), "invalid_choice", "topic"),
            ("type=gosip".into(), "invalid_choice", "type"),
            ("org=bukan-id".into(), "invalid_choice", "org"),
            (format!("org={}", uuid::Uuid::now_v7()), "invalid_choice", "org"),
            ("from=29-11-2026".into(), "invalid_date", "from"),
            ("to=2026-02-30".into(), "invalid_date", "to"),
            ("from=2026-05-02&to=2026-05-01".into(), "end_before_start", "to"),
            ("cursor=!!".into(), "invalid_cursor", "cursor"),
            ("limit=0".into(), "invalid_limit", "limit"),
            ("limit=101".into(), "invalid_limit", "limit"),
        ];
        for (query, code, field) in cases {
            let query = if query.starts_with("q=") { query } else { format!("q=jalan&{query}") };
            let (status, body) = app.get_json(&format!("/api/v1/search?{query}")).await;
            assert_eq!(status, 400, "{query}: {body}");
            assert_eq!(body["error"]["code"], code, "{query}");
            assert_eq!(body["error"]["field"], field, "{query}");
            assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        }

        // The page names the problem beside the form, keeping what was typed.
        let (status, html) = app.get_text("/cari?q=jalan&wilayah=35.x").await;
        assert_eq!(status, 400);
        assert!(html.contains("Kode wilayah tidak valid"), "the message is shown");
        assert!(html.contains("value=\"35.x\"") && html.contains("aria-invalid=\"true\""));
        assert!(html.contains("value=\"jalan\""));
        let (status, html) = app.get_text("/cari?q=jalan&dari=kemarin").await;
        assert_eq!(status, 400);
        assert!(html.contains("Tanggal tidak valid"));
        // Longer text on the page is cut, not refused.
        let (status, _) = app.get_text(&format!("/cari?q={long}")).await;
        assert_eq!(status, 200);
    }
}
