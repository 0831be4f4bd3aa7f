// The analysis over a real case file: summaries maintained by updateAnalysis, queries, plans.
import { toRows } from '../../../main/ingest/rows';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IDENTITY_EVENTS_SQL, actorSummaries, analysisConditions, analysisSummary, backupTallies, histogram, objectSummaries, setBackupPatterns, ACTORS_SQL, OBJECTS_SQL, BACKUP_CONDITION } from '../../../main/case/analysis';
import { CONFIG_EVENTS_SQL } from '../../../main/case/analysis-exposure';
import { PAIR_READS_SQL, rebuildAnalysis } from '../../../main/case/analysis-update';
import { addListing } from '../../../main/case/analysis-listing';
import { timelinePage } from '../../../main/case/timeline';
import { all, type ReadableDB } from '../../../main/case/db';
import { join, sql, type Sql } from '../../../main/case/sql';
import { addFile, download, mgmt, newCase } from './case-builder';

const T0 = Date.parse('2024-03-01T10:00:00Z');
const H = 3_600_000;
const B = 'acme-db-backups';
const SIZE = 1_000_000;

function scenario(t: { after(fn: () => void): void }) {
  const db = newCase(t);
  // Opened at T0, closed at T0+48h.
  addFile(db, [
    mgmt('PutBucketAcl', T0, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] }),
    mgmt('PutBucketAcl', T0 + 48 * H, 'acl-change', { bucketName: B, 'x-amz-acl': ['private'] }),
  ]);
  const s3 = [
    // Anonymous, two IPs: one whole copy from 198.51.100.7, a range reassembly from 203.0.113.9.
    download({ time: T0 + 1 * H, key: 'db/prod.sql.gz', sourceIp: '198.51.100.7', userAgent: 'curl/8.5.0', status: 200, bytesSent: SIZE, objectSize: SIZE, requestId: 'R1' }, 's3-access-log'),
    download({ time: T0 + 2 * H, key: 'db/prod.sql.gz', sourceIp: '203.0.113.9', userAgent: 'aria2/1.37', status: 206, bytesSent: 500_000, objectSize: SIZE, requestId: 'R2' }, 's3-access-log'),
    download({ time: T0 + 2 * H + 1000, key: 'db/prod.sql.gz', sourceIp: '203.0.113.9', userAgent: 'aria2/1.37', status: 206, bytesSent: 500_000, objectSize: SIZE, requestId: 'R3' }, 's3-access-log'),
    download({ time: T0 + 3 * H, key: 'img/logo.png', sourceIp: '203.0.113.9', status: 200, bytesSent: 5000, objectSize: 5000, requestId: 'R4' }, 's3-access-log'),
    // After the window closed: an IAM user.
    download({ time: T0 + 50 * H, key: 'db/crm.bak', actor: 'arn:aws:iam::111122223333:user/backup-bot', actorType: 'IAMUser', sourceIp: '10.0.0.5', userAgent: '', status: 200, bytesSent: 2000, objectSize: 2000, requestId: 'R5' }, 's3-access-log'),
  ];
  addFile(db, s3, 's3-access-log');
  // CloudTrail saw R1..R3 too (the ranges only CloudTrail logged), and R6 the access log missed.
  addFile(db, [
    download({ time: T0 + 1 * H, key: 'db/prod.sql.gz', sourceIp: '198.51.100.7', requestId: 'R1' }),
    download({ time: T0 + 2 * H, key: 'db/prod.sql.gz', sourceIp: '203.0.113.9', requestId: 'R2', range: 'bytes=0-499999' }),
    download({ time: T0 + 2 * H + 1000, key: 'db/prod.sql.gz', sourceIp: '203.0.113.9', requestId: 'R3', range: 'bytes=500000-' }),
    download({ time: T0 + 5 * H, key: 'db/users.dump', sourceIp: '198.51.100.7', requestId: 'R6' }),
  ]);
  return db;
}

test('actors: anonymous split by IP, copies incl. a reassembly completed by a later CloudTrail file, in-exposure flags', (t) => {
  const db = scenario(t);
  const actors = actorSummaries(db);
  const byKey = new Map(actors.map((a) => [a.actorKey, a]));
  assert.deepEqual([...byKey.keys()].sort(), ['anonymous@198.51.100.7', 'anonymous@203.0.113.9', 'arn:aws:iam::111122223333:user/backup-bot']);
  const a7 = byKey.get('anonymous@198.51.100.7')!;
  assert.deepEqual([a7.downloads, a7.objects, a7.completeCopies, a7.inExposure, a7.downloadsInExposure, a7.userAgents], [2, 2, 1, true, 2, ['curl/8.5.0']]);
  const a9 = byKey.get('anonymous@203.0.113.9')!;
  assert.deepEqual([a9.downloads, a9.bytes, a9.completeCopies, a9.backupObjects], [3, 1_005_000, 2, 1]);
  const bot = byKey.get('arn:aws:iam::111122223333:user/backup-bot')!;
  // An empty user agent names no agent.
  assert.deepEqual([bot.inExposure, bot.sourceIp, bot.userAgents], [false, null, []]);
  const prod = objectSummaries(db).find((o) => o.key === 'db/prod.sql.gz')!;
  assert.deepEqual([prod.downloads, prod.actors, prod.completeCopies, prod.assembledCopies, prod.isBackup, prod.size, prod.listed], [3, 2, 2, 1, true, SIZE, null]);
  // Rebuilding from scratch gives the same answers as the incremental path.
  const before = JSON.stringify([actorSummaries(db), objectSummaries(db)]);
  rebuildAnalysis(db);
  assert.equal(JSON.stringify([actorSummaries(db), objectSummaries(db)]), before);
});

test('summary: exposure, corroboration, coverage gaps, backups taken against a listing, histogram', (t) => {
  const db = scenario(t);
  const s = analysisSummary(db);
  assert.equal(s.exposure.length, 1);
  assert.deepEqual([s.exposure[0].from, s.exposure[0].to, s.exposure[0].scope], [new Date(T0).toISOString(), new Date(T0 + 48 * H).toISOString(), 'public']);
  assert.deepEqual(s.corroboration, { both: 3, accessLogOnly: 2, cloudTrailOnly: 1 });
  const silent = s.gaps.filter((g) => g.kind === 'source-silent' && g.bucket === B);
  assert.ok(silent.some((g) => g.source === 's3-access-log' && g.from === new Date(T0 + 5 * H).toISOString()), JSON.stringify(silent));
  assert.ok(silent.some((g) => g.source === 'cloudtrail-data' && g.from === new Date(T0 + 3 * H).toISOString()));
  addListing(db, null, B, ['db/prod.sql.gz', 'db/crm.bak', 'db/users.dump', 'db/old-2023.sql.gz', 'img/logo.png'].map((key) => ({ key, size: 1 })));
  const [tally] = backupTallies(db);
  assert.deepEqual([tally.listedBackups, tally.takenBackups, tally.notTaken], [4, 3, ['db/old-2023.sql.gz']]);
  assert.equal(objectSummaries(db).find((o) => o.key === 'img/logo.png')!.listed, true);
  const h = histogram(db, { binMs: 24 * H });
  assert.equal(h.bins.reduce((a, b) => a + b.downloads, 0), 6);
});

test('timeline filters: backups only and inside/outside exposure; patterns stored in the case change the answer', (t) => {
  const db = scenario(t);
  const keys = (extra: Sql[]) => timelinePage(db, {}, null, 100, extra).rows.map((r) => r.key);
  assert.deepEqual(keys(analysisConditions(db, { backupsOnly: true })), ['db/prod.sql.gz', 'db/prod.sql.gz', 'db/prod.sql.gz', 'db/users.dump', 'db/crm.bak']);
  assert.deepEqual(keys(analysisConditions(db, { exposure: 'outside' })), ['db/crm.bak']);
  assert.equal(keys(analysisConditions(db, { exposure: 'inside' })).length, 5);
  setBackupPatterns(db, { extensions: ['.png'], globs: [] });
  assert.deepEqual(keys(analysisConditions(db, { backupsOnly: true })), ['img/logo.png']);
  assert.equal(actorSummaries(db).find((a) => a.actorKey === 'anonymous@203.0.113.9')!.backupObjects, 1);
  assert.throws(() => setBackupPatterns(db, { extensions: ['png'], globs: [] }), /must start with a dot/);
  // The change is in custody with what it replaced; the refused one left no entry.
  const logged = db.prepare("SELECT examiner, details FROM custody WHERE action = 'backup-patterns'").all() as Array<{ examiner: string | null; details: string }>;
  assert.equal(logged.length, 1);
  assert.deepEqual(JSON.parse(logged[0].details).after, { extensions: ['.png'], globs: [] });
  assert.notDeepEqual(JSON.parse(logged[0].details).before, JSON.parse(logged[0].details).after);
});

test('a failed ACL change opens nothing; a case starting with the bucket already public gets from: null', (t) => {
  const db = newCase(t);
  addFile(db, [
    download({ time: T0, key: 'a.zip', sourceIp: '192.0.2.1' }),
    mgmt('PutBucketAcl', T0 + H, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] }, { errorCode: 'AccessDenied' }),
    mgmt('PutBucketAcl', T0 + 2 * H, 'acl-change', { bucketName: B, 'x-amz-acl': ['private'] }),
  ]);
  const w = analysisSummary(db).exposure;
  assert.equal(w.length, 1);
  assert.deepEqual([w[0].from, w[0].to, w[0].via], [null, new Date(T0 + 2 * H).toISOString(), 'observed']);
  addFile(db, [download({ time: T0 + 3 * H, key: 'b.zip', sourceIp: '192.0.2.1' })]);
  const outside = analysisConditions(db, { exposure: 'outside' });
  assert.deepEqual(timelinePage(db, {}, null, 10, outside).rows.map((r) => r.key), ['b.zip']);
  // The walk starts where the bucket stopped being exposed, not at the first download.
  assert.match(plan(db, sql`SELECT id FROM download_ledger AS downloads WHERE ${join(outside, ' AND ')} ORDER BY time, id LIMIT 10`), /downloads_time \(time>\?\)/);
});

function plan(db: ReadableDB, q: Sql): string {
  return all<{ detail: string }>(db, sql`EXPLAIN QUERY PLAN ${q}`).map((r) => r.detail).join('\n');
}

test('query plans: hot analysis queries use their indexes (a lost index fails here)', (t) => {
  const db = newCase(t);
  assert.match(plan(db, CONFIG_EVENTS_SQL), /SEARCH m USING PRIMARY KEY \(mark=\?\)[\s\S]*SEARCH e USING INTEGER PRIMARY KEY/);
  assert.match(plan(db, ACTORS_SQL(100, 0)), /USING (COVERING )?INDEX actor_stats_bytes/);
  assert.match(plan(db, OBJECTS_SQL(false, 100, 0)), /USING INDEX object_stats_bytes/);
  assert.match(plan(db, IDENTITY_EVENTS_SQL(0)), /SEARCH m USING PRIMARY KEY \(mark=\?\)[\s\S]*SEARCH e USING INTEGER PRIMARY KEY/);
  // The object's id from its dictionary, then its reads in time order from the ledger's object index.
  const pairReads = plan(db, PAIR_READS_SQL('b', 'k', 'anonymous'));
  assert.match(pairReads, /SEARCH o USING COVERING INDEX \w+ \(bucket=\? AND key=\?\)[\s\S]*SEARCH downloads USING INDEX downloads_object \(object_id=\?\)/);
  assert.doesNotMatch(pairReads, /TEMP B-TREE/);
  const backupPage = plan(db, sql`SELECT id FROM download_ledger AS downloads WHERE ${BACKUP_CONDITION} ORDER BY time, id LIMIT 100`);
  assert.match(backupPage, /downloads_time/);
  assert.match(backupPage, /SEARCH b EXISTS USING PRIMARY KEY \(time=\? AND id=\?\)/);
  assert.doesNotMatch(backupPage, /USE TEMP B-TREE/);
  // In-exposure pages walk the time index inside the windows' span, never sort.
  addFile(db, [mgmt('PutBucketAcl', T0, 'acl-change', { bucketName: B, 'x-amz-acl': ['public-read'] }), mgmt('PutBucketAcl', T0 + H, 'acl-change', { bucketName: B, 'x-amz-acl': ['private'] })]);
  const inside = plan(db, sql`SELECT id FROM download_ledger AS downloads WHERE ${join(analysisConditions(db, { exposure: 'inside' }), ' AND ')} ORDER BY time, id LIMIT 100`);
  assert.match(inside, /SEARCH downloads USING (COVERING )?INDEX downloads_time \(time>\? AND time<\?\)/);
  const outside = plan(db, sql`SELECT id FROM download_ledger AS downloads WHERE ${join(analysisConditions(db, { exposure: 'outside' }), ' AND ')} ORDER BY time, id LIMIT 100`);
  assert.doesNotMatch(outside, /TEMP B-TREE/);
});

test('events of a file still importing are not folded in until it completes (an interrupted import leaves no trace)', async (t) => {
  const db = newCase(t);
  const { EvidenceWriter } = await import('../../../main/case/import-writer');
  const { updateAnalysis } = await import('../../../main/case/analysis-update');
  const w = EvidenceWriter.begin(db, { path: '/evidence/pending', origin: { type: 'file' }, sha256: 'f'.repeat(64), size: 1, format: 's3-access-log', examiner: null });
  w.write(toRows([download({ time: T0, key: 'x.sql', sourceIp: '192.0.2.9', status: 200, bytesSent: 10, objectSize: 10 }, 's3-access-log')]), [], 1);
  assert.equal(updateAnalysis(db).events, 0);
  assert.deepEqual(all(db, sql`SELECT * FROM source_hours`), []);
  w.finish();
  const r = updateAnalysis(db);
  assert.deepEqual([r.events, r.downloads], [1, 1]);
  assert.equal(actorSummaries(db)[0].actorKey, 'anonymous@192.0.2.9');
});
