// Patterns observed, in the app: the labelled list beside Actors (bursts, first seen during the
// exposure, bulk tools, listing before download, each with its figures), the timeline's pattern filter
// reached from the list by keyboard and from the filters, and the settings editor — a value main
// refuses is shown with its reason, a saved change recomputes the list and is in the custody log.
// Evidence: the generated sample case (a backup bucket left public).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expectAccessible } from './axe';
import { expect, importIntoNewCase, test } from './fixtures';
import { ROOT } from './hosts/host';

test.describe.configure({ mode: 'serial' });

const rows = (page: import('@playwright/test').Page) => page.locator('[data-download-id]');

test('the sample case lists the patterns observed, each with its figures, never a verdict', async ({ host, shot, workDir }) => {
  const { page } = host;
  // The sample's evidence as `trailmark sample` writes it (the welcome screen's sample, which an
  // earlier spec may have left behind), imported into a new case.
  const evidence = join(workDir, 'patterns-sample');
  const made = spawnSync(process.execPath, [join(ROOT, 'bin', 'trailmark.js'), 'sample', '--out', evidence], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
  const bar = await importIntoNewCase(host, join(workDir, 'Patterns.trailmark'), evidence);
  await bar.getByRole('button', { name: 'Dismiss' }).click();

  await page.getByRole('button', { name: 'Patterns', exact: true }).click();
  const view = page.getByTestId('patterns-view');
  await expect(view.getByRole('heading', { name: 'Patterns observed' })).toBeVisible();
  await expect(view.getByRole('heading', { name: 'Bursts (6)' })).toBeVisible();
  await expect(view.getByRole('heading', { name: 'First seen during an exposure (4)' })).toBeVisible();
  await expect(view.getByRole('heading', { name: 'Bulk tools named in user agents (4)' })).toBeVisible();
  await expect(view.getByRole('heading', { name: 'Listing before download (1)' })).toBeVisible();
  await expect(page.getByTestId('pattern-burst')).toContainText('more than 10 backup files or more than 50.0 MB within 15 minutes');

  const burst = page.getByTestId('pattern-burst').getByRole('row').filter({ hasText: 'anonymous@203.0.113.45' });
  await expect(burst.getByRole('cell')).toHaveText(['anonymous@203.0.113.45', '2024-03-05 17:05:44 UTC', '2024-03-05 17:37:22 UTC', '5', '3', '2.1 GB', 'bytes', 'Timeline →']);
  const tool = page.getByTestId('pattern-bulk-tool').getByRole('row').filter({ hasText: 'anonymous@192.0.2.77' });
  await expect(tool.getByRole('cell').nth(1)).toHaveText('wget');
  await expect(tool.getByRole('cell').nth(2)).toHaveText('2');
  const listed = page.getByTestId('pattern-listed-first').getByRole('row').filter({ hasText: 'anonymous@203.0.113.45' });
  await expect(listed.getByRole('cell').nth(1)).toHaveText('2');
  await expect(listed.getByRole('cell').nth(5)).toHaveText('3');
  await expect(view).not.toContainText(/malicious|attack|theft/i);
  await shot('patterns');
  await expectAccessible(page, 'patterns observed');
});

test('a pattern opens its downloads in the timeline, by keyboard; the timeline filter narrows to the same rows', async ({ host }) => {
  const { page } = host;
  const all = page.getByRole('button', { name: 'Downloads made with a bulk tool →' });
  await all.focus();
  await page.keyboard.press('Enter');
  const pattern = page.getByLabel('Observed pattern');
  await expect(pattern).toHaveValue('bulk-tool');
  // python-requests ×4, curl ×3, wget ×2 from three addresses, and the restore operator's aws-cli s3 cp.
  await expect(rows(page)).toHaveCount(10);
  await expect(page.locator('.chart-card .card-head')).toContainText('10 downloads');
  const tally = (ips: string[]) => ips.reduce<Record<string, number>>((n, ip) => ({ ...n, [ip]: (n[ip] ?? 0) + 1 }), {});
  const ips = tally(await rows(page).locator('.c-ip').allTextContents());
  expect([ips['203.0.113.200'], ips['203.0.113.45'], ips['192.0.2.77']]).toEqual([4, 3, 2]);
  await expectAccessible(page, 'timeline filtered by a pattern');

  await pattern.selectOption('listed-first');
  await expect(rows(page)).toHaveCount(3);
  expect(tally(await rows(page).locator('.c-ip').allTextContents())).toEqual({ '203.0.113.45': 3 });
  await pattern.selectOption('first-seen');
  await expect(rows(page)).toHaveCount(15);
  expect(tally(await rows(page).locator('.c-ip').allTextContents())).toEqual({ '203.0.113.45': 5, '198.51.100.23': 4, '203.0.113.200': 4, '192.0.2.77': 2 });
  // Every download of the sample falls in one of its six bursts (1 + 5 + 3 + 1 + 2 + 4).
  await pattern.selectOption('burst');
  await expect(rows(page)).toHaveCount(16);
  await pattern.selectOption('any');
  await expect(rows(page)).toHaveCount(16);

  // One row of the list: that actor's downloads in that burst's span.
  await page.getByRole('button', { name: 'Patterns', exact: true }).click();
  await page.getByRole('button', { name: 'Timeline of the burst by anonymous@198.51.100.23' }).first().click();
  await expect(page.getByLabel('Source IP', { exact: true })).toHaveValue('198.51.100.23');
  await expect(rows(page)).toHaveCount(3);
});

test('the settings editor: main refuses what makes no sense with its reason; a saved change recomputes the list and is in custody', async ({ host }) => {
  const { page } = host;
  await page.getByRole('button', { name: 'Patterns', exact: true }).click();
  const editor = page.getByTestId('pattern-settings');
  const minutes = editor.getByLabel('window, in minutes');
  await minutes.fill('0');
  await editor.getByRole('button', { name: 'Save settings' }).click();
  await expect(editor.getByRole('alert')).toContainText('burst minutes must be more than 0 and at most a week (10080)');
  await minutes.fill('fifteen');
  await editor.getByRole('button', { name: 'Save settings' }).click();
  await expect(minutes).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.getByText('a number of minutes, such as 15')).toBeVisible();
  await expectAccessible(page, 'pattern settings refused');

  await minutes.fill('15');
  await editor.getByLabel('or more than this many MB (decimal)').fill('1000');
  await editor.getByRole('button', { name: /^Remove tool \d+ \(curl\)$/ }).click();
  // A tool added from the keyboard: the new row's label takes the focus.
  await editor.getByRole('button', { name: 'Add a tool' }).click();
  await page.keyboard.type('Sample restore script');
  await page.keyboard.press('Tab');
  await page.keyboard.type('restore-operator');
  await editor.getByRole('button', { name: 'Save settings' }).click();
  await expect(editor.getByRole('status')).toContainText('Saved');
  const view = page.getByTestId('patterns-view');
  await expect(view.getByRole('heading', { name: 'Bursts (1)' })).toBeVisible();
  await expect(page.getByTestId('pattern-burst')).toContainText('more than 1.0 GB within 15 minutes');
  await expect(view.getByRole('heading', { name: 'Bulk tools named in user agents (3)' })).toBeVisible();
  await expect(page.getByTestId('pattern-bulk-tool')).not.toContainText('curl');
  await expect(page.getByTestId('pattern-bulk-tool')).toContainText('one of 17 listed tools');

  await page.getByRole('button', { name: 'Timeline', exact: true }).click();
  // Still narrowed to 198.51.100.23's first burst, which is no burst at 1 GB.
  await expect(rows(page)).toHaveCount(3);
  await page.getByLabel('Observed pattern').selectOption('burst');
  await expect(rows(page)).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel('Observed pattern').selectOption('burst');
  await expect(rows(page)).toHaveCount(4);
  expect(new Set(await rows(page).locator('.c-ip').allTextContents())).toEqual(new Set(['203.0.113.45']));

  // The change is the custody log's last entry, read as the Evidence view reads it.
  const last = await page.evaluate(async () => {
    const log = await (window as unknown as PageWindow).trailmark.invoke('custody:list', {});
    return log[log.length - 1];
  });
  expect(last.action).toBe('pattern-settings');
  const { before, after } = JSON.parse(last.details) as { before: Settings; after: Settings };
  expect([before.burst.bytes, after.burst.bytes, after.burst.minutes]).toEqual([50_000_000, 1_000_000_000, 15]);
  expect(before.tools.some((t) => t.label === 'curl')).toBe(true);
  expect(after.tools.some((t) => t.label === 'curl')).toBe(false);
  expect(after.tools.at(-1)).toEqual({ label: 'Sample restore script', match: 'restore-operator' });
});

interface Settings { burst: { bytes: number; minutes: number }; tools: Array<{ label: string; match: string }> }
// Page-side global for the evaluate callback (test/ compiles without the DOM library).
declare const window: unknown;
interface PageWindow { trailmark: { invoke(channel: 'custody:list', req: object): Promise<Array<{ action: string; details: string }>> } }
