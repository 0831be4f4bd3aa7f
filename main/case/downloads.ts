// Downloads are derived from events: one row per request, merged across sources (the access log's
// Request ID equals CloudTrail's requestID; bucket and key must agree too). The ledger
// (download_ledger, migration 016) keeps what merging decides and what the timeline's indexes need,
// and references the events for everything else, which the `downloads` view reads through them. It
// names the actor and the object by ids into two dictionaries (ledger_actors, ledger_objects, migration
// 017), which each slice first extends by the values of its download events.
// Derivation runs after an import rather than per file: per file, every commit rewrote the pages of
// the random-keyed unique index it touched — most of the index, a thousand times for a thousand trail files.
// Two roads, one result (a test holds them equal):
// - a few new events are looked up by their request's hash and merged or added one by one;
// - a large backlog is appended without the indexes, duplicates are merged after one sort, and the
//   indexes are built once: keeping a random-keyed index up row by row cost 7.4 s for 750k downloads
//   against 1.6 s to append and 1.0 s to build it.
// Either road runs in slices of events, each its own short transaction, so that an import can let
// waiting requests (a note, a page) through between two (deriveDownloadSteps).
// Markers in case_meta say how far the events have been folded in and whether a bulk derivation is
// unfinished, so a case cut short by a crash catches up the next time it is opened.
import { BULK_EVENTS, deferDownloadIndexes, restoreDownloadIndexSteps } from './bulk';
import { all, get, prepared, run, type ReadableDB, type WritableDB } from './db';
import { nextSlot, registerRequestHash, requestHash, requestKey } from './request-hash';
import { raw, sql } from './sql';

const MARKER = 'downloads_derived_through';
/** Present while a bulk derivation has appended downloads without their request index. */
const PENDING = 'downloads_bulk_pending';
/** Downloads in the case (merged rows leave gaps in ids, so max(id) is not a count). */
const COUNT = 'downloads_count';
/** Events per slice (one transaction each): a slice of a bulk derivation writes in about 50 ms here. */
const SLICE = 25_000;

const REQUEST_INDEX = 'CREATE UNIQUE INDEX IF NOT EXISTS downloads_request ON download_ledger (rk)';
const TIME_INDEX = 'CREATE INDEX IF NOT EXISTS downloads_time ON download_ledger (time, id)';

const meta = (db: ReadableDB, key: string) => get<{ value: string }>(db, sql`SELECT value FROM case_meta WHERE key = ${key}`)?.value;
const setMeta = (db: WritableDB, key: string, value: number) =>
  run(db, sql`INSERT INTO case_meta (key, value) VALUES (${key}, ${String(value)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
const derivedThrough = (db: WritableDB) => Number(meta(db, MARKER) ?? 0);
const lastEvent = (db: WritableDB) => get<{ n: number }>(db, sql`SELECT coalesce(max(id), 0) AS n FROM events`)!.n;
const lastDownload = (db: WritableDB) => get<{ n: number }>(db, sql`SELECT coalesce(max(id), 0) AS n FROM download_ledger`)!.n;
const importing = (db: WritableDB) => get(db, sql`SELECT 1 AS x FROM evidence WHERE status = 'importing' LIMIT 1`) !== undefined;

const registered = new WeakSet<ReadableDB>();
function withHash<D extends ReadableDB>(db: D): D {
  if (!registered.has(db)) {
    registerRequestHash(db);
    registered.add(db);
  }
  return db;
}

/** The number of downloads, kept by derivation (counted once for a case that predates the count). */
export function downloadCount(db: ReadableDB): number {
  const kept = meta(db, COUNT);
  return kept === undefined ? get<{ n: number }>(db, sql`SELECT count(*) AS n FROM download_ledger`)!.n : Number(kept);
}

export interface DeriveOptions {
  /** Told when the indexes are being built (a step worth naming in progress). */
  onIndexes?: () => void;
  /** Forces the road (tests compare the two); by default the backlog's size decides. */
  bulk?: boolean;
}

/** Folds every event not yet derived into downloads; does nothing while an import is unfinished. Returns the downloads added. */
export function deriveDownloads(db: WritableDB, opts: DeriveOptions = {}): number {
  const steps = deriveDownloadSteps(db, opts);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/**
 * deriveDownloads one slice at a time: each `next()` commits a slice (or the closing index build) and
 * stops; the caller may give the event loop a turn between two. The returned value is the downloads added.
 * Another caller may finish the work between two slices: the steps then find nothing left.
 */
export function* deriveDownloadSteps(db: WritableDB, opts: DeriveOptions = {}): Generator<void, number> {
  withHash(db);
  if (importing(db)) return 0;
  const pending = meta(db, PENDING) !== undefined;
  const backlog = lastEvent(db) - derivedThrough(db);
  if (!pending && backlog === 0) return 0;
  // Building the indexes costs the whole table: worth it when the backlog is a good part of it.
  const bulk = pending || (opts.bulk ?? (backlog >= BULK_EVENTS && backlog * 2 >= lastDownload(db)));
  const before = downloadCount(db);
  if (!bulk) {
    while (slice(db, upsertSlice)) yield;
    return downloadCount(db) - before;
  }
  if (!pending) {
    db.transaction(() => {
      deferDownloadIndexes(db);
      // Named in the ledger's own schema: in verify's rebuild (TEMP) a name missing there must not reach the case's.
      const schema = get(db, sql`SELECT 1 AS x FROM temp.sqlite_master WHERE type = 'table' AND name = 'download_ledger'`) ? 'temp' : 'main';
      db.exec(`DROP INDEX IF EXISTS ${schema}.downloads_request; DROP INDEX IF EXISTS ${schema}.downloads_time`);
      setMeta(db, PENDING, 1);
    })();
  }
  while (slice(db, appendSlice)) yield;
  // Each index in a transaction of its own, a step apart: a request waits for one index, not for all
  // five (a note during a 1M-event import waited 1.4 s). The marker goes with the last of the two, so
  // a crash between them builds the rest next time (both are IF NOT EXISTS).
  if (meta(db, PENDING) !== undefined) {
    opts.onIndexes?.();
    yield;
    db.transaction(() => {
      if (meta(db, PENDING) === undefined) return;
      setMeta(db, COUNT, downloadCount(db) - buildRequestIndex(db));
    })();
    yield;
    db.transaction(() => {
      if (meta(db, PENDING) === undefined) return;
      db.exec(TIME_INDEX);
      run(db, sql`DELETE FROM case_meta WHERE key = ${PENDING}`);
    })();
    yield;
  }
  for (const _ of restoreDownloadIndexSteps(db)) yield;
  return downloadCount(db) - before;
}

/**
 * Derives the next SLICE events in one transaction, moving the marker and the download count (`derive`
 * returns the rows it added) with it. Returns whether events are left.
 */
function slice(db: WritableDB, derive: (db: WritableDB, from: number, to: number) => number): boolean {
  // The marker is read and moved inside the transaction, so two connections never fold the same events twice.
  return db.transaction((): boolean => {
    // Another connection may have begun an import since the first slice: its events are not derived
    // until its files are complete, so undoing it never has to take a download back.
    if (importing(db)) return false;
    const last = lastEvent(db);
    const from = derivedThrough(db);
    if (from >= last) return false;
    const to = Math.min(from + SLICE, last);
    addToDictionaries(db, from, to);
    setMeta(db, COUNT, downloadCount(db) + derive(db, from, to));
    setMeta(db, MARKER, to);
    return to < last;
  })();
}

/**
 * Adds the actors and objects of the download events (from, to] that the dictionaries lack, in the
 * order the events first name them (a rebuild assigns the same ids; verify compares values anyway).
 */
function addToDictionaries(db: WritableDB, from: number, to: number): void {
  // In event order, a value already there ignored by the unique index: no sort.
  run(db, sql`INSERT OR IGNORE INTO ledger_actors (actor) SELECT coalesce(actor, 'unknown') FROM event_rows
    WHERE id > ${from} AND id <= ${to} AND ${DOWNLOAD} ORDER BY id`);
  run(db, sql`INSERT OR IGNORE INTO ledger_objects (bucket, key) SELECT coalesce(bucket, ''), coalesce(key, '') FROM event_rows
    WHERE id > ${from} AND id <= ${to} AND ${DOWNLOAD} ORDER BY id`);
}

/**
 * The coded event rows (migration 018) compared with their terms' ids, each looked up once per query,
 * not decoded per row through the events view: deriving reads every new event three times.
 */
const termId = (text: string) => sql`(SELECT id FROM terms WHERE text = ${text})`;
const DOWNLOAD = sql`kind = ${termId('download')}`;
const S3 = termId('s3-access-log');
const CLOUDTRAIL = termId('cloudtrail');

/** An actor's and an object's dictionary ids, for events `e` whose values addToDictionaries has added. */
const ACTOR_ID = `(SELECT id FROM ledger_actors WHERE actor = coalesce(e.actor, 'unknown'))`;
const OBJECT_ID = `(SELECT id FROM ledger_objects WHERE bucket = coalesce(e.bucket, '') AND key = coalesce(e.key, ''))`;

/** What merging decides for a request, as the ledger holds it (the actor's text beside its id: merging prefers an ARN). */
interface Ledger {
  id: number; time: number; actor: string; actor_id: number; source_ip: string | null; sources: number;
  s3_event_id: number | null; ct_event_id: number | null; observations: number;
}
/** A ledger row with its request's identity (the view's request_key). */
interface Entry extends Ledger { rk: number; object_id: number; bucket: string; key: string; request_key: string }

/** The download rows of events (from, to]: one per successful object read, each the request's first observation. */
const newRows = (db: ReadableDB, from: number, to: number) => all<Omit<Entry, 'rk' | 'id'> & { request_id: string | null; event: number }>(db, sql`
  SELECT id AS event, time, coalesce(actor, 'unknown') AS actor, ${raw(ACTOR_ID)} AS actor_id, source_ip, coalesce(bucket, '') AS bucket,
         coalesce(key, '') AS key, ${raw(OBJECT_ID)} AS object_id, request_id, CASE source WHEN ${S3} THEN 1 ELSE 2 END AS sources,
         CASE source WHEN ${S3} THEN id END AS s3_event_id, CASE source WHEN ${CLOUDTRAIL} THEN id END AS ct_event_id, 1 AS observations
  FROM event_rows e WHERE id > ${from} AND id <= ${to} AND ${DOWNLOAD} ORDER BY id`);

/** The ledger rows at hash value rk (one once the request index is built), oldest first, with their identity. */
const ENTRIES_AT = `
  SELECT d.id, d.rk, d.time, a.actor, d.actor_id, d.source_ip, d.object_id, o.bucket, o.key, d.sources, d.s3_event_id, d.ct_event_id, d.observations,
         CASE WHEN coalesce(s.request_id, c.request_id) IS NULL THEN 'event:' || coalesce(d.s3_event_id, d.ct_event_id)
              ELSE coalesce(s.request_id, c.request_id) || '|' || o.bucket || '|' || o.key END AS request_key
  FROM download_ledger d JOIN ledger_actors a ON a.id = d.actor_id JOIN ledger_objects o ON o.id = d.object_id
       LEFT JOIN events s ON s.id = d.s3_event_id LEFT JOIN events c ON c.id = d.ct_event_id
  WHERE d.rk = ? ORDER BY d.id`;
const entriesAt = (db: ReadableDB, rk: number) => prepared(db, ENTRIES_AT).all(rk) as Entry[];

/** Where a request's row is, or the first free hash value of its probe: walks from its hash past other requests' rows. */
function locate(db: ReadableDB, key: string, home: number): { rk: number; entry?: Entry } {
  for (let rk = home; ; rk = nextSlot(rk)) {
    const [resident] = entriesAt(db, rk);
    if (!resident) return { rk };
    if (resident.request_key === key) return { rk, entry: resident };
  }
}

const UPDATE = `UPDATE download_ledger SET time = @time, actor_id = @actor_id, source_ip = @source_ip, sources = @sources, s3_event_id = @s3_event_id,
  ct_event_id = @ct_event_id, observations = @observations WHERE id = @id`;
const INSERT = `INSERT INTO download_ledger (rk, time, actor_id, source_ip, object_id, sources, s3_event_id, ct_event_id, observations)
  VALUES (@rk, @time, @actor_id, @source_ip, @object_id, @sources, @s3_event_id, @ct_event_id, @observations)`;

/** A few events: each merged into its request's row, or added as a row of its own. */
function upsertSlice(db: WritableDB, from: number, to: number): number {
  let added = 0;
  for (const r of newRows(db, from, to)) {
    const key = requestKey(r.request_id, r.bucket, r.key, r.event);
    const at = locate(db, key, requestHash(r.request_id, r.bucket, r.key, r.event));
    if (at.entry) prepared(db, UPDATE).run(ledgerOf(merge(at.entry, { ...r, id: 0 })));
    else {
      prepared(db, INSERT).run({ rk: at.rk, time: r.time, actor_id: r.actor_id, source_ip: r.source_ip, object_id: r.object_id, sources: r.sources,
        s3_event_id: r.s3_event_id, ct_event_id: r.ct_event_id, observations: 1 });
      added++;
    }
  }
  return added;
}

/** A large backlog: appended as it comes, the request's hash uniqueness sorted out when the index is built. */
function appendSlice(db: WritableDB, from: number, to: number): number {
  return run(db, sql`
    INSERT INTO download_ledger (rk, time, actor_id, source_ip, object_id, sources, s3_event_id, ct_event_id)
    SELECT tm_request_hash(request_id, coalesce(bucket, ''), coalesce(key, ''), id), time, ${raw(ACTOR_ID)}, source_ip,
           ${raw(OBJECT_ID)}, CASE source WHEN ${S3} THEN 1 ELSE 2 END,
           CASE source WHEN ${S3} THEN id END, CASE source WHEN ${CLOUDTRAIL} THEN id END
    FROM event_rows e WHERE id > ${from} AND id <= ${to} AND ${DOWNLOAD}`).changes;
}

/** SQLite's LIKE 'arn:%' ignores ASCII case; so does this. */
const isArn = (actor: string) => /^arn:/i.test(actor);

/** A later observation `b` of the same request folded into `a` (the earlier row, whose id stays: notes and tags name it). */
function merge<T extends Ledger>(a: T, b: Ledger): T {
  return {
    ...a,
    time: Math.min(a.time, b.time),
    ...(isArn(a.actor) || !isArn(b.actor) ? { actor: a.actor, actor_id: a.actor_id } : { actor: b.actor, actor_id: b.actor_id }),
    // The access log's address where it logged one, whichever source came first (as the view reads fields).
    source_ip: b.sources & 1 && !(a.sources & 1) ? b.source_ip ?? a.source_ip : a.source_ip ?? b.source_ip,
    sources: a.sources | b.sources,
    s3_event_id: a.s3_event_id ?? b.s3_event_id,
    ct_event_id: a.ct_event_id ?? b.ct_event_id,
    observations: a.observations + b.observations,
  };
}

/**
 * Builds the unique request index. Where appended rows share a hash value — the other source of the
 * same download, a request already in the case, or (rarely) another request whose key hashed alike —
 * the rows of one request are first merged into its earliest, and another request's rows move on to
 * the next free value or onto their own request's row further on. Returns the rows merged away.
 */
function buildRequestIndex(db: WritableDB): number {
  try {
    db.exec(REQUEST_INDEX);
    return 0;
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
  }
  db.exec('CREATE INDEX downloads_request_merge ON download_ledger (rk)');
  const repeated = prepared(db, 'SELECT rk FROM download_ledger WHERE rk > ? GROUP BY rk HAVING count(*) > 1 ORDER BY rk LIMIT 1000');
  const update = prepared(db, UPDATE);
  const move = prepared(db, 'UPDATE download_ledger SET rk = ? WHERE id = ?');
  const remove = prepared(db, 'DELETE FROM download_ledger WHERE id = ?');
  let removed = 0;
  /** Folds rows into the first; the others are deleted. */
  const fold = (rows: Entry[]): Entry => {
    const kept = rows.reduce((a, b) => merge(a, b));
    update.run(ledgerOf(kept));
    for (const r of rows.slice(1)) remove.run(r.id);
    removed += rows.length - 1;
    return kept;
  };
  for (let after = -1; ;) {
    const values = (repeated.all(after) as { rk: number }[]).map((r) => r.rk);
    if (!values.length) break;
    for (const rk of values) {
      const byRequest = new Map<string, Entry[]>();
      for (const e of entriesAt(db, rk)) byRequest.set(e.request_key, [...(byRequest.get(e.request_key) ?? []), e]);
      // The earliest row's request stays at this value; each other request walks on from the next.
      const [stays, ...others] = [...byRequest.values()];
      fold(stays);
      for (const rows of others) {
        const first = fold(rows);
        const at = locate(db, first.request_key, nextSlot(rk));
        if (at.entry) fold([at.entry, first]);
        else move.run(at.rk, first.id);
      }
    }
    after = values[values.length - 1];
  }
  db.exec('DROP INDEX downloads_request_merge');
  db.exec(REQUEST_INDEX);
  return removed;
}

const ledgerOf = (e: Entry): Ledger => ({
  id: e.id, time: e.time, actor: e.actor, actor_id: e.actor_id, source_ip: e.source_ip, sources: e.sources, s3_event_id: e.s3_event_id, ct_event_id: e.ct_event_id, observations: e.observations,
});

/**
 * The downloads up to `upTo` that events (from, to] were merged into, each with the bit of the event's
 * source: what an analysis update must fold again. Read through the request index (its hash value;
 * a request moved on by a collision is walked to).
 */
export function mergedDownloads(db: ReadableDB, from: number, to: number, upTo: number): Array<{ id: number; bit: number }> {
  withHash(db);
  const out: Array<{ id: number; bit: number }> = [];
  const rows = all<{ event: number; bit: number; request_id: string; bucket: string; key: string; rk: number; id: number | null; request_key: string | null }>(db, sql`
    SELECT e.id AS event, CASE e.source WHEN ${S3} THEN 1 ELSE 2 END AS bit, e.request_id, coalesce(e.bucket, '') AS bucket,
           coalesce(e.key, '') AS key, e.rk, d.id,
           CASE WHEN d.id IS NULL THEN NULL WHEN coalesce(s.request_id, c.request_id) IS NULL THEN 'event:' || coalesce(d.s3_event_id, d.ct_event_id)
                ELSE coalesce(s.request_id, c.request_id) || '|' || (SELECT bucket || '|' || key FROM ledger_objects WHERE id = d.object_id) END AS request_key
    FROM (SELECT id, source, request_id, bucket, key, tm_request_hash(request_id, coalesce(bucket, ''), coalesce(key, ''), id) AS rk
          FROM event_rows WHERE id > ${from} AND id <= ${to} AND ${DOWNLOAD} AND request_id IS NOT NULL) e
    LEFT JOIN download_ledger d ON d.rk = e.rk
    LEFT JOIN events s ON s.id = d.s3_event_id LEFT JOIN events c ON c.id = d.ct_event_id
    ORDER BY e.id`);
  for (const r of rows) {
    const key = requestKey(r.request_id, r.bucket, r.key, r.event);
    let id = r.request_key === key ? r.id : null;
    // The request's row is not at its hash value: another request's is (a collision), walk on.
    if (id === null && r.id !== null) id = locate(db, key, nextSlot(r.rk)).entry?.id ?? null;
    if (id !== null && id <= upTo) out.push({ id, bit: r.bit });
  }
  return out;
}
