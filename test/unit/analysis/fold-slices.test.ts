// The fold in slices (updateAnalysisInSlices: one short transaction per slice, with turns between
// them for waiting requests) gives the summaries the whole fold gives; between slices they cover a
// prefix of the downloads and the case says they are not current.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readNewDownloads, rebuildAnalysis, updateAnalysis, updateAnalysisInSlices } from '../../../main/case/analysis-update';
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
async function foldInSlices(db: WritableDB): Promise<{ turns: number; recomputedPairs: number }> {
  let turns = 0;
  const folded = (name: string) => (db.prepare(`SELECT value FROM analysis_progress WHERE name = ?`).pluck().get(name) as number | undefined) ?? 0;
  const { recomputedPairs } = await updateAnalysisInSlices(db, async () => {
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
  return { turns, recomputedPairs };
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
  const { turns, recomputedPairs } = await foldInSlices(db);
  assert.ok(turns > 50, `folded in many slices (${turns})`);
  // Objects that grow across the files (80 -> 120 bytes) were sized by every pending download before
  // the first was folded, so no pair had to be folded again.
  assert.equal(recomputedPairs, 0);
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

test('the fold reads each new download as the downloads view does: every field, the object, the access key (the trail\'s first)', (t) => {
  const db = newCase(t);
  build(db, 5);
  // Requests both sources logged, each with its own user agent and access key: which source wins shows.
  const both = (source: 'cloudtrail' | 's3-access-log') => Array.from({ length: 4 }, (_, i) => download({
    time: T0 + 5 * H + i * 1000, key: 'both.sql', actor: ARN, sourceIp: '192.0.2.9', requestId: `M${i}`, userAgent: `${source}-agent`,
    accessKeyId: `AKIA-${source}`, bytesSent: source === 'cloudtrail' ? 7 : 10, objectSize: 10,
  }, source));
  addFile(db, both('cloudtrail'));
  addFile(db, both('s3-access-log'), 's3-access-log');
  const last = db.prepare('SELECT max(id) FROM download_ledger').pluck().get() as number;
  db.transaction(() => readNewDownloads(db, 0, last))();
  type Row = { sources: number; user_agent: string | null; complete: number | null; status: number | null; access_key_id: string | null; bytes_sent: number | null };
  // The agent as its term's text (the scratch table keeps the id).
  const scratch = db.prepare(`SELECT id, time, object_id, actor, ak, source_ip, (SELECT text FROM terms WHERE id = agent) AS user_agent, bytes_sent, object_size,
    status, range, complete, sources, access_key_id FROM temp.fold_new ORDER BY id`).all() as Row[];
  const view = db.prepare(`SELECT d.id, d.time, (SELECT o.id FROM ledger_objects o WHERE o.bucket = d.bucket AND o.key = d.key) AS object_id, d.actor,
      CASE WHEN d.actor = 'anonymous' THEN 'anonymous@' || coalesce(d.source_ip, 'unknown') ELSE d.actor END AS ak, d.source_ip, d.user_agent,
      d.bytes_sent, d.object_size, d.status, d.range, d.complete, d.sources,
      CASE WHEN d.actor != 'anonymous' THEN coalesce((SELECT access_key_id FROM events WHERE id = d.ct_event_id), (SELECT access_key_id FROM events WHERE id = d.s3_event_id)) END AS access_key_id
    FROM downloads d ORDER BY d.id`).all() as Row[];
  assert.equal(scratch.length, last);
  assert.deepEqual(scratch, view);
  // What could tell a copy of the view's fields from the view: both sources of one request, a 206,
  // sizes or bytes not logged, access keys.
  assert.ok(view.some((r) => r.sources === 3 && r.user_agent !== null), 'a merged download with an agent');
  assert.ok(view.some((r) => r.status === 206 && r.complete === 0), 'a ranged read');
  assert.ok(view.some((r) => r.complete === null), 'a read whose completeness is unknown');
  const merged = view.filter((r) => r.user_agent?.endsWith('-agent') && r.sources === 3);
  assert.deepEqual(merged.map((r) => [r.user_agent, r.access_key_id, r.bytes_sent]), Array(4).fill(['s3-access-log-agent', 'AKIA-cloudtrail', 10]));
});

test('in-exposure counts classed download by download as a fresh fold groups them equal the recount over the windows', (t) => {
  const db = newCase(t);
  build(db, 0);
  // Folded whole with nothing folded before: each download classed as it is grouped, no recount.
  rebuildAnalysis(db);
  const classed = db.prepare('SELECT actor_key, in_exposure, at_boundary FROM actor_stats ORDER BY actor_key').all() as Array<{ in_exposure: number; at_boundary: number }>;
  assert.ok(classed.some((a) => a.in_exposure > 0) && classed.some((a) => a.at_boundary > 0), 'inside and at the boundary both counted');
  // The windows' signature forgotten, the next update recounts every actor from the windows by time range.
  db.prepare(`DELETE FROM analysis_progress WHERE name = 'exposure_signature'`).run();
  assert.equal(updateAnalysis(db).exposureRecomputed, true);
  assert.deepEqual(db.prepare('SELECT actor_key, in_exposure, at_boundary FROM actor_stats ORDER BY actor_key').all(), classed);
});
