// A case file says it is one (application_id 'TRMK' and a case_meta row, written at creation), and
// only such a file — or a case written by an earlier Trailmark, recognised by its schema — is opened.
// Another application's SQLite database is refused and left byte for byte as it was.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CASE_APPLICATION_ID, loadMigrations, migrate, openReadable, type WritableDB } from '../../../main/case/db';
import { getMeta, initCase } from '../../../main/case/meta';
import { openCase } from '../../../main/case/open';
import { CaseService } from '../../../main/service';
import { tempDir } from '../../support/paths';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('a new case carries the marker in its header and in case_meta', (t) => {
  const path = join(tempDir(t), 'new.trailmark');
  const db = openCase(path, { name: 'New' });
  assert.equal(db.pragma('application_id', { simple: true }), CASE_APPLICATION_ID);
  assert.equal(getMeta(db).format, 'trailmark-case');
  db.close();
  // The header bytes themselves (offset 68, big-endian), as a tool without SQLite reads them.
  assert.equal(readFileSync(path).subarray(68, 72).toString('latin1'), 'TRMK');
  const again = openReadable(path);
  assert.equal(getMeta(again).name, 'New');
  again.close();
});

test("another application's SQLite file is refused, whatever its user_version, and left unchanged", async (t) => {
  const path = join(tempDir(t), 'other-app.db');
  const other = new Database(path);
  other.exec(`CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO messages (body) VALUES ('hello')`);
  other.pragma('user_version = 42');
  other.close();
  const before = sha(path);
  assert.throws(() => openCase(path, { create: false }), /other-app\.db is not a Trailmark case/);
  assert.throws(() => openCase(path), /is not a Trailmark case/);
  assert.throws(() => openReadable(path), /is not a Trailmark case file/);
  const service = new CaseService();
  t.after(() => service.close());
  await assert.rejects(service.invoke('case:open', { path }), /is not a Trailmark case/);
  assert.equal(sha(path), before);
});

test('a file that merely borrows the schema but carries another application id is refused', (t) => {
  const path = join(tempDir(t), 'lookalike.db');
  const db = openCase(path);
  db.pragma('application_id = 7');
  db.close();
  assert.throws(() => openCase(path, { create: false }), /is not a Trailmark case/);
});

test('opening never turns an existing blank file into a case; creating may', (t) => {
  const dir = tempDir(t);
  const blank = join(dir, 'blank.trailmark');
  writeFileSync(blank, '');
  assert.throws(() => openCase(blank, { create: false }), /is not a Trailmark case/);
  assert.equal(readFileSync(blank).length, 0);
  const db = openCase(blank, { name: 'Made here' });
  assert.equal(db.pragma('application_id', { simple: true }), CASE_APPLICATION_ID);
  db.close();
});

test('a case written before the marker existed is still a case, and is stamped when upgraded', (t) => {
  const path = join(tempDir(t), 'earlier.trailmark');
  // Built as an earlier Trailmark built it: every migration before the marker's, then the case's identity.
  const raw = new Database(path);
  migrate(raw, loadMigrations().filter((m) => m.version < 12));
  initCase(raw as WritableDB, 'Earlier', 'examiner', '0.0.9');
  assert.equal(raw.pragma('application_id', { simple: true }), 0);
  raw.close();
  // Opened for writing only as an upgrade, which the investigator asks for (case/upgrade.ts).
  assert.throws(() => openCase(path, { create: false }), /written by an earlier Trailmark \(schema 8, this version writes \d+\) and was left as it is/);
  const db = openCase(path, { create: false, upgrade: true });
  assert.equal(db.pragma('application_id', { simple: true }), CASE_APPLICATION_ID);
  assert.equal(getMeta(db).name, 'Earlier');
  assert.equal(getMeta(db).format, 'trailmark-case');
  db.close();
});
