// `verify`'s proof that what the screens, the exports and the report read is what the raw records say.
// The case's events are normalized again from their raw records by the format registry's own record
// and line parsers (the evidence row names the format) and written, through the import's own row
// mapping (ingest/rows.ts), into a scratch rebuild beside the read-only case (case/rederive.ts); the
// import's own derivation and fold then build downloads and every summary from them. Each table is
// compared with the case's, and so are the exposure windows and evidence gaps computed from both.
// A difference names the table, the row (by natural key) and the fields.
import type { ExposureWindow, Gap } from '../../shared/analysis';
import type { Format } from '../../shared/events';
import { coverageAndGaps, computeExposure } from '../case/analysis';
import { updateAnalysis } from '../case/analysis-update';
import { checkIpContext } from '../case/ip-context';
import type { ReadableDB } from '../case/db';
import { deriveDownloads } from '../case/downloads';
import { TermCoder } from '../case/event-terms';
import {
  caseEventsWithRaw, compareEvents, compareTable, createRebuild, DERIVED_TABLES, derivationBehind, evidenceFormats, importUnfinished,
  insertRebuiltEvents, schemaDifferences, type CaseEventRef, type Row, type RowDifference, type TableDifferences,
} from '../case/rederive';
import { renormalize } from '../ingest/renormalize';
import { fieldsOf, type Value } from '../ingest/rows';

/** Differences listed per table; the rest are counted. */
const LISTED = 20;
const BATCH = 4096;

export interface RederiveReport {
  /** Events normalized again from their raw records. */
  events: number;
  /** Tables compared (events first). */
  tables: string[];
  seconds: number;
  /** Where the time went: seconds per step. */
  steps: Record<string, number>;
  problems: string[];
  limits: string[];
}

const show = (v: unknown) => (v === null || v === undefined ? 'NULL' : typeof v === 'string' ? JSON.stringify(v) : String(v));
const keyText = (key: Row) => Object.entries(key).map(([k, v]) => `${k}=${show(v)}`).join(', ');

/** "table row k: field is A in the case, B re-derived from the raw records; …" */
export function describeDifference(table: string, d: RowDifference, noun = 'row'): string {
  const where = `${table}: ${noun} ${keyText(d.key)}`;
  if (!d.stored) return `${where} is missing from the case (re-derived from the raw records: ${keyText(d.rebuilt!)})`;
  if (!d.rebuilt) return `${where} is in the case but not derived from any raw record (${keyText(d.stored)})`;
  const fields = Object.keys(d.rebuilt).filter((f) => !(f in d.key) && show(d.rebuilt![f]) !== show(d.stored![f]));
  return `${where}: ${fields.map((f) => `${f} is ${show(d.stored![f])} in the case, ${show(d.rebuilt![f])} re-derived from the raw records`).join('; ')}`;
}

function report(table: string, diff: TableDifferences, problems: string[], noun?: string): void {
  for (const d of diff.first) problems.push(describeDifference(table, d, noun));
  if (diff.rows > diff.first.length) problems.push(`${table}: … and ${diff.rows - diff.first.length} more ${noun ?? 'row'}s differ`);
}

/** Re-normalizes every event of the case (read through `db`) into the rebuild (another connection: one cannot write while it reads); returns how many. */
function rebuildEvents(db: ReadableDB, rebuild: ReturnType<typeof createRebuild>, problems: string[]): number {
  const formats = evidenceFormats(db);
  let refs: CaseEventRef[] = [];
  let values: Value[] = [];
  let n = 0;
  let unreadable = 0;
  const terms = new TermCoder(rebuild, 'temp');
  const flush = () => {
    if (!refs.length) return;
    rebuild.transaction(() => insertRebuiltEvents(rebuild, refs, values, terms))();
    refs = [];
    values = [];
  };
  for (const r of caseEventsWithRaw(db)) {
    n++;
    const format = formats.get(r.evidence_id) as Format | undefined;
    const result = format ? renormalize(format, r.raw, r.locator) : { reject: `evidence ${r.evidence_id} is not in the case` };
    if (result === null || 'reject' in result) {
      if (++unreadable <= LISTED) problems.push(`events: event ${r.id} (evidence ${r.evidence_id}, record ${r.locator}) does not normalize from its raw record: ${result === null ? 'the record is blank' : result.reject}`);
      continue;
    }
    refs.push({ id: r.id, evidence_id: r.evidence_id, locator: r.locator, raw_block: r.raw_block, raw_at: r.raw_at, raw_len: r.raw_len });
    // The import's own mapping of an event to its columns; the natural-key hash is not compared (case/rederive.ts).
    for (const v of fieldsOf(result, 0)) values.push(v);
    if (refs.length >= BATCH) flush();
  }
  flush();
  if (unreadable > LISTED) problems.push(`events: … and ${unreadable - LISTED} more events do not normalize from their raw records`);
  return n;
}

const windowText = (w: ExposureWindow) => JSON.stringify([w.bucket, w.key, w.from, w.to, w.scope, w.accounts, w.via, w.conditional, w.openedBy, w.closedBy]);
const gapText = (g: Gap) => JSON.stringify(g);

/** Lists, both ways, the items of two computed answer lists that are not in the other. */
function compareLists<T>(what: string, stored: T[], rebuilt: T[], text: (x: T) => string, problems: string[]): void {
  const s = new Set(stored.map(text));
  const r = new Set(rebuilt.map(text));
  for (const x of r) if (!s.has(x)) problems.push(`${what}: ${x} is derived from the raw records but not shown by the case`);
  for (const x of s) if (!r.has(x)) problems.push(`${what}: ${x} is shown by the case but not derived from the raw records`);
}

/**
 * Re-derives the case from its raw records and compares. `db` is the case opened read-only; `open`
 * opens another read-only connection to it, which holds the rebuild in its TEMP schema and is closed here;
 * `rebuilt` is given that connection once every derived table has been rebuilt.
 */
export function rederiveCase(db: ReadableDB, open: () => ReadableDB, rebuilt?: (rebuild: ReadableDB) => void): RederiveReport {
  const started = Date.now();
  const problems: string[] = [];
  const limits: string[] = [];
  const tables = ['events'];
  const steps: Record<string, number> = {};
  let t0 = Date.now();
  const step = (name: string) => {
    const now = Date.now();
    steps[name] = (now - t0) / 1000;
    t0 = now;
  };
  // A dropped immutability trigger is how derived rows get edited: say so before comparing them.
  problems.push(...schemaDifferences(db));
  const conn = open();
  try {
    const rebuild = createRebuild(conn);
    const events = rebuildEvents(db, rebuild, problems);
    step('events normalized again');
    const diff = compareEvents(conn, LISTED);
    report('events', diff, problems, 'event');
    step('events compared');
    const behind = derivationBehind(conn);
    if (importUnfinished(conn)) limits.push('derived tables: not re-derived, an import of the case never finished');
    else if (behind) {
      const where = behind.downloadsUnfolded && Math.min(behind.downloadsThrough, behind.summariesThrough) >= behind.events
        ? `the case's summaries do not yet include ${behind.downloadsUnfolded} of its downloads`
        : `the case has derived them through event ${Math.min(behind.downloadsThrough, behind.summariesThrough)} of ${behind.events}`;
      limits.push(`derived tables: not compared, ${where} (open the case, or run \`trailmark summary\` on it, to bring them up to date)`);
    } else {
      deriveDownloads(rebuild, { bulk: true });
      step('downloads derived');
      updateAnalysis(rebuild);
      step('summaries folded');
      for (const t of DERIVED_TABLES) {
        tables.push(t.table);
        report(t.table, compareTable(conn, t, LISTED), problems);
      }
      step('derived tables compared');
      // Computed when read, from the tables above and the raw records of the configuration events.
      compareLists('exposure window', computeExposure(db), computeExposure(conn), windowText, problems);
      compareLists('evidence gap', coverageAndGaps(db).gaps, coverageAndGaps(conn).gaps, gapText, problems);
      tables.push('exposure windows', 'evidence gaps');
      // Address context: every answer looked up again with this installation's data; answers of other data are a limit, not a problem.
      const ipc = checkIpContext(db);
      const few = (l: string[]) => `${l.slice(0, LISTED).join(', ')}${l.length > LISTED ? ` and ${l.length - LISTED} more` : ''}`;
      if (ipc.missing.length) problems.push(`address context: ${ipc.missing.length} source address(es) of the events have none: ${few(ipc.missing)}`);
      if (ipc.differing.length) problems.push(`address context: ${ipc.differing.length} answer(s) differ from the same data looked up again: ${few(ipc.differing)}`);
      if (ipc.orphans) problems.push(`address context: ${ipc.orphans} row(s) for addresses no event holds`);
      if (ipc.otherData) limits.push(`address context: ${ipc.otherData} of ${ipc.addresses} answer(s) were looked up with other address data than this installation's, and were not compared (\`trailmark ip-ranges --rebuild-case\` looks them up again)`);
      tables.push('address context');
      step('windows and gaps compared');
      rebuilt?.(conn);
      if (rebuilt) step('answers digest');
    }
    return { events, tables, seconds: (Date.now() - started) / 1000, steps, problems, limits };
  } finally {
    conn.close();
  }
}
