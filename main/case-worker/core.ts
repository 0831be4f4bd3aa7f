// The case worker's handler table: every channel of shared/api over the one open case and its only
// write connection. It runs in the case worker's thread (thread.ts); main/service is the client the
// IPC, the CLI and the tests call. Imports run here too, one at a time, committing before every await,
// so a note or a page request is answered between two of an import's batches. A case of an earlier
// schema is never migrated on open: case:open describes the upgrade, and the caller says whether and
// how (main, once it has asked the investigator in a dialog).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Channel, ImportProgress, ImportSummary, Req, Responses } from '../../shared/api';
import { addNote, addTag, listNotes, listTags, removeTag, withMarks } from '../case/annotations';
import { analysisConditions } from '../case/analysis';
import { analysisHandlers } from '../case/analysis-api';
import { updateAnalysis } from '../case/analysis-update';
import { appendCustody } from '../case/custody';
import { listCustody } from '../case/custody';
import { CaseFileError, type WritableDB } from '../case/db';
import { listEvidence, listRejects } from '../case/evidence';
import { listRefusedFiles } from '../case/refused';
import { getIntegrityRun } from '../case/integrity-queries';
import { caseInfo } from '../case/meta';
import { openCase } from '../case/open';
import { pendingUpgrade, recordUpgradeCopy, upgradeCopy } from '../case/upgrade';
import { downloadDetail, timelinePage } from '../case/timeline';
import { timelinePosition } from '../case/timeline-position';
import { ParsePool } from '../import/parse-thread-client';
import { importOnConnection, type OriginInfo } from '../import/run-import';
import { reportHandlers, type PdfPrinter } from '../report/handlers';
import { runIntegrityValidation } from '../verify';

// The AWS SDK (about 27 MB of heap) loads with the first pull, not with every case worker: most
// cases are built from files on disk. No pull can be running before the module is loaded.
type PullModule = typeof import('../aws/pull');
let pullModule: PullModule | undefined;
const loadPull = async (): Promise<PullModule> => (pullModule ??= await import('../aws/pull'));

type Handlers = { [C in Channel]: (req: Req<C>) => Responses[C] | Promise<Responses[C]> };

export class NoCaseError extends Error {
  constructor() { super('no case is open'); }
}

export interface CoreOptions {
  examiner?: string;
  /** How report:render prints; the worker passes one that asks its host (main prints, the worker builds the HTML). */
  printPdf?: PdfPrinter;
  onProgress?: (p: ImportProgress) => void;
}

interface Job { id: string; abort: AbortController; done: Promise<ImportSummary> }

export class CaseCore {
  private db: WritableDB | null = null;
  private path: string | null = null;
  private readonly jobs = new Map<string, Job>();
  /** Imports run one after another: one writer, one import's pragmas at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: CoreOptions = {}) {}

  private get open(): { db: WritableDB; path: string } {
    if (!this.db || !this.path) throw new NoCaseError();
    return { db: this.db, path: this.path };
  }

  private examiner(given?: string | null): string | null {
    return given ?? this.opts.examiner ?? null;
  }

  private emit(p: ImportProgress): void {
    this.opts.onProgress?.(p);
  }

  /** Opens (or, with create, creates) a case file; any previous case is closed. */
  async openCase(path: string, create?: { name?: string; examiner?: string }, upgrade = false): Promise<void> {
    if (!create && !existsSync(path)) throw new CaseFileError(`${path} does not exist`);
    await this.close();
    this.db = openCase(path, { name: create?.name, examiner: this.examiner(create?.examiner), create: create !== undefined, upgrade });
    this.path = path;
  }

  /**
   * case:open. A case of an earlier schema is only described (the case open before stays open) until
   * the caller says how to upgrade it: in place, or a copy — the original only read — that is then
   * the case opened.
   */
  private async openOrDescribeUpgrade({ path, upgrade }: Req<'case:open'>): Promise<Responses['case:open']> {
    const pending = pendingUpgrade(path);
    if (pending && !upgrade) return { needsUpgrade: { path, ...pending } };
    if (pending && upgrade && upgrade !== 'in-place') {
      await upgradeCopy(path, upgrade.copyTo, async () => {
        try {
          await this.openCase(upgrade.copyTo, undefined, true);
          recordUpgradeCopy(this.open.db, path, pending.fromSchema, this.examiner());
        } catch (err) {
          await this.close(); // the copy is removed: no connection may hold it
          throw err;
        }
      });
      return caseInfo(this.open.db, upgrade.copyTo);
    }
    await this.openCase(path, undefined, pending !== null);
    return caseInfo(this.open.db, path);
  }

  /** Cancels the imports, waits for them to stop (their files undone), then closes the connection. */
  async close(): Promise<void> {
    for (const job of this.jobs.values()) job.abort.abort();
    await Promise.allSettled([...this.jobs.values()].map((j) => j.done));
    this.db?.close();
    this.db = null;
    this.path = null;
  }

  /** Queues an import on this case; progress (and finally the summary) goes out as progress events. */
  startImport(paths: string[], examiner?: string | null, origins?: Record<string, OriginInfo>, copyEvidence?: boolean): Job {
    const { db } = this.open;
    const id = randomUUID();
    const abort = new AbortController();
    let last: ImportProgress | null = null;
    const final = (phase: ImportProgress['phase'], extra: Partial<ImportProgress>) =>
      this.emit({ ...(last ?? emptyProgress(id)), phase, currentFile: null, ...extra });
    const run = () => importOnConnection(db, this.open.path, paths, {
      examiner: this.examiner(examiner) ?? undefined, jobId: id, signal: abort.signal, copyEvidence, origin: origins ? (p) => origins[p] : undefined,
      makeParser: () => new ParsePool(),
      onProgress: (p) => this.emit((last = p)),
    });
    const done = this.queue.then(run);
    this.queue = done.catch(() => undefined);
    const job: Job = { id, abort, done };
    this.jobs.set(id, job);
    done.then(
      (summary) => final(summary.files.some((f) => f.status === 'cancelled') ? 'cancelled' : 'done', { summary }),
      (err: Error) => final('failed', { message: err.message }),
    ).finally(() => this.jobs.delete(id));
    return job;
  }

  private readonly handlers: Handlers = {
    'case:info': () => (this.db && this.path ? caseInfo(this.db, this.path) : null),
    'case:open': (req) => this.openOrDescribeUpgrade(req),
    'case:create': async ({ path, name, examiner }) => { await this.openCase(path, { name, examiner }); return caseInfo(this.open.db, path); },
    'import:start': ({ paths, examiner, copyEvidence }) => ({ jobId: this.startImport(paths, examiner, undefined, copyEvidence).id }),
    'import:cancel': ({ jobId }) => {
      const job = this.jobs.get(jobId);
      job?.abort.abort();
      return { cancelled: job !== undefined };
    },
    'timeline:page': ({ filter, after, limit }) => withMarks(this.open.db, timelinePage(this.open.db, filter, after ?? null, limit, analysisConditions(this.open.db, filter))),
    // The hourly summary counts it: brought up to date first, as the analysis channels do (cheap when it is).
    'timeline:position': ({ filter, at }) => {
      updateAnalysis(this.open.db);
      return timelinePosition(this.open.db, filter, at, analysisConditions(this.open.db, filter));
    },
    'download:detail': ({ id }) => {
      const d = downloadDetail(this.open.db, id);
      if (!d) throw new Error(`download ${id} is not in this case`);
      return d;
    },
    'evidence:list': (page) => listEvidence(this.open.db, page),
    'rejects:list': ({ evidenceId, offset, limit }) => listRejects(this.open.db, evidenceId, offset ?? 0, limit),
    'custody:list': (page) => listCustody(this.open.db, page),
    'refused:list': (page) => listRefusedFiles(this.open.db, page),
    'aws:pull': async (req) => (await loadPull()).pullForService(this.open.path, req, (p) => this.emit(p), {
      importer: (paths, origins, examiner) => this.startImport(paths, examiner, origins).done,
      // The pull's own custody entry goes through this worker's connection, the case's only writer.
      record: (details, examiner) => { appendCustody(this.open.db, 'aws-pull', details, examiner); },
    }),
    'aws:cancel': ({ jobId }) => ({ cancelled: pullModule?.cancelPull(jobId) ?? false }),
    'notes:add': ({ target, text, includeInReport, examiner }) => addNote(this.open.db, { target, text, includeInReport, examiner: this.examiner(examiner) }),
    'notes:list': ({ target }) => listNotes(this.open.db, target),
    'tags:add': ({ target, tag, examiner }) => addTag(this.open.db, target, tag, this.examiner(examiner)),
    'tags:remove': ({ target, tag, examiner }) => ({ removed: removeTag(this.open.db, target, tag, this.examiner(examiner)) }),
    'tags:list': ({ target }) => listTags(this.open.db, target),
    'integrity:validate': ({ keysPath, evidenceDir, examiner }) =>
      runIntegrityValidation(this.open.db, this.open.path, { keysPath, evidenceDir, examiner: this.examiner(examiner) }),
    'integrity:results': ({ runId }) => getIntegrityRun(this.open.db, runId),
    ...analysisHandlers(() => this.open.db, (given) => this.examiner(given)),
    ...reportHandlers({ db: () => this.open.db, examiner: () => this.examiner(), printer: () => this.opts.printPdf }),
  };

  async invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Responses[C]> {
    const handler = this.handlers[channel] as ((r: Req<C>) => Responses[C] | Promise<Responses[C]>) | undefined;
    if (!handler) throw new Error(`unknown channel ${String(channel).slice(0, 80)}`);
    return handler(req);
  }
}

function emptyProgress(jobId: string): ImportProgress {
  return { jobId, phase: 'done', filesTotal: 0, filesDone: 0, currentFile: null, events: 0, rejected: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null };
}
