// Identifies and parses evidence files off the writer's thread, in the order the writer queued them,
// and posts batches back a few at a time: the writer acknowledges each batch (kept or dropped), so a
// fast parser never piles up batches in memory, across files as within one.
import { parentPort, workerData } from 'node:worker_threads';
import { pack, parseFile, type PackedBatch } from '../ingest/parse-file';
import { examine, parseableFormat, WINDOW, type FileFacts } from './parser';

export type ToParser = { type: 'start'; job: number; path: string } | { type: 'ack' } | { type: 'stop'; job: number };
export type FromParser =
  | { type: 'identified'; job: number; facts: FileFacts }
  | { type: 'batch'; job: number; batch: PackedBatch }
  | { type: 'end'; job: number }
  | { type: 'error'; job: number; message: string };

function serve(port: NonNullable<typeof parentPort>): void {
  const queue: { job: number; path: string }[] = [];
  const stopped = new Set<number>();
  let credits = (workerData as { window?: number } | null)?.window ?? WINDOW;
  let wake: (() => void) | null = null;
  let running = false;
  const post = (m: FromParser) => port.postMessage(m);

  async function runJob(job: number, path: string): Promise<void> {
    try {
      const { facts, whole } = await examine(path);
      post({ type: 'identified', job, facts });
      if (facts.kind === 'evidence' && facts.parse) {
        for await (const batch of parseFile(path, parseableFormat(facts.format), { whole })) {
          while (credits === 0 && !stopped.has(job)) await new Promise<void>((r) => { wake = r; });
          if (stopped.has(job)) break;
          credits--;
          const packed = pack(batch);
          port.postMessage({ type: 'batch', job, batch: packed } satisfies FromParser, packed.rows.blocks.map((b) => b.buffer as ArrayBuffer));
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
      if (!stopped.has(next.job)) await runJob(next.job, next.path);
      stopped.delete(next.job);
    }
    running = false;
  }

  port.on('message', (m: ToParser) => {
    if (m.type === 'start') {
      queue.push(m);
      void drain();
      return;
    }
    if (m.type === 'ack') credits++;
    else stopped.add(m.job);
    const w = wake;
    wake = null;
    w?.();
  });
}

if (parentPort) serve(parentPort);
