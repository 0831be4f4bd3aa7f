import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { importPaths } from '../../../main/import/run-import';
import { lineEndsBefore, splitPoint } from '../../../main/import/line-split';
import { ParsePool } from '../../../main/import/parse-thread-client';
import { formatByName } from '../../../main/ingest/registry';
import type { LineFormat } from '../../../main/ingest/formats/types';
import { verifyCase } from '../../../main/integrity/verify-case';
import { tempDir } from '../../support/paths';
import { writeAccessLogs } from '../../bench/generate';

const all = (path: string, q: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(q).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

/** An access log of ~12 MB (streamed, not read whole) with bad lines, a long one and blank ones on both sides of its middle. */
function accessLog(dir: string): { path: string; bad: number[] } {
  writeAccessLogs(join(dir, 'gen'), 24_000, 24_000);
  const lines = readFileSync(join(dir, 'gen', readdirSync(join(dir, 'gen'))[0]), 'utf8').split('\n');
  const bad = [3, 11_999, 12_000, 12_001, 12_002, 20_000, 23_999];
  for (const n of bad) lines[n - 1] = n === 12_001 ? 'x'.repeat(70_000) : `not an access-log line ${n}`;
  lines[5_000] = '';
  lines[17_000] = '  ';
  const path = join(dir, 'in', 'access.log');
  mkdirSync(join(dir, 'in'));
  writeFileSync(path, lines.join('\r\n')); // CRLF line ends: the cut is after the LF, and the CR stays with its line
  return { path, bad };
}

test('a large access log parsed by two threads, cut at a line start, gives the case one thread gives: events, ids, locators, rejects with their lines, row digests', { timeout: 180_000 }, async (t) => {
  const dir = tempDir(t);
  const { path, bad } = accessLog(dir);
  const size = statSync(path).size;
  assert.ok(size > 9 * 1024 * 1024, `${size} bytes: larger than a file read whole`);
  const cut = await splitPoint(path, size, formatByName('s3-access-log') as LineFormat);
  assert.ok(cut !== null && cut > size / 2 && cut < size / 2 + 80_000, `cut at ${cut} of ${size}`);
  assert.equal(readFileSync(path).subarray(cut - 1, cut).toString(), '\n', 'just after a line end');
  assert.ok(lineEndsBefore(path, cut) > 11_000 && lineEndsBefore(path, cut) < 13_000);

  const cases: string[] = [];
  for (const splitBytes of [Infinity, 9 * 1024 * 1024]) {
    const casePath = join(dir, `case-${splitBytes}.sqlite`);
    const s = await importPaths(casePath, [join(dir, 'in')], { makeParser: () => new ParsePool(splitBytes) });
    assert.equal(s.files[0].status, 'imported');
    assert.equal(s.events, 24_000 - bad.length - 2);
    assert.equal(s.rejected, bad.length);
    cases.push(casePath);
  }
  const [one, two] = cases;
  const rejects = all(two, 'SELECT id, evidence_id, locator, reason, text FROM rejects ORDER BY id');
  assert.deepEqual(rejects.map((r) => r.locator), bad, 'each reject keeps its line number on both sides of the cut');
  assert.match(String(rejects[3].reason), /^line 12001 is longer than/);
  assert.deepEqual(rejects, all(one, 'SELECT id, evidence_id, locator, reason, text FROM rejects ORDER BY id'));
  // The raw blocks are cut where the batches are, which differs at the cut (and shows the file was cut);
  // every other column is the same.
  const blocks = (p: string) => all(p, 'SELECT raw_block, raw_at FROM events ORDER BY id');
  assert.notDeepEqual(blocks(two), blocks(one), 'the second half was parsed apart');
  const events = (p: string) => all(p, 'SELECT * FROM events ORDER BY id').map(({ raw_block: _b, raw_at: _a, ...e }) => e);
  const a = events(one);
  assert.equal(a.length, s3Count(one));
  assert.deepEqual(events(two), a);
  assert.deepEqual(all(two, 'SELECT id, records, events, rejected, rows_digest FROM evidence'), all(one, 'SELECT id, records, events, rejected, rows_digest FROM evidence'));
  const v = await verifyCase(two);
  assert.equal(v.verdict, 'verified', JSON.stringify(v.problems));
});

const s3Count = (p: string) => Number(all(p, 'SELECT count(*) n FROM events')[0].n);

test('cancelling while both threads parse a cut file undoes it, and both threads end themselves', { timeout: 120_000 }, async (t) => {
  const dir = tempDir(t);
  const { path } = accessLog(dir);
  // 2,000-line batches: the first half is six of them, so 4 and 9 cancel on either side of the cut.
  for (const after of [1, 4, 9]) {
    const abort = new AbortController();
    const casePath = join(dir, `case-${after}.sqlite`);
    const pool = new ParsePool(9 * 1024 * 1024);
    let taken = 0;
    const took = () => { if (++taken === after) abort.abort(); };
    const s = await importPaths(casePath, [path], {
      signal: abort.signal,
      makeParser: () => ({
        close: () => pool.close(),
        start: (p, size) => {
          const job = pool.start(p, size);
          return {
            identified: () => job.identified(),
            cancel: () => job.cancel(),
            takeReady: () => { const b = job.takeReady!(); if (b) took(); return b; },
            batches: async function* (signal) { for await (const b of job.batches(signal)) { took(); yield b; } },
          };
        },
      }),
    });
    assert.equal(s.files[0].status, 'cancelled', `cancelled after ${after} batches`);
    assert.deepEqual(all(casePath, 'SELECT count(*) n FROM events'), [{ n: 0 }]);
    assert.deepEqual(all(casePath, 'SELECT count(*) n FROM evidence'), [{ n: 0 }]);
    assert.deepEqual(pool.exitCodes, [0, 0]);
  }
});
