// From evidence rows (as the case stores them) to validation: files found at their recorded path, in
// an evidence folder they were moved to, or not at all; digest signatures taken from kept S3 metadata.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildCaseValidationInput, signatureFromMeta, type IntegrityEvidenceRow } from '../../../main/integrity/case-inputs';
import { sha256Hex } from '../../../main/integrity/digest';
import { EvidenceLocator } from '../../../main/integrity/locate';
import { parsePublicKeys } from '../../../main/integrity/public-keys';
import { validateLogIntegrity } from '../../../main/integrity/validate';
import { buildTrail, makeSignerKey, publicKeysJson, type BuiltTrail } from '../../support/digest-signer';

const tmp = mkdtempSync(join(tmpdir(), 'trailmark-case-inputs-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const key = makeSignerKey();
const keys = parsePublicKeys(publicKeysJson([{ key, from: new Date('2020-01-01Z'), to: new Date('2030-01-01Z') }]), 'keys.json');
let n = 0;

/** Evidence rows as an import records them: path, SHA-256 of the stored (gzip) bytes, format. */
function rowsOf(t: BuiltTrail, opts: { lastSignatureInMeta?: boolean } = {}): IntegrityEvidenceRow[] {
  let id = 0;
  return [
    ...t.logs.map((l) => ({ id: ++id, path: l.path, origin: '{"type":"file"}', sha256: sha256Hex(readFileSync(l.path)), format: 'cloudtrail-file', meta: null })),
    ...t.digests.map((d, i) => ({
      id: ++id, path: d.path, origin: '{"type":"file"}', sha256: sha256Hex(readFileSync(d.path)), format: 'cloudtrail-digest',
      meta: opts.lastSignatureInMeta && i === t.digests.length - 1 ? JSON.stringify({ logFiles: 3, Metadata: { signature: d.signature, 'signature-algorithm': 'SHA256withRSA' } }) : JSON.stringify({ logFiles: 3 }),
    })),
  ];
}

function newTrail(): BuiltTrail {
  return buildTrail({ dir: join(tmp, `t${n++}`), start: new Date('2025-06-01T08:30:12Z'), hours: 3, keyFor: () => key });
}

describe('case evidence to validation inputs', () => {
  test('files at their recorded paths, the last signature from S3 metadata: verified', async () => {
    const t = newTrail();
    const input = await buildCaseValidationInput(rowsOf(t, { lastSignatureInMeta: true }), new EvidenceLocator(join(tmp, 'case.sqlite')), keys);
    const r = validateLogIntegrity(input);
    assert.equal(r.verdict, 'verified', [...r.problems, ...r.limits].join('\n'));
    assert.deepEqual(r.digests.map((d) => d.signatureSource), ['next-digest', 'next-digest', 'metadata']);
    assert.deepEqual(r.files.map((f) => f.evidenceId), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('a tree moved elsewhere is found by name under --evidence', async () => {
    const t = newTrail();
    // Recorded where they were acquired; then the whole tree is moved away from there.
    const rows = rowsOf(t, { lastSignatureInMeta: true });
    const moved = join(tmp, `moved${n}`);
    cpSync(t.root, moved, { recursive: true });
    rmSync(t.root, { recursive: true });
    const without = validateLogIntegrity(await buildCaseValidationInput(rows, new EvidenceLocator(join(tmp, 'case.sqlite')), keys));
    assert.equal(without.verdict, 'incomplete');
    assert.equal(without.digests.length, 0);
    assert.match(without.limits.join('\n'), /not validated, no copy found/);
    const found = validateLogIntegrity(await buildCaseValidationInput(rows, new EvidenceLocator(join(tmp, 'case.sqlite'), moved), keys));
    assert.equal(found.verdict, 'verified', [...found.problems, ...found.limits].join('\n'));
  });

  test('a trail file changed on disk since acquisition is reported, and cannot vouch for itself', async () => {
    const t = newTrail();
    const rows = rowsOf(t, { lastSignatureInMeta: true });
    writeFileSync(t.logs[2].path, gzipSync(Buffer.concat([t.logs[2].content, Buffer.from(' ')])));
    const r = validateLogIntegrity(await buildCaseValidationInput(rows, new EvidenceLocator(join(tmp, 'case.sqlite')), keys));
    const f = r.files.find((x) => x.evidenceId === 3)!;
    assert.equal(f.status, 'unchecked');
    assert.match(f.reason, /no longer matches the SHA-256 recorded at acquisition/);
    assert.equal(r.verdict, 'incomplete');
  });

  test('a digest changed on disk since acquisition is a discrepancy', async () => {
    const t = newTrail();
    const rows = rowsOf(t, { lastSignatureInMeta: true });
    writeFileSync(t.digests[1].path, gzipSync(t.digests[1].content, { level: 1 }));
    const r = validateLogIntegrity(await buildCaseValidationInput(rows, new EvidenceLocator(join(tmp, 'case.sqlite')), keys));
    assert.equal(r.verdict, 'failed');
    assert.match(r.problems.join('\n'), /digest .*: the file at .* no longer matches the SHA-256 recorded at acquisition/);
  });

  test('a digest the case holds but whose file is gone is a gap in what was checked, not a chain break', async () => {
    const t = newTrail();
    const rows = rowsOf(t, { lastSignatureInMeta: true });
    rmSync(t.digests[1].path);
    const r = validateLogIntegrity(await buildCaseValidationInput(rows, new EvidenceLocator(join(tmp, 'case.sqlite')), keys));
    assert.equal(r.verdict, 'incomplete', r.problems.join('\n'));
    assert.deepEqual(r.digests.map((d) => d.chain), ['start', 'first-in-case']);
    assert.equal(r.missingDigests.length, 0);
    assert.match(r.limits.join('\n'), /its link to the previous digest .* was not checked, that file could not be read/);
  });

  test('signatures are read from the metadata shapes an S3 pull may keep', () => {
    assert.equal(signatureFromMeta('{"signature":"ab12"}'), 'ab12');
    assert.equal(signatureFromMeta('{"x-amz-meta-signature":"ab12"}'), 'ab12');
    assert.equal(signatureFromMeta('{"s3Metadata":{"signature":"ab12"}}'), 'ab12');
    assert.equal(signatureFromMeta('{"Metadata":{"signature":"ab12","signature-algorithm":"SHA256withRSA"}}'), 'ab12');
    assert.equal(signatureFromMeta('{"logFiles":3}'), null);
    assert.equal(signatureFromMeta(null), null);
    assert.equal(signatureFromMeta('not json'), null);
  });
});
