// How large one record, one line and one file's inflated text may be. Past a limit the reader stops
// as soon as it is crossed — the rest of an oversized record is neither inflated into memory nor
// scanned — and the record (or, where the records after it cannot be found, the rest of the file) is
// rejected with its position and the reason. Limits are in characters of the decoded text.
import type { DocumentFormat, LineFormat } from './formats/types';

/** CloudTrail caps an event at 256 KB; a record four times that (escaped in an envelope, say) is not one. */
export const MAX_JSON_RECORD_CHARS = 1024 * 1024;
/** An access-log line is a few hundred characters, a few KB with a long key and user agent. */
export const MAX_LOG_LINE_CHARS = 64 * 1024;
/** A compressed file may inflate to this much text whatever its size… */
export const INFLATE_FREE_BYTES = 64 * 1024 * 1024;
/** …and beyond that to this many times its stored size: logs compress 5–20×; a gzip bomb, 1,000×. */
export const MAX_INFLATE_RATIO = 100;

/** The longest record (line, or array element) the format's files may hold. */
export function recordLimit(format: LineFormat | DocumentFormat): number {
  return format.name === 's3-access-log' ? MAX_LOG_LINE_CHARS : MAX_JSON_RECORD_CHARS;
}

/** The most a file of `storedBytes` may inflate to. */
export const inflateLimit = (storedBytes: number): number => Math.max(INFLATE_FREE_BYTES, MAX_INFLATE_RATIO * storedBytes);

/** A compressed file inflating past inflateLimit: reading stops there. */
export class InflateLimitError extends Error {
  constructor(readonly limit: number) {
    super(`inflates to more than ${limit.toLocaleString('en')} bytes (${MAX_INFLATE_RATIO}× its size, at least ${INFLATE_FREE_BYTES / 1024 / 1024} MiB): not read further, as a gzip bomb would be`);
  }
}

/** The reason a record past its limit is rejected. */
export const tooLong = (what: string, limit: number): string =>
  `${what} is longer than ${limit.toLocaleString('en')} characters (the limit; ${limit === MAX_LOG_LINE_CHARS ? 'an access-log line is a few KB' : 'CloudTrail caps an event at 256 KB'})`;
