-- The outbox: every message to a person, written in the same transaction
-- as what it tells about and delivered by the job worker (one
-- `outbox.deliver` job per message: leases, retries with backoff). E-mail
-- today; the channel column is where WhatsApp, Telegram, web push and SMS
-- join, each with its adapter, through the same rows.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('email')),
    -- the address on the channel; blanked once the message is settled
    recipient TEXT NOT NULL,
    -- the message's name in the translation catalog (mail-<template>-subject, -body)
    template TEXT NOT NULL,
    locale TEXT NOT NULL,
    -- JSON object of the template's arguments; blanked once settled
    args TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    -- what it is about, e.g. report:<id>, for officers' and tests' reads
    subject_ref TEXT,
    created_at BIGINT NOT NULL,
    settled_at BIGINT
);
CREATE INDEX outbox_subject ON outbox (subject_ref, created_at);
CREATE INDEX outbox_status ON outbox (status, created_at);
