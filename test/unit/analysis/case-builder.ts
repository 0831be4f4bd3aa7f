// Builds real case files for analysis tests: normalized events written through the import writer,
// then the summaries brought up to date, as an import does.
import { toRows } from '../../../main/ingest/rows';
import { join } from 'node:path';
import type { NormalizedEvent } from '../../../shared/events';
import { openWritable, type WritableDB } from '../../../main/case/db';
import { EvidenceWriter } from '../../../main/case/import-writer';
import { updateAnalysis } from '../../../main/case/analysis-update';
import { tempDir } from '../../support/paths';

let fileNo = 0;

export function newCase(t: { after(fn: () => void): void }): WritableDB {
  const db = openWritable(join(tempDir(t, 'trailmark-analysis-'), 'case.sqlite'));
  t.after(() => db.close());
  return db;
}

/** Writes events as one evidence file and folds them into the summaries (unless `fold` is false: the caller folds). */
export function addFile(db: WritableDB, events: NormalizedEvent[], format: 'cloudtrail-file' | 's3-access-log' = 'cloudtrail-file', fold = true): void {
  const n = ++fileNo;
  const w = EvidenceWriter.begin(db, { path: `/evidence/file-${n}`, origin: { type: 'file' }, sha256: n.toString(16).padStart(64, '0'), size: 1, format, examiner: null });
  w.write(toRows(events.map((e, i) => ({ ...e, locator: i }))), [], events.length);
  w.finish();
  if (fold) updateAnalysis(db);
}

/** Every summary table, by natural keys (surrogate ids replaced), sorted. */
export function summaries(db: WritableDB): Record<string, unknown[]> {
  const q = (s: string) => db.prepare(s).all();
  return {
    actor_stats: q(`SELECT * FROM actor_stats ORDER BY actor_key`).map((r) => ({ ...(r as object), aid: undefined })),
    object_stats: q(`SELECT * FROM object_stats ORDER BY bucket, key`).map((r) => ({ ...(r as object), oid: undefined })),
    actor_objects: q(`SELECT a.actor_key, o.bucket, o.key, x.* FROM actor_objects x JOIN actor_stats a USING (aid) JOIN object_stats o USING (oid)
      ORDER BY a.actor_key, o.bucket, o.key`).map((r) => ({ ...(r as object), aid: undefined, oid: undefined })),
    actor_agents: q(`SELECT a.actor_key, x.user_agent FROM actor_agents x JOIN actor_stats a USING (aid) ORDER BY 1, 2`),
    download_hours: q(`SELECT * FROM download_hours ORDER BY bucket, hour`),
    source_hours: q(`SELECT * FROM source_hours ORDER BY bucket, source, hour`),
    backup_downloads: q(`SELECT b.time, d.request_key FROM backup_downloads b JOIN downloads d USING (id) ORDER BY 1, 2`),
    sources: q(`SELECT name, value FROM analysis_progress WHERE name LIKE 'sources%' AND value != 0 ORDER BY name`),
  };
}

const base: NormalizedEvent = {
  time: 0, source: 'cloudtrail', action: 'GetObject', kind: 'download', actor: 'anonymous', actorType: 'anonymous', accountId: null,
  accessKeyId: null, sourceIp: null, userAgent: null, bucket: 'acme-db-backups', key: null, status: 200, errorCode: null, bytesSent: null,
  objectSize: null, requestId: null, hostId: null, eventId: null, region: 'eu-west-1', range: null, locator: 0, raw: '{}',
};

let req = 0;
/** A download seen by CloudTrail (source 'cloudtrail') or by the access log. */
export function download(o: Partial<NormalizedEvent> & { time: number; key: string }, source: 'cloudtrail' | 's3-access-log' = 'cloudtrail'): NormalizedEvent {
  const requestId = o.requestId ?? `REQ${(++req).toString(16).toUpperCase().padStart(12, '0')}`;
  const e: NormalizedEvent = {
    ...base, ...o, source, requestId,
    action: source === 'cloudtrail' ? 'GetObject' : 'REST.GET.OBJECT',
    eventId: source === 'cloudtrail' ? `evt-${requestId}` : null,
  };
  return { ...e, raw: o.raw ?? JSON.stringify({ eventName: e.action, requestID: requestId, t: e.time, src: source }) };
}

/** A CloudTrail management event with its raw record. */
export function mgmt(action: string, time: number, kind: NormalizedEvent['kind'], requestParameters: object, extra: Record<string, unknown> = {}): NormalizedEvent {
  const eventId = `mgmt-${++req}`;
  const rp = requestParameters as { bucketName?: string };
  const raw = JSON.stringify({ eventName: action, eventTime: new Date(time).toISOString(), eventID: eventId, recipientAccountId: '111122223333',
    userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ops', accountId: '111122223333' }, requestParameters, ...extra });
  return { ...base, time, action, kind, actor: 'arn:aws:iam::111122223333:user/ops', actorType: 'IAMUser', bucket: rp.bucketName ?? null,
    status: null, eventId, requestId: null, errorCode: (extra.errorCode as string) ?? null, raw };
}
