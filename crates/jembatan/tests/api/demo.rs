//! The demo data: loaded into an empty database only, the same every time,
//! in real villages of the four demo regencies, with working logins.

use jembatan::commands::demo;
use jembatan_domain::RegionCode;
use jembatan_store::kims::{self, KimFilter};
use jembatan_store::testing::TestDatabase;
use jembatan_store::{Backend, accounts};

use crate::http_tests;

async fn kim_names(db: &jembatan_store::Db) -> Vec<(String, String)> {
    let filter = KimFilter { within: RegionCode::parse("35").unwrap(), status: None };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    kims::list(db, &filter, today, 100, 0).await.unwrap().into_iter().map(|k| (k.name, k.village.to_string())).collect()
}

http_tests! {
    async fn demo_data_loads_once_and_its_logins_work(app) {
        let logins = demo::ensure_loaded(&app.db).await.unwrap();
        let users = accounts::count_users(&app.db).await.unwrap();
        demo::ensure_loaded(&app.db).await.unwrap();
        assert_eq!(accounts::count_users(&app.db).await.unwrap(), users, "a second run adds nothing");

        let kims = kim_names(&app.db).await;
        assert_eq!(kims.len(), 12, "a dozen KIMs");
        for regency in ["35.23.", "35.07.", "35.78.", "35.29."] {
            assert!(kims.iter().any(|(_, village)| village.starts_with(regency)), "a KIM in {regency}");
        }
        for (_, village) in &kims {
            let (status, _) = app.get_text(&format!("/wilayah/{village}")).await;
            assert_eq!(status, 200, "{village} is a real village");
        }
        for login in &logins {
            let response = app.log_in(&login.login, demo::DEMO_PASSWORD).await;
            assert_eq!(response.status(), 303, "{} can log in", login.login);
            app.log_out().await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_is_the_same_every_time() {
    let a = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let b = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let (a, b) = (a.connect().await.unwrap(), b.connect().await.unwrap());
    demo::ensure_loaded(&a).await.unwrap();
    demo::ensure_loaded(&b).await.unwrap();
    assert_eq!(kim_names(&a).await, kim_names(&b).await);
}
