// Starts and stops the background checkpoints of an import (checkpoint-worker.ts).
import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckpointData } from './checkpoint-worker';

export class Checkpointer {
  private readonly worker: Worker;

  constructor(casePath: string, intervalMs = 200) {
    this.worker = new Worker(join(__dirname, 'checkpoint-worker.js'), { workerData: { casePath, intervalMs } satisfies CheckpointData });
    this.worker.on('error', () => undefined); // a lost helper leaves the checkpoints to the writer
  }

  async stop(): Promise<void> {
    const exited = once(this.worker, 'exit');
    this.worker.postMessage('stop');
    await exited;
  }
}
