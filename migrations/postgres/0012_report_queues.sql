-- Officers' queues at a million reports: each page reads its 50 rows in
-- index order instead of sorting every case of the regency or agency.
--
-- The unsettled queue (by deadline) reads a partial index of unsettled
-- cases only; the query names the statuses as literals so that the planner
-- can use it. A queue of one status (newest first) reads the status's
-- cases by filing time.
CREATE INDEX reports_regency_unsettled ON reports (regency_code, due_at, id)
    WHERE status IN ('baru', 'terverifikasi', 'didisposisikan', 'ditindaklanjuti');
CREATE INDEX reports_assigned_unsettled ON reports (assigned_org_id, due_at, id)
    WHERE status IN ('baru', 'terverifikasi', 'didisposisikan', 'ditindaklanjuti');
CREATE INDEX reports_regency_status_created ON reports (regency_code, status, created_at, id);
CREATE INDEX reports_assigned_status_created ON reports (assigned_org_id, status, created_at, id);
