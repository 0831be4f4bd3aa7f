// Address context on real public addresses with known owners, answered from the shipped data:
// well-known resolvers of large providers, documented AWS ranges, and the values AWS writes instead
// of an address. The user data folder is an empty temp folder, so the shipped AWS copy answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEnricher, type AddressEnricher } from '../../../main/enrich/context';
import { ipv4ToNumber, ipv6ToBigInt, isPrivate } from '../../../main/enrich/ip';
import { tempDir } from '../../support/paths';

let enricher: AddressEnricher | null = null;
const shipped = (t: { after(fn: () => void): void }) => (enricher ??= loadEnricher(tempDir(t)));

test('large providers\' well-known addresses: ASN, network name and country from the shipped data', (t) => {
  const e = shipped(t);
  const cases: Array<[string, number, string, string]> = [
    ['8.8.8.8', 15169, 'Google LLC', 'US'],
    ['8.8.4.4', 15169, 'Google LLC', 'US'],
    ['2001:4860:4860::8888', 15169, 'Google LLC', 'US'],
    ['1.1.1.1', 13335, 'Cloudflare, Inc.', 'AU'],
    ['::ffff:8.8.8.8', 15169, 'Google LLC', 'US'],
  ];
  for (const [ip, asn, org, country] of cases) {
    const c = e.lookup(ip);
    assert.deepEqual([c.kind, c.asn, c.org, c.country, c.awsService], ['ip', asn, org, country, null], ip);
    assert.equal(c.label, `${org} (AS${asn}, ${country})`);
    assert.equal(c.sourceDate, 'IP data as of 2026-06-17; AWS ranges as of 2018-02-06');
  }
});

test('documented AWS ranges: the longest published prefix names the service and region; Amazon\'s ASN beside it', (t) => {
  const e = shipped(t);
  const cases: Array<[string, string, string]> = [
    ['52.95.245.1', 'EC2', 'us-east-1'],        // 52.95.245.0/24, AMAZON and EC2
    ['54.231.0.1', 'S3', 'us-east-1'],          // 54.231.0.0/17
    ['52.94.248.5', 'EC2', 'us-east-1'],        // a /28 inside AMAZON-only 52.94.248.0/21 neighbours
    ['54.183.255.130', 'ROUTE53_HEALTHCHECKS', 'us-west-1'], // /26 inside EC2's 54.183.0.0/16
    ['13.32.0.1', 'CLOUDFRONT', 'GLOBAL'],
    ['2600:1f18::1', 'EC2', 'us-east-1'],       // IPv6 2600:1f18::/33
    ['52.95.110.1', 'ROUTE53', 'GLOBAL'],
    ['52.93.1.1', 'AMAZON', 'us-east-1'],       // AWS's catch-all, no service named
  ];
  for (const [ip, service, region] of cases) {
    const c = e.lookup(ip);
    assert.deepEqual([c.awsService, c.awsRegion], [service, region], ip);
    assert.equal(c.org, 'Amazon.com, Inc.', ip);
    assert.ok([14618, 16509].includes(c.asn!), `${ip}: AS${c.asn}`);
  }
  assert.equal(e.lookup('52.95.245.1').label, 'AWS EC2 us-east-1');
  assert.equal(e.lookup('52.93.1.1').label, 'AWS us-east-1');
  // A range AWS published after the shipped copy: not labelled as AWS by the ranges, yet Amazon's ASN says whose it is.
  const later = e.lookup('3.225.16.109');
  assert.deepEqual([later.awsService, later.org, later.asn], [null, 'Amazon.com, Inc.', 14618]);
});

test('values that are not addresses are labelled, never geolocated', (t) => {
  const e = shipped(t);
  const cases: Array<[string, string]> = [
    ['s3.amazonaws.com', 'aws-service'], ['secretsmanager.amazonaws.com', 'aws-service'], ['AWS Internal', 'aws-internal'],
    ['vpce-1a2b3c4d', 'vpc-endpoint'], ['10.8.8.10', 'private-ip'], ['192.168.10.20', 'private-ip'], ['172.31.0.5', 'private-ip'],
    ['fd00::1', 'private-ip'], ['198.51.100.7', 'reserved'], ['2001:db8::1', 'reserved'], ['192.0.2.1', 'reserved'], ['-', 'unknown'], ['', 'unknown'], ['not an ip', 'unknown'],
  ];
  for (const [value, kind] of cases) {
    const c = e.lookup(value);
    assert.deepEqual([c.kind, c.country, c.asn, c.org, c.awsService], [kind, null, null, null, null], value);
  }
  assert.match(e.lookup('s3.amazonaws.com').label, /AWS service s3\.amazonaws\.com/);
  assert.match(e.lookup('vpce-1a2b3c4d').label, /VPC endpoint vpce-1a2b3c4d/);
});

test('one answer per distinct address: a repeated lookup is the cached object', (t) => {
  const e = shipped(t);
  const before = e.cached;
  const a = e.lookup('9.9.9.9');
  assert.equal(e.lookup('9.9.9.9'), a);
  assert.equal(e.cached, before + 1);
});

test('address arithmetic', () => {
  assert.equal(ipv4ToNumber('0.0.0.0'), 0);
  assert.equal(ipv4ToNumber('255.255.255.255'), 4294967295);
  assert.equal(ipv4ToNumber('8.8.8.8'), 134744072);
  assert.equal(ipv6ToBigInt('::1'), 1n);
  assert.equal(ipv6ToBigInt('2001:db8::'), 0x20010db8n << 96n);
  assert.equal(ipv6ToBigInt('::ffff:1.2.3.4'), 0xffff01020304n);
  assert.equal(ipv6ToBigInt('fe80::1%eth0'), (0xfe80n << 112n) | 1n);
  assert.deepEqual(['100.64.0.1', '169.254.1.1', '8.8.8.8', '2001:4860::1'].map(isPrivate), [true, true, false, false]);
});
