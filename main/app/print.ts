// The board report printed by the app's own Chromium (webContents.printToPDF), per DESIGN.md: same
// HTML, same engine as the CLI. The report is self-contained; it is served from memory over the
// print scheme (print-protocol.ts) to a hidden window of its own in-memory session, with JavaScript
// off and every other request refused. Nothing is written but the PDF.
import { BrowserWindow, session } from 'electron';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { PdfPrinter } from '../report/handlers';
import { isAllowedPrintRequest, PRINT_SCHEME, printResponse, printUrl } from './print-protocol';

export function electronPdfPrinter(): PdfPrinter {
  return async (html, outPath) => {
    const token = randomUUID();
    const served = { url: printUrl(token), html };
    // No "persist:" prefix: the partition lives in memory and goes with the job.
    const ses = session.fromPartition(`trailmark-print-${token}`);
    ses.setPermissionRequestHandler((_wc, _p, cb) => cb(false));
    ses.setPermissionCheckHandler(() => false);
    ses.protocol.handle(PRINT_SCHEME, (request) => {
      const r = printResponse(served, request.url, request.method);
      return new Response(r.body, { status: r.status, headers: r.headers });
    });
    ses.webRequest.onBeforeRequest((d, cb) => cb({ cancel: !isAllowedPrintRequest(served.url, d.url) }));
    const win = new BrowserWindow({
      show: false,
      webPreferences: { session: ses, javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true },
    });
    try {
      win.webContents.on('will-navigate', (e) => e.preventDefault());
      win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
      await win.loadURL(served.url);
      const pdf = await win.webContents.printToPDF({ printBackground: true, preferCSSPageSize: true });
      await writeFile(outPath, pdf);
    } finally {
      win.destroy();
      ses.protocol.unhandle(PRINT_SCHEME);
    }
  };
}
