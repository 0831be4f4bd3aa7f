import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParseWorker } from '../../../main/import/parse-thread-client';
import { rowNumber } from '../../../main/ingest/rows';
import { tempDir } from '../../support/paths';
import { writeAccessLogs } from '../../bench/generate';

test('the parse worker hands over every batch in order within its credits, and a file dropped while it waits for credits frees it for the next', { timeout: 60_000 }, async (t) => {
  const dir = tempDir(t);
  writeAccessLogs(dir, 30_000, 10_000); // three files of five 2,000-line batches each, more than a window
  const files = readdirSync(dir).sort().map((f) => join(dir, f));
  const parser = new ParseWorker();
  t.after(() => parser.close());
  const jobs = files.map((f) => parser.start(f));

  // The first file is dropped unread: its parser is stopped by then, waiting for credits.
  assert.equal((await jobs[0].identified()).kind, 'evidence');
  await new Promise((r) => setTimeout(r, 200));
  jobs[0].cancel();

  for (const job of jobs.slice(1)) {
    assert.equal((await job.identified()).kind, 'evidence');
    const locators: number[] = [];
    for await (const b of job.batches()) {
      assert.ok(!('events' in b), 'batches cross as rows, not objects');
      for (let i = 0; i < b.rows.count; i++) locators.push(rowNumber(b.rows, i, 'locator'));
    }
    assert.deepEqual(locators, Array.from({ length: 10_000 }, (_, i) => i + 1));
  }
});
