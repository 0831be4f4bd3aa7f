// Files offered to an import and not taken (refused_files, migration 013): each one recorded with its
// path, size, SHA-256 where it could be read, and reason, and logged in custody, in one transaction, so
// that the case says later what it was handed and did not take — after the import bar is long gone.
import type { RefusedFileRow } from '../../shared/api';
import { appendCustody } from './custody';
import { all, run, type ReadableDB, type WritableDB } from './db';
import { sql } from './sql';

export interface RefusedFile { path: string; size: number | null; sha256: string | null; status: 'refused' | 'failed'; reason: string }

export function recordRefusedFiles(db: WritableDB, files: RefusedFile[], examiner: string | null, at = new Date()): void {
  if (!files.length) return;
  const atIso = at.toISOString();
  db.transaction(() => {
    for (const f of files) {
      const { lastInsertRowid } = run(db, sql`INSERT INTO refused_files (path, size, sha256, status, reason, examiner, at)
        VALUES (${f.path}, ${f.size}, ${f.sha256}, ${f.status}, ${f.reason}, ${examiner}, ${atIso})`);
      appendCustody(db, 'refuse', { refused: Number(lastInsertRowid), path: f.path, size: f.size, sha256: f.sha256, status: f.status, reason: f.reason }, examiner, at);
    }
  })();
}

interface RefusedDbRow { id: number; path: string; size: number | null; sha256: string | null; status: 'refused' | 'failed'; reason: string; examiner: string | null; at: string }

export function listRefusedFiles(db: ReadableDB): RefusedFileRow[] {
  return all<RefusedDbRow>(db, sql`SELECT * FROM refused_files ORDER BY id`).map((r) => ({
    id: r.id, path: r.path, size: r.size, sha256: r.sha256, status: r.status, reason: r.reason, examiner: r.examiner, at: r.at,
  }));
}
