// From a case's evidence rows (plain objects; the SQL lives in main/case/integrity.ts) to the inputs of
// validation: each digest and trail file found again on disk, checked against the SHA-256 recorded at
// acquisition, then read. The digest lists hashes of *uncompressed* content, while evidence.sha256 is
// of the bytes as stored (gzip), so trail files are re-read here: one pass yields both hashes.
import { readFileSync } from 'node:fs';
import { DigestFormatError, readDigest } from './digest';
import type { EvidenceLocator } from './locate';
import type { PublicKey } from './public-keys';
import { parseTrailFileName } from './trail-names';
import type { DigestInput, TrailFileInput, ValidationInput } from './validate';

export interface IntegrityEvidenceRow {
  id: number;
  path: string;
  origin: string | null;
  sha256: string;
  format: string;
  /** JSON; for digests pulled from S3 it carries the object metadata, signature included. */
  meta: string | null;
}

/** Which evidence rows take part: digests, and trail files as CloudTrail delivers them. */
export function isDigestRow(r: Pick<IntegrityEvidenceRow, 'format'>): boolean {
  return r.format === 'cloudtrail-digest';
}
export function isTrailFileRow(r: Pick<IntegrityEvidenceRow, 'format' | 'path'>): boolean {
  return r.format === 'cloudtrail-file' || (r.format !== 'cloudtrail-digest' && parseTrailFileName(r.path) !== null);
}

/**
 * One S3 user-metadata field kept with the evidence (`name`, or `x-amz-meta-name`). Accepted shapes:
 * the field at the top level, or under "s3Metadata" / "metadata" / "Metadata" (GetObject returns user
 * metadata without the x-amz-meta- prefix, under Metadata).
 */
function metadataField(meta: string | null, name: string): string | null {
  if (!meta) return null;
  let o: unknown;
  try {
    o = JSON.parse(meta);
  } catch {
    return null;
  }
  const pick = (v: unknown): string | null => {
    if (!v || typeof v !== 'object') return null;
    const r = v as Record<string, unknown>;
    const s = r[name] ?? r[`x-amz-meta-${name}`];
    return typeof s === 'string' && s ? s : null;
  };
  const r = o as Record<string, unknown>;
  return pick(r) ?? pick(r.s3Metadata) ?? pick(r.metadata) ?? pick(r.Metadata);
}

/** The digest's own signature, from the S3 object metadata kept with the evidence. */
export const signatureFromMeta = (meta: string | null): string | null => metadataField(meta, 'signature');

/** A backfill digest's backfill-generation-timestamp, from the same metadata shapes as its signature. */
export const backfillGeneratedAtFromMeta = (meta: string | null): string | null => metadataField(meta, 'backfill-generation-timestamp');

export async function buildCaseValidationInput(rows: IntegrityEvidenceRow[], locator: EvidenceLocator, publicKeys: PublicKey[] | null): Promise<ValidationInput> {
  const problems: string[] = [];
  const limits: string[] = [];
  const digests: DigestInput[] = [];
  const trailFiles: TrailFileInput[] = [];
  const unreadableDigests: string[] = [];

  for (const r of rows.filter(isDigestRow)) {
    const c = await locator.check(r);
    if (c.status !== 'ok') {
      unreadableDigests.push(r.path);
      if (c.status === 'altered') problems.push(`digest ${r.path}: the file at ${c.path} no longer matches the SHA-256 recorded at acquisition`);
      else limits.push(`digest ${r.path}: not validated, ${c.reason}`);
      continue;
    }
    try {
      const { digest, contentSha256 } = readDigest(readFileSync(c.path), r.path);
      digests.push({ ref: r.path, evidenceId: r.id, digest, contentSha256, signature: signatureFromMeta(r.meta), backfillGeneratedAt: backfillGeneratedAtFromMeta(r.meta) });
    } catch (err) {
      if (!(err instanceof DigestFormatError)) throw err;
      unreadableDigests.push(r.path);
      problems.push(`digest ${err.message}`);
    }
  }

  for (const r of rows.filter(isTrailFileRow)) {
    const c = await locator.check(r);
    const unreadable = c.status === 'altered' ? `the file at ${c.path} no longer matches the SHA-256 recorded at acquisition`
      : c.status === 'unavailable' ? c.reason : undefined;
    trailFiles.push({
      ref: r.path, evidenceId: r.id, path: r.path, contentSha256: c.status === 'ok' ? c.contentSha256 : null, unreadable,
      appendedBytes: c.status === 'ok' ? c.appendedBytes : null,
    });
  }
  return { digests, trailFiles, publicKeys, unreadableDigests, problems, limits };
}
