// Copies the case's write-ahead log into the case file from a thread of its own while an import writes
// (SQLite lets a checkpoint run beside a writer). Left to the writer, each checkpoint's copy and fsync
// stopped the import: without them a 300k-record trail import took 4.6–5.1 instead of 5.2–5.5 s.
// The writer's own autocheckpoint stays as the backstop; this connection only ever checkpoints.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface CheckpointData { casePath: string; intervalMs: number }

function run(port: NonNullable<typeof parentPort>, { casePath, intervalMs }: CheckpointData): void {
  const db = new Database(casePath, { fileMustExist: true });
  const timer = setInterval(() => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or failing: the writer's own checkpoints still run.
    }
  }, intervalMs);
  port.once('message', () => {
    clearInterval(timer);
    db.close();
    port.close();
  });
}

if (parentPort) run(parentPort, workerData as CheckpointData);
