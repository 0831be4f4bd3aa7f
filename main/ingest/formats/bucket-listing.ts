// Bucket listings kept as evidence: `aws s3api list-objects-v2` / `list-object-versions` JSON and
// S3 Inventory CSV data files. They hold no events; their entries go into the evidence row's meta,
// from which the analysis fills its listings table (what existed, so "X of Y backup files taken").
import { parseListing, sniffListing } from '../../analysis/listing';
import type { EvidenceOnlyFormat } from './types';

/** Inventory data files live under `<prefix>/<bucket>/<config>/data/<uuid>.csv[.gz]`. */
const INVENTORY_PATH = /(inventory|\/data\/[0-9a-f-]{36}\.csv(\.gz)?$)/i;

export const bucketListing: EvidenceOnlyFormat = {
  name: 'bucket-listing',
  description: 'bucket listing (list-objects-v2 / list-object-versions JSON, S3 Inventory CSV)',
  kind: 'evidence-only',
  sniff: (head, path) => {
    if (!sniffListing(head)) return false;
    return head.trimStart().startsWith('{') || INVENTORY_PATH.test(path);
  },
  describe(text) {
    const listing = parseListing(text);
    if (!listing.bucket) throw new Error('the listing does not name its bucket (no "Name" field and no bucket column)');
    if (listing.rejects.length) {
      const r = listing.rejects[0];
      throw new Error(`${listing.rejects.length} unreadable entr${listing.rejects.length === 1 ? 'y' : 'ies'}; first at ${r.locator}: ${r.reason}`);
    }
    return {
      bucket: listing.bucket,
      listingKind: listing.kind,
      objects: listing.entries.length,
      // Compact rows: [key, size, lastModified, versionId, isLatest, deleteMarker, bucket].
      entries: listing.entries.map((e) => [e.key, e.size ?? null, e.lastModified ?? null, e.versionId ?? null, e.isLatest ?? null, e.deleteMarker ?? false, e.bucket ?? null]),
    };
  },
};
