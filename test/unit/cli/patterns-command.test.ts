// `trailmark patterns`: shows the case's pattern settings read-only, changes them with custody, and
// refuses (exit 2, usage printed, case untouched) a value that makes no sense. `summary` reads the
// new values at once; `timeline --pattern` keeps the downloads a pattern covers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { listCustody } from '../../../main/case/custody';
import { openReadable, openWritable } from '../../../main/case/db';
import { addFile, download } from '../analysis/case-builder';
import { ROOT, tempDir } from '../../support/paths';

const BIN = join(ROOT, 'bin', 'trailmark.js');
const T0 = Date.parse('2026-03-01T10:00:00Z');
const MB = 1_000_000;

function buildCase(t: { after(fn: () => void): void }): string {
  const casePath = join(tempDir(t), 'case.sqlite');
  const db = openWritable(casePath);
  const anon = { actor: 'anonymous', actorType: 'anonymous', bucket: 'acme-db-backups', sourceIp: '8.8.8.8' } as const;
  // Six 10 MB backups in five minutes with rclone: 60 MB, over the default 50 MB in 15 minutes.
  addFile(db, Array.from({ length: 6 }, (_, i) => download({ ...anon, time: T0 + i * 60_000, key: `db/b-${i}.sql.gz`, userAgent: 'rclone/v1.66.0', bytesSent: 10 * MB, objectSize: 10 * MB })));
  db.close();
  return casePath;
}

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const custodyOf = (casePath: string) => {
  const db = openReadable(casePath);
  try {
    return listCustody(db);
  } finally {
    db.close();
  }
};

test('patterns shows the settings without writing, and --help says what each option does', (t) => {
  const casePath = buildCase(t);
  const before = statSync(casePath).mtimeMs;
  const shown = run('patterns', '--case', casePath);
  assert.equal(shown.status, 0, shown.stderr);
  assert.match(shown.stdout, /^Bursts: more than 10 backup files or more than 50\.0 MB \(50000000 bytes\) within 15 minutes\n/);
  assert.match(shown.stdout, /\n {2}rclone = rclone\n/);
  assert.equal(statSync(casePath).mtimeMs, before, 'showing never writes the case');
  const help = run('patterns', '--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--tool adds a labelled user-agent substring/);
  assert.match(help.stdout, /logged in its custody/);
});

test('a change is written with custody and read at once by summary; --pattern narrows the timeline', (t) => {
  const casePath = buildCase(t);
  const n = custodyOf(casePath).length;
  let summary = run('summary', '--case', casePath);
  assert.match(summary.stdout, /Bursts \(more than 10 backup files or 50\.0 MB within 15 minutes\): 1\n/);
  assert.match(summary.stdout, /anonymous@8\.8\.8\.8: rclone, 6 download\(s\)/);
  assert.equal(JSON.parse(run('timeline', '--case', casePath, '--pattern', 'burst', '--json').stdout).downloads.length, 6);

  const changed = run('patterns', '--case', casePath, '--burst-bytes', '100MB', '--remove-tool', 'RCLONE', '--tool', 'Go scanner=Go-http-client', '--examiner', 'ana', '--json');
  assert.equal(changed.status, 0, changed.stderr);
  const stored = JSON.parse(changed.stdout) as { burst: { bytes: number; minutes: number }; tools: Array<{ label: string; match: string }> };
  assert.deepEqual([stored.burst.bytes, stored.burst.minutes], [100 * MB, 15]);
  assert.ok(!stored.tools.some((x) => x.label === 'rclone'));
  assert.deepEqual(stored.tools.at(-1), { label: 'Go scanner', match: 'Go-http-client' });

  const log = custodyOf(casePath);
  assert.equal(log.length, n + 1);
  assert.deepEqual([log.at(-1)!.action, log.at(-1)!.examiner], ['pattern-settings', 'ana']);
  assert.deepEqual(JSON.parse(log.at(-1)!.details).after, stored);

  summary = run('summary', '--case', casePath);
  assert.match(summary.stdout, /Bursts \(more than 10 backup files or 100 MB within 15 minutes\): none\n/);
  assert.match(summary.stdout, /Bulk tools named in user agents: none\n/);
  assert.equal(JSON.parse(run('timeline', '--case', casePath, '--pattern', 'burst', '--json').stdout).downloads.length, 0);

  // --reset goes back to the defaults, itself a logged change.
  assert.equal(run('patterns', '--case', casePath, '--reset').status, 0);
  assert.equal(custodyOf(casePath).length, n + 2);
  assert.match(run('summary', '--case', casePath).stdout, /Bursts \(more than 10 backup files or 50\.0 MB within 15 minutes\): 1\n/);
});

test('a value that makes no sense is a usage error (exit 2) naming the reason; the case is untouched', (t) => {
  const casePath = buildCase(t);
  const n = custodyOf(casePath).length;
  const cases: Array<[string[], RegExp]> = [
    [['--burst-minutes', '0'], /burst minutes must be more than 0 and at most a week \(10080\)/],
    [['--burst-minutes', '20000'], /at most a week/],
    [['--burst-minutes', 'soon'], /--burst-minutes takes a number of minutes, not "soon"/],
    [['--burst-files', '2.5'], /--burst-files takes a whole number, not "2\.5"/],
    [['--burst-files=-1'], /--burst-files takes a whole number/],
    [['--burst-bytes', '5XB'], /--burst-bytes takes a whole number of bytes, or a size such as 50MB/],
    [['--tool', 'rclone'], /--tool takes LABEL=MATCH/],
    [['--tool', 'x= '], /tool \d+ \("x"\) matches nothing/],
    [['--remove-tool', 'no such tool'], /--remove-tool: no tool is labelled "no such tool"/],
    [['--burst-bytes', '1.5'], /--burst-bytes takes a whole number of bytes/],
  ];
  for (const [args, reason] of cases) {
    const r = run('patterns', '--case', casePath, ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, reason, args.join(' '));
    assert.match(r.stderr, /\nusage: trailmark patterns --case/);
  }
  assert.equal(custodyOf(casePath).length, n);
  assert.match(run('patterns', '--case', casePath).stdout, /more than 50\.0 MB \(50000000 bytes\) within 15 minutes/);
  const missing = run('patterns', '--case', join(tempDir(t), 'nope.sqlite'));
  assert.equal(missing.status, 2);
});
