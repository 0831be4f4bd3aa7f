// Index timing for bulk derivation: the wide secondary indexes of `downloads` cost a third of the
// writer's time when kept up row by row; building them once after the load is much cheaper. They are
// dropped only when many events wait to be derived, and always put back — right after deriving, and
// when a case left without them by a crash is next opened.
import type { WritableDB } from './db';

/** The same definitions as migration 017 (a test checks they stay the same). */
export const DEFERRABLE_INDEXES: Record<string, string> = {
  downloads_actor: 'CREATE INDEX downloads_actor ON download_ledger (actor_id, time, id)',
  downloads_object: 'CREATE INDEX downloads_object ON download_ledger (object_id, time, id)',
  downloads_source_ip: 'CREATE INDEX downloads_source_ip ON download_ledger (source_ip, time, id)',
};

/** Deriving at least this many events defers the indexes. */
export const BULK_EVENTS = 50_000;

export function deferDownloadIndexes(db: WritableDB): void {
  db.transaction(() => {
    for (const name of Object.keys(DEFERRABLE_INDEXES)) db.exec(`DROP INDEX IF EXISTS ${name}`);
  })();
}

/** Creates whichever deferred index is missing; returns the names it built. */
export function restoreDownloadIndexes(db: WritableDB): string[] {
  const built: string[] = [];
  for (const name of restoreDownloadIndexSteps(db)) built.push(name);
  return built;
}

/** restoreDownloadIndexes an index at a time, each its own transaction, yielding its name once built. */
export function* restoreDownloadIndexSteps(db: WritableDB): Generator<string> {
  const present = () => new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'download_ledger'`).all() as { name: string }[]).map((r) => r.name));
  for (const name of Object.keys(DEFERRABLE_INDEXES).filter((n) => !present().has(n))) {
    // Looked for again: another caller may have built it between two steps.
    db.transaction(() => { if (!present().has(name)) db.exec(DEFERRABLE_INDEXES[name]); })();
    yield name;
  }
}
