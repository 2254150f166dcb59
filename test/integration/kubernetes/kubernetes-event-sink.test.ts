import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aggregatedEventName } from '../../../lib/adapters/kubernetes/event-naming.ts';
import { KubernetesClient } from '../../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesEventSink } from '../../../lib/adapters/kubernetes/kubernetes-event-sink.ts';
import { StaticTokenProvider } from '../../../lib/adapters/kubernetes/auth/token-providers.ts';
import type { AutoscalerEvent } from '../../../lib/domain/autoscaler-event.ts';
import {
  type KubernetesEmulator,
  startKubernetesEmulator,
} from '../../../sim/kubernetes-emulator/index.ts';
import { aFlinkDeployment } from './flink-fixtures.ts';

const KEY = {
  cluster: 'local',
  namespace: 'flink-jobs',
  kind: 'FlinkDeployment',
  name: 'orders-enrichment',
} as const;
let emulator: KubernetesEmulator;
let sink: KubernetesEventSink;
let now: number;

const report = (message: string, dedupeIntervalMs?: number): AutoscalerEvent => ({
  reason: 'ScalingReport',
  type: 'Normal',
  message,
  messageKey: 'scaling',
  ...(dedupeIntervalMs !== undefined ? { dedupeIntervalMs } : {}),
});

beforeEach(async () => {
  now = Date.UTC(2026, 6, 20, 12, 0, 0);
  emulator = await startKubernetesEmulator({ token: 't' });
  emulator.apply(aFlinkDeployment());
  sink = new KubernetesEventSink(
    new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('t') }),
    { nowMs: () => now },
  );
});
afterEach(() => emulator.close());

const ours = () =>
  emulator
    .events('flink-jobs', 'orders-enrichment')
    .filter((e) => (e['source'] as { component: string }).component === 'flink-serverless-autoscaler');

describe('KubernetesEventSink against the emulator', () => {
  it('creates one core/v1 Event on the resource and aggregates repeats (count, lastTimestamp, message)', async () => {
    expect(await sink.emit(KEY, report('first'))).toEqual({ emitted: true, count: 1, firstTsMs: now });
    const first = ours()[0];
    expect(first).toMatchObject({
      reason: 'ScalingReport',
      type: 'Normal',
      count: 1,
      involvedObject: { kind: 'FlinkDeployment', name: 'orders-enrichment', namespace: 'flink-jobs' },
    });
    const uid = emulator.get('FlinkDeployment', 'flink-jobs', 'orders-enrichment')?.metadata.uid ?? '';
    expect(first?.metadata.name).toBe(
      aggregatedEventName({ ...KEY, apiVersion: 'flink.apache.org/v1beta1', uid }, report('x')),
    );
    now += 60_000;
    expect(await sink.emit(KEY, report('second'))).toMatchObject({ emitted: true, count: 2 });
    expect(ours()).toHaveLength(1);
    expect(ours()[0]).toMatchObject({
      count: 2,
      message: 'second',
      firstTimestamp: '2026-07-20T12:00:00Z',
      lastTimestamp: '2026-07-20T12:01:00Z',
    });
  });

  it('skips a repeat within dedupeIntervalMs and reports again after it', async () => {
    await sink.emit(KEY, report('a', 300_000));
    now += 299_999;
    expect(await sink.emit(KEY, report('b', 300_000))).toMatchObject({ emitted: false, count: 1 });
    expect(emulator.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    now += 1;
    expect(await sink.emit(KEY, report('c', 300_000))).toMatchObject({ emitted: true, count: 2 });
  });

  it('keeps different reasons and types apart', async () => {
    await sink.emit(KEY, report('a'));
    await sink.emit(KEY, { reason: 'ScalingLimited', type: 'Warning', message: 'capped' });
    expect(
      ours()
        .map((e) => e['reason'])
        .sort(),
    ).toEqual(['ScalingLimited', 'ScalingReport']);
  });
});
