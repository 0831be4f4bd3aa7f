// CloudTrail Lake query results: `{"QueryResultRows":[…]}` as `trailmark pull --lake` writes them, or
// `aws cloudtrail get-query-results` output. Each row is a list of one-column objects. Lake returns
// struct and map members only as the flat columns a query selects, so the row is rebuilt into the
// CloudTrail record those columns came from (the aliases main/aws/lake-sql.ts selects, or the plain
// field names) and normalized like any record; the row's text is what is stored raw.
import { normalizeCloudTrail } from './cloudtrail-record';
import { parseJson, reject, type DocumentFormat, type RecordResult } from './types';

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
function isoTime(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const s = t.includes('T') ? t : t.replace(' ', 'T');
  return /(Z|[+-]\d\d:?\d\d)$/.test(s) ? s : `${s}Z`;
}

function pick(c: Columns, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = c.get(n.toLowerCase());
    if (v !== undefined) return v;
  }
  return undefined;
}

function compact(o: Record<string, unknown>): Record<string, unknown> | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** A CloudTrail record rebuilt from flat result columns. */
export function cloudTrailRecordFromColumns(c: Columns): Record<string, unknown> {
  const bytes = pick(c, 'bytesTransferredOut');
  return {
    eventID: pick(c, 'eventID'),
    eventTime: isoTime(pick(c, 'eventTime')),
    eventSource: pick(c, 'eventSource'),
    eventName: pick(c, 'eventName'),
    awsRegion: pick(c, 'awsRegion'),
    sourceIPAddress: pick(c, 'sourceIPAddress'),
    userAgent: pick(c, 'userAgent'),
    errorCode: pick(c, 'errorCode'),
    requestID: pick(c, 'requestID'),
    eventType: pick(c, 'eventType'),
    eventCategory: pick(c, 'eventCategory'),
    recipientAccountId: pick(c, 'recipientAccountId'),
    userIdentity: compact({
      type: pick(c, 'userIdentityType', 'userIdentity.type'),
      principalId: pick(c, 'userIdentityPrincipalId', 'userIdentity.principalId'),
      arn: pick(c, 'userIdentityArn', 'userIdentity.arn'),
      accountId: pick(c, 'userIdentityAccountId', 'userIdentity.accountId'),
      accessKeyId: pick(c, 'userIdentityAccessKeyId', 'userIdentity.accessKeyId'),
      invokedBy: pick(c, 'userIdentityInvokedBy', 'userIdentity.invokedBy'),
    }),
    requestParameters: compact({ bucketName: pick(c, 'bucketName'), key: pick(c, 'objectKey', 'key'), Range: pick(c, 'requestRange') }),
    additionalEventData: compact({ bytesTransferredOut: bytes !== undefined && /^\d+$/.test(bytes) ? Number(bytes) : undefined, 'x-amz-id-2': pick(c, 'hostId') }),
  };
}

export function parseLakeRow(text: string, locator: number): RecordResult {
  if (text.trim().length === 0) return null;
  const parsed = parseJson(text);
  if ('reject' in parsed) return parsed;
  const row = parsed.json;
  if (!Array.isArray(row) || !row.every((cell) => cell && typeof cell === 'object' && !Array.isArray(cell))) {
    return reject('not a Lake result row (a list of {"column": value} objects)');
  }
  const columns = columnMap(Object.assign({}, ...(row as Record<string, unknown>[])));
  if (!columns.has('eventtime') || !columns.has('eventname')) return reject('the row has no eventTime or eventName column: select them for the events to be read');
  return normalizeCloudTrail(cloudTrailRecordFromColumns(columns), text, locator);
}

export const lakeResults: DocumentFormat = {
  name: 'lake-results',
  description: 'CloudTrail Lake query results (get-query-results QueryResultRows)',
  kind: 'document',
  arrayKey: 'QueryResultRows',
  sniff: (head) => /^\s*\{/.test(head.replace(/^\uFEFF/, '')) && /"QueryResultRows"\s*:\s*\[/.test(head),
  parseRecord: parseLakeRow,
};
