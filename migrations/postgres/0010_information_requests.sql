-- Information requests (UU 14/2008): the answer deadline moved once by 7
-- working days (answer_extended, already present), and the requester's
-- objection (keberatan) to the answer or to its absence, answered within
-- 30 working days by the PPID's superior.
ALTER TABLE reports ADD COLUMN objection_at BIGINT;
ALTER TABLE reports ADD COLUMN objection_due_at BIGINT;
