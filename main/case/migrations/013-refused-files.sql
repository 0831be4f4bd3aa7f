-- Trailmark case file, schema 13: files offered to an import and not taken — not a recognised format,
-- unreadable, empty, or failed — so that the case can say later what was handed over and refused, and
-- why. Kept as found, like evidence: a file refused again is a new row. Written by main/case/refused.ts.
-- No excerpt of the file is kept (an unrecognised file may be anything, ~/.aws/credentials included):
-- its SHA-256, when it could be read, identifies it.
CREATE TABLE refused_files (
  id       INTEGER PRIMARY KEY,
  path     TEXT NOT NULL,             -- as offered (absolute)
  size     INTEGER,                   -- bytes, NULL when it could not be read
  sha256   TEXT,                      -- of the bytes as stored, NULL when they could not be read
  status   TEXT NOT NULL CHECK (status IN ('refused', 'failed')),
  reason   TEXT NOT NULL,
  examiner TEXT,
  at       TEXT NOT NULL              -- ISO UTC
);

CREATE TRIGGER refused_files_no_update BEFORE UPDATE ON refused_files BEGIN SELECT RAISE(ABORT, 'refused files are kept as found'); END;
CREATE TRIGGER refused_files_no_delete BEFORE DELETE ON refused_files BEGIN SELECT RAISE(ABORT, 'refused files are kept as found'); END;
