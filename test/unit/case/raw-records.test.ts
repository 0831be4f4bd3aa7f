import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { loadMigrations, migrate, openReadable } from '../../../main/case/db';
import { eventsInStorageOrder } from '../../../main/case/integrity-queries';
import { blockText, withRaw, type RawRef, type StoredBlock } from '../../../main/case/raw-records';
import { downloadDetail } from '../../../main/case/timeline';
import { naturalKeyHash } from '../../../main/ingest/natural-key';
import { BLOCK_BYTES, rowNumber, toRows } from '../../../main/ingest/rows';
import { RowsDigest, rowsDigestOf } from '../../../main/ingest/rows-digest';
import type { NormalizedEvent } from '../../../shared/events';
import { importPaths } from '../../../main/import/run-import';
import { tempDir } from '../../support/paths';
import { cloudTrailGetObject, trailFileText } from '../../support/synth';
import { writeAccessLogs } from '../../bench/generate';

/** The line with its user agent (the quoted field after the referrer) replaced. */
const withAgent = (line: string, agent: string) => line.replace(/ "-" "[^"]*" /, ` "-" "${agent}" `);

test('every record comes back verbatim from its block: multi-byte text, a long line, many blocks', async (t) => {
  const dir = tempDir(t);
  writeAccessLogs(join(dir, 'logs'), 2000, 2000);
  const file = join(dir, 'logs', readdirSync(join(dir, 'logs'))[0]);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  lines[10] = withAgent(lines[10], 'Mozilla/5.0 (é, 日本語, 😀)');
  lines[11] = withAgent(lines[11], 'x'.repeat(60_000));
  lines[12] = withAgent(lines[12], 'naïve');
  assert.ok(lines[10].includes('😀') && lines[11].length > 60_000 && lines[12].includes('naïve'), 'the test lines were changed');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const casePath = join(dir, 'case.sqlite');
  const s = await importPaths(casePath, [file]);
  assert.equal(s.events, 2000);

  const db = openReadable(casePath);
  t.after(() => db.close());
  assert.deepEqual([...eventsInStorageOrder(db)].map((r) => r.raw), lines);
  const stored = db.prepare('SELECT bytes, gzip, brotli, deflate FROM raw_blocks ORDER BY id').all() as StoredBlock[];
  const blocks = stored.map((b) => blockText(b).length);
  assert.ok(blocks.length > 5, `${blocks.length} blocks`);
  assert.ok(blocks.every((n) => n <= BLOCK_BYTES), 'no block is over its size');
  assert.ok(stored.every((b) => b.brotli === 1 && b.gzip === 0 && b.deflate === 0), 'text blocks are stored compressed by Brotli');
  const storedBytes = stored.reduce((n, b) => n + b.bytes.length, 0);
  const textBytes = blocks.reduce((n, b) => n + b, 0);
  assert.ok(storedBytes * 4 < textBytes, `access-log text compresses to ${storedBytes} of ${textBytes} bytes`);
  // One record through SQL, as the detail pane reads it.
  const id = db.prepare(`SELECT d.id FROM downloads d JOIN events e ON e.id = d.s3_event_id WHERE e.locator = 11`).pluck().get() as number;
  assert.equal(downloadDetail(db, id)!.events[0].raw, lines[10]);
  assert.equal(downloadDetail(db, id)!.download.userAgent, 'Mozilla/5.0 (é, 日本語, 😀)');
});

test('a case from before raw blocks keeps every raw record byte for byte, and its row digests, when opened', (t) => {
  const path = join(tempDir(t), 'old.sqlite');
  const db = new Database(path);
  migrate(db, loadMigrations().filter((m) => m.version <= 4));
  db.prepare(`INSERT INTO evidence (id, path, origin, sha256, size, format, status, acquired_at) VALUES (1, 'x', '{}', 'x', 0, 'cloudtrail-file', 'complete', '')`).run();
  const raws = ['{"eventName":"GetObject"}', '{"userAgent":"naïve 日本語 😀"}', '{"eventName":"PutBucketAcl"}'];
  const add = db.prepare(`INSERT INTO events (time, nk, source, action, kind, actor_type, evidence_id, locator, raw) VALUES (?, ?, 'cloudtrail', 'GetObject', 'download', 'IAMUser', 1, ?, ?)`);
  raws.forEach((raw, i) => add.run(1000 + i, i, i + 1, raw));
  db.prepare(`INSERT INTO downloads (request_key, time, actor, bucket, key, sources, ct_event_id) VALUES ('r', 1000, 'a', 'b', 'k', 2, 1)`).run();
  const before = rowsDigestOf(db.prepare('SELECT locator, raw FROM events ORDER BY id').all() as { locator: number; raw: string }[]);

  migrate(db);
  assert.deepEqual([...withRaw(db as never, db.prepare('SELECT raw_block, raw_at, raw_len FROM events ORDER BY id').all() as RawRef[])].map((r) => r.raw), raws);
  assert.deepEqual(rowsDigestOf(eventsInStorageOrder(db as never)), before);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  assert.throws(() => db.exec(`UPDATE raw_blocks SET bytes = x'00' WHERE id = 1`), /raw records are evidence/);
  assert.throws(() => db.exec(`UPDATE event_rows SET raw_at = 1 WHERE id = 1`), /events are evidence/);
  db.close();
});

test('a block reads back as its text however it was stored: plain, raw DEFLATE (imports before migration 019), Brotli, a gzip file', () => {
  const text = Buffer.from('owner bucket [06/Feb/2019:00:00:38 +0000] naïve 日本語 😀\n'.repeat(50));
  const stored: StoredBlock[] = [
    { bytes: text, gzip: 0, brotli: 0, deflate: 0 },
    { bytes: deflateRawSync(text), gzip: 0, brotli: 0, deflate: 1 },
    { bytes: brotliCompressSync(text), gzip: 0, brotli: 1, deflate: 0 },
    { bytes: gzipSync(text), gzip: 1, brotli: 0, deflate: 0 },
  ];
  for (const b of stored) assert.ok(blockText(b).equals(text), JSON.stringify({ ...b, bytes: b.bytes.length }));
});

test('a case of an earlier schema is not read without being upgraded, and the message says how', (t) => {
  const path = join(tempDir(t), 'old.sqlite');
  const db = new Database(path);
  migrate(db, loadMigrations().filter((m) => m.version <= 4));
  db.close();
  assert.throws(() => openReadable(path), /written by an earlier Trailmark \(schema 4, this version reads \d+\): upgrade it first with `trailmark upgrade --case /);
});

test('a batch digested from its blocks at once gives the digest of its records one by one; a record longer than a block has its own', () => {
  const raws = ['plain', 'naïve 日本語 😀', 'y'.repeat(BLOCK_BYTES + 1), ...Array.from({ length: 600 }, (_, i) => `record ${i} ${'z'.repeat(i)}`)];
  const events = raws.map((raw, i) => ({ source: 'cloudtrail', eventId: `E${i}`, locator: 1000 + i * 7, raw }) as NormalizedEvent);
  const rows = toRows(events);
  assert.ok(rows.blocks.length > 3);
  assert.deepEqual(rows.inflated.filter((b) => b.length > BLOCK_BYTES).map((b) => b.length), [BLOCK_BYTES + 1]);
  assert.deepEqual(rows.blocks.map((b, i) => blockText({ bytes: Buffer.from(b), gzip: 0, brotli: 1, deflate: 0 }).equals(rows.inflated[i])), rows.blocks.map(() => true));
  const d = new RowsDigest();
  d.addRows(toRows(events.slice(0, 100)));
  d.addRows(toRows(events.slice(100)));
  assert.equal(d.hex(), rowsDigestOf(events).digest);
});

test('the natural-key hash read from a block is the hash of the key text, for every kind of key, ASCII or not', () => {
  const events = [
    { source: 's3-access-log', eventId: null, raw: 'owner bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - REQ1 REST.GET.OBJECT k "GET /k" 200' },
    { source: 's3-access-log', eventId: null, raw: 'owner bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - REQ2 REST.GET.OBJECT k "Mozilla (é)" 200' },
    { source: 'cloudtrail', eventId: 'E-1', raw: '{"eventID":"E-1"}' },
    { source: 'cloudtrail', eventId: null, raw: '{"eventName":"GetObject"}' },
    { source: 'cloudtrail', eventId: null, raw: '{"userAgent":"日本語"}' },
  ].map((e, i) => ({ ...e, locator: i + 1 }) as NormalizedEvent);
  // One block of ASCII records (read as bytes), and a block with a non-ASCII one (read as text).
  for (const batch of [events.filter((e) => !/[^\x00-\x7f]/.test(e.raw)), events]) {
    const rows = toRows(batch);
    assert.deepEqual(batch.map((_, i) => rowNumber(rows, i, 'nk')), batch.map(naturalKeyHash));
  }
});

test('a gzip trail file is kept as delivered, and its records come back verbatim from it; a copy compressed again adds nothing', async (t) => {
  const dir = tempDir(t);
  // Half the records have no eventID: their identity is their text, which a re-import must then read back.
  const records = Array.from({ length: 3000 }, (_, i) => {
    const r = cloudTrailGetObject({ time: Date.UTC(2017, 7, 12) + i * 1000, bucket: 'b', key: `backup-${i}.sql`, ip: '192.0.2.1', requestId: `R${i}`, hostId: `H${i}`, eventId: `E${i}` }) as Record<string, unknown>;
    if (i % 2) delete r.eventID;
    return r;
  });
  // Pretty-printed, so that records are not where a compact document would put them.
  const text = JSON.stringify({ Records: records }, null, 2);
  const verbatim = records.map((r) => JSON.stringify(r, null, 2).split('\n').join('\n    '));
  writeFileSync(join(dir, 'trail.json.gz'), gzipSync(text));
  const casePath = join(dir, 'case.sqlite');
  assert.equal((await importPaths(casePath, [join(dir, 'trail.json.gz')])).events, 3000);

  let db = openReadable(casePath);
  const blocks = db.prepare('SELECT bytes, gzip FROM raw_blocks').all() as { bytes: Buffer; gzip: number }[];
  const evidence = db.prepare('SELECT sha256, rows_digest FROM evidence').get() as { sha256: string; rows_digest: string };
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].gzip, 1);
  assert.equal(createHash('sha256').update(blocks[0].bytes).digest('hex'), evidence.sha256, 'the block is the evidence file byte for byte');
  const stored = [...eventsInStorageOrder(db)];
  assert.deepEqual(stored.map((r) => r.raw), verbatim);
  assert.equal(rowsDigestOf(stored).digest, evidence.rows_digest);
  const id = db.prepare(`SELECT d.id FROM downloads d JOIN events e ON e.id = d.ct_event_id WHERE e.locator = 2001`).pluck().get() as number;
  assert.equal(downloadDetail(db, id)!.events[0].raw, verbatim[2000]);
  db.close();

  writeFileSync(join(dir, 'again.json.gz'), gzipSync(text, { level: 1 }));
  const again = await importPaths(casePath, [join(dir, 'again.json.gz')]);
  assert.deepEqual([again.files[0].status, again.events, again.duplicates], ['imported', 0, 3000]);
  db = openReadable(casePath);
  t.after(() => db.close());
  assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), 3000);
});

test('a gzip trail file with text outside ASCII keeps its records as text blocks, verbatim', async (t) => {
  const dir = tempDir(t);
  const records = ['curl/8.4.0', 'naïve/1.0 (日本語 😀)', 'curl/8.4.0'].map((userAgent, i) =>
    cloudTrailGetObject({ time: Date.UTC(2017, 7, 12) + i, bucket: 'b', key: 'k', ip: '192.0.2.1', requestId: `R${i}`, hostId: `H${i}`, eventId: `E${i}`, userAgent }));
  writeFileSync(join(dir, 'trail.json.gz'), gzipSync(trailFileText(records)));
  const casePath = join(dir, 'case.sqlite');
  await importPaths(casePath, [join(dir, 'trail.json.gz')]);
  const db = openReadable(casePath);
  t.after(() => db.close());
  assert.deepEqual(db.prepare('SELECT gzip FROM raw_blocks').pluck().all(), [0]);
  assert.deepEqual([...eventsInStorageOrder(db)].map((r) => r.raw), records.map((r) => JSON.stringify(r)));
});
