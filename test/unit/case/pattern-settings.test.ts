// The pattern settings as the investigator changes them (analysis:set-exfil-settings, the app's
// editor): the shape checked where IPC requests are, the sense of each value refused with its reason,
// a change logged in custody with the settings before and after, and the patterns recomputed on the
// next read. The timeline's pattern filter: each pattern narrows the rows to exactly the downloads its
// figures count, in the page, the histogram and the CLI alike.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { NormalizedEvent } from '../../../shared/events';
import type { PatternSettings } from '../../../shared/enrich';
import { channels, type TimelineFilter } from '../../../shared/api';
import { ipcSchema } from '../../../shared/page-api';
import { narrowingWords } from '../../../shared/filter-words';
import { DEFAULT_PATTERN_SETTINGS, getPatternSettings, setPatternSettings } from '../../../main/case/analysis-settings';
import { checkCustodyChain, listCustody } from '../../../main/case/custody';
import { openReadable, openWritable } from '../../../main/case/db';
import { exfilPatterns } from '../../../main/case/patterns';
import { addNote } from '../../../main/case/annotations';
import { updateAnalysis } from '../../../main/case/analysis-update';
import { CaseService } from '../../../main/service';
import { addFile, download, mgmt } from '../analysis/case-builder';
import { ROOT, tempDir } from '../../support/paths';

const B = 'acme-db-backups';
const T0 = Date.parse('2026-03-01T10:00:00Z');
const H = 3_600_000;
const MB = 1_000_000;
const SYNC = 'aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/s3.sync';

/**
 * An exposure from T0 to T0+48h. 8.8.8.8 lists, then takes twelve 10 MB backups in eleven minutes
 * with `aws s3 sync` (a burst, a tool, first seen in the exposure, listing first); 1.1.1.1 takes two
 * small files an hour apart with a browser before the exposure and one with another during it (none
 * of the patterns); the ops user, who opened the window, reads one backup with curl (a tool only).
 */
function buildCase(t: { after(fn: () => void): void }): string {
  const casePath = join(tempDir(t), 'case.sqlite');
  const db = openWritable(casePath);
  const anon = { actor: 'anonymous', actorType: 'anonymous', bucket: B } as const;
  const ops = { actor: 'arn:aws:iam::111122223333:user/ops', actorType: 'IAMUser', bucket: B, sourceIp: '52.95.245.1' } as const;
  const listing: NormalizedEvent = { ...download({ ...anon, time: T0 + H - 60_000, key: '' }), action: 'ListObjectsV2', kind: 'list', key: null, sourceIp: '8.8.8.8', userAgent: SYNC };
  addFile(db, [
    { ...mgmt('PutBucketAcl', T0, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] }), actor: ops.actor, sourceIp: ops.sourceIp },
    mgmt('PutBucketAcl', T0 + 48 * H, 'acl-change', { bucketName: B, 'x-amz-acl': ['private'] }),
    listing,
    ...Array.from({ length: 12 }, (_, i) => download({ ...anon, time: T0 + H + i * 60_000, key: `db/backup-${i}.sql.gz`, sourceIp: '8.8.8.8', userAgent: SYNC, bytesSent: 10 * MB, objectSize: 10 * MB })),
    download({ ...anon, time: T0 - 2 * H, key: 'site/index.html', sourceIp: '1.1.1.1', userAgent: 'Mozilla/5.0', bytesSent: 2000, objectSize: 2000 }),
    download({ ...anon, time: T0 - H, key: 'site/logo.png', sourceIp: '1.1.1.1', userAgent: 'Mozilla/5.0', bytesSent: 3000, objectSize: 3000 }),
    download({ ...ops, time: T0 + 5 * H, key: 'db/backup-0.sql.gz', userAgent: 'curl/8.5.0', bytesSent: 10 * MB, objectSize: 10 * MB }),
    // Between the tools' downloads, a read that is none of the patterns: a page must step over it.
    download({ ...anon, time: T0 + 3 * H, key: 'site/about.html', sourceIp: '1.1.1.1', userAgent: 'Opera/9.80', bytesSent: 1000, objectSize: 1000 }),
  ]);
  db.close();
  return casePath;
}

async function rowsOf(service: CaseService, filter: TimelineFilter): Promise<string[]> {
  const page = await service.invoke('timeline:page', { filter, limit: 1000 });
  return page.rows.map((r) => `${r.sourceIp} ${r.key}`);
}

/** The same rows walked two at a time: a page is found by a query of its own, cursor by cursor. */
async function pagedRowsOf(service: CaseService, filter: TimelineFilter): Promise<string[]> {
  const out: string[] = [];
  let after: { time: number; id: number } | null = null;
  do {
    const page: { rows: Array<{ sourceIp: string | null; key: string }>; next: { time: number; id: number } | null } =
      await service.invoke('timeline:page', { filter, limit: 2, ...(after ? { after } : {}) });
    out.push(...page.rows.map((r) => `${r.sourceIp} ${r.key}`));
    after = page.next;
  } while (after);
  return out;
}

test('the timeline pattern filter keeps exactly the downloads each pattern counts, in the page, the histogram and the CLI', async (t) => {
  const casePath = buildCase(t);
  const service = new CaseService();
  t.after(() => service.close());
  await service.invoke('case:open', { path: casePath });
  const p = await service.invoke('analysis:exfil', {});
  assert.deepEqual([p.bursts.length, p.firstSeen.length, p.tools.length, p.enumeration.length], [1, 1, 2, 1]);
  const sync = Array.from({ length: 12 }, (_, i) => `8.8.8.8 db/backup-${i}.sql.gz`);
  const expected: Record<NonNullable<TimelineFilter['pattern']>, string[]> = {
    burst: sync,
    'bulk-tool': [...sync, '52.95.245.1 db/backup-0.sql.gz'],
    'first-seen': sync,
    'listed-first': sync,
  };
  // Each set is as large as the list's figures say.
  assert.equal(p.bursts[0].downloads, expected.burst.length);
  assert.equal(p.tools.reduce((n, x) => n + x.downloads, 0), expected['bulk-tool'].length);
  assert.equal(p.firstSeen[0].downloads, expected['first-seen'].length);
  assert.equal(p.enumeration[0].downloadsAfter, expected['listed-first'].length);
  for (const [pattern, rows] of Object.entries(expected) as Array<[NonNullable<TimelineFilter['pattern']>, string[]]>) {
    assert.deepEqual(await rowsOf(service, { pattern }), rows, pattern);
    assert.deepEqual(await pagedRowsOf(service, { pattern }), rows, `${pattern}, two rows a page`);
    // The histogram counts the same rows (one bin: whole hours, which the hourly summary could answer, knowing nothing of patterns).
    const h = await service.invoke('analysis:histogram', { filter: { pattern }, bins: 1 });
    assert.equal(h.bins.reduce((n, b) => n + b.downloads, 0), rows.length, `histogram of ${pattern}`);
  }
  // Combined with other filters, and empty when nothing is covered.
  assert.deepEqual(await rowsOf(service, { pattern: 'bulk-tool', sourceIp: '52.95.245.1' }), ['52.95.245.1 db/backup-0.sql.gz']);
  assert.deepEqual(await rowsOf(service, { pattern: 'burst', sourceIp: '1.1.1.1' }), []);
  // A country narrows the histogram as it narrows the page (it once took the hourly summary's road).
  const au = await service.invoke('analysis:histogram', { filter: { country: 'AU' }, bins: 1 });
  assert.equal(au.bins.reduce((n, b) => n + b.downloads, 0), 3, "1.1.1.1's three reads");

  // The same set on the command line (which reads the case alongside the service).
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'trailmark.js'), 'timeline', '--case', casePath, '--pattern', 'bulk-tool', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).downloads.length, 13);
});

test('a change of the settings is logged in custody (before and after) and the patterns are recomputed on the next read', async (t) => {
  const casePath = buildCase(t);
  const service = new CaseService({ examiner: 'default examiner' });
  t.after(() => service.close());
  await service.invoke('case:open', { path: casePath });
  assert.equal((await service.invoke('analysis:exfil', {})).bursts.length, 1);
  assert.equal((await rowsOf(service, { pattern: 'burst' })).length, 12);
  const before = listCustody(openReadableClosed(t, casePath)).length;

  const next: PatternSettings = { burst: { backupFiles: 20, bytes: 500 * MB, minutes: 15 }, tools: [{ label: ' Mozilla browser ', match: ' mozilla/ ' }] };
  const stored = await service.invoke('analysis:set-exfil-settings', { ...next, examiner: 'ana' });
  assert.deepEqual(stored, { burst: next.burst, tools: [{ label: 'Mozilla browser', match: 'mozilla/' }] }, 'labels and matches are stored trimmed');
  const p = await service.invoke('analysis:exfil', {});
  assert.deepEqual(p.settings, stored);
  assert.deepEqual(p.bursts, [], '120 MB and 12 files in 11 minutes is under 500 MB and 20 files');
  assert.deepEqual(p.tools.map((x) => [x.actorKey, x.tool, x.downloads]), [['anonymous@1.1.1.1', 'Mozilla browser', 2]]);
  // The filter follows at once: the answer kept for paging is dropped when the settings change.
  assert.deepEqual(await rowsOf(service, { pattern: 'burst' }), []);
  assert.deepEqual(await rowsOf(service, { pattern: 'bulk-tool' }), ['1.1.1.1 site/index.html', '1.1.1.1 site/logo.png']);

  const db = openReadableClosed(t, casePath);
  const log = listCustody(db);
  assert.equal(log.length, before + 1);
  const entry = log.at(-1)!;
  assert.deepEqual([entry.action, entry.examiner], ['pattern-settings', 'ana']);
  assert.deepEqual(JSON.parse(entry.details), { before: DEFAULT_PATTERN_SETTINGS, after: stored });
  assert.deepEqual(checkCustodyChain(db), []);

  // Without a name in the request, the service's examiner signs.
  await service.invoke('analysis:set-exfil-settings', DEFAULT_PATTERN_SETTINGS);
  const last = listCustody(openReadableClosed(t, casePath)).at(-1)!;
  assert.deepEqual([last.action, last.examiner, JSON.parse(last.details).before], ['pattern-settings', 'default examiner', stored]);
});

function openReadableClosed(t: { after(fn: () => void): void }, path: string) {
  const db = openReadable(path);
  t.after(() => db.close());
  return db;
}

test('values that make no sense are refused with their reasons, and nothing changes: not the settings, not the custody log', async (t) => {
  const casePath = buildCase(t);
  const service = new CaseService();
  t.after(() => service.close());
  await service.invoke('case:open', { path: casePath });
  const good = DEFAULT_PATTERN_SETTINGS;
  const refused: Array<[string, PatternSettings, RegExp]> = [
    ['no window', { ...good, burst: { ...good.burst, minutes: 0 } }, /burst minutes must be more than 0 and at most a week \(10080\)/],
    ['a window over a week', { ...good, burst: { ...good.burst, minutes: 10081 } }, /at most a week/],
    ['a fraction of a file', { ...good, burst: { ...good.burst, backupFiles: 2.5 } }, /burst backup files must be a whole number ≥ 0/],
    ['negative bytes', { ...good, burst: { ...good.burst, bytes: -1 } }, /burst bytes must be a whole number ≥ 0/],
    ['bytes past exact integers', { ...good, burst: { ...good.burst, bytes: 2 ** 60 } }, /burst bytes must be a whole number/],
    ['a tool matching nothing', { ...good, tools: [{ label: 'rclone', match: '   ' }] }, /tool 1 \("rclone"\) matches nothing/],
    ['a tool without a label', { ...good, tools: [{ label: '', match: 'rclone' }] }, /tool 1 has no label/],
    ['a label twice', { ...good, tools: [{ label: 'curl', match: 'curl/' }, { label: 'Curl', match: 'libcurl' }] }, /tool "Curl" is listed twice/],
  ];
  const custody = async () => (await service.invoke('custody:list', {})).length;
  const n = await custody();
  for (const [what, settings, reason] of refused) {
    await assert.rejects(service.invoke('analysis:set-exfil-settings', settings), (e: Error) => {
      assert.match(e.message, /^pattern settings refused: /, what);
      assert.match(e.message, reason, what);
      return true;
    });
  }
  assert.equal(await custody(), n);
  assert.deepEqual((await service.invoke('analysis:exfil', {})).settings, DEFAULT_PATTERN_SETTINGS);
  // The direct call refuses the same way (the CLI's path).
  const db = openWritable(casePath);
  t.after(() => db.close());
  assert.throws(() => setPatternSettings(db, { ...good, burst: { ...good.burst, minutes: -5 } }, null), /burst minutes must be more than 0/);
  assert.deepEqual(getPatternSettings(db), DEFAULT_PATTERN_SETTINGS);
  assert.equal(exfilPatterns(db).bursts.length, 1);
});

test('what IPC checks before main sees a settings request: numbers are numbers, strings are bounded, nothing extra', () => {
  const schema = ipcSchema('analysis:set-exfil-settings');
  assert.equal(schema, channels['analysis:set-exfil-settings'].req);
  const ok = { burst: { backupFiles: 10, bytes: 50_000_000, minutes: 15 }, tools: [{ label: 'rclone', match: 'rclone' }] };
  assert.equal(schema.safeParse(ok).success, true);
  assert.equal(schema.safeParse({ ...ok, examiner: 'ana' }).success, true);
  for (const bad of [
    { ...ok, burst: { ...ok.burst, minutes: '15' } },
    { ...ok, burst: { backupFiles: 10, bytes: 1 } },
    { ...ok, tools: [{ label: 'x'.repeat(101), match: 'y' }] },
    { ...ok, tools: Array.from({ length: 201 }, (_, i) => ({ label: `t${i}`, match: `m${i}` })) },
    { ...ok, tools: [{ label: 'x', match: 'y', regex: true }] },
    { ...ok, path: '/etc/passwd' },
  ]) assert.equal(schema.safeParse(bad).success, false, JSON.stringify(bad).slice(0, 120));
});

test('the export dialog and the report cover say what a pattern, country or network filter kept', () => {
  assert.deepEqual(narrowingWords({ country: 'US', asn: 15169, pattern: 'burst' }), ['from an address in US', 'from network AS15169', 'in an observed burst']);
  assert.deepEqual(narrowingWords({ pattern: 'listed-first' }), ['after the actor listed the bucket']);
});

test('the answer kept for paging survives a note, and not a change of what the patterns read', (t) => {
  const casePath = buildCase(t);
  const db = openWritable(casePath);
  t.after(() => db.close());
  const first = exfilPatterns(db);
  assert.equal(exfilPatterns(db), first, 'read twice: computed once');
  addNote(db, { target: { type: 'download', id: '1' }, text: 'looks like a sync' });
  assert.equal(exfilPatterns(db), first, 'a note changes no pattern');
  setPatternSettings(db, { ...DEFAULT_PATTERN_SETTINGS, burst: { ...DEFAULT_PATTERN_SETTINGS.burst, minutes: 5 } }, null);
  const second = exfilPatterns(db);
  assert.notEqual(second, first);
  assert.equal(second.settings.burst.minutes, 5);
  // New evidence: a thirteenth sync download, inside the same burst.
  addFile(db, [download({ actor: 'anonymous', actorType: 'anonymous', bucket: B, time: T0 + H + 12 * 60_000, key: 'db/backup-12.sql.gz', sourceIp: '8.8.8.8', userAgent: SYNC, bytesSent: 10 * MB, objectSize: 10 * MB })]);
  updateAnalysis(db);
  const third = exfilPatterns(db);
  assert.notEqual(third, second);
  assert.equal(third.tools.find((u) => u.actorKey === 'anonymous@8.8.8.8')?.downloads, 13);
});
