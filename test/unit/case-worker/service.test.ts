// The service as a client of the case worker: requests and their errors, progress, cancel, a note
// added while an import runs, and a worker that dies in the middle of an import.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { ImportProgress } from '../../../shared/api';
import { CaseService } from '../../../main/service';
import type { ReadableDB } from '../../../main/case/db';
import { analysisStaleness } from '../../../main/case/freshness';
import { writeAccessLogs } from '../../bench/generate';
import { tempDir } from '../../support/paths';

/** Resolves with the first progress message `pick` accepts. */
function progressWhere(service: CaseService, pick: (p: ImportProgress) => boolean): Promise<ImportProgress> {
  return new Promise((resolve) => {
    const off = service.onProgress((p) => { if (pick(p)) { off(); resolve(p); } });
  });
}
const finished = (service: CaseService, jobId?: string) =>
  progressWhere(service, (p) => (jobId === undefined || p.jobId === jobId) && (p.summary !== undefined || p.phase === 'failed'));

function withService(t: { after(fn: () => unknown): void }): CaseService {
  const service = new CaseService({ examiner: 'unit' });
  t.after(() => service.close());
  return service;
}

/**
 * A new case with an import of generated access-log lines (in `folder`) running, returned once the progress `reached`
 * accepts has arrived. `done` is the job's final progress; `ended()` says whether it has come yet
 * (watched from the start, so an end before the caller looks is not missed).
 */
async function importUnderway(t: { after(fn: () => unknown): void }, service: CaseService, lines: number, perFile: number, reached: (p: ImportProgress) => boolean) {
  const dir = tempDir(t);
  const casePath = join(dir, 'case.sqlite');
  await service.invoke('case:create', { path: casePath });
  const folder = join(dir, 'in');
  writeAccessLogs(folder, lines, perFile);
  const arrived = progressWhere(service, reached);
  const { jobId } = await service.invoke('import:start', { paths: [folder] });
  let ended = false;
  const done = finished(service, jobId).then((p) => { ended = true; return p; });
  await arrived;
  return { casePath, folder, jobId, done, ended: () => ended };
}

const readOnly = (path: string) => new Database(path, { readonly: true });

test('requests are answered by the worker; its errors come back as errors; progress and the summary arrive', async (t) => {
  const dir = tempDir(t);
  const service = withService(t);
  assert.equal(await service.invoke('case:info', {}), null);
  await assert.rejects(service.invoke('evidence:list', {}), /no case is open/);
  const info = await service.invoke('case:create', { path: join(dir, 'case.sqlite'), name: 'worker' });
  assert.equal(info.name, 'worker');
  writeAccessLogs(join(dir, 'in'), 3_000, 1_000);
  const seen: ImportProgress[] = [];
  service.onProgress((p) => seen.push(p));
  const done = finished(service);
  const { jobId } = await service.invoke('import:start', { paths: [join(dir, 'in')] });
  const last = await done;
  assert.equal(last.jobId, jobId);
  assert.equal(last.phase, 'done');
  assert.deepEqual(last.summary!.files.map((f) => f.status), ['imported', 'imported', 'imported']);
  assert.equal(last.summary!.events, 3_000);
  assert.ok(seen.some((p) => p.phase === 'importing'), 'progress while importing');
  assert.equal((await service.invoke('case:info', {}))!.events, 3_000);
});

test('cancel reaches the running import: the current file is undone, nothing is left importing', async (t) => {
  const service = withService(t);
  const { casePath, jobId, done } = await importUnderway(t, service, 200_000, 20_000, (p) => p.phase === 'importing' && p.events > 0);
  assert.deepEqual(await service.invoke('import:cancel', { jobId }), { cancelled: true });
  const last = await done;
  assert.equal(last.phase, 'cancelled');
  const kept = last.summary!.files.filter((f) => f.status === 'imported');
  assert.ok(kept.length < 10, `cancelled before the end (${kept.length} files kept)`);
  const db = readOnly(casePath);
  t.after(() => db.close());
  assert.equal(db.prepare(`SELECT count(*) FROM evidence WHERE status != 'complete'`).pluck().get(), 0);
  assert.equal(db.prepare('SELECT count(*) FROM events').pluck().get(), kept.reduce((n, f) => n + f.events, 0));
});

test('closing the service mid-import lets the case worker end by itself (exit code 0), never stopped from outside', async (t) => {
  const service = withService(t);
  await importUnderway(t, service, 100_000, 20_000, (p) => p.phase === 'importing' && p.events > 0);
  // A terminated thread exits with 1: a terminate landing in zlib's set-up aborts the process on Node 20.
  const worker = (service as unknown as { worker: Worker }).worker;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  await service.close();
  assert.equal(await exited, 0);
});

test('a note added while an import runs is committed at once and visible to another connection, before the import ends', async (t) => {
  const service = withService(t);
  const { casePath, done, ended } = await importUnderway(t, service, 200_000, 20_000, (p) => p.phase === 'importing' && p.events > 0);
  const note = await service.invoke('notes:add', { target: { type: 'actor', id: 'anonymous' }, text: 'added during the import' });
  // Read from a connection of its own, as any other process would: the note is on disk, not in an open transaction.
  const db = readOnly(casePath);
  t.after(() => db.close());
  const stored = db.prepare('SELECT text FROM notes WHERE id = ?').pluck().get(note.id);
  const eventsThen = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  assert.equal(ended(), false, 'the import was still running when the note was read back');
  assert.equal(stored, 'added during the import');
  assert.ok(eventsThen < 200_000, 'read back before the import had written everything');
  const last = await done;
  assert.equal(last.phase, 'done');
  assert.equal(last.summary!.events, 200_000);
  assert.deepEqual((await service.invoke('notes:list', {})).map((n) => n.text), ['added during the import']);
});

test('a note added while the import updates the analysis lands between its slices, before the summaries are current', async (t) => {
  const service = withService(t);
  const { casePath, done, ended } = await importUnderway(t, service, 100_000, 50_000, (p) => p.message === 'updating the analysis');
  const note = await service.invoke('notes:add', { target: { type: 'actor', id: 'anonymous' }, text: 'added while the analysis updates' });
  const db = readOnly(casePath);
  t.after(() => db.close());
  assert.equal(db.prepare('SELECT text FROM notes WHERE id = ?').pluck().get(note.id), 'added while the analysis updates');
  // Committed between two slices of the fold: the summaries do not yet cover every download, and say so.
  assert.match(analysisStaleness(db as unknown as ReadableDB) ?? '', /summaries do not include/);
  assert.equal(ended(), false, 'the import was still running when the note was read back');
  const last = await done;
  assert.equal(last.phase, 'done');
  assert.equal(analysisStaleness(db as unknown as ReadableDB), null, 'current once the import is done');
});

test('a worker that dies in the middle of an import: the import is reported failed, the case is as before the interrupted file, the service works on', async (t) => {
  const service = withService(t);
  const { casePath, folder, done: failed } = await importUnderway(t, service, 200_000, 20_000, (p) => p.phase === 'importing' && p.filesDone >= 2 && p.events > p.filesDone * 20_000);
  await service.stopWorkerAbruptly();
  const last = await failed;
  assert.equal(last.phase, 'failed');
  assert.match(last.message!, /case worker stopped/);

  // The next request starts a new worker on the same case, whose opening undoes the interrupted file.
  const evidence = await service.invoke('evidence:list', {});
  assert.ok(evidence.length >= 2, `the files finished before the crash are kept (${evidence.length})`);
  assert.ok(evidence.every((e) => e.status === 'complete' && e.events === 20_000));
  const info = (await service.invoke('case:info', {}))!;
  assert.equal(info.events, evidence.length * 20_000, 'no event of the interrupted file is left');
  const db = readOnly(casePath);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
  db.close();

  // Usable: the same folder imported again completes the case.
  const again = finished(service);
  await service.invoke('import:start', { paths: [folder] });
  const summary = (await again).summary!;
  assert.equal(summary.files.filter((f) => f.status === 'already-in-case').length, evidence.length);
  assert.equal((await service.invoke('case:info', {}))!.events, 200_000);
});

test('report:render with a path: the worker builds the HTML, the host prints it and the worker records it', async (t) => {
  const dir = tempDir(t);
  const printed: { path: string; html: string }[] = [];
  const service = new CaseService({ examiner: 'unit', printPdf: async (html, path) => { printed.push({ path, html }); writeFileSync(path, 'pdf'); } });
  t.after(() => service.close());
  await service.invoke('case:create', { path: join(dir, 'case.sqlite') });
  const out = join(dir, 'report.pdf');
  const r = await service.invoke('report:render', { path: out });
  assert.equal(printed.length, 1);
  assert.equal(printed[0].path, out);
  assert.match(printed[0].html, /<html/i);
  assert.equal(r.sha256, createHash('sha256').update('pdf').digest('hex'));
  const custody = await service.invoke('custody:list', {});
  assert.ok(custody.some((c) => c.action === 'report' && c.details.includes(r.sha256!)));
});

test('the evidence list and the custody log come in keyset pages; the report prints a manifest summary and writes the full list beside the PDF', async (t) => {
  const dir = tempDir(t);
  let printedHtml = '';
  const service = new CaseService({ examiner: 'unit', printPdf: async (html, path) => { printedHtml = html; writeFileSync(path, 'pdf'); } });
  t.after(() => service.close());
  await service.invoke('case:create', { path: join(dir, 'case.sqlite') });
  writeAccessLogs(join(dir, 'in'), 60 * 20, 20); // 60 files
  const done = finished(service);
  await service.invoke('import:start', { paths: [join(dir, 'in')] });
  await done;

  const all = await service.invoke('evidence:list', {});
  assert.equal(all.length, 60);
  const paged: number[] = [];
  for (let after = 0; ;) {
    const page = await service.invoke('evidence:list', { afterId: after, limit: 25 });
    assert.ok(page.length <= 25);
    paged.push(...page.map((e) => e.id));
    if (page.length < 25) break;
    after = page[page.length - 1].id;
  }
  assert.deepEqual(paged, all.map((e) => e.id));
  assert.deepEqual(await service.invoke('evidence:list', { format: 'cloudtrail-digest', limit: 1 }), []);
  const custody = await service.invoke('custody:list', {});
  const second = await service.invoke('custody:list', { afterSeq: custody[9].seq, limit: 10 });
  assert.deepEqual(second.map((c) => c.seq), custody.slice(10, 20).map((c) => c.seq));

  const out = join(dir, 'board.pdf');
  const r = await service.invoke('report:render', { path: out });
  const csv = readFileSync(join(dir, 'board-manifest.csv'), 'utf8');
  const digest = createHash('sha256').update(csv).digest('hex');
  assert.equal(csv.trim().split('\r\n').length, 61, 'a header and every file');
  assert.match(printedHtml, new RegExp(`60 evidence files .*SHA-256 is <span class="mono nowrap">${digest}</span>`, 's'));
  assert.match(printedHtml, /of which the first 50 files are listed below/);
  const entry = (await service.invoke('custody:list', {})).at(-1)!;
  assert.equal(entry.action, 'report');
  assert.equal(JSON.parse(entry.details).manifest.sha256, digest);
  assert.ok(r.sha256);
});
