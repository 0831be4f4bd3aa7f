-- Trailmark case file, schema 1.
-- Times are UTC epoch milliseconds unless a column says otherwise (ISO text for human-facing timestamps).

CREATE TABLE case_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per acquired source. Recognised again by its SHA-256, so re-import adds nothing.
CREATE TABLE evidence (
  id          INTEGER PRIMARY KEY,
  path        TEXT NOT NULL,              -- original path, s3:// URI, or API call
  origin      TEXT NOT NULL,              -- JSON: {"type":"file"} or the API call and its parameters
  sha256      TEXT NOT NULL,
  size        INTEGER NOT NULL,
  format      TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('importing', 'complete')),
  acquired_at TEXT NOT NULL,
  examiner    TEXT,
  records     INTEGER NOT NULL DEFAULT 0, -- lines or records read
  events      INTEGER NOT NULL DEFAULT 0, -- events stored from this file
  duplicates  INTEGER NOT NULL DEFAULT 0, -- records already in the case from other evidence
  rejected    INTEGER NOT NULL DEFAULT 0,
  rows_digest TEXT,                       -- SHA-256 over (locator, raw) of the events stored, for verify
  first_event INTEGER,                    -- events of one file are contiguous from here (undo, verify)
  meta        TEXT                        -- JSON: format-specific facts (digest fields, S3 object metadata)
);
CREATE UNIQUE INDEX evidence_sha256 ON evidence (sha256);

-- One row per observation; raw is the record exactly as it stood in the evidence.
-- (time, nk) is the natural key: nk is a 32-bit hash of the source's identity of the record
-- (CloudTrail eventID; an S3 access-log record's full text), probed on the rare collision.
-- Ordered by time, so it is also the time index.
CREATE TABLE events (
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
  raw           TEXT NOT NULL
);
CREATE UNIQUE INDEX events_natural ON events (time, nk);
-- The few configuration events (ACLs, policies, logging) that analysis scans in full.
CREATE INDEX events_config ON events (kind, time) WHERE kind NOT IN ('download', 'list', 'head', 'other', 'upload', 'delete');

-- One row per successful object read, merged across sources by request.
CREATE TABLE downloads (
  id           INTEGER PRIMARY KEY,
  request_key  TEXT NOT NULL,             -- requestID|bucket|key, or event:<id> where no request ID was logged
  time         INTEGER NOT NULL,
  actor        TEXT NOT NULL,
  source_ip    TEXT,
  user_agent   TEXT,
  bucket       TEXT NOT NULL,
  key          TEXT NOT NULL,
  bytes_sent   INTEGER,
  object_size  INTEGER,
  status       INTEGER,
  range        TEXT,
  request_id   TEXT,
  sources      INTEGER NOT NULL,          -- bit 1: s3-access-log, bit 2: cloudtrail
  s3_event_id  INTEGER REFERENCES events (id),
  ct_event_id  INTEGER REFERENCES events (id),
  observations INTEGER NOT NULL DEFAULT 1,
  complete     INTEGER GENERATED ALWAYS AS (
    CASE WHEN status = 206 THEN 0
         WHEN bytes_sent IS NULL OR object_size IS NULL THEN NULL
         WHEN bytes_sent >= object_size THEN 1 ELSE 0 END) VIRTUAL
);
CREATE UNIQUE INDEX downloads_request ON downloads (request_key);
CREATE INDEX downloads_time ON downloads (time, id);
CREATE INDEX downloads_actor ON downloads (actor, time, id);
CREATE INDEX downloads_object ON downloads (bucket, key, time, id);

-- Records of an evidence file that were already in the case from other evidence (same CloudTrail
-- eventID, same S3 request): not stored twice, but every record of every file stays accounted for.
CREATE TABLE duplicates (
  evidence_id INTEGER NOT NULL REFERENCES evidence (id),
  locator     INTEGER NOT NULL,
  event_id    INTEGER NOT NULL REFERENCES events (id),
  PRIMARY KEY (evidence_id, locator)
) WITHOUT ROWID;

CREATE TABLE rejects (
  id          INTEGER PRIMARY KEY,
  evidence_id INTEGER NOT NULL REFERENCES evidence (id),
  locator     INTEGER NOT NULL,
  reason      TEXT NOT NULL,
  text        TEXT NOT NULL
);
CREATE INDEX rejects_evidence ON rejects (evidence_id, locator);

-- Investigator annotations. target is an event or download id, an actor, or bucket/key.
CREATE TABLE notes (
  id                INTEGER PRIMARY KEY,
  target_type       TEXT NOT NULL CHECK (target_type IN ('event', 'download', 'actor', 'object')),
  target            TEXT NOT NULL,
  text              TEXT NOT NULL,
  include_in_report INTEGER NOT NULL DEFAULT 0,
  examiner          TEXT,
  created_at        TEXT NOT NULL
);
CREATE INDEX notes_target ON notes (target_type, target);

CREATE TABLE tags (
  target_type TEXT NOT NULL CHECK (target_type IN ('event', 'download', 'actor', 'object')),
  target      TEXT NOT NULL,
  tag         TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (target_type, target, tag)
) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags (tag);

-- Append-only log of what was done to the case; each entry carries the hash of the one before.
CREATE TABLE custody (
  seq       INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  examiner  TEXT,
  action    TEXT NOT NULL,
  details   TEXT NOT NULL,  -- JSON
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);

-- Evidence and what was read from it cannot be changed through any client of this file.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are evidence and cannot be changed'); END;
-- Only what an unfinished import wrote can be removed: that is how a failed or interrupted import is undone.
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  WHEN (SELECT status FROM evidence WHERE id = OLD.evidence_id) = 'complete'
  BEGIN SELECT RAISE(ABORT, 'events are evidence and cannot be deleted'); END;
CREATE TRIGGER rejects_no_update BEFORE UPDATE ON rejects BEGIN SELECT RAISE(ABORT, 'rejects are evidence and cannot be changed'); END;
CREATE TRIGGER rejects_no_delete BEFORE DELETE ON rejects
  WHEN (SELECT status FROM evidence WHERE id = OLD.evidence_id) = 'complete'
  BEGIN SELECT RAISE(ABORT, 'rejects are evidence and cannot be deleted'); END;
CREATE TRIGGER duplicates_no_change BEFORE UPDATE ON duplicates BEGIN SELECT RAISE(ABORT, 'duplicates are evidence and cannot be changed'); END;
CREATE TRIGGER duplicates_no_delete BEFORE DELETE ON duplicates
  WHEN (SELECT status FROM evidence WHERE id = OLD.evidence_id) = 'complete'
  BEGIN SELECT RAISE(ABORT, 'duplicates are evidence and cannot be deleted'); END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence WHEN OLD.status = 'complete'
  BEGIN SELECT RAISE(ABORT, 'evidence rows cannot be deleted'); END;
CREATE TRIGGER evidence_frozen BEFORE UPDATE ON evidence WHEN OLD.status = 'complete'
  BEGIN SELECT RAISE(ABORT, 'a completed evidence row cannot be changed'); END;
CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
