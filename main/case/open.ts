// Opening a case to work on it: the file is created or migrated, given its identity if new, and put
// right after any interruption — an unfinished import undone, downloads derived up to date, deferred
// indexes rebuilt — so every writer starts from the same consistent case.
import { basename } from 'node:path';
import { TOOL_VERSION } from '../version';
import { restoreDownloadIndexes } from './bulk';
import { openWritable, type WritableDB } from './db';
import { deriveDownloads } from './downloads';
import { undoUnfinished } from './import-writer';
import { initCase } from './meta';

/** The case name a file gets when none is given. */
export const nameFromPath = (path: string): string => basename(path).replace(/\.(sqlite|db|trailmark)$/i, '');

/** create: false opens only an existing Trailmark case (never turns a blank file into one). */
export function openCase(path: string, opts: { name?: string; examiner?: string | null; create?: boolean } = {}): WritableDB {
  const db = openWritable(path, { create: opts.create ?? true });
  initCase(db, opts.name || nameFromPath(path), opts.examiner ?? null, TOOL_VERSION);
  undoUnfinished(db);
  deriveDownloads(db);
  restoreDownloadIndexes(db);
  return db;
}
