-- Organisations (Diskominfo offices, agencies, KIMs, bodies without
-- accounts), KIM details and rosters, and role grants within scopes.
CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('diskominfo', 'agency', 'kim', 'body')),
    -- set exactly for kind = 'body'
    body_kind TEXT CHECK (body_kind IN ('village_office', 'district_office', 'bumd', 'vertical_agency', 'state_company')),
    name TEXT NOT NULL,
    -- the province or regency an office or agency serves; the village a KIM serves
    region_code TEXT NOT NULL REFERENCES regions (code),
    -- the regency the region lies in (NULL at province level), for per-regency lists
    regency_code TEXT REFERENCES regions (code),
    -- comma-separated work categories of an agency
    categories TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    address TEXT,
    phone TEXT,
    email TEXT,
    website TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- optimistic concurrency: bumped on every update
    version BIGINT NOT NULL DEFAULT 1,
    CHECK ((kind = 'body') = (body_kind IS NOT NULL))
);
CREATE INDEX organisations_region ON organisations (region_code);
CREATE INDEX organisations_regency ON organisations (regency_code, kind, name);
CREATE INDEX organisations_kind ON organisations (kind, name);

CREATE TABLE kims (
    org_id TEXT PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('dibentuk', 'terdaftar', 'aktif', 'vakum')),
    sk_number TEXT,
    sk_issuer TEXT,
    -- dates as YYYY-MM-DD
    sk_date TEXT,
    sk_expires TEXT,
    kim_id_url TEXT,
    whatsapp TEXT,
    instagram TEXT,
    facebook TEXT,
    youtube TEXT,
    registered_by TEXT REFERENCES users (id),
    verified_at BIGINT,
    verified_by TEXT REFERENCES users (id),
    -- the sk_expires value an expiry alert was last sent for
    sk_alerted_for TEXT
);
CREATE INDEX kims_sk_expires ON kims (sk_expires);

-- A KIM's roster; members need not have accounts.
CREATE TABLE kim_members (
    id TEXT PRIMARY KEY,
    kim_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    position TEXT NOT NULL CHECK (position IN ('ketua', 'sekretaris', 'bendahara', 'seksi', 'anggota')),
    user_id TEXT REFERENCES users (id),
    phone TEXT,
    -- the member agreed to have the phone number shown publicly
    phone_public_consent_at BIGINT,
    joined_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX kim_members_kim ON kim_members (kim_id);
CREATE INDEX kim_members_user ON kim_members (user_id);
-- One ketua, one sekretaris and one bendahara at a time; seksi and anggota are many.
CREATE UNIQUE INDEX kim_members_single_post ON kim_members (kim_id, position)
    WHERE removed_at IS NULL AND position IN ('ketua', 'sekretaris', 'bendahara');
-- An account is on a KIM's roster at most once.
CREATE UNIQUE INDEX kim_members_account ON kim_members (kim_id, user_id)
    WHERE removed_at IS NULL AND user_id IS NOT NULL;

-- A role held by an account within a region or an organisation.
CREATE TABLE role_grants (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('province_admin', 'regency_officer', 'agency_officer', 'kim_manager',
                                       'kim_contributor', 'fact_checker')),
    scope_region TEXT REFERENCES regions (code),
    scope_org TEXT REFERENCES organisations (id),
    granted_by TEXT REFERENCES users (id),
    granted_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_by TEXT REFERENCES users (id),
    CHECK ((scope_region IS NULL) <> (scope_org IS NULL))
);
CREATE UNIQUE INDEX role_grants_active ON role_grants (user_id, role, COALESCE(scope_region, ''), COALESCE(scope_org, ''))
    WHERE revoked_at IS NULL;
CREATE INDEX role_grants_user ON role_grants (user_id);
CREATE INDEX role_grants_org ON role_grants (scope_org);
CREATE INDEX role_grants_region ON role_grants (scope_region, role);
