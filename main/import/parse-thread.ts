// Identifies and parses evidence files off the writer's thread, in the order the writer queued them,
// and posts batches back a few at a time: the writer gives a credit back for each batch (kept or
// dropped), so a fast parser never piles up batches in memory, across files as within one.
// The thread ends itself when asked ({type:'exit'}): it stops at its next batch and lets its event loop
// run dry, never Worker.terminate() — Node 20 aborts the whole process when a thread is stopped inside
// a zlib constructor, and this one gunzips trail files and compresses raw blocks all the time.
import { parentPort, workerData } from 'node:worker_threads';
import { statSync } from 'node:fs';
import { pack, parseFile, type PackedBatch, type ParseOptions } from '../ingest/parse-file';
import { readHead } from '../ingest/read';
import { detect } from '../ingest/registry';
import { lineEndsBefore, splitPoint } from './line-split';
import { examine, parseableFormat, HEAD_CHARS, type FileFacts } from './parse-contract';

/**
 * A file to read. `half` splits a large line file between two parsers (line-split.ts): 0 identifies
 * the file and parses up to the cut (or all of it when it cannot be cut); 1 parses from the cut on and
 * posts no facts (nothing when the file is not cut).
 */
export type ToParser = { type: 'start'; job: number; path: string; half?: 0 | 1 } | { type: 'stop'; job: number } | { type: 'exit' };
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
  const queue: { job: number; path: string; half?: 0 | 1 }[] = [];
  const stopped = new Set<number>();
  const { credits } = workerData as ParserData;
  let running = false;
  let exiting = false;
  const post = (m: FromParser) => port.postMessage(m);

  /** What a job parses: a whole file, or one side of its cut. */
  async function parseJob(job: number, path: string, half: 0 | 1 | undefined): Promise<{ format: ReturnType<typeof parseableFormat>; opts: ParseOptions } | null> {
    if (half === 1) {
      // The first half's thread identified the file from the same head, and cuts it by the same rule.
      const format = detect(await readHead(path, HEAD_CHARS), path);
      if (!format || format.kind === 'evidence-only') return null;
      const { size } = statSync(path);
      const cut = await splitPoint(path, size, format);
      return cut === null ? null : { format, opts: { lines: { start: cut, end: size, firstLine: lineEndsBefore(path, cut) + 1 } } };
    }
    const { facts, whole } = await examine(path);
    post({ type: 'identified', job, facts });
    if (facts.kind !== 'evidence' || !facts.parse) return null;
    const format = parseableFormat(facts.format);
    const cut = half === 0 ? await splitPoint(path, facts.size, format) : null;
    return { format, opts: cut === null ? { whole } : { lines: { start: 0, end: cut, firstLine: 1 } } };
  }

  async function runJob(job: number, path: string, half?: 0 | 1): Promise<void> {
    try {
      const parse = await parseJob(job, path, half);
      if (parse) {
        for await (const batch of parseFile(path, parse.format, parse.opts)) {
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
      if (!stopped.has(next.job) && !exiting) await runJob(next.job, next.path, next.half);
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
