// What the pattern rules read: one row per download and per request, keyed by actor (the principal,
// or anonymous@<ip>), in epoch milliseconds. Unknown bytes are null and stay out of every sum.
export interface PatternDownload {
  actorKey: string;
  timeMs: number;
  bucket: string;
  key: string;
  /** Bytes sent, null when no source logged them. */
  bytes: number | null;
  isBackup: boolean;
  userAgent: string | null;
}

export interface PatternRequest {
  actorKey: string;
  timeMs: number;
  action: string;
  bucket: string | null;
  /** HTTP status or CloudTrail error: a refused request is still an attempt. */
  failed: boolean;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Groups rows by actor, each group in time order. */
export function byActor<T extends { actorKey: string; timeMs: number }>(rows: Iterable<T>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    let list = out.get(r.actorKey);
    if (!list) out.set(r.actorKey, (list = []));
    list.push(r);
  }
  for (const list of out.values()) list.sort((a, b) => a.timeMs - b.timeMs);
  return out;
}
