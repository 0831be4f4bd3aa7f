// What crosses between main/service (the host's thread) and the case worker (thread.ts). Requests
// carry a channel of shared/api and its already validated request; answers and progress come back.
// Printing is the one call the other way: the worker builds the report's HTML, the host prints it
// (Electron's printToPDF lives in the main process).
import type { Channel, ImportProgress } from '../../shared/api';

export interface CaseWorkerData { examiner?: string; canPrint: boolean }

export type ToWorker =
  | { type: 'request'; id: number; channel: Channel; req: unknown }
  | { type: 'printed'; id: number; error?: string }
  | { type: 'close' }
  // Ends the thread at its next turn, as a crash would (tests of what a crash leaves behind). Not
  // Worker.terminate(): Node 20 aborts the whole process when a thread is stopped inside a zlib
  // constructor (its never-initialised handle is closed by the garbage collector), and the case
  // worker compresses raw blocks all through an import.
  | { type: 'exit' };

export type FromWorker =
  | { type: 'answer'; id: number; ok: true; value: unknown }
  | { type: 'answer'; id: number; ok: false; error: string; name?: string }
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'print'; id: number; html: string; path: string }
  | { type: 'closed' };
