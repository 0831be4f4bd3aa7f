import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { recentId, recentStore } from '../../../main/app/recent';

test('recent cases: newest first, no duplicates, at most ten, vanished files left out, damaged list tolerated', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trailmark-recent-'));
  try {
    const file = join(dir, 'profile', 'recent.json');
    let t = Date.parse('2026-01-01T00:00:00Z');
    const store = recentStore(file, () => new Date((t += 1000)));
    const cases = Array.from({ length: 12 }, (_, i) => join(dir, `c${i}.trailmark`));
    cases.forEach((p) => writeFileSync(p, ''));
    assert.deepEqual(store.list(), []);
    cases.forEach((p, i) => store.add(p, `case ${i}`));
    store.add(cases[5], 'case 5 again');
    const list = store.list();
    assert.equal(list.length, 10);
    assert.deepEqual(list[0], { id: recentId(cases[5]), path: cases[5], name: 'case 5 again', openedAt: '2026-01-01T00:00:13.000Z' });
    assert.equal(list.filter((r) => r.path === cases[5]).length, 1);
    assert.equal(list[1].path, cases[11]);
    // The page names a case by id; only a listed case's id resolves, to its file.
    assert.match(list[0].id, /^[0-9a-f]{16}$/);
    assert.equal(store.resolve(list[0].id), cases[5]);
    assert.equal(store.resolve(recentId(cases[0])), null); // pushed off the list
    assert.equal(store.resolve(recentId('/etc/passwd')), null);
    rmSync(cases[11]);
    assert.equal(store.resolve(recentId(cases[11])), null);
    assert.equal(store.list().some((r) => r.path === cases[11]), false);
    writeFileSync(file, '{not json');
    assert.deepEqual(store.list(), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
