// A case written by an earlier Trailmark is upgraded only when asked: case:open answers what an
// upgrade would do and writes nothing; with upgrade it migrates the file in place, or a copy (the
// original only read, byte for byte as it was). Writing commands of the CLI refuse such a case.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { CaseInfo } from '../../../shared/api';
import { loadMigrations, schemaVersionOf, SCHEMA_VERSION } from '../../../main/case/db';
import { main } from '../../../main/cli/index';
import { CaseService } from '../../../main/service';
import { writeEarlierCase } from '../../support/earlier-case';
import { tempDir } from '../../support/paths';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const custody = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT action, details FROM custody ORDER BY seq`).all() as { action: string; details: string }[];
  } finally {
    db.close();
  }
};

function withService(t: { after(fn: () => unknown): void }): CaseService {
  const service = new CaseService({ examiner: 'unit' });
  t.after(() => service.close());
  return service;
}

test('opening a case of an earlier schema answers what the upgrade would do and writes nothing; the case open before stays open', async (t) => {
  const dir = tempDir(t);
  const old = join(dir, 'old.trailmark');
  writeEarlierCase(old, 'Delivered in 2025', 13);
  const before = sha(old);
  const service = withService(t);
  const current = await service.invoke('case:create', { path: join(dir, 'current.trailmark'), name: 'Current' });

  const answer = await service.invoke('case:open', { path: old });
  assert.ok('needsUpgrade' in answer, 'a description, not an open case');
  assert.deepEqual({ ...answer.needsUpgrade, changes: answer.needsUpgrade.changes.length }, {
    path: old, name: 'Delivered in 2025', fromSchema: 13, toSchema: SCHEMA_VERSION, changes: loadMigrations().filter((m) => m.version > 13).length,
  });
  assert.match(answer.needsUpgrade.changes[0], /^014 /);
  assert.equal(sha(old), before, 'the file is byte for byte as it was');
  assert.equal(schemaVersionOf(old), 13);
  assert.equal((await service.invoke('case:info', {}))?.path, current.path, 'the case open before is still the one open');
  // Asked again, the same answer: nothing was half done.
  assert.ok('needsUpgrade' in (await service.invoke('case:open', { path: old })));
  assert.equal(sha(old), before);
});

test('upgrade in place: the file is migrated, opened, and the upgrade is in its custody', async (t) => {
  const dir = tempDir(t);
  const old = join(dir, 'old.trailmark');
  writeEarlierCase(old, 'In place', 8); // before the case marker (012) existed
  const service = withService(t);
  const info = await service.invoke('case:open', { path: old, upgrade: 'in-place' }) as CaseInfo;
  assert.equal(info.path, old);
  assert.equal(info.name, 'In place');
  assert.equal((await service.invoke('case:info', {}))?.path, old);
  await service.close();
  assert.equal(schemaVersionOf(old), SCHEMA_VERSION);
  const upgrade = custody(old).filter((c) => c.action === 'upgrade');
  assert.equal(upgrade.length, 1);
  assert.deepEqual({ ...JSON.parse(upgrade[0].details), tool: 'x' }, { fromSchema: 8, toSchema: SCHEMA_VERSION, tool: 'x' });
});

test('upgrade a copy: the copy is migrated and opened, names its original in custody, and the original is left byte-identical', async (t) => {
  const dir = tempDir(t);
  const old = join(dir, 'old.trailmark');
  writeEarlierCase(old, 'As delivered', 13);
  const before = sha(old);
  const copy = join(dir, 'copy.trailmark');
  const service = withService(t);

  // The copy never replaces a file, nor the case itself.
  writeFileSync(join(dir, 'taken.trailmark'), 'someone else\'s file');
  await assert.rejects(service.invoke('case:open', { path: old, upgrade: { copyTo: join(dir, 'taken.trailmark') } }), /taken\.trailmark exists: the upgraded copy goes to a new file/);
  assert.equal(readFileSync(join(dir, 'taken.trailmark'), 'utf8'), 'someone else\'s file');
  await assert.rejects(service.invoke('case:open', { path: old, upgrade: { copyTo: old } }), /is the case itself/);
  assert.equal(sha(old), before);

  const info = await service.invoke('case:open', { path: old, upgrade: { copyTo: copy } }) as CaseInfo;
  assert.equal(info.path, copy);
  assert.equal(info.name, 'As delivered');
  await service.invoke('notes:add', { target: { type: 'actor', id: 'anonymous' }, text: 'written to the copy' });
  await service.close();

  assert.equal(sha(old), before, 'the original is byte for byte as it was');
  assert.equal(schemaVersionOf(old), 13);
  assert.equal(existsSync(`${old}-wal`) ? readFileSync(`${old}-wal`).length : 0, 0, 'nothing waits in a log to be written to it either');
  assert.equal(schemaVersionOf(copy), SCHEMA_VERSION);
  const actions = custody(copy).map((c) => c.action);
  assert.deepEqual(actions.filter((a) => a.startsWith('upgrade')), ['upgrade', 'upgrade-copy']);
  assert.equal(JSON.parse(custody(copy).find((c) => c.action === 'upgrade-copy')!.details).from, old);
  assert.ok(actions.includes('note'));
  assert.ok(!custody(old).some((c) => c.action === 'note'));
});

test('the CLI\'s import refuses a case of an earlier schema, leaves it as it is and says how to upgrade', async (t) => {
  const dir = tempDir(t);
  const old = join(dir, 'old.trailmark');
  writeEarlierCase(old, 'Old', 13);
  const before = sha(old);
  writeFileSync(join(dir, 'access.log'), '');
  let err = '';
  const code = await main(['import', '--case', old, join(dir, 'access.log')], { out: () => {}, err: (s) => { err += s; }, isTTY: false });
  assert.equal(code, 1);
  assert.match(err, /written by an earlier Trailmark \(schema 13, this version writes \d+\) and was left as it is: upgrade it first with `trailmark upgrade --case /);
  assert.equal(sha(old), before);
});

test('an upgrade of a copy that fails leaves no copy behind, and the original as it was (app and CLI)', async (t) => {
  const dir = tempDir(t);
  const old = join(dir, 'damaged.trailmark');
  writeEarlierCase(old, 'Damaged', 13);
  // A table a later migration rewrites is missing: that migration fails, on the copy.
  const raw = new Database(old);
  raw.exec('DROP TABLE listings');
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  const before = sha(old);
  const copy = join(dir, 'copy.trailmark');
  const leftovers = () => [copy, `${copy}-wal`, `${copy}-shm`].filter((f) => existsSync(f));

  const service = withService(t);
  await assert.rejects(service.invoke('case:open', { path: old, upgrade: { copyTo: copy } }), /listings/);
  assert.deepEqual(leftovers(), []);
  assert.equal(sha(old), before);
  await assert.rejects(service.invoke('timeline:page', { filter: {}, limit: 1 }), /no case is open/);

  let err = '';
  const code = await main(['upgrade', '--case', old, '--out', copy], { out: () => {}, err: (s) => { err += s; }, isTTY: false });
  assert.notEqual(code, 0);
  assert.match(err, /listings/);
  assert.deepEqual(leftovers(), []);
  assert.equal(sha(old), before);
});
