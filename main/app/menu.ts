// The native menu. Commands that need the page (dialogs whose result it shows) are sent to it as
// menu commands, so the menu and the page's own buttons run the same code.
import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { RecentCase } from '../../shared/app-api';
import { COMMAND_CHANNEL, type MenuCommand } from './commands';

export interface MenuActions {
  getWindow(): BrowserWindow | null;
  recent(): RecentCase[];
  /** Opens a recent case by its id (main resolves it, as for the page's own list). */
  openRecent(recentId: string): Promise<void>;
}

export function buildMenu(actions: MenuActions): void {
  const send = (command: MenuCommand) => () => {
    const win = actions.getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(COMMAND_CHANNEL, command);
  };
  const recent = actions.recent();
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Case…', accelerator: 'CmdOrCtrl+N', click: send('new-case') },
        { label: 'Open Case…', accelerator: 'CmdOrCtrl+O', click: send('open-case') },
        {
          label: 'Recent Cases',
          submenu: recent.length
            ? recent.map((r) => ({ label: `${r.name} — ${r.path}`, click: () => void actions.openRecent(r.id) }))
            : [{ label: 'No recent cases', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Import Files…', accelerator: 'CmdOrCtrl+I', click: send('import-files') },
        { label: 'Import Folders…', accelerator: 'CmdOrCtrl+Shift+I', click: send('import-folders') },
        { label: 'Pull from AWS…', click: send('pull-aws') },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: send('export') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' }, ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' },
        { type: 'separator' }, { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
