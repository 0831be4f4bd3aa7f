// Bursts: an actor taking more than N backup files, or more than M bytes, within T minutes
// (panther-analysis's S3 exfiltration rule uses 50 MB in 15 minutes). Every qualifying window is
// found by sliding over the actor's downloads in time order; overlapping windows are merged into one
// burst, reported with its span and figures. Bytes count only where known; the unknown are counted apart.
import type { Burst, BurstSettings } from '../../../shared/enrich';
import { byActor, iso, type PatternDownload } from './types';

export type BurstRow = Pick<PatternDownload, 'timeMs' | 'bytes' | 'isBackup'>;

/**
 * One actor's bursts, fed its downloads in time order one at a time. It holds only the rows of the
 * window ending at the latest (a merged burst's figures are summed as it grows), so a case's
 * downloads can be streamed through it actor by actor whatever their number.
 */
export class BurstWindow {
  private readonly spanMs: number;
  // The rows in arrival order, the first being sequence number `base`; the window starts at `start`.
  private times: number[] = [];
  private sizes: Array<number | null> = [];
  private backup: boolean[] = [];
  private base = 0;
  private start = 0;
  private seq = -1;
  private backups = 0;
  private bytes = 0;
  private cur: { fromMs: number; toMs: number; last: number; downloads: number; backupFiles: number; bytes: number; unknownBytes: number; over: Set<'files' | 'bytes'> } | null = null;
  private readonly out: Burst[] = [];

  constructor(private readonly actorKey: string, private readonly s: BurstSettings) {
    this.spanMs = s.minutes * 60_000;
  }

  push(r: BurstRow): void {
    const j = ++this.seq;
    this.times.push(r.timeMs);
    this.sizes.push(r.bytes);
    this.backup.push(r.isBackup);
    this.backups += r.isBackup ? 1 : 0;
    this.bytes += r.bytes ?? 0;
    while (r.timeMs - this.at(this.start, this.times) > this.spanMs) {
      this.backups -= this.at(this.start, this.backup) ? 1 : 0;
      this.bytes -= this.at(this.start, this.sizes) ?? 0;
      this.start++;
    }
    const over: Array<'files' | 'bytes'> = [];
    if (this.backups > this.s.backupFiles) over.push('files');
    if (this.bytes > this.s.bytes) over.push('bytes');
    if (over.length) {
      if (this.cur && this.start <= this.cur.last) {
        this.add(this.cur.last + 1, j);
      } else {
        this.flush();
        this.cur = { fromMs: this.at(this.start, this.times), toMs: 0, last: this.start - 1, downloads: 0, backupFiles: 0, bytes: 0, unknownBytes: 0, over: new Set() };
        this.add(this.start, j);
      }
      for (const o of over) this.cur!.over.add(o);
    }
    this.forget();
  }

  /** The actor's bursts, once its last download is pushed. */
  end(): Burst[] {
    this.flush();
    return this.out;
  }

  private at<T>(seq: number, list: T[]): T {
    return list[seq - this.base];
  }

  /** Rows a..b (sequence numbers, all in the window) added to the current burst's figures. */
  private add(a: number, b: number): void {
    const c = this.cur!;
    for (let k = a; k <= b; k++) {
      const size = this.at(k, this.sizes);
      c.downloads++;
      c.backupFiles += this.at(k, this.backup) ? 1 : 0;
      c.bytes += size ?? 0;
      c.unknownBytes += size === null ? 1 : 0;
    }
    c.toMs = this.at(b, this.times);
    c.last = b;
  }

  private flush(): void {
    const c = this.cur;
    if (!c) return;
    this.out.push({
      actorKey: this.actorKey, from: iso(c.fromMs), fromMs: c.fromMs, to: iso(c.toMs), toMs: c.toMs,
      downloads: c.downloads, backupFiles: c.backupFiles, bytes: c.bytes, unknownBytes: c.unknownBytes, over: [...c.over].sort(),
    });
    this.cur = null;
  }

  /** Rows before the window's start are never read again: dropped, the arrays compacted now and then. */
  private forget(): void {
    const gone = this.start - this.base;
    if (gone > 1024 && gone * 2 > this.times.length) {
      this.times = this.times.slice(gone);
      this.sizes = this.sizes.slice(gone);
      this.backup = this.backup.slice(gone);
      this.base = this.start;
    }
  }
}

export const burstOrder = (a: Burst, b: Burst): number => a.fromMs - b.fromMs || a.actorKey.localeCompare(b.actorKey);

export function findBursts(downloads: Iterable<PatternDownload>, s: BurstSettings): Burst[] {
  const out: Burst[] = [];
  for (const [actorKey, list] of byActor(downloads)) {
    const w = new BurstWindow(actorKey, s);
    for (const d of list) w.push(d);
    out.push(...w.end());
  }
  return out.sort(burstOrder);
}
