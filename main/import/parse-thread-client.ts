// The writer's side of the parse worker (one for a whole import): each started file is a job
// whose facts and batches arrive in order. A batch taken gives its parser a credit back through shared
// memory rather than a message: a message per batch woke the parser's thread each time, which on two
// cores took the CPU from the writer (a tenth of a small-file import). Batches of a job nobody reads
// any more are acknowledged as they arrive, so the parser's window never closes on them.
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { PackedBatch } from '../ingest/parse-file';
import { WINDOW, type FileFacts, type ParseJob, type Parser } from './parse-contract';
import type { FromParser, ParserData, ToParser } from './parse-thread';

class WorkerJob implements ParseJob {
  private readonly facts: Promise<FileFacts>;
  private settleFacts!: { resolve: (f: FileFacts) => void; reject: (e: Error) => void };
  private readonly queue: FromParser[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private dropped = false;
  done = false;

  constructor(readonly id: number, private readonly send: (m: ToParser) => void, private readonly ack: () => void) {
    this.facts = new Promise<FileFacts>((resolve, reject) => { this.settleFacts = { resolve, reject }; });
    this.facts.catch(() => undefined); // read by the writer; not an unhandled rejection in the meantime
  }

  identified(): Promise<FileFacts> {
    return this.facts;
  }

  receive(m: FromParser): void {
    if (m.type === 'identified') return this.settleFacts.resolve(m.facts);
    if (m.type === 'end' || m.type === 'error') this.done = true;
    if (m.type === 'error') this.settleFacts.reject(new Error(m.message));
    if (this.dropped) {
      if (m.type === 'batch') this.ack();
      return;
    }
    this.queue.push(m);
    this.wake?.();
  }

  fail(e: Error): void {
    this.failure = e;
    this.settleFacts.reject(e);
    this.wake?.();
  }

  cancel(): void {
    if (this.dropped) return;
    this.dropped = true;
    for (const m of this.queue.splice(0)) if (m.type === 'batch') this.ack();
    if (!this.done) this.send({ type: 'stop', job: this.id });
  }

  takeReady(): PackedBatch | null {
    const m = this.queue[0];
    if (!m || m.type !== 'batch' || this.dropped) return null;
    this.queue.shift();
    this.ack();
    return m.batch;
  }

  async *batches(signal?: AbortSignal): AsyncGenerator<PackedBatch> {
    let finished = false;
    try {
      for (;;) {
        signal?.throwIfAborted();
        const m = this.queue.shift();
        if (!m) {
          if (this.failure) throw this.failure;
          await new Promise<void>((r) => { this.wake = r; });
          continue;
        }
        if (m.type === 'end') { finished = true; return; }
        if (m.type === 'error') { finished = true; throw new Error(m.message); }
        if (m.type !== 'batch') continue;
        this.ack();
        yield m.batch;
      }
    } finally {
      if (!finished) this.cancel();
    }
  }
}

/** How long close() waits for the parse thread to end itself (it stops at its next batch; hashing a huge file is one step). */
const STOP_WAIT_MS = 60_000;

export class ParseWorker implements Parser {
  private readonly worker: Worker;
  private readonly exited: Promise<number>;
  /** The thread's exit code once it has ended: 0 when it ended itself, as asked. */
  exitCode: number | null = null;
  private next = 0;
  private readonly jobs = new Map<number, WorkerJob>();

  /** The parser's credits: batches it may still post before the writer takes some. */
  private readonly credits = new Int32Array(new SharedArrayBuffer(4));

  constructor(resourceLimits?: ResourceLimits) {
    this.credits[0] = WINDOW;
    this.worker = new Worker(join(__dirname, 'parse-thread.js'), { workerData: { credits: this.credits } satisfies ParserData, resourceLimits });
    this.worker.on('message', (m: FromParser) => {
      const job = this.jobs.get(m.job);
      if (!job) return;
      job.receive(m);
      if (job.done) this.jobs.delete(m.job);
    });
    const failAll = (e: Error) => { for (const j of this.jobs.values()) j.fail(e); this.jobs.clear(); };
    this.worker.on('error', failAll);
    this.worker.on('exit', (code) => failAll(new Error(`the parser stopped (exit ${code})`)));
    this.exited = new Promise((resolve) => this.worker.once('exit', (code) => { this.exitCode = code; resolve(code); })); // watched from the start: a crashed thread has exited before close()
  }

  start(path: string): ParseJob {
    return this.queue(path);
  }

  /** One side of a large line file's cut (line-split.ts): 0 also identifies the file. */
  startHalf(path: string, half: 0 | 1): ParseJob {
    return this.queue(path, half);
  }

  private queue(path: string, half?: 0 | 1): ParseJob {
    const job = new WorkerJob(++this.next, (m) => this.worker.postMessage(m), () => {
      Atomics.add(this.credits, 0, 1);
      Atomics.notify(this.credits, 0);
    });
    this.jobs.set(job.id, job);
    this.worker.postMessage({ type: 'start', job: job.id, path, half } satisfies ToParser);
    return job;
  }

  /**
   * Asks the thread to end and waits until it has: it finishes the step it is in (a batch, a file's
   * hash) and exits itself. Never Worker.terminate(), which can land inside a zlib constructor and
   * abort the whole process later (parse-thread.ts).
   */
  async close(waitMs = STOP_WAIT_MS): Promise<void> {
    this.worker.postMessage({ type: 'exit' } satisfies ToParser);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => { timer = setTimeout(() => resolve('late'), waitMs); });
    const ended = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (ended === 'late') {
      this.worker.unref(); // not stopped by force: it may be inside zlib; it no longer keeps the process alive
      throw new Error(`the parse thread did not stop within ${waitMs / 1000} s of being asked to`);
    }
  }
}

/**
 * A large line file parsed by two threads (line-split.ts), read by the writer as one job: the first
 * half's facts, then its batches, then the second half's, so the rows come in the file's order.
 */
class SplitJob implements ParseJob {
  private onSecond = false;

  constructor(private readonly first: ParseJob, private readonly second: ParseJob) {
    // Nothing will read the second half of a file not parsed: it must not hold its parser's credits.
    first.identified().then((f) => { if (f.kind !== 'evidence' || !f.parse) second.cancel(); }, () => second.cancel());
  }

  identified(): Promise<FileFacts> {
    return this.first.identified();
  }

  async *batches(signal?: AbortSignal): AsyncGenerator<PackedBatch> {
    let finished = false;
    try {
      yield* this.first.batches(signal) as AsyncIterable<PackedBatch>;
      this.onSecond = true;
      yield* this.second.batches(signal) as AsyncIterable<PackedBatch>;
      finished = true;
    } finally {
      if (!finished) this.cancel();
    }
  }

  takeReady(): PackedBatch | null {
    return (this.onSecond ? this.second : this.first).takeReady?.() ?? null;
  }

  cancel(): void {
    this.first.cancel();
    this.second.cancel();
  }
}

/** Files at least this large (as found) are cut in two when they are uncompressed line files. */
export const SPLIT_BYTES = 32 * 1024 * 1024;

/**
 * Cut large files only where a core is free for the second parser. On two cores the writer and one
 * parser already keep both busy while storing: 400k access-log lines took 7.2 CPU-s in a 4.3 s storing
 * phase (84 % of both cores), and with the second parser the phase was no shorter, same run, for
 * ~0.5 CPU-s more (the cut, a second heap) and ~50 MB more peak RSS.
 */
export const splitBytesHere = (): number => (availableParallelism() > 2 ? SPLIT_BYTES : Infinity);

/**
 * A parse thread's young generation when two may run (MB): at V8's default a parse thread's heap grew
 * to ~150 MB between collections, and with the second thread a 207 MB access log peaked at 395-429 MB
 * RSS (the target is 400 MB); at 8 MB, 317-367 MB.
 */
const YOUNG_GENERATION_MB = 8;

/**
 * The import's parsers: one thread reads every file in order; a second, started with the first large
 * file, parses the second half of each large uncompressed line file (line-split.ts), so an access log
 * of hundreds of MB is parsed by two threads beside the writer. Small files are not dealt to it: on two
 * cores a second parser for a trail's many small files was slower (the writer is as busy as the parser
 * there, and a third thread takes the CPU from it).
 */
export class ParsePool implements Parser {
  private readonly first: ParseWorker;
  private second: ParseWorker | null = null;
  private readonly limits: ResourceLimits | undefined;

  constructor(private readonly splitBytes = splitBytesHere()) {
    this.limits = Number.isFinite(splitBytes) ? { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } : undefined;
    this.first = new ParseWorker(this.limits);
  }

  start(path: string, size?: number): ParseJob {
    if (size === undefined || size < this.splitBytes) return this.first.start(path);
    this.second ??= new ParseWorker(this.limits);
    return new SplitJob(this.first.startHalf(path, 0), this.second.startHalf(path, 1));
  }

  /** Each thread's exit code once ended (0: ended itself, as asked); the second's only if it was started. */
  get exitCodes(): (number | null)[] {
    return [this.first.exitCode, ...(this.second ? [this.second.exitCode] : [])];
  }

  async close(): Promise<void> {
    const closed = await Promise.allSettled([this.first.close(), this.second?.close()]);
    const failed = closed.find((c) => c.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}
