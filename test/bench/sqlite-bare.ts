// SQLite's own share of an import, measured on the same records, parsed outside the timed region:
// - the "plain prepared-statement insert of raw rows with four indexes": each record's raw
//   text with the five fields the indexes need, the indexes kept up row by row;
// - a floor under any import of Trailmark's data model: only what its indexes must hold — per event
//   its time and natural-key hash under the unique index that finds a repeated record, and the fields
//   its download is derived from; per download its request key, time, actor and object under the four
//   indexes the timeline reads — with no raw record and no other column (storing them only adds);
//   each table with its indexes kept up and, apart, loaded bare and indexed after.
// 10k events a transaction, with the import's page size, journal and sort threads, and no checkpoints.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { IMPORT_CACHE_KIB, importSortThreads } from '../../main/import/run-import';
import { naturalKeyHash } from '../../main/ingest/natural-key';
import type { NormalizedEvent } from '../../shared/events';
import { secondsSince } from './clock';

interface Shape {
  tables: string[];
  indexes: string[];
  /** Binds one event's rows (the natural-key hashes are computed before the clock starts)… */
  insert?: (db: Database.Database) => (e: NormalizedEvent, nk: number) => void;
  /** …or fills the table at the end from the events of another bare case, attached as `source`. */
  derive?: string;
}

const PLAIN: Shape = {
  tables: ['CREATE TABLE events (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, actor TEXT, bucket TEXT, key TEXT, request_id TEXT, raw TEXT NOT NULL)'],
  indexes: [
    'CREATE INDEX events_time ON events (time)',
    'CREATE INDEX events_actor ON events (actor, time)',
    'CREATE INDEX events_object ON events (bucket, key, time)',
    'CREATE INDEX events_request ON events (request_id)',
  ],
  insert: (db) => {
    const st = db.prepare('INSERT INTO events (time, actor, bucket, key, request_id, raw) VALUES (?, ?, ?, ?, ?, ?)');
    return (e) => { st.run(e.time, e.actor, e.bucket, e.key, e.requestId, e.raw); };
  },
};

/**
 * The floor's two tables, each measured apart, so that every mix of indexes kept up and built after
 * is known. The downloads are derived in SQL from the events, as Trailmark does: binding them from
 * JS as a second table measured slower (1M access-log lines 2.46 against 2.31 s, 1M trail records
 * 2.43 against 1.97 s, both tables' loads).
 */
const FLOOR_EVENTS: Shape = {
  tables: ['CREATE TABLE events (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, nk INTEGER NOT NULL, download INTEGER NOT NULL, request_id TEXT, actor TEXT, bucket TEXT, key TEXT)'],
  indexes: ['CREATE INDEX events_natural ON events (time, nk)'],
  insert: (db) => {
    const st = db.prepare('INSERT INTO events (time, nk, download, request_id, actor, bucket, key) VALUES (?, ?, ?, ?, ?, ?, ?)');
    return (e, nk) => { st.run(e.time, nk, e.kind === 'download' ? 1 : 0, e.requestId, e.actor, e.bucket, e.key); };
  },
};

const FLOOR_DOWNLOADS: Shape = {
  tables: ['CREATE TABLE downloads (id INTEGER PRIMARY KEY, request_key TEXT NOT NULL, time INTEGER NOT NULL, actor TEXT NOT NULL, bucket TEXT NOT NULL, key TEXT NOT NULL)'],
  indexes: [
    'CREATE INDEX downloads_request ON downloads (request_key)',
    'CREATE INDEX downloads_time ON downloads (time, id)',
    'CREATE INDEX downloads_actor ON downloads (actor, time, id)',
    'CREATE INDEX downloads_object ON downloads (bucket, key, time, id)',
  ],
  derive: `INSERT INTO downloads (request_key, time, actor, bucket, key)
    SELECT coalesce(request_id, '') || '|' || coalesce(bucket, '') || '|' || coalesce(key, ''), time, coalesce(actor, 'unknown'), coalesce(bucket, ''), coalesce(key, '')
    FROM source.events WHERE download = 1 ORDER BY id`,
};

const EVENTS_PER_TRANSACTION = 10_000;

class BareCase {
  readonly db: Database.Database;
  private readonly insert: ((e: NormalizedEvent, nk: number) => void) | null;
  private pending = 0;
  /** Inserting and committing; building indexes after the load is timed apart. */
  seconds = 0;
  constructor(readonly path: string, private readonly shape: Shape, indexed: boolean) {
    this.remove();
    this.db = new Database(path);
    this.db.pragma('page_size = 16384');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Indexes kept up row by row want a large cache (the case's 64 MB); built after the load, the
    // import's small one sorts faster (run-import.ts).
    this.db.pragma(`cache_size = -${indexed ? 65536 : IMPORT_CACHE_KIB}`);
    // No checkpoints in the timed work: an import can leave them to a thread on the other core (Trailmark's does).
    this.db.pragma('wal_autocheckpoint = 0');
    // Sorting for index builds on helper threads, as Trailmark's import does.
    this.db.pragma(`threads = ${importSortThreads()}`);
    for (const t of shape.tables) this.db.exec(t);
    if (indexed) this.buildIndexes();
    this.insert = shape.insert?.(this.db) ?? null;
  }
  add(events: NormalizedEvent[], nks: number[]): void {
    const insert = this.insert;
    if (!insert) return;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < events.length; i++) {
      if (this.pending === 0) this.db.exec('BEGIN');
      insert(events[i], nks[i]);
      if (++this.pending === EVENTS_PER_TRANSACTION) this.commit();
    }
    this.seconds += secondsSince(t0);
  }
  commit(): void {
    if (this.pending) this.db.exec('COMMIT');
    this.pending = 0;
  }
  /** Commits what is pending, or derives the table from `source` (a finished bare case of the events). */
  finish(source?: BareCase): void {
    const t0 = process.hrtime.bigint();
    this.commit();
    if (this.shape.derive && source) {
      this.db.prepare('ATTACH ? AS source').run(source.path);
      this.db.transaction(() => this.db.exec(this.shape.derive!))();
      this.db.exec('DETACH source');
    }
    this.seconds += secondsSince(t0);
  }
  /** Returns the seconds it took; the load is checkpointed first, untimed, as a checkpoint thread would have. */
  buildIndexes(): number {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    const t0 = process.hrtime.bigint();
    for (const ix of this.shape.indexes) this.db.exec(ix);
    return secondsSince(t0);
  }
  close(): void {
    this.db.close();
    this.remove();
  }
  private remove(): void {
    for (const s of ['', '-wal', '-shm']) rmSync(this.path + s, { force: true });
  }
}

/** One table of the floor: loaded with its indexes kept up, or loaded bare and then indexed. */
export interface FloorPart { liveSeconds: number; loadSeconds: number; buildSeconds: number }

export interface SqliteBare {
  /** The plain insert of raw rows, indexes kept up: seconds. */
  plainSeconds: number;
  floor: FloorPart[];
}

/** Feed it every parsed batch of the import's files, then call done(). */
export function sqliteBare(pathPrefix: string): { add: (events: NormalizedEvent[]) => void; done: () => SqliteBare } {
  const plain = new BareCase(`${pathPrefix}-plain.sqlite`, PLAIN, true);
  const parts = [FLOOR_EVENTS, FLOOR_DOWNLOADS].map((shape, i) => ({
    live: new BareCase(`${pathPrefix}-${i}-live.sqlite`, shape, true),
    late: new BareCase(`${pathPrefix}-${i}-late.sqlite`, shape, false),
  }));
  const all = [plain, ...parts.flatMap((p) => [p.live, p.late])];
  return {
    add: (events) => {
      const nks = events.map(naturalKeyHash);
      for (const c of all) c.add(events, nks);
    },
    done: () => {
      for (const c of all) c.finish(parts[0].late);
      const floor = parts.map((p) => ({ liveSeconds: p.live.seconds, loadSeconds: p.late.seconds, buildSeconds: p.late.buildIndexes() }));
      for (const c of all) c.close();
      return { plainSeconds: plain.seconds, floor };
    },
  };
}

/**
 * The least wall time the floor allows beside a parse of `parseSeconds` on two cores: the loads run on
 * one (SQLite has one writer) overlapped perfectly with the parse, the indexes built after it; each
 * table with its indexes kept up or built after, whichever mix is best.
 */
export function floorSeconds(floor: FloorPart[], parseSeconds: number): number {
  let best = Infinity;
  for (let mix = 0; mix < 1 << floor.length; mix++) {
    let load = 0;
    let after = 0;
    floor.forEach((p, i) => {
      if (mix & (1 << i)) load += p.liveSeconds;
      else {
        load += p.loadSeconds;
        after += p.buildSeconds;
      }
    });
    best = Math.min(best, Math.max(load, (parseSeconds + load) / 2) + after);
  }
  return best;
}
