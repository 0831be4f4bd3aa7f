// Bucket listings in the case: what existed in a bucket, so objects never downloaded count too.
import { run, type WritableDB } from './db';
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
