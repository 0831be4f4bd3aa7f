// Recognising CloudTrail objects by path and name, so that a local copy (any folder, gzipped or not)
// is matched to the S3 object a digest lists, and a digest to the trail it belongs to.
//   trail file:  [prefix/]AWSLogs/[o-id/]<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<random>.json.gz
//   digest file: [prefix/]AWSLogs/[o-id/]<acct>/CloudTrail-Digest/<region>/YYYY/MM/DD/<acct>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHMMSSZ>[_backfill].json.gz

/** The last path component, with Windows or POSIX separators, or an s3:// URI. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

/**
 * The key by which a local copy and a digest entry are matched: the object's file name without a
 * trailing .gz (CloudTrail names carry account, region, time and a random part, so they are unique;
 * an investigator may have gunzipped the copy, and the digest hashes the uncompressed content anyway).
 */
export function matchName(path: string): string {
  return baseName(path).replace(/\.gz$/i, '');
}

/** The part of a path or key from `AWSLogs/` on, with / separators; null when the path has none. */
export function awsLogsSuffix(path: string): string | null {
  const p = path.replace(/\\/g, '/');
  const i = p.lastIndexOf('AWSLogs/');
  return i < 0 ? null : p.slice(i);
}

export interface TrailFileName { accountId: string; region: string; deliveredAt: number }

const TRAIL_NAME = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]+\.json(?:\.gz)?$/;

/** Account, region and delivery minute from a trail file's name; null when it is not named as CloudTrail names them. */
export function parseTrailFileName(path: string): TrailFileName | null {
  const m = TRAIL_NAME.exec(baseName(path));
  if (!m) return null;
  const [, accountId, region, y, mo, d, h, mi] = m;
  return { accountId, region, deliveredAt: Date.UTC(+y, +mo - 1, +d, +h, +mi) };
}

const DIGEST_TAIL = /_(\d{8}T\d{6}Z)(_backfill)?\.json(?:\.gz)?$/;

/**
 * A backfill digest: CloudTrail delivers one, named like the hourly digest with a `_backfill` suffix, in
 * the same folder, when it must list log files that processing delays kept out of the original digest.
 * aws-cli (PRs #10058/#10059) validates them as it does hourly digests, as a separate chain.
 */
export function isBackfillDigest(s3Object: string): boolean {
  return DIGEST_TAIL.exec(baseName(s3Object))?.[2] !== undefined;
}

/** The region a digest covers, from its key (`…/CloudTrail-Digest/<region>/…`). */
export function digestRegion(s3Object: string): string | null {
  return /CloudTrail-Digest\/([a-z0-9-]+)\//.exec(s3Object)?.[1] ?? null;
}

/**
 * The identity of the chain a digest belongs to: bucket, folder up to the region, and the file name
 * without its end timestamp (account, region, trail name and home region). Digests of one trail in
 * one region share it; CloudTrail chains each such series separately.
 */
export function digestChainKey(bucket: string, s3Object: string): string {
  const name = baseName(s3Object).replace(DIGEST_TAIL, '');
  const folder = /^(.*CloudTrail-Digest\/[^/]+)\//.exec(s3Object)?.[1] ?? '';
  // Backfill digests chain to one another, apart from the hourly chain (aws-cli traverses them as a
  // second chain: "(backfill) Digest file …").
  return `${bucket}/${folder}/${name}${isBackfillDigest(s3Object) ? ' (backfill)' : ''}`;
}
