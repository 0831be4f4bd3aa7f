// Turns one evidence file into batches of events and rejects. Text is streamed in chunks and parsed
// synchronously per chunk (an await per line would cost more than the parse), so memory stays bounded
// by the batch size and the longest record, whatever the file size.
import { isAscii } from 'node:buffer';
import type { NormalizedEvent, Reject } from '../../shared/events';
import { reject, type DocumentFormat, type EvidenceOnlyFormat, type LineFormat, type RecordResult } from './formats/types';
import { JsonArrayScanner, JsonRecordTooLongError, JsonStructureError } from './json-scan';
import { InflateLimitError, recordLimit, tooLong } from './limits';
import { toRows, type FileRecords, type Rows } from './rows';
import { byteShares, chunksOf, readText, type ByteRange, type StreamedGzip, type WholeFile } from './read';

/** A batch as it crosses to the writer's thread: events as flat bind-ready rows and raw blocks (see rows.ts). */
export interface PackedBatch {
  rows: Rows;
  count: number;
  rejects: Reject[];
  /** Records (non-blank lines or array elements) read in this batch. */
  records: number;
  /** Bytes of the file (as stored) read since the previous batch. */
  bytes: number;
}

/** A batch as parsed: its events also as objects, for callers in the parser's own thread. */
export interface ParsedBatch extends PackedBatch { events: NormalizedEvent[] }

export function pack(b: ParsedBatch | PackedBatch): PackedBatch {
  if (!('events' in b)) return b;
  const { events: _events, ...packed } = b;
  return packed;
}

/** Rejected text is kept, but a runaway "line" (a binary file) is not stored whole. */
const MAX_REJECT_TEXT = 64 * 1024;

/** The first characters of a record rejected for its length, marked as cut. */
const headOf = (text: string) => `${text.slice(0, 1024)}… [cut: the record is longer than its limit]`;

function rejectOf(locator: number, reason: string, text: string): Reject {
  return { locator, reason, text: text.length > MAX_REJECT_TEXT ? `${text.slice(0, MAX_REJECT_TEXT)}… [${text.length} characters, truncated]` : text };
}

class Batcher {
  events: NormalizedEvent[] = [];
  rejects: Reject[] = [];
  records = 0;
  bytes = 0;
  /** Set when the file's records are kept as the file itself: then all its events go in one batch. */
  file: FileRecords | null = null;
  constructor(private readonly size: number) {}
  add(result: RecordResult, locator: number, text: string): void {
    if (result === null) return;
    this.records++;
    if ('reject' in result) this.rejects.push(rejectOf(locator, result.reject, text));
    else this.events.push(result);
  }
  get full(): boolean {
    return !this.file && this.events.length + this.rejects.length >= this.size;
  }
  take(): ParsedBatch {
    const rows = toRows(this.events, this.file ?? undefined);
    const b: ParsedBatch = { events: this.events, rows, count: this.events.length, rejects: this.rejects, records: this.records, bytes: this.bytes };
    this.events = [];
    this.rejects = [];
    this.records = 0;
    this.bytes = 0;
    return b;
  }
}

export interface ParseOptions {
  batchSize?: number;
  signal?: AbortSignal;
  /** The file, already read whole (read.ts): parsed from memory instead of read again. */
  whole?: WholeFile | null;
  /** Only these bytes of a line file that is not compressed, starting at a line start, the line numbered firstLine. */
  lines?: ByteRange & { firstLine: number };
}

export async function* parseFile(path: string, format: LineFormat | DocumentFormat, opts: ParseOptions = {}): AsyncGenerator<ParsedBatch> {
  const batch = new Batcher(opts.batchSize ?? 2000);
  const onBytes = (n: number) => { batch.bytes += n; };
  // A document (a trail file) is its first gzip member: what follows it was appended after delivery.
  // Its records are read as rejects, not events, so the case keeps them and says why (appendedRejects).
  const appended = format.kind === 'document' ? opts.whole?.appended : undefined;
  const whole = appended ? { ...opts.whole!, text: appended.firstText } : opts.whole;
  // Streamed (a large file): a gzip whose last trailer does not give the size of all it inflated to has
  // more than one member, and the document's reader does not read past the first document (json-scan).
  let streamed: StreamedGzip | null = null;
  if (opts.lines && (whole || format.kind !== 'lines')) throw new Error('only a streamed line file is parsed by byte range');
  const chunks = whole ? chunksOf(whole, onBytes) : readText(path, onBytes, format.kind === 'document' ? (g) => { streamed = g; } : undefined, opts.lines);
  const document = format.kind === 'document' && whole ? parsedDocument(whole.text, format) : null;
  if (document) {
    batch.file = fileRecords(whole!, document);
    yield* documentBatches(document, format as DocumentFormat, whole!.size, batch, opts.signal);
    if (appended) appendedRejects(opts.whole!, format as DocumentFormat, document.texts.length, batch);
  } else if (format.kind === 'lines') {
    const limit = recordLimit(format);
    let carry = '';
    let lineNo = (opts.lines?.firstLine ?? 1) - 1;
    // Inside a line past the limit: its rest is dropped, unread but for the search for its end.
    let skipping = false;
    const take = (line: string) => {
      lineNo++;
      if (line.length > limit) batch.add(reject(tooLong(`line ${lineNo}`, limit)), lineNo, headOf(line));
      else batch.add(format.parseLine(line, lineNo), lineNo, line);
    };
    try {
      for await (const chunk of chunks) {
        opts.signal?.throwIfAborted();
        let text = carry ? carry + chunk : chunk;
        let start = 0;
        if (skipping) {
          const nl = chunk.indexOf('\n');
          if (nl === -1) continue;
          skipping = false;
          text = chunk;
          start = nl + 1;
        }
        let nl: number;
        while ((nl = text.indexOf('\n', start)) !== -1) {
          const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
          take(text.slice(start, end));
          start = nl + 1;
        }
        carry = text.slice(start);
        if (carry.length > limit) {
          take(carry);
          carry = '';
          skipping = true;
        }
        if (batch.full) yield batch.take();
      }
      if (carry.length) take(carry.endsWith('\r') ? carry.slice(0, -1) : carry);
    } catch (err) {
      if (!(err instanceof InflateLimitError)) throw err;
      // The lines read so far are kept; the rest of the file is one reject that says why.
      batch.add(reject(err.message), lineNo + 1, '');
    }
  } else {
    const scanner = new JsonArrayScanner(format.arrayKey, recordLimit(format));
    try {
      for await (const chunk of chunks) {
        opts.signal?.throwIfAborted();
        const first = scanner.count;
        scanner.push(chunk).forEach((text, i) => batch.add(format.parseRecord(text, first + i + 1), first + i + 1, text));
        if (batch.full) yield batch.take();
      }
      scanner.end();
      if (appended) appendedRejects(opts.whole!, format as DocumentFormat, scanner.count, batch);
      const g = streamed as StreamedGzip | null;
      if (g && g.lastMemberSize !== null && g.lastMemberSize !== g.inflatedBytes % 2 ** 32) {
        batch.records++;
        batch.rejects.push(rejectOf(scanner.count + 1, `the file has gzip members after its first (data appended after delivery; ${g.inflatedBytes} bytes inflated in all): `
          + 'nothing after the first document was read as an event, and its records are not in the case (files this large are streamed)', ''));
      }
    } catch (err) {
      if (!(err instanceof JsonStructureError) && !(err instanceof InflateLimitError)) throw err;
      // The records read so far are kept; the rest of the file is one reject that says where it broke.
      batch.add(reject(err.message), scanner.count + 1, err instanceof JsonRecordTooLongError ? headOf(err.head) : '');
    }
  }
  yield batch.take();
}

/**
 * The records of gzip members appended after a document's first member, as rejects numbered on from
 * the first member's records: kept in the case with their text and the reason, never read as events
 * (no digest vouches for them, and CloudTrail never delivers a second member).
 */
function appendedRejects(whole: WholeFile, format: DocumentFormat, after: number, batch: Batcher): void {
  const a = whole.appended!;
  const full = whole.text;
  const rest = full.slice(a.firstText.length);
  const reason = (what: string) =>
    `${what} in data appended after the file's first gzip member (stored bytes ${a.storedOffset}–${a.storedOffset + a.storedBytes - 1} of ${whole.size}): `
    + 'not imported as an event; CloudTrail delivers one member, and no digest covers the appended data';
  let texts: string[] = [];
  try {
    const scanner = new JsonArrayScanner(format.arrayKey);
    texts = scanner.push(rest);
    scanner.end();
  } catch {
    texts = [];
  }
  if (!texts.length) {
    batch.records++;
    batch.rejects.push(rejectOf(after + 1, reason(`${rest.length} characters`), rest));
    return;
  }
  texts.forEach((t, i) => {
    batch.records++;
    batch.rejects.push(rejectOf(after + 1 + i, reason(`record ${i + 1} of ${texts.length}`), t));
  });
}

/** Documents up to this size read whole are parsed whole (memory: their records' objects all at once). */
const WHOLE_PARSE_CHARS = 8 * 1024 * 1024;

interface ParsedDocument { texts: string[]; values: unknown[]; starts: number[] }

/**
 * A document read whole, parsed at once: one JSON.parse of a whole trail file costs about half of
 * parsing each record apart (3–4.5 against 6–7 µs a record), and the scanner still gives each
 * record's verbatim text. Null — the record-by-record road, which says where a document breaks —
 * unless the document is valid JSON of the format's shape and both agree on its records.
 */
function parsedDocument(text: string, format: DocumentFormat): ParsedDocument | null {
  if (!format.parseValue || text.length > WHOLE_PARSE_CHARS) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const values = format.arrayKey === null ? doc : doc && typeof doc === 'object' ? (doc as Record<string, unknown>)[format.arrayKey] : undefined;
  if (!Array.isArray(values)) return null;
  const scanner = new JsonArrayScanner(format.arrayKey);
  const starts: number[] = [];
  let texts: string[];
  try {
    texts = scanner.push(text, starts);
    scanner.end();
  } catch {
    return null;
  }
  // A repeated array key would have JSON.parse keep the last and the scanner the first: the ends must match.
  const same = (i: number) => {
    try {
      return JSON.stringify(JSON.parse(texts[i])) === JSON.stringify(values[i]);
    } catch {
      return false;
    }
  };
  if (texts.length !== values.length || (texts.length && (!same(0) || !same(texts.length - 1)))) return null;
  return { texts, values, starts };
}

/**
 * A gzip document's records kept as the file itself (rows.ts, FileRecords), when its text is ASCII so
 * that a record's place in the text is its place in the inflated bytes; null for text blocks.
 */
function fileRecords(whole: WholeFile, doc: ParsedDocument): FileRecords | null {
  if (!whole.gzip || !isAscii(whole.gzip.inflated)) return null;
  return {
    stored: whole.gzip.bytes,
    inflated: whole.gzip.inflated,
    startOf: (e) => {
      // parseValue keeps the record's verbatim text as the event's raw record.
      if (e.raw.length !== doc.texts[e.locator - 1]?.length) throw new Error(`record ${e.locator}: the event's raw record is not the record's text`);
      return doc.starts[e.locator - 1];
    },
  };
}

function* documentBatches(doc: ParsedDocument, format: DocumentFormat, size: number, batch: Batcher, signal?: AbortSignal): Generator<ParsedBatch> {
  const n = doc.texts.length;
  const share = byteShares(size, n);
  const limit = recordLimit(format);
  for (let i = 0; i < n; i++) {
    const text = doc.texts[i];
    // A document read whole is small, but may still hold one record past the limit: the others are kept.
    if (text.length > limit) batch.add(reject(tooLong(`record ${i + 1}`, limit)), i + 1, headOf(text));
    else batch.add(format.parseValue!(doc.values[i], text, i + 1), i + 1, text);
    // A record normalized is garbage: else a large file's parsed records all live until its end, and
    // every collection meanwhile copies them (5,000-record trail files: 12.6 → 11.4 µs a record, parse alone).
    doc.values[i] = undefined;
    if (!batch.full) continue;
    signal?.throwIfAborted();
    batch.bytes += share(i + 1);
    yield batch.take();
  }
  batch.bytes += share(n);
}

const MAX_EVIDENCE_ONLY = 256 * 1024 * 1024;

/** Reads an evidence-only file whole (digests are small) and describes it. */
export async function describeFile(path: string, format: EvidenceOnlyFormat, whole?: WholeFile | null): Promise<object> {
  if (whole) return format.describe(whole.text); // already read, and far under the limit below
  let text = '';
  for await (const chunk of readText(path)) {
    text += chunk;
    if (text.length > MAX_EVIDENCE_ONLY) throw new Error(`larger than a ${format.description} can be`);
  }
  return format.describe(text);
}
