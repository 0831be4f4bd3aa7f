// Constructed evidence for tests and benchmarks: S3 access-log lines and CloudTrail records of the
// same requests, shaped as AWS writes them. Generated, never real people's data.
import { gzipSync } from 'node:zlib';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
export const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

export function accessLogTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

export interface Request {
  time: number; bucket: string; key: string; ip: string; requester?: string | null; requestId: string; hostId: string;
  operation?: string; status?: number; bytesSent?: number; objectSize?: number; userAgent?: string;
}

export function accessLogLine(r: Request): string {
  const op = r.operation ?? 'REST.GET.OBJECT';
  const encoded = encodeURIComponent(r.key).replace(/%2F/g, '/');
  return [
    OWNER, r.bucket, `[${accessLogTime(r.time)}]`, r.ip, r.requester ?? '-', r.requestId, op, encoded,
    `"GET /${r.bucket}/${encoded} HTTP/1.1"`, String(r.status ?? 200), '-', String(r.bytesSent ?? '-'), String(r.objectSize ?? '-'),
    '41', '12', '"-"', `"${r.userAgent ?? 'curl/8.4.0'}"`, '-', r.hostId, 'SigV4', 'ECDHE-RSA-AES128-GCM-SHA256', '-',
    `${r.bucket}.s3.us-east-1.amazonaws.com`, 'TLSv1.2', '-', '-',
  ].join(' ');
}

export function cloudTrailGetObject(r: Request & { eventId: string; account?: string }): object {
  const anonymous = !r.requester;
  return {
    eventVersion: '1.09',
    userIdentity: anonymous
      ? { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' }
      : { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: r.requester, accountId: r.account ?? '111122223333', accessKeyId: 'AKIAEXAMPLE', userName: r.requester!.split('/').pop() },
    eventTime: new Date(r.time).toISOString().replace('.000Z', 'Z'),
    eventSource: 's3.amazonaws.com',
    eventName: 'GetObject',
    awsRegion: 'us-east-1',
    sourceIPAddress: r.ip,
    userAgent: r.userAgent ?? 'curl/8.4.0',
    requestParameters: { bucketName: r.bucket, Host: `${r.bucket}.s3.us-east-1.amazonaws.com`, key: r.key },
    responseElements: null,
    additionalEventData: {
      SignatureVersion: 'SigV4', CipherSuite: 'ECDHE-RSA-AES128-GCM-SHA256', bytesTransferredIn: 0,
      AuthenticationMethod: anonymous ? undefined : 'AuthHeader', 'x-amz-id-2': r.hostId, bytesTransferredOut: r.bytesSent ?? 0,
    },
    requestID: r.requestId,
    eventID: r.eventId,
    readOnly: true,
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${r.bucket}/${r.key}` }, { accountId: '111122223333', type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${r.bucket}` }],
    eventType: 'AwsApiCall',
    managementEvent: false,
    recipientAccountId: '111122223333',
    eventCategory: 'Data',
  };
}

export function trailFileText(records: object[]): string {
  return `{"Records":[${records.map((r) => JSON.stringify(r)).join(',')}]}`;
}

export function gzipTrailFile(records: object[]): Buffer {
  return gzipSync(trailFileText(records));
}

/** Deterministic pseudo-random numbers (mulberry32), so generated evidence is the same every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hexId(rand: () => number, length: number): string {
  let s = '';
  while (s.length < length) s += Math.floor(rand() * 0x100000000).toString(16).toUpperCase().padStart(8, '0');
  return s.slice(0, length);
}
