// The downloads timeline: keyset-paged by (time, id) so any page costs the same, deep or shallow.
import type { Cursor, DownloadDetail, DownloadRow, EventDetail, TimelineFilter, TimelinePage } from '../../shared/api';
import type { Kind, Source } from '../../shared/events';
import { all, get, type ReadableDB } from './db';
import { rawRecords, type RawRef } from './raw-records';
import { join, sql, type Sql } from './sql';

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

/** Conditions on the downloads table for a filter; extra conditions (analysis-backed filters) may be added by callers. */
export function filterConditions(f: TimelineFilter): Sql[] {
  const where: Sql[] = [];
  if (f.from) where.push(sql`time >= ${Date.parse(f.from)}`);
  if (f.to) where.push(sql`time < ${Date.parse(f.to)}`);
  // A bucket alone is rarely selective (a case is about one or two buckets): `+bucket` keeps SQLite on
  // the time index rather than the object index, which would sort the whole bucket to find a page.
  if (f.bucket) where.push(f.keyPrefix !== undefined || f.key !== undefined ? sql`bucket = ${f.bucket}` : sql`+bucket = ${f.bucket}`);
  if (f.key !== undefined) where.push(sql`key = ${f.key}`);
  if (f.keyPrefix) where.push(sql`key >= ${f.keyPrefix} AND key < ${prefixEnd(f.keyPrefix)}`);
  if (f.actor) where.push(sql`actor = ${f.actor}`);
  if (f.sourceIp) where.push(sql`source_ip = ${f.sourceIp}`);
  if (f.source) where.push(sql`(sources & ${f.source === 's3-access-log' ? 1 : 2}) != 0`);
  // The few addresses of a country or network, probed per row: the walk stays on downloads_time.
  if (f.country) where.push(sql`source_ip IN (SELECT ip FROM ip_context WHERE country = ${f.country})`);
  if (f.asn !== undefined) where.push(sql`source_ip IN (SELECT ip FROM ip_context WHERE asn = ${f.asn})`);
  return where;
}

/** The page query; exported so tests can check its plan. */
export function timelineQuery(filter: TimelineFilter, after: Cursor | null, limit: number, extra: Sql[] = []): Sql {
  const where = [...filterConditions(filter), ...extra];
  if (after) where.push(sql`(time, id) > (${after.time}, ${after.id})`);
  const clause = where.length ? sql`WHERE ${join(where, ' AND ')}` : sql``;
  return sql`SELECT ${DOWNLOAD_COLUMNS} FROM downloads ${clause} ORDER BY time, id LIMIT ${limit}`;
}

export function timelinePage(db: ReadableDB, filter: TimelineFilter, after: Cursor | null, limit: number, extra: Sql[] = []): TimelinePage {
  const rows = all<DownloadDbRow>(db, timelineQuery(filter, after, limit + 1, extra));
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
  host_id: string | null; event_id: string | null; region: string | null; range: string | null; evidence_id: number; path: string; locator: number; raw: string;
}

function toEventDetail(r: EventDbRow): EventDetail {
  return {
    id: r.id, time: new Date(r.time).toISOString(), source: r.source, action: r.action, kind: r.kind, actor: r.actor, actorType: r.actor_type,
    accountId: r.account_id, accessKeyId: r.access_key_id, sourceIp: r.source_ip, userAgent: r.user_agent, bucket: r.bucket, key: r.key,
    status: r.status, errorCode: r.error_code, bytesSent: r.bytes_sent, objectSize: r.object_size, requestId: r.request_id, hostId: r.host_id,
    eventId: r.event_id, region: r.region, range: r.range, evidenceId: r.evidence_id, evidencePath: r.path, locator: r.locator, raw: r.raw,
  };
}

function eventDetails(db: ReadableDB, ids: number[]): EventDetail[] {
  if (!ids.length) return [];
  const list = join(ids.map((id) => sql`${id}`), ', ');
  return rawRecords(db, all<Omit<EventDbRow, 'raw'> & RawRef>(db, sql`
    SELECT e.*, v.path FROM events e JOIN evidence v ON v.id = e.evidence_id WHERE e.id IN (${list}) ORDER BY e.id`)).map(toEventDetail);
}

export function downloadDetail(db: ReadableDB, id: number): DownloadDetail | null {
  const row = get<DownloadDbRow & { s3_event_id: number | null; ct_event_id: number | null }>(db,
    sql`SELECT ${DOWNLOAD_COLUMNS}, s3_event_id, ct_event_id FROM downloads WHERE id = ${id}`);
  if (!row) return null;
  const ids = [row.ct_event_id, row.s3_event_id].filter((x): x is number => x !== null);
  return { download: withAddresses(db, [toDownloadRow(row)])[0], events: eventDetails(db, ids) };
}
