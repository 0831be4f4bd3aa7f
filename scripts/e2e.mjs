// Runs the Playwright e2e suite (browser host here; Electron host where its binary exists).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('playwright.config.ts')) {
  console.log('e2e: no Playwright suite in this tree yet');
  process.exit(0);
}
execFileSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '-c', 'playwright.config.ts'], { stdio: 'inherit' });
