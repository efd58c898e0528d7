//! What every page shares: headers, assets, compression, error pages.

use crate::http_tests;

http_tests! {
    async fn pages_carry_security_headers(app) {
        let response = app.get("/wilayah/35").await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin");
        assert!(headers.contains_key("x-request-id"));
        assert_eq!(headers["cache-control"], "public, max-age=60");
    }

    async fn stylesheet_is_fingerprinted_and_cached_long(app) {
        let (_, html) = app.get_text("/").await;
        let href = html.split("rel=\"stylesheet\" href=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        assert!(href.starts_with("/static/app.") && href.ends_with(".css"), "{href}");
        let response = app.get(&href).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(app.get("/static/app.css").await.status(), 404, "only fingerprinted names are served");
    }

    async fn responses_are_compressed_when_asked(app) {
        let response = app.client.get(app.url("/wilayah/35.23")).header("accept-encoding", "gzip").send().await.unwrap();
        assert_eq!(response.headers()["content-encoding"], "gzip");
    }

    async fn oversize_bodies_get_413_with_a_page(app) {
        let body = "x".repeat(2 * 1024 * 1024);
        let response = app.client.post(app.url("/wilayah/35")).body(body).send().await.unwrap();
        assert_eq!(response.status(), 413);
        assert!(response.text().await.unwrap().contains("Kiriman terlalu besar"));
    }

    async fn cross_site_posts_are_refused(app) {
        let response = app.client.post(app.url("/wilayah/35")).header("origin", "https://evil.example").body("").send().await.unwrap();
        assert_eq!(response.status(), 403);
        let response = app.client.post(app.url("/wilayah/35")).header("sec-fetch-site", "cross-site").body("").send().await.unwrap();
        assert_eq!(response.status(), 403);
    }

    async fn wrong_methods_get_a_405_page(app) {
        let response = app.client.delete(app.url("/wilayah/35")).header("sec-fetch-site", "same-origin").send().await.unwrap();
        assert_eq!(response.status(), 405);
        assert!(response.text().await.unwrap().contains("Metode tidak diizinkan"));
    }
}
