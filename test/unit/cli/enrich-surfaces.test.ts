// Address context and exfiltration patterns where people read them: `trailmark summary`, the
// timeline's --country/--asn filters, the CSV export's columns, the board report's sections, and
// `trailmark ip-ranges` (shipped copy, --refresh --from FILE, --rebuild-case). A real case file
// built through the import writer, with real public addresses of known owners.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { NormalizedEvent } from '../../../shared/events';
import { openReadable, openWritable } from '../../../main/case/db';
import { allIpContext } from '../../../main/case/ip-context';
import { caseAnalysis, renderCaseReport } from '../../../main/report/load';
import { CaseService } from '../../../main/service';
import { channels } from '../../../shared/api';
import { addFile, download, mgmt } from '../analysis/case-builder';
import { ROOT, tempDir } from '../../support/paths';

const BIN = join(ROOT, 'bin', 'trailmark.js');
const B = 'acme-db-backups';
const T0 = Date.parse('2026-03-01T10:00:00Z');
const H = 3_600_000;
const MB = 1024 * 1024;
const SYNC = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/s3.sync';

function buildCase(t: { after(fn: () => void): void }): { casePath: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir(t);
  const casePath = join(dir, 'case.sqlite');
  const db = openWritable(casePath);
  const anon = { actor: 'anonymous', actorType: 'anonymous', bucket: B } as const;
  const listing: NormalizedEvent = { ...download({ ...anon, time: T0 + H - 60_000, key: '' }), action: 'ListObjectsV2', kind: 'list', key: null, sourceIp: '8.8.8.8', userAgent: SYNC };
  addFile(db, [
    mgmt('PutBucketAcl', T0, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] }),
    mgmt('PutBucketAcl', T0 + 48 * H, 'acl-change', { bucketName: B, 'x-amz-acl': ['private'] }),
    listing,
    // Twelve backups of 10 MiB in eleven minutes from Google's resolver address, by `aws s3 sync`.
    ...Array.from({ length: 12 }, (_, i) => download({ ...anon, time: T0 + H + i * 60_000, key: `db/backup-${i}.sql.gz`, sourceIp: '8.8.8.8', userAgent: SYNC, bytesSent: 10 * MB, objectSize: 10 * MB })),
    // One read from an EC2 address in us-east-1 before the exposure, by curl, its size not logged.
    download({ ...anon, time: T0 - H, key: 'db/backup-0.sql.gz', sourceIp: '52.95.245.1', userAgent: 'curl/8.5.0', bytesSent: null }),
  ]);
  db.close();
  return { casePath, env: { ...process.env, TRAILMARK_USER_DATA: join(dir, 'profile') } };
}

const run = (env: NodeJS.ProcessEnv, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });

test('summary: downloads by country and network with the data date, and each pattern with its figures', (t) => {
  const { casePath, env } = buildCase(t);
  const r = run(env, 'summary', '--case', casePath);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Downloads by country and network \(IP data as of 2026-06-17; AWS ranges as of 2018-02-06\):/);
  assert.match(r.stdout, /US {2}Google LLC \(AS15169\): 12 download\(s\) from 1 address\(es\), 126 MB\n/);
  assert.match(r.stdout, /US {2}AWS EC2 us-east-1: 1 download\(s\) from 1 address\(es\), unknown \(bytes not logged for the download\)/);
  assert.match(r.stdout, /IP to ASN data by DB-IP\.com and routeviews\.org, CC BY 4\.0/);
  assert.match(r.stdout, /Bursts \(more than 10 backup files or 50\.0 MB within 15 minutes\): 1\n {4}anonymous@8\.8\.8\.8: 12 downloads, 12 backup files, 126 MB from 2026-03-01 11:00:00 UTC to 2026-03-01 11:11:00 UTC \(over: bytes and files\)/);
  // 52.95.245.1 came before the first recorded change, in a window the evidence starts inside; the ops user opened the window.
  assert.match(r.stdout, /First seen during an exposure: 1\n {4}anonymous@8\.8\.8\.8: first request 2026-03-01 10:59:00 UTC, while s3:\/\/acme-db-backups was exposed; 12 download\(s\)\n/);
  assert.match(r.stdout, /anonymous@8\.8\.8\.8: aws-cli s3 sync, 12 download\(s\)/);
  assert.match(r.stdout, /anonymous@52\.95\.245\.1: curl, 1 download\(s\), unknown \(bytes not logged for the download\)/);
  assert.match(r.stdout, /Enumeration before download: 1\n {4}anonymous@8\.8\.8\.8: 1 listing request\(s\) of s3:\/\/acme-db-backups from .*; 12 download\(s\) after/);
  const json = JSON.parse(run(env, 'summary', '--case', casePath, '--json').stdout);
  assert.deepEqual(json.patterns.bursts.map((b: { actorKey: string; downloads: number; bytes: number; unknownBytes: number }) => [b.actorKey, b.downloads, b.bytes, b.unknownBytes]), [['anonymous@8.8.8.8', 12, 120 * MB, 0]]);
  assert.equal(json.addresses.networks[0].org, 'Google LLC');
});

test('timeline --country / --asn, and the export\'s address columns (left out of a redacted export where they would name the address)', (t) => {
  const { casePath, env } = buildCase(t);
  const keys = (...f: string[]) => JSON.parse(run(env, 'timeline', '--case', casePath, '--json', ...f).stdout).downloads.length;
  assert.equal(keys('--country', 'US'), 13);
  assert.equal(keys('--country', 'us', '--asn', 'AS15169'), 12);
  assert.equal(keys('--asn', '14618'), 1);
  assert.equal(keys('--country', 'FR'), 0);
  const bad = run(env, 'timeline', '--case', casePath, '--country', 'USA');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--country takes a two-letter country code/);
  const line = JSON.parse(run(env, 'timeline', '--case', casePath, '--json', '--asn', '14618').stdout).downloads[0];
  assert.deepEqual([line.country, line.asn, line.org, line.aws, line.addressLabel], ['US', 14618, 'Amazon.com, Inc.', 'EC2 us-east-1', 'AWS EC2 us-east-1']);

  const out = join(tempDir(t), 'out.csv');
  assert.equal(run(env, 'export', '--case', casePath, '--format', 'csv', '--out', out, '--asn', '15169').status, 0);
  const [header, first] = readFileSync(out, 'utf8').split('\r\n');
  assert.match(header, /,request_id,exposure,answers_digest,country,asn,org,aws,address_label$/);
  assert.match(first, /,US,15169,Google LLC,,"Google LLC \(AS15169, US\)"$/);
  assert.equal(run(env, 'export', '--case', casePath, '--format', 'csv', '--out', out, '--redact').status, 0);
  assert.doesNotMatch(readFileSync(out, 'utf8'), /8\.8\.8\.8|52\.95\.245\.1/);
});

test('board report: where the downloads came from (with the data date), the patterns quoted with figures, attribution in the methodology', (t) => {
  const { casePath } = buildCase(t);
  const db = openReadable(casePath);
  t.after(() => db.close());
  const { model, html } = renderCaseReport(db, { timeZone: 'UTC', generatedAt: '2026-03-05T00:00:00Z' }, caseAnalysis(db));
  assert.deepEqual(model.addresses?.networks.map((n) => [n.country, n.network, n.downloads, n.bytes, n.unknownBytes]), [
    ['US', 'Google LLC (AS15169)', 12, 120 * MB, 0], ['US', 'AWS EC2 us-east-1', 1, 0, 1],
  ]);
  assert.match(html, /Where the downloads came from/);
  assert.match(html, /registered in the data of IP data as of 2026-06-17; AWS ranges as of 2018-02-06/);
  assert.match(html, /Patterns observed/);
  assert.match(html, /8\.8\.8\.8 \(anonymous\)|anonymous.*8\.8\.8\.8/);
  const burst = model.patterns!.sections.find((s) => s.title === 'Bursts of downloads')!;
  assert.equal(burst.facts.length, 1);
  assert.match(burst.facts[0], /downloaded 12 files \(12 backup files, 126 MB\) between/);
  assert.match(model.patterns!.sections.find((s) => s.title === 'Bulk download tools')!.facts.join('\n'), /used curl for 1 download \(unknown; bytes not logged for the download\)/);
  assert.ok(model.methodology.derivation.some((d) => /IP to ASN data by DB-IP\.com and routeviews\.org, CC BY 4\.0/.test(d)));
  assert.equal(model.actors.find((a) => a.ip === '8.8.8.8')?.address, 'Google LLC (AS15169, US)');
  const redacted = renderCaseReport(db, { timeZone: 'UTC', redact: true }, caseAnalysis(db)).html;
  assert.doesNotMatch(redacted, /8\.8\.8\.8|52\.95\.245\.1/);
});

test('ip-ranges: the shipped copy by default; --refresh --from FILE stores a newer one; --rebuild-case looks the case up again with it', (t) => {
  const { casePath, env } = buildCase(t);
  const shown = JSON.parse(run(env, 'ip-ranges', '--json').stdout);
  assert.deepEqual([shown.source, shown.date, shown.syncToken], ['shipped', '2018-02-06', '1517937128']);
  const file = join(tempDir(t), 'ip-ranges.json');
  writeFileSync(file, JSON.stringify({
    syncToken: '1781234567', createDate: '2026-06-10-20-13-07',
    prefixes: [{ ip_prefix: '52.95.245.0/24', region: 'us-east-1', service: 'EC2', network_border_group: 'us-east-1' }], ipv6_prefixes: [],
  }));
  const r = run(env, 'ip-ranges', '--refresh', '--from', file, '--rebuild-case', casePath, '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /stored AWS ranges of 2026-06-10 \(syncToken 1781234567, 1 prefixes\)/);
  assert.deepEqual((({ source, date, rebuiltAddresses }) => [source, date, rebuiltAddresses])(JSON.parse(r.stdout)), ['refreshed', '2026-06-10', 2]);
  const db = openReadable(casePath);
  t.after(() => db.close());
  assert.equal(allIpContext(db).get('52.95.245.1')?.sourceDate, 'IP data as of 2026-06-17; AWS ranges as of 2026-06-10');
  const refused = run(env, 'ip-ranges', '--refresh', '--from', casePath);
  assert.equal(refused.status, 1, 'a source that is not AWS ranges is a failure (exit 1), not a usage error (2)');
  assert.match(refused.stderr, /not JSON/);
});

test('service channels the page reads: analysis:exfil, analysis:addresses, and an anonymous actor\'s address context; timeline:page filters by country and ASN', async (t) => {
  const { casePath } = buildCase(t);
  const service = new CaseService();
  t.after(() => service.close());
  await service.invoke('case:open', { path: casePath });
  const exfil = await service.invoke('analysis:exfil', {});
  assert.deepEqual([exfil.bursts.length, exfil.firstSeen.length, exfil.tools.length, exfil.enumeration.length], [1, 1, 2, 1]);
  const addresses = await service.invoke('analysis:addresses', { limit: 10 });
  assert.deepEqual(addresses.networks.map((n) => [n.label, n.downloads]), [['Google LLC (AS15169)', 12], ['AWS EC2 us-east-1', 1]]);
  assert.deepEqual(addresses.sourceDates, ['IP data as of 2026-06-17; AWS ranges as of 2018-02-06']);
  const actors = await service.invoke('analysis:actors', {});
  const google = actors.find((a) => a.sourceIp === '8.8.8.8')!;
  assert.deepEqual([google.address?.org, google.address?.asn, google.address?.country], ['Google LLC', 15169, 'US']);
  const page = await service.invoke('timeline:page', { filter: { asn: 14618 }, limit: 50 });
  assert.deepEqual(page.rows.map((r) => [r.sourceIp, r.aws, r.country]), [['52.95.245.1', 'EC2 us-east-1', 'US']]);
  assert.equal((await service.invoke('timeline:page', { filter: { country: 'US' }, limit: 50 })).rows.length, 13);
  // What main checks every page request against: a country is two capital letters, an ASN a 32-bit number.
  const schema = channels['timeline:page'].req;
  assert.equal(schema.safeParse({ filter: { country: 'US', asn: 15169 }, limit: 50 }).success, true);
  for (const filter of [{ country: 'usa' }, { country: "US' OR 1=1" }, { asn: -1 }, { asn: 2 ** 32 }]) assert.equal(schema.safeParse({ filter, limit: 50 }).success, false, JSON.stringify(filter));
});
