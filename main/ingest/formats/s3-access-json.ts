// S3 server access logs as structured JSON, one record per line, as delivered to CloudWatch Logs
// and S3 Tables (`schema_version_id`, `bucket_name`, `request_time`, …). Same events as the text form.
import { accessLogEvent } from './s3-access-log';
import { excerpt } from '../text';
import { parseJson, reject, type LineFormat, type RecordResult } from './types';

type Json = Record<string, unknown>;

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' && v !== '-' ? v : null);
function int(v: unknown): number | null | undefined {
  if (v === null || v === undefined || v === '-' || v === '') return null;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export function parseAccessJsonLine(line: string, locator: number): RecordResult {
  if (line.trim().length === 0) return null;
  const parsed = parseJson(line);
  if ('reject' in parsed) return parsed;
  const r = parsed.json as Json;
  if (!r || typeof r !== 'object' || Array.isArray(r)) return reject('not a JSON object');
  const operation = text(r.operation);
  if (!operation) return reject('no operation: not an S3 access log record');
  const timeText = text(r.request_time);
  const time = timeText ? Date.parse(timeText) : NaN;
  if (Number.isNaN(time)) return reject(`request_time "${excerpt(String(r.request_time), 40)}" is not a date`);
  const status = int(r.http_status);
  const bytesSent = r.bytes_sent === '-' ? 0 : int(r.bytes_sent);
  const objectSize = int(r.object_size);
  if (status === undefined || bytesSent === undefined || objectSize === undefined) return reject('http_status, bytes_sent or object_size is not a number');
  return accessLogEvent({
    time, operation, status, requester: text(r.requester), sourceIp: text(r.remote_ip), userAgent: text(r.user_agent),
    bucket: text(r.bucket_name) ?? text(r.bucket), key: text(r.key), errorCode: text(r.error_code), bytesSent, objectSize,
    requestId: text(r.request_id), hostId: text(r.host_id), requestUri: text(r.request_uri), locator, raw: line,
  });
}

export const s3AccessJson: LineFormat = {
  name: 's3-access-json',
  description: 'S3 server access log (structured JSON, CloudWatch Logs / S3 Tables)',
  kind: 'lines',
  sniff: (head) => /^\s*\{/.test(head) && /"request_time"\s*:/.test(head) && /"(bucket_name|bucket_arn)"\s*:/.test(head) && /"operation"\s*:/.test(head),
  parseLine: parseAccessJsonLine,
  canonical: () => null, // an access-log record is not a CloudTrail record: it carries no request body
};
