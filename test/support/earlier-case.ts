// A case file as an earlier Trailmark left it: the migrations up to `schema` and the case's identity,
// checkpointed and closed, so its bytes on disk are the whole case (what an upgrade must not touch
// when it is declined or made on a copy).
import Database from 'better-sqlite3';
import { loadMigrations, migrate, type WritableDB } from '../../main/case/db';
import { initCase } from '../../main/case/meta';

export function writeEarlierCase(path: string, name: string, schema = 13): void {
  const raw = new Database(path);
  raw.pragma('page_size = 16384');
  raw.pragma('journal_mode = WAL');
  migrate(raw, loadMigrations().filter((m) => m.version <= schema));
  initCase(raw as WritableDB, name, 'earlier examiner', '0.0.9');
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
}
