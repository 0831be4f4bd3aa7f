-- Trailmark case file, schema 16: the download ledger references events instead of copying them.
-- A download row held the request key as text, the user agent, sizes, status, range and request ID —
-- each already in the events it was derived from (81 MB of rows and 21 MB of request index in a
-- 400k-line access-log case of 351 MB). download_ledger keeps what merging decides and what the
-- timeline's indexes need: the time (earliest), the actor (an ARN where a source names one), the
-- source address, the object, which sources saw it and their first events. The `downloads` view
-- reads everything else from those events, the access log's first where both logged a field (the
-- server's own record; it knows sizes and status, CloudTrail's data events do not), so every reader
-- sees the columns it saw before. rk names the request: a 53-bit hash of its key, probed onward on a
-- collision (main/case/request-hash.ts); its unique index is built by the next derivation, which
-- sorts out colliding keys (the rows are copied here without it, marked downloads_bulk_pending).
CREATE TABLE download_ledger (
  id           INTEGER PRIMARY KEY,
  rk           INTEGER NOT NULL,          -- hash of the request key, probed onward on a collision
  time         INTEGER NOT NULL,          -- the earliest observation
  actor        TEXT NOT NULL,             -- an ARN where any source names one, else the first seen
  source_ip    TEXT,
  bucket       TEXT NOT NULL,
  key          TEXT NOT NULL,
  sources      INTEGER NOT NULL,          -- bit 1: s3-access-log, bit 2: cloudtrail
  s3_event_id  INTEGER REFERENCES events (id),
  ct_event_id  INTEGER REFERENCES events (id),
  observations INTEGER NOT NULL DEFAULT 1
);

INSERT INTO download_ledger (id, rk, time, actor, source_ip, bucket, key, sources, s3_event_id, ct_event_id, observations)
  SELECT d.id, tm_request_hash(coalesce(s.request_id, c.request_id), d.bucket, d.key, coalesce(d.s3_event_id, d.ct_event_id)),
         d.time, d.actor, d.source_ip, d.bucket, d.key, d.sources, d.s3_event_id, d.ct_event_id, d.observations
  FROM downloads d LEFT JOIN events s ON s.id = d.s3_event_id LEFT JOIN events c ON c.id = d.ct_event_id;
DROP TABLE downloads;

-- A download seen by both sources read a field of whichever was derived first; it now reads the access
-- log's. Where such downloads exist, the summaries are emptied to be folded again from the view by the
-- next analysis update (as main/case/analysis-update.ts rebuildAnalysis does), so that they and a
-- re-derivation agree.
CREATE TEMP TABLE m016_refold AS SELECT EXISTS (SELECT 1 FROM download_ledger WHERE sources = 3) AS yes;
DELETE FROM listings WHERE evidence_id IS NOT NULL AND (SELECT yes FROM m016_refold);
DELETE FROM analysis_progress WHERE (SELECT yes FROM m016_refold);
DELETE FROM actor_stats WHERE (SELECT yes FROM m016_refold);
DELETE FROM actor_agents WHERE (SELECT yes FROM m016_refold);
DELETE FROM object_stats WHERE (SELECT yes FROM m016_refold);
DELETE FROM actor_objects WHERE (SELECT yes FROM m016_refold);
DELETE FROM source_hours WHERE (SELECT yes FROM m016_refold);
DELETE FROM download_hours WHERE (SELECT yes FROM m016_refold);
DELETE FROM backup_downloads WHERE (SELECT yes FROM m016_refold);
DROP TABLE m016_refold;
-- Also in a new, empty case: the next derivation (opening a case runs one) builds the request index.
INSERT INTO case_meta (key, value) VALUES ('downloads_bulk_pending', '1')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;

CREATE INDEX downloads_time ON download_ledger (time, id);
CREATE INDEX downloads_actor ON download_ledger (actor, time, id);
CREATE INDEX downloads_object ON download_ledger (bucket, key, time, id);
CREATE INDEX downloads_source_ip ON download_ledger (source_ip, time, id);

-- The ledger is named `downloads` inside the view, so that query plans read as they did.
CREATE VIEW downloads AS
  SELECT downloads.id,
         CASE WHEN coalesce(s.request_id, c.request_id) IS NULL THEN 'event:' || coalesce(downloads.s3_event_id, downloads.ct_event_id)
              ELSE coalesce(s.request_id, c.request_id) || '|' || downloads.bucket || '|' || downloads.key END AS request_key,
         downloads.time, downloads.actor, downloads.source_ip, coalesce(s.user_agent, c.user_agent) AS user_agent, downloads.bucket, downloads.key,
         coalesce(s.bytes_sent, c.bytes_sent) AS bytes_sent, coalesce(s.object_size, c.object_size) AS object_size,
         coalesce(s.status, c.status) AS status, coalesce(s.range, c.range) AS range, coalesce(s.request_id, c.request_id) AS request_id,
         downloads.sources, downloads.s3_event_id, downloads.ct_event_id, downloads.observations,
         CASE WHEN coalesce(s.status, c.status) = 206 THEN 0
              WHEN coalesce(s.bytes_sent, c.bytes_sent) IS NULL OR coalesce(s.object_size, c.object_size) IS NULL THEN NULL
              WHEN coalesce(s.bytes_sent, c.bytes_sent) >= coalesce(s.object_size, c.object_size) THEN 1 ELSE 0 END AS complete
  FROM download_ledger downloads LEFT JOIN events s ON s.id = downloads.s3_event_id LEFT JOIN events c ON c.id = downloads.ct_event_id;
