// Bounded concurrency: at most `limit` tasks in flight; every task runs even when one fails, and the
// failures are returned with their inputs so the caller can name them.
export async function runPool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<{ results: R[]; failures: { item: T; error: unknown }[] }> {
  const results: R[] = [];
  const failures: { item: T; error: unknown }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      try {
        results.push(await task(item));
      } catch (error) {
        failures.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return { results, failures };
}
