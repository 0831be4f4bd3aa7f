// The one rule for "was this download made while its bucket (or that object) was exposed?", used by
// the timeline filter's SQL, the summaries, the exports, the report and the app alike.
//
// Logs record time to the second. A download in the same second as the change that opened or closed
// a window may have come just before or just after it: the order within the second is unknown, so
// such a download is classified "at the boundary" — never silently put inside or outside.
import type { ExposureWindow } from './analysis';

export type ExposureClass = 'inside' | 'boundary' | 'outside';

export const EXPOSURE_CLASSES: readonly ExposureClass[] = ['inside', 'boundary', 'outside'];

/** Words for each class, the same on screen, in exports' messages and in the report. */
export const EXPOSURE_CLASS_LABEL: Record<ExposureClass, string> = {
  inside: 'inside an exposure window',
  boundary: 'at the boundary (same second as an opening or closing change)',
  outside: 'outside exposure windows',
};

const SECOND = 1000;
/** Stands for an open end (no opening or closing change in the evidence). */
export const OPEN_END = 8.64e15;

/** One exposed period of a target: from the opening change to the closing one (ms); ±OPEN_END when open. */
export interface ExposureSpan { from: number; to: number }

/**
 * What a download is classified against: a bucket (key null) or one object whose own ACL opened a
 * window. An object target's spans include its bucket's, so each download has exactly one target.
 */
export interface ExposureTarget { bucket: string; key: string | null; spans: ExposureSpan[] }

function merge(list: ExposureSpan[]): ExposureSpan[] {
  const sorted = [...list].sort((a, b) => a.from - b.from);
  const out: ExposureSpan[] = [];
  for (const s of sorted) {
    const cur = out[out.length - 1];
    if (cur && s.from <= cur.to) cur.to = Math.max(cur.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/** Windows merged per target, so overlapping or touching windows count a download once. */
export function exposureTargets(windows: ExposureWindow[]): ExposureTarget[] {
  const span = (w: ExposureWindow): ExposureSpan => ({ from: w.fromMs ?? -OPEN_END, to: w.toMs ?? OPEN_END });
  const buckets = new Map<string, ExposureSpan[]>();
  const objects = new Map<string, { bucket: string; key: string; spans: ExposureSpan[] }>();
  for (const w of windows) {
    if (w.key === null) {
      const list = buckets.get(w.bucket) ?? [];
      list.push(span(w));
      buckets.set(w.bucket, list);
    } else {
      const k = `${w.bucket}\0${w.key}`;
      const o = objects.get(k) ?? { bucket: w.bucket, key: w.key, spans: [] };
      o.spans.push(span(w));
      objects.set(k, o);
    }
  }
  const out: ExposureTarget[] = [...buckets].map(([bucket, spans]) => ({ bucket, key: null, spans: merge(spans) }));
  for (const o of objects.values()) out.push({ bucket: o.bucket, key: o.key, spans: merge([...o.spans, ...(buckets.get(o.bucket) ?? [])]) });
  return out;
}

const open = (ms: number) => Math.abs(ms) >= OPEN_END;
const secondStart = (ms: number) => Math.floor(ms / SECOND) * SECOND;

/** [lo, hi) of the times strictly inside a span: after the opening change's second, before the closing one's. */
export function insideRange(s: ExposureSpan): [number, number] {
  return [open(s.from) ? -OPEN_END : secondStart(s.from) + SECOND, open(s.to) ? OPEN_END : secondStart(s.to)];
}

/** [lo, hi) of the seconds holding the span's opening and closing changes (none for an open end). */
export function boundaryRanges(s: ExposureSpan): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const edge of [s.from, s.to]) {
    if (open(edge)) continue;
    const lo = secondStart(edge);
    if (!out.some(([a]) => a === lo)) out.push([lo, lo + SECOND]);
  }
  return out;
}

/** The class of a time against one target's spans. */
export function classifyTime(spans: ExposureSpan[], time: number): ExposureClass {
  let boundary = false;
  for (const s of spans) {
    const [lo, hi] = insideRange(s);
    if (time >= lo && time < hi) return 'inside';
    if (!boundary) boundary = boundaryRanges(s).some(([a, b]) => time >= a && time < b);
  }
  return boundary ? 'boundary' : 'outside';
}

/** The target a download of bucket/key is classified against, if any. */
export function targetOf(targets: ExposureTarget[], bucket: string, key: string): ExposureTarget | undefined {
  return targets.find((t) => t.bucket === bucket && t.key === key) ?? targets.find((t) => t.bucket === bucket && t.key === null);
}

/** Classifies downloads against a fixed set of windows; build once, call per download. */
export function exposureClassifier(windows: ExposureWindow[]): (d: { bucket: string; key: string; timeMs: number }) => ExposureClass {
  const targets = exposureTargets(windows);
  return (d) => {
    const t = targetOf(targets, d.bucket, d.key);
    return t ? classifyTime(t.spans, d.timeMs) : 'outside';
  };
}

/** The class of a time against one window alone (for per-window counts in the report). */
export function classifyInWindow(w: ExposureWindow, time: number): ExposureClass {
  return classifyTime([{ from: w.fromMs ?? -OPEN_END, to: w.toMs ?? OPEN_END }], time);
}

/** How an open start reads: bounded by the bucket's own evidence where the case knows it. */
export function openStartText(w: Pick<ExposureWindow, 'bucketEvidence'>, format: (ms: number) => string): string {
  return w.bucketEvidence ? `open before the bucket's evidence starts at ${format(w.bucketEvidence.fromMs)}` : 'open before the evidence starts';
}

/** How an open end reads: bounded by the bucket's own evidence where the case knows it. */
export function openEndText(w: Pick<ExposureWindow, 'bucketEvidence'>, format: (ms: number) => string): string {
  return w.bucketEvidence ? `still open when the bucket's evidence ends at ${format(w.bucketEvidence.toMs)}` : 'still open at the end of the evidence';
}
