-- A case handed to SP4N-LAPOR!: the tracking number LAPOR! gave it, as the
-- officer who filed it there typed it (there is no integration to pretend).
ALTER TABLE reports ADD COLUMN lapor_tracking TEXT;
