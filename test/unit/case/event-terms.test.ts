// Narrower event rows (migration 018): the repeated texts of an event are stored as ids of `terms`,
// readers read them decoded through the `events` view, the host ID is read from the raw record, an
// undone import's terms are harmless, and an earlier case is converted with its meaning intact.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { loadMigrations, migrate, openReadable, type ReadableDB } from '../../../main/case/db';
import { CODED_COLUMNS } from '../../../main/case/event-terms';
import { downloadDetail } from '../../../main/case/timeline';
import { importPaths } from '../../../main/import/run-import';
import { verifyCase } from '../../../main/integrity/verify-case';
import { BUCKET, REQUESTS, writeMixedFolder } from '../../support/mixed-folder';
import { failsAfterFirstCommit } from '../../support/failing-parse';
import { tempDir } from '../../support/paths';
import { accessLogLine, cloudTrailGetObject, trailFileText } from '../../support/synth';

/** The mixed folder (an access log and trail files of the same requests) imported into a new case, opened to read. */
async function importedMixedFolder(t: { after(fn: () => void): void }): Promise<ReadableDB> {
  const dir = tempDir(t);
  const { root } = writeMixedFolder(join(dir, 'in'));
  const casePath = join(dir, 'case.sqlite');
  await importPaths(casePath, [root]);
  const db = openReadable(casePath);
  t.after(() => db.close());
  return db;
}

test('an event row holds term ids; the events view reads their texts, as the raw records give them', async (t) => {
  const db = await importedMixedFolder(t);
  for (const c of CODED_COLUMNS) {
    assert.deepEqual(db.prepare(`SELECT DISTINCT typeof(${c}) FROM event_rows WHERE ${c} IS NOT NULL`).pluck().all(), ['integer'], c);
  }
  // Each distinct text once.
  const texts = db.prepare('SELECT text FROM terms').pluck().all() as string[];
  assert.equal(new Set(texts).size, texts.length);
  assert.ok(texts.includes('s3-access-log') && texts.includes('cloudtrail') && texts.includes('REST.GET.OBJECT') && texts.includes('download'));
  const events = db.prepare(`SELECT source, action, kind, actor_type, user_agent FROM events ORDER BY id`).all() as Record<string, string>[];
  assert.equal(events.length, 7);
  assert.deepEqual(new Set(events.map((e) => e.source)), new Set(['s3-access-log', 'cloudtrail']));
  assert.deepEqual(new Set(events.map((e) => e.kind)), new Set(['download', 'head', 'other'])); // the 403 is no download
  assert.ok(events.every((e) => e.user_agent === 'curl/8.4.0'), JSON.stringify(events));
  assert.equal(db.prepare(`SELECT count(*) FROM pragma_table_info('event_rows') WHERE name = 'host_id'`).pluck().get(), 0);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
});

test('the event detail shows each source\'s host ID, read from its raw record', async (t) => {
  const db = await importedMixedFolder(t);
  const id = db.prepare(`SELECT id FROM downloads WHERE request_id = ?`).pluck().get(REQUESTS[1].requestId) as number;
  const detail = downloadDetail(db, id)!;
  assert.deepEqual(detail.events.map((e) => [e.source, e.hostId]).sort(), [['cloudtrail', REQUESTS[1].hostId], ['s3-access-log', REQUESTS[1].hostId]]);
});

test('an undone file leaves the terms it added unused, and the case verifies as before', async (t) => {
  const dir = tempDir(t);
  const T = Date.UTC(2020, 0, 1);
  writeFileSync(join(dir, 'kept.log'), `${[0, 1, 2].map((i) => accessLogLine({ time: T + i * 1000, bucket: BUCKET, key: `k${i}`, ip: '192.0.2.1', requestId: `K${i}`, hostId: 'H' })).join('\n')}\n`);
  // More than a commit's worth of records with an agent of their own: the term is committed before the file fails.
  const records = Array.from({ length: 20_000 }, (_, i) => cloudTrailGetObject({
    time: T + i * 1000, bucket: 'b', key: `k${i}`, ip: '192.0.2.1', requestId: `R${i}`, hostId: 'H', eventId: `E-${i}`, userAgent: 'undone-agent/1.0',
  }));
  writeFileSync(join(dir, 'undone.json'), trailFileText(records));
  const casePath = join(dir, 'case.sqlite');
  await importPaths(casePath, [join(dir, 'kept.log')]);
  const before = await verifyCase(casePath);
  assert.deepEqual(before.problems, []);
  const s = await importPaths(casePath, [join(dir, 'undone.json')], { parse: failsAfterFirstCommit });
  assert.equal(s.files[0].status, 'failed');
  const db = new Database(casePath, { readonly: true });
  const agent = db.prepare(`SELECT id FROM terms WHERE text = 'undone-agent/1.0'`).pluck().get() as number | undefined;
  assert.ok(agent !== undefined, 'the term was committed with the first rows of the undone file');
  assert.equal(db.prepare(`SELECT count(*) FROM event_rows WHERE user_agent = ?`).pluck().get(agent), 0);
  assert.equal(db.prepare(`SELECT count(*) FROM events`).pluck().get(), 3);
  db.close();
  const after = await verifyCase(casePath);
  assert.deepEqual(after.problems, []);
  assert.equal(after.verdict, before.verdict);
  // The next import of the same agent reuses the term.
  await importPaths(casePath, [join(dir, 'undone.json')]);
  const again = new Database(casePath, { readonly: true });
  t.after(() => again.close());
  assert.equal(again.prepare(`SELECT count(*) FROM event_rows WHERE user_agent = ?`).pluck().get(agent), 20_000);
});

test('a case from before migration 018 keeps every event\'s columns, now coded; its references and downloads follow', (t) => {
  const db = new Database(join(tempDir(t), 'old.sqlite'));
  t.after(() => db.close());
  migrate(db, loadMigrations().filter((m) => m.version <= 16));
  db.prepare(`INSERT INTO evidence (id, path, origin, sha256, size, format, status, acquired_at) VALUES (1, 'x', '{}', 'x', 0, 's3-access-log', 'complete', '')`).run();
  db.prepare(`INSERT INTO raw_blocks (id, evidence_id, bytes) VALUES (1, 1, CAST('a b c' AS BLOB))`).run();
  const add = db.prepare(`INSERT INTO events (time, nk, source, action, kind, actor, actor_type, user_agent, bucket, key, status, request_id, host_id, evidence_id, locator, raw_block, raw_at, raw_len)
    VALUES (?, ?, ?, ?, ?, 'anonymous', ?, ?, 'b', ?, 200, ?, 'H', 1, ?, 1, 0, 1)`);
  add.run(1000, 1, 's3-access-log', 'REST.GET.OBJECT', 'download', 'anonymous', 'curl/8.4.0', 'k1', 'R1', 1);
  add.run(2000, 2, 'cloudtrail', 'PutBucketAcl', 'acl-change', 'IAMUser', null, null, 'R2', 2);
  add.run(3000, 3, 's3-access-log', 'REST.GET.OBJECT', 'download', 'anonymous', 'Mozilla/5.0 (é, 日本語)', 'k3', 'R3', 3);
  db.prepare(`INSERT INTO marked_events (mark, time, id) VALUES ('acl-change', 2000, 2)`).run();
  db.prepare(`INSERT INTO download_ledger (id, rk, time, actor, bucket, key, sources, s3_event_id) VALUES (1, 1, 1000, 'anonymous', 'b', 'k1', 1, 1), (2, 3, 3000, 'anonymous', 'b', 'k3', 1, 3)`).run();
  const columns = 'id, time, nk, source, action, kind, actor, actor_type, user_agent, bucket, key, status, request_id, evidence_id, locator, raw_block, raw_at, raw_len';
  const events = db.prepare(`SELECT ${columns} FROM events ORDER BY id`).all();
  const downloads = db.prepare(`SELECT * FROM downloads ORDER BY id`).all();

  migrate(db);
  assert.deepEqual(db.prepare(`SELECT ${columns} FROM events ORDER BY id`).all(), events);
  assert.deepEqual(db.prepare(`SELECT * FROM downloads ORDER BY id`).all(), downloads);
  assert.equal(db.prepare(`SELECT count(*) FROM terms`).pluck().get(), 10); // 2 sources, 2 actions, 2 kinds, 2 actor types, 2 agents
  assert.deepEqual(db.prepare(`SELECT DISTINCT typeof(user_agent) FROM event_rows WHERE user_agent IS NOT NULL`).pluck().all(), ['integer']);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  // The tables that point at events point at the rows: a foreign key cannot name a view.
  for (const table of ['marked_events', 'duplicates', 'download_ledger']) {
    assert.match(db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).pluck().get(table) as string, /REFERENCES "?event_rows"?/, table);
  }
  assert.ok(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name IN ('events_natural', 'events_no_update', 'events_no_delete') AND tbl_name = 'event_rows'`).pluck().get() === 3);
  assert.throws(() => db.exec(`UPDATE event_rows SET user_agent = 1 WHERE id = 3`), /events are evidence/);
});

test('queries through the events view plan on event_rows as they planned on events: by id, by natural key, flattened into the downloads view', async (t) => {
  const db = await importedMixedFolder(t);
  const plan = (q: string) => (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
  const byId = plan(`SELECT id, time, actor, user_agent FROM events WHERE id > 1 AND id <= 100 AND kind = 'download' ORDER BY id`);
  assert.match(byId, /^SEARCH e USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
  // A term is read by its id, never found by scanning the dictionary.
  assert.match(byId, /SEARCH t USING INTEGER PRIMARY KEY \(rowid=\?\)/);
  assert.doesNotMatch(byId, /SCAN|MATERIALIZE|CO-ROUTINE/);
  assert.match(plan(`SELECT id, source, event_id FROM events e WHERE time = 5 AND nk = 3`), /SEARCH e USING INDEX events_natural \(time=\? AND nk=\?\)/);
  const page = plan(`SELECT * FROM downloads WHERE time > 0 ORDER BY time, id LIMIT 50`);
  assert.match(page, /SEARCH downloads USING INDEX downloads_time/);
  assert.equal(page.match(/SEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\) LEFT-JOIN/g)?.length, 2, page);
  assert.doesNotMatch(page, /SCAN|MATERIALIZE|CO-ROUTINE/);
});
