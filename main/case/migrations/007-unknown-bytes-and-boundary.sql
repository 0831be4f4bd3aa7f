-- Trailmark case file, schema 7: unknown is not zero, and a download in the same second as an
-- exposure change is neither inside nor outside.
-- Beside every sum of bytes sent, the number of downloads whose bytes were not logged (CloudTrail
-- GetObject data events carry none): the sum is then a lower bound and says over how many rows.
-- Beside every count of complete copies, the number of downloads whose completeness is unknown
-- (downloads.complete IS NULL: bytes sent or object size not logged).
-- Beside each actor's in-exposure count, the downloads at the boundary of a window (same second as
-- the opening or closing change; the order within the second is unknown).
ALTER TABLE actor_stats ADD COLUMN bytes_unknown INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actor_stats ADD COLUMN at_boundary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE object_stats ADD COLUMN bytes_unknown INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actor_objects ADD COLUMN bytes_unknown INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actor_stats ADD COLUMN complete_unknown INTEGER NOT NULL DEFAULT 0;
ALTER TABLE object_stats ADD COLUMN complete_unknown INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actor_objects ADD COLUMN complete_unknown INTEGER NOT NULL DEFAULT 0;

-- Fill the new counts for the downloads already folded in; later ones are folded as they come.
CREATE TEMP TABLE m007_unknown AS
  SELECT CASE WHEN actor = 'anonymous' THEN 'anonymous@' || coalesce(source_ip, 'unknown') ELSE actor END AS actor_key,
         bucket, key, sum(bytes_sent IS NULL) AS n, sum(complete IS NULL) AS c
  FROM downloads
  WHERE (bytes_sent IS NULL OR complete IS NULL) AND id <= coalesce((SELECT value FROM analysis_progress WHERE name = 'downloads'), 0)
  GROUP BY 1, 2, 3;
UPDATE actor_stats SET bytes_unknown = u.n, complete_unknown = u.c
  FROM (SELECT actor_key, sum(n) AS n, sum(c) AS c FROM m007_unknown GROUP BY actor_key) u WHERE u.actor_key = actor_stats.actor_key;
UPDATE object_stats SET bytes_unknown = u.n, complete_unknown = u.c
  FROM (SELECT bucket, key, sum(n) AS n, sum(c) AS c FROM m007_unknown GROUP BY bucket, key) u WHERE u.bucket = object_stats.bucket AND u.key = object_stats.key;
UPDATE actor_objects SET bytes_unknown = u.n, complete_unknown = u.c
  FROM (SELECT a.aid, o.oid, m.n, m.c FROM m007_unknown m
        JOIN actor_stats a ON a.actor_key = m.actor_key JOIN object_stats o ON o.bucket = m.bucket AND o.key = m.key) u
  WHERE u.aid = actor_objects.aid AND u.oid = actor_objects.oid;
DROP TABLE m007_unknown;
-- The boundary counts need the exposure windows (computed outside SQL): forgetting the windows'
-- signature makes the next analysis update recount in-exposure and at-boundary for every actor.
DELETE FROM analysis_progress WHERE name = 'exposure_signature';
