//! `/api/v1/content` over HTTP: filters (region with its descendants,
//! topic, type, organisation, dates), cursor walking, stable error codes,
//! and one item in full.

use jembatan_domain::content::ContentForm;
use serde_json::Value;

use crate::content_support::{Publishers, archive, at, correct, image, news, publish, publish_at};
use crate::helpers::TestApp;
use crate::http_tests;

fn item_titles(body: &Value) -> Vec<String> {
    body["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_owned()).collect()
}

async fn titles_of(app: &TestApp, path: &str) -> Vec<String> {
    let (status, body) = app.get_json(path).await;
    assert_eq!(status, 200, "{path}: {body}");
    item_titles(&body)
}

async fn error_of(app: &TestApp, path: &str) -> (u16, String, Value) {
    let (status, body) = app.get_json(path).await;
    (status, body["error"]["code"].as_str().unwrap_or_default().to_owned(), body["error"]["field"].clone())
}

http_tests! {
    async fn the_list_filters_by_region_with_descendants_topic_type_organisation_and_date(app) {
        let p = Publishers::create(&app).await;
        publish_at(&app, p.province, news("Provinsi", &["35"], &["pemerintahan"]), at("2026-03-01T09:00:00+07:00")).await;
        publish_at(&app, p.tuban, news("Kabupaten", &["35.23"], &["kesehatan"]), at("2026-03-02T09:00:00+07:00")).await;
        publish_at(&app, p.kim, news("Kecamatan", &["35.23.01"], &["sosial"]), at("2026-03-03T09:00:00+07:00")).await;
        let agenda = ContentForm {
            kind: "agenda".into(),
            starts_at: "2026-03-20T08:00".into(),
            place: "Balai Desa".into(),
            ..news("Desa", &["35.23.01.2001"], &["kesehatan"])
        };
        publish_at(&app, p.kim, agenda, at("2026-03-04T09:00:00+07:00")).await;
        publish_at(&app, p.malang, news("Malang", &["35.07"], &["kesehatan"]), at("2026-03-05T09:00:00+07:00")).await;

        assert_eq!(titles_of(&app, "/api/v1/content").await, ["Malang", "Desa", "Kecamatan", "Kabupaten", "Provinsi"]);
        assert_eq!(titles_of(&app, "/api/v1/content?region=35.23").await, ["Desa", "Kecamatan", "Kabupaten"], "the regency and below");
        assert_eq!(titles_of(&app, "/api/v1/content?region=35.23.01").await, ["Desa", "Kecamatan"]);
        assert_eq!(titles_of(&app, "/api/v1/content?region=35").await.len(), 5);
        assert_eq!(titles_of(&app, "/api/v1/content?topic=kesehatan").await, ["Malang", "Desa", "Kabupaten"]);
        assert_eq!(titles_of(&app, "/api/v1/content?topic=kesehatan&region=35.23").await, ["Desa", "Kabupaten"]);
        assert_eq!(titles_of(&app, "/api/v1/content?type=agenda").await, ["Desa"]);
        assert_eq!(titles_of(&app, &format!("/api/v1/content?org={}", p.kim)).await, ["Desa", "Kecamatan"]);
        assert_eq!(titles_of(&app, "/api/v1/content?from=2026-03-02&to=2026-03-03").await, ["Kecamatan", "Kabupaten"], "both days included");
        assert_eq!(titles_of(&app, "/api/v1/content?from=2026-03-05").await, ["Malang"]);
        assert_eq!(titles_of(&app, "/api/v1/content?to=2026-03-01").await, ["Provinsi"]);

        let (_, body) = app.get_json("/api/v1/content?region=35.23.01").await;
        let desa = &body["items"][0];
        assert_eq!(desa["kind"], "agenda");
        assert_eq!(desa["provenance"], "kim");
        assert_eq!(desa["published_at"], "2026-03-04T02:00:00Z");
        assert_eq!(desa["organisation"]["name"], "KIM Jlodro Maju");
        assert_eq!(desa["organisation"]["url"], format!("http://127.0.0.1/kim/{}", p.kim));
        assert_eq!(desa["regions"][0]["code"], "35.23.01.2001");
        assert_eq!(desa["regions"][0]["name"], "Jlodro");
        assert_eq!(desa["topics"][0]["slug"], "kesehatan");
        assert_eq!(desa["topics"][0]["url"], "http://127.0.0.1/topik/kesehatan");
        assert!(desa["url"].as_str().unwrap().starts_with(&format!("http://127.0.0.1/konten/{}/desa", desa["id"].as_str().unwrap())));
        assert!(desa["cover"].is_null());
    }

    async fn cursors_walk_every_item_once(app) {
        let p = Publishers::create(&app).await;
        let base = at("2026-02-01T08:00:00+07:00");
        for i in 0..7 {
            publish_at(&app, p.tuban, news(&format!("Item {i}"), &["35.23.01"], &["sosial"]), base.plus_seconds(i * 60)).await;
        }
        let mut seen = Vec::new();
        let mut path = "/api/v1/content?region=35.23&limit=3".to_owned();
        let mut pages = 0;
        loop {
            let (status, body) = app.get_json(&path).await;
            assert_eq!(status, 200);
            pages += 1;
            seen.extend(item_titles(&body));
            match body["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/content?region=35.23&limit=3&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(seen, (0..7).rev().map(|i| format!("Item {i}")).collect::<Vec<_>>());
    }

    async fn bad_input_gets_stable_error_codes(app) {
        for (path, code, field) in [
            ("/api/v1/content?cursor=abc", "invalid_cursor", "cursor"),
            ("/api/v1/content?limit=0", "invalid_limit", "limit"),
            ("/api/v1/content?limit=101", "invalid_limit", "limit"),
            ("/api/v1/content?region=3523", "malformed_region_code", "region"),
            ("/api/v1/content?region=35.99", "unknown_region", "region"),
            ("/api/v1/content?from=2026-13-01", "invalid_date", "from"),
            ("/api/v1/content?to=kemarin", "invalid_date", "to"),
            ("/api/v1/content?from=2026-03-05&to=2026-03-01", "end_before_start", "to"),
            ("/api/v1/content?type=gosip", "invalid_choice", "type"),
            ("/api/v1/content?topic=gosip", "invalid_choice", "topic"),
            ("/api/v1/content?org=bukan-id", "invalid_choice", "org"),
        ] {
            let (status, actual, actual_field) = error_of(&app, path).await;
            assert_eq!((status, actual.as_str(), actual_field.as_str()), (400, code, Some(field)), "{path}");
        }
        let unknown = format!("/api/v1/content?org={}", uuid::Uuid::now_v7());
        assert_eq!(error_of(&app, &unknown).await.1, "invalid_choice");
        assert_eq!(error_of(&app, "/api/v1/content/bukan-id").await.0, 404);
        assert_eq!(error_of(&app, &format!("/api/v1/content/{}", uuid::Uuid::now_v7())).await, (404, "not_found".to_owned(), Value::Null));
    }

    async fn one_item_in_full_and_nothing_unpublished(app) {
        let p = Publishers::create(&app).await;
        let cover = image(&app, 800, 600, &[320, 640]).await;
        let product = ContentForm {
            kind: "produk".into(),
            price_min: "Rp 15.000".into(),
            contact: "0812 3456 7890".into(),
            cover_media: cover.id.to_string(),
            cover_caption: "Keripik dalam kemasan".into(),
            source_name: "Kelompok UMKM Jlodro".into(),
            body: "Dibuat dari **singkong** pilihan.\n\n<script>alert(1)</script>".into(),
            ..news("Keripik Singkong", &["35.23.01.2001"], &["ekonomi-umkm"])
        };
        let item = publish(&app, p.kim, product).await;
        correct(&app, item.id, "Harga naik menjadi Rp 15.000.").await;
        let (status, body) = app.get_json(&format!("/api/v1/content/{}", item.id)).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["id"], item.id.to_string());
        assert_eq!(body["kind"], "produk");
        assert!(body["body_html"].as_str().unwrap().contains("<strong>singkong</strong>"));
        assert!(!body["body_html"].as_str().unwrap().contains("<script>"), "sanitised");
        assert_eq!(body["product"]["price_min"], 15_000);
        assert!(body["product"]["price_max"].is_null());
        assert_eq!(body["product"]["currency"], "IDR");
        assert_eq!(body["product"]["contact"]["kind"], "phone");
        assert_eq!(body["product"]["contact"]["value"], "+6281234567890");
        assert_eq!(body["product"]["contact"]["whatsapp_url"], "https://wa.me/6281234567890");
        assert!(body["agenda"].is_null());
        assert_eq!(body["corrections"][0]["text"], "Harga naik menjadi Rp 15.000.");
        assert!(body["corrections"][0]["at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(body["source"]["name"], "Kelompok UMKM Jlodro");
        assert_eq!(body["cover"]["url"], format!("http://127.0.0.1/media/{}", cover.id));
        assert_eq!(body["cover"]["width"], 800);
        assert_eq!(body["cover"]["caption"], "Keripik dalam kemasan");
        let widths: Vec<i64> = body["cover"]["variants"].as_array().unwrap().iter().map(|v| v["width"].as_i64().unwrap()).collect();
        assert_eq!(widths, [320, 640]);
        assert_eq!(body["cover"]["variants"][1]["url"], format!("http://127.0.0.1/media/{}/w640", cover.id));

        let (_, list) = app.get_json("/api/v1/content").await;
        assert_eq!(list["items"][0]["cover"]["variants"][0]["width"], 320, "list items carry their cover too");

        archive(&app, item.id).await;
        assert_eq!(app.get(&format!("/api/v1/content/{}", item.id)).await.status(), 404);
        assert!(item_titles(&app.get_json("/api/v1/content").await.1).is_empty(), "gone from the list");
    }
}
