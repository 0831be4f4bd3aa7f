// Recently opened cases, newest first, kept in a small JSON file in the user's app data folder.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RecentCase } from '../../shared/app-api';

const MAX_RECENT = 10;

export interface RecentStore {
  list(): RecentCase[];
  add(path: string, name: string): void;
}

export function recentStore(file: string, now = () => new Date()): RecentStore {
  const read = (): RecentCase[] => {
    try {
      const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (!Array.isArray(data)) return [];
      return data.filter((r): r is RecentCase =>
        typeof r?.path === 'string' && typeof r?.name === 'string' && typeof r?.openedAt === 'string');
    } catch {
      // A missing or damaged list only costs the user their shortcuts.
      return [];
    }
  };
  return {
    // Cases moved or deleted since are left out rather than offered and then failing.
    list: () => read().filter((r) => existsSync(r.path)),
    add(path, name) {
      const abs = resolve(path);
      const next = [{ path: abs, name, openedAt: now().toISOString() }, ...read().filter((r) => r.path !== abs)].slice(0, MAX_RECENT);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(next, null, 2));
      renameSync(`${file}.tmp`, file);
    },
  };
}
