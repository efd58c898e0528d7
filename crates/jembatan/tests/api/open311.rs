//! Open311 GeoReport v2: an Open311 client discovers the services, files a
//! request with coordinates only (placed at the province, flagged for the
//! verifier), reads it back by id and token and in the list; errors come
//! in Open311's own shape and store nothing; confidential reports never
//! appear in the public list. Every endpoint answers in XML too.

use jembatan_domain::aspiration::TrackingNumber;
use jembatan_store::aspirations;
use serde_json::Value;

use crate::aspiration_support::{complaint, file, post_open311 as post, unique_phone};
use crate::helpers::TestApp;
use crate::http_tests;

/// Each element's text of an XML answer, by its path
/// (`service_requests/request/status`); panics on XML that is not well
/// formed (an end tag that does not match, text outside the root).
fn xml_texts(xml: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut texts = Vec::new();
    let mut text = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(start) => {
                path.push(start.name().as_ref().to_owned());
                text.clear();
            }
            Event::Empty(empty) => {
                let name = empty.name().as_ref().to_owned();
                texts.push((format!("{}/{name}", path.join("/")), String::new()));
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => text.push_str(quick_xml::escape::resolve_predefined_entity(&r).unwrap()),
            Event::End(_) => {
                texts.push((path.join("/"), std::mem::take(&mut text)));
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(path.is_empty(), "every element closed: {xml}");
    texts
}

fn xml_values<'a>(texts: &'a [(String, String)], path: &str) -> Vec<&'a str> {
    texts.iter().filter(|(p, _)| p == path).map(|(_, t)| t.as_str()).collect()
}

/// An XML answer: status, content type and body.
async fn get_xml(app: &TestApp, path: &str) -> (u16, String, String) {
    let response = reqwest::get(app.url(path)).await.unwrap();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    (response.status().as_u16(), content_type, response.text().await.unwrap())
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

    async fn every_endpoint_answers_in_xml_too(app) {
        let (status, content_type, discovery) = get_xml(&app, "/open311/v2/discovery.xml").await;
        assert_eq!((status, content_type.as_str()), (200, "text/xml; charset=utf-8"));
        let texts = xml_texts(&discovery);
        assert_eq!(xml_values(&texts, "discovery/endpoints/endpoint/url"), ["http://127.0.0.1/open311/v2"]);
        assert_eq!(xml_values(&texts, "discovery/endpoints/endpoint/formats/format"), ["application/json", "text/xml"]);

        let (_, _, services) = get_xml(&app, "/open311/v2/services.xml").await;
        let codes = xml_texts(&services);
        assert!(xml_values(&codes, "services/service/service_code").contains(&"air-bersih"), "{services}");
        let (_, _, definition) = get_xml(&app, "/open311/v2/services/air-bersih.xml").await;
        let texts = xml_texts(&definition);
        assert_eq!(xml_values(&texts, "service_definition/attributes/attribute/code"), ["class", "title", "region", "mode"]);
        assert!(xml_values(&texts, "service_definition/attributes/attribute/values/value/key").contains(&"confidential"));

        let phone = unique_phone();
        let response = reqwest::Client::new()
            .post(app.url("/open311/v2/requests.xml"))
            .form(&[
                ("service_code", "air-bersih"),
                ("attribute[region]", "35.23.01.2001"),
                ("description", "Pipa air bocor & airnya <keruh>. Mohon diperbaiki."),
                ("phone", phone.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let created = xml_texts(&response.text().await.unwrap());
        let id = xml_values(&created, "service_requests/request/service_request_id")[0].to_owned();
        assert!(TrackingNumber::parse(&id).is_ok(), "{id}");
        assert_eq!(xml_values(&created, "service_requests/request/account_id"), [""], "null is an empty element");

        let (status, _, found) = get_xml(&app, &format!("/open311/v2/requests/{id}.xml")).await;
        assert_eq!(status, 200);
        let texts = xml_texts(&found);
        assert_eq!(xml_values(&texts, "service_requests/request/status"), ["open"]);
        assert_eq!(
            xml_values(&texts, "service_requests/request/description"),
            ["Pipa air bocor & airnya <keruh>. Mohon diperbaiki."],
            "text is escaped and comes back whole"
        );
        let (_, _, list) = get_xml(&app, "/open311/v2/requests.xml?status=open").await;
        assert_eq!(xml_values(&xml_texts(&list), "service_requests/request/service_request_id"), [id.as_str()]);

        // Errors in XML as well, and nothing stored.
        let response =
            reqwest::Client::new().post(app.url("/open311/v2/requests.xml")).form(&[("description", "x")]).send().await.unwrap();
        assert_eq!(response.status(), 400);
        let texts = xml_texts(&response.text().await.unwrap());
        assert_eq!(xml_values(&texts, "errors/error/code"), ["400"]);
        assert!(xml_values(&texts, "errors/error/description")[0].starts_with("service_code"));
        let (status, _, missing) = get_xml(&app, "/open311/v2/requests/ASP-35-0000-0000.xml").await;
        assert_eq!(status, 404);
        assert_eq!(xml_values(&xml_texts(&missing), "errors/error/code"), ["404"]);
        assert_eq!(aspirations::count(&app.db).await.unwrap(), 1);
    }
}
