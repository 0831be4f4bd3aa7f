// `npm run test:e2e`: the Playwright suite in the browser host, and in the Electron host too where
// Electron's binary is installed (playwright.config.ts picks the hosts).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const electron = require('./electron-binary.cjs').electronBinary();
if (!existsSync('dist/renderer/index.html') || !existsSync('dist/main/service.js')) {
  console.error('e2e: build first (npm run build)');
  process.exit(1);
}
console.log(electron ? `e2e hosts: browser, electron (${electron})` : 'e2e hosts: browser (Electron host skipped: its binary is not installed)');
try {
  execFileSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--config', 'playwright.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
} catch (err) {
  process.exit(err.status ?? 1);
}
