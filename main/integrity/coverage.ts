// Hour-by-hour coverage: each UTC hour takes the worst status of anything that touches it
// (a digest's period, a trail file's event span, a gap left by a missing digest). Hours that nothing
// touches, between the first and the last, are 'no-digest': nothing in the case vouches for them.
import type { CoverageHour, CoverageStatus } from '../../shared/integrity';
import { HOUR } from '../../shared/analysis';

export interface CoverageItem {
  from: number; // epoch ms, inclusive
  to: number; // epoch ms; an item whose to equals from touches one hour
  status: CoverageStatus;
  /** trail files this item stands for (0 for digest periods and gaps) */
  files: number;
}

/** Five years of hours: beyond this a case holds stray dates, and a longer table helps no one. */
export const MAX_HOURS = 5 * 366 * 24;

const SEVERITY: Record<CoverageStatus, number> = { validated: 0, unverified: 1, 'no-digest': 2, missing: 3, modified: 4 };

export function hourStart(ms: number): number {
  return Math.floor(ms / HOUR) * HOUR;
}

/** The hours an item touches: [from, to) for a period, the one hour of an instant. */
function hoursOf(item: CoverageItem): [number, number] {
  const first = hourStart(item.from);
  const last = item.to > item.from ? hourStart(item.to - 1) : first;
  return [first, last];
}

export function computeCoverage(items: CoverageItem[]): { hours: CoverageHour[]; truncated: boolean } {
  const valid = items.filter((i) => Number.isFinite(i.from) && Number.isFinite(i.to));
  if (!valid.length) return { hours: [], truncated: false };
  let min = Infinity;
  let max = -Infinity;
  for (const i of valid) {
    const [a, b] = hoursOf(i);
    min = Math.min(min, a);
    max = Math.max(max, b);
  }
  const count = Math.min((max - min) / HOUR + 1, MAX_HOURS);
  const status: (CoverageStatus | null)[] = new Array(count).fill(null);
  const files: number[] = new Array(count).fill(0);
  for (const i of valid) {
    const [a, b] = hoursOf(i);
    for (let h = (a - min) / HOUR; h <= (b - min) / HOUR && h < count; h++) {
      const cur = status[h];
      if (cur === null || SEVERITY[i.status] > SEVERITY[cur]) status[h] = i.status;
    }
    // A file counts once, in the hour its span starts.
    const first = (a - min) / HOUR;
    if (first < count) files[first] += i.files;
  }
  const hours = status.map((s, h) => ({ hour: new Date(min + h * HOUR).toISOString().slice(0, 13) + ':00Z', status: s ?? 'no-digest', files: files[h] }));
  return { hours, truncated: count < (max - min) / HOUR + 1 };
}
