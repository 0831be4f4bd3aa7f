// Keeps the analysis summaries (migration 002) up to date. updateAnalysis folds in every download
// and event added since the last call (analysis_progress remembers how far it read), so the import
// writer calls it once per finished file, in the same transaction, and queries never scan millions
// of rows. Downloads merged into an existing row by a later file (a second source of the same
// request), and objects whose size grew, are found and every summary row they touch is redone from
// the downloads (refold), so the summaries do not depend on the order the files came in.
import type { ExposureWindow } from '../../shared/analysis';
import { boundaryRanges, classifyTime, exposureClassifier, exposureTargets, insideRange, targetOf, type ExposureSpan, type ExposureTarget } from '../../shared/exposure-rule';
import { backupMatcher } from '../analysis/backup';
import { addRead, EMPTY_COPY_STATE, type CopyState, type Interval } from '../analysis/ranges';
import { all, get, run, type ReadableDB, type WritableDB } from './db';
import { computeExposure } from './analysis-exposure';
import { deriveDownloads, mergedDownloads } from './downloads';
import { loadListingEvidence } from './analysis-listing';
import { getBackupPatterns } from './analysis-settings';
import { termIds } from './event-terms';
import { IP_CONTEXT_PROGRESS, updateIpContext } from './ip-context';
import { objectIds, objectIn } from './ledger-match';
import { join, sql, type Sql } from './sql';

/** A read as the copy reassembly sees it; `complete` is downloads.complete (generated): null when the logs cannot tell whether the whole object went out. */
interface DlRead { status: number | null; bytes_sent: number | null; range: string | null; object_size: number | null; complete: number | null }

/** Range reads replayed per page. */
const CHUNK = 10_000;
/** User agents kept per actor. */
const AGENTS = 50;

export function actorKeyOf(actor: string, sourceIp: string | null): string {
  return actor === 'anonymous' ? `anonymous@${sourceIp ?? 'unknown'}` : actor;
}
/** actorKeyOf in SQL, of the columns (or expressions) given. */
const actorKeySql = (actor: Sql, ip: Sql): Sql => sql`CASE WHEN ${actor} = 'anonymous' THEN 'anonymous@' || coalesce(${ip}, 'unknown') ELSE ${actor} END`;

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

/** How much one slice of the fold takes on: events (per-hour activity, merges into folded downloads), then downloads. */
export interface SliceLimits { events: number; downloads: number }

const WHOLE: SliceLimits = { events: Number.MAX_SAFE_INTEGER, downloads: Number.MAX_SAFE_INTEGER };

/** Folds new events and downloads into the summaries. Safe to call at any time; does nothing when up to date. */
export function updateAnalysis(db: WritableDB): UpdateResult {
  deriveDownloads(db); // the summaries fold downloads, which are derived from events after each import
  const result = foldSlice(db, WHOLE).result;
  updateIpContext(db); // address context for the source values new since the last call (ip-context.ts)
  return result;
}

/**
 * A slice aimed at this long, so a request waiting behind it is answered within about that. Each
 * slice pays fixed costs (its commit rewrites every summary page it touched: ~15 ms of 16 KB pages),
 * so shorter slices cost more in all: folding 1M events took 14.3 s in 50 ms slices, 12.1 s in 100 ms
 * slices (p95 123 ms) and 6.8 s whole. 100 ms keeps a waiting note well under the 200 ms it may take.
 */
const SLICE_TARGET_MS = 100;
/**
 * The least a slice takes on, however slow the machine: each commit writes every page the slice
 * touched (actor, object and pair rows are spread over the tables), so small slices cost far more in
 * all — 500 downloads a slice took 200k access-log lines' fold from 2.1 to 4.2 CPU-s.
 */
const SLICE_FLOOR: SliceLimits = { events: 10_000, downloads: 2_000 };

/**
 * updateAnalysis in slices, each its own short transaction, with `turn()` between them so waiting
 * requests (a note) are handled. A slice folds the events, then the downloads, a prefix further; the
 * summaries between slices are those of that prefix (what folding file by file gives), and the
 * case's freshness marker (analysis_progress against the tables' ends) says they are not current
 * until the last slice. Slice sizes follow the time each one took.
 */
export async function updateAnalysisInSlices(db: WritableDB, turn: () => Promise<void>, opts: { start?: SliceLimits; fixed?: boolean } = {}): Promise<UpdateResult> {
  deriveDownloads(db);
  const total: UpdateResult = { events: 0, downloads: 0, recomputedPairs: 0, exposureRecomputed: false };
  const limits = { ...(opts.start ?? { events: 40_000, downloads: 8_000 }) };
  const ctx: SliceContext = { sizesFrom: -1, sizesThrough: -1 };
  for (;;) {
    const t0 = performance.now();
    const { result, done, part } = foldSlice(db, limits, ctx);
    total.events += result.events;
    total.downloads += result.downloads;
    total.recomputedPairs += result.recomputedPairs;
    total.exposureRecomputed ||= result.exposureRecomputed;
    if (done) break;
    if (!opts.fixed && part) {
      // Toward the target time: at most doubling, and never below a size whose fixed costs would dominate.
      const ms = Math.max(1, performance.now() - t0);
      const scale = Math.min(2, Math.max(0.25, SLICE_TARGET_MS / ms));
      limits[part] = Math.max(SLICE_FLOOR[part], Math.round(limits[part] * scale));
    }
    await turn();
  }
  updateIpContext(db);
  return total;
}

/**
 * Kept between the slices of one updateAnalysisInSlices: the final size of each object the pending
 * downloads (sizesFrom, sizesThrough] read (fold_final_size). A slice sizes its objects by it, so an
 * object does not grow slice after slice — every growth is a refold of all its copies.
 */
interface SliceContext { sizesFrom: number; sizesThrough: number }

function foldSlice(db: WritableDB, limits: SliceLimits, ctx: SliceContext | null = null): { result: UpdateResult; done: boolean; part: keyof SliceLimits | null } {
  return db.transaction(() => {
    const result: UpdateResult = { events: 0, downloads: 0, recomputedPairs: 0, exposureRecomputed: false };
    loadListingEvidence(db);
    const lastDownload = progress(db, 'downloads');
    const lastEvent = progress(db, 'events');

    // Events of a file still being imported are left for later: an interrupted import is undone, and
    // what it wrote must not have been counted.
    const settledBefore = get<{ n: number }>(db, sql`SELECT coalesce(min(first_event), 9007199254740991) AS n FROM evidence WHERE status = 'importing'`)!.n;
    // And only events whose downloads are derived: a merge into a folded download is found from its event.
    const derived = Number(get<{ value: string }>(db, sql`SELECT value FROM case_meta WHERE key = 'downloads_derived_through'`)?.value ?? 0);
    const settled = get<{ n: number | null }>(db, sql`SELECT max(id) AS n FROM events WHERE id > ${lastEvent} AND id < ${settledBefore} AND id <= ${derived}`)!.n;
    const upTo = settled === null ? null : Math.min(settled, lastEvent + limits.events);
    // The events are folded first, then the downloads: a download is folded once every event that merged into it is.
    const eventsLeft = settled !== null && upTo! < settled;
    let exposureTouched = false;
    // Download id → the source bit a later file added (the last such event's, as before).
    run(db, sql`CREATE TEMP TABLE IF NOT EXISTS refold_changed (id INTEGER PRIMARY KEY, bit INTEGER NOT NULL)`);
    let changed = 0;
    // Merges into downloads already folded are found for all the new events at once, in the first
    // slice, so that the summaries between slices are those of the downloads folded so far as they are now.
    const mergesFound = Math.max(lastEvent, progress(db, 'merges_found'));
    if (settled !== null && settled > mergesFound) {
      if (lastDownload > 0) {
        // Found through the download ledger's request index (main/case/downloads.ts), in event order.
        for (const c of mergedDownloads(db, mergesFound, settled, lastDownload)) {
          changed += run(db, sql`INSERT OR REPLACE INTO refold_changed (id, bit) VALUES (${c.id}, ${c.bit})`).changes;
        }
      }
      setProgress(db, 'merges_found', settled);
    }
    if (upTo !== null) {
      // Set-based inside SQLite: per-hour object-level activity per bucket and source. Counted on the
      // coded rows into a table of their groups, a lookup per event: a case's events fall into a few
      // hundred groups per day, and finding one among them costs less than sorting the events to group
      // them (1M events: 0.40 against 0.55 s), and needs no memory for a sort however many there are.
      // Then decoded per group, not per event through the events view's three term lookups.
      run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_event_hours (bucket TEXT NOT NULL, source INTEGER NOT NULL, kind INTEGER NOT NULL,
        action INTEGER NOT NULL, hour INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (bucket, source, kind, action, hour)) WITHOUT ROWID`);
      run(db, sql`
        INSERT INTO fold_event_hours (bucket, source, kind, action, hour, n)
        SELECT bucket, source, kind, action, time / 3600000, 1 FROM event_rows WHERE id > ${lastEvent} AND id <= ${upTo} AND bucket IS NOT NULL
        ON CONFLICT DO UPDATE SET n = n + 1`);
      run(db, sql`
        INSERT INTO source_hours (bucket, source, hour, events)
        SELECT g.bucket, CASE WHEN ts.text = 's3-access-log' THEN 's3-access-log'
                              WHEN tk.text IN ('download', 'upload', 'delete', 'head') OR ta.text = 'GetObject' THEN 'cloudtrail-data'
                              ELSE 'cloudtrail-management' END AS src,
               g.hour, sum(g.n)
        FROM fold_event_hours AS g JOIN terms ts ON ts.id = g.source JOIN terms tk ON tk.id = g.kind JOIN terms ta ON ta.id = g.action
        WHERE ts.text != 's3-access-log' OR tk.text IN ('download', 'upload', 'delete', 'head') OR ta.text = 'REST.GET.OBJECT'
        GROUP BY g.bucket, src, g.hour
        ON CONFLICT (bucket, source, hour) DO UPDATE SET events = events + excluded.events`);
      run(db, sql`DELETE FROM fold_event_hours`);
      exposureTouched = get(db, sql`
        SELECT 1 AS x FROM marked_events WHERE mark IN ('acl-change', 'policy-change', 'public-access-change')
          AND id > ${lastEvent} AND id <= ${upTo} LIMIT 1`) !== undefined;
      result.events = upTo - lastEvent;
      setProgress(db, 'events', upTo);
    }

    const isBackup = memo(backupMatcher(getBackupPatterns(db)));
    registerBackup(db, isBackup);
    const lastInCase = get<{ n: number | null }>(db, sql`SELECT max(id) AS n FROM download_ledger`)!.n ?? 0;
    let lastNew = eventsLeft ? lastDownload : Math.min(lastInCase, lastDownload + limits.downloads);
    // Folding in slices, the pending downloads are first sized per object, a chunk a slice (a scan is
    // cheap beside a fold), and none is folded until all are.
    let finalSizes = false;
    let sizing = false;
    if (ctx && lastNew > lastDownload && lastNew < lastInCase) {
      if (ctx.sizesFrom < 0 || lastDownload < ctx.sizesFrom) {
        run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_final_size (object_id INTEGER PRIMARY KEY, size INTEGER)`);
        run(db, sql`DELETE FROM fold_final_size`);
        ctx.sizesFrom = ctx.sizesThrough = lastDownload;
      }
      if (ctx.sizesThrough < lastInCase) {
        const to = Math.min(lastInCase, ctx.sizesThrough + limits.downloads * 10);
        run(db, sql`
          INSERT INTO fold_final_size (object_id, size)
          SELECT l.object_id, max(coalesce(s.object_size, c.object_size)) FROM download_ledger l
            LEFT JOIN event_rows s ON s.id = l.s3_event_id LEFT JOIN event_rows c ON c.id = l.ct_event_id
          WHERE l.id > ${ctx.sizesThrough} AND l.id <= ${to} GROUP BY l.object_id
          ON CONFLICT (object_id) DO UPDATE SET size = max(coalesce(size, excluded.size), coalesce(excluded.size, size))`);
        ctx.sizesThrough = to;
        if (to < lastInCase) {
          lastNew = lastDownload;
          sizing = true;
        }
      }
      finalSizes = lastNew > lastDownload;
    }
    if (lastNew > lastDownload) {
      readNewDownloads(db, lastDownload, lastNew);
      for (const part of newDownloadParts(db)) {
        run(db, sql`
          INSERT INTO download_hours (bucket, hour, downloads, bytes, anonymous, first_anonymous, last_anonymous, backup_downloads)
          SELECT o.bucket, f.time / 3600000 AS h, count(*), coalesce(sum(f.bytes_sent), 0), sum(f.actor = 'anonymous'),
                 min(CASE WHEN f.actor = 'anonymous' THEN f.time END), max(CASE WHEN f.actor = 'anonymous' THEN f.time END), sum(o.backup)
          FROM fold_new f JOIN fold_objs o ON o.object_id = f.object_id WHERE ${part} GROUP BY o.bucket, h
          ON CONFLICT (bucket, hour) DO UPDATE SET downloads = downloads + excluded.downloads, bytes = bytes + excluded.bytes,
            anonymous = anonymous + excluded.anonymous, backup_downloads = backup_downloads + excluded.backup_downloads,
            first_anonymous = min(coalesce(first_anonymous, excluded.first_anonymous), coalesce(excluded.first_anonymous, first_anonymous)),
            last_anonymous = max(coalesce(last_anonymous, excluded.last_anonymous), coalesce(excluded.last_anonymous, last_anonymous))`);
      }
    }

    // Exposure depends on config events and on anonymous activity; recount in-exposure when it moved.
    let windows = computeExposure(db);
    let sig = windowsSignature(windows);
    let fullRecount = sig !== progress(db, 'exposure_signature') || exposureTouched;
    // With nothing folded before this slice (a rebuild, a new case's first downloads), its downloads are
    // all the summaries hold: each classed as it is grouped counts in full, and the recount's pass over
    // every download in the windows is not needed (10M events: 5.6 s of a 60 s rebuild).
    let recount = fullRecount && lastDownload > 0;
    let resized: number[] = [];
    if (lastNew > lastDownload) {
      ({ downloads: result.downloads, resized } = foldNewDownloads(db, isBackup, recount ? [] : windows, finalSizes));
      run(db, sql`DELETE FROM fold_new`);
      run(db, sql`DELETE FROM fold_objs`);
    }
    setProgress(db, 'downloads', lastNew);
    if (changed || resized.length) {
      // Redone from the downloads folded so far (through lastNew): those after it are folded by later slices.
      result.recomputedPairs = refold(db, resized, isBackup, recount ? [] : windows, lastEvent, lastNew);
      // The anonymous activity behind an observed window is read from the hours the refold redid.
      const again = computeExposure(db);
      if (windowsSignature(again) !== sig) {
        windows = again;
        sig = windowsSignature(again);
        fullRecount = recount = true;
      }
    }
    if (changed) moveSourceCounts(db);
    run(db, sql`DELETE FROM refold_changed`);
    if (fullRecount) {
      if (recount) recountExposure(db, windows, lastNew);
      setProgress(db, 'exposure_signature', sig);
      result.exposureRecomputed = true;
    }
    return { result, done: !eventsLeft && lastNew >= lastInCase, part: eventsLeft ? 'events' as const : sizing ? null : 'downloads' as const };
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

function bumpCounter(db: WritableDB, name: string, by: number): void {
  run(db, sql`INSERT INTO analysis_progress (name, value) VALUES (${name}, ${by}) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`);
}

/** Corroboration counters: a download first seen in one source and later in the other moves from "one" to "both". */
function moveSourceCounts(db: WritableDB): void {
  for (const g of all<{ now: number; bit: number; n: number }>(db, sql`
    SELECT d.sources AS now, c.bit AS bit, count(*) AS n FROM refold_changed c JOIN downloads d ON d.id = c.id GROUP BY now, bit`)) {
    const before = g.now & ~g.bit;
    if (before === g.now || before === 0) continue;
    bumpCounter(db, `sources_${before}`, -g.n);
    bumpCounter(db, `sources_${g.now}`, g.n);
  }
}

/**
 * The downloads after..upTo, read once into a narrow scratch table (fold_new), and their objects once
 * each (fold_objs: text, backup flag, later the summary's oid and size). Every GROUP BY of the fold
 * reads these instead of the downloads view, whose joins to two events each it paid again per pass,
 * and groups objects by the ledger's integer id rather than by their bucket and key.
 *
 * fold_new reads the ledger and its two events' coded rows directly, each field as the view reads it
 * (migration 016's body, kept by 018): the view also joins the object's text, decodes every coded
 * column and is read beside the ledger again for the object's id (1M events: 0.61 -> 0.45 s). The user
 * agent stays its term id (`agent`), decoded only for the few groups that become an actor's agents. A
 * test holds fold_new to the view row by row (exported for it).
 */
export function readNewDownloads(db: WritableDB, after: number, upTo: number): void {
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_new (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, object_id INTEGER NOT NULL, actor TEXT NOT NULL,
    ak TEXT NOT NULL, source_ip TEXT, agent INTEGER, bytes_sent INTEGER, object_size INTEGER, status INTEGER, range TEXT, complete INTEGER,
    sources INTEGER NOT NULL, access_key_id TEXT)`);
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_objs (object_id INTEGER PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, backup INTEGER NOT NULL, oid INTEGER, size INTEGER)`);
  // The access key behind a principal is read only where one is named (anonymous requests carry none).
  run(db, sql`
    INSERT INTO fold_new (id, time, object_id, actor, ak, source_ip, agent, bytes_sent, object_size, status, range, complete, sources, access_key_id)
    SELECT l.id, l.time, l.object_id, a.actor, ${actorKeySql(sql`a.actor`, sql`l.source_ip`)},
           l.source_ip, coalesce(s.user_agent, c.user_agent),
           coalesce(s.bytes_sent, c.bytes_sent), coalesce(s.object_size, c.object_size), coalesce(s.status, c.status), coalesce(s.range, c.range),
           CASE WHEN coalesce(s.status, c.status) = 206 THEN 0
                WHEN coalesce(s.bytes_sent, c.bytes_sent) IS NULL OR coalesce(s.object_size, c.object_size) IS NULL THEN NULL
                WHEN coalesce(s.bytes_sent, c.bytes_sent) >= coalesce(s.object_size, c.object_size) THEN 1 ELSE 0 END,
           l.sources, CASE WHEN a.actor != 'anonymous' THEN coalesce(c.access_key_id, s.access_key_id) END
    FROM download_ledger l JOIN ledger_actors a ON a.id = l.actor_id
         LEFT JOIN event_rows s ON s.id = l.s3_event_id LEFT JOIN event_rows c ON c.id = l.ct_event_id
    WHERE l.id > ${after} AND l.id <= ${upTo}`);
  run(db, sql`
    INSERT INTO fold_objs (object_id, bucket, key, backup)
    SELECT id, bucket, key, tm_is_backup(key) FROM ledger_objects WHERE id IN (SELECT object_id FROM fold_new)`);
}

/**
 * A GROUP BY of the fold sorts at most `sortDownloads` downloads; the rest are grouped part by part and
 * each part added to the last. A sort past the page cache (64 MB) spills to temporary files and merges
 * them: at 10M events that made the groups of downloads take 17.5 s against 11 s. Tests lower it.
 */
export const foldMemory = { sortDownloads: 500_000 };

/** The ids after..upTo as (from, to] parts of at most `size`. */
function idParts(after: number, upTo: number, size: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  for (let from = after; from < upTo; from += size) parts.push([from, Math.min(upTo, from + size)]);
  return parts;
}

/** The new downloads (fold_new, as `f`) as conditions on their ids, foldMemory.sortDownloads a part. */
function newDownloadParts(db: WritableDB): Sql[] {
  // Apart, each an end of the rowid: min() and max() in one SELECT read every row (0.25 s at 4M).
  const span = get<{ lo: number | null; hi: number | null }>(db, sql`SELECT (SELECT min(id) FROM fold_new) AS lo, (SELECT max(id) FROM fold_new) AS hi`)!;
  if (span.lo === null || span.hi === null) return [];
  return idParts(span.lo - 1, span.hi, foldMemory.sortDownloads).map(([from, to]) => sql`f.id > ${from} AND f.id <= ${to}`);
}

/**
 * Groups the new downloads (fold_new) per object, per actor and per corroboration, and each actor's
 * user agents with the first download that used them, into fold_object_groups, fold_actor_groups and
 * fold_agent_groups, foldMemory.sortDownloads downloads a part; returns the count per corroboration
 * value. With a window open each download is classed (inside, at the boundary, outside) as it is grouped.
 */
function groupNewDownloads(db: WritableDB, classed: boolean): Map<number, number> {
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_object_groups (object_id INTEGER PRIMARY KEY, size INTEGER, n INTEGER NOT NULL, bytes INTEGER NOT NULL,
    unknown INTEGER NOT NULL, cunknown INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL)`);
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_actor_groups (ak TEXT PRIMARY KEY, actor TEXT NOT NULL, min_ip TEXT, access_key_id TEXT,
    first INTEGER NOT NULL, last INTEGER NOT NULL, n INTEGER NOT NULL, bytes INTEGER NOT NULL, unknown INTEGER NOT NULL, cunknown INTEGER NOT NULL,
    inside INTEGER NOT NULL, boundary INTEGER NOT NULL) WITHOUT ROWID`);
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_agent_groups (ak TEXT NOT NULL, agent INTEGER NOT NULL, first INTEGER NOT NULL,
    PRIMARY KEY (ak, agent)) WITHOUT ROWID`);
  for (const t of ['fold_object_groups', 'fold_actor_groups', 'fold_agent_groups']) db.prepare(`DELETE FROM ${t}`).run(); // fixed names
  // One class per download, counted twice: inside and at the boundary (a download at the boundary is neither in nor out).
  const exposure = classed ? sql`sum(cls = 'inside') AS inside, sum(cls = 'boundary') AS boundary` : sql`0 AS inside, 0 AS boundary`;
  const cls = classed ? sql`tm_object_exposure_class(f.object_id, f.time)` : sql`'outside'`;
  const rule = currentRules(db);
  const bySources = new Map<number, number>();
  for (const part of newDownloadParts(db)) {
    run(db, sql`
      INSERT INTO fold_object_groups (object_id, size, n, bytes, unknown, cunknown, first, last)
      SELECT object_id, max(object_size), count(*), coalesce(sum(bytes_sent), 0), sum(bytes_sent IS NULL), sum(complete IS NULL), min(time), max(time)
      FROM fold_new f WHERE ${part} GROUP BY object_id
      ON CONFLICT (object_id) DO UPDATE SET size = max(coalesce(size, excluded.size), coalesce(excluded.size, size)), n = n + excluded.n,
        bytes = bytes + excluded.bytes, unknown = unknown + excluded.unknown, cunknown = cunknown + excluded.cunknown,
        first = min(first, excluded.first), last = max(last, excluded.last)`);
    if (classed) {
      rule.objects = new Map(all<{ id: number; bucket: string; key: string }>(db, sql`
        SELECT object_id AS id, bucket, key FROM fold_objs WHERE object_id IN (SELECT object_id FROM fold_new f WHERE ${part})`)
        .map((o) => [o.id, targetOf(rule.targets, o.bucket, o.key)?.spans ?? null]));
    }
    // The access key behind a principal is of its latest download (by id) whose events carry one (a later
    // part's), found by that download's id in the same grouping (only a principal's carry one, and its key is its ARN).
    run(db, sql`
      INSERT INTO fold_actor_groups (ak, actor, min_ip, access_key_id, first, last, n, bytes, unknown, cunknown, inside, boundary)
      SELECT g.ak, g.actor, g.ip, (SELECT access_key_id FROM fold_new WHERE id = g.kid), g.first, g.last, g.n, g.bytes, g.unknown, g.cunknown, g.inside, g.boundary
      FROM (SELECT ak, min(actor) AS actor, min(source_ip) AS ip, min(time) AS first, max(time) AS last, count(*) AS n, coalesce(sum(bytes_sent), 0) AS bytes,
                   sum(bytes_sent IS NULL) AS unknown, sum(complete IS NULL) AS cunknown, max(CASE WHEN access_key_id IS NOT NULL THEN id END) AS kid, ${exposure}
            FROM (SELECT f.id, f.ak, f.actor, f.source_ip, f.time, f.bytes_sent, f.complete, f.access_key_id, ${cls} AS cls
                  FROM fold_new f WHERE ${part})
            GROUP BY ak) AS g
      WHERE true
      ON CONFLICT (ak) DO UPDATE SET actor = min(actor, excluded.actor), min_ip = min(coalesce(min_ip, excluded.min_ip), coalesce(excluded.min_ip, min_ip)),
        access_key_id = coalesce(excluded.access_key_id, access_key_id), first = min(first, excluded.first), last = max(last, excluded.last),
        n = n + excluded.n, bytes = bytes + excluded.bytes, unknown = unknown + excluded.unknown, cunknown = cunknown + excluded.cunknown,
        inside = inside + excluded.inside, boundary = boundary + excluded.boundary`);
    // A later part's ids are larger: an agent already grouped keeps its first download, and its later
    // downloads are passed over before the sort (10M events: 3.6 -> 2.0 s).
    run(db, sql`
      INSERT OR IGNORE INTO fold_agent_groups (ak, agent, first)
      SELECT ak, agent, min(id) FROM fold_new f WHERE ${part} AND agent IS NOT NULL AND agent NOT IN ${termIds([''])}
        AND NOT EXISTS (SELECT 1 FROM fold_agent_groups g WHERE g.ak = f.ak AND g.agent = f.agent)
      GROUP BY ak, agent`);
    rule.objects = new Map();
    for (const r of all<{ sources: number; n: number }>(db, sql`SELECT sources, count(*) AS n FROM fold_new f WHERE ${part} GROUP BY sources`)) {
      bySources.set(r.sources, (bySources.get(r.sources) ?? 0) + r.n);
    }
  }
  return bySources;
}

interface PairRow { downloads: number; bytes: number; bytes_unknown: number; complete_unknown: number; whole: number; assembled: number; intervals: string | null }

/** The key of an actor in SQL over downloads: anonymous requests from different IPs are different people (actorKeyOf). */
const ACTOR_KEY = actorKeySql(sql`actor`, sql`source_ip`);

/**
 * Folds the downloads after..upTo into actors, objects, actor/object pairs and the backup index, set by
 * set in SQL: the per-row fold in JS was most of an import's closing time (400k access-log lines: 6.6
 * of 17.7 s). Each summary row is upserted once per update, from a GROUP BY over the new downloads.
 * The backup patterns and the exposure rule (shared/exposure-rule: inside, at the boundary, outside)
 * are JS, called from SQL as functions of this connection. Pairs whose reads carry byte ranges (few)
 * are still replayed in JS, in time order.
 */
function foldNewDownloads(db: WritableDB, isBackup: (k: string) => boolean, windows: ExposureWindow[], finalSizes = false): { downloads: number; resized: number[] } {
  registerRule(db, isBackup, windows);
  // The backups-only index (the hourly backup counts came with the hours).
  run(db, sql`INSERT OR IGNORE INTO backup_downloads (time, id) SELECT f.time, f.id FROM fold_new f JOIN fold_objs o ON o.object_id = f.object_id WHERE o.backup`);
  // Sized by every pending download when folding in slices (fold_final_size holds at least this slice's max).
  const size = finalSizes
    ? sql`coalesce((SELECT z.size FROM fold_final_size z WHERE z.object_id = o.object_id), g.size)`
    : sql`g.size`;
  // The new downloads per object, per actor and per corroboration, and each actor's user agents.
  for (const [sources, n] of groupNewDownloads(db, windows.length > 0)) bumpCounter(db, `sources_${sources}`, n);
  // An object already in the case whose size grows had its earlier copies measured against the old
  // size (refold redoes them), so the sizes before come first.
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_objects (bucket TEXT NOT NULL, key TEXT NOT NULL, size INTEGER, n INTEGER, bytes INTEGER, unknown INTEGER,
    cunknown INTEGER, first INTEGER, last INTEGER, backup INTEGER, PRIMARY KEY (bucket, key)) WITHOUT ROWID`);
  run(db, sql`
    INSERT INTO fold_objects (bucket, key, size, n, bytes, unknown, cunknown, first, last, backup)
    SELECT o.bucket, o.key, ${size}, g.n, g.bytes, g.unknown, g.cunknown, g.first, g.last, o.backup
    FROM fold_object_groups g JOIN fold_objs o ON o.object_id = g.object_id`);
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_sizes (oid INTEGER PRIMARY KEY, size INTEGER)`);
  run(db, sql`INSERT INTO fold_sizes (oid, size) SELECT o.oid, o.size FROM fold_objects f JOIN object_stats o ON o.bucket = f.bucket AND o.key = f.key`);
  // Objects, then actors: their ids and the objects' sizes (copies are measured against them). Beside
  // each sum of bytes, how many downloads logged none; beside each copy count, how many cannot tell.
  run(db, sql`
    INSERT INTO object_stats (bucket, key, size, downloads, bytes_out, bytes_unknown, complete_unknown, first_download, last_download, is_backup)
    SELECT bucket, key, size, n, bytes, unknown, cunknown, first, last, backup FROM fold_objects WHERE true
    ON CONFLICT (bucket, key) DO UPDATE SET size = max(coalesce(size, excluded.size), coalesce(excluded.size, size)),
      downloads = downloads + excluded.downloads, bytes_out = bytes_out + excluded.bytes_out, bytes_unknown = bytes_unknown + excluded.bytes_unknown,
      complete_unknown = complete_unknown + excluded.complete_unknown,
      first_download = min(first_download, excluded.first_download), last_download = max(last_download, excluded.last_download)`);
  run(db, sql`DELETE FROM fold_objects`);
  const resized = all<{ oid: number }>(db, sql`SELECT f.oid FROM fold_sizes f JOIN object_stats o ON o.oid = f.oid WHERE o.size IS NOT f.size`).map((r) => r.oid);
  run(db, sql`DELETE FROM fold_sizes`);
  run(db, sql`UPDATE fold_objs SET (oid, size) = (SELECT s.oid, s.size FROM object_stats s WHERE s.bucket = fold_objs.bucket AND s.key = fold_objs.key)`);
  // The access key behind a principal: of its latest download (by id) whose events carry one — the
  // same whatever the updates the downloads were folded in (an earlier download's key is kept when
  // this update's carry none), which verify's rebuild holds it to.
  run(db, sql`
    INSERT INTO actor_stats (actor_key, actor, source_ip, access_key_id, first_seen, last_seen, downloads, bytes, bytes_unknown, complete_unknown, in_exposure, at_boundary)
    SELECT ak, actor, CASE WHEN actor = 'anonymous' THEN min_ip END, access_key_id, first, last, n, bytes, unknown, cunknown, inside, boundary
    FROM fold_actor_groups WHERE true
    ON CONFLICT (actor_key) DO UPDATE SET access_key_id = coalesce(excluded.access_key_id, access_key_id),
      first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen),
      downloads = downloads + excluded.downloads, bytes = bytes + excluded.bytes, bytes_unknown = bytes_unknown + excluded.bytes_unknown,
      complete_unknown = complete_unknown + excluded.complete_unknown, in_exposure = in_exposure + excluded.in_exposure, at_boundary = at_boundary + excluded.at_boundary`);
  // An actor's first user agents (by first download), up to AGENTS in all however many updates brought them.
  run(db, sql`
    INSERT OR IGNORE INTO actor_agents (aid, user_agent)
    SELECT u.aid, u.user_agent
    FROM (SELECT a.aid, t.text AS user_agent, row_number() OVER (PARTITION BY a.aid ORDER BY n.first) AS rn
          FROM fold_agent_groups AS n
          JOIN actor_stats a ON a.actor_key = n.ak JOIN terms t ON t.id = n.agent
          WHERE NOT EXISTS (SELECT 1 FROM actor_agents x WHERE x.aid = a.aid AND x.user_agent = t.text)) AS u
    WHERE u.rn <= ${AGENTS} - (SELECT count(*) FROM actor_agents x WHERE x.aid = u.aid)`);
  // The new downloads by actor and object id, and their pairs: reads without a range are stateless (a
  // whole read is a copy) and are added in SQL; pairs with range reads carry byte intervals, replayed below.
  // By pair, then time order (id): the pairs are grouped without a sort, and a ranged pair's reads are one range of it.
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_reads (aid INTEGER NOT NULL, oid INTEGER NOT NULL, id INTEGER NOT NULL, status INTEGER, bytes_sent INTEGER,
    range TEXT, object_size INTEGER, size INTEGER, complete INTEGER, backup INTEGER NOT NULL, PRIMARY KEY (aid, oid, id)) WITHOUT ROWID`);
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS fold_pairs (aid INTEGER NOT NULL, oid INTEGER NOT NULL, downloads INTEGER NOT NULL, bytes INTEGER NOT NULL,
    bytes_unknown INTEGER NOT NULL, complete_unknown INTEGER NOT NULL,
    whole INTEGER NOT NULL, ranged INTEGER NOT NULL, is_new INTEGER NOT NULL, backup INTEGER NOT NULL, size INTEGER, PRIMARY KEY (aid, oid)) WITHOUT ROWID`);
  run(db, sql`
    INSERT INTO fold_reads (id, aid, oid, status, bytes_sent, range, object_size, size, complete, backup)
    SELECT d.id, a.aid, x.oid, d.status, d.bytes_sent, d.range, d.object_size, x.size, d.complete, x.backup
    FROM fold_new d JOIN actor_stats a ON a.actor_key = d.ak JOIN fold_objs x ON x.object_id = d.object_id
    ORDER BY a.aid, x.oid, d.id`); // sorted, then appended: cheaper than inserting into the key order at random
  run(db, sql`
    INSERT INTO fold_pairs (aid, oid, downloads, bytes, bytes_unknown, complete_unknown, whole, ranged, is_new, backup, size)
    SELECT r.aid, r.oid, count(*), coalesce(sum(r.bytes_sent), 0), sum(r.bytes_sent IS NULL), sum(r.complete IS NULL),
           sum(r.bytes_sent IS NOT NULL AND coalesce(r.size, r.object_size) IS NOT NULL AND r.bytes_sent >= coalesce(r.size, r.object_size)),
           max(r.status IS 206 OR (r.range IS NOT NULL AND r.status IS NOT 200)),
           NOT EXISTS (SELECT 1 FROM actor_objects p WHERE p.aid = r.aid AND p.oid = r.oid),
           max(r.backup), min(r.size)
    FROM fold_reads r GROUP BY r.aid, r.oid`);
  run(db, sql`
    INSERT INTO actor_objects (aid, oid, downloads, bytes, bytes_unknown, complete_unknown, whole)
    SELECT aid, oid, downloads, bytes, bytes_unknown, complete_unknown, whole FROM fold_pairs WHERE NOT ranged AND is_new`);
  run(db, sql`
    UPDATE actor_objects SET downloads = actor_objects.downloads + p.downloads, bytes = actor_objects.bytes + p.bytes,
      bytes_unknown = actor_objects.bytes_unknown + p.bytes_unknown, complete_unknown = actor_objects.complete_unknown + p.complete_unknown,
      whole = actor_objects.whole + p.whole
    FROM fold_pairs p WHERE NOT p.ranged AND NOT p.is_new AND actor_objects.aid = p.aid AND actor_objects.oid = p.oid`);
  run(db, sql`
    UPDATE actor_stats SET objects = actor_stats.objects + x.n, backup_objects = actor_stats.backup_objects + x.nb, whole_copies = actor_stats.whole_copies + x.w
    FROM (SELECT aid, sum(is_new) AS n, sum(is_new AND backup) AS nb, sum(whole) AS w FROM fold_pairs WHERE NOT ranged GROUP BY aid) AS x
    WHERE actor_stats.aid = x.aid AND (x.n OR x.w)`);
  run(db, sql`
    UPDATE object_stats SET actors = object_stats.actors + x.n, whole_copies = object_stats.whole_copies + x.w
    FROM (SELECT oid, sum(is_new) AS n, sum(whole) AS w FROM fold_pairs WHERE NOT ranged GROUP BY oid) AS x
    WHERE object_stats.oid = x.oid AND (x.n OR x.w)`);
  // The pairs with range reads: each pair's reads in time order (ids), replayed into its stored copy state.
  const actorDelta = new Map<number, Delta>();
  const objectDelta = new Map<number, Delta>();
  const writes: PairWrites = [];
  let pair: { aid: number; oid: number; size: number | null; backup: number; isNew: number; reads: DlRead[] } | null = null;
  const replay = () => {
    if (!pair) return;
    const d = replayPair(db, writes, pair.aid, pair.oid, pair.reads, pair.size, false, pair.isNew === 1);
    if (d.isNew && pair.backup) d.backup = 1;
    addDelta(actorDelta, pair.aid, d);
    addDelta(objectDelta, pair.oid, d);
  };
  // Read a page at a time (a pair may run on into the next page): a case's range reads may be millions.
  for (let at = { aid: -1, oid: -1, id: -1 }; ;) {
    const page = all<DlRead & { aid: number; oid: number; id: number; size: number | null; backup: number; is_new: number }>(db, sql`
      SELECT r.aid, r.oid, r.id, p.size, p.backup, p.is_new, r.status, r.bytes_sent, r.range, r.object_size, r.complete
      FROM fold_reads r JOIN fold_pairs p ON p.aid = r.aid AND p.oid = r.oid
      WHERE p.ranged AND (r.aid, r.oid, r.id) > (${at.aid}, ${at.oid}, ${at.id}) ORDER BY r.aid, r.oid, r.id LIMIT ${CHUNK}`);
    if (!page.length) break;
    for (const r of page) {
      if (!pair || pair.aid !== r.aid || pair.oid !== r.oid) {
        replay();
        pair = { aid: r.aid, oid: r.oid, size: r.size, backup: r.backup, isNew: r.is_new, reads: [] };
      }
      pair.reads.push(r);
    }
    at = page[page.length - 1];
  }
  replay();
  writePairs(db, writes);
  applyDeltas(db, actorDelta, 'actors');
  applyDeltas(db, objectDelta, 'objects');
  const n = get<{ n: number }>(db, sql`SELECT count(*) AS n FROM fold_reads`)!.n;
  run(db, sql`DELETE FROM fold_reads`);
  run(db, sql`DELETE FROM fold_pairs`);
  return { downloads: n, resized };
}

/**
 * What this connection's SQL functions answer with: set per fold, registered once. Registering a
 * function again expires every prepared statement of the connection, which then compiles again: per
 * slice of a sliced fold that was about 10 ms of CPU.
 */
interface Rules {
  isBackup: (k: string) => boolean; classify: ReturnType<typeof exposureClassifier>; targets: ExposureTarget[];
  /** The spans each object is classed against (null: none), by ledger id, for tm_object_exposure_class: those of the part being grouped. */
  objects: Map<number, ExposureSpan[] | null>;
}
const rules = new WeakMap<WritableDB, Rules>();

function currentRules(db: WritableDB): Rules {
  let r = rules.get(db);
  if (!r) {
    const rule: Rules = { isBackup: () => false, classify: exposureClassifier([]), targets: [], objects: new Map() };
    db.function('tm_is_backup', { deterministic: true }, (key: unknown) => (rule.isBackup(String(key)) ? 1 : 0));
    db.function('tm_exposure_class', { deterministic: true }, (bucket: unknown, key: unknown, time: unknown) =>
      rule.classify({ bucket: String(bucket), key: String(key), timeMs: Number(time) }));
    // By the object's id, its target found once: its bucket and key are not copied from SQLite for every
    // download (a quarter of a trail's fold).
    db.function('tm_object_exposure_class', { deterministic: true }, (id: unknown, time: unknown) => {
      const spans = rule.objects.get(Number(id));
      if (spans === undefined) throw new Error(`tm_object_exposure_class: object ${String(id)} is not among the objects loaded for this part`);
      return spans ? classifyTime(spans, Number(time)) : 'outside';
    });
    rules.set(db, (r = rule));
  }
  return r;
}

function registerBackup(db: WritableDB, isBackup: (k: string) => boolean): void {
  currentRules(db).isBackup = isBackup;
}

/** The backup patterns and the exposure rule (shared/exposure-rule), as SQL functions of this connection. */
function registerRule(db: WritableDB, isBackup: (k: string) => boolean, windows: ExposureWindow[]): void {
  const r = currentRules(db);
  r.isBackup = isBackup;
  r.classify = exposureClassifier(windows);
  r.targets = exposureTargets(windows);
}

/**
 * Redoes, from the downloads as they are now, every summary row that a later file's merge into
 * downloads already folded may have moved — or a larger object size, which every copy of that object
 * is measured against. A merge can change a download's time, actor (an access-log requester named by
 * CloudTrail's ARN), bytes, size and status, and the fold cannot know what it was before, so the rows
 * are rebuilt rather than patched by a delta: the actors of those downloads (as they were and as they
 * are), their objects, every pair of either, and the hours they fall in. The summaries are then what a
 * rebuild from scratch gives, whatever order the files came in (verify's rebuild holds them to it).
 */
function refold(db: WritableDB, resized: number[], isBackup: (k: string) => boolean, windows: ExposureWindow[], lastEvent: number, through: number): number {
  registerRule(db, isBackup, windows);
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS refold_actors (ak TEXT PRIMARY KEY) WITHOUT ROWID`);
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS refold_objects (bucket TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (bucket, key)) WITHOUT ROWID`);
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS refold_hours (bucket TEXT NOT NULL, hour INTEGER NOT NULL, PRIMARY KEY (bucket, hour)) WITHOUT ROWID`);
  // The merged downloads (refold_changed) as they are now, and as they were when folded: the actor
  // and time their earlier events gave them.
  run(db, sql`INSERT OR IGNORE INTO refold_actors (ak) SELECT ${actorKeySql(sql`d.actor`, sql`d.source_ip`)} FROM refold_changed c JOIN downloads d ON d.id = c.id`);
  run(db, sql`INSERT OR IGNORE INTO refold_objects (bucket, key) SELECT d.bucket, d.key FROM refold_changed c JOIN downloads d ON d.id = c.id`);
  run(db, sql`INSERT OR IGNORE INTO refold_hours (bucket, hour) SELECT d.bucket, d.time / 3600000 FROM refold_changed c JOIN downloads d ON d.id = c.id`);
  const before = sql`refold_changed c JOIN downloads d ON d.id = c.id JOIN events e ON e.id IN (d.ct_event_id, d.s3_event_id) AND e.id <= ${lastEvent}`;
  const eActor = sql`coalesce(e.actor, 'unknown')`;
  run(db, sql`INSERT OR IGNORE INTO refold_actors (ak) SELECT ${actorKeySql(eActor, sql`e.source_ip`)} FROM ${before}`);
  run(db, sql`INSERT OR IGNORE INTO refold_actors (ak) SELECT ${actorKeySql(eActor, sql`d.source_ip`)} FROM ${before}`);
  run(db, sql`INSERT OR IGNORE INTO refold_hours (bucket, hour) SELECT d.bucket, e.time / 3600000 FROM ${before}`);
  for (const oid of resized) run(db, sql`INSERT OR IGNORE INTO refold_objects (bucket, key) SELECT bucket, key FROM object_stats WHERE oid = ${oid}`);

  // The hours and the backups index of the merged downloads.
  run(db, sql`DELETE FROM backup_downloads WHERE id IN (SELECT id FROM refold_changed)`);
  run(db, sql`INSERT OR IGNORE INTO backup_downloads (time, id) SELECT time, id FROM downloads WHERE id IN (SELECT id FROM refold_changed) AND tm_is_backup(key)`);
  run(db, sql`DELETE FROM download_hours WHERE (bucket, hour) IN (SELECT bucket, hour FROM refold_hours)`);
  run(db, sql`
    INSERT INTO download_hours (bucket, hour, downloads, bytes, anonymous, first_anonymous, last_anonymous, backup_downloads)
    SELECT d.bucket, h.hour, count(*), coalesce(sum(d.bytes_sent), 0), sum(d.actor = 'anonymous'),
           min(CASE WHEN d.actor = 'anonymous' THEN d.time END), max(CASE WHEN d.actor = 'anonymous' THEN d.time END), sum(tm_is_backup(d.key))
    FROM refold_hours h JOIN downloads d ON d.time >= h.hour * 3600000 AND d.time < (h.hour + 1) * 3600000 AND d.bucket = h.bucket AND +d.id <= ${through}
    GROUP BY d.bucket, h.hour`);

  // The downloads of every pair to rebuild: of an actor to redo, or of an object to redo.
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS refold_downloads (ak TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL, id INTEGER NOT NULL,
    PRIMARY KEY (ak, bucket, key, id)) WITHOUT ROWID`);
  run(db, sql`
    INSERT OR IGNORE INTO refold_downloads (ak, bucket, key, id)
    SELECT ${ACTOR_KEY}, bucket, key, id FROM downloads WHERE actor IN (SELECT ak FROM refold_actors) AND +id <= ${through}
    UNION ALL SELECT ${ACTOR_KEY}, bucket, key, id FROM downloads
      WHERE actor = 'anonymous' AND 'anonymous@' || coalesce(source_ip, 'unknown') IN (SELECT ak FROM refold_actors) AND +id <= ${through}
    UNION ALL SELECT ${ACTOR_KEY}, d.bucket, d.key, d.id FROM refold_objects o JOIN downloads d ON d.bucket = o.bucket AND d.key = o.key AND +d.id <= ${through}`);
  // Every pair of an actor or object to redo goes; the actors and objects those pairs touched are summed again below.
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS refold_touched (aid INTEGER, oid INTEGER)`);
  run(db, sql`
    INSERT INTO refold_touched (aid, oid)
    SELECT p.aid, p.oid FROM actor_objects p
    WHERE p.aid IN (SELECT a.aid FROM actor_stats a JOIN refold_actors r ON r.ak = a.actor_key)
       OR p.oid IN (SELECT o.oid FROM object_stats o JOIN refold_objects r ON r.bucket = o.bucket AND r.key = o.key)`);
  run(db, sql`DELETE FROM actor_objects WHERE (aid, oid) IN (SELECT aid, oid FROM refold_touched)`);

  // Objects to redo: every column from their downloads.
  run(db, sql`
    UPDATE object_stats SET size = x.size, downloads = x.n, bytes_out = x.bytes, bytes_unknown = x.unknown, complete_unknown = x.cunknown,
      first_download = x.first, last_download = x.last
    FROM (SELECT d.bucket, d.key, max(d.object_size) AS size, count(*) AS n, coalesce(sum(d.bytes_sent), 0) AS bytes, sum(d.bytes_sent IS NULL) AS unknown,
                 sum(d.complete IS NULL) AS cunknown, min(d.time) AS first, max(d.time) AS last
          FROM refold_objects o JOIN downloads d ON d.bucket = o.bucket AND d.key = o.key AND +d.id <= ${through} GROUP BY d.bucket, d.key) AS x
    WHERE object_stats.bucket = x.bucket AND object_stats.key = x.key`);
  // Actors to redo: every column from their downloads (one that has none left goes, with its user agents).
  const cls = windows.length ? sql`tm_exposure_class(d.bucket, d.key, d.time)` : sql`'outside'`;
  run(db, sql`DELETE FROM actor_agents WHERE aid IN (SELECT a.aid FROM actor_stats a JOIN refold_actors r ON r.ak = a.actor_key)`);
  run(db, sql`
    DELETE FROM actor_stats WHERE actor_key IN (SELECT ak FROM refold_actors) AND actor_key NOT IN (SELECT ak FROM refold_downloads)`);
  run(db, sql`
    INSERT INTO actor_stats (actor_key, actor, source_ip, access_key_id, first_seen, last_seen, downloads, bytes, bytes_unknown, complete_unknown, in_exposure, at_boundary)
    SELECT g.ak, g.actor, g.ip, k.access_key_id, g.first, g.last, g.n, g.bytes, g.unknown, g.cunknown, g.inside, g.boundary
    FROM (SELECT x.ak, min(d.actor) AS actor, CASE WHEN min(d.actor) = 'anonymous' THEN min(d.source_ip) END AS ip, min(d.time) AS first, max(d.time) AS last,
                 count(*) AS n, coalesce(sum(d.bytes_sent), 0) AS bytes, sum(d.bytes_sent IS NULL) AS unknown, sum(d.complete IS NULL) AS cunknown,
                 sum(${cls} = 'inside') AS inside, sum(${cls} = 'boundary') AS boundary
          FROM refold_downloads x JOIN downloads d ON d.id = x.id WHERE x.ak IN (SELECT ak FROM refold_actors) GROUP BY x.ak) AS g
    LEFT JOIN (SELECT x.ak, max(d.id), coalesce((SELECT access_key_id FROM events WHERE id = d.ct_event_id), (SELECT access_key_id FROM events WHERE id = d.s3_event_id)) AS access_key_id
               FROM refold_downloads x JOIN downloads d ON d.id = x.id
               WHERE x.ak IN (SELECT ak FROM refold_actors) AND d.actor != 'anonymous'
                 AND coalesce((SELECT access_key_id FROM events WHERE id = d.ct_event_id), (SELECT access_key_id FROM events WHERE id = d.s3_event_id)) IS NOT NULL
               GROUP BY x.ak) AS k ON k.ak = g.ak
    WHERE true
    ON CONFLICT (actor_key) DO UPDATE SET actor = excluded.actor, source_ip = excluded.source_ip, access_key_id = excluded.access_key_id,
      first_seen = excluded.first_seen, last_seen = excluded.last_seen, downloads = excluded.downloads, bytes = excluded.bytes,
      bytes_unknown = excluded.bytes_unknown, complete_unknown = excluded.complete_unknown, in_exposure = excluded.in_exposure, at_boundary = excluded.at_boundary`);
  run(db, sql`
    INSERT OR IGNORE INTO actor_agents (aid, user_agent)
    SELECT a.aid, u.user_agent
    FROM (SELECT x.ak, d.user_agent, row_number() OVER (PARTITION BY x.ak ORDER BY min(d.id)) AS rn
          FROM refold_downloads x JOIN downloads d ON d.id = x.id
          WHERE x.ak IN (SELECT ak FROM refold_actors) AND d.user_agent IS NOT NULL AND d.user_agent != '' GROUP BY x.ak, d.user_agent) AS u
    JOIN actor_stats a ON a.actor_key = u.ak
    WHERE u.rn <= ${AGENTS}`);

  // Every pair of those downloads, from scratch: as the fold does, pairs without range reads in SQL
  // (a whole read is a copy), and the pairs with range reads replayed in JS, in time order.
  run(db, sql`CREATE TEMP TABLE IF NOT EXISTS refold_pairs (ak TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL, aid INTEGER NOT NULL, oid INTEGER NOT NULL,
    downloads INTEGER NOT NULL, bytes INTEGER NOT NULL, bytes_unknown INTEGER NOT NULL, complete_unknown INTEGER NOT NULL, whole INTEGER NOT NULL,
    ranged INTEGER NOT NULL, size INTEGER, PRIMARY KEY (ak, bucket, key)) WITHOUT ROWID`);
  run(db, sql`
    INSERT INTO refold_pairs (ak, bucket, key, aid, oid, downloads, bytes, bytes_unknown, complete_unknown, whole, ranged, size)
    SELECT x.ak, x.bucket, x.key, a.aid, o.oid, count(*), coalesce(sum(d.bytes_sent), 0), sum(d.bytes_sent IS NULL), sum(d.complete IS NULL),
           sum(d.bytes_sent IS NOT NULL AND coalesce(o.size, d.object_size) IS NOT NULL AND d.bytes_sent >= coalesce(o.size, d.object_size)),
           max(d.status IS 206 OR (d.range IS NOT NULL AND d.status IS NOT 200)), o.size
    FROM refold_downloads x JOIN downloads d ON d.id = x.id JOIN actor_stats a ON a.actor_key = x.ak
    JOIN object_stats o ON o.bucket = x.bucket AND o.key = x.key
    GROUP BY x.ak, x.bucket, x.key`);
  run(db, sql`
    INSERT OR REPLACE INTO actor_objects (aid, oid, downloads, bytes, bytes_unknown, complete_unknown, whole, assembled, intervals)
    SELECT aid, oid, downloads, bytes, bytes_unknown, complete_unknown, whole, 0, NULL FROM refold_pairs WHERE NOT ranged`);
  run(db, sql`INSERT INTO refold_touched (aid, oid) SELECT aid, oid FROM refold_pairs`);
  const pairs = get<{ n: number }>(db, sql`SELECT count(*) AS n FROM refold_pairs`)!.n;
  let pair: { aid: number; oid: number; size: number | null; reads: DlRead[] } | null = null;
  const writes: PairWrites = [];
  const replay = () => { if (pair) replayPair(db, writes, pair.aid, pair.oid, pair.reads, pair.size, true); };
  // By id, the order the fold replays a pair's reads in.
  for (let at = { ak: '', bucket: '', key: '', id: -1 }; ;) {
    const page = all<DlRead & { ak: string; bucket: string; key: string; id: number; aid: number; oid: number; size: number | null }>(db, sql`
      SELECT x.ak, x.bucket, x.key, x.id, p.aid, p.oid, p.size, d.status, d.bytes_sent, d.range, d.object_size, d.complete
      FROM refold_downloads x JOIN refold_pairs p ON p.ak = x.ak AND p.bucket = x.bucket AND p.key = x.key AND p.ranged
      JOIN downloads d ON d.id = x.id
      WHERE (x.ak, x.bucket, x.key, x.id) > (${at.ak}, ${at.bucket}, ${at.key}, ${at.id})
      ORDER BY x.ak, x.bucket, x.key, x.id LIMIT ${CHUNK}`);
    if (!page.length) break;
    for (const r of page) {
      if (!pair || pair.aid !== r.aid || pair.oid !== r.oid) {
        replay();
        pair = { aid: r.aid, oid: r.oid, size: r.size, reads: [] };
      }
      pair.reads.push(r);
    }
    at = page[page.length - 1];
  }
  replay();
  writePairs(db, writes);
  // The pair counts of every actor and object a removed or rebuilt pair belonged to.
  run(db, sql`
    UPDATE actor_stats SET objects = coalesce(x.n, 0), backup_objects = coalesce(x.nb, 0), whole_copies = coalesce(x.w, 0), assembled = coalesce(x.asm, 0)
    FROM (SELECT t.aid, (SELECT count(*) FROM actor_objects p WHERE p.aid = t.aid) AS n,
                 (SELECT sum(tm_is_backup(o.key)) FROM actor_objects p JOIN object_stats o ON o.oid = p.oid WHERE p.aid = t.aid) AS nb,
                 (SELECT sum(whole) FROM actor_objects p WHERE p.aid = t.aid) AS w, (SELECT sum(assembled) FROM actor_objects p WHERE p.aid = t.aid) AS asm
          FROM (SELECT DISTINCT aid FROM refold_touched UNION SELECT a.aid FROM actor_stats a JOIN refold_actors r ON r.ak = a.actor_key) t) AS x
    WHERE actor_stats.aid = x.aid`);
  run(db, sql`
    UPDATE object_stats SET actors = coalesce(x.n, 0), whole_copies = coalesce(x.w, 0), assembled = coalesce(x.asm, 0)
    FROM (SELECT t.oid, p.n, p.w, p.asm FROM (SELECT DISTINCT oid FROM refold_touched) t
          LEFT JOIN (SELECT oid, count(*) AS n, sum(whole) AS w, sum(assembled) AS asm FROM actor_objects
                     WHERE oid IN (SELECT oid FROM refold_touched) GROUP BY oid) p ON p.oid = t.oid) AS x
    WHERE object_stats.oid = x.oid`); // actor_objects is keyed by actor: one pass for all the objects, not one per object
  for (const t of ['refold_actors', 'refold_objects', 'refold_hours', 'refold_downloads', 'refold_touched', 'refold_pairs']) db.prepare(`DELETE FROM ${t}`).run(); // fixed names
  return pairs;
}


/** Changes to carry to the actor and object rows; bytes and unknown only where a recompute moved them. */
interface Delta { isNew: number; backup: number; whole: number; assembled: number; bytes: number; unknown: number; cunknown: number }

/**
 * Folds range-bearing reads into a pair's stored copy state. With `fromScratch` the reads are the
 * pair's complete history (a recompute) and replace what was stored; the delta says what changed.
 * A pair the fold knows to be new has no stored row to read (in a rebuild, every pair).
 */
function replayPair(db: WritableDB, writes: PairWrites, aid: number, oid: number, reads: DlRead[], size: number | null, fromScratch: boolean, isNew = false): Delta {
  const existing = isNew ? undefined
    : get<PairRow>(db, sql`SELECT downloads, bytes, bytes_unknown, complete_unknown, whole, assembled, intervals FROM actor_objects WHERE aid = ${aid} AND oid = ${oid}`);
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
  writes.push([aid, oid, downloads, total, totalUnknown, totalCUnknown, state.whole, state.assembled, state.intervals.length ? JSON.stringify(state.intervals) : null]);
  if (writes.length >= PAIR_WRITES) writePairs(db, writes);
  return {
    isNew: existing ? 0 : 1, backup: 0, whole: state.whole - (existing?.whole ?? 0), assembled: state.assembled - (existing?.assembled ?? 0),
    bytes: total - (existing?.bytes ?? 0) - (fromScratch ? 0 : bytes),
    unknown: totalUnknown - (existing?.bytes_unknown ?? 0) - (fromScratch ? 0 : unknown),
    cunknown: totalCUnknown - (existing?.complete_unknown ?? 0) - (fromScratch ? 0 : cunknown),
  };
}

/** Replayed pairs waiting to be written, each a row of actor_objects; no pair is replayed twice in one pass. */
type PairWrites = Array<[number, number, number, number, number, number, number, number, string | null]>;
const PAIR_WRITES = 5000;

/** The replayed pairs as one statement per few thousand, their rows one JSON parameter: one statement a pair took 0.3 s of a 1M-event rebuild. */
function writePairs(db: WritableDB, writes: PairWrites): void {
  if (!writes.length) return;
  run(db, sql`
    INSERT INTO actor_objects (aid, oid, downloads, bytes, bytes_unknown, complete_unknown, whole, assembled, intervals)
    SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8 FROM json_each(${JSON.stringify(writes)}) WHERE true
    ON CONFLICT (aid, oid) DO UPDATE SET downloads = excluded.downloads, bytes = excluded.bytes, bytes_unknown = excluded.bytes_unknown, complete_unknown = excluded.complete_unknown, whole = excluded.whole,
      assembled = excluded.assembled, intervals = excluded.intervals`);
  writes.length = 0;
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

/**
 * Each delta as one UPDATE over all the rows, their values one JSON parameter: a statement per actor
 * took 0.1 s for the 18k actors of a 1M-event rebuild.
 */
function applyDeltas(db: WritableDB, deltas: Map<number, Delta>, table: 'actors' | 'objects'): void {
  const moved = [...deltas].filter(([, d]) => d.isNew || d.backup || d.whole || d.assembled || d.bytes || d.unknown || d.cunknown)
    .map(([id, d]) => [id, d.isNew, d.backup, d.whole, d.assembled, d.bytes, d.unknown, d.cunknown]);
  if (!moved.length) return;
  const d = sql`(SELECT value ->> 0 AS id, value ->> 1 AS n, value ->> 2 AS b, value ->> 3 AS w, value ->> 4 AS asm, value ->> 5 AS dbytes,
                        value ->> 6 AS unknown, value ->> 7 AS cunknown FROM json_each(${JSON.stringify(moved)})) AS d`;
  if (table === 'actors') {
    run(db, sql`UPDATE actor_stats SET objects = objects + d.n, backup_objects = backup_objects + d.b, whole_copies = whole_copies + d.w,
                assembled = assembled + d.asm, bytes = bytes + d.dbytes, bytes_unknown = bytes_unknown + d.unknown, complete_unknown = complete_unknown + d.cunknown
                FROM ${d} WHERE actor_stats.aid = d.id`);
  } else {
    run(db, sql`UPDATE object_stats SET actors = actors + d.n, whole_copies = whole_copies + d.w, assembled = assembled + d.asm,
                bytes_out = bytes_out + d.dbytes, bytes_unknown = bytes_unknown + d.unknown, complete_unknown = complete_unknown + d.cunknown
                FROM ${d} WHERE object_stats.oid = d.id`);
  }
}

/** One actor's reads of one object, through downloads_object (the actor index would walk every anonymous download). */
export const PAIR_READS_SQL = (bucket: string, key: string, actor: string) => sql`
  SELECT id, time, actor, source_ip, bytes_sent, object_size, status, range, complete FROM downloads
  WHERE bucket = ${bucket} AND key = ${key} AND +actor = ${actor} ORDER BY time, id`;

/** Merged [from, to) spans per bucket and object target (see shared/exposure-rule), for the timeline's SQL. */
export function mergedWindows(windows: ExposureWindow[]): Array<{ bucket: string; key: string | null; from: number; to: number }> {
  return exposureTargets(windows).flatMap((t) => t.spans.map((s) => ({ bucket: t.bucket, key: t.key, from: s.from, to: s.to })));
}

/**
 * Redoes every actor's in-exposure and at-boundary counts. Each download has one target (its
 * object's own, else its bucket's); per span, one time-range query for the inside and one per
 * boundary second, so the time index does the work.
 */
function recountExposure(db: WritableDB, windows: ExposureWindow[], through: number): void {
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
    // One object: its id, whose index walks the span; a bucket: its objects' ids tested along the time index (every row of the span is counted).
    const target = t.key !== null ? sql`object_id = ${objectIds(sql`bucket = ${t.bucket} AND key = ${t.key}`)}`
      : objectIn(objectKeys.length ? sql`bucket = ${t.bucket} AND key NOT IN (${join(objectKeys.map((k) => sql`${k}`), ', ')})` : sql`bucket = ${t.bucket}`);
    // On the ledger alone (named `downloads`, as the conditions name it): the view's reads of two events per row are not needed.
    const countPart = (lo: number, hi: number) => all<{ actor: string; source_ip: string | null; n: number }>(db, sql`
      SELECT (SELECT actor FROM ledger_actors WHERE id = downloads.actor_id) AS actor, source_ip, count(*) AS n FROM download_ledger AS downloads
      WHERE time >= ${lo} AND time < ${hi} AND ${target} AND +id <= ${through} GROUP BY actor_id, source_ip`);
    // A span foldMemory.sortDownloads downloads at a time (split where the time index says), so each sort stays in memory.
    const count = (lo: number, hi: number, cls: 'inside' | 'boundary') => {
      for (let from = lo; from < hi;) {
        const split = get<{ time: number }>(db, sql`
          SELECT time FROM download_ledger WHERE time >= ${from} AND time < ${hi} ORDER BY time LIMIT 1 OFFSET ${foldMemory.sortDownloads}`)?.time;
        const to = split === undefined ? hi : Math.max(split, from + 1);
        add(countPart(from, to), cls);
        from = to;
      }
    };
    const seconds = new Set<number>();
    for (const s of t.spans) {
      const [lo, hi] = insideRange(s);
      if (lo < hi) count(lo, hi, 'inside');
      for (const [a, b] of boundaryRanges(s)) {
        if (seconds.has(a)) continue;
        seconds.add(a);
        count(a, b, 'boundary');
      }
    }
  }
  for (const [ak, c] of counts) run(db, sql`UPDATE actor_stats SET in_exposure = ${c.inside}, at_boundary = ${c.boundary} WHERE actor_key = ${ak}`);
}

/**
 * Drops and rebuilds every summary from the downloads and events (after a pattern change or a bug fix).
 * Address context is not a summary and stays, with how far it has read (rebuildIpContext redoes it):
 * forgetting that made the rebuild scan every event's address again to add nothing, 0.45 of 6.9 s at 1M events.
 */
export function rebuildAnalysis(db: WritableDB): UpdateResult {
  return db.transaction(() => {
    run(db, sql`DELETE FROM listings WHERE evidence_id IS NOT NULL`);
    run(db, sql`DELETE FROM analysis_progress WHERE name != ${IP_CONTEXT_PROGRESS}`);
    for (const t of ['actor_stats', 'actor_agents', 'object_stats', 'actor_objects', 'source_hours', 'download_hours', 'backup_downloads']) {
      db.prepare(`DELETE FROM ${t}`).run(); // table names from the fixed list above
    }
    return updateAnalysis(db);
  })();
}
