// Identifies and parses evidence files off the writer's thread, in the order the writer queued them,
// and posts batches back a few at a time: the writer gives a credit back for each batch (kept or
// dropped), so a fast parser never piles up batches in memory, across files as within one.
// The thread ends itself when asked ({type:'exit'}): it stops at its next batch and lets its event loop
// run dry, never Worker.terminate() — Node 20 aborts the whole process when a thread is stopped inside
// a zlib constructor, and this one gunzips trail files and deflates raw blocks all the time.
import { parentPort, workerData } from 'node:worker_threads';
import { pack, parseFile, type PackedBatch } from '../ingest/parse-file';
import { examine, parseableFormat, type FileFacts } from './parse-contract';

export type ToParser = { type: 'start'; job: number; path: string } | { type: 'stop'; job: number } | { type: 'exit' };
/** Shared with the writer's thread: credits[0] is how many more batches may be posted. */
export interface ParserData { credits: Int32Array }
export type FromParser =
  | { type: 'identified'; job: number; facts: FileFacts }
  | { type: 'batch'; job: number; batch: PackedBatch }
  | { type: 'end'; job: number }
  | { type: 'error'; job: number; message: string };

/** The memory of views that own all of it, moved to the writer's thread instead of copied (a view into a shared pool is copied). */
const transferable = (views: Uint8Array[]) => views.filter((v) => v.byteOffset === 0 && v.byteLength === v.buffer.byteLength).map((v) => v.buffer as ArrayBuffer);

function serve(port: NonNullable<typeof parentPort>): void {
  const queue: { job: number; path: string }[] = [];
  const stopped = new Set<number>();
  const { credits } = workerData as ParserData;
  let running = false;
  let exiting = false;
  const post = (m: FromParser) => port.postMessage(m);

  async function runJob(job: number, path: string): Promise<void> {
    try {
      const { facts, whole } = await examine(path);
      post({ type: 'identified', job, facts });
      if (facts.kind === 'evidence' && facts.parse) {
        for await (const batch of parseFile(path, parseableFormat(facts.format), { whole })) {
          while (Atomics.load(credits, 0) === 0 && !stopped.has(job) && !exiting) {
            const wait = Atomics.waitAsync(credits, 0, 0);
            if (wait.async) await wait.value;
          }
          if (stopped.has(job) || exiting) break;
          Atomics.sub(credits, 0, 1);
          const packed = pack(batch);
          port.postMessage({ type: 'batch', job, batch: packed } satisfies FromParser, transferable([...packed.rows.blocks, ...packed.rows.inflated]));
        }
      }
      post({ type: 'end', job });
    } catch (err) {
      post({ type: 'error', job, message: (err as Error).message });
    }
  }

  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (!stopped.has(next.job) && !exiting) await runJob(next.job, next.path);
      stopped.delete(next.job);
    }
    running = false;
    if (exiting) port.close(); // nothing else holds the event loop: the thread ends
  }

  port.on('message', (m: ToParser) => {
    if (m.type === 'exit') {
      exiting = true;
      Atomics.notify(credits, 0);
      void drain();
      return;
    }
    if (m.type === 'start') {
      queue.push(m);
      void drain();
      return;
    }
    stopped.add(m.job);
    Atomics.notify(credits, 0); // a wait for credits ends for a stopped job too
  });
}

if (parentPort) serve(parentPort);
