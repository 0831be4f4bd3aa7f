// Queries behind the board report and the exports, beside the timeline's (main/case/timeline.ts,
// whose filter and download stream they share). Read-only except recordOutput, which writes the
// custody entry saying a report or export left the case.
import type { TimelineFilter } from '../../shared/api';
import { appendCustody, checkCustodyChain } from './custody';
import { all, get, type ReadableDB, type WritableDB } from './db';
import { join, sql, type Sql } from './sql';
import { filterConditions } from './timeline';

function whereOf(filter: TimelineFilter, extra: Sql[]): Sql {
  const parts = [...filterConditions(filter), ...extra];
  return parts.length ? sql`WHERE ${join(parts, ' AND ')}` : sql``;
}

/** First and last download time under the filter (both null when none match). */
export function downloadSpan(db: ReadableDB, filter: TimelineFilter, extra: Sql[] = []): { first: number | null; last: number | null; count: number } {
  return get<{ first: number | null; last: number | null; count: number }>(db,
    sql`SELECT min(time) AS first, max(time) AS last, count(*) AS count FROM download_ledger AS downloads ${whereOf(filter, extra)}`)!;
}

export interface ManifestRow {
  id: number; path: string; origin: string; sha256: string; size: number; format: string; status: string;
  acquiredAt: string; examiner: string | null; records: number; events: number; duplicates: number; rejected: number;
  rowsDigest: string | null;
}

export function evidenceManifest(db: ReadableDB): ManifestRow[] {
  return all<ManifestRow>(db, sql`SELECT id, path, origin, sha256, size, format, status, acquired_at AS acquiredAt, examiner,
      records, events, duplicates, rejected, rows_digest AS rowsDigest FROM evidence ORDER BY id`);
}

export interface RejectReason { reason: string; count: number }

/** The commonest reasons lines were refused, across all evidence. */
export function rejectReasons(db: ReadableDB, limit: number): RejectReason[] {
  return all<RejectReason>(db, sql`SELECT reason, count(*) AS count FROM rejects GROUP BY reason ORDER BY count DESC, reason LIMIT ${limit}`);
}

/** Custody actions that record output leaving the case rather than a change to it. */
export const OUTPUT_ACTIONS = ['report', 'export'] as const;
export type OutputAction = (typeof OUTPUT_ACTIONS)[number];

export interface CustodyDigest { entries: number; lastSeq: number | null; lastHash: string | null; problems: string[] }

/**
 * The custody chain as it describes the case: up to the last entry that is not itself a report or
 * export. Reports record themselves in custody; counting those would make every report of an
 * unchanged case differ from the one before.
 */
export function custodyDigest(db: ReadableDB): CustodyDigest {
  const [a, b] = OUTPUT_ACTIONS;
  const n = get<{ n: number }>(db, sql`SELECT count(*) AS n FROM custody WHERE action NOT IN (${a}, ${b})`)!.n;
  const last = get<{ seq: number; hash: string }>(db, sql`SELECT seq, hash FROM custody WHERE action NOT IN (${a}, ${b}) ORDER BY seq DESC LIMIT 1`);
  return { entries: n, lastSeq: last?.seq ?? null, lastHash: last?.hash ?? null, problems: checkCustodyChain(db) };
}

export function recordOutput(db: WritableDB, action: OutputAction, details: object, examiner: string | null): void {
  appendCustody(db, action, details, examiner);
}
