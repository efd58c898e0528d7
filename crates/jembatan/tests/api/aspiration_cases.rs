//! The officers' side of aspirations over HTTP: the regency's verifier
//! verifies and dispatches, the agency's officer takes the case up and
//! answers, the citizen reads the answer on the tracking page; scopes,
//! anonymity towards the agency, audited identity views, stale forms.

use jembatan_domain::aspiration::TrackingNumber;
use jembatan_store::{aspirations, audit};

use crate::admin_support::{Session, agency, sign_up_as};
use crate::aspiration_support::{complaint, file, location};
use crate::helpers::TestApp;
use crate::http_tests;

/// The case page of a filed report.
async fn case_path(app: &TestApp, tracking: &str) -> String {
    let report = aspirations::by_tracking(&app.db, &TrackingNumber::parse(tracking).unwrap()).await.unwrap().unwrap();
    format!("/admin/aspirasi/{}", report.id)
}

async fn version(app: &TestApp, tracking: &str) -> String {
    let report = aspirations::by_tracking(&app.db, &TrackingNumber::parse(tracking).unwrap()).await.unwrap().unwrap();
    report.version.to_string()
}

struct Officers {
    verifier: Session,
    agency_officer: Session,
    agency: String,
}

async fn officers(app: &TestApp) -> Officers {
    let agency = agency(app, "35.23", "Dinas PUPR Kabupaten Tuban").await.to_string();
    Officers {
        verifier: sign_up_as(app, "Verifikator Tuban", "regency_officer", "35.23").await,
        agency_officer: sign_up_as(app, "Penghubung PUPR", "agency_officer", &agency).await,
        agency,
    }
}

http_tests! {
    async fn a_case_goes_from_the_verifier_to_the_agency_and_back_to_the_citizen(app) {
        let people = officers(&app).await;
        let mut form = complaint();
        form.mode = "anonymous".into();
        form.name = "Wiji Lestari".into();
        let tracking = file(&app, &form).await;
        let case = case_path(&app, &tracking).await;

        let (status, queue) = people.verifier.get_text("/admin/aspirasi").await;
        assert_eq!(status, 200);
        assert!(queue.contains(&tracking), "the regency's queue lists the case");
        let (status, page) = people.verifier.get_text(&case).await;
        assert_eq!(status, 200);
        assert!(page.contains("Jalan desa berlubang") && page.contains("/verifikasi\""), "the text and the verify form");
        assert!(!page.contains("Wiji Lestari"), "anonymous: shown only on request");

        // The verifier asks to see who it is: shown, and audited.
        let (status, page) = people.verifier.post_text(&format!("{case}/identitas"), &[]).await;
        assert_eq!(status, 200);
        assert!(page.contains("Wiji Lestari"));
        let id = case.rsplit('/').next().unwrap();
        let audited = audit::for_target(&app.db, "report", id).await.unwrap();
        assert_eq!(audited[0].action, "report.view_identity");
        assert_eq!(audited[0].actor, Some(people.verifier.id));

        let v = version(&app, &tracking).await;
        let response = people.verifier.post(&format!("{case}/verifikasi"), &[("version", &v)]).await;
        assert_eq!(response.status(), 303);
        assert!(location(&response).ends_with("?selesai=verifikasi"));
        let (_, page) = people.verifier.get_text(&case).await;
        assert!(page.contains(&format!("value=\"{}\"", people.agency)), "the agency is offered for dispatch");

        let v = version(&app, &tracking).await;
        let response = people
            .verifier
            .post(&format!("{case}/disposisi"), &[("version", &v), ("org", &people.agency), ("private_note", "Prioritas")])
            .await;
        assert_eq!(response.status(), 303);

        // The agency sees the case, not the anonymous reporter.
        let (status, queue) = people.agency_officer.get_text("/admin/aspirasi").await;
        assert_eq!(status, 200);
        assert!(queue.contains(&tracking));
        let (status, page) = people.agency_officer.get_text(&case).await;
        assert_eq!(status, 200);
        assert!(!page.contains("Wiji Lestari") && !page.contains("Tampilkan identitas"));
        assert_eq!(people.agency_officer.post(&format!("{case}/identitas"), &[]).await.status(), 403);
        assert_eq!(people.agency_officer.post(&format!("{case}/verifikasi"), &[("version", "3")]).await.status(), 403);

        let v = version(&app, &tracking).await;
        assert_eq!(people.agency_officer.post(&format!("{case}/tindak-lanjut"), &[("version", &v)]).await.status(), 303);
        let v = version(&app, &tracking).await;
        let (status, page) = people.agency_officer.post_text(&format!("{case}/jawab"), &[("version", &v)]).await;
        assert_eq!(status, 400, "an answer needs its text");
        assert!(page.contains("wajib"));
        let answer = "Lubang sudah ditambal tim UPT Jalan pada 2 Desember 2026.";
        let response =
            people.agency_officer.post(&format!("{case}/jawab"), &[("version", &v), ("public_note", answer)]).await;
        assert_eq!(response.status(), 303);

        // The citizen reads the answer; private notes stay inside.
        let (status, page) = app.get_text(&format!("/aspirasi/{tracking}")).await;
        assert_eq!(status, 200);
        assert!(page.contains(answer) && page.contains("Selesai"));
        assert!(!page.contains("Prioritas") && !page.contains("Wiji Lestari"));
        let (_, json) = app.get_json(&format!("/api/v1/aspirations/{tracking}")).await;
        assert_eq!(json["status"], "selesai");
        assert_eq!(json["open311_status"], "closed");
        assert!(!json.to_string().contains("Prioritas"));
    }

    async fn the_reporter_rates_the_answer_with_the_key_from_filing(app) {
        let people = officers(&app).await;
        let visitor = TestApp::spawn_client(&app);
        let phone = crate::aspiration_support::unique_phone();
        let response = crate::aspiration_support::post_report(
            &visitor,
            &[
                ("class", "pengaduan"), ("title", "Selokan mampet"), ("description", "Selokan depan pasar mampet."),
                ("category", "jalan-infrastruktur"), ("region", "35.23.01.2001"), ("name", "Sutini"), ("phone", &phone),
            ],
            Vec::new(),
        )
        .await;
        let to = location(&response);
        let key = to.split("kunci=").nth(1).expect("the reporter's key in the confirmation").to_owned();
        let tracking = to.trim_start_matches("/aspirasi/").split('?').next().unwrap().to_owned();
        let (_, confirmation) = visitor.get(&to).await.text().await.map(|t| (0, t)).unwrap();
        assert!(confirmation.contains(&format!("?kunci={key}")), "the private link is shown to keep");

        let report = aspirations::by_tracking(&app.db, &TrackingNumber::parse(&tracking).unwrap()).await.unwrap().unwrap();
        crate::aspiration_support::dispatch(&app, report.id, people.agency.parse().unwrap()).await;
        let case = format!("/admin/aspirasi/{}", report.id);
        let answer = [("version", "3"), ("public_note", "Selokan sudah dikeruk.")];
        assert_eq!(people.agency_officer.post(&format!("{case}/jawab"), &answer).await.status(), 303);

        let page = format!("/aspirasi/{tracking}");
        let (_, without_key) = app.get_text(&page).await;
        assert!(!without_key.contains("tanggapan"), "no forms without the key");
        let (_, with_key) = app.get_text(&format!("{page}?kunci={key}")).await;
        assert!(with_key.contains("Tanggapi jawaban") && with_key.contains("name=\"rating\""));

        let respond = format!("{page}/tanggapan");
        let wrong = app.post_form(&respond, &[("kunci", "salah"), ("tindakan", "nilai"), ("rating", "5")]).await;
        assert_eq!(wrong.status(), 403);
        let (status, refused) = {
            let r = app.post_form(&respond, &[("kunci", &key), ("tindakan", "buka"), ("comment", "")]).await;
            (r.status().as_u16(), r.text().await.unwrap())
        };
        assert_eq!(status, 400, "reopening needs a reason");
        assert!(refused.contains("Wajib diisi"));
        let rated =
            app.post_form(&respond, &[("kunci", &key), ("tindakan", "nilai"), ("rating", "4"), ("comment", "Cepat")]).await;
        assert_eq!(rated.status(), 303);
        let (_, after) = app.get_text(&format!("{page}?kunci={key}")).await;
        assert!(after.contains("4 dari 5") && after.contains("Kasus ditutup") && after.contains("Cepat"));
        assert!(!after.contains("Tanggapi jawaban"), "a closed case takes no more responses");
        let (_, json) = app.get_json(&format!("/api/v1/aspirations/{tracking}")).await;
        assert_eq!(json["rating"], 4);
        assert!(json["closed_at"].is_string());
    }

    async fn agencies_are_counted_in_public_and_officers_export_their_cases(app) {
        let people = officers(&app).await;
        let agency: jembatan_domain::OrgId = people.agency.parse().unwrap();
        let (answered, _) = crate::aspiration_support::answered(&app, agency).await;
        let mut waiting_form = complaint();
        waiting_form.name = "Pelapor Rahasia Sekali".into();
        let (waiting, _) = crate::aspiration_support::file_with(&app, &waiting_form, vec![]).await;
        crate::aspiration_support::dispatch(&app, waiting, agency).await;
        let untouched = file(&app, &complaint()).await;

        let (status, page) = app.get_text("/aspirasi/statistik").await;
        assert_eq!(status, 200);
        let row = page.split("Dinas PUPR Kabupaten Tuban").nth(1).expect("the agency's row");
        let cells: Vec<&str> = row.split("<td>").skip(1).take(4).map(|c| c.split('<').next().unwrap()).collect();
        assert_eq!(cells, ["2", "1", "1", "0"], "received, answered, on time, late");

        let response = people.verifier.get("/admin/aspirasi/ekspor.csv").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
        let csv = response.text().await.unwrap();
        assert!(csv.starts_with("tracking,class,category,region,status"));
        assert_eq!(csv.lines().count(), 4, "the header and the regency's three cases");
        assert!(csv.contains(&answered) && csv.contains(&untouched));
        assert!(!csv.contains("Pelapor"), "no reporters in exports");
        let agency_csv = people.agency_officer.get("/admin/aspirasi/ekspor.csv").await.text().await.unwrap();
        assert_eq!(agency_csv.lines().count(), 3, "the agency's two cases");
        assert!(!agency_csv.contains(&untouched));
        let citizen = crate::admin_support::sign_up(&app, "Warga Penasaran").await;
        assert_eq!(citizen.get("/admin/aspirasi/ekspor.csv").await.status(), 403);
    }

    async fn the_province_places_a_located_report_and_a_verifier_clears_a_held_one(app) {
        let people = officers(&app).await;
        let admin = sign_up_as(&app, "Admin Provinsi", "province_admin", "35").await;
        let located = crate::aspiration_support::located(&app).await;
        let case = format!("/admin/aspirasi/{located}");
        assert_eq!(people.verifier.get(&case).await.status(), 403, "at the province: not the regency's yet");
        let (status, page) = admin.get_text(&case).await;
        assert_eq!(status, 200);
        assert!(page.contains("belum dipastikan") && page.contains("/wilayah\""));
        let (status, page) = admin.post_text(&format!("{case}/wilayah"), &[("version", "1"), ("region", "35.23.99")]).await;
        assert_eq!(status, 400, "a district that does not exist");
        assert!(page.contains("value=\"\"") || page.contains("Wilayah"), "the form comes back with a message");
        let response = admin.post(&format!("{case}/wilayah"), &[("version", "1"), ("region", "35.23.01.2001")]).await;
        assert_eq!(response.status(), 303);
        let (_, queue) = people.verifier.get_text("/admin/aspirasi").await;
        let tracking = aspirations::get(&app.db, located).await.unwrap().unwrap().tracking.to_string();
        assert!(queue.contains(&tracking), "now the regency's case");

        let held = crate::aspiration_support::held(&app).await;
        let (_, list) = app.get_text("/aspirasi").await;
        assert!(!list.contains("bangsat"));
        let response = people.verifier.post(&format!("/admin/aspirasi/{held}/moderasi"), &[("version", "1")]).await;
        assert_eq!(response.status(), 303);
        let (_, list) = app.get_text("/aspirasi").await;
        assert!(list.contains("Jalan desa berlubang"), "shown once cleared");
        assert_eq!(people.verifier.post(&format!("/admin/aspirasi/{held}/moderasi"), &[("version", "2")]).await.status(), 400);
    }

    async fn an_information_request_is_extended_with_notice_and_objected_to(app) {
        let people = officers(&app).await;
        let (id, tracking) =
            crate::aspiration_support::file_with(&app, &crate::aspiration_support::information_request(), vec![]).await;
        let case = format!("/admin/aspirasi/{id}");
        let (_, page) = people.verifier.get_text(&case).await;
        assert!(page.contains("/perpanjang\""), "the verifier may extend an information request");
        let (status, page) = people.verifier.post_text(&format!("{case}/perpanjang"), &[("version", "1")]).await;
        assert_eq!(status, 400, "the notice is required");
        assert!(page.contains("Wajib diisi"));
        let notice = [("version", "1"), ("public_note", "Dokumen APBDes sedang disalin dari arsip desa.")];
        assert_eq!(people.verifier.post(&format!("{case}/perpanjang"), &notice).await.status(), 303);
        let (_, public) = app.get_text(&format!("/aspirasi/{tracking}")).await;
        assert!(public.contains("Jangka waktu jawaban diperpanjang") && public.contains("sedang disalin"));
        let (_, page) = people.verifier.get_text(&case).await;
        assert!(!page.contains("/perpanjang\""), "only once");

        // Answered, the requester objects with their key.
        let agency: jembatan_domain::OrgId = people.agency.parse().unwrap();
        let (answered, key) =
            crate::aspiration_support::answered_form(&app, agency, crate::aspiration_support::information_request()).await;
        let page = format!("/aspirasi/{answered}");
        let (_, with_key) = app.get_text(&format!("{page}?kunci={key}")).await;
        assert!(with_key.contains("Ajukan keberatan"));
        let (_, without_key) = app.get_text(&page).await;
        assert!(!without_key.contains("Ajukan keberatan"));
        let objection = format!("{page}/keberatan");
        assert_eq!(app.post_form(&objection, &[("kunci", "salah"), ("comment", "x")]).await.status(), 403);
        let response = app.post_form(&objection, &[("kunci", &key), ("comment", "Salinan yang diberikan tidak lengkap.")]).await;
        assert_eq!(response.status(), 303);
        let (_, after) = app.get_text(&format!("{page}?kunci={key}")).await;
        assert!(after.contains("mengajukan keberatan") && after.contains("tidak lengkap") && after.contains("Ditindaklanjuti"));
        assert!(!after.contains("Ajukan keberatan"), "once");
    }

    async fn a_case_goes_to_a_body_without_accounts_by_letter_and_another_to_sp4n_lapor(app) {
        let people = officers(&app).await;
        let pln = crate::aspiration_support::body(&app).await;
        let mut form = complaint();
        form.name = "Warga Yang Dirahasiakan".into();
        let (id, tracking) = crate::aspiration_support::file_with(&app, &form, vec![]).await;
        crate::aspiration_support::dispatch(&app, id, pln).await;
        let case = format!("/admin/aspirasi/{id}");
        let (_, page) = people.verifier.get_text(&case).await;
        assert!(page.contains(&format!("{case}/surat")), "the letter is offered for a body without accounts");
        let (status, letter) = people.verifier.get_text(&format!("{case}/surat")).await;
        assert_eq!(status, 200);
        assert!(letter.contains("PLN UP3 Tuban") && letter.contains(&tracking) && letter.contains("Jalan desa berlubang"));
        assert!(!letter.contains("Warga Yang Dirahasiakan"), "no reporter in the letter");
        let (status, _) = people.verifier.post_text(&format!("{case}/serah-terima"), &[("version", "3"), ("method", "merpati")]).await;
        assert_eq!(status, 400);
        let response = people.verifier.post(&format!("{case}/serah-terima"), &[("version", "3"), ("method", "surat")]).await;
        assert_eq!(response.status(), 303);
        let (_, public) = app.get_text(&format!("/aspirasi/{tracking}")).await;
        assert!(public.contains("Diserahkan kepada instansi tujuan") && public.contains("PLN UP3 Tuban (surat)"));

        // Another case is not ours: it goes to SP4N-LAPOR!, by hand.
        let (other, other_tracking) = crate::aspiration_support::file_with(&app, &complaint(), vec![]).await;
        let other_case = format!("/admin/aspirasi/{other}");
        let not_ours = [("version", "1"), ("public_note", "Jalan nasional: kewenangan Kementerian PUPR.")];
        assert_eq!(people.verifier.post(&format!("{other_case}/bukan-wewenang"), &not_ours).await.status(), 303);
        let (status, export) = people.verifier.get_text(&format!("{other_case}/lapor")).await;
        assert_eq!(status, 200);
        assert!(export.contains("lapor.go.id") && export.contains("Jalan desa berlubang") && export.contains(&other_tracking));
        let (status, _) = people.verifier.post_text(&format!("{other_case}/lapor"), &[("version", "2"), ("lapor_tracking", "")]).await;
        assert_eq!(status, 400);
        let response = people.verifier.post(&format!("{other_case}/lapor"), &[("version", "2"), ("lapor_tracking", "LAP-2026-77123")]).await;
        assert_eq!(response.status(), 303);
        let (_, public) = app.get_text(&format!("/aspirasi/{other_tracking}")).await;
        assert!(public.contains("Diteruskan ke SP4N-LAPOR!") && public.contains("LAP-2026-77123"));
        assert_eq!(people.agency_officer.get(&format!("{other_case}/lapor")).await.status(), 403);
    }

    async fn officers_outside_the_scope_are_kept_out(app) {
        let people = officers(&app).await;
        let tracking = file(&app, &complaint()).await;
        let case = case_path(&app, &tracking).await;
        let malang = sign_up_as(&app, "Verifikator Malang", "regency_officer", "35.07").await;
        let (status, queue) = malang.get_text("/admin/aspirasi").await;
        assert_eq!(status, 200);
        assert!(!queue.contains(&tracking));
        assert_eq!(malang.get(&case).await.status(), 403);
        assert_eq!(malang.post(&format!("{case}/verifikasi"), &[("version", "1")]).await.status(), 403);
        // Not yet dispatched: the agency does not see it.
        assert_eq!(people.agency_officer.get(&case).await.status(), 403);
        let citizen = crate::admin_support::sign_up(&app, "Warga Biasa").await;
        assert_eq!(citizen.get("/admin/aspirasi").await.status(), 403);
        assert_eq!(app.get("/admin/aspirasi").await.status(), 303, "log in first");
    }

    async fn a_stale_form_and_a_wrong_step_change_nothing(app) {
        let people = officers(&app).await;
        let tracking = file(&app, &complaint()).await;
        let case = case_path(&app, &tracking).await;
        assert_eq!(people.verifier.post(&format!("{case}/verifikasi"), &[("version", "1")]).await.status(), 303);
        let (status, page) = people.verifier.post_text(&format!("{case}/arsipkan"), &[("version", "1"), ("public_note", "Ganda")]).await;
        assert_eq!(status, 409);
        assert!(page.contains("baru saja diubah petugas lain"));
        let (status, _) = people.verifier.post_text(&format!("{case}/lanjutkan"), &[("version", "2")]).await;
        assert_eq!(status, 400, "resume is only for a case on hold");
        let (status, page) = people.verifier.post_text(&format!("{case}/disposisi"), &[("version", "2"), ("org", "bukan-id")]).await;
        assert_eq!(status, 400);
        assert!(page.contains("Pilihan tidak valid") || page.contains("tidak valid"));
        assert_eq!(people.verifier.post(&format!("{case}/tidak-ada"), &[("version", "2")]).await.status(), 404);
        let report = aspirations::by_tracking(&app.db, &TrackingNumber::parse(&tracking).unwrap()).await.unwrap().unwrap();
        assert_eq!((report.version, report.status.as_str()), (2, "terverifikasi"));
    }
}
