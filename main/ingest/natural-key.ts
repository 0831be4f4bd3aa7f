// The identity of a record across evidence files, so that the same record seen twice is stored once:
// a CloudTrail event by its eventID (a trail file, a LookupEvents dump and a Lake export of it agree
// on nothing else byte for byte), an S3 access-log record by its full text — S3 delivers logs
// best-effort and can repeat a record, and the same line in a re-compressed copy is the same record,
// while two lines of one request that differ in any field are two observations.
import type { NormalizedEvent } from '../../shared/events';
import { fnv1a32 } from './text';

type KeyFields = Pick<NormalizedEvent, 'source' | 'eventId' | 'raw'>;

export function naturalKey(e: KeyFields): string {
  if (e.source === 'cloudtrail') return e.eventId ? `ct|${e.eventId}` : `ct-raw|${e.raw}`;
  return `s3|${e.raw}`;
}

export function naturalKeyHash(e: KeyFields): number {
  return fnv1a32(naturalKey(e));
}
