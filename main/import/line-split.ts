// One large line file (an access log of a few hundred MB) parsed by two threads: the first parses its
// first half, the second its second, each cut at a line start. Both threads decide the cut alone, from
// the file's bytes, by the same rule, so they always agree without a message between them. The second
// numbers its lines on from the first's by counting the line ends before the cut (about 50 ms per
// 100 MB), so a locator, a reject's line and its reason are those of a one-thread parse.
import { closeSync, openSync, readSync } from 'node:fs';
import type { DocumentFormat, LineFormat } from '../ingest/formats/types';
import { isGzip, WHOLE_FILE_BYTES } from '../ingest/read';

const CHUNK = 1 << 20;

/** Reads `[at, at + into.length)`, or less at the end of the file; returns the bytes read. */
function readAt(fd: number, into: Buffer, at: number): number {
  let n = 0;
  while (n < into.length) {
    const got = readSync(fd, into, n, into.length - n, at + n);
    if (got === 0) break;
    n += got;
  }
  return n;
}

/**
 * Where a file's second half starts: just after the first line end at or after its middle. Null for a
 * file parsed whole by one thread: a document, a compressed file (a stream cannot be entered midway),
 * a file read whole (small), or one with no line end past its middle.
 */
export async function splitPoint(path: string, size: number, format: LineFormat | DocumentFormat): Promise<number | null> {
  if (format.kind !== 'lines' || size <= WHOLE_FILE_BYTES || await isGzip(path)) return null;
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let at = Math.floor(size / 2); at < size; at += CHUNK) {
      const n = readAt(fd, buf, at);
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl !== -1) return at + nl + 1 < size ? at + nl + 1 : null;
      if (n < CHUNK) break;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/** How many line ends (LF; a CR before one is part of the end) the file holds before byte `end`. */
export function lineEndsBefore(path: string, end: number): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let count = 0;
    for (let at = 0; at < end;) {
      const n = readAt(fd, buf.length > end - at ? buf.subarray(0, end - at) : buf, at);
      if (n === 0) break;
      const read = buf.subarray(0, n);
      for (let i = read.indexOf(10); i !== -1; i = read.indexOf(10, i + 1)) count++;
      at += n;
    }
    return count;
  } finally {
    closeSync(fd);
  }
}
