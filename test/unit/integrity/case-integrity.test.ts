// Validation runs recorded in a real case file: stored whole, read back equal, logged in custody, kept as found.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { checkCustodyChain, listCustody } from '../../../main/case/custody';
import { openWritable } from '../../../main/case/db';
import { getIntegrityRun, saveIntegrityRun } from '../../../main/case/integrity-queries';
import { parsePublicKeys } from '../../../main/integrity/public-keys';
import { digestInputFromFile, uncompressedSha256 } from '../../../main/integrity/read-inputs';
import { validateLogIntegrity } from '../../../main/integrity/validate';
import { buildTrail, makeSignerKey, publicKeysJson } from '../../support/digest-signer';

const tmp = mkdtempSync(join(tmpdir(), 'trailmark-case-integrity-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('integrity runs in the case file', () => {
  test('a run is stored with its digests, files and coverage, read back equal, and logged in custody', async () => {
    const key = makeSignerKey();
    const t = buildTrail({ dir: join(tmp, 'trail'), start: new Date('2025-01-10T23:10:00Z'), hours: 3, keyFor: () => key });
    const keys = parsePublicKeys(publicKeysJson([{ key, from: new Date('2024-01-01Z'), to: new Date('2026-01-01Z') }]), 'keys.json');
    const files = await Promise.all(t.logs.slice(1).map(async (l) => ({ ref: l.path, path: l.path, contentSha256: await uncompressedSha256(l.path) })));
    const report = validateLogIntegrity({ digests: t.digests.map((d) => digestInputFromFile(d.path, { signature: d.signature })), trailFiles: files, publicKeys: keys });
    assert.equal(report.verdict, 'failed'); // one file left out: missing

    const db = openWritable(join(tmp, 'case.sqlite'));
    try {
      const at = new Date('2025-02-01T09:00:00Z');
      const saved = saveIntegrityRun(db, report, { examiner: 'J. Doe', keysSource: '/cases/keys.json', at });
      const back = getIntegrityRun(db)!;
      assert.deepEqual(back, saved);
      assert.deepEqual(back, { ...report, id: saved.id, at: at.toISOString(), examiner: 'J. Doe', keysSource: '/cases/keys.json' });
      assert.equal(back.files.filter((f) => f.status === 'missing').length, 1);
      assert.equal(back.coverage[0].hour, '2025-01-10T23:00Z');

      const custody = listCustody(db);
      assert.equal(custody.at(-1)!.action, 'integrity-validate');
      assert.equal(JSON.parse(custody.at(-1)!.details).run, saved.id);
      assert.deepEqual(checkCustodyChain(db), []);

      const second = saveIntegrityRun(db, { ...report, verdict: 'verified' }, { examiner: null, keysSource: null });
      assert.equal(getIntegrityRun(db)!.id, second.id);
      assert.equal(getIntegrityRun(db, saved.id)!.verdict, 'failed');
      assert.equal(getIntegrityRun(db, 9999), null);

      assert.throws(() => db.prepare('UPDATE integrity_files SET status = ? WHERE run_id = ?').run('valid', saved.id), /kept as found/);
      assert.throws(() => db.prepare('DELETE FROM integrity_runs WHERE id = ?').run(saved.id), /kept as found/);
    } finally {
      db.close();
    }
  });

  test('a case that never ran validation has no run', () => {
    const db = openWritable(join(tmp, 'empty.sqlite'));
    try {
      assert.equal(getIntegrityRun(db), null);
    } finally {
      db.close();
    }
  });
});
