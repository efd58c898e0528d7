-- After the answer: the reporter's key (acting on a report without an
-- account: rating, reopening), when and whether on time it was answered,
-- the rating, when the case closed, and how far it was escalated.
ALTER TABLE report_reporters ADD COLUMN reporter_key TEXT;
ALTER TABLE reports ADD COLUMN answered_at BIGINT;
-- 1 when the answer came after the follow-up deadline
ALTER TABLE reports ADD COLUMN answered_late BIGINT NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN rating BIGINT CHECK (rating BETWEEN 1 AND 5);
ALTER TABLE reports ADD COLUMN rating_comment TEXT;
-- set when the response window after an answer passed (or the reporter rated it)
ALTER TABLE reports ADD COLUMN closed_at BIGINT;
-- 0 none, 1 the regency's Diskominfo told (a deadline passed), 2 the province told (60 days, UU 25/2009)
ALTER TABLE reports ADD COLUMN escalation BIGINT NOT NULL DEFAULT 0;
CREATE INDEX reports_due ON reports (status, due_at);
CREATE INDEX reports_settle_by ON reports (settle_by);
CREATE INDEX reports_assigned_answered ON reports (assigned_org_id, answered_at);
