// Bursts: an actor taking more than N backup files, or more than M bytes, within T minutes
// (panther-analysis's S3 exfiltration rule uses 50 MB in 15 minutes). Every qualifying window is
// found by sliding over the actor's downloads in time order; overlapping windows are merged into one
// burst, reported with its span and figures. Bytes count only where known; the unknown are counted apart.
import type { Burst, BurstSettings } from '../../../shared/enrich';
import { byActor, iso, type PatternDownload } from './types';

export function findBursts(downloads: Iterable<PatternDownload>, s: BurstSettings): Burst[] {
  const spanMs = s.minutes * 60_000;
  const out: Burst[] = [];
  for (const [actorKey, list] of byActor(downloads)) {
    let i = 0;
    let backups = 0;
    let bytes = 0;
    let cur: { first: number; last: number; over: Set<'files' | 'bytes'> } | null = null;
    const flush = () => {
      if (!cur) return;
      out.push(figures(actorKey, list.slice(cur.first, cur.last + 1), [...cur.over].sort()));
      cur = null;
    };
    for (let j = 0; j < list.length; j++) {
      backups += list[j].isBackup ? 1 : 0;
      bytes += list[j].bytes ?? 0;
      while (list[j].timeMs - list[i].timeMs > spanMs) {
        backups -= list[i].isBackup ? 1 : 0;
        bytes -= list[i].bytes ?? 0;
        i++;
      }
      const over: Array<'files' | 'bytes'> = [];
      if (backups > s.backupFiles) over.push('files');
      if (bytes > s.bytes) over.push('bytes');
      if (!over.length) continue;
      if (cur && i <= cur.last) {
        cur.last = j;
      } else {
        flush();
        cur = { first: i, last: j, over: new Set() };
      }
      for (const o of over) cur!.over.add(o);
    }
    flush();
  }
  return out.sort((a, b) => a.fromMs - b.fromMs || a.actorKey.localeCompare(b.actorKey));
}

function figures(actorKey: string, rows: PatternDownload[], over: Array<'files' | 'bytes'>): Burst {
  const fromMs = rows[0].timeMs;
  const toMs = rows[rows.length - 1].timeMs;
  return {
    actorKey, from: iso(fromMs), fromMs, to: iso(toMs), toMs,
    downloads: rows.length,
    backupFiles: rows.filter((r) => r.isBackup).length,
    bytes: rows.reduce((n, r) => n + (r.bytes ?? 0), 0),
    unknownBytes: rows.filter((r) => r.bytes === null).length,
    over,
  };
}
