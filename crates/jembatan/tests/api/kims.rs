//! The public KIM registry over HTTP: KIM lists per region, profiles, the
//! region pages' KIM section, and `/api/v1/kims`. Fixtures are written
//! through the store, as the admin pages would.

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use jembatan_domain::kim::{KimForm, MemberForm};
use jembatan_domain::{MemberId, OrgId};
use jembatan_store::Db;
use jembatan_store::kims;

use crate::helpers::TestApp;
use crate::http_tests;

/// A registered KIM's form: status `terdaftar` with an SK expiring on `sk_expires`.
pub fn kim_form(name: &str, village: &str, sk_expires: &str) -> KimForm {
    KimForm {
        name: name.into(),
        village: village.into(),
        status: "terdaftar".into(),
        sk_number: format!("188/{}/KPTS/2024", name.replace(' ', "-")),
        sk_issuer: "Bupati Tuban".into(),
        sk_date: "2024-01-15".into(),
        sk_expires: sk_expires.into(),
        ..KimForm::default()
    }
}

/// Registers the KIMs of `forms` in one transaction; their ids in order.
pub async fn register_all(db: &Db, forms: Vec<KimForm>) -> Vec<OrgId> {
    let news: Vec<_> = forms.into_iter().map(|f| f.validate().expect("a valid KIM form")).collect();
    db.write(move |tx| {
        Box::pin(async move {
            let mut ids = Vec::new();
            for new in &news {
                ids.push(kims::register(tx, new, None).await?.id());
            }
            Ok(ids)
        })
    })
    .await
    .expect("register KIMs")
}

/// Registers one KIM.
pub async fn register(db: &Db, form: KimForm) -> OrgId {
    register_all(db, vec![form]).await[0]
}

/// Adds a person to a KIM's roster.
pub async fn add_member(db: &Db, kim: OrgId, name: &str, position: &str, phone: &str) -> MemberId {
    let new = MemberForm { name: name.into(), position: position.into(), phone: phone.into(), ..MemberForm::default() }
        .validate()
        .expect("a valid member");
    db.write(move |tx| Box::pin(async move { kims::add_member(tx, kim, &new, None).await }))
        .await
        .expect("add member")
        .id
}

/// Records the member's consent to show the phone publicly.
pub async fn consent_to_public_phone(db: &Db, member: MemberId) {
    db.write(move |tx| Box::pin(async move { kims::set_phone_public_consent(tx, member, true, None).await }))
        .await
        .expect("consent");
}

/// Verifies a KIM as a freshly registered officer account.
async fn verify(app: &TestApp, kim: OrgId) {
    let officer = app.register("Petugas Tuban").await;
    let officer = app.user_id(&officer.email).await;
    app.db.write(move |tx| Box::pin(async move { kims::verify(tx, kim, officer).await })).await.expect("verify");
}

fn today_in_jakarta() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Asia::Jakarta).date_naive()
}

/// How many KIM cards a list page shows.
fn cards(html: &str) -> usize {
    html.matches("<li class=\"card\">").count()
}

/// The KIM names on a page, in order.
fn names(html: &str) -> Vec<String> {
    html.split("<h3><a href=\"")
        .skip(1)
        .map(|s| s.split('>').nth(1).unwrap().split('<').next().unwrap().to_owned())
        .collect()
}

http_tests! {
    async fn region_lists_include_villages_below_and_leave_other_regencies_out(app) {
        let ids = register_all(&app.db, vec![
            kim_form("KIM Jlodro Maju", "35.23.01.2001", ""),
            kim_form("KIM Sokogunung", "35.23.01.2002", ""),
            kim_form("KIM Tulungrejo", "35.07.01.2001", ""),
        ]).await;
        let (status, tuban) = app.get_text("/wilayah/35.23/kim").await;
        assert_eq!(status, 200);
        assert_eq!(names(&tuban), ["KIM Jlodro Maju", "KIM Sokogunung"], "by name, Tuban only");
        assert!(tuban.contains(&format!("href=\"/kim/{}\"", ids[0])));
        assert!(tuban.contains("href=\"/wilayah/35.23.01.2001\">Jlodro</a>"), "the village links to its page");
        assert!(tuban.contains("Terdaftar") && tuban.contains("SK berlaku") && tuban.contains("0 anggota"));
        assert!(tuban.contains("<h1>KIM di Kabupaten Tuban</h1>"));
        assert!(tuban.contains("href=\"/wilayah/35.23\""), "breadcrumbs up to the region");

        let (_, village) = app.get_text("/wilayah/35.23.01.2001/kim").await;
        assert_eq!(names(&village), ["KIM Jlodro Maju"]);
        let (_, district) = app.get_text("/wilayah/35.23.01/kim").await;
        assert_eq!(cards(&district), 2);
        let (_, malang) = app.get_text("/wilayah/35.07/kim").await;
        assert_eq!(names(&malang), ["KIM Tulungrejo"]);
        let (status, province) = app.get_text("/kim").await;
        assert_eq!(status, 200);
        assert_eq!(cards(&province), 3, "the deployment's province holds all three");
        assert!(province.contains("<h1>KIM di Jawa Timur</h1>"));
        assert_eq!(app.get("/kim").await.headers()["cache-control"], "public, max-age=60");
    }

    async fn lists_show_30_kims_a_page_with_next_and_previous_links(app) {
        let forms = (1..=31).map(|i| kim_form(&format!("KIM {i:02}"), "35.23.01.2001", "")).collect();
        register_all(&app.db, forms).await;
        let (status, first) = app.get_text("/wilayah/35.23/kim").await;
        assert_eq!(status, 200);
        assert_eq!(cards(&first), 30);
        assert_eq!(names(&first)[0], "KIM 01");
        assert!(first.contains("rel=\"next\" href=\"/wilayah/35.23/kim?halaman=2\""));
        assert!(!first.contains("rel=\"prev\""));
        assert!(first.contains("Halaman 1 dari 2"));
        let (status, second) = app.get_text("/wilayah/35.23/kim?halaman=2").await;
        assert_eq!(status, 200);
        assert_eq!(names(&second), ["KIM 31"]);
        assert!(second.contains("rel=\"prev\" href=\"/wilayah/35.23/kim\""));
        assert!(second.contains("href=\"/en/wilayah/35.23/kim?halaman=2\" hreflang=\"en\""), "the switch keeps the page");
        let (_, english) = app.get_text("/en/wilayah/35.23/kim?halaman=2").await;
        assert!(english.contains("rel=\"prev\" href=\"/en/wilayah/35.23/kim\""));
        assert_eq!(app.get("/wilayah/35.23/kim?halaman=3").await.status(), 404, "past the last page");
        for bad in ["0", "-1", "dua", "1.5"] {
            let (status, html) = app.get_text(&format!("/wilayah/35.23/kim?halaman={bad}")).await;
            assert_eq!(status, 400, "halaman={bad}");
            assert!(html.contains("Nomor halaman tidak valid"), "{bad}");
        }
    }

    async fn lists_filter_by_status_and_refuse_unknown_statuses(app) {
        let ids = register_all(&app.db, vec![
            KimForm { status: "aktif".into(), ..kim_form("KIM Aktif", "35.23.01.2001", "") },
            kim_form("KIM Terdaftar", "35.23.01.2002", ""),
            KimForm { status: "vakum".into(), ..kim_form("KIM Vakum", "35.23.01.2003", "") },
        ]).await;
        let (status, html) = app.get_text("/wilayah/35.23/kim?status=aktif").await;
        assert_eq!(status, 200);
        assert_eq!(names(&html), ["KIM Aktif"]);
        assert!(html.contains("<option value=\"aktif\" selected>"), "the form shows the filter");
        assert!(html.contains(&format!("href=\"/kim/{}\"", ids[0])));
        let (_, html) = app.get_text("/kim?status=vakum").await;
        assert_eq!(names(&html), ["KIM Vakum"]);
        assert!(html.contains("<span class=\"badge warn\">Vakum</span>"));
        let (_, all) = app.get_text("/wilayah/35.23/kim?status=").await;
        assert_eq!(cards(&all), 3, "an empty filter is no filter");
        let (status, html) = app.get_text("/wilayah/35.23/kim?status=hidup").await;
        assert_eq!(status, 400);
        assert!(html.contains("Pilihan tidak valid"));
    }

    async fn malformed_region_codes_are_400_and_unknown_regions_404(app) {
        assert_eq!(app.get("/wilayah/35-23/kim").await.status(), 400);
        assert_eq!(app.get("/wilayah/35.99/kim").await.status(), 404);
        assert_eq!(app.get("/wilayah/35.99.01.2001/kim").await.status(), 404);
    }

    async fn a_profile_shows_officers_and_a_phone_only_with_consent(app) {
        let form = KimForm {
            status: "aktif".into(),
            description: "Kami menyebarkan informasi desa.\n\nRapat tiap Kamis.".into(),
            address: "Balai Desa Jlodro".into(),
            kim_id_url: "jlodro.kim.id".into(),
            whatsapp: "0812 1111 2222".into(),
            instagram: "kimjlodro".into(),
            ..kim_form("KIM Jlodro Maju", "35.23.01.2001", "")
        };
        let id = register(&app.db, form).await;
        let ketua = add_member(&app.db, id, "Bu Sri", "ketua", "0813 3333 4444").await;
        add_member(&app.db, id, "Pak Darto", "sekretaris", "0815 5555 6666").await;
        add_member(&app.db, id, "Mas Yudi", "seksi", "").await;
        add_member(&app.db, id, "Mbak Rina", "seksi", "").await;
        add_member(&app.db, id, "Warga Satu", "anggota", "0817 7777 8888").await;
        consent_to_public_phone(&app.db, ketua).await;
        verify(&app, id).await;

        let (status, html) = app.get_text(&format!("/kim/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("href=\"https://jlodro.kim.id/\" rel=\"ugc\">jlodro.<wbr>kim.<wbr>id<wbr></a>"), "long addresses may wrap");
        let html = html.replace("<wbr>", "");
        assert!(html.contains("<h1>KIM Jlodro Maju</h1>"));
        assert!(html.contains("Terverifikasi oleh Diskominfo Kabupaten Tuban"));
        assert!(html.contains("<span class=\"badge ok\">Aktif</span>"));
        let crumbs = html.split("<ol>").nth(1).unwrap().split("</ol>").next().unwrap();
        let order: Vec<usize> = ["/wilayah/35\"", "/wilayah/35.23\"", "/wilayah/35.23.01\"", "/wilayah/35.23.01.2001\""]
            .iter()
            .map(|href| crumbs.find(href).unwrap_or_else(|| panic!("{href} in {crumbs}")))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "province, regency, district, village in order");
        assert!(html.contains("<p>Kami menyebarkan informasi desa.</p>") && html.contains("<p>Rapat tiap Kamis.</p>"));
        assert!(html.contains("Balai Desa Jlodro"));
        assert!(html.contains("href=\"https://jlodro.kim.id/\""));
        assert!(html.contains("href=\"https://wa.me/6281211112222\""));
        assert!(html.contains("href=\"https://www.instagram.com/kimjlodro\""));
        assert!(html.contains("188/KIM-Jlodro-Maju/KPTS/2024") && html.contains("Bupati Tuban") && html.contains("15-01-2024"));
        assert!(html.contains("Tanpa batas waktu"));
        let officers = html.split("<h2>Pengurus</h2>").nth(1).unwrap();
        let ketua_at = officers.find("Ketua").unwrap();
        let sekretaris_at = officers.find("Sekretaris").unwrap();
        let seksi_at = officers.find("Seksi").unwrap();
        assert!(ketua_at < sekretaris_at && sekretaris_at < seksi_at, "officers by position");
        assert!(officers.contains("Bu Sri") && officers.contains("Pak Darto") && officers.contains("Mas Yudi") && officers.contains("Mbak Rina"));
        assert!(!officers.contains("Warga Satu"), "plain members are counted, not named");
        assert!(html.contains("href=\"tel:+6281333334444\">0813-3333-4444</a>"), "a consented phone is shown");
        for hidden in ["6281555556666", "0815-5555-6666", "6281777778888", "0817-7777-8888"] {
            assert!(!html.contains(hidden), "{hidden} was never consented to");
        }
        assert!(html.contains("5 anggota"));
        assert!(html.contains("href=\"/wilayah/35.23.01/kim\">KIM lain di Kecamatan Kenduruan</a>"), "other KIMs of the district");
        assert!(!html.contains("Petugas Tuban"), "nothing about the logged-in visitor (the verifier)");
        assert_eq!(app.get(&format!("/kim/{id}")).await.headers()["cache-control"], "public, max-age=60");

        let (status, body) = app.get_json(&format!("/api/v1/kims/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(body["id"], id.to_string());
        assert_eq!(body["url"], format!("http://127.0.0.1/kim/{id}"));
        assert_eq!(body["status"], "aktif");
        assert_eq!(body["verified"], true);
        assert_eq!(body["sk_validity"], "valid");
        assert_eq!(body["sk"]["number"], "188/KIM-Jlodro-Maju/KPTS/2024");
        assert_eq!(body["sk"]["date"], "2024-01-15");
        assert!(body["sk"]["expires"].is_null());
        assert_eq!(body["member_count"], 5);
        assert_eq!(body["village"]["code"], "35.23.01.2001");
        assert_eq!(body["village"]["name"], "Jlodro");
        assert_eq!(body["village"]["url"], "http://127.0.0.1/wilayah/35.23.01.2001");
        assert_eq!(body["channels"]["whatsapp"], "+6281211112222");
        assert_eq!(body["channels"]["whatsapp_url"], "https://wa.me/6281211112222");
        let officers = body["officers"].as_array().unwrap();
        assert_eq!(officers.len(), 4);
        assert_eq!(officers[0]["position"], "ketua");
        assert_eq!(officers[0]["phone"], "+6281333334444");
        assert_eq!(officers[1]["position"], "sekretaris");
        assert!(officers[1]["phone"].is_null(), "no consent, no phone");
        assert!(!body.to_string().contains("6281555556666"));
    }

    async fn sk_badges_tell_valid_expiring_expired_and_missing(app) {
        let soon = today_in_jakarta().checked_add_days(Days::new(10)).unwrap().format("%Y-%m-%d").to_string();
        let ids = register_all(&app.db, vec![
            KimForm { sk_date: "2019-01-02".into(), ..kim_form("KIM A Lama", "35.23.01.2001", "2020-12-31") },
            kim_form("KIM B Segera", "35.23.01.2002", &soon),
            kim_form("KIM C Berlaku", "35.23.01.2003", "2099-12-31"),
            KimForm { status: "dibentuk".into(), sk_number: String::new(), sk_issuer: String::new(), sk_date: String::new(), ..kim_form("KIM D Baru", "35.23.01.2004", "") },
        ]).await;
        let (_, html) = app.get_text("/wilayah/35.23.01/kim").await;
        let badges: Vec<&str> = html.split("<li class=\"card\">").skip(1).collect();
        assert!(badges[0].contains("<span class=\"badge bad\">SK kedaluwarsa</span>"), "{}", badges[0]);
        assert!(badges[1].contains("<span class=\"badge warn\">SK segera berakhir</span>"));
        assert!(badges[2].contains("<span class=\"badge ok\">SK berlaku</span>"));
        assert!(badges[3].contains("SK belum tercatat") && badges[3].contains("Dibentuk"));
        let (_, profile) = app.get_text(&format!("/kim/{}", ids[0])).await;
        assert!(profile.contains("<span class=\"badge bad\">SK kedaluwarsa</span>") && profile.contains("31-12-2020"));
        let (_, body) = app.get_json(&format!("/api/v1/kims/{}", ids[0])).await;
        assert_eq!(body["sk_validity"], "expired");
        assert_eq!(body["sk"]["expires"], "2020-12-31");
        let (_, body) = app.get_json(&format!("/api/v1/kims/{}", ids[3])).await;
        assert_eq!(body["sk_validity"], "missing");
        assert!(body["sk"].is_null());
    }

    async fn unknown_and_malformed_kim_ids_are_404(app) {
        let (status, html) = app.get_text(&format!("/kim/{}", OrgId::generate())).await;
        assert_eq!(status, 404);
        assert!(html.contains("Halaman tidak ditemukan"));
        assert_eq!(app.get("/kim/bukan-uuid").await.status(), 404);
        assert_eq!(app.get("/kim/35.23").await.status(), 404);
        let (status, body) = app.get_json("/api/v1/kims/bukan-uuid").await;
        assert_eq!(status, 404);
        assert_eq!(body["error"]["code"], "not_found");
        let (status, _) = app.get_json(&format!("/api/v1/kims/{}", OrgId::generate())).await;
        assert_eq!(status, 404);
    }

    async fn english_pages_live_under_en(app) {
        let id = register(&app.db, KimForm { status: "aktif".into(), ..kim_form("KIM Jlodro Maju", "35.23.01.2001", "") }).await;
        add_member(&app.db, id, "Bu Sri", "ketua", "").await;
        let (status, html) = app.get_text(&format!("/en/kim/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains(">Active</span>") && html.contains("Chair") && html.contains("1 member"));
        assert!(html.contains("href=\"/en/wilayah/35.23.01.2001\""), "links stay in English");
        assert!(html.contains(&format!("href=\"/kim/{id}\" hreflang=\"id\"")));
        let (_, list) = app.get_text("/en/kim").await;
        assert!(list.contains("<h1>KIMs in Jawa Timur</h1>") && list.contains("1 KIM<"));
        assert!(list.contains(&format!("href=\"/en/kim/{id}\"")));
        let (_, region) = app.get_text("/en/wilayah/35.23").await;
        assert!(region.contains("KIMs in this region") && region.contains("href=\"/en/wilayah/35.23/kim\""));
        let (status, html) = app.get_text("/en/kim?halaman=x").await;
        assert_eq!(status, 400);
        assert!(html.contains("The page number is not valid"));
    }

    async fn region_pages_count_their_kims_and_a_village_lists_its_own(app) {
        let ids = register_all(&app.db, vec![
            kim_form("KIM Jlodro Maju", "35.23.01.2001", ""),
            kim_form("KIM Jlodro Muda", "35.23.01.2001", ""),
            kim_form("KIM Sokogunung", "35.23.01.2002", ""),
        ]).await;
        let (_, regency) = app.get_text("/wilayah/35.23").await;
        assert!(regency.contains("KIM di wilayah ini") && regency.contains("3 KIM"));
        assert!(regency.contains("href=\"/wilayah/35.23/kim\""));
        assert!(regency.contains("href=\"/wilayah/35.23/organisasi\""));
        assert!(regency.contains("20 kecamatan"), "the districts are still listed");
        let (_, village) = app.get_text("/wilayah/35.23.01.2001").await;
        assert_eq!(names(&village), ["KIM Jlodro Maju", "KIM Jlodro Muda"]);
        assert!(village.contains(&format!("href=\"/kim/{}\"", ids[1])));
        assert!(!village.contains("KIM Sokogunung"));
        let (_, empty) = app.get_text("/wilayah/35.23.01.2003").await;
        assert!(empty.contains("0 KIM"));
        assert!(!empty.contains("href=\"/wilayah/35.23.01.2003/kim\""), "no link to an empty list");
        let (_, home) = app.get_text("/").await;
        assert!(home.contains("3 KIM"));
        assert_eq!(home.matches("href=\"/wilayah/35.").count(), 38, "still one link per regency/city");
    }

    async fn the_api_lists_kims_with_their_pages_and_cursors_walk_every_kim_once(app) {
        let mut forms: Vec<KimForm> = (1..=45).map(|i| kim_form(&format!("KIM {i:02}"), "35.23.01.2001", "")).collect();
        forms.push(kim_form("KIM Malang", "35.07.01.2001", ""));
        let ids = register_all(&app.db, forms).await;
        let (status, body) = app.get_json("/api/v1/kims?region=35.23&limit=20").await;
        assert_eq!(status, 200);
        let first = &body["items"][0];
        assert_eq!(first["id"], ids[0].to_string());
        assert_eq!(first["name"], "KIM 01");
        assert_eq!(first["url"], format!("http://127.0.0.1/kim/{}", ids[0]));
        assert_eq!(first["status"], "terdaftar");
        assert_eq!(first["verified"], false);
        assert_eq!(first["sk_validity"], "valid");
        assert_eq!(first["member_count"], 0);
        assert_eq!(first["village"]["url"], "http://127.0.0.1/wilayah/35.23.01.2001");

        let mut seen = Vec::new();
        let mut path = "/api/v1/kims?region=35.23&limit=20".to_owned();
        let mut pages = 0;
        loop {
            let (status, body) = app.get_json(&path).await;
            assert_eq!(status, 200, "{path}");
            pages += 1;
            seen.extend(body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()));
            match body["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/kims?region=35.23&limit=20&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(seen.len(), 45);
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 45, "no KIM twice");
        assert!(!seen.contains(&ids[45].to_string()), "Malang is not in Tuban");

        let (_, body) = app.get_json("/api/v1/kims").await;
        assert_eq!(body["items"].as_array().unwrap().len(), 20, "the province by default, 20 a page");
        let (_, body) = app.get_json("/api/v1/kims?region=35.07").await;
        assert_eq!(body["items"].as_array().unwrap().len(), 1);
        assert!(body["next_cursor"].is_null());
        let (_, body) = app.get_json("/api/v1/kims?region=35.23&status=aktif").await;
        assert!(body["items"].as_array().unwrap().is_empty());
    }

    async fn api_list_errors_have_stable_codes(app) {
        let cases = [
            ("/api/v1/kims?cursor=abc", "invalid_cursor", "cursor"),
            ("/api/v1/kims?cursor=MjA", "invalid_cursor", "cursor"),
            ("/api/v1/kims?limit=0", "invalid_limit", "limit"),
            ("/api/v1/kims?limit=banyak", "invalid_limit", "limit"),
            ("/api/v1/kims?region=35-23", "malformed_region_code", "region"),
            ("/api/v1/kims?region=35.99", "unknown_region", "region"),
            ("/api/v1/kims?status=hidup", "invalid_choice", "status"),
        ];
        for (path, code, field) in cases {
            let (status, body) = app.get_json(path).await;
            assert_eq!(status, 400, "{path}");
            assert_eq!(body["error"]["code"], code, "{path}");
            assert_eq!(body["error"]["field"], field, "{path}");
            assert!(!body["error"]["message"].as_str().unwrap().is_empty());
        }
    }

    async fn the_openapi_document_describes_the_kim_and_organisation_api(app) {
        let (status, doc) = app.get_json("/api/v1/openapi.json").await;
        assert_eq!(status, 200);
        for path in ["/api/v1/kims", "/api/v1/kims/{id}", "/api/v1/organisations", "/api/v1/organisations/{id}"] {
            assert!(doc["paths"][path]["get"].is_object(), "{path} documented");
        }
        for schema in ["Kim", "KimSummary", "KimList", "Organisation", "OrganisationSummary", "OrganisationList", "RegionRef"] {
            assert!(doc["components"]["schemas"][schema].is_object(), "{schema} documented");
        }
    }
}
