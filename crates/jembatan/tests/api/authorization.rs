//! The authorization table: every route of the router, asked by every kind
//! of actor, with what each must get. One row per route; columns are the
//! actors. A row fails loudly when someone gets in who should not, or is
//! kept out who should get in. POSTs carry the acting session's valid CSRF
//! token and a valid form, so the answer reflects authorization alone.
//!
//! - `A` allowed: a 2xx answer, or a redirect that is not to the login page
//! - `L` log in first: a redirect to `/masuk` (pages) or 401 (API)
//! - `F` forbidden: 403
//!
//! Fixtures, built once per application: KIM A in Tuban (village
//! 35.23.01.2001) and KIM B in Malang (35.07.01.2001), an agency in Tuban,
//! a member of KIM A with an account, and one account per role: a citizen,
//! a contributor and a manager of KIM A, an officer of the agency, the
//! regency officer of Tuban (35.23), a fact-checker and a province admin
//! (both for 35). When a new route lands, add its row here.

use jembatan_domain::content::ContentId;
use jembatan_domain::role::Role;
use jembatan_domain::{MemberId, OrgId, UserId};
use jembatan_store::accounts::{self, TokenScope};
use jembatan_store::{kims, organisations};

use crate::admin_support::{
    PASSWORD, Session, account, agency, grant_to, kim, location, member, sign_up, sign_up_as, unique,
};
use crate::helpers::{TestApp, Visitor};
use crate::http_tests;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Allowed: 2xx, or a redirect elsewhere than the login page.
    A,
    /// Told to log in: a redirect to `/masuk`, or 401 from the API.
    L,
    /// Forbidden: 403.
    F,
}
use Expect::{A, F, L};

/// The actors, in the order of the table's columns.
const ACTORS: [&str; 8] = [
    "anonymous",
    "citizen",
    "kim_contributor",
    "kim_manager",
    "agency_officer",
    "regency_officer",
    "fact_checker",
    "province_admin",
];

/// Whose session makes a row's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    /// The actor's own session, kept for the whole table.
    Own,
    /// A fresh account with the same role (a fresh visitor for the
    /// anonymous column), for requests that end or replace the session:
    /// logging in and out, registering, deleting the account.
    Throwaway,
}

struct Row {
    method: &'static str,
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    by: By,
    expect: [Expect; 8],
}

const fn get(path: &'static str, expect: [Expect; 8]) -> Row {
    Row { method: "GET", path, form: &[], by: By::Own, expect }
}

const fn post(path: &'static str, form: &'static [(&'static str, &'static str)], expect: [Expect; 8]) -> Row {
    Row { method: "POST", path, form, by: By::Own, expect }
}

/// A POST of the row's pairs as a JSON object of strings (the API's writes).
const fn post_json(path: &'static str, form: &'static [(&'static str, &'static str)], expect: [Expect; 8]) -> Row {
    Row { method: "POST_JSON", path, form, by: By::Own, expect }
}

const fn post_throwaway(path: &'static str, form: &'static [(&'static str, &'static str)], expect: [Expect; 8]) -> Row {
    Row { method: "POST", path, form, by: By::Throwaway, expect }
}

const ANYONE: [Expect; 8] = [A, A, A, A, A, A, A, A];
const LOGGED_IN: [Expect; 8] = [L, A, A, A, A, A, A, A];

const KIM_FORM: &[(&str, &str)] = &[("name", "KIM Tabel {unique}"), ("village", "35.23.01.2002")];
const KIM_FORM_MALANG: &[(&str, &str)] = &[("name", "KIM Tabel {unique}"), ("village", "35.07.01.2002")];
const AGENCY_FORM: &[(&str, &str)] =
    &[("kind", "agency"), ("name", "Dinas Tabel {unique}"), ("region", "35.23"), ("categories", "kesehatan")];
const OFFICE_FORM: &[(&str, &str)] =
    &[("kind", "diskominfo"), ("name", "Diskominfo Tabel {unique}"), ("region", "35.23")];
const NEW_PASSWORD: &[(&str, &str)] = &[("password", "sandi baru petugas"), ("password_confirm", "sandi baru petugas")];
const ITEM_FORM: &[(&str, &str)] = &[
    ("org", "{kim_a}"),
    ("kind", "berita"),
    ("title", "Tulisan Tabel {unique}"),
    ("body", "Isi tulisan tabel."),
    ("regions", "35.23.01.2001"),
    ("topics", "pertanian"),
];
const ITEM_EDIT: &[(&str, &str)] = &[
    ("version", "1"),
    ("kind", "berita"),
    ("title", "Tulisan Tabel Diubah"),
    ("body", "Isi tulisan tabel."),
    ("regions", "35.23.01.2001"),
    ("topics", "pertanian"),
];

const REPORT_FORM: &[(&str, &str)] = &[
    ("class", "pengaduan"),
    ("title", "Lampu jalan mati {unique}"),
    ("description", "Lampu penerangan jalan di depan masjid mati sejak sepekan."),
    ("category", "listrik"),
    ("region", "35.23.01.2001"),
    ("mode", "named"),
    ("name", "Pelapor Tabel"),
    ("phone", "{phone}"),
];
const REPORT_FOR_KIM_A: &[(&str, &str)] = &[
    ("class", "aspirasi"),
    ("title", "Usulan posyandu {unique}"),
    ("description", "Warga mengusulkan jadwal posyandu sore hari."),
    ("category", "kesehatan"),
    ("region", "35.23.01.2001"),
    ("mode", "named"),
    ("name", "Tetangga Tabel"),
    ("phone", "{phone}"),
    ("kim", "{kim_a}"),
];

const OPEN311_FORM: &[(&str, &str)] = &[
    ("service_code", "listrik"),
    ("description", "Tiang listrik miring di depan sekolah {unique}."),
    ("attribute[region]", "35.23.01.2001"),
    ("first_name", "Pelapor"),
    ("phone", "{phone}"),
];

/// Every route of the router. `{...}` is filled per request (see [`World::fill`]).
#[rustfmt::skip]
const ROUTES: &[Row] = &[
    //                                                                                       anon cit  con  mgr  agc  reg  chk  prv
    // ---- public pages
    get("/",                                                                                 ANYONE),
    get("/wilayah/35.23",                                                                    ANYONE),
    get("/wilayah/35.23/kim",                                                                ANYONE),
    get("/wilayah/35.23/organisasi",                                                         ANYONE),
    get("/kim",                                                                              ANYONE),
    get("/kim/{kim_a}",                                                                      ANYONE),
    get("/organisasi/{agency}",                                                              ANYONE),
    get("/privasi",                                                                          ANYONE),
    get("/tentang-data",                                                                     ANYONE),
    get("/api",                                                                              ANYONE),
    get("/en/wilayah/35.23",                                                                 ANYONE),
    // ---- search
    get("/cari",                                                                             ANYONE),
    get("/cari?q=pembangunan+jalan&wilayah=35.23&topik=kesehatan&halaman=1",                 ANYONE),
    get("/en/cari?q=jalan",                                                                  ANYONE),
    // ---- content portal and feeds
    get("/?sebelum={cursor}",                                                                ANYONE),
    get("/konten/{content}",                                                                 ANYONE),
    get("/konten/{content}/{content_slug}",                                                  ANYONE),
    get("/en/konten/{content}/{content_slug}",                                               ANYONE),
    get("/jenis/berita",                                                                     ANYONE),
    get("/topik",                                                                            ANYONE),
    get("/topik/kesehatan",                                                                  ANYONE),
    get("/arsip/2026",                                                                       ANYONE),
    get("/arsip/2026/11",                                                                    ANYONE),
    get("/rss.xml",                                                                          ANYONE),
    get("/atom.xml",                                                                         ANYONE),
    get("/feed.json",                                                                        ANYONE),
    get("/wilayah/35.23/rss.xml",                                                            ANYONE),
    get("/wilayah/35.23/atom.xml",                                                           ANYONE),
    get("/wilayah/35.23/feed.json",                                                          ANYONE),
    get("/topik/kesehatan/rss.xml",                                                          ANYONE),
    get("/topik/kesehatan/atom.xml",                                                         ANYONE),
    get("/topik/kesehatan/feed.json",                                                        ANYONE),
    get("/organisasi/{agency}/rss.xml",                                                      ANYONE),
    get("/organisasi/{agency}/atom.xml",                                                     ANYONE),
    get("/organisasi/{agency}/feed.json",                                                    ANYONE),
    get("/kim/{kim_a}/rss.xml",                                                              ANYONE),
    get("/kim/{kim_a}/atom.xml",                                                             ANYONE),
    get("/kim/{kim_a}/feed.json",                                                            ANYONE),
    // ---- accounts
    get("/daftar",                                                                           ANYONE),
    post_throwaway("/daftar", &[("name", "Warga Baru"), ("email", "warga.{unique}@contoh.id"),
        ("password", "{password}"), ("password_confirm", "{password}"), ("consent", "yes")],  ANYONE),
    get("/masuk",                                                                            ANYONE),
    post_throwaway("/masuk", &[("identifier", "{spare_email}"), ("password", "{password}")],  ANYONE),
    post_throwaway("/keluar", &[],                                                           LOGGED_IN),
    get("/akun",                                                                             LOGGED_IN),
    post("/akun/atur-ulang-diketahui", &[],                                                  LOGGED_IN),
    post("/akun/pemberitahuan/dibaca", &[],                                                  LOGGED_IN),
    get("/akun/sandi",                                                                       LOGGED_IN),
    post_throwaway("/akun/sandi", &[("current_password", "{password}"),
        ("password", "{password}"), ("password_confirm", "{password}")],                    LOGGED_IN),
    get("/lupa-sandi",                                                                       ANYONE),
    post("/lupa-sandi", &[("email", "{spare_email}")],                                       ANYONE),
    get("/atur-ulang-sandi?token={reset_token}",                                             ANYONE),
    post("/atur-ulang-sandi", &[("token", "{reset_token}"),
        ("password", "{password}"), ("password_confirm", "{password}")],                    ANYONE),
    get("/akun/token",                                                                       LOGGED_IN),
    post("/akun/token", &[("name", "Bot {unique}"), ("scope", "read")],                      LOGGED_IN),
    post("/akun/token/{own_token}/cabut", &[],                                               LOGGED_IN),
    get("/akun/data",                                                                        LOGGED_IN),
    get("/akun/hapus",                                                                       LOGGED_IN),
    post_throwaway("/akun/hapus", &[("password", "{password}")],                             LOGGED_IN),
    // ---- administration: dashboard
    get("/admin",                                                                            [L,   F,   A,   A,   A,   A,   A,   A]),
    get("/en/admin",                                                                         [L,   F,   A,   A,   A,   A,   A,   A]),
    // ---- administration: KIMs and rosters
    get("/admin/kim",                                                                        [L,   F,   F,   A,   F,   A,   F,   A]),
    get("/admin/kim?halaman=2",                                                              [L,   F,   F,   A,   F,   A,   F,   A]),
    get("/admin/kim/baru",                                                                   [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/kim/baru", KIM_FORM,                                                        [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/kim/baru", KIM_FORM_MALANG,                                                 [L,   F,   F,   F,   F,   F,   F,   A]),
    get("/admin/kim/{kim_a}",                                                                [L,   F,   F,   A,   F,   A,   F,   A]),
    get("/en/admin/kim/{kim_a}",                                                             [L,   F,   F,   A,   F,   A,   F,   A]),
    post("/admin/kim/{kim_a}", &[("version", "{kim_a_version}"), ("name", "KIM A")],         [L,   F,   F,   A,   F,   A,   F,   A]),
    get("/admin/kim/{kim_b}",                                                                [L,   F,   F,   F,   F,   F,   F,   A]),
    post("/admin/kim/{kim_a}/verifikasi", &[],                                               [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/kim/{kim_b}/verifikasi", &[],                                               [L,   F,   F,   F,   F,   F,   F,   A]),
    post("/admin/kim/{kim_a}/status", &[("status", "vakum")],                                [L,   F,   F,   F,   F,   A,   F,   A]),
    get("/admin/kim/{kim_a}/anggota",                                                        [L,   F,   F,   A,   F,   A,   F,   A]),
    get("/admin/kim/{kim_b}/anggota",                                                        [L,   F,   F,   F,   F,   F,   F,   A]),
    post("/admin/kim/{kim_a}/anggota", &[("name", "Anggota Tabel"), ("position", "anggota")], [L,  F,   F,   A,   F,   A,   F,   A]),
    post("/admin/kim/{kim_a}/anggota/{fresh_member}/hapus", &[],                             [L,   F,   F,   A,   F,   A,   F,   A]),
    post("/admin/kim/{kim_a}/anggota/{member}/persetujuan-hp", &[("consent", "yes")],        [L,   F,   F,   A,   F,   A,   F,   A]),
    // ---- administration: organisations
    get("/admin/organisasi",                                                                 [L,   F,   F,   F,   A,   A,   F,   A]),
    get("/admin/organisasi/baru",                                                            [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/organisasi/baru", AGENCY_FORM,                                              [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/organisasi/baru", OFFICE_FORM,                                              [L,   F,   F,   F,   F,   F,   F,   A]),
    get("/admin/organisasi/{agency}",                                                        [L,   F,   F,   F,   A,   A,   F,   A]),
    post("/admin/organisasi/{agency}", &[("version", "{agency_version}"),
        ("name", "Dinas Kesehatan"), ("categories", "kesehatan")],                          [L,   F,   F,   F,   A,   A,   F,   A]),
    // ---- administration: roles
    get("/admin/peran",                                                                      [L,   F,   F,   A,   F,   A,   F,   A]),
    post("/admin/peran", &[("account", "{fresh_email}"), ("role", "kim_contributor"),
        ("scope", "{kim_a}")],                                                               [L,   F,   F,   A,   F,   A,   F,   A]),
    post("/admin/peran", &[("account", "{fresh_email}"), ("role", "kim_manager"),
        ("scope", "{kim_a}")],                                                               [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/peran", &[("account", "{fresh_email}"), ("role", "regency_officer"),
        ("scope", "35.23")],                                                                 [L,   F,   F,   F,   F,   F,   F,   A]),
    post("/admin/peran/{fresh_grant}/cabut", &[],                                            [L,   F,   F,   A,   F,   A,   F,   A]),
    // ---- administration: aspirations
    get("/admin/aspirasi",                                                                   [L,   F,   F,   F,   A,   A,   F,   A]),
    get("/admin/aspirasi?status=baru&halaman=2",                                             [L,   F,   F,   F,   A,   A,   F,   A]),
    get("/admin/aspirasi/ekspor.csv",                                                        [L,   F,   F,   F,   A,   A,   F,   A]),
    get("/admin/aspirasi/{report}",                                                          [L,   F,   F,   F,   F,   A,   F,   A]),
    get("/admin/aspirasi/{dispatched}",                                                      [L,   F,   F,   F,   A,   A,   F,   A]),
    get("{report_file}",                                                                     [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/aspirasi/{report}/verifikasi", &[("version", "1")],                         [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/aspirasi/{dispatched}/tindak-lanjut", &[("version", "3")],                  [L,   F,   F,   F,   A,   F,   F,   A]),
    post("/admin/aspirasi/{anonymous_report}/identitas", &[],                                [L,   F,   F,   F,   F,   A,   F,   F]),
    post("/admin/aspirasi/{located}/wilayah", &[("version", "1"), ("region", "35.23.01.2001")], [L, F,  F,   F,   F,   F,   F,   A]),
    post("/admin/aspirasi/{held}/moderasi", &[("version", "1")],                             [L,   F,   F,   F,   F,   A,   F,   A]),
    get("/admin/aspirasi/{to_body}/surat",                                                   [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/aspirasi/{to_body}/serah-terima", &[("version", "3"), ("method", "surat")], [L,   F,   F,   F,   F,   A,   F,   A]),
    get("/admin/aspirasi/{report}/lapor",                                                    [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/aspirasi/{report}/lapor", &[("version", "1"), ("lapor_tracking", "LAP-1")], [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/admin/aspirasi/{information_request}/perpanjang", &[("version", "1"),
        ("public_note", "Arsip sedang disalin.")],                                           [L,   F,   F,   F,   F,   A,   F,   A]),
    // ---- administration: the holiday calendar
    get("/admin/hari-libur",                                                                 [L,   F,   F,   F,   F,   F,   F,   A]),
    get("/admin/hari-libur?tahun=2027",                                                      [L,   F,   F,   F,   F,   F,   F,   A]),
    post("/admin/hari-libur", &[("date", "2031-01-02"), ("kind", "cuti_bersama"),
        ("name", "Cuti Tabel")],                                                             [L,   F,   F,   F,   F,   F,   F,   A]),
    post("/admin/hari-libur/{holiday}/hapus", &[],                                           [L,   F,   F,   F,   F,   F,   F,   A]),
    // ---- administration: audit log
    get("/admin/audit",                                                                      [L,   F,   F,   F,   F,   A,   F,   A]),
    get("/admin/audit?wilayah=35.23",                                                        [L,   F,   F,   F,   F,   A,   F,   A]),
    get("/admin/audit?wilayah=35.07",                                                        [L,   F,   F,   F,   F,   F,   F,   A]),
    get("/admin/audit?wilayah=35",                                                           [L,   F,   F,   F,   F,   F,   F,   A]),
    // ---- administration: in-person password reset
    get("/admin/pengguna/{member_user}/sandi",                                               [L,   F,   F,   A,   F,   A,   F,   A]),
    post("/admin/pengguna/{member_user}/sandi", NEW_PASSWORD,                                [L,   F,   F,   A,   F,   A,   F,   A]),
    // ---- editor: writing, workflow, revisions, dashboards, images
    get("/tulis",                                                                            [L,   F,   A,   A,   A,   A,   F,   A]),
    get("/tulis?org={kim_a}&jenis=berita",                                                   [L,   F,   A,   A,   F,   F,   F,   A]),
    post("/tulis", ITEM_FORM,                                                                [L,   F,   A,   A,   F,   F,   F,   A]),
    get("/tulis/{draft}",                                                                    [L,   F,   A,   A,   F,   A,   F,   A]),
    get("/en/tulis/{draft}",                                                                 [L,   F,   A,   A,   F,   A,   F,   A]),
    post("/tulis/{draft}", ITEM_EDIT,                                                        [L,   F,   A,   A,   F,   F,   F,   A]),
    get("/tulis/{published}",                                                                [L,   F,   F,   A,   F,   A,   F,   A]),
    post("/tulis/{draft}/ajukan", &[("version", "1")],                                       [L,   F,   A,   A,   F,   F,   F,   A]),
    post("/tulis/{submitted}/kembalikan", &[("version", "1"), ("comment", "Perbaiki.")],     [L,   F,   F,   A,   F,   F,   F,   A]),
    post("/tulis/{submitted}/terbitkan", &[("version", "1")],                                [L,   F,   F,   A,   F,   F,   F,   A]),
    post("/tulis/{submitted}/jadwalkan", &[("version", "1"),
        ("publish_at", "2099-01-01T08:00")],                                                 [L,   F,   F,   A,   F,   F,   F,   A]),
    post("/tulis/{published}/tarik", &[("reason", "Hoaks.")],                                [L,   F,   F,   F,   F,   A,   F,   A]),
    post("/tulis/{published_malang}/tarik", &[("reason", "Hoaks.")],                         [L,   F,   F,   F,   F,   F,   F,   A]),
    post("/tulis/{published}/arsipkan", &[],                                                 [L,   F,   F,   A,   F,   A,   F,   A]),
    post("/tulis/{archived}/pulihkan", &[],                                                  [L,   F,   F,   A,   F,   F,   F,   A]),
    post("/tulis/{published}/ralat", &[("correction", "Tanggalnya salah.")],                 [L,   F,   F,   A,   F,   F,   F,   A]),
    post("/tulis/{draft}/komentar", &[("comment", "Bagus.")],                                [L,   F,   A,   A,   F,   F,   F,   A]),
    get("/tulis/{draft}/revisi",                                                             [L,   F,   A,   A,   F,   A,   F,   A]),
    get("/tulis/{draft}/revisi/1",                                                           [L,   F,   A,   A,   F,   A,   F,   A]),
    get("/akun/tulisan",                                                                     LOGGED_IN),
    get("/admin/konten",                                                                     [L,   F,   F,   A,   A,   A,   F,   A]),
    get("/media/{media}",                                                                    ANYONE),
    get("/media/{media}/w320",                                                               ANYONE),
    // ---- aspirations
    get("/aspirasi",                                                                         ANYONE),
    get("/aspirasi?wilayah=35.23&kategori=kesehatan&status=terbuka&halaman=2",               ANYONE),
    get("/aspirasi/baru",                                                                    ANYONE),
    post("/aspirasi/baru", REPORT_FORM,                                                      ANYONE),
    post("/aspirasi/baru", REPORT_FOR_KIM_A,                                                 [L,   F,   A,   A,   F,   F,   F,   F]),
    get("/aspirasi/lacak",                                                                   ANYONE),
    get("/aspirasi/statistik",                                                               ANYONE),
    get("/aspirasi/lacak?nomor={tracking}",                                                  ANYONE),
    get("/aspirasi/{tracking}",                                                              ANYONE),
    post("/aspirasi/{answered}/tanggapan", &[("kunci", "{answered_key}"), ("tindakan", "nilai"),
        ("rating", "5")],                                                                    ANYONE),
    post("/aspirasi/{answered_information}/keberatan", &[("kunci", "{answered_key}"),
        ("comment", "Salinan tidak lengkap.")],                                              ANYONE),
    // ---- JSON API
    get("/api/v1/openapi.json",                                                              ANYONE),
    get("/api/v1/regions",                                                                   ANYONE),
    get("/api/v1/regions/35.23",                                                             ANYONE),
    get("/api/v1/kims?region=35.23",                                                         ANYONE),
    get("/api/v1/kims/{kim_a}",                                                              ANYONE),
    get("/api/v1/organisations?region=35.23",                                                ANYONE),
    get("/api/v1/organisations/{agency}",                                                    ANYONE),
    get("/api/v1/search?q=jalan&region=35.23",                                               ANYONE),
    get("/api/v1/content?region=35.23",                                                      ANYONE),
    get("/api/v1/content/{content}",                                                         ANYONE),
    get("/api/v1/me",                                                                        LOGGED_IN),
    post_json("/api/v1/aspirations", REPORT_FORM,                                            ANYONE),
    get("/api/v1/aspirations/{tracking}",                                                    ANYONE),
    // ---- Open311 GeoReport v2
    get("/open311/v2/discovery.json",                                                        ANYONE),
    get("/open311/v2/services.json",                                                         ANYONE),
    get("/open311/v2/services/kesehatan.json",                                               ANYONE),
    get("/open311/v2/requests.json",                                                         ANYONE),
    post("/open311/v2/requests.json", OPEN311_FORM,                                          ANYONE),
    get("/open311/v2/requests/{tracking}.json",                                              ANYONE),
    get("/open311/v2/tokens/{tracking}.json",                                                ANYONE),
    // ---- operations
    get("/healthz",                                                                          ANYONE),
    get("/readyz",                                                                           ANYONE),
    get("/metrics",                                                                          ANYONE),
    get("/static/{css}",                                                                     ANYONE),
];

/// The fixtures every row is asked against, and one session per actor.
struct World {
    kim_a: OrgId,
    kim_b: OrgId,
    agency: OrgId,
    /// A member of KIM A with a phone number.
    member: MemberId,
    /// A plain account on KIM A's roster.
    member_user: UserId,
    /// An account to log in as and to reset by e-mail.
    spare_email: String,
    spare: UserId,
    /// A published item of the agency, and its slug.
    content: ContentId,
    content_slug: String,
    /// A filed report's tracking number.
    tracking: String,
    /// The reporter's key of the last `{answered}` report made.
    answered_key: std::sync::Mutex<String>,
    /// A body without accounts, made the first time a row needs it.
    body: tokio::sync::OnceCell<OrgId>,
    css: String,
    anonymous: Visitor,
    /// One per actor after the anonymous one, in [`ACTORS`] order.
    sessions: Vec<Session>,
}

/// Who makes one request.
struct Acting<'a> {
    visitor: &'a Visitor,
    csrf: Option<String>,
    user: Option<UserId>,
}

impl World {
    async fn build(app: &TestApp) -> World {
        let kim_a = kim(app, "35.23.01.2001", "KIM A").await;
        let kim_b = kim(app, "35.07.01.2001", "KIM B").await;
        let agency = agency(app, "35.23", "Dinas Kesehatan").await;
        let member_user = account(app, "Anggota Berakun", &format!("anggota.{}@contoh.id", unique())).await;
        member(app, kim_a, "Anggota Berakun", "", Some(member_user)).await;
        let member = member(app, kim_a, "Siti Aminah", "0812 1111 2222", None).await;
        let spare_email = format!("cadangan.{}@contoh.id", unique());
        let spare = account(app, "Cadangan", &spare_email).await;
        // Diskominfo Tuban, which the regency officer writes for.
        crate::editor_support::office(app, "35.23", "Diskominfo Tuban").await;
        let item = crate::content_support::publish(
            app,
            agency,
            crate::content_support::news("Kabar Tabel", &["35.23"], &["kesehatan"]),
        )
        .await;
        let tracking = crate::aspiration_support::file(app, &crate::aspiration_support::complaint()).await;
        let (_, home) = app.get_text("/").await;
        let css = home.split("/static/").nth(1).and_then(|s| s.split('"').next()).expect("the stylesheet").to_owned();
        let mut world = World {
            kim_a,
            kim_b,
            agency,
            member,
            member_user,
            spare_email,
            spare,
            content: item.id,
            content_slug: item.slug,
            tracking,
            answered_key: std::sync::Mutex::default(),
            body: tokio::sync::OnceCell::new(),
            css,
            anonymous: TestApp::spawn_client(app),
            sessions: Vec::new(),
        };
        for actor in &ACTORS[1..] {
            let session = world.sign_up(app, actor).await;
            world.sessions.push(session);
        }
        world
    }

    /// The grant an actor holds, as (role, scope).
    fn grant_of(&self, actor: &str) -> Option<(&'static str, String)> {
        match actor {
            "kim_contributor" => Some(("kim_contributor", self.kim_a.to_string())),
            "kim_manager" => Some(("kim_manager", self.kim_a.to_string())),
            "agency_officer" => Some(("agency_officer", self.agency.to_string())),
            "regency_officer" => Some(("regency_officer", "35.23".to_owned())),
            "fact_checker" => Some(("fact_checker", "35".to_owned())),
            "province_admin" => Some(("province_admin", "35".to_owned())),
            _ => None,
        }
    }

    /// A new account acting as `actor`, logged in on its own client.
    async fn sign_up(&self, app: &TestApp, actor: &str) -> Session {
        let name = format!("Pelaku {actor}");
        match self.grant_of(actor) {
            Some((role, scope)) => sign_up_as(app, &name, role, &scope).await,
            None => sign_up(app, &name).await,
        }
    }

    /// Fills the placeholders of a path or form value for one request.
    async fn fill(&self, app: &TestApp, template: &str, acting: &Acting<'_>) -> String {
        let mut text = template
            .replace("{kim_a}", &self.kim_a.to_string())
            .replace("{kim_b}", &self.kim_b.to_string())
            .replace("{agency}", &self.agency.to_string())
            .replace("{member}", &self.member.to_string())
            .replace("{member_user}", &self.member_user.to_string())
            .replace("{spare_email}", &self.spare_email)
            .replace("{password}", PASSWORD)
            .replace("{css}", &self.css)
            .replace("{content_slug}", &self.content_slug)
            .replace("{content}", &self.content.to_string())
            .replace("{tracking}", &self.tracking)
            .replace("{phone}", &crate::aspiration_support::unique_phone())
            .replace("{cursor}", &format!("{}_{}", jembatan_domain::Timestamp::now().millis(), self.content))
            .replace("{unique}", &unique());
        if text.contains("{kim_a_version}") {
            let kim = kims::get(&app.db, self.kim_a).await.unwrap().unwrap();
            text = text.replace("{kim_a_version}", &kim.org.version.to_string());
        }
        if text.contains("{agency_version}") {
            let org = organisations::get(&app.db, self.agency).await.unwrap().unwrap();
            text = text.replace("{agency_version}", &org.version.to_string());
        }
        if text.contains("{fresh_member}") {
            let id = member(app, self.kim_a, "Anggota Sementara", "", None).await;
            text = text.replace("{fresh_member}", &id.to_string());
        }
        if text.contains("{fresh_email}") {
            let email = format!("baru.{}@contoh.id", unique());
            account(app, "Akun Baru", &email).await;
            text = text.replace("{fresh_email}", &email);
        }
        if text.contains("{fresh_grant}") {
            let user = account(app, "Kontributor Sementara", &format!("sementara.{}@contoh.id", unique())).await;
            let grant = grant_to(app, user, Role::KimContributor, &self.kim_a.to_string()).await;
            text = text.replace("{fresh_grant}", &grant.to_string());
        }
        if text.contains("{own_token}") {
            let token = match acting.user {
                Some(user) => {
                    accounts::create_api_token(&app.db, user, "Tabel", TokenScope::Read).await.unwrap().0.to_string()
                }
                None => uuid::Uuid::now_v7().to_string(),
            };
            text = text.replace("{own_token}", &token);
        }
        // Items of the editor's rows, fresh for each request (steps change them).
        let kim_a_contributor = self.sessions[1].id;
        for (placeholder, org, region, author, status) in [
            ("{draft}", self.kim_a, "35.23.01.2001", Some(kim_a_contributor), "draft"),
            ("{submitted}", self.kim_a, "35.23.01.2001", Some(kim_a_contributor), "submitted"),
            ("{published}", self.kim_a, "35.23.01.2001", None, "published"),
            ("{published_malang}", self.kim_b, "35.07.01.2001", None, "published"),
            ("{archived}", self.kim_a, "35.23.01.2001", None, "archived"),
        ] {
            if text.contains(placeholder) {
                let title = "Tulisan Tabel Editor";
                let id = match status {
                    "draft" => crate::editor_support::draft(app, org, author, title, region).await,
                    "submitted" => crate::editor_support::submitted(app, org, author, title, region).await,
                    "published" => crate::editor_support::published(app, org, author, title, region).await,
                    _ => crate::editor_support::archived(app, org, title, region).await,
                };
                text = text.replace(placeholder, &id.to_string());
            }
        }
        if text.contains("{media}") {
            text = text.replace("{media}", &crate::editor_support::stored_image(app).await.to_string());
        }
        if text.contains("{located}") {
            text = text.replace("{located}", &crate::aspiration_support::located(app).await.to_string());
        }
        if text.contains("{held}") {
            text = text.replace("{held}", &crate::aspiration_support::held(app).await.to_string());
        }
        if text.contains("{holiday}") {
            let day = jembatan_domain::calendar::Holiday {
                date: chrono::NaiveDate::from_ymd_opt(2031, 1, 3).unwrap(),
                kind: jembatan_domain::calendar::HolidayKind::CutiBersama,
                name: "Libur Tabel".into(),
            };
            let admin = self.sessions[6].id;
            app.db
                .write(move |tx| {
                    Box::pin(async move {
                        jembatan_store::holidays::put(
                            tx,
                            &day,
                            admin,
                            &jembatan_domain::RegionCode::parse("35").unwrap(),
                        )
                        .await
                    })
                })
                .await
                .unwrap();
            text = text.replace("{holiday}", "2031-01-03");
        }
        if text.contains("{to_body}") {
            let body = *self.body.get_or_init(|| async { crate::aspiration_support::body(app).await }).await;
            let (id, _) =
                crate::aspiration_support::file_with(app, &crate::aspiration_support::complaint(), vec![]).await;
            crate::aspiration_support::dispatch(app, id, body).await;
            text = text.replace("{to_body}", &id.to_string());
        }
        if text.contains("{answered_information}") {
            let form = crate::aspiration_support::information_request();
            let (tracking, key) = crate::aspiration_support::answered_form(app, self.agency, form).await;
            text = text.replace("{answered_information}", &tracking);
            *self.answered_key.lock().unwrap() = key;
        }
        if text.contains("{information_request}") {
            let form = crate::aspiration_support::information_request();
            let (id, _) = crate::aspiration_support::file_with(app, &form, vec![]).await;
            text = text.replace("{information_request}", &id.to_string());
        }
        if text.contains("{answered}") {
            let (tracking, key) = crate::aspiration_support::answered(app, self.agency).await;
            text = text.replace("{answered}", &tracking);
            *self.answered_key.lock().unwrap() = key;
        }
        if text.contains("{answered_key}") {
            text = text.replace("{answered_key}", &self.answered_key.lock().unwrap());
        }
        if text.contains("{report}") {
            let (id, _) =
                crate::aspiration_support::file_with(app, &crate::aspiration_support::complaint(), vec![]).await;
            text = text.replace("{report}", &id.to_string());
        }
        if text.contains("{dispatched}") {
            let (id, _) =
                crate::aspiration_support::file_with(app, &crate::aspiration_support::complaint(), vec![]).await;
            crate::aspiration_support::dispatch(app, id, self.agency).await;
            text = text.replace("{dispatched}", &id.to_string());
        }
        if text.contains("{anonymous_report}") {
            let mut form = crate::aspiration_support::complaint();
            form.mode = "anonymous".into();
            let (id, _) = crate::aspiration_support::file_with(app, &form, vec![]).await;
            text = text.replace("{anonymous_report}", &id.to_string());
        }
        if text.contains("{report_file}") {
            let pdf = jembatan_store::aspirations::NewAttachment {
                mime: "application/pdf".into(),
                bytes: b"%PDF-1.4\n%%EOF\n".to_vec(),
            };
            let (id, _) =
                crate::aspiration_support::file_with(app, &crate::aspiration_support::complaint(), vec![pdf]).await;
            let file = jembatan_store::aspirations::attachments(&app.db, id).await.unwrap().remove(0).id;
            text = text.replace("{report_file}", &format!("/admin/aspirasi/{id}/lampiran/{file}"));
        }
        if text.contains("{reset_token}") {
            let token = accounts::create_password_reset(&app.db, self.spare, "id", 3600).await.unwrap();
            text = text.replace("{reset_token}", &token);
        }
        text
    }
}

/// What an answer means, or `None` for an answer the table has no column for.
fn outcome(status: u16, location: &str) -> Option<Expect> {
    match status {
        401 => Some(L),
        300..=399 if location.starts_with("/masuk") || location.starts_with("/en/masuk") => Some(L),
        403 => Some(F),
        200..=399 => Some(A),
        _ => None,
    }
}

async fn walk_the_table(app: &TestApp) {
    let world = World::build(app).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    for row in ROUTES {
        for (column, actor) in ACTORS.iter().enumerate() {
            let throwaway_session;
            let throwaway_visitor;
            let acting = match (row.by, column) {
                (By::Own, 0) => Acting { visitor: &world.anonymous, csrf: None, user: None },
                (By::Own, _) => {
                    let session = &world.sessions[column - 1];
                    Acting { visitor: &session.visitor, csrf: Some(session.csrf.clone()), user: Some(session.id) }
                }
                (By::Throwaway, 0) => {
                    throwaway_visitor = TestApp::spawn_client(app);
                    Acting { visitor: &throwaway_visitor, csrf: None, user: None }
                }
                (By::Throwaway, _) => {
                    throwaway_session = world.sign_up(app, actor).await;
                    let session = &throwaway_session;
                    Acting { visitor: &session.visitor, csrf: Some(session.csrf.clone()), user: Some(session.id) }
                }
            };
            let path = world.fill(app, row.path, &acting).await;
            let response = if row.method == "GET" {
                acting.visitor.get(&path).await
            } else if row.method == "POST_JSON" {
                let mut object = serde_json::Map::new();
                for (name, value) in row.form {
                    object.insert((*name).to_owned(), world.fill(app, value, &acting).await.into());
                }
                acting
                    .visitor
                    .client
                    .post(acting.visitor.url(&path))
                    .header("sec-fetch-site", "same-origin")
                    .json(&object)
                    .send()
                    .await
                    .expect("POST")
            } else {
                let mut form: Vec<(String, String)> = Vec::new();
                if let Some(csrf) = &acting.csrf {
                    form.push(("csrf".into(), csrf.clone()));
                }
                for (name, value) in row.form {
                    form.push(((*name).to_owned(), world.fill(app, value, &acting).await));
                }
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                acting.visitor.post_form(&path, &form).await
            };
            let status = response.status().as_u16();
            let location = location(&response);
            let expected = row.expect[column];
            checked += 1;
            if outcome(status, &location) != Some(expected) {
                failures.push(format!(
                    "{} {} as {actor}: expected {expected:?}, got {status} {location}",
                    row.method, row.path
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(checked, ROUTES.len() * ACTORS.len());
}

http_tests! {
    async fn every_route_answers_every_actor_as_the_table_says(app) {
        walk_the_table(&app).await;
    }
}
