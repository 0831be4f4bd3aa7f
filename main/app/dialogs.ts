// Native file dialogs, attached to the main window.
import { dialog, type BrowserWindow } from 'electron';
import { UPGRADE_CHOICES } from './confirmations';
import type { Dialogs } from './dispatch';

const CASE_FILTER = [{ name: 'Trailmark case', extensions: ['trailmark'] }, { name: 'All files', extensions: ['*'] }];

export function electronDialogs(getWindow: () => BrowserWindow | null): Dialogs {
  const parent = () => getWindow() ?? undefined;
  const withParent = <T>(f: (w: BrowserWindow) => Promise<T>, g: () => Promise<T>) => {
    const w = parent();
    return w ? f(w) : g();
  };
  return {
    async chooseNewCasePath(suggestedName) {
      const opts = { title: 'New case', defaultPath: suggestedName, filters: CASE_FILTER, properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
      const r = await withParent((w) => dialog.showSaveDialog(w, opts), () => dialog.showSaveDialog(opts));
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async chooseCasePath() {
      const opts = { title: 'Open case', filters: CASE_FILTER, properties: ['openFile' as const] };
      const r = await withParent((w) => dialog.showOpenDialog(w, opts), () => dialog.showOpenDialog(opts));
      return r.canceled ? null : r.filePaths[0] ?? null;
    },
    async chooseImportPaths(kind) {
      // Linux and Windows dialogs cannot pick files and folders at once, hence two commands.
      const opts = {
        title: kind === 'files' ? 'Import evidence files' : 'Import evidence folders',
        properties: [kind === 'files' ? ('openFile' as const) : ('openDirectory' as const), 'multiSelections' as const],
      };
      const r = await withParent((w) => dialog.showOpenDialog(w, opts), () => dialog.showOpenDialog(opts));
      return r.canceled ? null : r.filePaths;
    },
    async chooseKeysFile() {
      const opts = {
        title: 'CloudTrail public keys (aws cloudtrail list-public-keys output)',
        filters: [{ name: 'JSON', extensions: ['json'] }, { name: 'All files', extensions: ['*'] }], properties: ['openFile' as const],
      };
      const r = await withParent((w) => dialog.showOpenDialog(w, opts), () => dialog.showOpenDialog(opts));
      return r.canceled ? null : r.filePaths[0] ?? null;
    },
    async confirm(question) {
      // Cancel is the default and the Escape answer: only an explicit click on the action goes ahead.
      const opts = {
        type: 'question' as const, title: question.title, message: question.title, detail: question.lines.join('\n'),
        buttons: [question.action, 'Cancel'], defaultId: 1, cancelId: 1, noLink: true,
      };
      const r = await withParent((w) => dialog.showMessageBox(w, opts), () => dialog.showMessageBox(opts));
      return r.response === 0;
    },
    async askUpgrade(question) {
      // Cancel is the default and the Escape answer, as for every question that changes a file.
      const opts = {
        type: 'question' as const, title: question.title, message: question.title, detail: question.lines.join('\n'),
        buttons: [...UPGRADE_CHOICES], defaultId: 2, cancelId: 2, noLink: true,
      };
      const r = await withParent((w) => dialog.showMessageBox(w, opts), () => dialog.showMessageBox(opts));
      return r.response === 0 ? 'in-place' : r.response === 1 ? 'copy' : null;
    },
    async chooseUpgradeCopyPath(suggestedPath) {
      // No overwrite confirmation: the copy must be a new file, and the case worker refuses an existing one.
      const opts = { title: 'Save the upgraded copy as', defaultPath: suggestedPath, filters: CASE_FILTER, properties: ['createDirectory' as const] };
      const r = await withParent((w) => dialog.showSaveDialog(w, opts), () => dialog.showSaveDialog(opts));
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async chooseExportPath(suggestedName) {
      const ext = suggestedName.split('.').pop() ?? '';
      const names: Record<string, string> = { pdf: 'PDF report', csv: 'CSV', jsonl: 'JSON lines' };
      const opts = {
        title: 'Export', defaultPath: suggestedName,
        filters: [{ name: names[ext] ?? ext, extensions: [ext] }], properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
      };
      const r = await withParent((w) => dialog.showSaveDialog(w, opts), () => dialog.showSaveDialog(opts));
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
