//! The editor over HTTP: a KIM contributor writes and submits, the KIM's
//! manager returns it with a comment and then publishes it, an agency
//! officer publishes official content directly, a regency officer takes
//! content down within the regency only, scheduled publishing through the
//! job queue, the revision history with its diff, and both dashboards.

use std::time::Duration;

use jembatan_domain::Timestamp;
use jembatan_domain::content::{ContentStatus, Provenance, format_datetime_local};
use jembatan_store::content::{self, ArchiveKind, PUBLISH_JOB, PublishJob};
use jembatan_store::jobs;

use crate::admin_support::{agency, audit_entries, kim, location, sign_up_as};
use crate::editor_support::{draft, item_id, news_fields, png, post_item, published, stored, submitted};
use crate::http_tests;

http_tests! {
    async fn a_contributor_writes_and_the_manager_returns_then_publishes(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Jlodro Maju").await;
        let kim_text = kim_id.to_string();
        let contributor = sign_up_as(&app, "Sri Kontributor", "kim_contributor", &kim_text).await;
        let manager = sign_up_as(&app, "Pak Ketua", "kim_manager", &kim_text).await;

        // Choosing where to write: the contributor's KIM is offered.
        let (status, html) = contributor.get_text("/tulis").await;
        assert_eq!(status, 200);
        assert!(html.contains("KIM Jlodro Maju") && html.contains("name=\"jenis\""), "{html}");
        let (status, html) = contributor.get_text(&format!("/tulis?org={kim_text}&jenis=berita")).await;
        assert_eq!(status, 200);
        assert!(html.contains("enctype=\"multipart/form-data\"") && html.contains("name=\"title\""));
        assert!(html.contains("35.23.01.2001</textarea>"), "the KIM's village is the default target");
        assert!(html.contains("Pertanian") && html.contains("name=\"cover_file\""));

        // The draft, with a cover photo and its caption.
        let mut fields = news_fields(&kim_text, "Panen Raya Jagung Hibrida di Desa Jlodro", "35.23.01.2001");
        fields.push(("cover_caption", "Petani Jlodro memanen jagung."));
        let photo = png(800, 500, [30, 140, 60]);
        let response = post_item(&contributor, "/tulis", &fields, vec![("cover_file", "panen.png", "image/png", photo)], true).await;
        assert_eq!(response.status(), 303);
        let page = location(&response);
        assert!(page.starts_with("/tulis/") && page.ends_with("?selesai=dibuat"), "{page}");
        let id = item_id(&page);
        let item = stored(&app, id).await;
        assert_eq!((item.status, item.author, item.version), (ContentStatus::Draft, Some(contributor.id), 1));
        assert_eq!(item.provenance, Provenance::Kim);
        let cover = item.cover.clone().expect("the cover is stored");
        assert_eq!(cover.caption.as_deref(), Some("Petani Jlodro memanen jagung."));

        let (status, html) = contributor.get_text(&page).await;
        assert_eq!(status, 200);
        assert!(html.contains("Draf sudah disimpan."));
        assert!(html.contains("Cek mutu") && html.contains("Skor "), "the quality check is shown");
        assert!(html.contains("Menyebut sumber informasi"), "each finding is explained");
        assert!(html.contains("Ajukan untuk ditinjau"));
        assert!(!html.contains("Terbitkan sekarang"), "a contributor does not publish");
        assert!(html.contains(&format!("/media/{}", cover.media)), "the cover's thumbnail");

        // A contributor cannot publish, even by posting.
        let response = contributor.post(&format!("/tulis/{id}/terbitkan"), &[("version", "1")]).await;
        assert_eq!(response.status(), 403);
        assert_eq!(stored(&app, id).await.status, ContentStatus::Draft);

        let response = contributor.post(&format!("/tulis/{id}/ajukan"), &[("version", "1")]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(stored(&app, id).await.status, ContentStatus::Submitted);
        let (_, html) = contributor.get_text("/akun/tulisan").await;
        assert!(html.contains("Menunggu tinjauan") && html.contains("Panen Raya Jagung Hibrida"));
        let (_, html) = contributor.get_text(&format!("/tulis/{id}")).await;
        assert!(!html.contains("name=\"title\""), "no edits while under review");

        // The manager's queue, and a return that needs its comment.
        let (status, html) = manager.get_text("/admin/konten").await;
        assert_eq!(status, 200);
        assert!(html.contains("Panen Raya Jagung Hibrida") && html.contains("Sri Kontributor"));
        let (status, html) = manager.post_text(&format!("/tulis/{id}/kembalikan"), &[("version", "1"), ("comment", "  ")]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Wajib diisi."));
        assert_eq!(stored(&app, id).await.status, ContentStatus::Submitted, "nothing changed");
        let note = "Tambahkan nama narasumber dan jam panen.";
        let response = manager.post(&format!("/tulis/{id}/kembalikan"), &[("version", "1"), ("comment", note)]).await;
        assert_eq!(response.status(), 303);
        let item = stored(&app, id).await;
        assert!(item.is_returned());

        // The author sees it returned, with the comment, on the dashboard and the page.
        let (_, html) = contributor.get_text("/akun/tulisan").await;
        assert!(html.contains("Dikembalikan untuk diperbaiki") && html.contains(note), "{html}");
        let (_, html) = contributor.get_text(&format!("/tulis/{id}")).await;
        assert!(html.contains("Dikembalikan oleh Pak Ketua") && html.contains(note));

        // Revised (the photo kept by its id) and submitted again.
        let mut fields = news_fields(&kim_text, "Panen Raya Jagung Hibrida di Desa Jlodro", "35.23.01.2001");
        let media = cover.media.to_string();
        fields.extend([("version", "1"), ("cover_media", media.as_str()), ("cover_caption", "Pak Slamet di ladangnya.")]);
        let response = post_item(&contributor, &format!("/tulis/{id}"), &fields, vec![], true).await;
        assert_eq!(response.status(), 303);
        let item = stored(&app, id).await;
        assert_eq!(item.version, 2);
        assert_eq!(item.cover.as_ref().map(|c| c.media), Some(cover.media));
        let response = contributor.post(&format!("/tulis/{id}/ajukan"), &[("version", "2")]).await;
        assert_eq!(response.status(), 303);

        let response = manager.post(&format!("/tulis/{id}/terbitkan"), &[("version", "2")]).await;
        assert_eq!(response.status(), 303);
        let item = stored(&app, id).await;
        assert_eq!(item.status, ContentStatus::Published);
        assert!(item.published_at.is_some());
        let (_, html) = manager.get_text(&location(&response)).await;
        assert!(html.contains("Tulisan sudah terbit.") && html.contains(&format!("/konten/{id}")));
        let (_, html) = contributor.get_text("/akun/tulisan").await;
        assert!(html.contains("Terbit"));

        // A correction, shown on the editor page too.
        let response = manager.post(&format!("/tulis/{id}/ralat"), &[("version", "2"), ("correction", "Panen berlangsung Selasa, bukan Senin.")]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(stored(&app, id).await.corrections.len(), 1);
        let (_, html) = contributor.get_text(&format!("/tulis/{id}")).await;
        assert!(html.contains("Panen berlangsung Selasa, bukan Senin."));

        // Every step is in the audit log.
        let actions: Vec<String> = audit_entries(&app, "35.23").await.into_iter().map(|e| e.action).collect();
        for action in ["content.create", "content.submit", "content.return", "content.update", "content.publish", "content.correct"] {
            assert!(actions.iter().any(|a| a == action), "{action} in {actions:?}");
        }
    }

    async fn an_agency_officer_publishes_official_content_directly(app) {
        let agency_id = agency(&app, "35.23", "Dinas Kesehatan Tuban").await;
        let agency_text = agency_id.to_string();
        let officer = sign_up_as(&app, "Bu Petugas Dinkes", "agency_officer", &agency_text).await;
        let (status, html) = officer.get_text(&format!("/tulis?org={agency_text}&jenis=pengumuman")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Resmi pemerintah"), "official content is labelled so, without a choice");
        assert!(!html.contains("name=\"provenance\""));
        let fields = vec![
            ("org", agency_text.as_str()),
            ("kind", "pengumuman"),
            ("title", "Jadwal Imunisasi Campak di Puskesmas Se-Kabupaten Tuban"),
            ("body", "Imunisasi campak untuk balita dibuka setiap Senin pukul 08.00 WIB di puskesmas terdekat."),
            ("regions", "35.23"),
            ("topics", "kesehatan"),
        ];
        let response = post_item(&officer, "/tulis", &fields, vec![], true).await;
        assert_eq!(response.status(), 303);
        let id = item_id(&location(&response));
        let (_, html) = officer.get_text(&format!("/tulis/{id}")).await;
        assert!(html.contains("Terbitkan sekarang") && html.contains("Jadwalkan"));
        let response = officer.post(&format!("/tulis/{id}/terbitkan"), &[("version", "1")]).await;
        assert_eq!(response.status(), 303);
        let item = stored(&app, id).await;
        assert_eq!((item.status, item.provenance), (ContentStatus::Published, Provenance::Resmi));

        // Not for a KIM: the officer writes for the agency only.
        let kim_id = kim(&app, "35.23.01.2001", "KIM Lain").await;
        let response = officer.get(&format!("/tulis?org={kim_id}&jenis=berita")).await;
        assert_eq!(response.status(), 403);
    }

    async fn a_regency_officer_takes_down_content_within_the_regency_only(app) {
        let tuban_kim = kim(&app, "35.23.01.2001", "KIM Tuban").await;
        let malang_kim = kim(&app, "35.07.01.2001", "KIM Malang").await;
        let tuban_item = published(&app, tuban_kim, None, "Kabar Desa Jlodro", "35.23.01.2001").await;
        let malang_item = published(&app, malang_kim, None, "Kabar Desa Tulungrejo", "35.07.01.2001").await;
        let officer = sign_up_as(&app, "Petugas Tuban", "regency_officer", "35.23").await;
        let manager = sign_up_as(&app, "Ketua KIM Tuban", "kim_manager", &tuban_kim.to_string()).await;

        let response = officer.post(&format!("/tulis/{malang_item}/tarik"), &[("reason", "Hoaks")]).await;
        assert_eq!(response.status(), 403, "Malang is not Tuban's");
        assert_eq!(stored(&app, malang_item).await.status, ContentStatus::Published);

        let (_, html) = officer.get_text(&format!("/tulis/{tuban_item}")).await;
        assert!(html.contains("Tarik dari portal"));
        let (status, html) = officer.post_text(&format!("/tulis/{tuban_item}/tarik"), &[("reason", "")]).await;
        assert_eq!(status, 400, "a reason is required");
        assert!(html.contains("Wajib diisi."));
        assert_eq!(stored(&app, tuban_item).await.status, ContentStatus::Published);
        let reason = "Memuat data pribadi warga.";
        let response = officer.post(&format!("/tulis/{tuban_item}/tarik"), &[("reason", reason)]).await;
        assert_eq!(response.status(), 303);
        let item = stored(&app, tuban_item).await;
        assert_eq!(item.status, ContentStatus::Archived);
        let archived = item.archived.expect("archived");
        assert_eq!((archived.kind, archived.reason.as_deref()), (ArchiveKind::Unpublish, Some(reason)));

        // Moderation is undone by the regency, not by the KIM.
        let response = manager.post(&format!("/tulis/{tuban_item}/pulihkan"), &[]).await;
        assert_eq!(response.status(), 403);
        let response = officer.post(&format!("/tulis/{tuban_item}/pulihkan"), &[]).await;
        assert_eq!(response.status(), 303);
        assert_eq!(stored(&app, tuban_item).await.status, ContentStatus::Draft);
        let actions: Vec<String> = audit_entries(&app, "35.23").await.into_iter().map(|e| e.action).collect();
        assert!(actions.contains(&"content.unpublish".to_owned()) && actions.contains(&"content.restore".to_owned()));
    }

    async fn a_scheduled_item_is_published_by_the_job_at_its_time(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Jadwal").await;
        let manager = sign_up_as(&app, "Ketua Penjadwal", "kim_manager", &kim_id.to_string()).await;
        let id = submitted(&app, kim_id, None, "Kerja Bakti Membersihkan Saluran Irigasi", "35.23.01.2001").await;
        let path = format!("/tulis/{id}/jadwalkan");

        let (status, html) = manager.post_text(&path, &[("version", "1"), ("publish_at", "2020-01-01T08:00")]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Pilih waktu yang akan datang."), "a past time is refused");
        assert!(html.contains("value=\"2020-01-01T08:00\""), "what was typed stays");
        let (status, html) = manager.post_text(&path, &[("version", "1"), ("publish_at", "besok pagi")]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Waktu tidak valid."));
        assert_eq!(stored(&app, id).await.status, ContentStatus::Submitted);

        // Due about two seconds ahead, typed as a datetime-local value in WIB
        // (seconds allowed): deterministic, the test only waits until then.
        let due = Timestamp((Timestamp::now().millis() / 1000 + 2) * 1000);
        let typed = format!("{}:{:02}", format_datetime_local(due), (due.millis() / 1000) % 60);
        let response = manager.post(&path, &[("version", "1"), ("publish_at", &typed)]).await;
        assert_eq!(response.status(), 303);
        let item = stored(&app, id).await;
        assert_eq!((item.status, item.publish_at), (ContentStatus::Scheduled, Some(due)));
        let queued = jobs::list_by_kind(&app.db, PUBLISH_JOB).await.unwrap();
        assert_eq!(queued.len(), 1);
        let payload: PublishJob = serde_json::from_str(&queued[0].payload).unwrap();
        assert_eq!((payload.content_id, payload.at), (id, due));
        let (_, html) = manager.get_text(&format!("/tulis/{id}")).await;
        assert!(html.contains("Terjadwal") && html.contains("Jadwal terbit"));

        assert_eq!(app.run_jobs().await, 0, "not due yet");
        assert_eq!(stored(&app, id).await.status, ContentStatus::Scheduled);
        let wait = (due.millis() - Timestamp::now().millis()).max(0) as u64 + 150;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        assert_eq!(app.run_jobs().await, 1);
        let item = stored(&app, id).await;
        assert_eq!((item.status, item.published_at), (ContentStatus::Published, Some(due)));
        assert_eq!(app.run_jobs().await, 0, "published once");
    }

    async fn revisions_are_listed_and_diffed_word_by_word(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Revisi").await;
        let contributor = sign_up_as(&app, "Penulis Revisi", "kim_contributor", &kim_id.to_string()).await;
        let outsider_kim = kim(&app, "35.23.01.2002", "KIM Tetangga").await;
        let outsider = sign_up_as(&app, "Penulis Tetangga", "kim_contributor", &outsider_kim.to_string()).await;
        let id = draft(&app, kim_id, Some(contributor.id), "Panen Jagung di Jlodro", "35.23.01.2001").await;
        let kim_text = kim_id.to_string();
        let mut fields = news_fields(&kim_text, "Panen Padi di Desa Jlodro", "35.23.01.2001");
        fields.push(("version", "1"));
        let response = post_item(&contributor, &format!("/tulis/{id}"), &fields, vec![], true).await;
        assert_eq!(response.status(), 303);

        let (status, html) = contributor.get_text(&format!("/tulis/{id}/revisi")).await;
        assert_eq!(status, 200);
        assert!(html.contains(&format!("/tulis/{id}/revisi/1")) && html.contains(&format!("/tulis/{id}/revisi/2")));
        assert!(html.contains("versi kini") && html.contains("Penulis Revisi"));

        let (status, html) = contributor.get_text(&format!("/tulis/{id}/revisi/2")).await;
        assert_eq!(status, 200);
        assert!(html.contains("<del>Jagung</del>") && html.contains("<ins>Padi</ins>"), "{html}");
        assert!(html.contains("<ins>Desa </ins>") || html.contains("<ins> Desa</ins>"), "{html}");
        assert!(html.contains("<ins>Kelompok tani Sumber Rejeki"), "the summary was added: {html}");
        assert!(html.contains(&format!("/tulis/{id}/revisi/1")), "a link to the version before");
        let (status, html) = contributor.get_text(&format!("/tulis/{id}/revisi/1")).await;
        assert_eq!(status, 200);
        assert!(html.contains("<ins>Panen Jagung di Jlodro</ins>"), "the first version against nothing");
        assert_eq!(contributor.get(&format!("/tulis/{id}/revisi/3")).await.status(), 404);
        assert_eq!(contributor.get(&format!("/tulis/{id}/revisi/nol")).await.status(), 404);
        assert_eq!(outsider.get(&format!("/tulis/{id}/revisi")).await.status(), 403);
        assert_eq!(outsider.get(&format!("/tulis/{id}/revisi/2")).await.status(), 403);
        assert_eq!(content::revisions(&app.db, id).await.unwrap().len(), 2);
    }

    async fn the_pages_speak_english_under_en(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Bilingual").await;
        let contributor = sign_up_as(&app, "Writer", "kim_contributor", &kim_id.to_string()).await;
        let id = draft(&app, kim_id, Some(contributor.id), "Harvest in Jlodro village today", "35.23.01.2001").await;
        let (status, html) = contributor.get_text(&format!("/en/tulis/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("Quality check") && html.contains("Submit for review"), "{html}");
        assert!(html.contains(&format!("action=\"/en/tulis/{id}/ajukan\"")));
        let (status, html) = contributor.get_text("/en/akun/tulisan").await;
        assert_eq!(status, 200);
        assert!(html.contains("My writing") && html.contains("Harvest in Jlodro"));
    }
}
