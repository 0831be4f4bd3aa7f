// The normalized event model: what every parser produces and the case stores.
// Pure types and tiny helpers only; used by main and renderer alike.

export const SOURCES = ['s3-access-log', 'cloudtrail'] as const;
export type Source = (typeof SOURCES)[number];

export const KINDS = [
  'download', 'upload', 'list', 'head', 'delete', 'acl-change', 'policy-change',
  'public-access-change', 'logging-change', 'other',
] as const;
export type Kind = (typeof KINDS)[number];

export type ActorType =
  | 'anonymous' | 'IAMUser' | 'AssumedRole' | 'Root' | 'FederatedUser' | 'AWSAccount'
  | 'AWSService' | 'IdentityCenterUser' | 'WebIdentityUser' | 'SAMLUser' | 'canonical-user' | 'unknown';

/** Format names, as stored in `evidence.format`. */
export const FORMATS = [
  's3-access-log', 's3-access-json', 'cloudtrail-file', 'cloudtrail-array', 'cloudtrail-lines',
  'lookup-events', 'lookup-events-lines', 'cloudtrail-digest', 'lake-results', 'athena-results', 'bucket-listing',
] as const;
export type Format = (typeof FORMATS)[number];

/** One observation, normalized. Absent values are null, never '-' or ''. */
export interface NormalizedEvent {
  /** UTC epoch milliseconds. */
  time: number;
  source: Source;
  /** S3 operation (`REST.GET.OBJECT`) or CloudTrail eventName (`GetObject`). */
  action: string;
  kind: Kind;
  /** Principal ARN, `anonymous`, a canonical user ID, or a service name. */
  actor: string | null;
  actorType: ActorType;
  /** Account that owns the principal (`ANONYMOUS_PRINCIPAL` is normalized to null). */
  accountId: string | null;
  accessKeyId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  bucket: string | null;
  /** Object key, URL-decoded. */
  key: string | null;
  status: number | null;
  errorCode: string | null;
  bytesSent: number | null;
  objectSize: number | null;
  /** S3 request ID (access log `Request ID` = CloudTrail `requestID`). */
  requestId: string | null;
  /** S3 host ID (access log `Host Id` = CloudTrail `additionalEventData.x-amz-id-2`). */
  hostId: string | null;
  /** CloudTrail eventID. */
  eventId: string | null;
  region: string | null;
  /** Byte range asked for, `bytes=0-1023`, where known. */
  range: string | null;
  /** Where the record stands in its evidence file: the line number for line formats, the record number
   *  for JSON documents; both 1-based, as an investigator counts. */
  locator: number;
  /** The record exactly as it stood in the evidence. */
  raw: string;
}

export interface Reject {
  /** Line or record number, as for events. */
  locator: number;
  reason: string;
  text: string;
}

/** A download is a successful object read; see DESIGN.md. */
export function isDownload(e: Pick<NormalizedEvent, 'source' | 'action' | 'status' | 'errorCode'>): boolean {
  if (e.source === 's3-access-log') {
    return (e.action === 'REST.GET.OBJECT' || e.action === 'WEBSITE.GET.OBJECT') && (e.status === 200 || e.status === 206);
  }
  return e.action === 'GetObject' && e.errorCode === null;
}

/** Whether the whole object went out: true, false, or null when it cannot be known. */
export function isComplete(status: number | null, bytesSent: number | null, objectSize: number | null): boolean | null {
  if (status === 206) return false;
  if (bytesSent === null || objectSize === null) return null;
  return bytesSent >= objectSize;
}
