//! Turning what a person typed, and the filters they chose, into hits with
//! highlighted snippets.
//!
//! Text is parsed leniently: quotes make phrases, `-word` excludes, `OR`
//! widens, `title:word` looks in one text field, and every other word must
//! match (in title, summary or body). Text whose syntax is broken
//! (`"unclosed`, `AND OR`, `title:`, `((`) is searched as its plain words,
//! any of which may match; searching never fails on input, and the filter
//! fields cannot be named in the text. A word is looked up in the `text`
//! field, where a match in the title weighs as
//! [`TITLE_WEIGHT`](crate::index::TITLE_WEIGHT) matches in the body and one
//! in the summary as [`SUMMARY_WEIGHT`](crate::index::SUMMARY_WEIGHT)
//! (BM25F); a word asked of one field (`title:jalan`) and a phrase are
//! boosted by the same weights. Ties, and lists without text, go newest
//! first, and the best hits are found without scoring every match (see
//! [`crate::ranking`]). Filters narrow without changing scores.
//!
//! A quoted phrase is answered from the pairs fields (see
//! [`crate::index`]): `"dana desa"` is the one term `dana desa`, a longer
//! phrase every pair of its consecutive words. Its words must stand next to
//! each other, stop words aside. A phrase with slop (`"dana desa"~2`) is
//! checked by position as typed.

use std::ops::Bound;

use jembatan_domain::markdown;
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, EnableScoring, Occur, PhraseQuery, Query,
    QueryParser, QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{DocAddress, Index, Order, Score, Searcher, TantivyDocument, Term};

use crate::analyzer::{ANALYZER, pair_term};
use crate::index::{Fields, field, stored_i64, stored_text};
use crate::ranking::ByScoreThenNewest;

/// Hits per page when the query does not say.
pub const DEFAULT_LIMIT: usize = 20;
/// Most hits one query returns.
pub const MAX_LIMIT: usize = 100;
/// Deepest offset served; deeper pages cost more than anyone reads.
pub const MAX_OFFSET: usize = 10_000;
/// Longest snippet: in bytes of the source text for a highlighted passage
/// (tantivy's measure), in characters for the summary shown without one.
pub const SNIPPET_CHARS: usize = 200;

/// What a person asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    /// Words, as typed; empty lists the filtered items newest first.
    pub text: String,
    /// A region code; matches items targeted at it or anywhere inside it.
    pub region: Option<String>,
    /// A topic slug.
    pub topic: Option<String>,
    /// A content type (`berita`, `agenda`, ...).
    pub kind: Option<String>,
    /// A publishing organisation's id.
    pub org: Option<String>,
    /// Published at or after this instant (Unix ms).
    pub from: Option<i64>,
    /// Published at or before this instant (Unix ms).
    pub to: Option<i64>,
    /// Hits to skip (clamped to [`MAX_OFFSET`]).
    pub offset: usize,
    /// Hits to return: 0 means [`DEFAULT_LIMIT`]; at most [`MAX_LIMIT`].
    pub limit: usize,
}

impl SearchQuery {
    /// A query for `text` without filters.
    pub fn text(text: impl Into<String>) -> SearchQuery {
        SearchQuery { text: text.into(), ..SearchQuery::default() }
    }

    fn page(&self) -> (usize, usize) {
        let limit = match self.limit {
            0 => DEFAULT_LIMIT,
            n => n.min(MAX_LIMIT),
        };
        (self.offset.min(MAX_OFFSET), limit)
    }
}

/// One page of results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    /// How many items match in all.
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// One matching item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub url_path: String,
    pub kind: String,
    /// Unix milliseconds.
    pub published_at: i64,
    /// A passage of the body (or summary) as HTML: text escaped, matched
    /// words wrapped in `<mark>`; safe to insert as is.
    pub snippet_html: String,
    /// Relevance (0 when listing without text).
    pub score: f32,
}

/// Runs `query` against `searcher`. Fails only when the index cannot be
/// read, never because of what was typed.
pub(crate) fn execute(
    index: &Index,
    fields: &Fields,
    searcher: &Searcher,
    query: &SearchQuery,
) -> tantivy::Result<SearchResults> {
    let (offset, limit) = query.page();
    let text = query.text.trim();
    let text_query = (!text.is_empty()).then(|| parse_text(index, fields, text));
    let filter = all_of(filters(fields, query));
    let (total, ranked): (usize, Vec<(Score, DocAddress)>) = match &text_query {
        Some(text) => {
            let matching = match &filter {
                Some(filter) => Box::new(BooleanQuery::intersection(vec![text.search.box_clone(), filter.box_clone()])),
                None => text.search.box_clone(),
            };
            // Counting needs no scores, so it is one cheap pass of its own.
            let total = searcher.search(&*matching, &Count)?;
            // The text's query asked alone is a bare term or an
            // intersection or union of terms, shapes tantivy ranks while
            // skipping; a boolean around it would hide them. So when many
            // items match, the text leads and the filter is checked beside
            // it; when few do, ranking them all costs less.
            let (leader, within) = match filter {
                Some(filter) if total > RANK_ALL_UP_TO => {
                    (&text.search, Some(filter.weight(EnableScoring::disabled_from_searcher(searcher))?))
                }
                _ => (&matching, None),
            };
            let ranked = searcher.search(&**leader, &ByScoreThenNewest::new(offset + limit, within))?;
            (total, ranked.into_iter().skip(offset).map(|r| (r.score, r.address)).collect())
        }
        None => {
            let listed = filter.unwrap_or_else(|| Box::new(AllQuery));
            let by_date = TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_fast_field::<i64>(field::PUBLISHED_AT, Order::Desc);
            let (total, docs) = searcher.search(&*listed, &(Count, by_date))?;
            (total, docs.into_iter().map(|(_, address)| (0.0, address)).collect())
        }
    };

    let snippets = match &text_query {
        Some(q) => Some(Snippets::new(searcher, &*q.highlight, fields)?),
        None => None,
    };
    let mut hits = Vec::with_capacity(ranked.len());
    for (score, address) in ranked {
        let doc: TantivyDocument = searcher.doc(address)?;
        let summary = stored_text(&doc, fields.summary);
        let snippet_html = snippets.as_ref().and_then(|s| s.html(&doc)).unwrap_or_else(|| plain_snippet(&summary));
        hits.push(Hit {
            id: stored_text(&doc, fields.id),
            title: stored_text(&doc, fields.title),
            url_path: stored_text(&doc, fields.url_path),
            kind: stored_text(&doc, fields.kind),
            published_at: stored_i64(&doc, fields.published_at),
            snippet_html,
            score,
        });
    }
    Ok(SearchResults { total, hits })
}

/// At most this many matches of text and filters together are ranked by
/// scoring each of them; more are ranked by walking the text's matches,
/// skipping what cannot reach the page, and checking the filters beside.
const RANK_ALL_UP_TO: usize = 1_000;

/// All of `clauses`: nothing when there are none, the one clause alone.
fn all_of(mut clauses: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match clauses.len() {
        0 => None,
        1 => clauses.pop(),
        _ => Some(Box::new(BooleanQuery::new(clauses.into_iter().map(|c| (Occur::Must, c)).collect()))),
    }
}

/// Typed text as queries.
pub(crate) struct TextQuery {
    /// What is searched: phrases by their pairs, each field weighed.
    pub search: Box<dyn Query>,
    /// The parser's query, whose words the snippets highlight.
    pub highlight: Box<dyn Query>,
}

/// The query for typed text: the lenient parse when it understood all of
/// it (every word required), otherwise the text's plain words (any word);
/// nothing when no word is left (only stop words or syntax), rather than
/// everything. Phrases are answered from the pairs fields and each field's
/// weight applied (see [`weigh`]).
pub(crate) fn parse_text(index: &Index, fields: &Fields, text: &str) -> TextQuery {
    let words = plain_words(text);
    if !has_terms(index, &words) {
        return TextQuery { search: Box::new(EmptyQuery), highlight: Box::new(EmptyQuery) };
    }
    let text_fields = vec![fields.title, fields.summary, fields.body];
    let mut parser = QueryParser::for_index(index, text_fields.clone());
    parser.set_conjunction_by_default();
    let (query, errors) = parser.parse_query_lenient(&tidy_operators(&only_text_fields(text)));
    // `-jalan` alone means "everything but jalan": understood, though the
    // parser reports it.
    if errors.iter().all(|e| matches!(e, QueryParserError::AllButQueryForbidden)) {
        let by_pairs = !text.contains("\"~");
        return TextQuery { search: weigh(&*query, fields, by_pairs), highlight: query };
    }
    // Broken syntax: any of its words may match (more matches rank higher),
    // since some of them were meant as syntax, not as words to require.
    let (query, _) = QueryParser::for_index(index, text_fields).parse_query_lenient(&words);
    TextQuery { search: weigh(&*query, fields, false), highlight: query }
}

/// `query` with a word asked of title, summary and body (the parser's
/// reading of a word without a field) asked of the `text` field instead,
/// which weighs the three; each field's weight applied to the terms and
/// phrases of one field (the parser's own boosts would hide them from this
/// rewrite); and phrases asked of the pairs fields when `by_pairs`. The
/// query for snippets stays the parser's: it highlights the words.
fn weigh(query: &dyn Query, fields: &Fields, by_pairs: bool) -> Box<dyn Query> {
    let boost = |field: Field, query: Box<dyn Query>| -> Box<dyn Query> {
        match fields.boost(field) {
            Some(weight) => Box::new(BoostQuery::new(query, weight)),
            None => query,
        }
    };
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        if let Some(word) = word_of_text_fields(boolean, fields) {
            let term = Term::from_field_text(fields.text, &word);
            return Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
        }
        let clauses =
            boolean.clauses().iter().map(|(occur, clause)| (*occur, weigh(&**clause, fields, by_pairs))).collect();
        return Box::new(BooleanQuery::with_minimum_required_clauses(
            clauses,
            boolean.get_minimum_number_should_match(),
        ));
    }
    if let Some(term) = query.downcast_ref::<TermQuery>() {
        return boost(term.term().field(), query.box_clone());
    }
    if let Some(phrase) = query.downcast_ref::<PhraseQuery>() {
        let field = phrase.field();
        let words: Vec<String> =
            phrase.phrase_terms().iter().map(|t| t.value().as_str().unwrap_or_default().to_owned()).collect();
        let Some(pairs_field) = fields.pairs_of(field).filter(|_| by_pairs && words.len() >= 2) else {
            return boost(field, query.box_clone());
        };
        let pairs: Vec<Box<dyn Query>> = words
            .windows(2)
            .map(|w| -> Box<dyn Query> {
                let term = Term::from_field_text(pairs_field, &pair_term(&w[0], &w[1]));
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
            })
            .collect();
        return boost(field, Box::new(BooleanQuery::intersection(pairs)));
    }
    query.box_clone()
}

/// The word of `query` when it is one word asked of each of title,
/// summary and body, any of which may match.
fn word_of_text_fields(query: &BooleanQuery, fields: &Fields) -> Option<String> {
    let clauses = query.clauses();
    let mut wanted = [fields.title, fields.summary, fields.body];
    if clauses.len() != wanted.len() || query.get_minimum_number_should_match() > 1 {
        return None;
    }
    let mut word: Option<String> = None;
    for (occur, clause) in clauses {
        let term = clause.downcast_ref::<TermQuery>()?.term();
        let slot = wanted.iter_mut().find(|f| **f == term.field())?;
        let value = term.value();
        let text = value.as_str()?;
        if *occur != Occur::Should || word.as_deref().is_some_and(|w| w != text) {
            return None;
        }
        // A field counts once.
        *slot = fields.text;
        word = Some(text.to_owned());
    }
    word
}

fn has_terms(index: &Index, text: &str) -> bool {
    let Some(mut analyzer) = index.tokenizers().get(ANALYZER) else { return true };
    analyzer.token_stream(text).advance()
}

/// Fields a person may name in the text (`title:jalan`); the filter
/// fields are set through [`SearchQuery`] only.
const TEXT_FIELDS: [&str; 3] = [field::TITLE, field::SUMMARY, field::BODY];

/// `text` with the colon of `name:` replaced by a space unless `name` is
/// one of [`TEXT_FIELDS`], so `regions:35` or `pukul 10:00` are words.
pub(crate) fn only_text_fields(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word_start = 0;
    for (i, c) in text.char_indices() {
        if c == ':' && !TEXT_FIELDS.contains(&&text[word_start..i]) {
            out.push(' ');
        } else {
            out.push(c);
        }
        if !(c.is_alphanumeric() || c == '_') {
            word_start = i + c.len_utf8();
        }
    }
    out
}

fn is_operator(word: &str) -> bool {
    matches!(word, "AND" | "OR" | "NOT" | "IN" | "&&" | "||")
}

/// `text` without boolean operators that miss an operand (`jalan AND OR`,
/// `OR jalan`, `jalan NOT`), which the parser would otherwise take for
/// words to require.
pub(crate) fn tidy_operators(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        if !is_operator(word) {
            kept.push(word);
            continue;
        }
        let operand_after = words.get(i + 1).is_some_and(|next| !is_operator(next));
        let operand_before = kept.last().is_some_and(|prev| !is_operator(prev));
        let binary = *word != "NOT";
        if operand_after && (operand_before || !binary) {
            kept.push(word);
        }
    }
    kept.join(" ")
}

/// `text` as plain words: every character that is not a letter or a digit
/// becomes a space, and operator words (`AND`, `OR`, `NOT`, `IN`) go.
pub(crate) fn plain_words(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced.split_whitespace().filter(|w| !is_operator(w)).collect::<Vec<_>>().join(" ")
}

fn filters(fields: &Fields, query: &SearchQuery) -> Vec<Box<dyn Query>> {
    let exact = |field: Field, value: &Option<String>| -> Option<Box<dyn Query>> {
        let value = value.as_deref()?.trim();
        let term = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
        Some(Box::new(ConstScoreQuery::new(Box::new(term), 0.0)))
    };
    let mut out: Vec<Box<dyn Query>> = [
        exact(fields.regions, &query.region),
        exact(fields.topics, &query.topic),
        exact(fields.kind, &query.kind),
        exact(fields.org_id, &query.org),
    ]
    .into_iter()
    .flatten()
    .collect();
    if query.from.is_some() || query.to.is_some() {
        let bound = |value: Option<i64>| match value {
            Some(v) => Bound::Included(Term::from_field_i64(fields.published_at, v)),
            None => Bound::Unbounded,
        };
        let range = RangeQuery::new(bound(query.from), bound(query.to));
        out.push(Box::new(ConstScoreQuery::new(Box::new(range), 0.0)));
    }
    out
}

/// Snippet generators for one query: the body first, else the summary.
struct Snippets {
    generators: [(Field, SnippetGenerator); 2],
}

impl Snippets {
    fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields) -> tantivy::Result<Snippets> {
        let make = |field: Field| -> tantivy::Result<(Field, SnippetGenerator)> {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            Ok((field, generator))
        };
        Ok(Snippets { generators: [make(fields.body)?, make(fields.summary)?] })
    }

    /// The highlighted passage, or `None` when neither body nor summary
    /// holds a matched word (the match was in the title).
    fn html(&self, doc: &TantivyDocument) -> Option<String> {
        self.generators.iter().find_map(|(field, generator)| {
            let text = stored_text(doc, *field);
            let text = text.trim();
            let mut snippet = generator.snippet(text);
            if snippet.is_empty() {
                return None;
            }
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            Some(with_ellipses(&snippet, text))
        })
    }
}

/// The snippet's HTML, with `…` where it cuts words off the text (mere
/// punctuation cut off is put back instead).
fn with_ellipses(snippet: &Snippet, text: &str) -> String {
    let range = snippet.fragment_range();
    let (head, tail) = (&text[..range.start], &text[range.end..]);
    let has_words = |s: &str| s.chars().any(char::is_alphanumeric);
    let mut html = String::new();
    if has_words(head) {
        html.push('…');
    } else {
        html.push_str(&escape_html(head.trim_start()));
    }
    html.push_str(&snippet.to_html());
    if has_words(tail) {
        html.push('…');
    } else {
        html.push_str(&escape_html(tail.trim_end()));
    }
    html
}

/// The start of `summary`, escaped, for hits without highlights.
fn plain_snippet(summary: &str) -> String {
    escape_html(&markdown::excerpt(summary, SNIPPET_CHARS))
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> (Index, Fields) {
        let index = Index::create_in_ram(crate::index::schema());
        index.tokenizers().register(ANALYZER, crate::analyzer::indonesian());
        let fields = Fields::of(&index.schema());
        (index, fields)
    }

    /// The field of `query` when it is one term query, unboosted.
    fn term_field(query: &dyn Query) -> Option<Field> {
        query.downcast_ref::<TermQuery>().map(|t| t.term().field())
    }

    #[test]
    fn words_are_terms_of_the_text_field_so_ranking_can_skip() {
        let (index, fields) = index();
        let one = parse_text(&index, &fields, "jalan");
        assert_eq!(term_field(&*one.search), Some(fields.text), "{:?}", one.search);

        let two = parse_text(&index, &fields, "pembangunan jalan");
        let both = two.search.downcast_ref::<BooleanQuery>().expect("a conjunction");
        assert_eq!(both.clauses().len(), 2);
        for (occur, clause) in both.clauses() {
            assert_eq!((*occur, term_field(&**clause)), (Occur::Must, Some(fields.text)));
        }

        let any = parse_text(&index, &fields, "jalan OR desa");
        let either = any.search.downcast_ref::<BooleanQuery>().expect("a disjunction");
        assert!(either.clauses().iter().all(|(o, c)| *o == Occur::Should && term_field(&**c) == Some(fields.text)));

        // A word asked of one field stays there, weighed as that field.
        let titled = parse_text(&index, &fields, "title:jalan");
        let boosted = titled.search.downcast_ref::<BoostQuery>().expect("boosted");
        assert!(format!("{boosted:?}").contains(&format!("field={}", fields.title.field_id())), "{boosted:?}");
        // Snippets still highlight in the body.
        assert!(two.highlight.downcast_ref::<BooleanQuery>().is_some_and(|b| {
            b.clauses().iter().all(|(_, c)| word_of_text_fields(c.downcast_ref().unwrap(), &fields).is_some())
        }));
    }

    #[test]
    fn plain_words_drop_syntax_and_operators() {
        assert_eq!(plain_words("\"jalan AND OR title: (("), "jalan title");
        assert_eq!(plain_words("10:00 -desa"), "10 00 desa");
    }

    #[test]
    fn only_text_fields_may_be_named() {
        assert_eq!(only_text_fields("title:jalan body:desa"), "title:jalan body:desa");
        assert_eq!(only_text_fields("regions:35 pukul 10:00"), "regions 35 pukul 10 00");
        assert_eq!(only_text_fields("(title:jalan)"), "(title:jalan)");
        assert_eq!(only_text_fields("xtitle:a"), "xtitle a");
    }

    #[test]
    fn operators_without_operands_are_dropped() {
        assert_eq!(tidy_operators("jalan AND OR"), "jalan");
        assert_eq!(tidy_operators("OR jalan AND"), "jalan");
        assert_eq!(tidy_operators("jalan OR OR desa"), "jalan OR desa");
        assert_eq!(tidy_operators("jalan NOT desa"), "jalan NOT desa");
        assert_eq!(tidy_operators("NOT desa"), "NOT desa");
        assert_eq!(tidy_operators("jalan NOT"), "jalan");
        assert_eq!(tidy_operators("jalan  desa"), "jalan desa");
    }

    #[test]
    fn plain_snippet_escapes_and_cuts_on_a_word() {
        assert_eq!(plain_snippet("a <b> & c"), "a &lt;b&gt; &amp; c");
        let long = "kata ".repeat(100);
        let cut = plain_snippet(&long);
        assert!(cut.ends_with("kata…"), "{cut}");
        assert!(cut.len() <= SNIPPET_CHARS + '…'.len_utf8());
    }

    #[test]
    fn page_is_clamped() {
        let q = SearchQuery { offset: 1_000_000, limit: 1_000, ..SearchQuery::default() };
        assert_eq!(q.page(), (MAX_OFFSET, MAX_LIMIT));
        assert_eq!(SearchQuery::default().page(), (0, DEFAULT_LIMIT));
    }
}
