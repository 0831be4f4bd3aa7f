// A log bucket as AWS fills it: simple and date-partitioned S3 server access logs, gzipped CloudTrail
// trail files and digest files (with their signature in x-amz-meta-*), over several days.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { cloudTrailRecord } from './records';
import type { StandinObject } from './s3';

const pad = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ymd = (d: Date, sep: string) => `${d.getUTCFullYear()}${sep}${pad(d.getUTCMonth() + 1)}${sep}${pad(d.getUTCDate())}`;
const accessTime = (d: Date) => `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
const stamp = (d: Date) => `${ymd(d, '-')}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}`;

export const ACCOUNT = '111122223333';
export const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

/** One modern access-log line: an anonymous (or named) GET of a backup object. */
export function accessLogLine(t: Date, n: number, key = `db/dump-${n}.sql.gz`, status = 200): string {
  const req = `ACC${String(n).padStart(13, '0')}`;
  return `${OWNER} acme-backups [${accessTime(t)}] 203.0.113.${(n % 200) + 1} - ${req} REST.GET.OBJECT ${key} "GET /acme-backups/${key} HTTP/1.1" ${status} - 1048576 1048576 70 10 "-" "curl/8.5.0" - hostid${n}= SigV4 ECDHE-RSA-AES128-GCM-SHA256 QueryString acme-backups.s3.us-east-1.amazonaws.com TLSv1.2 - -`;
}

export interface LogDay { day: Date; accessLines: number; trailRecords: number }

/** Objects for `acme-logs`: per day, one simple access-log file, one date-partitioned file, one trail file and one digest. */
export function logBucket(days: LogDay[]): StandinObject[] {
  const objects: StandinObject[] = [];
  let n = 0;
  for (const { day, accessLines, trailRecords } of days) {
    const t = new Date(day.getTime() + 10 * 3600_000);
    const lines = Array.from({ length: accessLines }, (_, i) => accessLogLine(new Date(t.getTime() + i * 1000), n++));
    objects.push({ key: `access/${stamp(t)}-0A1B2C3D4E5F6071`, body: Buffer.from(`${lines.join('\n')}\n`), lastModified: new Date(t.getTime() + 3600_000), versionId: `v-acc-${n}` });
    const plines = Array.from({ length: accessLines }, (_, i) => accessLogLine(new Date(t.getTime() + 60_000 + i * 1000), n++));
    objects.push({ key: `partitioned/${ACCOUNT}/us-east-1/acme-backups/${ymd(day, '/')}/${stamp(t)}-9F8E7D6C5B4A3921`, body: Buffer.from(`${plines.join('\n')}\n`), lastModified: new Date(t.getTime() + 3600_000) });
    const records = Array.from({ length: trailRecords }, (_, i) => cloudTrailRecord({ time: new Date(t.getTime() + i * 1000), anonymous: i % 2 === 0 }, n++));
    const trailName = `${ACCOUNT}_CloudTrail_us-east-1_${ymd(t, '')}T${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}Z_AbCdEfGh12345678.json.gz`;
    const trailKey = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/${ymd(day, '/')}/${trailName}`;
    const trailJson = JSON.stringify({ Records: records });
    objects.push({ key: trailKey, body: gzipSync(trailJson), lastModified: new Date(t.getTime() + 600_000) });
    const digestEnd = new Date(t.getTime() + 3600_000);
    const digest = {
      awsAccountId: ACCOUNT, digestStartTime: t.toISOString().replace(/\.\d+Z$/, 'Z'), digestEndTime: digestEnd.toISOString().replace(/\.\d+Z$/, 'Z'),
      digestS3Bucket: 'acme-logs', digestS3Object: '', digestPublicKeyFingerprint: '1c6d34eb3fd1e2b2b3a6c1a5e5a0b4e9', digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: null, oldestEventTime: null, previousDigestS3Bucket: null, previousDigestS3Object: null, previousDigestHashValue: null, previousDigestHashAlgorithm: null, previousDigestSignature: null,
      logFiles: [{ s3Bucket: 'acme-logs', s3Object: trailKey, hashValue: createHash('sha256').update(trailJson).digest('hex'), hashAlgorithm: 'SHA-256', newestEventTime: t.toISOString(), oldestEventTime: t.toISOString() }],
    };
    const digestKey = `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/${ymd(day, '/')}/${ACCOUNT}_CloudTrail-Digest_us-east-1_management_us-east-1_${ymd(digestEnd, '')}T${pad(digestEnd.getUTCHours())}0000Z.json.gz`;
    digest.digestS3Object = digestKey;
    objects.push({
      key: digestKey, body: gzipSync(JSON.stringify(digest)), lastModified: digestEnd,
      metadata: { signature: createHash('sha512').update(digestKey).digest('hex'), 'signature-algorithm': 'SHA256withRSA' },
    });
  }
  return objects;
}
