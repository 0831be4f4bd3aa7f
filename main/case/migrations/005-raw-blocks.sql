-- Trailmark case file, schema 5: raw records are kept in blocks, a few dozen consecutive records of
-- one file each, and an event points at its record's bytes in a block. A raw record bound and stored
-- with every event row made the rows 0.5–2 KB (most of a row's cost to write, and of every scan of
-- events); one blob per block of records costs a fraction, and reading one record back reads one block.
CREATE TABLE raw_blocks (
  id          INTEGER PRIMARY KEY,
  evidence_id INTEGER NOT NULL REFERENCES evidence (id),
  bytes       BLOB NOT NULL      -- UTF-8 text: the records one after another, a newline between two
);
CREATE INDEX raw_blocks_evidence ON raw_blocks (evidence_id);

-- An earlier case's records: a block each, numbered as their events.
INSERT INTO raw_blocks (id, evidence_id, bytes) SELECT id, evidence_id, CAST(raw AS BLOB) FROM events;

CREATE TABLE events_new (
  id            INTEGER PRIMARY KEY,
  time          INTEGER NOT NULL,
  nk            INTEGER NOT NULL,
  source        TEXT NOT NULL,
  action        TEXT NOT NULL,
  kind          TEXT NOT NULL,
  actor         TEXT,
  actor_type    TEXT NOT NULL,
  account_id    TEXT,
  access_key_id TEXT,
  source_ip     TEXT,
  user_agent    TEXT,
  bucket        TEXT,
  key           TEXT,
  status        INTEGER,
  error_code    TEXT,
  bytes_sent    INTEGER,
  object_size   INTEGER,
  request_id    TEXT,
  host_id       TEXT,
  event_id      TEXT,
  region        TEXT,
  range         TEXT,
  evidence_id   INTEGER NOT NULL REFERENCES evidence (id),
  locator       INTEGER NOT NULL,
  raw_block     INTEGER NOT NULL REFERENCES raw_blocks (id),
  raw_at        INTEGER NOT NULL,  -- the record's bytes in its block: from raw_at, raw_len of them
  raw_len       INTEGER NOT NULL
);
INSERT INTO events_new
  SELECT id, time, nk, source, action, kind, actor, actor_type, account_id, access_key_id, source_ip, user_agent, bucket, key,
         status, error_code, bytes_sent, object_size, request_id, host_id, event_id, region, range, evidence_id, locator,
         id, 0, length(CAST(raw AS BLOB))
  FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE UNIQUE INDEX events_natural ON events (time, nk);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are evidence and cannot be changed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  WHEN (SELECT status FROM evidence WHERE id = OLD.evidence_id) = 'complete'
  BEGIN SELECT RAISE(ABORT, 'events are evidence and cannot be deleted'); END;
CREATE TRIGGER raw_blocks_no_update BEFORE UPDATE ON raw_blocks BEGIN SELECT RAISE(ABORT, 'raw records are evidence and cannot be changed'); END;
CREATE TRIGGER raw_blocks_no_delete BEFORE DELETE ON raw_blocks
  WHEN (SELECT status FROM evidence WHERE id = OLD.evidence_id) = 'complete'
  BEGIN SELECT RAISE(ABORT, 'raw records are evidence and cannot be deleted'); END;
