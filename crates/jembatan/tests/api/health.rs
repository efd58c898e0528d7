//! Operational endpoints.

use crate::http_tests;

http_tests! {
    async fn health_ready_and_metrics_answer(app) {
        assert_eq!(app.get_text("/healthz").await, (200, "ok".to_owned()));
        assert_eq!(app.get_text("/readyz").await, (200, "ready".to_owned()));
        app.get("/wilayah/35").await;
        let (status, metrics) = app.get_text("/metrics").await;
        assert_eq!(status, 200);
        assert!(metrics.contains("jembatan_http_requests_total{method=\"GET\",route=\"/wilayah/{code}\",status=\"200\"} 1"), "{metrics}");
    }

    async fn readiness_fails_when_the_database_is_gone(app) {
        app.db.close().await;
        let (status, _) = app.get_text("/readyz").await;
        assert_eq!(status, 503);
    }
}
