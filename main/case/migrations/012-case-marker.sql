-- Trailmark case file, schema 12: the file says it is a Trailmark case.
-- application_id sits in the SQLite header (offset 68), where `file` and other tools read it; the
-- value is 'TRMK' in ASCII. Cases written before this migration are recognised by their schema
-- (db.ts isTrailmarkCase) and stamped here when they are first opened for writing.
PRAGMA application_id = 1414679883;
INSERT INTO case_meta (key, value) VALUES ('format', 'trailmark-case')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
