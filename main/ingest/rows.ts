// The wire form of parsed events between the parser and the writer: one flat array of primitives,
// ROW_WIDTH values per event in ROW_COLUMNS order, ready to bind, and the events' raw records packed
// in blocks of UTF-8 bytes. Structured-cloning flat primitives between threads costs a fraction of
// cloning objects; the blocks are transferred, not copied, and stored one blob each.
import type { NormalizedEvent, Source } from '../../shared/events';
import { naturalKeyHash } from './natural-key';

export const ROW_COLUMNS = [
  'time', 'nk', 'source', 'action', 'kind', 'actor', 'actor_type', 'account_id', 'access_key_id', 'source_ip', 'user_agent',
  'bucket', 'key', 'status', 'error_code', 'bytes_sent', 'object_size', 'request_id', 'host_id', 'event_id', 'region', 'range',
  'locator', 'raw_block', 'raw_at', 'raw_len',
] as const;
export const ROW_WIDTH = ROW_COLUMNS.length;
const at = (c: (typeof ROW_COLUMNS)[number]) => ROW_COLUMNS.indexOf(c);
export const COL = {
  time: at('time'), nk: at('nk'), source: at('source'), action: at('action'), kind: at('kind'), eventId: at('event_id'), locator: at('locator'),
  rawBlock: at('raw_block'), rawAt: at('raw_at'), rawLen: at('raw_len'),
};

/**
 * Events ready to store. Until the writer has stored the blocks, a row's raw_block is the index of
 * its block in `blocks`; raw_at and raw_len are byte offsets in that block.
 */
export interface Rows { values: Array<string | number | null>; blocks: Uint8Array[] }

/**
 * Records per block: about this many bytes. Storing a block is one blob instead of a long string bound
 * with every row, and reading one record back reads no more than this (a record longer has its own).
 */
const BLOCK_BYTES = 32 * 1024;
const encoder = new TextEncoder();

export function toRows(events: NormalizedEvent[], nks?: number[]): Rows {
  const values: Rows['values'] = [];
  const blocks: Uint8Array[] = [];
  let parts: string[] = [];
  let offset = 0;
  let first = 0;
  // Offsets are counted in characters, which are bytes as long as the text is ASCII — as logs almost always are.
  const seal = (end: number) => {
    const text = parts.join('\n');
    const bytes = encoder.encode(text);
    if (bytes.length !== text.length) {
      let byteOffset = 0;
      for (let i = first; i < end; i++) {
        const len = Buffer.byteLength(events[i].raw);
        values[i * ROW_WIDTH + COL.rawAt] = byteOffset;
        values[i * ROW_WIDTH + COL.rawLen] = len;
        byteOffset += len + 1;
      }
    }
    blocks.push(bytes);
    parts = [];
    offset = 0;
    first = end;
  };
  events.forEach((e, i) => {
    if (offset > 0 && offset + e.raw.length > BLOCK_BYTES) seal(i);
    values.push(e.time, nks?.[i] ?? naturalKeyHash(e), e.source, e.action, e.kind, e.actor, e.actorType, e.accountId, e.accessKeyId,
      e.sourceIp, e.userAgent, e.bucket, e.key, e.status, e.errorCode, e.bytesSent, e.objectSize, e.requestId, e.hostId, e.eventId,
      e.region, e.range, e.locator, blocks.length, offset, e.raw.length);
    parts.push(e.raw);
    offset += e.raw.length + 1;
  });
  if (parts.length) seal(events.length);
  return { values, blocks };
}

export const rowCount = (rows: Rows): number => rows.values.length / ROW_WIDTH;

/**
 * The fields of row i that the writer needs to tell a duplicate from a hash collision; `block` gives
 * the bytes of the row's raw_block.
 */
export function rowIdentity(rows: Rows, i: number, block: (ref: number) => Uint8Array): { time: number; nk: number; source: Source; eventId: string | null; locator: number; raw: string } {
  const b = i * ROW_WIDTH;
  const v = rows.values;
  const bytes = block(v[b + COL.rawBlock] as number);
  const start = v[b + COL.rawAt] as number;
  return {
    time: v[b + COL.time] as number, nk: v[b + COL.nk] as number, source: v[b + COL.source] as Source,
    eventId: v[b + COL.eventId] as string | null, locator: v[b + COL.locator] as number,
    raw: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, start + (v[b + COL.rawLen] as number)),
  };
}
