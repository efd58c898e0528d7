//! The index's schema and the document it holds for one published item.
//!
//! Text fields (title, summary, body) go through the Indonesian analyser
//! with positions (snippets, `title:word`, phrases with slop); each also
//! has a pairs field (its terms joined two by two, see
//! [`indonesian_pairs`](crate::analyzer::indonesian_pairs)) that answers
//! quoted phrases. The `text` field holds all three at once, weighted,
//! and answers plain words (see [`Fields::text`]); filter fields are exact
//! terms. A
//! target region is indexed with every code above it, so a filter on a
//! regency matches items targeted at any of its districts or villages.

use jembatan_domain::RegionCode;
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};

use crate::analyzer::{ANALYZER, PAIRS_ANALYZER};

/// Bumped whenever the schema or the analyser changes what is indexed; an
/// index on disk written under another version is rebuilt from scratch.
pub const SCHEMA_VERSION: u32 = 3;

/// How much more a match in the title weighs than one in the body: the
/// title stands this many times in the `text` field, and a query on the
/// title field alone is boosted by as much.
pub const TITLE_WEIGHT: usize = 3;
/// How much more a match in the summary weighs than one in the body.
pub const SUMMARY_WEIGHT: usize = 2;

/// One published item as the index sees it. The application builds it from
/// the content store (see [`DocumentSource`](crate::DocumentSource)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// The item's id (UUID); unique in the index.
    pub id: String,
    /// The content type (`berita`, `pengumuman`, `agenda`, ...).
    pub kind: String,
    pub title: String,
    pub summary: String,
    /// The body as plain text (Markdown already rendered and stripped).
    pub body: String,
    /// Topic slugs (`kesehatan`, `pertanian`, ...).
    pub topics: Vec<String>,
    /// Target region codes, at any level.
    pub regions: Vec<String>,
    /// The publishing organisation's id.
    pub org_id: String,
    /// Language code (`id`, `en`, `jv`, ...).
    pub language: String,
    /// When it was published, Unix milliseconds.
    pub published_at: i64,
    /// Where the item is read, e.g. `/berita/2026/...`.
    pub url_path: String,
}

/// The fields of the schema, resolved once.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub kind: Field,
    pub title: Field,
    pub summary: Field,
    pub body: Field,
    /// The pairs of the title's, summary's and body's terms.
    pub title_pairs: Field,
    pub summary_pairs: Field,
    pub body_pairs: Field,
    /// Title, summary and body as one field, each value repeated by its
    /// weight ([`TITLE_WEIGHT`], [`SUMMARY_WEIGHT`], once for the body):
    /// BM25F, the model of Elasticsearch's `combined_fields` query. A word
    /// is one term here, so a query of several words is an intersection of
    /// terms, which tantivy ranks with block-max pruning instead of scoring
    /// every match (three fields per word would be a nested union it cannot
    /// prune). Frequencies only: phrases go to the pairs fields.
    pub text: Field,
    pub topics: Field,
    pub regions: Field,
    pub org_id: Field,
    pub language: Field,
    pub published_at: Field,
    pub url_path: Field,
}

/// Names of the schema's fields (stable: they are stored on disk).
pub mod field {
    pub const ID: &str = "id";
    pub const KIND: &str = "kind";
    pub const TITLE: &str = "title";
    pub const SUMMARY: &str = "summary";
    pub const BODY: &str = "body";
    pub const TITLE_PAIRS: &str = "title_pairs";
    pub const SUMMARY_PAIRS: &str = "summary_pairs";
    pub const BODY_PAIRS: &str = "body_pairs";
    pub const TEXT: &str = "text";
    pub const TOPICS: &str = "topics";
    pub const REGIONS: &str = "regions";
    pub const ORG_ID: &str = "org_id";
    pub const LANGUAGE: &str = "language";
    pub const PUBLISHED_AT: &str = "published_at";
    pub const URL_PATH: &str = "url_path";
}

/// The index's schema.
pub fn schema() -> Schema {
    let text = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(ANALYZER).set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let frequencies_only = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    // Positions are not needed: a pair is the phrase.
    let pairs = frequencies_only(PAIRS_ANALYZER);
    let mut builder = Schema::builder();
    builder.add_text_field(field::ID, STRING | STORED);
    builder.add_text_field(field::KIND, STRING | STORED);
    builder.add_text_field(field::TITLE, text.clone());
    builder.add_text_field(field::SUMMARY, text.clone());
    builder.add_text_field(field::BODY, text);
    builder.add_text_field(field::TITLE_PAIRS, pairs.clone());
    builder.add_text_field(field::SUMMARY_PAIRS, pairs.clone());
    builder.add_text_field(field::BODY_PAIRS, pairs);
    builder.add_text_field(field::TEXT, frequencies_only(ANALYZER));
    builder.add_text_field(field::TOPICS, STRING);
    builder.add_text_field(field::REGIONS, STRING);
    builder.add_text_field(field::ORG_ID, STRING);
    builder.add_text_field(field::LANGUAGE, STRING | STORED);
    builder.add_i64_field(field::PUBLISHED_AT, INDEXED | FAST | STORED);
    builder.add_text_field(field::URL_PATH, STORED);
    builder.build()
}

impl Fields {
    /// Resolves the fields of `schema` (built by [`schema`]).
    pub fn of(schema: &Schema) -> Fields {
        let get = |name: &str| schema.get_field(name).expect("field of the search schema");
        Fields {
            id: get(field::ID),
            kind: get(field::KIND),
            title: get(field::TITLE),
            summary: get(field::SUMMARY),
            body: get(field::BODY),
            title_pairs: get(field::TITLE_PAIRS),
            summary_pairs: get(field::SUMMARY_PAIRS),
            body_pairs: get(field::BODY_PAIRS),
            text: get(field::TEXT),
            topics: get(field::TOPICS),
            regions: get(field::REGIONS),
            org_id: get(field::ORG_ID),
            language: get(field::LANGUAGE),
            published_at: get(field::PUBLISHED_AT),
            url_path: get(field::URL_PATH),
        }
    }

    /// How much more a match in `field` weighs than one in the body
    /// (`None`: as much).
    pub fn boost(&self, field: Field) -> Option<f32> {
        if field == self.title {
            Some(TITLE_WEIGHT as f32)
        } else if field == self.summary {
            Some(SUMMARY_WEIGHT as f32)
        } else {
            None
        }
    }

    /// The pairs field of a text field (`None` for any other field).
    pub fn pairs_of(&self, field: Field) -> Option<Field> {
        [(self.title, self.title_pairs), (self.summary, self.summary_pairs), (self.body, self.body_pairs)]
            .into_iter()
            .find_map(|(text, pairs)| (text == field).then_some(pairs))
    }

    /// The tantivy document for `doc`.
    pub fn document(&self, doc: &SearchDoc) -> TantivyDocument {
        let mut out = TantivyDocument::default();
        out.add_text(self.id, &doc.id);
        out.add_text(self.kind, &doc.kind);
        out.add_text(self.title, &doc.title);
        out.add_text(self.summary, &doc.summary);
        out.add_text(self.body, &doc.body);
        out.add_text(self.title_pairs, &doc.title);
        out.add_text(self.summary_pairs, &doc.summary);
        out.add_text(self.body_pairs, &doc.body);
        let weighted = [(&doc.title, TITLE_WEIGHT), (&doc.summary, SUMMARY_WEIGHT), (&doc.body, 1)];
        for (value, weight) in weighted {
            for _ in 0..weight {
                out.add_text(self.text, value);
            }
        }
        for topic in &doc.topics {
            out.add_text(self.topics, topic);
        }
        for code in region_terms(&doc.regions) {
            out.add_text(self.regions, &code);
        }
        out.add_text(self.org_id, &doc.org_id);
        out.add_text(self.language, &doc.language);
        out.add_i64(self.published_at, doc.published_at);
        out.add_text(self.url_path, &doc.url_path);
        out
    }
}

/// Every code a document targeted at `regions` is found under: each target
/// and every code above it, once each (`35.23.01.2001` gives `35`,
/// `35.23`, `35.23.01` and `35.23.01.2001`). A code that is not a valid
/// region code is kept as it is, without ancestors.
pub fn region_terms(regions: &[String]) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for raw in regions {
        let lineage = match RegionCode::parse(raw) {
            Ok(code) => code.lineage().into_iter().map(String::from).collect(),
            Err(_) => vec![raw.trim().to_owned()],
        };
        for code in lineage {
            if !code.is_empty() && !terms.contains(&code) {
                terms.push(code);
            }
        }
    }
    terms
}

/// The first text value of `field` in a stored document, or "".
pub(crate) fn stored_text(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
}

/// The first i64 value of `field` in a stored document, or 0.
pub(crate) fn stored_i64(doc: &TantivyDocument, field: Field) -> i64 {
    doc.get_first(field).and_then(|v| v.as_i64()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_terms_hold_every_ancestor_once() {
        let terms = region_terms(&["35.23.01.2001".into(), "35.23.02".into(), "11".into()]);
        assert_eq!(terms, ["35", "35.23", "35.23.01", "35.23.01.2001", "35.23.02", "11"]);
    }

    #[test]
    fn malformed_region_codes_are_kept_verbatim() {
        assert_eq!(region_terms(&["x.y".into(), " ".into()]), ["x.y"]);
    }
}
