// The one façade over a case: the Electron IPC handlers, the CLI and the tests all call this.
// Requests arrive already validated (main/app/ipc.ts checks them against shared/api's schemas).
// It is a thin client: every request goes to the case worker (main/case-worker), a thread that owns
// the case's only write connection, so no case work — import, analysis, report, export, validation —
// runs on the caller's thread. The one thing done here is printing a report the worker rendered
// (Electron's printToPDF must run in the main process). If the worker dies, its open requests fail,
// running imports are reported failed, and the next request starts a new worker on the same case
// (opening it undoes the interrupted file).
import { join } from 'node:path';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { CaseInfo, Channel, ImportProgress, Req, Responses } from '../shared/api';
import type { CaseWorkerData, FromWorker, ToWorker } from './case-worker/protocol';
import type { PdfPrinter } from './report/handlers';
import { printPdf } from './report/pdf';

const TERMINAL: ReadonlySet<ImportProgress['phase']> = new Set(['done', 'cancelled', 'failed']);
/** How long a closed case worker may take to end by itself before it is stopped. */
const CLOSE_GRACE_MS = 5_000;

interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void }

export class CaseService {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(p: ImportProgress) => void>();
  /** Jobs started and not yet finished, with their last progress: reported failed if the worker dies. */
  private readonly running = new Map<string, ImportProgress | null>();
  /** The case the worker has open, reopened by a new worker after a crash. */
  private casePath: string | null = null;
  private closing: Promise<void> | null = null;

  /** printPdf: how report:render prints (the desktop shell passes webContents.printToPDF); default Chromium via playwright-core. */
  constructor(private readonly defaults: { examiner?: string; printPdf?: PdfPrinter } = {}) {}

  onProgress(cb: (p: ImportProgress) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private emit(p: ImportProgress): void {
    // An import's last message carries its summary (or says it failed); a pull's messages are not an import's.
    const last = TERMINAL.has(p.phase) && (p.summary !== undefined || p.phase === 'failed');
    if (last) this.running.delete(p.jobId);
    else if (!p.jobId.startsWith('aws-pull-')) this.running.set(p.jobId, p);
    this.hold();
    for (const cb of this.listeners) cb(p);
  }

  /** Keeps the process alive while requests or jobs are open or the worker is closing, and only then (a CLI run ends when its work does). */
  private hold(): void {
    if (!this.worker) return;
    if (this.closing || this.pending.size || this.running.size) this.worker.ref();
    else this.worker.unref();
  }

  private start(): Worker {
    const data: CaseWorkerData = { examiner: this.defaults.examiner, canPrint: true };
    // One environment with the host: AWS profiles, endpoints and proxies set there reach the pulls.
    const worker = new Worker(join(__dirname, 'case-worker', 'thread.js'), { workerData: data, env: SHARE_ENV });
    worker.on('message', (m: FromWorker) => this.receive(worker, m));
    worker.on('error', (err) => this.lost(worker, `the case worker failed: ${err.message}`));
    worker.on('exit', (code) => this.lost(worker, `the case worker stopped (exit ${code})`));
    this.worker = worker;
    if (this.casePath) this.post({ type: 'request', id: this.nextId++, channel: 'case:open', req: { path: this.casePath } });
    this.hold();
    return worker;
  }

  private post(m: ToWorker): void {
    (this.worker ?? this.start()).postMessage(m);
  }

  private receive(worker: Worker, m: FromWorker): void {
    if (worker !== this.worker) return;
    if (m.type === 'progress') this.emit(m.progress);
    else if (m.type === 'print') void this.print(worker, m.id, m.html, m.path);
    else if (m.type === 'answer') {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (p) {
        if (m.ok) p.resolve(m.value);
        else p.reject(Object.assign(new Error(m.error), m.name ? { name: m.name } : {}));
      }
      this.hold();
    }
  }

  private async print(worker: Worker, id: number, html: string, path: string): Promise<void> {
    let error: string | undefined;
    try {
      await (this.defaults.printPdf ?? ((h: string, p: string) => printPdf(h, p)))(html, path);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    if (worker === this.worker) worker.postMessage({ type: 'printed', id, error } satisfies ToWorker);
  }

  /** The worker is gone: its requests fail, its imports are reported failed; the next request starts another. */
  private lost(worker: Worker, why: string): void {
    if (worker !== this.worker) return;
    this.worker = null;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new Error(`${why}; try again`));
    for (const [jobId, last] of [...this.running]) {
      this.running.delete(jobId);
      const message = `${why}; the file being imported was not kept, the files before it were`;
      for (const cb of this.listeners) cb({ ...(last ?? emptyProgress(jobId)), jobId, phase: 'failed', currentFile: null, message });
    }
  }

  async invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Responses[C]> {
    if (this.closing) await this.closing;
    const id = this.nextId++;
    const answer = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const opening = channel === 'case:open' || channel === 'case:create';
    const before = this.casePath;
    if (opening) this.casePath = null;
    this.post({ type: 'request', id, channel, req });
    this.hold();
    const value = (await answer) as Responses[C];
    // A case that needs an upgrade is only described: the worker keeps the case it had open.
    if (opening) this.casePath = 'needsUpgrade' in (value as object) ? before : (value as CaseInfo).path;
    if (channel === 'import:start') {
      const { jobId } = value as Responses['import:start'];
      if (!this.running.has(jobId)) this.running.set(jobId, null);
      this.hold();
    }
    return value;
  }

  /** Stops the imports (their unfinished files undone), closes the case and ends the worker. */
  close(): Promise<void> {
    const worker = this.worker;
    this.casePath = null;
    if (!worker) return Promise.resolve();
    this.closing ??= new Promise<void>((resolve) => {
      worker.ref();
      worker.once('exit', () => resolve());
      worker.on('message', (m: FromWorker) => {
        if (m.type !== 'closed') return;
        if (this.worker === worker) this.worker = null; // its exit is not a crash
        // The thread has closed its case and its port: it ends when its event loop runs dry. It is
        // stopped only if something (a pull's socket, say) keeps it alive: a terminate that lands inside
        // zlib's set-up aborts the whole process on Node 20, and the worker decompresses and compresses often.
        const stuck = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
        worker.once('exit', () => clearTimeout(stuck));
      });
      worker.postMessage({ type: 'close' } satisfies ToWorker);
    }).finally(() => {
      this.closing = null;
      if (this.worker === worker) this.worker = null;
      this.running.clear();
    });
    return this.closing;
  }

  /** Ends the worker's thread at its next turn, as a crash would (tests of what a crash leaves behind). */
  async stopWorkerAbruptly(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'exit' } satisfies ToWorker);
    await exited;
  }
}

function emptyProgress(jobId: string): ImportProgress {
  return { jobId, phase: 'failed', filesTotal: 0, filesDone: 0, currentFile: null, events: 0, rejected: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaSeconds: null };
}
