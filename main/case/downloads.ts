// Downloads are derived from events: one row per request, merged across sources (the access log's
// Request ID equals CloudTrail's requestID; bucket and key must agree too). Derivation runs after an
// import rather than per file: per file, every commit rewrote the pages of the random-keyed unique
// index it touched — most of the index, a thousand times for a thousand trail files. (Sorting each
// chunk by key first was measured slower: 9 against 5 µs per download.)
// A marker in case_meta says how far the events have been folded in, so a case cut short by a crash
// catches up the next time it is opened.
import { BULK_EVENTS, deferDownloadIndexes, restoreDownloadIndexes } from './bulk';
import { get, run, type WritableDB } from './db';
import { sql } from './sql';

const MARKER = 'downloads_derived_through';
/** Events per transaction: progress is kept, and a crash loses at most one chunk's work. */
const CHUNK = 100_000;

const derivedThrough = (db: WritableDB) => Number(get<{ value: string }>(db, sql`SELECT value FROM case_meta WHERE key = ${MARKER}`)?.value ?? 0);
const lastEvent = (db: WritableDB) => get<{ n: number }>(db, sql`SELECT coalesce(max(id), 0) AS n FROM events`)!.n;

/**
 * Folds every event not yet derived into downloads; does nothing while an import is unfinished.
 * `onBulk` is told when the backlog is large enough to build the wide indexes afterwards instead.
 * Returns the downloads added or merged.
 */
export function deriveDownloads(db: WritableDB, onBulk?: () => void): number {
  const bulk = lastEvent(db) - derivedThrough(db) >= BULK_EVENTS;
  if (bulk) deferDownloadIndexes(db);
  try {
    return derive(db);
  } finally {
    if (bulk) {
      onBulk?.();
      restoreDownloadIndexes(db);
    }
  }
}

function derive(db: WritableDB): number {
  let changed = 0;
  // The marker is read and moved inside each transaction, so two connections never fold the same events twice.
  const step = db.transaction((): boolean => {
    if (get(db, sql`SELECT 1 AS x FROM evidence WHERE status = 'importing' LIMIT 1`)) return false;
    const last = lastEvent(db);
    const from = derivedThrough(db);
    if (from >= last) return false;
    const to = Math.min(from + CHUNK, last);
    changed += run(db, sql`
      INSERT INTO downloads (request_key, time, actor, source_ip, user_agent, bucket, key, bytes_sent, object_size, status, range,
                             request_id, sources, s3_event_id, ct_event_id)
      SELECT CASE WHEN request_id IS NOT NULL THEN request_id || '|' || coalesce(bucket, '') || '|' || coalesce(key, '') ELSE 'event:' || id END,
             time, coalesce(actor, 'unknown'), source_ip, user_agent, coalesce(bucket, ''), coalesce(key, ''), bytes_sent, object_size,
             status, range, request_id,
             CASE source WHEN 's3-access-log' THEN 1 ELSE 2 END,
             CASE source WHEN 's3-access-log' THEN id END,
             CASE source WHEN 'cloudtrail' THEN id END
      FROM events WHERE id > ${from} AND id <= ${to} AND kind = 'download'
      ON CONFLICT (request_key) DO UPDATE SET
        time = min(downloads.time, excluded.time),
        actor = CASE WHEN downloads.actor LIKE 'arn:%' THEN downloads.actor WHEN excluded.actor LIKE 'arn:%' THEN excluded.actor ELSE downloads.actor END,
        source_ip = coalesce(downloads.source_ip, excluded.source_ip),
        user_agent = coalesce(downloads.user_agent, excluded.user_agent),
        bytes_sent = coalesce(downloads.bytes_sent, excluded.bytes_sent),
        object_size = coalesce(downloads.object_size, excluded.object_size),
        status = coalesce(downloads.status, excluded.status),
        range = coalesce(downloads.range, excluded.range),
        sources = downloads.sources | excluded.sources,
        s3_event_id = coalesce(downloads.s3_event_id, excluded.s3_event_id),
        ct_event_id = coalesce(downloads.ct_event_id, excluded.ct_event_id),
        observations = downloads.observations + 1`).changes;
    run(db, sql`INSERT INTO case_meta (key, value) VALUES (${MARKER}, ${String(to)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    return to < last;
  });
  while (step()) { /* one chunk per transaction */ }
  return changed;
}
