// A set of downloads counted per UTC minute (downloads and bytes), in time order: what a pattern's walk
// keeps of the rows it covers, so the timeline's position and histogram are read from it instead of
// deciding every covered row again on the ledger. Counts of whole minutes only: a caller counts the
// part-minutes at a time filter's edges on the ledger itself.
import { HOUR } from '../../shared/analysis';

export const MINUTE = 60_000;

export class MinuteCounts {
  private constructor(private readonly minutes: Float64Array, private readonly n: Float64Array, private readonly bytes: Float64Array) {}

  /** From counts per minute number (time / MINUTE, floored), in any order. */
  static of(byMinute: Map<number, { n: number; bytes: number }>): MinuteCounts {
    const keys = Float64Array.from(byMinute.keys()).sort();
    const n = new Float64Array(keys.length);
    const bytes = new Float64Array(keys.length);
    keys.forEach((k, i) => {
      const c = byMinute.get(k)!;
      n[i] = c.n;
      bytes[i] = c.bytes;
    });
    return new MinuteCounts(keys, n, bytes);
  }

  /** The counts in bins of binMs (a whole number of minutes), of the minutes inside [fromMs, toMs), by bin start in ms. */
  binned(binMs: number, fromMs = -Infinity, toMs = Infinity): Array<{ bin: number; n: number; bytes: number }> {
    const out: Array<{ bin: number; n: number; bytes: number }> = [];
    for (let i = this.first(fromMs); i < this.minutes.length; i++) {
      const start = this.minutes[i] * MINUTE;
      if (start + MINUTE > toMs) break;
      const bin = Math.floor(start / binMs) * binMs;
      const last = out[out.length - 1];
      if (last?.bin === bin) {
        last.n += this.n[i];
        last.bytes += this.bytes[i];
      } else out.push({ bin, n: this.n[i], bytes: this.bytes[i] });
    }
    return out;
  }

  /** Downloads per hour number (time / HOUR) of the minutes inside [fromMs, toMs). */
  hours(fromMs?: number, toMs?: number): Array<{ hour: number; n: number }> {
    return this.binned(HOUR, fromMs, toMs).map((b) => ({ hour: b.bin / HOUR, n: b.n }));
  }

  /** The index of the first minute starting at or after fromMs. */
  private first(fromMs: number): number {
    let lo = 0;
    let hi = this.minutes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.minutes[mid] * MINUTE < fromMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
