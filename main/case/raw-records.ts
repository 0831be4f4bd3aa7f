// Reading raw records back. Each event points at its record's bytes in a block of raw_blocks
// (migration 005): one record through SQL, many (verify, digests) block by block in JS, so a block
// is read once however many of its records are wanted.
import type Database from 'better-sqlite3';
import { prepared, type ReadableDB } from './db';
import { sql } from './sql';

/** The raw record of the event aliased `e`, as text: one block read, sliced. */
export const EVENT_RAW = sql`(SELECT CAST(substr(b.bytes, e.raw_at + 1, e.raw_len) AS TEXT) FROM raw_blocks b WHERE b.id = e.raw_block)`;

/** The columns of an event that say where its raw record is. */
export interface RawRef { raw_block: number; raw_at: number; raw_len: number }

/**
 * Rows with their raw record added, for rows that come in block order (a file's events in storage
 * order): each block is read once. Out-of-order rows are still right, only slower. A block missing
 * from the case is an error, unless `missing` says what to read instead (verify reports it).
 */
export function* withRaw<T extends RawRef>(
  db: ReadableDB, rows: Iterable<T>, missing?: (blockId: number) => string,
): Generator<Omit<T, keyof RawRef> & { raw: string }> {
  const block = prepared(db, 'SELECT bytes FROM raw_blocks WHERE id = ?').pluck() as Database.Statement<[number], Buffer>;
  let id = -1;
  let bytes: Buffer | undefined;
  for (const r of rows) {
    if (r.raw_block !== id) {
      id = r.raw_block;
      bytes = block.get(id);
      if (!bytes && !missing) throw new Error(`raw record block ${id} is missing from the case`);
    }
    const { raw_block: _b, raw_at: at, raw_len: len, ...rest } = r;
    yield { ...rest, raw: bytes ? bytes.toString('utf8', at, at + len) : missing!(id) };
  }
}
