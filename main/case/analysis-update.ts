// Keeps the analysis summaries (migration 002) up to date. updateAnalysis folds in every download
// and event added since the last call (analysis_progress remembers how far it read), so the import
// writer calls it once per finished file, in the same transaction, and queries never scan millions
// of rows. Downloads merged into an existing row by a later file (a second source of the same
// request) are found through their request key and their actor/object pair is recomputed.
import type { ExposureWindow } from '../../shared/analysis';
import { boundaryRanges, exposureClassifier, exposureTargets, insideRange, type ExposureClass } from '../../shared/exposure-rule';
import { backupMatcher } from '../analysis/backup';
import { addRead, EMPTY_COPY_STATE, type CopyState, type Interval } from '../analysis/ranges';
import { all, get, prepared, run, type ReadableDB, type WritableDB } from './db';
import { computeExposure } from './analysis-exposure';
import { deriveDownloads } from './downloads';
import { loadListingEvidence } from './analysis-listing';
import { getBackupPatterns } from './analysis-settings';
import { updateIpContext } from './ip-context';
import { join, sql } from './sql';

const CHUNK = 10_000;

interface DlRow {
  id: number; time: number; actor: string; source_ip: string | null; user_agent: string | null; bucket: string; key: string;
  bytes_sent: number | null; object_size: number | null; status: number | null; range: string | null; sources: number;
  s3_event_id: number | null; ct_event_id: number | null;
  /** downloads.complete (generated): null when the logs cannot tell whether the whole object went out. */
  complete: number | null;
}

export function actorKeyOf(actor: string, sourceIp: string | null): string {
  return actor === 'anonymous' ? `anonymous@${sourceIp ?? 'unknown'}` : actor;
}

function progress(db: ReadableDB, name: string): number {
  return get<{ value: number }>(db, sql`SELECT value FROM analysis_progress WHERE name = ${name}`)?.value ?? 0;
}
function setProgress(db: WritableDB, name: string, value: number): void {
  run(db, sql`INSERT INTO analysis_progress (name, value) VALUES (${name}, ${value}) ON CONFLICT (name) DO UPDATE SET value = excluded.value`);
}

/** A cheap fingerprint of the windows, to notice when in-exposure counts must be redone. */
function windowsSignature(windows: ExposureWindow[]): number {
  let h = 2166136261;
  const text = windows.map((w) => `${w.bucket}|${w.key}|${w.fromMs}|${w.toMs}`).join('\n');
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

export interface UpdateResult { events: number; downloads: number; recomputedPairs: number; exposureRecomputed: boolean }

/** Folds new events and downloads into the summaries. Safe to call at any time; does nothing when up to date. */
export function updateAnalysis(db: WritableDB): UpdateResult {
  deriveDownloads(db); // the summaries fold downloads, which are derived from events after each import
  const result = foldSummaries(db);
  updateIpContext(db); // address context for the source values new since the last call (ip-context.ts)
  return result;
}

function foldSummaries(db: WritableDB): UpdateResult {
  return db.transaction(() => {
    const result: UpdateResult = { events: 0, downloads: 0, recomputedPairs: 0, exposureRecomputed: false };
    loadListingEvidence(db);
    const lastDownload = progress(db, 'downloads');
    const lastEvent = progress(db, 'events');

    // Events of a file still being imported are left for later: an interrupted import is undone, and
    // what it wrote must not have been counted.
    const settledBefore = get<{ n: number }>(db, sql`SELECT coalesce(min(first_event), 9007199254740991) AS n FROM evidence WHERE status = 'importing'`)!.n;
    const upTo = get<{ n: number | null }>(db, sql`SELECT max(id) AS n FROM events WHERE id > ${lastEvent} AND id < ${settledBefore}`)!.n;
    let exposureTouched = false;
    const changed = new Map<number, number>(); // download id → source bit a later file added
    if (upTo !== null) {
      // Set-based inside SQLite: per-hour object-level activity per bucket and source.
      run(db, sql`
        INSERT INTO source_hours (bucket, source, hour, events)
        SELECT bucket, CASE WHEN source = 's3-access-log' THEN 's3-access-log'
                            WHEN kind IN ('download', 'upload', 'delete', 'head') OR action = 'GetObject' THEN 'cloudtrail-data'
                            ELSE 'cloudtrail-management' END AS src,
               time / 3600000 AS hour, count(*)
        FROM events
        WHERE id > ${lastEvent} AND id <= ${upTo} AND bucket IS NOT NULL
          AND (source != 's3-access-log' OR kind IN ('download', 'upload', 'delete', 'head') OR action = 'REST.GET.OBJECT')
        GROUP BY bucket, src, hour
        ON CONFLICT (bucket, source, hour) DO UPDATE SET events = events + excluded.events`);
      exposureTouched = get(db, sql`
        SELECT 1 AS x FROM marked_events WHERE mark IN ('acl-change', 'policy-change', 'public-access-change')
          AND id > ${lastEvent} AND id <= ${upTo} LIMIT 1`) !== undefined;
      if (lastDownload > 0) {
        for (const c of all<{ id: number; bit: number }>(db, sql`
          SELECT d.id AS id, CASE e.source WHEN 's3-access-log' THEN 1 ELSE 2 END AS bit FROM events e
          JOIN downloads d ON d.request_key = e.request_id || '|' || coalesce(e.bucket, '') || '|' || coalesce(e.key, '')
          WHERE e.id > ${lastEvent} AND e.id <= ${upTo} AND e.kind = 'download' AND e.request_id IS NOT NULL AND d.id <= ${lastDownload}`)) {
          changed.set(c.id, c.bit);
        }
      }
      result.events = upTo - lastEvent;
      setProgress(db, 'events', upTo);
    }

    const isBackup = memo(backupMatcher(getBackupPatterns(db)));
    const lastNew = get<{ n: number | null }>(db, sql`SELECT max(id) AS n FROM downloads`)!.n ?? 0;
    if (lastNew > lastDownload) {
      run(db, sql`
        INSERT INTO download_hours (bucket, hour, downloads, bytes, anonymous, first_anonymous, last_anonymous)
        SELECT bucket, time / 3600000 AS h, count(*), coalesce(sum(bytes_sent), 0), sum(actor = 'anonymous'),
               min(CASE WHEN actor = 'anonymous' THEN time END), max(CASE WHEN actor = 'anonymous' THEN time END)
        FROM downloads WHERE id > ${lastDownload} AND id <= ${lastNew} GROUP BY bucket, h
        ON CONFLICT (bucket, hour) DO UPDATE SET downloads = downloads + excluded.downloads, bytes = bytes + excluded.bytes,
          anonymous = anonymous + excluded.anonymous,
          first_anonymous = min(coalesce(first_anonymous, excluded.first_anonymous), coalesce(excluded.first_anonymous, first_anonymous)),
          last_anonymous = max(coalesce(last_anonymous, excluded.last_anonymous), coalesce(excluded.last_anonymous, last_anonymous))`);
      for (const r of all<{ sources: number; n: number }>(db, sql`
        SELECT sources, count(*) AS n FROM downloads WHERE id > ${lastDownload} AND id <= ${lastNew} GROUP BY sources`)) {
        bumpCounter(db, `sources_${r.sources}`, r.n);
      }
    }

    // Exposure depends on config events and on anonymous activity; recount in-exposure when it moved.
    const windows = computeExposure(db);
    const sig = windowsSignature(windows);
    const fullRecount = sig !== progress(db, 'exposure_signature') || exposureTouched;
    for (let after = lastDownload; after < lastNew;) {
      const rows = readDownloads(db, sql`id > ${after} AND id <= ${lastNew}`, CHUNK);
      if (!rows.length) break;
      foldBackups(db, rows, isBackup);
      foldDownloads(db, rows, isBackup, fullRecount ? [] : windows);
      result.downloads += rows.length;
      after = rows[rows.length - 1].id;
    }
    setProgress(db, 'downloads', lastNew);
    if (changed.size) {
      result.recomputedPairs = recomputePairs(db, [...changed.keys()], isBackup);
      moveSourceCounts(db, changed);
    }
    if (fullRecount) {
      recountExposure(db, windows);
      setProgress(db, 'exposure_signature', sig);
      result.exposureRecomputed = true;
    }
    return result;
  })();
}

/** Remembers the matcher's answer per key: a case has far fewer objects than downloads. */
function memo(f: (key: string) => boolean): (key: string) => boolean {
  const cache = new Map<string, boolean>();
  return (k) => {
    let v = cache.get(k);
    if (v === undefined) {
      if (cache.size > 200_000) cache.clear();
      cache.set(k, (v = f(k)));
    }
    return v;
  };
}

function readDownloads(db: ReadableDB, cond: ReturnType<typeof sql>, limit: number): DlRow[] {
  return all<DlRow>(db, sql`
    SELECT id, time, actor, source_ip, user_agent, bucket, key, bytes_sent, object_size, status, range, sources, s3_event_id, ct_event_id, complete
    FROM downloads WHERE ${cond} ORDER BY id LIMIT ${limit}`);
}

function bumpCounter(db: WritableDB, name: string, by: number): void {
  run(db, sql`INSERT INTO analysis_progress (name, value) VALUES (${name}, ${by}) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`);
}

/** Corroboration counters: a download first seen in one source and later in the other moves from "one" to "both". */
function moveSourceCounts(db: WritableDB, changed: Map<number, number>): void {
  for (const [id, bit] of changed) {
    const now = get<{ sources: number }>(db, sql`SELECT sources FROM downloads WHERE id = ${id}`)?.sources;
    if (now === undefined) continue;
    const before = now & ~bit;
    if (before === now || before === 0) continue;
    bumpCounter(db, `sources_${before}`, -1);
    bumpCounter(db, `sources_${now}`, 1);
  }
}

/** The backups-only index and the hourly backup counts. */
function foldBackups(db: WritableDB, rows: DlRow[], isBackup: (k: string) => boolean): void {
  const insert = prepared(db, 'INSERT OR IGNORE INTO backup_downloads (time, id) VALUES (?, ?)');
  const hours = new Map<string, number>();
  for (const d of rows) {
    if (!isBackup(d.key)) continue;
    insert.run(d.time, d.id);
    const k = `${d.bucket}\0${Math.floor(d.time / 3_600_000)}`;
    hours.set(k, (hours.get(k) ?? 0) + 1);
  }
  for (const [k, n] of hours) {
    const [bucket, hour] = k.split('\0');
    run(db, sql`UPDATE download_hours SET backup_downloads = backup_downloads + ${n} WHERE bucket = ${bucket} AND hour = ${Number(hour)}`);
  }
}

interface PairRow { downloads: number; bytes: number; bytes_unknown: number; complete_unknown: number; whole: number; assembled: number; intervals: string | null }

/** Adds new downloads to actors, objects and actor/object pairs (counts, bytes, copies, in-exposure). */
function foldDownloads(db: WritableDB, rows: DlRow[], isBackup: (k: string) => boolean, windows: ExposureWindow[]): void {
  const actors = new Map<string, { actor: string; ip: string | null; ak: string | null; reads: Array<number | null>; first: number; last: number; n: number; bytes: number; unknown: number; cunknown: number; inExp: number; atBoundary: number; agents: Set<string>; aid: number }>();
  const objects = new Map<string, { bucket: string; key: string; size: number | null; n: number; bytes: number; unknown: number; cunknown: number; first: number; last: number; oid: number }>();
  const classOf: (d: DlRow) => ExposureClass = windows.length
    ? ((c) => (d: DlRow) => c({ bucket: d.bucket, key: d.key, timeMs: d.time }))(exposureClassifier(windows))
    : () => 'outside';
  const pairs = new Map<string, DlRow[]>();
  for (const d of rows) {
    const ak = actorKeyOf(d.actor, d.source_ip);
    let a = actors.get(ak);
    if (!a) actors.set(ak, (a = { actor: d.actor, ip: d.actor === 'anonymous' ? d.source_ip : null, ak: null, reads: [], first: d.time, last: d.time, n: 0, bytes: 0, unknown: 0, cunknown: 0, inExp: 0, atBoundary: 0, agents: new Set(), aid: 0 }));
    a.first = Math.min(a.first, d.time);
    a.last = Math.max(a.last, d.time);
    a.n++;
    a.bytes += d.bytes_sent ?? 0;
    if (d.bytes_sent === null) a.unknown++;
    if (d.complete === null) a.cunknown++;
    if (d.actor !== 'anonymous') a.reads.push(d.ct_event_id, d.s3_event_id);
    if (d.user_agent && a.agents.size < 50) a.agents.add(d.user_agent);
    const cls = classOf(d);
    if (cls === 'inside') a.inExp++;
    else if (cls === 'boundary') a.atBoundary++;
    const ok = `${d.bucket}\0${d.key}`;
    let o = objects.get(ok);
    if (!o) objects.set(ok, (o = { bucket: d.bucket, key: d.key, size: null, n: 0, bytes: 0, unknown: 0, cunknown: 0, first: d.time, last: d.time, oid: 0 }));
    if (d.object_size !== null) o.size = Math.max(o.size ?? 0, d.object_size);
    o.n++;
    o.bytes += d.bytes_sent ?? 0;
    if (d.bytes_sent === null) o.unknown++;
    if (d.complete === null) o.cunknown++;
    o.first = Math.min(o.first, d.time);
    o.last = Math.max(o.last, d.time);
    const pk = `${ak}\0${ok}`;
    const list = pairs.get(pk);
    if (list) list.push(d);
    else pairs.set(pk, [d]);
  }
  // The access key behind a principal: of its latest download (by id) whose events carry one — the
  // same whatever the chunks the downloads were folded in (an earlier download's key is kept when
  // this chunk's carry none), which verify's rebuild holds it to.
  const keyOf = prepared(db, 'SELECT access_key_id FROM events WHERE id = ? AND access_key_id IS NOT NULL');
  for (const a of actors.values()) {
    for (let i = a.reads.length - 2; i >= 0 && a.ak === null; i -= 2) {
      for (const id of [a.reads[i], a.reads[i + 1]]) {
        const row = id === null ? undefined : (keyOf.get(id) as { access_key_id: string } | undefined);
        if (row) {
          a.ak = row.access_key_id;
          break;
        }
      }
    }
  }
  // Objects and actors first, which gives their ids and the objects' sizes (copies are measured against them).
  const upsertObject = prepared(db, `
    INSERT INTO object_stats (bucket, key, size, downloads, bytes_out, bytes_unknown, complete_unknown, first_download, last_download, is_backup)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (bucket, key) DO UPDATE SET size = max(coalesce(size, excluded.size), coalesce(excluded.size, size)),
      downloads = downloads + excluded.downloads, bytes_out = bytes_out + excluded.bytes_out, bytes_unknown = bytes_unknown + excluded.bytes_unknown,
      complete_unknown = complete_unknown + excluded.complete_unknown, first_download = min(first_download, excluded.first_download), last_download = max(last_download, excluded.last_download)
    RETURNING oid, size`);
  for (const o of objects.values()) {
    const r = upsertObject.get(o.bucket, o.key, o.size, o.n, o.bytes, o.unknown, o.cunknown, o.first, o.last, isBackup(o.key) ? 1 : 0) as { oid: number; size: number | null };
    o.oid = r.oid;
    o.size = r.size;
  }
  const upsertActor = prepared(db, `
    INSERT INTO actor_stats (actor_key, actor, source_ip, access_key_id, first_seen, last_seen, downloads, bytes, bytes_unknown, complete_unknown, in_exposure, at_boundary)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (actor_key) DO UPDATE SET access_key_id = coalesce(excluded.access_key_id, access_key_id),
      first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen),
      downloads = downloads + excluded.downloads, bytes = bytes + excluded.bytes, bytes_unknown = bytes_unknown + excluded.bytes_unknown,
      complete_unknown = complete_unknown + excluded.complete_unknown, in_exposure = in_exposure + excluded.in_exposure, at_boundary = at_boundary + excluded.at_boundary
    RETURNING aid`);
  const addAgent = prepared(db, 'INSERT OR IGNORE INTO actor_agents (aid, user_agent) VALUES (?, ?)');
  for (const [ak, a] of actors) {
    a.aid = (upsertActor.get(ak, a.actor, a.ip, a.ak, a.first, a.last, a.n, a.bytes, a.unknown, a.cunknown, a.inExp, a.atBoundary) as { aid: number }).aid;
    for (const ua of a.agents) addAgent.run(a.aid, ua);
  }
  // Pairs: reads without a range are stateless (a whole read is a copy): insert, or add where the pair
  // existed. The few pairs with range reads carry byte intervals and are read, replayed and written.
  const actorDelta = new Map<number, Delta>();
  const objectDelta = new Map<number, Delta>();
  const insertPlain = prepared(db, 'INSERT OR IGNORE INTO actor_objects (aid, oid, downloads, bytes, bytes_unknown, complete_unknown, whole) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const updatePlain = prepared(db, 'UPDATE actor_objects SET downloads = downloads + ?, bytes = bytes + ?, bytes_unknown = bytes_unknown + ?, complete_unknown = complete_unknown + ?, whole = whole + ? WHERE aid = ? AND oid = ?');
  for (const [pk, reads] of pairs) {
    const cut = pk.indexOf('\0');
    const a = actors.get(pk.slice(0, cut))!;
    const o = objects.get(pk.slice(cut + 1))!;
    const bytes = reads.reduce((sum, r) => sum + (r.bytes_sent ?? 0), 0);
    const unknown = reads.reduce((n, r) => n + (r.bytes_sent === null ? 1 : 0), 0);
    const cunknown = reads.reduce((n, r) => n + (r.complete === null ? 1 : 0), 0);
    let d: Delta;
    if (reads.some((r) => r.status === 206 || (r.range !== null && r.status !== 200))) {
      d = replayPair(db, a.aid, o.oid, reads, o.size, false);
      d.isNew = d.isNew ? 1 : 0;
    } else {
      let whole = 0;
      for (const r of reads) whole += addRead(EMPTY_COPY_STATE, { status: r.status, bytesSent: r.bytes_sent, range: r.range }, o.size ?? r.object_size).whole;
      const isNew = insertPlain.run(a.aid, o.oid, reads.length, bytes, unknown, cunknown, whole).changes === 1;
      if (!isNew) updatePlain.run(reads.length, bytes, unknown, cunknown, whole, a.aid, o.oid);
      d = { isNew: isNew ? 1 : 0, backup: 0, whole, assembled: 0, bytes: 0, unknown: 0, cunknown: 0 };
    }
    if (d.isNew && isBackup(o.key)) d.backup = 1;
    addDelta(actorDelta, a.aid, d);
    addDelta(objectDelta, o.oid, d);
  }
  for (const [aid, d] of actorDelta) applyActorDelta(db, aid, d);
  for (const [oid, d] of objectDelta) applyObjectDelta(db, oid, d);
}

/** Changes to carry to the actor and object rows; bytes and unknown only where a recompute moved them. */
interface Delta { isNew: number; backup: number; whole: number; assembled: number; bytes: number; unknown: number; cunknown: number }

/**
 * Folds range-bearing reads into a pair's stored copy state. With `fromScratch` the reads are the
 * pair's complete history (a recompute) and replace what was stored; the delta says what changed.
 */
function replayPair(db: WritableDB, aid: number, oid: number, reads: DlRow[], size: number | null, fromScratch: boolean): Delta {
  const existing = get<PairRow>(db, sql`SELECT downloads, bytes, bytes_unknown, complete_unknown, whole, assembled, intervals FROM actor_objects WHERE aid = ${aid} AND oid = ${oid}`);
  let state: CopyState = existing && !fromScratch
    ? { intervals: existing.intervals ? (JSON.parse(existing.intervals) as Interval[]) : [], whole: existing.whole, assembled: existing.assembled }
    : EMPTY_COPY_STATE;
  for (const r of reads) state = addRead(state, { status: r.status, bytesSent: r.bytes_sent, range: r.range }, size ?? r.object_size);
  const bytes = reads.reduce((sum, r) => sum + (r.bytes_sent ?? 0), 0);
  const unknown = reads.reduce((n, r) => n + (r.bytes_sent === null ? 1 : 0), 0);
  const cunknown = reads.reduce((n, r) => n + (r.complete === null ? 1 : 0), 0);
  const downloads = fromScratch ? reads.length : (existing?.downloads ?? 0) + reads.length;
  const total = fromScratch ? bytes : (existing?.bytes ?? 0) + bytes;
  const totalUnknown = fromScratch ? unknown : (existing?.bytes_unknown ?? 0) + unknown;
  const totalCUnknown = fromScratch ? cunknown : (existing?.complete_unknown ?? 0) + cunknown;
  run(db, sql`
    INSERT INTO actor_objects (aid, oid, downloads, bytes, bytes_unknown, complete_unknown, whole, assembled, intervals)
    VALUES (${aid}, ${oid}, ${downloads}, ${total}, ${totalUnknown}, ${totalCUnknown}, ${state.whole}, ${state.assembled}, ${state.intervals.length ? JSON.stringify(state.intervals) : null})
    ON CONFLICT (aid, oid) DO UPDATE SET downloads = excluded.downloads, bytes = excluded.bytes, bytes_unknown = excluded.bytes_unknown, complete_unknown = excluded.complete_unknown, whole = excluded.whole,
      assembled = excluded.assembled, intervals = excluded.intervals`);
  return {
    isNew: existing ? 0 : 1, backup: 0, whole: state.whole - (existing?.whole ?? 0), assembled: state.assembled - (existing?.assembled ?? 0),
    bytes: total - (existing?.bytes ?? 0) - (fromScratch ? 0 : bytes),
    unknown: totalUnknown - (existing?.bytes_unknown ?? 0) - (fromScratch ? 0 : unknown),
    cunknown: totalCUnknown - (existing?.complete_unknown ?? 0) - (fromScratch ? 0 : cunknown),
  };
}

function addDelta(map: Map<number, Delta>, k: number, d: Delta): void {
  const cur = map.get(k);
  if (!cur) map.set(k, { ...d });
  else {
    cur.isNew += d.isNew;
    cur.backup += d.backup;
    cur.whole += d.whole;
    cur.assembled += d.assembled;
    cur.bytes += d.bytes;
    cur.unknown += d.unknown;
    cur.cunknown += d.cunknown;
  }
}

function applyActorDelta(db: WritableDB, aid: number, d: Delta): void {
  if (!d.isNew && !d.backup && !d.whole && !d.assembled && !d.bytes && !d.unknown && !d.cunknown) return;
  run(db, sql`UPDATE actor_stats SET objects = objects + ${d.isNew}, backup_objects = backup_objects + ${d.backup},
              whole_copies = whole_copies + ${d.whole}, assembled = assembled + ${d.assembled}, bytes = bytes + ${d.bytes},
              bytes_unknown = bytes_unknown + ${d.unknown}, complete_unknown = complete_unknown + ${d.cunknown} WHERE aid = ${aid}`);
}

function applyObjectDelta(db: WritableDB, oid: number, d: Delta): void {
  if (!d.isNew && !d.whole && !d.assembled && !d.bytes && !d.unknown && !d.cunknown) return;
  run(db, sql`UPDATE object_stats SET actors = actors + ${d.isNew}, whole_copies = whole_copies + ${d.whole}, assembled = assembled + ${d.assembled},
              bytes_out = bytes_out + ${d.bytes}, bytes_unknown = bytes_unknown + ${d.unknown}, complete_unknown = complete_unknown + ${d.cunknown} WHERE oid = ${oid}`);
}

/** One actor's reads of one object, through downloads_object (the actor index would walk every anonymous download). */
export const PAIR_READS_SQL = (bucket: string, key: string, actor: string) => sql`
  SELECT id, time, actor, source_ip, bytes_sent, object_size, status, range, complete FROM downloads
  WHERE bucket = ${bucket} AND key = ${key} AND +actor = ${actor} ORDER BY time, id`;

/** Recomputes the actor/object pairs of downloads that a later file completed (bytes, size or range filled in). */
function recomputePairs(db: WritableDB, ids: number[], isBackup: (k: string) => boolean): number {
  const seen = new Set<string>();
  for (const id of ids) {
    const d = readDownloads(db, sql`id = ${id}`, 1)[0];
    if (!d) continue;
    const ak = actorKeyOf(d.actor, d.source_ip);
    const pk = `${ak}\0${d.bucket}\0${d.key}`;
    if (seen.has(pk)) continue;
    seen.add(pk);
    const actor = get<{ aid: number }>(db, sql`SELECT aid FROM actor_stats WHERE actor_key = ${ak}`);
    const object = get<{ oid: number; size: number | null }>(db, sql`SELECT oid, size FROM object_stats WHERE bucket = ${d.bucket} AND key = ${d.key}`);
    if (!actor || !object) continue; // folded in by this very update: already complete
    const reads = all<DlRow>(db, PAIR_READS_SQL(d.bucket, d.key, d.actor))
      .filter((r) => actorKeyOf(r.actor, r.source_ip) === ak);
    const size = reads.reduce((m, r) => Math.max(m, r.object_size ?? 0), object.size ?? 0) || null;
    if (size !== object.size) run(db, sql`UPDATE object_stats SET size = ${size} WHERE oid = ${object.oid}`);
    const delta = replayPair(db, actor.aid, object.oid, reads, size, true);
    if (delta.isNew && isBackup(d.key)) delta.backup = 1;
    // The merged download may have brought the principal's access key (CloudTrail's, to an access-log read).
    if (d.actor !== 'anonymous') {
      const key = get<{ k: string }>(db, sql`
        SELECT coalesce((SELECT access_key_id FROM events WHERE id = d.ct_event_id), (SELECT access_key_id FROM events WHERE id = d.s3_event_id)) AS k
        FROM downloads d WHERE d.actor = ${d.actor} AND k IS NOT NULL ORDER BY d.id DESC LIMIT 1`);
      run(db, sql`UPDATE actor_stats SET access_key_id = ${key?.k ?? null} WHERE aid = ${actor.aid}`);
    }
    applyActorDelta(db, actor.aid, delta);
    applyObjectDelta(db, object.oid, delta);
  }
  return seen.size;
}

/** Merged [from, to) spans per bucket and object target (see shared/exposure-rule), for the timeline's SQL. */
export function mergedWindows(windows: ExposureWindow[]): Array<{ bucket: string; key: string | null; from: number; to: number }> {
  return exposureTargets(windows).flatMap((t) => t.spans.map((s) => ({ bucket: t.bucket, key: t.key, from: s.from, to: s.to })));
}

/**
 * Redoes every actor's in-exposure and at-boundary counts. Each download has one target (its
 * object's own, else its bucket's); per span, one time-range query for the inside and one per
 * boundary second, so the time index does the work.
 */
function recountExposure(db: WritableDB, windows: ExposureWindow[]): void {
  run(db, sql`UPDATE actor_stats SET in_exposure = 0, at_boundary = 0`);
  const targets = exposureTargets(windows);
  const counts = new Map<string, { inside: number; boundary: number }>();
  const add = (rows: Array<{ actor: string; source_ip: string | null; n: number }>, cls: 'inside' | 'boundary') => {
    for (const r of rows) {
      const ak = actorKeyOf(r.actor, r.source_ip);
      const c = counts.get(ak) ?? { inside: 0, boundary: 0 };
      c[cls] += r.n;
      counts.set(ak, c);
    }
  };
  for (const t of targets) {
    const objectKeys = t.key === null ? targets.filter((o) => o.bucket === t.bucket && o.key !== null).map((o) => o.key!) : [];
    const target = t.key !== null ? sql`bucket = ${t.bucket} AND key = ${t.key}`
      : objectKeys.length ? sql`+bucket = ${t.bucket} AND key NOT IN (${join(objectKeys.map((k) => sql`${k}`), ', ')})` : sql`+bucket = ${t.bucket}`;
    const count = (lo: number, hi: number) => all<{ actor: string; source_ip: string | null; n: number }>(db, sql`
      SELECT actor, source_ip, count(*) AS n FROM downloads WHERE time >= ${lo} AND time < ${hi} AND ${target} GROUP BY actor, source_ip`);
    const seconds = new Set<number>();
    for (const s of t.spans) {
      const [lo, hi] = insideRange(s);
      if (lo < hi) add(count(lo, hi), 'inside');
      for (const [a, b] of boundaryRanges(s)) {
        if (seconds.has(a)) continue;
        seconds.add(a);
        add(count(a, b), 'boundary');
      }
    }
  }
  for (const [ak, c] of counts) run(db, sql`UPDATE actor_stats SET in_exposure = ${c.inside}, at_boundary = ${c.boundary} WHERE actor_key = ${ak}`);
}

/** Drops and rebuilds every summary from the downloads and events (after a pattern change or a bug fix). */
export function rebuildAnalysis(db: WritableDB): UpdateResult {
  return db.transaction(() => {
    run(db, sql`DELETE FROM listings WHERE evidence_id IS NOT NULL`);
    for (const t of ['analysis_progress', 'actor_stats', 'actor_agents', 'object_stats', 'actor_objects', 'source_hours', 'download_hours', 'backup_downloads']) {
      db.prepare(`DELETE FROM ${t}`).run(); // table names from the fixed list above
    }
    return updateAnalysis(db);
  })();
}
