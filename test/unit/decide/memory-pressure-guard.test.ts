import { describe, expect, it } from 'vitest';
import { checkMemoryPressure } from '../../../lib/decide/guards/memory-pressure-guard.ts';

const options = { gcPressureThreshold: 0.5, heapUsageThreshold: 0.8, scalingEventIntervalMs: 600_000 };
const metric = (current: number, average = Number.NaN) => ({ current, average });

describe('checkMemoryPressure (docs/algorithm.md §5.1 step 2)', () => {
  it.each([
    // GC pressure uses the latest value, heap usage the window average.
    { name: 'GC 0.51 > 0.5', gc: 0.51, heap: metric(0.9, 0.79), key: 'gcPressure' },
    {
      name: 'heap avg 0.81 > 0.8 (current 0.6 ignored)',
      gc: 0.49,
      heap: metric(0.6, 0.81),
      key: 'heapUsage',
    },
    { name: 'both above: GC reported', gc: 0.9, heap: metric(0.9, 0.95), key: 'gcPressure' },
    { name: 'just below both', gc: 0.49, heap: metric(0.9, 0.79), key: undefined },
    { name: 'equal to thresholds passes', gc: 0.5, heap: metric(0.8, 0.8), key: undefined },
    { name: 'metrics missing (NaN) pass', gc: Number.NaN, heap: metric(Number.NaN), key: undefined },
  ])('$name', ({ gc, heap, key }) => {
    const result = checkMemoryPressure({ GC_PRESSURE: metric(gc), HEAP_MAX_USAGE_RATIO: heap }, options);
    expect(result.outcome.guard).toBe('memory-pressure');
    expect(result.outcome.passed).toBe(key === undefined);
    expect(result.event?.messageKey).toBe(key);
    if (key) {
      expect(result.event).toMatchObject({
        reason: 'MemoryPressure',
        type: 'Normal',
        dedupeIntervalMs: 600_000,
      });
      expect(result.event?.message).toMatch(
        /is above the allowed limit for scaling operations\. Please adjust the available memory manually\.$/,
      );
    }
  });

  it('uses the operator text with the value', () => {
    const result = checkMemoryPressure({ GC_PRESSURE: metric(0.51) }, options);
    expect(result.event?.message).toBe(
      'GC Pressure 0.51 is above the allowed limit for scaling operations. Please adjust the available memory manually.',
    );
  });

  it('passes when no global metrics exist', () => {
    expect(checkMemoryPressure({}, options).outcome.passed).toBe(true);
  });
});
