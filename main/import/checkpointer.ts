// Starts and stops the background checkpoints of an import (checkpoint-worker.ts).
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CheckpointData } from './checkpoint-worker';

export class Checkpointer {
  private readonly worker: Worker;
  /** Watched from the start: a helper that failed has exited before stop() is called. */
  private readonly exited: Promise<unknown>;

  constructor(casePath: string, intervalMs = 200) {
    this.worker = new Worker(join(__dirname, 'checkpoint-worker.js'), { workerData: { casePath, intervalMs } satisfies CheckpointData });
    this.worker.on('error', () => undefined); // a lost helper leaves the checkpoints to the writer
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve)); // events.once would reject on its error
  }

  async stop(): Promise<void> {
    this.worker.postMessage('stop');
    await this.exited;
  }
}
