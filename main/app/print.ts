// The board report printed by the app's own Chromium (webContents.printToPDF), per DESIGN.md: same
// HTML, same engine as the CLI. The report is self-contained; it is loaded from a temporary file in
// a hidden window of its own session with JavaScript off and every other request refused.
import { BrowserWindow, session } from 'electron';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PdfPrinter } from '../report/handlers';


export function electronPdfPrinter(): PdfPrinter {
  return async (html, outPath) => {
    const dir = await mkdtemp(join(tmpdir(), 'trailmark-print-'));
    const file = join(dir, 'report.html');
    await writeFile(file, html);
    const url = pathToFileURL(file).href;
    const ses = session.fromPartition(`trailmark-print-${Date.now()}`);
    ses.setPermissionRequestHandler((_wc, _p, cb) => cb(false));
    ses.webRequest.onBeforeRequest((d, cb) => cb({ cancel: !(d.url === url || d.url.startsWith('data:')) }));
    const win = new BrowserWindow({
      show: false,
      webPreferences: { session: ses, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true },
    });
    try {
      win.webContents.on('will-navigate', (e) => e.preventDefault());
      await win.loadURL(url);
      const pdf = await win.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true });
      await writeFile(outPath, pdf);
    } finally {
      win.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  };
}
