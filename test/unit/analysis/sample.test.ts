// The sample generator end to end: deterministic files, imported through the real pipeline, and
// the analysis telling the story the sample was written to tell.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { actorSummaries, analysisSummary, backupTallies, objectSummaries } from '../../../main/case/analysis';
import { updateAnalysis } from '../../../main/case/analysis-update';
import { openWritable } from '../../../main/case/db';
import { importPaths } from '../../../main/import/run-import';
import { BUCKET, CLOSED_AT, EXPOSED_AT, OPS_USER, RESTORE_SESSION } from '../../../main/sample/scenario';
import { writeSample } from '../../../main/sample/write';
import { tempDir } from '../../support/paths';

const digest = (dir: string, files: string[]) => files.map((f) => `${f} ${createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')}`).sort();

test('sample: the same seed writes the same files, named as AWS delivers them', (t) => {
  const a = tempDir(t);
  const b = tempDir(t);
  const sa = writeSample(a);
  const sb = writeSample(b);
  assert.deepEqual(digest(a, sa.files), digest(b, sb.files));
  assert.ok(sa.files.some((f) => /^AWSLogs\/210987654321\/CloudTrail\/eu-west-1\/2024\/03\/05\/210987654321_CloudTrail_eu-west-1_20240305T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/.test(f)));
  assert.ok(sa.files.some((f) => /^s3-access-logs\/[\w-]+\/[\w-]+\/2024-03-0\d-\d\d-\d\d-\d\d-[0-9A-F]{16}$/.test(f)));
  const c = tempDir(t);
  assert.notDeepEqual(digest(a, sa.files), digest(c, writeSample(c, 7).files));
});

test('sample imported: exposure window, assembled copy, identity, delivery gap, backups taken', async (t) => {
  const dir = tempDir(t);
  writeSample(join(dir, 'evidence'));
  const casePath = join(dir, 'sample.trailmark');
  const summary = await importPaths(casePath, [join(dir, 'evidence')]);
  const failed = summary.files.filter((f) => f.status !== 'imported');
  assert.deepEqual(failed, [], 'every sample file imports');
  assert.equal(summary.rejected, 0);
  const db = openWritable(casePath);
  t.after(() => db.close());
  updateAnalysis(db);
  const s = analysisSummary(db);

  const bucketWindows = s.exposure.filter((w) => w.bucket === BUCKET);
  assert.equal(bucketWindows.length, 1, JSON.stringify(s.exposure));
  assert.deepEqual([bucketWindows[0].fromMs, bucketWindows[0].toMs, bucketWindows[0].scope], [EXPOSED_AT, CLOSED_AT, 'public']);

  const actors = new Map(actorSummaries(db).map((a) => [a.actorKey, a]));
  const assembler = actors.get('anonymous@198.51.100.23')!;
  assert.deepEqual([assembler.downloads, assembler.completeCopies, assembler.inExposure], [4, 1, true]);
  const quitter = actors.get('anonymous@192.0.2.77')!;
  assert.equal(quitter.completeCopies, 1, 'the abandoned half download is no copy');
  const browser = actors.get('anonymous@203.0.113.45')!;
  assert.deepEqual([browser.completeCopies, browser.backupObjects, browser.userAgents.length], [5, 3, 2]);
  const restore = actors.get(RESTORE_SESSION.arn)!;
  assert.equal(restore.identity?.identity, OPS_USER.arn);
  assert.equal(restore.inExposure, false);

  const dump = objectSummaries(db).find((o) => o.key === 'db/prod/northwind-prod-2024-03-04.sql.gz')!;
  assert.deepEqual([dump.assembledCopies, dump.listed], [1, true]);

  const gap = s.gaps.find((g) => g.kind === 'source-silent' && g.source === 's3-access-log' && g.bucket === BUCKET);
  assert.ok(gap, JSON.stringify(s.gaps));
  assert.equal(gap.from, '2024-03-06T03:00:00.000Z');
  assert.ok(s.corroboration.cloudTrailOnly >= 3 && s.corroboration.both > 10, JSON.stringify(s.corroboration));

  const [tally] = backupTallies(db);
  assert.equal(tally.bucket, BUCKET);
  assert.ok(tally.listedBackups! > tally.takenBackups && tally.takenBackups >= 8, JSON.stringify(tally));
  assert.ok(tally.notTaken.includes('db/prod/northwind-prod-2024-03-01.sql.gz'));
});
