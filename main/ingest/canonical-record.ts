// The canonical CloudTrail record of an event: what every analysis rule reads, whatever envelope the
// record came in. Most envelopes carry the record itself; Lake and Athena rows carry only the columns a
// query selected, so the record is rebuilt from them and says, under REBUILT, which fields the row told.
// A rule that needs a field the row did not tell must answer "unknown", never read the gap as absent.

/** A CloudTrail record as JSON (eventName, eventTime, userIdentity, requestParameters…). */
export type CloudTrailRecord = Record<string, unknown>;

/** The key under which a rebuilt record names its envelope and the fields its row told. */
export const REBUILT = 'trailmarkRebuilt';

export interface Rebuilt {
  /** The format of the row the record was rebuilt from. */
  from: string;
  /** Dotted paths the row gave a value for; a whole object when its column held the whole object. */
  fields: string[];
}

export function rebuiltFrom(record: CloudTrailRecord): Rebuilt | null {
  const r = record[REBUILT];
  return r && typeof r === 'object' ? (r as Rebuilt) : null;
}

/**
 * Whether the record can tell `path` (e.g. 'requestParameters', 'responseElements'): always for a
 * record carried whole; for a rebuilt one, only when its row held that field, or an object above it, whole.
 * A field the row gave only in part (requestParameters.bucketName without the rest) is not told.
 */
export function tells(record: CloudTrailRecord, path: string): boolean {
  const r = rebuiltFrom(record);
  if (!r) return true;
  return r.fields.some((f) => f === path || path.startsWith(`${f}.`));
}

/** For notes: why a rebuilt record cannot tell a field. */
export function untoldReason(record: CloudTrailRecord, path: string): string {
  const r = rebuiltFrom(record);
  return `the ${r?.from ?? 'evidence'} row does not carry ${path}`;
}
