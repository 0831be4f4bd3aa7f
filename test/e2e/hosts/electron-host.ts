// The Electron host: the real app (dist/main/app/main.js) launched with Playwright's _electron,
// in a throwaway profile. Native dialogs are answered by replacing them in the main process.
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
    blockedRequests: () => [...blocked],
    close: () => app.close(),
  };
}
