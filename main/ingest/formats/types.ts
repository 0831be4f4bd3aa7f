// What a format parser is: a cheap sniff of the file's first bytes, and a pure parse of one record
// that returns an event or the reason it could not be read. I/O lives around parsers, never inside.
import type { Format, NormalizedEvent } from '../../../shared/events';
import type { CloudTrailRecord } from '../canonical-record';

export type RecordResult = NormalizedEvent | { reject: string } | null; // null: nothing to record (blank line)

/**
 * A record's canonical CloudTrail record, the reason it cannot be read, or null when it carries none
 * (an access-log line, a blank line). Parsers normalize exactly this, so the parse and the analysis
 * read the same record.
 */
export type RecordReading = { record: CloudTrailRecord } | { reject: string } | null;

interface FormatBase {
  name: Format;
  /** Human description for messages and the README. */
  description: string;
  /** head: the first bytes of the (decompressed) file as text; path: where it was found. */
  sniff(head: string, path: string): boolean;
}

/** One record per line (S3 access logs, JSON-lines). */
export interface LineFormat extends FormatBase {
  kind: 'lines';
  parseLine(line: string, locator: number): RecordResult;
  /** The canonical CloudTrail record of one line (see RecordReading). */
  canonical(line: string): RecordReading;
}

/** A JSON document whose records are the elements of one array (top-level, or under `arrayKey`). */
export interface DocumentFormat extends FormatBase {
  kind: 'document';
  arrayKey: string | null;
  parseRecord(text: string, locator: number): RecordResult;
  /** parseRecord for a record whose JSON was already parsed with its whole document (`text` is still its verbatim source). */
  parseValue?(value: unknown, text: string, locator: number): RecordResult;
  /** The canonical CloudTrail record of one record's text (see RecordReading). */
  canonical(text: string): RecordReading;
}

/** Recognised and kept as evidence, but holding no events (CloudTrail digests, listings). */
export interface EvidenceOnlyFormat extends FormatBase {
  kind: 'evidence-only';
  /** Facts worth keeping in the evidence row (JSON-serialisable); throws with a reason when malformed. */
  describe(text: string): object;
}

export type EvidenceFormat = LineFormat | DocumentFormat | EvidenceOnlyFormat;

export function reject(reason: string): { reject: string } {
  return { reject: reason };
}

/** A record's JSON text parsed, or the reason it is not JSON (`what` names the text in the reason). */
export function parseJson(text: string, what = 'invalid JSON'): { json: unknown } | { reject: string } {
  try {
    return { json: JSON.parse(text) as unknown };
  } catch (err) {
    return reject(`${what}: ${(err as Error).message}`);
  }
}
