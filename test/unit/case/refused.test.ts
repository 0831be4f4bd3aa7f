// Files offered to an import and not taken leave a trace in the case: a refused_files row each (path,
// size, SHA-256 where the bytes could be read, reason, examiner, time), a custody entry each, and a count
// of their own in the import summary — and never an excerpt of what an unrecognised file holds.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { checkCustodyChain, listCustody } from '../../../main/case/custody';
import { openReadable } from '../../../main/case/db';
import { listRefusedFiles } from '../../../main/case/refused';
import { summaryText } from '../../../main/cli';
import { importPaths } from '../../../main/import/run-import';
import { verifyCase } from '../../../main/verify';
import { tempDir } from '../../support/paths';

const ROOT = join(__dirname, '../../../..');
const GOOD = join(ROOT, 'test/fixtures/app/leak-evidence/s3-access-logs/2025-03-13-00-00-00-7C4D2E1F0A9B8C3D');
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** A folder as an examiner might be handed it: one good log, and four files the case cannot take. */
function offered(dir: string) {
  const folder = join(dir, 'handed-over');
  mkdirSync(folder);
  const good = join(folder, 'access.log');
  copyFileSync(GOOD, good);
  const credentials = Buffer.from(`[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${SECRET}\n`);
  const paths = {
    good,
    credentials: join(folder, 'credentials'),
    empty: join(folder, 'empty.log'),
    damaged: join(folder, 'damaged.json.gz'),
    dangling: join(folder, 'gone.log'),
  };
  writeFileSync(paths.credentials, credentials);
  writeFileSync(paths.empty, '');
  const damaged = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('not deflate at all, just bytes')]);
  writeFileSync(paths.damaged, damaged);
  symlinkSync(join(folder, 'nowhere'), paths.dangling);
  return { folder, paths, credentials, damaged };
}

test('an import records every file it refuses, in the case and in custody, and counts them apart from rejected lines', async (t) => {
  const dir = tempDir(t);
  const casePath = join(dir, 'case.sqlite');
  const { folder, paths, credentials, damaged } = offered(dir);
  const summary = await importPaths(casePath, [folder], { examiner: 'A. Examiner' });

  assert.equal(summary.files.find((f) => f.path === paths.good)!.status, 'imported');
  assert.equal(summary.refused, 4, 'four whole files not taken');
  assert.equal(summary.rejected, 0, 'no line of the imported file was rejected: the counters do not mix');

  const db = openReadable(casePath);
  t.after(() => db.close());
  const rows = listRefusedFiles(db);
  const byPath = new Map(rows.map((r) => [r.path, r]));
  assert.equal(rows.length, 4);
  assert.deepEqual(
    [byPath.get(paths.credentials), byPath.get(paths.empty), byPath.get(paths.damaged), byPath.get(paths.dangling)].map((r) => r && [r.status, r.size, r.sha256]),
    [
      ['refused', credentials.length, sha(credentials)],
      ['refused', 0, sha('')],
      ['failed', damaged.length, sha(damaged)], // the bytes are readable though their content is not
      ['refused', null, null],
    ],
  );
  assert.equal(byPath.get(paths.credentials)!.reason, 'not a recognised evidence format');
  assert.equal(byPath.get(paths.empty)!.reason, 'an empty file');
  assert.match(byPath.get(paths.damaged)!.reason, /^cannot be read: /);
  assert.equal(byPath.get(paths.dangling)!.reason, 'no such file or folder');
  assert.ok(rows.every((r) => r.examiner === 'A. Examiner' && !Number.isNaN(Date.parse(r.at))));

  // One custody entry per refused file, naming it; the chain stays whole.
  const refusals = listCustody(db).filter((c) => c.action === 'refuse').map((c) => JSON.parse(c.details) as { refused: number; path: string; sha256: string | null; reason: string });
  assert.deepEqual(refusals.map((c) => c.refused).sort(), rows.map((r) => r.id).sort());
  assert.deepEqual(refusals.find((c) => c.path === paths.credentials)!.sha256, sha(credentials));
  assert.deepEqual(checkCustodyChain(db), []);

  // What the credentials file holds is nowhere: not in the case, its custody, the summary or the CLI's words.
  const raw = new Database(casePath, { readonly: true });
  t.after(() => raw.close());
  const everything = JSON.stringify([raw.prepare('SELECT * FROM refused_files').all(), raw.prepare('SELECT * FROM custody').all(), summary]);
  assert.ok(!everything.includes(SECRET) && !everything.includes('AKIAIOSFODNN7EXAMPLE'), 'no excerpt of a refused file is kept');
  const words = summaryText(summary);
  assert.match(words, /Refused 4 file\(s\), each recorded in the case/);
  assert.match(words, /0 rejected line\(s\)/);
  assert.ok(!words.includes(SECRET));

  // Kept as found, like evidence.
  const w = new Database(casePath);
  t.after(() => w.close());
  assert.throws(() => w.prepare(`UPDATE refused_files SET reason = 'x'`).run(), /kept as found/);
  assert.throws(() => w.prepare('DELETE FROM refused_files').run(), /kept as found/);

  // A refusal is no discrepancy: the case still verifies.
  assert.equal((await verifyCase(casePath)).verdict, 'verified');
});

test('verify notices a refused file removed from the case, as a tamperer would with the triggers dropped', async (t) => {
  const dir = tempDir(t);
  const casePath = join(dir, 'case.sqlite');
  const { folder, paths } = offered(dir);
  await importPaths(casePath, [folder]);
  assert.equal((await verifyCase(casePath)).verdict, 'verified');
  const w = new Database(casePath);
  w.exec('DROP TRIGGER refused_files_no_delete');
  w.prepare('DELETE FROM refused_files WHERE path = ?').run(paths.credentials);
  w.close();
  const report = await verifyCase(casePath);
  assert.equal(report.verdict, 'failed');
  assert.match(report.problems.join('\n'), new RegExp(`refused files: ${paths.credentials.replace(/[/.]/g, '\\$&')} \\(refused file \\d+\\) was logged as refused but is no longer recorded`));
});

test('a file refused again is recorded again: each offer is a fact of its own', async (t) => {
  const dir = tempDir(t);
  const casePath = join(dir, 'case.sqlite');
  const { paths } = offered(dir);
  await importPaths(casePath, [paths.credentials]);
  const second = await importPaths(casePath, [paths.credentials]);
  assert.equal(second.refused, 1);
  const db = openReadable(casePath);
  t.after(() => db.close());
  assert.deepEqual(listRefusedFiles(db).map((r) => r.path), [paths.credentials, paths.credentials]);
  assert.equal(listCustody(db).filter((c) => c.action === 'refuse').length, 2);
});
