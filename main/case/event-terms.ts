// Coding an event row's repeated texts (source, action, kind, actor type, user agent) as ids of
// `terms` (migration 018) as the rows are written, by the import and by verify's rebuild alike. A new
// term is inserted in the transaction of the rows that use it, so a rolled-back batch takes its terms
// with it; one instance serves one evidence file (whose rows are undone together if it fails), so it
// never hands out the id of a term that a rollback took away.
import { ROW_COLUMNS, ROW_WIDTH, type Value } from '../ingest/rows';
import { prepared, type WritableDB } from './db';
import { sql, type Sql } from './sql';

/** The ids of the terms among `texts`, for a condition on a coded column (compared as ids, not decoded row by row). */
export const termIds = (texts: readonly string[]): Sql => sql`(SELECT id FROM terms WHERE text IN (SELECT value FROM json_each(${JSON.stringify(texts)})))`;

/** The event_rows columns that hold a terms.id instead of their text. */
export const CODED_COLUMNS = ['source', 'action', 'kind', 'actor_type', 'user_agent'] as const;
const CODED_AT = CODED_COLUMNS.map((c) => ROW_COLUMNS.indexOf(c));

export class TermCoder {
  private readonly ids = new Map<string, number>();
  /** `schema`: where the terms are (the case's own, or verify's scratch copy). */
  constructor(private readonly db: WritableDB, private readonly schema: 'main' | 'temp' = 'main') {}

  /** The id of a term, inserting it if the case has none yet. */
  id(text: string): number {
    let id = this.ids.get(text);
    if (id !== undefined) return id;
    const found = prepared(this.db, `SELECT id FROM ${this.schema}.terms WHERE text = ?`).get(text) as { id: number } | undefined;
    id = found ? found.id : Number(prepared(this.db, `INSERT INTO ${this.schema}.terms (text) VALUES (?)`).run(text).lastInsertRowid);
    this.ids.set(text, id);
    return id;
  }

  /** A copy of `n` rows of bind values (ROW_WIDTH a row, ROW_COLUMNS order) with the coded columns' texts replaced by their ids. */
  code(values: Value[], n = values.length / ROW_WIDTH): Value[] {
    const out = values.slice(0, n * ROW_WIDTH);
    for (let b = 0; b < out.length; b += ROW_WIDTH) {
      for (const c of CODED_AT) {
        const v = out[b + c];
        if (v !== null) out[b + c] = this.id(v as string);
      }
    }
    return out;
  }
}
