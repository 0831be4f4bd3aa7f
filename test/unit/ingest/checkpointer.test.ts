import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Checkpointer } from '../../../main/import/checkpointer';
import { importPaths, openCaseForImport } from '../../../main/import/run-import';
import { tempDir } from '../../support/paths';
import { writeAccessLogs } from '../../bench/generate';

test('the background checkpointer copies committed pages into the case file while the writer holds its connection', { timeout: 30_000 }, async (t) => {
  const casePath = join(tempDir(t), 'case.sqlite');
  const db = openCaseForImport(casePath, null);
  t.after(() => db.close());
  db.pragma('wal_autocheckpoint = 0'); // the writer itself never checkpoints here
  db.exec('CREATE TABLE filler (x BLOB)');
  const add = db.prepare('INSERT INTO filler VALUES (randomblob(65536))');
  db.transaction(() => { for (let i = 0; i < 64; i++) add.run(); })();
  const before = statSync(casePath).size;
  const checkpointer = new Checkpointer(casePath, 10);
  const deadline = Date.now() + 10_000;
  while (statSync(casePath).size < before + 4 * 1024 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await checkpointer.stop();
  assert.ok(statSync(casePath).size >= before + 4 * 1024 * 1024, `case file ${before} → ${statSync(casePath).size} bytes`);
});

test('an import with background checkpoints stores what one without stores', async (t) => {
  const dir = tempDir(t);
  writeAccessLogs(join(dir, 'in'), 30_000, 5_000);
  const [a, b] = await Promise.all([
    importPaths(join(dir, 'a.sqlite'), [join(dir, 'in')], { backgroundCheckpoints: true }),
    importPaths(join(dir, 'b.sqlite'), [join(dir, 'in')]),
  ]);
  assert.equal(a.events, 30_000);
  assert.deepEqual(a.files.map((f) => [f.status, f.events]), b.files.map((f) => [f.status, f.events]));
});

test('a checkpointer that could not open the case stops without hanging the import that started it', async (t) => {
  const checkpointer = new Checkpointer(join(tempDir(t), 'missing.sqlite'), 10);
  await new Promise((r) => setTimeout(r, 300)); // it has failed and exited by now
  await checkpointer.stop();
});
