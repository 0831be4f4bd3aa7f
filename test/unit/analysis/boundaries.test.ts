// The one exposure-boundary rule (shared/exposure-rule), unknown bytes kept apart from zero in the
// summaries as files arrive, migration 007 on a case written before it, and open windows bounded by
// their own bucket's evidence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { actorSummaries, analysisConditions, analysisSummary, objectSummaries } from '../../../main/case/analysis';
import { rebuildAnalysis, updateAnalysis } from '../../../main/case/analysis-update';
import { loadMigrations, type WritableDB } from '../../../main/case/db';
import { timelinePage } from '../../../main/case/timeline';
import { boundOpenEnds } from '../../../main/analysis/exposure-bounds';
import type { ExposureWindow } from '../../../shared/analysis';
import { bytesSentPhrase, formatByteSum, formatBytes } from '../../../shared/bytes';
import { classifyTime, exposureClassifier, exposureTargets, OPEN_END } from '../../../shared/exposure-rule';
import { addFile, download, mgmt, newCase } from './case-builder';

const T0 = Date.parse('2024-03-01T10:00:00Z');
const H = 3_600_000;
const B = 'acme-db-backups';

function win(o: Partial<ExposureWindow> & { bucket: string }): ExposureWindow {
  return {
    key: null, from: null, fromMs: null, to: null, toMs: null, scope: 'public', accounts: [], via: 'acl', conditional: false, conditions: [],
    openedBy: null, openedByEvent: null, closedBy: null, closedByEvent: null, note: null, blockedBy: null, ...o,
  };
}

test('the rule: the opening and the closing second are the boundary; strictly between is inside; open ends have no boundary', () => {
  const spans = [{ from: T0, to: T0 + H }];
  assert.equal(classifyTime(spans, T0 - 1), 'outside');
  assert.equal(classifyTime(spans, T0), 'boundary');
  assert.equal(classifyTime(spans, T0 + 999), 'boundary', 'anywhere in the opening second');
  assert.equal(classifyTime(spans, T0 + 1000), 'inside');
  assert.equal(classifyTime(spans, T0 + H - 1), 'inside', 'the last millisecond before the closing second');
  assert.equal(classifyTime(spans, T0 + H), 'boundary');
  assert.equal(classifyTime(spans, T0 + H + 999), 'boundary');
  assert.equal(classifyTime(spans, T0 + H + 1000), 'outside');
  // A change logged with milliseconds still makes its whole second the boundary.
  assert.equal(classifyTime([{ from: T0 + 400, to: OPEN_END }], T0 + 100), 'boundary');
  assert.equal(classifyTime([{ from: -OPEN_END, to: T0 }], T0 - 5 * H), 'inside', 'open start: no boundary, inside back to the start');
  assert.equal(classifyTime([{ from: T0, to: OPEN_END }], T0 + 50 * H), 'inside');
});

test('the rule: touching windows merge (no boundary between them); an object\'s own window adds to its bucket\'s', () => {
  const windows = [
    win({ bucket: B, fromMs: T0, toMs: T0 + H }),
    win({ bucket: B, fromMs: T0 + H, toMs: T0 + 2 * H, via: 'policy' }),
    win({ bucket: B, key: 'k', fromMs: T0 + 3 * H, toMs: T0 + 4 * H }),
  ];
  assert.deepEqual(exposureTargets(windows).map((t) => [t.key, t.spans.length]), [[null, 1], ['k', 2]]);
  const c = exposureClassifier(windows);
  assert.equal(c({ bucket: B, key: 'x', timeMs: T0 + H }), 'inside', 'the grant changed: exposed on both sides of that second');
  assert.equal(c({ bucket: B, key: 'x', timeMs: T0 + 3.5 * H }), 'outside');
  assert.equal(c({ bucket: B, key: 'k', timeMs: T0 + 3.5 * H }), 'inside');
  assert.equal(c({ bucket: B, key: 'k', timeMs: T0 + 2 * H }), 'boundary', 'the object shares its bucket\'s closing second');
  assert.equal(c({ bucket: 'other', key: 'k', timeMs: T0 + 30 * 60e3 }), 'outside');
});

test('one byte convention: decimal units; a sum with unknown rows is a lower bound that says how many', () => {
  assert.deepEqual([formatBytes(999), formatBytes(1000), formatBytes(1_234_567), formatBytes(null)], ['999 bytes', '1.0 KB', '1.2 MB', 'unknown']);
  assert.equal(formatByteSum({ bytes: 1_200_000, unknown: 20, rows: 32 }), '≥ 1.2 MB');
  assert.equal(formatByteSum({ bytes: 0, unknown: 20, rows: 20 }), 'unknown');
  assert.equal(formatByteSum({ bytes: 0, unknown: 0, rows: 0 }), '0 bytes');
  assert.equal(bytesSentPhrase({ bytes: 1_200_000, unknown: 20, rows: 32 }), '≥ 1.2 MB sent; bytes unknown for 20 of 32 downloads');
  assert.equal(bytesSentPhrase({ bytes: 0, unknown: 20, rows: 20 }), 'bytes sent unknown (bytes not logged for any of the 20 downloads)');
});

test('the SQL filter and the summaries follow the rule over a real case', (t) => {
  const db = newCase(t);
  addFile(db, [
    mgmt('PutBucketAcl', T0, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] }),
    mgmt('PutBucketAcl', T0 + 48 * H, 'acl-change', { bucketName: B, 'x-amz-acl': ['private'] }),
  ]);
  addFile(db, [
    download({ time: T0, key: 'open.sql', sourceIp: '192.0.2.1', status: 200, bytesSent: 10, objectSize: 10 }, 's3-access-log'),
    download({ time: T0 + H, key: 'in.sql', sourceIp: '192.0.2.1', status: 200, bytesSent: 10, objectSize: 10 }, 's3-access-log'),
    download({ time: T0 + 48 * H, key: 'close.sql', sourceIp: '192.0.2.1', status: 200, bytesSent: 10, objectSize: 10 }, 's3-access-log'),
    download({ time: T0 + 48 * H + 1000, key: 'after.sql', sourceIp: '192.0.2.1', status: 200, bytesSent: 10, objectSize: 10 }, 's3-access-log'),
  ], 's3-access-log');
  const keys = (exposure: 'inside' | 'boundary' | 'outside') => timelinePage(db, {}, null, 100, analysisConditions(db, { exposure })).rows.map((r) => r.key);
  assert.deepEqual([keys('inside'), keys('boundary'), keys('outside')], [['in.sql'], ['open.sql', 'close.sql'], ['after.sql']]);
  const a = actorSummaries(db).find((x) => x.actorKey === 'anonymous@192.0.2.1')!;
  assert.deepEqual([a.downloadsInExposure, a.downloadsAtBoundary], [1, 2]);
  // The fold (download by download) and the recount (after a window moves) give the same answer.
  addFile(db, [mgmt('PutBucketAcl', T0 + 72 * H, 'acl-change', { bucketName: B, 'x-amz-acl': ['private'] })]);
  const again = actorSummaries(db).find((x) => x.actorKey === 'anonymous@192.0.2.1')!;
  assert.deepEqual([again.downloadsInExposure, again.downloadsAtBoundary], [1, 2]);
});

test('unknown bytes: a CloudTrail-only download is unknown, not 0, until the access log tells; fold and rebuild agree', (t) => {
  const db = newCase(t);
  addFile(db, [
    download({ time: T0, key: 'db.sql', sourceIp: '192.0.2.1', requestId: 'R1' }),
    download({ time: T0 + H, key: 'db.sql', sourceIp: '192.0.2.1', requestId: 'R2' }),
  ]);
  const before = actorSummaries(db)[0];
  assert.deepEqual([before.downloads, before.bytes, before.bytesUnknown, before.completenessUnknown], [2, 0, 2, 2]);
  assert.deepEqual([objectSummaries(db)[0].bytesOut, objectSummaries(db)[0].bytesUnknown], [0, 2]);
  // The access log saw R1 with its bytes: one of the two is known now.
  addFile(db, [download({ time: T0, key: 'db.sql', sourceIp: '192.0.2.1', requestId: 'R1', status: 200, bytesSent: 700, objectSize: 1000 }, 's3-access-log')], 's3-access-log');
  const after = actorSummaries(db)[0];
  assert.deepEqual([after.downloads, after.bytes, after.bytesUnknown, after.completenessUnknown], [2, 700, 1, 1]);
  const o = objectSummaries(db)[0];
  assert.deepEqual([o.bytesOut, o.bytesUnknown, o.completenessUnknown], [700, 1, 1]);
  const folded = analysisSummary(db);
  rebuildAnalysis(db);
  const rebuilt = analysisSummary(db);
  assert.deepEqual(rebuilt.actors, folded.actors);
  assert.deepEqual(rebuilt.objects, folded.objects);
});

test('migration 007 fills the unknown-bytes and boundary counts of a case summarised before it', (t) => {
  const db = newCase(t);
  addFile(db, [
    mgmt('PutBucketAcl', T0, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] }),
    download({ time: T0, key: 'edge.sql', sourceIp: '192.0.2.1', requestId: 'R1' }),
    download({ time: T0 + H, key: 'in.sql', sourceIp: '192.0.2.1', requestId: 'R2', bytesSent: 5 }),
  ]);
  const expected = analysisSummary(db);
  assert.deepEqual([expected.actors[0].bytesUnknown, expected.actors[0].completenessUnknown, expected.actors[0].downloadsAtBoundary], [1, 2, 1]);
  const path = db.name;
  db.close();
  // The summaries as schema 6 left them: no such columns, downloads already folded. (Only 007's own
  // columns are taken away; later migrations' tables stay, so 007's SQL is run on its own.)
  const raw = new Database(path);
  t.after(() => raw.close());
  for (const [table, col] of [['actor_stats', 'bytes_unknown'], ['actor_stats', 'at_boundary'], ['object_stats', 'bytes_unknown'], ['actor_objects', 'bytes_unknown'],
    ['actor_stats', 'complete_unknown'], ['object_stats', 'complete_unknown'], ['actor_objects', 'complete_unknown']]) {
    raw.exec(`ALTER TABLE ${table} DROP COLUMN ${col}`);
  }
  const m007 = loadMigrations().find((m) => m.version === 7)!;
  assert.match(m007.name, /^007-/);
  raw.transaction(() => raw.exec(m007.sql))();
  const upgraded = raw as unknown as WritableDB;
  updateAnalysis(upgraded);
  const got = analysisSummary(upgraded);
  assert.deepEqual(got.actors, expected.actors);
  assert.deepEqual(got.objects, expected.objects);
});

test('an open window is bounded by its own bucket\'s evidence (a 2010 log of another bucket does not stretch it)', (t) => {
  const db = newCase(t);
  const Y2010 = Date.parse('2010-03-03T12:00:00Z');
  addFile(db, [download({ time: Y2010, key: 'ledger.csv', bucket: 'old-archive', sourceIp: '10.0.0.9', status: 200, bytesSent: 5, objectSize: 5 }, 's3-access-log')], 's3-access-log');
  addFile(db, [
    download({ time: T0 + 90 * 60e3 + 1234, key: 'a.zip', sourceIp: '192.0.2.1', status: 200, bytesSent: 5, objectSize: 5 }, 's3-access-log'),
    download({ time: T0 + 5 * H, key: 'b.zip', sourceIp: '192.0.2.1', status: 200, bytesSent: 5, objectSize: 5 }, 's3-access-log'),
  ], 's3-access-log');
  const w = analysisSummary(db).exposure.find((x) => x.bucket === B)!;
  assert.deepEqual([w.fromMs, w.toMs, w.via], [null, null, 'observed']);
  assert.deepEqual(w.bucketEvidence, { fromMs: T0 + 90 * 60e3 + 1234, toMs: T0 + 5 * H }, 'exact first and last event of that bucket');
  // Pure: closed windows are left as they are; a bucket with no evidence gets null.
  const closed = win({ bucket: B, fromMs: T0, toMs: T0 + H });
  assert.equal(boundOpenEnds([closed], [{ bucket: B, fromMs: 1, toMs: 2 }])[0], closed);
  assert.equal(boundOpenEnds([win({ bucket: 'none' })], [])[0].bucketEvidence, null);
});
