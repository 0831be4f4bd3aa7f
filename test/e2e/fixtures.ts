// The host fixture: the project (playwright.config.ts) picks browser or Electron; specs only see AppHost.
import { expect, test as base, type Locator } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { launchBrowserHost } from './hosts/browser-host';
import { launchElectronHost } from './hosts/electron-host';
import { ROOT, type AppHost } from './hosts/host';

export interface HostOptions { hostKind: 'browser' | 'electron' }

export const test = base.extend<{ shot: (name: string) => Promise<void> }, HostOptions & { host: AppHost; workDir: string }>({
  hostKind: ['browser', { option: true, scope: 'worker' }],
  workDir: [async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'trailmark-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  }, { scope: 'worker' }],
  host: [async ({ hostKind, workDir }, use) => {
    const host = hostKind === 'electron' ? await launchElectronHost(workDir) : await launchBrowserHost(workDir);
    await use(host);
    await host.close();
  }, { scope: 'worker' }],
  // Screenshots of the main screens. A test run writes them to the ignored test-results/screenshots;
  // `npm run screenshots` (TRAILMARK_SCREENSHOTS=docs) refreshes the README's docs/screenshots on purpose.
  shot: async ({ host }, use) => {
    const base = process.env.TRAILMARK_SCREENSHOTS === 'docs' ? join(ROOT, 'docs', 'screenshots') : join(ROOT, 'test-results', 'screenshots');
    const dir = join(base, ...(host.kind === 'electron' ? ['electron'] : []));
    mkdirSync(dir, { recursive: true });
    await use(async (name) => {
      await host.page.screenshot({ path: join(dir, `${name}.png`) });
    });
  },
});

export { expect } from '@playwright/test';

/**
 * A new case at casePath (opened before the next dialog is answered), then a folder imported into it
 * through the app's own buttons; resolves once the import bar says it finished, and returns the bar.
 */
export async function importIntoNewCase(host: AppHost, casePath: string, folder: string, timeout?: number): Promise<Locator> {
  const { page } = host;
  await host.chooseInDialog([casePath]);
  await page.getByRole('button', { name: 'New case…' }).click();
  await expect(page.getByTestId('case-name')).toHaveText(basename(casePath).replace(/\.trailmark$/, ''));
  await host.chooseInDialog([folder]);
  await page.getByRole('button', { name: 'Import folders…' }).first().click();
  const bar = page.getByTestId('import-progress');
  await expect(bar).toContainText('Import finished', timeout === undefined ? undefined : { timeout });
  return bar;
}
export const FIXTURE_EVIDENCE = join(ROOT, 'test', 'fixtures', 'app', 'leak-evidence');
