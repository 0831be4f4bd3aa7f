// `trailmark verify` on a case built by the real import from real trail files (invictus-ir) and a trail
// of our own, with digests signed by a test key: it verifies untouched, and catches each tampering.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { main as cli } from '../../../main/cli/index';
import { importPaths } from '../../../main/import/run-import';
import { CaseService } from '../../../main/service';
import { EXIT, verifyCase, verifyCommand } from '../../../main/verify';
import { buildTrail, makeSignerKey, placeTrailFiles, publicKeysJson, writeDigestChain, type BuiltDigest, type BuiltFile } from '../../support/digest-signer';

const FIXTURES = join(__dirname, '../../../../test/fixtures/integrity/invictus-ir');
const tmp = mkdtempSync(join(tmpdir(), 'trailmark-verify-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const key = makeSignerKey();
const keysPath = join(tmp, 'keys.json');
let logs: BuiltFile[] = [];
let digests: BuiltDigest[] = [];
let pristine = '';
let evidenceRoot = '';

/** A fresh copy of the pristine case and its evidence tree, so each test tampers with its own. */
function freshCase(name: string): { casePath: string } {
  const dir = join(tmp, name);
  mkdirSync(dir);
  const casePath = join(dir, 'case.sqlite');
  copyFileSync(pristine, casePath);
  return { casePath };
}

/** Digests whose S3 signature metadata the import keeps, by path relative to the evidence root. */
const signedDigests = new Map<string, string>();

async function importTree(casePath: string, root: string): Promise<void> {
  const summary = await importPaths(casePath, [root], {
    examiner: 'test examiner',
    // As an S3 pull keeps it: the newest digest of each trail carries its signature metadata.
    origin: (p) => {
      const sig = signedDigests.get(p.slice(root.length + 1).split(/[\\/]/).join('/'));
      return sig ? { origin: { type: 'file' }, meta: { Metadata: { signature: sig, 'signature-algorithm': 'SHA256withRSA' } } } : undefined;
    },
  });
  assert.deepEqual(summary.files.filter((f) => f.status !== 'imported'), [], 'every evidence file imports');
}

/** A case of its own, imported from its own copy of the evidence tree, for tests that move or alter files. */
async function privateCase(name: string): Promise<{ casePath: string; root: string }> {
  const dir = join(tmp, name);
  const root = join(dir, 'evidence');
  cpSync(evidenceRoot, root, { recursive: true });
  const casePath = join(dir, 'case.sqlite');
  await importTree(casePath, root);
  return { casePath, root };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await verifyCommand(args, (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

/** Raw SQL on the case file, as someone bypassing Trailmark would do it. */
function tamper(casePath: string, statements: string): void {
  const db = new Database(casePath);
  db.exec(statements);
  db.close();
}

before(async () => {
  evidenceRoot = join(tmp, 'evidence');
  const account = '218007301253';
  const region = 'us-east-1';
  const real = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()
    .map((name) => ({ name, content: readFileSync(join(FIXTURES, name)) }));
  logs = placeTrailFiles(evidenceRoot, real, account, region);
  // Digest periods 10:05–11:05 (nothing delivered), 11:05–12:05 (the 11:50 file), 12:05–13:05 (the rest).
  digests = writeDigestChain({
    dir: evidenceRoot, start: new Date('2023-07-10T10:05:00Z'), hours: 3, keyFor: () => key,
    logsFor: (h) => (h === 1 ? logs.slice(0, 1) : h === 2 ? logs.slice(1) : []), account, region, bucket: 'invictus-trail', trail: 'detonations',
  });
  // A second trail, of anonymous downloads, in the same evidence tree.
  const synthetic = buildTrail({ dir: evidenceRoot, start: new Date('2025-03-04T10:00:00Z'), hours: 2, keyFor: () => key });
  writeFileSync(keysPath, publicKeysJson([{ key, from: new Date('2020-01-01Z'), to: new Date('2030-01-01Z') }]));

  for (const d of [digests.at(-1)!, synthetic.digests.at(-1)!]) signedDigests.set(d.s3Object, d.signature);
  pristine = join(tmp, 'pristine.sqlite');
  await importTree(pristine, evidenceRoot);
});

describe('trailmark verify', () => {
  test('an untouched case with its evidence and keys verifies: exit 0', async () => {
    const { casePath } = freshCase('untouched');
    const r = await verifyCase(casePath, { keysPath });
    assert.equal(r.verdict, 'verified', [...r.problems, ...r.limits].join('\n'));
    assert.equal(r.evidence.matching, r.evidence.total);
    assert.equal(r.integrity!.summary.digestsValid, 5);
    assert.equal(r.integrity!.summary.files.valid, 11);
    assert.ok(r.events.checked >= 6 + 24);
    const cli = await run(['--case', casePath, '--keys', keysPath]);
    assert.equal(cli.code, EXIT.verified, cli.out);
    assert.match(cli.out, /VERDICT: VERIFIED/);
  });

  test('without the keys the digests cannot be checked: incomplete, exit 3', async () => {
    const { casePath } = freshCase('nokeys');
    const cli = await run(['--case', casePath]);
    assert.equal(cli.code, EXIT.incomplete);
    assert.match(cli.out, /NOT CHECKED {2}cloudtrail: digest s3:\/\/.*signature not checked, no public keys were supplied/);
  });

  test('a raw record edited in the case file (trigger dropped, trail file re-compressed) is caught, even when its length is kept', async () => {
    const { casePath } = freshCase('edited-event');
    const db = new Database(casePath);
    db.exec('DROP TRIGGER raw_blocks_no_update');
    const text = (b: { bytes: Buffer; gzip: number }) => (b.gzip ? gunzipSync(b.bytes) : b.bytes).toString('utf8');
    const block = (db.prepare('SELECT id, bytes, gzip FROM raw_blocks ORDER BY id').all() as { id: number; bytes: Buffer; gzip: number }[])
      .find((b) => text(b).includes('192.168.10.20'))!;
    assert.equal(block.gzip, 1, 'a trail file is kept as it was delivered');
    const edited = text(block).replace('192.168.10.20', '192.168.10.21');
    db.prepare('UPDATE raw_blocks SET bytes = ? WHERE id = ?').run(gzipSync(edited), block.id);
    db.close();
    const cli = await run(['--case', casePath, '--keys', keysPath]);
    assert.equal(cli.code, EXIT.failed, cli.out);
    assert.match(cli.out, /DISCREPANCY {2}events: the events stored from evidence \d+ \(.*218007301253_CloudTrail_us-east-1_.*\) were altered/);
  });

  test('a trail file kept as delivered and compressed again (every record still the same) is caught', async () => {
    const { casePath } = freshCase('recompressed');
    const db = new Database(casePath);
    db.exec('DROP TRIGGER raw_blocks_no_update');
    const block = db.prepare('SELECT id, evidence_id, bytes FROM raw_blocks WHERE gzip = 1 ORDER BY id LIMIT 1').get() as { id: number; evidence_id: number; bytes: Buffer };
    db.prepare('UPDATE raw_blocks SET bytes = ? WHERE id = ?').run(gzipSync(gunzipSync(block.bytes), { level: 1 }), block.id);
    db.close();
    const r = await verifyCase(casePath, { keysPath });
    assert.equal(r.verdict, 'failed');
    const kept = new RegExp(`^events: raw record block ${block.id} keeps evidence ${block.evidence_id} \\(.*\\) as delivered, but hashes to [0-9a-f]{64}, not [0-9a-f]{64}$`);
    assert.ok(r.problems.some((p) => kept.test(p)), r.problems.join('\n'));
    assert.ok(!r.problems.some((p) => /were altered/.test(p)), 'the records themselves are unchanged');
  });

  test('a block of raw records deleted through raw SQL is named, and the events it held fail their digest', async () => {
    const { casePath } = freshCase('deleted-block');
    tamper(casePath, `PRAGMA foreign_keys = OFF; DROP TRIGGER raw_blocks_no_delete; DELETE FROM raw_blocks WHERE id = (SELECT max(id) FROM raw_blocks);`);
    const r = await verifyCase(casePath, { keysPath });
    assert.equal(r.verdict, 'failed');
    assert.ok(r.problems.some((p) => /^events: raw record block \d+ is missing from the case$/.test(p)), r.problems.join('\n'));
    assert.ok(r.problems.some((p) => /^events: the events stored from evidence \d+ .* were altered/.test(p)), r.problems.join('\n'));
  });

  test('an event deleted through raw SQL is caught by the count', async () => {
    const { casePath } = freshCase('deleted-event');
    tamper(casePath, `DROP TRIGGER events_no_delete; DELETE FROM event_rows WHERE id = (SELECT max(id) FROM event_rows);`);
    const r = await verifyCase(casePath, { keysPath });
    assert.equal(r.verdict, 'failed');
    assert.match(r.problems.join('\n'), /recorded \d+ events, the case holds \d+/);
  });

  test('a custody row deleted from the middle of the log is caught', async () => {
    const { casePath } = freshCase('custody-middle');
    tamper(casePath, `DROP TRIGGER custody_no_delete; DELETE FROM custody WHERE seq = 3;`);
    const cli = await run(['--case', casePath, '--keys', keysPath, '--json']);
    assert.equal(cli.code, EXIT.failed);
    const r = JSON.parse(cli.out) as { verdict: string; problems: string[] };
    assert.equal(r.verdict, 'failed');
    assert.ok(r.problems.includes('custody: custody entry 3 is missing (next is 4)'), r.problems.join('\n'));
  });

  test('the last custody row deleted (which no chain shows) is caught: its import is unaccounted for', async () => {
    const { casePath } = freshCase('custody-last');
    tamper(casePath, `DROP TRIGGER custody_no_delete; DELETE FROM custody WHERE seq = (SELECT max(seq) FROM custody);`);
    const r = await verifyCase(casePath, { keysPath });
    assert.equal(r.verdict, 'failed');
    assert.match(r.problems.join('\n'), /custody: the import of evidence \d+ .* is not in the custody log/);
  });

  test('an evidence file altered on disk after import is caught, and its digest reports it', async () => {
    const { casePath, root } = await privateCase('altered-file');
    const victim = join(root, logs[2].s3Object);
    const text = readFileSync(join(FIXTURES, basename(logs[2].s3Object, '.gz'))).toString().replace('2023-07-10T12:05:09Z', '2023-07-10T12:05:08Z');
    writeFileSync(victim, gzipSync(text));
    const r = await verifyCase(casePath, { keysPath });
    assert.equal(r.verdict, 'failed');
    assert.equal(r.evidence.altered, 1);
    assert.match(r.problems.join('\n'), new RegExp(`evidence \\d+ \\(.*${basename(victim).replace(/\./g, '\\.')}\\): the file at .* hashes to [0-9a-f]{64}, not [0-9a-f]{64} as acquired`));
    assert.equal(r.integrity!.files.find((f) => f.ref.endsWith(basename(victim)))!.status, 'unchecked');
  });

  test('a case whose evidence folder moved is incomplete; with --evidence it verifies', async () => {
    const { casePath, root } = await privateCase('moved');
    const moved = join(tmp, 'moved', 'elsewhere');
    renameSync(root, moved);
    const without = await run(['--case', casePath, '--keys', keysPath]);
    assert.equal(without.code, EXIT.incomplete, without.out);
    assert.match(without.out, /NOT CHECKED {2}evidence \d+ .*: not re-hashed, no copy found/);
    const withDir = await run(['--case', casePath, '--keys', keysPath, '--evidence', moved]);
    assert.equal(withDir.code, EXIT.verified, withDir.out);
  });

  test('an evidence row edited through raw SQL no longer matches its import in the custody log', async () => {
    const { casePath } = freshCase('edited-evidence');
    tamper(casePath, `DROP TRIGGER evidence_frozen; UPDATE evidence SET sha256 = '${'0'.repeat(64)}' WHERE id = 1;`);
    const r = await verifyCase(casePath, { keysPath });
    assert.equal(r.verdict, 'failed');
    assert.match(r.problems.join('\n'), /custody: evidence 1 .* has SHA-256 0{64}, its import was logged with [0-9a-f]{64}/);
  });

  test('the service validates the case and records the run; verify then accounts for it in custody', async () => {
    const { casePath } = freshCase('service');
    const service = new CaseService({ examiner: 'svc examiner' });
    try {
      await service.invoke('case:open', { path: casePath });
      assert.equal(await service.invoke('integrity:results', {}), null);
      const run = await service.invoke('integrity:validate', { keysPath });
      assert.equal(run.verdict, 'verified', [...run.problems, ...run.limits].join('\n'));
      assert.equal(run.examiner, 'svc examiner');
      assert.equal(run.summary.files.valid, 11);
      assert.ok(run.coverage.length > 0 && run.coverage.every((h) => h.status === 'validated' || h.status === 'no-digest'));
      assert.deepEqual(await service.invoke('integrity:results', {}), run);
      assert.deepEqual(await service.invoke('integrity:results', { runId: run.id }), run);
    } finally {
      service.close();
    }
    const after = await verifyCase(casePath, { keysPath });
    assert.equal(after.verdict, 'verified', after.problems.join('\n'));
    tamper(casePath, `DROP TRIGGER custody_no_delete; DELETE FROM custody WHERE action = 'integrity-validate';`);
    assert.match((await verifyCase(casePath, { keysPath })).problems.join('\n'), /integrity validation run 1 is not in the custody log/);
  });

  test('`trailmark verify` is in the command table', async () => {
    const { casePath } = freshCase('cli');
    let out = '';
    const code = await cli(['verify', '--case', casePath, '--keys', keysPath], { out: (s) => (out += s), err: (s) => (out += s), isTTY: false });
    assert.equal(code, EXIT.verified, out);
    assert.match(out, /VERDICT: VERIFIED/);
    let help = '';
    await cli(['help'], { out: (s) => (help += s), err: () => undefined, isTTY: false });
    assert.match(help, /verify +check a case against its evidence/);
  });

  test('usage errors and a missing case exit 2 with a message', async () => {
    assert.equal((await run([])).code, EXIT.usage);
    assert.match((await run(['--case'])).err, /usage: trailmark verify --case/);
    const missing = await run(['--case', join(tmp, 'no-such.sqlite')]);
    assert.equal(missing.code, EXIT.usage);
    assert.match(missing.err, /trailmark verify: /);
  });
});
