//! The Indonesian analyser: how text (documents and queries alike) becomes
//! the terms the index holds.
//!
//! Pipeline, in order:
//! 1. [`IndonesianTokenizer`]: runs of letters and digits, like tantivy's
//!    `SimpleTokenizer`, except that a full reduplication (`anak-anak`,
//!    `kupu-kupu`) stays one token spanning both halves, so the plural finds
//!    and highlights like its base word.
//! 2. Tokens longer than [`MAX_TOKEN_BYTES`] are dropped (not words).
//! 3. Lowercasing, then ASCII folding (`é` → `e`).
//! 4. [`STOP_WORDS`]: Indonesian function words are removed.
//! 5. [`IndonesianStemmer`]: the Snowball Indonesian stemmer (via `frostem`)
//!    strips particles (`-lah`, `-kah`), possessives (`-nya`, `-ku`, `-mu`),
//!    prefixes (`meN-`, `peN-`, `di-`, `ter-`, `ke-`, `ber-`, `per-`) and
//!    suffixes (`-kan`, `-an`, `-i`), so `pembangunan`, `membangun`,
//!    `dibangun` and `bangunan` all index as `bangun`.
//!
//! [`indonesian_pairs`] (registered as [`PAIRS_ANALYZER`]) runs the same
//! pipeline and then joins each term to the next (`dana desa`): indexed
//! beside the text fields, these pairs let a quoted phrase be answered from
//! one posting list instead of intersecting two common words' lists and
//! checking their positions. Stop words between two words do not break a
//! pair (`dana untuk desa` holds the pair `dana desa`).
//!
//! The Snowball rules cannot undo every nasal assimilation: `menanam`
//! (from `tanam`) stems to `anam`, `menerima` (from `terima`) to `erima`.
//! The tests pin what conflates and what does not.

use std::borrow::Cow;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// The name the analyser is registered under in every index.
pub const ANALYZER: &str = "jembatan_id";

/// The name the pairs analyser ([`indonesian_pairs`]) is registered under.
pub const PAIRS_ANALYZER: &str = "jembatan_id_pairs";

/// Longest token kept, in bytes; longer runs are codes or garbage, not words.
pub const MAX_TOKEN_BYTES: usize = 40;

/// Indonesian function words: they carry grammar, not topic, and are so
/// common that matching them only adds noise. Grouped by part of speech;
/// every entry is a closed-class word (a word class that does not take new
/// members), not a noun, verb or adjective a person would search for.
pub const STOP_WORDS: &[&str] = &[
    // Prepositions: place, direction, source, beneficiary, instrument, agent.
    "di",
    "ke",
    "dari",
    "pada",
    "kepada",
    "daripada",
    "dalam",
    "untuk",
    "bagi",
    "dengan",
    "oleh",
    "tentang",
    "terhadap",
    "antara",
    "atas",
    "sebagai",
    "seperti",
    "menurut",
    "tanpa",
    "demi",
    "melalui",
    "per",
    "hingga",
    "sejak",
    "selama", // Coordinating and subordinating conjunctions.
    "dan",
    "atau",
    "tetapi",
    "tapi",
    "serta",
    "lalu",
    "kemudian",
    "sehingga",
    "karena",
    "sebab",
    "agar",
    "supaya",
    "jika",
    "kalau",
    "apabila",
    "bila",
    "maka",
    "namun",
    "melainkan",
    "sedangkan",
    "bahwa",
    "walaupun",
    "meskipun",
    "ketika",
    "saat",
    "sambil",
    "setelah",
    "sesudah",
    "sebelum",
    "yaitu",
    "yakni",
    // Relative pronoun and demonstratives.
    "yang",
    "ini",
    "itu",
    "tersebut",
    "sini",
    "situ",
    "sana",
    // Interrogatives (questions typed into the search box).
    "apa",
    "apakah",
    "siapa",
    "mana",
    "kapan",
    "bagaimana",
    "mengapa",
    "kenapa",
    "berapa",
    // Personal pronouns.
    "saya",
    "aku",
    "kami",
    "kita",
    "anda",
    "kamu",
    "dia",
    "ia",
    "mereka",
    "beliau",
    // Copulas, auxiliaries, aspect and modality markers.
    "adalah",
    "ialah",
    "merupakan",
    "akan",
    "sudah",
    "telah",
    "sedang",
    "masih",
    "belum",
    "pernah",
    "bisa",
    "dapat",
    "harus",
    "boleh",
    "ada", // Negators.
    "tidak",
    "tak",
    "bukan",
    "jangan",
    // Degree and focus adverbs, quantifiers, classifiers and plural markers.
    "juga",
    "pun",
    "saja",
    "hanya",
    "sangat",
    "lebih",
    "paling",
    "amat",
    "pula",
    "lagi",
    "para",
    "semua",
    "setiap",
    "tiap",
    "beberapa",
    "sebuah",
    "seorang",
    "suatu",
    "sendiri", // Discourse particles.
    "kah",
    "lah",
    "dong",
    "kok",
    "sih",
    "deh",
    "ya",
];

/// The analyser documents and queries go through; registered under
/// [`ANALYZER`].
pub fn indonesian() -> TextAnalyzer {
    indonesian_builder().build()
}

/// [`indonesian`], each term joined to the next: `jalan desa rusak` gives
/// `jalan desa` and `desa rusak`.
pub fn indonesian_pairs() -> TextAnalyzer {
    indonesian_builder().filter(Pairs).build()
}

/// What joins the two terms of a pair.
const PAIR_SEPARATOR: char = ' ';

/// The pair term of two analysed terms, as [`indonesian_pairs`] indexes it.
pub fn pair_term(first: &str, second: &str) -> String {
    format!("{first}{PAIR_SEPARATOR}{second}")
}

fn indonesian_builder() -> tantivy::tokenizer::TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(IndonesianTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES + 1))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        // tantivy's filter only skips tokens: positions keep their gaps, so
        // phrases still line up.
        .filter(StopWordFilter::remove(STOP_WORDS.iter().map(|w| w.to_string())))
        .filter(IndonesianStemmer)
}

/// The terms `text` analyses to, in order; for tests and diagnostics.
pub fn analyse(text: &str) -> Vec<String> {
    let mut analyzer = indonesian();
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(stream.token().text.clone());
    }
    terms
}

// ---------------------------------------------------------------------------
// Tokenizer

/// Splits text into runs of letters and digits; a full reduplication joined
/// by a hyphen (`anak-anak`, case-insensitively) is one token whose text is
/// the first half and whose offsets cover both halves.
#[derive(Clone, Default)]
pub struct IndonesianTokenizer {
    token: Token,
}

/// The stream [`IndonesianTokenizer`] produces.
pub struct IndonesianTokenStream<'a> {
    text: &'a str,
    /// Byte offset where the search for the next token starts.
    cursor: usize,
    token: &'a mut Token,
}

impl Tokenizer for IndonesianTokenizer {
    type TokenStream<'a> = IndonesianTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> IndonesianTokenStream<'a> {
        self.token.reset();
        IndonesianTokenStream { text, cursor: 0, token: &mut self.token }
    }
}

impl IndonesianTokenStream<'_> {
    /// The end of the run of letters and digits starting at `from`.
    fn run_end(&self, from: usize) -> usize {
        self.text[from..].char_indices().find(|(_, c)| !c.is_alphanumeric()).map_or(self.text.len(), |(i, _)| from + i)
    }
}

impl TokenStream for IndonesianTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        let Some((start, _)) = self.text[self.cursor..].char_indices().find(|(_, c)| c.is_alphanumeric()) else {
            self.cursor = self.text.len();
            return false;
        };
        let start = self.cursor + start;
        let end = self.run_end(start);
        let word = &self.text[start..end];
        let mut token_end = end;
        // `anak-anak`: the second half repeats the first exactly.
        if self.text[end..].starts_with('-') {
            let second = end + 1;
            let second_end = self.run_end(second);
            if second_end > second && self.text[second..second_end].to_lowercase() == word.to_lowercase() {
                token_end = second_end;
            }
        }
        self.token.offset_from = start;
        self.token.offset_to = token_end;
        self.token.text.push_str(word);
        self.cursor = token_end;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

// ---------------------------------------------------------------------------
// Stemmer

/// The Snowball Indonesian stemmer as a token filter (expects lowercased
/// tokens).
#[derive(Clone, Copy, Default)]
pub struct IndonesianStemmer;

impl IndonesianStemmer {
    /// The stem of one lowercased word.
    pub fn stem(word: &str) -> Cow<'_, str> {
        stemmer().stem(word)
    }
}

fn stemmer() -> frostem::Stemmer {
    frostem::Stemmer::new(frostem::Algorithm::Indonesian)
}

impl TokenFilter for IndonesianStemmer {
    type Tokenizer<T: Tokenizer> = StemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemmerFilter<T> {
        StemmerFilter { inner: tokenizer }
    }
}

/// [`IndonesianStemmer`] applied to a tokenizer.
#[derive(Clone)]
pub struct StemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemmerFilter<T> {
    type TokenStream<'a> = StemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemmerStream { stemmer: stemmer(), tail: self.inner.token_stream(text) }
    }
}

/// The stream of [`StemmerFilter`].
pub struct StemmerStream<S> {
    stemmer: frostem::Stemmer,
    tail: S,
}

impl<S: TokenStream> TokenStream for StemmerStream<S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Cow::Owned(stem) = self.stemmer.stem(&token.text) {
            token.text = stem;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

// ---------------------------------------------------------------------------
// Pairs

/// Joins each term to the next one (see [`indonesian_pairs`]).
#[derive(Clone, Copy, Default)]
pub struct Pairs;

impl TokenFilter for Pairs {
    type Tokenizer<T: Tokenizer> = PairsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> PairsFilter<T> {
        PairsFilter { inner: tokenizer }
    }
}

/// [`Pairs`] applied to a tokenizer.
#[derive(Clone)]
pub struct PairsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for PairsFilter<T> {
    type TokenStream<'a> = PairsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PairsStream {
            tail: self.inner.token_stream(text),
            previous: String::new(),
            previous_from: None,
            pair: Token::default(),
        }
    }
}

/// The stream of [`PairsFilter`]: one token per two consecutive terms,
/// spanning both. Its buffers are reused from token to token (this runs for
/// every word indexed).
pub struct PairsStream<S> {
    tail: S,
    /// The last term read, and where it started (`None` before the first).
    previous: String,
    previous_from: Option<usize>,
    pair: Token,
}

impl<S: TokenStream> TokenStream for PairsStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let token = self.tail.token();
            let paired = self.previous_from.map(|from| {
                self.pair.text.clear();
                self.pair.text.push_str(&self.previous);
                self.pair.text.push(PAIR_SEPARATOR);
                self.pair.text.push_str(&token.text);
                self.pair.offset_from = from;
                self.pair.offset_to = token.offset_to;
                self.pair.position = self.pair.position.wrapping_add(1);
                self.pair.position_length = 1;
            });
            self.previous.clear();
            self.previous.push_str(&token.text);
            self.previous_from = Some(token.offset_from);
            if paired.is_some() {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.pair
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pair
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut analyzer = indonesian();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    #[test]
    fn reduplication_is_one_token_spanning_both_halves() {
        assert_eq!(tokens("Anak-anak bermain"), vec![("anak".into(), 0, 0, 9), ("main".into(), 1, 10, 17)]);
    }

    #[test]
    fn partial_reduplication_and_hyphenated_words_split() {
        assert_eq!(analyse("sayur-mayur"), ["sayur", "mayur"]);
        assert_eq!(analyse("COVID-19"), ["covid", "19"]);
        // A trailing or doubled hyphen is punctuation.
        assert_eq!(analyse("desa- desa--desa"), ["desa", "desa", "desa"]);
    }

    #[test]
    fn stop_words_keep_position_gaps() {
        assert_eq!(tokens("jalan di desa"), vec![("jalan".into(), 0, 0, 5), ("desa".into(), 2, 9, 13)],);
    }

    #[test]
    fn stop_words_are_lowercase_ascii_and_unique() {
        let unique: HashSet<_> = STOP_WORDS.iter().collect();
        assert_eq!(unique.len(), STOP_WORDS.len(), "duplicates in STOP_WORDS");
        for word in STOP_WORDS {
            assert!(word.bytes().all(|b| b.is_ascii_lowercase()), "{word}");
        }
        assert!(STOP_WORDS.len() >= 100, "{} stop words", STOP_WORDS.len());
    }

    #[test]
    fn pairs_join_each_stemmed_term_to_the_next_across_stop_words() {
        let mut analyzer = indonesian_pairs();
        let mut stream = analyzer.token_stream("Dana untuk desa, pembangunan jalan");
        let mut pairs = Vec::new();
        while stream.advance() {
            let t = stream.token();
            pairs.push((t.text.clone(), t.offset_from, t.offset_to));
        }
        assert_eq!(
            pairs,
            [("dana desa".to_owned(), 0, 15), ("desa bangun".to_owned(), 11, 28), ("bangun jalan".to_owned(), 17, 34),]
        );
        assert_eq!(pair_term("dana", "desa"), "dana desa");
        let mut one_word = indonesian_pairs();
        assert!(!one_word.token_stream("desa").advance());
    }

    #[test]
    fn long_tokens_are_dropped_and_accents_folded() {
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(analyse(&format!("{long} café")), ["cafe"]);
        assert_eq!(analyse(&"b".repeat(MAX_TOKEN_BYTES)), ["b".repeat(MAX_TOKEN_BYTES)]);
    }
}
