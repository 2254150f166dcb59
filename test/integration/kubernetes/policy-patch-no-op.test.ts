/**
 * A policy hook's modified patch that leaves the resource as it is must not be written: the
 * autoscaler recommends the same change every cycle, the hook caps it the same way every cycle,
 * and the API server must not see a PATCH per minute.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesScalingRealizer } from '../../../lib/adapters/kubernetes/kubernetes-scaling-realizer.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/token-providers.ts';
import {
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../../lib/local/kubernetes-emulator/index.ts';
import { aFlinkDeployment, SINK, SOURCE } from './flink-fixtures.ts';

const KEY = {
  cluster: 'local',
  namespace: 'flink-jobs',
  kind: 'FlinkDeployment',
  name: 'orders-enrichment',
} as const;
const OV = 'pipeline.jobvertex-parallelism-overrides';
let emulator: KubernetesEmulator;
let realizer: KubernetesScalingRealizer;

beforeEach(async () => {
  emulator = await startKubernetesEmulator({ token: 't', restartDelayMs: 10_000 });
  realizer = new KubernetesScalingRealizer(
    new KubernetesClient({
      baseUrl: emulator.url,
      token: new StaticTokenProvider('t'),
      sleep: async () => {},
    }),
  );
  emulator.apply(aFlinkDeployment());
  await emulator.advance(10_000);
});
afterEach(() => emulator.close());

const patches = () => emulator.requests.filter((r) => r.method === 'PATCH').length;

describe('realize with a policy-modified patch', () => {
  it('writes a capped change once, then nothing while the cap stays the same', async () => {
    // Prepare: the autoscaler wants 8/2, the policy caps the source at 4.
    const plan = { parallelismOverrides: { [SOURCE]: 8, [SINK]: 2 } };
    const capped = { spec: { flinkConfiguration: { [OV]: `${SINK}:2,${SOURCE}:4` } } };
    // Act: the same proposal and the same cap, three cycles in a row.
    const first = await realizer.realize(KEY, plan, { patchOverride: capped });
    const second = await realizer.realize(KEY, plan, { patchOverride: capped });
    const third = await realizer.realize(KEY, plan, { patchOverride: capped });
    // Assess: one write, then unchanged.
    expect(first.outcome).toBe('patched');
    expect(second.outcome).toBe('unchanged');
    expect(third.outcome).toBe('unchanged');
    expect(patches()).toBe(1);
  });
});
