// Coverage and gaps: per bucket, the UTC hours in which each source logged object-level activity,
// and the stretches where one source shows activity and the other is silent. S3 delivers access
// logs on a best-effort basis, so a silent hour is not proof of no access: it is where the
// evidence says nothing, which the investigator must be able to state. Also the logging
// reconfigurations (StopLogging, DeleteTrail, PutEventSelectors, PutBucketLogging…) as gaps.
import type { CoverageSource, Gap, SourceCoverage } from '../../shared/analysis';
import { tells, untoldReason, type CloudTrailRecord } from '../ingest/canonical-record';
import { HOUR } from '../../shared/analysis';

export interface HourRow { bucket: string; source: CoverageSource; hour: number; events: number }
/** A logging change; `record` is its canonical CloudTrail record, null for an access-log line. */
export interface LoggingEvent { id: number; time: number; action: string; bucket: string | null; errorCode: string | null; eventId: string | null; record: CloudTrailRecord | null }

const iso = (hour: number) => new Date(hour * HOUR).toISOString();

export function coverage(rows: HourRow[]): SourceCoverage[] {
  const map = new Map<string, SourceCoverage & { minH: number; maxH: number }>();
  for (const r of rows) {
    const k = `${r.bucket}\0${r.source}`;
    let c = map.get(k);
    if (!c) map.set(k, (c = { bucket: r.bucket, source: r.source, hours: 0, first: null, last: null, events: 0, minH: r.hour, maxH: r.hour }));
    c.hours++;
    c.events += r.events;
    c.minH = Math.min(c.minH, r.hour);
    c.maxH = Math.max(c.maxH, r.hour);
  }
  return [...map.values()].map(({ minH, maxH, ...c }) => ({ ...c, first: iso(minH), last: iso(maxH + 1) }))
    .sort((a, b) => a.bucket.localeCompare(b.bucket) || a.source.localeCompare(b.source));
}

/** Hours where one of the two object-level sources has events for a bucket and the other has none, merged into runs. */
export function sourceGaps(rows: HourRow[]): Gap[] {
  const byBucket = new Map<string, { s3: Map<number, number>; ct: Map<number, number> }>();
  for (const r of rows) {
    if (r.source === 'cloudtrail-management') continue;
    let b = byBucket.get(r.bucket);
    if (!b) byBucket.set(r.bucket, (b = { s3: new Map(), ct: new Map() }));
    (r.source === 's3-access-log' ? b.s3 : b.ct).set(r.hour, r.events);
  }
  const gaps: Gap[] = [];
  for (const [bucket, { s3, ct }] of byBucket) {
    for (const [silent, present, other] of [['s3-access-log', s3, ct], ['cloudtrail-data', ct, s3]] as const) {
      if (present.size === 0) {
        const hours = [...other.keys()].sort((a, b) => a - b);
        gaps.push({
          bucket, kind: 'source-absent', source: silent, from: iso(hours[0]), to: iso(hours[hours.length - 1] + 1), hours: hours.length,
          otherEvents: [...other.values()].reduce((a, b) => a + b, 0), action: null, eventId: null,
          note: silent === 's3-access-log'
            ? 'no S3 server access log in the case covers this bucket: only CloudTrail speaks for it'
            : 'no CloudTrail data events in the case for this bucket (data events may not have been enabled): only the access logs speak for it',
        });
        continue;
      }
      const missing = [...other.keys()].filter((h) => !present.has(h)).sort((a, b) => a - b);
      let start: number | null = null;
      let prev = 0;
      let n = 0;
      const flush = () => {
        if (start === null) return;
        gaps.push({
          bucket, kind: 'source-silent', source: silent, from: iso(start), to: iso(prev + 1), hours: prev - start + 1, otherEvents: n,
          action: null, eventId: null,
          note: `${silent === 's3-access-log' ? 'no access-log record' : 'no CloudTrail data event'} for ${prev - start + 1} hour(s) in which ${silent === 's3-access-log' ? 'CloudTrail' : 'the access log'} shows ${n} event(s)`,
        });
      };
      for (const h of missing) {
        if (start !== null && h === prev + 1) {
          prev = h;
          n += other.get(h)!;
          continue;
        }
        flush();
        start = prev = h;
        n = other.get(h)!;
      }
      flush();
    }
  }
  return gaps.sort((a, b) => (a.bucket ?? '').localeCompare(b.bucket ?? '') || (a.from ?? '').localeCompare(b.from ?? ''));
}

type Json = Record<string, unknown>;

/** Logging switched off or reconfigured; a StopLogging gap runs until the next StartLogging of the same trail. */
export function loggingGaps(events: LoggingEvent[]): Gap[] {
  const out: Gap[] = [];
  const sorted = [...events].sort((a, b) => a.time - b.time);
  for (const ev of sorted) {
    if (ev.errorCode) continue;
    // An access-log line: the action is all we know. A record that does not tell its request (a Lake
    // row): the trail, selectors and logging status are unknown, and the notes say so.
    const rec: Json = ev.record ?? {};
    const unknown = ev.record !== null && !tells(ev.record, 'requestParameters') ? untoldReason(ev.record, 'requestParameters') : null;
    const rp = (rec.requestParameters ?? {}) as Json;
    const trail = unknown ? null : ((rp.name ?? rp.trailName ?? null) as string | null);
    const trailName = unknown ? `(not named: ${unknown})` : trail ?? '(unnamed)';
    const at = new Date(ev.time).toISOString();
    const base = { bucket: ev.bucket, kind: 'logging-change' as const, action: ev.action, eventId: ev.eventId, otherEvents: 0 };
    if (ev.action === 'StopLogging' || ev.action === 'DeleteTrail') {
      const resume = sorted.find((e) => e.time > ev.time && !e.errorCode && (e.action === 'StartLogging' || e.action === 'CreateTrail') && sameTrail(e, trail));
      const to = resume ? resume.time : null;
      out.push({
        ...base, source: 'cloudtrail-data', from: at, to: to === null ? null : new Date(to).toISOString(),
        hours: to === null ? 0 : Math.ceil((to - ev.time) / HOUR),
        note: `${ev.action} on trail ${trailName}: CloudTrail stopped recording${resume ? ` until ${resume.action}` : ' and the case shows no restart'}`,
      });
    } else if (ev.action === 'PutEventSelectors') {
      const selectors = JSON.stringify(rp.eventSelectors ?? rp.advancedEventSelectors ?? null);
      const noData = /"dataResources":\[\]/.test(selectors) || !/dataResources|resources\.type/.test(selectors);
      out.push({ ...base, source: 'cloudtrail-data', from: at, to: null, hours: 0,
        note: `event selectors of trail ${trailName} changed${unknown ? '; whether S3 data events are still selected is unknown' : noData ? '; S3 data events are no longer selected' : ''}` });
    } else if (ev.action === 'PutBucketLogging' || ev.action === 'REST.PUT.LOGGING_STATUS') {
      const status = JSON.stringify(rp.BucketLoggingStatus ?? null);
      const off = ev.action === 'PutBucketLogging' && !unknown && !/LoggingEnabled/.test(status);
      out.push({ ...base, source: 's3-access-log', from: at, to: null, hours: 0,
        note: unknown ? `server access logging reconfigured; whether it was switched off is unknown (${unknown})`
          : off ? 'server access logging switched off for the bucket' : 'server access logging reconfigured (target bucket or prefix may have changed)' });
    } else if (ev.action === 'UpdateTrail') {
      out.push({ ...base, source: 'cloudtrail-management', from: at, to: null, hours: 0, note: `trail ${trailName} reconfigured` });
    }
  }
  return out;
}

function sameTrail(e: LoggingEvent, trail: string | null): boolean {
  if (trail === null) return true;
  // A restart whose record does not name its trail may be this trail's: the gap ends there, as for an unnamed one.
  if (!e.record || !tells(e.record, 'requestParameters')) return e.record !== null;
  const rp = (e.record.requestParameters ?? {}) as Json;
  const name = (rp.name ?? rp.trailName ?? '') as string;
  return name === trail || name.endsWith(`/${trail}`) || trail.endsWith(`/${name}`);
}
