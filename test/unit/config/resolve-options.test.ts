import { describe, expect, it } from 'vitest';
import {
  defaultOptions,
  InvalidOptionError,
  OPTION_DEFINITIONS,
  resolveOptions,
  shortWindowWarning,
} from '../../../lib/config/index.ts';

describe('resolveOptions', () => {
  it('gives the spec defaults with nothing configured', () => {
    // Prepare / Act
    const options = defaultOptions();
    // Assess: a sample of docs/algorithm.md §1 defaults, in resolved units
    expect(options.utilizationTarget).toBe(0.7);
    expect(options.metricsWindowMs).toBe(15 * 60_000);
    expect(options.scaleDownIntervalMs).toBe(3_600_000);
    expect(options.scaleUpMaxFactor).toBe(100000);
    expect(options.parallelismAlignmentMode).toBe('BALANCED');
    expect(options.utilizationMax).toBeUndefined();
    expect(options.explicitlySet.size).toBe(0);
  });

  it('every declared default passes validation and equals the resolved default', () => {
    const options = defaultOptions();
    for (const def of OPTION_DEFINITIONS) {
      expect(options[def.name], def.key).toEqual(def.default);
    }
  });

  it('reads flat and nested flinkConfiguration alike', () => {
    const flat = resolveOptions({
      'job.autoscaler.metrics.window': '10 min',
      'taskmanager.numberOfTaskSlots': '4',
    });
    const nested = resolveOptions({
      job: { autoscaler: { metrics: { window: '10 min' } } },
      taskmanager: { numberOfTaskSlots: 4 },
    });
    expect(nested.options.metricsWindowMs).toBe(600_000);
    expect(nested.options.numberOfTaskSlots).toBe(4);
    expect(flat.options.metricsWindowMs).toBe(nested.options.metricsWindowMs);
    expect(flat.options.flinkConfiguration).toEqual(nested.options.flinkConfiguration);
  });

  it('canonical key wins over deprecated and fallback keys in the same layer', () => {
    const { options, warnings } = resolveOptions({
      'kubernetes.operator.job.autoscaler.utilization.target': '0.5',
      'job.autoscaler.target.utilization': '0.6',
      'job.autoscaler.utilization.target': '0.8',
    });
    expect(options.utilizationTarget).toBe(0.8);
    expect(warnings).toEqual([]);
  });

  it('falls back to deprecated, then legacy keys, with a deprecation warning', () => {
    const deprecated = resolveOptions({
      'kubernetes.operator.job.autoscaler.utilization.target': '0.5',
      'job.autoscaler.target.utilization': '0.6',
    });
    expect(deprecated.options.utilizationTarget).toBe(0.6);
    expect(deprecated.warnings[0]).toMatch(/'job.autoscaler.target.utilization' is deprecated/);
    const legacy = resolveOptions({ 'kubernetes.operator.job.autoscaler.scale-down.interval': '2 h' });
    expect(legacy.options.scaleDownIntervalMs).toBe(7_200_000);
  });

  it('later (more specific) layers win: built-in < deployment-wide < resource', () => {
    const deploymentDefaults = {
      'job.autoscaler.utilization.target': '0.6',
      'job.autoscaler.restart.time': '2 min',
    };
    const resource = { 'job.autoscaler.utilization.target': '0.8' };
    const { options } = resolveOptions(deploymentDefaults, resource);
    expect(options.utilizationTarget).toBe(0.8);
    expect(options.restartTimeMs).toBe(120_000);
    expect(options.explicitlySet.has('restartTimeMs')).toBe(true);
    expect(options.explicitlySet.has('catchUpDurationMs')).toBe(false);
  });

  it('warns about unknown job.autoscaler keys but not plugin parameter keys', () => {
    const { warnings } = resolveOptions({
      'job.autoscaler.utilisation.target': '0.5',
      'job.autoscaler.scaling.parallelism-alignment.mode.mine.class': 'com.example.Mine',
      'execution.checkpointing.interval': '10 s',
    });
    expect(warnings).toEqual(["Unknown autoscaler option 'job.autoscaler.utilisation.target' is ignored"]);
  });

  it('warns (does not fail) when the window is shorter than two intervals of the schedule', () => {
    const { options, warnings } = resolveOptions({ 'job.autoscaler.metrics.window': '90 s' });
    expect(options.metricsWindowMs).toBe(90_000);
    expect(warnings).toEqual([]);
    // a 1-minute schedule fits two samples in 2 min, not in 90 s; a 20 s schedule (the e2e test's) does
    expect(shortWindowWarning(options, 60_000)).toMatch(
      /metrics.window' \(90000 ms\) is shorter than two evaluation intervals \(60000 ms each\)/,
    );
    expect(shortWindowWarning(options, 20_000)).toBeUndefined();
    expect(shortWindowWarning(options, 45_000)).toBeUndefined();
  });

  it('warns that Java plugins cannot run', () => {
    const { warnings } = resolveOptions({ 'job.autoscaler.scaling.custom-executors': 'veto' });
    expect(warnings.join('\n')).toMatch(/custom-executors.*cannot run here/);
  });

  it.each([
    // [config, key named in the error, message fragment]
    [{ 'job.autoscaler.utilization.target': '1.5' }, 'job.autoscaler.utilization.target', 'range [0, 1]'],
    [{ 'job.autoscaler.utilization.max': '0.6' }, 'job.autoscaler.utilization.max', 'range [0.7, 1]'],
    [{ 'job.autoscaler.utilization.min': '0.8' }, 'job.autoscaler.utilization.min', 'range [0, 0.7]'],
    [
      { 'job.autoscaler.scale-down.max-factor': '-1' },
      'job.autoscaler.scale-down.max-factor',
      'range [0, +Infinity]',
    ],
    [
      { 'job.autoscaler.memory.gc-pressure.threshold': '2' },
      'job.autoscaler.memory.gc-pressure.threshold',
      '[0, 1]',
    ],
    [{ 'job.autoscaler.scaling.enabled': 'maybe' }, 'job.autoscaler.scaling.enabled', 'true or false'],
    [
      { 'job.autoscaler.metrics.busy-time.aggregator': 'p99' },
      'job.autoscaler.metrics.busy-time.aggregator',
      'MAX, AVG, MIN',
    ],
    [{ 'job.autoscaler.vertex.max-parallelism': '0' }, 'job.autoscaler.vertex.max-parallelism', '≥ 1'],
  ])('rejects %j naming the key and the allowed values', (config, key, fragment) => {
    try {
      resolveOptions(config);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionError);
      const invalid = error as InvalidOptionError;
      expect(invalid.key).toBe(key);
      expect(invalid.message).toContain(key);
      expect(invalid.message).toContain(fragment);
    }
  });

  it('validates like the Java validator: first error in spec order wins', () => {
    // scale-down.max-factor is checked before utilization.target (docs/algorithm.md §1.10)
    expect(() =>
      resolveOptions({
        'job.autoscaler.utilization.target': '7',
        'job.autoscaler.scale-down.max-factor': '-1',
      }),
    ).toThrow(/scale-down.max-factor/);
  });

  it('checks conditional ranges only when their feature is on', () => {
    expect(
      resolveOptions({ 'job.autoscaler.memory.tuning.overhead': '5' }).options.memoryTuningOverhead,
    ).toBe(5);
    expect(() =>
      resolveOptions({
        'job.autoscaler.memory.tuning.overhead': '5',
        'job.autoscaler.memory.tuning.enabled': 'true',
      }),
    ).toThrow(/memory.tuning.overhead/);
  });

  it('rejects a non-object configuration with a clear message', () => {
    expect(() => resolveOptions('job.autoscaler.enabled=true')).toThrow(InvalidOptionError);
    expect(() => resolveOptions('job.autoscaler.enabled=true')).toThrow(/must be an object/);
  });

  it('names the key of a value of the wrong type (typed error, not a TypeError)', () => {
    try {
      resolveOptions({ job: { autoscaler: { 'vertex.exclude.ids': [{ id: 'x' }] } } });
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).key).toBe('job.autoscaler.vertex.exclude.ids');
    }
  });

  it('reports a bad time zone under its own key, a bad period under excluded.periods', () => {
    const zone = () =>
      resolveOptions({
        'job.autoscaler.excluded.periods': '09:00:00-17:00:00',
        'job.autoscaler.excluded.periods.time-zone': 'Mars/Base',
      });
    expect(zone).toThrow(InvalidOptionError);
    try {
      zone();
    } catch (error) {
      expect((error as InvalidOptionError).key).toBe('job.autoscaler.excluded.periods.time-zone');
    }
    try {
      resolveOptions({ 'job.autoscaler.excluded.periods': '25:00:00-26:00:00' });
      expect.unreachable('should have thrown');
    } catch (error) {
      expect((error as InvalidOptionError).key).toBe('job.autoscaler.excluded.periods');
    }
  });
});
