// Exposure windows from the configuration events in the case (a handful of rows, listed in
// marked_events) and the anonymous activity per bucket (from download_hours); open ends carry the
// span of their bucket's own evidence (from source_hours).
import type { ExposureWindow } from '../../shared/analysis';
import { exposureWindows, type AnonymousActivity, type ConfigEvent } from '../analysis/exposure';
import { boundOpenEnds, type BucketEvidence } from '../analysis/exposure-bounds';
import { noteUnknownChanges } from '../analysis/unknown-changes';
import { canonicalRecords, EVENT_RECORD_REF, type RecordRef } from './canonical-records';
import { all, get, type ReadableDB } from './db';
import { sql } from './sql';
import { HOUR } from '../../shared/analysis';

export const CONFIG_EVENTS_SQL = sql`
  SELECT e.id, e.time, e.action, e.bucket, e.key, e.error_code AS errorCode, e.event_id AS eventId, ${EVENT_RECORD_REF}
  FROM marked_events m JOIN events e ON e.id = m.id
  WHERE m.mark IN ('acl-change', 'policy-change', 'public-access-change') AND e.source = 'cloudtrail'
  ORDER BY m.time, m.id`;

export const ANONYMOUS_SQL = sql`
  SELECT bucket, min(first_anonymous) AS first, max(last_anonymous) AS last FROM download_hours
  WHERE anonymous > 0 GROUP BY bucket`;

/** The configuration changes in the case, each with its canonical record. */
export function configEvents(db: ReadableDB): ConfigEvent[] {
  return canonicalRecords(db, all<Omit<ConfigEvent, 'record'> & RecordRef>(db, CONFIG_EVENTS_SQL));
}

export function computeExposure(db: ReadableDB): ExposureWindow[] {
  const events = configEvents(db);
  const anonymous = all<AnonymousActivity>(db, ANONYMOUS_SQL);
  const windows = noteUnknownChanges(exposureWindows(events, anonymous), events);
  const open = [...new Set(windows.filter((w) => w.fromMs === null || w.toMs === null).map((w) => w.bucket))];
  return boundOpenEnds(windows, open.flatMap((b) => bucketEvidence(db, b) ?? []));
}

/**
 * The first and last event naming the bucket: the hours from source_hours (per bucket, indexed), then
 * the exact times within those two hours through the time index.
 */
export function bucketEvidence(db: ReadableDB, bucket: string): BucketEvidence | null {
  const h = get<{ lo: number | null; hi: number | null }>(db, sql`SELECT min(hour) AS lo, max(hour) AS hi FROM source_hours WHERE bucket = ${bucket}`);
  if (!h || h.lo === null || h.hi === null) return null;
  const first = get<{ t: number | null }>(db, sql`
    SELECT min(time) AS t FROM events WHERE time >= ${h.lo * HOUR} AND time < ${(h.lo + 1) * HOUR} AND bucket = ${bucket}`)?.t ?? h.lo * HOUR;
  const last = get<{ t: number | null }>(db, sql`
    SELECT max(time) AS t FROM events WHERE time >= ${h.hi * HOUR} AND time < ${(h.hi + 1) * HOUR} AND bucket = ${bucket}`)?.t ?? (h.hi + 1) * HOUR;
  return { bucket, fromMs: first, toMs: last };
}
