//! The administration area over HTTP: KIM registration and verification by
//! the regency, rosters and phone consent, optimistic edits, role grants
//! within one's own scope, the scoped audit log, in-person password resets,
//! and CSRF on every form.

use jembatan_domain::role::Role;
use jembatan_domain::{OrgId, RegionCode};
use jembatan_store::{audit, grants, kims, notifications, organisations};
use serde_json::json;

use crate::admin_support::{
    PASSWORD, agency, audit_entries, grant_to, id_in, kim, kim_count, location, member, sign_up, sign_up_as,
};
use crate::helpers::{TestApp, hidden_value};
use crate::http_tests;

/// A valid registration form for a KIM named `name` in `village`.
fn kim_form<'a>(name: &'a str, village: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("village", village),
        ("status", "terdaftar"),
        ("sk_number", "188/12/KPTS/414.013/2024"),
        ("sk_issuer", "Bupati Tuban"),
        ("sk_date", "2024-03-01"),
        ("sk_expires", "2027-02-28"),
        ("kim_id_url", "jlodromaju.kim.id"),
        ("whatsapp", "0812 3456 7890"),
        ("instagram", "@kim.jlodro"),
        ("facebook", ""),
        ("youtube", ""),
        ("description", "KIM desa Jlodro."),
        ("address", "Balai Desa Jlodro"),
        ("email", ""),
    ]
}

async fn stored_kim(app: &TestApp, id: &str) -> kims::Kim {
    kims::get(&app.db, id.parse().unwrap()).await.unwrap().expect("the KIM is stored")
}

http_tests! {
    async fn a_regency_officer_registers_verified_kims_in_the_regency_only(app) {
        let officer = sign_up_as(&app, "Petugas Tuban", "regency_officer", "35.23").await;
        let (status, html) = officer.get_text("/admin/kim/baru").await;
        assert_eq!(status, 200);
        assert!(html.contains("name=\"village\""));

        let response = officer.post("/admin/kim/baru", &kim_form("KIM Jlodro Maju", "35.23.01.2001")).await;
        assert_eq!(response.status(), 303);
        let id = id_in(&location(&response));
        let kim = stored_kim(&app, &id).await;
        assert!(kim.is_verified(), "registered by its regency officer: verified at once");
        assert_eq!((kim.registered_by, kim.verified_by), (Some(officer.id), Some(officer.id)));
        let (status, html) = officer.get_text(&location(&response)).await;
        assert_eq!(status, 200);
        assert!(html.contains("KIM sudah didaftarkan."));
        assert!(html.contains("Diverifikasi"));

        let actions: Vec<_> = audit_entries(&app, "35.23").await.into_iter().map(|e| e.action).collect();
        assert!(actions.contains(&audit::action::KIM_REGISTER.to_owned()) && actions.contains(&audit::action::KIM_VERIFY.to_owned()));
        let (status, html) = officer.get_text("/admin/audit").await;
        assert_eq!(status, 200);
        assert!(html.contains("Mendaftarkan KIM") && html.contains("Memverifikasi KIM"));
        assert!(html.contains("KIM Jlodro Maju") && html.contains("Petugas Tuban"));

        let (status, html) = officer.get_text("/admin/kim").await;
        assert_eq!(status, 200);
        assert!(html.contains("KIM Jlodro Maju"));

        // Malang is not Tuban's: refused, nothing stored.
        let response = officer.post("/admin/kim/baru", &kim_form("KIM Tulungrejo", "35.07.01.2001")).await;
        assert_eq!(response.status(), 403);
        assert_eq!(kim_count(&app, "35.07").await, 0);

        // Bad input: every field named, what was typed kept, nothing stored.
        let bad = [
            ("name", ""), ("village", "35.23"), ("status", "terdaftar"), ("sk_number", "188/1"),
            ("sk_issuer", ""), ("sk_date", "01-03-2024"), ("kim_id_url", "kimmaju.blogspot.com"),
            ("whatsapp", "021 555"), ("description", "Tetap di sini"),
        ];
        let (status, html) = officer.post_text("/admin/kim/baru", &bad).await;
        assert_eq!(status, 400);
        assert!(html.contains("Ada isian yang perlu diperbaiki"));
        assert!(html.contains("Wajib diisi."));
        assert!(html.contains("Tingkat wilayah tidak sesuai"));
        assert!(html.contains("Tanggal tidak valid"));
        assert!(html.contains("Alamat web tidak valid."));
        assert!(html.contains("Nomor HP tidak valid"));
        assert!(html.contains("value=\"01-03-2024\"") && html.contains("value=\"kimmaju.blogspot.com\""));
        assert!(html.contains("Tetap di sini"));
        assert!(html.contains("id=\"sk_issuer-error\""));
        let (status, html) = officer.post_text("/admin/kim/baru", &kim_form("KIM Hilang", "35.23.99.9999")).await;
        assert_eq!(status, 400);
        assert!(html.contains("Kode wilayah tidak dikenal."));
        assert_eq!(kim_count(&app, "35.23").await, 1);

        // The same pages in English.
        let (status, html) = officer.get_text("/en/admin/kim").await;
        assert_eq!(status, 200);
        assert!(html.contains("Register a KIM"));
    }

    async fn the_dashboard_shows_what_one_administers(app) {
        let anonymous = TestApp::spawn_client(&app);
        let response = anonymous.get("/admin").await;
        assert_eq!(response.status(), 303);
        assert!(location(&response).starts_with("/masuk?next="));
        let citizen = sign_up(&app, "Warga Biasa").await;
        assert_eq!(citizen.get("/admin").await.status(), 403);
        let (_, html) = citizen.get_text("/akun").await;
        assert!(!html.contains("href=\"/admin\""), "no admin link for citizens");

        let officer = sign_up_as(&app, "Petugas Dasbor", "regency_officer", "35.23").await;
        kim(&app, "35.23.01.2001", "KIM Satu").await;
        kim(&app, "35.23.01.2002", "KIM Dua").await;
        let user = officer.id;
        app.db
            .write(move |tx| Box::pin(async move {
                notifications::create(tx, &notifications::NewNotification {
                    user, kind: notifications::kind::KIM_SK_EXPIRING, subject_id: None,
                    params: json!({ "kim_name": "KIM Satu", "sk_expires": "2030-01-01" }), link: None,
                }).await
            }))
            .await
            .unwrap();
        let (status, html) = officer.get_text("/admin").await;
        assert_eq!(status, 200);
        assert_eq!(officer.get("/admin").await.headers()["cache-control"], "private, no-store");
        assert!(html.contains("Kabupaten Tuban (35.23)"));
        assert!(html.contains("<dt>Dibentuk</dt><dd>2</dd>"), "{html}");
        assert!(html.contains("Ada 1 pemberitahuan belum dibaca."));
        for link in ["/admin/kim", "/admin/organisasi", "/admin/peran", "/admin/audit", "/admin/kim/baru"] {
            assert!(html.contains(&format!("href=\"{link}\"")), "{link}");
        }

        let manager = sign_up_as(&app, "Pengurus Dasbor", "kim_manager", &kim(&app, "35.23.01.2003", "KIM Tiga").await.to_string()).await;
        let (status, html) = manager.get_text("/admin").await;
        assert_eq!(status, 200);
        assert!(html.contains("KIM Tiga"));
        assert!(!html.contains("href=\"/admin/audit\"") && !html.contains("href=\"/admin/organisasi\""));
    }

    async fn a_kim_manager_keeps_the_roster_and_cannot_verify(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Jlodro").await;
        let other = kim(&app, "35.07.01.2001", "KIM Tulungrejo").await;
        let manager = sign_up_as(&app, "Pengurus Jlodro", "kim_manager", &kim_id.to_string()).await;
        let roster = format!("/admin/kim/{kim_id}/anggota");

        let (status, html) = manager.get_text("/admin/kim").await;
        assert_eq!(status, 200);
        assert!(html.contains("KIM Jlodro") && !html.contains("KIM Tulungrejo"));
        assert_eq!(manager.get(&format!("/admin/kim/{other}")).await.status(), 403);
        assert_eq!(manager.get(&format!("/admin/kim/{other}/anggota")).await.status(), 403);

        let response = manager.post(&roster, &[("name", "Siti Aminah"), ("position", "ketua"), ("phone", "0812 1111 2222"), ("account", "")]).await;
        assert_eq!(response.status(), 303);
        let (status, html) = manager.get_text(&roster).await;
        assert_eq!(status, 200);
        assert!(html.contains("Siti Aminah") && html.contains("Ketua") && html.contains("+6281211112222"));
        assert!(html.contains("Tidak ditampilkan di profil publik"));
        let profile = kims::profile(&app.db, kim_id).await.unwrap().unwrap();
        assert_eq!(profile.officers[0].phone, None, "no consent yet: the phone stays private");

        // A second ketua and an unknown account are refused with the typed values kept.
        let (status, html) = manager.post_text(&roster, &[("name", "Budi Dua"), ("position", "ketua"), ("phone", ""), ("account", "")]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Jabatan ini sudah diisi orang lain.") && html.contains("value=\"Budi Dua\""));
        let (status, html) = manager.post_text(&roster, &[("name", "Budi"), ("position", ""), ("phone", "12"), ("account", "tidakada@contoh.id")]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Tidak ada akun dengan email atau nomor HP ini.") && html.contains("Nomor HP tidak valid"));
        assert!(html.contains("value=\"tidakada@contoh.id\""));
        assert_eq!(kims::members(&app.db, kim_id).await.unwrap().len(), 1, "nothing stored");

        // Consent, recorded then shown publicly.
        let siti = kims::members(&app.db, kim_id).await.unwrap().remove(0);
        let consent = format!("{roster}/{}/persetujuan-hp", siti.id);
        assert_eq!(manager.post(&consent, &[("consent", "yes")]).await.status(), 303);
        let profile = kims::profile(&app.db, kim_id).await.unwrap().unwrap();
        assert_eq!(profile.officers[0].phone.as_ref().map(|p| p.as_str()), Some("+6281211112222"));
        let (_, html) = manager.get_text(&roster).await;
        assert!(html.contains("Setuju ditampilkan sejak"));
        assert_eq!(manager.post(&consent, &[("consent", "no")]).await.status(), 303);
        assert_eq!(kims::profile(&app.db, kim_id).await.unwrap().unwrap().officers[0].phone, None);

        // The regency's decisions are not the manager's.
        assert_eq!(manager.post(&format!("/admin/kim/{kim_id}/verifikasi"), &[]).await.status(), 403);
        assert_eq!(manager.post(&format!("/admin/kim/{kim_id}/status"), &[("status", "vakum")]).await.status(), 403);
        let stored = kims::get(&app.db, kim_id).await.unwrap().unwrap();
        assert!(!stored.is_verified());
        let (_, html) = manager.get_text(&format!("/admin/kim/{kim_id}")).await;
        assert!(!html.contains("/verifikasi") && !html.contains("/status\""));

        // Removing a member.
        let budi = member(&app, kim_id, "Budi Santoso", "", None).await;
        assert_eq!(manager.post(&format!("{roster}/{budi}/hapus"), &[]).await.status(), 303);
        let (_, html) = manager.get_text(&roster).await;
        assert!(!html.contains("Budi Santoso"));
        assert_eq!(manager.post(&format!("{roster}/{budi}/hapus"), &[]).await.status(), 404);

        let mine: Vec<_> = audit_entries(&app, "35.23").await.into_iter().filter(|e| e.actor == Some(manager.id)).map(|e| e.action).collect();
        for action in [audit::action::MEMBER_ADD, audit::action::MEMBER_PHONE_CONSENT, audit::action::MEMBER_REMOVE] {
            assert!(mine.contains(&action.to_owned()), "{action} audited");
        }

        // The regency officer verifies and sets the status.
        let officer = sign_up_as(&app, "Petugas Tuban", "regency_officer", "35.23").await;
        assert_eq!(officer.post(&format!("/admin/kim/{kim_id}/verifikasi"), &[]).await.status(), 303);
        assert!(kims::get(&app.db, kim_id).await.unwrap().unwrap().is_verified());
        let (status, html) = officer.post_text(&format!("/admin/kim/{kim_id}/status"), &[("status", "aktif")]).await;
        assert_eq!(status, 400, "an active KIM needs an SK");
        assert!(html.contains("wajib memiliki SK"));
        assert_eq!(officer.post(&format!("/admin/kim/{kim_id}/status"), &[("status", "vakum")]).await.status(), 303);
        assert_eq!(kims::get(&app.db, kim_id).await.unwrap().unwrap().status.as_str(), "vakum");
    }

    async fn a_stale_edit_is_refused_and_overwrites_nothing(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Lama").await;
        let officer = sign_up_as(&app, "Petugas Tuban", "regency_officer", "35.23").await;
        let manager = sign_up_as(&app, "Pengurus", "kim_manager", &kim_id.to_string()).await;
        let path = format!("/admin/kim/{kim_id}");
        let (_, officer_form) = officer.get_text(&path).await;
        let (_, manager_form) = manager.get_text(&path).await;
        let version = hidden_value(&officer_form, "version").unwrap();
        assert_eq!(hidden_value(&manager_form, "version").unwrap(), version);

        let response = officer.post(&path, &[("version", &version), ("name", "KIM Jlodro Petugas"), ("description", "dari petugas")]).await;
        assert_eq!(response.status(), 303);
        let (status, html) = manager.post_text(&path, &[("version", &version), ("name", "KIM Jlodro Pengurus"), ("description", "dari pengurus")]).await;
        assert_eq!(status, 409);
        assert!(html.contains("Data ini sudah diubah orang lain sejak Anda membukanya."));
        assert!(html.contains("value=\"KIM Jlodro Pengurus\"") && html.contains("dari pengurus"), "typed values kept");
        let stored = kims::get(&app.db, kim_id).await.unwrap().unwrap();
        assert_eq!((stored.org.profile.name.as_str(), stored.org.profile.description.as_str()), ("KIM Jlodro Petugas", "dari petugas"));

        // A refused edit keeps what was typed and changes nothing either.
        let current = stored.org.version.to_string();
        let (status, html) = manager.post_text(&path, &[("version", &current), ("name", ""), ("email", "bukan-email")]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Wajib diisi.") && html.contains("Alamat email tidak valid.") && html.contains("value=\"bukan-email\""));
        assert_eq!(kims::get(&app.db, kim_id).await.unwrap().unwrap().org.version, stored.org.version);

        // Organisations too.
        let org = agency(&app, "35.23", "Dinas Kesehatan").await;
        let org_path = format!("/admin/organisasi/{org}");
        let (status, html) = officer.get_text(&org_path).await;
        assert_eq!(status, 200);
        let version = hidden_value(&html, "version").unwrap();
        let edit = |name: &'static str| vec![("version", version.clone()), ("name", name.to_owned()), ("categories", "kesehatan".to_owned()), ("categories", "sosial".to_owned())];
        let first: Vec<(&str, String)> = edit("Dinas Kesehatan Kabupaten Tuban");
        let first: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(officer.post(&org_path, &first).await.status(), 303);
        let second: Vec<(&str, String)> = edit("Dinkes Tuban");
        let second: Vec<(&str, &str)> = second.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, html) = officer.post_text(&org_path, &second).await;
        assert_eq!(status, 409);
        assert!(html.contains("value=\"Dinkes Tuban\""));
        let stored = organisations::get(&app.db, org).await.unwrap().unwrap();
        assert_eq!(stored.profile.name, "Dinas Kesehatan Kabupaten Tuban");
        assert_eq!(stored.profile.categories.len(), 2);
    }

    async fn organisations_are_created_within_scope(app) {
        let officer = sign_up_as(&app, "Petugas Tuban", "regency_officer", "35.23").await;
        let (status, _) = officer.get_text("/admin/organisasi/baru").await;
        assert_eq!(status, 200);
        let response = officer.post("/admin/organisasi/baru", &[("kind", "body"), ("body_kind", "state_company"), ("name", "PLN ULP Tuban"), ("region", "35.23")]).await;
        assert_eq!(response.status(), 303);
        let id: OrgId = id_in(&location(&response)).parse().unwrap();
        assert_eq!(organisations::get(&app.db, id).await.unwrap().unwrap().profile.name, "PLN ULP Tuban");
        let (_, html) = officer.get_text("/admin/organisasi").await;
        assert!(html.contains("PLN ULP Tuban") && html.contains("BUMN"));

        // Out of scope, and a kind only the province creates.
        let malang = [("kind", "agency"), ("name", "Dinkes Malang"), ("region", "35.07"), ("categories", "kesehatan")];
        assert_eq!(officer.post("/admin/organisasi/baru", &malang).await.status(), 403);
        let office = [("kind", "diskominfo"), ("name", "Diskominfo Tuban"), ("region", "35.23")];
        assert_eq!(officer.post("/admin/organisasi/baru", &office).await.status(), 403);
        // Bad input.
        let (status, html) = officer.post_text("/admin/organisasi/baru", &[("kind", "agency"), ("name", "Dinas Tanpa Bidang"), ("region", "35.23"), ("website", "javascript:alert(1)")]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Wajib diisi.") && html.contains("Alamat web tidak valid.") && html.contains("value=\"Dinas Tanpa Bidang\""));
        let listed = organisations::list(&app.db, None, &RegionCode::parse("35").unwrap()).await.unwrap();
        assert_eq!(listed.len(), 1, "only the PLN office is stored");

        // An agency officer edits their own agency only.
        let dinkes = agency(&app, "35.23", "Dinas Kesehatan").await;
        let officer_of_agency = sign_up_as(&app, "Petugas Dinkes", "agency_officer", &dinkes.to_string()).await;
        let (status, html) = officer_of_agency.get_text("/admin/organisasi").await;
        assert_eq!(status, 200);
        assert!(html.contains("Dinas Kesehatan"));
        assert_eq!(officer_of_agency.get(&format!("/admin/organisasi/{dinkes}")).await.status(), 200);
        assert_eq!(officer_of_agency.get(&format!("/admin/organisasi/{id}")).await.status(), 403);
        assert_eq!(officer_of_agency.get("/admin/organisasi/baru").await.status(), 403);
    }

    async fn roles_are_granted_and_revoked_within_ones_scope_only(app) {
        let tuban_kim = kim(&app, "35.23.01.2001", "KIM Jlodro").await;
        let malang_kim = kim(&app, "35.07.01.2001", "KIM Tulungrejo").await;
        let officer = sign_up_as(&app, "Petugas Tuban", "regency_officer", "35.23").await;
        let candidate = sign_up(&app, "Calon Pengurus").await;
        let (status, html) = officer.get_text("/admin/peran").await;
        assert_eq!(status, 200);
        assert!(html.contains("Petugas Tuban"), "the officer's own grant is listed");

        let tuban = tuban_kim.to_string();
        let (_, html) = officer.get_text(&format!("/admin/kim/{tuban}")).await;
        assert!(html.contains(&format!("href=\"/admin/peran?lingkup={tuban}\"")), "the KIM's page links to granting there");
        let (_, html) = officer.get_text(&format!("/admin/peran?lingkup={tuban}")).await;
        assert!(html.contains(&format!("value=\"{tuban}\"")), "the scope is filled in");
        let response = officer.post("/admin/peran", &[("account", &candidate.email), ("role", "kim_manager"), ("scope", &tuban)]).await;
        assert_eq!(response.status(), 303);
        let held = grants::grants_of_user(&app.db, candidate.id).await.unwrap();
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].role, Role::KimManager);

        // Outside the regency, and above the officer's own role: 403, nothing stored.
        let malang = malang_kim.to_string();
        assert_eq!(officer.post("/admin/peran", &[("account", &candidate.email), ("role", "kim_manager"), ("scope", &malang)]).await.status(), 403);
        assert_eq!(officer.post("/admin/peran", &[("account", &candidate.email), ("role", "regency_officer"), ("scope", "35.23")]).await.status(), 403);
        assert_eq!(officer.post("/admin/peran", &[("account", &candidate.email), ("role", "province_admin"), ("scope", "35")]).await.status(), 403);

        // Bad input: the field is named, the typed values kept.
        let cases: [(&[(&str, &str)], &str); 6] = [
            (&[("account", &candidate.email), ("role", "raja"), ("scope", "35.23")], "Pilihan tidak valid."),
            (&[("account", &candidate.email), ("role", "kim_contributor"), ("scope", "tuban")], "Pilihan tidak valid."),
            (&[("account", &candidate.email), ("role", "fact_checker"), ("scope", "35.99")], "Kode wilayah tidak dikenal."),
            (&[("account", "siapa@contoh.id"), ("role", "kim_contributor"), ("scope", &tuban)], "Tidak ada akun dengan email atau nomor HP ini."),
            (&[("account", &candidate.email), ("role", "kim_manager"), ("scope", "35.23")], "Peran ini tidak dapat diberikan pada lingkup ini"),
            (&[("account", &candidate.email), ("role", "kim_manager"), ("scope", &tuban)], "sudah memegang peran tersebut"),
        ];
        for (form, message) in cases {
            let (status, html) = officer.post_text("/admin/peran", form).await;
            assert_eq!(status, 400, "{form:?}");
            assert!(html.contains(message), "{form:?}: {message}");
            assert!(html.contains(&format!("value=\"{}\"", form[2].1)), "the scope typed is kept");
        }
        assert_eq!(grants::grants_of_user(&app.db, candidate.id).await.unwrap().len(), 1);

        // The new manager grants contributors of the KIM, nothing more.
        let mut manager = candidate;
        manager.refresh_csrf().await;
        let helper = sign_up(&app, "Calon Kontributor").await;
        let (status, html) = manager.get_text("/admin/peran").await;
        assert_eq!(status, 200);
        assert!(html.contains(&tuban), "the manager's KIM is offered as a scope");
        assert_eq!(manager.post("/admin/peran", &[("account", &helper.email), ("role", "kim_contributor"), ("scope", &tuban)]).await.status(), 303);
        assert_eq!(manager.post("/admin/peran", &[("account", &helper.email), ("role", "kim_manager"), ("scope", &tuban)]).await.status(), 403);
        assert_eq!(manager.post("/admin/peran", &[("account", &helper.email), ("role", "kim_contributor"), ("scope", &malang)]).await.status(), 403);

        // Revoking: out of scope refused, in scope done, then gone.
        let malang_grant = grant_to(&app, helper.id, Role::KimContributor, &malang).await;
        assert_eq!(officer.post(&format!("/admin/peran/{malang_grant}/cabut"), &[]).await.status(), 403);
        let held = grants::grants_of_user(&app.db, helper.id).await.unwrap();
        let tuban_grant = held.iter().find(|g| g.scope.is_organisation(tuban_kim)).unwrap().id;
        let (_, html) = officer.get_text("/admin/peran").await;
        assert!(html.contains(&format!("/admin/peran/{tuban_grant}/cabut")));
        assert!(!html.contains(&format!("/admin/peran/{malang_grant}/cabut")));
        assert_eq!(officer.post(&format!("/admin/peran/{tuban_grant}/cabut"), &[]).await.status(), 303);
        assert_eq!(officer.post(&format!("/admin/peran/{tuban_grant}/cabut"), &[]).await.status(), 404);
        let held = grants::grants_of_user(&app.db, helper.id).await.unwrap();
        assert_eq!(held.len(), 1);
        assert!(held[0].scope.is_organisation(malang_kim));
        let actions: Vec<_> = audit_entries(&app, "35.23").await.into_iter().map(|e| e.action).collect();
        assert!(actions.contains(&audit::action::ROLE_GRANT.to_owned()) && actions.contains(&audit::action::ROLE_REVOKE.to_owned()));
    }

    async fn the_audit_log_is_read_within_ones_scope(app) {
        let tuban = sign_up_as(&app, "Petugas Tuban", "regency_officer", "35.23").await;
        let malang = sign_up_as(&app, "Petugas Malang", "regency_officer", "35.07").await;
        assert_eq!(tuban.post("/admin/kim/baru", &kim_form("KIM Jlodro Maju", "35.23.01.2001")).await.status(), 303);
        assert_eq!(malang.post("/admin/kim/baru", &kim_form("KIM Tulungrejo Jaya", "35.07.01.2001")).await.status(), 303);

        let (status, html) = tuban.get_text("/admin/audit").await;
        assert_eq!(status, 200);
        assert!(html.contains("KIM Jlodro Maju") && !html.contains("KIM Tulungrejo Jaya"));
        assert_eq!(tuban.get("/admin/audit?wilayah=35.07").await.status(), 403);
        assert_eq!(tuban.get("/admin/audit?wilayah=35").await.status(), 403);
        let (status, html) = tuban.get_text("/admin/audit?wilayah=35.23.01").await;
        assert_eq!(status, 200, "a district within the regency");
        assert!(html.contains("KIM Jlodro Maju"));
        assert_eq!(tuban.get("/admin/audit?wilayah=tuban").await.status(), 400);
        let manager = sign_up_as(&app, "Pengurus", "kim_manager", &kim(&app, "35.23.01.2002", "KIM Lain").await.to_string()).await;
        assert_eq!(manager.get("/admin/audit").await.status(), 403, "KIM managers do not read the log");

        // A deleted actor appears under a pseudonym.
        assert_eq!(malang.post("/akun/hapus", &[("password", PASSWORD)]).await.status(), 200);
        let admin = sign_up_as(&app, "Admin Provinsi", "province_admin", "35").await;
        let (status, html) = admin.get_text("/admin/audit?wilayah=35").await;
        assert_eq!(status, 200);
        assert!(html.contains("KIM Jlodro Maju") && html.contains("KIM Tulungrejo Jaya"));
        assert!(html.contains("Petugas Tuban") && !html.contains("Petugas Malang"));
        assert!(html.contains("pengguna-"));

        // Older entries, a page at a time.
        let region = RegionCode::parse("35.23.01.2001").unwrap();
        app.db
            .write(move |tx| Box::pin(async move {
                for i in 0..60 {
                    audit::append(tx, &audit::AuditEntry {
                        actor: None, action: audit::action::KIM_UPDATE, target_kind: "organisation",
                        target_id: format!("tes-{i}"), scope_region: region.clone(), before: None, after: Some(json!({ "n": i })),
                    }).await?;
                }
                Ok(())
            }))
            .await
            .unwrap();
        let (_, html) = tuban.get_text("/admin/audit").await;
        assert!(html.contains("Sistem") && html.contains(":59}"));
        assert!(!html.contains("Mendaftarkan KIM"), "older than the first page");
        let older = html.split("Lebih lama").next().unwrap().rsplit("href=\"").next().unwrap().split('"').next().unwrap().replace("&#38;", "&");
        assert!(older.starts_with("/admin/audit?wilayah=35.23&sebelum="), "{older}");
        let (status, html) = tuban.get_text(&older).await;
        assert_eq!(status, 200);
        assert!(html.contains("Mendaftarkan KIM") && html.contains("Terbaru"));
    }

    async fn a_kim_manager_resets_a_members_password_in_person(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Jlodro").await;
        let manager = sign_up_as(&app, "Pengurus Jlodro", "kim_manager", &kim_id.to_string()).await;
        // A villager with a phone number and no e-mail.
        let villager = TestApp::spawn_client(&app);
        let response = villager.post_form("/daftar", &[
            ("name", "Pak Darmo"), ("email", ""), ("phone", "081298765432"),
            ("password", "sawah hijau subur"), ("password_confirm", "sawah hijau subur"), ("consent", "yes"),
        ]).await;
        assert_eq!(response.status(), 303);
        let roster = format!("/admin/kim/{kim_id}/anggota");
        let response = manager.post(&roster, &[("name", "Pak Darmo"), ("position", "anggota"), ("phone", ""), ("account", "0812-9876-5432")]).await;
        assert_eq!(response.status(), 303);
        let darmo = kims::members(&app.db, kim_id).await.unwrap()[0].user.expect("linked to the account");
        let reset = format!("/admin/pengguna/{darmo}/sandi");
        let (_, html) = manager.get_text(&roster).await;
        assert!(html.contains(&format!("href=\"{reset}\"")), "the roster links to the reset");

        let (status, html) = manager.get_text(&reset).await;
        assert_eq!(status, 200);
        assert!(html.contains("Pak Darmo"));
        let (status, html) = manager.post_text(&reset, &[("password", "sandi baru petugas"), ("password_confirm", "sandi lain")]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Konfirmasi kata sandi tidak sama."));
        let (status, html) = manager.post_text(&reset, &[("password", "sandi baru petugas"), ("password_confirm", "sandi baru petugas")]).await;
        assert_eq!(status, 200);
        assert!(html.contains("sudah disimpan"));

        let response = villager.get("/akun").await;
        assert_eq!(response.status(), 303, "the villager's sessions ended");
        assert_eq!(villager.log_in("0812 9876 5432", "sawah hijau subur").await.status(), 401);
        let response = villager.log_in("0812 9876 5432", "sandi baru petugas").await;
        assert_eq!(location(&response), "/akun");
        let html = villager.get("/akun").await.text().await.unwrap();
        assert!(html.contains("Kata sandi Anda diatur ulang oleh petugas"));

        let entry = audit_entries(&app, "35.23").await.into_iter().find(|e| e.action == audit::action::PASSWORD_RESET_IN_PERSON).expect("audited");
        assert_eq!((entry.actor, entry.target_id.as_str(), entry.scope_region.as_str()), (Some(manager.id), darmo.to_string().as_str(), "35.23.01.2001"));
        assert!(!entry.after.unwrap().to_string().contains("sandi"), "no secret in the log");
        let (_, html) = sign_up_as(&app, "Petugas Tuban", "regency_officer", "35.23").await.get_text("/admin/audit").await;
        assert!(html.contains("Mengatur ulang kata sandi secara langsung") && html.contains("Pak Darmo"));

        // A more powerful account, oneself, and a stranger are refused.
        let fellow = sign_up_as(&app, "Pengurus Lain", "kim_manager", &kim_id.to_string()).await;
        member(&app, kim_id, "Pengurus Lain", "", Some(fellow.id)).await;
        let fellow_reset = format!("/admin/pengguna/{}/sandi", fellow.id);
        assert_eq!(manager.get(&fellow_reset).await.status(), 403);
        assert_eq!(manager.post(&fellow_reset, &[("password", "sandi baru petugas"), ("password_confirm", "sandi baru petugas")]).await.status(), 403);
        assert_eq!(fellow.visitor.log_in(&fellow.email, PASSWORD).await.status(), 303, "the password is unchanged");
        assert_eq!(manager.get(&format!("/admin/pengguna/{}/sandi", manager.id)).await.status(), 403);
        let stranger = sign_up(&app, "Orang Lain").await;
        assert_eq!(manager.get(&format!("/admin/pengguna/{}/sandi", stranger.id)).await.status(), 403);
        assert_eq!(manager.get(&format!("/admin/pengguna/{}/sandi", uuid::Uuid::now_v7())).await.status(), 404);
    }

    async fn every_admin_form_refuses_a_missing_or_wrong_csrf_token(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Jlodro").await;
        let admin = sign_up_as(&app, "Admin Provinsi", "province_admin", "35").await;
        let someone = sign_up(&app, "Anggota").await;
        let member_id = member(&app, kim_id, "Anggota", "0812 1111 2222", Some(someone.id)).await;
        let org = agency(&app, "35.23", "Dinas Kesehatan").await;
        let grant = grant_to(&app, someone.id, Role::KimContributor, &kim_id.to_string()).await;
        let before = audit_entries(&app, "35").await.len();
        let email = someone.email.clone();
        let forms: Vec<(String, Vec<(&str, &str)>)> = vec![
            ("/admin/kim/baru".into(), kim_form("KIM Palsu", "35.23.01.2002")),
            (format!("/admin/kim/{kim_id}"), vec![("version", "1"), ("name", "Diganti")]),
            (format!("/admin/kim/{kim_id}/verifikasi"), vec![]),
            (format!("/admin/kim/{kim_id}/status"), vec![("status", "vakum")]),
            (format!("/admin/kim/{kim_id}/anggota"), vec![("name", "Penyusup")]),
            (format!("/admin/kim/{kim_id}/anggota/{member_id}/hapus"), vec![]),
            (format!("/admin/kim/{kim_id}/anggota/{member_id}/persetujuan-hp"), vec![("consent", "yes")]),
            ("/admin/organisasi/baru".into(), vec![("kind", "agency"), ("name", "Palsu"), ("region", "35.23"), ("categories", "kesehatan")]),
            (format!("/admin/organisasi/{org}"), vec![("version", "1"), ("name", "Diganti"), ("categories", "kesehatan")]),
            ("/admin/peran".into(), vec![("account", email.as_str()), ("role", "fact_checker"), ("scope", "35")]),
            (format!("/admin/peran/{grant}/cabut"), vec![]),
            (format!("/admin/pengguna/{}/sandi", someone.id), vec![("password", "sandi baru petugas"), ("password_confirm", "sandi baru petugas")]),
        ];
        for (path, form) in &forms {
            assert_eq!(admin.post_raw(path, form).await.status(), 403, "{path} without a token");
            let mut wrong = vec![("csrf", "bukan-token-yang-benar")];
            wrong.extend_from_slice(form);
            assert_eq!(admin.post_raw(path, &wrong).await.status(), 403, "{path} with a wrong token");
        }
        assert_eq!(audit_entries(&app, "35").await.len(), before, "nothing was done");
        assert_eq!(kim_count(&app, "35").await, 1);
        assert_eq!(grants::grants_of_user(&app.db, someone.id).await.unwrap().len(), 1);
        assert_eq!(someone.visitor.get("/akun").await.status(), 200, "the member's session lives on");
    }
}
