// Exposure windows from the configuration events in the case (a handful of rows, listed in
// marked_events) and the anonymous activity per bucket (from download_hours).
import type { ExposureWindow } from '../../shared/analysis';
import { exposureWindows, type AnonymousActivity, type ConfigEvent } from '../analysis/exposure';
import { all, type ReadableDB } from './db';
import { EVENT_RAW_REF, rawRecords, type RawRef } from './raw-records';
import { sql } from './sql';

export const CONFIG_EVENTS_SQL = sql`
  SELECT e.id, e.time, e.action, e.bucket, e.key, e.error_code AS errorCode, e.event_id AS eventId, ${EVENT_RAW_REF}
  FROM marked_events m JOIN events e ON e.id = m.id
  WHERE m.mark IN ('acl-change', 'policy-change', 'public-access-change') AND e.source = 'cloudtrail'
  ORDER BY m.time, m.id`;

export const ANONYMOUS_SQL = sql`
  SELECT bucket, min(first_anonymous) AS first, max(last_anonymous) AS last FROM download_hours
  WHERE anonymous > 0 GROUP BY bucket`;

export function computeExposure(db: ReadableDB): ExposureWindow[] {
  const events = rawRecords(db, all<Omit<ConfigEvent, 'raw'> & RawRef>(db, CONFIG_EVENTS_SQL));
  const anonymous = all<AnonymousActivity>(db, ANONYMOUS_SQL);
  return exposureWindows(events, anonymous);
}
