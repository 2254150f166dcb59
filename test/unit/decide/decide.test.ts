import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyJobState, type JobState } from '../../../lib/domain/index.ts';
import { decide } from '../../../lib/decide/decide.ts';
import { decideInput, type JobParams, MAP, MINUTE, SINK, SOURCE, T0 } from './decide-fixtures.ts';

const VERTICES = [SOURCE, MAP, SINK];

describe('decide: scaling', () => {
  it('scales a lagging source and records everything the next cycles need', () => {
    // Prepare: source consumes 3,000 rec/s at 950 ms/s busy while its lag grows by 2,000 rec/s.
    const input = decideInput();
    // Act
    const { decision, state, sample, samples, report } = decide(input);
    // Assess
    expect(decision.action).toBe('scale');
    const changed = decision.vertices.filter((v) => v.changed).map((v) => v.vertexId);
    expect(changed).toContain(SOURCE);
    expect(Object.keys(decision.parallelismOverrides).sort()).toEqual([...VERTICES].sort());
    expect(state.parallelismOverrides).toEqual(decision.parallelismOverrides);
    for (const id of changed) {
      const last = state.scalingHistory[id]?.at(-1);
      expect(last).toMatchObject({ tsMs: input.nowMs, currentParallelism: 2 });
      expect(last?.newParallelism).toBe(decision.parallelismOverrides[id]);
    }
    expect(state.scalingTracking).toEqual([{ startMs: input.nowMs }]);
    expect(state.delayedScaleDown).toEqual({});
    expect(state.jobId).toBe(input.raw.topology.jobId);
    expect(sample.tsMs).toBe(input.nowMs);
    expect(samples).toHaveLength(16);
    expect(report.windowFull).toBe(true);
    const scalingReport = report.events.find((e) => e.reason === 'ScalingReport');
    expect(scalingReport?.message.startsWith('Scaling execution enabled, begin scaling vertices:')).toBe(
      true,
    );
    expect(decision.guards.map((g) => [g.guard, g.passed])).toEqual([
      ['window', true],
      ['memory-pressure', true],
      ['scaling-disabled', true],
    ]);
    expect(decision.summary).toMatch(/^Scaling 2 of 3 vertices/);
    for (const v of decision.vertices) expect(v.why.length).toBeGreaterThan(10);
    expect(report.evaluated?.vertices[SOURCE]?.RECOMMENDED_PARALLELISM?.current).toBe(
      decision.parallelismOverrides[SOURCE],
    );
  });

  it('is balanced when every vertex is inside its band', () => {
    // No backlog: TPR = 3000 / 0.4 = 7,500 rec/s within [3000 / 1.0, 3000 / 0.4 + restart 500] = [3000, 8000].
    const { decision, state } = decide(
      decideInput({ initialLag: 0, lagGrowthPerSecond: 0, busyMsPerSecond: [400, 400, 400] }),
    );
    expect(decision.action).toBe('balanced');
    expect(decision.parallelismOverrides).toEqual({});
    expect(state.parallelismOverrides).toEqual({});
    expect(decision.summary).toMatch(/^Balanced/);
  });
});

describe('decide: blocked', () => {
  it('recommendation-only mode reports but applies nothing', () => {
    const previous: JobState = { ...emptyJobState(), parallelismOverrides: { [SOURCE]: 2 } };
    const input = decideInput({
      configuration: { 'job.autoscaler.scaling.enabled': 'false' },
      state: previous,
    });
    const { decision, state, report } = decide(input);
    expect(decision.action).toBe('blocked');
    expect(decision.parallelismOverrides).toEqual({});
    expect(state.parallelismOverrides).toEqual({ [SOURCE]: 2 });
    expect(state.scalingTracking).toEqual([]);
    const event = report.events.find((e) => e.reason === 'ScalingReport');
    expect(event?.message).toMatch(
      /^Scaling execution disabled by config job\.autoscaler\.scaling\.enabled:false, recommended parallelism change:\{ Vertex ID /,
    );
    expect(event?.dedupeIntervalMs).toBe(input.options.scalingEventIntervalMs);
    expect(report.evaluated?.vertices[SOURCE]?.RECOMMENDED_PARALLELISM?.current).toBeGreaterThan(2);
    expect(decision.guards.at(-1)).toMatchObject({ guard: 'scaling-disabled', passed: false });
  });

  it.each([
    // now = 09:15 UTC.
    { zone: 'UTC', action: 'blocked' },
    // 09:15 UTC = 18:15 in Tokyo: outside 09:00-10:00.
    { zone: 'Asia/Tokyo', action: 'scale' },
  ])('excluded period 09:00-10:00 in $zone → $action', ({ zone, action }) => {
    const { decision, report } = decide(
      decideInput({
        configuration: {
          'job.autoscaler.excluded.periods': '09:00:00-10:00:00',
          'job.autoscaler.excluded.periods.time-zone': zone,
        },
      }),
    );
    expect(decision.action).toBe(action);
    const guard = decision.guards.find((g) => g.guard === 'excluded-period');
    expect(guard?.passed).toBe(action === 'scale');
    if (action === 'blocked') {
      expect(report.events.find((e) => e.reason === 'ScalingReport')?.message).toMatch(
        /^Scaling execution disabled by config job\.autoscaler\.excluded\.periods:09:00:00-10:00:00, /,
      );
    }
  });

  it('memory pressure blocks with a MemoryPressure event', () => {
    const { decision, report, state } = decide(
      decideInput({
        gcTimeMsPerSecond: 600,
        configuration: { 'job.autoscaler.memory.gc-pressure.threshold': '0.5' },
      }),
    );
    expect(decision.action).toBe('blocked');
    expect(report.events.map((e) => e.reason)).toContain('MemoryPressure');
    expect(state.scalingTracking).toEqual([]);
  });

  it('the quota blocks a scale-up with ResourceQuotaReached', () => {
    const input = decideInput({ configuration: { 'job.autoscaler.quota.cpu': '4' } });
    // 2 TMs (p 2, one shared group, 1 slot/TM) → ≥ 3 TMs × 2 CPU > 4.
    const { decision, report } = decide({ ...input, taskManager: { cpu: 2, memoryBytes: 4 * 1024 ** 3 } });
    expect(decision.action).toBe('blocked');
    expect(decision.guards.at(-1)).toMatchObject({ guard: 'quota', passed: false });
    expect(report.events.map((e) => e.reason)).toContain('ResourceQuotaReached');
  });

  it.each([
    // Shared slots (2 used = widest vertex): 2 TMs → widest new p (6) = 6 TMs × 1 CPU ≤ 8: scales.
    { slotsUsed: 2, action: 'scale' },
    // No slot sharing (6 used = 2 + 2 + 2, groups unknown): Σ new p = 6 + 4 + 2 = 12 TMs > 8: blocked.
    { slotsUsed: 6, action: 'blocked' },
  ])(
    'TaskManagers follow the used slots when groups are unknown ($slotsUsed used → $action)',
    ({ slotsUsed, action }) => {
      const input = decideInput({
        taskSlotsUsed: slotsUsed,
        configuration: { 'job.autoscaler.quota.cpu': '8' },
      });
      const { decision } = decide({ ...input, taskManager: { cpu: 1, memoryBytes: 1024 ** 3 } });
      expect(decision.parallelismOverrides[SOURCE] ?? 6).toBe(6);
      expect(decision.action).toBe(action);
    },
  );

  it('the cluster capacity check blocks a scale-up that cannot be scheduled', () => {
    const input = decideInput();
    const { decision, report } = decide({
      ...input,
      taskManager: { cpu: 2, memoryBytes: 4 * 1024 ** 3 },
      clusterCapacity: {
        nodes: [{ name: 'n1', freeCpu: 1, freeMemoryBytes: 1024 ** 3 }],
        expandableGroups: [],
      },
    });
    expect(decision.action).toBe('blocked');
    expect(decision.guards.at(-1)).toMatchObject({ guard: 'cluster-capacity', passed: false });
    expect(report.events.map((e) => e.reason)).toContain('ClusterCapacityReached');
  });
});

describe('decide: not ready', () => {
  it('fewer than two samples: nothing evaluated', () => {
    const { decision, report, samples } = decide(decideInput({ storedSamples: 0 }));
    expect(decision.action).toBe('not-ready');
    expect(samples).toHaveLength(1);
    expect(report.evaluated).toBeUndefined();
    expect(decision.guards).toEqual([
      { guard: 'window', passed: false, detail: expect.stringMatching(/1 sample/) },
    ]);
  });

  it('window not full: evaluation reported without a recommendation', () => {
    const { decision, report } = decide(decideInput({ storedSamples: 5 }));
    expect(decision.action).toBe('not-ready');
    expect(report.windowFull).toBe(false);
    expect(report.evaluated?.vertices[SOURCE]?.TRUE_PROCESSING_RATE).toBeDefined();
    for (const id of VERTICES)
      expect(report.evaluated?.vertices[id]?.RECOMMENDED_PARALLELISM).toBeUndefined();
  });

  it('an incomplete observation never scales and says which metrics are missing', () => {
    const { decision, state } = decide(decideInput({ missingRequired: ['busyTimeMsPerSecond'] }));
    expect(decision.action).toBe('not-ready');
    expect(decision.summary).toMatch(/busyTimeMsPerSecond/);
    expect(decision.guards.map((g) => [g.guard, g.passed])).toEqual([
      ['window', true],
      ['observation', false],
    ]);
    expect(state.parallelismOverrides).toEqual({});
  });
});

describe('decide: state', () => {
  it('a new job id drops the old window and pending scale-downs, keeps history, records and overrides', () => {
    const history = {
      [SOURCE]: [
        {
          tsMs: T0 - 60 * MINUTE,
          currentParallelism: 1,
          newParallelism: 2,
          metrics: { trueProcessingRateAvg: 1, expectedProcessingRate: 2, targetDataRateAvg: 1 },
        },
      ],
    };
    const previous: JobState = {
      ...emptyJobState(),
      jobId: 'old-job',
      scalingHistory: history,
      scalingTracking: [{ startMs: T0 - 60 * MINUTE, restartDurationMs: 90_000 }],
      delayedScaleDown: { [MAP]: { firstTriggerTimeMs: T0, recommendations: [] } },
      parallelismOverrides: { [SOURCE]: 2 },
    };
    const { decision, state, samples } = decide(decideInput({ state: previous }));
    expect(samples).toHaveLength(1); // only this cycle's sample
    expect(decision.action).toBe('not-ready');
    expect(state.jobId).toBe('a3f5e8d2c41b4e7f9a0b1c2d3e4f5a6b');
    expect(state.delayedScaleDown).toEqual({});
    expect(state.scalingHistory).toEqual(history);
    expect(state.scalingTracking).toEqual(previous.scalingTracking);
    expect(state.parallelismOverrides).toEqual({ [SOURCE]: 2 });
  });

  it('measures the restart of the last scaling once the topology reached its targets', () => {
    // Scaling decided 20 min before T0 to p = 2; the job (p = 2) is RUNNING since T0 − 10 min.
    const start = T0 - 20 * MINUTE;
    const previous: JobState = {
      ...emptyJobState(),
      jobId: 'a3f5e8d2c41b4e7f9a0b1c2d3e4f5a6b',
      scalingHistory: {
        [SOURCE]: [
          {
            tsMs: start,
            currentParallelism: 1,
            newParallelism: 2,
            metrics: { trueProcessingRateAvg: 1, expectedProcessingRate: 2, targetDataRateAvg: 1 },
          },
        ],
      },
      scalingTracking: [{ startMs: start }],
    };
    const { state, report } = decide(
      decideInput({
        state: previous,
        configuration: { 'job.autoscaler.restart.time-tracking.enabled': 'true' },
      }),
    );
    // 10 min restart (T0 − 10 min − (T0 − 20 min)).
    expect(state.scalingTracking[0]).toEqual({ startMs: start, restartDurationMs: 10 * MINUTE });
    expect(report.restartTimeMs).toBe(10 * MINUTE);
  });
});

const jobParams: fc.Arbitrary<JobParams> = fc.record({
  parallelism: fc.tuple(
    fc.integer({ min: 1, max: 24 }),
    fc.integer({ min: 1, max: 24 }),
    fc.integer({ min: 1, max: 24 }),
  ),
  consumedPerSecond: fc.integer({ min: 10, max: 20_000 }),
  lagGrowthPerSecond: fc.integer({ min: -100, max: 5_000 }),
  busyMsPerSecond: fc.tuple(
    fc.integer({ min: 1, max: 1000 }),
    fc.integer({ min: 1, max: 1000 }),
    fc.integer({ min: 1, max: 1000 }),
  ),
  storedSamples: fc.integer({ min: 0, max: 16 }),
  configuration: fc.record({ 'job.autoscaler.scale-down.interval': fc.constantFrom('0 s', '1 h') }),
});

describe('decide: properties', () => {
  it('is deterministic: the same input gives a deep-equal output', () => {
    fc.assert(
      fc.property(jobParams, (params) => {
        expect(decide(decideInput(params))).toEqual(decide(decideInput(params)));
      }),
      { numRuns: 40 },
    );
  });

  it('never scales when required metrics are missing', () => {
    fc.assert(
      fc.property(
        jobParams,
        fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 }),
        (params, missing) => {
          const { decision, state } = decide(decideInput({ ...params, missingRequired: missing }));
          expect(decision.action).not.toBe('scale');
          expect(decision.parallelismOverrides).toEqual({});
          expect(state.scalingTracking).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('overrides name only topology vertices, and all of them when scaling', () => {
    fc.assert(
      fc.property(jobParams, (params) => {
        const { decision } = decide(decideInput(params));
        const keys = Object.keys(decision.parallelismOverrides);
        for (const key of keys) expect(VERTICES).toContain(key);
        if (decision.action === 'scale') expect(keys.sort()).toEqual([...VERTICES].sort());
        else expect(keys).toEqual([]);
        for (const p of Object.values(decision.parallelismOverrides)) expect(p).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 40 },
    );
  });

  it('recommendation-only never returns overrides to apply', () => {
    fc.assert(
      fc.property(jobParams, (params) => {
        const input = decideInput({
          ...params,
          configuration: { 'job.autoscaler.scaling.enabled': 'false' },
        });
        const { decision, state } = decide(input);
        expect(decision.action).not.toBe('scale');
        expect(decision.parallelismOverrides).toEqual({});
        expect(state.parallelismOverrides).toEqual(input.state.parallelismOverrides);
      }),
      { numRuns: 40 },
    );
  });
});
