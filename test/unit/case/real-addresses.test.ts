// Address context and patterns on real public trails whose addresses have registered owners: the
// stratus-red-team detonation run from an Amazon address (AS16509) with a console sign-in from Orange
// (AS3215, France), Elastic's S3 access-log sample from Bredband2 (AS29518, Sweden), and ralf's 2013
// S3 access log of an 18.5 MB download from KPN (AS1136, the Netherlands). The flaws2.cloud trail the
// issue names is not available offline; these are the real trails with public addresses we have.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { setPatternSettings, DEFAULT_PATTERN_SETTINGS } from '../../../main/case/analysis-settings';
import { analysisConditions } from '../../../main/case/analysis';
import { openWritable } from '../../../main/case/db';
import { addressSummary } from '../../../main/case/enrich-summary';
import { allIpContext } from '../../../main/case/ip-context';
import { exfilPatterns } from '../../../main/case/patterns';
import { timelinePage } from '../../../main/case/timeline';
import { importPaths } from '../../../main/import/run-import';
import { publicSample, tempDir } from '../../support/paths';

test('real public trails: each public address gets its registered network, non-addresses are labelled, the one real download is tallied by network', async (t) => {
  const casePath = join(tempDir(t), 'real.trailmark');
  await importPaths(casePath, [publicSample('stratus-red-team'), publicSample('elastic-integrations', 's3access'), publicSample('ralf')]);
  const db = openWritable(casePath);
  t.after(() => db.close());
  const ctx = allIpContext(db);
  const owner = (ip: string) => {
    const c = ctx.get(ip)!;
    return [c.kind, c.country, c.asn, c.org];
  };
  assert.deepEqual(owner('18.236.253.47'), ['ip', 'US', 16509, 'Amazon.com, Inc.']);
  assert.deepEqual(owner('86.245.153.234'), ['ip', 'FR', 3215, 'Orange S.A.']);
  assert.deepEqual(owner('89.160.20.156'), ['ip', 'SE', 29518, 'Bredband2 AB']);
  assert.deepEqual(owner('77.168.122.24'), ['ip', 'NL', 1136, 'KPN B.V.']);
  // The stratus-red-team detonation came from EC2, but AWS's ranges of 2018-02-06 predate that block:
  // the network still says Amazon, and the label says which data answered.
  const ec2 = ctx.get('18.236.253.47')!;
  if (ec2.sourceDate.endsWith('AWS ranges as of 2018-02-06')) assert.deepEqual([ec2.awsService, ec2.label], [null, 'Amazon.com, Inc. (AS16509, US)']);
  // stratus-red-team anonymised one address with a leading zero: not an address, never geolocated.
  assert.deepEqual(owner('08.1.250.216'), ['unknown', null, null, null]);
  const privates = [...ctx.values()].filter((c) => c.ip.startsWith('10.'));
  assert.equal(privates.length, 10);
  assert.ok(privates.every((c) => c.kind === 'private-ip' && c.country === null && c.asn === null));
  for (const c of ctx.values()) assert.match(c.sourceDate, /^IP data as of 2026-06-17; AWS ranges as of \d{4}-\d{2}-\d{2}$/);

  // The only download in these trails (ralf, 2013): an 18.5 MB MP3 read from KPN's network.
  const summary = addressSummary(db, 10);
  assert.deepEqual(summary.networks.map((n) => [n.label, n.country, n.addresses, n.downloads, n.bytes]), [['KPN B.V. (AS1136)', 'NL', 1, 1, 18_547_033]]);
});

test('real download (ralf, 2013): no pattern at the defaults; with thresholds the investigator lowers, a burst and a tool, and the filter finds that download', async (t) => {
  const casePath = join(tempDir(t), 'ralf.trailmark');
  await importPaths(casePath, [publicSample('ralf')]);
  const db = openWritable(casePath);
  t.after(() => db.close());
  const actor = '2cf7e6b06335c0689c6d29163df5bb001c96870cd78609e3845f1ed76a632621';
  const before = exfilPatterns(db);
  assert.deepEqual([before.bursts, before.tools, before.firstSeen, before.enumeration], [[], [], [], []]);

  setPatternSettings(db, { burst: { backupFiles: 10, bytes: 10_000_000, minutes: 15 }, tools: [...DEFAULT_PATTERN_SETTINGS.tools, { label: 'Internet Explorer', match: 'MSIE' }] }, 'test');
  const after = exfilPatterns(db);
  assert.deepEqual(after.bursts.map((b) => [b.actorKey, b.from, b.downloads, b.bytes, b.over]), [[actor, '2013-03-24T10:22:56.000Z', 1, 18_547_033, ['bytes']]]);
  assert.deepEqual(after.tools.map((u) => [u.actorKey, u.tool, u.downloads]), [[actor, 'Internet Explorer', 1]]);
  for (const pattern of ['burst', 'bulk-tool'] as const) {
    const page = timelinePage(db, { pattern }, null, 10, analysisConditions(db, { pattern }));
    assert.deepEqual(page.rows.map((r) => [r.key, r.sourceIp, r.bytesSent]), [['10010160/2013-03-24-0930.mp3', '77.168.122.24', 18_547_033]], pattern);
  }
});
