// The analysis channels of shared/api, as handlers over an open case; main/service spreads them
// into its handler table. The summaries are brought up to date before answering (cheap when they are).
import type { Req, Responses, TimelineFilter } from '../../shared/api';
import type { Histogram } from '../../shared/analysis';
import { isValidTimeZone, HOUR } from '../../shared/analysis';
import {
  actorSummaries, analysisConditions, analysisSummary, computeExposure, corroboration, coverageAndGaps, histogram, objectSummaries, setBackupPatterns,
} from './analysis';
import { updateAnalysis } from './analysis-update';
import { getBackupPatterns, setPatternSettings } from './analysis-settings';
import { addressSummary } from './enrich-summary';
import { exfilPatterns } from './patterns';
import { all, get, type ReadableDB, type WritableDB } from './db';
import { join, sql } from './sql';
import { eventField } from './ledger-match';
import { countByObject, filterConditions, narrowedByTime, patternMinutesFor, summaryAnswers } from './timeline';
import { MINUTE } from './minute-counts';

type AnalysisChannel = Extract<keyof Responses, `analysis:${string}`>;
type Handlers = { [C in AnalysisChannel]: (req: Req<C>) => Responses[C] };

/** Bin widths a reader can name (1 s … 1 h, then whole hours and days): the smallest at least `ms`. */
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);
export function binWidth(ms: number): number {
  const step = STEPS.find((s) => s >= ms);
  return step ?? Math.ceil(ms / 86_400_000) * 86_400_000;
}

/** A histogram for any timeline filter: from the hourly summary when only bucket/time/backups narrow it, else from the downloads. */
export function histogramFor(db: ReadableDB, filter: TimelineFilter, bins = 120): Histogram {
  const from = filter.from ? Date.parse(filter.from) : undefined;
  const to = filter.to ? Date.parse(filter.to) : undefined;
  const span = get<{ lo: number | null; hi: number | null }>(db, sql`SELECT min(hour) AS lo, max(hour) AS hi FROM download_hours`);
  const lo = from ?? (span?.lo ?? 0) * HOUR;
  const hi = to ?? ((span?.hi ?? 0) + 1) * HOUR;
  // The hourly summary answers whole hours; a zoom below that counts the downloads themselves (the
  // time index bounds the walk to the range shown), unless the range holds so many that whole hours
  // are drawn instead: 425k downloads in 42 hours took 0.3 s in quarter hours, 10M would take seconds.
  let binMs = binWidth((hi - lo) / bins);
  if (binMs < HOUR && summaryAnswers(filter) && downloadsAbout(db, filter.bucket, lo, hi) > histogramLimits.fineBinsMax) binMs = HOUR;
  if (summaryAnswers(filter) && binMs % HOUR === 0) {
    const h = histogram(db, { bucket: filter.bucket, from, to, binMs });
    if (!filter.backupsOnly) return h;
    return { binMs: h.binMs, bins: h.bins.map((b) => ({ ...b, downloads: b.backupDownloads })) };
  }
  const extra = analysisConditions(db, filter);
  const byObject = countByObject(db, filter);
  const counted = (f: TimelineFilter) => {
    const where = [...filterConditions(f, 'source_ip', byObject), ...extra];
    return all<{ bin: number; downloads: number; bytes: number }>(db, sql`
      SELECT (time / ${binMs}) * ${binMs} AS bin, count(*) AS downloads, coalesce(sum(${eventField('bytes_sent')}), 0) AS bytes FROM download_ledger AS downloads
      ${where.length ? sql`WHERE ${join(where, ' AND ')}` : sql``} GROUP BY bin ORDER BY bin`);
  };
  const minutes = binMs % MINUTE === 0 ? patternMinutesFor(db, filter) : null;
  let rows: ReturnType<typeof counted>;
  if (minutes) {
    // The whole minutes from the pattern's own counts; the part-minutes at the filter's edges counted.
    const lo = from === undefined ? -Infinity : Math.ceil(from / MINUTE) * MINUTE;
    const hi = to === undefined ? Infinity : Math.floor(to / MINUTE) * MINUTE;
    const iso = (ms: number) => new Date(ms).toISOString();
    rows = lo >= hi ? counted(filter) : [
      ...(from !== undefined && from < lo ? counted({ ...filter, to: iso(lo) }) : []),
      ...minutes.binned(binMs, lo, hi).map((b) => ({ bin: b.bin, downloads: b.n, bytes: b.bytes })),
      ...(to !== undefined && hi < to ? counted({ ...filter, from: iso(hi) }) : []),
    ];
  } else {
    const ranges = narrowedByTime(db, filter);
    rows = ranges ? ranges.flatMap(counted) : counted(filter);
  }
  return { binMs, bins: sameBinsAdded(rows).map((r) => ({ time: new Date(r.bin).toISOString(), timeMs: r.bin, downloads: r.downloads, bytes: r.bytes, backupDownloads: 0 })) };
}

/** Bins finer than an hour are drawn for a range of at most `fineBinsMax` downloads (by the hourly summary); tests lower it. */
export const histogramLimits = { fineBinsMax: 100_000 };

/** About how many downloads lie in [lo, hi), by the hourly summary (an hour the range cuts counted in proportion). */
function downloadsAbout(db: ReadableDB, bucket: string | undefined, lo: number, hi: number): number {
  const hours = all<{ hour: number; n: number }>(db, sql`
    SELECT hour, sum(downloads) AS n FROM download_hours WHERE hour >= ${Math.floor(lo / HOUR)} AND hour < ${Math.ceil(hi / HOUR)}
    ${bucket ? sql`AND bucket = ${bucket}` : sql``} GROUP BY hour`);
  return hours.reduce((sum, h) => sum + (h.n * (Math.min(hi, (h.hour + 1) * HOUR) - Math.max(lo, h.hour * HOUR))) / HOUR, 0);
}

/** Bins in order, those of one start (counted by two ranges, or by an edge and the minutes) added. */
function sameBinsAdded(rows: Array<{ bin: number; downloads: number; bytes: number }>): Array<{ bin: number; downloads: number; bytes: number }> {
  const bins = new Map<number, { bin: number; downloads: number; bytes: number }>();
  for (const r of rows) {
    const b = bins.get(r.bin);
    if (b) { b.downloads += r.downloads; b.bytes += r.bytes; } else bins.set(r.bin, { ...r });
  }
  return [...bins.values()];
}

/** examiner: who the case service says is at work, unless a request names someone. */
export function analysisHandlers(db: () => WritableDB, examiner: (given?: string) => string | null = (g) => g ?? null): Handlers {
  const fresh = () => {
    const d = db();
    updateAnalysis(d);
    return d;
  };
  return {
    'analysis:summary': ({ timeZone, limit }) => {
      if (timeZone && !isValidTimeZone(timeZone)) throw new Error(`unknown time zone "${timeZone.slice(0, 64)}" (use an IANA name such as Europe/Paris)`);
      return analysisSummary(fresh(), { timeZone, limit });
    },
    'analysis:exposure': () => computeExposure(fresh()),
    'analysis:actors': ({ limit, offset }) => actorSummaries(fresh(), { limit, offset }),
    'analysis:objects': ({ limit, offset, backupsOnly }) => objectSummaries(fresh(), { limit, offset, backupsOnly }),
    'analysis:gaps': () => {
      const d = fresh();
      return { ...coverageAndGaps(d), corroboration: corroboration(d) };
    },
    'analysis:histogram': ({ filter, bins }) => histogramFor(fresh(), filter, bins),
    'analysis:patterns': () => getBackupPatterns(db()),
    'analysis:set-patterns': ({ examiner: who, ...p }) => {
      const d = fresh();
      setBackupPatterns(d, p, examiner(who));
      return getBackupPatterns(d);
    },
    'analysis:exfil': () => exfilPatterns(fresh()),
    'analysis:set-exfil-settings': ({ examiner: who, ...settings }) => setPatternSettings(db(), settings, examiner(who)),
    'analysis:addresses': ({ limit }) => addressSummary(fresh(), limit),
  };
}
