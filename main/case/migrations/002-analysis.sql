-- Trailmark case file, schema 2: leak-analysis summaries and bucket listings.
-- The summaries are derived data, kept up to date incrementally by main/case/analysis-update.ts as
-- imports add downloads and events (never by scanning every row per query), and rebuilt from the
-- evidence tables at will. Nothing here is evidence; it may be dropped and rebuilt.

-- How far the summaries have read: the highest downloads.id and events.id folded in.
CREATE TABLE analysis_progress (
  name     TEXT PRIMARY KEY,
  value    INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per actor: a principal, or `anonymous@<ip>` since anonymous requests from different IPs are different people.
-- Actors and objects carry small integer ids so the actor/object pair table stays compact at millions of pairs.
CREATE TABLE actor_stats (
  aid           INTEGER PRIMARY KEY,
  actor_key     TEXT NOT NULL UNIQUE,
  actor         TEXT NOT NULL,
  source_ip     TEXT,
  access_key_id TEXT,                      -- last access key seen, for identity resolution
  first_seen    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL,
  downloads     INTEGER NOT NULL DEFAULT 0,
  bytes         INTEGER NOT NULL DEFAULT 0,
  objects       INTEGER NOT NULL DEFAULT 0,
  whole_copies  INTEGER NOT NULL DEFAULT 0,
  assembled     INTEGER NOT NULL DEFAULT 0,
  backup_objects INTEGER NOT NULL DEFAULT 0,
  in_exposure   INTEGER NOT NULL DEFAULT 0   -- downloads inside an exposure window of their bucket
);
CREATE INDEX actor_stats_bytes ON actor_stats (bytes DESC, actor_key);

CREATE TABLE actor_agents (
  aid        INTEGER NOT NULL,
  user_agent TEXT NOT NULL,
  PRIMARY KEY (aid, user_agent)
) WITHOUT ROWID;

CREATE TABLE object_stats (
  oid            INTEGER PRIMARY KEY,
  bucket         TEXT NOT NULL,
  key            TEXT NOT NULL,
  size           INTEGER,
  downloads      INTEGER NOT NULL DEFAULT 0,
  actors         INTEGER NOT NULL DEFAULT 0,
  bytes_out      INTEGER NOT NULL DEFAULT 0,
  whole_copies   INTEGER NOT NULL DEFAULT 0,
  assembled      INTEGER NOT NULL DEFAULT 0,
  first_download INTEGER,
  last_download  INTEGER,
  is_backup      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (bucket, key)
);
CREATE INDEX object_stats_bytes ON object_stats (bytes_out DESC, bucket, key);

-- Per actor and object: the reads folded into copies (merged byte intervals still short of a copy).
CREATE TABLE actor_objects (
  aid       INTEGER NOT NULL,
  oid       INTEGER NOT NULL,
  downloads INTEGER NOT NULL DEFAULT 0,
  bytes     INTEGER NOT NULL DEFAULT 0,
  whole     INTEGER NOT NULL DEFAULT 0,
  assembled INTEGER NOT NULL DEFAULT 0,
  intervals TEXT,                          -- JSON [[start, end], …]; null when none are pending
  PRIMARY KEY (aid, oid)
) WITHOUT ROWID;

-- Hours (UTC, epoch ms / 3600000) in which each source logged object-level activity per bucket.
CREATE TABLE source_hours (
  bucket TEXT NOT NULL,
  source TEXT NOT NULL,                    -- s3-access-log | cloudtrail-data | cloudtrail-management
  hour   INTEGER NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (bucket, source, hour)
) WITHOUT ROWID;

-- Downloads per bucket and hour, for the histogram and the anonymous first/last per bucket.
CREATE TABLE download_hours (
  bucket           TEXT NOT NULL,
  hour             INTEGER NOT NULL,
  downloads        INTEGER NOT NULL DEFAULT 0,
  bytes            INTEGER NOT NULL DEFAULT 0,
  backup_downloads INTEGER NOT NULL DEFAULT 0,
  anonymous        INTEGER NOT NULL DEFAULT 0,
  first_anonymous  INTEGER,
  last_anonymous   INTEGER,
  PRIMARY KEY (bucket, hour)
) WITHOUT ROWID;

-- The downloads of backup files, in timeline order: the backups-only timeline walks this, not all downloads.
CREATE TABLE backup_downloads (
  time INTEGER NOT NULL,
  id   INTEGER NOT NULL,
  PRIMARY KEY (time, id)
) WITHOUT ROWID;

-- Bucket listings (S3 Inventory, list-objects-v2, list-object-versions): what existed, taken or not.
CREATE TABLE listings (
  id            INTEGER PRIMARY KEY,
  evidence_id   INTEGER REFERENCES evidence (id),
  bucket        TEXT NOT NULL,
  key           TEXT NOT NULL,
  version_id    TEXT,
  is_latest     INTEGER,
  delete_marker INTEGER NOT NULL DEFAULT 0,
  size          INTEGER,
  last_modified INTEGER
);
CREATE INDEX listings_object ON listings (bucket, key);

-- STS and sign-in events, read for identity resolution without scanning every event.
CREATE INDEX events_identity ON events (action, time)
  WHERE action IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetFederationToken', 'ConsoleLogin');
