//! Fixtures the content, API and feed tests share: publishers at each
//! level, items published through the store (now, or dated as an import
//! would date them), images stored directly, and small HTML readers.

use jembatan_domain::content::{ContentForm, ContentId, ImportKey};
use jembatan_domain::{OrgId, Timestamp};
use jembatan_store::content::{self, Content, ImportItem, ImportOutcome};
use jembatan_store::media::{self, NewMedia, NewVariant};

use crate::admin_support::{agency, kim, unique};
use crate::helpers::TestApp;

/// Publishers at every level of Tuban's lineage, and one in Malang.
pub struct Publishers {
    /// Diskominfo Provinsi Jawa Timur (35).
    pub province: OrgId,
    /// Dinas Kesehatan Tuban (35.23).
    pub tuban: OrgId,
    /// Dinas Kesehatan Malang (35.07).
    pub malang: OrgId,
    /// KIM Jlodro (village 35.23.01.2001, district 35.23.01).
    pub kim: OrgId,
}

impl Publishers {
    pub async fn create(app: &TestApp) -> Publishers {
        Publishers {
            province: office(app, "diskominfo", "35", "Diskominfo Provinsi Jawa Timur").await,
            tuban: agency(app, "35.23", "Dinas Kesehatan Kabupaten Tuban").await,
            malang: agency(app, "35.07", "Dinas Kesehatan Kabupaten Malang").await,
            kim: kim(app, "35.23.01.2001", "KIM Jlodro Maju").await,
        }
    }
}

/// Creates a Diskominfo office (or another organisation) in the store.
pub async fn office(app: &TestApp, kind: &str, region: &str, name: &str) -> OrgId {
    let new = jembatan_domain::organisation::OrganisationForm {
        kind: kind.into(),
        name: name.into(),
        region: region.into(),
        categories: if kind == "agency" { vec!["kesehatan".into()] } else { vec![] },
        ..Default::default()
    }
    .validate()
    .expect("a valid organisation");
    app.db
        .write(move |tx| Box::pin(async move { jembatan_store::organisations::create(tx, &new, None).await }))
        .await
        .expect("create organisation")
        .id
}

/// A news item's form targeted at `regions`, filed under `topics`.
pub fn news(title: &str, regions: &[&str], topics: &[&str]) -> ContentForm {
    ContentForm {
        kind: "berita".into(),
        title: title.into(),
        summary: format!("Ringkasan: {title}."),
        body: format!("Isi kabar **{title}**.\n\nWarga diminta hadir tepat waktu."),
        regions: regions.iter().map(|r| r.to_string()).collect(),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        ..ContentForm::default()
    }
}

/// Creates and publishes an item now, in one transaction.
pub async fn publish(app: &TestApp, org: OrgId, form: ContentForm) -> Content {
    let draft = form.validate().expect("a valid content form");
    app.db
        .write(move |tx| {
            Box::pin(async move {
                let created = content::create(tx, org, None, &draft).await?;
                content::publish_now(tx, created.id, created.version, None).await
            })
        })
        .await
        .expect("publish")
}

/// Publishes an item dated `at` (as an import from another site is dated).
pub async fn publish_at(app: &TestApp, org: OrgId, form: ContentForm, at: Timestamp) -> ContentId {
    let item = ImportItem {
        key: ImportKey::new("uji", &unique()).unwrap(),
        draft: form.validate().expect("a valid content form"),
        published_at: Some(at),
    };
    match app.db.write(move |tx| Box::pin(async move { content::import(tx, org, None, &item).await })).await {
        Ok(ImportOutcome::Created(id)) => id,
        other => panic!("import: {other:?}"),
    }
}

/// An instant given as RFC 3339.
pub fn at(rfc3339: &str) -> Timestamp {
    Timestamp::from(chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc())
}

/// Takes an item down (archived by its publisher).
pub async fn archive(app: &TestApp, id: ContentId) {
    app.db.write(move |tx| Box::pin(async move { content::archive(tx, id, None, None).await })).await.expect("archive");
}

/// Adds a public correction to an item.
pub async fn correct(app: &TestApp, id: ContentId, text: &str) {
    let text = text.to_owned();
    app.db
        .write(move |tx| Box::pin(async move { content::correct(tx, id, &text, None).await }))
        .await
        .expect("correct");
}

/// Stores an image `width`×`height` with copies of `widths` (the bytes are
/// placeholders: the store keeps what the web layer made).
pub async fn image(app: &TestApp, width: i64, height: i64, widths: &[i64]) -> media::Media {
    let seed = unique();
    let new = NewMedia {
        mime: "image/jpeg".into(),
        width,
        height,
        bytes: format!("original {seed}").into_bytes(),
        variants: widths
            .iter()
            .map(|w| NewVariant {
                width: *w,
                height: height * w / width,
                mime: "image/jpeg".into(),
                bytes: format!("copy {w} {seed}").into_bytes(),
            })
            .collect(),
    };
    app.db
        .write(move |tx| Box::pin(async move { media::store(tx, &new, None).await }))
        .await
        .expect("store image")
        .media
}

/// The list items (`<li class="ci">`) of a page, each as HTML.
pub fn entries(html: &str) -> Vec<&str> {
    html.split("<li class=\"ci\">").skip(1).map(|s| s.split("</li>").next().unwrap()).collect()
}

/// The title of a list item.
pub fn title_of(entry: &str) -> String {
    entry.split("<h3><a href=\"").nth(1).unwrap().split('>').nth(1).unwrap().split('<').next().unwrap().to_owned()
}

/// The level label of a list item, if any.
pub fn level_of(entry: &str) -> Option<String> {
    entry.split("<span class=\"lv\">").nth(1).map(|s| s.split('<').next().unwrap().to_owned())
}

/// The titles a list page shows, in order.
pub fn titles(html: &str) -> Vec<String> {
    entries(html).into_iter().map(title_of).collect()
}

/// The older-page link of a list page.
pub fn older_link(html: &str) -> Option<String> {
    html.split("rel=\"next\" href=\"").nth(1).map(|s| s.split('"').next().unwrap().replace("&amp;", "&"))
}
