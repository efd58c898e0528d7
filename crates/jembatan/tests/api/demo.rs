//! The demo data: loaded into an empty database only, the same every time,
//! in real villages of the four demo regencies, with working logins.

use jembatan::commands::demo;
use jembatan_domain::RegionCode;
use jembatan_domain::content::{ContentStatus, ContentType};
use jembatan_store::content::{self, ContentFilter, ContentSummary};
use jembatan_store::kims::{self, KimFilter};
use jembatan_store::testing::TestDatabase;
use jembatan_store::{Backend, accounts};

use crate::http_tests;

async fn kim_names(db: &jembatan_store::Db) -> Vec<(String, String)> {
    let filter = KimFilter { within: RegionCode::parse("35").unwrap(), status: None };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    kims::list(db, &filter, today, 100, 0).await.unwrap().into_iter().map(|k| (k.name, k.village.to_string())).collect()
}

/// Every published item, newest first.
async fn published(db: &jembatan_store::Db) -> Vec<ContentSummary> {
    let mut all = Vec::new();
    let mut after = None;
    loop {
        let page = content::list(db, &ContentFilter::default(), after, 100).await.unwrap();
        all.extend(page.items);
        match page.next {
            Some(next) => after = Some(next),
            None => return all,
        }
    }
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

        // Published content of the KIMs and agencies, of every type, some corrected.
        let items = published(&app.db).await;
        assert!(items.len() >= 30, "a few dozen items: {}", items.len());
        assert!(items.iter().all(|i| i.status == ContentStatus::Published));
        for kind in [ContentType::Berita, ContentType::Pengumuman, ContentType::Kebijakan, ContentType::Agenda, ContentType::Produk] {
            assert!(items.iter().any(|i| i.kind == kind), "a {kind:?} item");
        }
        let org_kinds: std::collections::HashSet<_> = items.iter().map(|i| i.org.kind).collect();
        assert_eq!(org_kinds.len(), 3, "KIMs, agencies and Diskominfo offices publish: {org_kinds:?}");
        let now = jembatan_domain::Timestamp::now();
        let upcoming = items.iter().filter(|i| i.starts_at.is_some_and(|t| t > now)).count();
        assert!(upcoming >= 3, "agenda items in the coming weeks: {upcoming}");
        let mut corrected = 0;
        for item in &items {
            let full = content::get(&app.db, item.id).await.unwrap().unwrap();
            assert!(!full.topics.is_empty() && !full.regions.is_empty());
            if full.kind == ContentType::Produk {
                assert!(full.product.is_some(), "{} has a price and a contact", full.title);
            }
            corrected += usize::from(!full.corrections.is_empty());
        }
        assert!(corrected >= 2, "corrections shown: {corrected}");
        // A village page lists its KIM's items with those of the regency above it.
        let village = RegionCode::parse(&kims[0].1).unwrap();
        let filter = ContentFilter { region: Some(content::RegionFilter::Around(village)), ..ContentFilter::default() };
        let page = content::list(&app.db, &filter, None, 100).await.unwrap();
        assert!(page.items.len() >= 3, "{} items on {}", page.items.len(), kims[0].1);
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
    let titles = |items: Vec<ContentSummary>| {
        let mut titles: Vec<String> = items.into_iter().map(|i| i.title).collect();
        titles.sort();
        titles
    };
    assert_eq!(titles(published(&a).await), titles(published(&b).await));
}
