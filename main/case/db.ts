// Opening a case file: pragmas, migrations, and the two handle types.
// A ReadableDB may only read; a WritableDB may also write. Function signatures say which they need.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerRequestHash } from './request-hash';
import type { Sql } from './sql';

type Brand<T, B extends string> = T & { readonly __brand: B };
export type ReadableDB = Brand<Database.Database, 'readable'> | WritableDB;
export type WritableDB = Brand<Database.Database, 'writable'>;

const MIGRATIONS_DIR = join(__dirname, 'migrations');

export interface Migration { version: number; name: string; sql: string }

/** The ordered migration registry, read from numbered files (`001-initial.sql`). Versions must only rise. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f)).sort();
  const migrations = files.map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
  migrations.forEach((m, i) => {
    if (i > 0 && m.version <= migrations[i - 1].version) throw new Error(`migration ${m.name} does not raise the version`);
  });
  return migrations;
}

export const SCHEMA_VERSION = (() => {
  const all = loadMigrations();
  return all.length ? all[all.length - 1].version : 0;
})();

export class CaseFileError extends Error {}

function configure(db: Database.Database): void {
  // Large pages suit rows that carry their raw record (0.5–2 KB): fewer overflow pages, measured
  // about 1.4× faster bulk import than 4 KB. Only takes effect on a new, empty file.
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Bounded: the page cache counts toward peak memory, which must stay small whatever the case size.
  db.pragma('cache_size = -65536');
  // Sorts (deriving downloads in key order) spill to temporary files past the cache instead of growing in memory.
  db.pragma('temp_store = FILE');
}

/** Applies every pending migration in one transaction that also sets user_version. */
export function migrate(db: Database.Database, migrations = loadMigrations()): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
  if (current > latest) {
    throw new CaseFileError(`this case file was written by a newer Trailmark (schema ${current}; this version knows ${latest})`);
  }
  const pending = migrations.filter((m) => m.version > current);
  if (!pending.length) return;
  registerRequestHash(db); // migration 016 names each download's request by its hash
  // A migration may rebuild a table others refer to (SQLite's own procedure for changing a table):
  // references are checked once all of it is done, not row by row while the table is replaced.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) db.exec(m.sql);
      const broken = db.pragma('foreign_key_check') as { table: string }[];
      if (broken.length) throw new CaseFileError(`upgrading the case left ${broken.length} broken references (first in ${broken[0].table}); it was not changed`);
      db.pragma(`user_version = ${latest}`);
    })();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}

/** The case marker in the SQLite header ('TRMK'), written by migration 012. */
export const CASE_APPLICATION_ID = 0x54524d4b;

const tableNames = (db: Database.Database): Set<string> =>
  new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));

/**
 * Whether a file is a Trailmark case: it carries the marker, or it was written by a Trailmark before
 * the marker existed (schema 1–11, no application id, and the case's own tables: case_meta beside
 * evidence, events and custody). Any other SQLite file is refused, whatever its user_version says.
 */
export function isTrailmarkCase(db: Database.Database): boolean {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId === CASE_APPLICATION_ID) return true;
  if (appId !== 0) return false;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version < 1 || version >= 12) return false;
  const tables = tableNames(db);
  return ['case_meta', 'evidence', 'events', 'custody'].every((t) => tables.has(t));
}

/** A file that holds nothing yet (no tables, no version, no marker): a case may be created in it. */
function isBlank(db: Database.Database): boolean {
  return (db.pragma('user_version', { simple: true }) as number) === 0
    && (db.pragma('application_id', { simple: true }) as number) === 0
    && tableNames(db).size === 0
    && (db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get() as { n: number }).n === 0;
}

/** Opens a case for writing. create: a blank file (or none) becomes a new case; without it only an existing case opens. */
export function openWritable(path: string, { create = true }: { create?: boolean } = {}): WritableDB {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: !create });
    if (!isTrailmarkCase(db) && !(create && isBlank(db))) {
      db.close();
      throw new CaseFileError(`${path} is not a Trailmark case`);
    }
  } catch (err) {
    if (err instanceof CaseFileError) throw err;
    throw new CaseFileError(`${path} cannot be opened as a case file: ${(err as Error).message}`);
  }
  try {
    configure(db);
    migrate(db);
  } catch (err) {
    db.close(); // a failed upgrade leaves no connection holding the file
    throw err;
  }
  return db as WritableDB;
}

export function openReadable(path: string): ReadableDB {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('cache_size = -65536');
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === 0 || !isTrailmarkCase(db)) {
    db.close();
    throw new CaseFileError(`${path} is not a Trailmark case file`);
  }
  if (version > SCHEMA_VERSION) throw new CaseFileError(`${path} was written by a newer Trailmark (schema ${version})`);
  // Reading is never allowed to change a case, and this version reads only its own layout.
  if (version < SCHEMA_VERSION) {
    throw new CaseFileError(`${path} was written by an earlier Trailmark (schema ${version}, this version reads ${SCHEMA_VERSION}): upgrade it first with \`trailmark upgrade --case ${path}\` (logged in its custody; a read-only file: add --out COPY)`);
  }
  return db as ReadableDB;
}

/** The schema version of a case file, read without changing it (0 for an empty or new file). */
export function schemaVersionOf(path: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

/**
 * A case of this version opened to append a record (a report's or an export's custody entry) and
 * nothing else: never migrated, never put right after an interruption — that is openCase's work.
 */
export function openForAppend(path: string): WritableDB {
  const version = schemaVersionOf(path);
  if (version !== SCHEMA_VERSION) throw new CaseFileError(`${path} has schema ${version}, this version writes ${SCHEMA_VERSION}: run \`trailmark upgrade --case ${path}\``);
  const db = new Database(path, { fileMustExist: true });
  configure(db);
  return db as WritableDB;
}

// Statements are prepared once per connection and reused.
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
export function prepared(db: ReadableDB, text: string): Database.Statement {
  let m = cache.get(db);
  if (!m) cache.set(db, (m = new Map()));
  let st = m.get(text);
  if (!st) m.set(text, (st = db.prepare(text)));
  return st;
}

const columnNames = new WeakMap<Database.Statement, string[]>();

/**
 * Every row of a query as an object. Rows are read as arrays and made objects here: better-sqlite3
 * builds each object property by property through V8's API, which made reading 300k downloads take
 * 1.3–1.6 s instead of 0.85–0.95 s.
 */
export function all<T>(db: ReadableDB, q: Sql): T[] {
  const st = prepared(db, q.text);
  let names = columnNames.get(st);
  if (!names) columnNames.set(st, (names = st.columns().map((c) => c.name)));
  let rows: unknown[][];
  try {
    rows = st.raw(true).all(...q.params) as unknown[][];
  } finally {
    st.raw(false);
  }
  const n = names.length;
  const out = new Array<T>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const o: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) o[names[i]] = row[i];
    out[r] = o as T;
  }
  return out;
}
export function get<T>(db: ReadableDB, q: Sql): T | undefined {
  return prepared(db, q.text).get(...q.params) as T | undefined;
}
export function run(db: WritableDB, q: Sql): Database.RunResult {
  return prepared(db, q.text).run(...q.params);
}
