//! Public organisation pages and `/api/v1/organisations`: Diskominfo
//! offices, agencies (OPD) and bodies, per region and one by one; a KIM's
//! id leads to its KIM page.

use std::collections::HashSet;

use jembatan_domain::OrgId;
use jembatan_domain::organisation::OrganisationForm;
use jembatan_store::Db;
use jembatan_store::organisations;

use crate::http_tests;
use crate::kims::{kim_form, register};

fn form(kind: &str, name: &str, region: &str) -> OrganisationForm {
    OrganisationForm { kind: kind.into(), name: name.into(), region: region.into(), ..OrganisationForm::default() }
}

/// Creates the organisations of `forms` in one transaction; their ids in order.
async fn create_all(db: &Db, forms: Vec<OrganisationForm>) -> Vec<OrgId> {
    let news: Vec<_> = forms.into_iter().map(|f| f.validate().expect("a valid organisation")).collect();
    db.write(move |tx| {
        Box::pin(async move {
            let mut ids = Vec::new();
            for new in &news {
                ids.push(organisations::create(tx, new, None).await?.id);
            }
            Ok(ids)
        })
    })
    .await
    .expect("create organisations")
}

/// Tuban's Diskominfo, two agencies and a state company; Malang's health office.
async fn fixtures(db: &Db) -> Vec<OrgId> {
    create_all(
        db,
        vec![
            OrganisationForm {
                description: "Dinas Komunikasi dan Informatika Kabupaten Tuban.".into(),
                address: "Jl. Kartini 3, Tuban".into(),
                phone: "(0356) 321 123".into(),
                email: "diskominfo@tubankab.go.id".into(),
                website: "tubankab.go.id".into(),
                ..form("diskominfo", "Diskominfo Tuban", "35.23")
            },
            OrganisationForm {
                categories: vec!["kesehatan".into(), "kependudukan".into()],
                ..form("agency", "Dinas Kesehatan Tuban", "35.23")
            },
            OrganisationForm {
                categories: vec!["pendidikan".into()],
                ..form("agency", "Dinas Pendidikan Tuban", "35.23")
            },
            OrganisationForm { body_kind: "state_company".into(), ..form("body", "PLN ULP Tuban", "35.23.01") },
            OrganisationForm {
                categories: vec!["kesehatan".into()],
                ..form("agency", "Dinas Kesehatan Malang", "35.07")
            },
        ],
    )
    .await
}

http_tests! {
    async fn an_office_page_shows_its_kind_region_and_contacts(app) {
        let ids = fixtures(&app.db).await;
        let (status, html) = app.get_text(&format!("/organisasi/{}", ids[0])).await;
        assert_eq!(status, 200);
        let html = html.replace("<wbr>", "");
        assert!(html.contains("<h1>Diskominfo Tuban</h1>"));
        assert!(html.contains("<span class=\"level\">Diskominfo</span>"));
        assert!(html.contains("href=\"/wilayah/35.23\">Kabupaten Tuban</a>"));
        assert!(html.contains("Jl. Kartini 3, Tuban"));
        assert!(html.contains("href=\"tel:0356321123\">(0356) 321 123</a>"));
        assert!(html.contains("href=\"mailto:diskominfo@tubankab.go.id\""));
        assert!(html.contains("href=\"https://tubankab.go.id/\""));
        assert!(html.contains("href=\"/wilayah/35.23/organisasi\""));
        assert_eq!(app.get(&format!("/organisasi/{}", ids[0])).await.headers()["cache-control"], "public, max-age=60");

        let (_, agency) = app.get_text(&format!("/organisasi/{}", ids[1])).await;
        assert!(agency.contains("Perangkat daerah (OPD)"));
        assert!(agency.contains("<li>Kesehatan</li>") && agency.contains("<li>Kependudukan</li>"), "work categories, translated");
        let (_, english) = app.get_text(&format!("/en/organisasi/{}", ids[1])).await;
        assert!(english.contains("<li>Health</li>") && english.contains("Government agency (OPD)"));
        let (_, body) = app.get_text(&format!("/organisasi/{}", ids[3])).await;
        assert!(body.contains("<span class=\"level\">BUMN</span>"), "a body shows its kind");
        assert!(body.contains("href=\"/wilayah/35.23.01\">Kenduruan</a>"));
    }

    async fn a_kim_id_redirects_to_the_kim_page_and_unknown_ids_are_404(app) {
        let kim = register(&app.db, kim_form("KIM Jlodro Maju", "35.23.01.2001", "")).await;
        let response = app.get(&format!("/organisasi/{kim}")).await;
        assert_eq!(response.status(), 301);
        assert_eq!(response.headers()["location"], format!("/kim/{kim}"));
        let response = app.get(&format!("/en/organisasi/{kim}")).await;
        assert_eq!(response.status(), 301);
        assert_eq!(response.headers()["location"], format!("/en/kim/{kim}"));
        let response = app.get(&format!("/api/v1/organisations/{kim}")).await;
        assert_eq!(response.status(), 301);
        assert_eq!(response.headers()["location"], format!("/api/v1/kims/{kim}"));
        assert_eq!(app.get(&format!("/organisasi/{}", OrgId::generate())).await.status(), 404);
        assert_eq!(app.get("/organisasi/bukan-uuid").await.status(), 404);
        let ids = fixtures(&app.db).await;
        assert_eq!(app.get(&format!("/kim/{}", ids[0])).await.status(), 404, "an office is no KIM");
        let (status, body) = app.get_json("/api/v1/organisations/bukan-uuid").await;
        assert_eq!(status, 404);
        assert_eq!(body["error"]["code"], "not_found");
    }

    async fn a_region_lists_its_offices_and_bodies_and_filters_by_kind(app) {
        let ids = fixtures(&app.db).await;
        register(&app.db, kim_form("KIM Jlodro Maju", "35.23.01.2001", "")).await;
        let (status, html) = app.get_text("/wilayah/35.23/organisasi").await;
        assert_eq!(status, 200);
        for name in ["Diskominfo Tuban", "Dinas Kesehatan Tuban", "Dinas Pendidikan Tuban", "PLN ULP Tuban"] {
            assert!(html.contains(name), "{name}");
        }
        assert!(!html.contains("Malang"), "another regency's office");
        assert!(!html.contains("KIM Jlodro"), "KIMs have their own list");
        assert!(html.contains(&format!("href=\"/organisasi/{}\"", ids[0])));
        assert!(html.contains("4 kantor dan lembaga"));
        let (_, agencies) = app.get_text("/wilayah/35.23/organisasi?jenis=agency").await;
        assert!(agencies.contains("Dinas Kesehatan Tuban") && !agencies.contains("PLN ULP Tuban"));
        assert!(agencies.contains("<option value=\"agency\" selected>"));
        let (_, district) = app.get_text("/wilayah/35.23.01/organisasi").await;
        assert!(district.contains("PLN ULP Tuban") && !district.contains("Diskominfo Tuban"));
        let (_, province) = app.get_text("/wilayah/35/organisasi").await;
        assert!(province.contains("Dinas Kesehatan Malang") && province.contains("Dinas Kesehatan Tuban"));
        assert_eq!(app.get("/wilayah/35.23/organisasi?jenis=kim").await.status(), 400);
        assert_eq!(app.get("/wilayah/35.23/organisasi?jenis=dinas").await.status(), 400);
        assert_eq!(app.get("/wilayah/35.23/organisasi?halaman=0").await.status(), 400);
        assert_eq!(app.get("/wilayah/35.99/organisasi").await.status(), 404);
        assert_eq!(app.get("/wilayah/3523/organisasi").await.status(), 400);
        let (_, english) = app.get_text("/en/wilayah/35.23/organisasi").await;
        assert!(english.contains("4 offices and bodies") && english.contains("Offices and bodies in Kabupaten Tuban"));
    }

    async fn the_api_lists_and_shows_organisations_with_their_pages(app) {
        let ids = fixtures(&app.db).await;
        let (status, body) = app.get_json("/api/v1/organisations?region=35.23").await;
        assert_eq!(status, 200);
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), 4);
        assert!(body["next_cursor"].is_null());
        let pln = items.iter().find(|i| i["name"] == "PLN ULP Tuban").unwrap();
        assert_eq!(pln["kind"], "body");
        assert_eq!(pln["body_kind"], "state_company");
        assert_eq!(pln["region"]["code"], "35.23.01");
        assert_eq!(pln["region"]["name"], "Kenduruan");
        assert_eq!(pln["url"], format!("http://127.0.0.1/organisasi/{}", ids[3]));

        let (_, body) = app.get_json("/api/v1/organisations?region=35.23&kind=agency").await;
        let names: Vec<&str> = body["items"].as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Dinas Kesehatan Tuban", "Dinas Pendidikan Tuban"]);
        assert_eq!(body["items"][0]["categories"], serde_json::json!(["kesehatan", "kependudukan"]));

        let mut seen = Vec::new();
        let mut path = "/api/v1/organisations?limit=2".to_owned();
        loop {
            let (status, body) = app.get_json(&path).await;
            assert_eq!(status, 200, "{path}");
            seen.extend(body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()));
            match body["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/organisations?limit=2&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(seen.len(), 5, "the province by default");
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 5);

        let (status, body) = app.get_json(&format!("/api/v1/organisations/{}", ids[0])).await;
        assert_eq!(status, 200);
        assert_eq!(body["id"], ids[0].to_string());
        assert_eq!(body["kind"], "diskominfo");
        assert!(body["body_kind"].is_null());
        assert_eq!(body["region"]["url"], "http://127.0.0.1/wilayah/35.23");
        assert_eq!(body["phone"], "(0356) 321 123");
        assert_eq!(body["website"], "https://tubankab.go.id/");
        assert_eq!(body["url"], format!("http://127.0.0.1/organisasi/{}", ids[0]));

        for (path, code, field) in [
            ("/api/v1/organisations?kind=kim", "invalid_choice", "kind"),
            ("/api/v1/organisations?region=35.99", "unknown_region", "region"),
            ("/api/v1/organisations?cursor=zzz", "invalid_cursor", "cursor"),
            ("/api/v1/organisations?limit=500", "invalid_limit", "limit"),
        ] {
            let (status, body) = app.get_json(path).await;
            assert_eq!(status, 400, "{path}");
            assert_eq!(body["error"]["code"], code, "{path}");
            assert_eq!(body["error"]["field"], field, "{path}");
        }
    }
}
