/**
 * Kubernetes API faults through the full handler wiring: 409 on the patch (once: re-read and
 * retried; twice: the cycle fails and the next one reconciles), 422, 429 with Retry-After, 500
 * beyond the retry budget, a request that times out, and a token that expires between the
 * dispatcher and the worker and in the middle of a cycle. Each fault is armed on its own job
 * (each job makes its first scale-up decision under the fault); a control job is never faulted.
 * After every tick the invariants are checked; at the end every job runs the parallelism it
 * stored, applied by exactly one patch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvariantChecker } from './support/invariants.ts';
import {
  type ReliabilityWorld,
  startReliabilityWorld,
  type TickResult,
} from './support/reliability-world.ts';

const CASES = {
  'k-conflict-once': 'PATCH answered 409 once: re-read and retried within the cycle',
  'k-conflict-twice': 'PATCH answered 409 twice: the cycle fails, the next one reconciles',
  'k-invalid': 'PATCH answered 422 with causes: the cycle fails naming the field',
  'k-server-error': 'PATCH answered 500 beyond the retry budget: fails, next cycle reconciles',
  'k-throttled': 'GET answered 429 with Retry-After twice: retried',
  'k-timeout': 'GET that does not answer within the client timeout',
  'k-token': 'token expires in the middle of the cycle',
} as const;
type CaseJob = keyof typeof CASES;
const CONTROL = 'k-control';
const JOBS = [...(Object.keys(CASES) as CaseJob[]), CONTROL];
const resource = (job: string) => `/flinkdeployments/${job}`;

let world: ReliabilityWorld;
let invariants: InvariantChecker;
const ticks: TickResult[] = [];

beforeAll(async () => {
  world = await startReliabilityWorld({ jobs: JOBS, kubernetesTimeoutMs: 1_000 });
  invariants = new InvariantChecker(world, JOBS);
  const e = world.emulator;
  e.intercept({ method: 'PATCH', pathIncludes: resource('k-conflict-once'), times: 1 }, { status: 409 });
  e.intercept({ method: 'PATCH', pathIncludes: resource('k-conflict-twice'), times: 2 }, { status: 409 });
  e.intercept(
    { method: 'PATCH', pathIncludes: resource('k-invalid'), times: 1 },
    {
      status: 422,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Invalid',
        code: 422,
        message: 'FlinkDeployment.flink.apache.org "k-invalid" is invalid',
        details: { causes: [{ field: 'spec.flinkConfiguration', message: 'admission webhook said no' }] },
      },
    },
  );
  e.intercept({ method: 'PATCH', pathIncludes: resource('k-server-error'), times: 4 }, { status: 500 });
  e.intercept(
    { method: 'GET', pathIncludes: resource('k-throttled'), times: 2 },
    { status: 429, headers: { 'retry-after': '1' } },
  );
  // The patch of this job is applied, but answered only after the client gave up (1 s).
  // (undici's timers are coarse: 2.5 s is safely past a 1 s timeout.) The next tick waits for
  // the late answer, so the test does not depend on which of the two wins the race.
  let lateAnswer: Promise<void> | undefined;
  e.intercept({ method: 'PATCH', pathIncludes: resource('k-timeout'), times: 1 }, () => {
    lateAnswer = new Promise((resolve) => setTimeout(resolve, 2_500));
    return lateAnswer;
  });
  // The token expires right after this job's resource was read: later calls of the cycle
  // (the Flink REST proxy, the patch, the events) present an expired token.
  e.intercept({ method: 'PATCH', pathIncludes: resource('k-token'), times: 1 }, () => world.token.rotate());
  // Bounded: every job makes its first scale-up within 8 ticks (3-minute window, 1-minute ticks).
  for (let i = 0; i < 8; i++) {
    const tick = await world.tick({
      // The token also expires between the dispatcher's listing and the workers once.
      beforeWorkers: i === 3 ? () => world.token.rotate() : undefined,
    });
    ticks.push(tick);
    await invariants.afterTick(tick, { healthy: [CONTROL] });
    if (lateAnswer) await lateAnswer;
  }
  // Two more ticks reconcile what failed.
  for (let i = 0; i < 2; i++) {
    const tick = await world.tick();
    ticks.push(tick);
    await invariants.afterTick(tick, { healthy: [CONTROL] });
  }
}, 120_000);

afterAll(async () => {
  await world?.close();
});

function outcomesOf(job: string): string[] {
  return ticks.map((t) => {
    const r = t.results.find((x) => x.job?.endsWith(`/${job}`))?.result;
    return `${r?.outcome}:${r?.decision?.action ?? ''}:${r?.realized?.outcome ?? ''}`;
  });
}

describe('Kubernetes API faults', () => {
  it.each(Object.entries(CASES))('%s — %s: the stored decision runs, applied by exactly one patch', (job) => {
    const key = world.keyOf(job);
    const patches = world.patchesSince(0).filter((p) => p.job === job && p.overrides !== undefined);
    expect(patches, outcomesOf(job).join(' ')).toHaveLength(1);
    const live = world.emulator.get('FlinkDeployment', key.namespace, key.name) as unknown as {
      spec: { flinkConfiguration: Record<string, string> };
    };
    expect(live.spec.flinkConfiguration['pipeline.jobvertex-parallelism-overrides']).toBe(
      patches[0]?.overrides,
    );
    expect(world.sims.get(job)!.cluster.parallelismOf('src')).toBeGreaterThanOrEqual(2);
  });

  it('the faults that outlast the client retries fail one cycle, visibly, and the next cycle reconciles', () => {
    for (const job of ['k-conflict-twice', 'k-invalid', 'k-server-error', 'k-timeout'] as const) {
      expect(invariants.failures(job), `${job}: ${outcomesOf(job).join(' ')}`).toBeGreaterThanOrEqual(1);
    }
    const invalid = ticks
      .flatMap((t) => t.results)
      .find((r) => r.job?.endsWith('/k-invalid') && r.result?.outcome === 'failed');
    expect(invalid?.result?.reason).toMatch(/spec\.flinkConfiguration: admission webhook said no/);
    // Retried inside the client or the realizer: no failed cycle at all.
    for (const job of ['k-conflict-once', 'k-throttled'] as const) {
      expect(invariants.failures(job), `${job}: ${outcomesOf(job).join(' ')}`).toBe(0);
    }
  });

  it('an expired token is refreshed once per expiry and never fails the other jobs', () => {
    expect(world.token.issued.length).toBe(3);
    const afterRotation = ticks[3]!;
    const unauthorized = ticks
      .flatMap((t) => t.results)
      .filter((r) => /401|Unauthorized/.test(r.result?.reason ?? r.error ?? ''));
    expect(unauthorized).toEqual([]);
    expect(afterRotation.outcomes.get(CONTROL)).toBe('decided');
    expect(world.emulator.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(2);
  });

  it('held every invariant after every tick', () => {
    expect(invariants.checks).toBeGreaterThan(150);
    expect(invariants.violations).toEqual([]);
  });
});
