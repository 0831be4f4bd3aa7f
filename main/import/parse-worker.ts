// Parses one evidence file off the writer's thread and posts batches back, a few at a time:
// the writer acknowledges each batch, so a fast parser never piles up batches in memory.
import { parentPort, workerData } from 'node:worker_threads';
import type { Format } from '../../shared/events';
import { parseFile } from '../ingest/parse-file';
import { formatByName } from '../ingest/registry';
import type { DocumentFormat, LineFormat } from '../ingest/formats/types';

export interface ParseJob { path: string; format: Format }
export const WINDOW = 4;

async function main(): Promise<void> {
  const port = parentPort!;
  const { path, format } = workerData as ParseJob;
  let credits = WINDOW;
  let wake: (() => void) | null = null;
  port.on('message', (m: string) => {
    if (m === 'ack') credits++;
    wake?.();
  });
  try {
    for await (const batch of parseFile(path, formatByName(format) as LineFormat | DocumentFormat)) {
      while (credits === 0) await new Promise<void>((r) => { wake = r; });
      credits--;
      port.postMessage({ type: 'batch', batch });
    }
    port.postMessage({ type: 'end' });
  } catch (err) {
    port.postMessage({ type: 'error', message: (err as Error).message });
  }
  port.close();
}

if (parentPort) void main();
