// The analysis's reading of events: each event's canonical CloudTrail record (main/ingest/canonical.ts),
// re-derived from its raw record and its evidence file's format on every read, never the raw text.
// Re-deriving costs what the raw read and the JSON parse already cost (test/bench/canonical.ts measures
// it); storing the records would add a derived copy that verify would then have to check.
import type { Format } from '../../shared/events';
import type { CloudTrailRecord } from '../ingest/canonical-record';
import { canonicalRecord } from '../ingest/canonical';
import type { ReadableDB } from './db';
import { withRaw, type RawRef } from './raw-records';
import { sql } from './sql';

/** Selects what canonicalRecords needs of events aliased `e`: where the raw record is, and its file's format. */
export const EVENT_RECORD_REF = sql`e.raw_block, e.raw_at, e.raw_len, (SELECT v.format FROM evidence v WHERE v.id = e.evidence_id) AS format`;

export interface RecordRef extends RawRef { format: Format }

type WithRecord<T> = Omit<T, keyof RecordRef> & { record: CloudTrailRecord | null };

/**
 * Rows with their canonical record added (null: the event carries no CloudTrail record), in their order.
 * Blocks are read in storage order, each once, and each raw text is dropped as soon as it is read.
 */
export function canonicalRecords<T extends RecordRef>(db: ReadableDB, rows: T[]): Array<WithRecord<T>> {
  const order = rows.map((_, i) => i).sort((a, b) => rows[a].raw_block - rows[b].raw_block);
  const out = new Array<WithRecord<T>>(rows.length);
  let i = 0;
  for (const { raw, format, ...rest } of withRaw(db, order.map((k) => rows[k]))) {
    out[order[i++]] = { ...rest, record: canonicalRecord(format, raw) } as unknown as WithRecord<T>;
  }
  return out;
}
