// Enumeration before download: an actor that listed a bucket (ListObjects, ListObjectsV2,
// ListObjectVersions; REST.GET.BUCKET / REST.GET.BUCKETVERSIONS in access logs) before downloading.
// Refused listings count: an attempt to enumerate is a fact too, and is reported apart.
import type { EnumerationBeforeDownload } from '../../../shared/enrich';
import { byActor, iso, type PatternDownload, type PatternRequest } from './types';

export const LISTING_ACTIONS = ['ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'REST.GET.BUCKET', 'REST.GET.BUCKETVERSIONS'];

export function findEnumeration(requests: Iterable<PatternRequest>, downloads: Iterable<PatternDownload>): EnumerationBeforeDownload[] {
  const listing = new Set(LISTING_ACTIONS);
  const lists = byActor([...requests].filter((r) => listing.has(r.action)));
  const dls = byActor(downloads);
  const out: EnumerationBeforeDownload[] = [];
  for (const [actorKey, ls] of lists) {
    const ds = dls.get(actorKey);
    if (!ds?.length) continue;
    const lastDownload = ds[ds.length - 1].timeMs;
    const before = ls.filter((l) => l.timeMs <= lastDownload);
    if (!before.length) continue;
    const firstListing = before[0].timeMs;
    out.push({
      actorKey, listings: before.length, failedListings: before.filter((l) => l.failed).length,
      firstListing: iso(firstListing), firstDownload: iso(ds[0].timeMs),
      downloadsAfter: ds.filter((d) => d.timeMs >= firstListing).length,
      buckets: [...new Set(before.map((l) => l.bucket).filter((b): b is string => b !== null))].sort(),
    });
  }
  return out.sort((a, b) => b.downloadsAfter - a.downloadsAfter || a.actorKey.localeCompare(b.actorKey));
}
