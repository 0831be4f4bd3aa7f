// A real exfiltration recorded by OTRF: a stolen EC2 role session downloads ring.txt twice.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { actorSummaries, analysisSummary, objectSummaries } from '../../../main/case/analysis';
import { updateAnalysis } from '../../../main/case/analysis-update';
import { openWritable } from '../../../main/case/db';
import { importPaths } from '../../../main/import/run-import';
import { fixture, tempDir } from '../../support/paths';

test('real sample (OTRF): the stolen role session, its two downloads, traced to the EC2 service; CloudTrail speaks alone', async (t) => {
  const casePath = join(tempDir(t), 'otrf.trailmark');
  const s = await importPaths(casePath, [fixture('analysis', 'otrf')]);
  assert.equal(s.files[0].status, 'imported', JSON.stringify(s.files[0]));
  const db = openWritable(casePath);
  t.after(() => db.close());
  updateAnalysis(db);
  const session = 'arn:aws:sts::123456789123:assumed-role/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0/i-0317f6c6b66ae9c40';
  const actor = actorSummaries(db).find((a) => a.actorKey === session)!;
  assert.ok(actor, JSON.stringify(actorSummaries(db).map((a) => a.actorKey)));
  assert.deepEqual([actor.downloads, actor.objects, actor.sourceIp, actor.inExposure], [2, 1, null, false]);
  assert.deepEqual([actor.identity?.identity, actor.identity?.via], ['ec2.amazonaws.com', 'AssumeRole']);
  const ring = objectSummaries(db).find((o) => o.key === 'ring.txt')!;
  assert.deepEqual([ring.bucket, ring.downloads, ring.actors], ['mordors3stack-s3bucket-llp2yingx64a', 2, 1]);
  const summary = analysisSummary(db);
  assert.deepEqual(summary.corroboration, { both: 0, accessLogOnly: 0, cloudTrailOnly: 2 });
  assert.deepEqual(summary.exposure, []);
  assert.ok(summary.gaps.some((g) => g.kind === 'source-absent' && g.source === 's3-access-log' && g.bucket === ring.bucket));
});
