/**
 * Flink REST faults on one job of three, through the full handler wiring: timeouts, 5xx, a 5xx on
 * one vertex only (partial metrics), truncated and garbage bodies, JSON of the wrong shape,
 * missing metrics, an unknown job id. After every tick the invariants of support/invariants.ts
 * are checked; the faulted job never writes state or gets a patch from partial metrics, the other
 * two keep being evaluated, and the faulted job decides again once the fault is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorFault } from '../../sim/flink-simulator/index.ts';
import { hexId } from '../../sim/flink-simulator/index.ts';
import { InvariantChecker } from './support/invariants.ts';
import { type ReliabilityWorld, startReliabilityWorld } from './support/reliability-world.ts';

const FAULTED = 'job-a';
const HEALTHY = ['job-b', 'job-c'];
const JOBS = [FAULTED, ...HEALTHY];

let world: ReliabilityWorld;
let invariants: InvariantChecker;

beforeAll(async () => {
  world = await startReliabilityWorld({ jobs: JOBS });
  invariants = new InvariantChecker(world, JOBS);
  // Warm-up: past stabilization, so a cycle without faults decides.
  for (let i = 0; i < 2; i++) await invariants.afterTick(await world.tick(), { healthy: [] });
});

afterAll(async () => {
  await world?.close();
});

const jobPath = () => `/jobs/${world.sims.get(FAULTED)!.jobId}`;
const sourceVertex = hexId(`${FAULTED}/src`);

/** Each case: the fault, and the failure text expected in the cycle's reason. */
const CASES: ReadonlyArray<{ name: string; fault: () => SimulatorFault; reason: RegExp }> = [
  {
    name: 'REST timeout (a hanging JobManager)',
    fault: () => ({ pathPrefix: jobPath(), hang: true }),
    reason: /timed out/,
  },
  { name: 'HTTP 500 on every call', fault: () => ({ pathPrefix: '/', status: 500 }), reason: /HTTP 500/ },
  {
    name: 'HTTP 503 from a proxy with an HTML body',
    fault: () => ({ pathPrefix: '/', status: 503, rawBody: '<html>503</html>' }),
    reason: /HTTP 503/,
  },
  {
    name: 'HTTP 500 on one vertex only (partial metrics)',
    fault: () => ({ pathPrefix: `${jobPath()}/vertices/${sourceVertex}`, status: 500 }),
    reason: /HTTP 500/,
  },
  {
    name: 'truncated JSON of the job details',
    fault: () => ({ pathPrefix: jobPath(), rawBody: '{"jid":"0123', status: 200 }),
    reason: /non-JSON/,
  },
  {
    name: 'truncated JSON of one vertex metrics',
    fault: () => ({
      pathPrefix: `${jobPath()}/vertices/${sourceVertex}`,
      rawBody: '[{"id":"busyTimeMsPerSecond","max":',
      status: 200,
    }),
    reason: /non-JSON/,
  },
  {
    name: 'garbage body with status 200',
    fault: () => ({ pathPrefix: '/', rawBody: '\u0000\u00ff garbage \ud800', status: 200 }),
    reason: /non-JSON/,
  },
  {
    name: 'JSON of the wrong shape',
    fault: () => ({ pathPrefix: jobPath(), rawBody: '{"jid":42,"vertices":"none"}', status: 200 }),
    reason: /Malformed Flink REST response.*jid/,
  },
  {
    name: 'missing metrics (empty metric lists)',
    fault: () => ({ pathPrefix: `${jobPath()}/vertices/`, rawBody: '[]', status: 200 }),
    // a kept listing queried with an empty answer: the metrics are named as without values
    reason: /required metrics are missing|window .* is not full|has no values for busyTimeMsPerSecond/,
  },
  {
    name: 'missing TaskManager metrics',
    fault: () => ({ pathPrefix: '/taskmanagers/metrics', rawBody: '[]', status: 200 }),
    reason: /required metrics are missing|window .* is not full/,
  },
  {
    name: 'unknown job id (404)',
    fault: () => ({ pathPrefix: jobPath(), status: 404 }),
    reason: /not found/,
  },
];

describe('Flink REST faults on one job of three', () => {
  it.each(CASES)(
    '$name: no state or patch from it, others keep going, failure visible',
    async ({ fault, reason }) => {
      const sim = world.sims.get(FAULTED)!;
      sim.injectFault(fault());
      try {
        for (let i = 0; i < 2; i++) {
          const tick = await world.tick();
          await invariants.afterTick(tick, { partialMetrics: [FAULTED], healthy: HEALTHY });
          const outcome = tick.results.find((r) => r.job?.endsWith(`/${FAULTED}`))?.result;
          // Stopped before persisting, or (metrics missing) a recorded not-ready decision: never a scaling.
          const stopped = outcome?.outcome === 'failed' || outcome?.outcome === 'not-ready';
          const notReadyDecision = outcome?.outcome === 'decided' && outcome.decision?.action === 'not-ready';
          expect(stopped || notReadyDecision, JSON.stringify(outcome)).toBe(true);
          expect(outcome?.reason, JSON.stringify(outcome?.reason)).toMatch(reason);
        }
      } finally {
        sim.clearFaults();
      }
      // Recovery: the next tick evaluates the faulted job again.
      const recovered = await world.tick();
      expect(recovered.outcomes.get(FAULTED)).toBe('decided');
      await invariants.afterTick(recovered, { healthy: JOBS });
      expect(invariants.violations).toEqual([]);
    },
  );

  it('every job was scaled despite the faults, and the run held every invariant', async () => {
    for (const job of JOBS) {
      const state = await world.store.load(world.keyOf(job), { sinceMs: 0 });
      expect(Math.max(0, ...Object.values(state.state.parallelismOverrides)), job).toBeGreaterThanOrEqual(2);
    }
    expect(invariants.failures(FAULTED)).toBeGreaterThan(0);
    expect(invariants.checks).toBeGreaterThan(100);
    expect(invariants.violations).toEqual([]);
  });
});
