//! Scheduled work: the daily SK expiry scan flags a lapsed SK to the KIM's
//! managers and its regency's officers, once.

use jembatan::schedule;
use jembatan_domain::Timestamp;
use jembatan_domain::kim::KimForm;
use jembatan_store::kims;

use crate::helpers::TestApp;
use crate::http_tests;

/// Registers a KIM in a Tuban village whose SK expired on 2026-01-31.
async fn kim_with_expired_sk(app: &TestApp) -> String {
    let form = KimForm {
        name: "KIM Sumber Makmur".into(),
        village: "35.23.01.2001".into(),
        status: "aktif".into(),
        sk_number: "188/45/KPTS/414.012/2023".into(),
        sk_issuer: "Bupati Tuban".into(),
        sk_date: "2023-02-01".into(),
        sk_expires: "2026-01-31".into(),
        ..KimForm::default()
    };
    let new = form.validate().expect("a valid KIM");
    let kim = app.db.write(move |tx| Box::pin(async move { kims::register(tx, &new, None).await })).await.unwrap();
    kim.id().to_string()
}

http_tests! {
    async fn an_expired_sk_is_flagged_once_to_the_kim_and_its_regency_officer(app) {
        let kim = kim_with_expired_sk(&app).await;
        let officer = app.register("Petugas Tuban").await;
        app.grant(&officer.email, "regency_officer", "35.23").await;
        let manager = app.register("Ketua KIM").await;
        app.grant(&manager.email, "kim_manager", &kim).await;
        let outsider = app.register("Petugas Malang").await;
        app.grant(&outsider.email, "regency_officer", "35.07").await;

        let today = chrono::NaiveDate::from_ymd_opt(2026, 2, 2).unwrap();
        let first = schedule::tick(&app.db, today, Timestamp::now()).await.unwrap();
        assert!(first.scan_enqueued);
        assert!(!schedule::tick(&app.db, today, Timestamp::now()).await.unwrap().scan_enqueued, "once a day");
        assert_eq!(app.run_jobs().await, 1);

        for (who, expected) in [(&officer, true), (&manager, true), (&outsider, false)] {
            app.log_out().await;
            assert_eq!(app.log_in(&who.email, &who.password).await.status(), 303);
            let (_, html) = app.get_text("/akun").await;
            let flagged = html.contains("SK KIM Sumber Makmur sudah berakhir pada 2026-01-31");
            assert_eq!(flagged, expected, "{}: {html}", who.name);
        }

        let next_day = today.succ_opt().unwrap();
        assert!(schedule::tick(&app.db, next_day, Timestamp::now()).await.unwrap().scan_enqueued);
        app.run_jobs().await;
        let (_, html) = app.get_text("/akun").await;
        assert_eq!(html.matches("sudah berakhir").count(), 0, "the outsider still sees nothing");
        app.log_out().await;
        app.log_in(&officer.email, &officer.password).await;
        let (_, html) = app.get_text("/akun").await;
        assert_eq!(html.matches("sudah berakhir pada").count(), 1, "alerted once per expiry date");
    }
}
