// Reading evidence files: gzip detected by magic bytes (not by name), decoded as UTF-8 in a stream,
// with a byte counter for progress. Evidence is opened read-only and never written.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';

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
 * The decompressed text of a file in chunks. onBytes reports compressed bytes read, for progress.
 */
export async function* readText(path: string, onBytes?: (n: number) => void): AsyncGenerator<string> {
  const gz = await isGzip(path);
  const file = createReadStream(path, { highWaterMark: CHUNK });
  if (onBytes) file.on('data', (c) => onBytes((c as Buffer).length));
  const stream = gz ? file.pipe(createGunzip({ chunkSize: CHUNK })) : file;
  if (gz) file.on('error', (e) => stream.destroy(e));
  const decoder = new StringDecoder('utf8');
  let first = true;
  try {
    for await (const chunk of stream) {
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
