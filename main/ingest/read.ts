// Reading evidence files: small ones whole, others as a stream; gzip detected by magic bytes (not by
// name), decoded as UTF-8, with a byte counter for progress. Evidence is opened read-only and never written.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { firstGzipMember, type FirstMember } from './gzip-members';
import { InflateLimitError, inflateLimit } from './limits';

const CHUNK = 1 << 20;

export async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** SHA-256 and size of the file's bytes as stored. */
export async function hashFile(path: string): Promise<{ sha256: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), size };
}

/**
 * Files up to this size (as stored) are read whole and at once by the parse worker, where blocking
 * costs nothing: one read serves the hash, the sniff and the parse. Streaming a small file instead
 * took a dozen hops through the I/O thread pool (open, read, gunzip chunk, close — for the sniff, the
 * hash and the parse each), and the parsers spent half their time waiting on them.
 */
export const WHOLE_FILE_BYTES = 8 * 1024 * 1024;
/** A small gzip file is still streamed when its text would hold more than this in memory. */
const WHOLE_TEXT_BYTES = 32 * 1024 * 1024;

/** A file read whole: its bytes' SHA-256 and size as stored, and its decompressed, decoded text. */
export interface WholeFile {
  sha256: string; size: number; text: string;
  /** A gzip file: its bytes as stored and inflated (raw records can then be kept as the file itself, rows.ts). */
  gzip?: { bytes: Buffer; inflated: Buffer };
  /**
   * Data after the first gzip member: a second member appended to the file. `text` and `gzip.inflated`
   * hold every member (as gunzip reads them); `firstText` is the first member's text alone.
   */
  appended?: { storedOffset: number; storedBytes: number; firstText: string };
}

/**
 * Reads a small file whole (synchronously), or returns null for a file to stream: a large one, or a
 * gzip that is large or damaged once decompressed (the stream keeps the records before the damage).
 */
export function readWholeFile(path: string): WholeFile | null {
  if (statSync(path).size > WHOLE_FILE_BYTES) return null;
  const bytes = readFileSync(path);
  if (bytes.length > WHOLE_FILE_BYTES) return null;
  let inflated: Buffer | undefined;
  let first: FirstMember | null = null;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    // One inflate finds the first member's end as well (its trailer checked as gunzip checks it);
    // only a file with more after it is inflated again whole.
    first = firstGzipMember(bytes, WHOLE_TEXT_BYTES);
    if (!first) return null;
    try {
      inflated = first.appendedBytes ? gunzipSync(bytes, { maxOutputLength: WHOLE_TEXT_BYTES }) : first.inflated;
    } catch {
      return null;
    }
  }
  const decode = (b: Buffer) => {
    const t = b.toString('utf8');
    return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t;
  };
  const text = decode(inflated ?? bytes);
  const whole: WholeFile = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, text };
  if (inflated) whole.gzip = { bytes, inflated };
  if (first?.appendedBytes) whole.appended = { storedOffset: first.storedLength, storedBytes: first.appendedBytes, firstText: decode(first.inflated) };
  return whole;
}

/**
 * Progress for a file read whole: its stored size shared out over its parts as they are used. The
 * returned function takes how many of `parts` are done and gives the bytes to report for them.
 */
export function byteShares(size: number, parts: number): (done: number) => number {
  let given = 0;
  return (done) => {
    const upTo = done >= parts ? size : Math.round((size * done) / parts);
    const n = upTo - given;
    given = upTo;
    return n;
  };
}

/** A whole file's text in readText's chunk size; onBytes shares its stored size out over the chunks. */
export function* chunksOf(whole: WholeFile, onBytes?: (n: number) => void): Generator<string> {
  const share = byteShares(whole.size, whole.text.length);
  for (let at = 0; at < whole.text.length; at += CHUNK) {
    const end = Math.min(whole.text.length, at + CHUNK);
    onBytes?.(share(end));
    yield whole.text.slice(at, end);
  }
  const rest = share(whole.text.length);
  if (rest) onBytes?.(rest);
}

/** What a streamed read learnt of the file's gzip members, once its text has been read to the end. */
export interface StreamedGzip { inflatedBytes: number; lastMemberSize: number | null }

/** Bytes [start, end) of a file that is not compressed, cut at line starts (a line file parsed by two threads). */
export interface ByteRange { start: number; end: number }

/**
 * The decompressed text of a file in chunks. onBytes reports compressed bytes read, for progress;
 * onGzipEnd, for a gzip file read to its end, how many bytes it inflated to and the size its last
 * member's trailer records — they differ when members follow the first (data appended to the file).
 * Throws InflateLimitError once a gzip file inflates past its limit (limits.ts).
 */
export async function* readText(path: string, onBytes?: (n: number) => void, onGzipEnd?: (g: StreamedGzip) => void, range?: ByteRange): AsyncGenerator<string> {
  const gz = await isGzip(path);
  if (range && gz) throw new Error('a compressed file is read whole, not by byte range');
  if (range && range.end <= range.start) return;
  const file = createReadStream(path, { highWaterMark: CHUNK, ...(range && { start: range.start, end: range.end - 1 }) });
  if (onBytes) file.on('data', (c) => onBytes((c as Buffer).length));
  let tail: Buffer = Buffer.alloc(0);
  let inflatedBytes = 0;
  if (gz && onGzipEnd) file.on('data', (c) => {
    const b = c as Buffer;
    tail = b.length >= 8 ? b.subarray(-8) : Buffer.concat([tail, b]).subarray(-8);
  });
  const stream = gz ? file.pipe(createGunzip({ chunkSize: CHUNK })) : file;
  if (gz) file.on('error', (e) => stream.destroy(e));
  const limit = gz ? inflateLimit(statSync(path).size) : Infinity;
  const decoder = new StringDecoder('utf8');
  let first = !range?.start; // a byte-order mark only at the file's start
  try {
    for await (const chunk of stream) {
      inflatedBytes += (chunk as Buffer).length;
      if (inflatedBytes > limit) throw new InflateLimitError(limit);
      let text = decoder.write(chunk as Buffer);
      if (first && text.length) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      if (text.length) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
    if (gz && onGzipEnd) onGzipEnd({ inflatedBytes, lastMemberSize: tail.length === 8 ? tail.readUInt32LE(4) : null });
  } finally {
    file.destroy();
    stream.destroy();
  }
}

/** The first `max` characters of the decompressed text, for sniffing. */
export async function readHead(path: string, max = 64 * 1024): Promise<string> {
  let head = '';
  for await (const chunk of readText(path)) {
    head += chunk;
    if (head.length >= max) break;
  }
  return head.slice(0, max);
}
