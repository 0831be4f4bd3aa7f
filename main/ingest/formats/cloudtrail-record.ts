// One CloudTrail record (as in trail files, Lake, exporters) → a normalized event.
import type { ActorType, NormalizedEvent } from '../../../shared/events';
import { arnAccount } from '../actors';
import { classifyCloudTrail } from '../kinds';
import { excerpt } from '../text';
import type { CloudTrailRecord } from '../canonical-record';
import { parseJson, reject, type RecordReading, type RecordResult } from './types';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

const ANONYMOUS = 'ANONYMOUS_PRINCIPAL';

function identity(record: Json): { actor: string | null; actorType: ActorType; accountId: string | null; accessKeyId: string | null } {
  const u = record.userIdentity;
  if (!u || typeof u !== 'object') {
    return { actor: null, actorType: record.eventType === 'AwsServiceEvent' ? 'AWSService' : 'unknown', accountId: null, accessKeyId: null };
  }
  const accessKeyId = str(u.accessKeyId);
  const arn = str(u.arn);
  const accountId = str(u.accountId);
  if (accountId === ANONYMOUS || u.principalId === ANONYMOUS) return { actor: 'anonymous', actorType: 'anonymous', accountId: null, accessKeyId };
  switch (u.type) {
    case 'AWSService':
      return { actor: str(u.invokedBy) ?? str(record.sourceIPAddress), actorType: 'AWSService', accountId, accessKeyId };
    case 'AWSAccount':
      return { actor: arn ?? (str(u.principalId) ? `${accountId ?? '?'}:${u.principalId}` : accountId), actorType: 'AWSAccount', accountId, accessKeyId };
    case 'IdentityCenterUser': {
      const who = str(u.onBehalfOf?.userId) ?? str(u.principalId);
      return { actor: who ? `identitycenter:${who}` : null, actorType: 'IdentityCenterUser', accountId, accessKeyId };
    }
    case 'IAMUser': case 'AssumedRole': case 'Root': case 'FederatedUser': case 'WebIdentityUser': case 'SAMLUser':
      return { actor: arn ?? str(u.principalId) ?? str(u.userName), actorType: u.type, accountId: accountId ?? (arn ? arnAccount(arn) : null), accessKeyId };
    default:
      return { actor: arn ?? str(u.principalId), actorType: 'unknown', accountId, accessKeyId };
  }
}

/**
 * Normalizes a parsed record. `raw` is the record's text as it stood in the evidence; `time` falls back to
 * Logstash's `@timestamp` when an exporter moved `eventTime` there (see README, "Formats").
 */
export function normalizeCloudTrail(record: unknown, raw: string, locator: number): RecordResult {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return reject('not a JSON object');
  const r = record as Json;
  const eventName = str(r.eventName);
  if (!eventName) return reject('no eventName: not a CloudTrail record');
  const timeText = str(r.eventTime) ?? str(r['@timestamp']);
  if (!timeText) return reject(`${eventName} record has no eventTime`);
  const time = Date.parse(timeText);
  if (Number.isNaN(time)) return reject(`eventTime "${excerpt(timeText, 40)}" is not a date`);
  const errorCode = str(r.errorCode);
  const params: Json = r.requestParameters && typeof r.requestParameters === 'object' ? r.requestParameters : {};
  const extra: Json = r.additionalEventData && typeof r.additionalEventData === 'object' ? r.additionalEventData : {};
  const who = identity(r);
  const event: NormalizedEvent = {
    time,
    source: 'cloudtrail',
    action: eventName,
    kind: classifyCloudTrail(eventName, errorCode),
    ...who,
    sourceIp: str(r.sourceIPAddress),
    userAgent: str(r.userAgent),
    bucket: str(params.bucketName),
    key: str(params.key),
    status: null,
    errorCode,
    bytesSent: num(extra.bytesTransferredOut),
    objectSize: null,
    requestId: str(r.requestID),
    hostId: str(extra['x-amz-id-2']),
    eventId: str(r.eventID),
    region: str(r.awsRegion),
    range: str(params.Range) ?? str(params.range),
    locator,
    raw,
  };
  return event;
}

/** A record's text as its canonical record: the record itself. */
export function readCloudTrailText(text: string): RecordReading {
  if (!/\S/.test(text)) return null; // blank (without copying a long record to trim it)
  const parsed = parseJson(text);
  if ('reject' in parsed) return parsed;
  const record = parsed.json;
  if (!record || typeof record !== 'object' || Array.isArray(record)) return reject('not a JSON object');
  return { record: record as CloudTrailRecord };
}

/** Normalizes what a canonical reading gave: the one path from a record's text to its event. */
export function normalizeReading(reading: RecordReading, raw: string, locator: number): RecordResult {
  return reading === null || 'reject' in reading ? reading : normalizeCloudTrail(reading.record, raw, locator);
}

/** Parses a record's text, then normalizes it. */
export function parseCloudTrailText(text: string, locator: number): RecordResult {
  return normalizeReading(readCloudTrailText(text), text, locator);
}

/** A record-shaped object: what sniffers look for in the first element or line. */
export const RECORD_HINT = /"(eventVersion|eventName|eventSource)"\s*:/;
