// Bucket listings in the case: what existed in a bucket, so objects never downloaded count too.
import { all, get, run, type WritableDB } from './db';
import { sql } from './sql';
import type { ListingEntry } from '../analysis/listing';

/** Stores the entries of one listing (evidenceId: the evidence row it was read from, when imported as evidence). */
export function addListing(db: WritableDB, evidenceId: number | null, bucket: string, entries: ListingEntry[]): number {
  return db.transaction(() => {
    for (const e of entries) {
      run(db, sql`
        INSERT INTO listings (evidence_id, bucket, key, version_id, is_latest, delete_marker, size, last_modified)
        VALUES (${evidenceId}, ${e.bucket ?? bucket}, ${e.key}, ${e.versionId ?? null}, ${e.isLatest === undefined ? null : e.isLatest},
                ${e.deleteMarker ?? false}, ${e.size ?? null}, ${e.lastModified ?? null})`);
    }
    return entries.length;
  })();
}

type CompactEntry = [string, number | null, number | null, string | null, boolean | null, boolean, string | null];

/** Loads the entries of bucket-listing evidence not yet in the listings table (called by updateAnalysis). */
export function loadListingEvidence(db: WritableDB): number {
  const done = get<{ value: number }>(db, sql`SELECT value FROM analysis_progress WHERE name = 'listing_evidence'`)?.value ?? 0;
  const rows = all<{ id: number; meta: string | null }>(db, sql`
    SELECT id, meta FROM evidence WHERE format = 'bucket-listing' AND status = 'complete' AND id > ${done} ORDER BY id`);
  let n = 0;
  for (const r of rows) {
    const meta = r.meta ? (JSON.parse(r.meta) as { bucket?: string; entries?: CompactEntry[] }) : {};
    if (meta.bucket && Array.isArray(meta.entries)) {
      n += addListing(db, r.id, meta.bucket, meta.entries.map(([key, size, lastModified, versionId, isLatest, deleteMarker, bucket]) => ({
        key, size, lastModified, versionId, isLatest: isLatest ?? undefined, deleteMarker, bucket: bucket ?? undefined,
      })));
    }
  }
  if (rows.length) {
    run(db, sql`INSERT INTO analysis_progress (name, value) VALUES ('listing_evidence', ${rows[rows.length - 1].id})
                ON CONFLICT (name) DO UPDATE SET value = excluded.value`);
  }
  return n;
}
