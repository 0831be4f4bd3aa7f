// One e2e suite, two hosts: the browser host always; Electron where its binary is installed.
import { defineConfig } from '@playwright/test';
import type { HostOptions } from './test/e2e/fixtures';
import { electronBinary } from './test/e2e/hosts/host';

const hosts: HostOptions['hostKind'][] = electronBinary() ? ['browser', 'electron'] : ['browser'];

export default defineConfig<HostOptions>({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  // Two cores shared with other work: one worker, specs in order.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  projects: hosts.map((hostKind) => ({ name: hostKind, use: { hostKind } })),
});
