// Generated evidence for report tests: S3 server access log lines and CloudTrail bucket-ACL changes
// written as real files, then imported through the real import path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Get {
  time: number; ip: string; requester?: string; bucket?: string; key: string; status?: number; bytes: number; size: number; ua: string; id: string;
}

export const BUCKET = 'acme-backups-prod';
const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function logTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `[${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000]`;
}

export function accessLogLine(g: Get): string {
  const bucket = g.bucket ?? BUCKET;
  const enc = g.key.split('/').map(encodeURIComponent).join('/');
  const auth = g.requester ? 'AuthHeader' : '-';
  return `${OWNER} ${bucket} ${logTime(g.time)} ${g.ip} ${g.requester ?? '-'} ${g.id} REST.GET.OBJECT ${enc} "GET /${bucket}/${enc} HTTP/1.1" ` +
    `${g.status ?? 200} - ${g.bytes} ${g.size} 812 40 "-" "${g.ua}" - hostid${g.id}= SigV4 ECDHE-RSA-AES128-GCM-SHA256 ${auth} ` +
    `${bucket}.s3.amazonaws.com TLSv1.2 - -`;
}

export function aclChange(time: number, acl: 'public-read' | 'private', eventId: string, bucket = BUCKET): object {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::111122223333:user/ops-admin', accountId: '111122223333', userName: 'ops-admin' },
    eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 's3.amazonaws.com', eventName: 'PutBucketAcl', awsRegion: 'eu-west-1', sourceIPAddress: '10.1.2.3',
    userAgent: '[aws-cli/1.11.13 Python/2.7.12]',
    requestParameters: { bucketName: bucket, Host: `${bucket}.s3.eu-west-1.amazonaws.com`, acl: '', 'x-amz-acl': acl },
    responseElements: null, requestID: `REQ${eventId}`, eventID: eventId, readOnly: false, eventType: 'AwsApiCall',
    managementEvent: true, recipientAccountId: '111122223333', eventCategory: 'Management',
  };
}

export const T0 = Date.UTC(2017, 7, 11, 9, 15, 0);
export const T1 = Date.UTC(2017, 7, 17, 20, 41, 0);
export const HOSTILE_UA = '<script>alert("ua")</script> Mozilla/5.0';
export const FORMULA_UA = "=cmd|' /C calc'!A0";
export const HOSTILE_KEY = 'reports/<img src=x onerror=alert(1)>.csv';

/** The story of the report's example: a backup bucket made public for six days, read by strangers. */
export function smallCaseGets(): Get[] {
  const h = 3600e3;
  return [
    { time: T0 - 48 * h, ip: '10.20.30.40', requester: 'arn:aws:iam::111122223333:user/backup-operator', key: 'db/prod-2017-08-09.sql.gz', bytes: 845_100_000, size: 845_100_000, ua: 'aws-cli/1.11.13', id: 'A0000000000001' },
    { time: T0 + 2 * h, ip: '203.0.113.7', key: 'db/prod-2017-08-10.sql.gz', bytes: 851_300_000, size: 851_300_000, ua: 'curl/7.54.0', id: 'B0000000000001' },
    { time: T0 + 2 * h + 60e3, ip: '203.0.113.7', key: 'db/prod-2017-08-09.sql.gz', bytes: 12_000_000, size: 845_100_000, ua: 'curl/7.54.0', id: 'B0000000000002' },
    { time: T0 + 30 * h, ip: '198.51.100.23', key: 'backups/customers.tar.gz', bytes: 455_112_200, size: 455_112_200, ua: HOSTILE_UA, id: 'C0000000000001' },
    { time: T0 + 30 * h + 5e3, ip: '198.51.100.23', key: HOSTILE_KEY, bytes: 20_480, size: 20_480, ua: HOSTILE_UA, id: 'C0000000000002' },
    { time: T0 + 70 * h, ip: '192.0.2.44', key: 'backups/payroll-2017.bak', status: 206, bytes: 1_048_576, size: 96_000_000, ua: FORMULA_UA, id: 'D0000000000001' },
    { time: T0 + 71 * h, ip: '192.0.2.44', key: 'backups/payroll-2017.bak', status: 206, bytes: 1_048_576, size: 96_000_000, ua: FORMULA_UA, id: 'D0000000000002' },
    { time: T1 + 5 * h, ip: '10.20.30.40', requester: 'arn:aws:iam::111122223333:user/backup-operator', key: 'db/prod-2017-08-10.sql.gz', bytes: 851_300_000, size: 851_300_000, ua: 'aws-cli/1.11.13', id: 'A0000000000002' },
  ];
}

/** Writes the small case's evidence into dir; returns the file paths. */
export function writeSmallCase(dir: string): { accessLog: string; trail: string } {
  mkdirSync(dir, { recursive: true });
  const accessLog = join(dir, 'access-2017-08.log');
  const lines = smallCaseGets().map(accessLogLine);
  lines.splice(3, 0, 'this line is not an access log record');
  writeFileSync(accessLog, `${lines.join('\n')}\n`);
  const trail = join(dir, '111122223333_CloudTrail_eu-west-1_20170811T0915Z.json');
  writeFileSync(trail, JSON.stringify({ Records: [aclChange(T0, 'public-read', 'e0a1b2c3-0000-4000-8000-000000000001'), aclChange(T1, 'private', 'e0a1b2c3-0000-4000-8000-000000000002')] }));
  return { accessLog, trail };
}

/** n anonymous downloads spread over the exposure window from `parties` addresses. */
export function largeCaseLines(n: number, parties = 40): string[] {
  const keys = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? `backups/host-${i}.tar.gz` : `public/assets/img-${i}.png`));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const party = (i * 7919) % parties;
    const key = keys[(i * 31) % keys.length];
    const size = key.endsWith('.gz') ? 50_000_000 + ((i * 13) % 97) * 1_000_000 : 40_000 + (i % 50) * 1000;
    const partial = i % 11 === 0;
    out.push(accessLogLine({
      time: T0 + Math.floor((i / n) * (T1 - T0)), ip: `198.18.${Math.floor(party / 250)}.${(party % 250) + 1}`, key,
      status: partial ? 206 : 200, bytes: partial ? Math.floor(size / 4) : size, size, ua: `python-requests/2.${party % 30}.0`, id: `L${String(i).padStart(13, '0')}`,
    }));
  }
  return out;
}

/** A CloudTrail GetObject data event; without `bytes` it carries no bytesTransferredOut (bytes unknown). */
export function getObjectEvent(time: number, key: string, eventId: string, o: { ip?: string; anonymous?: boolean; bytes?: number; bucket?: string } = {}): object {
  const bucket = o.bucket ?? BUCKET;
  return {
    eventVersion: '1.08',
    userIdentity: o.anonymous
      ? { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' }
      : { type: 'IAMUser', principalId: 'AIDACTONLY', arn: 'arn:aws:iam::111122223333:user/ct-reader', accountId: '111122223333', userName: 'ct-reader' },
    eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'eu-west-1', sourceIPAddress: o.ip ?? '10.9.8.7',
    userAgent: '[aws-sdk-go/1.44.0]',
    requestParameters: { bucketName: bucket, Host: `${bucket}.s3.eu-west-1.amazonaws.com`, key },
    responseElements: null, additionalEventData: o.bytes === undefined ? { SignatureVersion: 'SigV4' } : { bytesTransferredOut: o.bytes },
    requestID: `CT${eventId}`, eventID: `ct-${eventId}`, readOnly: true, eventType: 'AwsApiCall', managementEvent: false,
    recipientAccountId: '111122223333', eventCategory: 'Data',
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }],
  };
}

export const LATER_BUCKET = 'acme-media-2017';
export const OLD_BUCKET = 'acme-archive-2010';
export const OLD_TIME = Date.UTC(2010, 2, 3, 12, 0, 0);

/**
 * The boundary story: the small case, plus a download in the very second the bucket was made public
 * and one in the very second it was closed (order within the second unknown), two CloudTrail-only
 * downloads that logged no bytes, and two unrelated buckets: one read in 2010, one already public
 * when its own (2017) evidence starts.
 */
export function writeBoundaryCase(dir: string): { accessLog: string; trail: string; oldLog: string } {
  mkdirSync(dir, { recursive: true });
  const h = 3600e3;
  const gets = [
    ...smallCaseGets(),
    { time: T0, ip: '198.51.100.99', key: 'db/edge-open.sql.gz', bytes: 1000, size: 1000, ua: 'curl/8.0', id: 'E0000000000001' },
    { time: T1, ip: '198.51.100.99', key: 'db/edge-close.sql.gz', bytes: 2000, size: 2000, ua: 'curl/8.0', id: 'E0000000000002' },
    { time: T0 + 10 * h, ip: '203.0.113.50', bucket: LATER_BUCKET, key: 'video/launch.mp4', bytes: 3000, size: 3000, ua: 'wget/1.21', id: 'F0000000000001' },
    { time: T0 + 20 * h, ip: '203.0.113.50', bucket: LATER_BUCKET, key: 'video/launch.mp4', bytes: 3000, size: 3000, ua: 'wget/1.21', id: 'F0000000000002' },
  ];
  const accessLog = join(dir, 'access-2017-08.log');
  writeFileSync(accessLog, `${gets.map(accessLogLine).join('\n')}\n`);
  const oldLog = join(dir, 'access-2010-03.log');
  writeFileSync(oldLog, `${accessLogLine({ time: OLD_TIME, ip: '10.0.0.9', requester: 'arn:aws:iam::111122223333:user/archivist', bucket: OLD_BUCKET, key: 'ledger-2009.csv', bytes: 500, size: 500, ua: 'aws-cli/1.0', id: 'G0000000000001' })}\n`);
  const trail = join(dir, '111122223333_CloudTrail_eu-west-1_20170811T0915Z.json');
  writeFileSync(trail, JSON.stringify({ Records: [
    aclChange(T0, 'public-read', 'e0a1b2c3-0000-4000-8000-000000000001'), aclChange(T1, 'private', 'e0a1b2c3-0000-4000-8000-000000000002'),
    getObjectEvent(T0 + 3 * h, 'db/ct-only-1.sql.gz', '0001'), getObjectEvent(T0 + 4 * h, 'db/ct-only-2.sql.gz', '0002'),
  ] }));
  return { accessLog, trail, oldLog };
}
