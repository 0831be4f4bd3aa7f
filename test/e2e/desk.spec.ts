// The investigator's desk at 1280×800: reaching a row's note by keyboard alone, text filters that say
// how they match, the notes marker and filter, presigned reads' signing keys, zoom to seconds, panes
// that keep columns readable, and the export dialog's Escape and cancelled save. Evidence: two bursts
// of S3 access-log reads eight years apart (2010 and 2018), seconds apart within each.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectAccessible } from './axe';
import { expect, importIntoNewCase, test } from './fixtures';

// Page-side globals for the evaluate callbacks (test/ compiles without the DOM library; they run in the page).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type El = any;

test.describe.configure({ mode: 'serial' });

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
const LEVEL1 = 'arn:aws:iam::111122223333:user/level1-ops';
const LEVEL2 = 'arn:aws:iam::111122223333:user/level2-audit';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `[${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000]`;
}

let n = 0;
function read(ms: number, requester: string, ip: string, key: string, query = ''): string {
  const req = `DESK${(++n).toString(16).toUpperCase().padStart(12, '0')}`;
  return `${OWNER} archive ${stamp(ms)} ${ip} ${requester} ${req} REST.GET.OBJECT ${key} "GET /archive/${key}${query} HTTP/1.1" 200 - 4096 4096 12 3 "-" `
    + `"curl/7.19" - host${req}= SigV2 - QueryString archive.s3.amazonaws.com - - -`;
}

function writeEvidence(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const t2010 = Date.parse('2010-05-04T09:15:00Z');
  const t2018 = Date.parse('2018-08-01T22:40:00Z');
  const old = [
    read(t2010, LEVEL1, '104.102.221.9', 'reports/q1.pdf', '?Signature=abc%3D&Expires=1272965700&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE'),
    read(t2010 + 3_000, LEVEL1, '104.102.221.9', 'reports/q2.pdf', '?Signature=abd%3D&Expires=1272965700&AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE'),
    read(t2010 + 7_000, LEVEL2, '104.102.221.77', 'reports/q3.pdf'),
  ];
  const recent = [
    read(t2018, '-', '203.0.113.5', 'db/backup-2018-07.sql.gz'),
    read(t2018 + 2_000, '-', '203.0.113.5', 'db/backup-2018-06.sql.gz'),
    read(t2018 + 4_000, '-', '198.51.100.20', 'db/backup-2018-05.sql.gz'),
    read(t2018 + 9_000, LEVEL2, '104.102.38.4', 'db/backup-2018-04.sql.gz',
      '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAY34FZKBOKMUTVV7A%2F20180801%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=f00'),
  ];
  writeFileSync(join(dir, '2010-05-04-09-20-00-0A1B2C3D4E5F6A7B'), `${old.join('\n')}\n`);
  writeFileSync(join(dir, '2018-08-01-22-45-00-1A2B3C4D5E6F7A8B'), `${recent.join('\n')}\n`);
}

const rows = (page: import('@playwright/test').Page) => page.locator('[data-download-id]');

test('a case of two bursts eight years apart opens at 1280×800', async ({ host, workDir }) => {
  const { page } = host;
  expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
  const evidence = join(workDir, 'desk-evidence');
  writeEvidence(evidence);
  const bar = await importIntoNewCase(host, join(workDir, 'Sample: public backups of the archive bucket, 2010–2018.trailmark'), evidence);
  // Progress has its own row: the table below it is not covered.
  const barBox = (await bar.boundingBox())!;
  const tableBox = (await page.getByTestId('download-rows').boundingBox())!;
  expect(tableBox.y).toBeGreaterThanOrEqual(barBox.y + barBox.height);
  await bar.getByRole('button', { name: 'Dismiss' }).click();
  await expect(rows(page)).toHaveCount(7);
  // The case name is whole and the counts sit on one line.
  const name = page.getByTestId('case-name');
  expect(await name.evaluate((el: El) => el.scrollWidth <= el.clientWidth)).toBe(true);
  const counts = page.getByTestId('case-counts');
  expect((await counts.boundingBox())!.height).toBeLessThan(20);
});

test('from the top of the page to a row\'s note by keyboard alone', async ({ host }) => {
  const { page } = host;
  // From a freshly loaded page (the case stays open in main), the first Tab.
  await page.reload();
  await expect(rows(page)).toHaveCount(7);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the downloads table' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  const grid = page.getByRole('grid', { name: 'Downloads' });
  await expect(grid).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('[data-download-id][aria-selected="true"]')).toContainText('reports/q1.pdf');
  await page.keyboard.press('Enter');
  const pane = page.getByTestId('detail-pane');
  await expect(pane.getByRole('heading', { level: 2 })).toBeFocused();
  // Tab walks through the pane (copy buttons, the raw record, tags) to the note box: a bounded number of stops.
  let presses = 0;
  while (!(await pane.getByLabel('New note').evaluate((el: El) => el === document.activeElement)) && presses < 40) {
    await page.keyboard.press('Tab');
    presses++;
  }
  await expect(pane.getByLabel('New note')).toBeFocused();
  await page.keyboard.type('Signed link shared by level1-ops: q1 read three seconds before q2.');
  await page.keyboard.press('Tab'); // Include in report
  await page.keyboard.press('Tab'); // Add note
  await page.keyboard.press('Enter');
  await expect(pane.getByTestId('notes')).toContainText('Signed link shared by level1-ops');
  // Escape closes the pane and gives focus back to the table.
  await page.keyboard.press('Escape');
  await expect(pane).toHaveCount(0);
  await expect(grid).toBeFocused();
  // The row now carries a marker, and the notes filter finds it.
  await expect(rows(page).first().getByTestId('row-marker')).toHaveAttribute('title', '1 note');
});

test('a presigned read shows the key that signed it (SigV2 and SigV4)', async ({ host }) => {
  const { page } = host;
  const pane = page.getByTestId('detail-pane');
  await rows(page).filter({ hasText: 'reports/q2.pdf' }).click();
  await expect(pane.getByTestId('event-record')).toContainText('AKIAIOSFODNN7EXAMPLE');
  await rows(page).filter({ hasText: 'backup-2018-04' }).click();
  await expect(pane.getByTestId('event-record')).toContainText('ASIAY34FZKBOKMUTVV7A');
  // Every copy button has its own name.
  const names = await pane.getByRole('button', { name: /^Copy/ }).evaluateAll((els: El[]) => els.map((e: El) => e.getAttribute('aria-label')));
  expect(names.length).toBeGreaterThan(5);
  expect(new Set(names).size).toBe(names.length);
  await pane.getByRole('button', { name: 'Close detail' }).click();
});

test('actor, address and key filters match by prefix, substring or CIDR, and say so', async ({ host }) => {
  const { page } = host;
  const actor = page.getByLabel('Actor', { exact: true });
  await actor.fill('arn:aws:iam::111122223333:user/level');
  await expect(page.getByLabel('How the actor matches')).toHaveValue('prefix');
  await actor.press('Enter');
  await expect(rows(page)).toHaveCount(4);
  await page.getByRole('button', { name: 'Clear' }).click();

  await actor.fill('level1');
  await page.getByLabel('How the actor matches').selectOption('contains');
  await actor.press('Enter');
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByLabel('How the actor matches')).toHaveValue('contains');
  await page.getByRole('button', { name: 'Clear' }).click();

  const ip = page.getByLabel('Source IP', { exact: true });
  await ip.fill('104.102.221');
  await ip.press('Enter');
  await expect(rows(page)).toHaveCount(3);
  await ip.fill('104.102.0.0/16');
  await expect(page.getByLabel('How the source IP matches')).toHaveValue('cidr');
  await ip.press('Enter');
  await expect(rows(page)).toHaveCount(4);
  await ip.fill('104.102/16');
  await ip.press('Enter');
  await expect(page.getByText('not an IPv4 CIDR block')).toBeVisible();
  await expect(ip).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Clear' }).click();

  const key = page.getByLabel('Key', { exact: true });
  await key.fill('backup-2018');
  await page.getByLabel('How the key matches').selectOption('contains');
  await key.press('Enter');
  await expect(rows(page)).toHaveCount(4);
  await expectAccessible(page, 'timeline with text filters');
  await page.getByRole('button', { name: 'Clear' }).click();

  await page.getByLabel('With notes or tags').check();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('reports/q1.pdf');
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(rows(page)).toHaveCount(7);
});

test('go to time: the table starts at the first download at or after a typed time, at any depth', async ({ host }) => {
  const { page } = host;
  const goTo = page.getByLabel('Go to time (UTC)');
  await goTo.fill('2018-08-01 22:40:03');
  await goTo.press('Enter');
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toContainText('backup-2018-05');
  await expect(page.getByTestId('go-to-time-at')).toContainText('From 2018-08-01 22:40:03 UTC on.');
  await goTo.fill('yesterday');
  await goTo.press('Enter');
  await expect(page.getByText('not a time: type yyyy-mm-dd hh:mm:ss')).toBeVisible();
  await page.getByRole('button', { name: 'Back to the first row' }).click();
  await expect(rows(page)).toHaveCount(7);
  await expect(page.getByText('not a time: type yyyy-mm-dd hh:mm:ss')).toHaveCount(0);
});

test('typed ISO times zoom the timeline; the histogram zooms to seconds from the keyboard, labels never repeat', async ({ host, shot }) => {
  const { page } = host;
  const from = page.getByLabel('From (UTC)');
  await from.fill('2018-08-01 22:39');
  await page.getByLabel('To (UTC)').fill('2018-08-01 22:41:00');
  await page.getByLabel('To (UTC)').press('Enter');
  await expect(rows(page)).toHaveCount(4);
  await expect(from).toHaveValue('2018-08-01 22:39:00');
  const chart = page.getByTestId('histogram');
  // Two minutes over the chart's width: one bar per second, each of the four reads its own bar.
  await expect(chart).toHaveAttribute('aria-label', /4 bars/);
  await chart.focus();
  await page.keyboard.press('+');
  await expect(page.getByLabel('From (UTC)')).toHaveValue('2018-08-01 22:39:30');
  await expect(page.getByLabel('To (UTC)')).toHaveValue('2018-08-01 22:40:30');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByLabel('From (UTC)')).toHaveValue('2018-08-01 22:39:45');
  const labels = await chart.locator('text.tick').allTextContents();
  const axis = labels.filter((l) => /^\d{2}:\d{2}(:\d{2})?$/.test(l));
  expect(axis.length).toBeGreaterThan(2);
  expect(new Set(axis).size).toBe(axis.length);
  await shot('timeline-seconds');
  await expectAccessible(page, 'timeline zoomed to seconds');
  // Bad input is named, not applied.
  await from.fill('01/08/2018 10:39 PM');
  await from.press('Enter');
  await expect(page.getByText('not a time: type yyyy-mm-dd hh:mm:ss')).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(rows(page)).toHaveCount(7);
  // At the whole case's zoom the axis labels are distinct too.
  const whole = (await chart.locator('text.tick').allTextContents()).filter((l) => /^\d{4}-\d{2}-\d{2}$/.test(l));
  expect(new Set(whole).size).toBe(whole.length);
  // Eight silent years between the bursts: each is a button that fills the chart with it, and again within it down to seconds.
  const bursts = page.getByTestId('bursts').getByRole('button');
  await expect(bursts).toHaveCount(2);
  await expect(bursts.first()).toContainText('2010-');
  await bursts.first().click();
  await expect(rows(page)).toHaveCount(3);
  await expect(page.getByLabel('From (UTC)')).toHaveValue(/^2010-0[45]/);
  // Settled: the chart is drawn for the range in the From field.
  const settled = async () => {
    const from = await page.getByLabel('From (UTC)').inputValue();
    await expect(chart).toHaveAttribute('aria-label', new RegExp(`from ${from} UTC`));
  };
  await settled();
  for (let i = 0; i < 6 && (await page.getByTestId('bursts').count()) > 0; i++) {
    const before = await page.getByLabel('From (UTC)').inputValue();
    await page.getByTestId('bursts').getByRole('button').first().click();
    await expect(page.getByLabel('From (UTC)')).not.toHaveValue(before);
    await settled();
  }
  expect(await page.getByLabel('From (UTC)').inputValue()).toMatch(/^2010-05-04 09:1[45]/);
  await expect(rows(page)).toHaveCount(3);
  await expect(chart).toHaveAttribute('aria-label', /3 bars/);
  await shot('timeline-burst');
  await page.getByRole('button', { name: 'Reset zoom' }).click();
  await expect(rows(page)).toHaveCount(7);
});

test('with a pane open at 1280×800 columns stay readable; New York times are not cut', async ({ host, shot }) => {
  const { page } = host;
  await page.getByTestId('time-zone').selectOption('America/New_York');
  await rows(page).first().click();
  await expect(page.getByTestId('detail-pane')).toBeVisible();
  const cut = async (sel: string) => page.locator(sel).evaluateAll((els: El[]) => els.filter((e: El) => e.scrollWidth > e.clientWidth + 1).length);
  expect(await cut('[data-download-id] .c-time')).toBe(0);
  await shot('timeline-detail-new-york');
  await page.getByTestId('time-zone').selectOption('UTC');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Actors' }).click();
  const table = page.getByTestId('actors-table');
  // Rows are reachable by keyboard; Enter opens the pane with focus in it, where the tags are.
  const row = table.locator(`tr[data-actor-key]`, { hasText: LEVEL1 });
  await row.focus();
  await page.keyboard.press('Enter');
  const pane = page.getByTestId('actor-pane');
  await expect(pane.getByRole('heading', { level: 2 })).toBeFocused();
  await page.keyboard.press('Tab'); // Close
  await page.keyboard.press('Tab'); // New tag
  await expect(pane.getByLabel('New tag')).toBeFocused();
  // Cells are one line each, truncated with the whole text on hover, and the Timeline buttons are whole and distinct.
  const heights = await table.locator('tbody tr').evaluateAll((trs: El[]) => trs.map((tr: El) => tr.offsetHeight));
  expect(Math.max(...heights)).toBeLessThan(40);
  await expect(table.locator('td.trunc').first()).toHaveAttribute('title', /.+/);
  const buttons = table.getByRole('button', { name: /^Timeline of / });
  const names = await buttons.evaluateAll((els: El[]) => els.map((e: El) => e.getAttribute('aria-label')));
  expect(new Set(names).size).toBe(names.length);
  const clipped = await buttons.evaluateAll((els: El[]) => els.filter((e: El) => e.getBoundingClientRect().right > e.closest('.card').getBoundingClientRect().right).length);
  expect(clipped).toBe(0);
  await shot('actors-pane');
  await expectAccessible(page, 'actors with a pane open by keyboard');
  await page.keyboard.press('Escape');
  await expect(pane).toHaveCount(0);

  await page.getByRole('button', { name: 'Objects' }).click();
  const objects = page.getByTestId('objects-table');
  await objects.locator('tbody tr').first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('object-pane')).toBeVisible();
  const oh = await objects.locator('tbody tr').evaluateAll((trs: El[]) => trs.map((tr: El) => tr.offsetHeight));
  expect(Math.max(...oh)).toBeLessThan(40);
  await shot('objects-pane');
  await expectAccessible(page, 'objects with a pane open');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Timeline', exact: true }).click();
});

test('the export dialog closes on Escape and a cancelled save clears the last "Written:" line', async ({ host, workDir }) => {
  const { page } = host;
  await page.getByRole('button', { name: 'Export…' }).click();
  const panel = page.getByTestId('export-panel');
  await panel.getByLabel(/Timeline as CSV/).check();
  await host.chooseInDialog([join(workDir, 'desk.csv')]);
  await panel.getByRole('button', { name: 'Choose where to save…' }).click();
  await expect(panel.getByTestId('export-done')).toContainText('7 rows');
  // No answer queued: the save dialog is cancelled.
  await panel.getByRole('button', { name: 'Choose where to save…' }).click();
  await expect(panel.getByTestId('export-cancelled')).toBeVisible();
  await expect(panel.getByTestId('export-done')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // A Source filter: the dialog names it, and the board report counts the same rows as the CSV.
  await page.locator('select[name="source"]').selectOption('cloudtrail');
  await page.getByRole('button', { name: 'Export…' }).click();
  await expect(page.getByTestId('export-scope')).toContainText('The current timeline filters apply: logged by CloudTrail.');
  await panel.getByLabel(/Timeline as CSV/).check();
  await host.chooseInDialog([join(workDir, 'desk-cloudtrail.csv')]);
  await panel.getByRole('button', { name: 'Choose where to save…' }).click();
  const csvRows = (await panel.getByTestId('export-done').innerText()).match(/([\d,]+) rows?/)?.[1];
  expect(csvRows).toBeTruthy();
  expect(csvRows).not.toBe('7');
  await panel.getByLabel(/Board report/).check();
  await host.chooseInDialog([join(workDir, 'desk-cloudtrail.pdf')]);
  await panel.getByRole('button', { name: 'Choose where to save…' }).click();
  await expect(panel.getByTestId('export-done')).toContainText(`${csvRows} download`, { timeout: 30_000 });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Clear' }).click();
});
