// Files an import refuses stay in the case: the import bar counts them apart from rejected lines, and
// the Evidence view lists them under "Offered but not taken" (path, size, hash, reason) long after the
// bar is dismissed — without a character of what an unrecognised file holds. The list is paged from
// main as it scrolls and virtualized, like the evidence and custody lists.
import AxeBuilder from '@axe-core/playwright';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, FIXTURE_EVIDENCE, importIntoNewCase, test } from './fixtures';

test('refused files are counted on the import bar and listed in the Evidence view, their content never shown', async ({ host, workDir }) => {
  const { page } = host;
  const folder = join(workDir, 'handed-over');
  mkdirSync(folder, { recursive: true });
  copyFileSync(join(FIXTURE_EVIDENCE, 's3-access-logs', '2025-03-13-00-00-00-7C4D2E1F0A9B8C3D'), join(folder, 'access.log'));
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  writeFileSync(join(folder, 'credentials'), `[default]\naws_secret_access_key = ${secret}\n`);
  writeFileSync(join(folder, 'empty.log'), '');
  writeFileSync(join(folder, 'damaged.json.gz'), Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('not deflate')]));

  const bar = await importIntoNewCase(host, join(workDir, 'refusals.trailmark'), folder);
  await expect(bar).toContainText('rejected lines 0');
  await expect(bar.getByTestId('import-refused')).toHaveText('refused files 3');
  await expect(bar).not.toContainText(secret);
  await bar.getByRole('button', { name: 'Dismiss' }).click();

  await page.getByRole('button', { name: 'Evidence' }).click();
  const table = page.getByTestId('not-taken-table');
  await expect(page.getByRole('heading', { name: 'Offered but not taken' })).toBeVisible();
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table.locator('tr', { hasText: 'credentials' })).toContainText('not a recognised evidence format');
  await expect(table.locator('tr', { hasText: 'empty.log' })).toContainText('an empty file');
  await expect(table.locator('tr', { hasText: 'damaged.json.gz' })).toContainText('cannot be read');
  await expect(table.locator('tr', { hasText: 'damaged.json.gz' })).toContainText('failed');
  await expect(page.locator('.evidence-view')).not.toContainText(secret);
  // Each refusal is in the custody log too.
  await expect(page.getByTestId('custody-table').locator('tr', { hasText: 'refuse' })).toHaveCount(3);

  const scan = await new AxeBuilder({ page }).include('.evidence-view').analyze();
  expect(scan.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await page.getByRole('button', { name: 'Timeline' }).click();
});

test('a long list of refused files is paged in as it scrolls, and only the rows in view are drawn', async ({ host, workDir }) => {
  const { page } = host;
  const folder = join(workDir, 'many-refused');
  mkdirSync(folder, { recursive: true });
  // Three pages and a bit of the Evidence view's 200-row pages.
  const total = 650;
  for (let i = 0; i < total; i++) writeFileSync(join(folder, `empty-${String(i).padStart(4, '0')}.log`), '');

  await host.chooseInDialog([join(workDir, 'many-refused.trailmark')]);
  await page.getByRole('button', { name: 'New case…' }).click();
  await expect(page.getByTestId('case-name')).toHaveText('many-refused');
  await host.chooseInDialog([folder]);
  await page.getByRole('button', { name: 'Import folders…' }).first().click();
  const bar = page.getByTestId('import-progress');
  await expect(bar.getByTestId('import-refused')).toHaveText(`refused files ${total}`);
  await bar.getByRole('button', { name: 'Dismiss' }).click();

  await page.getByRole('button', { name: 'Evidence' }).click();
  const table = page.getByTestId('not-taken-table');
  const scroller = page.getByTestId('not-taken-table-scroller');
  const drawn = table.locator('tbody tr:not(.spacer)');
  await expect(drawn.first()).toContainText('an empty file');
  // More to come: the table does not yet know how many rows it has.
  await expect(table).toHaveAttribute('aria-rowcount', '-1');
  // Scrolled to the end, page after page arrives, until the list knows its length (the header row counts).
  await expect(async () => {
    await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await expect(table).toHaveAttribute('aria-rowcount', String(total + 1), { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await expect(table.locator(`tr[aria-rowindex="${total + 1}"]`)).toBeVisible();
  // Every file once, in the order recorded: the last row drawn is the last file refused.
  await expect(table.locator(`tr[aria-rowindex="${total + 1}"]`)).toContainText(`empty-${String(total - 1).padStart(4, '0')}.log`);
  expect(await drawn.count()).toBeLessThan(100);
  await page.getByRole('button', { name: 'Timeline' }).click();
});
