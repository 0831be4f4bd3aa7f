// Reading raw records back. Each event points at its record's bytes in a block of raw_blocks: a few
// dozen consecutive records of a file as UTF-8 text (migration 005), that text compressed by Brotli
// (migration 019; raw DEFLATE in cases imported before it, migration 008), or a small gzip evidence
// file kept as it was delivered, whose inflated text the event points into (migration 006, rows.ts FileRecords).
// Records are read in JS, block by block, so that a block is read (and inflated) once however many of
// its records are wanted.
import { brotliDecompressSync, gunzipSync, inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { prepared, type ReadableDB } from './db';
import { sql } from './sql';

/** The columns of an event that say where its raw record is. */
export interface RawRef { raw_block: number; raw_at: number; raw_len: number }

/** Selects an event's RawRef from events aliased `e`, for withRaw or rawRecords. */
export const EVENT_RAW_REF = sql`e.raw_block, e.raw_at, e.raw_len`;

type WithRaw<T> = Omit<T, keyof RawRef> & { raw: string };

/**
 * Rows with their raw record added, for rows that come in block order (a file's events in storage
 * order): each block is read once. Out-of-order rows are still right, only slower (rawRecords sorts
 * them first). A block missing from the case is an error, unless `missing` says what to read instead
 * (verify reports it).
 */
export function* withRaw<T extends RawRef>(db: ReadableDB, rows: Iterable<T>, missing?: (blockId: number) => string): Generator<WithRaw<T>> {
  const reader = new RawReader(db);
  for (const r of rows) {
    const { raw_block: id, raw_at: _a, raw_len: _l, ...rest } = r;
    yield { ...rest, raw: reader.has(id) || !missing ? reader.raw(r) : missing(id) };
  }
}

/** A raw block as stored: a gzip file, Brotli (migration 019), raw DEFLATE (migration 008, earlier imports) or plain. */
export interface StoredBlock { bytes: Buffer; gzip: number; brotli: number; deflate: number }

/** A block's records' text (UTF-8), whichever way it is stored. */
export const blockText = (b: StoredBlock): Buffer =>
  (b.gzip ? gunzipSync(b.bytes) : b.brotli ? brotliDecompressSync(b.bytes) : b.deflate ? inflateRawSync(b.bytes) : b.bytes);

/** Reads raw records one at a time, keeping the last block read (inflated): the next record is likely in it. */
export class RawReader {
  private readonly stmt: Database.Statement<[number], StoredBlock>;
  private id = -1;
  private bytes: Buffer | undefined;
  constructor(db: ReadableDB) {
    this.stmt = prepared(db, 'SELECT bytes, gzip, brotli, deflate FROM raw_blocks WHERE id = ?') as Database.Statement<[number], StoredBlock>;
  }
  has(blockId: number): boolean {
    return this.block(blockId) !== undefined;
  }
  raw(r: RawRef): string {
    const bytes = this.block(r.raw_block);
    if (!bytes) throw new Error(`raw record block ${r.raw_block} is missing from the case`);
    return bytes.toString('utf8', r.raw_at, r.raw_at + r.raw_len);
  }
  private block(id: number): Buffer | undefined {
    if (id !== this.id) {
      const b = this.stmt.get(id);
      this.id = id;
      this.bytes = b && blockText(b);
    }
    return this.bytes;
  }
}

/** withRaw for rows in any order, returned in theirs: each block is still read once. */
export function rawRecords<T extends RawRef>(db: ReadableDB, rows: T[]): WithRaw<T>[] {
  const order = rows.map((_, i) => i).sort((a, b) => rows[a].raw_block - rows[b].raw_block);
  const out = new Array<WithRaw<T>>(rows.length);
  let i = 0;
  for (const r of withRaw(db, order.map((k) => rows[k]))) out[order[i++]] = r;
  return out;
}
