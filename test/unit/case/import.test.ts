import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { checkCustodyChain } from '../../../main/case/custody';
import { loadMigrations, migrate, openReadable, openWritable } from '../../../main/case/db';
import { caseInfo } from '../../../main/case/meta';
import { downloadDetail, timelinePage, timelineQuery } from '../../../main/case/timeline';
import { sql } from '../../../main/case/sql';
import { naturalKeyHash } from '../../../main/ingest/natural-key';
import { parseFile } from '../../../main/ingest/parse-file';
import { withRaw, type RawRef } from '../../../main/case/raw-records';
import { rowsDigestOf } from '../../../main/ingest/rows-digest';
import { inThreadParser } from '../../../main/import/parse-contract';
import { importInto, importPaths, openCaseForImport } from '../../../main/import/run-import';
import { ParseWorker } from '../../../main/import/parse-thread-client';
import { BUCKET, REQUESTS, writeMixedFolder } from '../../support/mixed-folder';
import { failsAfterFirstCommit } from '../../support/failing-parse';
import { publicSample, tempDir } from '../../support/paths';
import { cloudTrailGetObject, trailFileText } from '../../support/synth';
import { writeAccessLogs } from '../../bench/generate';

const count = (path: string, q: string) => (new Database(path, { readonly: true }).prepare(q).get() as { n: number }).n;
/** The import connection does not check references as it writes (run-import.ts): they must hold anyway. */
const brokenReferences = (path: string) => new Database(path, { readonly: true }).pragma('foreign_key_check');

test('the public samples import; importing them again adds nothing', async (t) => {
  const dir = tempDir(t);
  const casePath = join(dir, 'case.sqlite');
  const first = await importPaths(casePath, [publicSample()], { examiner: 'A. Examiner' });
  assert.equal(first.events, 3085);
  assert.equal(first.rejected, 0);
  assert.ok(first.files.filter((f) => f.status === 'refused').every((f) => /LICENSE|SOURCES/.test(f.path)));
  const again = await importPaths(casePath, [publicSample()]);
  assert.equal(again.events, 0);
  assert.ok(again.files.every((f) => f.status === 'already-in-case' || f.status === 'refused'));
  assert.equal(count(casePath, 'SELECT count(*) n FROM events'), 3085);
  const db = openReadable(casePath);
  t.after(() => db.close());
  assert.deepEqual(checkCustodyChain(db), []);
  assert.equal(caseInfo(db, casePath).evidence, first.files.filter((f) => f.status === 'imported').length);
});

test('one download per request: the access log and CloudTrail views of a request merge', async (t) => {
  const dir = tempDir(t);
  const { root } = writeMixedFolder(join(dir, 'evidence'));
  const casePath = join(dir, 'case.sqlite');
  const summary = await importPaths(casePath, [root]);
  assert.equal(summary.rejected, 1);
  const log = summary.files.find((f) => f.path.includes('access-logs'))!;
  assert.deepEqual(log.firstRejects, [{ locator: 3, reason: 'only 9 fields; an S3 access log line has at least 17' }]);
  assert.equal(summary.files.find((f) => f.path.endsWith('notes.txt'))!.status, 'refused');
  const db = openReadable(casePath);
  t.after(() => db.close());
  const { rows } = timelinePage(db, {}, null, 100);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((r) => r.key), REQUESTS.map((r) => r.key));
  assert.deepEqual(rows.map((r) => r.sources), [['cloudtrail', 's3-access-log'], ['cloudtrail', 's3-access-log'], ['s3-access-log']]);
  assert.deepEqual(rows.map((r) => r.complete), [true, false, true]);
  assert.ok(rows.every((r) => r.actor === 'anonymous' && r.bucket === BUCKET));
  const detail = downloadDetail(db, rows[0].id)!;
  assert.deepEqual(detail.events.map((e) => e.source).sort(), ['cloudtrail', 's3-access-log']);
  assert.ok(detail.events.find((e) => e.source === 's3-access-log')!.raw.includes('A1B2C3D4E5F60001'));
  assert.equal(detail.events.find((e) => e.source === 's3-access-log')!.locator, 1);
  assert.deepEqual(brokenReferences(casePath), []);
});

test('the same CloudTrail events from a trail file and a LookupEvents dump are stored once; each file\'s row digest covers what it stored', async (t) => {
  const dir = tempDir(t);
  const recs = [1, 2, 3, 4].map((i) => cloudTrailGetObject({ time: Date.UTC(2020, 0, 1, 0, 0, i), bucket: 'b', key: `k${i}`, ip: '192.0.2.1', requestId: `R${i}`, hostId: 'H', eventId: `E${i}` }));
  writeFileSync(join(dir, 'trail.json'), trailFileText(recs.slice(0, 3)));
  const lookup = { Events: recs.slice(1).map((r) => ({ EventId: (r as { eventID: string }).eventID, CloudTrailEvent: JSON.stringify(r) })) };
  writeFileSync(join(dir, 'lookup.json'), JSON.stringify(lookup));
  const casePath = join(dir, 'case.sqlite');
  await importPaths(casePath, [join(dir, 'trail.json')]);
  const s = await importPaths(casePath, [join(dir, 'lookup.json')]);
  assert.equal(s.events, 1);
  assert.equal(s.duplicates, 2);
  assert.equal(count(casePath, 'SELECT count(*) n FROM events'), 4);
  assert.equal(count(casePath, 'SELECT count(*) n FROM duplicates'), 2);
  assert.equal(count(casePath, 'SELECT count(*) n FROM downloads'), 4);
  // The parser digests every record it read; where some were duplicates the writer must not use that.
  const db = new Database(casePath, { readonly: true });
  for (const ev of db.prepare('SELECT id, events, rows_digest FROM evidence').all() as { id: number; events: number; rows_digest: string }[]) {
    const stored = rowsDigestOf(withRaw(db as never, db.prepare('SELECT locator, raw_block, raw_at, raw_len FROM events WHERE evidence_id = ? ORDER BY locator').all(ev.id) as (RawRef & { locator: number })[]));
    assert.deepEqual(stored, { n: ev.events, digest: ev.rows_digest });
  }
});

test('a record whose 32-bit key hash collides with a different stored record is still stored', async (t) => {
  const dir = tempDir(t);
  const rec = cloudTrailGetObject({ time: Date.UTC(2020, 0, 1), bucket: 'b', key: 'k', ip: '192.0.2.1', requestId: 'R', hostId: 'H', eventId: 'E-collide' });
  writeFileSync(join(dir, 'trail.json'), trailFileText([rec]));
  const casePath = join(dir, 'case.sqlite');
  const db = openWritable(casePath);
  const nk = naturalKeyHash({ source: 'cloudtrail', eventId: 'E-collide', raw: '' });
  db.prepare(`INSERT INTO evidence (id, path, origin, sha256, size, format, status, acquired_at) VALUES (1, 'x', '{}', 'x', 0, 'cloudtrail-file', 'complete', '')`).run();
  db.prepare(`INSERT INTO raw_blocks (id, evidence_id, bytes) VALUES (1, 1, CAST('{}' AS BLOB))`).run();
  const term = (text: string) => Number(db.prepare(`INSERT INTO terms (text) VALUES (?)`).run(text).lastInsertRowid);
  db.prepare(`INSERT INTO event_rows (time, nk, source, action, kind, actor_type, event_id, evidence_id, locator, raw_block, raw_at, raw_len)
    VALUES (?, ?, ?, ?, ?, ?, 'E-other', 1, 1, 1, 0, 2)`).run(Date.UTC(2020, 0, 1), nk, term('cloudtrail'), term('Other'), term('other'), term('unknown'));
  db.close();
  const s = await importPaths(casePath, [join(dir, 'trail.json')]);
  assert.equal(s.events, 1);
  assert.equal(count(casePath, `SELECT count(*) n FROM events WHERE event_id = 'E-collide'`), 1);
  assert.equal(count(casePath, `SELECT nk n FROM events WHERE event_id = 'E-collide'`), (nk + 1) >>> 0);
});

/** A management record as CloudTrail writes it; enough for the classifier and the marks. */
function managementRecord(eventName: string, eventSource: string, time: number, eventId: string): object {
  return {
    eventVersion: '1.09', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/admin', accountId: '111122223333' },
    eventTime: new Date(time).toISOString(), eventSource, eventName, awsRegion: 'us-east-1', sourceIPAddress: '192.0.2.9',
    requestParameters: { bucketName: 'b' }, eventID: eventId, eventType: 'AwsApiCall', recipientAccountId: '111122223333',
  };
}

/** What marked_events must hold: every stored configuration event by its kind, every STS / sign-in event as 'identity'. */
const MARKS_FROM_EVENTS = `
  SELECT kind AS mark, time, id FROM events WHERE kind IN ('acl-change', 'policy-change', 'public-access-change', 'logging-change')
  UNION ALL SELECT 'identity', time, id FROM events
  WHERE action IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetFederationToken', 'ConsoleLogin')
  ORDER BY 1, 2, 3`;

test('configuration and identity events are marked as they are stored, on every road, and an undone file takes its marks along', async (t) => {
  const dir = tempDir(t);
  const T = Date.UTC(2020, 0, 1);
  const MGMT: Array<[string, string]> = [
    ['PutBucketAcl', 's3.amazonaws.com'], ['PutBucketPolicy', 's3.amazonaws.com'], ['PutPublicAccessBlock', 's3.amazonaws.com'],
    ['PutBucketLogging', 's3.amazonaws.com'], ['AssumeRole', 'sts.amazonaws.com'], ['ConsoleLogin', 'signin.amazonaws.com'], ['ListBuckets', 's3.amazonaws.com'],
  ];
  // Every seventh record is a management call, the rest downloads: 300 records span full 64-row chunks and single rows.
  const record = (i: number) => (i % 7 === 0
    ? managementRecord(MGMT[(i / 7) % MGMT.length][0], MGMT[(i / 7) % MGMT.length][1], T + i * 1000, `E-${i}`)
    : cloudTrailGetObject({ time: T + i * 1000, bucket: 'b', key: `k${i}`, ip: '192.0.2.1', requestId: `R${i}`, hostId: `H${i}`, eventId: `E-${i}` }));
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => record(from + k));
  writeFileSync(join(dir, 'first.json'), trailFileText(range(0, 150)));
  // Half of it again (duplicates in every chunk, so each row is settled one by one) and new records after.
  writeFileSync(join(dir, 'second.json'), trailFileText(range(75, 300)));
  // Fails after its first commit (16k events), so its committed marks must be undone with its events.
  writeFileSync(join(dir, 'third.json'), trailFileText(range(300, 20_300)));
  const casePath = join(dir, 'case.sqlite');
  await importPaths(casePath, [join(dir, 'first.json')]);
  await importPaths(casePath, [join(dir, 'second.json')]);
  const s = await importPaths(casePath, [join(dir, 'third.json')], { parse: failsAfterFirstCommit });
  assert.equal(s.files[0].status, 'failed');
  const db = new Database(casePath, { readonly: true });
  const marks = db.prepare('SELECT mark, time, id FROM marked_events ORDER BY 1, 2, 3').all();
  assert.equal(count(casePath, 'SELECT count(*) n FROM events'), 300);
  assert.equal(marks.length, 37); // 43 management records among the 300 stored, 6 of them ListBuckets
  assert.deepEqual(marks, db.prepare(MARKS_FROM_EVENTS).all());
  assert.deepEqual(new Set(marks.map((m) => (m as { mark: string }).mark)), new Set(['acl-change', 'policy-change', 'public-access-change', 'logging-change', 'identity']));
  assert.deepEqual(brokenReferences(casePath), []);
});

test('a case from before marked_events gets its configuration and identity events marked when opened', (t) => {
  const db = new Database(join(tempDir(t), 'old.sqlite'));
  migrate(db, loadMigrations().filter((m) => m.version <= 3));
  db.prepare(`INSERT INTO evidence (id, path, origin, sha256, size, format, status, acquired_at) VALUES (1, 'x', '{}', 'x', 0, 'cloudtrail-file', 'complete', '')`).run();
  const add = db.prepare(`INSERT INTO events (time, nk, source, action, kind, actor_type, evidence_id, locator, raw) VALUES (?, ?, 'cloudtrail', ?, ?, 'IAMUser', 1, ?, '{}')`);
  [['GetObject', 'download'], ['PutBucketAcl', 'acl-change'], ['AssumeRole', 'other'], ['StopLogging', 'logging-change'], ['ListBuckets', 'list']]
    .forEach(([action, kind], i) => add.run(1000 + i, i, action, kind, i + 1));
  migrate(db);
  assert.deepEqual(db.prepare('SELECT mark, time, id FROM marked_events ORDER BY 1, 2, 3').all(), db.prepare(MARKS_FROM_EVENTS).all());
  assert.equal(db.prepare('SELECT count(*) n FROM marked_events').pluck().get(), 3);
  assert.deepEqual(db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('events_config', 'events_identity')`).all(), []);
  db.close();
});

/** Three distinct access-log files a, b, c (different bytes, so different evidence) in `dir`/in. */
function threeFiles(dir: string): string {
  const inDir = join(dir, 'in');
  mkdirSync(inDir);
  const text = readFileSync(publicSample('ralf/amazon.alf'), 'utf8');
  for (const [i, name] of ['a', 'b', 'c'].entries()) writeFileSync(join(inDir, name), text.replace('F7CECCD7A21B4B96', `F7CECCD7A21B4B9${i}`));
  return inDir;
}

test('a file that fails half way is undone; the files before and after it are kept', async (t) => {
  const dir = tempDir(t);
  const inDir = threeFiles(dir);
  const casePath = join(dir, 'case.sqlite');
  const s = await importPaths(casePath, [inDir], {
    parse: async function* (path, format) {
      let n = 0;
      for await (const b of parseFile(path, format, { batchSize: 2 })) {
        if (path.endsWith('b') && ++n === 2) throw new Error('disk went away');
        yield b;
      }
    },
  });
  assert.deepEqual(s.files.map((f) => f.status), ['imported', 'failed', 'imported']);
  assert.match(s.files[1].reason!, /disk went away; this file was undone/);
  assert.equal(count(casePath, 'SELECT count(*) n FROM evidence'), 2);
  assert.equal(count(casePath, `SELECT count(*) n FROM evidence WHERE status != 'complete'`), 0);
  assert.deepEqual(brokenReferences(casePath), []);
});

test('the parser is closed once the files are read, before downloads are derived, and when the import is cancelled', async (t) => {
  const dir = tempDir(t);
  const inDir = threeFiles(dir);
  for (const cancel of [false, true]) {
    const steps: string[] = [];
    const abort = new AbortController();
    if (cancel) abort.abort();
    const s = await importPaths(join(dir, `case-${cancel}.sqlite`), [inDir], {
      signal: abort.signal,
      makeParser: () => ({ ...inThreadParser(), close: async () => { steps.push('parser closed'); } }),
      onProgress: (p) => { if (p.message && steps.at(-1) !== p.message) steps.push(p.message); },
    });
    assert.deepEqual(s.files.map((f) => f.status), Array(3).fill(cancel ? 'cancelled' : 'imported'));
    assert.deepEqual(steps.slice(0, 2), ['parser closed', 'deriving downloads'], `cancelled: ${cancel}`);
  }
});

test('each batch and each file is committed before the import awaits: a failure in one file keeps the files finished before it', async (t) => {
  const dir = tempDir(t);
  const inDir = threeFiles(dir);
  const casePath = join(dir, 'case.sqlite');
  const db = openCaseForImport(casePath, null);
  t.after(() => db.close());
  const openWhileParsing: boolean[] = [];
  const s = await importInto(db, [inDir], {
    parse: async function* (path, format) {
      for await (const b of parseFile(path, format)) {
        // Whatever else the thread does while the import awaits a batch finds no transaction open.
        openWhileParsing.push(db.inTransaction);
        if (path.endsWith('b')) throw new Error('database or disk is full');
        yield b;
      }
    },
  });
  assert.deepEqual(s.files.map((f) => f.status), ['imported', 'failed', 'imported']);
  assert.match(s.files[1].reason!, /^database or disk is full; this file was undone$/);
  assert.ok(openWhileParsing.length >= 3);
  assert.deepEqual(openWhileParsing.filter(Boolean), []);
  assert.deepEqual(db.prepare(`SELECT path, status FROM evidence ORDER BY id`).all(), [{ path: join(inDir, 'a'), status: 'complete' }, { path: join(inDir, 'c'), status: 'complete' }]);
  assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), s.files[0].events + s.files[2].events);
  assert.equal(db.prepare(`SELECT count(*) FROM custody WHERE action = 'import'`).pluck().get(), 2);
});

test('a file that fails after part of it was committed is undone whole', async (t) => {
  const dir = tempDir(t);
  writeAccessLogs(join(dir, 'in'), 40_000, 40_000); // one file, more than one commit's worth of events
  const casePath = join(dir, 'case.sqlite');
  const s = await importPaths(casePath, [join(dir, 'in')], {
    parse: async function* (path, format) {
      let n = 0;
      for await (const b of parseFile(path, format, { batchSize: 2_000 })) {
        if (++n === 15) throw new Error('disk went away'); // after 28k events: at least one commit is behind us
        yield b;
      }
    },
  });
  assert.equal(s.files[0].status, 'failed');
  assert.equal(count(casePath, 'SELECT count(*) n FROM events'), 0);
  assert.equal(count(casePath, 'SELECT count(*) n FROM evidence'), 0);
  assert.deepEqual(brokenReferences(casePath), []);
});

test('cancelling stops at once, undoes the current file and keeps the finished ones', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'in'));
  for (const i of [1, 2]) writeFileSync(join(dir, 'in', `f${i}`), readFileSync(publicSample('ralf/amazon.alf'), 'utf8').replace('F7CECCD7A21B4B96', `X${i}`));
  const casePath = join(dir, 'case.sqlite');
  const abort = new AbortController();
  const s = await importPaths(casePath, [join(dir, 'in')], {
    signal: abort.signal,
    parse: async function* (path, format, signal) {
      for await (const b of parseFile(path, format, { batchSize: 2, signal })) {
        yield b;
        if (path.endsWith('f2')) abort.abort();
      }
    },
  });
  assert.deepEqual(s.files.map((f) => f.status), ['imported', 'cancelled']);
  assert.equal(count(casePath, 'SELECT count(*) n FROM evidence'), 1);
  assert.equal(count(casePath, 'SELECT count(*) n FROM events'), 7);
  assert.deepEqual(brokenReferences(casePath), []);
});

test('evidence and events cannot be changed or deleted once complete; a newer schema is refused', async (t) => {
  const dir = tempDir(t);
  const casePath = join(dir, 'case.sqlite');
  await importPaths(casePath, [publicSample('ralf/amazon.alf')]);
  const db = new Database(casePath);
  assert.throws(() => db.prepare(`UPDATE event_rows SET actor = 'someone else'`).run(), /cannot be changed/);
  assert.throws(() => db.prepare(`DELETE FROM event_rows`).run(), /cannot be deleted/);
  // The events' dictionary (migration 018) likewise: a changed term would change every event that reads it.
  assert.throws(() => db.prepare(`UPDATE terms SET text = 'x'`).run(), /cannot be changed/);
  assert.throws(() => db.prepare(`DELETE FROM terms`).run(), /cannot be deleted/);
  // The view that readers read cannot be written at all.
  assert.throws(() => db.prepare(`UPDATE events SET actor = 'someone else'`).run(), /cannot modify events because it is a view/);
  assert.throws(() => db.prepare(`DELETE FROM evidence`).run(), /cannot be deleted/);
  assert.throws(() => db.prepare(`UPDATE evidence SET sha256 = 'x'`).run(), /cannot be changed/);
  assert.throws(() => db.prepare(`DELETE FROM custody`).run(), /append-only/);
  db.pragma('user_version = 999');
  db.close();
  assert.throws(() => openWritable(casePath), /newer Trailmark/);
});

test('timeline queries use their indexes (a lost index fails here)', async (t) => {
  const dir = tempDir(t);
  const casePath = join(dir, 'case.sqlite');
  await importPaths(casePath, [publicSample('ralf')]);
  const db = openReadable(casePath);
  t.after(() => db.close());
  const plan = (filter: object) => {
    const q = timelineQuery(filter, { time: 0, id: 0 }, 10);
    return (db.prepare(`EXPLAIN QUERY PLAN ${q.text}`).all(...q.params) as { detail: string }[]).map((r) => r.detail).join('; ');
  };
  assert.match(plan({}), /USING (COVERING )?INDEX downloads_time/);
  assert.match(plan({ actor: 'anonymous' }), /USING (COVERING )?INDEX downloads_actor/);
  assert.match(plan({ bucket: 'b', keyPrefix: 'db/' }), /USING (COVERING )?INDEX downloads_object/);
  assert.match(plan({ bucket: 'b' }), /USING (COVERING )?INDEX downloads_time/);
  assert.match(plan({ bucket: 'b', key: 'db/x.sql' }), /USING (COVERING )?INDEX downloads_object \(object_id=\?/);
  assert.doesNotMatch(plan({ actor: 'anonymous' }), /SCAN downloads(?! USING)/);
  // One actor or one object is one dictionary id: its index walks it in time order, nothing is sorted.
  assert.match(plan({ actor: 'anonymous' }), /USING (COVERING )?INDEX downloads_actor \(actor_id=\?/);
  // (The one sort left is of the page's own rows, read through the view.)
  const sorts = (f: object) => plan(f).match(/TEMP B-TREE FOR ORDER BY/g)?.length ?? 0;
  for (const f of [{ actor: 'anonymous' }, { bucket: 'b', key: 'db/x.sql' }, { bucket: 'b' }, {}]) assert.equal(sorts(f), 1, JSON.stringify(f));
  assert.equal(sorts({ bucket: 'b', keyPrefix: 'db/' }), 2, 'a prefix of keys: several objects merged by a sort');
  // A substring of keys probes each row's object while the time index is walked, never the object index.
  assert.match(plan({ keyPrefix: 'x', keyMatch: 'contains' }), /USING (COVERING )?INDEX downloads_time/);
  assert.doesNotMatch(plan({ keyPrefix: 'x', keyMatch: 'contains' }), /downloads_object/);
});

test('a page condition naming a column the ledger lacks fails loudly instead of binding to the view\'s row', async (t) => {
  const dir = tempDir(t);
  const casePath = join(dir, 'case.sqlite');
  await importPaths(casePath, [publicSample('ralf')]);
  const db = openReadable(casePath);
  t.after(() => db.close());
  // user_agent is a column of the view the page's rows are read through, not of the ledger the page is
  // found in: a subquery in WHERE would have bound it to the outer row (a correlated, silently wrong query).
  assert.throws(() => timelinePage(db, {}, null, 10, [sql`user_agent IS NOT NULL`]), /no such column: user_agent/);
  assert.throws(() => timelinePage(db, { sourceIp: '1.', sourceIpMatch: 'prefix' }, null, 10, [sql`user_agent IS NOT NULL`]), /no such column: user_agent/);
  // A ledger column is fine.
  assert.ok(timelinePage(db, {}, null, 10, [sql`sources > 0`]).rows.length > 0);
});

test('with the parse worker too, no transaction is open while the writer awaits a batch; batches already arrived are written without one', async (t) => {
  const dir = tempDir(t);
  writeAccessLogs(join(dir, 'in'), 60_000, 20_000);
  const db = openCaseForImport(join(dir, 'case.sqlite'), null);
  t.after(() => db.close());
  const openAtAwait: boolean[] = [];
  let awaited = 0;
  let takenReady = 0;
  const s = await importInto(db, [join(dir, 'in')], {
    makeParser: () => {
      const real = new ParseWorker();
      return {
        close: () => real.close(),
        start: (path) => {
          const job = real.start(path);
          return {
            identified: () => { openAtAwait.push(db.inTransaction); return job.identified(); },
            cancel: () => job.cancel(),
            takeReady: () => { const b = job.takeReady!(); if (b) takenReady++; return b; },
            batches: (signal) => {
              const it = job.batches(signal)[Symbol.asyncIterator]();
              return { [Symbol.asyncIterator]: () => ({ next: () => { openAtAwait.push(db.inTransaction); awaited++; return it.next(); }, return: (v?: unknown) => it.return!(v) }) };
            },
          };
        },
      };
    },
  });
  assert.equal(s.events, 60_000);
  assert.ok(awaited > 3);
  assert.deepEqual(openAtAwait.filter(Boolean), [], 'the writer never awaited inside a transaction');
  assert.ok(awaited + takenReady >= 30, `every 2,000-line batch was written (${awaited} awaited, ${takenReady} taken as ready)`);
  assert.deepEqual(brokenReferences(join(dir, 'case.sqlite')), []);
});
