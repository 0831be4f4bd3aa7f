// Parses evidence files off the writer's thread, one file at a time for the life of an import, and
// posts batches back a few at a time: the writer acknowledges each batch, so a fast parser never
// piles up batches in memory.
import { parentPort } from 'node:worker_threads';
import type { Format } from '../../shared/events';
import { pack, parseFile, type PackedBatch } from '../ingest/parse-file';
import { formatByName } from '../ingest/registry';
import type { DocumentFormat, LineFormat } from '../ingest/formats/types';

export type ToParser = { type: 'parse'; job: number; path: string; format: Format } | { type: 'ack'; job: number } | { type: 'stop'; job: number };
export type FromParser = { type: 'batch'; job: number; batch: PackedBatch } | { type: 'end'; job: number } | { type: 'error'; job: number; message: string };

/** Batches in flight between parser and writer. */
export const WINDOW = 4;

function serve(port: NonNullable<typeof parentPort>): void {
  let current = -1;
  let credits = 0;
  let stopped = false;
  let wake: (() => void) | null = null;
  const post = (m: FromParser) => port.postMessage(m);

  async function run(job: number, path: string, format: Format): Promise<void> {
    try {
      for await (const batch of parseFile(path, formatByName(format) as LineFormat | DocumentFormat)) {
        while (credits === 0 && !stopped) await new Promise<void>((r) => { wake = r; });
        if (stopped) return;
        credits--;
        post({ type: 'batch', job, batch: pack(batch) });
      }
      post({ type: 'end', job });
    } catch (err) {
      post({ type: 'error', job, message: (err as Error).message });
    }
  }

  port.on('message', (m: ToParser) => {
    if (m.type === 'parse') {
      current = m.job;
      credits = WINDOW;
      stopped = false;
      void run(m.job, m.path, m.format);
    } else if (m.job === current) {
      if (m.type === 'ack') credits++;
      else stopped = true;
      wake?.();
    }
  });
}

if (parentPort) serve(parentPort);
