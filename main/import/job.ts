// Starts an import off the calling thread and hands back its progress, its result, and a way to cancel.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ImportProgress, ImportSummary } from '../../shared/api';
import type { OriginInfo } from './run-import';
import type { ImportJobData, ImportWorkerMessage } from './worker';

export interface ImportJob { id: string; done: Promise<ImportSummary>; cancel(): void }

export function startImport(
  casePath: string, paths: string[],
  opts: { examiner?: string; origins?: Record<string, OriginInfo>; copyEvidence?: boolean; onProgress?: (p: ImportProgress) => void } = {},
): ImportJob {
  const id = randomUUID();
  const data: ImportJobData = { casePath, paths, examiner: opts.examiner, jobId: id, origins: opts.origins, copyEvidence: opts.copyEvidence };
  const worker = new Worker(join(__dirname, 'worker.js'), { workerData: data });
  const done = new Promise<ImportSummary>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: ImportWorkerMessage) => {
      if (m.type === 'progress') opts.onProgress?.(m.progress);
      else if (m.type === 'done') { settled = true; resolve(m.summary); }
      else { settled = true; reject(new Error(m.message)); }
    });
    worker.on('error', (e) => { settled = true; reject(e); });
    worker.on('exit', (code) => { if (!settled) reject(new Error(`import stopped unexpectedly (exit ${code})`)); });
  });
  return { id, done, cancel: () => worker.postMessage('cancel') };
}
