import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../lib/config/index.ts';
import {
  knownOptionKeys,
  parseOverrides,
  ReplayOverrideError,
  resolveReplayOptions,
} from '../../../lib/replay/index.ts';

describe('parseOverrides', () => {
  it('parses key=value pairs of known options, values verbatim', () => {
    expect(
      parseOverrides(['job.autoscaler.utilization.target=0.5', 'job.autoscaler.metrics.window = 10 min']),
    ).toEqual({ 'job.autoscaler.utilization.target': '0.5', 'job.autoscaler.metrics.window': '10 min' });
  });

  it('names an unknown key and lists the known ones', () => {
    let error: unknown;
    try {
      parseOverrides(['job.autoscaler.utilisation.target=0.5']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ReplayOverrideError);
    const message = (error as Error).message;
    expect(message).toContain("'job.autoscaler.utilisation.target' is not an autoscaler option");
    expect(message).toContain('job.autoscaler.utilization.target');
    expect(message).toContain('job.autoscaler.scale-down.interval');
  });

  it('rejects an argument without a key', () => {
    expect(() => parseOverrides(['0.5'])).toThrow(/expected key=value/);
    expect(() => parseOverrides(['=0.5'])).toThrow(/expected key=value/);
  });

  it('accepts deprecated and plugin keys', () => {
    expect(knownOptionKeys()).toContain('job.autoscaler.target.utilization');
    expect(Object.keys(parseOverrides(['job.autoscaler.metrics.custom-evaluator.mine.weight=2']))).toHaveLength(1);
  });
});

describe('resolveReplayOptions', () => {
  it('lets the overrides win over the job configuration', () => {
    const { options } = resolveReplayOptions(
      { 'job.autoscaler.utilization.target': '0.8', 'job.autoscaler.metrics.window': '20 min' },
      { 'job.autoscaler.utilization.target': '0.5' },
    );
    expect(options.utilizationTarget).toBe(0.5);
    expect(options.metricsWindowMs).toBe(20 * 60_000);
  });

  it('names the key and the allowed values of a bad value', () => {
    expect(() => resolveReplayOptions({}, { 'job.autoscaler.utilization.target': '1.5' })).toThrow(InvalidOptionError);
    expect(() => resolveReplayOptions({}, { 'job.autoscaler.utilization.target': '1.5' })).toThrow(
      /job\.autoscaler\.utilization\.target.*\[0, 1\]/,
    );
    expect(() =>
      resolveReplayOptions({}, { 'job.autoscaler.scaling.key-group.partitions.adjust.mode': 'x' }),
    ).toThrow(/EVENLY_SPREAD, MAXIMIZE_UTILISATION/);
  });
});
