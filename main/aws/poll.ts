// Waiting for a query to finish: poll with a growing interval, stop on a terminal state or abort.
export async function pollUntil<T>(check: () => Promise<{ done: boolean; value: T }>, opts: { intervalMs?: number; maxIntervalMs?: number; signal?: AbortSignal; onWait?: (n: number) => void }): Promise<T> {
  let interval = opts.intervalMs ?? 1000;
  for (let n = 1; ; n++) {
    const r = await check();
    if (r.done) return r.value;
    opts.onWait?.(n);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, interval);
      opts.signal?.addEventListener('abort', () => { clearTimeout(t); reject(opts.signal!.reason); }, { once: true });
    });
    interval = Math.min(interval * 1.5, opts.maxIntervalMs ?? 5000);
  }
}
