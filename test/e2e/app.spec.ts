// The investigator's day, end to end: open a case, import a folder, narrow the timeline to one
// actor, read a download's raw records, write a note, and see when the bucket was exposed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectAccessible } from './axe';
import { expect, FIXTURE_EVIDENCE, test } from './fixtures';
import { writeAccessLogs } from './make-logs';

// Page-side globals for the page.evaluate callbacks below: test/ compiles without the DOM library,
// and these callbacks run in the page, never here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any;

test.describe.configure({ mode: 'serial' });

const VERIFIER = 'arn:aws:iam::111122223333:user/backup-verifier';
const accessLog = (day: string) => {
  const dir = join(FIXTURE_EVIDENCE, 's3-access-logs');
  return readFileSync(join(dir, readdirSync(dir).find((f) => f.startsWith(day))!), 'utf8').split('\n');
};
let caseA = '';

test('the welcome screen offers new, open, recent and the sample case, which imports with progress', async ({ host, shot }) => {
  const { page } = host;
  await expect(page.getByRole('heading', { name: 'Trailmark' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New case…' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open case…' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Recent cases' })).toBeVisible();
  await shot('welcome');
  await expectAccessible(page, 'welcome');

  await page.getByRole('button', { name: 'Try the sample case' }).click();
  await expect(page.getByTestId('case-name')).toHaveText('Sample: public backup bucket');
  const bar = page.getByTestId('import-progress');
  await expect(bar).toContainText('Import finished');
  await bar.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('exposure-band').first()).toBeVisible();
  expect(await page.locator('[data-download-id]').count()).toBeGreaterThan(0);
  await expect(page.getByTestId('swimlanes').getByTestId('swimlane').first()).toBeVisible();
  await shot('sample-timeline');
});

test('a new case opens empty, times in UTC', async ({ host, workDir }) => {
  const { page } = host;
  caseA = join(workDir, 'acme-leak.trailmark');
  await host.chooseInDialog([caseA]);
  await page.getByRole('button', { name: 'New case…' }).click();
  await expect(page.getByTestId('case-name')).toHaveText('acme-leak');
  await expect(page.getByText('This case has no evidence yet.')).toBeVisible();
  await expect(page.getByTestId('time-zone')).toHaveValue('UTC');
});

test('importing a folder shows progress and fills the case', async ({ host }) => {
  const { page } = host;
  // Record every progress report the page receives, through the same window.trailmark the app uses.
  await page.evaluate(() => {
    const w = window as unknown as { __phases: string[]; trailmark: { onProgress(cb: (p: { phase: string }) => void): void } };
    w.__phases = [];
    w.trailmark.onProgress((p) => w.__phases.push(p.phase));
  });
  await host.chooseInDialog([FIXTURE_EVIDENCE]);
  await page.getByRole('button', { name: 'Import folders…' }).first().click();
  const bar = page.getByTestId('import-progress');
  await expect(bar).toContainText('Import finished');
  await expect(bar).toContainText('files 6 / 6');
  await expect(bar).toContainText('rejected lines 1');
  await expect(bar.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  const phases = await page.evaluate(() => (window as unknown as { __phases: string[] }).__phases);
  expect(phases.length).toBeGreaterThan(1);
  expect(phases.at(-1)).toBe('done');
  await expect(page.getByTestId('case-counts')).toContainText('10 downloads');
  await expect(page.getByTestId('case-counts')).toContainText('1 rejected lines');
  await bar.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.locator('[data-download-id]')).toHaveCount(10);
});

test('the timeline filters to one actor', async ({ host }) => {
  const { page } = host;
  await page.getByLabel('Actor', { exact: true }).fill(VERIFIER);
  await page.getByLabel('Actor', { exact: true }).press('Enter');
  const rows = page.locator('[data-download-id]');
  await expect(rows).toHaveCount(2);
  for (const row of await rows.all()) await expect(row).toContainText(VERIFIER);

  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(rows).toHaveCount(10);
  await page.getByLabel('Source IP', { exact: true }).fill('198.51.100.7');
  await page.getByLabel('Source IP', { exact: true }).press('Enter');
  await expect(rows).toHaveCount(5);
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(rows).toHaveCount(10);
});

test('selecting a download shows every field and its raw record verbatim, as text', async ({ host, shot }) => {
  const { page } = host;
  await page.locator('[data-download-id]', { hasText: 'backups/users-export.csv' }).click();
  const pane = page.getByTestId('detail-pane');
  const raw = accessLog('2025-03-14').find((l) => l.includes('users-export.csv'))!;
  await expect(pane.getByTestId('raw-record')).toHaveText(raw);
  await expect(pane).toContainText('203.0.113.50');
  await expect(pane).toContainText('S3 server access log');
  await expect(pane).toContainText('18,874,368');
  await shot('timeline-detail');
  await expectAccessible(page, 'timeline with the detail pane');

  // A user agent carrying markup is shown as the text it is, never as an element.
  await page.locator('[data-download-id]', { hasText: 'index.html' }).click();
  await expect(pane).toContainText('curl/8.5.0 <img src=x onerror=alert(1)>');
  await expect(pane.locator('img')).toHaveCount(0);

  // Keyboard: the table moves its selection with the arrow keys.
  await page.getByTestId('download-rows').focus();
  await page.keyboard.press('Home');
  await expect(page.locator('[data-download-id][aria-selected="true"]')).toContainText('backups/db-2025-03-12.sql.gz');
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-download-id][aria-selected="true"]')).toContainText('backups/db-2025-03-13.sql.gz');
  await expect(pane).toContainText('741,212,160');
});

test('the time zone switch changes every time shown, and always names the zone', async ({ host }) => {
  const { page } = host;
  const first = page.locator('[data-download-id]').first();
  await expect(first).toContainText('2025-03-13 08:02:11 UTC');
  await page.getByTestId('time-zone').selectOption('Asia/Tokyo');
  await expect(page.getByRole('columnheader', { name: 'Time (Asia/Tokyo)' })).toBeVisible();
  await expect(first).toContainText('2025-03-13 17:02:11 +09:00');
  await expect(first.locator('.c-time')).toHaveAttribute('title', '2025-03-13 17:02:11 +09:00 Asia/Tokyo');
  await expect(page.getByTestId('detail-pane')).toContainText('+09:00 Asia/Tokyo');
  await page.getByTestId('time-zone').selectOption('UTC');
  await expect(first).toContainText('2025-03-13 08:02:11 UTC');
});

test('a note and a tag on a download are kept in the case', async ({ host }) => {
  const { page } = host;
  const pane = page.getByTestId('detail-pane');
  await pane.getByLabel('New note').fill('First full copy of the 13 March dump, from 203.0.113.50 while the bucket was public.');
  await pane.getByRole('button', { name: 'Add note' }).click();
  await expect(pane.getByTestId('notes')).toContainText('First full copy of the 13 March dump');
  await pane.getByLabel('New tag').fill('exfiltration');
  await pane.getByLabel('New tag').press('Enter');
  await expect(pane.getByTestId('tags')).toContainText('exfiltration');
  // Closed and opened again, the pane reads them back from the case.
  await pane.getByRole('button', { name: 'Close detail' }).click();
  await page.locator('[data-download-id]', { hasText: 'backups/db-2025-03-13.sql.gz' }).click();
  await expect(page.getByTestId('notes')).toContainText('First full copy of the 13 March dump');
  await expect(page.getByTestId('tags')).toContainText('exfiltration');
  await page.getByRole('button', { name: 'Close detail' }).click();
});

test('the exposure window shows as a band, and downloads inside it are marked', async ({ host, shot }) => {
  const { page } = host;
  await expect(page.getByTestId('histogram')).toBeVisible();
  await expect(page.getByTestId('exposure-band')).toHaveCount(1);
  await expect(page.getByTestId('exposure-band')).toContainText('exposed · public');
  // Open 14 March 09:12 to 15 March 16:40 UTC: the three anonymous downloads from 203.0.113.50 and the five from 198.51.100.7.
  await expect(page.locator('[data-download-id].exposed')).toHaveCount(8);
  await page.getByLabel('Exposure').selectOption('inside');
  await expect(page.locator('[data-download-id]')).toHaveCount(8);
  // Nothing in this evidence falls in the very second of the opening or closing change.
  await page.getByLabel('Exposure').selectOption('boundary');
  await expect(page.locator('[data-download-id]')).toHaveCount(0);
  await page.getByLabel('Exposure').selectOption('outside');
  await expect(page.locator('[data-download-id]')).toHaveCount(2);
  await expect(page.locator('[data-download-id]').first()).toContainText(VERIFIER);
  await page.getByLabel('Exposure').selectOption('any');
  await expect(page.locator('[data-download-id]')).toHaveCount(10);
  await shot('timeline');
  await expectAccessible(page, 'timeline');

  // Brushing across the right half of the chart zooms the timeline into that range.
  const box = (await page.getByTestId('histogram').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, box.y + 60, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.999, box.y + 60, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByLabel('From (UTC)')).not.toHaveValue('');
  // The zoomed page arrives after the filter changes: wait for it rather than count the table mid-reload.
  await expect.poll(async () => {
    const zoomed = await page.locator('[data-download-id]').count();
    return zoomed > 0 && zoomed < 10;
  }).toBe(true);
  await page.getByRole('button', { name: 'Reset zoom' }).click();
  await expect(page.locator('[data-download-id]')).toHaveCount(10);
});

test('actors, objects and evidence views, with click-through to the timeline', async ({ host, shot }) => {
  const { page } = host;
  await page.getByRole('button', { name: 'Actors' }).click();
  const actors = page.getByTestId('actors-table');
  await expect(actors).toContainText('anonymous @ 203.0.113.50');
  await expect(actors).toContainText(VERIFIER);
  // Tags on an actor are kept under its key (anonymous actors are one per source IP).
  await actors.locator('tr', { hasText: 'anonymous @ 203.0.113.50' }).locator('td').first().click();
  await page.getByLabel('New tag').fill('suspect');
  await page.getByLabel('New tag').press('Enter');
  await expect(page.getByTestId('tags')).toContainText('suspect');
  await shot('actors');
  await expectAccessible(page, 'actors with a pane open');
  await actors.locator('tr', { hasText: 'anonymous @ 198.51.100.7' }).getByRole('button', { name: 'Timeline of anonymous @ 198.51.100.7' }).click();
  await expect(page.locator('[data-download-id]')).toHaveCount(5);
  await page.getByRole('button', { name: 'Clear' }).click();

  await page.getByRole('button', { name: 'Objects' }).click();
  await expect(page.getByTestId('objects-table')).toContainText('acme-db-backups/backups/site-2025-03.tar.gz');
  await shot('objects');
  await expectAccessible(page, 'objects');

  await page.getByRole('button', { name: 'Evidence' }).click();
  await expect(page.getByTestId('evidence-table').locator('tbody tr')).toHaveCount(6);
  await page.getByRole('button', { name: '1 — show' }).click();
  const truncated = accessLog('2025-03-16');
  const line = truncated.findIndex((l) => l.includes('TRUNCATEDLINE')) + 1;
  await expect(page.getByTestId('rejects-table')).toContainText(String(line));
  await expect(page.getByTestId('rejects-table')).toContainText('TRUNCATEDLINE');
  await expect(page.getByTestId('custody-table')).toContainText('import');
  await expect(page.getByTestId('custody-table')).toContainText('note');
  await shot('evidence');
  await expectAccessible(page, 'evidence');
  await page.getByRole('button', { name: 'Timeline' }).click();
});

test('the filtered timeline and the board report export to files', async ({ host, workDir, shot }) => {
  const { page } = host;
  await page.getByLabel('Source IP', { exact: true }).fill('198.51.100.7');
  await page.getByLabel('Source IP', { exact: true }).press('Enter');
  await expect(page.locator('[data-download-id]')).toHaveCount(5);

  await page.getByRole('button', { name: 'Export…' }).click();
  const panel = page.getByTestId('export-panel');
  await panel.getByLabel(/Timeline as CSV/).check();
  const csv = join(workDir, 'range-requests.csv');
  await host.chooseInDialog([csv]);
  await panel.getByRole('button', { name: 'Choose where to save…' }).click();
  await expect(panel.getByTestId('export-done')).toContainText('5 rows');
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(6);
  expect(lines.slice(1).every((l) => l.includes('198.51.100.7'))).toBe(true);

  await panel.getByLabel(/Board report/).check();
  const pdf = join(workDir, 'board-report.pdf');
  await host.chooseInDialog([pdf]);
  await panel.getByRole('button', { name: 'Choose where to save…' }).click();
  await expect(panel.getByTestId('export-done')).toContainText(pdf, { timeout: 60_000 });
  expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  await shot('export');
  await expectAccessible(page, 'export dialog');
  await panel.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(page.locator('[data-download-id]')).toHaveCount(10);
});

test('a long import can be cancelled and leaves the case consistent', async ({ host, workDir }) => {
  const { page } = host;
  const bulk = join(workDir, 'bulk-logs');
  writeAccessLogs(bulk, 12, 20_000);
  await host.chooseInDialog([join(workDir, 'cancelled.trailmark')]);
  await page.getByRole('button', { name: 'New case…' }).click();
  await expect(page.getByTestId('case-name')).toHaveText('cancelled');
  await host.chooseInDialog([bulk]);
  await page.getByRole('button', { name: 'Import folders…' }).first().click();
  const bar = page.getByTestId('import-progress');
  await expect(bar).toContainText(/Importing/);
  await expect(bar).toContainText('events/s');
  await expect(bar).toContainText('ETA');
  await bar.getByRole('button', { name: 'Cancel' }).click();
  await expect(bar).toContainText('Import cancelled', { timeout: 30_000 });
  await bar.getByRole('button', { name: 'Dismiss' }).click();
  // Whatever was committed before the cancel is whole: the counts agree with the evidence list.
  const counts = await page.getByTestId('case-counts').textContent();
  const downloads = Number(/([\d,]+) downloads/.exec(counts ?? '')![1].replace(/,/g, ''));
  expect(downloads).toBeLessThan(240_000);
  await page.getByRole('button', { name: 'Evidence' }).click();
  await expect(page.getByTestId('custody-table')).toBeVisible();
  // A cancel before the first file was committed leaves no evidence at all, which is consistent too.
  await expect(page.getByTestId('evidence-table').or(page.getByText('No evidence in this case yet.'))).toBeVisible();
  const statuses = await page.getByTestId('evidence-table').locator('tbody tr td.evidence-status').allTextContents();
  expect(statuses.every((s) => s === 'complete')).toBe(true);
  await page.getByRole('button', { name: 'Timeline' }).click();
});

test('another case can be started and the first opened again', async ({ host, workDir }) => {
  const { page } = host;
  await host.chooseInDialog([join(workDir, 'second.trailmark')]);
  await page.getByRole('button', { name: 'New case…' }).click();
  await expect(page.getByTestId('case-name')).toHaveText('second');
  await host.chooseInDialog([caseA]);
  await page.getByRole('button', { name: 'Open case…' }).click();
  await expect(page.getByTestId('case-name')).toHaveText('acme-leak');
  await expect(page.getByTestId('case-counts')).toContainText('10 downloads');
  await expect(page.locator('[data-download-id]')).toHaveCount(10);
});

test('the page loads nothing remote and runs no inline script', async ({ host }) => {
  const { page } = host;
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.appendChild(s);
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(ran).toBe(false);
  expect(host.blockedRequests()).toEqual([]);
  expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => Object.keys((window as unknown as { trailmark: object }).trailmark).sort())).toEqual(['invoke', 'onProgress']);
});

test('the page cannot name a file: main-only operations are refused, and so is a path where an id goes', async ({ host, workDir }) => {
  const { page } = host;
  const target = join(workDir, 'planted.cmd');
  const refusals = await page.evaluate(async (path: string) => {
    const t = (window as unknown as { trailmark: { invoke(c: string, r: unknown): Promise<unknown> } }).trailmark;
    const tries: [string, unknown][] = [
      ['export:timeline', { format: 'csv', path, filter: {} }],
      ['report:render', { path }],
      ['case:create', { path }],
      ['case:open', { path }],
      ['import:start', { paths: [path] }],
      ['integrity:validate', { keysPath: path }],
      ['aws:pull', { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', source: { type: 'listing', uri: 's3://attacker-bucket/x' } }],
      ['app:import-dropped', { paths: [path] }],
      ['app:open-case', { recentId: path }],
    ];
    const out: string[] = [];
    for (const [c, r] of tries) out.push(await t.invoke(c, r).then(() => `${c}: accepted`, (e: Error) => `${c}: ${e.message}`));
    return out;
  }, target);
  expect(refusals.slice(0, 8)).toEqual(['export:timeline', 'report:render', 'case:create', 'case:open', 'import:start', 'integrity:validate', 'aws:pull', 'app:import-dropped']
    .map((c) => `${c}: unknown channel ${c}`));
  expect(refusals[8]).toMatch(/^app:open-case: invalid request for app:open-case: recentId: a recent case id/);
  expect(existsSync(target)).toBe(false);
  expect(await host.confirmations()).not.toContainEqual(expect.stringContaining('attacker-bucket'));
});
