/**
 * Sizing of the pools whose usage Flink reports, heap and metaspace (docs/algorithm.md §7.2): from the window's
 * usage and the history's peak estimate, with the tuning overhead on top.
 */
import { formatMemorySize } from '../config/index.ts';
import type { EvaluatedMetric } from '../domain/index.ts';

const fmt = formatMemorySize;

/** A usage metric's window average and the larger of average and latest value, bytes. */
export interface PoolUsage {
  readonly average: number;
  readonly observedMax: number;
}

/** Latest and average of a usage metric when the average is usable; else undefined. */
export function poolUsage(metric: EvaluatedMetric | undefined): PoolUsage | undefined {
  if (!metric) return undefined;
  const values = [metric.average, metric.current].filter((v) => Number.isFinite(v) && v >= 0);
  if (!Number.isFinite(metric.average) || metric.average < 0) return undefined;
  return { average: metric.average, observedMax: Math.max(...values) };
}

/** `(long) (bytes × (1 + overhead))` over `(long) usage`, as the operator computes it. */
function withOverhead(usageBytes: number, overhead: number): number {
  return Math.trunc(Math.trunc(usageBytes) * (1 + overhead));
}

/** A pool's planned size, the least it may get, and why. */
export interface SizedPool {
  readonly bytes: number;
  readonly minimumBytes: number;
  readonly why: string;
}

/** What {@link usageTarget} asks for: the target, the floor below which the plan is skipped. */
export interface UsageTarget {
  readonly targetBytes: number;
  readonly minimumBytes: number;
  readonly why: string;
}

/** The pool a usage target got from the budget. */
export function sizedFrom(target: UsageTarget, takenBytes: number): SizedPool {
  return { bytes: takenBytes, minimumBytes: target.minimumBytes, why: target.why };
}

/**
 * Target for heap or metaspace: max(window average, history estimate) × (1 + overhead), floored
 * at observed maximum × (1 + overhead) and the Flink minimum.
 */
export function usageTarget(
  label: string,
  metric: PoolUsage,
  historyEstimateBytes: number | undefined,
  overhead: number,
  flinkMinimumBytes: number,
): UsageTarget {
  const fromWindow = withOverhead(metric.average, overhead);
  const fromHistory = historyEstimateBytes === undefined ? 0 : withOverhead(historyEstimateBytes, overhead);
  const observed = withOverhead(metric.observedMax, overhead);
  const minimumBytes = Math.max(observed, flinkMinimumBytes);
  const targetBytes = Math.max(fromWindow, fromHistory, minimumBytes);
  const source =
    targetBytes === fromWindow
      ? `window average ${fmt(Math.trunc(metric.average))}`
      : targetBytes === fromHistory
        ? `history peak estimate ${fmt(historyEstimateBytes ?? 0)} (window average ${fmt(Math.trunc(metric.average))})`
        : targetBytes === observed
          ? `latest usage ${fmt(Math.trunc(metric.observedMax))} (above the window average)`
          : `Flink minimum ${fmt(flinkMinimumBytes)} (usage ${fmt(Math.trunc(metric.observedMax))} is lower)`;
  return {
    targetBytes,
    minimumBytes,
    why: `${label} from ${source} × (1 + overhead ${overhead}) = ${fmt(targetBytes)}`,
  };
}
