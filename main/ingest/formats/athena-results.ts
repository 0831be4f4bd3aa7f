// Athena query results as `trailmark pull --athena` writes them: `{"AthenaRows":[{column: value}…]}`,
// each row an object built from Athena's ResultSet (column names from its ColumnInfo, null where
// Athena gave no value). Rows of the AWS-documented S3 access-log table become s3-access-log events;
// rows of the CloudTrail table (the columns main/aws/athena-sql.ts selects) become CloudTrail events.
import type { NormalizedEvent } from '../../../shared/events';
import { classifyRequester } from '../actors';
import { classifyS3 } from '../kinds';
import { decodeKey, excerpt } from '../text';
import { normalizeReading } from './cloudtrail-record';
import { cloudTrailRecordFromColumns, columnMap } from './lake-results';
import { parseAccessLogTime, signingKeyOf } from './s3-access-log';
import { parseJson, reject, type DocumentFormat, type RecordReading, type RecordResult } from './types';

const dash = (v: string | undefined): string | null => (v === undefined || v === '-' ? null : v);
function int(v: string | undefined): number | null | undefined {
  if (v === undefined || v === '-') return null;
  return /^\d+$/.test(v) ? Number(v) : undefined;
}

function accessLogEvent(c: Map<string, string>, text: string, locator: number): RecordResult {
  const when = c.get('requestdatetime') ?? '';
  const time = parseAccessLogTime(when.replace(/^\[|\]$/g, ''));
  if (Number.isNaN(time)) return reject(`requestdatetime "${excerpt(when, 40)}" is not an access-log time`);
  const operation = c.get('operation');
  if (!operation) return reject('no operation');
  const status = int(c.get('httpstatus'));
  const bytesSent = int(c.get('bytessent'));
  const objectSize = int(c.get('objectsize'));
  if (status === undefined || bytesSent === undefined || objectSize === undefined) return reject('httpstatus, bytessent or objectsize is not a number');
  const who = classifyRequester(dash(c.get('requester')));
  const key = dash(c.get('key'));
  const event: NormalizedEvent = {
    time, source: 's3-access-log', action: operation, kind: classifyS3(operation, status),
    actor: who.actor, actorType: who.actorType, accountId: who.accountId, accessKeyId: signingKeyOf(dash(c.get('request_uri'))),
    sourceIp: dash(c.get('remoteip')), userAgent: dash(c.get('useragent')?.replace(/^"|"$/g, '')),
    bucket: dash(c.get('bucket_name')), key: key === null ? null : decodeKey(key),
    status, errorCode: dash(c.get('errorcode')), bytesSent: bytesSent ?? 0, objectSize,
    requestId: dash(c.get('requestid')), hostId: dash(c.get('hostid')), eventId: null, region: null, range: null,
    locator, raw: text,
  };
  return event;
}

type Row = { accessLog: Map<string, string> } | { reading: RecordReading };

function readRow(text: string): Row {
  if (text.trim().length === 0) return { reading: null };
  const parsed = parseJson(text);
  if ('reject' in parsed) return { reading: parsed };
  const row = parsed.json;
  if (!row || typeof row !== 'object' || Array.isArray(row)) return { reading: reject('not an Athena result row ({"column": value})') };
  const c = columnMap(row as Record<string, unknown>);
  if (c.has('requestdatetime')) return { accessLog: c };
  if (c.has('eventtime') && c.has('eventname')) return { reading: { record: cloudTrailRecordFromColumns(c, 'athena-results', Object.keys(row)) } };
  return { reading: reject('neither an S3 access-log row (requestdatetime) nor a CloudTrail row (eventtime, eventname)') };
}

/** An Athena row's canonical record: rebuilt from a CloudTrail row's columns; none for an access-log row. */
export function athenaRowRecord(text: string): RecordReading {
  const r = readRow(text);
  return 'accessLog' in r ? null : r.reading;
}

export function parseAthenaRow(text: string, locator: number): RecordResult {
  const r = readRow(text);
  return 'accessLog' in r ? accessLogEvent(r.accessLog, text, locator) : normalizeReading(r.reading, text, locator);
}

export const athenaResults: DocumentFormat = {
  name: 'athena-results',
  description: 'Athena query results over S3 access logs or CloudTrail (trailmark pull --athena)',
  kind: 'document',
  arrayKey: 'AthenaRows',
  sniff: (head) => /^\s*\{\s*"AthenaRows"\s*:\s*\[/.test(head.replace(/^\uFEFF/, '')),
  parseRecord: parseAthenaRow,
  canonical: athenaRowRecord,
};
