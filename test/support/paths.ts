// Paths the tests share: the repository root (tests run from dist/), fixtures, and temp case folders.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const fixture = (...parts: string[]): string => join(ROOT, 'test', 'fixtures', ...parts);
export const publicSample = (...parts: string[]): string => fixture('public', ...parts);

/** A fresh temp folder, removed when the test ends (pass node:test's `t`). */
export function tempDir(t: { after(fn: () => void): void }, prefix = 'trailmark-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
