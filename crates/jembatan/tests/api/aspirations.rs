//! Aspirations over HTTP: the report form without JavaScript (with photos
//! and PDFs), the tracking page and lookup, the JSON API with
//! Idempotency-Key, and every kind of bad input getting a clear answer
//! while nothing is stored.

use jembatan_domain::aspiration::TrackingNumber;
use jembatan_store::aspirations;
use serde_json::{Value, json};

use crate::aspiration_support::{location, post_api_report, post_open311, post_report, unique_phone};
use crate::editor_support::{GPS_MARKER, jpeg, with_gps};
use crate::helpers::TestApp;
use crate::{http_tests, http_tests_with};

const NAME: &str = "Ratna Sariwangi";
const EMAIL: &str = "ratna.sariwangi@contoh.id";

fn fields<'a>(phone: &'a str, mode: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("class", "pengaduan"),
        ("title", "Sampah menumpuk di pasar desa"),
        ("description", "Sampah di pasar desa tidak diangkut sejak dua minggu dan mulai berbau."),
        ("category", "lingkungan-sampah"),
        ("region", "35.23.01.2001"),
        ("lat", "-6.95"),
        ("lon", "112.05"),
        ("event_date", "2026-11-20"),
        ("mode", mode),
        ("name", NAME),
        ("phone", phone),
        ("email", EMAIL),
    ]
}

/// The tracking number in a redirect to a tracking page.
fn tracking_of(location: &str) -> String {
    let number = location.strip_prefix("/aspirasi/").expect("a tracking page").split('?').next().unwrap();
    TrackingNumber::parse(number).expect("a tracking number").to_string()
}

fn assert_no_identity(text: &str, phone: &str) {
    for secret in [NAME, EMAIL, phone, &phone.replace('-', "")] {
        assert!(!text.contains(secret), "identity {secret:?} leaked");
    }
}

http_tests! {
    async fn a_citizen_without_an_account_files_a_confidential_complaint_with_a_photo(app) {
        let visitor = TestApp::spawn_client(&app);
        let (status, form) = app.get_text("/aspirasi/baru").await;
        assert_eq!(status, 200);
        assert!(form.contains("enctype=\"multipart/form-data\"") && form.contains("name=\"attachments\""));
        assert!(form.contains("name=\"website\""), "the honeypot is in the form");

        let phone = unique_phone();
        let photo = with_gps(&jpeg());
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let response = post_report(
            &visitor,
            &fields(&phone, "confidential"),
            vec![("jalan.jpg", "image/jpeg", photo), ("surat.pdf", "application/pdf", pdf.clone())],
        )
        .await;
        assert_eq!(response.status(), 303);
        let to = location(&response);
        assert!(to.contains("?baru=1&kunci="), "{to}");
        let tracking = tracking_of(&to);

        let (status, page) = app.get_text(&to).await;
        assert_eq!(status, 200);
        assert!(page.contains(&tracking), "the number is shown");
        assert!(page.contains("Simpan nomor ini"));
        assert!(page.contains("Baru"));
        assert!(page.contains("rahasia"), "says why the text is not shown");
        assert!(!page.contains("Sampah menumpuk"), "a confidential report's text is not public");
        assert_no_identity(&page, &phone);

        // Stored: the photo without its GPS block, the PDF as sent.
        let report =
            aspirations::by_tracking(&app.db, &TrackingNumber::parse(&tracking).unwrap()).await.unwrap().unwrap();
        let files = aspirations::attachments(&app.db, report.id).await.unwrap();
        assert_eq!(files.iter().map(|f| f.mime.as_str()).collect::<Vec<_>>(), ["image/jpeg", "application/pdf"]);
        let (_, photo) = aspirations::attachment_bytes(&app.db, report.id, files[0].id).await.unwrap().unwrap();
        assert!(!photo.windows(GPS_MARKER.len()).any(|w| w == GPS_MARKER), "GPS removed");
        let (_, stored_pdf) = aspirations::attachment_bytes(&app.db, report.id, files[1].id).await.unwrap().unwrap();
        assert_eq!(stored_pdf, pdf);
        let reporter = aspirations::reporter(&app.db, report.id).await.unwrap();
        assert_eq!(reporter.name.as_deref(), Some(NAME));
    }

    async fn a_public_report_shows_its_text_but_never_its_reporter(app) {
        let visitor = TestApp::spawn_client(&app);
        let phone = unique_phone();
        let response = post_report(&visitor, &fields(&phone, "named"), Vec::new()).await;
        assert_eq!(response.status(), 303);
        let tracking = tracking_of(&location(&response));
        let (status, page) = app.get_text(&format!("/aspirasi/{tracking}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Sampah menumpuk di pasar desa"));
        assert!(page.contains("Laporan diterima"), "the timeline has the filing");
        assert_no_identity(&page, &phone);
        let (status, json) = app.get_json(&format!("/api/v1/aspirations/{tracking}")).await;
        assert_eq!(status, 200);
        assert_eq!(json["status"], "baru");
        assert_eq!(json["open311_status"], "open");
        assert_no_identity(&json.to_string(), &phone);
    }

    async fn a_refused_form_keeps_what_was_typed_and_stores_nothing(app) {
        let visitor = TestApp::spawn_client(&app);
        let phone = unique_phone();
        let mut typed = fields(&phone, "named");
        typed.retain(|(k, _)| *k != "category");
        typed.push(("category", "perpajakan"));
        typed.retain(|(k, _)| *k != "lat");
        typed.push(("lat", "48.85"));
        let response = post_report(&visitor, &typed, Vec::new()).await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(page.contains("value=\"Sampah menumpuk di pasar desa\""), "the title is kept");
        assert!(page.contains("tidak dikirim sejak dua minggu") || page.contains("tidak diangkut sejak dua minggu"));
        assert!(page.contains("di luar wilayah Indonesia"), "the location error is explained");

        // An information request cannot be anonymous.
        let mut request = fields(&phone, "anonymous");
        request.retain(|(k, _)| *k != "class");
        request.push(("class", "permintaan_informasi"));
        let response = post_report(&visitor, &request, Vec::new()).await;
        assert_eq!(response.status(), 400);
        assert!(response.text().await.unwrap().contains("UU 14/2008"));

        // No contact without an account.
        let anonymous_contact = vec![
            ("class", "aspirasi"), ("title", "Usul taman baca"), ("description", "Mohon dibangun taman baca."),
            ("category", "pendidikan"), ("region", "35.23.01.2001"), ("mode", "anonymous"),
        ];
        let response = post_report(&visitor, &anonymous_contact, Vec::new()).await;
        assert_eq!(response.status(), 400);
        assert!(response.text().await.unwrap().contains("Isi alamat email atau nomor HP"));

        // A region that does not exist.
        let mut unknown = fields(&phone, "named");
        unknown.retain(|(k, _)| *k != "region");
        unknown.push(("region", "35.23.01.9999"));
        let response = post_report(&visitor, &unknown, Vec::new()).await;
        assert_eq!(response.status(), 400);
        assert_eq!(aspirations::count(&app.db).await.unwrap(), 0);
    }

    async fn an_executable_posing_as_a_pdf_is_refused_by_name(app) {
        let visitor = TestApp::spawn_client(&app);
        let phone = unique_phone();
        let executable = [b"MZ\x90\x00\x03\x00\x00\x00".as_slice(), &[0u8; 4096]].concat();
        let response =
            post_report(&visitor, &fields(&phone, "named"), vec![("surat.pdf", "application/pdf", executable)]).await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.unwrap();
        assert!(page.contains("surat.pdf") && page.contains("bukan foto"), "names the file and why");
        assert!(page.contains("value=\"Sampah menumpuk di pasar desa\""));
        let too_many: Vec<_> = (0..6).map(|i| (["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg", "f.jpg"][i], "image/jpeg", jpeg())).collect();
        let response = post_report(&visitor, &fields(&phone, "named"), too_many).await;
        assert_eq!(response.status(), 400);
        assert!(response.text().await.unwrap().contains("Paling banyak 5 berkas"));
        assert_eq!(aspirations::count(&app.db).await.unwrap(), 0);
    }

    async fn a_fifty_megabyte_upload_gets_a_clear_refusal(app) {
        let visitor = TestApp::spawn_client(&app);
        let phone = unique_phone();
        let huge = vec![0u8; 50 * 1024 * 1024];
        let response = post_report(&visitor, &fields(&phone, "named"), vec![("video.jpg", "image/jpeg", huge)]).await;
        assert_eq!(response.status(), 413);
        assert!(response.text().await.unwrap().contains("terlalu besar"));
        assert_eq!(aspirations::count(&app.db).await.unwrap(), 0);
    }

    async fn the_lookup_explains_wrong_and_unknown_numbers(app) {
        let tracking = crate::aspiration_support::file(&app, &crate::aspiration_support::complaint()).await;
        let response = app.get(&format!("/aspirasi/lacak?nomor={}", tracking.to_lowercase().replace('-', "+"))).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), format!("/aspirasi/{tracking}"));

        let (status, page) = app.get_text("/aspirasi/lacak?nomor=ASP-35-XYZ").await;
        assert_eq!(status, 400);
        assert!(page.contains("Nomor pelacakan tidak valid") && page.contains("value=\"ASP-35-XYZ\""));
        let (status, page) = app.get_text("/aspirasi/lacak?nomor=ASP-35-0000-0000").await;
        assert_eq!(status, 404);
        assert!(page.contains("Tidak ada laporan dengan nomor ini"));
        assert_eq!(app.get("/aspirasi/ASP-35-0000-0000").await.status(), 404);
        assert_eq!(app.get("/aspirasi/bukan-nomor").await.status(), 404);
        let (status, json) = app.get_json("/api/v1/aspirations/ASP-35-0000-000").await;
        assert_eq!((status, json["error"]["code"].as_str()), (400, Some("invalid_tracking")));
    }

    async fn the_public_list_shows_public_reports_with_status_and_age(app) {
        let mut public = crate::aspiration_support::complaint();
        public.title = "Saluran air tersumbat".into();
        let public = crate::aspiration_support::file(&app, &public).await;
        let mut secret = crate::aspiration_support::complaint();
        secret.mode = "confidential".into();
        secret.title = "Dugaan pungutan liar".into();
        crate::aspiration_support::file(&app, &secret).await;
        let mut rude = crate::aspiration_support::complaint();
        rude.title = "Petugas goblok tidak datang".into();
        crate::aspiration_support::file(&app, &rude).await;
        let mut elsewhere = crate::aspiration_support::complaint();
        elsewhere.title = "Puskesmas tutup siang".into();
        elsewhere.category = "kesehatan".into();
        elsewhere.region = "35.07.01.2001".into();
        crate::aspiration_support::file(&app, &elsewhere).await;

        let (status, page) = app.get_text("/aspirasi").await;
        assert_eq!(status, 200);
        assert!(page.contains("Saluran air tersumbat") && page.contains(&public) && page.contains("hari ini"));
        assert!(page.contains("Puskesmas tutup siang"));
        assert!(!page.contains("pungutan liar"), "confidential reports are not listed");
        assert!(!page.contains("goblok"), "held reports are not listed");
        let (_, tuban) = app.get_text("/aspirasi?wilayah=35.23").await;
        assert!(tuban.contains("Saluran air tersumbat") && !tuban.contains("Puskesmas"));
        let (_, health) = app.get_text("/aspirasi?kategori=kesehatan&status=terbuka").await;
        assert!(health.contains("Puskesmas") && !health.contains("Saluran"));
        let (_, settled) = app.get_text("/aspirasi?status=selesai").await;
        assert!(settled.contains("Belum ada laporan"));
        assert_eq!(app.get("/aspirasi?wilayah=tuban").await.status(), 400);
        assert_eq!(app.get("/aspirasi?status=semua").await.status(), 400);
        assert_eq!(app.get("/aspirasi?halaman=0").await.status(), 400);
    }

    async fn the_honeypot_turns_robots_away(app) {
        let visitor = TestApp::spawn_client(&app);
        let phone = unique_phone();
        let mut robot = fields(&phone, "named");
        robot.push(("website", "http://spam.example"));
        let response = post_report(&visitor, &robot, Vec::new()).await;
        assert_eq!(response.status(), 400);
        assert_eq!(aspirations::count(&app.db).await.unwrap(), 0);
    }

    async fn the_api_files_once_per_idempotency_key(app) {
        let phone = unique_phone();
        let body = json!({
            "class": "pengaduan", "title": "Air PDAM keruh", "description": "Air PDAM keruh sejak tiga hari.",
            "category": "air-bersih", "region": "35.23.01.2001", "mode": "anonymous",
            "name": NAME, "phone": phone, "lat": -6.95, "lon": 112.05,
        });
        let first = post_api_report(&app, Some("7f1c-retry-1"), &body).await;
        assert_eq!(first.status(), 201);
        let location = first.headers()["location"].to_str().unwrap().to_owned();
        assert!(first.headers().get("idempotent-replayed").is_none());
        let first: Value = first.json().await.unwrap();
        let tracking = first["tracking"].as_str().unwrap().to_owned();
        assert_eq!(location, format!("/api/v1/aspirations/{tracking}"));
        assert_eq!(first["status"], "baru");
        assert_eq!(first["title"], "Air PDAM keruh");
        assert_no_identity(&first.to_string(), &phone);

        let again = post_api_report(&app, Some("7f1c-retry-1"), &body).await;
        assert_eq!(again.status(), 201);
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        assert_eq!(again.json::<Value>().await.unwrap()["tracking"], tracking.as_str());
        assert_eq!(aspirations::count(&app.db).await.unwrap(), 1);

        let mut changed = body.clone();
        changed["title"] = "Air PDAM berbau".into();
        let conflict = post_api_report(&app, Some("7f1c-retry-1"), &changed).await;
        assert_eq!(conflict.status(), 409);
        assert_eq!(conflict.json::<Value>().await.unwrap()["error"]["code"], "idempotency_key_reused");
        assert_eq!(aspirations::count(&app.db).await.unwrap(), 1);

        // Without a key, a resend is a new report flagged as a duplicate.
        let resent = post_api_report(&app, None, &body).await;
        assert_eq!(resent.status(), 201);
        assert_eq!(resent.json::<Value>().await.unwrap()["duplicate_of"], tracking.as_str());
    }

    async fn the_api_refuses_bad_input_with_stable_codes(app) {
        let client = reqwest::Client::new();
        let send = |body: String| {
            client.post(app.url("/api/v1/aspirations")).header("content-type", "application/json").body(body).send()
        };
        let cases: &[(&str, u16, &str, Option<&str>)] = &[
            ("{not json", 400, "invalid_json", None),
            (r#"{"class":"pengaduan","unknown":1}"#, 400, "invalid_json", None),
            (r#"{"class":"pengaduan"}"#, 400, "required", Some("title")),
            (r#"{"class":"keluhan","title":"a","description":"b","category":"kesehatan","region":"35.23","phone":"081311112222","name":"A"}"#, 400, "invalid_choice", Some("class")),
            (r#"{"class":"pengaduan","title":"a","description":"b","category":"kesehatan","region":"35.23","phone":"081311112222","name":"A","lat":48.8,"lon":2.3}"#, 400, "outside_indonesia", Some("lat")),
            (r#"{"class":"pengaduan","title":"a","description":"b","category":"pajak","region":"35.23","phone":"081311112222","name":"A"}"#, 400, "invalid_choice", Some("category")),
            (r#"{"class":"pengaduan","title":"a","description":"b","category":"kesehatan","region":"35.99","phone":"081311112222","name":"A"}"#, 400, "unknown_region", Some("region")),
        ];
        for (body, status, code, field) in cases {
            let response = send((*body).to_owned()).await.unwrap();
            assert_eq!(response.status().as_u16(), *status, "{body}");
            let error: Value = response.json().await.unwrap();
            assert_eq!(error["error"]["code"], *code, "{body}");
            assert_eq!(error["error"]["field"].as_str(), *field, "{body}");
            assert!(!error["error"]["message"].as_str().unwrap().is_empty());
        }
        let bad_key = client
            .post(app.url("/api/v1/aspirations"))
            .header("Idempotency-Key", "")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(bad_key.status(), 400);
        assert_eq!(bad_key.json::<Value>().await.unwrap()["error"]["code"], "invalid_idempotency_key");
        assert_eq!(aspirations::count(&app.db).await.unwrap(), 0);
    }
}

mod limits {
    use super::*;

    http_tests_with! {
        [("JEMBATAN_REPORTS_PER_IP_PER_MINUTE", "2"), ("JEMBATAN_REPORTS_PER_CONTACT_PER_HOUR", "1")]

        async fn filing_is_limited_per_address_and_per_contact(app) {
            let visitor = TestApp::spawn_client(&app);
            let phone = unique_phone();
            assert_eq!(post_report(&visitor, &fields(&phone, "named"), Vec::new()).await.status(), 303);
            let response = post_report(&visitor, &fields(&phone, "named"), Vec::new()).await;
            assert_eq!(response.status(), 429, "the same phone within the hour");
            assert!(response.text().await.unwrap().contains("satu jam terakhir"));
            let other = unique_phone();
            let response = post_report(&visitor, &fields(&other, "named"), Vec::new()).await;
            assert_eq!(response.status(), 429, "a third report from the address within the minute");
            assert!(response.text().await.unwrap().contains("Terlalu banyak laporan"));
            assert_eq!(aspirations::count(&app.db).await.unwrap(), 1);
        }
    }
}

mod contact_limit {
    use super::*;

    http_tests_with! {
        [("JEMBATAN_REPORTS_PER_CONTACT_PER_HOUR", "1")]

        async fn a_contact_at_its_limit_is_refused_on_every_channel_but_a_retry_gets_its_report(app) {
            let phone = unique_phone();
            let body = json!({
                "class": "pengaduan", "title": "Lampu jalan padam", "description": "Lampu jalan padam sejak kemarin.",
                "category": "listrik", "region": "35.23.01.2001", "name": NAME, "phone": phone,
            });
                let first = post_api_report(&app, Some("batas-1"), &body).await;
            assert_eq!(first.status(), 201);
            let tracking = first.json::<Value>().await.unwrap()["tracking"].as_str().unwrap().to_owned();

            // The client did not hear back and retries: its report, not 429.
            let retry = post_api_report(&app, Some("batas-1"), &body).await;
            assert_eq!(retry.status(), 201);
            assert_eq!(retry.headers()["idempotent-replayed"], "true");
            assert_eq!(retry.json::<Value>().await.unwrap()["tracking"], tracking.as_str());

            let mut another = body.clone();
            another["title"] = "Jalan desa berlubang".into();
            another["description"] = "Jalan desa berlubang di depan balai.".into();
            let refused = post_api_report(&app, Some("batas-2"), &another).await;
            assert_eq!(refused.status(), 429);
            assert_eq!(refused.headers()["retry-after"], "3600");
            assert_eq!(refused.json::<Value>().await.unwrap()["error"]["code"], "too_many_requests");

            let (status, open311) = post_open311(
                &app,
                &[
                    ("service_code", "listrik"),
                    ("attribute[region]", "35.23.01.2001"),
                    ("description", "Tiang listrik miring di depan sekolah."),
                    ("phone", phone.as_str()),
                ],
            )
            .await;
            assert_eq!(status, 429);
            assert_eq!(open311[0]["code"], 429);
            assert_eq!(aspirations::count(&app.db).await.unwrap(), 1);
        }
    }
}
