//! The OpenAPI document covers every API route, and what the API answers
//! matches the schemas it documents.

use std::collections::BTreeSet;

use jembatan::commands::demo;
use jembatan_domain::RegionCode;
use jembatan_store::accounts::{self, TokenScope};
use jembatan_store::kims::{self, KimFilter};
use jembatan_store::organisations;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::http_tests;

/// The API routes the router registers, read from its source.
fn registered_routes() -> BTreeSet<String> {
    let source = include_str!("../../../jembatan-web/src/api/v1/mod.rs");
    source
        .match_indices(".route(\"")
        .map(|(at, call)| source[at + call.len()..].split('"').next().unwrap().to_owned())
        .collect()
}

/// A validator for `schema_ref` (e.g. `#/components/schemas/Region`) with
/// the document's components available as `$defs`.
fn validator(document: &Value, schema_ref: &str) -> jsonschema::Validator {
    let components = document["components"]["schemas"].to_string().replace("#/components/schemas/", "#/$defs/");
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": serde_json::from_str::<Value>(&components).unwrap(),
        "$ref": schema_ref.replace("#/components/schemas/", "#/$defs/"),
    });
    jsonschema::validator_for(&schema).expect("a valid schema")
}

/// The schema a documented operation promises for `status`.
fn response_schema(document: &Value, path: &str, status: &str) -> String {
    let response = &document["paths"][path]["get"]["responses"][status];
    let response = match response["$ref"].as_str() {
        Some(r) => &document["components"]["responses"][r.rsplit('/').next().unwrap()],
        None => response,
    };
    response["content"]["application/json"]["schema"]["$ref"]
        .as_str()
        .unwrap_or_else(|| panic!("{path} {status} has a schema reference"))
        .to_owned()
}

async fn check(app: &TestApp, document: &Value, template: &str, url: &str, status: u16, token: Option<&str>) {
    // API clients carry no cookies: a token or nothing.
    let mut request = reqwest::Client::new().get(app.url(url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status().as_u16(), status, "{url}");
    let body: Value = response.json().await.unwrap();
    let schema = response_schema(document, template, &status.to_string());
    let validator = validator(document, &schema);
    let problems: Vec<String> =
        validator.iter_errors(&body).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(problems.is_empty(), "{url} does not match {schema}: {problems:#?}");
}

http_tests! {
    async fn every_api_route_is_documented_and_answers_as_documented(app) {
        let (status, document) = app.get_json("/api/v1/openapi.json").await;
        assert_eq!(status, 200);
        assert_eq!(document["openapi"], "3.1.0");
        assert_eq!(document["servers"][0]["url"], "http://127.0.0.1");
        let documented: BTreeSet<String> = document["paths"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(documented, registered_routes(), "the document and the router list the same paths");

        demo::ensure_loaded(&app.db).await.unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let filter = KimFilter { within: RegionCode::parse("35.23").unwrap(), status: None };
        let kim = kims::list(&app.db, &filter, today, 1, 0).await.unwrap().remove(0).id;
        let org = organisations::list(&app.db, None, &RegionCode::parse("35.23").unwrap()).await.unwrap().remove(0).id;
        let person = app.register("Penguji API").await;
        let user = app.user_id(&person.email).await;
        let (_, token) = accounts::create_api_token(&app.db, user, "uji", TokenScope::Read).await.unwrap();
        let publishers = crate::content_support::Publishers::create(&app).await;
        let cover = crate::content_support::image(&app, 800, 600, &[320, 640]).await;
        let news = jembatan_domain::content::ContentForm {
            cover_media: cover.id.to_string(),
            gallery: vec![jembatan_domain::content::ImageForm { media: cover.id.to_string(), caption: String::new() }],
            source_url: "https://dinkes.tubankab.go.id/posyandu".into(),
            ..crate::content_support::news("Posyandu Balita", &["35.23"], &["kesehatan"])
        };
        let news = crate::content_support::publish(&app, publishers.tuban, news).await;
        crate::content_support::correct(&app, news.id, "Jadwal bergeser ke pukul 09.00.").await;
        let agenda = jembatan_domain::content::ContentForm {
            kind: "agenda".into(),
            starts_at: "2026-12-01T08:00".into(),
            ends_at: "2026-12-01T10:00".into(),
            place: "Balai Desa Jlodro".into(),
            ..crate::content_support::news("Kerja Bakti", &["35.23.01.2001"], &["lingkungan"])
        };
        let agenda = crate::content_support::publish(&app, publishers.kim, agenda).await;
        let product = jembatan_domain::content::ContentForm {
            kind: "produk".into(),
            price_min: "15000".into(),
            price_max: "25000".into(),
            contact: "tokopedia.com/keripik-jlodro".into(),
            ..crate::content_support::news("Keripik Singkong", &["35.23.01.2001"], &["ekonomi-umkm"])
        };
        let product = crate::content_support::publish(&app, publishers.kim, product).await;

        // The search index follows the database within a second: wait for
        // it, so search answers are checked with items in them.
        let started = std::time::Instant::now();
        while app.get_json("/api/v1/search?q=posyandu").await.1["total"] == 0 {
            assert!(started.elapsed() < std::time::Duration::from_secs(5), "the index follows the database");
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }

        let mut confidential = crate::aspiration_support::complaint();
        confidential.mode = "confidential".into();
        let public_report = crate::aspiration_support::file(&app, &crate::aspiration_support::complaint()).await;
        let confidential = crate::aspiration_support::file(&app, &confidential).await;

        let cases: &[(&str, String, u16, bool)] = &[
            ("/api/v1/aspirations/{tracking}", format!("/api/v1/aspirations/{public_report}"), 200, false),
            ("/api/v1/aspirations/{tracking}", format!("/api/v1/aspirations/{confidential}"), 200, false),
            ("/api/v1/aspirations/{tracking}", "/api/v1/aspirations/ASP-35-0000-0000".into(), 404, false),
            ("/api/v1/aspirations/{tracking}", "/api/v1/aspirations/nomor".into(), 400, false),
            ("/api/v1/regions", "/api/v1/regions?q=tub".into(), 200, false),
            ("/api/v1/regions", "/api/v1/regions?limit=0".into(), 400, false),
            ("/api/v1/regions/{code}", "/api/v1/regions/35.23.01".into(), 200, false),
            ("/api/v1/regions/{code}", "/api/v1/regions/35.99".into(), 404, false),
            ("/api/v1/kims", "/api/v1/kims?region=35&limit=5".into(), 200, false),
            ("/api/v1/kims/{id}", format!("/api/v1/kims/{kim}"), 200, false),
            ("/api/v1/organisations", "/api/v1/organisations?region=35.23".into(), 200, false),
            ("/api/v1/organisations/{id}", format!("/api/v1/organisations/{org}"), 200, false),
            ("/api/v1/me", "/api/v1/me".into(), 200, true),
            ("/api/v1/me", "/api/v1/me".into(), 401, false),
            ("/api/v1/content", "/api/v1/content".into(), 200, false),
            ("/api/v1/content", "/api/v1/content?region=35.23&limit=2".into(), 200, false),
            ("/api/v1/content", "/api/v1/content?topic=kesehatan&type=berita&from=2020-01-01&to=2100-12-31".into(), 200, false),
            ("/api/v1/content", "/api/v1/content?cursor=nope".into(), 400, false),
            ("/api/v1/content", "/api/v1/content?region=35.99".into(), 400, false),
            ("/api/v1/content/{id}", format!("/api/v1/content/{}", news.id), 200, false),
            ("/api/v1/content/{id}", format!("/api/v1/content/{}", agenda.id), 200, false),
            ("/api/v1/content/{id}", format!("/api/v1/content/{}", product.id), 200, false),
            ("/api/v1/content/{id}", format!("/api/v1/content/{}", uuid::Uuid::now_v7()), 404, false),
            ("/api/v1/search", "/api/v1/search?q=posyandu".into(), 200, false),
            ("/api/v1/search", "/api/v1/search?q=%22unclosed%20AND%20OR%20((".into(), 200, false),
            ("/api/v1/search", "/api/v1/search?region=35.23&topic=kesehatan&type=berita&from=2020-01-01&limit=1".into(), 200, false),
            ("/api/v1/search", format!("/api/v1/search?q=kerja&org={}", publishers.kim), 200, false),
            ("/api/v1/search", "/api/v1/search?q=posyandu&cursor=nope".into(), 400, false),
            ("/api/v1/search", "/api/v1/search?q=posyandu&region=35.99".into(), 400, false),
        ];
        for (template, url, status, authenticated) in cases {
            check(&app, &document, template, url, *status, authenticated.then_some(token.as_str())).await;
        }

        // The one write: what filing answers matches its schema.
        let filed = reqwest::Client::new()
            .post(app.url("/api/v1/aspirations"))
            .json(&json!({
                "class": "aspirasi", "title": "Usul lampu jalan", "description": "Mohon dipasang lampu di gang.",
                "category": "listrik", "region": "35.23.01.2001", "name": "Penguji", "phone": "081377778888",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(filed.status(), 201);
        let body: Value = filed.json().await.unwrap();
        let promised = document["paths"]["/api/v1/aspirations"]["post"]["responses"]["201"]["content"]["application/json"]
            ["schema"]["$ref"]
            .as_str()
            .unwrap();
        let problems: Vec<String> = validator(&document, promised).iter_errors(&body).map(|e| e.to_string()).collect();
        assert!(problems.is_empty(), "POST /api/v1/aspirations does not match {promised}: {problems:#?}");
    }
}
