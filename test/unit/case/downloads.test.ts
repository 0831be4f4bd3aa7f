// Downloads are derived by two roads — upsert through the unique index for a few new events, append
// then merge for a large backlog — and both must give the same downloads, whatever was already there.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { brotliDecompressSync, deflateRawSync } from 'node:zlib';
import { test } from 'node:test';
import type { NormalizedEvent } from '../../../shared/events';
import { openCase } from '../../../main/case/open';
import Database from 'better-sqlite3';
import { loadMigrations, migrate, openWritable, SCHEMA_VERSION, type WritableDB } from '../../../main/case/db';
import { updateAnalysis } from '../../../main/case/analysis-update';
import { deriveDownloads, deriveDownloadSteps, downloadCount } from '../../../main/case/downloads';
import { EvidenceWriter, undoUnfinished, WriteTransaction } from '../../../main/case/import-writer';
import { toRows } from '../../../main/ingest/rows';
import { registerRequestHash, requestHash, useRequestHashForTests } from '../../../main/case/request-hash';
import { download } from '../analysis/case-builder';
import { tempDir } from '../../support/paths';

const T0 = Date.UTC(2017, 7, 12, 3);
let fileNo = 0;

function write(db: WritableDB, events: NormalizedEvent[]): void {
  const n = ++fileNo;
  const w = EvidenceWriter.begin(db, { path: `/e/${n}`, origin: { type: 'file' }, sha256: n.toString(16).padStart(64, '0'), size: 1, format: 'cloudtrail-file', examiner: null });
  w.write(toRows(events.map((e, i) => ({ ...e, locator: i + 1 }))), [], events.length);
  w.finish();
}

/**
 * Events as this version's writer stores them, copied into a case of a schema before migration 018
 * (text columns, a host ID column), as that version's writer stored them: its text blocks raw DEFLATE.
 */
function writeBefore018(old: Database.Database, dir: string, events: NormalizedEvent[]): void {
  const donorPath = join(dir, `donor-${fileNo + 1}.sqlite`);
  const donor = openWritable(donorPath);
  write(donor, events);
  donor.close();
  const cols = 'id, time, nk, source, action, kind, actor, actor_type, account_id, access_key_id, source_ip, user_agent, bucket, key, status, error_code, bytes_sent, object_size, request_id, event_id, region, range, evidence_id, locator, raw_block, raw_at, raw_len';
  old.exec(`ATTACH '${donorPath}' AS donor; INSERT INTO evidence SELECT * FROM donor.evidence; INSERT INTO custody SELECT * FROM donor.custody;`);
  const blocks = old.prepare('SELECT id, evidence_id, bytes, gzip, brotli FROM donor.raw_blocks').all() as { id: number; evidence_id: number; bytes: Buffer; gzip: number; brotli: number }[];
  const insert = old.prepare('INSERT INTO raw_blocks (id, evidence_id, bytes, gzip, deflate) VALUES (?, ?, ?, ?, ?)');
  for (const b of blocks) insert.run(b.id, b.evidence_id, b.brotli ? deflateRawSync(brotliDecompressSync(b.bytes)) : b.bytes, b.gzip, b.brotli);
  old.exec(`INSERT INTO events (${cols}) SELECT ${cols} FROM donor.events; DETACH donor;`);
}

/**
 * Access-log and CloudTrail records of the same requests, each source knowing different fields (the
 * access log: sizes, agent; CloudTrail: the principal; where both know a field they may disagree), some
 * requests in one source only, one range read.
 */
function evidence(): { s3: NormalizedEvent[]; ct: NormalizedEvent[] } {
  const s3: NormalizedEvent[] = [];
  const ct: NormalizedEvent[] = [];
  for (let i = 0; i < 40; i++) {
    const requestId = `R${String(i).padStart(4, '0')}`;
    const key = `backups/db-${i % 7}.sql.gz`;
    const time = T0 + i * 1000;
    if (i % 5 !== 0) {
      s3.push(download({ time: time + 1, key, requestId, sourceIp: `198.51.100.${i}`, userAgent: 'curl/8', bytesSent: 100, objectSize: i % 3 ? 100 : 400,
        status: i === 7 ? 206 : 200, range: i === 7 ? 'bytes=0-99' : null, actor: 'anonymous', eventId: null }, 's3-access-log'));
    }
    if (i % 4 !== 0) {
      ct.push(download({ time, key, requestId, sourceIp: i % 3 ? `198.51.100.${i}` : `203.0.113.${i}`, userAgent: i % 2 ? 'aws-cli/2' : null, actor: i % 2 ? `arn:aws:iam::111122223333:user/u${i}` : 'anonymous', bytesSent: null }));
    }
  }
  ct.push(download({ time: T0, key: 'no-request-id.bak', requestId: null as unknown as string })); // no request ID: a download of its own
  return { s3, ct };
}

const rows = (db: WritableDB) => db.prepare(`
  SELECT request_key, time, actor, source_ip, user_agent, bucket, key, bytes_sent, object_size, status, range, request_id, sources,
         s3_event_id, ct_event_id, observations, complete
  FROM downloads ORDER BY request_key`).all();

function caseWith(t: { after(fn: () => void): void }, steps: Array<[NormalizedEvent[], boolean]>): WritableDB {
  const db = openWritable(join(tempDir(t), 'case.sqlite'));
  t.after(() => db.close());
  for (const [events, bulk] of steps) {
    write(db, events);
    deriveDownloads(db, { bulk });
  }
  return db;
}

test('appending then merging gives the downloads upserting gives, also onto downloads already in the case', (t) => {
  const { s3, ct } = evidence();
  const upserted = caseWith(t, [[s3, false], [ct, false]]);
  const bulk = caseWith(t, [[[...s3, ...ct], false]]);
  bulk.exec(`DELETE FROM download_ledger; DELETE FROM case_meta WHERE key LIKE 'downloads_%'`);
  deriveDownloads(bulk, { bulk: true });
  const mixed = caseWith(t, [[s3, false], [ct, true]]);
  const expected = rows(upserted);
  assert.equal(expected.length, 38 + 1, 'one per request seen (i = 0 and 20 are in neither source), and the request-less one');
  assert.deepEqual(rows(bulk), expected);
  assert.deepEqual(rows(mixed), expected);
  for (const db of [upserted, bulk, mixed]) assert.equal(downloadCount(db), expected.length);
  // Rows that were in the case keep their ids (notes and tags point at them).
  const ids = (db: WritableDB) => db.prepare('SELECT id, request_key FROM downloads WHERE s3_event_id IS NOT NULL ORDER BY id').all();
  assert.deepEqual(ids(mixed), ids(upserted));
  for (const db of [upserted, bulk, mixed]) assert.deepEqual(db.pragma('foreign_key_check'), []);
});

test('a bulk derivation cut short is finished when the case is next opened', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'case.sqlite');
  const { s3, ct } = evidence();
  let db = openWritable(path);
  write(db, [...s3, ...ct]);
  // As a crash would leave it: the request index dropped, every row appended, duplicates not yet merged.
  db.exec(`DROP INDEX IF EXISTS downloads_request; DROP INDEX downloads_time; INSERT OR REPLACE INTO case_meta (key, value) VALUES ('downloads_bulk_pending', '1')`);
  db.exec(`INSERT OR IGNORE INTO ledger_actors (actor) VALUES ('anonymous');
    INSERT OR IGNORE INTO ledger_objects (bucket, key) VALUES ('acme-db-backups', 'backups/db-1.sql.gz')`);
  db.exec(`INSERT INTO download_ledger (rk, time, actor_id, object_id, sources, s3_event_id)
    SELECT ${requestHash('R0001', 'acme-db-backups', 'backups/db-1.sql.gz', 0)}, ${T0}, (SELECT id FROM ledger_actors WHERE actor = 'anonymous'),
           (SELECT id FROM ledger_objects WHERE bucket = 'acme-db-backups' AND key = 'backups/db-1.sql.gz'), 1, id
    FROM events WHERE request_id = 'R0001' AND source = 's3-access-log'`);
  db.close();
  db = openCase(path);
  t.after(() => db.close());
  const index = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'downloads_request'`).get() as { sql: string } | undefined;
  assert.match(index?.sql ?? '', /UNIQUE/);
  const dup = db.prepare(`SELECT count(*) AS n FROM downloads GROUP BY request_key HAVING count(*) > 1`).all();
  assert.equal((db.prepare(`SELECT observations FROM downloads WHERE request_key LIKE 'R0001|%'`).get() as { observations: number }).observations, 3, 'the row merged with the two observations');
  assert.deepEqual(dup, []);
  assert.equal(downloadCount(db), (db.prepare('SELECT count(*) AS n FROM downloads').get() as { n: number }).n);
});

/** Every merged download as the view shows it, with the summaries folded from them. */
const answers = (db: WritableDB) => ({
  downloads: rows(db),
  actors: db.prepare('SELECT actor_key, downloads, bytes, objects, whole_copies, bytes_unknown, complete_unknown FROM actor_stats ORDER BY actor_key').all(),
  objects: db.prepare('SELECT bucket, key, downloads, actors, bytes_out FROM object_stats ORDER BY bucket, key').all(),
  agents: db.prepare('SELECT a.actor_key, g.user_agent FROM actor_agents g JOIN actor_stats a USING (aid) ORDER BY 1, 2').all(),
  sources: db.prepare(`SELECT name, value FROM analysis_progress WHERE name LIKE 'sources%' AND value != 0 ORDER BY name`).all(),
});

function foldedCase(t: { after(fn: () => void): void }, steps: Array<[NormalizedEvent[], boolean]>): WritableDB {
  const db = openWritable(join(tempDir(t), 'case.sqlite'));
  t.after(() => db.close());
  for (const [events, bulk] of steps) {
    write(db, events);
    deriveDownloads(db, { bulk });
    updateAnalysis(db);
  }
  return db;
}

test('requests whose hashes collide are told apart by probing onward, on both roads and in the analysis update', (t) => {
  const { s3, ct } = evidence();
  const expected = answers(foldedCase(t, [[s3, false], [ct, false]]));
  // Three hash values for 39 requests: nearly every request is moved on past others, and merges must find them there.
  const restore = useRequestHashForTests((key) => key.length % 3);
  try {
    const upserted = foldedCase(t, [[s3, false], [ct, false]]);
    const bulk = foldedCase(t, [[[...s3, ...ct], true]]);
    const mixed = foldedCase(t, [[s3, true], [ct, true]]);
    const reversed = foldedCase(t, [[ct, false], [s3, true]]);
    for (const db of [upserted, bulk, mixed]) assert.deepEqual(answers(db), expected);
    // Imported the other way round, only row ids and the access log's place differ: the answers do not.
    const r = answers(reversed);
    const sansIds = (xs: unknown[]) => xs.map((x) => ({ ...(x as object), s3_event_id: null, ct_event_id: null }));
    assert.deepEqual(sansIds(r.downloads), sansIds(expected.downloads));
    assert.deepEqual({ ...r, downloads: [] }, { ...expected, downloads: [] });
    const moved = (db: WritableDB) => (db.prepare('SELECT count(*) AS n FROM download_ledger WHERE rk > 2').get() as { n: number }).n;
    assert.ok(moved(upserted) > 30 && moved(mixed) > 30, 'most requests were moved past a collision');
  } finally {
    restore();
  }
});

test('a case of schema 15, its downloads derived as that version did, is upgraded to the ledger with the same downloads and answers', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'old.sqlite');
  const { s3, ct } = evidence();
  const old = new Database(path);
  migrate(old, loadMigrations().filter((m) => m.version <= 15));
  writeBefore018(old, dir, [...s3, ...ct]);
  // Schema 15's own derivation (main/case/downloads.ts before the ledger): one upsert per request key.
  old.exec(`
    INSERT INTO downloads (request_key, time, actor, source_ip, user_agent, bucket, key, bytes_sent, object_size, status, range, request_id, sources, s3_event_id, ct_event_id)
    SELECT CASE WHEN request_id IS NOT NULL THEN request_id || '|' || coalesce(bucket, '') || '|' || coalesce(key, '') ELSE 'event:' || id END,
           time, coalesce(actor, 'unknown'), source_ip, user_agent, coalesce(bucket, ''), coalesce(key, ''), bytes_sent, object_size, status, range, request_id,
           CASE source WHEN 's3-access-log' THEN 1 ELSE 2 END, CASE source WHEN 's3-access-log' THEN id END, CASE source WHEN 'cloudtrail' THEN id END
    FROM events WHERE kind = 'download' ORDER BY id
    ON CONFLICT (request_key) DO UPDATE SET
      time = min(downloads.time, excluded.time),
      actor = CASE WHEN downloads.actor LIKE 'arn:%' THEN downloads.actor WHEN excluded.actor LIKE 'arn:%' THEN excluded.actor ELSE downloads.actor END,
      source_ip = coalesce(downloads.source_ip, excluded.source_ip), user_agent = coalesce(downloads.user_agent, excluded.user_agent),
      bytes_sent = coalesce(downloads.bytes_sent, excluded.bytes_sent), object_size = coalesce(downloads.object_size, excluded.object_size),
      status = coalesce(downloads.status, excluded.status), range = coalesce(downloads.range, excluded.range), sources = downloads.sources | excluded.sources,
      s3_event_id = coalesce(downloads.s3_event_id, excluded.s3_event_id), ct_event_id = coalesce(downloads.ct_event_id, excluded.ct_event_id),
      observations = downloads.observations + excluded.observations;
    INSERT INTO case_meta (key, value) SELECT 'downloads_derived_through', max(id) FROM events;
    INSERT INTO case_meta (key, value) SELECT 'downloads_count', count(*) FROM downloads;
    INSERT INTO analysis_progress (name, value) VALUES ('downloads', 1000), ('events', 1000);
    INSERT INTO actor_stats (actor_key, actor, first_seen, last_seen, downloads) VALUES ('anonymous@198.51.100.1', 'anonymous', 0, 0, 99);`);
  const before = old.prepare('SELECT id, request_key, time, actor, source_ip, bucket, key, sources, s3_event_id, ct_event_id, observations FROM downloads ORDER BY id').all();
  old.close();

  const db = openCase(path, { upgrade: true });
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(db.prepare(`SELECT count(*) AS n FROM custody WHERE action = 'upgrade'`).pluck().get(), 1);
  // Every row kept, under its id (notes and tags name downloads by id), the request index built by opening.
  assert.deepEqual(db.prepare('SELECT id, request_key, time, actor, source_ip, bucket, key, sources, s3_event_id, ct_event_id, observations FROM downloads ORDER BY id').all(), before);
  assert.match((db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'downloads_request'`).get() as { sql: string }).sql, /UNIQUE/);
  assert.equal(db.prepare(`SELECT count(*) FROM case_meta WHERE key = 'downloads_bulk_pending'`).pluck().get(), 0);
  // Downloads seen by both sources: the summaries folded from schema 15's columns were emptied and are folded again.
  assert.equal(db.prepare('SELECT count(*) FROM actor_stats').pluck().get(), 0);
  updateAnalysis(db);
  const fresh = foldedCase(t, [[[...s3, ...ct], false]]);
  assert.deepEqual(answers(db), answers(fresh));
  // Later imports merge into the upgraded rows through the request index.
  write(db, [download({ time: T0 + 500_000, key: 'backups/db-1.sql.gz', requestId: 'R0001', actor: 'anonymous' }, 's3-access-log')]);
  deriveDownloads(db);
  assert.equal(db.prepare(`SELECT observations FROM downloads WHERE request_key LIKE 'R0001|%'`).pluck().get(), 3);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
});

test('a case of schema 16 is upgraded to the ledger keyed by dictionary ids: the same downloads under the same ids, the dictionaries a derivation holds', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'old.sqlite');
  const { s3, ct } = evidence();
  const old = new Database(path);
  migrate(old, loadMigrations().filter((m) => m.version <= 16));
  writeBefore018(old, dir, [...s3, ...ct]);
  // Schema 16's bulk road: every download appended with its text, duplicates merged when the request index is next built.
  registerRequestHash(old);
  old.exec(`
    INSERT INTO download_ledger (rk, time, actor, source_ip, bucket, key, sources, s3_event_id, ct_event_id)
    SELECT tm_request_hash(request_id, coalesce(bucket, ''), coalesce(key, ''), id), time, coalesce(actor, 'unknown'), source_ip,
           coalesce(bucket, ''), coalesce(key, ''), CASE source WHEN 's3-access-log' THEN 1 ELSE 2 END,
           CASE source WHEN 's3-access-log' THEN id END, CASE source WHEN 'cloudtrail' THEN id END
    FROM events WHERE kind = 'download';
    INSERT INTO case_meta (key, value) SELECT 'downloads_derived_through', max(id) FROM events;
    INSERT INTO notes (target_type, target, text, created_at) SELECT 'download', CAST(max(id) AS TEXT), 'the last', '2026-01-01' FROM download_ledger WHERE s3_event_id IS NOT NULL;`);
  const kept = `SELECT id, request_key, s3_event_id FROM downloads WHERE s3_event_id IS NOT NULL ORDER BY id`;
  const before = old.prepare(kept).all();
  assert.ok(old.prepare('SELECT count(*) FROM download_ledger').pluck().get() as number > before.length, 'both sources appended, not yet merged');
  old.close();

  const db = openCase(path, { upgrade: true });
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  // The access log's rows were appended first: each request's row keeps its id (the note stays on its download).
  assert.deepEqual(db.prepare(kept).all(), before);
  assert.equal(db.prepare(`SELECT count(*) FROM notes n JOIN downloads d ON d.id = CAST(n.target AS INTEGER)`).pluck().get(), 1);
  assert.match((db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'downloads_request'`).get() as { sql: string }).sql, /UNIQUE/);
  assert.match((db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'downloads_actor'`).get() as { sql: string }).sql, /\(actor_id, time, id\)/);
  updateAnalysis(db);
  const fresh = foldedCase(t, [[[...s3, ...ct], false]]);
  assert.deepEqual(answers(db), answers(fresh));
  // The dictionaries hold what a derivation of the same events holds (verify compares them by value).
  const dictionaries = (d: WritableDB) => [d.prepare('SELECT actor FROM ledger_actors ORDER BY actor').pluck().all(),
    d.prepare('SELECT bucket, key FROM ledger_objects ORDER BY bucket, key').all()];
  assert.deepEqual(dictionaries(db), dictionaries(fresh));
  assert.ok((dictionaries(db)[0] as string[]).some((a) => a.startsWith('arn:')), 'the trail\'s actors too');
  assert.deepEqual(db.pragma('foreign_key_check'), []);
});

test('deriving commits slice by slice: between two steps no transaction is open, and a write of another request goes through', (t) => {
  const db = openWritable(join(tempDir(t), 'case.sqlite'));
  t.after(() => db.close());
  deriveDownloads(db); // as opening a case does: a new ledger's request index is built
  const events = Array.from({ length: 60_000 }, (_, i) => download({ time: T0 + i, key: `k/${i % 100}`, requestId: `Q${i}`, sourceIp: '192.0.2.1' }, 's3-access-log'));
  write(db, events);
  let steps = 0;
  // The closing index build too: an index a step, so a request waits for one index at most.
  const indexes = () => db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'download_ledger'`).pluck().get() as number;
  const built: number[] = [];
  for (const _ of deriveDownloadSteps(db)) {
    steps++;
    assert.equal(db.inTransaction, false);
    built.push(indexes());
    db.prepare(`INSERT INTO notes (target_type, target, text, created_at) VALUES ('download', '1', ?, '2026-01-01')`).run(`between ${steps}`);
  }
  assert.ok(steps >= 3, `${steps} steps`);
  assert.equal(indexes(), 5);
  assert.ok([0, 1, 2, 3, 4, 5].every((n) => built.includes(n)) && built.every((n, i) => i === 0 || n - built[i - 1] <= 1), `indexes after each step: ${built}`);
  assert.equal(downloadCount(db), 60_000);
  assert.equal(db.prepare('SELECT count(*) FROM notes').pluck().get(), steps);
});

test('an import another connection begins between two slices is not derived until it is complete, so undoing it takes no download back', (t) => {
  const path = join(tempDir(t), 'case.sqlite');
  const db = openWritable(path);
  t.after(() => db.close());
  write(db, Array.from({ length: 60_000 }, (_, i) => download({ time: T0 + i, key: `k/${i % 100}`, requestId: `Q${i}` }, 's3-access-log')));
  const steps = deriveDownloadSteps(db, { bulk: false });
  steps.next();
  const derivedBefore = downloadCount(db);
  assert.ok(derivedBefore > 0 && derivedBefore < 60_000, `${derivedBefore} derived after one slice`);

  // Another writer (the CLI beside the app) stores a file and commits, then stops before finishing it.
  const other = openWritable(path);
  const tx = new WriteTransaction(other);
  const w = EvidenceWriter.begin(other, { path: '/e/unfinished', origin: { type: 'file' }, sha256: 'f'.repeat(64), size: 1, format: 'cloudtrail-file', examiner: null }, tx);
  const late = Array.from({ length: 50 }, (_, i) => download({ time: T0 + 90_000 + i, key: 'late/object', requestId: `L${i}` }, 's3-access-log'));
  w.write(toRows(late.map((e, i) => ({ ...e, locator: i + 1 }))), [], late.length);
  tx.commit();
  other.close();

  for (let r = steps.next(); !r.done; r = steps.next());
  assert.equal(db.prepare(`SELECT count(*) FROM downloads WHERE key = 'late/object'`).pluck().get(), 0);
  assert.equal(undoUnfinished(db), 1);
  assert.equal(db.prepare(`SELECT count(*) FROM events WHERE key = 'late/object'`).pluck().get(), 0);
  deriveDownloads(db);
  assert.equal(downloadCount(db), 60_000);
});
