// The writer's side of the parse worker: an async iterable of batches, like parseFile in-thread.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentFormat, LineFormat } from '../ingest/formats/types';
import type { ParsedBatch } from '../ingest/parse-file';
import type { ParseJob } from './parse-worker';

type Message = { type: 'batch'; batch: ParsedBatch } | { type: 'end' } | { type: 'error'; message: string };

export async function* parseInWorker(path: string, format: LineFormat | DocumentFormat, signal?: AbortSignal): AsyncGenerator<ParsedBatch> {
  const worker = new Worker(join(__dirname, 'parse-worker.js'), { workerData: { path, format: format.name } satisfies ParseJob });
  const queue: Message[] = [];
  let wake: (() => void) | null = null;
  let failure: Error | null = null;
  worker.on('message', (m: Message) => { queue.push(m); wake?.(); });
  worker.on('error', (e) => { failure = e; wake?.(); });
  worker.on('exit', (code) => { if (code !== 0 && !failure) failure = new Error(`parser stopped (exit ${code})`); wake?.(); });
  try {
    for (;;) {
      signal?.throwIfAborted();
      const m = queue.shift();
      if (!m) {
        if (failure) throw failure;
        await new Promise<void>((r) => { wake = r; });
        continue;
      }
      if (m.type === 'end') return;
      if (m.type === 'error') throw new Error(m.message);
      worker.postMessage('ack');
      yield m.batch;
    }
  } finally {
    await worker.terminate();
  }
}
