// The browser host: the built renderer served over local HTTP with the app's own headers (CSP),
// opened in Debian's Chromium, with window.trailmark bound (page.exposeBinding) to the very same
// dispatch → CaseService path the Electron shell's ipcMain handlers use, on a real case file. The
// page gets the same allow-listed API as the preload gives it (shared/page-api); the native dialogs
// main would show are answered by the host: the files a spec chose, yes to every confirmation, and
// "Upgrade in place" to a case of an earlier schema — the first button, as the Electron host's stub
// answers every message box — each question recorded, so a spec can check what the user was asked.
import { chromium } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type * as DispatchModule from '../../../main/app/dispatch';
import type * as RecentModule from '../../../main/app/recent';
import type * as SampleModule from '../../../main/app/sample';
import type * as StaticModule from '../../../main/app/static-files';
import type * as ServiceModule from '../../../main/service';
import type * as PageApiModule from '../../../shared/page-api';
import { DIST, type AppHost } from './host';

// Page-side globals for the page.evaluate callbacks below: test/ compiles without the DOM library,
// and these callbacks run in the page, never here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any, CustomEvent: any;

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The compiled main-process code, exactly what the app runs (not the TypeScript sources).
const load = <T>(rel: string): T => require(join(DIST, rel)) as T;

export interface BrowserHostOptions {
  /** Open this case before the page loads (the bench starts on a big case's timeline). */
  casePath?: string;
  /** Told how long main took to answer each request (the bench's page-fetch latency). */
  onDispatch?: (channel: string, ms: number) => void;
}

export async function launchBrowserHost(tmp: string, opts: BrowserHostOptions = {}): Promise<AppHost> {
  const { CaseService } = load<typeof ServiceModule>('main/service.js');
  const { createDispatch } = load<typeof DispatchModule>('main/app/dispatch.js');
  const { recentStore } = load<typeof RecentModule>('main/app/recent.js');
  const { readAppFile } = load<typeof StaticModule>('main/app/static-files.js');
  const { generateSample } = load<typeof SampleModule>('main/app/sample.js');
  const { isPageChannel, PAGE_CHANNELS } = load<typeof PageApiModule>('shared/page-api.js');

  const service = new CaseService({ examiner: 'e2e' });
  const answers: string[][] = [];
  const next = () => answers.shift() ?? null;
  const confirmations: string[] = [];
  const dispatch = createDispatch(service, {
    dialogs: {
      chooseNewCasePath: async () => next()?.[0] ?? null,
      chooseCasePath: async () => next()?.[0] ?? null,
      chooseImportPaths: async () => next(),
      chooseExportPath: async () => next()?.[0] ?? null,
      chooseKeysFile: async () => next()?.[0] ?? null,
      confirm: async (q) => {
        confirmations.push([q.title, ...q.lines].join('\n'));
        return true;
      },
      // As the Electron host's stub answers every message box: its first button, "Upgrade in place".
      askUpgrade: async (q) => {
        confirmations.push([q.title, ...q.lines].join('\n'));
        return 'in-place';
      },
      chooseUpgradeCopyPath: async () => next()?.[0] ?? null,
    },
    recent: recentStore(join(tmp, 'profile', 'recent-cases.json')),
    sample: { root: join(tmp, 'sample-cases'), generate: generateSample },
  });

  const server = createServer((req, res) => {
    void readAppFile(join(DIST, 'renderer'), `app://trailmark${req.url ?? '/'}`, req.method).then((r) => {
      res.writeHead(r.status, r.headers);
      res.end(req.method === 'HEAD' ? undefined : r.body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const blocked: string[] = [];
  // As the app's session does: nothing but our own origin is ever fetched.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  await page.exposeBinding('__trailmarkInvoke', async (_source, channel: unknown, req: unknown) => {
    // As the preload does: nothing off the page's allow-list reaches main (not even the preload's own drop channel).
    if (!isPageChannel(channel)) return { ok: false, error: `unknown channel ${String(channel).slice(0, 80)}` };
    const t0 = performance.now();
    const res = await dispatch(channel, req);
    opts.onDispatch?.(String(channel), performance.now() - t0);
    return res;
  });
  // The same surface the preload exposes: invoke over the allow-list, and onProgress, nothing else.
  await page.addInitScript((allowed: readonly string[]) => {
    const w = window as unknown as { __trailmarkInvoke(c: string, r: unknown): Promise<{ ok: boolean; value?: unknown; error?: string }> };
    const invoke = async (channel: string, req: unknown) => {
      if (!allowed.includes(channel)) throw new Error(`unknown channel ${String(channel).slice(0, 80)}`);
      const res = await w.__trailmarkInvoke(channel, req);
      if (!res.ok) throw new Error(res.error);
      return res.value;
    };
    const onProgress = (cb: (p: unknown) => void) => {
      const h = (e: Event) => cb((e as CustomEvent).detail);
      window.addEventListener('__trailmark_progress', h);
      return () => window.removeEventListener('__trailmark_progress', h);
    };
    Object.defineProperty(window, 'trailmark', { value: Object.freeze({ invoke, onProgress }), enumerable: true });
  }, PAGE_CHANNELS);
  service.onProgress((p) => {
    void page.evaluate((detail) => window.dispatchEvent(new CustomEvent('__trailmark_progress', { detail })), p).catch(() => {});
  });
  // Main's own operation (as a case opened from the command line would be), not the page's.
  if (opts.casePath) await service.invoke('case:open', { path: opts.casePath });
  await page.goto(`${origin}/index.html`);

  return {
    kind: 'browser',
    page,
    chooseInDialog: async (paths) => {
      answers.push(paths);
    },
    confirmations: async () => [...confirmations],
    blockedRequests: () => [...blocked],
    close: async () => {
      await browser.close();
      service.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}
