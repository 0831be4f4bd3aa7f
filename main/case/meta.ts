// Case-level facts (name, examiner, creation time) and counts for the header.
import type { CaseInfo } from '../../shared/api';
import { appendCustody } from './custody';
import { downloadCount } from './downloads';
import { all, get, run, type ReadableDB, type WritableDB } from './db';
import { sql } from './sql';

export function setMeta(db: WritableDB, key: string, value: string): void {
  run(db, sql`INSERT INTO case_meta (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
}

export function getMeta(db: ReadableDB): Record<string, string> {
  return Object.fromEntries(all<{ key: string; value: string }>(db, sql`SELECT key, value FROM case_meta`).map((r) => [r.key, r.value]));
}

export function caseInfo(db: ReadableDB, path: string): CaseInfo {
  const meta = getMeta(db);
  const count = (q: ReturnType<typeof sql>) => get<{ n: number }>(db, q)!.n;
  return {
    path,
    name: meta.name ?? '',
    examiner: meta.examiner ?? null,
    createdAt: meta.created_at ?? '',
    // max(id) rather than count(*): events are never deleted, and a count would scan millions of rows.
    events: count(sql`SELECT coalesce(max(id), 0) AS n FROM events`),
    downloads: downloadCount(db),
    evidence: count(sql`SELECT count(*) AS n FROM evidence`),
    rejected: count(sql`SELECT coalesce(sum(rejected), 0) AS n FROM evidence`),
  };
}

/** Gives a new case file its identity and first custody entry; does nothing to an existing case. */
export function initCase(db: WritableDB, name: string, examiner: string | null, toolVersion: string): boolean {
  if (getMeta(db).created_at) return false;
  const createdAt = new Date().toISOString();
  db.transaction(() => {
    setMeta(db, 'name', name);
    setMeta(db, 'created_at', createdAt);
    setMeta(db, 'tool_version', toolVersion);
    if (examiner) setMeta(db, 'examiner', examiner);
    appendCustody(db, 'create', { name, tool: `trailmark ${toolVersion}` }, examiner);
  })();
  return true;
}
