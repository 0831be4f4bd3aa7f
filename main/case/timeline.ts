// The downloads timeline: keyset-paged by (time, id) so any page costs the same, deep or shallow.
import type { Cursor, DownloadDetail, DownloadRow, EventDetail, TimelineFilter, TimelinePage } from '../../shared/api';
import type { Format, Kind, Source } from '../../shared/events';
import { renormalize } from '../ingest/renormalize';
import { all, get, type ReadableDB } from './db';
import { rawRecords, type RawRef } from './raw-records';
import { actorIds, objectIds, objectIn, objectProbe } from './ledger-match';
import type { MinuteCounts } from './minute-counts';
import { patternMinutes, patternRanges } from './patterns';
import { join, raw, sql, type Sql } from './sql';
import { ipv4Cidr, type TextMatch } from '../../shared/address-match';

export interface DownloadDbRow {
  id: number; time: number; actor: string; source_ip: string | null; user_agent: string | null; bucket: string; key: string;
  bytes_sent: number | null; object_size: number | null; status: number | null; complete: number | null; request_id: string | null; sources: number;
}

export const DOWNLOAD_COLUMNS = sql`id, time, actor, source_ip, user_agent, bucket, key, bytes_sent, object_size, status, complete, request_id, sources`;

function sourcesOf(mask: number): Source[] {
  const out: Source[] = [];
  if (mask & 2) out.push('cloudtrail');
  if (mask & 1) out.push('s3-access-log');
  return out;
}

export function toDownloadRow(r: DownloadDbRow): DownloadRow {
  return {
    id: r.id, time: new Date(r.time).toISOString(), timeMs: r.time, actor: r.actor, sourceIp: r.source_ip, userAgent: r.user_agent,
    bucket: r.bucket, key: r.key, bytesSent: r.bytes_sent, objectSize: r.object_size, status: r.status,
    complete: r.complete === null ? null : r.complete === 1, requestId: r.request_id, sources: sourcesOf(r.sources),
  };
}

/** The smallest string greater than every string starting with prefix (for an indexable range). */
function prefixEnd(prefix: string): string {
  return `${prefix}\u{10FFFF}`;
}

type MatchColumn = 'actor' | 'source_ip' | 'key';

/** LIKE with its wildcards escaped: `%x%` anywhere in the column, ignoring ASCII case (SQLite's LIKE). */
function contains(column: MatchColumn, text: string): Sql {
  return sql`${raw(column)} LIKE ${`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} ESCAPE '\\'`;
}

/** Exact and prefix are ranges on the column (the actor index answers them); contains scans. */
function textMatch(column: MatchColumn, text: string, match: TextMatch): Sql {
  if (match === 'contains') return contains(column, text);
  if (match === 'prefix') return sql`${raw(column)} >= ${text} AND ${raw(column)} < ${prefixEnd(text)}`;
  return sql`${raw(column)} = ${text}`;
}

/**
 * The address ranges a prefix or CIDR source filter covers, each one indexable on its own; null for
 * the other matches. `column` is `+source_ip` to keep SQLite off the source-IP index.
 */
function sourceIpRanges(f: TimelineFilter, column = 'source_ip'): Sql[] | null {
  if (!f.sourceIp || (f.sourceIpMatch !== 'cidr' && f.sourceIpMatch !== 'prefix')) return null;
  const c = raw(column);
  if (f.sourceIpMatch === 'prefix') return [sql`${c} >= ${f.sourceIp} AND ${c} < ${prefixEnd(f.sourceIp)}`];
  const parts = ipv4Cidr(f.sourceIp);
  if (!parts) throw new Error(`"${f.sourceIp.slice(0, 64)}" is not an IPv4 CIDR block such as 203.0.113.0/24`);
  // '/' follows '.' in every collation order: "a.b." .. "a.b/" holds exactly the addresses starting "a.b.".
  const ranges = parts.prefixes.map((p) => (p === '' ? sql`instr(${c}, '.') > 0` : sql`${c} >= ${p} AND ${c} < ${`${p.slice(0, -1)}/`}`));
  if (parts.addresses.length) ranges.push(sql`${c} IN (${join(parts.addresses.map((a) => sql`${a}`), ', ')})`);
  return ranges;
}

/** A download with a note or a tag of its own (annotations name a download by its id, as text). */
const ANNOTATED = sql`(id IN (SELECT CAST(target AS INTEGER) FROM notes WHERE target_type = 'download')
  OR id IN (SELECT CAST(target AS INTEGER) FROM tags WHERE target_type = 'download'))`;

/** The object part of a filter, as conditions on ledger_objects' bucket and key. */
function objectConditions(f: TimelineFilter): { conds: Sql[]; scan: boolean } {
  const conds: Sql[] = [];
  if (f.bucket) conds.push(sql`bucket = ${f.bucket}`);
  if (f.key !== undefined) conds.push(sql`key = ${f.key}`);
  if (f.keyPrefix) conds.push(f.keyMatch === 'contains' ? contains('key', f.keyPrefix) : sql`key >= ${f.keyPrefix} AND key < ${prefixEnd(f.keyPrefix)}`);
  // A bucket alone is rarely selective (a case is about one or two buckets), a substring of keys may
  // match most of them, and a key prefix without its bucket was never indexed: the matching objects'
  // ids are tested while the time index is walked, rather than reading the object index for every
  // match and sorting them all to find a page.
  const scan = (f.key === undefined && !f.keyPrefix) || (f.keyPrefix !== undefined && (f.keyMatch === 'contains' || !f.bucket) && f.key === undefined);
  return { conds, scan };
}

/**
 * Whether the hourly summary (download_hours) answers a filter: only its bucket, time range and
 * backups-only narrow it. The histogram and the timeline's position both read it so.
 */
export function summaryAnswers(f: TimelineFilter): boolean {
  return !f.actor && !f.keyPrefix && f.key === undefined && !f.sourceIp && !f.source && !f.annotated
    && f.exposure === undefined && !f.pattern && !f.country && f.asn === undefined;
}

/**
 * The per-minute counts of a pattern's covered downloads, where its walk kept them (patterns.ts) and
 * only the pattern and a time range narrow the filter: a tool's rows are most of a case's downloads
 * when its agents are, and counting them on the ledger tested each row's agent (425k: 0.3–0.5 s).
 */
export function patternMinutesFor(db: ReadableDB, f: TimelineFilter): MinuteCounts | null {
  if (!f.pattern || f.bucket || f.backupsOnly || !summaryAnswers({ ...f, pattern: undefined })) return null;
  return patternMinutes(db, f.pattern);
}

/**
 * Conditions on the download ledger (named `downloads`) for a filter; extra conditions (analysis-backed
 * filters) may be added by callers. The actor and the object are matched through the ledger's
 * dictionaries (main/case/ledger-match.ts). `sourceIpColumn` '+source_ip' keeps a prefix or CIDR source
 * filter off its index. `counting`: for a count whose rows need not come in time order and are few
 * (countByObject), the matching objects' rows are read from the object index.
 */
export function filterConditions(f: TimelineFilter, sourceIpColumn = 'source_ip', counting = false): Sql[] {
  const where: Sql[] = [];
  if (f.from) where.push(sql`time >= ${Date.parse(f.from)}`);
  if (f.to) where.push(sql`time < ${Date.parse(f.to)}`);
  const object = objectConditions(f);
  if (object.conds.length) {
    const cond = join(object.conds, ' AND ');
    // One object (a bucket and a key) is one id, which its index walks in time order; more are merged by a sort.
    const one = f.bucket && f.key !== undefined && !f.keyPrefix;
    const bucketOnly = f.key === undefined && !f.keyPrefix;
    const walk = object.scan && (bucketOnly || !counting);
    where.push(walk ? (bucketOnly ? objectProbe(cond) : objectIn(cond)) : one ? sql`object_id = ${objectIds(cond)}` : sql`object_id IN ${objectIds(cond)}`);
  }
  if (f.actor) {
    // An exact actor is one id (its index walks it in time order); a prefix, a few ids to merge; a
    // substring matches through the few actors a case has, the time index walked.
    const match = f.actorMatch ?? 'exact';
    const cond = textMatch('actor', f.actor, match);
    where.push(match === 'exact' ? sql`actor_id = ${actorIds(cond)}` : match === 'prefix' ? sql`actor_id IN ${actorIds(cond)}` : sql`+actor_id IN ${actorIds(cond)}`);
  }
  const ranges = sourceIpRanges(f, sourceIpColumn);
  if (ranges) where.push(sql`(${join(ranges.map((r) => sql`(${r})`), ' OR ')})`);
  else if (f.sourceIp) where.push(textMatch('source_ip', f.sourceIp, f.sourceIpMatch === 'contains' ? 'contains' : 'exact'));
  if (f.annotated) where.push(ANNOTATED);
  if (f.source) where.push(sql`(sources & ${f.source === 's3-access-log' ? 1 : 2}) != 0`);
  // The few addresses of a country or network, probed per row: the walk stays on downloads_time.
  if (f.country) where.push(sql`source_ip IN (SELECT ip FROM ip_context WHERE country = ${f.country})`);
  if (f.asn !== undefined) where.push(sql`source_ip IN (SELECT ip FROM ip_context WHERE asn = ${f.asn})`);
  return where;
}

/**
 * Whether a count of the filter reads its matching objects' rows from the object index rather than
 * walking every download: for a key prefix or substring whose objects hold under an eighth of the
 * downloads, by the object summaries (a key substring at 10M events counted in 190 ms by the walk).
 * Where they hold most, the walk reads the rows and their events in order, and is the faster.
 */
export function countByObject(db: ReadableDB, f: TimelineFilter): boolean {
  const object = objectConditions(f);
  if (!object.scan || (f.key === undefined && !f.keyPrefix)) return false;
  const held = get<{ n: number }>(db, sql`SELECT coalesce(sum(downloads), 0) AS n FROM object_stats WHERE ${join(object.conds, ' AND ')}`)!.n;
  const all = get<{ n: number }>(db, sql`SELECT coalesce(sum(downloads), 0) AS n FROM object_stats`)!.n;
  return held * 8 < all;
}

/**
 * False where the filter's actor or object text is matched by walking the ledger (a substring, a key
 * prefix without its bucket, a bucket) and no entry of the dictionary holds it: no download can match, and the
 * walk would read every one to find none (10M events: about 300 ms). Other matches are index lookups.
 */
export function walkCanMatch(db: ReadableDB, f: TimelineFilter): boolean {
  const object = objectConditions(f);
  if (object.scan && object.conds.length && !get(db, sql`SELECT 1 AS x FROM ledger_objects WHERE ${join(object.conds, ' AND ')} LIMIT 1`)) return false;
  if (f.actor && f.actorMatch === 'contains' && !get(db, sql`SELECT 1 AS x FROM ledger_actors WHERE ${contains('actor', f.actor)} LIMIT 1`)) return false;
  return true;
}

/**
 * Below this many matching addresses a prefix or CIDR source filter reads its matches from the
 * source-IP index and keeps the earliest; above it matches are dense enough that walking the time
 * index meets a page of them sooner (at the crossover either way reads about this many index entries).
 */
export const RARE_SOURCE_MATCHES = 50_000;

/** How a page of a filter is found: 'source-ip' reads the address ranges' index entries, 'time' walks the time index. */
export type PagePlan = 'source-ip' | 'time';

/** Counts a prefix or CIDR filter's matches on the source-IP index, up to RARE_SOURCE_MATCHES. */
export function pagePlan(db: ReadableDB, filter: TimelineFilter): PagePlan {
  const ranges = sourceIpRanges(filter);
  // A bulk derivation defers the index: without it the time index is the only way.
  if (!ranges || !get(db, sql`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'downloads_source_ip'`)) return 'time';
  let seen = 0;
  for (const r of ranges) {
    seen += get<{ n: number }>(db, sql`SELECT count(*) AS n FROM (SELECT 1 FROM download_ledger AS downloads WHERE ${r} LIMIT ${RARE_SOURCE_MATCHES - seen})`)?.n ?? 0;
    if (seen >= RARE_SOURCE_MATCHES) return 'time';
  }
  return 'source-ip';
}

/**
 * The rows of the page whose ids `page` selects, read through the view. The page is a subquery in FROM,
 * which sees no other table of the query: a condition naming a column of the view only (user_agent)
 * fails as an unknown column, where in `WHERE id IN (…)` it bound to the outer row, silently making the
 * page query correlated. CROSS JOIN keeps the page the outer loop.
 */
const pageRows = (page: Sql): Sql => sql`SELECT ${DOWNLOAD_COLUMNS} FROM (SELECT id AS page_id FROM (${page})) AS page
  CROSS JOIN downloads ON downloads.id = page.page_id ORDER BY time, id`;

/** The page query; exported so tests can check its plan. */
export function timelineQuery(filter: TimelineFilter, after: Cursor | null, limit: number, extra: Sql[] = [], plan: PagePlan = 'time'): Sql {
  // A cursor past the time filter's start already bounds the walk: with both, SQLite may take
  // `time >= from` as the index's lower bound and step over every row between it and the cursor
  // (a deep page of a zoomed timeline read ~2M index entries at 10M events: 340 ms instead of 3).
  if (after && filter.from && after.time >= Date.parse(filter.from)) filter = { ...filter, from: undefined };
  const ranges = plan === 'source-ip' ? sourceIpRanges(filter) : null;
  if (ranges) {
    // Each range keeps its earliest `limit` (time, id) from the index; the page is the earliest of those.
    // The index is named: with few matches it beats a time range or an actor's index SQLite might guess.
    const rest = [...filterConditions({ ...filter, sourceIp: undefined }), ...extra];
    if (after) rest.push(sql`(time, id) > (${after.time}, ${after.id})`);
    const branches = ranges.map((r) => sql`SELECT time, id FROM (SELECT time, id FROM download_ledger AS downloads INDEXED BY downloads_source_ip WHERE ${join([r, ...rest], ' AND ')} ORDER BY time, id LIMIT ${limit})`);
    return pageRows(sql`SELECT id FROM (${join(branches, ' UNION ALL ')}) ORDER BY time, id LIMIT ${limit}`);
  }
  const where = [...filterConditions(filter, '+source_ip'), ...extra];
  if (after) where.push(sql`(time, id) > (${after.time}, ${after.id})`);
  const clause = where.length ? sql`WHERE ${join(where, ' AND ')}` : sql``;
  // The page is found in the ledger alone (every filter is on its columns), then read through the view:
  // where SQLite sorts the matches (an actor's index), the view's reads of the events would be made for each match, not for the page.
  return pageRows(sql`SELECT id FROM download_ledger AS downloads ${clause} ORDER BY time, id LIMIT ${limit}`);
}

/**
 * The filter narrowed to each range of time its matches can lie in (a pattern's parties' spans, cut
 * by the filter's own time range), in order; null where any time in the filter's range can hold one.
 * Read range by range, the time index is walked inside the ranges only.
 */
export function narrowedByTime(db: ReadableDB, filter: TimelineFilter): TimelineFilter[] | null {
  const ranges = filter.pattern ? patternRanges(db, filter.pattern) : null;
  if (!ranges) return null;
  const from = filter.from ? Date.parse(filter.from) : -Infinity;
  const to = filter.to ? Date.parse(filter.to) : Infinity;
  const out: TimelineFilter[] = [];
  for (const [a, b] of ranges) {
    // A range is inclusive; the filter's `to` is exclusive.
    const lo = Math.max(a, from);
    const hi = Math.min(b + 1, to);
    if (lo < hi) out.push({ ...filter, from: new Date(lo).toISOString(), to: new Date(hi).toISOString() });
  }
  return out;
}

/** The filter's ranges (narrowedByTime) from a cursor on, or the filter itself. */
function pageRanges(db: ReadableDB, filter: TimelineFilter, after: Cursor | null): TimelineFilter[] {
  const ranges = narrowedByTime(db, filter);
  if (!ranges) return [filter];
  return after ? ranges.filter((f) => Date.parse(f.to!) > after.time) : ranges;
}

export function timelinePage(db: ReadableDB, filter: TimelineFilter, after: Cursor | null, limit: number, extra: Sql[] = []): TimelinePage {
  if (!walkCanMatch(db, filter)) return { rows: [], next: null };
  const plan = pagePlan(db, filter);
  // Range by range until the page is full: the time index is walked inside the ranges only.
  const rows: DownloadDbRow[] = [];
  for (const f of pageRanges(db, filter, after)) {
    rows.push(...all<DownloadDbRow>(db, timelineQuery(f, after, limit + 1 - rows.length, extra, plan)));
    if (rows.length > limit) break;
  }
  const more = rows.length > limit;
  const page = withAddresses(db, rows.slice(0, limit).map(toDownloadRow));
  const last = page[page.length - 1];
  return { rows: page, next: more && last ? { time: last.timeMs, id: last.id } : null };
}

/** Attaches each row's address context: one lookup per distinct address of the page, the page's plan untouched. */
export function withAddresses(db: ReadableDB, rows: DownloadRow[]): DownloadRow[] {
  const ips = [...new Set(rows.map((r) => r.sourceIp).filter((ip): ip is string => ip !== null))];
  if (!ips.length) return rows;
  const ctx = new Map(all<{ ip: string; kind: string; country: string | null; asn: number | null; org: string | null; aws_service: string | null; aws_region: string | null; label: string }>(db,
    sql`SELECT ip, kind, country, asn, org, aws_service, aws_region, label FROM ip_context WHERE ip IN (${join(ips.map((ip) => sql`${ip}`), ', ')})`).map((c) => [c.ip, c]));
  for (const r of rows) {
    const c = r.sourceIp === null ? undefined : ctx.get(r.sourceIp);
    r.country = c?.country ?? null;
    r.asn = c?.asn ?? null;
    r.org = c?.org ?? null;
    r.aws = c?.aws_region ? `${c.aws_service === 'AMAZON' ? 'AWS' : c.aws_service} ${c.aws_region}` : null;
    r.addressLabel = c?.label ?? null;
  }
  return rows;
}

/** Every download matching the filter, in time order, streamed (for the CLI and exports). */
export function* allDownloads(db: ReadableDB, filter: TimelineFilter, extra: Sql[] = [], pageSize = 5000): Generator<DownloadRow> {
  let after: Cursor | null = null;
  do {
    const page = timelinePage(db, filter, after, pageSize, extra);
    yield* page.rows;
    after = page.next;
  } while (after);
}

interface EventDbRow {
  id: number; time: number; source: Source; action: string; kind: Kind; actor: string | null; actor_type: string; account_id: string | null;
  access_key_id: string | null; source_ip: string | null; user_agent: string | null; bucket: string | null; key: string | null;
  status: number | null; error_code: string | null; bytes_sent: number | null; object_size: number | null; request_id: string | null;
  event_id: string | null; region: string | null; range: string | null; evidence_id: number; path: string; format: Format; locator: number; raw: string;
}

/** The S3 host ID, which the case does not store per event (migration 018): as the raw record gives it. */
function hostIdOf(r: EventDbRow): string | null {
  const e = renormalize(r.format, r.raw, r.locator);
  return e && !('reject' in e) ? e.hostId : null;
}

function toEventDetail(r: EventDbRow): EventDetail {
  return {
    id: r.id, time: new Date(r.time).toISOString(), source: r.source, action: r.action, kind: r.kind, actor: r.actor, actorType: r.actor_type,
    accountId: r.account_id, accessKeyId: r.access_key_id, sourceIp: r.source_ip, userAgent: r.user_agent, bucket: r.bucket, key: r.key,
    status: r.status, errorCode: r.error_code, bytesSent: r.bytes_sent, objectSize: r.object_size, requestId: r.request_id, hostId: hostIdOf(r),
    eventId: r.event_id, region: r.region, range: r.range, evidenceId: r.evidence_id, evidencePath: r.path, locator: r.locator, raw: r.raw,
  };
}

function eventDetails(db: ReadableDB, ids: number[]): EventDetail[] {
  if (!ids.length) return [];
  const list = join(ids.map((id) => sql`${id}`), ', ');
  return rawRecords(db, all<Omit<EventDbRow, 'raw'> & RawRef>(db, sql`
    SELECT e.*, v.path, v.format FROM events e JOIN evidence v ON v.id = e.evidence_id WHERE e.id IN (${list}) ORDER BY e.id`)).map(toEventDetail);
}

export function downloadDetail(db: ReadableDB, id: number): DownloadDetail | null {
  const row = get<DownloadDbRow & { s3_event_id: number | null; ct_event_id: number | null }>(db,
    sql`SELECT ${DOWNLOAD_COLUMNS}, s3_event_id, ct_event_id FROM downloads WHERE id = ${id}`);
  if (!row) return null;
  const ids = [row.ct_event_id, row.s3_event_id].filter((x): x is number => x !== null);
  return { download: withAddresses(db, [toDownloadRow(row)])[0], events: eventDetails(db, ids) };
}
