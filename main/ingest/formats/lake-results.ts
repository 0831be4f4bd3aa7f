// CloudTrail Lake query results: `{"QueryResultRows":[…]}` as `trailmark pull --lake` writes them, or
// `aws cloudtrail get-query-results` output. Each row is a list of one-column objects. Lake returns
// struct and map members only as the flat columns a query selects, so the row is rebuilt into the
// CloudTrail record those columns came from (the aliases main/aws/lake-sql.ts selects, or the plain
// field names), marked with the fields the row told (canonical-record.ts), and normalized like any
// record; the row's text is what is stored raw.
import type { Format } from '../../../shared/events';
import { REBUILT, type CloudTrailRecord, type Rebuilt } from '../canonical-record';
import { normalizeReading } from './cloudtrail-record';
import { parseJson, reject, type DocumentFormat, type RecordReading, type RecordResult } from './types';

type Columns = Map<string, string>;

/** Column → value, keys lower-cased (Athena lower-cases aliases); empty values dropped. */
export function columnMap(row: Record<string, unknown>): Columns {
  const m: Columns = new Map();
  for (const [k, v] of Object.entries(row)) {
    if (v === null || v === undefined || v === '') continue;
    m.set(k.toLowerCase(), typeof v === 'string' ? v : JSON.stringify(v));
  }
  return m;
}

/** Lake writes `2026-03-01 12:00:00.000` (UTC, no zone); Athena's CloudTrail table keeps the ISO text. */
function isoTime(t: string): string {
  const s = t.includes('T') ? t : t.replace(' ', 'T');
  return /(Z|[+-]\d\d:?\d\d)$/.test(s) ? s : `${s}Z`;
}

/** Record fields a row may carry whole, as JSON text (Athena's CloudTrail table keeps them as strings). */
const WHOLE = ['userIdentity', 'requestParameters', 'responseElements', 'additionalEventData'];

/** Record paths and the flat columns that carry them (Trailmark's aliases first, then plain names). */
const FLAT: Array<[path: string, columns: string[]]> = [
  ['eventID', ['eventID']], ['eventTime', ['eventTime']], ['eventSource', ['eventSource']], ['eventName', ['eventName']],
  ['awsRegion', ['awsRegion']], ['sourceIPAddress', ['sourceIPAddress']], ['userAgent', ['userAgent']],
  ['errorCode', ['errorCode']], ['errorMessage', ['errorMessage']], ['requestID', ['requestID']], ['eventType', ['eventType']],
  ['eventCategory', ['eventCategory']], ['recipientAccountId', ['recipientAccountId']],
  ['userIdentity.type', ['userIdentityType', 'userIdentity.type']],
  ['userIdentity.principalId', ['userIdentityPrincipalId', 'userIdentity.principalId']],
  ['userIdentity.arn', ['userIdentityArn', 'userIdentity.arn']],
  ['userIdentity.accountId', ['userIdentityAccountId', 'userIdentity.accountId']],
  ['userIdentity.accessKeyId', ['userIdentityAccessKeyId', 'userIdentity.accessKeyId']],
  ['userIdentity.invokedBy', ['userIdentityInvokedBy', 'userIdentity.invokedBy']],
  ['requestParameters.bucketName', ['bucketName']], ['requestParameters.key', ['objectKey', 'key']],
  ['requestParameters.Range', ['requestRange']],
  ['additionalEventData.bytesTransferredOut', ['bytesTransferredOut']], ['additionalEventData.x-amz-id-2', ['hostId']],
];

function objectJson(v: string): Record<string, unknown> | null {
  try {
    const o = JSON.parse(v) as unknown;
    return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
  } catch {
    return null; // Lake prints maps as {k=v, …}: not the object, so the row does not tell it
  }
}

function setPath(record: CloudTrailRecord, path: string, value: unknown): void {
  const [head, tail] = path.split(/\.(.*)/s, 2);
  if (tail === undefined || tail === '') {
    record[head] ??= value;
    return;
  }
  const inner = (record[head] ??= {}) as CloudTrailRecord;
  inner[tail] ??= value;
}

function valueOf(path: string, v: string): unknown {
  if (path === 'eventTime') return isoTime(v);
  if (path === 'additionalEventData.bytesTransferredOut') return /^\d+$/.test(v) ? Number(v) : undefined;
  return v;
}

/**
 * A CloudTrail record rebuilt from result columns. `selected` names every column the row has, values or
 * not (lower-cased): a column selected but empty tells that the record had no value there; a column not
 * selected tells nothing, and the record's REBUILT marker leaves its field out.
 */
export function cloudTrailRecordFromColumns(c: Columns, from: Format, selected: Iterable<string> = c.keys()): CloudTrailRecord {
  const has = new Set([...selected].map((k) => k.toLowerCase()));
  const record: CloudTrailRecord = {};
  const fields: string[] = [];
  for (const name of WHOLE) {
    if (!has.has(name.toLowerCase())) continue;
    const v = c.get(name.toLowerCase());
    const o = v === undefined ? null : objectJson(v);
    if (v !== undefined && !o) continue;
    fields.push(name);
    if (o) record[name] = o;
  }
  for (const [path, columns] of FLAT) {
    const column = columns.find((n) => has.has(n.toLowerCase()));
    if (column === undefined) continue;
    if (!fields.some((f) => path.startsWith(`${f}.`))) fields.push(path);
    const v = columns.map((n) => c.get(n.toLowerCase())).find((x) => x !== undefined);
    const value = v === undefined ? undefined : valueOf(path, v);
    if (value !== undefined) setPath(record, path, value);
  }
  const rebuilt: Rebuilt = { from, fields };
  record[REBUILT] = rebuilt;
  return record;
}

/** A Lake row's canonical record: rebuilt from its columns. */
export function lakeRowRecord(text: string): RecordReading {
  if (text.trim().length === 0) return null;
  const parsed = parseJson(text);
  if ('reject' in parsed) return parsed;
  const row = parsed.json;
  if (!Array.isArray(row) || !row.every((cell) => cell && typeof cell === 'object' && !Array.isArray(cell))) {
    return reject('not a Lake result row (a list of {"column": value} objects)');
  }
  const cells = Object.assign({}, ...(row as Record<string, unknown>[])) as Record<string, unknown>;
  const columns = columnMap(cells);
  if (!columns.has('eventtime') || !columns.has('eventname')) return reject('the row has no eventTime or eventName column: select them for the events to be read');
  return { record: cloudTrailRecordFromColumns(columns, 'lake-results', Object.keys(cells)) };
}

export function parseLakeRow(text: string, locator: number): RecordResult {
  return normalizeReading(lakeRowRecord(text), text, locator);
}

export const lakeResults: DocumentFormat = {
  name: 'lake-results',
  description: 'CloudTrail Lake query results (get-query-results QueryResultRows)',
  kind: 'document',
  arrayKey: 'QueryResultRows',
  sniff: (head) => /^\s*\{/.test(head.replace(/^\uFEFF/, '')) && /"QueryResultRows"\s*:\s*\[/.test(head),
  parseRecord: parseLakeRow,
  canonical: lakeRowRecord,
};
