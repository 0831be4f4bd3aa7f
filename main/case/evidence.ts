// The evidence manifest and its rejects.
import type { EvidenceRow, RejectRow } from '../../shared/api';
import type { Format } from '../../shared/events';
import { all, type ReadableDB } from './db';
import { sql } from './sql';

interface EvidenceDbRow {
  id: number; path: string; origin: string; sha256: string; size: number; format: Format; status: 'importing' | 'complete'; acquired_at: string;
  examiner: string | null; records: number; events: number; duplicates: number; rejected: number;
}

/** Evidence rows in id order: all of them, or a keyset page (after an id, at most limit), optionally of one format. */
export function listEvidence(db: ReadableDB, page: { afterId?: number; limit?: number; format?: string } = {}): EvidenceRow[] {
  const format = page.format === undefined ? sql`` : sql`AND format = ${page.format}`;
  const limit = page.limit === undefined ? sql`` : sql`LIMIT ${page.limit}`;
  return all<EvidenceDbRow>(db, sql`SELECT * FROM evidence WHERE id > ${page.afterId ?? 0} ${format} ORDER BY id ${limit}`).map((r) => ({
    id: r.id, path: r.path, origin: r.origin, sha256: r.sha256, size: r.size, format: r.format, status: r.status, acquiredAt: r.acquired_at,
    examiner: r.examiner, records: r.records, events: r.events, duplicates: r.duplicates, rejected: r.rejected,
  }));
}

export function listRejects(db: ReadableDB, evidenceId: number | undefined, offset: number, limit: number): RejectRow[] {
  const where = evidenceId === undefined ? sql`` : sql`WHERE r.evidence_id = ${evidenceId}`;
  return all<{ evidence_id: number; path: string; locator: number; reason: string; text: string }>(db, sql`
    SELECT r.evidence_id, v.path, r.locator, r.reason, r.text FROM rejects r JOIN evidence v ON v.id = r.evidence_id
    ${where} ORDER BY r.evidence_id, r.locator LIMIT ${limit} OFFSET ${offset}`)
    .map((r) => ({ evidenceId: r.evidence_id, path: r.path, locator: r.locator, reason: r.reason, text: r.text }));
}
