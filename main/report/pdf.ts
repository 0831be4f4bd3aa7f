// Printing the report HTML to PDF with a local Chromium through playwright-core (CLI and tests).
// The page runs without JavaScript and without network: the HTML is self-contained and its CSP
// forbids everything but inline styles, so nothing in the logs can reach out or run.
import { findChromium } from './chromium';
import { REPORT_PDF_OPTIONS } from './html';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function printPdf(htmlText: string, outPath: string, opts: { chromiumPath?: string } = {}): Promise<void> {
  // Loaded when a PDF is printed, not with this module: main/service and the case worker import it
  // for the rare print, and playwright-core cost each thread ~60 MB of resident memory from the start
  // (an import went from 261 MB to 397 MB peak RSS through the case worker until it was loaded late).
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(opts.chromiumPath), args: CHROMIUM_ARGS, headless: true });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(htmlText, { waitUntil: 'load', timeout: 120_000 });
    await page.pdf({ path: outPath, ...REPORT_PDF_OPTIONS });
  } finally {
    await browser.close();
  }
}
