// Leak-analysis queries: actors, objects, exposure, coverage and gaps, backup tallies, histogram,
// and the timeline conditions for backups-only and in-exposure. Everything reads the summary tables
// that analysis-update.ts maintains, so no call scans the events or downloads tables in full.
import type {
  ActorSummary, AnalysisSummary, BackupTally, Corroboration, ExposureWindow, Gap, Histogram, ObjectSummary, SourceCoverage,
} from '../../shared/analysis';
import type { TimelineFilter } from '../../shared/api';
import { backupMatcher, describePatterns, type BackupPatterns } from '../analysis/backup';
import { coverage, loggingGaps, sourceGaps, type HourRow, type LoggingEvent } from '../analysis/gaps';
import { buildIdentityIndex, resolveIdentity, type IdentityEvent, type IdentityIndex } from '../analysis/identity';
import { all, get, run, type ReadableDB, type WritableDB } from './db';
import { computeExposure, configEvents } from './analysis-exposure';
import { canonicalRecords, EVENT_RECORD_REF, type RecordRef } from './canonical-records';
import { unknownChanges } from '../analysis/unknown-changes';
import { ipContext } from './ip-context';
import { getBackupPatterns, storeBackupPatterns } from './analysis-settings';
import { appendCustody } from './custody';
import { mergedWindows } from './analysis-update';
import { objectIds, objectProbe } from './ledger-match';
import { patternConditions } from './patterns';
import { boundaryRanges, exposureTargets, insideRange, type ExposureSpan } from '../../shared/exposure-rule';
import { join, sql, type Sql } from './sql';
import { HOUR } from '../../shared/analysis';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export { computeExposure };

// ---------- identity ----------
export const IDENTITY_EVENTS_SQL = (after: number) => sql`
  SELECT e.id, e.time, e.action, e.error_code AS errorCode, e.event_id AS eventId, ${EVENT_RECORD_REF}
  FROM marked_events m JOIN events e ON e.id = m.id
  WHERE m.mark = 'identity' AND m.id > ${after}
  ORDER BY e.action, e.time, e.id`;

// STS events can be numerous (services assume roles all day): each connection parses them once and
// then only the ones imported since.
const identityCache = new WeakMap<object, { after: number; index: IdentityIndex }>();

export function identityIndex(db: ReadableDB): IdentityIndex {
  const cached = identityCache.get(db);
  const rows = canonicalRecords(db, all<Omit<IdentityEvent, 'record'> & { id: number } & RecordRef>(db, IDENTITY_EVENTS_SQL(cached?.after ?? 0)));
  if (cached && !rows.length) return cached.index;
  const index = buildIdentityIndex(rows, cached?.index);
  identityCache.set(db, { after: rows.reduce((m, r) => Math.max(m, r.id), cached?.after ?? 0), index });
  return index;
}

// ---------- actors ----------
interface ActorDbRow {
  aid: number; actor_key: string; actor: string; source_ip: string | null; access_key_id: string | null; first_seen: number; last_seen: number;
  downloads: number; bytes: number; bytes_unknown: number; complete_unknown: number; objects: number; whole_copies: number; assembled: number; backup_objects: number;
  in_exposure: number; at_boundary: number;
}

export interface PageOpts { limit?: number; offset?: number }

export const ACTORS_SQL = (limit: number, offset: number) => sql`
  SELECT * FROM actor_stats ORDER BY bytes DESC, actor_key LIMIT ${limit} OFFSET ${offset}`;

export function actorSummaries(db: ReadableDB, opts: PageOpts = {}, index = identityIndex(db)): ActorSummary[] {
  const rows = all<ActorDbRow>(db, ACTORS_SQL(opts.limit ?? 500, opts.offset ?? 0));
  return rows.map((r) => ({
    actorKey: r.actor_key, actor: r.actor, sourceIp: r.source_ip,
    identity: r.actor === 'anonymous' ? null : resolveIdentity(index, r.actor, r.access_key_id),
    firstSeen: iso(r.first_seen)!, lastSeen: iso(r.last_seen)!,
    userAgents: all<{ user_agent: string }>(db, sql`SELECT user_agent FROM actor_agents WHERE aid = ${r.aid} ORDER BY user_agent LIMIT 20`).map((u) => u.user_agent),
    objects: r.objects, downloads: r.downloads, bytes: r.bytes, bytesUnknown: r.bytes_unknown, completeCopies: r.whole_copies + r.assembled, completenessUnknown: r.complete_unknown, backupObjects: r.backup_objects,
    downloadsInExposure: r.in_exposure, downloadsAtBoundary: r.at_boundary, inExposure: r.in_exposure > 0,
    ...(r.actor === 'anonymous' ? { address: r.source_ip === null ? null : ipContext(db, r.source_ip) } : {}),
  }));
}

// ---------- objects ----------
interface ObjectDbRow {
  bucket: string; key: string; size: number | null; downloads: number; actors: number; bytes_out: number; bytes_unknown: number; complete_unknown: number; whole_copies: number; assembled: number;
  first_download: number | null; last_download: number | null; is_backup: number; listed: number | null;
}

export const OBJECTS_SQL = (backupsOnly: boolean, limit: number, offset: number) => sql`
  SELECT o.*, CASE WHEN EXISTS (SELECT 1 FROM listings l WHERE l.bucket = o.bucket)
                   THEN EXISTS (SELECT 1 FROM listings l WHERE l.bucket = o.bucket AND l.key = o.key) END AS listed
  FROM object_stats o ${backupsOnly ? sql`WHERE o.is_backup = 1` : sql``}
  ORDER BY o.bytes_out DESC, o.bucket, o.key LIMIT ${limit} OFFSET ${offset}`;

export function objectSummaries(db: ReadableDB, opts: PageOpts & { backupsOnly?: boolean } = {}): ObjectSummary[] {
  return all<ObjectDbRow>(db, OBJECTS_SQL(opts.backupsOnly ?? false, opts.limit ?? 500, opts.offset ?? 0)).map((r) => ({
    bucket: r.bucket, key: r.key, size: r.size, downloads: r.downloads, actors: r.actors, bytesOut: r.bytes_out, bytesUnknown: r.bytes_unknown,
    completeCopies: r.whole_copies + r.assembled, completenessUnknown: r.complete_unknown, assembledCopies: r.assembled, isBackup: r.is_backup === 1,
    firstDownload: iso(r.first_download), lastDownload: iso(r.last_download), listed: r.listed === null ? null : r.listed === 1,
  }));
}

// ---------- backups: X of Y taken ----------
export function backupTallies(db: ReadableDB, patterns = getBackupPatterns(db)): BackupTally[] {
  const isBackup = backupMatcher(patterns);
  const taken = all<{ bucket: string; key: string; copies: number }>(db, sql`
    SELECT bucket, key, whole_copies + assembled AS copies FROM object_stats WHERE is_backup = 1`);
  const buckets = new Map<string, BackupTally>();
  const tally = (bucket: string) => {
    let t = buckets.get(bucket);
    if (!t) buckets.set(bucket, (t = { bucket, listedBackups: null, takenBackups: 0, completeBackups: 0, notTaken: [], listingEvidence: [] }));
    return t;
  };
  const takenKeys = new Set<string>();
  for (const o of taken) {
    const t = tally(o.bucket);
    t.takenBackups++;
    if (o.copies > 0) t.completeBackups++;
    takenKeys.add(`${o.bucket}\0${o.key}`);
  }
  for (const b of all<{ bucket: string }>(db, sql`SELECT DISTINCT bucket FROM listings`)) {
    const t = tally(b.bucket);
    const listed = all<{ key: string; evidence_id: number | null }>(db, sql`
      SELECT DISTINCT key, evidence_id FROM listings WHERE bucket = ${b.bucket} AND delete_marker = 0 ORDER BY key`);
    const keys = new Set<string>();
    for (const l of listed) {
      if (l.evidence_id !== null && !t.listingEvidence.includes(l.evidence_id)) t.listingEvidence.push(l.evidence_id);
      if (isBackup(l.key)) keys.add(l.key);
    }
    t.listedBackups = keys.size;
    for (const k of keys) if (!takenKeys.has(`${b.bucket}\0${k}`) && t.notTaken.length < 100) t.notTaken.push(k);
  }
  return [...buckets.values()].sort((a, b) => a.bucket.localeCompare(b.bucket));
}

// ---------- coverage, gaps, corroboration ----------
export function coverageAndGaps(db: ReadableDB): { coverage: SourceCoverage[]; gaps: Gap[] } {
  const hours = all<HourRow>(db, sql`SELECT bucket, source, hour, events FROM source_hours ORDER BY bucket, source, hour`);
  const logging = canonicalRecords(db, all<Omit<LoggingEvent, 'record'> & RecordRef>(db, sql`
    SELECT e.id, e.time, e.action, e.bucket, e.error_code AS errorCode, e.event_id AS eventId, ${EVENT_RECORD_REF}
    FROM marked_events m JOIN events e ON e.id = m.id
    WHERE m.mark = 'logging-change' ORDER BY m.time, m.id`));
  return { coverage: coverage(hours), gaps: [...loggingGaps(logging), ...unknownChanges(configEvents(db)), ...sourceGaps(hours)] };
}

export function corroboration(db: ReadableDB): Corroboration {
  const c = (n: number) => get<{ value: number }>(db, sql`SELECT value FROM analysis_progress WHERE name = ${`sources_${n}`}`)?.value ?? 0;
  return { both: c(3), accessLogOnly: c(1), cloudTrailOnly: c(2) };
}

// ---------- summary ----------
export function analysisSummary(db: ReadableDB, opts: { timeZone?: string; limit?: number } = {}): AnalysisSummary {
  const patterns = getBackupPatterns(db);
  const { coverage: cov, gaps } = coverageAndGaps(db);
  return {
    timeZone: opts.timeZone ?? 'UTC',
    exposure: computeExposure(db),
    actors: actorSummaries(db, { limit: opts.limit ?? 500 }),
    objects: objectSummaries(db, { limit: opts.limit ?? 500 }),
    backups: backupTallies(db, patterns),
    coverage: cov,
    gaps,
    corroboration: corroboration(db),
    backupPatterns: describePatterns(patterns),
  };
}

// ---------- histogram ----------

export function histogram(db: ReadableDB, opts: { bucket?: string; from?: number; to?: number; binMs?: number } = {}): Histogram {
  const binMs = Math.max(HOUR, Math.round((opts.binMs ?? HOUR) / HOUR) * HOUR);
  const where: Sql[] = [];
  if (opts.bucket) where.push(sql`bucket = ${opts.bucket}`);
  if (opts.from !== undefined) where.push(sql`hour >= ${Math.floor(opts.from / HOUR)}`);
  if (opts.to !== undefined) where.push(sql`hour < ${Math.ceil(opts.to / HOUR)}`);
  const binHours = binMs / HOUR;
  const rows = all<{ bin: number; downloads: number; bytes: number; backup: number }>(db, sql`
    SELECT (hour / ${binHours}) * ${binHours} AS bin, sum(downloads) AS downloads, sum(bytes) AS bytes, sum(backup_downloads) AS backup
    FROM download_hours ${where.length ? sql`WHERE ${join(where, ' AND ')}` : sql``} GROUP BY bin ORDER BY bin`);
  return {
    binMs,
    bins: rows.map((r) => ({ time: new Date(r.bin * HOUR).toISOString(), timeMs: r.bin * HOUR, downloads: r.downloads, bytes: r.bytes, backupDownloads: r.backup })),
  };
}

// ---------- timeline conditions ----------
/**
 * Extra conditions on the downloads table for the analysis-backed timeline filters (backupsOnly,
 * exposure); pass them as `extra` to timelinePage. Backups are probed in backup_downloads by
 * (time, id), so the timeline still walks downloads_time in order. Exposure follows the one rule of
 * shared/exposure-rule: inside, at the boundary (same second as an opening or closing change), outside.
 */
export function analysisConditions(db: ReadableDB, f: Pick<TimelineFilter, 'backupsOnly' | 'exposure' | 'pattern'>, windows?: ExposureWindow[]): Sql[] {
  const out: Sql[] = [];
  if (f.backupsOnly) out.push(BACKUP_CONDITION);
  if (f.pattern) out.push(...patternConditions(db, f.pattern));
  if (f.exposure !== undefined) {
    const targets = exposureTargets(windows ?? computeExposure(db));
    // An object target's id, or each row's object probed for a bucket's, tested along the walk (`+`), not the object index read and sorted: the timeline must keep
    // walking downloads_time in order, bounded by the windows' overall span.
    const ranges = (pick: (s: ExposureSpan) => Array<[number, number]>) => {
      const parts: Sql[] = [];
      let lo = Infinity;
      let hi = -Infinity;
      for (const t of targets) {
        const times = t.spans.flatMap(pick).filter(([a, b]) => a < b);
        if (!times.length) continue;
        const objectKeys = t.key === null ? targets.filter((o) => o.bucket === t.bucket && o.key !== null).map((o) => o.key!) : [];
        const target = t.key !== null ? sql`+object_id = ${objectIds(sql`bucket = ${t.bucket} AND key = ${t.key}`)}`
          : objectProbe(objectKeys.length ? sql`bucket = ${t.bucket} AND key NOT IN (${join(objectKeys.map((k) => sql`${k}`), ', ')})` : sql`bucket = ${t.bucket}`);
        for (const [a, b] of times) {
          parts.push(sql`(${target} AND time >= ${a} AND time < ${b})`);
          lo = Math.min(lo, a);
          hi = Math.max(hi, b);
        }
      }
      return { parts, lo, hi };
    };
    const any = (r: { parts: Sql[] }) => (r.parts.length ? sql`(${join(r.parts, ' OR ')})` : sql`0`);
    const inside = ranges((s) => [insideRange(s)]);
    // A boundary second of one target never lies inside another span of the same target (spans are merged).
    const boundary = ranges(boundaryRanges);
    if (f.exposure === 'inside' || f.exposure === 'boundary') {
      const r = f.exposure === 'inside' ? inside : boundary;
      out.push(any(r));
      if (r.parts.length) out.push(sql`time >= ${r.lo}`, sql`time < ${r.hi}`);
    } else {
      out.push(sql`NOT ${any(inside)}`, sql`NOT ${any(boundary)}`);
      const merged = mergedWindows(windows ?? computeExposure(db));
      if (merged.length) {
        // Outside rows cannot come before the earliest moment some bucket was not exposed: start the
        // time-index walk there instead of stepping over every exposed download first.
        const earliest = earliestOutside(all<{ bucket: string }>(db, sql`SELECT DISTINCT bucket FROM download_hours`).map((b) => b.bucket), merged);
        if (earliest > -8.64e15) out.push(sql`time >= ${earliest}`);
      }
    }
  }
  return out;
}

/** The earliest time at which a download of one of these buckets would fall outside every bucket-level window. */
export function earliestOutside(buckets: string[], merged: Array<{ bucket: string; key: string | null; from: number; to: number }>): number {
  let earliest = Infinity;
  for (const b of buckets) {
    const spans = merged.filter((m) => m.bucket === b && m.key === null).sort((x, y) => x.from - y.from);
    earliest = Math.min(earliest, spans.length && spans[0].from <= -8.64e15 ? spans[0].to : -8.64e15);
  }
  return Number.isFinite(earliest) ? earliest : -8.64e15;
}

export const BACKUP_CONDITION = sql`EXISTS (SELECT 1 FROM backup_downloads b WHERE b.time = downloads.time AND b.id = downloads.id)`;

// ---------- settings ----------
/** Stores new backup patterns and redoes the backup flags, counts and the backups-only index. */
/**
 * The investigator's change of what counts as a backup file: it changes every backup figure, so it is
 * logged in custody (the patterns before and after) in the same transaction as the rebuilt flags.
 */
export function setBackupPatterns(db: WritableDB, p: BackupPatterns, examiner: string | null = null, at = new Date()): void {
  db.transaction(() => {
    const before = getBackupPatterns(db);
    storeBackupPatterns(db, p);
    appendCustody(db, 'backup-patterns', { before, after: p }, examiner, at);
    const isBackup = backupMatcher(p);
    run(db, sql`DELETE FROM backup_downloads`);
    run(db, sql`UPDATE download_hours SET backup_downloads = 0`);
    const objects = all<{ bucket: string; key: string; is_backup: number }>(db, sql`SELECT bucket, key, is_backup FROM object_stats`);
    for (const o of objects) {
      const now = isBackup(o.key);
      if (now !== (o.is_backup === 1)) run(db, sql`UPDATE object_stats SET is_backup = ${now} WHERE bucket = ${o.bucket} AND key = ${o.key}`);
      if (!now) continue;
      run(db, sql`INSERT OR IGNORE INTO backup_downloads (time, id) SELECT time, id FROM downloads WHERE bucket = ${o.bucket} AND key = ${o.key}`);
    }
    run(db, sql`
      UPDATE download_hours SET backup_downloads = (
        SELECT count(*) FROM backup_downloads b JOIN downloads d ON d.id = b.id
        WHERE d.bucket = download_hours.bucket AND b.time >= download_hours.hour * 3600000 AND b.time < (download_hours.hour + 1) * 3600000)`);
    run(db, sql`
      UPDATE actor_stats SET backup_objects = (
        SELECT count(*) FROM actor_objects ao JOIN object_stats o ON o.oid = ao.oid
        WHERE ao.aid = actor_stats.aid AND o.is_backup = 1)`);
  })();
}
