// The report chart's time axis, broken at long silences: evidence from 2013 and 2020 in one case
// would otherwise draw each burst as a one-pixel sliver at the chart's edges. The axis is cut into
// panels, one per burst, each binned for its own span; the silences between are stated, not drawn.

/** One panel of the axis: [start, end) in bins of binMs; its bins are numbered from firstBin on. */
export interface ChartSegment { start: number; end: number; binMs: number; bins: number; firstBin: number }
export interface ChartRange { segments: ChartSegment[]; bins: number }

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Bin widths a reader can name, smallest first. */
export const STEPS = [60e3, 5 * 60e3, 10 * 60e3, 15 * 60e3, 30 * 60e3, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];
/** Bars across the whole chart, shared among the panels. */
const BARS = 96;
/** A silence breaks the axis when it would take this share of an unbroken axis, and lasts at least a week. */
const BREAK_SHARE = 0.2;
const MIN_BREAK = 7 * DAY;
const MAX_PANELS = 4;

function binned(start: number, end: number, bars: number, firstBin: number): ChartSegment {
  if (end <= start) end = start + 60e3;
  const binMs = STEPS.find((s) => (end - start) / s <= bars) ?? Math.ceil((end - start) / bars / DAY) * DAY;
  const aligned = Math.floor(start / binMs) * binMs;
  const bins = Math.max(1, Math.ceil((end - aligned + 1) / binMs));
  return { start: aligned, end: aligned + bins * binMs, binMs, bins, firstBin };
}

/**
 * The axis from start to end, broken at the longest silences between the hours that hold downloads
 * (epoch hours, ascending) and the exposure windows' edges (`marks`, epoch ms). Without hours it
 * stays one panel, as before.
 */
export function chartAxis(start: number, end: number, hours: number[], marks: number[] = []): ChartRange {
  if (!hours.length) return { segments: [binned(start, end, BARS, 0)], bins: binned(start, end, BARS, 0).bins };
  const points: Array<[number, number]> = [
    ...hours.map((h): [number, number] => [Math.max(start, h * HOUR), Math.min(end, (h + 1) * HOUR)]),
    ...marks.map((m): [number, number] => [m, m]),
    [start, start], [end, end],
  ];
  const spans = points.filter(([a, b]) => a >= start && b <= end && a <= b).sort((x, y) => x[0] - y[0]);
  // The silences between consecutive stretches of activity, longest first.
  const gaps: Array<{ from: number; to: number }> = [];
  let reach = spans[0][1];
  for (const [a, b] of spans.slice(1)) {
    if (a > reach) gaps.push({ from: reach, to: a });
    reach = Math.max(reach, b);
  }
  const total = end - start;
  const cuts = gaps.filter((g) => g.to - g.from >= MIN_BREAK && g.to - g.from >= BREAK_SHARE * total)
    .sort((a, b) => (b.to - b.from) - (a.to - a.from)).slice(0, MAX_PANELS - 1).sort((a, b) => a.from - b.from);
  const edges: Array<[number, number]> = [];
  let from = start;
  for (const c of cuts) {
    edges.push([from, c.from]);
    from = c.to;
  }
  edges.push([from, end]);
  const bars = Math.floor(BARS / edges.length);
  const segments: ChartSegment[] = [];
  let next = 0;
  for (const [a, b] of edges) {
    const s = binned(a, b, bars, next);
    segments.push(s);
    next += s.bins;
  }
  return { segments, bins: next };
}

/** The panel a time falls in: the last that starts at or before it (times before the first go to the first). */
export function segmentOf(r: ChartRange, ms: number): ChartSegment {
  let seg = r.segments[0];
  for (const s of r.segments) if (s.start <= ms) seg = s;
  return seg;
}

/** The chart bin (numbered across all panels) a time falls in. */
export function binOf(r: ChartRange, ms: number): number {
  const s = segmentOf(r, ms);
  return s.firstBin + Math.min(s.bins - 1, Math.max(0, Math.floor((ms - s.start) / s.binMs)));
}
