// Configuration changes the case holds but cannot replay: a PutBucketAcl or PutBucketPolicy whose record
// does not tell its request (rebuilt from a Lake or Athena row that did not select it). Such a change is
// not "granted nothing": from it on, the bucket's exposure is unknown. Each one is a gap in what the
// evidence tells, and an exposure window running over it says that it may have changed there.
import type { ExposureWindow, Gap } from '../../shared/analysis';
import { untoldReason } from '../ingest/canonical-record';
import { requestUnknown, type ConfigEvent } from './exposure';

export function unknownChanges(events: ConfigEvent[]): Gap[] {
  return events.filter(requestUnknown).map((ev) => ({
    bucket: ev.bucket, kind: 'unknown-change', source: 'cloudtrail-management', from: new Date(ev.time).toISOString(), to: null, hours: 0,
    otherEvents: 0, action: ev.action, eventId: ev.eventId,
    note: `${ev.action}${ev.key ? ` on ${ev.key}` : ''} changed who could read the ${ev.key ? 'object' : 'bucket'}, but ${untoldReason(ev.record!, 'requestParameters')}: `
      + 'what it granted, and so the exposure from then on, is unknown; read the full record (a trail file or LookupEvents) to answer',
  }));
}

/** Windows with a note where an unknown change falls inside them (or at their open end). */
export function noteUnknownChanges(windows: ExposureWindow[], events: ConfigEvent[]): ExposureWindow[] {
  const unknown = events.filter(requestUnknown);
  if (!unknown.length) return windows;
  return windows.map((w) => {
    const inside = unknown.filter((ev) => ev.bucket === w.bucket && (w.key === null || ev.key === null || ev.key === w.key)
      && (w.fromMs === null || ev.time >= w.fromMs) && (w.toMs === null || ev.time <= w.toMs));
    if (!inside.length) return w;
    const said = `the window may have changed or ended at ${inside.map((ev) => `${ev.action} ${new Date(ev.time).toISOString()} (${ev.eventId ?? `event ${ev.id}`})`).join(', ')}, whose request the case does not hold`;
    return { ...w, note: [w.note, said].filter(Boolean).join('; ') };
  });
}
