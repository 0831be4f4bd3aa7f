// A local stand-in for the AWS endpoints Trailmark calls, for tests: one node:http server on
// 127.0.0.1 that speaks CloudTrail's and Athena's JSON 1.1, STS's query protocol and S3's REST/XML,
// routed the way AWS would (X-Amz-Target, Action=, path-style bucket/key). The real SDK talks to it
// over real HTTP, so serialization, signing, pagination and retries are exercised, not mocked.
// Requests are not authenticated; their SigV4 credential scope is read only to learn the region.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAthena, type AthenaState } from './athena';
import { handleCloudTrail, type CloudTrailState } from './cloudtrail';
import { handleS3, type S3State } from './s3';
import { handleSts } from './sts';

export interface Fault {
  /** `service:Operation`, e.g. `cloudtrail:LookupEvents`, `s3:GetObject`. */
  op: string;
  /** How many matching requests fail before the fault wears off. */
  times: number;
  /** Only requests for which this holds are failed (default: all of `op`). */
  when?: (r: LoggedRequest) => boolean;
  status?: number;
  code?: string;
  message?: string;
  /** GetObject only: send the headers and this many body bytes, then cut the connection. */
  cutAfterBytes?: number;
}

export interface LoggedRequest {
  service: string;
  op: string;
  region: string | null;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Parsed JSON body for JSON protocols. */
  json?: Record<string, unknown>;
}

export interface StandinState {
  account: string;
  arn: string;
  cloudtrail: CloudTrailState;
  s3: S3State;
  athena: AthenaState;
  faults: Fault[];
}

export interface Standin {
  url: string;
  state: StandinState;
  requests: LoggedRequest[];
  /** Requests for one `service:Operation`. */
  calls(op: string): LoggedRequest[];
  close(): Promise<void>;
}

export function newState(): StandinState {
  return {
    account: '111122223333',
    arn: 'arn:aws:iam::111122223333:user/examiner',
    cloudtrail: { events: {}, pageSize: 50, publicKeys: [], dataStores: [], lake: { queries: new Map(), answer: () => ({ rows: [] }), pageSize: 100, pollsBeforeDone: 1 } },
    s3: { buckets: new Map(), pageSize: 1000 },
    athena: { tables: new Map(), executions: new Map(), answer: () => ({ columns: [], rows: [] }), pageSize: 1000, pollsBeforeDone: 1 },
    faults: [],
  };
}

function regionOf(req: IncomingMessage): string | null {
  const m = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  return m ? m[1] : null;
}

function identify(req: IncomingMessage, body: string): { service: string; op: string } {
  const target = String(req.headers['x-amz-target'] ?? '');
  // The SDK sends `CloudTrail_20131101.Op`; AWS documents `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.Op`.
  if (/^(com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\./.test(target)) return { service: 'cloudtrail', op: target.split('.').pop()! };
  if (target.startsWith('AmazonAthena.')) return { service: 'athena', op: target.slice('AmazonAthena.'.length) };
  const action = /(?:^|&)Action=(\w+)/.exec(body);
  if (req.method === 'POST' && action && String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return { service: 'sts', op: action[1] };
  return { service: 's3', op: s3Operation(req) };
}

function s3Operation(req: IncomingMessage): string {
  const u = new URL(req.url ?? '/', 'http://x');
  const parts = u.pathname.split('/').filter(Boolean);
  if (req.method === 'HEAD') return parts.length > 1 ? 'HeadObject' : 'HeadBucket';
  if (u.searchParams.has('versions')) return 'ListObjectVersions';
  if (u.searchParams.get('list-type') === '2') return 'ListObjectsV2';
  if (parts.length > 1) return 'GetObject';
  return 'ListObjects';
}

export function sendJsonError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code, 'x-amzn-requestid': 'standin' });
  res.end(JSON.stringify({ __type: code, message }));
}

export function sendXmlError(res: ServerResponse, status: number, code: string, message: string, sts = false): void {
  res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': 'standin' });
  if (sts) {
    res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>standin</RequestId></ErrorResponse>`);
  } else {
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>standin</RequestId></Error>`);
  }
}

function fail(res: ServerResponse, service: string, f: Fault): void {
  const status = f.status ?? 400;
  const code = f.code ?? 'ThrottlingException';
  const message = f.message ?? code;
  if (service === 's3' || service === 'sts') sendXmlError(res, status, code, message, service === 'sts');
  else sendJsonError(res, status, code, message);
}

export async function startStandin(state: StandinState = newState()): Promise<Standin> {
  const requests: LoggedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { service, op } = identify(req, body);
      const logged: LoggedRequest = { service, op, region: regionOf(req), method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      if (service === 'cloudtrail' || service === 'athena') logged.json = body ? JSON.parse(body) : {};
      requests.push(logged);
      const fault = state.faults.find((f) => f.op === `${service}:${op}` && f.times > 0 && (!f.when || f.when(logged)));
      if (fault) {
        fault.times -= 1;
        if (fault.cutAfterBytes === undefined) return fail(res, service, fault);
      }
      try {
        if (service === 'cloudtrail') return handleCloudTrail(state, logged, res);
        if (service === 'athena') return handleAthena(state, logged, res);
        if (service === 'sts') return handleSts(state, logged, res);
        return handleS3(state, logged, res, fault?.cutAfterBytes);
      } catch (err) {
        sendJsonError(res, 500, 'InternalFailure', (err as Error).message);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    calls: (op) => requests.filter((r) => `${r.service}:${r.op}` === op),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
