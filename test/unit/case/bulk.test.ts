import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { BULK_EVENTS, DEFERRABLE_INDEXES, deferDownloadIndexes } from '../../../main/case/bulk';
import { openWritable } from '../../../main/case/db';
import { importPaths } from '../../../main/import/run-import';
import { writeAccessLogs } from '../../bench/generate';
import { ROOT, tempDir } from '../../support/paths';

const indexSql = (path: string) => Object.fromEntries((new Database(path, { readonly: true })
  .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'download_ledger' AND sql IS NOT NULL`).all() as { name: string; sql: string }[])
  .map((r) => [r.name, r.sql]));

test('the deferred index definitions are the migration\'s own', () => {
  const migration = ['017-ledger-dictionaries.sql'].map((f) => readFileSync(join(ROOT, 'main/case/migrations', f), 'utf8')).join('\n');
  for (const sql of Object.values(DEFERRABLE_INDEXES)) assert.ok(migration.includes(`${sql};`), sql);
});

test('a bulk import defers the wide download indexes and puts them back', async (t) => {
  const dir = tempDir(t);
  writeAccessLogs(join(dir, 'logs'), BULK_EVENTS);
  const casePath = join(dir, 'case.sqlite');
  const messages: string[] = [];
  const s = await importPaths(casePath, [join(dir, 'logs')], { onProgress: (p) => { if (p.message) messages.push(p.message); } });
  assert.equal(s.events, BULK_EVENTS);
  assert.ok(messages.includes('building indexes'));
  assert.deepEqual(Object.keys(indexSql(casePath)).sort(), ['downloads_actor', 'downloads_object', 'downloads_request', 'downloads_source_ip', 'downloads_time']);
});

test('a case left without them (a crash mid-import) gets them back when next opened for import', async (t) => {
  const dir = tempDir(t);
  const casePath = join(dir, 'case.sqlite');
  const db = openWritable(casePath);
  deferDownloadIndexes(db);
  db.close();
  assert.equal(indexSql(casePath).downloads_actor, undefined);
  await importPaths(casePath, []);
  assert.equal(indexSql(casePath).downloads_actor, DEFERRABLE_INDEXES.downloads_actor);
  assert.equal(indexSql(casePath).downloads_source_ip, DEFERRABLE_INDEXES.downloads_source_ip);
});
