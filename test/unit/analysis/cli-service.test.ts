// The analysis through its two doors: the CLI (summary, timeline --json, sample) and the service channels.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { main, type CliIo } from '../../../main/cli/index';
import { CaseService } from '../../../main/service';
import { BUCKET, CLOSED_AT, EXPOSED_AT } from '../../../main/sample/scenario';
import { tempDir } from '../../support/paths';

function capture(): CliIo & { text: () => string; errors: () => string } {
  let out = '';
  let err = '';
  return { out: (s) => { out += s; }, err: (s) => { err += s; }, isTTY: false, text: () => out, errors: () => err };
}

async function sampleCase(t: { after(fn: () => void): void }): Promise<string> {
  const dir = tempDir(t);
  const io = capture();
  assert.equal(await main(['sample', '--out', join(dir, 'evidence')], io), 0, io.errors());
  const casePath = join(dir, 'case.trailmark');
  const imp = capture();
  assert.equal(await main(['import', '--case', casePath, join(dir, 'evidence')], imp), 0, imp.errors());
  return casePath;
}

test('CLI: summary --json, timeline --json exposure and --backups-only, summary text states its zone', async (t) => {
  const casePath = await sampleCase(t);
  const io = capture();
  assert.equal(await main(['summary', '--case', casePath, '--json'], io), 0, io.errors());
  const s = JSON.parse(io.text());
  assert.deepEqual(Object.keys(s).slice(0, 5), ['timeZone', 'actors', 'objects', 'exposure', 'coverage']);
  assert.equal(s.exposure[0].fromMs, EXPOSED_AT);
  const tl = capture();
  assert.equal(await main(['timeline', '--case', casePath, '--json', '--backups-only'], tl), 0, tl.errors());
  const timeline = JSON.parse(tl.text());
  assert.deepEqual([timeline.exposure.length, timeline.exposure[0].bucket, timeline.exposure[0].to], [1, BUCKET, new Date(CLOSED_AT).toISOString()]);
  const all = capture();
  assert.equal(await main(['timeline', '--case', casePath, '--json'], all), 0);
  const keys = (x: { downloads: { key: string }[] }) => x.downloads.map((d) => d.key);
  assert.ok(keys(JSON.parse(all.text())).includes('index.html'));
  assert.deepEqual(keys(timeline).filter((k: string) => /README|index\.html/.test(k)), []);
  assert.equal(keys(timeline).length, keys(JSON.parse(all.text())).length - 2);
  const text = capture();
  assert.equal(await main(['summary', '--case', casePath, '--tz', 'Asia/Tokyo'], text), 0, text.errors());
  assert.match(text.text(), /Times in Asia\/Tokyo\./);
  assert.match(text.text(), /2024-03-05 23:03:11 \+09:00 Asia\/Tokyo/);
  const bad = capture();
  assert.equal(await main(['summary', '--case', casePath, '--tz', 'Mars/Olympus'], bad), 2);
  assert.match(bad.errors(), /not a time zone/);
  const again = capture();
  assert.equal(await main(['sample', '--out', join(casePath, '..', 'evidence')], again), 2, 'refuses a non-empty folder');
});

test('service: analysis channels answer on an open case; backups-only timeline pages; patterns round-trip', async (t) => {
  const casePath = await sampleCase(t);
  const service = new CaseService();
  t.after(() => service.close());
  await service.invoke('case:open', { path: casePath });
  const summary = await service.invoke('analysis:summary', { timeZone: 'Europe/Paris' });
  assert.equal(summary.timeZone, 'Europe/Paris');
  assert.equal(summary.backups[0].listedBackups, 13);
  const actors = await service.invoke('analysis:actors', { limit: 2 });
  assert.equal(actors.length, 2);
  const hist = await service.invoke('analysis:histogram', { filter: { actor: 'anonymous' }, bins: 10 });
  assert.ok(hist.bins.reduce((a, b) => a + b.downloads, 0) >= 13);
  const page = await service.invoke('timeline:page', { filter: { backupsOnly: true }, limit: 100 });
  assert.ok(page.rows.length > 0 && page.rows.every((r) => !/README|index\.html/.test(r.key)));
  await service.invoke('analysis:set-patterns', { extensions: ['.html'], globs: [] });
  const html = await service.invoke('timeline:page', { filter: { backupsOnly: true }, limit: 100 });
  assert.deepEqual(html.rows.map((r) => r.key), ['index.html']);
  assert.deepEqual((await service.invoke('analysis:patterns', {})).extensions, ['.html']);
  await assert.rejects(service.invoke('analysis:summary', { timeZone: 'Nowhere/Else' }), /unknown time zone/);
});
