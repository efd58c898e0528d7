//! The holiday calendar editor: the province admin adds, corrects and
//! removes holidays (audited), refused input keeps what was typed, nobody
//! else may, and a deadline set afterwards skips the new holiday.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use jembatan_domain::Timestamp;
use jembatan_domain::aspiration::TrackingNumber;
use jembatan_domain::calendar::wib_date;
use jembatan_store::{aspirations, audit, holidays};

use crate::admin_support::sign_up_as;
use crate::aspiration_support::{complaint, file};
use crate::http_tests;

/// The next working day after today that the embedded calendar leaves working.
fn a_working_day_soon(today: NaiveDate, taken: &[NaiveDate]) -> NaiveDate {
    let mut day = today + Duration::days(1);
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || taken.contains(&day) {
        day += Duration::days(1);
    }
    day
}

async fn due(app: &crate::helpers::TestApp, tracking: &str) -> Timestamp {
    let report = aspirations::by_tracking(&app.db, &TrackingNumber::parse(tracking).unwrap()).await.unwrap().unwrap();
    report.due_at.unwrap()
}

http_tests! {
    async fn the_province_admin_keeps_the_calendar_and_deadlines_follow_it(app) {
        let admin = sign_up_as(&app, "Admin Provinsi", "province_admin", "35").await;
        let (status, page) = admin.get_text("/admin/hari-libur?tahun=2026").await;
        assert_eq!(status, 200);
        assert!(page.contains("Hari Kemerdekaan Republik Indonesia") && page.contains("Senin, 17-08-2026"));

        // A day off decreed late: the next working day becomes a holiday.
        let today = wib_date(Timestamp::now());
        let taken: Vec<NaiveDate> =
            holidays::list_year(&app.db, today.year()).await.unwrap().into_iter().map(|h| h.date).collect();
        let day = a_working_day_soon(today, &taken);
        let date = day.format("%Y-%m-%d").to_string();
        let before = file(&app, &complaint()).await;
        let response =
            admin.post("/admin/hari-libur", &[("date", &date), ("kind", "cuti_bersama"), ("name", "Cuti bersama tambahan")]).await;
        assert_eq!(response.status(), 303);
        let (_, page) = admin.get_text(&format!("/admin/hari-libur?tahun={}&selesai=added", day.year())).await;
        assert!(page.contains("Cuti bersama tambahan") && page.contains("Hari libur tersimpan"));
        let after = file(&app, &complaint()).await;
        let (due_before, due_after) = (due(&app, &before).await, due(&app, &after).await);
        assert!(due_after > due_before, "a deadline set after the new holiday skips it");

        let audited = audit::for_target(&app.db, "holiday", &date).await.unwrap();
        assert_eq!(audited[0].action, "holiday.put");
        let response = admin.post(&format!("/admin/hari-libur/{date}/hapus"), &[]).await;
        assert_eq!(response.status(), 303);
        assert!(!holidays::list_year(&app.db, day.year()).await.unwrap().iter().any(|h| h.date == day));
        assert_eq!(audit::for_target(&app.db, "holiday", &date).await.unwrap()[0].action, "holiday.remove");
        assert_eq!(admin.post(&format!("/admin/hari-libur/{date}/hapus"), &[]).await.status(), 404);
    }

    async fn refused_holidays_keep_the_input_and_others_are_kept_out(app) {
        let admin = sign_up_as(&app, "Admin Provinsi", "province_admin", "35").await;
        let (status, page) = admin.post_text("/admin/hari-libur", &[("date", "2027-02-30"), ("kind", "libur_nasional"), ("name", "Hari Contoh")]).await;
        assert_eq!(status, 400);
        assert!(page.contains("value=\"Hari Contoh\"") && page.contains("value=\"2027-02-30\""));
        let (status, _) = admin.post_text("/admin/hari-libur", &[("date", "2027-03-01"), ("kind", "libur"), ("name", "")]).await;
        assert_eq!(status, 400);
        assert_eq!(admin.get("/admin/hari-libur?tahun=abad").await.status(), 400);
        let regency = sign_up_as(&app, "Petugas Tuban", "regency_officer", "35.23").await;
        assert_eq!(regency.get("/admin/hari-libur").await.status(), 403);
        assert_eq!(regency.post("/admin/hari-libur", &[("date", "2027-03-01"), ("kind", "libur_nasional"), ("name", "X")]).await.status(), 403);
        assert!(holidays::list_year(&app.db, 2027).await.unwrap().iter().all(|h| h.name != "X"));
    }
}
