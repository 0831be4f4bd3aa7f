// Opening a case to work on it: the file is created or migrated, given its identity if new, and put
// right after any interruption — an unfinished import undone, downloads derived up to date, deferred
// indexes rebuilt — so every writer starts from the same consistent case.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { TOOL_VERSION } from '../version';
import { restoreDownloadIndexes } from './bulk';
import { appendCustody } from './custody';
import { openWritable, schemaVersionOf, SCHEMA_VERSION, type WritableDB } from './db';
import { deriveDownloads } from './downloads';
import { undoUnfinished } from './import-writer';
import { initCase } from './meta';

/** The case name a file gets when none is given. */
export const nameFromPath = (path: string): string => basename(path).replace(/\.(sqlite|db|trailmark)$/i, '');

/** The schema of the file as found (0 if none or unreadable: openWritable then says what is wrong). */
function versionBefore(path: string): number {
  try {
    return existsSync(path) ? schemaVersionOf(path) : 0;
  } catch {
    return 0;
  }
}

/** create: false opens only an existing Trailmark case (never turns a blank file into one). */
export function openCase(path: string, opts: { name?: string; examiner?: string | null; create?: boolean } = {}): WritableDB {
  const before = versionBefore(path);
  const db = openWritable(path, { create: opts.create ?? true });
  initCase(db, opts.name || nameFromPath(path), opts.examiner ?? null, TOOL_VERSION);
  // An upgrade changes the case: it is a step of its custody, never a silent side effect.
  if (before > 0 && before < SCHEMA_VERSION) appendCustody(db, 'upgrade', { fromSchema: before, toSchema: SCHEMA_VERSION, tool: TOOL_VERSION }, opts.examiner ?? null);
  undoUnfinished(db);
  deriveDownloads(db);
  restoreDownloadIndexes(db);
  return db;
}
