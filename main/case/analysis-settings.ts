// Analysis settings stored in the case (case_meta), so every examiner of the case sees the same matcher
// and the same pattern thresholds.
import type { PatternSettings } from '../../shared/enrich';
import { DEFAULT_BACKUP_PATTERNS, validatePatterns, type BackupPatterns } from '../analysis/backup';
import { DEFAULT_BULK_TOOLS, validateTools } from '../analysis/patterns/tools';
import { appendCustody } from './custody';
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

// ---------- exfiltration patterns: burst thresholds and the bulk-tool list ----------
const PATTERNS_KEY = 'analysis.exfil_patterns';

/** Where a new case starts: panther-analysis's 50 MB in 15 minutes (decimal, as every size here), and more than 10 backup files in the same span. */
export const DEFAULT_PATTERN_SETTINGS: PatternSettings = {
  burst: { backupFiles: 10, bytes: 50_000_000, minutes: 15 },
  tools: DEFAULT_BULK_TOOLS,
};

export function getPatternSettings(db: ReadableDB): PatternSettings {
  const row = get<{ value: string }>(db, sql`SELECT value FROM case_meta WHERE key = ${PATTERNS_KEY}`);
  if (!row) return DEFAULT_PATTERN_SETTINGS;
  const p = JSON.parse(row.value) as Partial<PatternSettings>;
  return { burst: { ...DEFAULT_PATTERN_SETTINGS.burst, ...p.burst }, tools: p.tools ?? DEFAULT_PATTERN_SETTINGS.tools };
}

export function validatePatternSettings(p: PatternSettings): string[] {
  const problems = validateTools(p.tools);
  const { backupFiles, bytes, minutes } = p.burst;
  if (!Number.isSafeInteger(backupFiles) || backupFiles < 0) problems.push('burst backup files must be a whole number ≥ 0');
  if (!Number.isSafeInteger(bytes) || bytes < 0) problems.push('burst bytes must be a whole number ≥ 0');
  if (!(minutes > 0 && minutes <= 7 * 24 * 60)) problems.push('burst minutes must be more than 0 and at most a week (10080)');
  const labels = new Set<string>();
  for (const t of p.tools) {
    const label = t.label?.trim().toLowerCase();
    if (label && labels.has(label)) problems.push(`tool "${t.label.trim()}" is listed twice`);
    labels.add(label);
  }
  return problems;
}

/** Labels and matches as stored: trimmed (a stray space would make a substring match nothing). */
const tidy = (p: PatternSettings): PatternSettings => ({
  burst: { backupFiles: p.burst.backupFiles, bytes: p.burst.bytes, minutes: p.burst.minutes },
  tools: p.tools.map((t) => ({ label: t.label.trim(), match: t.match.trim() })),
});

/**
 * The investigator's change of the pattern settings: refused with every reason when a value makes no
 * sense, else stored and logged in custody (the settings before and after) in one transaction. The
 * patterns are computed on read, so the next read uses the new values.
 */
export function setPatternSettings(db: WritableDB, p: PatternSettings, examiner: string | null, at = new Date()): PatternSettings {
  const next = tidy(p);
  db.transaction(() => {
    const before = getPatternSettings(db);
    storePatternSettings(db, next);
    appendCustody(db, 'pattern-settings', { before, after: next }, examiner, at);
  })();
  return getPatternSettings(db);
}

export function storePatternSettings(db: WritableDB, p: PatternSettings): void {
  const problems = validatePatternSettings(p);
  if (problems.length) throw new Error(`pattern settings refused: ${problems.join('; ')}`);
  run(db, sql`INSERT INTO case_meta (key, value) VALUES (${PATTERNS_KEY}, ${JSON.stringify(p)}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
}
