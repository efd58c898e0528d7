//! The public portal over HTTP: region pages with items targeted at the
//! region and above (labelled by level, newest first, paginated), topic,
//! type, organisation and archive pages, the item page (breadcrumbs,
//! provenance, images, corrections, JSON-LD, Open Graph, WhatsApp share),
//! cache invalidation when items are published or taken down, and the
//! weight of pages. Fixtures are written through the store.

use std::collections::HashSet;

use jembatan_domain::content::ContentForm;

use crate::content_support::{
    Publishers, archive, at, correct, entries, image, level_of, news, older_link, publish, publish_at, title_of, titles,
};
use crate::helpers::TestApp;
use crate::http_tests;

/// The JSON-LD of an item page, parsed.
fn json_ld(html: &str) -> serde_json::Value {
    let script = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .expect("a JSON-LD script")
        .split("</script>")
        .next()
        .unwrap();
    serde_json::from_str(script).unwrap_or_else(|e| panic!("JSON-LD parses: {e}\n{script}"))
}

/// The content of `<meta property="{property}">`.
fn meta(html: &str, property: &str) -> Option<String> {
    let marker = format!("<meta property=\"{property}\" content=\"");
    html.split(&marker).nth(1).map(|s| s.split('"').next().unwrap().replace("&amp;", "&"))
}

/// The body of a response requested with gzip, as sent (compressed).
async fn gzipped_size(app: &TestApp, path: &str) -> usize {
    let response = app.client.get(app.url(path)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(response.headers()["content-encoding"], "gzip", "{path} is compressed");
    response.bytes().await.unwrap().len()
}

http_tests! {
    async fn region_pages_show_items_targeted_at_them_above_them_and_inside_them_newest_first(app) {
        let p = Publishers::create(&app).await;
        publish_at(&app, p.province, news("Kabar Provinsi", &["35"], &["pemerintahan"]), at("2026-10-01T09:00:00+07:00")).await;
        publish_at(&app, p.tuban, news("Kabar Kabupaten", &["35.23"], &["kesehatan"]), at("2026-10-04T09:00:00+07:00")).await;
        publish_at(&app, p.kim, news("Kabar Kecamatan", &["35.23.01"], &["sosial"]), at("2026-10-02T09:00:00+07:00")).await;
        publish_at(&app, p.kim, news("Kabar Desa", &["35.23.01.2001"], &["pertanian"]), at("2026-10-03T09:00:00+07:00")).await;
        publish_at(&app, p.kim, news("Kabar Desa Tetangga", &["35.23.01.2002"], &["pertanian"]), at("2026-10-05T09:00:00+07:00")).await;
        publish_at(&app, p.malang, news("Kabar Malang", &["35.07"], &["kesehatan"]), at("2026-10-06T09:00:00+07:00")).await;

        let (status, html) = app.get_text("/wilayah/35.23.01.2001").await;
        assert_eq!(status, 200);
        let shown: Vec<(String, Option<String>)> = entries(&html).iter().map(|e| (title_of(e), level_of(e))).collect();
        assert_eq!(
            shown,
            vec![
                ("Kabar Kabupaten".to_owned(), Some("Kabupaten/Kota".to_owned())),
                ("Kabar Desa".to_owned(), Some("Desa/Kelurahan".to_owned())),
                ("Kabar Kecamatan".to_owned(), Some("Kecamatan".to_owned())),
                ("Kabar Provinsi".to_owned(), Some("Provinsi".to_owned())),
            ],
            "village, district, regency and province items, newest first; not the neighbours' nor Malang's"
        );
        assert!(html.contains("<time datetime=\"2026-10-04T09:00:00+07:00\">4 Oktober 2026</time>"));
        assert!(html.contains("Resmi pemerintah") && html.contains(">KIM</span>"), "provenance labels");

        // Above the village, a page also lists what was sent inside it,
        // labelled by the region it was sent to.
        let (_, district) = app.get_text("/wilayah/35.23.01").await;
        let shown: Vec<(String, Option<String>)> = entries(&district).iter().map(|e| (title_of(e), level_of(e))).collect();
        assert_eq!(
            shown,
            vec![
                ("Kabar Desa Tetangga".to_owned(), Some("Desa/Kelurahan".to_owned())),
                ("Kabar Kabupaten".to_owned(), Some("Kabupaten/Kota".to_owned())),
                ("Kabar Desa".to_owned(), Some("Desa/Kelurahan".to_owned())),
                ("Kabar Kecamatan".to_owned(), Some("Kecamatan".to_owned())),
                ("Kabar Provinsi".to_owned(), Some("Provinsi".to_owned())),
            ],
            "the district's villages, the district, the regency and the province; not Malang's"
        );
        let (_, regency) = app.get_text("/wilayah/35.23").await;
        assert_eq!(titles(&regency), ["Kabar Desa Tetangga", "Kabar Kabupaten", "Kabar Desa", "Kabar Kecamatan", "Kabar Provinsi"]);
        let (_, home) = app.get_text("/").await;
        assert_eq!(
            titles(&home),
            ["Kabar Malang", "Kabar Desa Tetangga", "Kabar Kabupaten", "Kabar Desa", "Kabar Kecamatan", "Kabar Provinsi"],
            "the home page is the province's: everything in it"
        );
        assert!(home.contains("<h1>Jawa Timur</h1>"), "the region sections stay");
        assert_eq!(home.matches("href=\"/wilayah/35.").count(), 38, "the regencies are still listed");
        let (_, english) = app.get_text("/en/wilayah/35.23.01.2001").await;
        assert_eq!(level_of(entries(&english)[2]).as_deref(), Some("District"));
        assert!(english.contains("href=\"/en/konten/"), "item links stay in English");
    }

    async fn pagination_walks_every_item_once_and_bad_cursors_are_400(app) {
        let p = Publishers::create(&app).await;
        let base = at("2026-06-01T08:00:00+07:00");
        for i in 0..45 {
            publish_at(&app, p.tuban, news(&format!("Kabar {i:02}"), &["35.23"], &["kesehatan"]), base.plus_seconds(i * 3600)).await;
        }
        let mut seen = Vec::new();
        let mut path = "/wilayah/35.23.01".to_owned();
        let mut pages = 0;
        loop {
            let (status, html) = app.get_text(&path).await;
            assert_eq!(status, 200, "{path}");
            pages += 1;
            let page = titles(&html);
            assert!(page.len() <= 20);
            seen.extend(page);
            if pages > 1 {
                assert!(html.contains("href=\"/wilayah/35.23.01\">« Terbaru</a>"), "a way back to the newest");
                assert!(html.contains("<link rel=\"canonical\" href=\"http://127.0.0.1/wilayah/35.23.01?sebelum="));
            }
            match older_link(&html) {
                Some(next) => path = next,
                None => break,
            }
        }
        assert_eq!(pages, 3);
        let expected: Vec<String> = (0..45).rev().map(|i| format!("Kabar {i:02}")).collect();
        assert_eq!(seen, expected, "every item once, newest first");
        for bad in ["x", "123", "1_abc", "_"] {
            let (status, html) = app.get_text(&format!("/wilayah/35.23?sebelum={bad}")).await;
            assert_eq!(status, 400, "{bad}");
            assert!(html.contains("Kursor halaman tidak valid"), "{bad}");
        }
        assert_eq!(app.get("/jenis/berita?sebelum=nope").await.status(), 400);
    }

    async fn topic_type_organisation_and_archive_pages(app) {
        let p = Publishers::create(&app).await;
        publish(&app, p.tuban, news("Imunisasi Campak", &["35.23"], &["kesehatan"])).await;
        publish(&app, p.kim, news("Panen Jagung", &["35.23.01.2001"], &["pertanian"])).await;
        let agenda = ContentForm {
            kind: "agenda".into(),
            starts_at: "2026-12-01T08:00".into(),
            place: "Balai Desa Jlodro".into(),
            ..news("Kerja Bakti", &["35.23.01.2001"], &["lingkungan"])
        };
        publish(&app, p.kim, agenda).await;

        let (status, html) = app.get_text("/topik/kesehatan").await;
        assert_eq!(status, 200);
        assert_eq!(titles(&html), ["Imunisasi Campak"]);
        assert!(html.contains("<h1>Topik: Kesehatan</h1>"));
        assert_eq!(app.get("/topik/gosip").await.status(), 404, "unknown topic");
        let (status, index) = app.get_text("/topik").await;
        assert_eq!(status, 200);
        assert!(index.contains("href=\"/topik/ekonomi-umkm\">Ekonomi dan UMKM</a>"));

        let (status, html) = app.get_text("/jenis/agenda").await;
        assert_eq!(status, 200);
        assert_eq!(titles(&html), ["Kerja Bakti"]);
        assert!(html.contains("1 Desember 2026, pukul 08.00 WIB · Balai Desa Jlodro"), "when and where");
        assert_eq!(app.get("/jenis/gosip").await.status(), 404, "unknown type");

        let (status, html) = app.get_text(&format!("/organisasi/{}", p.tuban)).await;
        assert_eq!(status, 200);
        assert_eq!(titles(&html), ["Imunisasi Campak"]);
        assert!(html.contains("Kabar dari Dinas Kesehatan Kabupaten Tuban"));
        let (status, html) = app.get_text(&format!("/kim/{}", p.kim)).await;
        assert_eq!(status, 200);
        assert_eq!(titles(&html), ["Kerja Bakti", "Panen Jagung"]);
        let (_, home) = app.get_text("/").await;
        assert!(home.contains("href=\"/topik/kesehatan\"") && home.contains("href=\"/jenis/agenda\""));
    }

    async fn archives_follow_wib_months(app) {
        let p = Publishers::create(&app).await;
        // 1 March 2025, 02:00 WIB is still February in UTC.
        publish_at(&app, p.tuban, news("Awal Maret", &["35.23"], &["kesehatan"]), at("2025-03-01T02:00:00+07:00")).await;
        publish_at(&app, p.tuban, news("Akhir Februari", &["35.23"], &["kesehatan"]), at("2025-02-28T23:00:00+07:00")).await;
        publish_at(&app, p.tuban, news("April", &["35.23"], &["kesehatan"]), at("2025-04-15T10:00:00+07:00")).await;
        publish_at(&app, p.tuban, news("Tahun Lalu", &["35.23"], &["kesehatan"]), at("2024-12-31T23:30:00+07:00")).await;

        let (status, march) = app.get_text("/arsip/2025/03").await;
        assert_eq!(status, 200);
        assert_eq!(titles(&march), ["Awal Maret"]);
        assert!(march.contains("<h1>Arsip Maret 2025</h1>"));
        let (_, february) = app.get_text("/arsip/2025/02").await;
        assert_eq!(titles(&february), ["Akhir Februari"]);
        let (status, year) = app.get_text("/arsip/2025").await;
        assert_eq!(status, 200);
        assert_eq!(titles(&year), ["April", "Awal Maret", "Akhir Februari"]);
        for month in ["02", "03", "04"] {
            assert!(year.contains(&format!("href=\"/arsip/2025/{month}\"")), "{month}");
        }
        assert!(!year.contains("href=\"/arsip/2025/01\""), "January holds nothing");
        let (_, before) = app.get_text("/arsip/2024").await;
        assert_eq!(titles(&before), ["Tahun Lalu"]);
        for bad in ["/arsip/25", "/arsip/2025x", "/arsip/2025/13", "/arsip/2025/3", "/arsip/1900"] {
            assert_eq!(app.get(bad).await.status(), 400, "{bad}");
        }
    }

    async fn the_item_page_has_everything_a_reader_and_a_sharer_need(app) {
        let p = Publishers::create(&app).await;
        let cover = image(&app, 800, 600, &[320, 640]).await;
        let photo = image(&app, 2000, 1000, &[320, 640, 1024]).await;
        let form = ContentForm {
            cover_media: cover.id.to_string(),
            cover_caption: "Petugas memeriksa balita".into(),
            gallery: vec![jembatan_domain::content::ImageForm { media: photo.id.to_string(), caption: "Antrean".into() }],
            source_name: "Puskesmas Kenduruan".into(),
            ..news("Posyandu & Imunisasi </script> di Jlodro", &["35.23.01", "35.23.01.2001"], &["kesehatan"])
        };
        let item = publish(&app, p.tuban, form).await;
        let related = publish(&app, p.tuban, news("Vaksin Polio", &["35.23"], &["kesehatan"])).await;
        correct(&app, item.id, "Jadwal bergeser ke pukul 09.00.").await;
        let canonical = format!("/konten/{}/{}", item.id, item.slug);
        assert_eq!(item.slug, "posyandu-imunisasi-script-di-jlodro");

        for (path, location) in [
            (format!("/konten/{}", item.id), canonical.clone()),
            (format!("/konten/{}/judul-lama", item.id), canonical.clone()),
            (format!("/en/konten/{}", item.id), format!("/en{canonical}")),
        ] {
            let response = app.get(&path).await;
            assert_eq!(response.status(), 301, "{path}");
            assert_eq!(response.headers()["location"], location.as_str(), "{path}");
        }
        let (status, html) = app.get_text(&canonical).await;
        assert_eq!(status, 200);
        let crumbs = html.split("<ol>").nth(1).unwrap().split("</ol>").next().unwrap();
        assert!(crumbs.contains("href=\"/wilayah/35\"") && crumbs.contains("href=\"/wilayah/35.23\"") && crumbs.contains("href=\"/wilayah/35.23.01\""));
        assert!(html.contains("<span class=\"pv resmi\""), "provenance shown");
        assert!(html.contains(">Resmi pemerintah</span>"));
        assert!(html.contains(&format!("<a href=\"/organisasi/{}\">Dinas Kesehatan Kabupaten Tuban</a>", p.tuban)));
        assert!(html.contains("<a href=\"/jenis/berita\">Berita</a>"));
        assert!(html.contains("Isi kabar <strong>Posyandu &amp; Imunisasi"), "the rendered body");

        let id = cover.id;
        assert!(html.contains(&format!("srcset=\"/media/{id}/w320 320w, /media/{id}/w640 640w, /media/{id} 800w\"")), "only stored, narrower copies");
        assert!(!html.contains(&format!("/media/{id}/w1024")));
        assert!(html.contains("width=\"800\" height=\"600\" alt=\"Petugas memeriksa balita\""));
        let cover_tag = html.split(&format!("src=\"/media/{id}/w640\"")).nth(1).unwrap().split('>').next().unwrap();
        assert!(!cover_tag.contains("loading=\"lazy\""), "the cover above the fold loads at once");
        let photo_id = photo.id;
        let gallery_tag = html.split(&format!("src=\"/media/{photo_id}/w640\"")).nth(1).unwrap().split('>').next().unwrap();
        assert!(gallery_tag.contains("loading=\"lazy\""), "the gallery loads lazily");
        assert!(html.contains(&format!("/media/{photo_id}/w1024 1024w, /media/{photo_id} 2000w")));

        let ralat = html.split("class=\"notice warn ralat\"").nth(1).expect("corrections shown").split("</aside>").next().unwrap();
        assert!(ralat.contains("Ralat") && ralat.contains("Jadwal bergeser ke pukul 09.00."));
        assert!(ralat.contains("<time datetime=\""), "with its date");
        assert!(html.find("ralat").unwrap() < html.find("<div class=\"body\">").unwrap(), "before the body");

        let url = format!("http://127.0.0.1{canonical}");
        let ld = json_ld(&html);
        assert_eq!(ld["@context"], "https://schema.org");
        assert_eq!(ld["@type"], "NewsArticle");
        assert_eq!(ld["headline"], "Posyandu & Imunisasi </script> di Jlodro");
        assert_eq!(ld["url"], url.as_str());
        assert_eq!(ld["publisher"]["name"], "Dinas Kesehatan Kabupaten Tuban");
        assert_eq!(ld["image"][0], format!("http://127.0.0.1/media/{id}/w640"));
        assert!(!html.contains("</script> di Jlodro"), "the title cannot close the script");

        assert_eq!(meta(&html, "og:title").unwrap(), "Posyandu &#38; Imunisasi &#60;/script&#62; di Jlodro");
        assert_eq!(meta(&html, "og:url").unwrap(), url);
        assert_eq!(meta(&html, "og:type").unwrap(), "article");
        assert_eq!(meta(&html, "og:image").unwrap(), format!("http://127.0.0.1/media/{id}/w640"));
        assert!(meta(&html, "og:description").unwrap().starts_with("Ringkasan: Posyandu"));

        let share = format!(
            "https://wa.me/?text=Posyandu%20%26%20Imunisasi%20%3C%2Fscript%3E%20di%20Jlodro%20http%3A%2F%2F127.0.0.1%2Fkonten%2F{}%2F{}",
            item.id, item.slug
        );
        assert!(html.contains(&format!("href=\"{share}\"")), "WhatsApp share link");
        let related_section = html.split("id=\"related-heading\"").nth(1).expect("related items");
        assert_eq!(titles(related_section), ["Vaksin Polio"]);
        assert!(html.contains(&format!("href=\"/konten/{}/{}\"", related.id, related.slug)));
        assert!(html.contains("href=\"/topik/kesehatan\">Kesehatan</a>"));
        assert!(html.contains("href=\"/wilayah/35.23.01.2001\">Jlodro</a>"), "the targeted regions");
    }

    async fn agenda_and_product_pages_describe_themselves_as_event_and_product(app) {
        let p = Publishers::create(&app).await;
        let agenda = ContentForm {
            kind: "agenda".into(),
            starts_at: "2026-12-01T08:00".into(),
            ends_at: "2026-12-01T11:30".into(),
            place: "Balai Desa Jlodro".into(),
            ..news("Kerja Bakti Bersama", &["35.23.01.2001"], &["lingkungan"])
        };
        let agenda = publish(&app, p.kim, agenda).await;
        let (_, html) = app.get_text(&format!("/konten/{}/{}", agenda.id, agenda.slug)).await;
        let ld = json_ld(&html);
        assert_eq!(ld["@type"], "Event");
        assert_eq!(ld["startDate"], "2026-12-01T08:00:00+07:00");
        assert_eq!(ld["endDate"], "2026-12-01T11:30:00+07:00");
        assert_eq!(ld["location"]["name"], "Balai Desa Jlodro");
        assert!(html.contains("1 Desember 2026, pukul 08.00 WIB"));
        assert!(html.contains(">KIM</span>"), "a KIM's provenance");

        let product = ContentForm {
            kind: "produk".into(),
            price_min: "15.000".into(),
            price_max: "25000".into(),
            contact: "0812 3456 7890".into(),
            provenance: "warga".into(),
            ..news("Keripik Singkong Jlodro", &["35.23.01.2001"], &["ekonomi-umkm"])
        };
        let product = publish(&app, p.kim, product).await;
        let (_, html) = app.get_text(&format!("/konten/{}/{}", product.id, product.slug)).await;
        let ld = json_ld(&html);
        assert_eq!(ld["@type"], "Product");
        assert_eq!(ld["offers"]["@type"], "AggregateOffer");
        assert_eq!((ld["offers"]["lowPrice"].as_i64(), ld["offers"]["highPrice"].as_i64()), (Some(15_000), Some(25_000)));
        assert_eq!(ld["offers"]["priceCurrency"], "IDR");
        assert_eq!(meta(&html, "og:type").unwrap(), "product");
        assert!(html.contains("Rp 15.000 – Rp 25.000"));
        assert!(html.contains("href=\"tel:+6281234567890\"") && html.contains("href=\"https://wa.me/6281234567890\""));
        assert!(html.contains(">Warga</span>"), "a citizen's provenance");
    }

    async fn unpublished_items_are_404_and_leave_every_list_at_once(app) {
        let p = Publishers::create(&app).await;
        let item = publish(&app, p.tuban, news("Jalan Ditutup", &["35.23"], &["infrastruktur"])).await;
        let page = format!("/konten/{}/{}", item.id, item.slug);
        let lists = ["/wilayah/35.23.01.2001".to_owned(), "/topik/infrastruktur".into(), "/jenis/berita".into(),
            format!("/organisasi/{}", p.tuban), "/arsip/".to_owned() + &chrono::Utc::now().format("%Y").to_string()];
        assert_eq!(app.get(&page).await.status(), 200);
        for list in &lists {
            let (_, html) = app.get_text(list).await;
            assert_eq!(titles(&html), ["Jalan Ditutup"], "{list}");
            assert!(app.get(list).await.headers().get("etag").is_some(), "{list} is cached");
        }

        archive(&app, item.id).await;
        assert_eq!(app.get(&page).await.status(), 404, "read-your-writes: gone at once");
        assert_eq!(app.get(&format!("/konten/{}", item.id)).await.status(), 404);
        for list in &lists {
            let (_, html) = app.get_text(list).await;
            assert!(titles(&html).is_empty(), "{list} dropped it");
        }

        let draft = news("Masih Draf", &["35.23"], &["infrastruktur"]).validate().unwrap();
        let tuban = p.tuban;
        let draft = app.db.write(move |tx| Box::pin(async move { jembatan_store::content::create(tx, tuban, None, &draft).await })).await.unwrap();
        assert_eq!(app.get(&format!("/konten/{}/{}", draft.id, draft.slug)).await.status(), 404, "a draft is not public");
        assert_eq!(app.get("/konten/bukan-id/x").await.status(), 404);

        let fresh = publish(&app, p.tuban, news("Jalan Dibuka", &["35.23"], &["infrastruktur"])).await;
        for list in &lists {
            let (_, html) = app.get_text(list).await;
            assert_eq!(titles(&html), ["Jalan Dibuka"], "{list} shows the new item at once");
        }
        assert_eq!(app.get(&format!("/konten/{}/{}", fresh.id, fresh.slug)).await.status(), 200);
    }

    async fn pages_weigh_under_30_kb_compressed(app) {
        let p = Publishers::create(&app).await;
        let long_summary = "Warga Desa Jlodro bergotong royong memperbaiki saluran irigasi yang rusak akibat banjir. ".repeat(4);
        let base = at("2026-05-01T08:00:00+07:00");
        for i in 0..20 {
            let form = ContentForm { summary: long_summary.chars().take(390).collect(), ..news(&format!("Gotong royong memperbaiki saluran irigasi tahap {i}"), &["35"], &["pertanian"]) };
            publish_at(&app, p.province, form, base.plus_seconds(i * 60)).await;
        }
        let paragraph = "Pemerintah desa bersama kelompok tani menyiapkan jadwal gilir air untuk musim tanam berikutnya, \
            sambil menunggu bantuan material dari dinas terkait. ";
        let body = (0..40).map(|i| format!("## Bagian {i}\n\n{}", paragraph.repeat(3))).collect::<Vec<_>>().join("\n\n");
        let item = publish(&app, p.tuban, ContentForm { body, ..news("Laporan lengkap perbaikan irigasi", &["35.23"], &["pertanian"]) }).await;

        let (_, region) = app.get_text("/wilayah/35.23.01.2001").await;
        assert_eq!(entries(&region).len(), 20, "a region page with 20 items");
        for path in ["/".to_owned(), "/wilayah/35.23.01.2001".into(), format!("/konten/{}/{}", item.id, item.slug)] {
            let size = gzipped_size(&app, &path).await;
            assert!(size < 30 * 1024, "{path} weighs {size} bytes compressed");
        }
    }

    async fn list_pages_are_tagged_for_the_cache_and_distinct_per_page(app) {
        let p = Publishers::create(&app).await;
        let base = at("2026-01-10T08:00:00+07:00");
        for i in 0..25 {
            publish_at(&app, p.tuban, news(&format!("Item {i:02}"), &["35.23"], &["sosial"]), base.plus_seconds(i)).await;
        }
        let (_, first) = app.get_text("/topik/sosial").await;
        let older = older_link(&first).expect("an older page");
        let (_, second) = app.get_text(&older).await;
        let one: HashSet<String> = titles(&first).into_iter().collect();
        let two: HashSet<String> = titles(&second).into_iter().collect();
        assert_eq!((one.len(), two.len()), (20, 5));
        assert!(one.is_disjoint(&two));
        let malang = app.get("/wilayah/35.07").await.headers()["etag"].clone();
        publish(&app, p.tuban, news("Baru", &["35.23"], &["sosial"])).await;
        assert_eq!(app.get("/wilayah/35.07").await.headers()["etag"], malang, "Malang's page was not touched");
        let (_, first) = app.get_text("/topik/sosial").await;
        assert_eq!(titles(&first)[0], "Baru");
    }
}
