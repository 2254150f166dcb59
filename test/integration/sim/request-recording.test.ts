/**
 * The simulator and the emulator keep every request for tests to read, and keep none when told
 * not to: `fsa sandbox` serves for days on the real clock and must not grow without bound.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFlinkSimulator } from '../../../sim/flink-simulator/index.ts';
import { startKubernetesEmulator } from '../../../sim/kubernetes-emulator/index.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const SCENARIO = {
  name: 'recording',
  flinkVersion: '1.18.1',
  job: {
    vertices: [
      { id: 'src', parallelism: 1, costMsPerRecord: 0.5, source: { partitions: 1, load: { type: 'constant', recordsPerSecond: 10 } } },
    ],
    edges: [],
  },
} as const;

describe('request recording', () => {
  it.each([true, false])('the Flink simulator with recordRequests %s', async (recordRequests) => {
    const sim = await startFlinkSimulator({ scenario: SCENARIO, recordRequests });
    closers.push(() => sim.close());
    for (let i = 0; i < 3; i++) expect((await fetch(`${sim.url}/config`)).status).toBe(200);
    expect(sim.requests).toHaveLength(recordRequests ? 3 : 0);
  });

  it.each([true, false])('the Kubernetes emulator with recordRequests %s', async (recordRequests) => {
    const emulator = await startKubernetesEmulator({ token: 't', recordRequests });
    closers.push(() => emulator.close());
    for (let i = 0; i < 3; i++) {
      const answer = await fetch(`${emulator.url}/api/v1/namespaces/default/pods`, { headers: { authorization: 'Bearer t' } });
      expect(answer.status).toBe(200);
    }
    expect(emulator.requests).toHaveLength(recordRequests ? 3 : 0);
  });
});
