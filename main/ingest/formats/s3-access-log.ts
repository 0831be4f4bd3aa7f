// S3 server access logs, the space-separated text format S3 delivers to a log bucket.
// Fields, in documented order: bucket owner, bucket, [time], remote IP, requester, request ID, operation,
// key, "request-URI", status, error code, bytes sent, object size, total time, turn-around time,
// "referer", "user-agent", version ID, host ID, signature version, cipher suite, authentication type,
// host header, TLS version, access point ARN, aclRequired — and whatever S3 adds later (kept in raw).
import type { NormalizedEvent } from '../../../shared/events';
import { classifyRequester } from '../actors';
import { classifyS3 } from '../kinds';
import { decodeKey, excerpt, intOrNull, orNull } from '../text';
import { reject, type LineFormat, type RecordResult } from './types';

/** Lines from 2010 stop after the user agent and version ID; anything shorter is truncated. */
const MIN_FIELDS = 17;

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/**
 * Splits a line into fields. Quoted fields end at a quote followed by a space or the end of the line,
 * because S3 does not escape quotes inside them (a referer can end in `""`). Returns a reason on failure.
 */
export function tokenize(line: string, out: string[]): string | null {
  out.length = 0;
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32) { i++; continue; }
    if (c === 91 /* [ */) {
      const j = line.indexOf(']', i);
      if (j === -1) return 'unterminated [time] field';
      out.push(line.slice(i + 1, j));
      i = j + 1;
    } else if (c === 34 /* " */) {
      let j = line.indexOf('"', i + 1);
      while (j !== -1 && j + 1 < n && line.charCodeAt(j + 1) !== 32) j = line.indexOf('"', j + 1);
      if (j === -1) return `unterminated quoted field ${out.length + 1}`;
      out.push(line.slice(i + 1, j));
      i = j + 1;
    } else {
      let j = line.indexOf(' ', i);
      if (j === -1) j = n;
      out.push(line.slice(i, j));
      i = j;
    }
  }
  return null;
}

const two = (s: string, at: number) => (s.charCodeAt(at) - 48) * 10 + (s.charCodeAt(at + 1) - 48);

/** `06/Feb/2019:00:00:38 +0000` → epoch ms, honouring the offset; NaN when malformed. */
export function parseAccessLogTime(s: string): number {
  if (s.length !== 26 || s[2] !== '/' || s[6] !== '/' || s[11] !== ':' || s[20] !== ' ') return NaN;
  const month = MONTHS[s.slice(3, 6)];
  if (month === undefined) return NaN;
  const day = two(s, 0);
  const year = two(s, 7) * 100 + two(s, 9);
  const h = two(s, 12), m = two(s, 15), sec = two(s, 18);
  const sign = s[21] === '-' ? -1 : s[21] === '+' ? 1 : NaN;
  const offset = sign * (two(s, 22) * 60 + two(s, 24));
  if (![day, year, h, m, sec, offset].every(Number.isFinite) || day < 1 || day > 31 || h > 23 || m > 59 || sec > 60) return NaN;
  return Date.UTC(year, month, day, h, m, sec) - offset * 60_000;
}

const fields: string[] = [];

export function parseAccessLogLine(line: string, locator: number): RecordResult {
  if (line.length === 0 || line.trim().length === 0) return null;
  const problem = tokenize(line, fields);
  if (problem) return reject(problem);
  if (fields.length < MIN_FIELDS) return reject(`only ${fields.length} fields; an S3 access log line has at least ${MIN_FIELDS}`);
  const time = parseAccessLogTime(fields[2]);
  if (Number.isNaN(time)) return reject(`time "${excerpt(fields[2], 40)}" is not [dd/Mon/yyyy:HH:MM:SS +zzzz]`);
  const status = intOrNull(fields[9]);
  if (status === undefined) return reject(`HTTP status "${excerpt(fields[9], 20)}" is not a number`);
  // The documented meaning of '-' in Bytes Sent is zero.
  const bytesSent = fields[11] === '-' ? 0 : intOrNull(fields[11]);
  if (bytesSent === undefined) return reject(`bytes sent "${excerpt(fields[11], 20)}" is not a number`);
  const objectSize = intOrNull(fields[12]);
  if (objectSize === undefined) return reject(`object size "${excerpt(fields[12], 20)}" is not a number`);
  const key = orNull(fields[7]);
  return accessLogEvent({
    time, operation: fields[6], status, requester: orNull(fields[4]), sourceIp: orNull(fields[3]), userAgent: orNull(fields[16]),
    bucket: orNull(fields[1]), key: key === null ? null : decodeKey(key), errorCode: orNull(fields[10]), bytesSent, objectSize,
    requestId: orNull(fields[5]), hostId: orNull(fields[18]), requestUri: orNull(fields[8]), locator, raw: line,
  });
}

export interface AccessLogFields {
  time: number; operation: string; status: number | null; requester: string | null; sourceIp: string | null; userAgent: string | null;
  bucket: string | null; key: string | null; errorCode: string | null; bytesSent: number | null; objectSize: number | null;
  requestId: string | null; hostId: string | null; locator: number; raw: string;
  /** The Request-URI field ("GET /bucket/key?… HTTP/1.1"): a presigned URL names its signing key there. */
  requestUri?: string | null;
}

// A presigned URL carries the signer's access key in its query: SigV2 `AWSAccessKeyId=AKIA…`, SigV4
// `X-Amz-Credential=AKIA…/date/region/s3/aws4_request` (the slash often percent-encoded).
const SIGNING_KEY = /[?&](?:AWSAccessKeyId=|X-Amz-Credential=)([A-Z0-9]{16,128})(?=&|%2F|\/|\s|$)/i;

/** The access key that signed a presigned request, from its Request-URI; null for any other request. */
export function signingKeyOf(uri: string | null | undefined): string | null {
  if (!uri || !uri.includes('?')) return null;
  return SIGNING_KEY.exec(uri)?.[1] ?? null;
}

/** The normalized event of one access-log record, whichever form (text or JSON) it came in. */
export function accessLogEvent(f: AccessLogFields): NormalizedEvent {
  const who = classifyRequester(f.requester);
  return {
    time: f.time, source: 's3-access-log', action: f.operation, kind: classifyS3(f.operation, f.status),
    actor: who.actor, actorType: who.actorType, accountId: who.accountId, accessKeyId: signingKeyOf(f.requestUri),
    sourceIp: f.sourceIp, userAgent: f.userAgent, bucket: f.bucket, key: f.key, status: f.status, errorCode: f.errorCode,
    bytesSent: f.bytesSent, objectSize: f.objectSize, requestId: f.requestId, hostId: f.hostId,
    eventId: null, region: null, range: null, locator: f.locator, raw: f.raw,
  };
}

const HEAD = /^\S+ \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] /;

export const s3AccessLog: LineFormat = {
  name: 's3-access-log',
  description: 'S3 server access log (text)',
  kind: 'lines',
  sniff: (head) => HEAD.test(head.replace(/^\uFEFF/, '')),
  parseLine: parseAccessLogLine,
  canonical: () => null, // an access-log record is not a CloudTrail record: it carries no request body
};
