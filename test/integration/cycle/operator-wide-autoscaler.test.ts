/**
 * The operator's own autoscaler switched on for every job in the operator's default configuration
 * (not in the resource): the JobManager reports it in its effective configuration, and the cycle
 * refuses the job rather than scale it against the operator's autoscaler. Through the real cycle:
 * the Flink simulator serves the deployed configuration (the operator's defaults under the
 * resource's settings, flink-kubernetes-operator FlinkConfigManager.getDeployConfig), the emulator
 * the FlinkDeployment.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LAGGING_SOURCE_SCENARIO } from '../../support/local-cluster.ts';
import { LOCAL_JOB_KEY as KEY, type MinuteCycleWorld, startMinuteCycleWorld } from '../../support/minute-cycle-world.ts';

let current: MinuteCycleWorld | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

const withOperatorDefaults = (defaults: Record<string, string>) =>
  `${LAGGING_SOURCE_SCENARIO}configuration:\n${Object.entries(defaults)
    .map(([key, value]) => `  ${key}: "${value}"`)
    .join('\n')}\n`;

describe('operator-wide autoscaler', () => {
  it('refuses a job whose cluster runs with job.autoscaler.enabled from the operator defaults, without patching it', async () => {
    current = await startMinuteCycleWorld('operator-wide-autoscaler', {
      cluster: { scenario: withOperatorDefaults({ 'job.autoscaler.enabled': 'true' }) },
    });
    const results = [];
    for (let i = 0; i < 8; i++) results.push(await current.minute());
    for (const result of results) {
      expect(result.outcome).toBe('refused');
      expect(result.reason).toMatch(/built-in autoscaler is enabled in the operator's default configuration/);
    }
    expect(current.emulator.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
    const events = await current.store.listEvents(KEY);
    // Once per refusal interval, not every cycle.
    expect(events.filter((e) => /built-in autoscaler/.test(e.message))).toHaveLength(1);
  });
});
