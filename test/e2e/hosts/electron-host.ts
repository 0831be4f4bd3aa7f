// The Electron host: the real app (dist/main/app/main.js) launched with Playwright's _electron,
// in a throwaway profile (TRAILMARK_USER_DATA, honoured by development builds only). Native dialogs are
// answered by replacing them in the main process: the files a spec chose, and yes to every
// confirmation, each recorded.
import { _electron } from '@playwright/test';
import { join } from 'node:path';
import { DIST, electronBinary, type AppHost } from './host';

export async function launchElectronHost(tmp: string): Promise<AppHost> {
  const executablePath = electronBinary();
  if (!executablePath) throw new Error('the Electron binary is not installed (require("electron") names no file)');
  const app = await _electron.launch({
    executablePath,
    args: [join(DIST, 'main/app/main.js')],
    env: { ...process.env, TRAILMARK_USER_DATA: join(tmp, 'profile') },
  });
  await app.evaluate(({ dialog }) => {
    const asked: string[] = [];
    (globalThis as unknown as { __confirmations: string[] }).__confirmations = asked;
    (dialog as unknown as Record<string, unknown>).showMessageBox = async (...args: unknown[]) => {
      const o = args.at(-1) as { message: string; detail?: string };
      asked.push([o.message, o.detail ?? ''].join('\n'));
      return { response: 0, checkboxChecked: false };
    };
  });
  const page = await app.firstWindow();
  await page.setViewportSize({ width: 1440, height: 900 });
  const blocked: string[] = [];
  page.on('requestfailed', (r) => {
    if (!r.url().startsWith('app://')) blocked.push(r.url());
  });
  return {
    kind: 'electron',
    page,
    chooseInDialog: async (paths) => {
      await app.evaluate(({ dialog }, chosen) => {
        const d = dialog as unknown as Record<string, unknown>;
        d.showOpenDialog = async () => ({ canceled: false, filePaths: chosen });
        d.showSaveDialog = async () => ({ canceled: false, filePath: chosen[0] });
      }, paths);
    },
    confirmations: () => app.evaluate(() => [...(globalThis as unknown as { __confirmations: string[] }).__confirmations]),
    blockedRequests: () => [...blocked],
    close: () => app.close(),
  };
}
