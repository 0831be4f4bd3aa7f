// ipcMain handlers: one guard (the sender is our window's main frame on app://), then dispatch,
// which validates the request against the channel's schema before the service sees it. Only the
// page's allow-list and the preload's drop channel are registered (shared/page-api); the service's
// path-taking operations have no handler at all.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { PROGRESS_CHANNEL } from '../../shared/app-api';
import { IPC_CHANNELS } from '../../shared/page-api';
import type { CaseServiceLike, Dispatch } from './dispatch';
import { isTrustedSenderUrl } from './security';

function isTrustedSender(win: BrowserWindow, event: IpcMainInvokeEvent): boolean {
  if (win.isDestroyed()) return false;
  const frame = event.senderFrame;
  return !!frame && event.sender === win.webContents && frame === win.webContents.mainFrame && isTrustedSenderUrl(frame.url);
}

export function registerIpc(getWindow: () => BrowserWindow | null, dispatch: Dispatch, service: CaseServiceLike): () => void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, (event, req: unknown) => {
      const win = getWindow();
      if (!win || !isTrustedSender(win, event)) {
        return { ok: false, error: `refused ${channel}: the request did not come from the Trailmark window` };
      }
      return dispatch(channel, req);
    });
  }
  const unsubscribe = service.onProgress((p) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(PROGRESS_CHANNEL, p);
  });
  return () => {
    unsubscribe();
    for (const channel of IPC_CHANNELS) ipcMain.removeHandler(channel);
  };
}
