import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../lib/config/index.ts';
import type { CycleDependencies } from '../../../lib/cycle/cycle-dependencies.ts';
import { applyEffectiveConfiguration } from '../../../lib/cycle/steps/apply-effective-configuration.ts';
import type { CycleContext } from '../../../lib/cycle/steps/cycle-context.ts';
import type { RawObservation } from '../../../lib/cycle/steps/collect.ts';
import type { ObservedJob } from '../../../lib/cycle/steps/observe.ts';
import type { AutoscalerEvent, JobKey } from '../../../lib/domain/index.ts';
import type { EventEmission, EventSink } from '../../../lib/ports/event-sink.ts';

const KEY: JobKey = { cluster: 'c', namespace: 'ns', kind: 'FlinkDeployment', name: 'job' };

/** Records what the step reports. */
class RecordingSink implements EventSink {
  readonly events: AutoscalerEvent[] = [];
  async emit(_key: JobKey, event: AutoscalerEvent): Promise<EventEmission> {
    this.events.push(event);
    return { emitted: true } as EventEmission;
  }
  async flush(): Promise<void> {}
}

function setUp(resourceConfig: Record<string, string>) {
  const sink = new RecordingSink();
  const warnings: string[] = [];
  const deps = { eventSinks: [sink], deploymentDefaults: {} } as unknown as CycleDependencies;
  const cycle: CycleContext = {
    deps,
    key: KEY,
    nowMs: 0,
    cadenceMs: 60_000,
    log: { debug() {}, info() {}, warn: (message: string) => warnings.push(message), error() {} },
  } as unknown as CycleContext;
  const observed: ObservedJob = {
    job: {
      key: KEY,
      readiness: { ready: true },
      flinkConfiguration: resourceConfig,
      rest: { baseUrl: 'http://jm', via: 'annotation' },
      memoryTuning: true,
      annotations: {},
    },
    options: resolveOptions({}, resourceConfig).options,
  };
  const raw = (flinkConfiguration?: Record<string, string>) =>
    ({ ...(flinkConfiguration ? { flinkConfiguration } : {}) }) as unknown as RawObservation;
  return { cycle, observed, raw, sink, warnings };
}

describe('applyEffectiveConfiguration', () => {
  it('leaves the job as observed when the configuration could not be read', async () => {
    const { cycle, observed, raw } = setUp({});
    expect(await applyEffectiveConfiguration(cycle, observed, raw())).toBe(observed);
  });

  it('refuses a job when the operator defaults enable the built-in autoscaler', async () => {
    const { cycle, observed, raw, sink } = setUp({});
    const result = await applyEffectiveConfiguration(cycle, observed, raw({ 'job.autoscaler.enabled': 'true' }));
    expect(result).toMatchObject({ stop: { outcome: 'refused' } });
    expect(sink.events.map((e) => e.reason)).toEqual(['InvalidConfiguration']);
    expect(cycle.mode).toBe('refused');
  });

  it('lets the resource switch the operator-wide autoscaler off', async () => {
    const { cycle, observed, raw } = setUp({ 'job.autoscaler.enabled': 'false' });
    const result = await applyEffectiveConfiguration(cycle, observed, raw({ 'job.autoscaler.enabled': 'true' }));
    expect(result).toMatchObject({ effectiveConfiguration: { 'job.autoscaler.enabled': 'false' } });
  });

  it('takes task slots the resource leaves out from the JobManager, the resource winning where it sets them', async () => {
    const reported = { 'taskmanager.numberOfTaskSlots': '4', 'jobmanager.scheduler': 'adaptive' };
    const fromJm = setUp({});
    const a = (await applyEffectiveConfiguration(fromJm.cycle, fromJm.observed, fromJm.raw(reported))) as ObservedJob;
    expect(a.options.numberOfTaskSlots).toBe(4);
    expect(a.effectiveConfiguration).toMatchObject(reported);
    const own = setUp({ 'taskmanager.numberOfTaskSlots': '2' });
    const b = (await applyEffectiveConfiguration(own.cycle, own.observed, own.raw(reported))) as ObservedJob;
    expect(b.options.numberOfTaskSlots).toBe(2);
  });

  it('keeps the resource options when a reported value does not parse', async () => {
    const { cycle, observed, raw, warnings } = setUp({});
    const result = (await applyEffectiveConfiguration(
      cycle,
      observed,
      raw({ 'taskmanager.numberOfTaskSlots': 'many' }),
    )) as ObservedJob;
    expect(result.options).toBe(observed.options);
    expect(warnings).toHaveLength(1);
  });
});
