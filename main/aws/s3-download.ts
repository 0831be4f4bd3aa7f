// One S3 object to one evidence file, resumably. The bytes go to `<file>.part` (with the ETag they
// belong to beside it); a cut connection continues with a Range request pinned by If-Match to the same
// ETag; the finished file is hashed and renamed into place with what S3 said about it (ETag, VersionId,
// LastModified, user metadata such as a digest's x-amz-meta-signature) in a sidecar. A file already
// downloaded with the listed size and ETag is not fetched again.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import type { ListedObject } from './s3-walk';
import { safeRelativePath } from './s3-layout';
import { writeFileAtomic } from './store';

export interface DownloadedObject {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  versionId: string | null;
  lastModified: string | null;
  /** SHA-256 of the bytes as stored in S3, computed when the download finished. */
  sha256: string;
  downloadedAt: string;
  /** User metadata as S3 sent it, with the x-amz-meta- prefix. */
  metadata: Record<string, string>;
}

export interface DownloadOutcome { path: string; object: DownloadedObject; reused: boolean; resumedAt: number[] }

export class ObjectChangedError extends Error {}

const MAX_ATTEMPTS = 4;

/** Where an object's copy lives; `variant` separates a later version of an object already kept. */
export function localPaths(evidenceDir: string, bucket: string, key: string, variant = ''): { path: string; metaPath: string } {
  const rel = safeRelativePath(key);
  const v = variant ? `@${variant}` : '';
  return { path: join(evidenceDir, `s3${v}`, bucket, rel), metaPath: join(evidenceDir, `s3-meta${v}`, bucket, `${rel}.json`) };
}

async function sha256Of(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Writes what arrives and, when the connection is cut, still flushes what did arrive, so the next
 *  attempt can ask for the rest (a stream pipeline would discard the unflushed bytes). */
async function writeBody(body: Readable, part: string, append: boolean, signal?: AbortSignal): Promise<void> {
  const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
  let failure: unknown = null;
  try {
    for await (const chunk of body) {
      signal?.throwIfAborted();
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } catch (err) {
    failure = err;
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  if (failure) throw failure;
}

const isServiceError = (err: unknown) => !!err && typeof err === 'object' && '$metadata' in err;

export async function downloadObject(client: S3Client, evidenceDir: string, bucket: string, obj: ListedObject, signal?: AbortSignal): Promise<DownloadOutcome> {
  let { path, metaPath } = localPaths(evidenceDir, bucket, obj.key);
  if (existsSync(path) && existsSync(metaPath)) {
    const known = JSON.parse(await readFile(metaPath, 'utf8')) as DownloadedObject;
    if (known.etag === obj.etag && known.size === obj.size && (await stat(path)).size === obj.size) {
      const now = await sha256Of(path);
      if (now !== known.sha256) throw new Error(`${path}, the kept copy of s3://${bucket}/${obj.key}, no longer hashes to the SHA-256 recorded when it was downloaded (${known.sha256}, now ${now}): it was changed on disk. Move it aside and pull again.`);
      return { path, object: known, reused: true, resumedAt: [] };
    }
    // The object changed since it was kept: the earlier copy is evidence too and is not overwritten.
    if (known.etag !== obj.etag) ({ path, metaPath } = localPaths(evidenceDir, bucket, obj.key, obj.etag.replace(/\W/g, '').slice(0, 16)));
    return downloadObjectAt(client, path, metaPath, bucket, obj, signal);
  }
  return downloadObjectAt(client, path, metaPath, bucket, obj, signal);
}

async function downloadObjectAt(client: S3Client, path: string, metaPath: string, bucket: string, obj: ListedObject, signal?: AbortSignal): Promise<DownloadOutcome> {
  if (existsSync(path) && existsSync(metaPath)) {
    const known = JSON.parse(await readFile(metaPath, 'utf8')) as DownloadedObject;
    if (known.etag === obj.etag && known.size === obj.size && (await stat(path)).size === obj.size) return { path, object: known, reused: true, resumedAt: [] };
  }
  await mkdir(dirname(path), { recursive: true });
  const part = `${path}.part`;
  const partEtag = `${part}.etag`;
  const resumedAt: number[] = [];
  for (let attempt = 1; ; attempt++) {
    let offset = 0;
    if (existsSync(part) && existsSync(partEtag) && (await readFile(partEtag, 'utf8')) === obj.etag) offset = (await stat(part)).size;
    if (offset >= obj.size) offset = 0;
    if (offset === 0) await writeFileAtomic(partEtag, obj.etag);
    else resumedAt.push(offset);
    let res;
    try {
      res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: obj.key, Range: offset ? `bytes=${offset}-` : undefined, IfMatch: obj.etag || undefined }), { abortSignal: signal });
    } catch (err) {
      if ((err as { name?: string }).name === 'PreconditionFailed') {
        await rm(part, { force: true });
        throw new ObjectChangedError(`s3://${bucket}/${obj.key} changed while it was being downloaded (its ETag is no longer ${obj.etag}); pull again to fetch the new version`);
      }
      throw err;
    }
    // A server that ignores Range answers 200 with the whole object: start the file over.
    const append = offset > 0 && res.$metadata.httpStatusCode === 206 && (res.ContentRange ?? '').startsWith(`bytes ${offset}-`);
    try {
      await writeBody(res.Body as Readable, part, append, signal);
    } catch (err) {
      signal?.throwIfAborted();
      if (isServiceError(err) || attempt >= MAX_ATTEMPTS) throw err;
      continue; // the connection was cut: the next attempt asks for the rest
    }
    const size = (await stat(part)).size;
    if (size !== obj.size) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`s3://${bucket}/${obj.key}: received ${size} bytes, the listing says ${obj.size}`);
      continue;
    }
    const object: DownloadedObject = {
      bucket, key: obj.key, size, etag: res.ETag ?? obj.etag, versionId: res.VersionId ?? null,
      lastModified: (res.LastModified ?? obj.lastModified)?.toISOString() ?? null,
      sha256: await sha256Of(part), downloadedAt: new Date().toISOString(),
      metadata: Object.fromEntries(Object.entries(res.Metadata ?? {}).map(([k, v]) => [`x-amz-meta-${k}`, v])),
    };
    await rename(part, path);
    await rm(partEtag, { force: true });
    await writeFileAtomic(metaPath, `${JSON.stringify(object, null, 2)}\n`);
    return { path, object, reused: false, resumedAt };
  }
}
