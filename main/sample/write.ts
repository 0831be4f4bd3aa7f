// Writes the sample scenario as evidence files laid out the way AWS delivers them:
//   AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz
//   s3-access-logs/<bucket>/YYYY-mm-DD-HH-MM-SS-<UNIQUE>   (server access logs, one batch per file)
//   listing/<bucket>.list-objects-v2.json                 (`aws s3api list-objects-v2` output, with Name)
// Deterministic: the same seed writes the same bytes (gzip with no timestamp).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ACCOUNT, BUCKET, buildScenario, LOG_BUCKET, OWNER_CANONICAL, REGION, type ManagementCall, type Principal, type S3Request, type Scenario } from './scenario';
import { Random } from './random';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoSec = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function accessLogTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

function userIdentity(p: Principal | null): object {
  if (!p) return { type: 'AWSAccount', principalId: '', accountId: 'ANONYMOUS_PRINCIPAL' };
  const base = { type: p.type, principalId: p.principalId, arn: p.arn, accountId: ACCOUNT, accessKeyId: p.accessKeyId };
  if (p.type === 'IAMUser') return { ...base, userName: p.userName };
  return {
    ...base,
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: p.issuer!.principalId, arn: p.issuer!.arn, accountId: ACCOUNT, userName: p.issuer!.userName },
      attributes: { creationDate: '2024-03-04T10:12:03Z', mfaAuthenticated: 'false' },
    },
  };
}

const CT_NAMES: Record<S3Request['operation'], string> = {
  'REST.GET.OBJECT': 'GetObject', 'REST.HEAD.OBJECT': 'HeadObject', 'REST.PUT.OBJECT': 'PutObject', 'REST.GET.BUCKET': 'ListObjects',
};

function dataEvent(q: S3Request): object {
  const rp: Record<string, unknown> = { bucketName: BUCKET, Host: `${BUCKET}.s3.${REGION}.amazonaws.com` };
  if (q.key) rp.key = q.key;
  if (q.range) rp.Range = q.range;
  const resources: object[] = q.key
    ? [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${BUCKET}/${q.key}` }, { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` }]
    : [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` }];
  return {
    eventVersion: '1.10', userIdentity: userIdentity(q.principal), eventTime: isoSec(q.time), eventSource: 's3.amazonaws.com',
    eventName: CT_NAMES[q.operation], awsRegion: REGION, sourceIPAddress: q.ip, userAgent: q.userAgent,
    ...(q.errorCode ? { errorCode: q.errorCode, errorMessage: 'Access Denied' } : {}),
    requestParameters: rp, responseElements: null,
    additionalEventData: {
      ...(q.principal ? { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader' } : {}),
      CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, 'x-amz-id-2': q.hostId,
      bytesTransferredOut: q.operation === 'REST.PUT.OBJECT' ? 0 : (q.bytesSent ?? 0),
    },
    requestID: q.requestId, eventID: q.eventId, readOnly: q.operation !== 'REST.PUT.OBJECT', resources, eventType: 'AwsApiCall',
    managementEvent: false, recipientAccountId: ACCOUNT, eventCategory: 'Data',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${BUCKET}.s3.${REGION}.amazonaws.com` },
  };
}

function managementEvent(m: ManagementCall): object {
  const s3 = m.eventSource === 's3.amazonaws.com';
  return {
    eventVersion: '1.09', userIdentity: userIdentity(m.principal), eventTime: isoSec(m.time), eventSource: m.eventSource, eventName: m.eventName,
    awsRegion: REGION, sourceIPAddress: m.ip, userAgent: m.userAgent, requestParameters: m.requestParameters, responseElements: m.responseElements,
    ...(s3 ? { additionalEventData: { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': m.hostId, bytesTransferredOut: 0 } } : {}),
    requestID: m.requestId, eventID: m.eventId, readOnly: false,
    ...(s3 ? { resources: [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` }] } : {}),
    eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: ACCOUNT, eventCategory: 'Management',
  };
}

function accessLogLine(q: {
  time: number; ip: string; principal: Principal | null; requestId: string; operation: string; key: string | null; uri: string; status: number;
  errorCode: string | null; bytesSent: number | null; objectSize: number | null; totalTime: number; turnAround: number; userAgent: string; hostId: string;
}): string {
  const dash = (v: string | number | null) => (v === null ? '-' : String(v));
  const auth = q.principal ? 'SigV4 TLS_AES_128_GCM_SHA256 AuthHeader' : '- TLS_AES_128_GCM_SHA256 -';
  return [
    OWNER_CANONICAL, BUCKET, `[${accessLogTime(q.time)}]`, q.ip, q.principal ? q.principal.arn : '-', q.requestId, q.operation,
    q.key === null ? '-' : encodeURIComponent(q.key).replace(/%2F/g, '/'), `"${q.uri}"`, q.status, dash(q.errorCode), dash(q.bytesSent), dash(q.objectSize),
    q.totalTime, dash(q.turnAround), '"-"', `"${q.userAgent}"`, '-', q.hostId, auth, `${BUCKET}.s3.${REGION}.amazonaws.com`, 'TLSv1.3', '-', q.principal ? '-' : 'Yes',
  ].join(' ');
}

function s3Line(q: S3Request): string {
  const method = q.operation === 'REST.PUT.OBJECT' ? 'PUT' : q.operation === 'REST.HEAD.OBJECT' ? 'HEAD' : 'GET';
  const path = q.key ? `/${BUCKET}/${encodeURIComponent(q.key).replace(/%2F/g, '/')}` : `/${BUCKET}?list-type=2`;
  const seconds = q.bytesSent ? Math.max(1, Math.round(q.bytesSent / (12 * 1024 * 1024))) : 0;
  return accessLogLine({
    time: q.time, ip: q.ip, principal: q.principal, requestId: q.requestId, operation: q.operation, key: q.key, uri: `${method} ${path} HTTP/1.1`,
    status: q.status, errorCode: q.errorCode, bytesSent: q.operation === 'REST.PUT.OBJECT' || q.operation === 'REST.HEAD.OBJECT' ? null : q.bytesSent,
    objectSize: q.objectSize, totalTime: seconds * 1000 + q.turnAround, turnAround: q.turnAround, userAgent: q.userAgent, hostId: q.hostId,
  });
}

function managementLine(m: ManagementCall): string {
  const sub = m.accessLogOperation!.split('.').slice(2).join('_').toLowerCase().replace('bucketpolicy', 'policy').replace('acl', 'acl');
  return accessLogLine({
    time: m.time, ip: m.ip, principal: m.principal, requestId: m.requestId, operation: m.accessLogOperation!, key: null,
    uri: `${m.accessLogOperation!.split('.')[1]} /${BUCKET}?${sub} HTTP/1.1`, status: m.accessLogOperation!.includes('DELETE') ? 204 : 200,
    errorCode: null, bytesSent: null, objectSize: null, totalTime: 40, turnAround: 30, userAgent: m.userAgent, hostId: m.hostId,
  });
}

export interface SampleSummary { dir: string; files: string[]; cloudTrailRecords: number; accessLogLines: number; listingObjects: number }

export function writeSample(outDir: string, seed = 20240305, scenario: Scenario = buildScenario(seed)): SampleSummary {
  const r = new Random(seed ^ 0x5eed);
  const files: string[] = [];
  const write = (rel: string, data: string | Buffer) => {
    const path = join(outDir, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, data);
    files.push(rel);
  };

  // CloudTrail: records batched into 5-minute delivery files, named for the batch's end.
  const records = [
    ...scenario.requests.map((q) => ({ time: q.time, rec: dataEvent(q) })),
    ...scenario.management.map((m) => ({ time: m.time, rec: managementEvent(m) })),
  ].sort((a, b) => a.time - b.time);
  const batches = new Map<number, object[]>();
  for (const x of records) {
    const end = Math.floor(x.time / 300_000) * 300_000 + 300_000;
    const list = batches.get(end) ?? [];
    list.push(x.rec);
    batches.set(end, list);
  }
  for (const [end, recs] of batches) {
    const d = new Date(end);
    const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
    const dir = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
    write(`${dir}/${ACCOUNT}_CloudTrail_${REGION}_${stamp}_${r.chars(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}.json.gz`,
      gzipSync(Buffer.from(JSON.stringify({ Records: recs }))));
  }

  // Access logs: one file per hour of activity, delivered a few minutes later; none for the gap hours.
  const lines = [
    ...scenario.requests.map((q) => ({ time: q.time, line: s3Line(q) })),
    ...scenario.management.filter((m) => m.accessLogOperation).map((m) => ({ time: m.time, line: managementLine(m) })),
  ].sort((a, b) => a.time - b.time);
  const hours = new Map<number, string[]>();
  let accessLogLines = 0;
  for (const x of lines) {
    if (x.time >= scenario.accessLogGap[0] && x.time < scenario.accessLogGap[1]) continue;
    const h = Math.floor(x.time / 3_600_000);
    const list = hours.get(h) ?? [];
    list.push(x.line);
    hours.set(h, list);
    accessLogLines++;
  }
  for (const [h, hourLines] of hours) {
    const d = new Date(h * 3_600_000 + 3_600_000 + r.int(60, 1_500) * 1000);
    const name = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}-${r.chars(16, '0123456789ABCDEF')}`;
    write(`s3-access-logs/${LOG_BUCKET}/${BUCKET}/${name}`, `${hourLines.join('\n')}\n`);
  }

  // The listing an investigator took after the fix.
  const listing = {
    Name: BUCKET,
    Contents: scenario.objects.filter((o) => o.lastModified <= scenario.listingTime).sort((a, b) => (a.key < b.key ? -1 : 1)).map((o) => ({
      Key: o.key, LastModified: new Date(o.lastModified).toISOString().replace('.000Z', '+00:00'), ETag: `"${r.chars(32, '0123456789abcdef')}"`,
      Size: o.size, StorageClass: 'STANDARD',
    })),
    RequestCharged: null,
  };
  write(`listing/${BUCKET}.list-objects-v2.json`, `${JSON.stringify(listing, null, 4)}\n`);
  return { dir: outDir, files, cloudTrailRecords: records.length, accessLogLines, listingObjects: listing.Contents.length };
}
