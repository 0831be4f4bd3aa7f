// Real digest files published by others: they arrive without their log files, signature metadata or
// key, so validation must parse them and say exactly that, not fail.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DigestFormatError, readDigest } from '../../../main/integrity/digest';
import { validateLogIntegrity } from '../../../main/integrity/validate';

const FIXTURES = join(__dirname, '../../../../test/fixtures/integrity');
const LLM_GUARD = '327878933619_CloudTrail-Digest_ap-northeast-1_llm-guard-trail_us-west-2_20231015T230404Z.json';

function read(name: string) {
  return { ref: name, ...readDigest(readFileSync(join(FIXTURES, name)), name) };
}

describe('real public digest files', () => {
  test('the llm-guard digest parses field by field, with AWS\'s escaped slashes undone', () => {
    const { digest } = read(LLM_GUARD);
    assert.equal(digest.awsAccountId, '327878933619');
    assert.equal(digest.digestS3Object, 'AWSLogs/327878933619/CloudTrail-Digest/ap-northeast-1/2023/10/15/327878933619_CloudTrail-Digest_ap-northeast-1_llm-guard-trail_us-west-2_20231015T230404Z.json.gz');
    assert.equal(digest.digestPublicKeyFingerprint, 'be2f0b997552f44942837300ba1aba9d');
    assert.equal(digest.previousDigestHashValue, '8f953371d3e85eddb89b05ed6b9e680791055315c73e1025ab5dba7bb2aee189');
    assert.equal(digest.previousDigestSignature!.length, 512);
    assert.equal(digest.logFiles.length, 5);
    assert.deepEqual(digest.logFiles[0], {
      s3Bucket: 'llm-guard-trail',
      s3Object: 'AWSLogs/327878933619/CloudTrail/ap-northeast-1/2023/10/15/327878933619_CloudTrail_ap-northeast-1_20231015T2205Z_iRIoDMA9l9Q4kmFy.json.gz',
      hashValue: '4309c6161e37538de72ec6f679e86b7e45aebed71fa7e76af70c3019fef44e19', hashAlgorithm: 'SHA-256',
      newestEventTime: '2023-10-15T22:04:51Z', oldestEventTime: '2023-10-15T22:04:51Z',
    });
  });

  test('gzip or plain, the content hash is of the uncompressed bytes', () => {
    const bytes = readFileSync(join(FIXTURES, LLM_GUARD));
    assert.equal(readDigest(gzipSync(bytes), 'x.json.gz').contentSha256, readDigest(bytes, 'x.json').contentSha256);
  });

  for (const name of [LLM_GUARD, 'elastic-cloudtrail-digest.json']) {
    test(`${name}: its files are missing and its signature unknown`, () => {
      const d = read(name);
      const r = validateLogIntegrity({ digests: [d], trailFiles: [], publicKeys: null });
      assert.equal(r.digests.length, 1);
      assert.equal(r.digests[0].signature, 'unknown');
      assert.equal(r.digests[0].chain, 'first-in-case');
      assert.equal(r.summary.files.missing, d.digest.logFiles.length);
      assert.ok(r.files.every((f) => f.status === 'missing' && f.ref.startsWith('s3://')));
      assert.equal(r.verdict, 'failed');
      assert.ok(r.coverage.some((h) => h.status === 'missing'));
      // With an (empty) keys file the signature is still unknown, for want of the key.
      const k = validateLogIntegrity({ digests: [d], trailFiles: [], publicKeys: [] });
      assert.match(k.limits.join('\n'), new RegExp(`no public key with fingerprint ${d.digest.digestPublicKeyFingerprint}`));
    });
  }

  test('both samples together are two chains, neither breaking the other', () => {
    const r = validateLogIntegrity({ digests: [read(LLM_GUARD), read('elastic-cloudtrail-digest.json')], trailFiles: [], publicKeys: null });
    assert.deepEqual(r.digests.map((d) => d.chain), ['first-in-case', 'first-in-case']);
    assert.equal(r.summary.files.missing, 8);
  });

  test('malformed digests are refused with the file and the reason', () => {
    const bad = (obj: object) => Buffer.from(JSON.stringify(obj));
    const base = JSON.parse(readFileSync(join(FIXTURES, LLM_GUARD), 'utf8'));
    assert.throws(() => readDigest(Buffer.from('{"awsAccountId":'), 'a.json'), (e: Error) => e instanceof DigestFormatError && /^a\.json: not JSON/.test(e.message));
    assert.throws(() => readDigest(bad({ ...base, digestEndTime: undefined }), 'b.json'), /b\.json: "digestEndTime" is missing/);
    assert.throws(() => readDigest(bad({ ...base, previousDigestSignature: undefined }), 'c.json'), /c\.json: "previousDigestSignature" is missing/);
    assert.throws(() => readDigest(bad({ ...base, logFiles: [{ s3Bucket: 'b' }] }), 'd.json'), /d\.json: logFiles\[0\]: "s3Object" is missing/);
    assert.throws(() => readDigest(bad({ ...base, digestStartTime: 'yesterday' }), 'e.json'), /e\.json: "digestStartTime" is not a time/);
    assert.throws(() => readDigest(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 'f.json.gz'), /f\.json\.gz: not a readable gzip file/);
    assert.throws(() => readDigest(bad([1, 2]), 'g.json'), /g\.json: a digest file is a JSON object/);
  });
});
