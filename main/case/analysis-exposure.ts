// Exposure windows from the configuration events in the case (a handful of rows, read through the
// events_config partial index) and the anonymous activity per bucket (from download_hours).
import type { ExposureWindow } from '../../shared/analysis';
import { exposureWindows, type AnonymousActivity, type ConfigEvent } from '../analysis/exposure';
import { all, type ReadableDB } from './db';
import { sql } from './sql';

/** The query for configuration events; the NOT IN term repeats the partial index's own WHERE so SQLite may use it. */
export const CONFIG_EVENTS_SQL = sql`
  SELECT id, time, action, bucket, key, error_code AS errorCode, event_id AS eventId, raw FROM events
  WHERE kind NOT IN ('download', 'list', 'head', 'other', 'upload', 'delete')
    AND kind IN ('acl-change', 'policy-change', 'public-access-change') AND source = 'cloudtrail'
  ORDER BY time, id`;

export const ANONYMOUS_SQL = sql`
  SELECT bucket, min(first_anonymous) AS first, max(last_anonymous) AS last FROM download_hours
  WHERE anonymous > 0 GROUP BY bucket`;

export function computeExposure(db: ReadableDB): ExposureWindow[] {
  const events = all<ConfigEvent>(db, CONFIG_EVENTS_SQL);
  const anonymous = all<AnonymousActivity>(db, ANONYMOUS_SQL);
  return exposureWindows(events, anonymous);
}
