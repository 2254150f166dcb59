import { describe, expect, it } from 'vitest';
import { createConcurrencyLimiter } from '../../../../lib/adapters/flink-rest/bounded-parallel.ts';

describe('createConcurrencyLimiter', () => {
  it('never runs more than the limit, starts tasks in order and passes results and errors through', async () => {
    const limiter = createConcurrencyLimiter(2);
    const releases: (() => void)[] = [];
    const started: number[] = [];
    let maxActive = 0;
    const tasks = [0, 1, 2, 3, 4].map((index) =>
      limiter.run(async () => {
        started.push(index);
        maxActive = Math.max(maxActive, limiter.active);
        await new Promise<void>((resolve) => releases.push(resolve));
        if (index === 3) throw new Error('task 3 failed');
        return index * 10;
      }),
    );
    // Settle handlers go on at once: task 3 rejects while the loop below is still running.
    const settled = Promise.allSettled(tasks);
    // Release tasks one at a time; each release lets exactly one waiting task start.
    for (let released = 0; released < 5; released++) {
      await new Promise((resolve) => setImmediate(resolve));
      releases.shift()?.();
    }
    const results = await settled;
    expect(maxActive).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      0,
      10,
      20,
      'task 3 failed',
      40,
    ]);
    expect(limiter.active).toBe(0);
  });
});
