//! Public pages are cached as bytes with an ETag and answer conditional GETs.

use crate::http_tests;

http_tests! {
    async fn public_pages_answer_conditional_gets(app) {
        let first = app.get("/wilayah/35.23").await;
        assert_eq!(first.status(), 200);
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        let body = first.text().await.unwrap();
        let again = app.get("/wilayah/35.23").await;
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert_eq!(again.text().await.unwrap(), body, "the same bytes");
        let revalidated = app.client.get(app.url("/wilayah/35.23")).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(revalidated.status(), 304);
        assert!(revalidated.text().await.unwrap().is_empty());
        let english = app.get("/en/wilayah/35.23").await;
        assert_ne!(english.headers()["etag"].to_str().unwrap(), etag, "each locale is its own page");

        // Gzip is another representation: its own ETag, compressed once.
        let gzip = |etag: Option<&str>| {
            let request = app.client.get(app.url("/wilayah/35.23")).header("accept-encoding", "br;q=0, gzip");
            match etag {
                Some(etag) => request.header("if-none-match", etag),
                None => request,
            }
        };
        let zipped = gzip(None).send().await.unwrap();
        assert_eq!(zipped.status(), 200);
        assert_eq!(zipped.headers()["content-encoding"], "gzip");
        assert_eq!(zipped.headers()["vary"], "accept-encoding");
        assert!(zipped.headers().contains_key("content-security-policy") && zipped.headers().contains_key("x-request-id"));
        let gz_etag = zipped.headers()["etag"].to_str().unwrap().to_owned();
        assert_ne!(gz_etag, etag);
        let bytes = zipped.bytes().await.unwrap();
        let mut unzipped = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut unzipped).unwrap();
        assert_eq!(unzipped, body, "the same page");
        assert_eq!(gzip(Some(&gz_etag)).send().await.unwrap().status(), 304);
        assert_eq!(gzip(Some(&etag)).send().await.unwrap().status(), 200, "the plain ETag names the plain bytes");
        let refused = app.client.get(app.url("/wilayah/35.23")).header("accept-encoding", "gzip;q=0").send().await.unwrap();
        assert!(refused.headers().get("content-encoding").is_none(), "q=0 refuses gzip");
        let (_, metrics) = app.get_text("/metrics").await;
        let hits: f64 = metrics
            .lines()
            .find_map(|line| line.strip_prefix("jembatan_page_cache_hits_total "))
            .expect("the page cache's hits are in the metrics")
            .parse()
            .unwrap();
        assert!(hits >= 4.0, "hits before routing are counted: {hits}");
    }

    async fn a_new_image_leaves_cached_pages_in_place(app) {
        async fn hits(app: &crate::helpers::TestApp) -> f64 {
            let (_, metrics) = app.get_text("/metrics").await;
            metrics.lines().find_map(|l| l.strip_prefix("jembatan_page_cache_hits_total ")).unwrap().parse().unwrap()
        }
        // Until it is answered from the cache once, it may not be kept yet
        // (a page rendered while the cache caught up is not stored).
        let mut tries = 0;
        loop {
            let before = hits(&app).await;
            assert_eq!(app.get("/wilayah/35.23").await.status(), 200);
            if hits(&app).await > before {
                break;
            }
            tries += 1;
            assert!(tries < 10, "the page is never answered from the cache");
        }
        let before = hits(&app).await;
        // An upload records a media change; no public page shows the image
        // until an item does, and that item's change drops its pages.
        crate::content_support::image(&app, 800, 600, &[320]).await;
        assert_eq!(app.get("/wilayah/35.23").await.status(), 200);
        assert_eq!(hits(&app).await, before + 1.0, "the page was still cached after the upload");
    }

    async fn personal_pages_are_never_cached(app) {
        app.register("Yanti").await;
        let response = app.get("/akun").await;
        assert!(response.headers().get("etag").is_none());
        app.log_out().await;
        assert_eq!(app.get("/akun").await.status(), 303, "no cached copy of someone's account page");
    }
}

mod invalidation {
    use jembatan_domain::kim::KimForm;
    use jembatan_store::kims;

    use crate::http_tests;

    http_tests! {
        async fn a_change_drops_exactly_the_pages_that_show_it(app) {
            let form = KimForm { name: "KIM Lama".into(), village: "35.23.01.2001".into(), ..KimForm::default() };
            let new = form.validate().unwrap();
            let kim = app.db.write(move |tx| Box::pin(async move { kims::register(tx, &new, None).await })).await.unwrap();
            let id = kim.id();
            let profile = format!("/kim/{id}");
            let (_, html) = app.get_text(&profile).await;
            assert!(html.contains("KIM Lama"));
            let tuban = app.get("/wilayah/35.23/kim").await.headers()["etag"].clone();
            let malang = app.get("/wilayah/35.07/kim").await.headers()["etag"].clone();

            let mut details = kim.details();
            details.name = "KIM Baru".into();
            let version = kim.org.version;
            app.db.write(move |tx| Box::pin(async move { kims::update(tx, id, version, &details, None).await })).await.unwrap();

            let (_, html) = app.get_text(&profile).await;
            assert!(html.contains("KIM Baru"), "read-your-writes: the profile is re-rendered at once");
            let (_, list) = app.get_text("/wilayah/35.23/kim").await;
            assert!(list.contains("KIM Baru"), "the regency's list shows the new name");
            assert_ne!(app.get("/wilayah/35.23/kim").await.headers()["etag"], tuban);
            assert_eq!(app.get("/wilayah/35.07/kim").await.headers()["etag"], malang, "Malang's list was not touched");
        }
    }
}
