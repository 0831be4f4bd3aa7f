// Writes evidence files into the case. A transaction holds at most COMMIT_ROWS events; the import
// (main/import/run-import.ts) also commits before each await — every batch and every file's end — so
// the case worker's one connection is free between batches (larger transactions were cheaper: 2k → 16k
// rows measured about 20 % less writer time, but held the writer across awaits). A file's evidence row
// turns 'complete' with a custody entry when its last row is written. An unfinished file — failed, cancelled, or cut by a crash — is undone by
// undoUnfinished, so the case is as it was before it.
import type { Format, Reject } from '../../shared/events';
import { naturalKey } from '../ingest/natural-key';
import { COL, placeBlocks, ROW_COLUMNS, ROW_WIDTH, rowIdentity, rowValues, type Rows, type Value } from '../ingest/rows';
import { RowsDigest, rowsDigestOf } from '../ingest/rows-digest';
import { appendCustody } from './custody';
import { TermCoder } from './event-terms';
import { get, prepared, run, type ReadableDB, type WritableDB } from './db';
import { markOf } from './marks';
import { EVENT_RAW_REF, RawReader, withRaw, type RawRef } from './raw-records';
import { sql } from './sql';

export interface NewEvidence {
  path: string;
  origin: object;
  sha256: string;
  size: number;
  format: Format;
  examiner: string | null;
  meta?: object | null;
}

export interface EvidenceCounts { id: number; records: number; events: number; duplicates: number; rejected: number }

export function evidenceBySha(db: ReadableDB, sha256: string): { id: number; status: string } | undefined {
  return get(db, sql`SELECT id, status FROM evidence WHERE sha256 = ${sha256}`);
}

/** Removes every evidence row still 'importing' and what it wrote. Returns how many were undone. */
export function undoUnfinished(db: WritableDB): number {
  const rows = db.prepare(`SELECT id, first_event FROM evidence WHERE status = 'importing'`).all() as { id: number; first_event: number | null }[];
  db.transaction(() => {
    for (const r of rows) {
      run(db, sql`DELETE FROM marked_events WHERE id >= ${r.first_event ?? 0}
                  AND id IN (SELECT id FROM events WHERE id >= ${r.first_event ?? 0} AND evidence_id = ${r.id})`);
      run(db, sql`DELETE FROM duplicates WHERE evidence_id = ${r.id}`);
      run(db, sql`DELETE FROM rejects WHERE evidence_id = ${r.id}`);
      // The rows go; terms only they used stay, unused (see migration 018).
      run(db, sql`DELETE FROM event_rows WHERE id >= ${r.first_event ?? 0} AND evidence_id = ${r.id}`);
      run(db, sql`DELETE FROM raw_blocks WHERE evidence_id = ${r.id}`);
      run(db, sql`DELETE FROM evidence WHERE id = ${r.id}`);
    }
  })();
  return rows.length;
}

/** Rows per INSERT: binding many rows per statement call is what makes bulk import fast in better-sqlite3. */
const CHUNK = 64;
// Each row's values bind to `?`s; the evidence id, the same for every row, to one named parameter.
const insertText = (rows: number) => {
  const tuple = `(${ROW_COLUMNS.map(() => '?').join(', ')}, @evidence)`;
  return `INSERT OR IGNORE INTO event_rows (${ROW_COLUMNS.join(', ')}, evidence_id) VALUES ${Array(rows).fill(tuple).join(', ')}`;
};
/** The statement for n rows, 1 ≤ n ≤ CHUNK: a batch's last rows go in one statement too. */
const INSERT_ROWS = Array.from({ length: CHUNK + 1 }, (_, n) => (n ? insertText(n) : ''));
/** Events written before a commit. */
const COMMIT_ROWS = 16_384;

/**
 * The transaction an import writes its files in, committed every COMMIT_ROWS rows and when the import
 * ends. If SQLite rolls it back itself (a full disk, an I/O error), the files finished in it since the
 * last commit are gone with it: lostFiles() hands back what fileDone() was given for them, so they are
 * not reported imported.
 */
export class WriteTransaction<File = unknown> {
  private pending = 0;
  private finished: File[] = [];
  /** Whether the open transaction is this one's to commit (not a caller's). */
  private mine = false;
  constructor(private readonly db: WritableDB) {}

  begin(): void {
    if (this.db.inTransaction) return;
    this.db.exec('BEGIN');
    this.mine = true;
  }

  wrote(rows: number): void {
    this.pending += rows;
    if (this.pending >= COMMIT_ROWS) this.commit();
  }

  fileDone(file: File): void {
    this.finished.push(file);
  }

  commit(): void {
    if (this.mine && this.db.inTransaction) {
      try {
        this.db.exec('COMMIT');
      } catch (err) {
        // A commit that failed without ending the transaction (SQLITE_BUSY) must not leave it open to a later one.
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    }
    this.mine = false;
    this.pending = 0;
    this.finished = [];
  }

  /** After an error: the finished files that were rolled back with the transaction. */
  lostFiles(): File[] {
    if (this.db.inTransaction) return [];
    const lost = this.finished;
    this.mine = false;
    this.pending = 0;
    this.finished = [];
    return lost;
  }
}

interface ExistingRow extends RawRef { id: number; evidence_id: number; locator: number; source: 's3-access-log' | 'cloudtrail'; event_id: string | null }

export class EvidenceWriter {
  records = 0;
  events = 0;
  duplicates = 0;
  rejected = 0;
  /** The row digest of every event written; the stored rows' unless some were duplicates. */
  private readonly digest = new RowsDigest();
  private readonly named: { evidence: number };
  /** The current batch's raw blocks by id (inflated), for telling its records from stored ones. */
  private blocks = new Map<number, Uint8Array>();
  /** Records already in the case that a row's key hash led to. */
  private readonly stored: RawReader;
  /** This file's terms: ids of the texts its rows hold (event-terms.ts). */
  private readonly terms: TermCoder;

  private constructor(
    private readonly db: WritableDB, private readonly tx: WriteTransaction, private readonly commitsWhenFinished: boolean,
    readonly id: number, private readonly firstEvent: number, private readonly examiner: string | null, private readonly e: NewEvidence,
  ) {
    this.named = { evidence: id };
    this.stored = new RawReader(db);
    this.terms = new TermCoder(db);
  }

  /** A file's writer; given no transaction of an import's, it commits the file when finished. */
  static begin(db: WritableDB, e: NewEvidence, tx?: WriteTransaction): EvidenceWriter {
    const transaction = tx ?? new WriteTransaction(db);
    transaction.begin();
    const first = (get<{ n: number }>(db, sql`SELECT coalesce(max(id), 0) + 1 AS n FROM events`)!).n;
    const info = run(db, sql`
      INSERT INTO evidence (path, origin, sha256, size, format, status, acquired_at, examiner, meta, first_event)
      VALUES (${e.path}, ${JSON.stringify(e.origin)}, ${e.sha256}, ${e.size}, ${e.format}, 'importing', ${new Date().toISOString()},
              ${e.examiner}, ${e.meta ? JSON.stringify(e.meta) : null}, ${first})`);
    return new EvidenceWriter(db, transaction, !tx, Number(info.lastInsertRowid), first, e.examiner, e);
  }

  /** Stores one parsed batch (rows and raw blocks as in main/ingest/rows.ts); commits every COMMIT_ROWS events. */
  write(rows: Rows, rejects: Reject[], records: number): void {
    this.digest.addRows(rows);
    this.tx.begin();
    this.records += records;
    this.storeBlocks(rows);
    for (let i = 0; i < rows.count; i += CHUNK) {
      const n = Math.min(CHUNK, rows.count - i);
      const values = rowValues(rows, i, n);
      const info = prepared(this.db, INSERT_ROWS[n]).run(this.terms.code(values, n), this.named);
      if (info.changes === n) {
        this.events += n;
        // One statement's rows take consecutive ids, ending at the last one inserted.
        for (let j = 0; j < n; j++) this.mark(values, j, Number(info.lastInsertRowid) - n + 1 + j);
      } else this.settle(rows, i, i + n);
    }
    const rejectStmt = prepared(this.db, 'INSERT INTO rejects (evidence_id, locator, reason, text) VALUES (?, ?, ?, ?)');
    for (const r of rejects) rejectStmt.run(this.id, r.locator, r.reason, r.text);
    this.rejected += rejects.length;
    this.tx.wrote(rows.count + rejects.length);
  }

  /** Stores the batch's raw blocks; its rows then point at them by id. */
  private storeBlocks(rows: Rows): void {
    const insert = prepared(this.db, 'INSERT INTO raw_blocks (evidence_id, bytes, gzip, brotli) VALUES (?, ?, ?, ?)');
    const [gzip, brotli] = rows.codec === 'gzip-file' ? [1, 0] : [0, 1];
    const ids = rows.blocks.map((bytes) => Number(insert.run(this.id, bytes, gzip, brotli).lastInsertRowid));
    placeBlocks(rows, ids);
    this.blocks = new Map(ids.map((id, i) => [id, rows.inflated[i]]));
  }

  /** Lists row i of `values` in marked_events if it is a configuration or identity event. */
  private mark(values: Value[], i: number, id: number): void {
    const b = i * ROW_WIDTH;
    const mark = markOf(values[b + COL.kind] as string, values[b + COL.action] as string);
    if (mark) prepared(this.db, 'INSERT OR IGNORE INTO marked_events (mark, time, id) VALUES (?, ?, ?)').run(mark, values[b + COL.time], id);
  }

  /**
   * Rows not (yet) known to be stored, one at a time: each is either stored now, already ours (inserted by
   * its chunk), a record already in the case (a duplicate, noted), or a different record whose 32-bit key
   * hash collided with a stored one (probed onward to the next free hash).
   */
  private settle(rows: Rows, from: number, to: number): void {
    const one = prepared(this.db, INSERT_ROWS[1]);
    for (let j = from; j < to; j++) {
      const e = rowIdentity(rows, j, (id) => this.blocks.get(id)!);
      const params = rowValues(rows, j, 1);
      for (let nk = e.nk; ; nk = (nk + 1) >>> 0) {
        params[COL.nk] = nk;
        const info = one.run(this.terms.code(params, 1), this.named);
        if (info.changes === 1) {
          this.events++;
          this.mark(params, 0, Number(info.lastInsertRowid));
          break;
        }
        const row = get<ExistingRow>(this.db, sql`
          SELECT id, evidence_id, locator, source, event_id, ${EVENT_RAW_REF} FROM events e WHERE time = ${e.time} AND nk = ${nk}`)!;
        if (row.evidence_id === this.id && row.locator === e.locator) {
          this.events++;
          this.mark(params, 0, row.id);
          break;
        }
        if (naturalKey({ source: row.source, eventId: row.event_id, raw: this.stored.raw(row) }) === naturalKey(e)) {
          run(this.db, sql`INSERT OR IGNORE INTO duplicates (evidence_id, locator, event_id) VALUES (${this.id}, ${e.locator}, ${row.id})`);
          this.duplicates++;
          break;
        }
      }
    }
  }

  private rowsDigest(): string {
    if (this.duplicates === 0) return this.digest.hex();
    // This file's events were stored in locator order from firstEvent on: read that id range, not the table.
    const stored = prepared(this.db, 'SELECT locator, raw_block, raw_at, raw_len FROM events WHERE id >= ? AND evidence_id = ? ORDER BY id')
      .iterate(this.firstEvent, this.id) as IterableIterator<RawRef & { locator: number }>;
    return rowsDigestOf(withRaw(this.db, stored)).digest;
  }

  /** Completes the evidence row and logs custody, in one transaction (downloads: see downloads.ts). */
  finish(): EvidenceCounts {
    this.tx.begin();
    run(this.db, sql`
      UPDATE evidence SET status = 'complete', records = ${this.records}, events = ${this.events},
        duplicates = ${this.duplicates}, rejected = ${this.rejected}, rows_digest = ${this.rowsDigest()}
      WHERE id = ${this.id}`);
    appendCustody(this.db, 'import', {
      evidence: this.id, path: this.e.path, sha256: this.e.sha256, format: this.e.format, origin: this.e.origin,
      records: this.records, events: this.events, duplicates: this.duplicates, rejected: this.rejected,
    }, this.examiner);
    if (this.commitsWhenFinished) this.tx.commit();
    return { id: this.id, records: this.records, events: this.events, duplicates: this.duplicates, rejected: this.rejected };
  }
}

/** Records a file that holds no events (a digest, a listing) as complete evidence in one step. */
export function recordEvidenceOnly(db: WritableDB, e: NewEvidence, tx?: WriteTransaction): EvidenceCounts {
  return EvidenceWriter.begin(db, e, tx).finish();
}
