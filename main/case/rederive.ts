// The statements behind `verify`'s re-derivation (main/integrity/rederive.ts). The case is opened
// read-only and the rebuild lives in the same connection's TEMP schema — a scratch file of SQLite's
// own in the temp directory — whose tables are created from this version's migrations, not from the
// case's own schema (which a tamperer could have changed). Unqualified names resolve to TEMP first, so
// the import's own derive and fold code (downloads.ts, analysis-update.ts) runs unchanged on the
// rebuilt events and writes only the scratch; the raw records and the evidence rows are read from the
// case. A statement that would reach a table of the case fails: the connection cannot write it.
import Database from 'better-sqlite3';
import type { Value } from '../ingest/rows';
import { ROW_COLUMNS, ROW_WIDTH } from '../ingest/rows';
import { all, get, migrate, prepared, type ReadableDB, type WritableDB } from './db';
import { TermCoder } from './event-terms';
import { markOf } from './marks';
import { EVENT_RAW_REF, withRaw, type RawRef } from './raw-records';
import { sql } from './sql';

/** One table the timeline, the summaries, the exports or the report read, and how to compare it. */
export interface DerivedTable {
  table: string;
  /** The columns that name a row, as the comparison's select names them (natural keys, never surrogate ids). */
  key: string[];
  /** Columns not compared: surrogate ids that legitimately differ between two derivations. */
  surrogate: string[];
  /** A row select over `s` (`main` or `temp`) that replaces surrogate references by natural keys; `cols` are the table's compared columns, aliased `x`. */
  select?: (s: string, cols: string[]) => string;
  /** Rows of the table that are derived (others are settings or progress markers). */
  where?: string;
  /** The key is a unique index of the table itself: compared by joining on it (one pass) rather than by two EXCEPTs (two sorts). */
  unique?: boolean;
}

/**
 * Every derived table, in derivation order. Columns are read from the table's definition, so a column
 * added by a later migration is compared without touching this list.
 */
export const DERIVED_TABLES: DerivedTable[] = [
  { table: 'marked_events', key: ['mark', 'time', 'id'], surrogate: [], unique: true },
  // A view (migration 016): the ledger's merged columns beside what it reads from its events, so both
  // are compared; the ledger's request hash is left out (probed onward on a collision, it may differ
  // between a case derived import by import and a rebuild derived at once).
  { table: 'downloads', key: ['request_key'], surrogate: ['id'] },
  // The ledger's dictionaries (migration 017): every value of a derived download event, compared by value.
  { table: 'ledger_actors', key: ['actor'], surrogate: ['id'], unique: true },
  { table: 'ledger_objects', key: ['bucket', 'key'], surrogate: ['id'], unique: true },
  { table: 'source_hours', key: ['bucket', 'source', 'hour'], surrogate: [], unique: true },
  { table: 'download_hours', key: ['bucket', 'hour'], surrogate: [], unique: true },
  {
    table: 'backup_downloads', key: ['time', 'request_key'], surrogate: ['id'],
    select: (s, cols) => `SELECT ${cols.map((c) => `x.${c}`).join(', ')}, d.request_key FROM ${s}.backup_downloads x LEFT JOIN ${s}.downloads d ON d.id = x.id`,
  },
  { table: 'actor_stats', key: ['actor_key'], surrogate: ['aid'], unique: true },
  {
    table: 'actor_agents', key: ['actor_key', 'user_agent'], surrogate: ['aid'],
    select: (s, cols) => `SELECT a.actor_key, ${cols.map((c) => `x.${c}`).join(', ')} FROM ${s}.actor_agents x LEFT JOIN ${s}.actor_stats a ON a.aid = x.aid`,
  },
  { table: 'object_stats', key: ['bucket', 'key'], surrogate: ['oid'], unique: true },
  {
    table: 'actor_objects', key: ['actor_key', 'object_bucket', 'object_key'], surrogate: ['aid', 'oid'],
    select: (s, cols) => `SELECT a.actor_key, o.bucket AS object_bucket, o.key AS object_key, ${cols.map((c) => `x.${c}`).join(', ')}
      FROM ${s}.actor_objects x LEFT JOIN ${s}.actor_stats a ON a.aid = x.aid LEFT JOIN ${s}.object_stats o ON o.oid = x.oid`,
  },
  { table: 'listings', key: ['evidence_id', 'bucket', 'key', 'version_id'], surrogate: ['id'] },
  // The corroboration counts (both sources, one only) that the summary and the report print; a count
  // moved down to zero (a download seen later in the other source) is no count.
  { table: 'analysis_progress', key: ['name'], surrogate: [], where: `name LIKE 'sources\\_%' ESCAPE '\\' AND value != 0` },
  // The download count the timeline and the report header print.
  { table: 'case_meta', key: ['key'], surrogate: [], where: `key = 'downloads_count'` },
];

/** Event columns not re-derived from the raw record, and why. */
export const EVENT_COLUMNS_NOT_COMPARED: Record<string, string> = {
  id: 'the event itself (the rebuild keeps the case\'s ids)',
  nk: 'the natural-key lookup hash, probed onward on a collision; never shown',
  evidence_id: 'covered by the row digest of each evidence file',
  locator: 'covered by the row digest of each evidence file',
  raw_block: 'where the raw record is; the record itself is covered by the row digest',
  raw_at: 'where the raw record is; the record itself is covered by the row digest',
  raw_len: 'where the raw record is; the record itself is covered by the row digest',
};

/** The tables rebuilt in TEMP: the events, their marks, the derived tables and what deriving keeps in case_meta. */
// ip_context is rebuilt too, so the fold's address step writes the scratch and not the (read-only)
// case; it is compared apart (checkIpContext), since a case looked up with older data is no discrepancy.
// The events are rebuilt as the import stores them (event_rows, coded by their own terms) and compared
// through their `events` views, decoded: a changed term or code is a changed column.
const REBUILT = ['event_rows', 'terms', 'events', 'ip_context', 'download_ledger', ...DERIVED_TABLES.map((t) => t.table)];
/** case_meta rows the derivation writes (markers and counts); every other key (settings: backup patterns) is the case's. */
const DERIVATION_META = ['downloads_derived_through', 'downloads_bulk_pending', 'downloads_count'];

interface SchemaRow { type: string; name: string; tbl_name: string; sql: string }

/** This version's schema as its migrations build it (read once). */
let schema: SchemaRow[] | null = null;
function migratedSchema(): SchemaRow[] {
  if (schema) return schema;
  const mem = new Database(':memory:');
  try {
    migrate(mem);
    return (schema = mem.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, rowid`).all() as SchemaRow[]);
  } finally {
    mem.close();
  }
}

/** The CREATE statements of this version's schema for the rebuilt tables, their indexes, then their views. */
function rebuildSchema(): string[] {
  const rebuilt = migratedSchema().filter((r) => REBUILT.includes(r.tbl_name) && r.name !== 'events_natural');
  const tables = rebuilt.filter((r) => r.type === 'table' || r.type === 'index')
    .map((r) => r.type === 'table'
      ? r.sql.replace(/^CREATE TABLE\s+("?)(\w+)\1/i, (_m, _q, name: string) => `CREATE TEMP TABLE ${name}`)
      : r.sql.replace(/^CREATE (UNIQUE )?INDEX\s+("?)(\w+)\2/i, (_m, u: string | undefined, _q, name: string) => `CREATE ${u ?? ''}INDEX temp.${name}`));
  // A temp view's names resolve to the temp tables first: it reads the rebuild.
  const views = rebuilt.filter((r) => r.type === 'view').map((r) => r.sql.replace(/^CREATE VIEW\s+/i, 'CREATE TEMP VIEW '));
  return [...tables, ...views];
}

/**
 * Tables and triggers of the case that are not as this version's migrations define them: a dropped
 * immutability trigger, a changed column definition. (Indexes are left out: a bulk derivation defers
 * some, and a crash can leave them to be rebuilt on the next opening.)
 */
export function schemaDifferences(db: ReadableDB): string[] {
  const want = migratedSchema().filter((r) => r.type === 'table' || r.type === 'trigger' || r.type === 'view');
  const have = new Map((db.prepare(`SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE type IN ('table', 'trigger', 'view') AND sql IS NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).all() as SchemaRow[]).map((r) => [`${r.type} ${r.name}`, r]));
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const out: string[] = [];
  for (const w of want) {
    const h = have.get(`${w.type} ${w.name}`);
    if (!h) out.push(`schema: the ${w.type} ${w.name}${w.type === 'trigger' ? ` (on ${w.tbl_name})` : ''} is missing from the case: it was dropped outside Trailmark`);
    else if (norm(h.sql) !== norm(w.sql)) out.push(`schema: the ${w.type} ${w.name} is not defined as this version defines it: it was changed outside Trailmark`);
    have.delete(`${w.type} ${w.name}`);
  }
  for (const h of have.values()) out.push(`schema: the ${h.type} ${h.name} is not part of a Trailmark case: it was added outside Trailmark`);
  return out;
}

/**
 * Creates the scratch tables in the connection's TEMP schema and copies the case's settings into it.
 * The handle returned writes TEMP only: the case itself is opened read-only.
 */
export function createRebuild(db: ReadableDB): WritableDB {
  db.pragma('temp_store = FILE');
  // The scratch holds a copy of the events and every derived table: SQLite's default cache for it
  // (2 MB) made the rebuild of a 1M-event case spill and re-read its pages all along.
  db.pragma('temp.cache_size = -65536');
  db.pragma('temp.journal_mode = MEMORY');
  // The scratch tables refer to the case's evidence and raw records, which live in another schema.
  db.pragma('foreign_keys = OFF');
  for (const statement of rebuildSchema()) db.exec(statement);
  const keep = DERIVATION_META.map((k) => `'${k}'`).join(', ');
  db.exec(`INSERT INTO temp.case_meta (key, value) SELECT key, value FROM main.case_meta WHERE key NOT IN (${keep})`);
  return db as WritableDB;
}

export interface CaseEventRef extends RawRef { id: number; evidence_id: number; locator: number }

/** The case's events in id order with their raw records, streamed. */
export function caseEventsWithRaw(db: ReadableDB): Iterable<Omit<CaseEventRef, keyof RawRef> & RawRef & { raw: string }> {
  const rows = prepared(db, `SELECT e.id, e.evidence_id, e.locator, ${EVENT_RAW_REF.text}, e.raw_block AS b, e.raw_at AS a, e.raw_len AS l FROM main.events e ORDER BY e.id`)
    .iterate() as IterableIterator<CaseEventRef & { b: number; a: number; l: number }>;
  return (function* () {
    for (const r of withRaw(db, rows)) {
      const { b, a, l, ...rest } = r;
      yield { ...rest, raw_block: b, raw_at: a, raw_len: l };
    }
  })();
}

/** The format of every evidence row of the case. */
export function evidenceFormats(db: ReadableDB): Map<number, string> {
  return new Map(all<{ id: number; format: string }>(db, sql`SELECT id, format FROM main.evidence`).map((r) => [r.id, r.format]));
}

const CHUNK = 64;
const insertText = (n: number) => {
  const tuple = `(?, ${ROW_COLUMNS.map(() => '?').join(', ')}, ?)`;
  return `INSERT INTO temp.event_rows (id, ${ROW_COLUMNS.join(', ')}, evidence_id) VALUES ${Array(n).fill(tuple).join(', ')}`;
};
const RAW_COLUMNS = (['raw_block', 'raw_at', 'raw_len'] as const).map((c) => ROW_COLUMNS.indexOf(c));
const KIND = ROW_COLUMNS.indexOf('kind');
const ACTION = ROW_COLUMNS.indexOf('action');
const TIME = ROW_COLUMNS.indexOf('time');

/**
 * Stores re-normalized events under the case's ids (`values`: ROW_WIDTH bind values a row, as the
 * import writer binds them), pointing at the case's raw records, and marks them as the writer does.
 */
export function insertRebuiltEvents(db: WritableDB, refs: CaseEventRef[], values: Value[], terms = new TermCoder(db, 'temp')): void {
  const mark = prepared(db, 'INSERT OR IGNORE INTO temp.marked_events (mark, time, id) VALUES (?, ?, ?)');
  for (let i = 0; i < refs.length; i += CHUNK) {
    const n = Math.min(CHUNK, refs.length - i);
    const params: Value[] = [];
    for (let j = i; j < i + n; j++) {
      const text = values.slice(j * ROW_WIDTH, (j + 1) * ROW_WIDTH);
      const row = terms.code(text, 1);
      const ref = refs[j];
      [row[RAW_COLUMNS[0]], row[RAW_COLUMNS[1]], row[RAW_COLUMNS[2]]] = [ref.raw_block, ref.raw_at, ref.raw_len];
      params.push(ref.id, ...row, ref.evidence_id);
      const m = markOf(text[KIND] as string, text[ACTION] as string);
      if (m) mark.run(m, text[TIME], ref.id);
    }
    prepared(db, insertText(n)).run(params);
  }
}

/** Whether the case's derivation has read every event (else its derived tables are behind, not wrong). */
export function derivationBehind(db: ReadableDB): { events: number; downloadsThrough: number; summariesThrough: number; downloadsUnfolded: number } | null {
  const events = get<{ n: number }>(db, sql`SELECT coalesce(max(id), 0) AS n FROM main.events`)!.n;
  const through = Number(get<{ value: string }>(db, sql`SELECT value FROM main.case_meta WHERE key = 'downloads_derived_through'`)?.value ?? 0);
  const summaries = get<{ value: number }>(db, sql`SELECT value FROM main.analysis_progress WHERE name = 'events'`)?.value ?? 0;
  // The fold runs in slices (events, then downloads): between them, every event may be in and downloads not yet.
  const folded = get<{ value: number }>(db, sql`SELECT value FROM main.analysis_progress WHERE name = 'downloads'`)?.value ?? 0;
  const downloadsUnfolded = get<{ n: number }>(db, sql`SELECT count(*) AS n FROM main.downloads WHERE id > ${folded}`)!.n;
  return through >= events && summaries >= events && downloadsUnfolded === 0 ? null : { events, downloadsThrough: through, summariesThrough: summaries, downloadsUnfolded };
}

/** Whether an import of the case never finished (then nothing is derived from its events yet). */
export function importUnfinished(db: ReadableDB): boolean {
  return get(db, sql`SELECT 1 AS x FROM main.evidence WHERE status = 'importing' LIMIT 1`) !== undefined;
}

// ---- comparison

/** The compared columns of a table: its definition's (generated ones included) minus the surrogate ones. */
export function comparedColumns(db: ReadableDB, table: string, exclude: string[], schema: 'main' | 'temp' = 'temp'): string[] {
  const cols = db.prepare(`SELECT name FROM pragma_table_xinfo(?, ?)`).all(table, schema) as { name: string }[];
  return cols.map((c) => c.name).filter((c) => !exclude.includes(c));
}

export type Row = Record<string, unknown>;

/** A row the two sides disagree on: `rebuilt` is what the raw records give, `case` what the case holds (null: no such row). */
export interface RowDifference { key: Row; rebuilt: Row | null; stored: Row | null }

export interface TableDifferences { rows: number; first: RowDifference[] }

export function rowSelect(t: DerivedTable, s: string, cols: string[]): string {
  const base = t.select ? t.select(s, cols) : `SELECT ${cols.join(', ')} FROM ${s}.${t.table}`;
  return t.where ? `SELECT * FROM (${base}) WHERE ${t.where}` : base;
}

/**
 * The rows of a derived table that differ between the rebuild and the case: the two EXCEPTs, matched
 * up by key so that a changed row is one difference naming its fields. Keeps the first `limit`.
 */
export function compareTable(db: ReadableDB, t: DerivedTable, limit: number): TableDifferences {
  const cols = comparedColumns(db, t.table, t.surrogate);
  if (t.unique && !t.select && !t.where) return joinTable(db, t, cols, limit);
  const rebuilt = rowSelect(t, 'temp', cols);
  const stored = rowSelect(t, 'main', cols);
  const keyOf = (r: Row) => JSON.stringify(t.key.map((k) => r[k]));
  const only = (a: string, b: string) => db.prepare(`${a} EXCEPT ${b}`).iterate() as IterableIterator<Row>;
  const byKey = new Map<string, RowDifference>();
  let rows = 0;
  const add = (r: Row, side: 'rebuilt' | 'stored') => {
    const k = keyOf(r);
    const d = byKey.get(k);
    if (d) d[side] = r;
    else if (byKey.size < limit * 4) byKey.set(k, { key: Object.fromEntries(t.key.map((c) => [c, r[c]])), rebuilt: side === 'rebuilt' ? r : null, stored: side === 'stored' ? r : null });
    if (!d) rows++;
  };
  for (const r of only(rebuilt, stored)) add(r, 'rebuilt');
  for (const r of only(stored, rebuilt)) add(r, 'stored');
  return { rows, first: [...byKey.values()].slice(0, limit) };
}

/** compareTable for a table whose key is unique in it: rows differing or missing by a join on the key, rows extra by an anti-join. */
function joinTable(db: ReadableDB, t: DerivedTable, cols: string[], limit: number): TableDifferences {
  const on = t.key.map((k) => `m.${k} = t.${k}`).join(' AND ');
  const values = cols.filter((c) => !t.key.includes(c));
  const differs = [`m.${t.key[0]} IS NULL`, ...values.map((c) => `t.${c} IS NOT m.${c}`)].join(' OR ');
  const pick = (alias: string) => cols.map((c) => `${alias}.${c} AS ${alias}_${c}`).join(', ');
  const side = (r: Row, alias: string) => (r[`${alias}_${t.key[0]}`] === null ? null : Object.fromEntries(cols.map((c) => [c, r[`${alias}_${c}`]])));
  const first: RowDifference[] = [];
  let rows = 0;
  const add = (r: Row) => {
    rows++;
    if (first.length >= limit) return;
    const rebuilt = side(r, 't');
    const stored = side(r, 'm');
    first.push({ key: Object.fromEntries(t.key.map((k) => [k, (rebuilt ?? stored)![k]])), rebuilt, stored });
  };
  for (const r of db.prepare(`SELECT ${pick('t')}, ${pick('m')} FROM temp.${t.table} t LEFT JOIN main.${t.table} m ON ${on} WHERE ${differs}`).iterate() as IterableIterator<Row>) add(r);
  const nulls = cols.map((c) => `NULL AS t_${c}`).join(', ');
  for (const r of db.prepare(`SELECT ${nulls}, ${pick('m')} FROM main.${t.table} m WHERE NOT EXISTS (SELECT 1 FROM temp.${t.table} t WHERE ${on})`).iterate() as IterableIterator<Row>) add(r);
  return { rows, first };
}

/**
 * Events whose normalized columns differ: joined by id (both sides hold every event id of the case),
 * which is one pass where an EXCEPT of millions of wide rows would sort both sides.
 */
export function compareEvents(db: ReadableDB, limit: number): TableDifferences & { columns: string[] } {
  const cols = comparedColumns(db, 'events', Object.keys(EVENT_COLUMNS_NOT_COMPARED));
  const differs = cols.map((c) => `t.${c} IS NOT m.${c}`).join(' OR ');
  const pick = (alias: string) => cols.map((c) => `${alias}.${c} AS ${alias}_${c}`).join(', ');
  const stmt = db.prepare(`SELECT m.id, ${pick('t')}, ${pick('m')} FROM main.events m JOIN temp.events t ON t.id = m.id WHERE ${differs} ORDER BY m.id`);
  const first: RowDifference[] = [];
  let rows = 0;
  const side = (r: Row, alias: string) => Object.fromEntries(cols.map((c) => [c, r[`${alias}_${c}`]]));
  for (const r of stmt.iterate() as IterableIterator<Row>) {
    rows++;
    if (first.length < limit) first.push({ key: { id: r.id }, rebuilt: side(r, 't'), stored: side(r, 'm') });
  }
  return { rows, first, columns: cols };
}
