// Pure analysis functions on constructed records and on real CloudTrail samples.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { backupMatcher, DEFAULT_BACKUP_PATTERNS, globToRegExp } from '../../../main/analysis/backup';
import { exposureWindows, type ConfigEvent } from '../../../main/analysis/exposure';
import { loggingGaps, sourceGaps, type HourRow } from '../../../main/analysis/gaps';
import { buildIdentityIndex, resolveIdentity } from '../../../main/analysis/identity';
import { addRead, EMPTY_COPY_STATE, parseRange } from '../../../main/analysis/ranges';
import { fixture } from '../../support/paths';

const OWNER = '111122223333';
const BUCKET = 'acme-db-backups';
let seq = 0;
function ct(action: string, time: string, requestParameters: object | null, extra: Record<string, unknown> = {}): ConfigEvent {
  const id = ++seq;
  const rec = {
    eventVersion: '1.09', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${OWNER}:user/ops`, accountId: OWNER },
    eventTime: time, eventSource: 's3.amazonaws.com', eventName: action, requestParameters, eventID: `ev-${id}`, recipientAccountId: OWNER, ...extra,
  };
  const rp = requestParameters as { bucketName?: string; key?: string } | null;
  return { id, time: Date.parse(time), action, bucket: rp?.bucketName ?? null, key: rp?.key ?? null, errorCode: (extra.errorCode as string) ?? null, eventId: `ev-${id}`, record: rec };
}

const publicPolicy = (condition?: object) => ({
  bucketName: BUCKET,
  bucketPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*`, ...(condition ? { Condition: condition } : {}) }] },
});

test('canned public-read ACL opens a public window; a private ACL closes it', () => {
  const open = ct('PutBucketAcl', '2024-03-01T10:00:00Z', { bucketName: BUCKET, 'x-amz-acl': ['public-read'], acl: [''] });
  const shut = ct('PutBucketAcl', '2024-03-03T08:30:00Z', { bucketName: BUCKET, 'x-amz-acl': ['private'], acl: [''] });
  const w = exposureWindows([shut, open]);
  assert.equal(w.length, 1);
  assert.deepEqual([w[0].scope, w[0].from, w[0].to, w[0].openedBy, w[0].closedBy, w[0].via, w[0].key], ['public', '2024-03-01T10:00:00.000Z', '2024-03-03T08:30:00.000Z', open.eventId, shut.eventId, 'acl', null]);
});

test('AccessControlPolicy grants: AllUsers READ is public, AuthenticatedUsers is its own scope; a failed call changes nothing', () => {
  const grant = (uri: string) => ({ Grantee: { 'xsi:type': 'Group', URI: uri }, Permission: 'READ' });
  const acp = (grants: object[]) => ({ bucketName: BUCKET, AccessControlPolicy: { Owner: { ID: 'owner' }, AccessControlList: { Grant: grants } } });
  const a = ct('PutBucketAcl', '2024-03-01T00:00:00Z', acp([grant('http://acs.amazonaws.com/groups/global/AuthenticatedUsers')]));
  const failed = ct('PutBucketAcl', '2024-03-01T12:00:00Z', acp([]), { errorCode: 'AccessDenied' });
  const b = ct('PutBucketAcl', '2024-03-02T00:00:00Z', acp([grant('http://acs.amazonaws.com/groups/global/AllUsers'), { Grantee: { ID: 'owner' }, Permission: 'FULL_CONTROL' }]));
  const w = exposureWindows([a, failed, b]);
  const auth = w.find((x) => x.scope === 'authenticated-users')!;
  const pub = w.find((x) => x.scope === 'public')!;
  assert.equal(w.length, 2);
  assert.equal(auth.closedBy, b.eventId, 'the second ACL replaced the first (the failed one in between did not)');
  assert.equal(pub.openedBy, b.eventId);
  assert.equal(pub.to, null);
});

test('bucket policy with Principal "*" opens a window, conditional when a Condition restricts it; DeleteBucketPolicy closes it', () => {
  const p1 = ct('PutBucketPolicy', '2024-03-01T00:00:00Z', publicPolicy({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }));
  const p2 = ct('PutBucketPolicy', '2024-03-02T00:00:00Z', publicPolicy());
  const del = ct('DeleteBucketPolicy', '2024-03-04T00:00:00Z', { bucketName: BUCKET });
  const w = exposureWindows([p1, p2, del]);
  assert.equal(w.length, 2);
  assert.equal(w[0].conditional, true);
  assert.match(w[0].conditions[0], /203\.0\.113\.0\/24/);
  assert.equal(w[0].closedBy, p2.eventId);
  assert.equal(w[1].conditional, false);
  assert.deepEqual([w[1].from, w[1].to, w[1].closedBy, w[1].via], ['2024-03-02T00:00:00.000Z', '2024-03-04T00:00:00.000Z', del.eventId, 'policy']);
});

test('public access block closes a public policy window and its removal reopens it; account-level blocks apply to the account\'s buckets', () => {
  const pol = ct('PutBucketPolicy', '2024-03-01T00:00:00Z', publicPolicy());
  const block = ct('PutPublicAccessBlock', '2024-03-02T00:00:00Z', {
    bucketName: BUCKET, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  });
  const unblock = ct('DeletePublicAccessBlock', '2024-03-03T00:00:00Z', { bucketName: BUCKET });
  const account = ct('PutAccountPublicAccessBlock', '2024-03-05T00:00:00Z', { PublicAccessBlockConfiguration: { IgnorePublicAcls: true, RestrictPublicBuckets: true } });
  const w = exposureWindows([pol, block, unblock, account]);
  assert.equal(w.length, 2);
  assert.equal(w[0].closedBy, block.eventId);
  assert.match(w[0].note ?? '', /public access block/);
  assert.equal(w[1].openedBy, unblock.eventId);
  assert.equal(w[1].closedBy, account.eventId);
  assert.equal(w[1].blockedBy, null);
  // A block that ignores ACLs leaves a public policy standing: the window stays open and names the block.
  const partial = ct('PutPublicAccessBlock', '2024-03-02T12:00:00Z', { bucketName: BUCKET, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } });
  const w2 = exposureWindows([pol, partial]);
  assert.deepEqual([w2.length, w2[0].to, w2[0].blockedBy], [1, null, partial.eventId]);
});

test('object ACL windows carry the key; anonymous downloads before any opening change give from: null with a note', () => {
  const obj = ct('PutObjectAcl', '2024-03-01T00:00:00Z', { bucketName: BUCKET, key: 'db/prod.sql.gz', 'x-amz-acl': 'public-read' });
  const shut = ct('PutBucketAcl', '2024-03-05T00:00:00Z', { bucketName: 'other-bucket', 'x-amz-acl': 'private' });
  const w = exposureWindows([obj, shut], [{ bucket: 'other-bucket', first: Date.parse('2024-03-02T00:00:00Z'), last: Date.parse('2024-03-04T00:00:00Z') }]);
  const o = w.find((x) => x.key !== null)!;
  assert.equal(o.key, 'db/prod.sql.gz');
  const already = w.find((x) => x.bucket === 'other-bucket')!;
  assert.equal(already.from, null);
  assert.equal(already.via, 'observed');
  assert.equal(already.to, '2024-03-05T00:00:00.000Z');
  assert.equal(already.closedBy, shut.eventId);
  assert.match(already.note!, /already readable by anyone/);
  // No closing change at all: the window stays open rather than guess.
  const open = exposureWindows([], [{ bucket: 'x', first: 1000, last: 2000 }]);
  assert.deepEqual([open[0].from, open[0].to], [null, null]);
});

function realRecords(): ConfigEvent[] {
  const dir = fixture('analysis');
  const out: ConfigEvent[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    for (const r of (JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as { Records: Array<Record<string, any>> }).Records) {
      out.push({ id: ++seq, time: Date.parse(r.eventTime), action: r.eventName, bucket: r.requestParameters?.bucketName ?? null, key: null, errorCode: r.errorCode ?? null, eventId: r.eventID, record: r });
    }
  }
  return out;
}

test('real sample (invictus-ir): the policy granting account 193672423079 GetObject is a cross-account window closed by DeleteBucketPolicy', () => {
  const w = exposureWindows(realRecords().filter((e) => /BucketPolicy|BucketAcl|PublicAccessBlock/.test(e.action)));
  assert.equal(w.length, 1, 'the two CloudTrail-service policies expose nothing');
  assert.deepEqual(
    [w[0].bucket, w[0].scope, w[0].accounts, w[0].from, w[0].to, w[0].openedBy, w[0].closedBy],
    ['stratus-red-team-bdbp-lhfzvgcamn', 'cross-account', ['193672423079'], '2023-07-10T12:22:41.000Z', '2023-07-10T12:28:24.000Z',
      'd58cf935-0194-41d0-baa0-9efc030ce2e6', 'b921a62d-9241-42a2-bb3c-6821e55c20cd'],
  );
});

test('real sample (invictus-ir): session keys from AssumeRole resolve to the IAM user; failed StopLogging is no gap', () => {
  const all = realRecords();
  const index = buildIdentityIndex(all.filter((e) => e.action === 'AssumeRole'));
  const who = resolveIdentity(index, 'arn:aws:sts::123837392027:assumed-role/stratus-red-team-ec2lui-role-pcccexdthk/aws-go-sdk-1688990797103471741', 'ASIATFQR7NSC7TITDFL2');
  assert.equal(who?.identity, 'arn:aws:iam::123837392027:user/bert-jan');
  assert.equal(who?.via, 'AssumeRole');
  assert.equal(resolveIdentity(index, 'arn:aws:sts::123837392027:assumed-role/Unknown/x', 'ASIANOTINTHECASE'), null);
  const sso = resolveIdentity(index, 'arn:aws:sts::123837392027:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane.doe@example.com');
  assert.deepEqual([sso?.identity, sso?.via], ['jane.doe@example.com', 'IdentityCenter']);
  const gaps = loggingGaps(all.filter((e) => ['StopLogging', 'DeleteTrail', 'PutEventSelectors'].includes(e.action)));
  assert.ok(gaps.every((g) => g.action !== 'StopLogging'), 'the StopLogging call failed (TrailNotFoundException)');
  assert.ok(gaps.some((g) => g.action === 'PutEventSelectors' && /no longer selected/.test(g.note)));
});

test('byte ranges: forms, clamping, and copies assembled from 206 reads covering the object', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), [0, 99]);
  assert.deepEqual(parseRange('bytes=900-', 1000), [900, 999]);
  assert.deepEqual(parseRange('bytes=-100', 1000), [900, 999]);
  assert.deepEqual(parseRange('bytes=500-5000', 1000), [500, 999]);
  assert.equal(parseRange('bytes=0-1,5-6', 1000), null);
  assert.equal(parseRange(null, 1000), null);
  let s = EMPTY_COPY_STATE;
  s = addRead(s, { status: 206, bytesSent: 400, range: 'bytes=0-399' }, 1000);
  s = addRead(s, { status: 206, bytesSent: 300, range: 'bytes=700-' }, 1000);
  assert.equal(s.assembled, 0);
  s = addRead(s, { status: 206, bytesSent: 300, range: 'bytes=400-699' }, 1000);
  assert.deepEqual([s.assembled, s.whole, s.intervals], [1, 0, []]);
  // Unknown offsets never add up to a copy, however many bytes.
  let u = EMPTY_COPY_STATE;
  for (let i = 0; i < 4; i++) u = addRead(u, { status: 206, bytesSent: 400, range: null }, 1000);
  assert.equal(u.assembled, 0);
  assert.equal(addRead(EMPTY_COPY_STATE, { status: 200, bytesSent: 1000, range: null }, 1000).whole, 1);
  assert.equal(addRead(EMPTY_COPY_STATE, { status: 200, bytesSent: 999, range: null }, 1000).whole, 0);
});

test('backup matcher: default extensions and globs, case-insensitive; ordinary files are not backups', () => {
  const m = backupMatcher(DEFAULT_BACKUP_PATTERNS);
  for (const k of ['db/prod-2024-03-01.sql.gz', 'CRM.BAK', 'exports/site.tar.gz', 'x/y.7z', 'nightly/backup-01/readme.txt', 'pg/main.dump']) assert.ok(m(k), k);
  for (const k of ['index.html', 'img/logo.png', 'docs/report.pdf']) assert.ok(!m(k), k);
  assert.ok(globToRegExp('logs/*.txt').test('logs/a.txt'));
  assert.ok(!globToRegExp('logs/*.txt').test('logs/sub/a.txt'));
  assert.ok(globToRegExp('logs/**.txt').test('logs/sub/a.txt'));
  assert.ok(backupMatcher({ extensions: [], globs: ['finance/**'] })('finance/q1/ledger.xlsx'));
});

test('source gaps: hours where one source speaks and the other is silent, in runs; a source absent for the bucket entirely', () => {
  const H = 480000; // an hour number
  const rows: HourRow[] = [
    ...[0, 1, 2, 3, 4, 5].map((i) => ({ bucket: 'b', source: 'cloudtrail-data' as const, hour: H + i, events: 10 })),
    ...[0, 1, 4, 5].map((i) => ({ bucket: 'b', source: 's3-access-log' as const, hour: H + i, events: 10 })),
    { bucket: 'c', source: 's3-access-log', hour: H, events: 3 },
  ];
  const gaps = sourceGaps(rows);
  const silent = gaps.filter((g) => g.kind === 'source-silent');
  assert.equal(silent.length, 1);
  assert.deepEqual([silent[0].bucket, silent[0].source, silent[0].hours, silent[0].otherEvents], ['b', 's3-access-log', 2, 20]);
  assert.equal(silent[0].from, new Date((H + 2) * 3600000).toISOString());
  const absent = gaps.find((g) => g.kind === 'source-absent')!;
  assert.deepEqual([absent.bucket, absent.source], ['c', 'cloudtrail-data']);
});

test('bucket listings: list-object-versions JSON with delete markers, S3 Inventory CSV with URL-encoded keys, bad rows named', async () => {
  const { parseListing, sniffListing } = await import('../../../main/analysis/listing');
  const versions = JSON.stringify({
    Name: 'b1',
    Versions: [{ Key: 'db/a.sql.gz', VersionId: 'v2', IsLatest: true, Size: 10, LastModified: '2024-03-01T00:00:00.000Z' }, { Key: 'db/a.sql.gz', VersionId: 'v1', IsLatest: false, Size: 9 }],
    DeleteMarkers: [{ Key: 'old.bak', VersionId: 'v9', IsLatest: true }],
  });
  assert.ok(sniffListing(versions));
  const v = parseListing(versions);
  assert.deepEqual([v.bucket, v.kind, v.entries.length, v.entries[2].deleteMarker, v.entries[1].isLatest, v.entries[0].lastModified], ['b1', 'list-object-versions', 3, true, false, Date.parse('2024-03-01T00:00:00Z')]);
  const csv = '"inv-bucket","backups/full%20dump%202024.sql.gz","1048576","2024-03-01T02:00:00.000Z","abc"\n"inv-bucket","site/index.html","512","2024-01-01T00:00:00.000Z","def"\n';
  assert.ok(sniffListing(csv));
  const c = parseListing(csv);
  assert.deepEqual([c.bucket, c.kind, c.entries[0].key, c.entries[0].size], ['inv-bucket', 's3-inventory-csv', 'backups/full dump 2024.sql.gz', 1048576]);
  const bad = parseListing('"b","ok"\n"b","broken%E0%A4%A"\n');
  assert.deepEqual([bad.entries.length, bad.rejects[0].locator, bad.rejects[0].reason], [1, 2, 'key is not valid URL encoding']);
  assert.ok(!sniffListing('{"Records":[]}'));
});
