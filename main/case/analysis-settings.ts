// Analysis settings stored in the case (case_meta), so every examiner of the case sees the same matcher.
import { DEFAULT_BACKUP_PATTERNS, validatePatterns, type BackupPatterns } from '../analysis/backup';
import { get, run, type ReadableDB, type WritableDB } from './db';
import { sql } from './sql';

const KEY = 'analysis.backup_patterns';

export function getBackupPatterns(db: ReadableDB): BackupPatterns {
  const row = get<{ value: string }>(db, sql`SELECT value FROM case_meta WHERE key = ${KEY}`);
  if (!row) return DEFAULT_BACKUP_PATTERNS;
  const p = JSON.parse(row.value) as BackupPatterns;
  return { extensions: p.extensions ?? [], globs: p.globs ?? [] };
}

/** Stores new patterns; the caller rebuilds the backup flags (setBackupPatternsAndRefresh in analysis.ts). */
export function storeBackupPatterns(db: WritableDB, p: BackupPatterns): void {
  const problems = validatePatterns(p);
  if (problems.length) throw new Error(`backup patterns refused: ${problems.join('; ')}`);
  run(db, sql`INSERT INTO case_meta (key, value) VALUES (${KEY}, ${JSON.stringify(p)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
}
