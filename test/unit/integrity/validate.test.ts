// CloudTrail log file validation on trails we build and sign ourselves, tampered with in the ways an
// adversary would: altered, deleted and injected log files, a deleted digest, a forged signature, a
// rotated key. Files are real gzip on disk, read back through the same code the case uses.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parsePublicKeys, publicKeysFrom } from '../../../main/integrity/public-keys';
import { digestInputFromFile, uncompressedSha256 } from '../../../main/integrity/read-inputs';
import { validateLogIntegrity, type TrailFileInput } from '../../../main/integrity/validate';
import { buildTrail, makeSignerKey, publicKeysJson, signDigest, type BuiltTrail, type SignerKey } from '../../support/digest-signer';

const tmp = mkdtempSync(join(tmpdir(), 'trailmark-integrity-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const START = new Date('2025-03-04T10:00:41Z');
const keyA = makeSignerKey();
const keyB = makeSignerKey();
const attacker = makeSignerKey();
const ALL_TIME = { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2030-01-01T00:00:00Z') };
const keysOf = (...ks: SignerKey[]) => parsePublicKeys(publicKeysJson(ks.map((key) => ({ key, ...ALL_TIME }))), 'keys.json');

let n = 0;
function trail(hours = 4, keyFor: (h: number) => SignerKey = () => keyA): BuiltTrail {
  return buildTrail({ dir: join(tmp, `t${n++}`), start: START, hours, keyFor });
}

async function filesOf(t: BuiltTrail): Promise<TrailFileInput[]> {
  return Promise.all(t.logs.map(async (l) => ({ ref: l.path, path: l.path, contentSha256: await uncompressedSha256(l.path) })));
}

/** Digest inputs as the case would hold them; withMetadata false: copies without S3 metadata. */
function digestsOf(t: BuiltTrail, withMetadata = true) {
  return t.digests.map((d) => digestInputFromFile(d.path, { signature: withMetadata ? d.signature : null }));
}

describe('CloudTrail digest validation', () => {
  test('an untouched trail verifies: every digest signed, the chain whole, every file valid', async () => {
    const t = trail();
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: await filesOf(t), publicKeys: keysOf(keyA) });
    assert.equal(r.verdict, 'verified', [...r.problems, ...r.limits].join('\n'));
    assert.deepEqual(r.digests.map((d) => [d.signature, d.signatureSource, d.chain]), [
      ['valid', 'metadata', 'start'], ['valid', 'metadata', 'linked'], ['valid', 'metadata', 'linked'], ['valid', 'metadata', 'linked'],
    ]);
    assert.equal(r.summary.files.valid, 12);
    assert.equal(r.files.length, 12);
    assert.deepEqual(r.problems, []);
    // Four digest hours from 10:00:41 to 14:00:41 touch the hours 10..14.
    assert.deepEqual(r.coverage.map((h) => [h.hour, h.status]), [
      ['2025-03-04T10:00Z', 'validated'], ['2025-03-04T11:00Z', 'validated'], ['2025-03-04T12:00Z', 'validated'],
      ['2025-03-04T13:00Z', 'validated'], ['2025-03-04T14:00Z', 'validated'],
    ]);
    assert.equal(r.coverage.reduce((s, h) => s + h.files, 0), 12);
  });

  test('copies without S3 metadata verify through the next digest; the newest digest stays unknown', async () => {
    const t = trail(3);
    const r = validateLogIntegrity({ digests: digestsOf(t, false), trailFiles: await filesOf(t), publicKeys: keysOf(keyA) });
    assert.deepEqual(r.digests.map((d) => [d.signature, d.signatureSource]), [['valid', 'next-digest'], ['valid', 'next-digest'], ['unknown', null]]);
    assert.equal(r.verdict, 'incomplete');
    assert.deepEqual(r.problems, []);
    assert.match(r.limits.join('\n'), /no S3 metadata and no later digest/);
    // The newest digest's files match its listing, but its signature is unknown.
    assert.equal(r.summary.files.valid, 6);
    assert.equal(r.summary.files.unverified, 3);
    assert.equal(r.coverage.at(-1)!.status, 'unverified');
  });

  test('a log file altered by one byte is modified', async () => {
    const t = trail();
    const victim = t.logs[4];
    const altered = Buffer.from(victim.content);
    altered[altered.indexOf('203.0.113.')] ^= 0x01; // one byte of an IP address
    writeFileSync(victim.path, gzipSync(altered));
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: await filesOf(t), publicKeys: keysOf(keyA) });
    assert.equal(r.verdict, 'failed');
    const bad = r.files.filter((f) => f.status !== 'valid');
    assert.equal(bad.length, 1);
    assert.equal(bad[0].ref, victim.path);
    assert.equal(bad[0].status, 'modified');
    assert.equal(bad[0].actualSha256, await uncompressedSha256(victim.path));
    assert.match(r.problems.join('\n'), new RegExp(`${victim.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: modified`));
    assert.equal(r.coverage.find((h) => h.hour === '2025-03-04T11:00Z')!.status, 'modified');
  });

  test('a re-compressed but unaltered file is still valid: the digest hashes the uncompressed content', async () => {
    const t = trail(1);
    writeFileSync(t.logs[0].path, gzipSync(t.logs[0].content, { level: 1 }));
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: await filesOf(t), publicKeys: keysOf(keyA) });
    assert.equal(r.verdict, 'verified', r.problems.join('\n'));
  });

  test('a deleted log file is missing', async () => {
    const t = trail();
    const gone = t.logs[7];
    unlinkSync(gone.path);
    const files = (await filesOf({ ...t, logs: t.logs.filter((l) => l !== gone) }));
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: files, publicKeys: keysOf(keyA) });
    assert.equal(r.verdict, 'failed');
    const missing = r.files.filter((f) => f.status === 'missing');
    assert.equal(missing.length, 1);
    assert.equal(missing[0].s3Path, `${t.bucket}/${gone.s3Object}`);
    assert.equal(missing[0].evidenceId, null);
    assert.equal(r.summary.files.valid, 11);
    assert.equal(r.coverage.find((h) => h.hour === '2025-03-04T12:00Z')!.status, 'missing');
  });

  test('a deleted digest breaks the chain and leaves its hour and files unvouched', async () => {
    const t = trail();
    const gone = t.digests[1];
    const r = validateLogIntegrity({
      digests: digestsOf(t).filter((d) => d.ref !== gone.path), trailFiles: await filesOf(t), publicKeys: keysOf(keyA),
    });
    assert.equal(r.verdict, 'failed');
    assert.deepEqual(r.digests.map((d) => d.chain), ['start', 'break', 'linked']);
    assert.deepEqual(r.missingDigests, [{ s3Path: `${t.bucket}/${gone.s3Object}`, referencedBy: `${t.bucket}/${t.digests[2].s3Object}`, expectedSha256: r.missingDigests[0].expectedSha256 }]);
    assert.equal(r.summary.chainBreaks, 1);
    // The three files of the deleted digest's hour are listed by no digest in the case.
    assert.equal(r.summary.files['no-digest'], 3);
    assert.ok(r.files.filter((f) => f.status === 'no-digest').every((f) => f.reason.includes(`digest s3://${t.bucket}/${gone.s3Object}, which is missing`)));
    assert.equal(r.summary.files.valid, 9);
    assert.equal(r.coverage.find((h) => h.hour === '2025-03-04T11:00Z')!.status, 'missing');
  });

  test('the first digest of the case with a predecessor outside the case is a boundary, not a break', async () => {
    const t = trail(3);
    const r = validateLogIntegrity({ digests: digestsOf(t).slice(1), trailFiles: (await filesOf(t)).slice(3), publicKeys: keysOf(keyA) });
    assert.deepEqual(r.digests.map((d) => d.chain), ['first-in-case', 'linked']);
    assert.equal(r.verdict, 'verified', r.problems.join('\n'));
  });

  test('a forged digest signature is invalid', async () => {
    const t = trail(3);
    const forged = digestsOf(t);
    const d = t.digests[2];
    forged[2].signature = signDigest(d.content, d.endTime, t.bucket, d.s3Object, t.digests[1].signature, attacker);
    const r = validateLogIntegrity({ digests: forged, trailFiles: await filesOf(t), publicKeys: keysOf(keyA) });
    assert.equal(r.verdict, 'failed');
    assert.deepEqual(r.digests.map((x) => x.signature), ['valid', 'valid', 'invalid']);
    assert.equal(r.summary.digestsInvalid, 1);
    assert.equal(r.summary.files.unverified, 3); // its files match its listing, but the listing is not trusted
    assert.match(r.problems.join('\n'), /signature verification failed/);
  });

  test('a digest rewritten to hide an altered file fails its signature and breaks the chain after it', async () => {
    const t = trail(3);
    const victim = t.logs[3]; // listed by digest 1
    const altered = Buffer.from(victim.content.toString().replace('curl/8.5.0', 'curl/8.5.1'));
    writeFileSync(victim.path, gzipSync(altered));
    const d = t.digests[1];
    const body = JSON.parse(d.content.toString());
    body.logFiles[0].hashValue = await uncompressedSha256(victim.path);
    writeFileSync(d.path, gzipSync(Buffer.from(JSON.stringify(body))));
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: await filesOf(t), publicKeys: keysOf(keyA) });
    assert.equal(r.verdict, 'failed');
    assert.equal(r.digests[1].signature, 'invalid');
    assert.equal(r.digests[2].chain, 'break');
    assert.match(r.digests[2].problems.join('\n'), /does not match the hash recorded here/);
    assert.equal(r.files.find((f) => f.ref === victim.path)!.status, 'unverified');
  });

  test('a key rotation between digests verifies when both keys are supplied', async () => {
    const t = trail(4, (h) => (h < 2 ? keyA : keyB));
    assert.notEqual(t.digests[1].fingerprint, t.digests[2].fingerprint);
    const both = validateLogIntegrity({ digests: digestsOf(t), trailFiles: await filesOf(t), publicKeys: keysOf(keyA, keyB) });
    assert.equal(both.verdict, 'verified', [...both.problems, ...both.limits].join('\n'));
    assert.deepEqual(both.digests.map((d) => d.keyFingerprint), [keyA.fingerprint, keyA.fingerprint, keyB.fingerprint, keyB.fingerprint]);
    const onlyA = validateLogIntegrity({ digests: digestsOf(t), trailFiles: await filesOf(t), publicKeys: keysOf(keyA) });
    assert.deepEqual(onlyA.digests.map((d) => d.signature), ['valid', 'valid', 'unknown', 'unknown']);
    assert.equal(onlyA.verdict, 'incomplete');
    assert.match(onlyA.limits.join('\n'), new RegExp(`no public key with fingerprint ${keyB.fingerprint}`));
  });

  test('a signature made with a key that is not the one the digest names is invalid', async () => {
    const t = trail(2);
    // The attacker's key published under keyA's fingerprint: verification must use the real one.
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: await filesOf(t), publicKeys: [{ ...keysOf(attacker)[0], fingerprint: keyA.fingerprint }] });
    assert.deepEqual(r.digests.map((d) => d.signature), ['invalid', 'invalid']);
  });

  test('a file injected into a period the digests vouch for is not-covered; one outside every digest has no digest', async () => {
    const t = trail(2);
    const injected = join(t.root, `AWSLogs/${t.account}/CloudTrail/${t.region}/2025/03/04/${t.account}_CloudTrail_${t.region}_20250304T1030Z_AAAAAAAAAAAAAAAA.json.gz`);
    const later = join(t.root, `${t.account}_CloudTrail_${t.region}_20250304T1930Z_BBBBBBBBBBBBBBBB.json.gz`);
    for (const p of [injected, later]) writeFileSync(p, gzipSync('{"Records":[]}'));
    const files = [...await filesOf(t), ...await Promise.all([injected, later].map(async (p) => ({ ref: p, path: p, contentSha256: await uncompressedSha256(p) })))];
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: files, publicKeys: keysOf(keyA) });
    assert.equal(r.files.find((f) => f.ref === injected)!.status, 'not-covered');
    assert.equal(r.files.find((f) => f.ref === later)!.status, 'no-digest');
    assert.equal(r.verdict, 'failed');
    assert.equal(r.coverage.find((h) => h.hour === '2025-03-04T19:00Z')!.status, 'no-digest');
    assert.equal(r.coverage.find((h) => h.hour === '2025-03-04T15:00Z')!.files, 0);
  });

  test('many files outside every digest are summarised among the limits, and all kept in the results', async () => {
    const t = trail(1);
    const files = Array.from({ length: 25 }, (_, i) => ({ ref: `f${i}`, path: `${t.account}_CloudTrail_${t.region}_20250305T${String(10 + (i % 10)).padStart(2, '0')}05Z_X${i}.json.gz`, contentSha256: 'ab' }));
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: [...await filesOf(t), ...files], publicKeys: keysOf(keyA) });
    assert.equal(r.summary.files['no-digest'], 25);
    assert.equal(r.limits.filter((l) => l.startsWith('log file ')).length, 20);
    assert.equal(r.limits.at(-1), '… and 5 more log files that no digest in the case covers');
    assert.equal(r.files.length, 28);
  });

  test('a file whose content cannot be read is unchecked, and the verdict incomplete', async () => {
    const t = trail(1);
    const files = await filesOf(t);
    files[1] = { ...files[1], contentSha256: null, unreadable: 'the evidence file is not available' };
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: files, publicKeys: keysOf(keyA) });
    assert.equal(r.files[1].status, 'unchecked');
    assert.equal(r.verdict, 'incomplete');
  });

  test('a digest copy stored under another trail path is reported as moved', async () => {
    const t = trail(1);
    const copy = join(tmp, 'AWSLogs', '999999999999', 'CloudTrail-Digest', 'x.json.gz');
    const digests = digestsOf(t).map((d) => ({ ...d, ref: copy }));
    const r = validateLogIntegrity({ digests, trailFiles: await filesOf(t), publicKeys: keysOf(keyA) });
    assert.match(r.problems.join('\n'), /is not where the digest says it was delivered/);
  });

  test('no keys at all: signatures unknown, files unverified, nothing called valid', async () => {
    const t = trail(2);
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: await filesOf(t), publicKeys: null });
    assert.equal(r.verdict, 'incomplete');
    assert.equal(r.summary.digestsUnknown, 2);
    assert.equal(r.summary.files.valid, 0);
    assert.match(r.limits[0], /no public keys were supplied/);
  });

  test('keys are accepted in the raw API shape (epoch seconds, byte-array Value) and as the SDK returns them', () => {
    const raw = JSON.stringify({ PublicKeyList: [{ Value: Object.fromEntries([...keyA.publicDer].map((b, i) => [String(i), b])), ValidityStartTime: 1700000000, ValidityEndTime: 1800000000, Fingerprint: keyA.fingerprint.toUpperCase() }] });
    const [k] = parsePublicKeys(raw, 'raw.json');
    assert.equal(k.fingerprint, keyA.fingerprint);
    assert.equal(k.validFrom, 1700000000000);
    const [sdk] = publicKeysFrom({ PublicKeyList: [{ Value: new Uint8Array(keyA.publicDer), ValidityStartTime: new Date('2024-05-01T00:00:00Z'), Fingerprint: keyA.fingerprint }] }, 'ListPublicKeysCommand');
    assert.equal(sdk.validFrom, Date.parse('2024-05-01T00:00:00Z'));
    assert.equal(sdk.validTo, null);
    assert.throws(() => parsePublicKeys('{"PublicKeyList":[{"Fingerprint":"ab","Value":"bm90IGEga2V5"}]}', 'bad.json'), /bad.json: PublicKeyList\[0\]: "Value" is not a DER RSA public key/);
    assert.throws(() => parsePublicKeys('{"Keys":[]}', 'k.json'), /k.json: expected a ListPublicKeys result/);
  });

  test('the digest bytes are used as written: a re-serialised digest no longer matches its signature', async () => {
    const t = trail(1);
    const d = t.digests[0];
    // Same JSON value, slashes no longer escaped: a different byte string, so a different signing string.
    writeFileSync(d.path, gzipSync(Buffer.from(JSON.stringify(JSON.parse(d.content.toString())))));
    assert.notDeepEqual(readFileSync(d.path), gzipSync(d.content));
    const r = validateLogIntegrity({ digests: digestsOf(t), trailFiles: await filesOf(t), publicKeys: keysOf(keyA) });
    assert.equal(r.digests[0].signature, 'invalid');
  });
});
