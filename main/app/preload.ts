// Sandboxed preload: exposes window.trailmark (invoke over shared/page-api's allow-list, and
// onProgress) and nothing else. Bundled by esbuild into one file, because a sandboxed preload cannot
// require project files.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ImportProgress } from '../../shared/api';
import { PROGRESS_CHANNEL, type Envelope } from '../../shared/app-api';
import { isPageChannel, type PageApi } from '../../shared/page-api';
import { COMMAND_CHANNEL, MENU_COMMANDS, type MenuCommand } from './commands';

async function send(channel: string, req: unknown): Promise<unknown> {
  const res = (await ipcRenderer.invoke(channel, req)) as Envelope<unknown>;
  if (!res.ok) throw new Error(res.error);
  return res.value;
}

/** The page's only road to main: channels off the allow-list never leave the preload (and main has no handler for them). */
async function invoke(channel: string, req: unknown): Promise<unknown> {
  if (!isPageChannel(channel)) throw new Error(`unknown channel ${String(channel).slice(0, 80)}`);
  return send(channel, req);
}

function onProgress(cb: (p: ImportProgress) => void): () => void {
  // The IPC event is not passed on: it would hand the page a handle on ipcRenderer.
  const listener = (_e: unknown, p: ImportProgress) => cb(p);
  ipcRenderer.on(PROGRESS_CHANNEL, listener);
  return () => {
    ipcRenderer.removeListener(PROGRESS_CHANNEL, listener);
  };
}

// The few page globals the preload touches. Main's tsconfig has no DOM library, and adding one would
// give every main-process file DOM types it must not use.
interface PageEvent { preventDefault(): void; dataTransfer?: { files: ArrayLike<File> } | null }
const page = globalThis as unknown as {
  addEventListener(type: string, listener: (e: PageEvent) => void): void;
  dispatchEvent(e: unknown): boolean;
  Event: new (type: string) => unknown;
};

contextBridge.exposeInMainWorld('trailmark', { invoke, onProgress } as PageApi);

// Menu commands arrive as plain DOM events (`trailmark:open-case`…) that the renderer handles like
// its own buttons; only the fixed names in MENU_COMMANDS are forwarded.
ipcRenderer.on(COMMAND_CHANNEL, (_e, command: MenuCommand) => {
  if (MENU_COMMANDS.includes(command)) page.dispatchEvent(new page.Event(`trailmark:${command}`));
});

// Files dropped on the window are offered for import. Their paths are only readable here (webUtils),
// never in the page; main asks the user to confirm them in a native dialog before reading anything.
page.addEventListener('dragover', (e) => e.preventDefault());
page.addEventListener('drop', (e) => {
  e.preventDefault();
  const paths = Array.from(e.dataTransfer?.files ?? []).map((f) => webUtils.getPathForFile(f)).filter(Boolean);
  if (paths.length) void send('app:import-dropped', { paths }).catch((err: Error) => console.error(err.message));
});
