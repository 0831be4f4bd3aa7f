// The date in log-bucket key layouts, so a pull lists only the days asked for (pure; no network).
//   server access logs, simple:          <prefix>YYYY-MM-DD-HH-MM-SS-<unique>
//   server access logs, date-partitioned: <prefix><acct>/<region>/<bucket>/YYYY/MM/DD/YYYY-MM-DD-HH-MM-SS-<unique>
//   CloudTrail:                           <prefix>AWSLogs/[<org-id>/]<acct>/CloudTrail[-Digest]/<region>/YYYY/MM/DD/<file>

export const SIMPLE_ACCESS_LOG_NAME = /^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-Za-z]+$/;
/** Past every simple access-log name of this century: listing resumes after them at one level. */
export const AFTER_SIMPLE_NAMES = '2099-12-31-23-59-59-~';
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const ACCOUNT = /^\d{12}$/;
const ORG = /^o-[a-z0-9]{10,32}$/;

/** UTC days from `from`'s day to `to`'s day plus `slackDays` (late deliveries land in the next day's folder). */
export function daysBetween(from: Date, to: Date, slackDays = 1): Date[] {
  const days: Date[] = [];
  const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const end = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate()) + slackDays * 86400_000;
  for (let t = start; t <= end; t += 86400_000) days.push(new Date(t));
  if (days.length > 3700) throw new Error(`the range covers ${days.length} days; ask for at most ten years at a time`);
  return days;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const dashedDay = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
export const slashedDay = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;

export type Segment = 'AWSLogs' | 'account' | 'org' | 'cloudtrail' | 'region' | 'year' | 'other';

/** What a folder name in a log layout is. */
export function classifySegment(name: string): Segment {
  if (name === 'AWSLogs') return 'AWSLogs';
  if (ACCOUNT.test(name)) return 'account';
  if (ORG.test(name)) return 'org';
  if (name === 'CloudTrail' || name === 'CloudTrail-Digest') return 'cloudtrail';
  if (REGION.test(name)) return 'region';
  if (/^\d{4}$/.test(name)) return 'year';
  return 'other';
}

/** Whether to descend into folder `seg`, given the folder kinds walked so far (the pull's own prefix included). */
export function descend(path: Segment[], seg: Segment, regions: string[] | null, name: string): boolean {
  const parent = path[path.length - 1];
  const top = path.length === 0 || (path.length === 1 && parent === 'other');
  switch (seg) {
    case 'AWSLogs': return top;
    case 'org': return parent === 'AWSLogs';
    case 'account': return top || parent === 'AWSLogs' || parent === 'org';
    case 'cloudtrail': return parent === 'account' && path.includes('AWSLogs');
    case 'region': return (parent === 'cloudtrail' || (parent === 'account' && !path.includes('AWSLogs'))) && (!regions || regions.includes(name));
    // A log folder at the bucket's top (access/, logs/), or the source bucket's folder in the
    // date-partitioned access-log layout.
    case 'other': return path.length === 0 || (parent === 'region' && !path.includes('AWSLogs'));
    default: return false;
  }
}

/** The folder kinds of a pull's own prefix (`AWSLogs/123456789012/` → AWSLogs, account). */
export function segmentsOf(prefix: string): Segment[] {
  return prefix.split('/').slice(0, -1).filter(Boolean).map(classifySegment);
}

export type LogKind = 'access-log' | 'cloudtrail' | 'cloudtrail-digest';

export function logKindOf(key: string): LogKind {
  if (/(^|\/)CloudTrail-Digest\//.test(key)) return 'cloudtrail-digest';
  if (/(^|\/)AWSLogs\/.*\/CloudTrail\//.test(key)) return 'cloudtrail';
  return 'access-log';
}

/** The region folder of a CloudTrail key (`…/CloudTrail-Digest/<region>/YYYY/…`). */
export function cloudTrailRegionOf(key: string): string | null {
  const m = /\/CloudTrail(?:-Digest)?\/([^/]+)\/\d{4}\//.exec(key);
  return m ? m[1] : null;
}

/** A local path for an S3 key that cannot climb out of its folder or trip Windows. */
export function safeRelativePath(key: string): string {
  return key.split('/').map((seg) => {
    if (seg === '' || seg === '.' || seg === '..') return encodeURIComponent(seg).replace(/\./g, '%2E') || '%20';
    return seg.replace(/[<>:"\\|?*\x00-\x1f%]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
  }).join('/');
}

/** `s3://bucket/prefix` → parts; the bucket name is checked against S3's rules. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`"${uri}" is not an s3://bucket/prefix URI`);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(m[1])) throw new Error(`"${m[1]}" is not a valid S3 bucket name`);
  return { bucket: m[1], prefix: m[2] };
}
