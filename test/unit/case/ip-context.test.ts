// Address context in the case: filled after each import for new addresses only, re-derivable from
// the events, on the real invictus-ir trail (private addresses, AWS services acting for principals,
// AWS Internal, and two public addresses in AWS's ranges) and the real OTRF exfiltration.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { rebuildAnalysis } from '../../../main/case/analysis-update';
import { openWritable } from '../../../main/case/db';
import { allIpContext, checkIpContext, rebuildIpContext, updateIpContext } from '../../../main/case/ip-context';
import { exfilPatterns } from '../../../main/case/patterns';
import { loadEnricher } from '../../../main/enrich/context';
import { importPaths } from '../../../main/import/run-import';
import { fixture, publicSample, tempDir } from '../../support/paths';

test('real trail (invictus-ir): every distinct source value once, labelled or looked up; a second import adds only its new ones; a rebuild gives the same table', async (t) => {
  const casePath = join(tempDir(t), 'invictus.trailmark');
  await importPaths(casePath, [publicSample('invictus-ir', 'CloudTrail')]);
  const db = openWritable(casePath);
  t.after(() => db.close());
  const ctx = allIpContext(db);
  const distinct = db.prepare('SELECT count(DISTINCT source_ip) AS n FROM events WHERE source_ip IS NOT NULL').get() as { n: number };
  assert.equal(ctx.size, distinct.n);
  assert.equal(ctx.size, 16);
  const kinds = (kind: string) => [...ctx.values()].filter((c) => c.kind === kind).map((c) => c.ip).sort();
  assert.deepEqual(kinds('private-ip'), ['10.107.112.14', '10.107.159.90', '10.248.16.43', '10.8.8.10', '192.168.10.20']);
  assert.deepEqual(kinds('aws-internal'), ['AWS Internal']);
  assert.equal(kinds('aws-service').length, 8);
  assert.deepEqual(kinds('ip'), ['3.225.16.109', '52.45.102.28']);
  const ec2 = ctx.get('52.45.102.28')!;
  assert.deepEqual([ec2.asn, ec2.org, ec2.country, ec2.awsRegion], [14618, 'Amazon.com, Inc.', 'US', 'us-east-1']);
  assert.match(ec2.sourceDate, /^IP data as of 2026-06-17; AWS ranges as of \d{4}-\d{2}-\d{2}$/);
  for (const c of ctx.values()) if (c.kind !== 'ip') assert.deepEqual([c.country, c.asn], [null, null], c.ip);

  assert.deepEqual(updateIpContext(db), { scannedEvents: 0, newAddresses: 0 });
  db.close();
  await importPaths(casePath, [fixture('analysis', 'otrf')]);
  const again = openWritable(casePath);
  t.after(() => again.close());
  const after = allIpContext(again);
  assert.deepEqual([...after.keys()].filter((k) => !ctx.has(k)).sort(), ['1.2.3.4']);

  const before = JSON.stringify([...after.values()]);
  const rebuilt = rebuildIpContext(again, loadEnricher(tempDir(t)));
  assert.equal(rebuilt.newAddresses, 17);
  const shippedDates = [...allIpContext(again).values()].map((c) => c.sourceDate);
  assert.ok(shippedDates.every((d) => d === 'IP data as of 2026-06-17; AWS ranges as of 2018-02-06'));
  // With the same data the rebuild is the table as filled by the imports, value for value.
  if ([...after.values()].every((c) => c.sourceDate === shippedDates[0])) assert.equal(JSON.stringify([...allIpContext(again).values()]), before);

  // What verify runs: every answer re-derived and compared; a tampered row is named.
  const shipped = loadEnricher(tempDir(t));
  assert.deepEqual(checkIpContext(again, shipped), { addresses: 17, missing: [], differing: [], otherData: 0, orphans: 0 });
  again.prepare("UPDATE ip_context SET country = 'FR' WHERE ip = '52.45.102.28'").run();
  again.prepare("DELETE FROM ip_context WHERE ip = '10.8.8.10'").run();
  assert.deepEqual(checkIpContext(again, shipped), { addresses: 17, missing: ['10.8.8.10'], differing: ['52.45.102.28'], otherData: 0, orphans: 0 });
  // Rebuilding the summaries leaves address context to rebuildIpContext: it reads no address again
  // (it had rescanned every event's, and so put the missing row back).
  rebuildAnalysis(again);
  assert.deepEqual(checkIpContext(again, shipped), { addresses: 17, missing: ['10.8.8.10'], differing: ['52.45.102.28'], otherData: 0, orphans: 0 });
});

test('real exfiltration (OTRF): the stolen session listed the bucket before downloading from it', async (t) => {
  const casePath = join(tempDir(t), 'otrf.trailmark');
  await importPaths(casePath, [fixture('analysis', 'otrf')]);
  const db = openWritable(casePath);
  t.after(() => db.close());
  const p = exfilPatterns(db);
  const session = 'arn:aws:sts::123456789123:assumed-role/MordorNginxStack-BankingWAFRole-9S3E0UAE1MM0/i-0317f6c6b66ae9c40';
  const e = p.enumeration.find((x) => x.actorKey === session);
  assert.ok(e, JSON.stringify(p.enumeration));
  assert.deepEqual([e.buckets, e.downloadsAfter], [['mordors3stack-s3bucket-llp2yingx64a'], 2]);
  assert.ok(e.listings >= 1 && Date.parse(e.firstListing) <= Date.parse(e.firstDownload), JSON.stringify(e));
  assert.deepEqual(p.bursts, []); // two small downloads: no burst at the defaults
  assert.deepEqual(p.tools, []); // aws-cli v1 names no command in its user agent
});
