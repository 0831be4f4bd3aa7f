// Opening a case to work on it: the file is created or migrated, given its identity if new, and put
// right after any interruption — an unfinished import undone, downloads derived up to date, deferred
// indexes rebuilt — so every writer starts from the same consistent case.
import { basename } from 'node:path';
import { TOOL_VERSION } from '../version';
import { restoreDownloadIndexes } from './bulk';
import { appendCustody } from './custody';
import { CaseFileError, openWritable, SCHEMA_VERSION, type WritableDB } from './db';
import { deriveDownloads } from './downloads';
import { undoUnfinished } from './import-writer';
import { initCase } from './meta';
import { pendingUpgrade } from './upgrade';

/** The case name a file gets when none is given. */
export const nameFromPath = (path: string): string => basename(path).replace(/\.(sqlite|db|trailmark)$/i, '');

/**
 * create: false opens only an existing Trailmark case (never turns a blank file into one). A case of
 * an earlier schema is migrated only with upgrade: true — the investigator's explicit choice (the
 * app's dialog, `trailmark upgrade`); without it the file is refused untouched.
 */
export function openCase(path: string, opts: { name?: string; examiner?: string | null; create?: boolean; upgrade?: boolean } = {}): WritableDB {
  const pending = pendingUpgrade(path);
  if (pending && !opts.upgrade) {
    throw new CaseFileError(`${path} was written by an earlier Trailmark (schema ${pending.fromSchema}, this version writes ${pending.toSchema}) and was left as it is: upgrade it first (in the app, or \`trailmark upgrade --case ${path}\`, with --out COPY to keep the original)`);
  }
  const db = openWritable(path, { create: opts.create ?? true });
  try {
    initCase(db, opts.name || nameFromPath(path), opts.examiner ?? null, TOOL_VERSION);
    // An upgrade changes the case: it is a step of its custody, never a silent side effect.
    if (pending) appendCustody(db, 'upgrade', { fromSchema: pending.fromSchema, toSchema: SCHEMA_VERSION, tool: TOOL_VERSION }, opts.examiner ?? null);
    undoUnfinished(db);
    deriveDownloads(db);
    restoreDownloadIndexes(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
