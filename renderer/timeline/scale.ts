import type { ExposureWindow, Histogram, HistogramBin } from '../../shared/analysis';
import { TZDate } from '@date-fns/tz';
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

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Tick steps a reader counts in; the label shows just enough of the time to tell two steps apart. */
const TICK_STEPS = [1, 2, 5, 10, 15, 30].map((n) => n * SECOND)
  .concat([1, 2, 5, 10, 15, 30].map((n) => n * MINUTE), [1, 2, 3, 6, 12].map((n) => n * HOUR), [1, 2, 7, 14, 30, 91, 182, 365].map((n) => n * DAY));

/** The zone's offset from UTC at `t`, in ms (wall clock minus UTC). */
function offsetAt(t: number, zone: string): number {
  return -new TZDate(t, zone).getTimezoneOffset() * MINUTE;
}

/**
 * Axis labels at round times in the chosen zone (every 5 min, every 6 h, every day…), at most `n`,
 * each showing as much of the time as its step needs — so no two labels read the same.
 */
export function ticks(d: Domain, zone: string, n = 6): { t: number; label: string }[] {
  const span = d.to - d.from;
  const step = TICK_STEPS.find((s) => span / s <= n) ?? Math.ceil(span / n / DAY) * DAY;
  const out: { t: number; label: string }[] = [];
  const firstLocal = Math.ceil((d.from + offsetAt(d.from, zone)) / step) * step;
  for (let local = firstLocal; out.length <= n + 1; local += step) {
    const t = local - offsetAt(local - offsetAt(d.from, zone), zone);
    if (t > d.to) break;
    if (t < d.from) continue;
    const full = formatInZone(t, zone); // yyyy-MM-dd HH:mm:ss ZONE
    const label = step >= DAY ? full.slice(0, 10) : step >= MINUTE ? (span > DAY ? full.slice(5, 16) : full.slice(11, 16)) : full.slice(11, 19);
    if (out.length && out[out.length - 1].label === label) continue;
    out.push({ t, label });
  }
  return out;
}

/** The domain zoomed about its middle by `factor` (½ in, 2 out), never narrower than ten seconds. */
export function zoom(d: Domain, factor: number): Domain {
  const mid = (d.from + d.to) / 2;
  const half = Math.max(5_000, ((d.to - d.from) * factor) / 2);
  return { from: Math.round(mid - half), to: Math.round(mid + half) };
}

/** The domain moved by a quarter of its width, earlier (-1) or later (1). */
export function pan(d: Domain, direction: -1 | 1): Domain {
  const by = Math.round(((d.to - d.from) / 4) * direction);
  return { from: d.from + by, to: d.to + by };
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

export interface Burst extends Domain { downloads: number }

/**
 * The bursts of activity in a histogram: runs of bars separated by silences longer than a tenth of
 * the axis. Evidence years apart leaves two slivers at the chart's edges; each burst is a zoom target.
 */
export function bursts(h: Histogram, d: Domain): Burst[] {
  const gap = (d.to - d.from) / 10;
  const out: Burst[] = [];
  for (const b of h.bins) {
    if (b.downloads === 0) continue;
    const last = out[out.length - 1];
    if (last && b.timeMs - last.to < gap) {
      last.to = b.timeMs + h.binMs;
      last.downloads += b.downloads;
    } else {
      out.push({ from: b.timeMs, to: b.timeMs + h.binMs, downloads: b.downloads });
    }
  }
  return out;
}

/** Worth offering: several bursts, or one that fills under a fifth of the axis — on an axis wider than a minute. */
export function burstsWorthZooming(list: Burst[], d: Domain): boolean {
  // Within a minute every second has its own bar: nothing is hidden in a sliver any more.
  if (d.to - d.from <= 60_000) return false;
  return list.length > 1 || (list.length === 1 && (list[0].to - list[0].from) * 5 < d.to - d.from);
}
