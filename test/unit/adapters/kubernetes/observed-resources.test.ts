import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../lib/adapters/clock/manual-clock.ts';
import type { FlinkResource } from '../../../../lib/adapters/kubernetes/flink-resource.ts';
import { OBSERVED_RESOURCE_MAX_AGE_MS, ObservedResources } from '../../../../lib/adapters/kubernetes/observed-resources.ts';

const resource = (name: string, resourceVersion = '1'): FlinkResource =>
  ({ apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', metadata: { name, namespace: 'ns', resourceVersion }, spec: {} }) as FlinkResource;
const PATH = '/apis/flink.apache.org/v1beta1/namespaces/ns/flinkdeployments/a';

describe('ObservedResources', () => {
  it('hands a read resource to one taker only', () => {
    const observed = new ObservedResources(new ManualClock(0));
    observed.remember(PATH, resource('a'));
    expect(observed.take(PATH)?.metadata.name).toBe('a');
    expect(observed.take(PATH)).toBeUndefined();
  });

  it('keeps the latest read of a path', () => {
    const observed = new ObservedResources(new ManualClock(0));
    observed.remember(PATH, resource('a', '1'));
    observed.remember(PATH, resource('a', '2'));
    expect(observed.take(PATH)?.metadata.resourceVersion).toBe('2');
    expect(observed.size).toBe(0);
  });

  it('does not hand out a read older than the maximum age (a cycle never gets the last one’s read)', () => {
    const clock = new ManualClock(0);
    const observed = new ObservedResources(clock);
    observed.remember(PATH, resource('a'));
    clock.advance(OBSERVED_RESOURCE_MAX_AGE_MS);
    observed.remember(`${PATH}-fresh`, resource('b'));
    expect(observed.take(PATH)?.metadata.name).toBe('a'); // exactly the maximum age: still usable
    observed.remember(PATH, resource('a'));
    clock.advance(OBSERVED_RESOURCE_MAX_AGE_MS + 1);
    expect(observed.take(PATH)).toBeUndefined();
    expect(OBSERVED_RESOURCE_MAX_AGE_MS).toBeLessThan(60_000); // below the 1-minute cadence
  });

  it('drops reads nobody took once they are past the maximum age, so jobs that never realize leave nothing behind', () => {
    const clock = new ManualClock(0);
    const observed = new ObservedResources(clock);
    for (let i = 0; i < 100; i++) observed.remember(`${PATH}-${i}`, resource(`job-${i}`));
    clock.advance(OBSERVED_RESOURCE_MAX_AGE_MS + 1);
    observed.remember(PATH, resource('a'));
    expect(observed.size).toBe(1);
  });
});
