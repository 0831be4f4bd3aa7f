// The analysis channels of shared/api, as handlers over an open case; main/service spreads them
// into its handler table. The summaries are brought up to date before answering (cheap when they are).
import type { Req, Responses, TimelineFilter } from '../../shared/api';
import type { Histogram } from '../../shared/analysis';
import { isValidTimeZone } from '../../shared/analysis';
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
import { filterConditions, narrowedByTime, summaryAnswers } from './timeline';

type AnalysisChannel = Extract<keyof Responses, `analysis:${string}`>;
type Handlers = { [C in AnalysisChannel]: (req: Req<C>) => Responses[C] };

const HOUR = 3_600_000;

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
  const binMs = binWidth((hi - lo) / bins);
  // The hourly summary answers whole hours; a zoom below that counts the downloads themselves (the
  // time index bounds the walk to the range shown).
  if (summaryAnswers(filter) && binMs % HOUR === 0) {
    const h = histogram(db, { bucket: filter.bucket, from, to, binMs });
    if (!filter.backupsOnly) return h;
    return { binMs: h.binMs, bins: h.bins.map((b) => ({ ...b, downloads: b.backupDownloads })) };
  }
  const extra = analysisConditions(db, filter);
  const counted = (f: TimelineFilter) => {
    const where = [...filterConditions(f), ...extra];
    return all<{ bin: number; downloads: number; bytes: number }>(db, sql`
      SELECT (time / ${binMs}) * ${binMs} AS bin, count(*) AS downloads, coalesce(sum(${eventField('bytes_sent')}), 0) AS bytes FROM download_ledger AS downloads
      ${where.length ? sql`WHERE ${join(where, ' AND ')}` : sql``} GROUP BY bin ORDER BY bin`);
  };
  const ranges = narrowedByTime(db, filter);
  let rows: ReturnType<typeof counted>;
  if (ranges) {
    // Counted range by range, in order (two ranges may share a bin).
    const bins = new Map<number, { bin: number; downloads: number; bytes: number }>();
    for (const r of ranges.flatMap(counted)) {
      const b = bins.get(r.bin);
      if (b) { b.downloads += r.downloads; b.bytes += r.bytes; } else bins.set(r.bin, { ...r });
    }
    rows = [...bins.values()];
  } else rows = counted(filter);
  return { binMs, bins: rows.map((r) => ({ time: new Date(r.bin).toISOString(), timeMs: r.bin, downloads: r.downloads, bytes: r.bytes, backupDownloads: 0 })) };
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
