// The fold in slices (updateAnalysisInSlices: one short transaction per slice, with turns between
// them for waiting requests) gives the summaries the whole fold gives; between slices they cover a
// prefix of the downloads and the case says they are not current.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rebuildAnalysis, updateAnalysisInSlices } from '../../../main/case/analysis-update';
import type { WritableDB } from '../../../main/case/db';
import { analysisStaleness } from '../../../main/case/freshness';
import { derivationBehind } from '../../../main/case/rederive';
import { addFile, download, mgmt, newCase, summaries } from './case-builder';

const T0 = Date.parse('2024-03-01T10:00:00Z');
const H = 3_600_000;
const B = 'acme-db-backups';
const ARN = 'arn:aws:iam::111122223333:user/alice';
const BOB = 'arn:aws:iam::111122223333:user/bob';

/**
 * Five files: a window opened and closed by ACL changes, CloudTrail reads (ranged ones, many user
 * agents, access keys), an access log that logs some of the same requests (merges into downloads
 * already folded when the files before it were), an object that grows, reads in the boundary second.
 * `foldFirst` files are folded whole as they come; the rest are left for the caller to fold.
 */
function build(db: WritableDB, foldFirst: number): void {
  const files: Array<() => void> = [
    () => addFile(db, [mgmt('PutBucketAcl', T0, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] })], 'cloudtrail-file', foldFirst > 0),
    () => addFile(db, [
      ...Array.from({ length: 60 }, (_, i) => download({ time: T0 + i * 1000, key: `k${i % 7}.sql`, actor: ARN, sourceIp: '192.0.2.1', requestId: `A${i}`, userAgent: `agent-${i}`, accessKeyId: i % 2 ? 'AKIA1' : null })),
      ...Array.from({ length: 12 }, (_, i) => download({ time: T0 + H + i * 1000, key: 'big.tar.gz', actor: BOB, sourceIp: '192.0.2.2', requestId: `R${i}`, status: 206, range: `bytes=${(i % 4) * 10}-${(i % 4) * 10 + 9}`, bytesSent: 10, objectSize: 40 })),
      download({ time: T0 + 500, key: 'edge.sql', actor: ARN, sourceIp: '192.0.2.1', requestId: 'E1' }),
    ], 'cloudtrail-file', foldFirst > 1),
    () => addFile(db, [
      ...Array.from({ length: 30 }, (_, i) => download({ time: T0 + i * 1000 + 200, key: `k${i % 7}.sql`, actor: 'anonymous', sourceIp: '192.0.2.1', requestId: `A${i}`, status: 200, bytesSent: 100, objectSize: 100 }, 's3-access-log')),
      ...Array.from({ length: 40 }, (_, i) => download({ time: T0 + 2 * H + i * 7000, key: `pub/${i % 5}.bak`, sourceIp: `198.51.100.${i % 9}`, status: 200, bytesSent: 50 + i, objectSize: 80 }, 's3-access-log')),
    ], 's3-access-log', foldFirst > 2),
    () => addFile(db, [mgmt('PutBucketAcl', T0 + 3 * H, 'acl-change', { bucketName: B, 'x-amz-acl': ['private'] })], 'cloudtrail-file', foldFirst > 3),
    () => addFile(db, [
      ...Array.from({ length: 25 }, (_, i) => download({ time: T0 + 3 * H + (i - 5) * 1000, key: `pub/${i % 5}.bak`, sourceIp: `198.51.100.${i % 4}`, status: 200, bytesSent: 120, objectSize: 120 }, 's3-access-log')),
      download({ time: T0 + H + 3000, key: 'big.tar.gz', actor: 'anonymous', sourceIp: '192.0.2.2', requestId: 'R3', status: 206, bytesSent: 10, objectSize: 40 }, 's3-access-log'),
    ], 's3-access-log', foldFirst > 4),
  ];
  for (const f of files) f();
}

/** Folds what is left in slices of a few events and downloads; checks every state between slices. */
async function foldInSlices(db: WritableDB): Promise<number> {
  let turns = 0;
  const folded = (name: string) => (db.prepare(`SELECT value FROM analysis_progress WHERE name = ?`).pluck().get(name) as number | undefined) ?? 0;
  await updateAnalysisInSlices(db, async () => {
    turns++;
    assert.match(analysisStaleness(db) ?? '', /summaries do not include/, 'not current between slices');
    assert.notEqual(derivationBehind(db), null, 'verify compares nothing between slices: the case is behind, not wrong');
    // Every summary covers the same prefix: the downloads up to the folded mark, no more, no fewer.
    const prefix = db.prepare('SELECT count(*) AS n, coalesce(sum(bytes_sent), 0) AS b FROM downloads WHERE id <= ?').get(folded('downloads'));
    for (const [table, n, b] of [['actor_stats', 'downloads', 'bytes'], ['object_stats', 'downloads', 'bytes_out'], ['download_hours', 'downloads', 'bytes']]) {
      assert.deepEqual(db.prepare(`SELECT coalesce(sum(${n}), 0) AS n, coalesce(sum(${b}), 0) AS b FROM ${table}`).get(), prefix, table);
    }
  }, { start: { events: 3, downloads: 2 }, fixed: true });
  assert.equal(analysisStaleness(db), null, 'current after the last slice');
  assert.equal(derivationBehind(db), null);
  return turns;
}

function assertSameAsRebuild(db: WritableDB): void {
  const sliced = summaries(db);
  rebuildAnalysis(db);
  const rebuilt = summaries(db);
  for (const t of Object.keys(sliced)) assert.deepEqual(sliced[t], rebuilt[t], t);
}

test('a case folded in slices of a few events and downloads equals a rebuild from scratch, and every state between slices covers a prefix', async (t) => {
  const db = newCase(t);
  build(db, 0);
  const turns = await foldInSlices(db);
  assert.ok(turns > 50, `folded in many slices (${turns})`);
  assertSameAsRebuild(db);
});

test('later files folded in slices, merging into downloads folded whole before them, equal a rebuild', async (t) => {
  for (const foldFirst of [1, 2, 3, 4]) {
    const db = newCase(t);
    build(db, foldFirst);
    await foldInSlices(db);
    assertSameAsRebuild(db);
  }
});
