// File reading around the pure validation: the uncompressed SHA-256 of a trail file, streamed so a
// large file never sits in memory, and a digest file read into a DigestInput.
import { createHash } from 'node:crypto';
import { createReadStream, openSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform, Writable } from 'node:stream';
import type { Hash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { firstGzipMember } from '../ingest/gzip-members';
import { readDigest, sha256Hex } from './digest';
import type { DigestInput } from './validate';

/** A sink feeding a hash: the hash itself is never piped into, so digest() is called exactly once, by us. */
function into(hash: Hash): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done();
    },
  });
}

function startsWithGzipMagic(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Hex SHA-256 of a file's content after gunzip (of the bytes as they are when not gzip): what digests list. */
export async function uncompressedSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  if (startsWithGzipMagic(path)) await pipeline(createReadStream(path), createGunzip(), into(hash));
  else await pipeline(createReadStream(path), into(hash));
  return hash.digest('hex');
}

/** Hex SHA-256 of the bytes as stored: what evidence.sha256 records. */
export async function storedSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), into(hash));
  return hash.digest('hex');
}

/** Gzip files up to this size are read whole, so that their first member can be told from what follows it. */
const WHOLE_GZIP_BYTES = 64 * 1024 * 1024;

export interface FileHashes {
  /** Of the bytes as stored. */
  stored: string;
  /**
   * Of the content: for gzip, the first member inflated, as aws-cli's validate-logs hashes it (equal to
   * stored for plain files).
   */
  content: string;
  /** Stored bytes after the first gzip member (data appended to the file); 0 when none, null when not checked (a larger file, streamed). */
  appendedBytes: number | null;
}

/** Both hashes in one read: of the bytes as stored, and of the content after gunzip (equal for plain files). */
export async function fileHashes(path: string): Promise<FileHashes> {
  const stored = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      stored.update(chunk);
      done(null, chunk);
    },
  });
  if (!startsWithGzipMagic(path)) {
    await pipeline(createReadStream(path), into(stored));
    const hex = stored.digest('hex');
    return { stored: hex, content: hex, appendedBytes: 0 };
  }
  if (statSync(path).size <= WHOLE_GZIP_BYTES) {
    const bytes = readFileSync(path);
    const first = firstGzipMember(bytes);
    if (first) return { stored: sha256Hex(bytes), content: sha256Hex(first.inflated), appendedBytes: first.appendedBytes };
    // Damaged: the stream below fails with zlib's own words.
  }
  const content = createHash('sha256');
  await pipeline(createReadStream(path), tap, createGunzip(), into(content));
  return { stored: stored.digest('hex'), content: content.digest('hex'), appendedBytes: null };
}

export function digestInputFromFile(path: string, opts: { ref?: string; evidenceId?: number | null; signature?: string | null } = {}): DigestInput {
  const ref = opts.ref ?? path;
  const { digest, contentSha256 } = readDigest(readFileSync(path), ref);
  return { ref, evidenceId: opts.evidenceId ?? null, digest, contentSha256, signature: opts.signature ?? null };
}
