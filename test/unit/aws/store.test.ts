import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { arrayDocument, openRun, type RunState } from '../../../main/aws/store';

interface S extends RunState { token: string | null }
interface P { file: string; n: number }

describe('pull runs and checkpoints', () => {
  it('continues an unfinished run with the same parameters; a finished one is not reused', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trailmark-runs-'));
    const fresh = () => ({ complete: false, startedAt: new Date().toISOString(), token: null });
    const a = await openRun<S, P>(root, { q: 1, r: ['x'] }, fresh);
    assert.equal(a.resumed, false);
    a.state.token = 'T2';
    await a.addPage({ file: 'page-00001.json', n: 1 });
    await a.save();
    const b = await openRun<S, P>(root, { r: ['x'], q: 1 }, fresh);
    assert.equal(b.resumed, true, 'parameters compare regardless of key order');
    assert.equal(b.dir, a.dir);
    assert.equal(b.state.token, 'T2');
    assert.deepEqual(b.pages, [{ file: 'page-00001.json', n: 1 }]);
    const other = await openRun<S, P>(root, { q: 2, r: ['x'] }, fresh);
    assert.notEqual(other.dir, a.dir);
    b.state.complete = true;
    await b.save();
    const c = await openRun<S, P>(root, { q: 1, r: ['x'] }, () => ({ ...fresh(), startedAt: '2099-01-01T00:00:00.000Z' }));
    assert.equal(c.resumed, false);
    assert.notEqual(c.dir, a.dir);
  });

  it('replays the page list whatever a crash left: a page fetched twice counts once, a cut last line is dropped', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trailmark-runs-'));
    const run = await openRun<S, P>(root, {}, () => ({ complete: false, startedAt: new Date().toISOString(), token: null }));
    await run.addPage({ file: 'page-00001.json', n: 1 });
    await run.addPage({ file: 'page-00002.json', n: 2 });
    await run.addPage({ file: 'page-00002.json', n: 3 });
    appendFileSync(join(run.dir, 'pages.jsonl'), '{"file":"page-0000');
    const again = await openRun<S, P>(root, {}, () => { throw new Error('must resume'); });
    assert.deepEqual(again.pages, [{ file: 'page-00001.json', n: 1 }, { file: 'page-00002.json', n: 3 }]);
    assert.equal(JSON.parse(readFileSync(join(run.dir, 'checkpoint.json'), 'utf8')).complete, false);
  });

  it('writes pages as the CLI shape, one record per line', () => {
    const text = arrayDocument('Events', [{ a: 1 }, { b: '2' }], { NextToken: undefined, QueryId: 'q' });
    assert.equal(text, '{"Events":[\n{"a":1},\n{"b":"2"}\n],\n"QueryId":"q"}\n');
    assert.deepEqual(JSON.parse(text), { Events: [{ a: 1 }, { b: '2' }], QueryId: 'q' });
  });
});
