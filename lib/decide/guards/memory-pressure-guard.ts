import type { AutoscalerOptions } from '../../config/index.ts';
import type { AutoscalerEvent, EvaluatedMetrics, GuardOutcome } from '../../domain/index.ts';

/** Result of {@link checkMemoryPressure}. */
export interface MemoryPressureResult {
  readonly outcome: GuardOutcome;
  /** The MemoryPressure event when the guard blocks scaling. */
  readonly event?: AutoscalerEvent;
}

/**
 * Memory-pressure guard (docs/algorithm.md §5.1 step 2): no scaling while the TaskManagers are short of
 * memory, because more subtasks per TaskManager would make it worse and the user must resize
 * memory first. Blocks when the latest GC pressure (fraction of time in GC, max across
 * TaskManagers) exceeds `memory.gc-pressure.threshold`, else when the window-average heap usage
 * ratio exceeds `memory.heap-usage.threshold`. Missing metrics (NaN) never block, as in the
 * operator. GC pressure uses the latest value and heap usage the average (docs/algorithm.md §11 #7).
 */
export function checkMemoryPressure(
  global: EvaluatedMetrics['global'],
  options: Pick<AutoscalerOptions, 'gcPressureThreshold' | 'heapUsageThreshold' | 'scalingEventIntervalMs'>,
): MemoryPressureResult {
  const gcPressure = global.GC_PRESSURE?.current ?? Number.NaN;
  const heapUsage = global.HEAP_MAX_USAGE_RATIO?.average ?? Number.NaN;
  if (gcPressure > options.gcPressureThreshold) {
    return blocked(
      'gcPressure',
      `GC Pressure ${gcPressure} is above the allowed limit for scaling operations. Please adjust the available memory manually.`,
      `GC pressure ${gcPressure} > threshold ${options.gcPressureThreshold}`,
      options,
    );
  }
  if (heapUsage > options.heapUsageThreshold) {
    return blocked(
      'heapUsage',
      `Heap Usage ${heapUsage} is above the allowed limit for scaling operations. Please adjust the available memory manually.`,
      `average heap usage ${heapUsage} > threshold ${options.heapUsageThreshold}`,
      options,
    );
  }
  return {
    outcome: {
      guard: 'memory-pressure',
      passed: true,
      detail: `GC pressure ${describe(gcPressure)} ≤ ${options.gcPressureThreshold} and average heap usage ${describe(heapUsage)} ≤ ${options.heapUsageThreshold}`,
    },
  };
}

function blocked(
  messageKey: string,
  message: string,
  detail: string,
  options: Pick<AutoscalerOptions, 'scalingEventIntervalMs'>,
): MemoryPressureResult {
  return {
    outcome: { guard: 'memory-pressure', passed: false, detail: `${detail}: scaling blocked` },
    event: {
      reason: 'MemoryPressure',
      type: 'Normal',
      message,
      messageKey,
      dedupeIntervalMs: options.scalingEventIntervalMs,
    },
  };
}

function describe(value: number): string {
  return Number.isNaN(value) ? 'unknown' : String(value);
}
