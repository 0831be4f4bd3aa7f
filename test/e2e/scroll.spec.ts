// Reaching any row of a large result: the table's scrollbar spans every matching download, not the
// pages already fetched. End and Home reach the true last and first rows, and dragging the thumb to
// the middle lands on the row at about half the count — each row's time is read against where the
// generated evidence put it (one read every 1.5 s from 2025-06-01 00:00:00 UTC).
import { join } from 'node:path';
import { expectAccessible } from './axe';
import { expect, importIntoNewCase, test } from './fixtures';
import { writeAccessLogs } from './make-logs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type El = any;

test.describe.configure({ mode: 'serial' });

const FILES = 4;
const LINES = 10_000;
const TOTAL = FILES * LINES;
const T0 = Date.parse('2025-06-01T00:00:00Z');
/** The time make-logs gives the read at whole-result index i (0-based), as the table shows it. */
const timeOf = (i: number) => `${new Date(T0 + (i + 1) * 1500).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

test('the scrollbar spans the whole result: End, Home and a drag to the middle reach those rows', async ({ host, workDir }) => {
  const { page } = host;
  const logs = join(workDir, 'many-reads');
  writeAccessLogs(logs, FILES, LINES);
  const bar = await importIntoNewCase(host, join(workDir, 'many-reads.trailmark'), logs, 120_000);
  await bar.getByRole('button', { name: 'Dismiss' }).click();

  const table = page.getByTestId('download-rows');
  const rail = page.getByTestId('position-rail');
  await expect(rail).toHaveAttribute('aria-valuemax', String(TOTAL - 1));
  await expect(table).toHaveAttribute('aria-rowcount', String(TOTAL + 1));
  await expect(rail).toHaveAttribute('aria-valuetext', `row 1 of ${TOTAL.toLocaleString('en')}`);

  /** The whole-result index and the time shown of each row in the DOM. */
  const shown = async () => (await table.locator('[data-download-id]').evaluateAll((els: El[]) => els.map((el) => ({
    index: Number(el.getAttribute('aria-rowindex')) - 2, time: el.querySelector('.c-time').textContent as string,
  })))).sort((a, b) => a.index - b.index);

  // End: the true last row, selected — 40,000 rows down, not the end of the pages fetched so far.
  await table.focus();
  await page.keyboard.press('End');
  const selected = table.locator('[aria-selected="true"]');
  await expect(selected).toHaveAttribute('aria-rowindex', String(TOTAL + 1));
  await expect(selected.locator('.c-time')).toHaveText(timeOf(TOTAL - 1));
  await expect(selected).toBeInViewport();
  for (const r of await shown()) expect(r.time).toBe(timeOf(r.index));
  await expect(rail).toHaveAttribute('aria-valuetext', /^row (39,9\d\d) of 40,000$/);

  // Home: the first row again.
  await page.keyboard.press('Home');
  await expect(selected).toHaveAttribute('aria-rowindex', '2');
  await expect(selected.locator('.c-time')).toHaveText(timeOf(0));

  // A drag of the thumb to the middle of its track: rows from about the 20,000th, each where the evidence put it.
  const box = (await rail.boundingBox())!;
  const thumb = (await rail.locator('.position-thumb').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, thumb.y + 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + (box.height - thumb.height) / 2 + 2, { steps: 5 });
  await expect(page.locator('.position-tip')).toHaveText(/^row 19,\d\d\d of 40,000$|^row 20,\d\d\d of 40,000$/);
  await page.mouse.up();
  const valueNow = async () => Number(await rail.getAttribute('aria-valuenow'));
  /** The rows in the DOM once the row the rail names is among them (a seek's pages are in). */
  const settled = async () => {
    await expect.poll(async () => {
      const now = await valueNow();
      return (await shown()).some((r) => r.index === now);
    }).toBe(true);
    return shown();
  };
  const middle = await settled();
  expect(Math.abs((await valueNow()) - TOTAL / 2)).toBeLessThan(TOTAL * 0.03);
  for (const r of middle) expect(r.time).toBe(timeOf(r.index));
  // A wheel turned up walks back past the rows fetched with the seek, the rows in order, without a jump.
  const fromRow = await valueNow();
  await table.hover();
  await expect.poll(async () => {
    await page.mouse.wheel(0, -900);
    await page.waitForTimeout(50);
    return valueNow();
  }, { timeout: 30_000 }).toBeLessThan(fromRow - 100);
  const earlier = await settled();
  for (const r of earlier) expect(r.time).toBe(timeOf(r.index));
  const indexes = earlier.map((r) => r.index);
  expect(indexes).toEqual(indexes.map((_, i) => indexes[0] + i));

  // The rail's own keys: End on it shows the last row.
  await rail.focus();
  await page.keyboard.press('End');
  await expect(table.locator(`[aria-rowindex="${TOTAL + 1}"]`)).toBeInViewport();
  await expect(table.locator(`[aria-rowindex="${TOTAL + 1}"] .c-time`)).toHaveText(timeOf(TOTAL - 1));
  await expectAccessible(page, 'timeline with its scrollbar over the whole result');
});
