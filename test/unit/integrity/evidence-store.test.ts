import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { evidenceStoreDir, storeEvidence, storedEvidencePath } from '../../../main/integrity/evidence-store';

const tmp = mkdtempSync(join(tmpdir(), 'trailmark-store-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('read-only evidence store', () => {
  const casePath = join(tmp, 'acme-leak.sqlite');
  const bytes = gzipSync('{"Records":[]}');
  const source = join(tmp, 'in', '111122223333_CloudTrail_eu-west-1_20250304T1005Z_abc.json.gz');
  mkdirSync(join(tmp, 'in'));
  writeFileSync(source, bytes);

  test('copies into <case>.evidence/<hash prefix>/<name>, read-only, identical bytes', async () => {
    const r = await storeEvidence(casePath, source, sha(bytes));
    assert.equal(r.created, true);
    assert.equal(r.path, join(tmp, 'acme-leak.evidence', sha(bytes).slice(0, 16), '111122223333_CloudTrail_eu-west-1_20250304T1005Z_abc.json.gz'));
    assert.equal(evidenceStoreDir(casePath), join(tmp, 'acme-leak.evidence'));
    assert.deepEqual(readFileSync(r.path), bytes);
    assert.equal(statSync(r.path).mode & 0o777, 0o444);
    assert.deepEqual(readdirSync(join(tmp, 'acme-leak.evidence', sha(bytes).slice(0, 16))), [r.path.split(/[\\/]/).pop()], 'no partial file left behind');
  });

  test('storing the same file again keeps the first copy', async () => {
    const first = statSync(storedEvidencePath(casePath, sha(bytes), source)).ino;
    const r = await storeEvidence(casePath, source, sha(bytes));
    assert.equal(r.created, false);
    assert.equal(statSync(r.path).ino, first);
  });

  test('a source that no longer hashes as acquired is refused and nothing is kept', async () => {
    const changed = join(tmp, 'in', 'changed.log');
    writeFileSync(changed, 'after acquisition');
    const recorded = sha(Buffer.from('at acquisition'));
    await assert.rejects(storeEvidence(casePath, changed, recorded), /changed\.log hashes to [0-9a-f]{64} now, not [0-9a-f]{64} as when it was acquired/);
    const dir = join(evidenceStoreDir(casePath), recorded.slice(0, 16));
    assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
  });

  test('a stored copy altered since is reported, not overwritten', async () => {
    const other = Buffer.from('s3 access log line\n');
    const src = join(tmp, 'in', 'access.log');
    writeFileSync(src, other);
    const { path } = await storeEvidence(casePath, src, sha(other));
    chmodSync(path, 0o644);
    writeFileSync(path, 'tampered');
    await assert.rejects(storeEvidence(casePath, src, sha(other)), /already in the evidence store but hashes to .* it was altered/);
    assert.equal(readFileSync(path, 'utf8'), 'tampered');
  });

  test('a name cannot climb out of the store', () => {
    const p = storedEvidencePath(casePath, sha(bytes), '../../etc/passwd');
    assert.equal(p, join(evidenceStoreDir(casePath), sha(bytes).slice(0, 16), 'passwd'));
    assert.throws(() => storedEvidencePath(casePath, sha(bytes), '..'), /cannot store a file named/);
    assert.throws(() => storedEvidencePath(casePath, 'abc', 'x'), /not a SHA-256/);
  });
});
