// AWS's ip-ranges.json compacted, parsed, refused when malformed, and refreshed into the user's data
// folder, where the copy with the later syncToken wins over the shipped one.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compactIpRanges, parseCompact } from '../../../main/enrich/aws-ranges';
import { loadAwsRanges, storeRefreshedRanges } from '../../../main/enrich/data';
import { ipv4ToNumber, ipv6ToBigInt } from '../../../main/enrich/ip';
import { tempDir } from '../../support/paths';

// The shape AWS publishes (fields as in the real file), with prefixes documented there.
const later = JSON.stringify({
  syncToken: '1781234567', createDate: '2026-06-10-20-13-07',
  prefixes: [
    { ip_prefix: '3.224.0.0/12', region: 'us-east-1', service: 'AMAZON', network_border_group: 'us-east-1' },
    { ip_prefix: '3.224.0.0/12', region: 'us-east-1', service: 'EC2', network_border_group: 'us-east-1' },
    { ip_prefix: '3.5.140.0/22', region: 'ap-northeast-2', service: 'S3', network_border_group: 'ap-northeast-2' },
  ],
  ipv6_prefixes: [{ ipv6_prefix: '2600:1f18::/33', region: 'us-east-1', service: 'EC2', network_border_group: 'us-east-1' }],
});

test('ip-ranges.json → compact text → lookups; services of one prefix kept together, a named one preferred to AMAZON', () => {
  const text = compactIpRanges(later);
  assert.match(text, /^# syncToken 1781234567 createDate 2026-06-10-20-13-07\n/);
  const r = parseCompact(text);
  assert.equal(r.prefixes, 3);
  assert.deepEqual(r.lookup4(ipv4ToNumber('3.225.16.109')), { service: 'EC2', services: ['AMAZON', 'EC2'], region: 'us-east-1', prefix: '3.224.0.0/12' });
  assert.equal(r.lookup4(ipv4ToNumber('3.5.141.1'))?.service, 'S3');
  assert.equal(r.lookup4(ipv4ToNumber('3.4.0.1')), null);
  assert.equal(r.lookup6(ipv6ToBigInt('2600:1f18:1234::1'))?.region, 'us-east-1');
  assert.equal(r.lookup6(ipv6ToBigInt('2600:1f18:8000::1')), null);
});

test('malformed input is refused with the file and the reason', () => {
  assert.throws(() => compactIpRanges('{"prefixes": []}', 'download.json'), /download\.json: not AWS's ip-ranges\.json/);
  assert.throws(() => compactIpRanges('<html>', 'download.json'), /download\.json: not JSON/);
  assert.throws(() => compactIpRanges(JSON.stringify({ syncToken: '1', createDate: 'x', prefixes: [{ ip_prefix: '1.2.3.0/24', region: 'a b', service: 'EC2' }] }), 'f.json'), /f\.json: prefix 1 is malformed/);
  assert.throws(() => parseCompact('# syncToken 1 createDate d\n@EC2\n1.2.3.0/40 us-east-1\n', 'r.txt'), /r\.txt, line 3: .*bad prefix length/);
  assert.throws(() => parseCompact('1.2.3.0/24 us-east-1\n', 'r.txt'), /r\.txt, line 1/);
});

test('a refreshed copy in the user data folder wins when newer, and only then', (t) => {
  const dir = tempDir(t);
  assert.equal(loadAwsRanges(dir).source, 'shipped');
  assert.equal(loadAwsRanges(dir).ranges.info.createDate, '2018-02-06-17-12-08');
  const stored = storeRefreshedRanges(later, 'ip-ranges.json', dir);
  assert.deepEqual([stored.syncToken, stored.prefixes], ['1781234567', 3]);
  const now = loadAwsRanges(dir);
  assert.deepEqual([now.source, now.ranges.info.createDate], ['refreshed', '2026-06-10-20-13-07']);
  // An older copy (an earlier download) does not replace the shipped one.
  const old = join(tempDir(t), 'old');
  mkdirSync(old);
  storeRefreshedRanges(JSON.stringify({ ...JSON.parse(later), syncToken: '1400000000' }), 'old.json', old);
  assert.equal(loadAwsRanges(old).source, 'shipped');
  // A damaged refreshed copy leaves the shipped one answering.
  writeFileSync(join(old, 'aws-ip-ranges.txt'), 'garbage');
  assert.equal(loadAwsRanges(old).source, 'shipped');
});
