// The exfiltration patterns as pure rules, table-driven: each row gives the downloads (and requests)
// and the figures the rule must state. Bytes not logged stay out of sums and are counted apart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBursts } from '../../../main/analysis/patterns/bursts';
import { findEnumeration } from '../../../main/analysis/patterns/enumeration';
import { firstSeenInExposure } from '../../../main/analysis/patterns/first-seen';
import { DEFAULT_BULK_TOOLS, findToolUse, toolOf } from '../../../main/analysis/patterns/tools';
import type { PatternDownload, PatternRequest } from '../../../main/analysis/patterns/types';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const MIN = 60_000;
const MB = 1024 * 1024;
const dl = (actorKey: string, minute: number, o: Partial<PatternDownload> = {}): PatternDownload => ({
  actorKey, timeMs: T0 + minute * MIN, bucket: 'acme-db-backups', key: `k${minute}`, bytes: MB, isBackup: false, userAgent: null, ...o,
});
const settings = { backupFiles: 3, bytes: 50 * MB, minutes: 15 };

test('bursts: more than N backup files or M bytes within T minutes, overlapping windows merged, figures stated', () => {
  const rows: Array<{ name: string; downloads: PatternDownload[]; want: Array<Partial<ReturnType<typeof findBursts>[number]>> }> = [
    { name: 'exactly N backups is not more than N', downloads: [0, 1, 2].map((m) => dl('a', m, { isBackup: true })), want: [] },
    {
      name: 'N+1 backups within T', downloads: [0, 1, 2, 14].map((m) => dl('a', m, { isBackup: true })),
      want: [{ actorKey: 'a', from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T10:14:00.000Z', downloads: 4, backupFiles: 4, bytes: 4 * MB, unknownBytes: 0, over: ['files'] }],
    },
    { name: 'N+1 backups spread over more than T', downloads: [0, 1, 2, 16].map((m) => dl('a', m, { isBackup: true })), want: [] },
    {
      name: 'bytes over M in one window (60 MB in 10 minutes); non-backups count for bytes',
      downloads: [0, 5, 10].map((m) => dl('b', m, { bytes: 20 * MB })),
      want: [{ actorKey: 'b', downloads: 3, backupFiles: 0, bytes: 60 * MB, over: ['bytes'] }],
    },
    {
      name: 'unknown bytes are not 0 and not counted: 40 MB known + 2 unknown stays under 50 MB',
      downloads: [dl('c', 0, { bytes: 40 * MB }), dl('c', 1, { bytes: null }), dl('c', 2, { bytes: null })], want: [],
    },
    {
      name: 'windows sliding over a long run merge into one burst with both thresholds',
      downloads: Array.from({ length: 10 }, (_, i) => dl('d', i * 5, { isBackup: true, bytes: i === 9 ? null : 20 * MB })),
      want: [{ actorKey: 'd', from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T10:45:00.000Z', downloads: 10, backupFiles: 10, bytes: 180 * MB, unknownBytes: 1, over: ['bytes', 'files'] }],
    },
    {
      name: 'two separate bursts of one actor, and actors kept apart',
      downloads: [...[0, 1, 2, 3].map((m) => dl('e', m, { isBackup: true })), ...[100, 101, 102, 103].map((m) => dl('e', m, { isBackup: true })), ...[0, 1].map((m) => dl('f', m, { isBackup: true }))],
      want: [{ actorKey: 'e', downloads: 4, from: '2026-03-01T10:00:00.000Z' }, { actorKey: 'e', downloads: 4, from: '2026-03-01T11:40:00.000Z' }],
    },
  ];
  for (const r of rows) {
    const got = findBursts(r.downloads, settings);
    assert.equal(got.length, r.want.length, `${r.name}: ${JSON.stringify(got)}`);
    r.want.forEach((w, i) => {
      for (const [k, v] of Object.entries(w)) assert.deepEqual(got[i][k as keyof typeof got[number]], v, `${r.name}: ${k}`);
    });
  }
});

test('bursts streamed over a long run: the window forgets what it slid past and states what whole lists state', () => {
  // One actor, 12,000 downloads: runs of a few minutes each (separated by more than T, which no burst
  // spans) and one dense run of 3,000 over a day, every window of which is over the bytes.
  const rows: PatternDownload[] = [];
  let minute = 0;
  for (let run = 0; run < 300; run++) {
    for (let i = 0; i < 30; i++) rows.push(dl('x', (minute += (run * 7 + i) % 3 === 0 ? 0.1 : 0.5), { isBackup: (run + i) % 4 === 0, bytes: (run + i) % 9 === 0 ? null : ((run * 31 + i * 17) % 11) * MB }));
    minute += 20;
  }
  const dense = rows.length;
  for (let i = 0; i < 3000; i++) rows.push(dl('x', (minute += 0.5), { bytes: 2 * MB, isBackup: i % 2 === 0 }));
  const whole = findBursts(rows, settings);
  // The same runs fed apart, each far shorter than what the window keeps before forgetting.
  const runs: PatternDownload[][] = [];
  rows.forEach((r, i) => (i === 0 || r.timeMs - rows[i - 1].timeMs > settings.minutes * MIN ? runs.push([r]) : runs.at(-1)!.push(r)));
  assert.deepEqual(whole, runs.flatMap((r) => findBursts(r, settings)));
  assert.ok(whole.length > 100, `${whole.length} bursts`);
  assert.deepEqual(whole.at(-1), {
    actorKey: 'x', from: new Date(rows[dense].timeMs).toISOString(), fromMs: rows[dense].timeMs, to: new Date(rows.at(-1)!.timeMs).toISOString(), toMs: rows.at(-1)!.timeMs,
    downloads: 3000, backupFiles: 1500, bytes: 6000 * MB, unknownBytes: 0, over: ['bytes', 'files'],
  });
});

test('first seen during the exposure: first request after a window opened and before it closed; only parties that downloaded', () => {
  const windows = [
    { bucket: 'b0', fromMs: null, toMs: T0 - 10 * MIN },   // open when the evidence starts: tells nothing
    { bucket: 'b1', fromMs: T0, toMs: T0 + 60 * MIN },
    { bucket: 'b2', fromMs: T0 + 120 * MIN, toMs: null },
  ];
  const rows: Array<[string, number, number, string | null]> = [
    ['in-open-start-window', T0 - 100 * MIN, 3, null],
    ['at-open (the opener)', T0, 3, null],
    ['inside', T0 + 30 * MIN, 2, 'b1'],
    ['inside-no-downloads', T0 + 31 * MIN, 0, null],
    ['at-close', T0 + 60 * MIN, 3, null],
    ['between', T0 + 90 * MIN, 3, null],
    ['still-open', T0 + 1000 * MIN, 5, 'b2'],
  ];
  const got = firstSeenInExposure(rows.map(([actorKey, firstMs, downloads]) => ({ actorKey, firstMs, downloads })), windows);
  assert.deepEqual(got.map((g) => [g.actorKey, g.bucket]), [['still-open', 'b2'], ['inside', 'b1']]);
  const inside = got.find((g) => g.actorKey === 'inside')!;
  assert.deepEqual([inside.firstSeen, inside.windowFrom, inside.windowTo, inside.downloads], ['2026-03-01T10:30:00.000Z', '2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z', 2]);
  assert.equal(got.find((g) => g.actorKey === 'still-open')!.windowTo, null);
});

test('tools: user agents naming bulk tools, from the labelled list, first match wins', () => {
  const tool = toolOf(DEFAULT_BULK_TOOLS);
  const rows: Array<[string | null, string | null]> = [
    ['aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/s3.sync', 'aws-cli s3 sync'],
    ['aws-cli/2.13.0 Python/3.11.4 Darwin/22.5.0 source/arm64 prompt/off command/s3.cp', 'aws-cli s3 cp'],
    ['aws-cli/1.18.136 Python/3.8.5 Darwin/19.5.0 botocore/1.17.59', null],
    ['rclone/v1.66.0', 'rclone'],
    ['S3Scanner/3.0.4', 'S3Scanner (bucket scanner)'],
    ['Wget/1.21.2', 'wget'],
    ['curl/8.5.0', 'curl'],
    ['python-requests/2.31.0', 'python-requests'],
    ['Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.5 lang/python#3.11.6 cfg/retry-mode#legacy Botocore/1.34.0', 'boto3 script'],
    ['Go-http-client/1.1', 'Go HTTP client (bucket scanners such as slurp)'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', null],
    [null, null],
  ];
  for (const [ua, want] of rows) assert.equal(tool(ua), want, String(ua));
  // A list of the case's own: the rule knows no tool by itself.
  assert.equal(toolOf([{ label: 'in-house sync', match: 'acme-sync/' }])('acme-sync/2.0'), 'in-house sync');
  assert.equal(toolOf([])('rclone/v1.66.0'), null);

  const sync = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 command/s3.sync';
  const got = findToolUse([dl('a', 0, { userAgent: sync }), dl('a', 3, { userAgent: sync, bytes: null }), dl('a', 1, { userAgent: 'curl/8.5.0' }), dl('b', 0, { userAgent: 'Mozilla/5.0' })], DEFAULT_BULK_TOOLS);
  assert.deepEqual(got.map((g) => [g.actorKey, g.tool, g.downloads, g.bytes, g.unknownBytes, g.first, g.last]), [
    ['a', 'aws-cli s3 sync', 2, MB, 1, '2026-03-01T10:00:00.000Z', '2026-03-01T10:03:00.000Z'],
    ['a', 'curl', 1, MB, 0, '2026-03-01T10:01:00.000Z', '2026-03-01T10:01:00.000Z'],
  ]);
});

test('enumeration before download: listings by the same actor up to its last download, refused ones counted', () => {
  const req = (actorKey: string, minute: number, action: string, failed = false): PatternRequest => ({ actorKey, timeMs: T0 + minute * MIN, action, bucket: 'acme-db-backups', failed });
  const requests = [
    req('lister', 0, 'ListObjectsV2'), req('lister', 1, 'REST.GET.BUCKET', true), req('lister', 50, 'ListObjects'),
    req('late-lister', 30, 'ListObjects'),
    req('no-downloads', 0, 'ListObjects'),
    req('head-only', 0, 'HeadObject'),
  ];
  const downloads = [dl('lister', 2), dl('lister', 3), dl('lister', 10), dl('late-lister', 5), dl('head-only', 1), dl('silent', 1)];
  const got = findEnumeration(requests, downloads);
  assert.deepEqual(got, [{
    actorKey: 'lister', listings: 2, failedListings: 1, firstListing: '2026-03-01T10:00:00.000Z', firstDownload: '2026-03-01T10:02:00.000Z',
    downloadsAfter: 3, buckets: ['acme-db-backups'],
  }]);
});
