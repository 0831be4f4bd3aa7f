// The wire form of parsed events between the parser and the writer, by column: the text of every
// string field of a batch in one string, the numbers in one Float64Array, and the raw records packed
// in blocks of UTF-8 bytes. Cloning one string and two typed arrays between threads costs a fraction of
// cloning 26 values a row (the writer's thread spent 1.3 µs a row rebuilding them), and the writer
// cuts the fields back out of the text as slices, without copying. The blocks are transferred, not
// copied, and stored one blob each, compressed; their text crosses too, for the writer's row digest.
import type { NormalizedEvent, Source } from '../../shared/events';
import { brotliCompressSync, constants } from 'node:zlib';
import { naturalKeyHash, naturalKeyHashOfBytes } from './natural-key';

/**
 * The events columns the writer binds, in order, and which are text. The texts of CODED_COLUMNS
 * (main/case/event-terms.ts) cross as text and are stored as term ids; the host ID is not stored at all
 * (read from the raw record where it is shown).
 */
export const ROW_COLUMNS = [
  'time', 'nk', 'source', 'action', 'kind', 'actor', 'actor_type', 'account_id', 'access_key_id', 'source_ip', 'user_agent',
  'bucket', 'key', 'status', 'error_code', 'bytes_sent', 'object_size', 'request_id', 'event_id', 'region', 'range',
  'locator', 'raw_block', 'raw_at', 'raw_len',
] as const;
type Column = (typeof ROW_COLUMNS)[number];
const NUMBER_COLUMNS: Column[] = ['time', 'nk', 'status', 'bytes_sent', 'object_size', 'locator', 'raw_block', 'raw_at', 'raw_len'];
export const ROW_WIDTH = ROW_COLUMNS.length;
const STRINGS = ROW_WIDTH - NUMBER_COLUMNS.length;
const NUMBERS = NUMBER_COLUMNS.length;
/** For each column in ROW_COLUMNS order: whether it is a number (else text). */
const IS_NUMBER = ROW_COLUMNS.map((c) => NUMBER_COLUMNS.includes(c));
/** Where some columns are in a row of bind values (ROW_COLUMNS order). */
export const COL = {
  time: ROW_COLUMNS.indexOf('time'), action: ROW_COLUMNS.indexOf('action'), kind: ROW_COLUMNS.indexOf('kind'), nk: ROW_COLUMNS.indexOf('nk'),
};

export type Value = string | number | null;

/**
 * Events ready to store. Until the writer has stored the blocks (placeBlocks), a row's raw_block is the
 * index of its block in `blocks`; raw_at and raw_len are byte offsets in that block.
 */
export interface Rows {
  count: number;
  /** Every string field of every row, one after another. */
  text: string;
  /** Per row and string column, in order: where its text ends in `text`; a null field is ~end (negative). */
  ends: Int32Array;
  /** Per row and number column, in order; NaN for null. */
  numbers: Float64Array;
  /** The blocks as stored: compressed (see codec). */
  blocks: Uint8Array[];
  /** The blocks' text (UTF-8), which raw_at and raw_len index. */
  inflated: Uint8Array[];
  /** How the blocks are stored: a gzip evidence file as delivered (FileRecords), or the records' text compressed by Brotli. */
  codec: BlockCodec;
}

export type BlockCodec = 'gzip-file' | 'brotli';

/**
 * A block of records' text compressed by Brotli at quality 1: access-log text shrinks about 6×, so the
 * case writes (twice, through the write-ahead log) and keeps a sixth of the raw bytes; reading one
 * record back decompresses its block, a fraction of a millisecond. Raw DEFLATE at its fastest level
 * (migration 008) shrank it as much at half the speed: 400k access-log lines, 207 MB, took the parse
 * thread 3.75–3.86 s with it in 32 kB blocks, 2.94–3.15 s with this in 64 kB blocks.
 */
export const compressBlock = (text: Uint8Array): Uint8Array =>
  brotliCompressSync(text, { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: text.length } });

/**
 * The records of a small gzip file read whole, kept as the file itself: its bytes as stored are the one
 * block, and each row points into their inflated text. A trail file is about a tenth of its text, so
 * the case writes a tenth of the raw bytes, and holds the evidence file byte for byte. Only for ASCII
 * text (a character is then a byte) and a whole file in one batch.
 */
export interface FileRecords {
  stored: Uint8Array;
  inflated: Uint8Array;
  /** Where an event's raw record starts in the inflated text. */
  startOf: (e: NormalizedEvent) => number;
}

/**
 * Records per block: about this many bytes. Storing a block is one blob instead of a long string bound
 * with every row, and reading one record back reads no more than this (a record longer has its own):
 * a quarter of a millisecond. Larger blocks compress faster and smaller (Brotli on access-log text:
 * 330 MB/s and 5.6× on 32 kB blocks, 480 MB/s and 6.3× on 64 kB), and waste less of the case: a blob
 * ends in a part-filled 16 kB page, on average half of one per block. 400k access-log lines kept
 * 33 MB of compressed text in 52 MB of pages in 64 kB blocks, 32 MB in 32 MB in 128 kB blocks.
 */
export const BLOCK_BYTES = 128 * 1024;
const encoder = new TextEncoder();

/** An event's bind values in ROW_COLUMNS order (raw block fields 0): the one mapping from a normalized event to a row, which verify's rebuild shares. */
export const fieldsOf = (e: NormalizedEvent, nk: number): Value[] => [
  e.time, nk, e.source, e.action, e.kind, e.actor, e.actorType, e.accountId, e.accessKeyId, e.sourceIp, e.userAgent,
  e.bucket, e.key, e.status, e.errorCode, e.bytesSent, e.objectSize, e.requestId, e.eventId, e.region, e.range,
  e.locator, 0, 0, 0,
];
type NumberColumn = 'locator' | 'raw_block' | 'raw_at' | 'raw_len' | 'time' | 'nk';
const NUMBER_AT = Object.fromEntries((['locator', 'raw_block', 'raw_at', 'raw_len', 'time', 'nk'] as const).map((c) => [c, NUMBER_COLUMNS.indexOf(c)])) as Record<NumberColumn, number>;
const { raw_block: RAW_BLOCK, raw_at: RAW_AT, raw_len: RAW_LEN, nk: NK } = NUMBER_AT;

export function toRows(events: NormalizedEvent[], file?: FileRecords): Rows {
  const count = events.length;
  // Appended as it goes (V8 joins the pieces once, when the batch is cloned): 8 % less parse time than
  // collecting the fields and joining them at the end.
  let text = '';
  const ends = new Int32Array(count * STRINGS);
  const numbers = new Float64Array(count * NUMBERS);
  const blocks: Uint8Array[] = [];
  const inflated: Uint8Array[] = [];
  let end = 0;
  let blockParts: string[] = [];
  let offset = 0;
  let first = 0;
  // Offsets are counted in characters, which are bytes as long as the text is ASCII — as logs almost always are.
  const seal = (last: number) => {
    const records = blockParts.join('\n');
    const bytes = encoder.encode(records);
    const ascii = bytes.length === records.length;
    if (!ascii) {
      let byteOffset = 0;
      for (let i = first; i < last; i++) {
        const len = Buffer.byteLength(events[i].raw);
        numbers[i * NUMBERS + RAW_AT] = byteOffset;
        numbers[i * NUMBERS + RAW_LEN] = len;
        byteOffset += len + 1;
      }
    }
    for (let i = first; i < last; i++) {
      numbers[i * NUMBERS + NK] = ascii
        ? naturalKeyHashOfBytes(events[i], bytes, numbers[i * NUMBERS + RAW_AT], numbers[i * NUMBERS + RAW_LEN])
        : naturalKeyHash(events[i]);
    }
    inflated.push(bytes);
    blocks.push(compressBlock(bytes));
    blockParts = [];
    offset = 0;
    first = last;
  };
  for (let i = 0; i < count; i++) {
    const e = events[i];
    const fields = fieldsOf(e, 0); // the natural-key hash is filled in when the block is sealed
    let s = i * STRINGS;
    let n = i * NUMBERS;
    for (let c = 0; c < ROW_WIDTH; c++) {
      const v = fields[c];
      if (IS_NUMBER[c]) numbers[n++] = (v as number | null) ?? NaN;
      else if (v === null || v === undefined) ends[s++] = ~end;
      else {
        text += v as string;
        end += (v as string).length;
        ends[s++] = end;
      }
    }
    if (file) {
      const at = file.startOf(e);
      numbers[i * NUMBERS + RAW_AT] = at;
      numbers[i * NUMBERS + RAW_LEN] = e.raw.length;
      numbers[i * NUMBERS + NK] = naturalKeyHashOfBytes(e, file.inflated, at, e.raw.length);
      continue;
    }
    if (offset > 0 && offset + e.raw.length > BLOCK_BYTES) seal(i);
    numbers[i * NUMBERS + RAW_BLOCK] = inflated.length;
    numbers[i * NUMBERS + RAW_AT] = offset;
    numbers[i * NUMBERS + RAW_LEN] = e.raw.length;
    blockParts.push(e.raw);
    offset += e.raw.length + 1;
  }
  if (file) return { count, text, ends, numbers, blocks: count ? [file.stored] : [], inflated: count ? [file.inflated] : [], codec: 'gzip-file' };
  if (blockParts.length) seal(count);
  return { count, text, ends, numbers, blocks, inflated, codec: 'brotli' };
}

/** Rows from..from+n as bind values, ROW_WIDTH a row in ROW_COLUMNS order; text fields are slices of rows.text. */
export function rowValues(rows: Rows, from: number, n: number): Value[] {
  const out: Value[] = [];
  const { text, ends, numbers } = rows;
  let s = from * STRINGS;
  let nb = from * NUMBERS;
  let start = s > 0 ? (ends[s - 1] < 0 ? ~ends[s - 1] : ends[s - 1]) : 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < ROW_WIDTH; c++) {
      if (IS_NUMBER[c]) {
        const v = numbers[nb++];
        out.push(v === v ? v : null);
      } else {
        const e = ends[s++];
        if (e < 0) out.push(null);
        else {
          out.push(text.slice(start, e));
          start = e;
        }
      }
    }
  }
  return out;
}

/** One number field of row i. */
export function rowNumber(rows: Rows, i: number, column: NumberColumn): number {
  return rows.numbers[i * NUMBERS + NUMBER_AT[column]];
}

/** Replaces the rows' block indexes by the ids the blocks were stored under. */
export function placeBlocks(rows: Rows, ids: number[]): void {
  for (let b = RAW_BLOCK; b < rows.numbers.length; b += NUMBERS) rows.numbers[b] = ids[rows.numbers[b]];
}

/** A block's bytes as a Buffer over the same memory (a block that crossed threads arrives as a plain Uint8Array). */
export const blockBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Row i's raw record, from its block; `block` gives the bytes of the row's raw_block. */
function rowRaw(rows: Rows, i: number, block: (ref: number) => Uint8Array): string {
  const start = rowNumber(rows, i, 'raw_at');
  return blockBuffer(block(rowNumber(rows, i, 'raw_block'))).toString('utf8', start, start + rowNumber(rows, i, 'raw_len'));
}

/** The fields of row i that the writer needs to tell a duplicate from a hash collision. */
export function rowIdentity(rows: Rows, i: number, block: (ref: number) => Uint8Array): { time: number; nk: number; source: Source; eventId: string | null; locator: number; raw: string } {
  const v = rowValues(rows, i, 1);
  return {
    time: rowNumber(rows, i, 'time'), nk: rowNumber(rows, i, 'nk'), source: v[ROW_COLUMNS.indexOf('source')] as Source,
    eventId: v[ROW_COLUMNS.indexOf('event_id')] as string | null, locator: rowNumber(rows, i, 'locator'), raw: rowRaw(rows, i, block),
  };
}
