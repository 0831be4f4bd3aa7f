// S3's REST/XML API, path-style: ListObjectsV2, ListObjectVersions, GetObject (Range, If-Match,
// x-amz-meta-*), HeadObject.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendXmlError, type LoggedRequest, type StandinState } from './server';

export interface StandinObject {
  key: string;
  body: Buffer;
  lastModified: Date;
  versionId?: string;
  /** false for noncurrent versions; defaults to true. */
  isLatest?: boolean;
  deleteMarker?: boolean;
  /** User metadata, without the x-amz-meta- prefix. */
  metadata?: Record<string, string>;
}

export interface S3State {
  buckets: Map<string, StandinObject[]>;
  pageSize: number;
}

export const etagOf = (o: StandinObject) => `"${createHash('md5').update(o.body).digest('hex')}"`;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const tag = (name: string, value: string | number | boolean | undefined) => (value === undefined ? '' : `<${name}>${esc(String(value))}</${name}>`);

function sendXml(res: ServerResponse, xml: string): void {
  res.writeHead(200, { 'content-type': 'application/xml', 'x-amz-request-id': 'standin' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
}

function listV2(objects: StandinObject[], bucket: string, q: URLSearchParams, pageSize: number, res: ServerResponse): void {
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const after = q.get('continuation-token') ? Buffer.from(q.get('continuation-token')!, 'base64').toString() : q.get('start-after') ?? '';
  const max = Math.min(Number(q.get('max-keys') ?? 1000), pageSize);
  const latest = objects.filter((o) => o.isLatest !== false && !o.deleteMarker && o.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : 1));
  const entries: { key: string; obj?: StandinObject }[] = [];
  for (const o of latest) {
    const rest = o.key.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    const entryKey = cut >= 0 ? prefix + rest.slice(0, cut + delimiter.length) : o.key;
    if (entries.length && entries[entries.length - 1].key === entryKey) continue;
    entries.push(cut >= 0 ? { key: entryKey } : { key: entryKey, obj: o });
  }
  const remaining = entries.filter((e) => e.key > after);
  const page = remaining.slice(0, max);
  const truncated = remaining.length > max;
  const body = page.map((e) => e.obj
    ? `<Contents>${tag('Key', e.key)}${tag('LastModified', e.obj.lastModified.toISOString())}${tag('ETag', etagOf(e.obj))}${tag('Size', e.obj.body.length)}<StorageClass>STANDARD</StorageClass></Contents>`
    : `<CommonPrefixes>${tag('Prefix', e.key)}</CommonPrefixes>`).join('');
  sendXml(res, `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${tag('Name', bucket)}${tag('Prefix', prefix)}${tag('Delimiter', delimiter || undefined)}${tag('KeyCount', page.length)}${tag('MaxKeys', max)}${tag('IsTruncated', truncated)}${truncated ? tag('NextContinuationToken', Buffer.from(page[page.length - 1].key).toString('base64')) : ''}${body}</ListBucketResult>`);
}

function listVersions(objects: StandinObject[], bucket: string, q: URLSearchParams, pageSize: number, res: ServerResponse): void {
  const prefix = q.get('prefix') ?? '';
  const all = objects.filter((o) => o.key.startsWith(prefix)).sort((a, b) => (a.key === b.key ? b.lastModified.getTime() - a.lastModified.getTime() : a.key < b.key ? -1 : 1));
  const markerKey = q.get('key-marker');
  const markerVersion = q.get('version-id-marker');
  const start = markerKey ? all.findIndex((o) => o.key === markerKey && (o.versionId ?? 'null') === markerVersion) + 1 : 0;
  const max = Math.min(Number(q.get('max-keys') ?? 1000), pageSize);
  const page = all.slice(start, start + max);
  const truncated = start + max < all.length;
  const last = page[page.length - 1];
  const owner = '<Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner>';
  const body = page.map((o) => o.deleteMarker
    ? `<DeleteMarker>${tag('Key', o.key)}${tag('VersionId', o.versionId ?? 'null')}${tag('IsLatest', o.isLatest !== false)}${tag('LastModified', o.lastModified.toISOString())}${owner}</DeleteMarker>`
    : `<Version>${tag('Key', o.key)}${tag('VersionId', o.versionId ?? 'null')}${tag('IsLatest', o.isLatest !== false)}${tag('LastModified', o.lastModified.toISOString())}${tag('ETag', etagOf(o))}${tag('Size', o.body.length)}<StorageClass>STANDARD</StorageClass>${owner}</Version>`).join('');
  sendXml(res, `<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${tag('Name', bucket)}${tag('Prefix', prefix)}${tag('KeyMarker', markerKey ?? '')}${tag('MaxKeys', max)}${tag('IsTruncated', truncated)}${truncated ? tag('NextKeyMarker', last.key) + tag('NextVersionIdMarker', last.versionId ?? 'null') : ''}${body}</ListVersionsResult>`);
}

function getObject(r: LoggedRequest, objects: StandinObject[], key: string, q: URLSearchParams, res: ServerResponse, cutAfterBytes?: number): void {
  const versionId = q.get('versionId');
  const o = objects.find((x) => x.key === key && !x.deleteMarker && (versionId ? x.versionId === versionId : x.isLatest !== false));
  if (!o) return sendXmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
  const etag = etagOf(o);
  const ifMatch = r.headers['if-match'];
  if (ifMatch && ifMatch !== etag) return sendXmlError(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
  const headers: Record<string, string | number> = {
    'content-type': 'application/octet-stream', etag, 'last-modified': o.lastModified.toUTCString(), 'accept-ranges': 'bytes', 'x-amz-request-id': 'standin',
  };
  if (o.versionId) headers['x-amz-version-id'] = o.versionId;
  for (const [k, v] of Object.entries(o.metadata ?? {})) headers[`x-amz-meta-${k}`] = v;
  let body = o.body;
  let status = 200;
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(r.headers.range ?? ''));
  if (range) {
    const from = Number(range[1]);
    const to = range[2] ? Math.min(Number(range[2]), o.body.length - 1) : o.body.length - 1;
    if (from >= o.body.length) return sendXmlError(res, 416, 'InvalidRange', 'The requested range is not satisfiable');
    body = o.body.subarray(from, to + 1);
    status = 206;
    headers['content-range'] = `bytes ${from}-${to}/${o.body.length}`;
  }
  headers['content-length'] = body.length;
  res.writeHead(status, headers);
  if (r.method === 'HEAD') return void res.end();
  if (cutAfterBytes !== undefined) {
    res.write(body.subarray(0, cutAfterBytes), () => res.socket?.destroy());
    return;
  }
  res.end(body);
}

export function handleS3(state: StandinState, r: LoggedRequest, res: ServerResponse, cutAfterBytes?: number): void {
  const u = new URL(r.url, 'http://x');
  const [bucket, ...rest] = u.pathname.slice(1).split('/');
  const objects = state.s3.buckets.get(decodeURIComponent(bucket));
  if (!objects) return sendXmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
  const key = rest.map(decodeURIComponent).join('/');
  switch (r.op) {
    case 'ListObjectsV2': return listV2(objects, bucket, u.searchParams, state.s3.pageSize, res);
    case 'ListObjectVersions': return listVersions(objects, bucket, u.searchParams, state.s3.pageSize, res);
    case 'GetObject':
    case 'HeadObject': return getObject(r, objects, key, u.searchParams, res, cutAfterBytes);
    default: return sendXmlError(res, 400, 'NotImplemented', `stand-in does not implement ${r.op}`);
  }
}
