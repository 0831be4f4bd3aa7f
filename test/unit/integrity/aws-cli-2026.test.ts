// Validation as current as aws-cli's validate-logs of 2026, on trails we build and sign ourselves (real
// gzip on disk, RSA keys of our own): backfill digests (PRs #10058/#10059), data appended after a log
// file's first gzip member (#10324/#10326), and a digest signed just after a key rotation (#10073).
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { importPaths } from '../../../main/import/run-import';
import { firstGzipMember } from '../../../main/ingest/gzip-members';
import { parseFile } from '../../../main/ingest/parse-file';
import { parseableFormat } from '../../../main/import/parser';
import { parsePublicKeys } from '../../../main/integrity/public-keys';
import { digestInputFromFile, fileHashes } from '../../../main/integrity/read-inputs';
import { validateLogIntegrity, type DigestInput, type TrailFileInput } from '../../../main/integrity/validate';
import { validateCaseIntegrity } from '../../../main/verify';
import { openReadable } from '../../../main/case/db';
import { buildTrail, makeSignerKey, publicKeysJson, writeDigestChain, type BuiltFile, type BuiltTrail, type SignerKey } from '../../support/digest-signer';

const tmp = mkdtempSync(join(tmpdir(), 'trailmark-awscli2026-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const START = new Date('2025-03-04T10:00:41Z');
const HOUR = 3_600_000;
const keyA = makeSignerKey();
const keyB = makeSignerKey();
const ALL_TIME = { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2030-01-01T00:00:00Z') };
const keysOf = (...ks: SignerKey[]) => parsePublicKeys(publicKeysJson(ks.map((key) => ({ key, ...ALL_TIME }))), 'keys.json');

let n = 0;
const dirOf = () => join(tmp, `t${n++}`);

async function filesOf(logs: BuiltFile[]): Promise<TrailFileInput[]> {
  return Promise.all(logs.map(async (l) => {
    const h = await fileHashes(l.path);
    return { ref: l.path, path: l.path, contentSha256: h.content, appendedBytes: h.appendedBytes };
  }));
}

/**
 * A trail of three hours, plus one log file delivered late (in the second hour, listed by no hourly
 * digest) and a backfill digest, signed weeks later with the key of that time, that lists it.
 */
function trailWithBackfill(): { t: BuiltTrail; late: BuiltFile; backfill: DigestInput; generatedAt: string } {
  const dir = dirOf();
  const t = buildTrail({ dir, start: START, hours: 3, keyFor: () => keyA });
  const lateAt = new Date(START.getTime() + HOUR + 50 * 60_000);
  const content = Buffer.from(JSON.stringify({ Records: [{ eventVersion: '1.09', eventTime: '2025-03-04T11:48:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: t.region, requestID: 'LATE0001', eventID: '7f1b1c4e-0000-4000-8000-000000000001', requestParameters: { bucketName: t.bucket, key: 'backups/late.sql.gz' }, userIdentity: { type: 'AWSAccount', accountId: 'ANONYMOUS_PRINCIPAL' }, sourceIPAddress: '198.51.100.7', eventType: 'AwsApiCall', recipientAccountId: t.account }] }));
  const stampOf = (d: Date) => d.toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
  const s3Object = `AWSLogs/${t.account}/CloudTrail/${t.region}/2025/03/04/${t.account}_CloudTrail_${t.region}_${stampOf(lateAt)}_LateDelivery0001.json.gz`;
  const path = join(dir, ...s3Object.split('/'));
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, gzipSync(content));
  const late: BuiltFile = { path, s3Object, content };
  const [bf] = writeDigestChain({
    dir, start: new Date(START.getTime() + HOUR), hours: 1, keyFor: () => keyB, logsFor: () => [late],
    account: t.account, region: t.region, bucket: t.bucket, trail: t.trail, backfill: true,
  });
  const generatedAt = '2025-04-20T08:00:00Z';
  return { t, late, backfill: digestInputFromFile(bf.path, { signature: bf.signature }), generatedAt };
}

describe('backfill digests (aws-cli PRs #10058/#10059)', () => {
  test('a backfill digest validates as a chain of its own, vouching for the file the hourly digest missed', async () => {
    const { t, late, backfill, generatedAt } = trailWithBackfill();
    assert.match(backfill.digest.digestS3Object, /_backfill\.json\.gz$/);
    const hourly = t.digests.map((d) => digestInputFromFile(d.path, { signature: d.signature }));
    const trailFiles = await filesOf([...t.logs, late]);
    // The rotation: key A until the backfill was generated, key B from then on.
    const rotation = new Date('2025-04-01T00:00:00Z');
    const keys = parsePublicKeys(publicKeysJson([{ key: keyA, from: ALL_TIME.from, to: rotation }, { key: keyB, from: rotation, to: ALL_TIME.to }]), 'keys.json');

    // Without the backfill digest, the late file sits inside a period the hourly digests vouch for, unlisted.
    const without = validateLogIntegrity({ digests: hourly, trailFiles, publicKeys: keys });
    assert.equal(without.verdict, 'failed');
    assert.equal(without.files.find((f) => f.ref === late.path)!.status, 'not-covered');

    const r = validateLogIntegrity({ digests: [...hourly, { ...backfill, backfillGeneratedAt: generatedAt }], trailFiles, publicKeys: keys });
    assert.equal(r.verdict, 'verified', [...r.problems, ...r.limits].join('\n'));
    const bf = r.digests.find((d) => d.backfill)!;
    assert.deepEqual([bf.signature, bf.chain], ['valid', 'start'], 'the backfill chain starts on its own, not as a break in the hourly one');
    assert.deepEqual(r.digests.filter((d) => !d.backfill).map((d) => d.chain), ['start', 'linked', 'linked']);
    assert.equal(r.files.find((f) => f.ref === late.path)!.status, 'valid');
    assert.equal(r.files.find((f) => f.ref === late.path)!.digest, bf.s3Path);
    assert.deepEqual([r.summary.digests, r.summary.backfillDigests, r.summary.backfillDigestsValid], [4, 1, 1]);
    assert.equal(r.summary.files.valid, 10);
  });

  test('a tampered backfill digest fails, and the file it lists is no longer vouched for', async () => {
    const { t, late, backfill, generatedAt } = trailWithBackfill();
    // The attacker lists the late file with the hash of altered content, and cannot sign it again.
    const forged = { ...backfill.digest, logFiles: backfill.digest.logFiles.map((e) => ({ ...e, hashValue: 'ab'.repeat(32) })) };
    const forgedContent = Buffer.from(JSON.stringify(forged));
    const tampered: DigestInput = { ...backfill, digest: forged, contentSha256: (await import('node:crypto')).createHash('sha256').update(forgedContent).digest('hex'), backfillGeneratedAt: generatedAt };
    const hourly = t.digests.map((d) => digestInputFromFile(d.path, { signature: d.signature }));
    const r = validateLogIntegrity({ digests: [...hourly, tampered], trailFiles: await filesOf([...t.logs, late]), publicKeys: keysOf(keyA, keyB) });
    assert.equal(r.verdict, 'failed');
    const bf = r.digests.find((d) => d.backfill)!;
    assert.equal(bf.signature, 'invalid');
    assert.match(r.problems.join('\n'), /_backfill\.json\.gz: signature verification failed/);
    assert.equal(r.files.find((f) => f.ref === late.path)!.status, 'modified', 'the listed hash no longer matches the file');
    assert.deepEqual([r.summary.backfillDigests, r.summary.backfillDigestsValid], [1, 0]);
  });

  test('a backfill digest missing from the middle of its chain breaks that chain, and only that one', async () => {
    const dir = dirOf();
    const t = buildTrail({ dir, start: START, hours: 3, keyFor: () => keyA });
    const backfills = writeDigestChain({
      dir, start: START, hours: 3, keyFor: () => keyB, logsFor: () => [], account: t.account, region: t.region, bucket: t.bucket, trail: t.trail, backfill: true,
    }).map((d) => ({ ...digestInputFromFile(d.path, { signature: d.signature }), backfillGeneratedAt: '2025-04-20T08:00:00Z' }));
    const hourly = t.digests.map((d) => digestInputFromFile(d.path, { signature: d.signature }));
    const r = validateLogIntegrity({ digests: [...hourly, backfills[0], backfills[2]], trailFiles: await filesOf(t.logs), publicKeys: keysOf(keyA, keyB) });
    assert.equal(r.verdict, 'failed');
    assert.deepEqual(r.digests.filter((d) => d.backfill).map((d) => d.chain), ['start', 'break']);
    assert.deepEqual(r.digests.filter((d) => !d.backfill).map((d) => d.chain), ['start', 'linked', 'linked']);
    assert.deepEqual(r.missingDigests.map((m) => m.s3Path), [`${t.bucket}/${backfills[1].digest.digestS3Object}`]);
  });

  test('a backfill digest whose S3 metadata lacks backfill-generation-timestamp is refused, as aws-cli refuses it', async () => {
    const { t, late, backfill } = trailWithBackfill();
    const hourly = t.digests.map((d) => digestInputFromFile(d.path, { signature: d.signature }));
    const r = validateLogIntegrity({ digests: [...hourly, { ...backfill, backfillGeneratedAt: null }], trailFiles: await filesOf([...t.logs, late]), publicKeys: keysOf(keyA, keyB) });
    assert.equal(r.verdict, 'failed');
    assert.match(r.problems.join('\n'), /no backfill-generation-timestamp/);
  });
});

describe('data appended after the first gzip member (aws-cli PRs #10324/#10326)', () => {
  const extra = { Records: [{ eventVersion: '1.09', eventTime: '2025-03-04T10:30:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'eu-west-1', requestID: 'APPENDED01', eventID: '00000000-0000-4000-8000-0000000000aa', requestParameters: { bucketName: 'acme-trail-logs', key: 'backups/planted.sql.gz' }, userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/innocent' }, sourceIPAddress: '192.0.2.1', eventType: 'AwsApiCall', recipientAccountId: '111122223333' }] };

  test('firstGzipMember finds where the first member ends', () => {
    const a = gzipSync(Buffer.from('{"Records":[]}'));
    const b = gzipSync(Buffer.from(JSON.stringify(extra)));
    const one = firstGzipMember(a)!;
    assert.deepEqual([one.storedLength, one.appendedBytes, one.inflated.toString()], [a.length, 0, '{"Records":[]}']);
    const two = firstGzipMember(Buffer.concat([a, b]))!;
    assert.deepEqual([two.storedLength, two.appendedBytes, two.inflated.toString()], [a.length, b.length, '{"Records":[]}']);
    const damaged = Buffer.from(a);
    damaged[damaged.length - 6] ^= 0xff; // the CRC-32
    assert.equal(firstGzipMember(damaged), null);
  });

  test('a trail file with a second member appended is modified, though its first member hashes as listed', async () => {
    const t = buildTrail({ dir: dirOf(), start: START, hours: 2, keyFor: () => keyA });
    const victim = t.logs[1];
    const appended = gzipSync(Buffer.from(JSON.stringify(extra)));
    appendFileSync(victim.path, appended);
    // gunzip reads both members: the file's whole content no longer hashes as listed, its first member does.
    assert.notEqual(gunzipSync(readFileSync(victim.path)).length, victim.content.length);
    const h = await fileHashes(victim.path);
    assert.equal(h.appendedBytes, appended.length);

    const r = validateLogIntegrity({ digests: t.digests.map((d) => digestInputFromFile(d.path, { signature: d.signature })), trailFiles: await filesOf(t.logs), publicKeys: keysOf(keyA) });
    assert.equal(r.verdict, 'failed');
    const f = r.files.find((x) => x.ref === victim.path)!;
    assert.equal(f.status, 'modified');
    assert.equal(f.actualSha256, f.expectedSha256, 'the first member is what the digest listed');
    assert.match(f.reason, new RegExp(`${appended.length} bytes were appended after its first gzip member`));
    assert.match(f.reason, /first member hashes as digest .* lists, which aws-cli's validate-logs no longer accepts/);
    assert.match(f.reason, /import read only the first member's records as events and kept the appended records as rejects/);
    assert.equal(r.summary.files.valid, t.logs.length - 1);
  });

  test('a large file, streamed, says the same: the records after the first member are not read, and a reject says so', async () => {
    const t = buildTrail({ dir: dirOf(), start: START, hours: 1, keyFor: () => keyA });
    const victim = t.logs[0];
    appendFileSync(victim.path, gzipSync(Buffer.from(JSON.stringify(extra))));
    // No `whole`: the streaming road the import takes for files of more than 8 MB.
    const batches = [];
    for await (const b of parseFile(victim.path, parseableFormat('cloudtrail-file'))) batches.push(b);
    assert.equal(batches.reduce((n, b) => n + b.count, 0), 4);
    const rejects = batches.flatMap((b) => b.rejects);
    assert.equal(rejects.length, 1);
    assert.match(rejects[0].reason, /gzip members after its first .*nothing after the first document was read as an event/);
    // A file of one member, streamed, has no such reject.
    const clean = [];
    for await (const b of parseFile(t.logs[1].path, parseableFormat('cloudtrail-file'))) clean.push(...b.rejects);
    assert.deepEqual(clean, []);
  });

  test('the import reads the first member as events, keeps the appended records as rejects with the reason, and verify says so', async () => {
    const dir = dirOf();
    const t = buildTrail({ dir, start: START, hours: 2, keyFor: () => keyA });
    const victim = t.logs[2];
    appendFileSync(victim.path, gzipSync(Buffer.from(JSON.stringify(extra))));
    const casePath = join(tmp, `case${n++}.sqlite`);
    const summary = await importPaths(casePath, [dir], { examiner: 'test examiner' });
    const outcome = summary.files.find((f) => f.path === victim.path)!;
    assert.equal(outcome.status, 'imported');
    assert.equal(outcome.events, 4, 'the four records CloudTrail delivered');
    assert.equal(outcome.rejected, 1, 'the planted record, not silently dropped');
    assert.match(outcome.firstRejects![0].reason, /appended after the file's first gzip member .*not imported as an event/);
    assert.equal(outcome.firstRejects![0].locator, 5);

    const db = new Database(casePath, { readonly: true });
    try {
      const planted = db.prepare(`SELECT count(*) AS n FROM events WHERE request_id = 'APPENDED01'`).get() as { n: number };
      assert.equal(planted.n, 0, 'the planted record is in no answer');
      const reject = db.prepare(`SELECT r.reason, r.text FROM rejects r JOIN evidence e ON e.id = r.evidence_id WHERE e.path = ?`).get(victim.path) as { reason: string; text: string };
      assert.match(reject.text, /APPENDED01/, 'its text is kept');
    } finally {
      db.close();
    }
    const keysPath = join(dir, 'keys.json');
    writeFileSync(keysPath, publicKeysJson([{ key: keyA, ...ALL_TIME }]));
    const rdb = openReadable(casePath);
    try {
      const report = await validateCaseIntegrity(rdb, casePath, { keysPath });
      assert.equal(report.verdict, 'failed');
      assert.match(report.problems.join('\n'), /bytes were appended after its first gzip member/);
    } finally {
      rdb.close();
    }
  });
});

describe('a digest signed just after a key rotation (aws-cli PR #10073)', () => {
  // Four hourly digests ending 11:00:41, 12:00:41, 13:00:41 and 14:00:41: key A signs the first two, key B the last two.
  const t = buildTrail({ dir: dirOf(), start: START, hours: 4, keyFor: (h) => (h < 2 ? keyA : keyB) });
  const at = (hours: number, ms = 0) => new Date(START.getTime() + hours * HOUR + ms);
  const keysRotatingAt = (aUntil: Date, bFrom: Date) => parsePublicKeys(publicKeysJson([{ key: keyA, from: ALL_TIME.from, to: aUntil }, { key: keyB, from: bFrom, to: ALL_TIME.to }]), 'keys.json');
  const validate = async (keys: ReturnType<typeof keysOf>) =>
    validateLogIntegrity({ digests: t.digests.map((d) => digestInputFromFile(d.path, { signature: d.signature })), trailFiles: await filesOf(t.logs), publicKeys: keys });

  test('the key whose validity starts seconds after the digest it signed is still found', async () => {
    // Digest 3 ends at 13:00:41 and is signed on delivery, just after the rotation at 13:01:11, by key B.
    const rotation = at(3, 30_000);
    assert.equal(t.digests[2].fingerprint, keyB.fingerprint);
    assert.ok(Date.parse(t.digests[2].endTime) < rotation.getTime(), 'the digest ends before key B is valid');
    const r = await validate(keysRotatingAt(rotation, rotation));
    assert.equal(r.verdict, 'verified', [...r.problems, ...r.limits].join('\n'));
    assert.deepEqual(r.digests.map((d) => d.keyFingerprint), [keyA.fingerprint, keyA.fingerprint, keyB.fingerprint, keyB.fingerprint]);
  });

  test('the retiring key, whose validity ended minutes before the digest it signed, is still found', async () => {
    // Key A retired at 11:58:41, yet signed digest 2, which ends at 12:00:41.
    const rotation = at(2, -2 * 60_000);
    const r = await validate(keysRotatingAt(rotation, rotation));
    assert.equal(r.verdict, 'verified', [...r.problems, ...r.limits].join('\n'));
  });

  test('a key valid only hours after the digest was signed is not taken silently', async () => {
    // Key B valid from 16:00:41: three hours after digest 3, exactly two after digest 4 (still within the slack).
    const rotation = at(6);
    const r = await validate(keysRotatingAt(rotation, rotation));
    assert.equal(r.verdict, 'incomplete');
    assert.deepEqual(r.problems, []);
    const flagged = r.limits.filter((l) => /is more than two hours away/.test(l));
    assert.equal(flagged.length, 1, r.limits.join('\n'));
    assert.match(flagged[0], new RegExp(`${t.digests[2].s3Object.split('/').pop()}: signed at 2025-03-04T13:00:41.000Z with key ${keyB.fingerprint}`));
    // The signatures themselves verify: the limit is about the key's window, not the bytes.
    assert.ok(r.digests.every((d) => d.signature === 'valid'));
  });
});
