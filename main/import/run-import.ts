// Import orchestration: walk → detect → hash → parse → write, file by file, with progress and
// cancellation. Runs in whatever thread owns the write connection (the case worker in the app and the CLI).
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { FileOutcome, ImportProgress, ImportSummary } from '../../shared/api';
import type { WritableDB } from '../case/db';
import { updateAnalysisInSlices } from '../case/analysis-update';
import { deriveDownloadSteps } from '../case/downloads';
import { updateIpContext } from '../case/ip-context';
import { EvidenceWriter, evidenceBySha, recordEvidenceOnly, undoUnfinished, WriteTransaction, type NewEvidence } from '../case/import-writer';
import { openCase } from '../case/open';
import { recordRefusedFiles } from '../case/refused';
import { pack, type PackedBatch, type ParsedBatch } from '../ingest/parse-file';
import { walk } from '../ingest/walk';
import { storeEvidence } from '../integrity/evidence-store';
import { Checkpointer } from './checkpointer';
import { inThreadParser, type FileFacts, type ParseBatches, type ParseJob, type Parser } from './parse-contract';

export interface OriginInfo { origin: object; displayPath?: string; meta?: object }

export interface ImportOptions {
  examiner?: string;
  /** Provenance of files acquired from an API (AWS pulls); plain files are {"type":"file"}. */
  origin?: (path: string) => OriginInfo | undefined;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  jobId?: string;
  /** Also copy each file into the case's read-only evidence store (`<case>.evidence/`). */
  copyEvidence?: boolean;
  /** Where identifying and parsing happen; defaults to this thread. The case worker passes a parse worker. */
  makeParser?: () => Parser;
  /** In-thread parsing with batches of the caller's making (tests inject failures here). */
  parse?: ParseBatches;
  /** Checkpoint the case from a thread of its own while importing (checkpointer.ts). */
  backgroundCheckpoints?: boolean;
}

const FIRST_REJECTS = 5;

/** The import's page cache, in KiB, and its sort helper threads (the bench's SQLite floor uses the same). */
export const IMPORT_CACHE_KIB = 4096;
export const importSortThreads = (): number => Math.max(0, Math.min(4, availableParallelism() - 1));

export function openCaseForImport(casePath: string, examiner: string | null): WritableDB {
  const db = openCase(casePath, { examiner });
  setImportPragmas(db);
  return db;
}

/** Tunes a write connection for a bulk import; returns how to put it back (the case worker's connection outlives its imports). */
export function setImportPragmas(db: WritableDB): () => void {
  const before = ['wal_autocheckpoint', 'cache_size', 'journal_size_limit', 'foreign_keys', 'threads'].map((name) => [name, db.pragma(name, { simple: true })] as const);
  // A checkpoint syncs the disk; at SQLite's default (every 1,000 pages) a bulk import spent a third of
  // its time there. Checkpoint every 256 MB of WAL instead, and give the space back when done.
  db.pragma('wal_autocheckpoint = 16384');
  // The writer appends; a small page cache serves it as well as a large one and keeps peak memory down
  // (64 MB → 16 MB measured 410 → 344 MB peak RSS on a 400k-line import, at the same speed). Smaller
  // still builds the indexes faster: SQLite's sorter cuts its input into runs the size of the cache
  // (250 pages at least, 4 MB here) and its helper thread sorts one run while the next is read — 16 →
  // 4 MB took the index builds over 1M downloads from 2.5–2.7 to 1.9–2.2 s, peak RSS 265 → 227 MB.
  db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  db.pragma('journal_size_limit = 67108864');
  // Every row this connection writes points at rows it has just written itself (a file's events at its
  // evidence row, downloads at those events), so checking each reference costs without protecting
  // anything: 12–17 % of the writer's insert time, measured. Tests check the references after imports,
  // failures and cancels (PRAGMA foreign_key_check), and `verify` reports events of unknown evidence.
  db.pragma('foreign_keys = OFF');
  // Sorts (the indexes built after a bulk derivation) may use helper threads: the parser is done by
  // then. One helper on 2 cores: four download indexes over 750k rows in 1.9 instead of 2.8 s.
  db.pragma(`threads = ${importSortThreads()}`);
  return () => { for (const [name, value] of before) db.pragma(`${name} = ${Number(value)}`); };
}

/** An import on a connection that stays open after it (the case worker's): import pragmas and background checkpoints for its duration. */
export async function importOnConnection(db: WritableDB, casePath: string, paths: string[], opts: ImportOptions = {}): Promise<ImportSummary> {
  const restore = setImportPragmas(db);
  const checkpointer = new Checkpointer(casePath);
  try {
    return await importInto(db, paths, { ...opts, casePath });
  } finally {
    await checkpointer.stop();
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A reader holding the log: the next checkpoint takes it.
    }
    restore();
  }
}

export async function importPaths(casePath: string, paths: string[], opts: ImportOptions = {}): Promise<ImportSummary> {
  const db = openCaseForImport(casePath, opts.examiner ?? null);
  const checkpointer = opts.backgroundCheckpoints ? new Checkpointer(casePath) : null;
  try {
    return await importInto(db, paths, { ...opts, casePath });
  } finally {
    await checkpointer?.stop();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }
}

export async function importInto(db: WritableDB, paths: string[], opts: ImportOptions & { casePath?: string } = {}): Promise<ImportSummary> {
  const started = Date.now();
  const examiner = opts.examiner ?? null;
  const progress: ImportProgress = {
    jobId: opts.jobId ?? 'import', phase: 'scanning', filesTotal: 0, filesDone: 0, currentFile: null, events: 0, rejected: 0,
    bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null,
  };
  let lastReport = 0;
  const report = (force = false) => {
    const now = Date.now();
    if (!opts.onProgress || (!force && now - lastReport < 100)) return;
    lastReport = now;
    const seconds = (now - started) / 1000;
    progress.rate = seconds > 0 ? Math.round(progress.events / seconds) : 0;
    progress.etaSeconds = progress.bytesDone > 0 && progress.bytesTotal > progress.bytesDone
      ? Math.round((seconds * (progress.bytesTotal - progress.bytesDone)) / progress.bytesDone) : null;
    opts.onProgress({ ...progress });
  };
  report(true);

  // Absolute paths: the case must still find its evidence when opened from another folder.
  const { files, problems } = await walk(paths.map((p) => resolve(p)));
  const outcomes: FileOutcome[] = problems.map((p) => ({ path: p.path, format: null, status: 'refused', events: 0, duplicates: 0, rejected: 0, reason: p.reason }));
  progress.filesTotal = files.length;
  progress.bytesTotal = files.reduce((n, f) => n + f.size, 0);
  progress.phase = 'importing';

  let cancelled = false;
  // Committed before every await (each batch, each file's end): between two batches the connection
  // holds no transaction, so the case worker answers notes and reads there, and a crash loses at most
  // the batch being written (its file, still 'importing', is undone when the case is next opened).
  const tx = new WriteTransaction<FileOutcome>(db);
  // Every file is queued at once: the parser reads them in order, a few batches ahead of the writer.
  const importAll = async (parser: Parser) => {
    const jobs = files.map((f) => parser.start(f.path, f.size));
    for (const [i, file] of files.entries()) {
      if (opts.signal?.aborted) {
        cancelled = true;
        jobs[i].cancel();
        outcomes.push({ path: file.path, format: null, status: 'cancelled', events: 0, duplicates: 0, rejected: 0 });
        continue;
      }
      progress.currentFile = file.path;
      // At most every 100 ms, like batches: a message per file cost a thousand small trail files 0.07 s each.
      report();
      const bytesBefore = progress.bytesDone;
      const outcome = await importFile(db, tx, file.path, jobs[i], examiner, opts, (batch) => {
        progress.events += batch.count;
        progress.rejected += batch.rejects.length;
        progress.bytesDone += batch.bytes;
        report();
      });
      progress.bytesDone = bytesBefore + file.size;
      progress.filesDone++;
      if (outcome.status === 'cancelled') cancelled = true;
      outcomes.push(outcome);
    }
  };
  const step = (message: string, fn: () => void) => {
    progress.message = message;
    report(true);
    fn();
    progress.message = undefined;
  };
  try {
    const parser = opts.makeParser?.() ?? inThreadParser(opts.parse);
    try {
      await importAll(parser);
    } finally {
      // Before deriving and folding, whose own peaks come next: 1M access-log lines went from 286 to 171 MB.
      await parser.close?.();
    }
  } finally {
    try {
      tx.commit();
    } catch (err) {
      dropLost(tx, err);
    }
    recordNotTaken(db, outcomes, files, examiner);
    // Long writes on a large import; a turn of the event loop before each lets waiting requests through.
    await turn();
    // In slices of events, each its own transaction: a note or a page waits for one slice, not for all of them.
    progress.message = 'deriving downloads';
    report(true);
    for (const _ of deriveDownloadSteps(db, { onIndexes: () => { progress.message = 'building indexes'; report(true); } })) await turn();
    progress.message = undefined;
    await turn();
    // Before the analysis (which would do it too), so its cost shows apart: one lookup per new address.
    step('looking up addresses', () => updateIpContext(db));
    await turn();
    // In slices, each its own transaction, with turns between them: a note waits for one slice, not the whole fold.
    progress.message = 'updating the analysis';
    report(true);
    await updateAnalysisInSlices(db, turn);
    progress.message = undefined;
  }
  progress.phase = cancelled ? 'cancelled' : 'done';
  progress.currentFile = null;
  report(true);
  return {
    files: outcomes,
    events: outcomes.reduce((n, o) => n + o.events, 0),
    duplicates: outcomes.reduce((n, o) => n + o.duplicates, 0),
    rejected: outcomes.reduce((n, o) => n + o.rejected, 0),
    refused: outcomes.filter(notTaken).length,
    seconds: (Date.now() - started) / 1000,
  };
}

async function importFile(
  db: WritableDB, tx: WriteTransaction<FileOutcome>, path: string, job: ParseJob, examiner: string | null, opts: ImportOptions & { casePath?: string },
  onBatch: (b: PackedBatch) => void,
): Promise<FileOutcome> {
  const base: FileOutcome = { path, format: null, status: 'failed', events: 0, duplicates: 0, rejected: 0 };
  const kept = (outcome: FileOutcome) => { tx.fileDone(outcome); commit(tx); return outcome; };
  commit(tx);
  let facts: FileFacts;
  try {
    facts = await job.identified();
  } catch (err) {
    return { ...base, reason: `cannot be read: ${(err as Error).message}` };
  }
  if (facts.kind !== 'evidence') {
    const known = { sha256: facts.sha256, size: facts.size };
    return { ...base, ...known, status: facts.kind === 'unknown' ? 'refused' : 'failed', reason: facts.reason };
  }
  const { format, sha256, size } = facts;
  const refuse = (outcome: Partial<FileOutcome>) => { job.cancel(); return { ...base, format, sha256, size, ...outcome }; };
  const existing = evidenceBySha(db, sha256);
  if (existing?.status === 'complete') return refuse({ status: 'already-in-case', reason: `same SHA-256 as evidence #${existing.id}` });
  if (opts.copyEvidence && opts.casePath) {
    try {
      await storeEvidence(opts.casePath, path, sha256);
    } catch (err) {
      return refuse({ reason: `could not be copied into the evidence store: ${(err as Error).message}` });
    }
  }
  const info = opts.origin?.(path);
  const evidence: NewEvidence = {
    path: info?.displayPath ?? path, origin: info?.origin ?? { type: 'file' }, sha256, size, format, examiner, meta: info?.meta ?? null,
  };
  if (!facts.parse) {
    if (facts.malformed) return { ...base, format, sha256, size, reason: facts.malformed };
    const counts = recordEvidenceOnly(db, { ...evidence, meta: { ...facts.description, ...(info?.meta ?? {}) } }, tx);
    return kept({ ...base, format, status: 'imported', events: counts.events });
  }
  const writer = EvidenceWriter.begin(db, evidence, tx);
  const firstRejects: { locator: number; reason: string }[] = [];
  try {
    const batches = job.batches(opts.signal)[Symbol.asyncIterator]();
    for (;;) {
      tx.commit();
      // A turn of the event loop: requests that arrived meanwhile (a note, a page) are answered here.
      await turn();
      const next = await batches.next();
      if (next.done) break;
      // With it, the batches that arrived meanwhile, in the same transaction: none needs an await, and a
      // writer behind its parser keeps larger transactions (2k → 16k rows each was ~20 % less writer time).
      for (let parsed: ParsedBatch | PackedBatch | null = next.value; parsed; parsed = job.takeReady?.() ?? null) {
        const batch = pack(parsed);
        writer.write(batch.rows, batch.rejects, batch.records);
        for (const r of batch.rejects) if (firstRejects.length < FIRST_REJECTS) firstRejects.push({ locator: r.locator, reason: r.reason });
        onBatch(batch);
        opts.signal?.throwIfAborted();
      }
    }
    const counts = writer.finish();
    if (counts.records > 0 && counts.rejected === counts.records) {
      // Every record was bad: keep the evidence (it is what was handed over), but say so loudly.
      return kept({ ...base, format, status: 'imported', rejected: counts.rejected, firstRejects, reason: 'no record in this file could be read' });
    }
    return kept({ ...base, format, status: 'imported', events: counts.events, duplicates: counts.duplicates, rejected: counts.rejected, firstRejects });
  } catch (err) {
    dropLost(tx, err);
    undoUnfinished(db);
    const aborted = opts.signal?.aborted ?? false;
    return { ...base, format, sha256, size, status: aborted ? 'cancelled' : 'failed', reason: aborted ? 'cancelled; this file was undone' : `${(err as Error).message}; this file was undone` };
  }
}

const notTaken = (o: FileOutcome): o is FileOutcome & { status: 'refused' | 'failed' } => o.status === 'refused' || o.status === 'failed';

/**
 * Every file not taken goes into the case (refused_files) and its custody log, with what is known of it:
 * an examiner must be able to say later what was offered and why it was not taken. A case that cannot
 * be written records nothing, and the outcome says so.
 */
function recordNotTaken(db: WritableDB, outcomes: FileOutcome[], files: { path: string; size: number }[], examiner: string | null): void {
  const sizes = new Map(files.map((f) => [f.path, f.size]));
  const refused = outcomes.filter(notTaken);
  try {
    recordRefusedFiles(db, refused.map((o) => ({
      path: o.path, size: o.size ?? sizes.get(o.path) ?? null, sha256: o.sha256 ?? null, status: o.status, reason: o.reason ?? o.status,
    })), examiner);
  } catch (err) {
    for (const o of refused) o.reason = `${o.reason ?? o.status} (not recorded in the case: ${(err as Error).message})`;
  }
}

/** One turn of the event loop (messages from the case worker's host are handled in it). */
const turn = () => new Promise<void>((r) => setImmediate(r));

/** Commits what the import wrote so far; a failed commit reports the files it held as not kept. */
function commit(tx: WriteTransaction<FileOutcome>): void {
  try {
    tx.commit();
  } catch (err) {
    dropLost(tx, err);
  }
}

/** Files finished in a transaction that SQLite rolled back after an error are reported as not imported. */
function dropLost(tx: WriteTransaction<FileOutcome>, err: unknown): void {
  for (const o of tx.lostFiles()) {
    Object.assign(o, { status: 'failed', events: 0, duplicates: 0, rejected: 0, firstRejects: undefined,
      reason: `not kept: the case could not be written (${(err as Error).message}); import it again` });
  }
}
