// The one façade over a case: the Electron IPC handlers, the CLI and the tests all call this.
// Requests arrive already validated (main/app/ipc.ts checks them against shared/api's schemas).
import { existsSync } from 'node:fs';
import type { Channel, ImportProgress, Req, Responses } from '../shared/api';
import { cancelPull, pullForService } from './aws/pull';
import { addNote, addTag, listNotes, listTags, removeTag, withMarks } from './case/annotations';
import { analysisConditions } from './case/analysis';
import { analysisHandlers } from './case/analysis-api';
import { reportHandlers, type PdfPrinter } from './report/handlers';
import { listCustody } from './case/custody';
import { CaseFileError, type WritableDB } from './case/db';
import { listEvidence, listRejects } from './case/evidence';
import { listRefusedFiles } from './case/refused';
import { getIntegrityRun } from './case/integrity';
import { caseInfo } from './case/meta';
import { openCase } from './case/open';
import { downloadDetail, timelinePage } from './case/timeline';
import { startImport, type ImportJob } from './import/job';
import type { OriginInfo } from './import/run-import';
import { runIntegrityValidation } from './verify';

type Handlers = { [C in Channel]: (req: Req<C>) => Responses[C] | Promise<Responses[C]> };

export class NoCaseError extends Error {
  constructor() { super('no case is open'); }
}

export class CaseService {
  private db: WritableDB | null = null;
  private path: string | null = null;
  private readonly jobs = new Map<string, ImportJob>();
  private readonly listeners = new Set<(p: ImportProgress) => void>();

  /** printPdf: how report:render prints (the desktop shell passes webContents.printToPDF); default Chromium via playwright-core. */
  constructor(private readonly defaults: { examiner?: string; printPdf?: PdfPrinter } = {}) {}

  private get open(): { db: WritableDB; path: string } {
    if (!this.db || !this.path) throw new NoCaseError();
    return { db: this.db, path: this.path };
  }

  private examiner(given?: string): string | null {
    return given ?? this.defaults.examiner ?? null;
  }

  /** Opens (or, with create, creates) a case file; any previous case is closed. */
  openCase(path: string, create?: { name?: string; examiner?: string }): void {
    if (!create && !existsSync(path)) throw new CaseFileError(`${path} does not exist`);
    // Close first: a job still importing into the old case must stop before its rows could be taken for a crash's leftovers.
    this.close();
    const db = openCase(path, { name: create?.name, examiner: this.examiner(create?.examiner), create: create !== undefined });
    this.db = db;
    this.path = path;
  }

  close(): void {
    for (const job of this.jobs.values()) job.cancel();
    this.db?.close();
    this.db = null;
    this.path = null;
  }

  onProgress(cb: (p: ImportProgress) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private emit(p: ImportProgress): void {
    for (const cb of this.listeners) cb(p);
  }

  /** Starts an import job in a worker; progress (and finally the summary) goes to onProgress listeners. */
  startImport(paths: string[], examiner?: string, origins?: Record<string, OriginInfo>): ImportJob {
    const { path } = this.open;
    let last: ImportProgress | null = null;
    const job = startImport(path, paths, { examiner: this.examiner(examiner) ?? undefined, origins, onProgress: (p) => this.emit((last = p)) });
    const final = (phase: ImportProgress['phase'], extra: Partial<ImportProgress>) =>
      this.emit({ ...(last ?? emptyProgress(job.id)), phase, currentFile: null, ...extra });
    this.jobs.set(job.id, job);
    job.done.then(
      (summary) => final(summary.files.some((f) => f.status === 'cancelled') ? 'cancelled' : 'done', { summary }),
      (err: Error) => final('failed', { message: err.message }),
    ).finally(() => this.jobs.delete(job.id));
    return job;
  }

  private readonly handlers: Handlers = {
    'case:info': () => (this.db && this.path ? caseInfo(this.db, this.path) : null),
    'case:open': ({ path }) => { this.openCase(path); return caseInfo(this.open.db, path); },
    'case:create': ({ path, name, examiner }) => { this.openCase(path, { name, examiner }); return caseInfo(this.open.db, path); },
    'import:start': ({ paths, examiner }) => ({ jobId: this.startImport(paths, examiner).id }),
    'import:cancel': ({ jobId }) => {
      const job = this.jobs.get(jobId);
      job?.cancel();
      return { cancelled: job !== undefined };
    },
    'timeline:page': ({ filter, after, limit }) => withMarks(this.open.db, timelinePage(this.open.db, filter, after ?? null, limit, analysisConditions(this.open.db, filter))),
    'download:detail': ({ id }) => {
      const d = downloadDetail(this.open.db, id);
      if (!d) throw new Error(`download ${id} is not in this case`);
      return d;
    },
    'evidence:list': () => listEvidence(this.open.db),
    'rejects:list': ({ evidenceId, offset, limit }) => listRejects(this.open.db, evidenceId, offset ?? 0, limit),
    'custody:list': () => listCustody(this.open.db),
    'refused:list': () => listRefusedFiles(this.open.db),
    'aws:pull': (req) => pullForService(this.open.path, req, (p) => this.emit(p), (paths, origins, examiner) => this.startImport(paths, examiner ?? undefined, origins).done),
    'aws:cancel': ({ jobId }) => ({ cancelled: cancelPull(jobId) }),
    'notes:add': ({ target, text, includeInReport, examiner }) => addNote(this.open.db, { target, text, includeInReport, examiner: this.examiner(examiner) }),
    'notes:list': ({ target }) => listNotes(this.open.db, target),
    'tags:add': ({ target, tag, examiner }) => addTag(this.open.db, target, tag, this.examiner(examiner)),
    'tags:remove': ({ target, tag, examiner }) => ({ removed: removeTag(this.open.db, target, tag, this.examiner(examiner)) }),
    'tags:list': ({ target }) => listTags(this.open.db, target),
    'integrity:validate': ({ keysPath, evidenceDir, examiner }) =>
      runIntegrityValidation(this.open.db, this.open.path, { keysPath, evidenceDir, examiner: this.examiner(examiner) }),
    'integrity:results': ({ runId }) => getIntegrityRun(this.open.db, runId),
    ...analysisHandlers(() => this.open.db),
    ...reportHandlers({ db: () => this.open.db, examiner: () => this.examiner(), printer: () => this.defaults.printPdf }),
  };

  async invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Responses[C]> {
    const handler = this.handlers[channel] as (r: Req<C>) => Responses[C] | Promise<Responses[C]>;
    return handler(req);
  }
}

function emptyProgress(jobId: string): ImportProgress {
  return { jobId, phase: 'done', filesTotal: 0, filesDone: 0, currentFile: null, events: 0, rejected: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null };
}
