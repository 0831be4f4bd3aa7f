// A client-side pace for APIs whose limits are low (LookupEvents: 2 calls per second per account and
// region). Calls are spaced evenly rather than burst, so the SDK's backoff is the exception, not the rule.
export class RateLimiter {
  private next = 0;
  private readonly interval: number;

  constructor(callsPerSecond: number) {
    if (!(callsPerSecond > 0)) throw new Error('callsPerSecond must be positive');
    this.interval = 1000 / callsPerSecond;
  }

  /** Resolves when the caller may make its next call. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.next);
    this.next = at + this.interval;
    if (at > now) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, at - now);
        signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
      });
    }
    signal?.throwIfAborted();
  }
}

/** One limiter per key (region). */
export class RateLimiters {
  private readonly map = new Map<string, RateLimiter>();
  constructor(private readonly callsPerSecond: number) {}
  for(key: string): RateLimiter {
    let l = this.map.get(key);
    if (!l) this.map.set(key, (l = new RateLimiter(this.callsPerSecond)));
    return l;
  }
}
