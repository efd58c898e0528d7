//! Contract tests of role grants, on SQLite and PostgreSQL alike: scope
//! checks, duplicates and revocation, the per-request lookup, scoped admin
//! lists, holders and `--scope` parsing, and their audit entries.

use jembatan_domain::authz::{Action, Actor, Resource, can};
use jembatan_domain::kim::KimForm;
use jembatan_domain::organisation::{OrgKind, OrgRef, OrganisationForm};
use jembatan_domain::role::{Grant, Role, Scope};
use jembatan_domain::{FieldError, GrantId, OrgId, RegionCode, UserId, ValidationCode};
use jembatan_store::grants::{self, GrantRecord};
use jembatan_store::{Db, StoreError, audit, contract_tests, exec, kims, organisations};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

fn region(s: &str) -> Scope {
    Scope::Region(code(s))
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

async fn kim(db: &Db, name: &str, village: &str) -> OrgRef {
    let new = KimForm { name: name.into(), village: village.into(), ..KimForm::default() }.validate().unwrap();
    let kim = db.write(move |tx| Box::pin(async move { kims::register(tx, &new, None).await })).await.unwrap();
    kim.org.org_ref()
}

async fn agency(db: &Db, name: &str, region: &str) -> OrgRef {
    let form = OrganisationForm {
        kind: "agency".into(),
        name: name.into(),
        region: region.into(),
        categories: vec!["infrastruktur".into()],
        ..OrganisationForm::default()
    };
    let new = form.validate().unwrap();
    let org = db.write(move |tx| Box::pin(async move { organisations::create(tx, &new, None).await })).await.unwrap();
    org.org_ref()
}

async fn grant(db: &Db, user: UserId, role: Role, scope: Scope, by: Option<UserId>) -> Result<Grant, StoreError> {
    db.write(move |tx| Box::pin(async move { grants::grant(tx, user, role, &scope, by).await })).await
}

async fn revoke(db: &Db, grant: GrantId, by: Option<UserId>) -> Result<GrantRecord, StoreError> {
    db.write(move |tx| Box::pin(async move { grants::revoke(tx, grant, by).await })).await
}

fn invalid(outcome: Result<impl std::fmt::Debug, StoreError>) -> FieldError {
    match outcome {
        Err(StoreError::Invalid(e)) => e,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

contract_tests! {
    async fn grants_that_do_not_fit_their_scope_are_refused_and_store_nothing(db) {
        let someone = user(&db, "Seseorang").await;
        let jlodro = kim(&db, "KIM Jlodro", "35.23.01.2001").await;
        let on_a_kim = grant(&db, someone, Role::RegencyOfficer, Scope::Organisation(jlodro.clone()), None).await;
        assert_eq!(invalid(on_a_kim), FieldError::new("scope", ValidationCode::InvalidChoice));
        let admin_of_a_regency = grant(&db, someone, Role::ProvinceAdmin, region("35.23"), None).await;
        assert_eq!(invalid(admin_of_a_regency).code, ValidationCode::InvalidChoice);
        let citizen = grant(&db, someone, Role::Citizen, region("35"), None).await;
        assert_eq!(invalid(citizen).code, ValidationCode::InvalidChoice);
        let unknown_regency = grant(&db, someone, Role::RegencyOfficer, region("35.99"), None).await;
        assert_eq!(invalid(unknown_regency), FieldError::new("scope", ValidationCode::UnknownRegion));
        // A scope claiming the KIM is an agency is checked against what is stored.
        let forged = OrgRef { kind: OrgKind::Agency, ..jlodro.clone() };
        assert_eq!(invalid(grant(&db, someone, Role::AgencyOfficer, Scope::Organisation(forged), None).await).field, "scope");
        let missing = OrgRef { id: OrgId::generate(), ..jlodro };
        assert_eq!(invalid(grant(&db, someone, Role::KimManager, Scope::Organisation(missing), None).await).field, "scope");
        let nobody = grant(&db, UserId::generate(), Role::RegencyOfficer, region("35.23"), None).await;
        assert!(matches!(nobody, Err(StoreError::NotFound)));

        assert!(grants::grants_of_user(&db, someone).await.unwrap().is_empty());
        assert!(audit::for_target(&db, "user", &someone.to_string()).await.unwrap().is_empty());
    }

    async fn a_duplicate_grant_conflicts_and_revoking_twice_is_not_found(db) {
        let admin = user(&db, "Admin").await;
        let officer = user(&db, "Petugas").await;
        let first = grant(&db, officer, Role::RegencyOfficer, region("35.23"), Some(admin)).await.unwrap();
        let again = grant(&db, officer, Role::RegencyOfficer, region("35.23"), Some(admin)).await;
        assert!(matches!(again, Err(StoreError::Conflict("grant"))), "{again:?}");
        grant(&db, officer, Role::RegencyOfficer, region("35.07"), Some(admin)).await.unwrap();

        let revoked = revoke(&db, first.id, Some(admin)).await.unwrap();
        assert_eq!((revoked.grant, revoked.user, revoked.granted_by), (first.clone(), officer, Some(admin)));
        assert!(matches!(revoke(&db, first.id, Some(admin)).await, Err(StoreError::NotFound)));
        assert!(matches!(revoke(&db, GrantId::generate(), None).await, Err(StoreError::NotFound)));
        assert!(grants::get(&db, first.id).await.unwrap().is_none());
        let regranted = grant(&db, officer, Role::RegencyOfficer, region("35.23"), Some(admin)).await.unwrap();
        assert_ne!(regranted.id, first.id, "a revoked grant stays history; granting again makes a new one");

        let history = audit::for_target(&db, "user", &officer.to_string()).await.unwrap();
        let summary: Vec<(&str, Option<UserId>, &str)> =
            history.iter().map(|e| (e.action.as_str(), e.actor, e.scope_region.as_str())).collect();
        assert_eq!(
            summary,
            [
                ("role.grant", Some(admin), "35.23"),
                ("role.revoke", Some(admin), "35.23"),
                ("role.grant", Some(admin), "35.07"),
                ("role.grant", Some(admin), "35.23"),
            ],
            "the refused duplicate left no entry"
        );
        assert_eq!(history[1].before.as_ref().unwrap()["role"], "regency_officer");
    }

    async fn grants_of_a_user_resolve_organisation_scopes(db) {
        let manager = user(&db, "Pengurus").await;
        let jlodro = kim(&db, "KIM Jlodro", "35.23.01.2001").await;
        let other = kim(&db, "KIM Sokogunung", "35.23.01.2002").await;
        grant(&db, manager, Role::KimManager, Scope::Organisation(jlodro.clone()), None).await.unwrap();
        grant(&db, manager, Role::FactChecker, region("35"), None).await.unwrap();
        let dropped = grant(&db, manager, Role::KimContributor, Scope::Organisation(other.clone()), None).await.unwrap();
        revoke(&db, dropped.id, None).await.unwrap();

        let held = grants::grants_of_user(&db, manager).await.unwrap();
        let roles: Vec<(Role, Scope)> = held.iter().map(|g| (g.role, g.scope.clone())).collect();
        assert_eq!(roles, [(Role::KimManager, Scope::Organisation(jlodro.clone())), (Role::FactChecker, region("35"))]);
        let actor = Actor::user(manager, held);
        assert!(can(&actor, Action::ManageKimMembers, &Resource::Organisation(&jlodro)));
        assert!(!can(&actor, Action::ManageKimMembers, &Resource::Organisation(&other)));
        assert!(grants::grants_of_user(&db, UserId::generate()).await.unwrap().is_empty());
    }

    async fn the_grant_list_of_a_region_shows_only_that_region(db) {
        let admin = user(&db, "Admin Provinsi").await;
        let tuban_officer = user(&db, "Petugas Tuban").await;
        let tuban_manager = user(&db, "Pengurus Jlodro").await;
        let malang_officer = user(&db, "Petugas Malang").await;
        let malang_agency_officer = user(&db, "Petugas PU Malang").await;
        let jlodro = kim(&db, "KIM Jlodro", "35.23.01.2001").await;
        let pu_malang = agency(&db, "Dinas PU Malang", "35.07").await;
        grant(&db, admin, Role::ProvinceAdmin, region("35"), None).await.unwrap();
        grant(&db, tuban_officer, Role::RegencyOfficer, region("35.23"), Some(admin)).await.unwrap();
        grant(&db, tuban_manager, Role::KimManager, Scope::Organisation(jlodro), Some(tuban_officer)).await.unwrap();
        grant(&db, malang_officer, Role::RegencyOfficer, region("35.07"), Some(admin)).await.unwrap();
        grant(&db, malang_agency_officer, Role::AgencyOfficer, Scope::Organisation(pu_malang), Some(malang_officer))
            .await
            .unwrap();

        let tuban = grants::list_within(&db, &code("35.23")).await.unwrap();
        let holders: Vec<(UserId, Option<&str>, Option<UserId>)> =
            tuban.iter().map(|r| (r.user, r.user_name.as_deref(), r.granted_by)).collect();
        assert_eq!(
            holders,
            [
                (tuban_officer, Some("Petugas Tuban"), Some(admin)),
                (tuban_manager, Some("Pengurus Jlodro"), Some(tuban_officer)),
            ],
            "the Tuban list excludes Malang and the province"
        );
        let malang = grants::list_within(&db, &code("35.07")).await.unwrap();
        assert_eq!(malang.iter().map(|r| r.user).collect::<Vec<_>>(), [malang_agency_officer, malang_officer]);
        assert_eq!(grants::list_within(&db, &code("35")).await.unwrap().len(), 5);
        assert_eq!(grants::list_within(&db, &code("35.23.01")).await.unwrap().len(), 1, "the KIM lies in the district");
        assert!(grants::list_within(&db, &code("35.78")).await.unwrap().is_empty());
    }

    async fn holders_and_typed_scopes(db) {
        let officer = user(&db, "Petugas").await;
        let gone = user(&db, "Terhapus").await;
        grant(&db, officer, Role::RegencyOfficer, region("35.23"), None).await.unwrap();
        grant(&db, gone, Role::RegencyOfficer, region("35.23"), None).await.unwrap();
        db.write(move |tx| Box::pin(async move {
            exec!(tx, sqlx::query("UPDATE users SET deleted_at = 1, name = NULL WHERE id = $1").bind(gone.to_string()))?;
            Ok(())
        }))
        .await
        .unwrap();
        assert_eq!(grants::holders(&db, Role::RegencyOfficer, &region("35.23")).await.unwrap(), [officer]);
        assert!(grants::holders(&db, Role::RegencyOfficer, &region("35.07")).await.unwrap().is_empty());

        let jlodro = kim(&db, "KIM Jlodro", "35.23.01.2001").await;
        grant(&db, officer, Role::KimManager, Scope::Organisation(jlodro.clone()), None).await.unwrap();
        assert_eq!(grants::holders(&db, Role::KimManager, &Scope::Organisation(jlodro.clone())).await.unwrap(), [officer]);

        assert_eq!(grants::parse_scope(&db, "35.23").await.unwrap(), region("35.23"));
        assert_eq!(grants::parse_scope(&db, &jlodro.id.to_string()).await.unwrap(), Scope::Organisation(jlodro));
        for bad in ["35.99", "tuban", ""] {
            assert!(matches!(grants::parse_scope(&db, bad).await, Err(StoreError::Invalid(_))), "{bad:?}");
        }
        let unknown = grants::parse_scope(&db, &OrgId::generate().to_string()).await;
        assert_eq!(invalid(unknown), FieldError::new("scope", ValidationCode::InvalidChoice));
    }
}
