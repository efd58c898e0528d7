//! The Indonesian analyser: which word forms meet on one term, which do not
//! (pinned, so a stemmer upgrade that changes them is noticed), and the
//! terms realistic sentences become.

use jembatan_search::analyzer::{IndonesianStemmer, STOP_WORDS, analyse};

fn stem(word: &str) -> String {
    IndonesianStemmer::stem(word).into_owned()
}

#[track_caller]
fn assert_family(stem_expected: &str, forms: &[&str]) {
    for form in forms {
        assert_eq!(stem(form), stem_expected, "{form} should stem to {stem_expected}");
    }
}

#[test]
fn the_issue_example_forms_share_one_stem() {
    assert_family(
        "bangun",
        &["pembangunan", "membangun", "dibangun", "bangunan", "bangun", "membangunkan", "dibangunkan", "pembangun"],
    );
    assert_eq!(analyse("pembangunan jalan"), ["bangun", "jalan"]);
    assert_eq!(analyse("membangun jalan"), analyse("pembangunan jalan"));
    assert_eq!(analyse("dibangun jalan"), analyse("pembangunan jalan"));
}

#[test]
fn affixed_forms_of_common_words_conflate() {
    assert_family("jalan", &["jalan", "berjalan", "perjalanan", "menjalankan", "dijalankan", "jalanan"]);
    assert_family("sehat", &["sehat", "kesehatan", "menyehatkan"]);
    assert_family("didik", &["didik", "pendidikan", "mendidik"]);
    assert_family("tani", &["tani", "petani", "bertani", "pertanian"]);
    assert_family("bantu", &["bantu", "bantuan", "membantu", "dibantu"]);
    assert_family("umum", &["pengumuman", "mengumumkan", "diumumkan"]);
    assert_family("latih", &["pelatihan", "melatih", "dilatih", "latihan"]);
    assert_family("baik", &["baik", "perbaikan", "memperbaiki", "diperbaiki"]);
    assert_family("bersih", &["bersih", "kebersihan", "membersihkan", "dibersihkan"]);
    assert_family("salur", &["penyaluran", "menyalurkan", "disalurkan"]);
    assert_family("obat", &["obat", "pengobatan", "mengobati", "berobat"]);
    assert_family("daya", &["berdaya", "pemberdayaan", "memberdayakan"]);
    assert_family("kerja", &["kerja", "bekerja", "pekerja", "pekerjaan", "dikerjakan"]);
    assert_family("banjir", &["banjir", "kebanjiran"]);
    assert_family("perintah", &["pemerintah", "pemerintahan", "diperintah", "memerintah"]);
    assert_family("dagang", &["pedagang", "berdagang", "dagangan", "perdagangan"]);
    assert_family("tugas", &["tugas", "petugas", "bertugas"]);
    // Particles and possessives.
    assert_family("anak", &["anak", "anaknya"]);
    assert_family("buku", &["buku", "bukunya"]);
    assert_family("apa", &["apa", "apakah"]);
}

/// Where the Snowball rules cannot tell which consonant a nasal prefix
/// replaced (`me-` + `t`anam → `menanam`), or strip a syllable that is not
/// an affix. Forms on different lines do not find each other.
#[test]
fn known_misses_of_the_snowball_stemmer() {
    // meN- before t/p/k: the dropped consonant is not restored.
    assert_family("anam", &["menanam", "penanaman"]);
    assert_family("tanam", &["tanam", "ditanam", "tanaman"]);
    assert_family("erima", &["menerima", "penerima"]);
    assert_eq!(stem("diterima"), "terima");
    assert_eq!(stem("terima"), "ima"); // `ter-` read as a prefix
    assert_eq!(stem("memakan"), "pakan"); // read as mem- + pakan
    assert_eq!(stem("makan"), "makan");
    assert_eq!(stem("mengerjakan"), "erja");
    // peN-/per- ambiguity.
    assert_eq!(stem("perumahan"), "umah");
    assert_eq!(stem("rumah"), "rumah");
    assert_eq!(stem("pemukiman"), "pukim");
    assert_eq!(stem("permukiman"), "mukim");
    assert_eq!(stem("kependudukan"), "nduduk");
    assert_eq!(stem("penduduk"), "duduk");
}

/// Stems that are not words but are reached the same way from the query,
/// so they still match; they only risk meeting an unrelated word.
#[test]
fn over_stemmed_words_still_match_themselves() {
    assert_family("seko", &["sekolah", "bersekolah"]); // -lah read as the particle
    assert_eq!(stem("distribusi"), "stribusi");
    assert_eq!(stem("melati"), "lati");
    assert_eq!(stem("kelompok"), "lompok");
    assert_eq!(stem("kepala"), "pala");
    assert_eq!(stem("nelayan"), "nelay");
}

#[test]
fn stop_words_vanish_from_queries_and_documents() {
    assert_eq!(analyse("yang dan di ke dari untuk dengan pada ini itu"), Vec::<String>::new());
    assert_eq!(analyse("jalan di desa itu"), ["jalan", "desa"]);
    assert!(STOP_WORDS.len() >= 100);
}

#[test]
fn reduplication_finds_its_base_word() {
    assert_eq!(analyse("anak-anak"), analyse("anak"));
    assert_eq!(analyse("Kupu-Kupu"), ["kupu"]);
    // Partial reduplication and affixes: two terms, each stemmed.
    assert_eq!(analyse("sayur-mayur"), ["sayur", "mayur"]);
    assert_eq!(analyse("anak-anaknya"), ["anak", "anak"]);
}

#[test]
fn sentences_analyse_to_these_terms() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Pemerintah desa membangun jalan baru di Dusun Krajan untuk memperlancar distribusi hasil pertanian.",
            &[
                "perintah",
                "desa",
                "bangun",
                "jalan",
                "baru",
                "dusun",
                "krajan",
                "perlancar",
                "stribusi",
                "hasil",
                "tani",
            ],
        ),
        (
            "Anak-anak di Posyandu Melati mendapatkan imunisasi gratis pada hari Sabtu.",
            &["anak", "posyandu", "lati", "dapat", "imunisasi", "gratis", "hari", "sabtu"],
        ),
        (
            "PENGUMUMAN: Pendaftaran bantuan sosial dibuka hingga 30 Juni 2026, bagi warga yang belum terdaftar.",
            &["umum", "daftar", "bantu", "sosial", "buka", "30", "juni", "2026", "warga", "daftar"],
        ),
        (
            "Kelompok tani bersama penyuluh membersihkan saluran irigasi agar sawah tidak kebanjiran lagi.",
            &["lompok", "tani", "sama", "suluh", "bersih", "salur", "irigasi", "sawah", "banjir"],
        ),
        (
            "Apakah benar jalan itu akan diperbaiki tahun ini? Kami sudah menanyakannya kepada kepala desa.",
            &["benar", "jalan", "baik", "tahun", "anya", "pala", "desa"],
        ),
        ("Café « Kopi Énak » — buka 24 jam!", &["cafe", "kopi", "enak", "buka", "24", "jam"]),
    ];
    for (sentence, expected) in cases {
        assert_eq!(analyse(sentence), *expected, "{sentence}");
    }
}
