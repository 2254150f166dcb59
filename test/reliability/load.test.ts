/**
 * 1,000 simulated jobs through the dispatcher and the workers with bounded concurrency (see
 * bench/reliability-load.ts for the setup): every job gets a cycle per tick, none fails, the
 * concurrency bound holds, and no job is patched before its window is full or twice in a tick.
 */
import { describe, expect, it } from 'vitest';
import { runReliabilityLoad } from '../../bench/reliability-load.ts';

describe('load: 1,000 jobs', () => {
  it('every job is dispatched and cycled each tick, within the concurrency bound, with no failure', async () => {
    const result = await runReliabilityLoad({ jobs: 1000, ticks: 2, workerConcurrency: 10 });
    expect(result.cycles).toBe(2000);
    expect(result.outcomes['decided']).toBe(2000);
    expect(result.failed).toBe(0);
    expect(result.crashed).toBe(0);
    expect(result.maxInFlight).toBeLessThanOrEqual(10);
    expect(result.maxInFlight).toBeGreaterThan(1);
    expect(result.doublePatches).toBe(0);
    // Two ticks fill no metric window: nothing may be patched yet (the bench runs longer and scales).
    expect(result.patches).toBe(0);
    expect(result.dynamoRequestsPerCycle).toBeLessThan(10);
    console.info(
      `load: ${result.cycles} cycles in ${Math.round(result.wallMs)} ms (${result.cyclesPerSecond.toFixed(1)}/s), outcomes ${JSON.stringify(result.outcomes)}`,
    );
  }, 240_000);
});
