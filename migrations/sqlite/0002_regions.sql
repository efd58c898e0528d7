-- Kemendagri regions, loaded from the data embedded in the binary.
CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES regions (code),
    level TEXT NOT NULL CHECK (level IN ('province', 'regency', 'district', 'village')),
    name TEXT NOT NULL,
    -- lower-cased name, for case-insensitive search on both engines
    search_name TEXT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code, name);

-- Which data set the regions came from (one row).
CREATE TABLE region_data (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    source TEXT NOT NULL,
    version TEXT NOT NULL,
    region_count BIGINT NOT NULL,
    imported_at BIGINT NOT NULL
);
