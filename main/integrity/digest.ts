// CloudTrail digest files: reading one (gzip or plain JSON) into a checked shape and its content hash.
// The hash that matters is of the *uncompressed* JSON: it is what the signature covers and what the
// next digest records as previousDigestHashValue (aws-cli validation.py hashes the inflated digest).
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

export interface DigestLogEntry {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
}

export interface Digest {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  /** null in the first digest of a chain; part of the signed string (as the text 'null'). */
  previousDigestSignature: string | null;
  logFiles: DigestLogEntry[];
}

export class DigestFormatError extends Error {}

type Json = Record<string, unknown>;

function text(o: Json, field: string, where: string, required: boolean): string | null {
  const v = o[field];
  if (v === undefined || v === null) {
    if (required) throw new DigestFormatError(`${where}: "${field}" is missing`);
    return null;
  }
  if (typeof v !== 'string') throw new DigestFormatError(`${where}: "${field}" is not a string`);
  return v;
}

function isoTime(o: Json, field: string, where: string, required: boolean): string | null {
  const v = text(o, field, where, required);
  if (v !== null && Number.isNaN(Date.parse(v))) throw new DigestFormatError(`${where}: "${field}" is not a time (${JSON.stringify(v.slice(0, 40))})`);
  return v;
}

/** Checks a parsed digest object; `ref` names the file in every error. */
export function parseDigest(value: unknown, ref: string): Digest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DigestFormatError(`${ref}: a digest file is a JSON object`);
  const o = value as Json;
  // previousDigestSignature must be present (aws-cli requires the key) even though its value may be null.
  if (!('previousDigestSignature' in o)) throw new DigestFormatError(`${ref}: "previousDigestSignature" is missing`);
  if (!Array.isArray(o.logFiles)) throw new DigestFormatError(`${ref}: "logFiles" is missing or not a list`);
  const logFiles = o.logFiles.map((entry, i): DigestLogEntry => {
    const where = `${ref}: logFiles[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw new DigestFormatError(`${where} is not an object`);
    const e = entry as Json;
    return {
      s3Bucket: text(e, 's3Bucket', where, true)!,
      s3Object: text(e, 's3Object', where, true)!,
      hashValue: text(e, 'hashValue', where, true)!.toLowerCase(),
      hashAlgorithm: text(e, 'hashAlgorithm', where, false) ?? 'SHA-256',
      newestEventTime: isoTime(e, 'newestEventTime', where, false),
      oldestEventTime: isoTime(e, 'oldestEventTime', where, false),
    };
  });
  return {
    awsAccountId: text(o, 'awsAccountId', ref, true)!,
    digestStartTime: isoTime(o, 'digestStartTime', ref, true)!,
    digestEndTime: isoTime(o, 'digestEndTime', ref, true)!,
    digestS3Bucket: text(o, 'digestS3Bucket', ref, true)!,
    digestS3Object: text(o, 'digestS3Object', ref, true)!,
    digestPublicKeyFingerprint: text(o, 'digestPublicKeyFingerprint', ref, true)!,
    digestSignatureAlgorithm: text(o, 'digestSignatureAlgorithm', ref, false) ?? 'SHA256withRSA',
    newestEventTime: isoTime(o, 'newestEventTime', ref, false),
    oldestEventTime: isoTime(o, 'oldestEventTime', ref, false),
    previousDigestS3Bucket: text(o, 'previousDigestS3Bucket', ref, false),
    previousDigestS3Object: text(o, 'previousDigestS3Object', ref, false),
    previousDigestHashValue: text(o, 'previousDigestHashValue', ref, false)?.toLowerCase() ?? null,
    previousDigestHashAlgorithm: text(o, 'previousDigestHashAlgorithm', ref, false),
    previousDigestSignature: text(o, 'previousDigestSignature', ref, false),
    logFiles,
  };
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The uncompressed content: gunzipped when the bytes are gzip, as they are in S3. */
export function inflate(bytes: Buffer, ref: string): Buffer {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (err) {
    throw new DigestFormatError(`${ref}: not a readable gzip file (${(err as Error).message})`);
  }
}

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface ReadDigest { digest: Digest; contentSha256: string }

/** Reads a digest file's bytes (gzip or not): the checked digest and the SHA-256 of its uncompressed content. */
export function readDigest(bytes: Buffer, ref: string): ReadDigest {
  const content = inflate(bytes, ref);
  let value: unknown;
  try {
    value = JSON.parse(content.toString('utf8'));
  } catch (err) {
    throw new DigestFormatError(`${ref}: not JSON (${(err as Error).message})`);
  }
  return { digest: parseDigest(value, ref), contentSha256: sha256Hex(content) };
}

/** `bucket/key`, the form the signing string and the chain use. */
export function digestS3Path(d: Pick<Digest, 'digestS3Bucket' | 'digestS3Object'>): string {
  return `${d.digestS3Bucket}/${d.digestS3Object}`;
}

export function previousS3Path(d: Digest): string | null {
  return d.previousDigestS3Bucket && d.previousDigestS3Object ? `${d.previousDigestS3Bucket}/${d.previousDigestS3Object}` : null;
}
