-- Trailmark case file, schema 3: CloudTrail log file integrity validation runs and their results.
-- Each run is kept as it was found (a later run with more keys or files is a new run, not an edit),
-- so the case shows what was established when. Written by main/case/integrity.ts.

CREATE TABLE integrity_runs (
  id              INTEGER PRIMARY KEY,
  at              TEXT NOT NULL,           -- ISO UTC
  examiner        TEXT,
  keys_source     TEXT,                    -- the ListPublicKeys file used, or NULL
  verdict         TEXT NOT NULL CHECK (verdict IN ('verified', 'failed', 'incomplete')),
  summary         TEXT NOT NULL,           -- JSON IntegritySummary
  coverage        TEXT NOT NULL,           -- JSON CoverageHour[]
  missing_digests TEXT NOT NULL,           -- JSON MissingDigest[]
  problems        TEXT NOT NULL,           -- JSON string[]: discrepancies
  limits          TEXT NOT NULL            -- JSON string[]: what could not be checked
);

CREATE TABLE integrity_digests (
  run_id           INTEGER NOT NULL REFERENCES integrity_runs (id),
  seq              INTEGER NOT NULL,       -- order in the report (by trail, then time)
  evidence_id      INTEGER REFERENCES evidence (id),
  ref              TEXT NOT NULL,
  s3_path          TEXT NOT NULL,
  account_id       TEXT NOT NULL,
  start_time       TEXT NOT NULL,
  end_time         TEXT NOT NULL,
  log_files        INTEGER NOT NULL,
  signature        TEXT NOT NULL CHECK (signature IN ('valid', 'invalid', 'unknown')),
  signature_source TEXT CHECK (signature_source IN ('metadata', 'next-digest')),
  key_fingerprint  TEXT NOT NULL,
  chain            TEXT NOT NULL CHECK (chain IN ('start', 'linked', 'first-in-case', 'break')),
  problems         TEXT NOT NULL,          -- JSON string[]
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;

CREATE TABLE integrity_files (
  run_id          INTEGER NOT NULL REFERENCES integrity_runs (id),
  seq             INTEGER NOT NULL,
  evidence_id     INTEGER REFERENCES evidence (id),  -- NULL for files the case lacks
  ref             TEXT NOT NULL,
  s3_path         TEXT,
  status          TEXT NOT NULL CHECK (status IN ('valid', 'modified', 'missing', 'not-covered', 'no-digest', 'unverified', 'unchecked')),
  digest          TEXT,
  expected_sha256 TEXT,
  actual_sha256   TEXT,
  reason          TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
-- The evidence view asks "what did the latest run say about this file".
CREATE INDEX integrity_files_evidence ON integrity_files (evidence_id, run_id) WHERE evidence_id IS NOT NULL;

CREATE TRIGGER integrity_runs_no_update BEFORE UPDATE ON integrity_runs BEGIN SELECT RAISE(ABORT, 'integrity results are kept as found'); END;
CREATE TRIGGER integrity_runs_no_delete BEFORE DELETE ON integrity_runs BEGIN SELECT RAISE(ABORT, 'integrity results are kept as found'); END;
CREATE TRIGGER integrity_digests_no_update BEFORE UPDATE ON integrity_digests BEGIN SELECT RAISE(ABORT, 'integrity results are kept as found'); END;
CREATE TRIGGER integrity_digests_no_delete BEFORE DELETE ON integrity_digests BEGIN SELECT RAISE(ABORT, 'integrity results are kept as found'); END;
CREATE TRIGGER integrity_files_no_update BEFORE UPDATE ON integrity_files BEGIN SELECT RAISE(ABORT, 'integrity results are kept as found'); END;
CREATE TRIGGER integrity_files_no_delete BEFORE DELETE ON integrity_files BEGIN SELECT RAISE(ABORT, 'integrity results are kept as found'); END;
