// Where a row stands in the whole timeline result, for a scrollbar that spans all of it: how many
// downloads a filter matches, and a keyset start for the row at any position (or time), found from
// per-hour counts — never an OFFSET over the whole result. An OFFSET runs only inside one hour.
import type { Cursor, TimelineFilter, TimelinePosition, TimelinePositionAt } from '../../shared/api';
import { all, get, type ReadableDB } from './db';
import { join, sql, type Sql } from './sql';
import { countByObject, filterConditions, narrowedByTime, patternMinutesFor, summaryAnswers, walkCanMatch } from './timeline';
import { HOUR } from '../../shared/analysis';

interface HourCount { hour: number; n: number }

const where = (conds: Sql[]) => (conds.length ? sql`WHERE ${join(conds, ' AND ')}` : sql``);
// Counts and starts are read from the ledger alone (named `downloads`, as its conditions name it).

/**
 * The filter's downloads per UTC hour, in order. From the hourly summary for the hours wholly inside
 * the time filter (one row per hour, whatever the case's size), or from a pattern's own per-minute
 * counts (patternMinutesFor); the partial hours at a time filter's edges and any other filter are
 * counted on the downloads themselves (the filter's own index bounds it).
 */
export function hourCounts(db: ReadableDB, filter: TimelineFilter, extra: Sql[] = []): HourCount[] {
  const byObject = countByObject(db, filter);
  const counted = (more: Sql[], f = filter) => all<HourCount>(db, sql`
    SELECT time / ${HOUR} AS hour, count(*) AS n FROM download_ledger AS downloads ${where([...filterConditions(f, 'source_ip', byObject), ...extra, ...more])} GROUP BY hour ORDER BY hour`);
  const ranges = narrowedByTime(db, filter);
  if (ranges) {
    // Counted range by range, in order (two ranges may share an hour).
    const byHour = new Map<number, number>();
    for (const f of ranges) for (const h of counted([], f)) byHour.set(h.hour, (byHour.get(h.hour) ?? 0) + h.n);
    return [...byHour].map(([hour, n]) => ({ hour, n }));
  }
  const byPattern = patternMinutesFor(db, filter);
  if (!byPattern && !summaryAnswers(filter)) return counted([]);
  const from = filter.from ? Date.parse(filter.from) : undefined;
  const to = filter.to ? Date.parse(filter.to) : undefined;
  // Whole hours [lo, hi) come from the summary (or the pattern's own per-minute counts); an edge hour cut by the time filter is counted.
  const lo = from === undefined ? undefined : Math.ceil(from / HOUR);
  const hi = to === undefined ? undefined : Math.floor(to / HOUR);
  if (lo !== undefined && hi !== undefined && hi <= lo) return counted([]);
  const whole = byPattern ? byPattern.hours(lo === undefined ? undefined : lo * HOUR, hi === undefined ? undefined : hi * HOUR) : summaryHours(db, filter, lo, hi);
  // An edge hour is counted between explicit bounds (two lower bounds may lead SQLite to the longer walk).
  const untimed = [...filterConditions({ ...filter, from: undefined, to: undefined }), ...extra];
  const between = (a: number, b: number) => all<HourCount>(db, sql`
    SELECT time / ${HOUR} AS hour, count(*) AS n FROM download_ledger AS downloads ${where([...untimed, sql`time >= ${a}`, sql`time < ${b}`])} GROUP BY hour`);
  const head = from !== undefined && from % HOUR !== 0 ? between(from, lo! * HOUR) : [];
  const tail = to !== undefined && to % HOUR !== 0 ? between(hi! * HOUR, to) : [];
  return [...head, ...whole, ...tail];
}

/** The filter's downloads per whole hour in [lo, hi), from the hourly summary (summaryAnswers). */
function summaryHours(db: ReadableDB, filter: TimelineFilter, lo: number | undefined, hi: number | undefined): HourCount[] {
  const hourWhere: Sql[] = [];
  if (filter.bucket) hourWhere.push(sql`bucket = ${filter.bucket}`);
  if (lo !== undefined) hourWhere.push(sql`hour >= ${lo}`);
  if (hi !== undefined) hourWhere.push(sql`hour < ${hi}`);
  const column = filter.backupsOnly ? sql`backup_downloads` : sql`downloads`;
  return all<HourCount>(db, sql`
    SELECT hour, sum(${column}) AS n FROM download_hours ${where(hourWhere)} GROUP BY hour HAVING n > 0 ORDER BY hour`);
}

/**
 * The filter's conditions inside [lo, hi) of one hour, its own time range folded into those bounds:
 * with a second lower bound SQLite may walk the time index from the filter's start instead of the hour's.
 * `+source_ip`: inside one hour the time index is the short walk, whatever the address filter.
 */
function inHour(filter: TimelineFilter, extra: Sql[], hour: number, end = (hour + 1) * HOUR): Sql[] {
  const lo = Math.max(hour * HOUR, filter.from ? Date.parse(filter.from) : -Infinity);
  const hi = Math.min(end, filter.to ? Date.parse(filter.to) : Infinity);
  return [...filterConditions({ ...filter, from: undefined, to: undefined }, '+source_ip'), ...extra, sql`time >= ${lo}`, sql`time < ${hi}`];
}

/** The keyset start whose next page begins `skip` matching rows into `hour` (0: the hour's first). */
function startInHour(db: ReadableDB, filter: TimelineFilter, extra: Sql[], hour: number, skip: number): Cursor {
  if (skip === 0) return { time: hour * HOUR, id: 0 };
  const conds = inHour(filter, extra, hour);
  const row = get<Cursor>(db, sql`SELECT time, id FROM download_ledger AS downloads ${where(conds)} ORDER BY time, id LIMIT 1 OFFSET ${skip - 1}`);
  if (!row) throw new Error(`the timeline changed while it was being read (hour ${hour} has fewer than ${skip} downloads)`);
  return { time: row.time, id: row.id };
}

/** How many matching downloads come before `time` (the rows of its hour counted directly). */
function rowsBefore(db: ReadableDB, filter: TimelineFilter, extra: Sql[], hours: HourCount[], time: number): number {
  const hour = Math.floor(time / HOUR);
  let n = 0;
  for (const h of hours) if (h.hour < hour) n += h.n;
  return n + (get<{ n: number }>(db, sql`SELECT count(*) AS n FROM download_ledger AS downloads ${where(inHour(filter, extra, hour, time))}`)?.n ?? 0);
}

/**
 * The filter's total, and for `at` the row index it names and the keyset start (null: from the
 * first row) whose next page begins at that row: { index } a row by position, { time } the first row
 * at or after a time, { last } the start of the last `last` rows.
 */
export function timelinePosition(db: ReadableDB, filter: TimelineFilter, at: TimelinePositionAt | undefined, extra: Sql[] = []): TimelinePosition {
  if (!walkCanMatch(db, filter)) return { total: 0, index: 0, start: null };
  const hours = hourCounts(db, filter, extra);
  const total = hours.reduce((n, h) => n + h.n, 0);
  if (!at) return { total, index: 0, start: null };
  let target: number;
  if ('time' in at) target = rowsBefore(db, filter, extra, hours, at.time);
  else if ('last' in at) target = total - at.last;
  else target = at.index;
  target = Math.max(0, Math.min(target, total - 1));
  if (target <= 0) return { total, index: 0, start: null };
  let before = 0;
  for (const h of hours) {
    if (target < before + h.n) return { total, index: target, start: startInHour(db, filter, extra, h.hour, target - before) };
    before += h.n;
  }
  return { total, index: 0, start: null };
}
