// Recently opened cases, newest first, kept in a small JSON file in the user's app data folder.
// The page names a recent case by its id; only main turns an id back into a file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RecentCase } from '../../shared/app-api';

const MAX_RECENT = 10;

export interface RecentStore {
  list(): RecentCase[];
  add(path: string, name: string): void;
  /** The file of a listed case, or null when no listed case has this id. */
  resolve(id: string): string | null;
}

/** A case's id: derived from its path, so it stays the same across restarts, and names nothing else. */
export const recentId = (path: string): string => createHash('sha256').update(path).digest('hex').slice(0, 16);

type Stored = Omit<RecentCase, 'id'>;

export function recentStore(file: string, now = () => new Date()): RecentStore {
  const read = (): Stored[] => {
    try {
      const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!Array.isArray(data)) return [];
      return data.filter((r): r is Stored =>
        typeof r?.path === 'string' && typeof r?.name === 'string' && typeof r?.openedAt === 'string');
    } catch {
      // A missing or damaged list only costs the user their shortcuts.
      return [];
    }
  };
  // Cases moved or deleted since are left out rather than offered and then failing.
  const list = (): RecentCase[] =>
    read().filter((r) => existsSync(r.path)).map((r) => ({ id: recentId(r.path), path: r.path, name: r.name, openedAt: r.openedAt }));
  return {
    list,
    resolve: (id) => list().find((r) => r.id === id)?.path ?? null,
    add(path, name) {
      const abs = resolve(path);
      const next = [{ path: abs, name, openedAt: now().toISOString() }, ...read().filter((r) => r.path !== abs)].slice(0, MAX_RECENT);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(next, null, 2));
      renameSync(`${file}.tmp`, file);
    },
  };
}
