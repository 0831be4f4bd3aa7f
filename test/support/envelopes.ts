// The same CloudTrail records in every envelope Trailmark reads: trail files (plain and gzip), bare
// arrays, JSON-lines, LookupEvents output (document and lines), CloudTrail Lake and Athena query results,
// written as the AWS CLI, CloudTrail and `trailmark pull` write them. Used by the envelope-equivalence
// test and the canonical-reading bench.
import { gzipSync } from 'node:zlib';
import { CLOUDTRAIL_COLUMNS } from '../../main/aws/lake-sql';
import { WHOLE_JSON_COLUMNS } from '../../main/aws/athena-sql';
import { arrayDocument } from '../../main/aws/store';

export type Rec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const eventTime = (r: Rec): string => (r.eventTime ?? r['@timestamp']) as string;

/** A record's value for a Lake column expression (`userIdentity.arn`, `element_at(requestParameters, 'key')`). */
function columnValue(r: Rec, expr: string): unknown {
  const m = /^element_at\((\w+), '([\w-]+)'\)$/.exec(expr);
  if (m) return r[m[1]]?.[m[2]];
  return expr.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Rec)[k] : undefined), r);
}

const text = (v: unknown): string | null => (v === undefined || v === null ? null : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** LookupEvents' Event for a record, as the CLI prints it: EventTime with the responder's UTC offset. */
export function lookupEvent(r: Rec): Rec {
  const t = new Date(eventTime(r));
  const local = new Date(t.getTime() + 2 * 3_600_000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '+02:00');
  return {
    EventId: r.eventID, EventName: r.eventName, ReadOnly: String(r.readOnly ?? false), AccessKeyId: r.userIdentity?.accessKeyId,
    EventTime: local, EventSource: r.eventSource, Username: r.userIdentity?.userName, Resources: [],
    CloudTrailEvent: JSON.stringify(r),
  };
}

/** A Lake result row for a record: one cell per selected column Lake has a value for, times as Lake prints them. */
export function lakeRow(r: Rec): Rec[] {
  const cells: Rec[] = [];
  for (const [expr, alias] of CLOUDTRAIL_COLUMNS) {
    const v = alias === 'eventTime' ? new Date(eventTime(r)).toISOString().replace('T', ' ').replace('Z', '') : text(columnValue(r, expr));
    if (v !== null) cells.push({ [alias]: v });
  }
  return cells;
}

/** An Athena result row for a record (athenaQuery's columns, lower-cased as Athena names them); `whole`: with the JSON columns. */
export function athenaRow(r: Rec, whole = true): Rec {
  const row: Rec = {};
  for (const [expr, alias] of CLOUDTRAIL_COLUMNS) row[alias.toLowerCase()] = alias === 'eventTime' ? eventTime(r) : text(columnValue(r, expr));
  if (whole) for (const c of WHOLE_JSON_COLUMNS) row[c.toLowerCase()] = text(r[c]);
  row.source_file = 's3://trail-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/file.json.gz';
  return row;
}

export interface EnvelopeFile { name: string; bytes: string | Buffer }

const lines = (items: unknown[]) => `${items.map((i) => JSON.stringify(i)).join('\n')}\n`;

/** How each envelope wraps records. */
export const wrap = {
  trailFile: (rs: Rec[]): EnvelopeFile => ({ name: '111122223333_CloudTrail_us-east-1_20240301T1000Z_plain.json', bytes: JSON.stringify({ Records: rs }) }),
  trailFileGzip: (rs: Rec[]): EnvelopeFile => ({ name: '111122223333_CloudTrail_us-east-1_20240301T1000Z_gzip.json.gz', bytes: gzipSync(JSON.stringify({ Records: rs })) }),
  bareArray: (rs: Rec[]): EnvelopeFile => ({ name: 'records-array.json', bytes: JSON.stringify(rs, null, 1) }),
  jsonLines: (rs: Rec[]): EnvelopeFile => ({ name: 'records.jsonl', bytes: lines(rs) }),
  lookupEvents: (rs: Rec[]): EnvelopeFile => ({ name: 'lookup-events.json', bytes: JSON.stringify({ Events: rs.map(lookupEvent) }, null, 4) }),
  lookupEventsLines: (rs: Rec[]): EnvelopeFile => ({ name: 'lookup-events.jsonl', bytes: lines(rs.map(lookupEvent)) }),
  lake: (rs: Rec[]): EnvelopeFile => ({ name: 'lake-page-00001.json', bytes: arrayDocument('QueryResultRows', rs.map(lakeRow), { QueryId: 'q-1' }) }),
  athena: (rs: Rec[]): EnvelopeFile => ({
    name: 'athena-page-00001.json',
    bytes: arrayDocument('AthenaRows', rs.map((r) => athenaRow(r)), { QueryExecutionId: 'x-1', TableKind: 'cloudtrail', Columns: Object.keys(athenaRow(rs[0])) }),
  }),
  athenaFlat: (rs: Rec[]): EnvelopeFile => ({
    name: 'athena-flat-page-00001.json',
    bytes: arrayDocument('AthenaRows', rs.map((r) => athenaRow(r, false)), { QueryExecutionId: 'x-2', TableKind: 'cloudtrail', Columns: Object.keys(athenaRow(rs[0], false)) }),
  }),
};
