// The rows the answers digest is taken over (main/integrity/answers-digest.ts): every derived table
// the timeline, the summaries, the exports and the report read, row by row in natural-key order, with
// surrogate ids replaced by natural keys — so the same answers give the same rows in the case and in
// verify's rebuild of it. Read from `main` (the case) or `temp` (verify's rebuild, case/rederive.ts).
import type { ReadableDB } from './db';
import { comparedColumns, DERIVED_TABLES, rowSelect } from './rederive';

/**
 * Derived tables that hold answers (not bookkeeping: which events are marked, the kept download count,
 * the ledger's dictionaries, whose values the downloads show).
 */
const BOOKKEEPING = ['marked_events', 'case_meta', 'ledger_actors', 'ledger_objects'];
export const ANSWER_TABLES = DERIVED_TABLES.filter((t) => !BOOKKEEPING.includes(t.table));

/** Each answer table's name, then its rows as value arrays in key order, streamed. */
export function* answerRows(db: ReadableDB, schema: 'main' | 'temp'): Generator<{ table: string; rows: Iterable<unknown[]> }> {
  for (const t of ANSWER_TABLES) {
    const cols = comparedColumns(db, t.table, t.surrogate, schema);
    // Identifiers from the fixed table list and the table's own definition; no value is interpolated.
    // Sorted, not walked along an index (the unary + keeps the planner off it; the order is the same,
    // every column being BINARY): the downloads' unique key index visits the table in random order,
    // and a scan and a sort took 750k downloads in 3.5 instead of 7.2 CPU-seconds (5 s instead of 10.5).
    const stmt = db.prepare(`SELECT * FROM (${rowSelect(t, schema, cols)}) ORDER BY ${t.key.map((k) => `+"${k}"`).join(', ')}`).raw(true);
    yield { table: t.table, rows: stmt.iterate() as IterableIterator<unknown[]> };
  }
}
