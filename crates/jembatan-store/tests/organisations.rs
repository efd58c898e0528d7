//! Contract tests of organisations and KIMs, on SQLite and PostgreSQL alike:
//! creation and scoped lists, optimistic updates, KIM registration and
//! verification, the roster and the public profile, the SK expiry scan.

use chrono::{Days, NaiveDate};
use jembatan_domain::kim::{KimForm, MemberForm, NewKim, NewMember};
use jembatan_domain::organisation::{KimPosition, KimStatus, NewOrganisation, OrgKind, OrganisationForm, SkValidity};
use jembatan_domain::role::{Role, Scope};
use jembatan_domain::{FieldError, OrgId, RegionCode, UserId, ValidationCode};
use jembatan_store::kims::{self, Kim, KimFilter};
use jembatan_store::organisations::{self, Organisation};
use jembatan_store::{Db, StoreError, audit, changes, contract_tests, exec, grants, jobs, notifications};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
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

fn agency(name: &str, region: &str) -> NewOrganisation {
    OrganisationForm {
        kind: "agency".into(),
        name: name.into(),
        region: region.into(),
        categories: vec!["kesehatan".into()],
        phone: "(0356) 321456".into(),
        ..OrganisationForm::default()
    }
    .validate()
    .unwrap()
}

async fn create(db: &Db, new: NewOrganisation, actor: Option<UserId>) -> Result<Organisation, StoreError> {
    db.write(move |tx| Box::pin(async move { organisations::create(tx, &new, actor).await })).await
}

fn kim_form(name: &str, village: &str, sk_expires: &str) -> KimForm {
    KimForm {
        name: name.into(),
        village: village.into(),
        status: "terdaftar".into(),
        sk_number: format!("188/{name}/KPTS/2024"),
        sk_issuer: "Bupati".into(),
        sk_date: "2024-01-15".into(),
        sk_expires: sk_expires.into(),
        kim_id_url: "https://contoh.kim.id".into(),
        ..KimForm::default()
    }
}

async fn register(db: &Db, new: NewKim, actor: Option<UserId>) -> Result<Kim, StoreError> {
    db.write(move |tx| Box::pin(async move { kims::register(tx, &new, actor).await })).await
}

async fn register_kim(db: &Db, name: &str, village: &str, sk_expires: &str) -> Kim {
    register(db, kim_form(name, village, sk_expires).validate().unwrap(), None).await.unwrap()
}

async fn grant(db: &Db, user: UserId, role: Role, scope: Scope) {
    db.write(move |tx| Box::pin(async move { grants::grant(tx, user, role, &scope, None).await })).await.unwrap();
}

async fn add_member(db: &Db, kim: OrgId, form: MemberForm) -> Result<kims::Member, StoreError> {
    let new = form.validate().unwrap();
    db.write(move |tx| Box::pin(async move { kims::add_member(tx, kim, &new, None).await })).await
}

fn member(name: &str, position: &str, phone: &str) -> MemberForm {
    MemberForm { name: name.into(), position: position.into(), phone: phone.into(), ..MemberForm::default() }
}

async fn count(db: &Db, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    // Read through a write transaction: tests see no read pool.
    db.write(move |tx| {
        Box::pin(async move {
            Ok(jembatan_store::on_tx!(tx, conn => sqlx::query_scalar::<_, i64>(&sql).fetch_one(conn).await)?)
        })
    })
    .await
    .unwrap()
}

fn invalid(outcome: Result<impl std::fmt::Debug, StoreError>) -> FieldError {
    match outcome {
        Err(StoreError::Invalid(e)) => e,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

contract_tests! {
    async fn organisations_are_listed_within_their_region_and_found_by_name(db) {
        let tuban = create(&db, agency("Dinas Kesehatan", "35.23"), None).await.unwrap();
        create(&db, agency("Dinas Kesehatan", "35.07"), None).await.unwrap();
        let office = OrganisationForm {
            kind: "diskominfo".into(),
            name: "Diskominfo Provinsi Jawa Timur".into(),
            region: "35".into(),
            ..OrganisationForm::default()
        };
        create(&db, office.validate().unwrap(), None).await.unwrap();
        let desa = OrganisationForm {
            kind: "body".into(),
            body_kind: "village_office".into(),
            name: "Pemerintah Desa Jlodro".into(),
            region: "35.23.01.2001".into(),
            ..OrganisationForm::default()
        };
        let desa = create(&db, desa.validate().unwrap(), None).await.unwrap();
        register_kim(&db, "KIM Jlodro", "35.23.01.2001", "2030-01-01").await;

        let names = |orgs: Vec<Organisation>| orgs.into_iter().map(|o| (o.profile.name, o.region.to_string())).collect::<Vec<_>>();
        let in_tuban = organisations::list(&db, Some(OrgKind::Agency), &code("35.23")).await.unwrap();
        assert_eq!(names(in_tuban), [("Dinas Kesehatan".to_owned(), "35.23".to_owned())]);
        let everything = organisations::list(&db, None, &code("35")).await.unwrap();
        assert_eq!(everything.len(), 4, "KIMs are listed by kims::list, not here");
        assert_eq!(everything[0].kind, OrgKind::Diskominfo, "higher levels first");
        let in_district = organisations::list(&db, None, &code("35.23.01")).await.unwrap();
        assert_eq!(in_district.iter().map(|o| o.id).collect::<Vec<_>>(), [desa.id]);
        assert!(organisations::list(&db, None, &code("35.78")).await.unwrap().is_empty());

        assert_eq!(organisations::find_by_name(&db, "Dinas Kesehatan").await.unwrap().len(), 2);
        let found = organisations::get(&db, tuban.id).await.unwrap().unwrap();
        assert_eq!(found, tuban);
        assert_eq!(found.profile.phone.as_deref(), Some("(0356) 321456"));
        assert_eq!(organisations::org_ref(&db, tuban.id).await.unwrap(), tuban.org_ref());
        assert!(matches!(organisations::org_ref(&db, OrgId::generate()).await, Err(StoreError::NotFound)));
        let history = audit::for_target(&db, "organisation", &tuban.id.to_string()).await.unwrap();
        assert_eq!(history.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["organisation.create"]);
    }

    async fn a_stale_update_changes_nothing(db) {
        let org = create(&db, agency("Dinas Kesehatan", "35.23"), None).await.unwrap();
        let editor = user(&db, "Editor").await;
        let edit = |name: &str| {
            OrganisationForm {
                name: name.into(),
                categories: vec!["kesehatan".into(), "sosial".into()],
                phone: "(0356) 321456".into(),
                ..OrganisationForm::default()
            }
                .validate_profile(org.kind, &org.region)
                .unwrap()
        };
        let (id, first) = (org.id, edit("Dinas Kesehatan, P2KB"));
        let updated = db
            .write(move |tx| Box::pin(async move { organisations::update(tx, id, 1, &first, Some(editor)).await }))
            .await
            .unwrap();
        assert_eq!((updated.version, updated.profile.name.as_str()), (2, "Dinas Kesehatan, P2KB"));

        let late = edit("Dinas Kesehatan Lama");
        let stale = db.write(move |tx| Box::pin(async move { organisations::update(tx, id, 1, &late, None).await })).await;
        assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
        let stored = organisations::get(&db, id).await.unwrap().unwrap();
        assert_eq!(stored, updated, "the stale edit wrote nothing");

        let history = audit::for_target(&db, "organisation", &id.to_string()).await.unwrap();
        assert_eq!(history.len(), 2, "only the successful update is audited");
        let entry = &history[0];
        assert_eq!((entry.action.as_str(), entry.actor), ("organisation.update", Some(editor)));
        assert_eq!(entry.after.as_ref().unwrap()["changed"], serde_json::json!(["name", "categories"]));
        let unknown = edit("x");
        let missing = db
            .write(move |tx| Box::pin(async move { organisations::update(tx, OrgId::generate(), 1, &unknown, None).await }))
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound)));
    }

    async fn rejected_organisations_leave_everything_as_it_was(db) {
        let before = (count(&db, "organisations").await, count(&db, "audit_log").await, changes::count(&db).await.unwrap());
        let unknown = agency("Dinas Siluman", "35.99");
        assert_eq!(invalid(create(&db, unknown, None).await), FieldError::new("region", ValidationCode::UnknownRegion));
        let mut kim = agency("Sneaky", "35.23");
        kim.kind = OrgKind::Kim;
        assert_eq!(invalid(create(&db, kim, None).await).code, ValidationCode::InvalidChoice);
        let mut deep = agency("Dinas di Desa", "35.23");
        deep.region = code("35.23.01.2001");
        assert_eq!(invalid(create(&db, deep, None).await).code, ValidationCode::WrongRegionLevel);
        let after = (count(&db, "organisations").await, count(&db, "audit_log").await, changes::count(&db).await.unwrap());
        assert_eq!(before, after);

        let org = create(&db, agency("Dinas Kesehatan", "35.23"), None).await.unwrap();
        let mut bad = org.profile.clone();
        bad.body_kind = Some(jembatan_domain::organisation::BodyKind::Bumd);
        let id = org.id;
        let refused = db.write(move |tx| Box::pin(async move { organisations::update(tx, id, 1, &bad, None).await })).await;
        assert_eq!(invalid(refused).field, "body_kind");
        assert_eq!(organisations::get(&db, id).await.unwrap().unwrap(), org);
    }

    async fn a_kim_is_registered_for_a_village_and_verified_once(db) {
        let officer = user(&db, "Petugas Tuban").await;
        let new = kim_form("KIM Jlodro Maju", "35.23.01.2001", "2027-01-14").validate().unwrap();
        let kim = register(&db, new, Some(officer)).await.unwrap();
        assert_eq!((kim.org.kind, kim.village().as_str(), kim.status), (OrgKind::Kim, "35.23.01.2001", KimStatus::Terdaftar));
        assert_eq!(kim.registered_by, Some(officer));
        assert!(!kim.is_verified());
        assert_eq!(kim.kim_id_url.as_deref(), Some("https://contoh.kim.id/"));
        assert_eq!(kim.sk.as_ref().unwrap().expires, Some(day("2027-01-14")));

        let id = kim.id();
        let verify = move |db: Db| async move {
            db.write(move |tx| Box::pin(async move { kims::verify(tx, id, officer).await })).await.unwrap()
        };
        assert!(verify(db.clone()).await);
        assert!(!verify(db.clone()).await, "verifying again writes nothing");
        let verified = kims::get(&db, id).await.unwrap().unwrap();
        assert!(verified.is_verified());
        assert_eq!(verified.verified_by, Some(officer));
        let actions: Vec<String> =
            audit::for_target(&db, "organisation", &id.to_string()).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["kim.verify", "kim.register"]);
        assert_eq!(organisations::org_ref(&db, id).await.unwrap().kind, OrgKind::Kim);
        assert!(kims::get(&db, OrgId::generate()).await.unwrap().is_none());
    }

    async fn a_kim_must_serve_a_known_village(db) {
        let unknown = kim_form("KIM Hantu", "35.23.01.2999", "").validate().unwrap();
        assert_eq!(invalid(register(&db, unknown, None).await), FieldError::new("village", ValidationCode::UnknownRegion));
        let mut regency = kim_form("KIM Kabupaten", "35.23.01.2001", "").validate().unwrap();
        regency.village = code("35.23");
        assert_eq!(invalid(register(&db, regency, None).await).code, ValidationCode::WrongRegionLevel);
        let mut no_sk = kim_form("KIM Tanpa SK", "35.23.01.2001", "").validate().unwrap();
        no_sk.details.sk = None;
        assert_eq!(invalid(register(&db, no_sk, None).await), FieldError::new("sk_number", ValidationCode::Required));
        assert_eq!((count(&db, "organisations").await, count(&db, "kims").await, count(&db, "audit_log").await), (0, 0, 0));
    }

    async fn kim_updates_are_versioned_and_keep_the_sk_rules(db) {
        let kim = register_kim(&db, "KIM Sokogunung", "35.23.01.2002", "2027-01-14").await;
        let id = kim.id();
        let mut details = kim.details();
        details.name = "KIM Sokogunung Sejahtera".into();
        details.channels.whatsapp = Some(jembatan_domain::contact::PhoneNumber::parse("wa", "081234567890").unwrap());
        let first = details.clone();
        let updated = db.write(move |tx| Box::pin(async move { kims::update(tx, id, 1, &first, None).await })).await.unwrap();
        assert_eq!((updated.org.version, updated.org.profile.name.as_str()), (2, "KIM Sokogunung Sejahtera"));
        assert_eq!(updated.channels.whatsapp.as_ref().map(|p| p.as_str()), Some("+6281234567890"));

        let stale = details.clone();
        let outcome = db.write(move |tx| Box::pin(async move { kims::update(tx, id, 1, &stale, None).await })).await;
        assert!(matches!(outcome, Err(StoreError::Stale)));

        let mut without_sk = details.clone();
        without_sk.sk = None;
        let dropped = without_sk.clone();
        let outcome = db.write(move |tx| Box::pin(async move { kims::update(tx, id, 2, &dropped, None).await })).await;
        assert_eq!(invalid(outcome), FieldError::new("sk_number", ValidationCode::Required));
        assert_eq!(kims::get(&db, id).await.unwrap().unwrap(), updated, "refused edits change nothing");

        let set = |status| {
            let db = db.clone();
            async move { db.write(move |tx| Box::pin(async move { kims::set_status(tx, id, status, None).await })).await }
        };
        set(KimStatus::Aktif).await.unwrap();
        set(KimStatus::Dibentuk).await.unwrap();
        db.write(move |tx| Box::pin(async move { kims::update(tx, id, 2, &without_sk, None).await })).await.unwrap();
        let formed = kims::get(&db, id).await.unwrap().unwrap();
        assert_eq!((formed.status, formed.sk.is_none(), formed.org.version), (KimStatus::Dibentuk, true, 3));
        assert_eq!(invalid(set(KimStatus::Aktif).await), FieldError::new("sk_number", ValidationCode::Required));
        let actions: Vec<String> =
            audit::for_target(&db, "organisation", &id.to_string()).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["kim.update", "kim.status", "kim.status", "kim.update", "kim.register"]);
    }

    async fn kims_are_listed_per_region_with_their_sk_validity(db) {
        let today = day("2025-06-01");
        register_kim(&db, "KIM Jlodro", "35.23.01.2001", "2025-05-31").await;
        register_kim(&db, "KIM Kebonharjo", "35.23.02.2001", "2025-06-20").await;
        register_kim(&db, "KIM Wangi", "35.23.02.2002", "2028-01-01").await;
        register_kim(&db, "KIM Tulungrejo", "35.07.01.2001", "").await;
        let formed = KimForm { status: String::new(), sk_number: String::new(), sk_issuer: String::new(), sk_date: String::new(), ..kim_form("KIM Kepanjin", "35.29.01.1015", "") };
        register(&db, formed.validate().unwrap(), None).await.unwrap();

        let list = |within: &str, status: Option<KimStatus>| {
            let db = db.clone();
            let filter = KimFilter { within: code(within), status };
            async move { kims::list(&db, &filter, today, 50, 0).await.unwrap() }
        };
        let tuban = list("35.23", None).await;
        let summary: Vec<(String, SkValidity)> = tuban.iter().map(|k| (k.name.clone(), k.sk_validity)).collect();
        assert_eq!(
            summary,
            [
                ("KIM Jlodro".to_owned(), SkValidity::Expired),
                ("KIM Kebonharjo".to_owned(), SkValidity::ExpiringSoon),
                ("KIM Wangi".to_owned(), SkValidity::Valid),
            ]
        );
        assert_eq!(tuban[0].village_name, "Jlodro");
        assert!(tuban.iter().all(|k| k.village.as_str().starts_with("35.23.")), "the Tuban list excludes Malang");
        assert_eq!(list("35.23.02", None).await.len(), 2);
        assert_eq!(list("35.23.02.2002", None).await.len(), 1);
        assert_eq!(list("35.07", None).await[0].sk_validity, SkValidity::Valid);
        let province = list("35", None).await;
        assert_eq!(province.len(), 5);
        let kepanjin = province.iter().find(|k| k.name == "KIM Kepanjin").unwrap();
        assert_eq!((kepanjin.status, kepanjin.sk_validity), (KimStatus::Dibentuk, SkValidity::Missing));
        assert_eq!(list("35", Some(KimStatus::Dibentuk)).await.len(), 1);
        assert!(list("35.78", None).await.is_empty());

        let all = KimFilter { within: code("35"), status: None };
        assert_eq!(kims::count(&db, &all).await.unwrap(), 5);
        assert_eq!(kims::count(&db, &KimFilter { within: code("35.23"), status: Some(KimStatus::Terdaftar) }).await.unwrap(), 3);
        let page2 = kims::list(&db, &all, today, 2, 2).await.unwrap();
        assert_eq!(page2.iter().map(|k| k.name.as_str()).collect::<Vec<_>>(), ["KIM Kepanjin", "KIM Tulungrejo"]);
    }

    async fn the_roster_and_a_phone_shown_only_with_consent(db) {
        let kim = register_kim(&db, "KIM Jlodro", "35.23.01.2001", "2030-01-01").await;
        let id = kim.id();
        let siti = user(&db, "Siti").await;
        let ketua = add_member(&db, id, member("Bu Siti Aminah", "ketua", "0812-3456-7890")).await.unwrap();
        add_member(&db, id, member("Pak Budi", "sekretaris", "")).await.unwrap();
        for i in 0..3 {
            add_member(&db, id, member(&format!("Anggota {i}"), "", "")).await.unwrap();
        }
        let linked = add_member(&db, id, MemberForm { user_id: siti.to_string(), ..member("Siti", "seksi", "") }).await.unwrap();
        assert_eq!(linked.user, Some(siti));

        let second_ketua = add_member(&db, id, member("Pak Lain", "ketua", "")).await;
        assert_eq!(invalid(second_ketua), FieldError::new("position", ValidationCode::Duplicate));
        let twice = add_member(&db, id, MemberForm { user_id: siti.to_string(), ..member("Siti", "", "") }).await;
        assert_eq!(invalid(twice), FieldError::new("user_id", ValidationCode::Duplicate));
        let ghost = add_member(&db, id, MemberForm { user_id: UserId::generate().to_string(), ..member("X", "", "") }).await;
        assert_eq!(invalid(ghost), FieldError::new("user_id", ValidationCode::InvalidChoice));
        let not_a_kim = create(&db, agency("Dinas Kesehatan", "35.23"), None).await.unwrap();
        assert!(matches!(add_member(&db, not_a_kim.id, member("X", "", "")).await, Err(StoreError::NotFound)));

        let profile = kims::profile(&db, id).await.unwrap().unwrap();
        assert_eq!(profile.member_count, 6);
        assert_eq!(profile.village_name, "Jlodro");
        let officers: Vec<(&str, KimPosition)> = profile.officers.iter().map(|o| (o.name.as_str(), o.position)).collect();
        assert_eq!(officers, [("Bu Siti Aminah", KimPosition::Ketua), ("Pak Budi", KimPosition::Sekretaris), ("Siti", KimPosition::Seksi)]);
        assert_eq!(profile.officers[0].phone, None, "no consent, no phone");
        assert_eq!(kims::members(&db, id).await.unwrap()[0].phone.as_ref().map(|p| p.as_str()), Some("+6281234567890"));

        let consent = |given: bool| {
            let db = db.clone();
            let member = ketua.id;
            async move {
                db.write(move |tx| Box::pin(async move { kims::set_phone_public_consent(tx, member, given, None).await })).await
            }
        };
        consent(true).await.unwrap();
        let shown = kims::profile(&db, id).await.unwrap().unwrap();
        assert_eq!(shown.officers[0].phone.as_ref().map(|p| p.as_str()), Some("+6281234567890"));

        let new_number = member("Bu Siti Aminah", "ketua", "0813 1111 2222").validate().unwrap();
        let ketua_id = ketua.id;
        let updated = db
            .write(move |tx| Box::pin(async move { kims::update_member(tx, ketua_id, &new_number, None).await }))
            .await
            .unwrap();
        assert_eq!(updated.phone_public_consent_at, None, "a new number needs new consent");
        assert_eq!(kims::profile(&db, id).await.unwrap().unwrap().officers[0].phone, None);
        consent(true).await.unwrap();
        consent(false).await.unwrap();
        assert_eq!(kims::profile(&db, id).await.unwrap().unwrap().officers[0].phone, None, "withdrawn consent hides it");

        assert_eq!(kims::kim_memberships_of_user(&db, siti).await.unwrap(), [kim.org.org_ref()]);
        let linked_id = linked.id;
        let remove = |db: Db| async move {
            db.write(move |tx| Box::pin(async move { kims::remove_member(tx, linked_id, None).await })).await
        };
        remove(db.clone()).await.unwrap();
        assert!(matches!(remove(db.clone()).await, Err(StoreError::NotFound)));
        assert!(kims::kim_memberships_of_user(&db, siti).await.unwrap().is_empty());
        assert!(kims::member(&db, linked_id).await.unwrap().is_none());
        assert_eq!(kims::profile(&db, id).await.unwrap().unwrap().member_count, 5);

        // The log records roster changes by member id and position, never names or numbers.
        let entries = audit::list(&db, &code("35.23"), None, 100).await.unwrap().entries;
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).filter(|a| a.starts_with("member.")).collect();
        assert_eq!(actions.len(), 6 + 1 + 3 + 1, "adds, update, consent changes, removal");
        let text = serde_json::to_string(&entries).unwrap();
        for personal in ["Siti", "Budi", "Anggota", "6281234567890", "6281311112222"] {
            assert!(!text.contains(personal), "{personal} leaked into the audit log");
        }
    }

    async fn the_sk_expiry_scan_alerts_managers_and_the_regency_officer_once(db) {
        let today = day("2025-06-01");
        let soon = register_kim(&db, "KIM Jlodro", "35.23.01.2001", "2025-06-10").await;
        let lapsed = register_kim(&db, "KIM Wangi", "35.23.02.2002", "2025-01-31").await;
        register_kim(&db, "KIM Kebonharjo", "35.23.02.2001", "2026-06-10").await;
        let malang = register_kim(&db, "KIM Tulungrejo", "35.07.01.2001", "2025-06-05").await;

        let manager = user(&db, "Pengurus Jlodro").await;
        let tuban_officer = user(&db, "Petugas Tuban").await;
        let malang_officer = user(&db, "Petugas Malang").await;
        let former = user(&db, "Mantan Pengurus").await;
        grant(&db, manager, Role::KimManager, Scope::Organisation(soon.org.org_ref())).await;
        grant(&db, manager, Role::KimContributor, Scope::Organisation(soon.org.org_ref())).await;
        grant(&db, tuban_officer, Role::RegencyOfficer, Scope::Region(code("35.23"))).await;
        grant(&db, malang_officer, Role::RegencyOfficer, Scope::Region(code("35.07"))).await;
        grant(&db, former, Role::KimManager, Scope::Organisation(lapsed.org.org_ref())).await;
        let revoked = grants::grants_of_user(&db, former).await.unwrap()[0].id;
        db.write(move |tx| Box::pin(async move { grants::revoke(tx, revoked, None).await })).await.unwrap();

        let due = kims::kims_needing_sk_alert(&db, today).await.unwrap();
        let due: Vec<(OrgId, SkValidity)> = due.into_iter().map(|a| (a.kim, a.validity)).collect();
        assert_eq!(
            due,
            [(lapsed.id(), SkValidity::Expired), (malang.id(), SkValidity::ExpiringSoon), (soon.id(), SkValidity::ExpiringSoon)]
        );
        assert_eq!(kims::run_sk_expiry_scan(&db, today).await.unwrap(), 3);
        let unread = |u| notifications::count_unread(&db, u);
        assert_eq!(unread(manager).await.unwrap(), 1, "one notification even when holding two roles");
        assert_eq!(unread(tuban_officer).await.unwrap(), 2);
        assert_eq!(unread(malang_officer).await.unwrap(), 1);
        assert_eq!(unread(former).await.unwrap(), 0, "revoked managers are not told");
        let told = notifications::list_for_user(&db, manager, 10).await.unwrap();
        assert_eq!((told[0].kind.as_str(), told[0].subject_id.clone()), ("kim.sk_expiring", Some(soon.id().to_string())));
        assert_eq!(told[0].params["kim_name"], "KIM Jlodro");
        assert_eq!(told[0].params["sk_expires"], "2025-06-10");
        let lapsed_told = notifications::about(&db, &lapsed.id().to_string()).await.unwrap();
        assert_eq!(lapsed_told.iter().map(|n| (n.user, n.kind.as_str())).collect::<Vec<_>>(), [(tuban_officer, "kim.sk_expired")]);

        assert_eq!(kims::run_sk_expiry_scan(&db, today).await.unwrap(), 0, "running again alerts nobody");
        assert_eq!(unread(tuban_officer).await.unwrap(), 2);
        assert!(kims::kims_needing_sk_alert(&db, today).await.unwrap().is_empty());

        // A renewed SK that again nears its end is alerted anew.
        let mut renewed = kims::get(&db, soon.id()).await.unwrap().unwrap().details();
        renewed.sk.as_mut().unwrap().expires = Some(day("2025-06-25"));
        let id = soon.id();
        db.write(move |tx| Box::pin(async move { kims::update(tx, id, 1, &renewed, None).await })).await.unwrap();
        assert_eq!(kims::run_sk_expiry_scan(&db, today).await.unwrap(), 1);
        assert_eq!(unread(manager).await.unwrap(), 2);

        let later = today.checked_add_days(Days::new(1)).unwrap();
        let schedule = |d: NaiveDate| {
            let db = db.clone();
            async move { db.write(move |tx| Box::pin(async move { kims::schedule_sk_expiry_scan(tx, d).await })).await.unwrap() }
        };
        assert!(schedule(today).await);
        assert!(!schedule(today).await, "one scan per day however many schedulers");
        assert!(schedule(later).await);
        assert_eq!(jobs::list_by_kind(&db, kims::SK_EXPIRY_SCAN_JOB).await.unwrap().len(), 2);
    }

    async fn a_member_without_an_account_needs_only_a_name(db) {
        let kim = register_kim(&db, "KIM Jlodro", "35.23.01.2001", "").await;
        let added = add_member(&db, kim.id(), member("Mbah Karto", "", "")).await.unwrap();
        assert_eq!((added.user, added.phone.clone(), added.position), (None, None, KimPosition::Anggota));
        let new: NewMember = member("Mbah Karto", "seksi", "").validate().unwrap();
        let id = added.id;
        let moved = db.write(move |tx| Box::pin(async move { kims::update_member(tx, id, &new, None).await })).await.unwrap();
        assert_eq!(moved.position, KimPosition::Seksi);
        assert_eq!(kims::members(&db, kim.id()).await.unwrap(), [moved]);
    }
}

mod kim_summary {
    use chrono::NaiveDate;
    use jembatan_domain::RegionCode;
    use jembatan_domain::kim::KimForm;
    use jembatan_domain::organisation::{KimStatus, SkValidity};
    use jembatan_store::kims::{self, KimFilter};
    use jembatan_store::{Db, contract_tests};

    async fn register(db: &Db, name: &str, village: &str, status: &str, sk_expires: &str) {
        let with_sk = status != "dibentuk";
        let form = KimForm {
            name: name.into(),
            village: village.into(),
            status: status.into(),
            sk_number: if with_sk { "188/1/2024".into() } else { String::new() },
            sk_issuer: if with_sk { "Bupati Tuban".into() } else { String::new() },
            sk_date: if with_sk { "2019-01-01".into() } else { String::new() },
            sk_expires: sk_expires.into(),
            ..KimForm::default()
        };
        let new = form.validate().unwrap();
        db.write(move |tx| Box::pin(async move { kims::register(tx, &new, None).await })).await.unwrap();
    }

    contract_tests! {
        async fn the_dashboard_summary_agrees_with_the_list(db) {
            let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
            register(&db, "KIM A", "35.23.01.2001", "aktif", "2026-11-28").await;
            register(&db, "KIM B", "35.23.01.2002", "aktif", "2026-11-29").await;
            register(&db, "KIM C", "35.23.01.2003", "terdaftar", "2026-12-29").await;
            register(&db, "KIM D", "35.23.01.2004", "aktif", "2027-06-30").await;
            register(&db, "KIM E", "35.23.02.2001", "dibentuk", "").await;
            register(&db, "KIM F", "35.07.01.2001", "aktif", "2020-01-01").await;
            let tuban = RegionCode::parse("35.23").unwrap();
            let summary = kims::summary(&db, &tuban, today).await.unwrap();
            assert_eq!(summary.by_status, vec![(KimStatus::Dibentuk, 1), (KimStatus::Terdaftar, 1), (KimStatus::Aktif, 3)]);
            let listed = kims::list(&db, &KimFilter { within: tuban, status: None }, today, 100, 0).await.unwrap();
            let count = |v| listed.iter().filter(|k| k.sk_validity == v).count() as i64;
            assert_eq!(summary.sk_expired, count(SkValidity::Expired));
            assert_eq!(summary.sk_expiring, count(SkValidity::ExpiringSoon));
            assert_eq!(summary.sk_missing, count(SkValidity::Missing));
            assert_eq!((summary.sk_expired, summary.sk_expiring, summary.sk_missing), (1, 2, 1));
            assert_eq!(summary.unverified, 5);
        }
    }
}
