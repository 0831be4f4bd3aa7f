// First seen during the exposure: parties that downloaded and whose first request of all the
// evidence falls inside an exposure window, after it opened (to exclusive, as the windows' rule).
// Such a party appeared only once the data could be read. A window already open when the evidence
// starts says nothing of the kind (everyone is first seen in it), nor does the request that opened it.
import type { ExposureWindow } from '../../../shared/analysis';
import type { FirstSeenInExposure } from '../../../shared/enrich';
import { iso } from './types';

export interface ActorFirstSeen { actorKey: string; firstMs: number; downloads: number }

export function firstSeenInExposure(actors: Iterable<ActorFirstSeen>, windows: Array<Pick<ExposureWindow, 'bucket' | 'fromMs' | 'toMs'>>): FirstSeenInExposure[] {
  const out: FirstSeenInExposure[] = [];
  for (const a of actors) {
    if (a.downloads < 1) continue;
    const w = windows.find((x) => x.fromMs !== null && a.firstMs > x.fromMs && (x.toMs === null || a.firstMs < x.toMs));
    if (!w) continue;
    out.push({
      actorKey: a.actorKey, firstSeen: iso(a.firstMs), firstSeenMs: a.firstMs, bucket: w.bucket,
      windowFrom: iso(w.fromMs!), windowTo: w.toMs === null ? null : iso(w.toMs), downloads: a.downloads,
    });
  }
  return out.sort((a, b) => b.downloads - a.downloads || a.firstSeenMs - b.firstSeenMs || a.actorKey.localeCompare(b.actorKey));
}
