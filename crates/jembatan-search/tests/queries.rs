//! Searching an index: word forms, bad syntax, filters, ranking, snippets.

mod common;

use common::{DAY, MARCH_1, doc, index_with};
use jembatan_search::{SearchDoc, SearchIndex, SearchQuery, SearchResults};

async fn search(index: &SearchIndex, query: SearchQuery) -> SearchResults {
    index.search(query).await.expect("search never fails on input")
}

async fn ids(index: &SearchIndex, query: SearchQuery) -> Vec<String> {
    search(index, query).await.hits.into_iter().map(|h| h.id).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn pembangunan_jalan_finds_membangun_and_dibangun_jalan() {
    let index = index_with(vec![
        doc("a", "Warga membangun jalan desa", "Gotong royong sejak pagi."),
        doc("b", "Jalan baru dibangun di Krajan", "Panjangnya dua kilometer."),
        doc("c", "Posyandu Melati dibuka", "Imunisasi gratis untuk balita."),
        doc("d", "Jembatan dibangun", "Tanpa kata yang dicari kedua."),
    ])
    .await;
    let results = search(&index, SearchQuery::text("pembangunan jalan")).await;
    assert_eq!(results.total, 2);
    assert_eq!(sorted(results.hits.into_iter().map(|h| h.id).collect()), ["a", "b"]);
}

#[tokio::test]
async fn bad_syntax_searches_as_plain_words() {
    let index = index_with(vec![
        doc("a", "Perbaikan jalan desa", "Jalan desa diperbaiki."),
        doc("b", "Posyandu", "Imunisasi balita."),
    ])
    .await;
    for text in [
        "\"jalan",
        "jalan\"",
        "jalan AND OR",
        "jalan AND",
        "OR jalan",
        "title: jalan",
        "jalan title:",
        "((jalan",
        "jalan))",
        "jalan^",
        "jalan^abc",
        "jalan~",
        "[jalan TO",
        "{jalan",
        "jalan:desa",
        "jalan +",
        "jalan -",
        "jalan *",
        "jalan IN [",
        "jalan \\",
        "jalan !",
        "jalan / desa",
    ] {
        let results = search(&index, SearchQuery::text(text)).await;
        assert!(results.hits.iter().any(|h| h.id == "a"), "{text:?} should find the item about jalan: {results:?}");
        assert!(results.hits.iter().all(|h| h.id != "b"), "{text:?} found an unrelated item");
    }
    for text in [
        "AND OR",
        "title:",
        "((",
        "\"",
        ":",
        "~2",
        "^",
        "*",
        "-",
        "()",
        "[]",
        "\\",
        "NOT",
        "yang",
        "jalan: 10:00",
        "id:a",
        "published_at:[0 TO 1]",
    ] {
        search(&index, SearchQuery::text(text)).await;
    }
    // Filter fields cannot be reached through the text: these are words.
    assert!(ids(&index, SearchQuery::text("regions:35")).await.is_empty());
    assert!(ids(&index, SearchQuery::text("id:a")).await.is_empty());
}

#[tokio::test]
async fn quotes_make_a_phrase() {
    let index = index_with(vec![
        doc("a", "Kabar", "Perbaikan jalan desa dimulai."),
        doc("b", "Kabar", "Desa memperbaiki saluran, jalan menyusul."),
    ])
    .await;
    assert_eq!(sorted(ids(&index, SearchQuery::text("jalan desa")).await), ["a", "b"]);
    assert_eq!(ids(&index, SearchQuery::text("\"jalan desa\"")).await, ["a"]);
}

#[tokio::test]
async fn phrases_match_word_forms_next_to_each_other_and_rank_the_title_first() {
    let index = index_with(vec![
        doc("body", "Kabar", "Warga membangun jalan desa bersama."),
        doc("title", "Pembangunan jalan desa", "Dimulai pekan ini."),
        doc("apart", "Kabar", "Jalan rusak, pembangunan menunggu dana desa."),
        doc("stop-word", "Kabar", "Dana untuk desa cair."),
        doc("reversed", "Kabar", "Desa dana."),
    ])
    .await;
    // Word forms: `pembangunan jalan` is the pair `bangun jalan`.
    let results = search(&index, SearchQuery::text("\"pembangunan jalan\"")).await;
    assert_eq!(results.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["title", "body"]);
    assert!(results.hits[1].snippet_html.contains("<mark>membangun</mark> <mark>jalan</mark>"), "{results:?}");
    // Three words: each consecutive pair.
    assert_eq!(sorted(ids(&index, SearchQuery::text("\"membangun jalan desa\"")).await), ["body", "title"]);
    // A stop word between the words does not break the phrase; order does.
    assert_eq!(sorted(ids(&index, SearchQuery::text("\"dana desa\"")).await), ["apart", "stop-word"]);
    // A phrase excluded, and a phrase with a word.
    assert_eq!(
        sorted(ids(&index, SearchQuery::text("desa -\"jalan desa\"")).await),
        ["apart", "reversed", "stop-word"]
    );
    assert_eq!(ids(&index, SearchQuery::text("\"jalan desa\" warga")).await, ["body"]);
    // With slop, positions decide as typed.
    let with_slop = ids(&index, SearchQuery::text("\"desa dana\"~2")).await;
    assert!(with_slop.contains(&"reversed".to_owned()) && with_slop.contains(&"apart".to_owned()), "{with_slop:?}");
}

fn placed(id: &str, regions: &[&str]) -> SearchDoc {
    SearchDoc { regions: regions.iter().map(|r| r.to_string()).collect(), ..doc(id, "Kabar jalan", "Isi.") }
}

#[tokio::test]
async fn the_region_filter_includes_descendants() {
    let index = index_with(vec![
        placed("village", &["35.23.01.2001"]),
        placed("district", &["35.23.02"]),
        placed("other-regency", &["35.24"]),
        placed("province", &["35"]),
        placed("two-places", &["36.01", "35.23.01"]),
    ])
    .await;
    let region = |code: &str| SearchQuery { region: Some(code.into()), ..SearchQuery::text("jalan") };
    assert_eq!(sorted(ids(&index, region("35.23")).await), ["district", "two-places", "village"]);
    assert_eq!(sorted(ids(&index, region("35.23.01")).await), ["two-places", "village"]);
    assert_eq!(ids(&index, region("35.23.01.2001")).await, ["village"]);
    assert_eq!(sorted(ids(&index, region("36")).await), ["two-places"]);
    assert_eq!(ids(&index, region("35")).await.len(), 5);
    assert!(ids(&index, region("99")).await.is_empty());
    assert!(ids(&index, region("bukan kode")).await.is_empty());
}

#[tokio::test]
async fn topic_kind_and_organisation_filters() {
    let index = index_with(vec![
        SearchDoc { topics: vec!["kesehatan".into(), "sosial".into()], ..doc("health", "Kabar jalan", "Isi.") },
        SearchDoc { kind: "pengumuman".into(), ..doc("notice", "Kabar jalan", "Isi.") },
        SearchDoc { org_id: "org-b".into(), ..doc("org-b", "Kabar jalan", "Isi.") },
        doc("plain", "Kabar jalan", "Isi."),
    ])
    .await;
    let q = SearchQuery::text("jalan");
    assert_eq!(ids(&index, SearchQuery { topic: Some("sosial".into()), ..q.clone() }).await, ["health"]);
    assert_eq!(ids(&index, SearchQuery { kind: Some("pengumuman".into()), ..q.clone() }).await, ["notice"]);
    assert_eq!(ids(&index, SearchQuery { org: Some("org-b".into()), ..q.clone() }).await, ["org-b"]);
    assert_eq!(ids(&index, SearchQuery { org: Some("org-a".into()), ..q.clone() }).await.len(), 3);
    // Filters combine.
    let both = SearchQuery { topic: Some("infrastruktur".into()), kind: Some("berita".into()), ..q.clone() };
    assert_eq!(sorted(ids(&index, both).await), ["org-b", "plain"]);
}

#[tokio::test]
async fn the_date_filter_is_inclusive_at_both_ends() {
    let on = |id: &str, day: i64| SearchDoc { published_at: MARCH_1 + day * DAY, ..doc(id, "Kabar jalan", "Isi.") };
    let index = index_with(vec![on("d0", 0), on("d1", 1), on("d2", 2), on("d3", 3)]).await;
    let range = |from: Option<i64>, to: Option<i64>| SearchQuery {
        from: from.map(|d| MARCH_1 + d * DAY),
        to: to.map(|d| MARCH_1 + d * DAY),
        ..SearchQuery::text("jalan")
    };
    assert_eq!(sorted(ids(&index, range(Some(1), Some(2))).await), ["d1", "d2"]);
    assert_eq!(sorted(ids(&index, range(Some(2), None)).await), ["d2", "d3"]);
    assert_eq!(sorted(ids(&index, range(None, Some(0))).await), ["d0"]);
    assert!(ids(&index, range(Some(3), Some(1))).await.is_empty());
}

#[tokio::test]
async fn a_title_match_ranks_above_a_summary_match_above_a_body_match() {
    // Every item has a title, a summary and a body of similar lengths, as
    // published items do; only where the words stand differs.
    let filler = "Warga berkumpul di balai desa pada pagi hari.";
    let item = |id: &str, title: &str, summary: &str, body: &str| SearchDoc {
        summary: summary.to_owned(),
        ..doc(id, title, body)
    };
    let index = index_with(vec![
        item(
            "in-body",
            "Kabar desa pekan ini",
            "Kabar singkat dari balai desa.",
            &format!("{filler} Perbaikan jembatan dimulai."),
        ),
        item(
            "in-summary",
            "Kabar desa pekan ini",
            "Perbaikan jembatan dimulai hari ini.",
            &format!("{filler} Kerja bakti dimulai."),
        ),
        item(
            "in-title",
            "Perbaikan jembatan dimulai",
            "Kabar singkat dari balai desa.",
            &format!("{filler} Kerja bakti dimulai."),
        ),
    ])
    .await;
    let results = search(&index, SearchQuery::text("perbaikan jembatan")).await;
    let order: Vec<_> = results.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(order, ["in-title", "in-summary", "in-body"]);
    assert!(results.hits[0].score > results.hits[1].score && results.hits[1].score > results.hits[2].score);
}

#[tokio::test]
async fn equal_scores_and_lists_without_text_go_newest_first() {
    let on = |id: &str, day: i64| SearchDoc { published_at: MARCH_1 + day * DAY, ..doc(id, "Kabar jalan", "Isi.") };
    let index = index_with(vec![on("old", 0), on("new", 5), on("mid", 2)]).await;
    assert_eq!(ids(&index, SearchQuery::text("jalan")).await, ["new", "mid", "old"]);
    let listed = search(&index, SearchQuery { region: Some("35".into()), ..SearchQuery::default() }).await;
    assert_eq!(listed.total, 3);
    assert_eq!(listed.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["new", "mid", "old"]);
    assert!(listed.hits.iter().all(|h| h.score == 0.0));
    // Whitespace is no text either.
    assert_eq!(search(&index, SearchQuery::text("   ")).await.total, 3);
}

#[tokio::test]
async fn pages_are_cut_by_offset_and_limit_and_total_counts_all() {
    let docs = (0..25).map(|i| SearchDoc { published_at: MARCH_1 + i, ..doc(&format!("{i:02}"), "Jalan", "Isi.") });
    let index = index_with(docs.collect()).await;
    let page = |offset, limit| SearchQuery { offset, limit, ..SearchQuery::text("jalan") };
    let first = search(&index, page(0, 0)).await;
    assert_eq!((first.total, first.hits.len()), (25, 20));
    assert_eq!(first.hits[0].id, "24");
    let second = search(&index, page(20, 10)).await;
    assert_eq!(second.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["04", "03", "02", "01", "00"]);
    assert!(search(&index, page(100, 10)).await.hits.is_empty());
}

/// Items whose scores for `jalan desa` spread widely (how often each word
/// stands, in which field, in how long a text), with runs of identical
/// items published on different days, so equal scores are common.
fn varied_items(count: usize) -> Vec<SearchDoc> {
    (0..count)
        .map(|i| {
            let jalan = " jalan".repeat(1 + i % 4);
            let desa = " desa".repeat(1 + (i / 4) % 3);
            let filler = " kabar warga".repeat((i / 12) % 7);
            let title = if (i / 84) % 3 == 0 { "Jalan desa" } else { "Kabar pekan ini" };
            let mut item = doc(&format!("{i:05}"), title, &format!("Isi{jalan}{desa}{filler}."));
            item.summary = if (i / 252) % 2 == 0 { "Jalan.".into() } else { String::new() };
            item.regions = vec![if i % 2 == 0 { "35.23.01".into() } else { "35.24".into() }];
            item.topics = vec![if i % 10 == 0 { "kesehatan".into() } else { "pertanian".into() }];
            item.published_at = MARCH_1 + ((i * 7919) % count) as i64 * 60_000;
            item
        })
        .collect()
}

#[tokio::test]
async fn the_pages_rank_as_if_every_match_were_scored() {
    let count = 3_000;
    let index = index_with(varied_items(count)).await;
    for text in ["jalan desa", "jalan", "kabar OR desa"] {
        // Each page is ranked apart, skipping what cannot reach it. Were
        // an item skipped that belongs on a page, it would turn up on a
        // later page out of order, or on none: all pages together must
        // hold every item once, by score and then newest first.
        let mut everything = Vec::new();
        for offset in (0..count).step_by(100) {
            let page = search(&index, SearchQuery { offset, limit: 100, ..SearchQuery::text(text) }).await;
            everything.extend(page.hits.into_iter().map(|h| (h.id, h.score, h.published_at)));
        }
        let distinct: std::collections::HashSet<_> = everything.iter().map(|h| &h.0).collect();
        assert_eq!(distinct.len(), count, "{text}: every item once");
        for pair in everything.windows(2) {
            let ((_, s1, d1), (_, s2, d2)) = (&pair[0], &pair[1]);
            assert!(s1 > s2 || (s1 == s2 && d1 >= d2), "{text}: ranked by score, then newest: {pair:?}");
        }
        let ties = everything.windows(2).filter(|p| p[0].1 == p[1].1).count();
        assert!(ties > count / 2, "{text}: the test needs many equal scores, has {ties}");
        for (offset, limit) in [(0, 20), (20, 20), (0, 1), (137, 50)] {
            let page = search(&index, SearchQuery { offset, limit, ..SearchQuery::text(text) }).await;
            assert_eq!(page.total, count, "{text}");
            let got: Vec<_> = page.hits.into_iter().map(|h| (h.id, h.score, h.published_at)).collect();
            assert_eq!(got, everything[offset..offset + limit], "{text}: page at {offset}");
        }
        // Filters narrow the same ranking, whether few items pass them
        // (all ranked) or many (the text's matches walked, filters checked
        // beside).
        let items = varied_items(count);
        let filtered = |keep: &dyn Fn(&SearchDoc) -> bool| -> Vec<_> {
            let kept: std::collections::HashSet<&str> =
                items.iter().filter(|d| keep(d)).map(|d| d.id.as_str()).collect();
            everything.iter().filter(|h| kept.contains(h.0.as_str())).cloned().collect()
        };
        let in_regency = SearchQuery { region: Some("35.23".into()), ..SearchQuery::text(text) };
        let on_health = SearchQuery { topic: Some("kesehatan".into()), ..SearchQuery::text(text) };
        let both = SearchQuery { topic: Some("kesehatan".into()), ..in_regency.clone() };
        for (query, expected) in [
            (in_regency, filtered(&|d| d.regions[0] == "35.23.01")),
            (on_health, filtered(&|d| d.topics[0] == "kesehatan")),
            (both, filtered(&|d| d.regions[0] == "35.23.01" && d.topics[0] == "kesehatan")),
        ] {
            for (offset, limit) in [(0, 20), (20, 20), (137, 50)] {
                let page = search(&index, SearchQuery { offset, limit, ..query.clone() }).await;
                assert_eq!(page.total, expected.len(), "{query:?}");
                let got: Vec<_> = page.hits.into_iter().map(|h| (h.id, h.score, h.published_at)).collect();
                assert_eq!(got, expected[offset..(offset + limit).min(expected.len())], "{query:?} at {offset}");
            }
        }
    }
}

#[tokio::test]
async fn hits_carry_what_a_result_list_shows() {
    let mut item = doc("a", "Jalan desa diperbaiki", "Isi.");
    item.kind = "pengumuman".into();
    item.url_path = "/pengumuman/jalan-desa".into();
    let index = index_with(vec![item]).await;
    let hit = search(&index, SearchQuery::text("jalan")).await.hits.remove(0);
    assert_eq!(
        (hit.id.as_str(), hit.title.as_str(), hit.kind.as_str(), hit.url_path.as_str(), hit.published_at),
        ("a", "Jalan desa diperbaiki", "pengumuman", "/pengumuman/jalan-desa", MARCH_1)
    );
    assert!(hit.score > 0.0);
}

#[tokio::test]
async fn snippets_highlight_matched_forms_and_escape_the_rest() {
    let body = "Pada hari Senin, warga <b>Krajan</b> & perangkat desa membangun jalan sepanjang dua kilometer. \
                Anak-anak ikut membantu.";
    let index = index_with(vec![doc("a", "Kabar", body)]).await;
    let hit = search(&index, SearchQuery::text("pembangunan")).await.hits.remove(0);
    assert!(hit.snippet_html.contains("<mark>membangun</mark>"), "{}", hit.snippet_html);
    assert!(hit.snippet_html.contains("&lt;b&gt;Krajan&lt;/b&gt; &amp; perangkat"), "{}", hit.snippet_html);
    assert!(!hit.snippet_html.contains("<b>"));
    let hit = search(&index, SearchQuery::text("anak")).await.hits.remove(0);
    assert!(hit.snippet_html.contains("<mark>Anak-anak</mark>"), "{}", hit.snippet_html);
}

#[tokio::test]
async fn long_bodies_give_a_passage_around_the_match() {
    let before = "Musyawarah warga berlangsung lama dan membahas banyak hal. ".repeat(10);
    let after = "Rapat ditutup dengan doa bersama dan makan siang. ".repeat(10);
    let body = format!("{before}Posyandu akan dibuka setiap Selasa. {after}");
    let index = index_with(vec![doc("a", "Kabar", &body)]).await;
    let hit = search(&index, SearchQuery::text("posyandu")).await.hits.remove(0);
    assert!(hit.snippet_html.contains("<mark>Posyandu</mark>"), "{}", hit.snippet_html);
    assert!(hit.snippet_html.ends_with('…'), "{}", hit.snippet_html);
    assert!(hit.snippet_html.len() < 300, "{}", hit.snippet_html);
}

#[tokio::test]
async fn snippets_fall_back_to_the_summary() {
    let mut in_summary = doc("s", "Kabar", "Tidak ada kata kunci di sini.");
    in_summary.summary = "Jadwal vaksinasi <lansia>".into();
    let mut in_title = doc("t", "Vaksinasi keliling", "Isi lain.");
    in_title.summary = "Ringkasan & jadwal".into();
    let index = index_with(vec![in_summary, in_title]).await;
    let results = search(&index, SearchQuery::text("vaksinasi")).await;
    let snippet = |id: &str| results.hits.iter().find(|h| h.id == id).unwrap().snippet_html.clone();
    assert_eq!(snippet("s"), "Jadwal <mark>vaksinasi</mark> &lt;lansia&gt;");
    // Matched in the title only: the summary, escaped, without marks.
    assert_eq!(snippet("t"), "Ringkasan &amp; jadwal");
}

#[tokio::test]
async fn upsert_replaces_and_remove_deletes() {
    let index = index_with(vec![doc("a", "Jalan rusak", "Isi.")]).await;
    index.upsert(doc("a", "Jembatan rusak", "Isi.")).await.unwrap();
    index.commit().await.unwrap();
    assert!(ids(&index, SearchQuery::text("jalan")).await.is_empty());
    assert_eq!(ids(&index, SearchQuery::text("jembatan")).await, ["a"]);
    assert_eq!(index.num_docs(), 1);
    index.remove("a").await.unwrap();
    index.commit().await.unwrap();
    assert!(ids(&index, SearchQuery::text("jembatan")).await.is_empty());
    assert_eq!(index.num_docs(), 0);
}

#[tokio::test]
async fn a_query_of_only_stop_words_finds_nothing() {
    let index = index_with(vec![doc("a", "Yang dan di", "ini itu")]).await;
    assert_eq!(search(&index, SearchQuery::text("yang dan di")).await.total, 0);
}
