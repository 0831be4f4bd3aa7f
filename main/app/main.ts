// Electron entry: the app:// scheme, one hardened window, IPC to the case service, the menu.
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { CaseService } from '../service';
import { createMainWindow, hardenSession } from './window';
import { createDispatch } from './dispatch';
import { electronDialogs } from './dialogs';
import { registerIpc } from './ipc';
import { buildMenu } from './menu';
import { registerAppScheme, serveRenderer } from './protocol';
import { recentStore } from './recent';
import { COMMAND_CHANNEL } from './commands';
import { generateSample } from './sample';
import { electronPdfPrinter } from './print';
import { userDataOverride } from './security';

// Tests point a development build at a throwaway profile; a packaged app ignores the variable.
const userData = userDataOverride(app.isPackaged, process.env);
if (userData) app.setPath('userData', userData);
app.enableSandbox();
registerAppScheme();

let win: BrowserWindow | null = null;
const getWindow = () => (win && !win.isDestroyed() ? win : null);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const w = getWindow();
    if (w) {
      if (w.isMinimized()) w.restore();
      w.focus();
    }
  });

  void app.whenReady().then(() => {
    hardenSession();
    serveRenderer(join(__dirname, '../../renderer'));
    const service = new CaseService({ printPdf: electronPdfPrinter() });
    const recent = recentStore(join(app.getPath('userData'), 'recent-cases.json'));
    const dispatch = createDispatch(service, {
      dialogs: electronDialogs(getWindow),
      recent,
      sample: { root: join(app.getPath('userData'), 'sample-cases'), generate: generateSample },
    });
    registerIpc(getWindow, dispatch, service);
    const refreshMenu = () => buildMenu({
      getWindow,
      recent: () => recent.list(),
      openRecent: async (recentId) => {
        const res = await dispatch('app:open-case', { recentId });
        if (res.ok) getWindow()?.webContents.send(COMMAND_CHANNEL, 'case-changed');
        refreshMenu();
      },
    });
    refreshMenu();
    // The recent list changes whenever a case is opened or created; rebuilt on focus rather than wired to every path.
    app.on('browser-window-focus', refreshMenu);
    win = createMainWindow(join(__dirname, 'preload.js'));
    app.on('activate', () => {
      if (!getWindow()) win = createMainWindow(join(__dirname, 'preload.js'));
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
