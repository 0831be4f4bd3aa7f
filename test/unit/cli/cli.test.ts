import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { writeTrailFiles } from '../../bench/generate';
import { REQUESTS, writeMixedFolder } from '../../support/mixed-folder';
import { ROOT, tempDir } from '../../support/paths';

const BIN = join(ROOT, 'bin', 'trailmark.js');
const walkSync = (dir: string): string[] => readdirSync(dir).sort().flatMap((n) => {
  const p = join(dir, n);
  return statSync(p).isDirectory() ? walkSync(p) : [p];
});
const trailmark = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

test('import a mixed folder, then read the timeline as JSON', (t) => {
  const dir = tempDir(t);
  const { root } = writeMixedFolder(join(dir, 'evidence'));
  const casePath = join(dir, 'case.sqlite');
  const imp = trailmark('import', '--case', casePath, root, '--examiner', 'J. Doe');
  assert.equal(imp.status, 0, imp.stderr);
  assert.match(imp.stdout, /Imported 2 file\(s\): 7 events/);
  assert.match(imp.stdout, /rejected: .*2017-08-12-03-20-11-0A1B2C3D4E5F6A7B:3: only 9 fields/);
  assert.match(imp.stdout, /refused: .*notes\.txt: not a recognised evidence format/);

  const out = JSON.parse(execFileSync(process.execPath, [BIN, 'timeline', '--case', casePath, '--json'], { encoding: 'utf8' }));
  assert.equal(out.rejectedLines, 1);
  assert.ok(Array.isArray(out.exposure));
  assert.deepEqual(out.downloads.map((d: { key: string }) => d.key), REQUESTS.map((r) => r.key));
  assert.deepEqual(out.downloads[0], {
    time: '2017-08-12T03:11:40.000Z', actor: 'anonymous', sourceIp: '198.51.100.7', userAgent: 'curl/8.4.0', bucket: 'voter-backups',
    key: 'db/voters-2017.sql.gz', bytesSent: 5000, objectSize: 5000, status: 200, complete: true, requestId: 'A1B2C3D4E5F60001',
    sources: ['cloudtrail', 's3-access-log'], exposure: 'inside',
    // Address context: 198.51.100.0/24 is a documentation range, labelled and never geolocated.
    country: null, asn: null, org: null, aws: null, addressLabel: 'reserved address (documentation or test range, not routed on the internet)',
  });
  assert.equal(out.downloads[1].complete, false, 'a 206 range is not a complete copy');

  const filtered = JSON.parse(trailmark('timeline', '--case', casePath, '--json', '--from', '2017-08-12T03:12:00Z', '--key-prefix', 'db/voters 20').stdout);
  assert.deepEqual(filtered.downloads.map((d: { key: string }) => d.key), ['db/voters 2015.dump']);
  const exact = JSON.parse(trailmark('timeline', '--case', casePath, '--json', '--bucket', 'voter-backups', '--key', 'db/voters-2016.bak').stdout);
  assert.deepEqual(exact.downloads.map((d: { key: string }) => d.key), ['db/voters-2016.bak']);

  const again = trailmark('import', '--case', casePath, root, '--json');
  assert.equal(again.status, 0);
  assert.equal(JSON.parse(again.stdout).events, 0);
});

test('exit status: non-zero when nothing could be imported, or on a usage error', (t) => {
  const dir = tempDir(t);
  const bad = trailmark('import', '--case', join(dir, 'c.sqlite'), join(dir, 'nowhere'));
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /refused: .*nowhere: no such file or folder/);
  const usage = trailmark('timeline', '--json');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--case CASE.sqlite is required/);
  assert.equal(trailmark('timeline', '--case', join(dir, 'c.sqlite'), '--from', 'yesterday').status, 2);
});

test('a trail of many small files (parsed by two workers in turn) imports whole and in order, a copy of a file among them once', (t) => {
  const dir = tempDir(t);
  const trail = join(dir, 'trail');
  writeTrailFiles(trail, 2_000, 50);
  const files = walkSync(trail);
  assert.ok(files.length >= 16, 'enough files for the second parser');
  // The same bytes under another name, and something that is not evidence, in the middle of the walk.
  copyFileSync(files[3], join(dirname(files[3]), 'copy-of-a-trail-file.json.gz'));
  writeFileSync(join(dirname(files[5]), 'notes.txt'), 'not evidence\n');
  const casePath = join(dir, 'case.sqlite');
  const imp = trailmark('import', '--case', casePath, trail, '--json');
  assert.equal(imp.status, 0, imp.stderr);
  const summary = JSON.parse(imp.stdout) as { events: number; files: { path: string; status: string }[] };
  assert.equal(summary.events, 2_000);
  assert.deepEqual(summary.files.filter((f) => f.status !== 'imported').map((f) => [basename(f.path), f.status]).sort(),
    [['copy-of-a-trail-file.json.gz', 'already-in-case'], ['notes.txt', 'refused']].sort());
  const db = new Database(casePath, { readonly: true });
  t.after(() => db.close());
  const stored = db.prepare('SELECT path, events FROM evidence ORDER BY id').all() as { path: string; events: number }[];
  const imported = summary.files.filter((f) => f.status === 'imported').map((f) => f.path);
  assert.deepEqual(stored.map((e) => e.path), imported, 'evidence rows in the order the files were walked');
  assert.equal(stored.reduce((n, e) => n + e.events, 0), 2_000);
  assert.equal((db.prepare('SELECT count(*) AS n FROM downloads').get() as { n: number }).n, 2_000);
});
