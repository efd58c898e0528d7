//! Contract tests of in-person password resets with their audit entry, run
//! on SQLite and PostgreSQL alike.

use jembatan_domain::account::NewAccount;
use jembatan_domain::contact::{Email, LoginIdentifier};
use jembatan_domain::password::verify_password;
use jembatan_domain::{RegionCode, Timestamp, UserId, ValidationCode};
use jembatan_store::accounts::{self, User};
use jembatan_store::audit::{self, action};
use jembatan_store::{Db, StoreError, contract_tests, in_person};

const PASSWORD: &str = "kopi tubruk pagi";

async fn user(db: &Db, name: &str, email: &str) -> User {
    let account = NewAccount {
        name: name.into(),
        email: Some(Email::parse("email", email).unwrap()),
        phone: None,
        password: PASSWORD.into(),
    };
    accounts::create_user(db, &account, "2025-01").await.unwrap()
}

fn village() -> RegionCode {
    RegionCode::parse("35.23.01.2001").unwrap()
}

async fn entries(db: &Db) -> Vec<audit::AuditRecord> {
    audit::list(db, &RegionCode::parse("35").unwrap(), None, 50).await.unwrap().entries
}

contract_tests! {
    async fn an_audited_reset_sets_the_password_and_logs_it_together(db) {
        let officer = user(&db, "Pengurus", "pengurus@contoh.id").await;
        let member = user(&db, "Anggota", "anggota@contoh.id").await;
        let session = accounts::create_session(&db, member.id, 3600).await.unwrap();
        for _ in 0..3 {
            accounts::record_login_failure(&db, member.id, 3, 900).await.unwrap();
        }

        in_person::reset_password_in_person_audited(&db, officer.id, member.id, "sandi baru dari petugas", village())
            .await
            .unwrap();
        let identifier = LoginIdentifier::parse("login", "anggota@contoh.id").unwrap();
        let login = accounts::find_for_login(&db, &identifier).await.unwrap().unwrap();
        assert!(verify_password("sandi baru dari petugas", &login.password_hash));
        assert_eq!(login.user.reset_in_person_by, Some(officer.id));
        assert!(login.user.reset_in_person_at.is_some());
        assert!(!login.is_locked(Timestamp::now()), "the reset lifts the lock");
        assert!(accounts::session_user(&db, &session.token).await.unwrap().is_none(), "sessions end");

        let logged = entries(&db).await;
        assert_eq!(logged.len(), 1);
        let entry = &logged[0];
        assert_eq!(entry.action, action::PASSWORD_RESET_IN_PERSON);
        assert_eq!((entry.actor, entry.target_kind.as_str()), (Some(officer.id), "user"));
        assert_eq!((entry.target_id.clone(), entry.scope_region.clone()), (member.id.to_string(), village()));
        assert!(!entry.after.as_ref().unwrap().to_string().contains("sandi"), "no secret in the log");
    }

    async fn a_refused_reset_changes_nothing_and_logs_nothing(db) {
        let officer = user(&db, "Pengurus", "pengurus@contoh.id").await;
        let member = user(&db, "Anggota", "anggota@contoh.id").await;
        let weak = in_person::reset_password_in_person_audited(&db, officer.id, member.id, "pendek", village()).await;
        assert!(matches!(weak, Err(StoreError::Invalid(e)) if e.field == "password" && e.code == ValidationCode::WeakPassword));
        let unknown =
            in_person::reset_password_in_person_audited(&db, officer.id, UserId::generate(), "sandi baru dari petugas", village())
                .await;
        assert!(matches!(unknown, Err(StoreError::NotFound)));
        accounts::delete_account(&db, member.id).await.unwrap();
        let deleted =
            in_person::reset_password_in_person_audited(&db, officer.id, member.id, "sandi baru dari petugas", village()).await;
        assert!(matches!(deleted, Err(StoreError::NotFound)), "a deleted account cannot be revived");
        assert!(entries(&db).await.is_empty());
        let identifier = LoginIdentifier::parse("login", "pengurus@contoh.id").unwrap();
        assert!(accounts::find_for_login(&db, &identifier).await.unwrap().unwrap().user.reset_in_person_by.is_none());
    }
}
