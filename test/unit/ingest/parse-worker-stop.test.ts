import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { importPaths } from '../../../main/import/run-import';
import { ParseWorker } from '../../../main/import/parse-thread-client';
import type { Parser } from '../../../main/import/parse-contract';
import { tempDir } from '../../support/paths';
import { writeAccessLogs, writeTrailFiles } from '../../bench/generate';

const rows = (path: string, q: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(q).all();
  } finally {
    db.close();
  }
};

/** The real parse worker, with the writer cancelling the import once it has taken `after` batches. */
function cancellingParser(after: number, abort: AbortController, workers: ParseWorker[]): Parser {
  const real = new ParseWorker();
  workers.push(real);
  let taken = 0;
  const took = () => { if (++taken === after) abort.abort(); };
  return {
    close: () => real.close(),
    start: (path) => {
      const job = real.start(path);
      return {
        identified: () => job.identified(),
        cancel: () => job.cancel(),
        takeReady: () => { const b = job.takeReady!(); if (b) took(); return b; },
        batches: async function* (signal) {
          for await (const b of job.batches(signal)) { took(); yield b; }
        },
      };
    },
  };
}

test('a cancelled import stops its parse thread by message, mid-gunzip, again and again: the thread ends itself and the cancel undoes the file being written', { timeout: 240_000 }, async (t) => {
  const dir = tempDir(t);
  // Trail files of 400 records (a batch each beside the parse), real gzip, inflated by the parse thread.
  writeTrailFiles(join(dir, 'in'), 8_000, 400);
  const workers: ParseWorker[] = [];
  for (let round = 0; round < 16; round++) {
    const abort = new AbortController();
    const casePath = join(dir, `case-${round}.sqlite`);
    const s = await importPaths(casePath, [join(dir, 'in')], { signal: abort.signal, makeParser: () => cancellingParser(1 + (round % 12), abort, workers) });
    const imported = s.files.filter((f) => f.status === 'imported');
    assert.ok(imported.length <= round % 12, `round ${round}: the import stopped at the cancel`);
    assert.ok(s.files.slice(imported.length).every((f) => f.status === 'cancelled'), `round ${round}: every file after the cancel is cancelled`);
    assert.deepEqual(rows(casePath, `SELECT status, count(*) n FROM evidence GROUP BY status`), imported.length ? [{ status: 'complete', n: imported.length }] : []);
    assert.deepEqual(rows(casePath, 'SELECT count(*) n FROM events'), [{ n: imported.reduce((n, f) => n + f.events, 0) }]);
    assert.equal(workers[round].exitCode, 0, `round ${round}: the parse thread ended itself (a terminated thread exits 1)`);
  }
});

test('a parse thread that does not end within the bound is reported, not stopped by force, and still ends itself', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  writeAccessLogs(join(dir, 'in'), 40_000, 40_000); // ~20 MB: streamed and hashed, not read whole
  const parser = new ParseWorker();
  parser.start(join(dir, 'in', readdirSync(join(dir, 'in'))[0]));
  await assert.rejects(parser.close(0), /^Error: the parse thread did not stop within 0 s of being asked to$/);
  assert.equal(parser.exitCode, null, 'still running: not terminated');
  await parser.close();
  assert.equal(parser.exitCode, 0);
});
