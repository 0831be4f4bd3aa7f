import type { ExposureWindow, Histogram, HistogramBin } from '../../shared/analysis';
import { formatInZone } from '../../shared/analysis';

export interface Domain { from: number; to: number }

/** Left column shared by the histogram (its scale) and the swimlanes (actor names), so both plots share one time axis. */
export const GUTTER = 240;

export const xOf = (d: Domain, width: number) => (t: number) => ((t - d.from) / Math.max(1, d.to - d.from)) * width;
export const tOf = (d: Domain, width: number) => (x: number) => d.from + (Math.min(Math.max(x, 0), width) / width) * (d.to - d.from);

/**
 * Exposure windows clipped to the visible domain. An open end runs to its bucket's own evidence start
 * or end (never the case's: another bucket's older evidence must not stretch it), else the domain's edge.
 */
export function bands(windows: ExposureWindow[], d: Domain): { from: number; to: number; w: ExposureWindow }[] {
  return windows
    .map((w) => ({
      from: Math.max(w.fromMs ?? w.bucketEvidence?.fromMs ?? d.from, d.from),
      to: Math.min(w.toMs ?? w.bucketEvidence?.toMs ?? d.to, d.to),
      w,
    }))
    .filter((b) => b.to > b.from);
}

/** About `n` axis labels, in the chosen zone, coarse enough for the span shown. */
export function ticks(d: Domain, zone: string, n = 6): { t: number; label: string }[] {
  const span = d.to - d.from;
  const out: { t: number; label: string }[] = [];
  for (let i = 0; i <= n; i++) {
    const t = d.from + (span * i) / n;
    const full = formatInZone(t, zone); // yyyy-MM-dd HH:mm:ss ZONE
    const label = span > 3 * 86_400_000 ? full.slice(0, 10) : span > 3_600_000 ? full.slice(5, 16) : full.slice(11, 19);
    out.push({ t, label });
  }
  return out;
}

/** The largest value, without spreading (a spread of a huge array overflows the stack). */
export function maxOf<T>(items: readonly T[], value: (t: T) => number, floor = 1): number {
  let m = floor;
  for (const it of items) {
    const v = value(it);
    if (v > m) m = v;
  }
  return m;
}

/** Merges bins so no more than `max` are drawn: a bar narrower than a pixel shows nothing more. */
export function coarsen(h: Histogram, max: number): Histogram {
  if (h.bins.length <= max || h.bins.length === 0) return h;
  const first = h.bins[0].timeMs;
  const span = h.bins[h.bins.length - 1].timeMs + h.binMs - first;
  const binMs = Math.ceil(span / max / h.binMs) * h.binMs;
  const out = new Map<number, HistogramBin>();
  for (const b of h.bins) {
    const t = first + Math.floor((b.timeMs - first) / binMs) * binMs;
    const o = out.get(t);
    if (o) {
      o.downloads += b.downloads;
      o.bytes += b.bytes;
      o.backupDownloads += b.backupDownloads;
    } else {
      out.set(t, { time: new Date(t).toISOString(), timeMs: t, downloads: b.downloads, bytes: b.bytes, backupDownloads: b.backupDownloads });
    }
  }
  return { binMs, bins: [...out.values()] };
}
