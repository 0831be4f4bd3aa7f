// Exposure windows from the configuration events in the case (a handful of rows, listed in
// marked_events) and the anonymous activity per bucket (from download_hours).
import type { ExposureWindow } from '../../shared/analysis';
import { exposureWindows, type AnonymousActivity, type ConfigEvent } from '../analysis/exposure';
import { noteUnknownChanges } from '../analysis/unknown-changes';
import { canonicalRecords, EVENT_RECORD_REF, type RecordRef } from './canonical-records';
import { all, type ReadableDB } from './db';
import { sql } from './sql';

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
  return noteUnknownChanges(exposureWindows(events, anonymous), events);
}
