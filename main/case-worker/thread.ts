// The case worker's thread: one CaseCore (core.ts), fed requests by main/service over the port.
// Requests are not serialised here: each runs as it arrives, and an import yields between its
// batches, so a note or a page read is answered while an import runs.
import { parentPort, workerData } from 'node:worker_threads';
import { CaseCore } from './core';
import type { CaseWorkerData, FromWorker, ToWorker } from './protocol';

function main(port: NonNullable<typeof parentPort>, data: CaseWorkerData): void {
  const send = (m: FromWorker) => port.postMessage(m);
  const printing = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let nextPrint = 1;
  const core = new CaseCore({
    examiner: data.examiner,
    onProgress: (progress) => send({ type: 'progress', progress }),
    printPdf: data.canPrint
      ? (html, path) => new Promise<void>((resolve, reject) => {
        const id = nextPrint++;
        printing.set(id, { resolve, reject });
        send({ type: 'print', id, html, path });
      })
      : undefined,
  });
  port.on('message', (m: ToWorker) => {
    if (m.type === 'printed') {
      const p = printing.get(m.id);
      printing.delete(m.id);
      if (m.error === undefined) p?.resolve();
      else p?.reject(new Error(m.error));
    } else if (m.type === 'exit') {
      process.exit(1);
    } else if (m.type === 'close') {
      void core.close().finally(() => { send({ type: 'closed' }); port.close(); });
    } else {
      core.invoke(m.channel, m.req as never).then(
        (value) => send({ type: 'answer', id: m.id, ok: true, value }),
        (err: unknown) => send({ type: 'answer', id: m.id, ok: false, error: err instanceof Error ? err.message : String(err), name: err instanceof Error ? err.constructor.name : undefined }),
      );
    }
  });
}

if (parentPort) main(parentPort, workerData as CaseWorkerData);
