// UI figures for `npm run bench` (called by test/bench/run.ts with a case of ~1M events): in the
// browser host, time from loading the app to the first timeline rows on screen, the table's DOM row
// count while scrolling deep, and how long main takes to answer each timeline page as it scrolls.
// Targets: first render ≤ 1 s, ≤ 200 table rows in the DOM, ≤ 20 ms per page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowserHost } from '../e2e/hosts/browser-host';

// Page-side globals for the evaluate callbacks (test/ compiles without the DOM library).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any, window: any, MutationObserver: any, performance: { now(): number };

export interface UiBench {
  /** From navigation start to the first download row in the DOM. */
  firstRenderMs: number;
  /** The most table rows in the DOM at any point while scrolling. */
  maxDomRows: number;
  /** How many rows deep the scrolling went. */
  rowsScrolled: number;
  pages: number;
  pageMs: { median: number; p95: number; max: number };
  /** Seeks through the scrollbar over the whole result (timeline:position), and the pages that followed them. */
  seeks: number;
  seekMs: { median: number; p95: number; max: number };
  seekPageMs: { median: number; p95: number; max: number };
}

const quantile = (xs: number[], q: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

export async function benchUi(casePath: string, opts: { scrollSteps?: number } = {}): Promise<UiBench> {
  const tmp = mkdtempSync(join(tmpdir(), 'trailmark-bench-ui-'));
  const pageTimes: number[] = [];
  const seekTimes: number[] = [];
  const seekPageTimes: number[] = [];
  let measuring = false;
  let seeking = false;
  const host = await launchBrowserHost(tmp, {
    casePath,
    onDispatch: (channel, ms) => {
      if (measuring && channel === 'timeline:page') pageTimes.push(ms);
      if (seeking && channel === 'timeline:page') seekPageTimes.push(ms);
      if (seeking && channel === 'timeline:position') seekTimes.push(ms);
    },
  });
  try {
    const { page } = host;
    // A fresh load with the case open: the page starts on the timeline.
    // Timed inside the page, from navigation start (performance.now()'s origin) to the first row in the DOM.
    await page.addInitScript(() => {
      const w = window as unknown as { __firstRowAt?: number };
      new MutationObserver((_m: unknown, obs: { disconnect(): void }) => {
        if (document.querySelector('[data-download-id]')) {
          w.__firstRowAt = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    measuring = false;
    await page.reload();
    await page.locator('[data-download-id]').first().waitFor({ state: 'attached', timeout: 60_000 });
    const firstRenderMs = Math.round(await page.evaluate(() => (window as unknown as { __firstRowAt: number }).__firstRowAt));

    measuring = true;
    let maxDomRows = 0;
    const steps = opts.scrollSteps ?? 150;
    for (let i = 0; i < steps; i++) {
      const rows = await page.evaluate(() => {
        const body = document.querySelector('[data-testid="download-rows"]');
        body.scrollTop += body.clientHeight * 3;
        return document.querySelectorAll('[data-download-id]').length as number;
      });
      maxDomRows = Math.max(maxDomRows, rows);
      await page.waitForTimeout(20);
    }
    // Rows are 30 px high: how deep into the timeline the scrolling went.
    const rowsScrolled = await page.evaluate(() => Math.round(document.querySelector('[data-testid="download-rows"]').scrollTop / 30) as number);
    measuring = false;
    // The scrollbar over the whole result: twenty jumps of a twentieth each from its keys, then End.
    seeking = true;
    const rail = page.getByTestId('position-rail');
    await rail.focus();
    for (let i = 0; i < 20; i++) {
      const before = await rail.getAttribute('aria-valuenow');
      await page.keyboard.press('PageDown');
      await page.waitForFunction((b: string | null) => document.querySelector('[data-testid="position-rail"]').getAttribute('aria-valuenow') !== b, before, { timeout: 30_000 }).catch(() => undefined);
    }
    await page.keyboard.press('End');
    await page.waitForTimeout(500);
    seeking = false;
    return {
      firstRenderMs,
      maxDomRows,
      rowsScrolled,
      pages: pageTimes.length,
      pageMs: { median: quantile(pageTimes, 0.5), p95: quantile(pageTimes, 0.95), max: Math.max(...pageTimes) },
      seeks: seekTimes.length,
      seekMs: { median: quantile(seekTimes, 0.5), p95: quantile(seekTimes, 0.95), max: Math.max(...seekTimes) },
      seekPageMs: { median: quantile(seekPageTimes, 0.5), p95: quantile(seekPageTimes, 0.95), max: Math.max(...seekPageTimes) },
    };
  } finally {
    await host.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const casePath = process.argv[2];
  if (!casePath) {
    console.error('usage: node dist/test/bench/ui.js CASE.trailmark');
    process.exit(2);
  }
  benchUi(casePath).then((r) => console.log(JSON.stringify(r, null, 2)), (err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
