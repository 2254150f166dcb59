/**
 * A job the autoscaler has scaled keeps its overrides in its state, and every cycle's realize step
 * checks the spec against them (lib/cycle/steps/realize.ts). Once balanced, such a cycle must cost
 * what an unscaled job's does (issue #16): one read of the resource (the observe step's, reused by
 * the realize step: lib/adapters/kubernetes/observed-resources.ts), no write, no info line and a
 * cycle record without its vertices between detail intervals. Through the real cycle against the
 * local servers (Kubernetes emulator + Flink simulator over HTTP).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EmfMetricsReporter } from '../../../lib/adapters/cloudwatch/emf-metrics-reporter.ts';
import type { CycleLogger } from '../../../lib/cycle/cycle-dependencies.ts';
import { type MinuteCycleWorld, startMinuteCycleWorld } from '../../support/minute-cycle-world.ts';

const RESOURCE_PATH = '/apis/flink.apache.org/v1beta1/namespaces/flink-jobs/flinkdeployments/orders-enrichment';
const DETAIL_INTERVAL_MS = 5 * 60_000;

let current: MinuteCycleWorld | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe('a scaled job in steady state', () => {
  it('reads its resource once per cycle, writes nothing to it and logs only its short cycle record', async () => {
    const infoLines: string[] = [];
    const logger: CycleLogger = { debug: () => {}, info: (m) => infoLines.push(m), warn: () => {}, error: () => {} };
    const records: Array<{ readonly fsa?: string; readonly v?: unknown }> = [];
    const reporter = new EmfMetricsReporter({
      output: (line) => records.push(JSON.parse(line) as { fsa?: string; v?: unknown }),
      vertexDetailIntervalMs: DETAIL_INTERVAL_MS,
    });
    current = await startMinuteCycleWorld('scaled-steady', { logger, reporter });
    const { minute, emulator } = current;

    // Through the first rescale until balanced.
    const results = [await minute()];
    for (let i = 0; i < 40 && results.at(-1)?.decision?.action !== 'balanced'; i++) results.push(await minute());
    expect(results.some((r) => r.realized?.outcome === 'patched')).toBe(true);
    expect(results.at(-1)?.decision?.action).toBe('balanced');

    // Ten balanced minutes.
    infoLines.length = 0;
    reporter.flush();
    records.length = 0;
    const mark = emulator.requests.length;
    const steady = [];
    for (let i = 0; i < 10; i++) {
      steady.push(await minute());
      reporter.flush(); // as the Lambda middleware does after each invocation
    }

    expect(steady.map((r) => `${r.decision?.action}/${r.realized?.outcome}`)).toEqual(Array(10).fill('balanced/unchanged'));
    const resourceRequests = emulator.requests.slice(mark).filter((r) => r.path.startsWith(RESOURCE_PATH));
    expect(resourceRequests.map((r) => r.method)).toEqual(Array(10).fill('GET'));
    expect(infoLines).toEqual([]);
    const cycleRecords = records.filter((r) => r.fsa === 'cycle');
    expect(cycleRecords).toHaveLength(10);
    // Every vertex once per detail interval: 2 of 10 minutes at a 5-minute interval.
    expect(cycleRecords.filter((r) => r.v !== undefined)).toHaveLength(10 / (DETAIL_INTERVAL_MS / 60_000));
  });
});
