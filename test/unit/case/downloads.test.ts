// Downloads are derived by two roads — upsert through the unique index for a few new events, append
// then merge for a large backlog — and both must give the same downloads, whatever was already there.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { NormalizedEvent } from '../../../shared/events';
import { openCase } from '../../../main/case/open';
import { openWritable, type WritableDB } from '../../../main/case/db';
import { deriveDownloads, downloadCount } from '../../../main/case/downloads';
import { EvidenceWriter } from '../../../main/case/import-writer';
import { toRows } from '../../../main/ingest/rows';
import { requestHash } from '../../../main/case/request-hash';
import { download } from '../analysis/case-builder';
import { tempDir } from '../../support/paths';

const T0 = Date.UTC(2017, 7, 12, 3);
let fileNo = 0;

function write(db: WritableDB, events: NormalizedEvent[]): void {
  const n = ++fileNo;
  const w = EvidenceWriter.begin(db, { path: `/e/${n}`, origin: { type: 'file' }, sha256: n.toString(16).padStart(64, '0'), size: 1, format: 'cloudtrail-file', examiner: null });
  w.write(toRows(events.map((e, i) => ({ ...e, locator: i + 1 }))), [], events.length);
  w.finish();
}

/**
 * Access-log and CloudTrail records of the same requests, each source knowing different fields (the
 * access log: sizes, agent; CloudTrail: the principal; where both know a field they may disagree), some
 * requests in one source only, one range read.
 */
function evidence(): { s3: NormalizedEvent[]; ct: NormalizedEvent[] } {
  const s3: NormalizedEvent[] = [];
  const ct: NormalizedEvent[] = [];
  for (let i = 0; i < 40; i++) {
    const requestId = `R${String(i).padStart(4, '0')}`;
    const key = `backups/db-${i % 7}.sql.gz`;
    const time = T0 + i * 1000;
    if (i % 5 !== 0) {
      s3.push(download({ time: time + 1, key, requestId, sourceIp: `198.51.100.${i}`, userAgent: 'curl/8', bytesSent: 100, objectSize: i % 3 ? 100 : 400,
        status: i === 7 ? 206 : 200, range: i === 7 ? 'bytes=0-99' : null, actor: 'anonymous', eventId: null }, 's3-access-log'));
    }
    if (i % 4 !== 0) {
      ct.push(download({ time, key, requestId, sourceIp: i % 3 ? `198.51.100.${i}` : `203.0.113.${i}`, userAgent: i % 2 ? 'aws-cli/2' : null, actor: i % 2 ? `arn:aws:iam::111122223333:user/u${i}` : 'anonymous', bytesSent: null }));
    }
  }
  ct.push(download({ time: T0, key: 'no-request-id.bak', requestId: null as unknown as string })); // no request ID: a download of its own
  return { s3, ct };
}

const rows = (db: WritableDB) => db.prepare(`
  SELECT request_key, time, actor, source_ip, user_agent, bucket, key, bytes_sent, object_size, status, range, request_id, sources,
         s3_event_id, ct_event_id, observations, complete
  FROM downloads ORDER BY request_key`).all();

function caseWith(t: { after(fn: () => void): void }, steps: Array<[NormalizedEvent[], boolean]>): WritableDB {
  const db = openWritable(join(tempDir(t), 'case.sqlite'));
  t.after(() => db.close());
  for (const [events, bulk] of steps) {
    write(db, events);
    deriveDownloads(db, { bulk });
  }
  return db;
}

test('appending then merging gives the downloads upserting gives, also onto downloads already in the case', (t) => {
  const { s3, ct } = evidence();
  const upserted = caseWith(t, [[s3, false], [ct, false]]);
  const bulk = caseWith(t, [[[...s3, ...ct], false]]);
  bulk.exec(`DELETE FROM download_ledger; DELETE FROM case_meta WHERE key LIKE 'downloads_%'`);
  deriveDownloads(bulk, { bulk: true });
  const mixed = caseWith(t, [[s3, false], [ct, true]]);
  const expected = rows(upserted);
  assert.equal(expected.length, 38 + 1, 'one per request seen (i = 0 and 20 are in neither source), and the request-less one');
  assert.deepEqual(rows(bulk), expected);
  assert.deepEqual(rows(mixed), expected);
  for (const db of [upserted, bulk, mixed]) assert.equal(downloadCount(db), expected.length);
  // Rows that were in the case keep their ids (notes and tags point at them).
  const ids = (db: WritableDB) => db.prepare('SELECT id, request_key FROM downloads WHERE s3_event_id IS NOT NULL ORDER BY id').all();
  assert.deepEqual(ids(mixed), ids(upserted));
  for (const db of [upserted, bulk, mixed]) assert.deepEqual(db.pragma('foreign_key_check'), []);
});

test('a bulk derivation cut short is finished when the case is next opened', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'case.sqlite');
  const { s3, ct } = evidence();
  let db = openWritable(path);
  write(db, [...s3, ...ct]);
  // As a crash would leave it: the request index dropped, every row appended, duplicates not yet merged.
  db.exec(`DROP INDEX IF EXISTS downloads_request; DROP INDEX downloads_time; INSERT OR REPLACE INTO case_meta (key, value) VALUES ('downloads_bulk_pending', '1')`);
  db.exec(`INSERT INTO download_ledger (rk, time, actor, bucket, key, sources, s3_event_id)
    SELECT ${requestHash('R0001', 'acme-db-backups', 'backups/db-1.sql.gz', 0)}, ${T0}, 'anonymous', 'acme-db-backups', 'backups/db-1.sql.gz', 1, id
    FROM events WHERE request_id = 'R0001' AND source = 's3-access-log'`);
  db.close();
  db = openCase(path);
  t.after(() => db.close());
  const index = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'downloads_request'`).get() as { sql: string } | undefined;
  assert.match(index?.sql ?? '', /UNIQUE/);
  const dup = db.prepare(`SELECT count(*) AS n FROM downloads GROUP BY request_key HAVING count(*) > 1`).all();
  assert.equal((db.prepare(`SELECT observations FROM downloads WHERE request_key LIKE 'R0001|%'`).get() as { observations: number }).observations, 3, 'the row merged with the two observations');
  assert.deepEqual(dup, []);
  assert.equal(downloadCount(db), (db.prepare('SELECT count(*) AS n FROM downloads').get() as { n: number }).n);
});
