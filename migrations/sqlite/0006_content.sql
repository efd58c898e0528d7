-- Content: topics, uploaded images, items with their editorial workflow,
-- target regions and topics, galleries, revisions, reviewer comments and
-- public corrections (ralat).
--
-- Images live in the database (BLOB on SQLite, BYTEA on PostgreSQL), so
-- every process sharing the database serves the same files and backups
-- hold them.

-- The managed list of topics.
CREATE TABLE topics (
    slug TEXT PRIMARY KEY,
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

INSERT INTO topics (slug, name_id, name_en, position, created_at) VALUES
    ('kesehatan', 'Kesehatan', 'Health', 10, 0),
    ('pendidikan', 'Pendidikan', 'Education', 20, 0),
    ('pertanian', 'Pertanian', 'Agriculture', 30, 0),
    ('infrastruktur', 'Infrastruktur', 'Infrastructure', 40, 0),
    ('kebencanaan', 'Kebencanaan', 'Disasters', 50, 0),
    ('ekonomi-umkm', 'Ekonomi dan UMKM', 'Economy and small business', 60, 0),
    ('sosial', 'Sosial', 'Social affairs', 70, 0),
    ('pemerintahan', 'Pemerintahan', 'Government', 80, 0),
    ('lingkungan', 'Lingkungan', 'Environment', 90, 0),
    ('kependudukan', 'Kependudukan', 'Civil registration', 100, 0),
    ('keamanan', 'Keamanan dan Ketertiban', 'Safety and order', 110, 0),
    ('budaya-pariwisata', 'Budaya dan Pariwisata', 'Culture and tourism', 120, 0);

-- An uploaded image: the original as uploaded with its metadata (EXIF,
-- GPS) stripped, deduplicated by the SHA-256 of those bytes.
CREATE TABLE media (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    mime TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    byte_size BIGINT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL
);

-- Resized copies of an image for srcset, one per width and format.
CREATE TABLE media_variants (
    media_id TEXT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    mime TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (media_id, width, mime)
);

CREATE TABLE content (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('berita', 'pengumuman', 'kebijakan', 'agenda', 'produk')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'scheduled', 'published', 'archived')),
    title TEXT NOT NULL,
    summary TEXT,
    -- Markdown exactly as typed
    body TEXT NOT NULL,
    -- rendered and sanitised when written
    body_html TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('id', 'en', 'jv', 'mad')),
    provenance TEXT NOT NULL CHECK (provenance IN ('resmi', 'kim', 'warga')),
    org_id TEXT NOT NULL REFERENCES organisations (id),
    author_id TEXT REFERENCES users (id),
    cover_media_id TEXT REFERENCES media (id),
    cover_caption TEXT,
    source_name TEXT,
    source_url TEXT,
    -- agenda
    starts_at BIGINT,
    ends_at BIGINT,
    place TEXT,
    -- produk: rupiah, and an E.164 number or a web address
    price_min BIGINT,
    price_max BIGINT,
    contact TEXT,
    -- from the title, for URLs (not unique: URLs carry the id)
    slug TEXT NOT NULL,
    -- when a scheduled item is to be published
    publish_at BIGINT,
    -- first publication
    published_at BIGINT,
    submitted_at BIGINT,
    -- set when a reviewer returned it to its author; cleared on submission
    returned_at BIGINT,
    archived_at BIGINT,
    -- 'archive' by its publisher, 'unpublish' by the regency's moderation
    archive_kind TEXT CHECK (archive_kind IN ('archive', 'unpublish')),
    archive_reason TEXT,
    -- where an imported item came from, so a second import finds it
    import_source TEXT,
    import_id TEXT,
    quality_score BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- optimistic concurrency; every saved version has its revision row
    version BIGINT NOT NULL DEFAULT 1,
    CHECK ((import_source IS NULL) = (import_id IS NULL)),
    CHECK ((status = 'archived') = (archive_kind IS NOT NULL)),
    CHECK (status <> 'scheduled' OR publish_at IS NOT NULL)
);
CREATE UNIQUE INDEX content_import ON content (import_source, import_id);
CREATE INDEX content_published ON content (status, published_at, id);
CREATE INDEX content_org ON content (org_id, status, published_at, id);
CREATE INDEX content_kind ON content (kind, status, published_at, id);
CREATE INDEX content_author ON content (author_id, updated_at);
CREATE INDEX content_review ON content (status, submitted_at);

-- Where an item is shown. listed_at is the item's published_at while it is
-- published and NULL otherwise, so region pages read one index in order.
CREATE TABLE content_regions (
    content_id TEXT NOT NULL REFERENCES content (id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    listed_at BIGINT,
    PRIMARY KEY (content_id, region_code)
);
CREATE INDEX content_regions_listing ON content_regions (region_code, listed_at, content_id);

-- Every region an item reaches: each target and every region above it,
-- with the most specific target that put it there, so the page of a
-- regency lists what its districts and villages were sent in one index
-- scan. Derived from content_regions by the store; listed_at as there.
CREATE TABLE content_reach (
    content_id TEXT NOT NULL REFERENCES content (id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    target_code TEXT NOT NULL REFERENCES regions (code),
    listed_at BIGINT,
    PRIMARY KEY (content_id, region_code)
);
CREATE INDEX content_reach_listing ON content_reach (region_code, listed_at, content_id);

-- An item's topics; listed_at as in content_regions.
CREATE TABLE content_topics (
    content_id TEXT NOT NULL REFERENCES content (id) ON DELETE CASCADE,
    topic TEXT NOT NULL REFERENCES topics (slug),
    position BIGINT NOT NULL,
    listed_at BIGINT,
    PRIMARY KEY (content_id, topic)
);
CREATE INDEX content_topics_listing ON content_topics (topic, listed_at, content_id);

CREATE TABLE content_gallery (
    content_id TEXT NOT NULL REFERENCES content (id) ON DELETE CASCADE,
    media_id TEXT NOT NULL REFERENCES media (id),
    caption TEXT,
    position BIGINT NOT NULL,
    PRIMARY KEY (content_id, position)
);
CREATE INDEX content_gallery_media ON content_gallery (media_id);

-- Every saved version of the text, for the history and its diff view.
CREATE TABLE content_revisions (
    content_id TEXT NOT NULL REFERENCES content (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT,
    body TEXT NOT NULL,
    editor_id TEXT REFERENCES users (id),
    at BIGINT NOT NULL,
    PRIMARY KEY (content_id, version)
);

-- Reviewer comments and return-to-author notes.
CREATE TABLE content_comments (
    id TEXT PRIMARY KEY,
    content_id TEXT NOT NULL REFERENCES content (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('comment', 'return')),
    body TEXT NOT NULL,
    author_id TEXT REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX content_comments_item ON content_comments (content_id, at);

-- Corrections (ralat), shown publicly on the item with their date.
CREATE TABLE content_corrections (
    id TEXT PRIMARY KEY,
    content_id TEXT NOT NULL REFERENCES content (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    author_id TEXT REFERENCES users (id),
    at BIGINT NOT NULL
);
CREATE INDEX content_corrections_item ON content_corrections (content_id, at);
