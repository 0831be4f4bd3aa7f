// Writes one evidence file into the case. Each batch is one transaction; the evidence row turns
// 'complete' (with its downloads derived and a custody entry) in a last one. An unfinished file —
// failed, cancelled, or cut by a crash — is undone by undoUnfinished, so the case is as before it.
import { createHash, type Hash } from 'node:crypto';
import type { Format, NormalizedEvent, Reject } from '../../shared/events';
import { naturalKey, naturalKeyHash } from '../ingest/natural-key';
import { appendCustody } from './custody';
import { get, prepared, run, type ReadableDB, type WritableDB } from './db';
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
      run(db, sql`DELETE FROM duplicates WHERE evidence_id = ${r.id}`);
      run(db, sql`DELETE FROM rejects WHERE evidence_id = ${r.id}`);
      run(db, sql`DELETE FROM events WHERE id >= ${r.first_event ?? 0} AND evidence_id = ${r.id}`);
      run(db, sql`DELETE FROM evidence WHERE id = ${r.id}`);
    }
  })();
  return rows.length;
}

const COLUMNS = [
  'time', 'nk', 'source', 'action', 'kind', 'actor', 'actor_type', 'account_id', 'access_key_id', 'source_ip', 'user_agent',
  'bucket', 'key', 'status', 'error_code', 'bytes_sent', 'object_size', 'request_id', 'host_id', 'event_id', 'region', 'range',
  'evidence_id', 'locator', 'raw',
];
/** Rows per INSERT: binding many rows per statement call is what makes bulk import fast in better-sqlite3. */
const CHUNK = 64;
const insertText = (rows: number) =>
  `INSERT OR IGNORE INTO events (${COLUMNS.join(', ')}) VALUES ${Array(rows).fill(`(${COLUMNS.map(() => '?').join(', ')})`).join(', ')}`;
const INSERT_CHUNK = insertText(CHUNK);
const INSERT_ONE = insertText(1);

function pushRow(out: unknown[], e: NormalizedEvent, nk: number, evidenceId: number): void {
  out.push(e.time, nk, e.source, e.action, e.kind, e.actor, e.actorType, e.accountId, e.accessKeyId, e.sourceIp, e.userAgent,
    e.bucket, e.key, e.status, e.errorCode, e.bytesSent, e.objectSize, e.requestId, e.hostId, e.eventId, e.region, e.range,
    evidenceId, e.locator, e.raw);
}

interface ExistingRow { id: number; evidence_id: number; locator: number; source: 's3-access-log' | 'cloudtrail'; event_id: string | null; raw: string }

export class EvidenceWriter {
  records = 0;
  events = 0;
  duplicates = 0;
  rejected = 0;
  private readonly digest: Hash = createHash('sha256');

  private constructor(private readonly db: WritableDB, readonly id: number, private readonly firstEvent: number, private readonly examiner: string | null, private readonly e: NewEvidence) {}

  static begin(db: WritableDB, e: NewEvidence): EvidenceWriter {
    const first = (get<{ n: number }>(db, sql`SELECT coalesce(max(id), 0) + 1 AS n FROM events`)!).n;
    const info = run(db, sql`
      INSERT INTO evidence (path, origin, sha256, size, format, status, acquired_at, examiner, meta, first_event)
      VALUES (${e.path}, ${JSON.stringify(e.origin)}, ${e.sha256}, ${e.size}, ${e.format}, 'importing', ${new Date().toISOString()},
              ${e.examiner}, ${e.meta ? JSON.stringify(e.meta) : null}, ${first})`);
    return new EvidenceWriter(db, Number(info.lastInsertRowid), first, e.examiner, e);
  }

  /** Stores one parsed batch in one transaction. hashes: each event's natural-key hash, when already computed. */
  write(events: NormalizedEvent[], rejects: Reject[], records: number, hashes: number[] = events.map(naturalKeyHash)): void {
    this.db.transaction(() => {
      this.records += records;
      let i = 0;
      const chunkStmt = prepared(this.db, INSERT_CHUNK);
      const params: unknown[] = [];
      for (; i + CHUNK <= events.length; i += CHUNK) {
        params.length = 0;
        for (let j = i; j < i + CHUNK; j++) pushRow(params, events[j], hashes[j], this.id);
        const { changes } = chunkStmt.run(params);
        if (changes === CHUNK) this.stored(events, i, i + CHUNK);
        else this.settle(events, hashes, i, i + CHUNK);
      }
      const one = prepared(this.db, INSERT_ONE);
      for (; i < events.length; i++) {
        params.length = 0;
        pushRow(params, events[i], hashes[i], this.id);
        if (one.run(params).changes === 1) this.stored(events, i, i + 1);
        else this.settle(events, hashes, i, i + 1);
      }
      const rejectStmt = prepared(this.db, 'INSERT INTO rejects (evidence_id, locator, reason, text) VALUES (?, ?, ?, ?)');
      for (const r of rejects) rejectStmt.run(this.id, r.locator, r.reason, r.text);
      this.rejected += rejects.length;
    })();
  }

  private stored(events: NormalizedEvent[], from: number, to: number): void {
    for (let j = from; j < to; j++) this.digest.update(`${events[j].locator}\t${events[j].raw}\n`);
    this.events += to - from;
  }

  /**
   * Some rows of a chunk were not inserted: each is either ours (inserted by the chunk), a record already
   * in the case (a duplicate, noted), or a different record whose 32-bit key hash collided (probed onward).
   */
  private settle(events: NormalizedEvent[], hashes: number[], from: number, to: number): void {
    const find = prepared(this.db, 'SELECT id, evidence_id, locator, source, event_id, raw FROM events WHERE time = ? AND nk = ?');
    const one = prepared(this.db, INSERT_ONE);
    const params: unknown[] = [];
    for (let j = from; j < to; j++) {
      const e = events[j];
      let nk = hashes[j];
      for (;;) {
        const row = find.get(e.time, nk) as ExistingRow | undefined;
        if (row && row.evidence_id === this.id && row.locator === e.locator) {
          this.stored(events, j, j + 1);
          break;
        }
        if (row && naturalKey({ source: row.source, eventId: row.event_id, raw: row.raw }) === naturalKey(e)) {
          run(this.db, sql`INSERT OR IGNORE INTO duplicates (evidence_id, locator, event_id) VALUES (${this.id}, ${e.locator}, ${row.id})`);
          this.duplicates++;
          break;
        }
        if (row) {
          nk = (nk + 1) >>> 0;
          params.length = 0;
          pushRow(params, e, nk, this.id);
          if (one.run(params).changes === 1) {
            this.stored(events, j, j + 1);
            break;
          }
        } else {
          params.length = 0;
          pushRow(params, e, nk, this.id);
          one.run(params);
        }
      }
    }
  }

  /** Derives downloads, completes the evidence row and logs custody, in one transaction. */
  finish(): EvidenceCounts {
    this.db.transaction(() => {
      deriveDownloads(this.db, this.id, this.firstEvent);
      run(this.db, sql`
        UPDATE evidence SET status = 'complete', records = ${this.records}, events = ${this.events},
          duplicates = ${this.duplicates}, rejected = ${this.rejected}, rows_digest = ${this.digest.digest('hex')}
        WHERE id = ${this.id}`);
      appendCustody(this.db, 'import', {
        evidence: this.id, path: this.e.path, sha256: this.e.sha256, format: this.e.format, origin: this.e.origin,
        records: this.records, events: this.events, duplicates: this.duplicates, rejected: this.rejected,
      }, this.examiner);
    })();
    return { id: this.id, records: this.records, events: this.events, duplicates: this.duplicates, rejected: this.rejected };
  }
}

/** Records a file that holds no events (a digest, a listing) as complete evidence in one step. */
export function recordEvidenceOnly(db: WritableDB, e: NewEvidence): EvidenceCounts {
  return db.transaction(() => EvidenceWriter.begin(db, e).finish())();
}

/**
 * One download per request: the same request in the access log and in CloudTrail (same request ID,
 * bucket and key) becomes one row with both sources. Runs set-based inside SQLite.
 */
function deriveDownloads(db: WritableDB, evidenceId: number, firstEvent: number): void {
  run(db, sql`
    INSERT INTO downloads (request_key, time, actor, source_ip, user_agent, bucket, key, bytes_sent, object_size, status, range,
                           request_id, sources, s3_event_id, ct_event_id)
    SELECT CASE WHEN request_id IS NOT NULL THEN request_id || '|' || coalesce(bucket, '') || '|' || coalesce(key, '') ELSE 'event:' || id END,
           time, coalesce(actor, 'unknown'), source_ip, user_agent, coalesce(bucket, ''), coalesce(key, ''), bytes_sent, object_size,
           status, range, request_id,
           CASE source WHEN 's3-access-log' THEN 1 ELSE 2 END,
           CASE source WHEN 's3-access-log' THEN id END,
           CASE source WHEN 'cloudtrail' THEN id END
    FROM events WHERE id >= ${firstEvent} AND evidence_id = ${evidenceId} AND kind = 'download'
    ORDER BY id
    ON CONFLICT (request_key) DO UPDATE SET
      time = min(downloads.time, excluded.time),
      actor = CASE WHEN downloads.actor LIKE 'arn:%' THEN downloads.actor WHEN excluded.actor LIKE 'arn:%' THEN excluded.actor ELSE downloads.actor END,
      source_ip = coalesce(downloads.source_ip, excluded.source_ip),
      user_agent = coalesce(downloads.user_agent, excluded.user_agent),
      bytes_sent = coalesce(downloads.bytes_sent, excluded.bytes_sent),
      object_size = coalesce(downloads.object_size, excluded.object_size),
      status = coalesce(downloads.status, excluded.status),
      range = coalesce(downloads.range, excluded.range),
      sources = downloads.sources | excluded.sources,
      s3_event_id = coalesce(downloads.s3_event_id, excluded.s3_event_id),
      ct_event_id = coalesce(downloads.ct_event_id, excluded.ct_event_id),
      observations = downloads.observations + 1`);
}
