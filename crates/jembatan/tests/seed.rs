//! `jembatan seed`: deterministic Indonesian items for benchmarks, spread
//! over the demo publishers, written in batches. On SQLite and PostgreSQL.

use std::collections::HashSet;

use jembatan::commands::demo;
use jembatan::commands::seed::{self, Plan};
use jembatan::commands::seed_reports::{self, ReportPlan};
use jembatan_domain::RegionCode;
use jembatan_domain::account::RegistrationForm;
use jembatan_domain::aspiration::ReportStatus;
use jembatan_domain::authz::ReportQueueScope;
use jembatan_domain::content::{ContentStatus, ImportKey};
use jembatan_store::aspirations::{self, QueueFilter};
use jembatan_store::content::{self, ContentFilter};
use jembatan_store::testing::TestDatabase;
use jembatan_store::{Backend, Db, accounts, contract_tests};

async fn seeded(db: &Db, items: u64, seed_value: u64, batch: usize) -> seed::SeedReport {
    let plan = Plan::load(db, seed::publishers(db).await.unwrap()).await.unwrap();
    seed::seed(db, &plan, items, seed_value, batch, &mut |_| {}).await.unwrap()
}

async fn seeded_items(db: &Db, items: u64, seed_value: u64) -> Vec<content::Content> {
    let mut found = Vec::new();
    for index in 0..items {
        let key = ImportKey::new(&format!("seed:{seed_value}"), &index.to_string()).unwrap();
        let id = content::find_import(db, &key).await.unwrap().expect("seeded");
        found.push(content::get(db, id).await.unwrap().unwrap());
    }
    found
}

async fn titles(db: &Db, items: u64, seed_value: u64) -> Vec<String> {
    seeded_items(db, items, seed_value).await.into_iter().map(|c| c.title).collect()
}

async fn published(db: &Db) -> Vec<content::ContentSummary> {
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

contract_tests! {
    async fn seeding_publishes_spread_items_in_batches_once(db) {
        demo::ensure_loaded(&db).await.unwrap();
        let before = published(&db).await.len();
        let report = seeded(&db, 300, 42, 64).await;
        assert_eq!((report.created, report.existing), (300, 0));
        println!("seeded 300 items on {:?}: {:.0} items/s", db.backend(), report.rate());
        let again = seeded(&db, 300, 42, 100).await;
        assert_eq!((again.created, again.existing), (0, 300), "the same seed adds nothing");

        assert_eq!(published(&db).await.len(), before + 300, "all published");
        let items = seeded_items(&db, 300, 42).await;
        assert!(items.iter().all(|i| i.status == ContentStatus::Published));
        let kinds: HashSet<_> = items.iter().map(|i| i.kind).collect();
        let orgs: HashSet<_> = items.iter().map(|i| i.org.id).collect();
        let topics: HashSet<_> = items.iter().flat_map(|i| i.topics.clone()).collect();
        assert_eq!(kinds.len(), 5, "every type");
        assert!(orgs.len() >= 10, "spread across publishers: {}", orgs.len());
        assert!(topics.len() >= 10, "spread across topics: {topics:?}");
        let now = jembatan_domain::Timestamp::now();
        let oldest = items.iter().filter_map(|i| i.published_at).min().unwrap();
        assert!(now.millis() - oldest.millis() > 300 * 86_400_000, "dates spread over two years");
        assert!(items.iter().all(|i| i.body.split("\n\n").count() >= 3), "several paragraphs");

        // Word forms of one root, for the stemmer to join.
        let joined = items.iter().map(|i| format!("{} {}", i.title, i.body)).collect::<Vec<_>>().join(" ").to_lowercase();
        let forms = ["pembangunan", "membangun", "dibangun", "penanaman", "menanam", "penyaluran", "menyalurkan"];
        let missing: Vec<_> = forms.iter().filter(|f| !joined.contains(*f)).collect();
        assert!(missing.is_empty(), "affixed forms missing: {missing:?}");
    }

    async fn seeding_reports_spreads_worked_cases_once(db) {
        demo::ensure_loaded(&db).await.unwrap();
        let plan = ReportPlan::load(&db).await.unwrap();
        let report = seed_reports::seed(&db, &plan, 400, 7, 64, &mut |_| {}).await.unwrap();
        assert_eq!((report.created, report.existing), (400, 0));
        println!("seeded 400 reports on {:?}: {:.0} reports/s", db.backend(), report.rate());
        let again = seed_reports::seed(&db, &plan, 400, 7, 150, &mut |_| {}).await.unwrap();
        assert_eq!((again.created, again.existing), (0, 400), "the same seed adds nothing");

        let mut reports = Vec::new();
        for index in 0..400 {
            let generated = seed_reports::generate(&plan, 7, index).unwrap();
            let stored = aspirations::by_tracking(&db, &generated.tracking).await.unwrap().expect("stored");
            assert_eq!(stored.title, generated.report.title, "report {index}");
            reports.push(stored);
        }
        let distinct = |f: &dyn Fn(&aspirations::Report) -> String| reports.iter().map(f).collect::<HashSet<_>>();
        let statuses = distinct(&|r| r.status.as_str().to_owned());
        for status in [ReportStatus::Baru, ReportStatus::Selesai, ReportStatus::Diarsipkan, ReportStatus::BukanWewenang] {
            assert!(statuses.contains(status.as_str()), "{status:?} among {statuses:?}");
        }
        assert_eq!(distinct(&|r| r.class.as_str().to_owned()).len(), 3, "every class");
        assert_eq!(distinct(&|r| r.mode.as_str().to_owned()).len(), 3, "every reporter mode");
        assert!(distinct(&|r| r.category.clone()).len() >= 10, "spread across categories");
        assert!(distinct(&|r| r.region.regency().map(String::from).unwrap_or_default()).len() >= 3, "several regencies");
        assert!(reports.iter().any(|r| r.rating.is_some()), "some answers rated");
        let settled = reports.iter().filter(|r| r.status.is_settled()).count();
        assert!(settled > 250, "old cases are settled: {settled} of 400");
        assert!(reports.iter().all(|r| r.status.is_settled() == r.due_at.is_none() || r.status == ReportStatus::Selesai));

        // Tuban's verifier finds the waiting ones in the queue, by deadline.
        let scope = ReportQueueScope { verifies_within: vec![RegionCode::parse("35.23").unwrap()], agencies: vec![] };
        let queue = aspirations::queue(&db, &scope, &QueueFilter::default(), 1).await.unwrap();
        assert!(!queue.is_empty(), "open cases wait in Tuban's queue");
        assert!(queue.windows(2).all(|w| w[0].due_at <= w[1].due_at), "by deadline");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_gives_the_same_titles() {
    let a = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let b = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let (a, b) = (a.connect().await.unwrap(), b.connect().await.unwrap());
    demo::ensure_loaded(&a).await.unwrap();
    demo::ensure_loaded(&b).await.unwrap();
    // Different batch sizes: an item depends only on the seed and its number.
    seeded(&a, 120, 7, 120).await;
    seeded(&b, 120, 7, 17).await;
    seeded(&b, 40, 8, 40).await;
    let (titles_a, titles_b) = (titles(&a, 120, 7).await, titles(&b, 120, 7).await);
    assert_eq!(titles_a, titles_b);
    let other = titles(&b, 40, 8).await;
    assert_ne!(other[..], titles_a[..40], "another seed, other items");
    let unique: HashSet<_> = titles_a.iter().collect();
    assert!(unique.len() > 110, "titles vary: {} distinct of 120", unique.len());
}

#[tokio::test]
async fn the_command_loads_the_demo_first_and_prints_its_speed() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let url = database.url.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_jembatan"))
            .args(["seed", "--items", "200", "--reports", "120", "--seed", "3", "--batch", "50"])
            .env("JEMBATAN_DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("demo data loaded first"), "{stdout}");
    let lines: Vec<&str> = stdout.lines().filter(|l| l.starts_with("seeded: ")).collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("seeded: 200 created, 0 already there in "), "{}", lines[0]);
    assert!(lines[0].ends_with(" items/s)"), "{}", lines[0]);
    assert!(lines[1].starts_with("seeded: 120 created, 0 already there in "), "{}", lines[1]);
    assert!(lines[1].ends_with(" reports/s)"), "{}", lines[1]);
    println!("{}", lines.join("\n"));
}

#[tokio::test]
async fn the_command_refuses_bad_options_naming_them() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    // An account, so the demo data is not loaded first.
    let db = database.connect().await.unwrap();
    let form = RegistrationForm {
        name: "Operator".into(),
        email: "operator@tuban.go.id".into(),
        phone: String::new(),
        password: "rahasia-sekali-2026".into(),
        password_confirm: "rahasia-sekali-2026".into(),
        consent: true,
    };
    accounts::create_user(&db, &form.validate().unwrap(), "test").await.unwrap();
    db.close().await;
    let url = database.url.clone();
    let outputs = tokio::task::spawn_blocking(move || {
        [
            (vec!["seed", "--items", "10", "--batch", "0"], "--batch must be at least 1", 1),
            // Usage errors exit with clap's code.
            (vec!["seed", "--seed", "3"], "<--items <ITEMS>|--reports <REPORTS>>", 2),
            (
                vec!["seed", "--items", "10", "--org", "KIM Yang Tidak Ada"],
                "--org \"KIM Yang Tidak Ada\": no organisation",
                1,
            ),
        ]
        .map(|(args, message, code)| {
            let output = std::process::Command::new(env!("CARGO_BIN_EXE_jembatan"))
                .args(&args)
                .env("JEMBATAN_DATABASE_URL", &url)
                .env("RUST_LOG", "warn")
                .output()
                .unwrap();
            (args.join(" "), message, code, output)
        })
    })
    .await
    .unwrap();
    for (args, message, code, output) in outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{args}: {stderr}");
        assert!(stderr.contains(message), "{args}: expected {message:?} in {stderr}");
        assert!(!String::from_utf8_lossy(&output.stdout).contains("demo data loaded"), "{args}");
    }
}
