-- Aspirations (aspirasi, pengaduan, permintaan informasi): the managed list
-- of report categories, the holiday calendar deadlines count working days
-- against, reports with their reporter's identity kept in a table of its
-- own, the public timeline of each case, and attachments.
--
-- Attachments live in the database (BLOB on SQLite, BYTEA on PostgreSQL):
-- outside any web root, served only through the application's checks.

-- The managed list of categories citizens choose from.
CREATE TABLE report_categories (
    slug TEXT PRIMARY KEY,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    -- the agencies' work category (organisations.categories) a case of
    -- this category is routed to by default; NULL: the verifier chooses
    work_category TEXT,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

INSERT INTO report_categories (slug, name_id, name_en, work_category, position, created_at) VALUES
    ('jalan-infrastruktur', 'Jalan dan Infrastruktur', 'Roads and infrastructure', 'infrastruktur', 10, 0),
    ('kesehatan', 'Kesehatan', 'Health', 'kesehatan', 20, 0),
    ('pendidikan', 'Pendidikan', 'Education', 'pendidikan', 30, 0),
    ('administrasi-kependudukan', 'Administrasi Kependudukan', 'Civil registration', 'kependudukan', 40, 0),
    ('bansos', 'Bantuan Sosial', 'Social assistance', 'sosial', 50, 0),
    ('lingkungan-sampah', 'Lingkungan dan Sampah', 'Environment and waste', 'lingkungan', 60, 0),
    ('air-bersih', 'Air Bersih', 'Clean water', NULL, 70, 0),
    ('listrik', 'Listrik', 'Electricity', NULL, 80, 0),
    ('keamanan', 'Keamanan dan Ketertiban', 'Safety and order', 'keamanan', 90, 0),
    ('kebencanaan', 'Kebencanaan', 'Disasters', 'kebencanaan', 100, 0),
    ('pertanian', 'Pertanian', 'Agriculture', 'pertanian', 110, 0),
    ('pelayanan-publik', 'Pelayanan Publik', 'Public services', 'pemerintahan', 120, 0),
    ('lainnya', 'Lainnya', 'Other', NULL, 130, 0);

-- Public holidays and joint leave days: working-day deadlines skip them.
-- Seeded from data/holidays by the store (see holidays_seeded), maintained
-- by the province admin.
CREATE TABLE holidays (
    day TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('libur_nasional', 'cuti_bersama')),
    name TEXT NOT NULL,
    updated_by TEXT REFERENCES users (id),
    updated_at BIGINT NOT NULL
);

-- The years of the embedded calendar already seeded, so a holiday an
-- admin removed is not seeded again and a newer binary adds only new years.
CREATE TABLE holidays_seeded (
    year BIGINT PRIMARY KEY,
    seeded_at BIGINT NOT NULL
);

CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    -- ASP-35-7K4Q-9MZD: random, the public handle of the case
    tracking TEXT NOT NULL UNIQUE,
    class TEXT NOT NULL CHECK (class IN ('aspirasi', 'pengaduan', 'permintaan_informasi')),
    status TEXT NOT NULL CHECK (status IN ('baru', 'terverifikasi', 'didisposisikan', 'ditindaklanjuti',
        'selesai', 'ditunda', 'bukan_wewenang', 'diarsipkan')),
    mode TEXT NOT NULL CHECK (mode IN ('named', 'anonymous', 'confidential')),
    channel TEXT NOT NULL CHECK (channel IN ('web', 'api', 'open311')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL REFERENCES report_categories (slug),
    -- a village, district or regency; the province when only a location
    -- was given (region_unconfirmed = 1 until the verifier sets it)
    region_code TEXT NOT NULL REFERENCES regions (code),
    -- the regency the region lies in (NULL at province level): queues are per regency
    regency_code TEXT REFERENCES regions (code),
    region_unconfirmed BIGINT NOT NULL DEFAULT 0,
    -- millionths of a degree
    lat_e6 BIGINT,
    lon_e6 BIGINT,
    event_date TEXT,
    -- the account that filed it (for oneself or, as a KIM member, for a neighbour)
    filed_by TEXT REFERENCES users (id),
    -- the KIM that filed it on a neighbour's behalf
    facilitated_by TEXT REFERENCES organisations (id),
    -- the body the case is dispatched to
    assigned_org_id TEXT REFERENCES organisations (id),
    -- a report by the same reporter with near-identical text within a day
    duplicate_of TEXT REFERENCES reports (id),
    -- 'held': abusive text waits for a moderator before anything is public
    moderation TEXT NOT NULL DEFAULT 'none' CHECK (moderation IN ('none', 'held', 'cleared')),
    -- the deadline of the current stage (verification, follow-up, answer), if any
    due_at BIGINT,
    -- permintaan informasi: the answer deadline of UU 14/2008 (10 working
    -- days), moved once by 7 with notice (answer_extended = 1)
    answer_due_at BIGINT,
    answer_extended BIGINT NOT NULL DEFAULT 0,
    -- the 60-day limit of UU 25/2009, after which the province is alerted
    settle_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- optimistic concurrency: bumped on every change
    version BIGINT NOT NULL DEFAULT 1,
    -- a client's Idempotency-Key (API) and the SHA-256 of what it sent
    idempotency_key TEXT UNIQUE,
    request_sha256 TEXT,
    CHECK ((lat_e6 IS NULL) = (lon_e6 IS NULL))
);
CREATE INDEX reports_regency_queue ON reports (regency_code, status, due_at);
CREATE INDEX reports_assigned_queue ON reports (assigned_org_id, status, due_at);
CREATE INDEX reports_region ON reports (region_code, created_at);
CREATE INDEX reports_category ON reports (category, created_at);
CREATE INDEX reports_created ON reports (created_at);
CREATE INDEX reports_filed_by ON reports (filed_by, created_at);

-- Who filed a report, apart from the report so that no read of reports
-- can carry it by accident. Never public; for anonymous reports only the
-- regency's verifiers read it, and each read is audited.
CREATE TABLE report_reporters (
    report_id TEXT PRIMARY KEY REFERENCES reports (id),
    name TEXT,
    phone TEXT,
    email TEXT,
    -- SHA-256 of the normalised phone or e-mail: per-contact limits and duplicates
    contact_key TEXT
);
CREATE INDEX report_reporters_contact ON report_reporters (contact_key);

-- The timeline of a case: its filing and every step. Public notes are
-- shown on the tracking page; private notes only to officers.
CREATE TABLE report_events (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports (id),
    at BIGINT NOT NULL,
    -- 'submit' or a workflow step (verify, dispatch, ...)
    step TEXT NOT NULL,
    status_after TEXT NOT NULL,
    actor_id TEXT REFERENCES users (id),
    -- the organisation acted for or dispatched to
    org_id TEXT REFERENCES organisations (id),
    public_note TEXT,
    private_note TEXT
);
CREATE INDEX report_events_report ON report_events (report_id, at);

-- Photos and PDFs: checked by content, photos stripped of EXIF/GPS.
CREATE TABLE report_attachments (
    id TEXT PRIMARY KEY,
    report_id TEXT NOT NULL REFERENCES reports (id),
    -- set for documents attached to an answer
    event_id TEXT REFERENCES report_events (id),
    position BIGINT NOT NULL,
    mime TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX report_attachments_report ON report_attachments (report_id, position);
