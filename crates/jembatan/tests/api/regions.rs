//! Region pages and the region API.

use crate::http_tests;

http_tests! {
    async fn the_home_page_lists_the_38_regencies_of_jawa_timur(app) {
        let (status, html) = app.get_text("/").await;
        assert_eq!(status, 200);
        assert!(html.contains("<h1>Jawa Timur</h1>"));
        assert_eq!(html.matches("href=\"/wilayah/35.").count(), 38, "one link per regency/city");
        assert!(html.contains("38 kabupaten/kota"));
    }

    async fn a_village_page_has_breadcrumbs_up_to_the_province(app) {
        let (status, html) = app.get_text("/wilayah/35.23.01.2001").await;
        assert_eq!(status, 200);
        let crumbs = html.split("<ol>").nth(1).unwrap().split("</ol>").next().unwrap();
        let order: Vec<usize> = ["/wilayah/35\"", "/wilayah/35.23\"", "/wilayah/35.23.01\""]
            .iter()
            .map(|href| crumbs.find(href).unwrap_or_else(|| panic!("{href} in {crumbs}")))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "province, regency, district in order");
        assert!(crumbs.contains("aria-current=\"page\""));
    }

    async fn a_district_lists_its_villages_and_a_regency_its_districts(app) {
        let (_, tuban) = app.get_text("/wilayah/35.23").await;
        assert!(tuban.contains("20 kecamatan"), "Tuban has 20 districts");
        let (_, kenduruan) = app.get_text("/wilayah/35.23.01").await;
        assert!(kenduruan.contains("href=\"/wilayah/35.23.01.2001\""));
    }

    async fn unknown_codes_are_404_and_malformed_codes_400_in_indonesian(app) {
        let (status, html) = app.get_text("/wilayah/35.99").await;
        assert_eq!(status, 404);
        assert!(html.contains("Halaman tidak ditemukan"));
        let (status, html) = app.get_text("/wilayah/35-23").await;
        assert_eq!(status, 400);
        assert!(html.contains("Kode wilayah tidak valid"));
    }

    async fn english_lives_under_en_with_a_visible_switch(app) {
        let (status, html) = app.get_text("/en/wilayah/35.23").await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"en\">"));
        assert!(html.contains("20 districts"));
        assert!(html.contains("href=\"/wilayah/35.23\" hreflang=\"id\""), "switch back to Indonesian");
        assert!(html.contains("href=\"/en/wilayah/35.23.01\""), "links stay in English");
        let (_, id) = app.get_text("/wilayah/35.23").await;
        assert!(id.contains("href=\"/en/wilayah/35.23\" hreflang=\"en\""));
    }

    async fn the_locale_never_follows_accept_language(app) {
        let html = app.client.get(app.url("/wilayah/35")).header("accept-language", "en-US,en;q=0.9").send().await.unwrap().text().await.unwrap();
        assert!(html.contains("<html lang=\"id\">"));
    }

    async fn region_search_finds_by_prefix_and_substring_case_insensitively(app) {
        let (status, body) = app.get_json("/api/v1/regions?q=tub").await;
        assert_eq!(status, 200);
        assert_eq!(body["items"][0]["code"], "35.23");
        assert_eq!(body["items"][0]["name"], "Kabupaten Tuban");
        assert_eq!(body["items"][0]["url"], "http://127.0.0.1/wilayah/35.23");
        assert!(body["next_cursor"].is_null());
        let (_, body) = app.get_json("/api/v1/regions?q=UBAN&within=35").await;
        let codes: Vec<&str> = body["items"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"35.23"), "substring match: {codes:?}");
        assert!(codes.iter().all(|c| c.starts_with("35")));
    }

    async fn a_region_in_the_api_carries_its_children(app) {
        let (status, body) = app.get_json("/api/v1/regions/35.23").await;
        assert_eq!(status, 200);
        assert_eq!(body["code"], "35.23");
        assert_eq!(body["level"], "regency");
        assert_eq!(body["parent_code"], "35");
        assert_eq!(body["children"].as_array().unwrap().len(), 20);
        assert_eq!(body["children"][0]["parent_code"], "35.23");
    }

    async fn api_errors_have_stable_codes(app) {
        let (status, body) = app.get_json("/api/v1/regions/35.99").await;
        assert_eq!(status, 404);
        assert_eq!(body["error"]["code"], "not_found");
        let (status, body) = app.get_json("/api/v1/regions/3523").await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["code"], "malformed_region_code");
        let (status, body) = app.get_json("/api/v1/regions?q=a&limit=1000").await;
        assert_eq!(status, 400);
        assert_eq!(body["error"]["field"], "limit");
        let (status, body) = app.get_json("/api/v1/nothing-here").await;
        assert_eq!(status, 404);
        assert_eq!(body["error"]["code"], "not_found");
    }
}
