// The writer's side of the parse worker: one worker for a whole import, and for each file an async
// iterable of batches, just like parseFile in-thread.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentFormat, LineFormat } from '../ingest/formats/types';
import type { PackedBatch } from '../ingest/parse-file';
import type { FromParser, ToParser } from './parse-worker';

export class ParseWorker {
  private readonly worker = new Worker(join(__dirname, 'parse-worker.js'));
  private job = 0;
  private queue: FromParser[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;

  constructor() {
    this.worker.on('message', (m: FromParser) => {
      if (m.job !== this.job) return; // left over from a file that was abandoned
      this.queue.push(m);
      this.wake?.();
    });
    this.worker.on('error', (e) => { this.failure = e; this.wake?.(); });
    this.worker.on('exit', (code) => { this.failure ??= new Error(`the parser stopped (exit ${code})`); this.wake?.(); });
  }

  private send(m: ToParser): void {
    this.worker.postMessage(m);
  }

  async *parse(path: string, format: LineFormat | DocumentFormat, signal?: AbortSignal): AsyncGenerator<PackedBatch> {
    const job = ++this.job;
    this.queue = [];
    this.send({ type: 'parse', job, path, format: format.name });
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
        this.send({ type: 'ack', job });
        yield m.batch;
      }
    } finally {
      if (!finished) this.send({ type: 'stop', job });
    }
  }

  async close(): Promise<void> {
    this.failure = new Error('the parser was closed');
    await this.worker.terminate();
  }
}
