// The import worker: owns the case's write connection for one import job, parses in a second
// worker, and reports progress to whoever started it (Electron's main process or the CLI).
import { parentPort, workerData } from 'node:worker_threads';
import type { ImportProgress } from '../../shared/api';
import { ParseWorker } from './parse-thread-client';
import { importPaths, type OriginInfo } from './run-import';

export interface ImportJobData { casePath: string; paths: string[]; examiner?: string; jobId: string; origins?: Record<string, OriginInfo>; copyEvidence?: boolean }
export type ImportWorkerMessage = { type: 'progress'; progress: ImportProgress } | { type: 'done'; summary: Awaited<ReturnType<typeof importPaths>> } | { type: 'error'; message: string };

async function main(): Promise<void> {
  const port = parentPort!;
  const job = workerData as ImportJobData;
  const abort = new AbortController();
  port.on('message', (m: string) => { if (m === 'cancel') abort.abort(); });
  try {
    const summary = await importPaths(job.casePath, job.paths, {
      examiner: job.examiner, jobId: job.jobId, copyEvidence: job.copyEvidence, signal: abort.signal, backgroundCheckpoints: true,
      // One parser: a second (for a trail's many small files) was 12 % faster while the writer stored
      // each record's text; since trail files are kept as delivered it is 7–9 % slower, and a heap more.
      makeParser: () => new ParseWorker(),
      origin: job.origins ? (p) => job.origins![p] : undefined,
      onProgress: (progress) => port.postMessage({ type: 'progress', progress } satisfies ImportWorkerMessage),
    });
    port.postMessage({ type: 'done', summary } satisfies ImportWorkerMessage);
  } catch (err) {
    port.postMessage({ type: 'error', message: (err as Error).message } satisfies ImportWorkerMessage);
  }
  port.close();
}

if (parentPort) void main();
