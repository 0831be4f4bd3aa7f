// The command line's manners: --help for every command, exit statuses, reading commands that never
// change a case, out-of-date summaries refused by report and export, and upgrade as the one explicit step.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { commands, main, type CliIo } from '../../../main/cli/index';
import { loadMigrations, migrate, SCHEMA_VERSION } from '../../../main/case/db';
import { importPaths } from '../../../main/import/run-import';
import { writeMixedFolder } from '../../support/mixed-folder';
import { tempDir } from '../../support/paths';

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false, stdout: () => out, stderr: () => err };
}
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** Main file and write-ahead log together: what "the case did not change" means for SQLite (an empty log is no change). */
const fingerprint = (path: string) => sha(path) + (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0 ? sha(`${path}-wal`) : '');

async function importedCase(dir: string): Promise<string> {
  const { root } = writeMixedFolder(join(dir, 'evidence'));
  const casePath = join(dir, 'case.sqlite');
  await importPaths(casePath, [root], { examiner: 'unit' });
  // Settle the log into the file so a later write shows in the file's hash.
  const db = new Database(casePath);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return casePath;
}

test('every command answers --help with its usage, exit 0; help lists the exit statuses', async () => {
  for (const name of Object.keys(commands)) {
    const io = capture();
    assert.equal(await main([name, '--help'], io), 0, name);
    assert.match(io.stdout(), new RegExp(`usage: trailmark ${name} `), name);
    assert.match(io.stdout(), /2 {2}usage error/, name);
  }
  const io = capture();
  assert.equal(await main(['help'], io), 0);
  assert.match(io.stdout(), /Exit status:\n {2}0 {2}done/);
  assert.match(io.stdout(), /upgrade/);
});

test('exit status 2 for a usage error, 1 for a failure', async (t) => {
  const dir = tempDir(t);
  const usage = capture();
  assert.equal(await main(['export', '--case', join(dir, 'x.sqlite'), '--nonsense'], usage), 2);
  assert.match(usage.stderr(), /usage: trailmark export/);
  const notACase = join(dir, 'not-a-case.sqlite');
  const db = new Database(notACase);
  db.exec('CREATE TABLE t (x)');
  db.close();
  const failure = capture();
  assert.equal(await main(['summary', '--case', notACase], failure), 1);
  assert.doesNotMatch(failure.stderr(), /usage:/);
});

test('reading commands leave the case byte for byte as it was', async (t) => {
  const dir = tempDir(t);
  const casePath = await importedCase(dir);
  const before = fingerprint(casePath);
  for (const args of [['timeline', '--json'], ['summary', '--json'], ['verify']]) {
    const io = capture();
    const code = await main([args[0], '--case', casePath, ...args.slice(1)], io);
    assert.ok(code === 0 || code === 3, `${args[0]}: ${io.stderr()}`);
    assert.equal(fingerprint(casePath), before, `${args[0]} changed the case`);
  }
});

test('out-of-date summaries: report and export refuse with the reason, timeline and summary warn; upgrade brings them up to date in custody', async (t) => {
  const dir = tempDir(t);
  const casePath = await importedCase(dir);
  const db = new Database(casePath);
  db.prepare(`UPDATE analysis_progress SET value = 0 WHERE name = 'downloads'`).run();
  db.close();

  const report = capture();
  assert.equal(await main(['report', '--case', casePath, '--out', join(dir, 'r.html'), '--html'], report), 1);
  assert.match(report.stderr(), /out of date: the summaries do not include the downloads after #0 .*trailmark upgrade --case/);
  assert.equal(existsSync(join(dir, 'r.html')), false, 'no report was written');
  const exp = capture();
  assert.equal(await main(['export', '--case', casePath, '--format', 'csv', '--out', join(dir, 'e.csv')], exp), 1);
  assert.match(exp.stderr(), /out of date/);
  assert.equal(existsSync(join(dir, 'e.csv')), false, 'no export was written');
  const summary = capture();
  assert.equal(await main(['summary', '--case', casePath, '--json'], summary), 0);
  assert.match(summary.stderr(), /^warning: the case's derived figures are out of date/);

  const up = capture();
  assert.equal(await main(['upgrade', '--case', casePath, '--examiner', 'unit'], up), 0, up.stderr());
  assert.match(up.stdout(), /derived figures brought up to date/);
  const after = new Database(casePath, { readonly: true });
  const refresh = after.prepare(`SELECT details FROM custody WHERE action = 'refresh'`).pluck().all() as string[];
  after.close();
  assert.equal(refresh.length, 1);
  const again = capture();
  assert.equal(await main(['report', '--case', casePath, '--out', join(dir, 'r.html'), '--html'], again), 0, again.stderr());
  assert.ok(existsSync(join(dir, 'r.html')));
});

test('a case of an earlier schema is not upgraded by reading it; upgrade does it, logged in custody, or on a copy with --out', async (t) => {
  const dir = tempDir(t);
  const casePath = join(dir, 'old.sqlite');
  const old = new Database(casePath);
  migrate(old, loadMigrations().slice(0, -1));
  const oldVersion = old.pragma('user_version', { simple: true }) as number;
  old.close();
  assert.ok(oldVersion < SCHEMA_VERSION);
  const before = fingerprint(casePath);

  const timeline = capture();
  assert.equal(await main(['timeline', '--case', casePath], timeline), 1);
  assert.match(timeline.stderr(), /earlier Trailmark .*trailmark upgrade --case/);
  assert.equal(fingerprint(casePath), before, 'reading did not change the file');

  const copy = join(dir, 'copy.sqlite');
  const onCopy = capture();
  assert.equal(await main(['upgrade', '--case', casePath, '--out', copy], onCopy), 0, onCopy.stderr());
  assert.equal(fingerprint(casePath), before, 'the original is untouched');
  const c = new Database(copy, { readonly: true });
  assert.equal(c.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.deepEqual(c.prepare(`SELECT action FROM custody WHERE action LIKE 'upgrade%' ORDER BY seq`).pluck().all(), ['upgrade', 'upgrade-copy']);
  c.close();

  const inPlace = capture();
  assert.equal(await main(['upgrade', '--case', casePath], inPlace), 0);
  assert.match(inPlace.stdout(), new RegExp(`schema ${oldVersion} → ${SCHEMA_VERSION}`));
  const u = new Database(casePath, { readonly: true });
  const entry = JSON.parse(u.prepare(`SELECT details FROM custody WHERE action = 'upgrade'`).pluck().get() as string);
  u.close();
  assert.deepEqual([entry.fromSchema, entry.toSchema], [oldVersion, SCHEMA_VERSION]);
  const now = capture();
  assert.equal(await main(['timeline', '--case', casePath], now), 0, now.stderr());
});
