import { describe, expect, it } from 'vitest';
import { decide } from '../../../lib/decide/decide.ts';
import { decideInput } from './decide-fixtures.ts';

const GIB = 1024 ** 3;
const TUNING = { 'job.autoscaler.memory.tuning.enabled': 'true' };

describe('decide() memory tuning (docs/algorithm.md §7, planned on every evaluation)', () => {
  it('plans memory alongside a scale-up and applies it when tuning is enabled', () => {
    // Prepare: the default fixture lags, so the source and map scale up; 4 GiB TaskManagers.
    const input = {
      ...decideInput({ configuration: TUNING }),
      taskManager: { memoryBytes: 4 * GIB, cpu: 2 },
    };
    // Act
    const output = decide(input);
    // Assess
    expect(output.decision.action).toBe('scale');
    expect(output.memoryPlan?.applied).toBe(true);
    expect(output.memoryPlan?.totalAfterBytes).toBeLessThanOrEqual(4 * GIB);
    expect(output.state.configOverrides).toEqual(output.memoryPlan?.configChanges);
    expect(output.state.configOverrides.overrides['taskmanager.memory.process.size']).toBeDefined();
    expect(output.report.events.map((e) => e.reason)).toContain('Configuration recommendation');
    expect(output.state.memoryHistory).toBeDefined();
  });

  it('only recommends when tuning is disabled: nothing stored to apply', () => {
    const input = { ...decideInput(), taskManager: { memoryBytes: 4 * GIB } };
    const output = decide(input);
    expect(output.memoryPlan).toBeDefined();
    expect(output.memoryPlan?.applied).toBe(false);
    expect(output.state.configOverrides).toEqual({ overrides: {}, removals: [] });
    const event = output.report.events.find((e) => e.reason === 'Configuration recommendation');
    expect(event?.message).toMatch(/automatic tuning is disabled/);
  });

  it('recommends without a parallelism change but does not apply a memory-only change', () => {
    // A job that is within its band: no lag, moderate load.
    const input = {
      ...decideInput({
        configuration: TUNING,
        initialLag: 0,
        lagGrowthPerSecond: 0,
        busyMsPerSecond: [500, 500, 500],
      }),
      taskManager: { memoryBytes: 4 * GIB },
    };
    const output = decide(input);
    expect(output.decision.action).toBe('balanced');
    expect(output.memoryPlan).toBeDefined();
    expect(output.memoryPlan?.applied).toBe(false);
    expect(output.state.configOverrides.overrides).toEqual({});
  });

  it('makes no plan for session jobs (the session cluster owns the TaskManagers)', () => {
    const input = {
      ...decideInput({ configuration: TUNING }),
      taskManager: { memoryBytes: 4 * GIB },
      memoryTuning: false,
    };
    const output = decide(input);
    expect(output.memoryPlan).toBeUndefined();
    expect(output.report.events.map((e) => e.reason)).not.toContain('Configuration recommendation');
  });

  it('says why there is no plan when the TaskManager memory is unknown', () => {
    const output = decide(decideInput());
    expect(output.memoryPlan).toBeUndefined();
    expect(output.memoryPlanSkippedReason).toMatch(/TaskManager memory unknown/);
  });
});
