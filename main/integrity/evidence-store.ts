// The read-only evidence store: a copy of each acquired file kept beside the case, so the case travels
// whole. `<case dir>/<case name>.evidence/<sha256 prefix>/<name>`, written once, verified against the
// SHA-256 recorded at acquisition while it is copied, then made read-only (0444).
import { createHash } from 'node:crypto';
import { chmodSync, createReadStream, createWriteStream, existsSync, linkSync, mkdirSync, unlinkSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { storedSha256 } from './read-inputs';

export class EvidenceStoreError extends Error {}

/** Characters of the SHA-256 that name a stored file's folder: enough to keep same-named files apart. */
const PREFIX = 16;

export function evidenceStoreDir(casePath: string): string {
  return join(dirname(casePath), `${basename(casePath, extname(casePath))}.evidence`);
}

/** Where a file with this hash and name is (or would be) kept. */
export function storedEvidencePath(casePath: string, sha256: string, name: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new EvidenceStoreError(`not a SHA-256: ${sha256}`);
  // Only a plain file name: whatever the source path looked like, nothing lands outside the store.
  const safe = basename(name.replace(/\\/g, '/')).replace(/[\x00-\x1f<>:"|?*]/g, '_');
  if (!safe || safe === '.' || safe === '..') throw new EvidenceStoreError(`cannot store a file named ${JSON.stringify(name)}`);
  return join(evidenceStoreDir(casePath), sha256.slice(0, PREFIX), safe);
}

export interface StoredEvidence { path: string; created: boolean }

/**
 * Copies `source` into the case's evidence store. `sha256` is the hash recorded when the file was
 * acquired: the copy must hash to it, or nothing is kept. A copy already there is checked, never rewritten.
 */
export async function storeEvidence(casePath: string, source: string, sha256: string, name = basename(source)): Promise<StoredEvidence> {
  const target = storedEvidencePath(casePath, sha256, name);
  if (existsSync(target)) {
    const found = await storedSha256(target);
    if (found !== sha256) throw new EvidenceStoreError(`${target} is already in the evidence store but hashes to ${found}, not ${sha256}: it was altered`);
    return { path: target, created: false };
  }
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(source), tap, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    const copied = hash.digest('hex');
    if (copied !== sha256) throw new EvidenceStoreError(`${source} hashes to ${copied} now, not ${sha256} as when it was acquired: not stored`);
    chmodSync(partial, 0o444);
    // link, unlike rename, refuses to replace a file that appeared meanwhile: written once.
    linkSync(partial, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && existsSync(target)) return storeEvidence(casePath, source, sha256, name);
    throw err;
  } finally {
    if (existsSync(partial)) unlinkSync(partial);
  }
  return { path: target, created: true };
}
