// Enumeration before download: an actor that listed a bucket (ListObjects, ListObjectsV2,
// ListObjectVersions; REST.GET.BUCKET / REST.GET.BUCKETVERSIONS in access logs) before downloading.
// Refused listings count: an attempt to enumerate is a fact too, and is reported apart.
import type { EnumerationBeforeDownload } from '../../../shared/enrich';
import { byActor, iso, type PatternDownload, type PatternRequest } from './types';

export const LISTING_ACTIONS = ['ListObjects', 'ListObjectsV2', 'ListObjectVersions', 'REST.GET.BUCKET', 'REST.GET.BUCKETVERSIONS'];

/** What the rule reads of an actor's downloads: the first and last times, and how many at or after its first listing. */
export interface DownloadTally { firstMs: number; lastMs: number; atOrAfterFirstListing: number }

/** An actor's listings (in time order) before its downloads, or null where none came before its last download. */
export function enumerationOf(actorKey: string, listings: PatternRequest[], downloads: DownloadTally | undefined): EnumerationBeforeDownload | null {
  if (!downloads || !listings.length) return null;
  const before = listings.filter((l) => l.timeMs <= downloads.lastMs);
  if (!before.length) return null;
  // Listings are in time order: the first before the last download is the first of all, and the
  // downloads at or after it are the tally's.
  return {
    actorKey, listings: before.length, failedListings: before.filter((l) => l.failed).length,
    firstListing: iso(before[0].timeMs), firstDownload: iso(downloads.firstMs),
    downloadsAfter: downloads.atOrAfterFirstListing,
    buckets: [...new Set(before.map((l) => l.bucket).filter((b): b is string => b !== null))].sort(),
  };
}

export const enumerationOrder = (a: EnumerationBeforeDownload, b: EnumerationBeforeDownload): number =>
  b.downloadsAfter - a.downloadsAfter || a.actorKey.localeCompare(b.actorKey);

export function findEnumeration(requests: Iterable<PatternRequest>, downloads: Iterable<PatternDownload>): EnumerationBeforeDownload[] {
  const listing = new Set(LISTING_ACTIONS);
  const lists = byActor([...requests].filter((r) => listing.has(r.action)));
  const dls = byActor(downloads);
  const out: EnumerationBeforeDownload[] = [];
  for (const [actorKey, ls] of lists) {
    const ds = dls.get(actorKey);
    const tally = ds?.length
      ? { firstMs: ds[0].timeMs, lastMs: ds[ds.length - 1].timeMs, atOrAfterFirstListing: ds.filter((d) => d.timeMs >= ls[0].timeMs).length }
      : undefined;
    const e = enumerationOf(actorKey, ls, tally);
    if (e) out.push(e);
  }
  return out.sort(enumerationOrder);
}
