-- Trailmark case file, schema 17: the download ledger names its actor and its object by integer ids.
-- The ledger held the actor's ARN and the object's bucket and key as text on every row, and its actor
-- and object indexes held them again (a 400k-line access-log case: a few thousand objects and actors
-- repeated 400k times, three times over). Two small dictionaries hold each distinct value once:
-- ledger_actors the actors, ledger_objects the objects, each value of every download event derived
-- (also one whose download was merged into another source's row: a dictionary is a function of the
-- derived events, so a rebuild from raw holds the same values; verify compares them by value, their
-- ids being surrogates). The `downloads` view decodes the ids: readers see the columns they saw before.
-- Existing downloads keep their ids (notes and tags name them).
CREATE TABLE ledger_actors (
  id    INTEGER PRIMARY KEY,
  actor TEXT NOT NULL UNIQUE
);
CREATE TABLE ledger_objects (
  id     INTEGER PRIMARY KEY,
  bucket TEXT NOT NULL,
  key    TEXT NOT NULL,
  UNIQUE (bucket, key)
);

CREATE TEMP TABLE m017_through AS
  SELECT coalesce((SELECT CAST(value AS INTEGER) FROM case_meta WHERE key = 'downloads_derived_through'), 0) AS n;
-- The ledger's own values too (each came from such an event; a union never leaves a row undecodable).
INSERT INTO ledger_actors (actor)
  SELECT actor FROM (
    SELECT coalesce(actor, 'unknown') AS actor, id FROM events WHERE kind = 'download' AND id <= (SELECT n FROM m017_through)
    UNION ALL SELECT actor, NULL FROM download_ledger)
  GROUP BY actor ORDER BY min(id);
INSERT INTO ledger_objects (bucket, key)
  SELECT bucket, key FROM (
    SELECT coalesce(bucket, '') AS bucket, coalesce(key, '') AS key, id FROM events WHERE kind = 'download' AND id <= (SELECT n FROM m017_through)
    UNION ALL SELECT bucket, key, NULL FROM download_ledger)
  GROUP BY bucket, key ORDER BY min(id);
DROP TABLE m017_through;

-- Migration 016's view reads the old table's columns: both go, the view comes back decoding the ids.
DROP VIEW downloads;
CREATE TABLE download_ledger_017 (
  id           INTEGER PRIMARY KEY,
  rk           INTEGER NOT NULL,          -- hash of the request key, probed onward on a collision
  time         INTEGER NOT NULL,          -- the earliest observation
  actor_id     INTEGER NOT NULL REFERENCES ledger_actors (id), -- an ARN where any source names one, else the first seen
  source_ip    TEXT,
  object_id    INTEGER NOT NULL REFERENCES ledger_objects (id),
  sources      INTEGER NOT NULL,          -- bit 1: s3-access-log, bit 2: cloudtrail
  s3_event_id  INTEGER REFERENCES events (id),
  ct_event_id  INTEGER REFERENCES events (id),
  observations INTEGER NOT NULL DEFAULT 1
);
INSERT INTO download_ledger_017 (id, rk, time, actor_id, source_ip, object_id, sources, s3_event_id, ct_event_id, observations)
  SELECT d.id, d.rk, d.time, a.id, d.source_ip, o.id, d.sources, d.s3_event_id, d.ct_event_id, d.observations
  FROM download_ledger d JOIN ledger_actors a ON a.actor = d.actor JOIN ledger_objects o ON o.bucket = d.bucket AND o.key = d.key;
DROP TABLE download_ledger;
ALTER TABLE download_ledger_017 RENAME TO download_ledger;

CREATE INDEX downloads_time ON download_ledger (time, id);
CREATE INDEX downloads_actor ON download_ledger (actor_id, time, id);
CREATE INDEX downloads_object ON download_ledger (object_id, time, id);
CREATE INDEX downloads_source_ip ON download_ledger (source_ip, time, id);
-- The request index is built by the next derivation (opening a case runs one), as after migration 016.
INSERT INTO case_meta (key, value) VALUES ('downloads_bulk_pending', '1')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- Migration 016's view with the ledger's ids decoded (only the actor, bucket and key changed; the
-- narrower-events migration recreates it too: keep the two edits apart when combining them).
CREATE VIEW downloads AS
  SELECT downloads.id,
         CASE WHEN coalesce(s.request_id, c.request_id) IS NULL THEN 'event:' || coalesce(downloads.s3_event_id, downloads.ct_event_id)
              ELSE coalesce(s.request_id, c.request_id) || '|' || o.bucket || '|' || o.key END AS request_key,
         downloads.time, a.actor, downloads.source_ip, coalesce(s.user_agent, c.user_agent) AS user_agent, o.bucket, o.key,
         coalesce(s.bytes_sent, c.bytes_sent) AS bytes_sent, coalesce(s.object_size, c.object_size) AS object_size,
         coalesce(s.status, c.status) AS status, coalesce(s.range, c.range) AS range, coalesce(s.request_id, c.request_id) AS request_id,
         downloads.sources, downloads.s3_event_id, downloads.ct_event_id, downloads.observations,
         CASE WHEN coalesce(s.status, c.status) = 206 THEN 0
              WHEN coalesce(s.bytes_sent, c.bytes_sent) IS NULL OR coalesce(s.object_size, c.object_size) IS NULL THEN NULL
              WHEN coalesce(s.bytes_sent, c.bytes_sent) >= coalesce(s.object_size, c.object_size) THEN 1 ELSE 0 END AS complete
  FROM download_ledger downloads JOIN ledger_actors a ON a.id = downloads.actor_id JOIN ledger_objects o ON o.id = downloads.object_id
       LEFT JOIN events s ON s.id = downloads.s3_event_id LEFT JOIN events c ON c.id = downloads.ct_event_id;
