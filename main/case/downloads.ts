// Downloads are derived from events: one row per request, merged across sources (the access log's
// Request ID equals CloudTrail's requestID; bucket and key must agree too). Derivation runs after an
// import rather than per file: per file, every commit rewrote the pages of the random-keyed unique
// index it touched — most of the index, a thousand times for a thousand trail files.
// Two roads, one result (a test holds them equal):
// - a few new events are upserted through the unique request index;
// - a large backlog is appended without the indexes, duplicates are merged after one sort, and the
//   indexes are built once: keeping a random-keyed index up row by row cost 7.4 s for 750k downloads
//   against 1.6 s to append and 1.0 s to build it.
// Markers in case_meta say how far the events have been folded in and whether a bulk derivation is
// unfinished, so a case cut short by a crash catches up the next time it is opened.
import { BULK_EVENTS, deferDownloadIndexes, restoreDownloadIndexes } from './bulk';
import { get, prepared, run, type ReadableDB, type WritableDB } from './db';
import { raw, sql, type Sql } from './sql';

const MARKER = 'downloads_derived_through';
/** Present while a bulk derivation has appended downloads without their request index. */
const PENDING = 'downloads_bulk_pending';
/** Downloads in the case (merged rows leave gaps in ids, so max(id) is not a count). */
const COUNT = 'downloads_count';
/** Events per transaction: progress is kept, and a crash loses at most one chunk's work. */
const CHUNK = 100_000;

const REQUEST_INDEX = 'CREATE UNIQUE INDEX IF NOT EXISTS downloads_request ON downloads (request_key)';
const TIME_INDEX = 'CREATE INDEX IF NOT EXISTS downloads_time ON downloads (time, id)';

const meta = (db: ReadableDB, key: string) => get<{ value: string }>(db, sql`SELECT value FROM case_meta WHERE key = ${key}`)?.value;
const setMeta = (db: WritableDB, key: string, value: number) =>
  run(db, sql`INSERT INTO case_meta (key, value) VALUES (${key}, ${String(value)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
const derivedThrough = (db: WritableDB) => Number(meta(db, MARKER) ?? 0);
const lastEvent = (db: WritableDB) => get<{ n: number }>(db, sql`SELECT coalesce(max(id), 0) AS n FROM events`)!.n;
const lastDownload = (db: WritableDB) => get<{ n: number }>(db, sql`SELECT coalesce(max(id), 0) AS n FROM downloads`)!.n;
const importing = (db: WritableDB) => get(db, sql`SELECT 1 AS x FROM evidence WHERE status = 'importing' LIMIT 1`) !== undefined;

/** The number of downloads, kept by derivation (counted once for a case that predates the count). */
export function downloadCount(db: ReadableDB): number {
  const kept = meta(db, COUNT);
  return kept === undefined ? get<{ n: number }>(db, sql`SELECT count(*) AS n FROM downloads`)!.n : Number(kept);
}

/** The download rows of events (from, to]: one per successful object read. */
const downloadRows = (from: number, to: number): Sql => sql`
  SELECT CASE WHEN request_id IS NOT NULL THEN request_id || '|' || coalesce(bucket, '') || '|' || coalesce(key, '') ELSE 'event:' || id END,
         time, coalesce(actor, 'unknown'), source_ip, user_agent, coalesce(bucket, ''), coalesce(key, ''), bytes_sent, object_size,
         status, range, request_id,
         CASE source WHEN 's3-access-log' THEN 1 ELSE 2 END,
         CASE source WHEN 's3-access-log' THEN id END,
         CASE source WHEN 'cloudtrail' THEN id END
  FROM events WHERE id > ${from} AND id <= ${to} AND kind = 'download'`;
const INSERT_COLUMNS = 'request_key, time, actor, source_ip, user_agent, bucket, key, bytes_sent, object_size, status, range, request_id, sources, s3_event_id, ct_event_id';

export interface DeriveOptions {
  /** Told when the indexes are being built (a step worth naming in progress). */
  onIndexes?: () => void;
  /** Forces the road (tests compare the two); by default the backlog's size decides. */
  bulk?: boolean;
}

/** Folds every event not yet derived into downloads; does nothing while an import is unfinished. Returns the downloads added. */
export function deriveDownloads(db: WritableDB, opts: DeriveOptions = {}): number {
  if (importing(db)) return 0;
  const pending = meta(db, PENDING) !== undefined;
  const backlog = lastEvent(db) - derivedThrough(db);
  if (!pending && backlog === 0) return 0;
  // Building the indexes costs the whole table: worth it when the backlog is a good part of it.
  const bulk = pending || (opts.bulk ?? (backlog >= BULK_EVENTS && backlog * 2 >= lastDownload(db)));
  const before = downloadCount(db);
  if (!bulk) {
    upsert(db);
    return downloadCount(db) - before;
  }
  if (!pending) {
    db.transaction(() => {
      deferDownloadIndexes(db);
      db.exec('DROP INDEX IF EXISTS downloads_request; DROP INDEX IF EXISTS downloads_time');
      setMeta(db, PENDING, 1);
    })();
  }
  append(db);
  opts.onIndexes?.();
  db.transaction(() => {
    const removed = buildRequestIndex(db);
    db.exec(TIME_INDEX);
    setMeta(db, COUNT, downloadCount(db) - removed);
    run(db, sql`DELETE FROM case_meta WHERE key = ${PENDING}`);
  })();
  restoreDownloadIndexes(db);
  return downloadCount(db) - before;
}

/**
 * Runs `chunk(from, to)` over the backlog, one transaction per CHUNK events, moving the marker and
 * the download count (chunk returns the rows it added) with it.
 */
function eachChunk(db: WritableDB, chunk: (from: number, to: number) => number): void {
  // The marker is read and moved inside each transaction, so two connections never fold the same events twice.
  const step = db.transaction((): boolean => {
    const last = lastEvent(db);
    const from = derivedThrough(db);
    if (from >= last) return false;
    const to = Math.min(from + CHUNK, last);
    const count = downloadCount(db);
    setMeta(db, COUNT, count + chunk(from, to));
    setMeta(db, MARKER, to);
    return to < last;
  });
  while (step()) { /* one chunk per transaction */ }
}

function upsert(db: WritableDB): void {
  eachChunk(db, (from, to) => {
    const top = lastDownload(db);
    run(db, sql`
      INSERT INTO downloads (${raw(INSERT_COLUMNS)}) ${downloadRows(from, to)}
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
        observations = downloads.observations + excluded.observations`);
    return lastDownload(db) - top; // a merge updates a row; only inserts add one
  });
}

function append(db: WritableDB): void {
  eachChunk(db, (from, to) => run(db, sql`INSERT INTO downloads (${raw(INSERT_COLUMNS)}) ${downloadRows(from, to)}`).changes);
}

interface Merged {
  id: number; time: number; actor: string; source_ip: string | null; user_agent: string | null; bytes_sent: number | null;
  object_size: number | null; status: number | null; range: string | null; sources: number; s3_event_id: number | null;
  ct_event_id: number | null; observations: number;
}

/** SQLite's LIKE 'arn:%' ignores ASCII case; so does this. */
const isArn = (actor: string) => /^arn:/i.test(actor);

/** The upsert's rule above, for a later row `b` of the same request folded into `a`. */
function merge(a: Merged, b: Merged): Merged {
  return {
    id: a.id,
    time: Math.min(a.time, b.time),
    actor: isArn(a.actor) ? a.actor : isArn(b.actor) ? b.actor : a.actor,
    source_ip: a.source_ip ?? b.source_ip,
    user_agent: a.user_agent ?? b.user_agent,
    bytes_sent: a.bytes_sent ?? b.bytes_sent,
    object_size: a.object_size ?? b.object_size,
    status: a.status ?? b.status,
    range: a.range ?? b.range,
    sources: a.sources | b.sources,
    s3_event_id: a.s3_event_id ?? b.s3_event_id,
    ct_event_id: a.ct_event_id ?? b.ct_event_id,
    observations: a.observations + b.observations,
  };
}

/**
 * Builds the unique request index; where appended rows repeat a request (the other source of the same
 * download, or a request already in the case), they are first merged into the earliest row. Returns the rows merged away.
 */
function buildRequestIndex(db: WritableDB): number {
  try {
    db.exec(REQUEST_INDEX);
    return 0;
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
  }
  db.exec('CREATE INDEX downloads_request_merge ON downloads (request_key)');
  const repeated = prepared(db, 'SELECT request_key FROM downloads WHERE request_key > ? GROUP BY request_key HAVING count(*) > 1 ORDER BY request_key LIMIT 1000');
  const rowsOf = prepared(db, `
    SELECT id, time, actor, source_ip, user_agent, bytes_sent, object_size, status, range, sources, s3_event_id, ct_event_id, observations
    FROM downloads WHERE request_key = ? ORDER BY id`);
  const update = prepared(db, `
    UPDATE downloads SET time = @time, actor = @actor, source_ip = @source_ip, user_agent = @user_agent, bytes_sent = @bytes_sent,
      object_size = @object_size, status = @status, range = @range, sources = @sources, s3_event_id = @s3_event_id,
      ct_event_id = @ct_event_id, observations = @observations
    WHERE id = @id`);
  const remove = prepared(db, 'DELETE FROM downloads WHERE id = ?');
  let removed = 0;
  for (let after = ''; ;) {
    const keys = (repeated.all(after) as { request_key: string }[]).map((r) => r.request_key);
    if (!keys.length) break;
    for (const key of keys) {
      const rows = rowsOf.all(key) as Merged[];
      update.run(rows.reduce(merge));
      for (const r of rows.slice(1)) remove.run(r.id);
      removed += rows.length - 1;
    }
    after = keys[keys.length - 1];
  }
  db.exec('DROP INDEX downloads_request_merge');
  db.exec(REQUEST_INDEX);
  return removed;
}
