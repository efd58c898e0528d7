//! Contract tests of the audit log and notifications, on SQLite and
//! PostgreSQL alike: append-only storage, scoped newest-first pages, entries
//! that share their write's fate, and a user's notifications.

use jembatan_domain::{RegionCode, UserId};
use jembatan_store::audit::{self, AuditEntry, action};
use jembatan_store::notifications::{self, NewNotification};
use jembatan_store::{Backend, Db, StoreError, contract_tests, exec};
use serde_json::json;

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

/// An account row, as the accounts module would leave it.
async fn user(db: &Db, name: &str) -> UserId {
    let id = UserId::generate();
    let name = name.to_owned();
    db.write(move |tx| {
        Box::pin(async move {
            exec!(
                tx,
                sqlx::query("INSERT INTO users (id, name, created_at, updated_at) VALUES ($1, $2, 0, 0)")
                    .bind(id.to_string())
                    .bind(name)
            )?;
            Ok(())
        })
    })
    .await
    .unwrap();
    id
}

fn entry(region: &str, target: &str) -> AuditEntry {
    AuditEntry {
        actor: None,
        action: action::KIM_VERIFY,
        target_kind: "organisation",
        target_id: target.to_owned(),
        scope_region: code(region),
        before: Some(json!({ "verified": false })),
        after: Some(json!({ "verified": true })),
    }
}

async fn append(db: &Db, entry: AuditEntry) {
    db.write(move |tx| Box::pin(async move { audit::append(tx, &entry).await })).await.unwrap();
}

/// Runs one statement in a write of its own.
async fn run(db: &Db, sql: &'static str) -> Result<u64, StoreError> {
    db.write(move |tx| Box::pin(async move { Ok(exec!(tx, sqlx::query(sql))?) })).await
}

contract_tests! {
    async fn the_audit_log_is_append_only(db) {
        append(&db, entry("35.23.01.2001", "kim-1")).await;
        let update = run(&db, "UPDATE audit_log SET action = 'kim.unverify'").await;
        assert!(update.is_err_and(|e| e.to_string().contains("append-only")), "UPDATE must fail");
        let delete = run(&db, "DELETE FROM audit_log").await;
        assert!(delete.is_err_and(|e| e.to_string().contains("append-only")), "DELETE must fail");
        if db.backend() == Backend::Postgres {
            assert!(run(&db, "TRUNCATE audit_log").await.is_err(), "TRUNCATE must fail");
        }
        let kept = audit::list(&db, &code("35"), None, 10).await.unwrap().entries;
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].action, "kim.verify");
        assert_eq!(kept[0].after, Some(json!({ "verified": true })));
    }

    async fn entries_are_listed_within_their_region_newest_first_in_pages(db) {
        let actor = user(&db, "Admin").await;
        append(&db, entry("35.23.01.2001", "jlodro")).await;
        append(&db, entry("35.07.01.2001", "tulungrejo")).await;
        append(&db, AuditEntry { actor: Some(actor), ..entry("35.23", "tuban") }).await;
        append(&db, entry("35", "jatim")).await;
        append(&db, entry("35.23.02.2001", "kebonharjo")).await;

        let targets = |page: &audit::AuditPage| page.entries.iter().map(|e| e.target_id.clone()).collect::<Vec<_>>();
        let tuban = audit::list(&db, &code("35.23"), None, 50).await.unwrap();
        assert_eq!(targets(&tuban), ["kebonharjo", "tuban", "jlodro"], "newest first, Malang and the province left out");
        assert_eq!(tuban.next, None);
        assert_eq!(tuban.entries[1].actor, Some(actor));
        assert!(tuban.entries.windows(2).all(|w| w[0].at >= w[1].at));

        let first = audit::list(&db, &code("35"), None, 2).await.unwrap();
        assert_eq!(targets(&first), ["kebonharjo", "jatim"]);
        let second = audit::list(&db, &code("35"), first.next, 2).await.unwrap();
        assert_eq!(targets(&second), ["tuban", "tulungrejo"]);
        let last = audit::list(&db, &code("35"), second.next, 2).await.unwrap();
        assert_eq!((targets(&last), last.next), (vec!["jlodro".to_owned()], None));
        assert!(audit::list(&db, &code("35.78"), None, 10).await.unwrap().entries.is_empty());
        assert_eq!(audit::list(&db, &code("35.23.01"), None, 10).await.unwrap().entries.len(), 1);
    }

    async fn an_entry_shares_the_fate_of_its_write(db) {
        let outcome: Result<(), StoreError> = db
            .write(|tx| Box::pin(async move {
                audit::append(tx, &entry("35.23", "rolled-back")).await?;
                Err(StoreError::Conflict("planned"))
            }))
            .await;
        assert!(outcome.is_err());
        assert!(audit::for_target(&db, "organisation", "rolled-back").await.unwrap().is_empty());
    }

    async fn notifications_are_listed_unread_first_and_read_by_their_owner_only(db) {
        let siti = user(&db, "Siti").await;
        let budi = user(&db, "Budi").await;
        let mut ids = Vec::new();
        for i in 0..3 {
            let new = NewNotification {
                user: siti,
                kind: notifications::kind::KIM_SK_EXPIRING,
                subject_id: Some(format!("kim-{i}")),
                params: json!({ "kim_name": format!("KIM {i}") }),
                link: Some(format!("/kim/{i}")),
            };
            ids.push(db.write(move |tx| Box::pin(async move { notifications::create(tx, &new).await })).await.unwrap());
        }
        assert_eq!(notifications::count_unread(&db, siti).await.unwrap(), 3);
        notifications::mark_read(&db, siti, ids[2]).await.unwrap();
        notifications::mark_read(&db, siti, ids[2]).await.unwrap();
        assert!(matches!(notifications::mark_read(&db, budi, ids[0]).await, Err(StoreError::NotFound)), "not Budi's");
        assert_eq!(notifications::count_unread(&db, siti).await.unwrap(), 2);

        let listed = notifications::list_for_user(&db, siti, 10).await.unwrap();
        let order: Vec<(String, bool)> =
            listed.iter().map(|n| (n.subject_id.clone().unwrap(), n.read_at.is_some())).collect();
        assert_eq!(
            order,
            [("kim-1".to_owned(), false), ("kim-0".to_owned(), false), ("kim-2".to_owned(), true)],
            "unread first, newest first"
        );
        assert_eq!(listed[0].params["kim_name"], "KIM 1");
        assert_eq!(listed[0].link.as_deref(), Some("/kim/1"));
        assert!(notifications::list_for_user(&db, budi, 10).await.unwrap().is_empty());
        assert_eq!(notifications::mark_all_read(&db, siti).await.unwrap(), 2);
        assert_eq!(notifications::count_unread(&db, siti).await.unwrap(), 0);
    }
}
