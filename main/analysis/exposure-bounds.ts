// An open end of an exposure window (no opening or closing change in the evidence) is bounded by the
// evidence that covers that bucket, not by the case's: with a 2010 access log and a 2018 trail in one
// case, a 2018 bucket already public when its trail starts was exposed from 2018 as far as the
// evidence can tell, not for eight years.
import type { ExposureWindow } from '../../shared/analysis';

export interface BucketEvidence { bucket: string; fromMs: number; toMs: number }

/** The windows with their bucket's evidence span attached where an end is open (pure; windows are copied). */
export function boundOpenEnds(windows: ExposureWindow[], evidence: BucketEvidence[]): ExposureWindow[] {
  const byBucket = new Map(evidence.map((e) => [e.bucket, e]));
  return windows.map((w) => {
    if (w.fromMs !== null && w.toMs !== null) return w;
    const e = byBucket.get(w.bucket);
    return { ...w, bucketEvidence: e ? { fromMs: e.fromMs, toMs: e.toMs } : null };
  });
}
