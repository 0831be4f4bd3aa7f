// CloudTrail's JSON 1.1 API, as much as Trailmark calls: LookupEvents, ListPublicKeys and the Lake
// operations (ListEventDataStores, StartQuery, DescribeQuery, GetQueryResults).
import type { ServerResponse } from 'node:http';
import { sendJsonError, type LoggedRequest, type StandinState } from './server';

export interface StandinLookupEvent {
  EventId: string;
  EventName: string;
  EventTime: Date;
  EventSource: string;
  Username?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  Resources?: { ResourceType: string; ResourceName: string }[];
  CloudTrailEvent: string;
}

export interface LakeQuery { id: string; sql: string; polls: number; rows: Record<string, string>[]; error?: string }

export interface CloudTrailState {
  /** Management events per region. */
  events: Record<string, StandinLookupEvent[]>;
  pageSize: number;
  publicKeys: { value: Buffer; start: Date; end: Date; fingerprint: string }[];
  dataStores: { arn: string; name: string }[];
  lake: {
    queries: Map<string, LakeQuery>;
    /** What a query returns: rows of column → value, or an error. */
    answer: (sql: string) => { rows: Record<string, string>[]; error?: string };
    pageSize: number;
    /** DescribeQuery answers RUNNING this many times before FINISHED/FAILED. */
    pollsBeforeDone: number;
  };
}

const epoch = (d: Date) => d.getTime() / 1000;

function send(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'standin' });
  res.end(JSON.stringify(body));
}

function lookupEvents(state: StandinState, r: LoggedRequest, res: ServerResponse): void {
  const q = r.json as { StartTime?: number; EndTime?: number; LookupAttributes?: { AttributeKey: string; AttributeValue: string }[]; MaxResults?: number; NextToken?: string };
  const all = (state.cloudtrail.events[r.region ?? 'us-east-1'] ?? []).filter((e) => {
    const t = epoch(e.EventTime);
    if (q.StartTime !== undefined && t < q.StartTime) return false;
    if (q.EndTime !== undefined && t > q.EndTime) return false;
    for (const a of q.LookupAttributes ?? []) {
      if (a.AttributeKey === 'EventSource' && e.EventSource !== a.AttributeValue) return false;
      if (a.AttributeKey === 'EventName' && e.EventName !== a.AttributeValue) return false;
      if (a.AttributeKey === 'Username' && e.Username !== a.AttributeValue) return false;
      if (a.AttributeKey === 'ResourceName' && !(e.Resources ?? []).some((x) => x.ResourceName === a.AttributeValue)) return false;
    }
    return true;
  }).sort((a, b) => b.EventTime.getTime() - a.EventTime.getTime());
  let offset = 0;
  if (q.NextToken) {
    const m = /^tok-(\d+)$/.exec(Buffer.from(q.NextToken, 'base64').toString());
    if (!m) return sendJsonError(res, 400, 'InvalidNextTokenException', 'A token that is not valid is specified.');
    offset = Number(m[1]);
  }
  const size = Math.min(q.MaxResults ?? 50, state.cloudtrail.pageSize);
  const page = all.slice(offset, offset + size);
  const next = offset + size < all.length ? Buffer.from(`tok-${offset + size}`).toString('base64') : undefined;
  send(res, { Events: page.map((e) => ({ ...e, EventTime: epoch(e.EventTime) })), NextToken: next });
}

function startQuery(state: StandinState, r: LoggedRequest, res: ServerResponse): void {
  const lake = state.cloudtrail.lake;
  const sql = String(r.json?.QueryStatement ?? '');
  const id = `q-${lake.queries.size + 1}-0000-0000-0000-000000000000`.slice(0, 36);
  const answer = lake.answer(sql);
  lake.queries.set(id, { id, sql, polls: 0, rows: answer.rows, error: answer.error });
  send(res, { QueryId: id });
}

function queryStatus(state: StandinState, q: LakeQuery): string {
  if (q.polls < state.cloudtrail.lake.pollsBeforeDone) return q.polls === 0 ? 'QUEUED' : 'RUNNING';
  return q.error ? 'FAILED' : 'FINISHED';
}

function describeQuery(state: StandinState, r: LoggedRequest, res: ServerResponse): void {
  const q = state.cloudtrail.lake.queries.get(String(r.json?.QueryId));
  if (!q) return sendJsonError(res, 400, 'QueryIdNotFoundException', 'The query ID does not exist or does not map to a query.');
  const status = queryStatus(state, q);
  q.polls += 1;
  send(res, { QueryId: q.id, QueryString: q.sql, QueryStatus: status, ErrorMessage: status === 'FAILED' ? q.error : undefined, QueryStatistics: { EventsMatched: q.rows.length, EventsScanned: q.rows.length * 10, BytesScanned: 1000 } });
}

function getQueryResults(state: StandinState, r: LoggedRequest, res: ServerResponse): void {
  const lake = state.cloudtrail.lake;
  const q = lake.queries.get(String(r.json?.QueryId));
  if (!q) return sendJsonError(res, 400, 'QueryIdNotFoundException', 'The query ID does not exist or does not map to a query.');
  if (q.error) return send(res, { QueryStatus: 'FAILED', ErrorMessage: q.error, QueryResultRows: [] });
  const offset = r.json?.NextToken ? Number(String(r.json.NextToken).slice(4)) : 0;
  const page = q.rows.slice(offset, offset + lake.pageSize);
  const next = offset + lake.pageSize < q.rows.length ? `off-${offset + lake.pageSize}` : undefined;
  send(res, {
    QueryStatus: 'FINISHED',
    QueryStatistics: { ResultsCount: page.length, TotalResultsCount: q.rows.length, BytesScanned: 1000 },
    QueryResultRows: page.map((row) => Object.entries(row).map(([k, v]) => ({ [k]: v }))),
    NextToken: next,
  });
}

export function handleCloudTrail(state: StandinState, r: LoggedRequest, res: ServerResponse): void {
  switch (r.op) {
    case 'LookupEvents': return lookupEvents(state, r, res);
    case 'ListPublicKeys': {
      const start = Number(r.json?.StartTime ?? 0);
      const end = Number(r.json?.EndTime ?? Infinity);
      const keys = state.cloudtrail.publicKeys.filter((k) => epoch(k.end) >= start && epoch(k.start) <= end);
      return send(res, { PublicKeyList: keys.map((k) => ({ Value: k.value.toString('base64'), ValidityStartTime: epoch(k.start), ValidityEndTime: epoch(k.end), Fingerprint: k.fingerprint })) });
    }
    case 'ListEventDataStores':
      return send(res, { EventDataStores: state.cloudtrail.dataStores.map((d) => ({ EventDataStoreArn: d.arn, Name: d.name, Status: 'ENABLED' })) });
    case 'StartQuery': return startQuery(state, r, res);
    case 'DescribeQuery': return describeQuery(state, r, res);
    case 'GetQueryResults': return getQueryResults(state, r, res);
    default: return sendJsonError(res, 400, 'UnknownOperationException', `stand-in does not implement ${r.op}`);
  }
}
