//! The quality check an item gets on submission, shown to its author and
//! its reviewer: a score from 0 to 100 and findings, each with a stable
//! code and whether it passed. It guides; it never blocks.
//!
//! The checks follow the habits of good community journalism in
//! Indonesian: a title of a readable length that does not shout, a summary,
//! the who/what/when/where answered (by the item's fields or found in its
//! text), a named source for claims, photos with captions, and sentences and
//! words short enough for readers on a small screen. The word lists are
//! Indonesian (Javanese and Madurese share the day and month names).

use serde::Serialize;

use crate::content::{ContentDraft, ContentType};
use crate::markdown;
use crate::organisation::stable_enum;

stable_enum!(
    /// What a finding is about; the translation key is `quality-<code>`.
    QualityCode {
        /// The title is between [`TITLE_MIN_CHARS`] and [`TITLE_MAX_CHARS`] characters.
        TitleLength => "title_length",
        /// A summary is given.
        SummaryPresent => "summary_present",
        /// People or organisations are named.
        Who => "who",
        /// The lead (summary or first paragraph) says what happened.
        What => "what",
        /// A date, day or time is given.
        When => "when",
        /// A place is given.
        Where => "where",
        /// A source is named (news and policy items).
        SourceNamed => "source_named",
        /// There is a cover photo, and every photo has a caption.
        PhotoCaptioned => "photo_captioned",
        /// The title is not written in capitals.
        NoAllCapsTitle => "no_all_caps_title",
        /// No run of exclamation marks, and few of them.
        NoExcessExclamation => "no_excess_exclamation",
        /// Sentences average at most [`MAX_AVG_SENTENCE_WORDS`] words.
        SentenceLength => "sentence_length",
        /// Words average at most [`MAX_AVG_WORD_SYLLABLES`] syllables.
        WordLength => "word_length",
        /// The body has at least the minimum number of words for its type.
        BodyLength => "body_length",
    }
);

/// Shortest title that says enough.
pub const TITLE_MIN_CHARS: usize = 20;
/// Longest title that still reads at a glance (and fits a WhatsApp preview).
pub const TITLE_MAX_CHARS: usize = 100;
/// Highest average sentence length, in words, for easy reading.
pub const MAX_AVG_SENTENCE_WORDS: f64 = 20.0;
/// Highest average word length, in syllables. Indonesian words are long
/// (`pembangunan` has four); plain news prose averages about 2.6 to 2.9,
/// officialese full of `pe-an`/`ke-an` nouns above 3.2.
pub const MAX_AVG_WORD_SYLLABLES: f64 = 3.2;
/// Fewest words in the body of news and policy items.
pub const MIN_BODY_WORDS_LONG: usize = 80;
/// Fewest words in the body of announcements, agenda and product items.
pub const MIN_BODY_WORDS_SHORT: usize = 25;

/// One check and its outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: QualityCode,
    pub passed: bool,
    /// How much it counts towards the score.
    pub weight: u32,
}

/// Counts behind the reading-ease findings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReadingStats {
    pub sentences: usize,
    pub words: usize,
    pub avg_sentence_words: f64,
    pub avg_word_syllables: f64,
    pub avg_word_chars: f64,
}

/// The outcome of the check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityReport {
    /// 0 to 100: the weight of the passed findings over the weight of all.
    pub score: u8,
    pub findings: Vec<Finding>,
    pub stats: ReadingStats,
}

impl QualityReport {
    /// The findings that failed: what to show the author first.
    pub fn failed(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.passed)
    }

    pub fn finding(&self, code: QualityCode) -> Option<&Finding> {
        self.findings.iter().find(|f| f.code == code)
    }
}

/// Checks a draft. Pure: the same draft always gets the same report.
pub fn check(draft: &ContentDraft) -> QualityReport {
    let body = markdown::plain_text(&draft.body);
    let summary = draft.summary.as_deref().unwrap_or_default();
    let everything = format!("{}\n\n{}\n\n{}", draft.title, summary, body);
    let words = tokens(&everything);
    let stats = reading_stats(&body);
    let mut findings = Vec::new();
    let mut add = |code, passed, weight| findings.push(Finding { code, passed, weight });

    let title_chars = draft.title.chars().count();
    add(QualityCode::TitleLength, (TITLE_MIN_CHARS..=TITLE_MAX_CHARS).contains(&title_chars), 10);
    add(QualityCode::SummaryPresent, !summary.trim().is_empty(), 8);
    add(QualityCode::Who, names_someone(&words), 8);
    add(QualityCode::What, says_what(summary, &body), 8);
    add(QualityCode::When, draft.agenda.is_some() || mentions_time(&words), 8);
    add(QualityCode::Where, draft.agenda.is_some() || mentions_place(&words), 8);
    if matches!(draft.kind, ContentType::Berita | ContentType::Kebijakan) {
        add(QualityCode::SourceNamed, draft.source.is_some() || attributes(&words), 10);
    }
    let captioned = |caption: &Option<String>| caption.as_deref().is_some_and(|c| !c.trim().is_empty());
    let photos = draft.cover.as_ref().is_some_and(|c| captioned(&c.caption))
        && draft.gallery.iter().all(|g| captioned(&g.caption));
    add(QualityCode::PhotoCaptioned, photos, 10);
    add(QualityCode::NoAllCapsTitle, !shouts(&draft.title), 6);
    add(QualityCode::NoExcessExclamation, !exclaims(&draft.title, &body), 6);
    add(QualityCode::SentenceLength, stats.words > 0 && stats.avg_sentence_words <= MAX_AVG_SENTENCE_WORDS, 8);
    add(QualityCode::WordLength, stats.words > 0 && stats.avg_word_syllables <= MAX_AVG_WORD_SYLLABLES, 5);
    let min_words = match draft.kind {
        ContentType::Berita | ContentType::Kebijakan => MIN_BODY_WORDS_LONG,
        _ => MIN_BODY_WORDS_SHORT,
    };
    add(QualityCode::BodyLength, stats.words >= min_words, 5);

    let total: u32 = findings.iter().map(|f| f.weight).sum();
    let passed: u32 = findings.iter().filter(|f| f.passed).map(|f| f.weight).sum();
    let score = (passed * 100 + total / 2).checked_div(total).unwrap_or(0) as u8;
    QualityReport { score, findings, stats }
}

/// A word as written (inner hyphens and apostrophes kept, outer
/// punctuation removed) and whether it ends a sentence.
#[derive(Debug, Clone, PartialEq)]
struct Token<'a> {
    word: &'a str,
    lower: String,
    ends_sentence: bool,
}

/// Abbreviations whose dot does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "jl", "jln", "no", "rp", "dr", "drs", "dra", "ir", "h", "hj", "st", "sdr", "kab", "kec", "ds", "prof", "dll",
    "dsb", "tsb", "yth", "bpk", "ny", "tn", "kh", "pt", "cv", "ud", "ttd", "hlm", "tgl", "sd", "smp", "sma", "smk",
    "s.pd", "s.e", "s.h", "m.si", "s.sos", "s.kom", "a.md", "s.ip", "s.t",
];

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out: Vec<Token<'_>> = Vec::new();
    for line in text.split('\n') {
        let start = out.len();
        for raw in line.split_whitespace() {
            let trimmed = raw.trim_end_matches(['"', '\'', ')', '”', '’', '»']);
            let ends = trimmed.ends_with(['.', '!', '?']);
            let word = trimmed.trim_matches(|c: char| !c.is_alphanumeric());
            if word.is_empty() {
                // A lone "!" or "—" ends the previous word's sentence if it is a stop.
                if ends
                    && out.len() > start
                    && let Some(last) = out.last_mut()
                {
                    last.ends_sentence = true;
                }
                continue;
            }
            let lower = word.to_lowercase();
            let abbreviation = trimmed.ends_with('.')
                && (ABBREVIATIONS.contains(&lower.as_str())
                    || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic)));
            out.push(Token { word, lower, ends_sentence: ends && !abbreviation });
        }
        // A line break (a paragraph, a heading, a list item) ends a sentence.
        if out.len() > start
            && let Some(last) = out.last_mut()
        {
            last.ends_sentence = true;
        }
    }
    out
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'é' | 'è')
}

/// Syllables of an Indonesian word: one per vowel, the diphthongs `ai`,
/// `au`, `oi` and `ei` counting once.
pub fn syllables(word: &str) -> usize {
    let letters: Vec<char> = word.to_lowercase().chars().filter(|c| c.is_alphabetic()).collect();
    let mut count = 0;
    let mut i = 0;
    while i < letters.len() {
        if is_vowel(letters[i]) {
            count += 1;
            let diphthong = matches!((letters[i], letters.get(i + 1)), ('a', Some('i' | 'u')) | ('o' | 'e', Some('i')));
            if diphthong {
                i += 1;
            }
        }
        i += 1;
    }
    count.max(usize::from(!letters.is_empty()))
}

/// Sentence and word lengths of a text; words are those with a letter
/// (numbers such as `08.00` or `2025` are left out of word length).
pub fn reading_stats(text: &str) -> ReadingStats {
    let tokens = tokens(text);
    let words: Vec<&Token<'_>> = tokens.iter().filter(|t| t.word.chars().any(char::is_alphabetic)).collect();
    let mut sentences = 0;
    let mut in_sentence = false;
    for t in &tokens {
        in_sentence = true;
        if t.ends_sentence {
            sentences += 1;
            in_sentence = false;
        }
    }
    if in_sentence {
        sentences += 1;
    }
    let n = words.len();
    let avg = |total: usize, of: usize| if of == 0 { 0.0 } else { total as f64 / of as f64 };
    ReadingStats {
        sentences,
        words: n,
        avg_sentence_words: avg(tokens.len(), sentences),
        avg_word_syllables: avg(words.iter().map(|t| syllables(t.word)).sum(), n),
        avg_word_chars: avg(words.iter().map(|t| t.word.chars().count()).sum(), n),
    }
}

fn any_word(words: &[Token<'_>], list: &[&str]) -> bool {
    words.iter().any(|t| list.contains(&t.lower.as_str()))
}

/// Two words in a row, e.g. `hari ini`, `Karang Taruna`.
fn any_pair(words: &[Token<'_>], list: &[(&str, &str)]) -> bool {
    words.windows(2).any(|w| list.iter().any(|(a, b)| w[0].lower == *a && w[1].lower == *b))
}

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Titles and roles of people, and groups, offices and bodies.
const WHO_WORDS: &[&str] = &[
    "bapak",
    "pak",
    "ibu",
    "bu",
    "sdr",
    "saudara",
    "saudari",
    "mbak",
    "mas",
    "kades",
    "lurah",
    "camat",
    "bupati",
    "wabup",
    "walikota",
    "gubernur",
    "kepala",
    "ketua",
    "sekretaris",
    "bendahara",
    "kapolsek",
    "kapolres",
    "danramil",
    "babinsa",
    "bhabinkamtibmas",
    "perangkat",
    "kasun",
    "kamituwo",
    "modin",
    "bidan",
    "dokter",
    "guru",
    "kader",
    "warga",
    "petani",
    "nelayan",
    "pedagang",
    "siswa",
    "pelajar",
    "mahasiswa",
    "pemuda",
    "relawan",
    "peserta",
    "penyuluh",
    "pendamping",
    "anggota",
    "pengurus",
    "dinas",
    "diskominfo",
    "puskesmas",
    "pemdes",
    "pemkab",
    "pemkot",
    "pemprov",
    "pemerintah",
    "bpbd",
    "kim",
    "pkk",
    "posyandu",
    "bumdes",
    "gapoktan",
    "poktan",
    "polsek",
    "polres",
    "koramil",
    "koperasi",
    "umkm",
    "bpd",
    "lpmd",
    "kominfo",
    "opd",
    "dprd",
    "presiden",
    "menteri",
    "kementerian",
];

fn names_someone(words: &[Token<'_>]) -> bool {
    any_word(words, WHO_WORDS) || any_pair(words, &[("karang", "taruna"), ("kelompok", "tani")])
}

fn says_what(summary: &str, body: &str) -> bool {
    let lead = body.split("\n\n").find(|p| !p.trim().is_empty()).unwrap_or_default();
    tokens(summary).len() >= 8 || tokens(lead).len() >= 12
}

const DAYS: &[&str] = &["senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad"];
const MONTHS: &[&str] = &[
    "januari",
    "februari",
    "pebruari",
    "maret",
    "april",
    "mei",
    "juni",
    "juli",
    "agustus",
    "september",
    "oktober",
    "november",
    "nopember",
    "desember",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "agu",
    "agt",
    "sep",
    "okt",
    "nov",
    "des",
];
const TIME_WORDS: &[&str] = &[
    "pukul", "jam", "wib", "wita", "wit", "tanggal", "tgl", "kemarin", "besok", "lusa", "pagi", "siang", "sore",
    "malam", "pekan", "bulan", "tahun", "semalam", "tadi",
];

/// A date like `12/03/2025` or `12-03-2025`, a time like `08.00` or `08:00`, a year like `2025`.
fn looks_like_date_or_time(word: &str) -> bool {
    let digits_and = |sep: &[char]| {
        word.chars().all(|c| c.is_ascii_digit() || sep.contains(&c)) && word.chars().any(|c| sep.contains(&c))
    };
    let year = word.len() == 4
        && word.chars().all(|c| c.is_ascii_digit())
        && (word.starts_with("19") || word.starts_with("20"));
    let clock = word.len() == 5
        && word.bytes().enumerate().all(|(i, b)| if i == 2 { b == b'.' || b == b':' } else { b.is_ascii_digit() });
    year || clock || (digits_and(&['/', '-']) && word.len() >= 6)
}

fn mentions_time(words: &[Token<'_>]) -> bool {
    words.iter().any(|t| {
        DAYS.contains(&t.lower.as_str())
            || MONTHS.contains(&t.lower.as_str()) && capitalised(t.word)
            || TIME_WORDS.contains(&t.lower.as_str())
            || looks_like_date_or_time(t.word)
    }) || any_pair(words, &[("hari", "ini")])
}

const PLACE_WORDS: &[&str] = &[
    "desa",
    "kelurahan",
    "dusun",
    "kampung",
    "kecamatan",
    "kabupaten",
    "kota",
    "provinsi",
    "balai",
    "pendopo",
    "pendapa",
    "gedung",
    "aula",
    "lapangan",
    "masjid",
    "musala",
    "musholla",
    "mushola",
    "langgar",
    "gereja",
    "pura",
    "pasar",
    "alun-alun",
    "jalan",
    "jl",
    "jln",
    "gang",
    "rt",
    "rw",
    "kantor",
    "puskesmas",
    "polindes",
    "sekolah",
    "stadion",
    "pantai",
    "sungai",
    "waduk",
    "embung",
    "bendungan",
    "sawah",
    "makam",
    "lokasi",
    "tempat",
    "halaman",
    "posko",
];

fn mentions_place(words: &[Token<'_>]) -> bool {
    any_word(words, PLACE_WORDS)
        || words.windows(2).any(|w| matches!(w[0].lower.as_str(), "di" | "ke" | "dari") && capitalised(w[1].word))
}

const ATTRIBUTION_WORDS: &[&str] = &[
    "menurut",
    "kata",
    "katanya",
    "ujar",
    "ujarnya",
    "ungkap",
    "ungkapnya",
    "jelas",
    "jelasnya",
    "tutur",
    "tuturnya",
    "terang",
    "terangnya",
    "imbuh",
    "imbuhnya",
    "tambahnya",
    "sumber",
    "dikutip",
    "mengutip",
    "mengatakan",
    "menyampaikan",
    "menjelaskan",
    "menuturkan",
    "menegaskan",
    "mengungkapkan",
    "dilansir",
    "berdasarkan",
    "keterangan",
    "data",
];

fn attributes(words: &[Token<'_>]) -> bool {
    any_word(words, ATTRIBUTION_WORDS)
}

/// Mostly capitals: at least 8 letters, more than 70% of them upper case.
fn shouts(title: &str) -> bool {
    let letters: Vec<char> = title.chars().filter(|c| c.is_alphabetic()).collect();
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    letters.len() >= 8 && upper * 10 > letters.len() * 7
}

/// A run of exclamation marks anywhere, more than one in the title, or
/// more than three in the body.
fn exclaims(title: &str, body: &str) -> bool {
    let run = |s: &str| s.contains("!!") || s.contains("!1");
    run(title) || run(body) || title.matches('!').count() > 1 || body.matches('!').count() > 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{ContentForm, ImageForm, MediaId};

    const GOOD_BODY: &str = "Kelompok Tani Sumber Rejeki di Desa Jlodro, Kecamatan Kenduruan, memanen jagung hibrida \
        seluas 25 hektare pada Senin (10/3/2025) pagi. Panen raya ini dihadiri Camat Kenduruan dan penyuluh pertanian.\n\n\
        Menurut Ketua Kelompok Tani, Pak Suyono, hasil panen tahun ini naik dibanding tahun lalu. Setiap hektare \
        menghasilkan sekitar tujuh ton jagung pipil kering. \"Pupuk datang tepat waktu, jadi tanaman tumbuh bagus,\" \
        ujarnya.\n\n\
        Harga jagung di tingkat petani saat ini Rp 5.200 per kilogram. Petani berharap harga tetap stabil sampai \
        akhir musim. Sebagian hasil panen akan disimpan di gudang Bumdes untuk dijual bertahap.\n\n\
        Camat Kenduruan meminta petani mencatat hasil panen dengan rapi. Data itu dipakai untuk merencanakan \
        bantuan benih musim depan. Warga yang ingin bergabung dengan kelompok tani dapat datang ke balai desa \
        setiap Kamis.";

    fn draft(title: &str, summary: &str, body: &str) -> ContentDraft {
        let media = MediaId::generate().to_string();
        ContentForm {
            kind: "berita".into(),
            title: title.into(),
            summary: summary.into(),
            body: body.into(),
            regions: vec!["35.23.01.2001".into()],
            topics: vec!["pertanian".into()],
            cover_media: media,
            cover_caption: "Petani Jlodro memanen jagung di sawah, Senin (10/3/2025).".into(),
            ..ContentForm::default()
        }
        .validate()
        .unwrap()
    }

    fn failed(report: &QualityReport) -> Vec<QualityCode> {
        report.failed().map(|f| f.code).collect()
    }

    #[test]
    fn a_well_written_village_news_item_passes_everything() {
        let d = draft(
            "Panen Raya Jagung di Desa Jlodro Naik Tujuh Ton per Hektare",
            "Kelompok tani Desa Jlodro memanen jagung hibrida seluas 25 hektare dengan hasil lebih tinggi.",
            GOOD_BODY,
        );
        let report = check(&d);
        assert_eq!(failed(&report), Vec::<QualityCode>::new(), "{report:#?}");
        assert_eq!(report.score, 100);
        assert!(report.stats.avg_sentence_words < 16.0, "{:?}", report.stats);
        assert!((2.3..3.0).contains(&report.stats.avg_word_syllables), "{:?}", report.stats);
    }

    #[test]
    fn a_shouting_thin_item_gets_reasons() {
        let mut d = draft("BANJIR!!! PANIK", "", "Air naik. Warga panik!!! Segera mengungsi!");
        d.cover = None;
        let report = check(&d);
        assert_eq!(
            failed(&report),
            vec![
                QualityCode::TitleLength,
                QualityCode::SummaryPresent,
                QualityCode::What,
                QualityCode::When,
                QualityCode::Where,
                QualityCode::SourceNamed,
                QualityCode::PhotoCaptioned,
                QualityCode::NoAllCapsTitle,
                QualityCode::NoExcessExclamation,
                QualityCode::BodyLength,
            ]
        );
        assert!(report.score < 30, "{}", report.score);
        assert!(report.finding(QualityCode::Who).unwrap().passed, "warga are named");
    }

    #[test]
    fn officialese_reads_hard() {
        let body = "Pelaksanaan pengoptimalisasian pemberdayaan kelembagaan kemasyarakatan berkelanjutan \
            merupakan perwujudan komitmen pemerintahan kabupaten terhadap peningkatan kesejahteraan masyarakat \
            perdesaan melalui pengintegrasian perencanaan pembangunan partisipatif yang dilaksanakan secara \
            terkoordinasi dengan seluruh pemangku kepentingan sebagaimana diamanatkan peraturan perundangan yang \
            berlaku serta diselaraskan dengan kebijakan pembangunan provinsi dan nasional.";
        let stats = reading_stats(body);
        assert_eq!(stats.sentences, 1);
        assert!(stats.avg_sentence_words > MAX_AVG_SENTENCE_WORDS, "{stats:?}");
        assert!(stats.avg_word_syllables > MAX_AVG_WORD_SYLLABLES, "{stats:?}");
        let report = check(&draft("Pemberdayaan Kelembagaan Masyarakat Desa", "Ringkasan.", body));
        assert!(failed(&report).contains(&QualityCode::SentenceLength));
        assert!(failed(&report).contains(&QualityCode::WordLength));
    }

    #[test]
    fn fields_answer_when_and_where_and_source() {
        let form = ContentForm {
            kind: "agenda".into(),
            title: "Posyandu Balita Bulan Ini".into(),
            body: "Ibu-ibu diharapkan membawa buku KIA.".into(),
            regions: vec!["35.23.01.2001".into()],
            topics: vec!["kesehatan".into()],
            starts_at: "2025-03-12T08:00".into(),
            place: "Polindes".into(),
            ..ContentForm::default()
        };
        let report = check(&form.validate().unwrap());
        assert!(report.finding(QualityCode::When).unwrap().passed);
        assert!(report.finding(QualityCode::Where).unwrap().passed);
        assert_eq!(report.finding(QualityCode::SourceNamed), None, "agenda items make no claims");
        let with_source = ContentForm {
            kind: "kebijakan".into(),
            title: "Bantuan Benih Jagung Tahun 2025".into(),
            body: "Bantuan benih dibagikan.".into(),
            source_name: "Dinas Pertanian Kabupaten Tuban".into(),
            regions: vec!["35.23".into()],
            topics: vec!["pertanian".into()],
            ..ContentForm::default()
        };
        assert!(check(&with_source.validate().unwrap()).finding(QualityCode::SourceNamed).unwrap().passed);
    }

    #[test]
    fn every_photo_needs_a_caption() {
        let mut d = draft("Panen Raya Jagung di Desa Jlodro", "Ringkasan panen.", GOOD_BODY);
        assert!(check(&d).finding(QualityCode::PhotoCaptioned).unwrap().passed);
        let form = ContentForm {
            gallery: vec![ImageForm { media: MediaId::generate().to_string(), caption: String::new() }],
            ..ContentForm::from(&d)
        };
        d = form.validate().unwrap();
        assert!(!check(&d).finding(QualityCode::PhotoCaptioned).unwrap().passed);
    }

    #[test]
    fn sentences_words_and_syllables() {
        assert_eq!(syllables("pembangunan"), 4);
        assert_eq!(syllables("balai"), 2);
        assert_eq!(syllables("kepulauan"), 4);
        assert_eq!(syllables("dua"), 2);
        assert_eq!(syllables("di"), 1);
        assert_eq!(syllables("KTP"), 1);
        let stats = reading_stats("Rapat dimulai pukul 08.00 WIB di Jl. Raya Tuban No. 5. Dr. Siti hadir!\n\nSelesai");
        assert_eq!(stats.sentences, 3, "abbreviations do not end sentences; paragraphs do");
        assert_eq!(stats.words, 13, "numbers are not words");
        assert_eq!(reading_stats("").words, 0);
        assert!(shouts("PENGUMUMAN PENTING") && !shouts("Pengumuman Penting dari BPBD") && !shouts("KIM"));
        assert!(exclaims("Awas!!", "") && exclaims("", "a! b! c! d!") && !exclaims("Ayo!", "Mari ikut!"));
        assert!(
            looks_like_date_or_time("10/3/2025")
                && looks_like_date_or_time("08.00")
                && !looks_like_date_or_time("5.200")
        );
    }
}
