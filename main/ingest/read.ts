// Reading evidence files: small ones whole, others as a stream; gzip detected by magic bytes (not by
// name), decoded as UTF-8, with a byte counter for progress. Evidence is opened read-only and never written.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
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
const WHOLE_FILE_BYTES = 8 * 1024 * 1024;
/** A small gzip file is still streamed when its text would hold more than this in memory. */
const WHOLE_TEXT_BYTES = 32 * 1024 * 1024;

/** A file read whole: its bytes' SHA-256 and size as stored, and its decompressed, decoded text. */
export interface WholeFile {
  sha256: string; size: number; text: string;
  /** A gzip file: its bytes as stored and inflated (raw records can then be kept as the file itself, rows.ts). */
  gzip?: { bytes: Buffer; inflated: Buffer };
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
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      inflated = gunzipSync(bytes, { maxOutputLength: WHOLE_TEXT_BYTES });
    } catch {
      return null;
    }
  }
  let text = (inflated ?? bytes).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const whole: WholeFile = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, text };
  if (inflated) whole.gzip = { bytes, inflated };
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

/**
 * The decompressed text of a file in chunks. onBytes reports compressed bytes read, for progress.
 * Throws InflateLimitError once a gzip file inflates past its limit (limits.ts).
 */
export async function* readText(path: string, onBytes?: (n: number) => void): AsyncGenerator<string> {
  const gz = await isGzip(path);
  const file = createReadStream(path, { highWaterMark: CHUNK });
  if (onBytes) file.on('data', (c) => onBytes((c as Buffer).length));
  const stream = gz ? file.pipe(createGunzip({ chunkSize: CHUNK })) : file;
  if (gz) file.on('error', (e) => stream.destroy(e));
  const limit = gz ? inflateLimit(statSync(path).size) : Infinity;
  let inflated = 0;
  const decoder = new StringDecoder('utf8');
  let first = true;
  try {
    for await (const chunk of stream) {
      inflated += (chunk as Buffer).length;
      if (inflated > limit) throw new InflateLimitError(limit);
      let text = decoder.write(chunk as Buffer);
      if (first && text.length) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      if (text.length) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
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
