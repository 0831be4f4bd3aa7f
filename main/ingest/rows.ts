// The wire form of parsed events between the parser and the writer: one flat array of primitives,
// ROW_WIDTH values per event in ROW_COLUMNS order, ready to bind. Structured-cloning flat primitives
// between threads costs a fraction of cloning objects, and the writer binds slices of it as they are.
import type { NormalizedEvent, Source } from '../../shared/events';
import { naturalKeyHash } from './natural-key';

export const ROW_COLUMNS = [
  'time', 'nk', 'source', 'action', 'kind', 'actor', 'actor_type', 'account_id', 'access_key_id', 'source_ip', 'user_agent',
  'bucket', 'key', 'status', 'error_code', 'bytes_sent', 'object_size', 'request_id', 'host_id', 'event_id', 'region', 'range',
  'locator', 'raw',
] as const;
export const ROW_WIDTH = ROW_COLUMNS.length;
const at = (c: (typeof ROW_COLUMNS)[number]) => ROW_COLUMNS.indexOf(c);
export const COL = {
  time: at('time'), nk: at('nk'), source: at('source'), action: at('action'), kind: at('kind'), eventId: at('event_id'), locator: at('locator'), raw: at('raw'),
};

export type Rows = Array<string | number | null>;

function pushRow(out: Rows, e: NormalizedEvent, nk = naturalKeyHash(e)): void {
  out.push(e.time, nk, e.source, e.action, e.kind, e.actor, e.actorType, e.accountId, e.accessKeyId, e.sourceIp, e.userAgent,
    e.bucket, e.key, e.status, e.errorCode, e.bytesSent, e.objectSize, e.requestId, e.hostId, e.eventId, e.region, e.range,
    e.locator, e.raw);
}

export function toRows(events: NormalizedEvent[], nks?: number[]): Rows {
  const out: Rows = [];
  events.forEach((e, i) => pushRow(out, e, nks?.[i]));
  return out;
}

/** The fields of row i that the writer needs to tell a duplicate from a hash collision. */
export function rowIdentity(rows: Rows, i: number): { time: number; nk: number; source: Source; eventId: string | null; locator: number; raw: string } {
  const b = i * ROW_WIDTH;
  return {
    time: rows[b + COL.time] as number, nk: rows[b + COL.nk] as number, source: rows[b + COL.source] as Source,
    eventId: rows[b + COL.eventId] as string | null, locator: rows[b + COL.locator] as number, raw: rows[b + COL.raw] as string,
  };
}
