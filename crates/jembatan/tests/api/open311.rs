//! Open311 GeoReport v2: an Open311 client discovers the services, files a
//! request with coordinates only (placed at the province, flagged for the
//! verifier), reads it back by id and token and in the list; errors come
//! in Open311's own shape and store nothing; confidential reports never
//! appear in the public list.

use jembatan_domain::aspiration::TrackingNumber;
use jembatan_store::aspirations;
use serde_json::Value;

use crate::aspiration_support::{complaint, file, unique_phone};
use crate::helpers::TestApp;
use crate::http_tests;

async fn post(app: &TestApp, form: &[(&str, &str)]) -> (u16, Value) {
    let response = reqwest::Client::new().post(app.url("/open311/v2/requests.json")).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// An Open311 error: `[{"code": ..., "description": ...}]`.
fn open311_error(body: &Value, status: u16) -> String {
    assert_eq!(body[0]["code"], status, "{body}");
    body[0]["description"].as_str().expect("a description").to_owned()
}

http_tests! {
    async fn an_open311_client_discovers_files_and_reads_a_request(app) {
        let (status, discovery) = app.get_json("/open311/v2/discovery.json").await;
        assert_eq!(status, 200);
        assert_eq!(discovery["endpoints"][0]["url"], "http://127.0.0.1/open311/v2");
        let (status, services) = app.get_json("/open311/v2/services.json").await;
        assert_eq!(status, 200);
        let codes: Vec<&str> = services.as_array().unwrap().iter().map(|s| s["service_code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"jalan-infrastruktur") && codes.contains(&"air-bersih"), "{codes:?}");
        let (status, definition) = app.get_json("/open311/v2/services/air-bersih.json").await;
        assert_eq!(status, 200);
        let attributes: Vec<&str> =
            definition["attributes"].as_array().unwrap().iter().map(|a| a["code"].as_str().unwrap()).collect();
        assert_eq!(attributes, ["class", "title", "region", "mode"]);

        let phone = unique_phone();
        let (status, created) = post(&app, &[
            ("service_code", "air-bersih"),
            ("lat", "-6.9011"),
            ("long", "112.0502"),
            ("description", "Air sumur warga keruh setelah banjir. Mohon diperiksa."),
            ("first_name", "Sumarni"),
            ("phone", &phone),
        ]).await;
        assert_eq!(status, 201, "{created}");
        let id = created[0]["service_request_id"].as_str().unwrap().to_owned();
        assert_eq!(created[0]["token"], id.as_str());
        let report = aspirations::by_tracking(&app.db, &TrackingNumber::parse(&id).unwrap()).await.unwrap().unwrap();
        assert_eq!(report.region.as_str(), "35", "placed at the province");
        assert!(report.region_unconfirmed, "flagged for the verifier");
        assert_eq!(report.title, "Air sumur warga keruh setelah banjir");
        assert_eq!(report.channel.as_str(), "open311");

        for path in [format!("/open311/v2/requests/{id}.json"), format!("/open311/v2/tokens/{id}.json")] {
            let (status, found) = app.get_json(&path).await;
            assert_eq!(status, 200, "{path}");
            assert_eq!(found[0]["service_request_id"], id.as_str());
            assert_eq!(found[0]["status"], "open");
            assert_eq!(found[0]["status_notes"], "baru");
            assert_eq!(found[0]["address_id"], "35");
            assert_eq!(found[0]["lat"], -6.9011);
            assert!(!found.to_string().contains("Sumarni") && !found.to_string().contains(&phone[1..]));
        }
        let (status, list) = app.get_json("/open311/v2/requests.json?service_code=air-bersih&status=open").await;
        assert_eq!(status, 200);
        assert_eq!(list.as_array().unwrap().len(), 1);
        let (_, closed) = app.get_json("/open311/v2/requests.json?status=closed").await;
        assert!(closed.as_array().unwrap().is_empty());
    }

    async fn confidential_reports_stay_out_of_the_public_list(app) {
        let public = file(&app, &complaint()).await;
        let mut secret = complaint();
        secret.mode = "confidential".into();
        secret.title = "Pungutan liar di kantor desa".into();
        let confidential = file(&app, &secret).await;
        let (_, list) = app.get_json("/open311/v2/requests.json").await;
        let ids: Vec<&str> = list.as_array().unwrap().iter().map(|r| r["service_request_id"].as_str().unwrap()).collect();
        assert_eq!(ids, [public.as_str()]);
        // Asked for by its number, it shows where it stands, not what it says.
        let (status, one) = app.get_json(&format!("/open311/v2/requests.json?service_request_id={confidential}")).await;
        assert_eq!(status, 200);
        assert_eq!(one[0]["service_request_id"], confidential.as_str());
        assert!(one[0]["description"].is_null());
        assert!(!one.to_string().contains("Pungutan"));
    }

    async fn open311_errors_come_in_open311_shape_and_store_nothing(app) {
        let phone = unique_phone();
        let (status, body) = post(&app, &[("description", "Tanpa layanan."), ("phone", &phone), ("attribute[region]", "35.23")]).await;
        assert!(open311_error(&body, 400).starts_with("service_code"));
        assert_eq!(status, 400);
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("service_code", "air-bersih"), ("description", "x"), ("lat", "utara"), ("long", "112")], "lat"),
            (&[("service_code", "air-bersih"), ("description", "x"), ("lat", "48.8"), ("long", "2.3")], "lat"),
            (&[("service_code", "air-bersih"), ("description", "x"), ("lat", "-6.9")], "long"),
            (&[("service_code", "pajak"), ("description", "x"), ("attribute[region]", "35.23")], "service_code"),
            (&[("service_code", "air-bersih"), ("description", "x")], "attribute[region]"),
        ];
        for (form, field) in cases {
            let mut form = form.to_vec();
            form.push(("phone", &phone));
            let (status, body) = post(&app, &form).await;
            assert_eq!(status, 400, "{form:?}");
            let description = open311_error(&body, 400);
            assert!(description.starts_with(field), "{form:?}: {description}");
        }
        let (status, body) = app.get_json("/open311/v2/requests/ASP-35-0000-0000.json").await;
        assert_eq!(status, 404);
        open311_error(&body, 404);
        let (status, body) = app.get_json("/open311/v2/requests/bukan.json").await;
        assert_eq!(status, 400);
        open311_error(&body, 400);
        let (status, body) = app.get_json("/open311/v2/tidak-ada.json").await;
        assert_eq!(status, 404);
        open311_error(&body, 404);
        assert_eq!(aspirations::count(&app.db).await.unwrap(), 0);
    }
}
