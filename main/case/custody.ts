// The custody log: append-only, each entry hash-chained to the one before it.
import { createHash } from 'node:crypto';
import type { CustodyRow } from '../../shared/api';
import { all, get, run, type ReadableDB, type WritableDB } from './db';
import { sql } from './sql';

export const GENESIS = '0'.repeat(64);

interface CustodyDbRow { seq: number; at: string; examiner: string | null; action: string; details: string; prev_hash: string; hash: string }

export function custodyHash(prevHash: string, seq: number, at: string, examiner: string | null, action: string, details: string): string {
  // Fields joined with a separator that JSON details cannot contain unescaped.
  return createHash('sha256').update([prevHash, seq, at, examiner ?? '', action, details].join('\n')).digest('hex');
}

export function appendCustody(db: WritableDB, action: string, details: object, examiner: string | null, at = new Date()): CustodyRow {
  const last = get<{ seq: number; hash: string }>(db, sql`SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1`);
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS;
  const atIso = at.toISOString();
  const text = JSON.stringify(details);
  const hash = custodyHash(prevHash, seq, atIso, examiner, action, text);
  run(db, sql`INSERT INTO custody (seq, at, examiner, action, details, prev_hash, hash) VALUES (${seq}, ${atIso}, ${examiner}, ${action}, ${text}, ${prevHash}, ${hash})`);
  return { seq, at: atIso, examiner, action, details: text, prevHash, hash };
}

/** The custody log in order: whole, or a keyset page (after a seq, at most limit). */
export function listCustody(db: ReadableDB, page: { afterSeq?: number; limit?: number } = {}): CustodyRow[] {
  const limit = page.limit === undefined ? sql`` : sql`LIMIT ${page.limit}`;
  return all<CustodyDbRow>(db, sql`SELECT * FROM custody WHERE seq > ${page.afterSeq ?? -1} ORDER BY seq ${limit}`).map((r) => ({
    seq: r.seq, at: r.at, examiner: r.examiner, action: r.action, details: r.details, prevHash: r.prev_hash, hash: r.hash,
  }));
}

/** Problems in the chain, empty when every entry links to the one before and hashes to itself. */
export function checkCustodyChain(db: ReadableDB): string[] {
  const problems: string[] = [];
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const r of listCustody(db)) {
    if (r.seq !== expectedSeq) problems.push(`custody entry ${expectedSeq} is missing (next is ${r.seq})`);
    if (r.prevHash !== prev) problems.push(`custody entry ${r.seq} does not link to the entry before it`);
    if (custodyHash(r.prevHash, r.seq, r.at, r.examiner, r.action, r.details) !== r.hash) problems.push(`custody entry ${r.seq} was altered (hash mismatch)`);
    prev = r.hash;
    expectedSeq = r.seq + 1;
  }
  return problems;
}
