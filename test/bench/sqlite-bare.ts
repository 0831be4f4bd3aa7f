// SQLite's own share of an import, measured on the same records, parsed outside the timed region:
// - the "plain prepared-statement insert of raw rows with four indexes": each record's raw
//   text with the five fields the indexes need, the indexes kept up row by row;
// - a floor under any import that stores a row per event with those indexes: the same rows without
//   their raw text (an import must store it somewhere besides, which only adds), indexes kept up or
//   built after the load.
// 10k rows a transaction, with the case's page size, journal and cache.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import type { NormalizedEvent } from '../../shared/events';

const INDEXES = [
  'CREATE INDEX events_time ON events (time)',
  'CREATE INDEX events_actor ON events (actor, time)',
  'CREATE INDEX events_object ON events (bucket, key, time)',
  'CREATE INDEX events_request ON events (request_id)',
];
const ROWS_PER_TRANSACTION = 10_000;
const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

class BareCase {
  readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private pending = 0;
  /** Inserting and committing, indexes built after excluded. */
  seconds = 0;
  constructor(readonly path: string, private readonly raw: boolean, indexed: boolean) {
    this.remove();
    this.db = new Database(path);
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('cache_size = -65536'); // the case's: the index builds sort in it
    this.db.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, actor TEXT, bucket TEXT, key TEXT, request_id TEXT${raw ? ', raw TEXT NOT NULL' : ''})`);
    if (indexed) this.buildIndexes();
    this.insert = this.db.prepare(`INSERT INTO events (time, actor, bucket, key, request_id${raw ? ', raw' : ''}) VALUES (?, ?, ?, ?, ?${raw ? ', ?' : ''})`);
  }
  add(events: NormalizedEvent[]): void {
    const t0 = process.hrtime.bigint();
    for (const e of events) {
      if (this.pending === 0) this.db.exec('BEGIN');
      if (this.raw) this.insert.run(e.time, e.actor, e.bucket, e.key, e.requestId, e.raw);
      else this.insert.run(e.time, e.actor, e.bucket, e.key, e.requestId);
      if (++this.pending === ROWS_PER_TRANSACTION) this.commit();
    }
    this.seconds += seconds(t0);
  }
  commit(): void {
    if (this.pending) this.db.exec('COMMIT');
    this.pending = 0;
  }
  finish(): void {
    const t0 = process.hrtime.bigint();
    this.commit();
    this.seconds += seconds(t0);
  }
  buildIndexes(): void {
    this.db.transaction(() => { for (const ix of INDEXES) this.db.exec(ix); })();
  }
  close(): void {
    this.db.close();
    this.remove();
  }
  private remove(): void {
    for (const s of ['', '-wal', '-shm']) rmSync(this.path + s, { force: true });
  }
}

export interface SqliteBare {
  /** The plain insert of raw rows, indexes kept up: seconds. */
  plainSeconds: number;
  /** The floor, indexes kept up: seconds. */
  floorLiveSeconds: number;
  /** The floor without indexes, then the build of all four: seconds each. */
  floorLoadSeconds: number;
  floorBuildSeconds: number;
}

/** Feed it every parsed batch of the import's files, then call done(). */
export function sqliteBare(pathPrefix: string): { add: (events: NormalizedEvent[]) => void; done: () => SqliteBare } {
  const plain = new BareCase(`${pathPrefix}-plain.sqlite`, true, true);
  const live = new BareCase(`${pathPrefix}-live.sqlite`, false, true);
  const late = new BareCase(`${pathPrefix}-late.sqlite`, false, false);
  const all = [plain, live, late];
  return {
    add: (events) => { for (const c of all) c.add(events); },
    done: () => {
      for (const c of all) c.finish();
      const t0 = process.hrtime.bigint();
      late.buildIndexes();
      const floorBuildSeconds = seconds(t0);
      for (const c of all) c.close();
      return { plainSeconds: plain.seconds, floorLiveSeconds: live.seconds, floorLoadSeconds: late.seconds, floorBuildSeconds };
    },
  };
}
