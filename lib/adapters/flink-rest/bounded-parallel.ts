/**
 * Bounded parallelism for REST calls. The JobManager serves REST from a small thread pool that
 * also feeds its web UI, so one collection must not flood it; a limiter shared by every call
 * of a collection caps the number in flight while keeping a cycle fast.
 */

/** Runs async tasks with at most `limit` running at once, in submission order. */
export interface ConcurrencyLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks currently running (for tests and diagnostics). */
  readonly active: number;
}

/** Creates a {@link ConcurrencyLimiter}; `limit` < 1 is treated as 1. */
export function createConcurrencyLimiter(limit: number): ConcurrencyLimiter {
  const max = Math.max(1, Math.floor(limit));
  const waiting: (() => void)[] = [];
  let active = 0;
  const release = () => {
    active -= 1;
    waiting.shift()?.();
  };
  return {
    get active() {
      return active;
    },
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
      active += 1;
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
