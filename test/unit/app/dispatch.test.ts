// The one road from a renderer request to the case service, with the real CaseService on a real
// case file: unknown channels and malformed requests stop before the service; the shell's channels
// ask the dialogs, open or create the case, remember it, and import.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CaseInfo, ImportProgress } from '../../../shared/api';
import type { UpgradeChoice } from '../../../main/app/confirmations';
import { createDispatch, type Dialogs } from '../../../main/app/dispatch';
import { recentStore } from '../../../main/app/recent';
import { schemaVersionOf, SCHEMA_VERSION } from '../../../main/case/db';
import { CaseService } from '../../../main/service';
import { writeEarlierCase } from '../../support/earlier-case';

const FIXTURE = join(__dirname, '../../../../test/fixtures/app/leak-evidence');

let dir: string;
let service: CaseService;
const answers: (string[] | null)[] = [];
const asked: string[] = [];
const confirmAnswers: boolean[] = [];
const upgradeAnswers: UpgradeChoice[] = [];
const dialogs: Dialogs = {
  chooseNewCasePath: async (name) => (asked.push(`new ${name}`), answers.shift()?.[0] ?? null),
  chooseCasePath: async () => (asked.push('open'), answers.shift()?.[0] ?? null),
  chooseImportPaths: async (kind) => (asked.push(`import ${kind}`), answers.shift() ?? null),
  chooseExportPath: async (name) => (asked.push(`export ${name}`), answers.shift()?.[0] ?? null),
  chooseKeysFile: async () => (asked.push('keys'), answers.shift()?.[0] ?? null),
  confirm: async (q) => (asked.push(`confirm ${q.title}\n${q.lines.join('\n')}`), confirmAnswers.shift() ?? false),
  askUpgrade: async (q) => (asked.push(`upgrade ${q.title}\n${q.lines.join('\n')}`), upgradeAnswers.shift() ?? null),
  chooseUpgradeCopyPath: async (suggested) => (asked.push(`copy ${suggested}`), answers.shift()?.[0] ?? null),
};
let dispatch: ReturnType<typeof createDispatch>;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailmark-dispatch-'));
  service = new CaseService({ examiner: 'unit' });
  dispatch = createDispatch(service, {
    dialogs,
    recent: recentStore(join(dir, 'recent.json')),
    sample: { root: join(dir, 'samples'), generate: () => { throw new Error('not used here'); } },
  });
});
after(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

test('unknown channels and malformed requests are refused before the service', async () => {
  assert.deepEqual(await dispatch('fs:read', {}), { ok: false, error: 'unknown channel "fs:read"' });
  assert.deepEqual(await dispatch('__proto__', {}), { ok: false, error: 'unknown channel "__proto__"' });
  assert.deepEqual(await dispatch(42, {}), { ok: false, error: 'unknown channel "42"' });
  const bad = await dispatch('timeline:page', { filter: {}, limit: 5000 });
  assert.equal(bad.ok, false);
  assert.match((bad as { error: string }).error, /^invalid request for timeline:page: limit: /);
  const extra = await dispatch('app:open-case', { recentId: '0123456789abcdef', evil: true });
  assert.match((extra as { error: string }).error, /^invalid request for app:open-case: /);
  // The service's path-taking operations are main's own: unknown to the page's road.
  for (const c of ['case:open', 'case:create', 'import:start', 'integrity:validate', 'aws:pull', 'report:render', 'export:timeline']) {
    assert.deepEqual(await dispatch(c, { path: join(dir, 'x.trailmark') }), { ok: false, error: `unknown channel "${c}"` });
  }
  const noCase = await dispatch('evidence:list', {});
  assert.deepEqual(noCase, { ok: false, error: 'no case is open' });
});

test('a cancelled dialog changes nothing', async () => {
  answers.push(null);
  assert.deepEqual(await dispatch('app:new-case', {}), { ok: true, value: null });
  assert.equal(asked.at(-1), 'new case.trailmark');
  // A case name only suggests a file name in the dialog; it cannot aim the dialog at another folder.
  answers.push(null);
  assert.deepEqual(await dispatch('app:new-case', { name: '../../.config/autostart/x' }), { ok: true, value: null });
  assert.equal(asked.at(-1), 'new config-autostart-x.trailmark');
  assert.deepEqual(await dispatch('case:info', {}), { ok: true, value: null });
});

test('new case, import through the dialogs, recent list, reopen', async () => {
  const path = join(dir, 'leak.trailmark');
  answers.push([path]);
  const created = await dispatch('app:new-case', { name: 'Leak' });
  assert.equal(created.ok, true);
  assert.equal((created as { value: CaseInfo }).value.name, 'Leak');
  assert.equal(asked.at(-1), 'new Leak.trailmark');

  const finished = new Promise<ImportProgress>((ok) => service.onProgress((p) => p.phase === 'done' && p.summary && ok(p)));
  answers.push([FIXTURE]);
  const started = await dispatch('app:import', { kind: 'folders' });
  assert.equal(started.ok, true);
  assert.equal(asked.at(-1), 'import folders');
  const p = await finished;
  assert.equal(p.filesTotal, 6);
  const info = (await dispatch('case:info', {})) as { value: CaseInfo };
  assert.equal(info.value.downloads, 10);

  const recent = (await dispatch('app:recent', {})) as { value: { id: string; path: string; name: string }[] };
  assert.deepEqual(recent.value.map((r) => [r.path, r.name]), [[path, 'Leak']]);

  const reopened = (await dispatch('app:open-case', { recentId: recent.value[0].id })) as { value: CaseInfo };
  assert.equal(reopened.value.downloads, 10);
  // An id main never listed opens nothing, and a path is not an id.
  const missing = await dispatch('app:open-case', { recentId: 'ffffffffffffffff' });
  assert.deepEqual(missing, { ok: false, error: 'that case is no longer in the recent list (moved or deleted?); open it with Open case…' });
  const byPath = await dispatch('app:open-case', { recentId: path });
  assert.match((byPath as { error: string }).error, /^invalid request for app:open-case: recentId: a recent case id/);
});

test('dropped files are imported only once the user confirms them in main', async () => {
  const before = ((await dispatch('case:info', {})) as { value: CaseInfo }).value;
  const other = join(dir, 'elsewhere');
  confirmAnswers.push(false);
  assert.deepEqual(await dispatch('app:import-dropped', { paths: [other, FIXTURE] }), { ok: true, value: null });
  assert.equal(asked.at(-1), `confirm Import these 2 items into “Leak”?\n${other}\n${FIXTURE}`);
  const after = ((await dispatch('evidence:list', {})) as { value: unknown[] }).value;
  assert.equal(after.length, before.evidence);
  // On yes, the import runs (the fixture is already in the case: nothing new, nothing lost).
  const finished = new Promise<ImportProgress>((ok) => service.onProgress((p) => p.phase === 'done' && p.summary && ok(p)));
  confirmAnswers.push(true);
  const started = (await dispatch('app:import-dropped', { paths: [FIXTURE] })) as { ok: boolean; value: { jobId: string } };
  assert.equal(started.ok, true);
  const p = await finished;
  assert.equal(p.jobId, started.value.jobId);
  assert.ok(p.summary!.files.every((f) => f.status === 'already-in-case'));
});

test('notes go through the same road, validated', async () => {
  const added = await dispatch('notes:add', { target: { type: 'actor', id: 'anonymous@203.0.113.50' }, text: 'took three dumps' });
  assert.equal(added.ok, true);
  const refused = await dispatch('notes:add', { target: { type: 'actor', id: 'x' }, text: '' });
  assert.equal(refused.ok, false);
  const listed = (await dispatch('notes:list', { target: { type: 'actor', id: 'anonymous@203.0.113.50' } })) as { value: { text: string; examiner: string }[] };
  assert.deepEqual(listed.value.map((n) => [n.text, n.examiner]), [['took three dumps', 'unit']]);
});

test('log validation asks for the public keys first; a cancelled dialog validates nothing', async () => {
  answers.push(null);
  assert.deepEqual(await dispatch('app:validate-integrity', {}), { ok: true, value: null });
  assert.equal(asked.at(-1), 'keys');
  const keys = join(dir, 'keys.json');
  writeFileSync(keys, JSON.stringify({ PublicKeyList: [] }));
  answers.push([keys]);
  const run = (await dispatch('app:validate-integrity', {})) as { ok: boolean; value: { verdict: string } };
  assert.equal(run.ok, true);
  assert.ok(['verified', 'failed', 'incomplete'].includes(run.value.verdict));
  const custody = (await dispatch('custody:list', {})) as { value: { action: string }[] };
  assert.equal(custody.value.filter((c) => c.action === 'integrity-validate').length, 1);
});

test('a case of an earlier schema opens only after the user chooses how to upgrade it: Cancel, a copy, in place', async () => {
  const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
  const open = ((await dispatch('case:info', {})) as { value: CaseInfo }).value;
  const old = join(dir, 'delivered.trailmark');
  writeEarlierCase(old, 'Delivered', 13);
  const before = sha(old);

  // Cancel: nothing opened, nothing written, the case open before stays open, and it is not remembered.
  answers.push([old]);
  upgradeAnswers.push(null);
  assert.deepEqual(await dispatch('app:open-case', {}), { ok: true, value: null });
  const question = asked.at(-1)!;
  assert.match(question, /^upgrade Upgrade “Delivered” to open it\?\n/);
  assert.ok(question.includes(`\n${old}\n`));
  assert.ok(question.includes(`case schema 13; this version works on schema ${SCHEMA_VERSION}`));
  assert.match(question, /\nChanges: 014 [^\n]+\.\n/);
  assert.match(question, /\nUpgrade a copy…: you choose a new file; the copy is upgraded and opened, and this file is only read — left exactly as it is\.\n/);
  assert.equal(sha(old), before);
  assert.equal(((await dispatch('case:info', {})) as { value: CaseInfo }).value.path, open.path);
  const recent = () => ((dispatch('app:recent', {})) as Promise<{ value: { path: string }[] }>).then((r) => r.value.map((x) => x.path));
  assert.ok(!(await recent()).includes(old));

  // A copy whose save dialog is cancelled: nothing either.
  answers.push([old], null);
  upgradeAnswers.push('copy');
  assert.deepEqual(await dispatch('app:open-case', {}), { ok: true, value: null });
  assert.equal(asked.at(-1), `copy ${join(dir, 'delivered-upgraded.trailmark')}`);
  assert.equal(sha(old), before);

  // A copy: opened and remembered; the original is byte for byte as delivered.
  const copy = join(dir, 'working-copy.trailmark');
  answers.push([old], [copy]);
  upgradeAnswers.push('copy');
  const copied = (await dispatch('app:open-case', {})) as { ok: boolean; value: CaseInfo };
  assert.equal(copied.value.path, copy);
  assert.equal(copied.value.name, 'Delivered');
  assert.equal(sha(old), before);
  assert.equal(schemaVersionOf(copy), SCHEMA_VERSION);
  assert.deepEqual((await recent()).slice(0, 1), [copy]);

  // In place: the file itself is upgraded.
  answers.push([old]);
  upgradeAnswers.push('in-place');
  const inPlace = (await dispatch('app:open-case', {})) as { ok: boolean; value: CaseInfo };
  assert.equal(inPlace.value.path, old);
  assert.equal(schemaVersionOf(old), SCHEMA_VERSION);
});
