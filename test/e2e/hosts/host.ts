// What a spec sees of the app, whichever host runs it.
import type { Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The project root, found from here whether this runs as TypeScript (Playwright) or compiled under dist/ (bench). */
function findRoot(dir: string): string {
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'scripts', 'build.mjs'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no project root above ${__dirname}`);
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot(__dirname);
export const DIST = join(ROOT, 'dist');

export interface AppHost {
  kind: 'browser' | 'electron';
  page: Page;
  /** The next native file dialog answers with these paths (a save dialog with the first one). */
  chooseInDialog(paths: string[]): Promise<void>;
  /** The confirmations main asked for so far (a pull's profile and destinations…), each as its title and lines; the host answers yes. */
  confirmations(): Promise<string[]>;
  /** Requests that tried to leave the app (remote content); must stay empty. */
  blockedRequests(): string[];
  close(): Promise<void>;
}

/** The Electron binary, when it is installed (scripts/electron-binary.cjs: found without triggering a download). */
export function electronBinary(): string | null {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(ROOT, 'scripts', 'electron-binary.cjs')) as { electronBinary(): string | null }).electronBinary();
}
