// Bringing a case written by an earlier Trailmark up to this schema. It only ever happens when the
// investigator asks for it — the app asks in a native dialog, the CLI has `trailmark upgrade` — in
// place, or on a copy made with SQLite's online backup so that the file as delivered stays exactly
// as it was. Opening a case never upgrades it on its own (open.ts refuses to without `upgrade`).
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { appendCustody } from './custody';
import { CaseFileError, isTrailmarkCase, loadMigrations, SCHEMA_VERSION, type WritableDB } from './db';

/** What upgrading a case would do: its schema before and after, and the migrations in between. */
export interface PendingUpgrade {
  /** The case's own name, as recorded in it (null if it has none). */
  name: string | null;
  fromSchema: number;
  toSchema: number;
  /** One line per migration to apply, e.g. "013 refused files". */
  changes: string[];
}

/**
 * Whether opening this file would migrate it, read without writing anything: null for a case of this
 * version, a file that does not exist, or one that is not a Trailmark case at all (opening it then
 * says what is wrong with it).
 */
export function pendingUpgrade(path: string): PendingUpgrade | null {
  if (!existsSync(path)) return null;
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch {
    return null;
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version < 1 || version >= SCHEMA_VERSION || !isTrailmarkCase(db)) return null;
    const name = (db.prepare(`SELECT value FROM case_meta WHERE key = 'name'`).pluck().get() as string | undefined) ?? null;
    const changes = loadMigrations().filter((m) => m.version > version)
      .map((m) => `${String(m.version).padStart(3, '0')} ${m.name.replace(/^\d+-|\.sql$/g, '').replace(/-/g, ' ')}`);
    return { name, fromSchema: version, toSchema: SCHEMA_VERSION, changes };
  } catch {
    return null;
  } finally {
    db.close();
  }
}

/**
 * Copies a case into a new file with SQLite's online backup (what is still in its write-ahead log
 * included), reading the original only. The target must not exist yet: an upgrade's copy never
 * replaces a file.
 */
export async function copyCaseFile(source: string, target: string): Promise<void> {
  if (resolve(source) === resolve(target)) throw new CaseFileError(`${target} is the case itself: choose a new file for the copy`);
  if (existsSync(target)) throw new CaseFileError(`${target} exists: the upgraded copy goes to a new file`);
  const from = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await from.backup(target);
  } finally {
    from.close();
  }
}

/**
 * An upgrade of a copy: the copy is made, then opened (migrated) by `open`. A copy that cannot be
 * opened — a migration refused by a damaged case, say — is removed with its log files, so a failed
 * upgrade leaves no half-made case file behind; the original was only read.
 */
export async function upgradeCopy<T>(source: string, target: string, open: () => T | Promise<T>): Promise<T> {
  await copyCaseFile(source, target);
  try {
    return await open();
  } catch (err) {
    for (const file of [target, `${target}-wal`, `${target}-shm`]) rmSync(file, { force: true });
    throw err;
  }
}

/** The copy's custody names the file it was made from (the upgrade itself is logged by openCase). */
export function recordUpgradeCopy(db: WritableDB, source: string, fromSchema: number, examiner: string | null): void {
  appendCustody(db, 'upgrade-copy', { from: resolve(source), fromSchema }, examiner);
}
