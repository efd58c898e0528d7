//! Feeds over HTTP, read back with a real feed parser (feed-rs): RSS 2.0,
//! Atom 1.0 and JSON Feed 1.1 for the province, a region, a topic, an
//! organisation and a KIM, with their items, dates, GUIDs and image
//! enclosures; conditional GET (ETag, Last-Modified, 304); discovery links
//! in the matching pages' heads.

use feed_rs::model::{Entry, Feed};
use jembatan_domain::content::ContentForm;

use crate::content_support::{Publishers, archive, at, image, news, publish, publish_at};
use crate::helpers::TestApp;
use crate::http_tests;

const FORMATS: [(&str, &str); 3] =
    [("rss.xml", "application/rss+xml"), ("atom.xml", "application/atom+xml"), ("feed.json", "application/feed+json")];

/// GETs a feed, checks its media type and parses it.
async fn feed(app: &TestApp, path: &str) -> Feed {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    let file = path.rsplit('/').next().unwrap();
    let (_, media_type) = FORMATS.iter().find(|(f, _)| *f == file).unwrap();
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with(media_type), "{path}: {content_type}");
    let body = response.bytes().await.unwrap();
    feed_rs::parser::parse(&body[..])
        .unwrap_or_else(|e| panic!("{path} parses: {e}\n{}", String::from_utf8_lossy(&body)))
}

fn entry_titles(feed: &Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect()
}

/// An entry's image enclosure as (url, length), in whichever way the format carries it.
fn enclosure(entry: &Entry) -> Option<(String, Option<u64>)> {
    let media =
        entry.media.iter().flat_map(|m| &m.content).find_map(|c| c.url.as_ref().map(|u| (u.to_string(), c.size)));
    media.or_else(|| {
        entry
            .links
            .iter()
            .find(|l| {
                l.rel.as_deref() == Some("enclosure")
                    || l.media_type.as_deref().is_some_and(|t| t.starts_with("image/"))
            })
            .map(|l| (l.href.clone(), l.length))
    })
}

http_tests! {
    async fn every_feed_parses_with_its_items_dates_guids_and_images(app) {
        let p = Publishers::create(&app).await;
        let cover = image(&app, 1200, 800, &[320, 640, 1024]).await;
        let with_cover = ContentForm { cover_media: cover.id.to_string(), ..news("Posyandu Balita", &["35.23"], &["kesehatan"]) };
        let newest = publish_at(&app, p.tuban, with_cover, at("2026-11-02T10:00:00+07:00")).await;
        let older = publish_at(&app, p.province, news("Hari Pahlawan", &["35"], &["pemerintahan"]), at("2026-11-01T08:00:00+07:00")).await;
        publish_at(&app, p.malang, news("Kabar Malang", &["35.07"], &["kesehatan"]), at("2026-11-03T08:00:00+07:00")).await;
        let kim_item = publish_at(&app, p.kim, news("Panen Jagung", &["35.23.01.2001"], &["pertanian"]), at("2026-10-30T08:00:00+07:00")).await;

        for (file, _) in FORMATS {
            let province = feed(&app, &format!("/{file}")).await;
            assert_eq!(
                entry_titles(&province),
                ["Kabar Malang", "Posyandu Balita", "Hari Pahlawan", "Panen Jagung"],
                "{file}: everything in the province"
            );
            assert!(province.title.as_ref().unwrap().content.contains("Jawa Timur"), "{file}");

            let regency = feed(&app, &format!("/wilayah/35.23/{file}")).await;
            assert_eq!(entry_titles(&regency), ["Posyandu Balita", "Hari Pahlawan", "Panen Jagung"], "{file}: with its villages'");
            let tuban = feed(&app, &format!("/wilayah/35.23.01.2001/{file}")).await;
            assert_eq!(entry_titles(&tuban), ["Posyandu Balita", "Hari Pahlawan", "Panen Jagung"], "{file}: newest first, targeted here and above");
            let first = &tuban.entries[0];
            assert!(first.id.ends_with(&format!("urn:uuid:{newest}")) || first.id == format!("urn:uuid:{newest}"), "{file}: {}", first.id);
            assert_eq!(tuban.entries[1].id, format!("urn:uuid:{older}"), "{file}");
            assert_eq!(first.published.unwrap().to_rfc3339(), "2026-11-02T03:00:00+00:00", "{file}: the publication date");
            let link = first.links.iter().find(|l| l.rel.as_deref() != Some("enclosure") && !l.media_type.as_deref().unwrap_or_default().starts_with("image/")).unwrap();
            assert!(link.href.starts_with(&format!("http://127.0.0.1/konten/{newest}/")), "{file}: {}", link.href);
            let (url, length) = enclosure(first).unwrap_or_else(|| panic!("{file}: an enclosure"));
            assert_eq!(url, format!("http://127.0.0.1/media/{}/w640", cover.id), "{file}");
            let stored = cover.variants.iter().find(|v| v.width == 640).unwrap().byte_size as u64;
            assert_eq!(length, Some(stored), "{file}: the stored copy's length");
            assert!(enclosure(&tuban.entries[1]).is_none(), "{file}: no image, no enclosure");
            let authors: Vec<&str> = first.authors.iter().map(|a| a.name.as_deref().unwrap_or_default()).collect();
            assert_eq!(authors, ["Dinas Kesehatan Kabupaten Tuban"], "{file}: the publisher");
            let categories: Vec<&str> = first.categories.iter().map(|c| c.term.as_str()).collect();
            assert_eq!(categories, ["Kesehatan"], "{file}: the topics");

            let topic = feed(&app, &format!("/topik/kesehatan/{file}")).await;
            assert_eq!(entry_titles(&topic), ["Kabar Malang", "Posyandu Balita"], "{file}");
            let org = feed(&app, &format!("/organisasi/{}/{file}", p.tuban)).await;
            assert_eq!(entry_titles(&org), ["Posyandu Balita"], "{file}");
            let kim = feed(&app, &format!("/kim/{}/{file}", p.kim)).await;
            assert_eq!(entry_titles(&kim), ["Panen Jagung"], "{file}");
            assert_eq!(kim.entries[0].id, format!("urn:uuid:{kim_item}"));
        }
        assert_eq!(app.get("/topik/gosip/rss.xml").await.status(), 404);
        assert_eq!(app.get("/wilayah/35.99/rss.xml").await.status(), 404);
        assert_eq!(app.get("/wilayah/35-23/rss.xml").await.status(), 400);
        let moved = app.get(&format!("/organisasi/{}/atom.xml", p.kim)).await;
        assert_eq!(moved.status(), 301);
        assert_eq!(moved.headers()["location"], format!("/kim/{}/atom.xml", p.kim).as_str());
        let english = feed(&app, "/en/wilayah/35.23/rss.xml").await;
        assert!(english.entries[0].links[0].href.starts_with("http://127.0.0.1/en/konten/"));
    }

    async fn feeds_answer_conditional_gets_and_change_when_items_do(app) {
        let p = Publishers::create(&app).await;
        let first = publish(&app, p.tuban, news("Kabar Pertama", &["35.23"], &["kesehatan"])).await;
        let response = app.get("/wilayah/35.23/rss.xml").await;
        assert_eq!(response.status(), 200);
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        let last_modified = response.headers()["last-modified"].to_str().unwrap().to_owned();
        assert!(last_modified.ends_with(" GMT"), "{last_modified}");
        let modified = chrono::DateTime::parse_from_rfc2822(&last_modified).unwrap();
        assert_eq!(modified.timestamp(), first.updated_at.millis() / 1000, "the newest item's update");

        let by_etag = app.client.get(app.url("/wilayah/35.23/rss.xml")).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(by_etag.status(), 304);
        let by_date = app.client.get(app.url("/wilayah/35.23/rss.xml")).header("if-modified-since", &last_modified).send().await.unwrap();
        assert_eq!(by_date.status(), 304);
        let earlier = chrono::DateTime::parse_from_rfc2822(&last_modified).unwrap() - chrono::Duration::hours(1);
        let stale = app.client.get(app.url("/wilayah/35.23/rss.xml"))
            .header("if-modified-since", earlier.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
            .send().await.unwrap();
        assert_eq!(stale.status(), 200, "changed since then");

        let second = publish(&app, p.tuban, news("Kabar Kedua", &["35.23"], &["kesehatan"])).await;
        let response = app.client.get(app.url("/wilayah/35.23/rss.xml")).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(response.status(), 200, "a new item changes the feed at once");
        let body = response.bytes().await.unwrap();
        let parsed = feed_rs::parser::parse(&body[..]).unwrap();
        assert_eq!(entry_titles(&parsed), ["Kabar Kedua", "Kabar Pertama"]);

        archive(&app, second.id).await;
        let parsed = feed(&app, "/wilayah/35.23/atom.xml").await;
        assert_eq!(entry_titles(&parsed), ["Kabar Pertama"], "an archived item leaves the feed");
    }

    async fn pages_advertise_their_feeds(app) {
        let p = Publishers::create(&app).await;
        for (path, feed_base) in [
            ("/".to_owned(), "http://127.0.0.1".to_owned()),
            ("/wilayah/35.23".into(), "http://127.0.0.1/wilayah/35.23".into()),
            ("/topik/kesehatan".into(), "http://127.0.0.1/topik/kesehatan".into()),
            (format!("/organisasi/{}", p.tuban), format!("http://127.0.0.1/organisasi/{}", p.tuban)),
            (format!("/kim/{}", p.kim), format!("http://127.0.0.1/kim/{}", p.kim)),
            ("/en/wilayah/35.23".into(), "http://127.0.0.1/en/wilayah/35.23".into()),
        ] {
            let (status, html) = app.get_text(&path).await;
            assert_eq!(status, 200, "{path}");
            let head = html.split("</head>").next().unwrap();
            for (file, media_type) in FORMATS {
                let link = format!("<link rel=\"alternate\" type=\"{media_type}\"");
                let at = head.find(&link).unwrap_or_else(|| panic!("{path}: {media_type} advertised"));
                let tag = head[at..].split('>').next().unwrap();
                assert!(tag.contains(&format!("href=\"{feed_base}/{file}\"")), "{path}: {tag}");
            }
            let feed = feed(&app, &format!("{}/rss.xml", feed_base.trim_start_matches("http://127.0.0.1"))).await;
            assert!(feed.entries.is_empty(), "{path}: nothing published yet");
        }
    }
}
