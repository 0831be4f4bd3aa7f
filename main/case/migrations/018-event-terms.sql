-- Trailmark case file, schema 18: narrower event rows. The source, action, kind, actor type and user
-- agent of an event repeat the same few texts on row after row (in a 400k-line access-log case about
-- 45 bytes of 's3-access-log', 'REST.GET.OBJECT', 'download', 'anonymous' and 31 MB of user agents):
-- an event row now holds each as the id of its text in `terms`, written by the import as it stores the
-- rows (main/case/event-terms.ts). The actor, account, bucket and region repeat too, but the analysis
-- reads them on every row: coded, they saved 5 % of that case and cost 5 % of a summary rebuild.
-- The S3 host ID (23 MB there) is no longer stored: it is shown, where it is shown, as the event's raw
-- record gives it (main/case/timeline.ts).
-- The rows live in `event_rows`; the `events` view decodes them, so every reader sees the columns it
-- saw before under the same names. The table is renamed first, so that the references of the tables
-- that point at events (marked_events, duplicates, the download ledger) follow it to event_rows: a
-- foreign key cannot name a view.
-- A term is never changed or removed; one that an undone import added and no row uses is harmless
-- (verify compares every event's decoded columns with its raw record's, not the terms themselves).
CREATE TABLE terms (
  id   INTEGER PRIMARY KEY,
  text TEXT NOT NULL UNIQUE
);
CREATE TRIGGER terms_no_update BEFORE UPDATE ON terms BEGIN SELECT RAISE(ABORT, 'terms are evidence and cannot be changed'); END;
CREATE TRIGGER terms_no_delete BEFORE DELETE ON terms BEGIN SELECT RAISE(ABORT, 'terms are evidence and cannot be deleted'); END;

ALTER TABLE events RENAME TO event_rows;

INSERT OR IGNORE INTO terms (text) SELECT source FROM event_rows;
INSERT OR IGNORE INTO terms (text) SELECT kind FROM event_rows;
INSERT OR IGNORE INTO terms (text) SELECT actor_type FROM event_rows;
INSERT OR IGNORE INTO terms (text) SELECT action FROM event_rows;
INSERT OR IGNORE INTO terms (text) SELECT user_agent FROM event_rows WHERE user_agent IS NOT NULL;

-- The coded columns carry no foreign key (a lookup per column of every row written): verify decodes
-- every one and compares it with the raw record's, so a code without its term is found there.
CREATE TABLE event_rows_new (
  id            INTEGER PRIMARY KEY,
  time          INTEGER NOT NULL,
  nk            INTEGER NOT NULL,
  source        INTEGER NOT NULL,  -- terms.id
  action        INTEGER NOT NULL,  -- terms.id
  kind          INTEGER NOT NULL,  -- terms.id
  actor         TEXT,
  actor_type    INTEGER NOT NULL,  -- terms.id
  account_id    TEXT,
  access_key_id TEXT,
  source_ip     TEXT,
  user_agent    INTEGER,           -- terms.id
  bucket        TEXT,
  key           TEXT,
  status        INTEGER,
  error_code    TEXT,
  bytes_sent    INTEGER,
  object_size   INTEGER,
  request_id    TEXT,
  event_id      TEXT,
  region        TEXT,
  range         TEXT,
  evidence_id   INTEGER NOT NULL REFERENCES evidence (id),
  locator       INTEGER NOT NULL,
  raw_block     INTEGER NOT NULL REFERENCES raw_blocks (id),
  raw_at        INTEGER NOT NULL,  -- the record's bytes in its block: from raw_at, raw_len of them
  raw_len       INTEGER NOT NULL
);
INSERT INTO event_rows_new
  SELECT e.id, e.time, e.nk, (SELECT t.id FROM terms t WHERE t.text = e.source), (SELECT t.id FROM terms t WHERE t.text = e.action),
         (SELECT t.id FROM terms t WHERE t.text = e.kind), e.actor, (SELECT t.id FROM terms t WHERE t.text = e.actor_type),
         e.account_id, e.access_key_id, e.source_ip, (SELECT t.id FROM terms t WHERE t.text = e.user_agent), e.bucket, e.key,
         e.status, e.error_code, e.bytes_sent, e.object_size, e.request_id, e.event_id, e.region, e.range, e.evidence_id, e.locator,
         e.raw_block, e.raw_at, e.raw_len
  FROM event_rows e ORDER BY e.id;
-- The references renamed with the table name event_rows: the coded table takes that name.
DROP VIEW downloads;
DROP TABLE event_rows;
ALTER TABLE event_rows_new RENAME TO event_rows;
CREATE UNIQUE INDEX events_natural ON event_rows (time, nk);

CREATE TRIGGER events_no_update BEFORE UPDATE ON event_rows BEGIN SELECT RAISE(ABORT, 'events are evidence and cannot be changed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON event_rows
  WHEN (SELECT status FROM evidence WHERE id = OLD.evidence_id) = 'complete'
  BEGIN SELECT RAISE(ABORT, 'events are evidence and cannot be deleted'); END;

-- Each term is read by a lookup on its id where a reader reads the column (a subquery, not a join: the
-- view stays one table, so SQLite flattens it into every query, the right side of a LEFT JOIN too, and
-- plans on event_rows as it planned on events).
CREATE VIEW events AS
  SELECT e.id, e.time, e.nk,
         (SELECT t.text FROM terms t WHERE t.id = e.source) AS source,
         (SELECT t.text FROM terms t WHERE t.id = e.action) AS action,
         (SELECT t.text FROM terms t WHERE t.id = e.kind) AS kind,
         e.actor,
         (SELECT t.text FROM terms t WHERE t.id = e.actor_type) AS actor_type,
         e.account_id, e.access_key_id, e.source_ip,
         (SELECT t.text FROM terms t WHERE t.id = e.user_agent) AS user_agent,
         e.bucket, e.key, e.status, e.error_code, e.bytes_sent, e.object_size, e.request_id, e.event_id, e.region, e.range,
         e.evidence_id, e.locator, e.raw_block, e.raw_at, e.raw_len
  FROM event_rows e;

-- Migration 017's view, unchanged: renaming the events table had rewritten it to read the coded rows.
-- (Only recreated here; the ledger's own columns are migrations 016's and 017's business.)
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
