//! Contract tests of accounts, run on SQLite and PostgreSQL alike:
//! registration, login throttling, sessions, password changes and resets,
//! API tokens, consents, export and deletion.

use jembatan_domain::account::NewAccount;
use jembatan_domain::contact::{Email, LoginIdentifier, PhoneNumber};
use jembatan_domain::password::verify_password;
use jembatan_domain::{Timestamp, UserId, ValidationCode};
use jembatan_store::accounts::{self, PASSWORD_RESET_EMAIL, PasswordResetEmail, TokenScope, User};
use jembatan_store::jobs;
use jembatan_store::{Db, StoreError, contract_tests, on_tx};

const NOTICE: &str = "2025-01";
const PASSWORD: &str = "kopi tubruk pagi";

fn account(name: &str, email: Option<&str>, phone: Option<&str>) -> NewAccount {
    NewAccount {
        name: name.into(),
        email: email.map(|e| Email::parse("email", e).unwrap()),
        phone: phone.map(|p| PhoneNumber::parse("phone", p).unwrap()),
        password: PASSWORD.into(),
    }
}

async fn siti(db: &Db) -> User {
    accounts::create_user(db, &account("Siti Aminah", Some("Siti@Contoh.co.id"), Some("0812-3456-7890")), NOTICE)
        .await
        .unwrap()
}

fn by_email(raw: &str) -> LoginIdentifier {
    LoginIdentifier::parse("login", raw).unwrap()
}

async fn password_hash(db: &Db, identifier: &str) -> String {
    accounts::find_for_login(db, &by_email(identifier)).await.unwrap().unwrap().password_hash
}

fn invalid_code(err: StoreError) -> (String, ValidationCode) {
    match err {
        StoreError::Invalid(e) => (e.field, e.code),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

contract_tests! {
    async fn registration_stores_the_account_its_consent_and_a_change(db) {
        let changes_before = jembatan_store::changes::count(&db).await.unwrap();
        let user = siti(&db).await;
        assert_eq!(user.name, "Siti Aminah");
        assert_eq!(user.email.as_ref().unwrap().as_str(), "Siti@contoh.co.id");
        assert_eq!(user.phone.as_ref().unwrap().as_str(), "+6281234567890");

        assert_eq!(accounts::get_user(&db, user.id).await.unwrap().unwrap(), user);
        assert!(accounts::get_user(&db, UserId::generate()).await.unwrap().is_none());

        for identifier in ["siti@contoh.co.id", "SITI@CONTOH.CO.ID", "+62 812 3456 7890", "081234567890"] {
            let found = accounts::find_for_login(&db, &by_email(identifier)).await.unwrap().expect(identifier);
            assert_eq!(found.user.id, user.id);
            assert!(verify_password(PASSWORD, &found.password_hash));
            assert!(!found.is_locked(Timestamp::now()));
        }
        assert!(accounts::find_for_login(&db, &by_email("budi@contoh.co.id")).await.unwrap().is_none());

        let consents = accounts::list_consents(&db, user.id).await.unwrap();
        assert_eq!(consents.len(), 1);
        assert_eq!((consents[0].purpose.as_str(), consents[0].notice_version.as_str()), ("account", NOTICE));
        assert!(jembatan_store::changes::count(&db).await.unwrap() > changes_before);
    }

    async fn an_email_or_phone_registered_in_another_form_conflicts(db) {
        siti(&db).await;
        let same_email = account("Lain", Some("SITI@contoh.CO.ID"), None);
        assert!(matches!(accounts::create_user(&db, &same_email, NOTICE).await, Err(StoreError::Conflict("email"))));

        let same_phone = account("Lain", Some("lain@contoh.co.id"), Some("+62 (0)812 3456 7890"));
        assert!(matches!(accounts::create_user(&db, &same_phone, NOTICE).await, Err(StoreError::Conflict("phone"))));

        let both = account("Lain", Some("siti@contoh.co.id"), Some("6281234567890"));
        assert!(matches!(accounts::create_user(&db, &both, NOTICE).await, Err(StoreError::Conflict("email"))));

        let phone_only = account("Budi", None, Some("0813 1111 2222"));
        accounts::create_user(&db, &phone_only, NOTICE).await.unwrap();
        let other_phone_only = account("Wati", None, Some("0813 3333 4444"));
        accounts::create_user(&db, &other_phone_only, NOTICE).await.expect("accounts without e-mail do not collide");
    }

    async fn repeated_failures_lock_the_account_for_a_while(db) {
        let user = siti(&db).await;
        assert_eq!(accounts::record_login_failure(&db, user.id, 3, 900).await.unwrap(), None);
        assert_eq!(accounts::record_login_failure(&db, user.id, 3, 900).await.unwrap(), None);
        let before = Timestamp::now();
        let until = accounts::record_login_failure(&db, user.id, 3, 900).await.unwrap().expect("third failure locks");
        assert!(until >= before.plus_seconds(899) && until <= Timestamp::now().plus_seconds(900));

        let login = accounts::find_for_login(&db, &by_email("siti@contoh.co.id")).await.unwrap().unwrap();
        assert_eq!(login.locked_until, Some(until));
        assert_eq!(login.failed_logins, 0, "the count starts again once locked");
        assert!(login.is_locked(Timestamp::now()));
        assert!(!login.is_locked(until.plus_seconds(1)));

        accounts::record_login_success(&db, user.id).await.unwrap();
        let login = accounts::find_for_login(&db, &by_email("siti@contoh.co.id")).await.unwrap().unwrap();
        assert_eq!((login.failed_logins, login.locked_until), (0, None));

        accounts::record_login_failure(&db, user.id, 3, 900).await.unwrap();
        let login = accounts::find_for_login(&db, &by_email("siti@contoh.co.id")).await.unwrap().unwrap();
        assert_eq!(login.failed_logins, 1);
        assert!(matches!(
            accounts::record_login_failure(&db, UserId::generate(), 3, 900).await,
            Err(StoreError::NotFound)
        ));
    }

    async fn a_session_token_finds_its_account_until_it_expires(db) {
        let user = siti(&db).await;
        let issued = accounts::create_session(&db, user.id, 3600).await.unwrap();
        assert_eq!(issued.token.len(), 43);
        assert_ne!(issued.token, issued.csrf_token);

        let (found, session) = accounts::session_user(&db, &issued.token).await.unwrap().unwrap();
        assert_eq!(found, user);
        assert_eq!(session.csrf_token, issued.csrf_token);
        assert_eq!(session.expires_at, issued.expires_at);
        assert!(accounts::session_user(&db, "not-a-token").await.unwrap().is_none());

        let expired = accounts::create_session(&db, user.id, -1).await.unwrap();
        assert!(accounts::session_user(&db, &expired.token).await.unwrap().is_none(), "expired sessions are ignored");
        assert_eq!(accounts::purge_expired_sessions(&db).await.unwrap(), 1);
        assert!(accounts::session_user(&db, &issued.token).await.unwrap().is_some(), "live sessions survive the purge");

        accounts::delete_session(&db, &issued.token).await.unwrap();
        assert!(accounts::session_user(&db, &issued.token).await.unwrap().is_none());
        assert!(matches!(accounts::create_session(&db, UserId::generate(), 60).await, Err(StoreError::NotFound)));
    }

    async fn sessions_slide_their_expiry_at_most_once_a_minute(db) {
        let user = siti(&db).await;
        let issued = accounts::create_session(&db, user.id, 60).await.unwrap();
        let (_, mut session) = accounts::session_user(&db, &issued.token).await.unwrap().unwrap();
        assert_eq!(accounts::touch_session(&db, &session, 3600).await.unwrap(), None, "seen just now: no write");
        assert_eq!(accounts::session_user(&db, &issued.token).await.unwrap().unwrap().1.expires_at, issued.expires_at);

        // As if the session was last seen two minutes ago.
        session.last_seen_at = Timestamp(session.last_seen_at.millis() - 120_000);
        let extended = accounts::touch_session(&db, &session, 3600).await.unwrap().expect("written");
        assert!(extended > issued.expires_at);
        let (_, again) = accounts::session_user(&db, &issued.token).await.unwrap().unwrap();
        assert_eq!(again.expires_at, extended);
        assert!(again.last_seen_at > session.last_seen_at);
    }

    async fn changing_the_password_ends_every_other_session(db) {
        let user = siti(&db).await;
        let here = accounts::create_session(&db, user.id, 3600).await.unwrap();
        let elsewhere = accounts::create_session(&db, user.id, 3600).await.unwrap();
        let old_hash = password_hash(&db, "siti@contoh.co.id").await;

        let weak = accounts::change_password(&db, user.id, "short", Some(&here.token)).await.unwrap_err();
        assert_eq!(invalid_code(weak), ("password".into(), ValidationCode::WeakPassword));

        accounts::change_password(&db, user.id, "teh manis sore hari", Some(&here.token)).await.unwrap();
        let new_hash = password_hash(&db, "siti@contoh.co.id").await;
        assert_ne!(new_hash, old_hash);
        assert!(verify_password("teh manis sore hari", &new_hash));
        assert!(!verify_password(PASSWORD, &new_hash));
        assert!(accounts::session_user(&db, &here.token).await.unwrap().is_some());
        assert!(accounts::session_user(&db, &elsewhere.token).await.unwrap().is_none());

        let other = accounts::create_session(&db, user.id, 3600).await.unwrap();
        assert_eq!(accounts::delete_user_sessions(&db, user.id, None).await.unwrap(), 2);
        assert!(accounts::session_user(&db, &other.token).await.unwrap().is_none());
    }

    async fn an_in_person_reset_is_flagged_until_acknowledged(db) {
        let officer = accounts::create_user(&db, &account("Petugas", Some("petugas@kominfo.go.id"), None), NOTICE).await.unwrap();
        let user = siti(&db).await;
        let session = accounts::create_session(&db, user.id, 3600).await.unwrap();
        for _ in 0..3 {
            accounts::record_login_failure(&db, user.id, 3, 900).await.unwrap();
        }

        accounts::reset_password_in_person(&db, officer.id, user.id, "sandi baru dari petugas").await.unwrap();
        let login = accounts::find_for_login(&db, &by_email("081234567890")).await.unwrap().unwrap();
        assert!(verify_password("sandi baru dari petugas", &login.password_hash));
        assert_eq!(login.user.reset_in_person_by, Some(officer.id));
        assert!(login.user.reset_in_person_at.is_some());
        assert!(!login.is_locked(Timestamp::now()), "the officer's reset lifts the lock");
        assert!(accounts::session_user(&db, &session.token).await.unwrap().is_none());

        accounts::acknowledge_in_person_reset(&db, user.id).await.unwrap();
        let user = accounts::get_user(&db, user.id).await.unwrap().unwrap();
        assert_eq!((user.reset_in_person_by, user.reset_in_person_at), (None, None));
        assert!(matches!(
            accounts::reset_password_in_person(&db, officer.id, UserId::generate(), "sandi baru dari petugas").await,
            Err(StoreError::NotFound)
        ));
    }

    async fn a_reset_link_works_once_and_queues_its_email(db) {
        let user = siti(&db).await;
        let session = accounts::create_session(&db, user.id, 3600).await.unwrap();
        let token = accounts::create_password_reset(&db, user.id, "jv", 3600).await.unwrap();

        let queued = jobs::list_by_kind(&db, PASSWORD_RESET_EMAIL).await.unwrap();
        assert_eq!(queued.len(), 1);
        let payload: PasswordResetEmail = serde_json::from_str(&queued[0].payload).unwrap();
        assert_eq!((payload.user_id, payload.token.as_str(), payload.locale.as_str()), (user.id, token.as_str(), "jv"));
        assert!(!queued[0].payload.to_lowercase().contains("contoh.co.id"), "the payload names no address");

        assert_eq!(accounts::check_password_reset(&db, &token).await.unwrap(), user.id);
        let weak = accounts::consume_password_reset(&db, &token, "short").await.unwrap_err();
        assert_eq!(invalid_code(weak).1, ValidationCode::WeakPassword);

        assert_eq!(accounts::consume_password_reset(&db, &token, "sandi yang baru sekali").await.unwrap(), user.id);
        assert!(verify_password("sandi yang baru sekali", &password_hash(&db, "siti@contoh.co.id").await));
        assert!(accounts::session_user(&db, &session.token).await.unwrap().is_none(), "a reset ends every session");

        let reused = accounts::consume_password_reset(&db, &token, "sandi ketiga kalinya").await.unwrap_err();
        assert_eq!(invalid_code(reused), ("token".into(), ValidationCode::UsedToken));
        assert!(verify_password("sandi yang baru sekali", &password_hash(&db, "siti@contoh.co.id").await));
        assert!(matches!(accounts::consume_password_reset(&db, "unknown", "sandi ketiga kalinya").await, Err(StoreError::NotFound)));
    }

    async fn an_expired_or_replaced_reset_link_is_refused(db) {
        let user = siti(&db).await;
        let expired = accounts::create_password_reset(&db, user.id, "id", -1).await.unwrap();
        let err = accounts::consume_password_reset(&db, &expired, "sandi yang baru sekali").await.unwrap_err();
        assert_eq!(invalid_code(err), ("token".into(), ValidationCode::ExpiredToken));

        let older = accounts::create_password_reset(&db, user.id, "id", 3600).await.unwrap();
        let newer = accounts::create_password_reset(&db, user.id, "id", 3600).await.unwrap();
        let err = accounts::check_password_reset(&db, &older).await.unwrap_err();
        assert_eq!(invalid_code(err).1, ValidationCode::ExpiredToken, "a newer link replaces older ones");
        accounts::consume_password_reset(&db, &newer, "sandi yang baru sekali").await.unwrap();
        assert!(verify_password("sandi yang baru sekali", &password_hash(&db, "siti@contoh.co.id").await));
        assert_eq!(jobs::list_by_kind(&db, PASSWORD_RESET_EMAIL).await.unwrap().len(), 3, "one e-mail per link");
        assert!(matches!(
            accounts::create_password_reset(&db, UserId::generate(), "id", 3600).await,
            Err(StoreError::NotFound)
        ));
    }

    async fn completing_a_job_blanks_its_payload(db) {
        let user = siti(&db).await;
        let token = accounts::create_password_reset(&db, user.id, "id", 3600).await.unwrap();
        let claimed = jobs::claim(&db, 10, 60).await.unwrap();
        assert_eq!(claimed.len(), 1);
        assert!(claimed[0].payload.contains(&token));
        jobs::complete(&db, &claimed[0].id).await.unwrap();
        let rows = jobs::list_by_kind(&db, PASSWORD_RESET_EMAIL).await.unwrap();
        assert_eq!((rows[0].status.as_str(), rows[0].payload.as_str()), ("done", "{}"));
    }

    async fn api_tokens_authenticate_until_revoked_by_their_owner(db) {
        let user = siti(&db).await;
        let other = accounts::create_user(&db, &account("Budi", None, Some("0813 1111 2222")), NOTICE).await.unwrap();
        let (read_id, read) = accounts::create_api_token(&db, user.id, "Bot WhatsApp", TokenScope::Read).await.unwrap();
        let (write_id, write) = accounts::create_api_token(&db, user.id, "OpenSID", TokenScope::Write).await.unwrap();
        assert!(read.starts_with("jbt_") && read.len() == 4 + 43);
        let blank = accounts::create_api_token(&db, user.id, "  ", TokenScope::Read).await.unwrap_err();
        assert_eq!(invalid_code(blank), ("name".into(), ValidationCode::Required));

        let auth = accounts::authenticate_api_token(&db, &read).await.unwrap().unwrap();
        assert_eq!((auth.user.id, auth.scope, auth.token_id), (user.id, TokenScope::Read, read_id));
        assert_eq!(accounts::authenticate_api_token(&db, &write).await.unwrap().unwrap().scope, TokenScope::Write);
        assert!(accounts::authenticate_api_token(&db, "jbt_forged").await.unwrap().is_none());
        assert!(accounts::authenticate_api_token(&db, "Bearer nonsense").await.unwrap().is_none());

        let listed = accounts::list_api_tokens(&db, user.id).await.unwrap();
        assert_eq!(listed.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["OpenSID", "Bot WhatsApp"]);
        assert!(listed.iter().find(|t| t.id == read_id).unwrap().last_used_at.is_some(), "use is recorded");

        assert!(matches!(accounts::revoke_api_token(&db, other.id, read_id).await, Err(StoreError::NotFound)));
        assert!(accounts::authenticate_api_token(&db, &read).await.unwrap().is_some(), "only the owner revokes");
        accounts::revoke_api_token(&db, user.id, read_id).await.unwrap();
        assert!(accounts::authenticate_api_token(&db, &read).await.unwrap().is_none());
        assert!(matches!(accounts::revoke_api_token(&db, user.id, read_id).await, Err(StoreError::NotFound)));
        let listed = accounts::list_api_tokens(&db, user.id).await.unwrap();
        assert_eq!(listed.iter().map(|t| t.id).collect::<Vec<_>>(), [write_id]);
    }

    async fn consents_keep_their_history(db) {
        let user = siti(&db).await;
        accounts::record_consent_now(&db, user.id, "campaigns", "2025-01").await.unwrap();
        accounts::record_consent_now(&db, user.id, "campaigns", "2025-01").await.unwrap();
        assert_eq!(accounts::list_consents(&db, user.id).await.unwrap().len(), 2, "consenting twice to one notice is one consent");
        accounts::record_consent_now(&db, user.id, "campaigns", "2025-06").await.unwrap();
        assert_eq!(accounts::withdraw_consent(&db, user.id, "campaigns").await.unwrap(), 2);
        assert_eq!(accounts::withdraw_consent(&db, user.id, "campaigns").await.unwrap(), 0);

        let consents = accounts::list_consents(&db, user.id).await.unwrap();
        let campaigns: Vec<_> = consents.iter().filter(|c| c.purpose == "campaigns").collect();
        assert_eq!(campaigns.len(), 2);
        assert!(campaigns.iter().all(|c| c.withdrawn_at.is_some()));
        assert!(consents.iter().any(|c| c.purpose == "account" && c.withdrawn_at.is_none()));
        assert!(matches!(
            accounts::record_consent_now(&db, UserId::generate(), "campaigns", "2025-01").await,
            Err(StoreError::NotFound)
        ));
    }

    async fn the_export_holds_the_data_but_no_secret(db) {
        let user = siti(&db).await;
        let session = accounts::create_session(&db, user.id, 3600).await.unwrap();
        let (_, api_token) = accounts::create_api_token(&db, user.id, "Bot WhatsApp", TokenScope::Read).await.unwrap();
        let reset = accounts::create_password_reset(&db, user.id, "id", 3600).await.unwrap();
        let hash = password_hash(&db, "siti@contoh.co.id").await;

        let export = accounts::export_user_data(&db, user.id).await.unwrap();
        assert_eq!(export["account"]["name"], "Siti Aminah");
        assert_eq!(export["account"]["email"], "Siti@contoh.co.id");
        assert_eq!(export["account"]["phone"], "+6281234567890");
        assert_eq!(export["consents"][0]["purpose"], "account");
        assert_eq!(export["sessions"]["count"], 1);
        assert_eq!(export["api_tokens"][0]["name"], "Bot WhatsApp");
        assert_eq!(export["api_tokens"][0]["scope"], "read");
        assert_eq!(export["password_resets"].as_array().unwrap().len(), 1);

        let text = export.to_string();
        for secret in [&hash, &session.token, &session.csrf_token, &api_token, &reset] {
            assert!(!text.contains(secret.as_str()), "the export leaks {secret}");
        }
        for hashed in [&session.token, &api_token, &reset] {
            let digest = sha256_hex(hashed);
            assert!(!text.contains(&digest), "the export leaks a token hash");
        }
        assert!(!text.contains("argon2"));
    }

    async fn deleting_an_account_blanks_it_and_frees_its_address(db) {
        let user = siti(&db).await;
        let session = accounts::create_session(&db, user.id, 3600).await.unwrap();
        let (_, api_token) = accounts::create_api_token(&db, user.id, "Bot", TokenScope::Write).await.unwrap();
        let reset = accounts::create_password_reset(&db, user.id, "id", 3600).await.unwrap();
        accounts::record_consent_now(&db, user.id, "campaigns", "2025-01").await.unwrap();
        let changes_before = jembatan_store::changes::count(&db).await.unwrap();

        accounts::delete_account(&db, user.id).await.unwrap();

        let tombstone = accounts::get_user(&db, user.id).await.unwrap().expect("the row stays");
        assert!(tombstone.is_deleted());
        assert_eq!((tombstone.name.as_str(), tombstone.email.is_none(), tombstone.phone.is_none()), ("", true, true));
        assert!(accounts::find_for_login(&db, &by_email("siti@contoh.co.id")).await.unwrap().is_none());
        assert!(accounts::find_for_login(&db, &by_email("081234567890")).await.unwrap().is_none());
        assert!(accounts::session_user(&db, &session.token).await.unwrap().is_none());
        assert!(accounts::authenticate_api_token(&db, &api_token).await.unwrap().is_none());
        assert!(matches!(accounts::check_password_reset(&db, &reset).await, Err(StoreError::NotFound)));
        assert!(matches!(accounts::consume_password_reset(&db, &reset, "sandi yang baru sekali").await, Err(StoreError::NotFound)));
        assert!(matches!(accounts::export_user_data(&db, user.id).await, Err(StoreError::NotFound)));
        assert!(matches!(accounts::create_session(&db, user.id, 60).await, Err(StoreError::NotFound)));
        assert!(matches!(accounts::delete_account(&db, user.id).await, Err(StoreError::NotFound)));
        assert!(accounts::list_consents(&db, user.id).await.unwrap().iter().all(|c| c.withdrawn_at.is_some()));
        assert!(jembatan_store::changes::count(&db).await.unwrap() > changes_before);

        // Nothing personal is left in the row, whichever column.
        type Personal = (Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
        let id = user.id.to_string();
        let row: Personal = db
            .write(move |tx| Box::pin(async move {
                Ok(on_tx!(tx, conn => sqlx::query_as::<_, Personal>(
                    "SELECT name, email, email_key, phone, password_hash FROM users WHERE id = $1",
                )
                .bind(&id)
                .fetch_one(conn)
                .await)?)
            }))
            .await
            .unwrap();
        assert_eq!(row, (None, None, None, None, None));

        let again = accounts::create_user(&db, &account("Siti Baru", Some("siti@contoh.co.id"), Some("081234567890")), NOTICE)
            .await
            .expect("the address and number are free again");
        assert_ne!(again.id, user.id);
    }
}

fn sha256_hex(raw: &str) -> String {
    use sha2::Digest;
    format!("{:x}", sha2::Sha256::digest(raw.as_bytes()))
}

mod deletion_reaches_other_modules {
    use jembatan_domain::account::RegistrationForm;
    use jembatan_domain::kim::{KimForm, MemberForm};
    use jembatan_domain::role::{Role, Scope};
    use jembatan_store::{accounts, contract_tests, grants, kims};

    contract_tests! {
        async fn deleting_an_account_revokes_its_roles_and_blanks_its_roster_entry(db) {
            let account = RegistrationForm {
                name: "Ketua Lama".into(),
                email: "ketua.lama@contoh.id".into(),
                password: "kata sandi panjang".into(),
                password_confirm: "kata sandi panjang".into(),
                consent: true,
                ..RegistrationForm::default()
            }
            .validate()
            .unwrap();
            let user = accounts::create_user(&db, &account, "test").await.unwrap().id;
            let kim = KimForm { name: "KIM Uji".into(), village: "35.23.01.2001".into(), ..KimForm::default() }.validate().unwrap();
            let kim = db.write(move |tx| Box::pin(async move { kims::register(tx, &kim, None).await })).await.unwrap().id();
            let member = MemberForm { name: "Ketua Lama".into(), position: "ketua".into(), phone: "081234567890".into(), user_id: user.to_string() }
                .validate()
                .unwrap();
            let member = db.write(move |tx| Box::pin(async move { kims::add_member(tx, kim, &member, None).await })).await.unwrap().id;
            let scope = Scope::Organisation(jembatan_store::organisations::org_ref(&db, kim).await.unwrap());
            db.write(move |tx| Box::pin(async move { grants::grant(tx, user, Role::KimManager, &scope, None).await })).await.unwrap();

            accounts::delete_account(&db, user).await.unwrap();
            assert!(grants::grants_of_user(&db, user).await.unwrap().is_empty());
            assert!(kims::kim_memberships_of_user(&db, user).await.unwrap().is_empty());
            assert!(kims::member(&db, member).await.unwrap().is_none(), "off the roster");
            assert_eq!(kims::profile(&db, kim).await.unwrap().unwrap().member_count, 0);
            let log = jembatan_store::audit::for_target(&db, "member", &member.to_string()).await.unwrap();
            assert!(log.iter().any(|e| e.action == "member.remove" && e.actor == Some(user)));
            let log = jembatan_store::audit::for_target(&db, "user", &user.to_string()).await.unwrap();
            assert!(log.iter().any(|e| e.action == "role.revoke"));
        }
    }
}
