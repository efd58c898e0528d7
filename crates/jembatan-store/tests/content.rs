//! Contract tests of content, on SQLite and PostgreSQL alike: drafts and
//! what is refused, the editorial workflow and scheduled publishing through
//! the job queue, revisions and concurrent edits, region listings by
//! lineage and by descendants with keyset pagination, corrections, related
//! items, imports, dashboards, topics and what search reads.

use std::collections::HashSet;

use futures::TryStreamExt;
use jembatan_domain::authz::{Actor, review_scope};
use jembatan_domain::content::{ContentForm, ContentId, ContentStatus, ContentType, ImportKey, TopicForm};
use jembatan_domain::kim::KimForm;
use jembatan_domain::organisation::{OrgKind, OrganisationForm};
use jembatan_domain::role::{Grant, Role, Scope};
use jembatan_domain::{FieldError, GrantId, OrgId, RegionCode, RegionLevel, Timestamp, UserId, ValidationCode};
use jembatan_store::content::{
    self, ArchiveKind, CommentKind, Content, ContentCursor, ContentFilter, ContentSummary, ImportItem, ImportOutcome,
    PUBLISH_JOB, PublishJob, RegionFilter,
};
use jembatan_store::{Db, StoreError, audit, changes, contract_tests, exec, jobs, kims, organisations, topics};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).unwrap()
}

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

async fn kim(db: &Db, name: &str, village: &str) -> OrgId {
    let new = KimForm {
        name: name.into(),
        village: village.into(),
        status: "terdaftar".into(),
        sk_number: format!("188/{name}/2024"),
        sk_issuer: "Bupati Tuban".into(),
        sk_date: "2024-01-15".into(),
        ..KimForm::default()
    }
    .validate()
    .unwrap();
    db.write(move |tx| Box::pin(async move { kims::register(tx, &new, None).await })).await.unwrap().id()
}

async fn office(db: &Db, kind: &str, name: &str, region: &str) -> OrgId {
    let new = OrganisationForm {
        kind: kind.into(),
        name: name.into(),
        region: region.into(),
        categories: if kind == "agency" { vec!["kesehatan".into()] } else { vec![] },
        ..OrganisationForm::default()
    }
    .validate()
    .unwrap();
    db.write(move |tx| Box::pin(async move { organisations::create(tx, &new, None).await })).await.unwrap().id
}

/// The organisations and people most tests use.
struct World {
    /// KIM Jlodro, village 35.23.01.2001 (district Kenduruan, regency Tuban).
    kim: OrgId,
    /// KIM Sokogunung, the next village in the same district.
    kim_next_door: OrgId,
    /// Dinas Kesehatan Tuban (35.23).
    agency: OrgId,
    /// Dinas Kesehatan Malang (35.07).
    agency_malang: OrgId,
    /// Diskominfo Jawa Timur (35).
    province: OrgId,
    author: UserId,
    reviewer: UserId,
}

async fn world(db: &Db) -> World {
    World {
        kim: kim(db, "KIM Jlodro Maju", "35.23.01.2001").await,
        kim_next_door: kim(db, "KIM Sokogunung", "35.23.01.2002").await,
        agency: office(db, "agency", "Dinas Kesehatan Kabupaten Tuban", "35.23").await,
        agency_malang: office(db, "agency", "Dinas Kesehatan Kabupaten Malang", "35.07").await,
        province: office(db, "diskominfo", "Diskominfo Provinsi Jawa Timur", "35").await,
        author: user(db, "Siti").await,
        reviewer: user(db, "Budi").await,
    }
}

const BODY: &str = "Kelompok Tani Sumber Rejeki di Desa Jlodro memanen jagung hibrida pada Senin pagi. \
    Menurut Pak Suyono, hasil panen naik dibanding tahun lalu.";

fn form(title: &str, regions: &[&str], topics: &[&str]) -> ContentForm {
    ContentForm {
        kind: "berita".into(),
        title: title.into(),
        summary: "Ringkasan singkat untuk pembaca.".into(),
        body: BODY.into(),
        regions: regions.iter().map(|r| r.to_string()).collect(),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        ..ContentForm::default()
    }
}

async fn create(db: &Db, org: OrgId, author: UserId, form: ContentForm) -> Result<Content, StoreError> {
    let draft = form.validate().expect("a valid form");
    db.write(move |tx| Box::pin(async move { content::create(tx, org, Some(author), &draft).await })).await
}

async fn publish(db: &Db, c: &Content) -> Content {
    let (id, version) = (c.id, c.version);
    db.write(move |tx| Box::pin(async move { content::publish_now(tx, id, version, None).await })).await.unwrap()
}

async fn update(db: &Db, id: ContentId, version: i64, form: ContentForm, actor: UserId) -> Result<Content, StoreError> {
    let draft = form.validate().unwrap();
    db.write(move |tx| Box::pin(async move { content::update(tx, id, version, &draft, Some(actor)).await })).await
}

/// Imports a published item dated `at`: many items with chosen dates, fast.
async fn import_at(db: &Db, org: OrgId, key: &str, form: ContentForm, at: i64) -> ContentId {
    let item = ImportItem {
        key: ImportKey::new("test", key).unwrap(),
        draft: form.validate().unwrap(),
        published_at: Some(Timestamp(at)),
    };
    match db.write(move |tx| Box::pin(async move { content::import(tx, org, None, &item).await })).await.unwrap() {
        ImportOutcome::Created(id) => id,
        other => panic!("expected a new item, got {other:?}"),
    }
}

async fn count(db: &Db, sql: &str) -> i64 {
    let sql = sql.to_owned();
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

fn titles(items: &[ContentSummary]) -> Vec<&str> {
    items.iter().map(|i| i.title.as_str()).collect()
}

async fn all_pages(db: &Db, filter: &ContentFilter, size: i64) -> Vec<ContentSummary> {
    let mut seen = Vec::new();
    let mut after: Option<ContentCursor> = None;
    loop {
        let page = content::list(db, filter, after, size).await.unwrap();
        assert!(page.items.len() as i64 <= size);
        seen.extend(page.items);
        match page.next {
            Some(next) => {
                // Cursors travel through URLs as text.
                after = Some(next.to_string().parse().unwrap());
            }
            None => break,
        }
    }
    seen
}

fn officer(role: Role, scope: Scope) -> Actor {
    Actor::user(UserId::generate(), vec![Grant { id: GrantId::generate(), role, scope }])
}

contract_tests! {
    async fn a_draft_is_stored_with_its_lists_revision_audit_and_change(db) {
        let w = world(&db).await;
        let mut f = form("Panen Raya Jagung di Desa Jlodro", &["35.23.01.2001", "35.23.01"], &["pertanian", "ekonomi-umkm"]);
        f.source_name = "Kelompok Tani Sumber Rejeki".into();
        let c = create(&db, w.kim, w.author, f).await.unwrap();
        assert_eq!((c.status, c.version, c.kind), (ContentStatus::Draft, 1, ContentType::Berita));
        assert_eq!(c.slug, "panen-raya-jagung-di-desa-jlodro");
        assert_eq!(c.provenance, jembatan_domain::content::Provenance::Kim, "a KIM's default label");
        assert_eq!(c.regions, vec![code("35.23.01"), code("35.23.01.2001")]);
        assert_eq!(c.topics, ["pertanian", "ekonomi-umkm"]);
        assert_eq!(c.org_name, "KIM Jlodro Maju");
        assert_eq!(c.author, Some(w.author));
        assert!(c.quality_score > 0 && c.quality_score <= 100, "{}", c.quality_score);
        assert_eq!(content::get(&db, c.id).await.unwrap().unwrap(), c);
        let r = content::content_ref(&db, c.id).await.unwrap();
        assert_eq!((r.org.kind, r.author, r.status, r.moderated), (OrgKind::Kim, Some(w.author), ContentStatus::Draft, false));
        assert!(matches!(content::content_ref(&db, ContentId::generate()).await, Err(StoreError::NotFound)));

        let history = audit::for_target(&db, "content", &c.id.to_string()).await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!((history[0].action.as_str(), history[0].actor), ("content.create", Some(w.author)));
        assert_eq!(history[0].scope_region, code("35.23.01.2001"));
        let after = history[0].after.as_ref().unwrap().to_string();
        assert!(!after.contains("Panen"), "no titles in the audit log: {after}");
        let sql = format!("SELECT COUNT(*) FROM changes WHERE entity = 'content' AND entity_id = '{}'", c.id);
        assert_eq!(count(&db, &sql).await, 1, "the change is recorded for caches and search");
        assert_eq!(content::revisions(&db, c.id).await.unwrap().len(), 1);
    }

    async fn refused_content_leaves_nothing_behind(db) {
        let w = world(&db).await;
        let bumd = OrganisationForm {
            kind: "body".into(),
            body_kind: "bumd".into(),
            name: "PDAM Kabupaten Tuban".into(),
            region: "35.23".into(),
            ..OrganisationForm::default()
        }
        .validate()
        .unwrap();
        let bumd = db.write(move |tx| Box::pin(async move { organisations::create(tx, &bumd, None).await })).await.unwrap().id;
        let before_changes = changes::count(&db).await.unwrap();
        // The form itself: a 10,000-character title and more, all reported.
        let huge = ContentForm { title: "x".repeat(10_000), ..form("t", &[], &[]) };
        let errors = huge.validate().unwrap_err();
        assert!(errors.contains(&FieldError::new("title", ValidationCode::TooLong)));
        assert!(errors.contains(&FieldError::new("regions", ValidationCode::Required)));
        assert!(errors.contains(&FieldError::new("topics", ValidationCode::Required)));

        let good = || form("Kerja Bakti Membersihkan Saluran Desa", &["35.23.01.2001"], &["lingkungan"]);
        let unknown_region = ContentForm { regions: vec!["35.23.01.2999".into()], ..good() };
        assert_eq!(invalid(create(&db, w.kim, w.author, unknown_region).await), FieldError::new("regions", ValidationCode::UnknownRegion));
        let unknown_topic = ContentForm { topics: vec!["astrologi".into()], ..good() };
        assert_eq!(invalid(create(&db, w.kim, w.author, unknown_topic).await), FieldError::new("topics", ValidationCode::InvalidChoice));
        let unknown_photo = ContentForm { cover_media: ContentId::generate().to_string(), ..good() };
        assert_eq!(invalid(create(&db, w.kim, w.author, unknown_photo).await), FieldError::new("cover_media", ValidationCode::InvalidChoice));
        let province_wide = ContentForm { regions: vec!["35".into()], ..good() };
        assert_eq!(invalid(create(&db, w.kim, w.author, province_wide).await), FieldError::new("regions", ValidationCode::OutOfScope));
        let official = ContentForm { provenance: "resmi".into(), ..good() };
        assert_eq!(invalid(create(&db, w.kim, w.author, official).await), FieldError::new("provenance", ValidationCode::InvalidChoice));
        let nobody = create(&db, OrgId::generate(), w.author, good()).await;
        assert_eq!(invalid(nobody), FieldError::new("org", ValidationCode::InvalidChoice));
        let bodies_publish_nothing = create(&db, bumd, w.author, ContentForm { regions: vec!["35.23".into()], ..good() }).await;
        assert_eq!(invalid(bodies_publish_nothing), FieldError::new("org", ValidationCode::InvalidChoice));

        assert_eq!(count(&db, "SELECT COUNT(*) FROM content").await, 0);
        for table in ["content_regions", "content_topics", "content_revisions"] {
            assert_eq!(count(&db, &format!("SELECT COUNT(*) FROM {table}")).await, 0, "{table}");
        }
        assert_eq!(count(&db, "SELECT COUNT(*) FROM audit_log WHERE target_kind = 'content'").await, 0);
        assert_eq!(changes::count(&db).await.unwrap(), before_changes);
    }

    async fn scripts_are_stripped_from_the_page_but_kept_in_the_stored_text(db) {
        let w = world(&db).await;
        let body = "## Pengumuman\n\nRapat warga <script>alert('x')</script> di balai desa.\n\n\
                    <a href=\"javascript:alert(1)\" onclick=\"steal()\">klik</a> [sumber](https://tubankab.go.id)";
        let c = create(&db, w.kim, w.author, ContentForm { body: body.into(), ..form("Rapat Warga Dusun Krajan Malam Ini", &["35.23.01.2001"], &["sosial"]) })
            .await
            .unwrap();
        assert_eq!(c.body, body, "the author's text as typed");
        for banned in ["<script", "alert(", "javascript:", "onclick", "<h1"] {
            assert!(!c.body_html.contains(banned), "{banned} in {}", c.body_html);
        }
        assert!(c.body_html.contains("<h3>Pengumuman</h3>"), "{}", c.body_html);
        assert!(c.body_html.contains("rel=\"nofollow noopener\""), "{}", c.body_html);
        let doc = content::search_doc(&db, c.id).await.unwrap().unwrap();
        assert!(!doc.body_text.contains("alert") && doc.body_text.contains("Rapat warga"), "{}", doc.body_text);
        assert!(!doc.is_public());
    }

    async fn the_workflow_takes_its_steps_and_refuses_the_others(db) {
        let w = world(&db).await;
        let c = create(&db, w.kim, w.author, form("Posyandu Balita Dusun Krajan Bulan Maret", &["35.23.01.2001"], &["kesehatan"]))
            .await
            .unwrap();
        let id = c.id;
        let submitted = db.write(move |tx| Box::pin(async move { content::submit(tx, id, 1, None).await })).await.unwrap();
        assert_eq!(submitted.status, ContentStatus::Submitted);
        assert!(submitted.submitted_at.is_some());
        let again = db.write(move |tx| Box::pin(async move { content::submit(tx, id, 1, None).await })).await;
        assert_eq!(invalid(again), FieldError::new("status", ValidationCode::InvalidTransition));

        let reviewer = w.reviewer;
        let empty = db.write(move |tx| Box::pin(async move { content::return_to_author(tx, id, 1, " ", Some(reviewer)).await })).await;
        assert_eq!(invalid(empty).field, "comment");
        let returned = db
            .write(move |tx| Box::pin(async move { content::return_to_author(tx, id, 1, "Tambahkan jam dan tempat.", Some(reviewer)).await }))
            .await
            .unwrap();
        assert_eq!(returned.status, ContentStatus::Draft);
        assert!(returned.is_returned());
        let comments = content::comments(&db, id).await.unwrap();
        assert_eq!(comments.len(), 1);
        assert_eq!((comments[0].kind, comments[0].body.as_str(), comments[0].author), (CommentKind::Return, "Tambahkan jam dan tempat.", Some(reviewer)));
        let dashboard = content::by_author(&db, w.author, &[ContentStatus::Draft], 10).await.unwrap();
        assert!(dashboard[0].returned);

        let edited = update(&db, id, 1, ContentForm { body: format!("{BODY} Pukul 08.00 WIB."), ..form("Posyandu Balita Dusun Krajan Bulan Maret", &["35.23.01.2001"], &["kesehatan"]) }, w.author)
            .await
            .unwrap();
        assert_eq!(edited.version, 2);
        let resubmitted = db.write(move |tx| Box::pin(async move { content::submit(tx, id, 2, None).await })).await.unwrap();
        assert!(!resubmitted.is_returned());
        let published = db.write(move |tx| Box::pin(async move { content::publish_now(tx, id, 2, Some(reviewer)).await })).await.unwrap();
        assert_eq!(published.status, ContentStatus::Published);
        let first_published = published.published_at.unwrap();
        for refused in [
            db.write(move |tx| Box::pin(async move { content::publish_now(tx, id, 2, None).await })).await,
            db.write(move |tx| Box::pin(async move { content::return_to_author(tx, id, 2, "x", None).await })).await,
            db.write(move |tx| Box::pin(async move { content::restore_draft(tx, id, None).await })).await,
        ] {
            assert_eq!(invalid(refused), FieldError::new("status", ValidationCode::InvalidTransition));
        }
        let archived = db.write(move |tx| Box::pin(async move { content::archive(tx, id, Some("Sudah lewat"), Some(reviewer)).await })).await.unwrap();
        let record = archived.archived.clone().unwrap();
        assert_eq!((archived.status, record.kind, record.reason.as_deref()), (ContentStatus::Archived, ArchiveKind::Archive, Some("Sudah lewat")));
        assert!(!archived.content_ref().moderated);
        let frozen = update(&db, id, 2, form("Judul Baru Untuk Arsip Posyandu", &["35.23.01.2001"], &["kesehatan"]), w.author).await;
        assert_eq!(invalid(frozen), FieldError::new("status", ValidationCode::InvalidTransition));
        let restored = db.write(move |tx| Box::pin(async move { content::restore_draft(tx, id, Some(reviewer)).await })).await.unwrap();
        assert_eq!((restored.status, restored.archived.clone()), (ContentStatus::Draft, None));
        let republished = db.write(move |tx| Box::pin(async move { content::publish_now(tx, id, 2, Some(reviewer)).await })).await.unwrap();
        assert_eq!(republished.published_at, Some(first_published), "an item keeps its first publication date");

        let actions: Vec<String> = audit::for_target(&db, "content", &id.to_string()).await.unwrap().into_iter().rev().map(|e| e.action).collect();
        assert_eq!(
            actions,
            ["content.create", "content.submit", "content.return", "content.update", "content.submit", "content.publish",
             "content.archive", "content.restore", "content.publish"]
        );
    }

    async fn the_regency_unpublishes_with_a_reason(db) {
        let w = world(&db).await;
        let c = create(&db, w.kim, w.author, form("Info Lowongan Kerja Yang Meragukan", &["35.23.01.2001"], &["ekonomi-umkm"])).await.unwrap();
        let c = publish(&db, &c).await;
        let id = c.id;
        let page = content::list(&db, &ContentFilter::default(), None, 10).await.unwrap();
        assert_eq!(page.items.len(), 1);
        let no_reason = db.write(move |tx| Box::pin(async move { content::unpublish(tx, id, "", None).await })).await;
        assert_eq!(invalid(no_reason).field, "reason");
        let officer = w.reviewer;
        let down = db.write(move |tx| Box::pin(async move { content::unpublish(tx, id, "Informasi belum terverifikasi", Some(officer)).await }))
            .await
            .unwrap();
        assert_eq!(down.archived.as_ref().unwrap().kind, ArchiveKind::Unpublish);
        assert!(content::content_ref(&db, id).await.unwrap().moderated);
        assert!(content::list(&db, &ContentFilter::default(), None, 10).await.unwrap().items.is_empty(), "gone from listings");
        let by_region = ContentFilter { region: Some(RegionFilter::Around(code("35.23.01.2001"))), ..ContentFilter::default() };
        assert!(content::list(&db, &by_region, None, 10).await.unwrap().items.is_empty(), "and from region pages");
        let history = audit::for_target(&db, "content", &id.to_string()).await.unwrap();
        assert_eq!(history[0].action, "content.unpublish");
        assert!(!history[0].after.as_ref().unwrap().to_string().contains("terverifikasi"), "reasons stay out of the log");
    }

    async fn scheduled_items_are_published_by_their_job(db) {
        let w = world(&db).await;
        let c = create(&db, w.agency, w.author, form("Jadwal Vaksinasi Campak di Puskesmas Kenduruan", &["35.23"], &["kesehatan"])).await.unwrap();
        let id = c.id;
        let past = Timestamp::now().plus_seconds(-60);
        let too_late = db.write(move |tx| Box::pin(async move { content::schedule(tx, id, 1, past, None).await })).await;
        assert_eq!(invalid(too_late), FieldError::new("publish_at", ValidationCode::NotInFuture));

        let first = Timestamp(Timestamp::now().millis() + 400);
        let second = Timestamp(Timestamp::now().millis() + 700);
        let scheduled = db.write(move |tx| Box::pin(async move { content::schedule(tx, id, 1, first, None).await })).await.unwrap();
        assert_eq!((scheduled.status, scheduled.publish_at), (ContentStatus::Scheduled, Some(first)));
        db.write(move |tx| Box::pin(async move { content::schedule(tx, id, 1, second, None).await })).await.unwrap();
        // The same item and time twice enqueue one job.
        db.write(move |tx| Box::pin(async move { content::schedule(tx, id, 1, second, None).await })).await.unwrap();
        assert_eq!(jobs::list_by_kind(&db, PUBLISH_JOB).await.unwrap().len(), 2);
        assert!(content::list(&db, &ContentFilter::default(), None, 10).await.unwrap().items.is_empty(), "not public yet");

        tokio::time::sleep(std::time::Duration::from_millis(900)).await;
        let claimed = jobs::claim(&db, 10, 60).await.unwrap();
        assert_eq!(claimed.len(), 2);
        let mut outcomes = Vec::new();
        for job in claimed {
            assert_eq!(job.kind, PUBLISH_JOB);
            let payload: PublishJob = job.payload().unwrap();
            let published = db
                .write(move |tx| Box::pin(async move { content::publish_scheduled(tx, payload.content_id, payload.at).await }))
                .await
                .unwrap();
            outcomes.push((payload.at, published));
            jobs::complete(&db, &job.id).await.unwrap();
        }
        outcomes.sort();
        assert_eq!(outcomes, [(first, false), (second, true)], "the rescheduled time wins; the old job does nothing");
        let c = content::get(&db, id).await.unwrap().unwrap();
        assert_eq!((c.status, c.published_at, c.publish_at), (ContentStatus::Published, Some(second), None));
        assert!(!db.write(move |tx| Box::pin(async move { content::publish_scheduled(tx, id, second).await })).await.unwrap(), "runs once");
        let history = audit::for_target(&db, "content", &id.to_string()).await.unwrap();
        assert_eq!((history[0].action.as_str(), history[0].actor), ("content.publish", None));
        assert_eq!(content::list(&db, &ContentFilter::default(), None, 10).await.unwrap().items.len(), 1);
    }

    async fn every_save_is_a_revision_and_a_stale_edit_overwrites_nothing(db) {
        let w = world(&db).await;
        let base = || form("Perbaikan Jalan Desa Jlodro Dimulai", &["35.23.01.2001"], &["infrastruktur"]);
        let c = create(&db, w.kim, w.author, base()).await.unwrap();
        // Two reviewers open version 1.
        let first = update(&db, c.id, 1, ContentForm { body: "Versi reviewer pertama.".into(), ..base() }, w.reviewer).await.unwrap();
        assert_eq!(first.version, 2);
        let second = update(&db, c.id, 1, ContentForm { body: "Versi reviewer kedua.".into(), ..base() }, w.author).await;
        assert!(matches!(second, Err(StoreError::Stale)), "{second:?}");
        let id = c.id;
        let stale_publish = db.write(move |tx| Box::pin(async move { content::publish_now(tx, id, 1, None).await })).await;
        assert!(matches!(stale_publish, Err(StoreError::Stale)), "a reviewer publishes what they saw");
        let now = content::get(&db, c.id).await.unwrap().unwrap();
        assert_eq!((now.body.as_str(), now.version, now.status), ("Versi reviewer pertama.", 2, ContentStatus::Draft));
        update(&db, c.id, 2, ContentForm { title: "Perbaikan Jalan Desa Jlodro Selesai".into(), ..base() }, w.author).await.unwrap();

        let revisions = content::revisions(&db, c.id).await.unwrap();
        assert_eq!(revisions.iter().map(|r| r.version).collect::<Vec<_>>(), [3, 2, 1]);
        assert_eq!(revisions[1].editor, Some(w.reviewer));
        let v2 = content::revision(&db, c.id, 2).await.unwrap().unwrap();
        assert_eq!((v2.title.as_str(), v2.body.as_str()), ("Perbaikan Jalan Desa Jlodro Dimulai", "Versi reviewer pertama."));
        assert_eq!(content::revision(&db, c.id, 1).await.unwrap().unwrap().body, BODY);
        assert!(content::revision(&db, c.id, 9).await.unwrap().is_none());
        let log = audit::for_target(&db, "content", &c.id.to_string()).await.unwrap();
        assert_eq!(log[0].after.as_ref().unwrap()["changed"], serde_json::json!(["title", "body"]));
    }

    async fn region_pages_list_their_lineage_and_what_lies_inside_newest_first_labelled_by_level(db) {
        let w = world(&db).await;
        let t = 1_700_000_000_000_i64;
        import_at(&db, w.province, "province", form("Info Provinsi Jawa Timur Untuk Semua", &["35"], &["pemerintahan"]), t).await;
        import_at(&db, w.agency, "regency", form("Info Kabupaten Tuban Untuk Semua Desa", &["35.23"], &["kesehatan"]), t + 1).await;
        import_at(&db, w.kim, "district", form("Info Kecamatan Kenduruan Untuk Warga", &["35.23.01"], &["sosial"]), t + 2).await;
        import_at(&db, w.kim, "village", form("Info Desa Jlodro Untuk Warganya", &["35.23.01.2001"], &["sosial"]), t + 3).await;
        import_at(&db, w.kim, "both", form("Info Desa dan Kecamatan Sekaligus", &["35.23.01", "35.23.01.2001"], &["sosial"]), t + 4).await;
        import_at(&db, w.kim_next_door, "neighbour", form("Info Desa Sokogunung Saja Hari Ini", &["35.23.01.2002"], &["sosial"]), t + 5).await;
        import_at(&db, w.agency_malang, "malang", form("Info Kabupaten Malang Untuk Warganya", &["35.07"], &["kesehatan"]), t + 6).await;

        let village = ContentFilter { region: Some(RegionFilter::Around(code("35.23.01.2001"))), ..ContentFilter::default() };
        let page = content::list(&db, &village, None, 20).await.unwrap();
        assert_eq!(
            titles(&page.items),
            ["Info Desa dan Kecamatan Sekaligus", "Info Desa Jlodro Untuk Warganya", "Info Kecamatan Kenduruan Untuk Warga",
             "Info Kabupaten Tuban Untuk Semua Desa", "Info Provinsi Jawa Timur Untuk Semua"]
        );
        let levels: Vec<RegionLevel> = page.items.iter().map(|i| i.matched_region.as_ref().unwrap().level()).collect();
        assert_eq!(levels, [RegionLevel::Village, RegionLevel::Village, RegionLevel::District, RegionLevel::Regency, RegionLevel::Province]);
        assert_eq!(page.next, None);
        // Above a village, a page also lists what was sent inside it.
        let district = ContentFilter { region: Some(RegionFilter::Around(code("35.23.01"))), ..ContentFilter::default() };
        let page = content::list(&db, &district, None, 20).await.unwrap();
        assert_eq!(
            titles(&page.items),
            ["Info Desa Sokogunung Saja Hari Ini", "Info Desa dan Kecamatan Sekaligus", "Info Desa Jlodro Untuk Warganya",
             "Info Kecamatan Kenduruan Untuk Warga", "Info Kabupaten Tuban Untuk Semua Desa", "Info Provinsi Jawa Timur Untuk Semua"]
        );
        let matched: Vec<&str> = page.items.iter().map(|i| i.matched_region.as_ref().unwrap().as_str()).collect();
        assert_eq!(matched, ["35.23.01.2002", "35.23.01.2001", "35.23.01.2001", "35.23.01", "35.23", "35"], "the most specific target");
        let province = ContentFilter { region: Some(RegionFilter::Around(code("35"))), ..ContentFilter::default() };
        assert_eq!(content::list(&db, &province, None, 20).await.unwrap().items.len(), 7, "everything in the province");
        let paged = content::list(&db, &province, None, 3).await.unwrap();
        assert_eq!(titles(&paged.items), ["Info Kabupaten Malang Untuk Warganya", "Info Desa Sokogunung Saja Hari Ini", "Info Desa dan Kecamatan Sekaligus"]);
        let with_topic = ContentFilter { topic: Some("kesehatan".into()), ..village.clone() };
        assert_eq!(titles(&content::list(&db, &with_topic, None, 20).await.unwrap().items), ["Info Kabupaten Tuban Untuk Semua Desa"]);
        let by_org = ContentFilter { org: Some(w.kim), ..village.clone() };
        assert_eq!(content::list(&db, &by_org, None, 20).await.unwrap().items.len(), 3);

        // The API's filter: the region and everything below it.
        let within = ContentFilter { region: Some(RegionFilter::Within(code("35.23"))), ..ContentFilter::default() };
        let items = content::list(&db, &within, None, 20).await.unwrap().items;
        assert_eq!(
            titles(&items),
            ["Info Desa Sokogunung Saja Hari Ini", "Info Desa dan Kecamatan Sekaligus", "Info Desa Jlodro Untuk Warganya",
             "Info Kecamatan Kenduruan Untuk Warga", "Info Kabupaten Tuban Untuk Semua Desa"]
        );
        assert_eq!(items[1].matched_region, Some(code("35.23.01.2001")), "the most specific match");
        let district = ContentFilter { region: Some(RegionFilter::Within(code("35.23.01"))), topic: Some("sosial".into()), ..ContentFilter::default() };
        assert_eq!(content::list(&db, &district, None, 20).await.unwrap().items.len(), 4);
        let whole_province = ContentFilter { region: Some(RegionFilter::Within(code("35"))), ..ContentFilter::default() };
        assert_eq!(content::list(&db, &whole_province, None, 20).await.unwrap().items.len(), 7);
    }

    async fn keyset_pages_walk_every_item_once(db) {
        let w = world(&db).await;
        let t = 1_700_000_000_000_i64;
        let mut expected = Vec::new();
        for i in 0..23 {
            // Several items share a millisecond: the id breaks the tie.
            let at = t + (i / 3);
            let topic = if i % 2 == 0 { "pertanian" } else { "sosial" };
            let region = if i % 3 == 0 { "35.23.01" } else { "35.23.01.2001" };
            let id = import_at(&db, w.kim, &format!("item-{i}"), form(&format!("Kabar Desa Jlodro Nomor {i:02}"), &[region], &[topic]), at).await;
            expected.push((at, id));
        }
        expected.sort();
        expected.reverse();
        let expected: Vec<ContentId> = expected.into_iter().map(|(_, id)| id).collect();
        let filters = [
            ContentFilter::default(),
            ContentFilter { region: Some(RegionFilter::Around(code("35.23.01.2001"))), ..ContentFilter::default() },
            ContentFilter { region: Some(RegionFilter::Around(code("35.23.01"))), ..ContentFilter::default() },
            ContentFilter { region: Some(RegionFilter::Within(code("35.23"))), ..ContentFilter::default() },
        ];
        for filter in &filters {
            for size in [1, 4, 7, 23, 50] {
                let seen: Vec<ContentId> = all_pages(&db, filter, size).await.into_iter().map(|i| i.id).collect();
                assert_eq!(seen, expected, "{filter:?} by {size}");
            }
        }
        let topic = ContentFilter { topic: Some("pertanian".into()), ..ContentFilter::default() };
        let seen = all_pages(&db, &topic, 5).await;
        assert_eq!(seen.len(), 12);
        assert_eq!(seen.iter().map(|i| i.id).collect::<HashSet<_>>().len(), 12);
        let kinds = ContentFilter { kind: Some(ContentType::Agenda), ..ContentFilter::default() };
        assert!(all_pages(&db, &kinds, 5).await.is_empty());
        let month = ContentFilter { published_from: Some(Timestamp(t + 2)), published_until: Some(Timestamp(t + 4)), ..ContentFilter::default() };
        assert_eq!(all_pages(&db, &month, 2).await.len(), 6);
        assert!("garbage".parse::<ContentCursor>().is_err());
    }

    async fn corrections_are_published_with_their_date(db) {
        let w = world(&db).await;
        let c = create(&db, w.agency, w.author, form("Jadwal Posyandu Lansia Kabupaten Tuban", &["35.23"], &["kesehatan"])).await.unwrap();
        let id = c.id;
        let early = db.write(move |tx| Box::pin(async move { content::correct(tx, id, "Ralat jam.", None).await })).await;
        assert_eq!(invalid(early), FieldError::new("status", ValidationCode::InvalidTransition));
        publish(&db, &c).await;
        let by = w.reviewer;
        let ralat = db
            .write(move |tx| Box::pin(async move { content::correct(tx, id, "Ralat: posyandu dimulai pukul 09.00, bukan 08.00.", Some(by)).await }))
            .await
            .unwrap();
        let c = content::get(&db, id).await.unwrap().unwrap();
        assert_eq!(c.corrections, vec![ralat.clone()]);
        assert_eq!(c.corrections[0].author, Some(by));
        assert!(c.corrections[0].at.millis() > 0);
        assert_eq!(audit::for_target(&db, "content", &id.to_string()).await.unwrap()[0].action, "content.correct");
    }

    async fn parallel_imports_of_one_source_id_store_it_once(db) {
        let w = world(&db).await;
        let (org, form) = (w.agency, form("Jadwal Posyandu Balita Bulan Depan", &["35.23"], &["kesehatan"]));
        let tasks: Vec<_> = (0..4)
            .map(|_| {
                let (db, form) = (db.clone(), form.clone());
                tokio::spawn(async move {
                    let item = ImportItem { key: ImportKey::new("test", "sama").unwrap(), draft: form.validate().unwrap(), published_at: None };
                    db.write(move |tx| Box::pin(async move { content::import(tx, org, None, &item).await })).await
                })
            })
            .collect();
        let mut created = Vec::new();
        let mut existing = Vec::new();
        for task in tasks {
            match task.await.unwrap().expect("no import fails for a twin") {
                ImportOutcome::Created(id) => created.push(id),
                ImportOutcome::Existing(id) => existing.push(id),
            }
        }
        assert_eq!(created.len(), 1, "stored once");
        assert!(existing.iter().all(|id| *id == created[0]), "the others find it");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM content WHERE import_id = 'sama'").await, 1);
    }

    async fn a_batch_import_stores_what_one_by_one_imports_store(db) {
        let w = world(&db).await;
        let t = 1_700_000_000_000_i64;
        let item = |key: &str, title: &str, regions: &[&str], topics: &[&str], at: Option<i64>| ImportItem {
            key: ImportKey::new("test", key).unwrap(),
            draft: form(title, regions, topics).validate().unwrap(),
            published_at: at.map(Timestamp),
        };
        let before = import_at(&db, w.kim, "stored", form("Kabar Lama Desa Jlodro Kenduruan", &["35.23.01.2001"], &["sosial"]), t).await;
        let batch = [
            (w.kim, item("stored", "Kabar Lama Desa Jlodro Kenduruan", &["35.23.01.2001"], &["sosial"], Some(t))),
            (w.kim, item("a", "Panen Raya Jagung di Desa Jlodro", &["35.23.01", "35.23.01.2001"], &["pertanian", "ekonomi-umkm"], Some(t + 1))),
            (w.agency, item("b", "Jadwal Imunisasi Balita Kabupaten Tuban", &["35.23"], &["kesehatan"], None)),
            (w.kim, item("a", "Panen Raya Jagung di Desa Jlodro", &["35.23.01.2001"], &["pertanian"], Some(t + 1))),
        ];
        let outcomes = db
            .write(move |tx| {
                Box::pin(async move {
                    let refs: Vec<_> = batch.iter().map(|(org, item)| (*org, item)).collect();
                    content::import_many(tx, None, &refs).await
                })
            })
            .await
            .unwrap();
        assert_eq!(outcomes[0], ImportOutcome::Existing(before));
        let ImportOutcome::Created(a) = outcomes[1] else { panic!("{outcomes:?}") };
        let ImportOutcome::Created(b) = outcomes[2] else { panic!("{outcomes:?}") };
        assert_eq!(outcomes[3], ImportOutcome::Existing(a), "a twin later in the batch finds the first");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM content").await, 3);

        let a = content::get(&db, a).await.unwrap().unwrap();
        assert_eq!((a.status, a.published_at, a.version), (ContentStatus::Published, Some(Timestamp(t + 1)), 1));
        assert_eq!(a.regions, [code("35.23.01"), code("35.23.01.2001")]);
        assert_eq!(a.topics, ["pertanian", "ekonomi-umkm"]);
        let b = content::get(&db, b).await.unwrap().unwrap();
        assert_eq!((b.status, b.published_at), (ContentStatus::Draft, None));
        // Listed where a one-by-one import is listed: the village page lists
        // the published item (and the older one), not the draft.
        let village = ContentFilter { region: Some(RegionFilter::Around(code("35.23.01.2001"))), ..ContentFilter::default() };
        let listed = all_pages(&db, &village, 10).await;
        assert_eq!(titles(&listed), ["Panen Raya Jagung di Desa Jlodro", "Kabar Lama Desa Jlodro Kenduruan"]);
        let reach = format!("SELECT COUNT(*) FROM content_reach WHERE content_id = '{}' AND listed_at = {}", a.id, t + 1);
        assert_eq!(count(&db, &reach).await, 4, "district, village, regency and province reached");
        assert_eq!(count(&db, &format!("SELECT COUNT(*) FROM content_revisions WHERE content_id = '{}'", a.id)).await, 1);
        let audit = audit::for_target(&db, "content", &a.id.to_string()).await.unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, "content.import");
        assert_eq!(audit[0].after.as_ref().unwrap()["import_source"], "test");
        assert_eq!(audit[0].after.as_ref().unwrap()["regions"], serde_json::json!(["35.23.01", "35.23.01.2001"]));
        let changed = format!("SELECT COUNT(*) FROM changes WHERE entity = 'content' AND entity_id IN ('{}', '{}')", a.id, b.id);
        assert_eq!(count(&db, &changed).await, 2);
    }

    async fn one_invalid_item_fails_its_whole_batch(db) {
        let w = world(&db).await;
        let good = ImportItem {
            key: ImportKey::new("batch", "good").unwrap(),
            draft: form("Kerja Bakti Desa Jlodro Minggu Pagi", &["35.23.01.2001"], &["lingkungan"]).validate().unwrap(),
            published_at: None,
        };
        let bad = ImportItem {
            key: ImportKey::new("batch", "bad").unwrap(),
            draft: form("Topik Ini Tidak Ada di Daftar", &["35.23.01.2001"], &["tidak-ada"]).validate().unwrap(),
            published_at: None,
        };
        let org = w.kim;
        let outcome = db
            .write(move |tx| Box::pin(async move { content::import_many(tx, None, &[(org, &good), (org, &bad)]).await }))
            .await;
        assert_eq!(invalid(outcome).field, "topics");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM content").await, 0, "nothing of the batch is stored");
        assert_eq!(count(&db, "SELECT COUNT(*) FROM content_regions").await, 0);
    }

    async fn related_items_share_topics_first_then_regions(db) {
        let w = world(&db).await;
        let t = 1_700_000_000_000_i64;
        let this = import_at(&db, w.kim, "this", form("Panen Jagung Desa Jlodro Tahun Ini", &["35.23.01.2001"], &["pertanian", "ekonomi-umkm"]), t).await;
        import_at(&db, w.kim, "both", form("Harga Jagung Naik di Desa Jlodro", &["35.23.01.2001"], &["pertanian"]), t + 1).await;
        import_at(&db, w.agency, "topic", form("Pupuk Bersubsidi Tiba di Tuban", &["35.23"], &["pertanian"]), t + 2).await;
        import_at(&db, w.kim, "region", form("Kerja Bakti Desa Jlodro Minggu Pagi", &["35.23.01.2001"], &["lingkungan"]), t + 3).await;
        let alone = import_at(&db, w.agency_malang, "none", form("Info Kesehatan Malang Untuk Warga", &["35.07"], &["kesehatan"]), t + 4).await;
        let this = content::get(&db, this).await.unwrap().unwrap();
        let related = content::related(&db, &this, 10).await.unwrap();
        assert_eq!(
            titles(&related),
            ["Harga Jagung Naik di Desa Jlodro", "Pupuk Bersubsidi Tiba di Tuban", "Kerja Bakti Desa Jlodro Minggu Pagi"]
        );
        assert_eq!(content::related(&db, &this, 1).await.unwrap().len(), 1);
        let alone = content::get(&db, alone).await.unwrap().unwrap();
        assert!(content::related(&db, &alone, 5).await.unwrap().is_empty(), "nothing shares its topic or region");
    }

    async fn imports_are_idempotent_by_source_and_id(db) {
        let w = world(&db).await;
        let key = ImportKey::new("wordpress:jlodromaju.kim.id", "123").unwrap();
        let item = ImportItem {
            key: key.clone(),
            draft: form("Sejarah Singkat Desa Jlodro Kenduruan", &["35.23.01.2001"], &["budaya-pariwisata"]).validate().unwrap(),
            published_at: Some(Timestamp(1_600_000_000_000)),
        };
        let (a, b) = (item.clone(), item.clone());
        let org = w.kim;
        let first = db.write(move |tx| Box::pin(async move { content::import(tx, org, None, &a).await })).await.unwrap();
        let second = db.write(move |tx| Box::pin(async move { content::import(tx, org, None, &b).await })).await.unwrap();
        let ImportOutcome::Created(id) = first else { panic!("{first:?}") };
        assert_eq!(second, ImportOutcome::Existing(id));
        assert_eq!(content::find_import(&db, &key).await.unwrap(), Some(id));
        let c = content::get(&db, id).await.unwrap().unwrap();
        assert_eq!((c.status, c.published_at, c.import.as_ref()), (ContentStatus::Published, Some(Timestamp(1_600_000_000_000)), Some(&key)));
        let other = ImportItem { key: ImportKey::new("wordpress:jlodromaju.kim.id", "124").unwrap(), published_at: None, ..item };
        let third = db.write(move |tx| Box::pin(async move { content::import(tx, org, None, &other).await })).await.unwrap();
        assert!(matches!(third, ImportOutcome::Created(other) if other != id));
        assert_eq!(count(&db, "SELECT COUNT(*) FROM content").await, 2);
        // The database itself refuses a second row with the same key.
        let duplicate = db
            .write(move |tx| {
                Box::pin(async move {
                    exec!(tx, sqlx::query("UPDATE content SET import_id = '123' WHERE import_id = '124'"))?;
                    Ok(())
                })
            })
            .await;
        assert!(duplicate.is_err());
    }

    async fn dashboards_and_the_review_queue(db) {
        let w = world(&db).await;
        let submit = |c: Content| {
            let db = db.clone();
            async move {
                let (id, v) = (c.id, c.version);
                db.write(move |tx| Box::pin(async move { content::submit(tx, id, v, None).await })).await.unwrap()
            }
        };
        let draft = create(&db, w.kim, w.author, form("Draf Berita Desa Jlodro Pertama", &["35.23.01.2001"], &["sosial"])).await.unwrap();
        let kim_item = submit(create(&db, w.kim, w.author, form("Usulan Berita Desa Jlodro Kedua", &["35.23.01.2001"], &["sosial"])).await.unwrap()).await;
        let neighbour = submit(create(&db, w.kim_next_door, w.author, form("Usulan Berita Desa Sokogunung", &["35.23.01.2002"], &["sosial"])).await.unwrap()).await;
        let agency_item = submit(create(&db, w.agency, w.reviewer, form("Usulan Info Dinas Kesehatan Tuban", &["35.23"], &["kesehatan"])).await.unwrap()).await;
        let province_item = submit(create(&db, w.province, w.reviewer, form("Usulan Info Diskominfo Jawa Timur", &["35"], &["pemerintahan"])).await.unwrap()).await;
        let malang_item = submit(create(&db, w.agency_malang, w.reviewer, form("Usulan Info Dinas Kesehatan Malang", &["35.07"], &["kesehatan"])).await.unwrap()).await;

        let mine = content::by_author(&db, w.author, &[], 10).await.unwrap();
        assert_eq!(mine.len(), 3);
        let drafts = content::by_author(&db, w.author, &[ContentStatus::Draft], 10).await.unwrap();
        assert_eq!(drafts.iter().map(|d| d.id).collect::<Vec<_>>(), [draft.id]);

        let kim_ref = organisations::org_ref(&db, w.kim).await.unwrap();
        let manager = officer(Role::KimManager, Scope::Organisation(kim_ref));
        let queue = content::review_queue(&db, &review_scope(&manager), 10).await.unwrap();
        assert_eq!(queue.iter().map(|q| q.id).collect::<Vec<_>>(), [kim_item.id]);
        let agency_ref = organisations::org_ref(&db, w.agency).await.unwrap();
        let agency_officer = officer(Role::AgencyOfficer, Scope::Organisation(agency_ref));
        assert_eq!(content::review_queue(&db, &review_scope(&agency_officer), 10).await.unwrap()[0].id, agency_item.id);
        let tuban = officer(Role::RegencyOfficer, Scope::Region(code("35.23")));
        assert!(content::review_queue(&db, &review_scope(&tuban), 10).await.unwrap().is_empty(), "no Diskominfo Tuban items");
        let admin = officer(Role::ProvinceAdmin, Scope::Region(code("35")));
        let all = content::review_queue(&db, &review_scope(&admin), 10).await.unwrap();
        let expected: HashSet<ContentId> = [kim_item.id, neighbour.id, agency_item.id, province_item.id, malang_item.id].into();
        assert_eq!(all.iter().map(|q| q.id).collect::<HashSet<_>>(), expected);
        assert!(all.windows(2).all(|p| p[0].submitted_at <= p[1].submitted_at), "longest waiting first");
        assert!(content::review_queue(&db, &review_scope(&Actor::anonymous()), 10).await.unwrap().is_empty());
    }

    async fn search_reads_one_item_and_every_published_one(db) {
        let w = world(&db).await;
        let t = 1_700_000_000_000_i64;
        for i in 0..7 {
            import_at(&db, w.kim, &format!("s{i}"), form(&format!("Pembangunan Jalan Desa Tahap {i}"), &["35.23.01.2001"], &["infrastruktur"]), t + i).await;
        }
        let draft = create(&db, w.kim, w.author, form("Draf Yang Belum Terbit Sama Sekali", &["35.23.01.2001"], &["sosial"])).await.unwrap();
        let docs: Vec<_> = content::all_published(&db, 3).try_collect().await.unwrap();
        assert_eq!(docs.len(), 7);
        assert!(docs.iter().all(|d| d.is_public() && d.topics == ["infrastruktur"] && d.regions == [code("35.23.01.2001")]));
        assert!(docs.windows(2).all(|p| p[0].id < p[1].id));
        let doc = content::search_doc(&db, docs[0].id).await.unwrap().unwrap();
        assert_eq!((doc.org_id, doc.org_name.as_str()), (w.kim, "KIM Jlodro Maju"));
        assert!(doc.body_text.starts_with("Kelompok Tani Sumber Rejeki"));
        let hidden = content::search_doc(&db, draft.id).await.unwrap().unwrap();
        assert_eq!(hidden.status, ContentStatus::Draft);
        assert!(content::search_doc(&db, ContentId::generate()).await.unwrap().is_none());
        assert_eq!(content::published_docs(&db, Some(docs[5].id), 10).await.unwrap().len(), 1);
    }

    async fn agenda_and_product_fields_round_trip(db) {
        let w = world(&db).await;
        let agenda = ContentForm {
            kind: "agenda".into(),
            starts_at: "2030-03-10T08:00".into(),
            ends_at: "2030-03-10T11:00".into(),
            place: "Balai Desa Jlodro".into(),
            ..form("Musyawarah Desa Rencana Pembangunan 2030", &["35.23.01.2001"], &["pemerintahan"])
        };
        let a = create(&db, w.kim, w.author, agenda.clone()).await.unwrap();
        assert_eq!(a.agenda.as_ref().unwrap().place, "Balai Desa Jlodro");
        assert_eq!(ContentForm::from(&a.draft()).validate().unwrap(), a.draft(), "the edit form holds what was stored");
        let product = ContentForm {
            kind: "produk".into(),
            price_min: "Rp 25.000".into(),
            price_max: "40.000".into(),
            contact: "0812-3456-7890".into(),
            ..form("Keripik Singkong Pedas Khas Jlodro", &["35.23.01.2001"], &["ekonomi-umkm"])
        };
        let p = create(&db, w.kim, w.author, product).await.unwrap();
        let details = p.product.clone().unwrap();
        assert_eq!((details.price_min, details.price_max, details.contact.as_str()), (25_000, Some(40_000), "+6281234567890"));
        let summary = &content::by_author(&db, w.author, &[], 10).await.unwrap();
        assert!(summary.iter().any(|s| s.starts_at == Some(a.agenda.as_ref().unwrap().starts_at)));
    }

    async fn topics_are_seeded_and_extended_by_the_province(db) {
        let listed = topics::list(&db).await.unwrap();
        assert_eq!(listed.len(), 12);
        assert_eq!(listed[0].slug, "kesehatan");
        assert_eq!(listed.last().unwrap().slug, "budaya-pariwisata");
        assert_eq!(topics::get(&db, "ekonomi-umkm").await.unwrap().unwrap().name("en"), "Economy and small business");
        let admin = user(&db, "Admin").await;
        let new = TopicForm { slug: "air-bersih".into(), name_id: "Air Bersih".into(), name_en: "Clean Water".into() }.validate().unwrap();
        let again = new.clone();
        let topic = db.write(move |tx| Box::pin(async move { topics::create(tx, &new, Some(admin), &RegionCode::parse("35").unwrap()).await })).await.unwrap();
        assert_eq!((topic.slug.as_str(), topic.name("id")), ("air-bersih", "Air Bersih"));
        assert_eq!(topics::list(&db).await.unwrap().last().unwrap().slug, "air-bersih");
        let duplicate = db.write(move |tx| Box::pin(async move { topics::create(tx, &again, Some(admin), &RegionCode::parse("35").unwrap()).await })).await;
        assert!(matches!(duplicate, Err(StoreError::Conflict("topic"))), "{duplicate:?}");
        let log = audit::for_target(&db, "topic", "air-bersih").await.unwrap();
        assert_eq!((log.len(), log[0].actor), (1, Some(admin)));
    }
}
