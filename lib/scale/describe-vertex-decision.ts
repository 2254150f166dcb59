/**
 * Text of a vertex decision's `why`: one sentence with the rates, thresholds, factor and every
 * rule that moved the number, so a user reading an event or a log line can redo the arithmetic.
 */
import type { StepTargetDataRate, VertexLimitReason } from '../domain/index.ts';
import type { AlignmentMode } from './align-parallelism.ts';
import type { LimitStep } from './scale-parallelism.ts';

/** A rate or capacity for humans: whole numbers as-is, else two decimals; ∞ and n/a spelled out. */
export function formatRate(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  if (value === Number.POSITIVE_INFINITY) return '∞';
  if (value === Number.NEGATIVE_INFINITY) return '-∞';
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** A duration in the largest unit that divides it (`1 h`, `30 min`, `45 s`, `1500 ms`). */
export function formatDurationMs(ms: number): string {
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms !== 0 && ms % size === 0) return `${ms / size} ${unit}`;
  }
  return `${ms} ms`;
}

/** Where the TPR lies relative to the no-scaling band, plus the target data rate. */
export function describeBand(
  trueProcessingRate: number,
  targetDataRate: number,
  scaleUpRateThreshold: number,
  scaleDownRateThreshold: number,
): string {
  const tpr = `TPR ${formatRate(trueProcessingRate)} rec/s`;
  const band = Number.isNaN(trueProcessingRate)
    ? `TPR n/a (band [${formatRate(scaleUpRateThreshold)}, ${formatRate(scaleDownRateThreshold)}])`
    : trueProcessingRate < scaleUpRateThreshold
      ? `${tpr} < scale-up threshold ${formatRate(scaleUpRateThreshold)}`
      : trueProcessingRate > scaleDownRateThreshold
        ? `${tpr} > scale-down threshold ${formatRate(scaleDownRateThreshold)}`
        : `${tpr} within [${formatRate(scaleUpRateThreshold)}, ${formatRate(scaleDownRateThreshold)}]`;
  return `${band} (target rate ${formatRate(targetDataRate)} rec/s)`;
}

/** Context for {@link describeLimit}. */
export interface LimitContext {
  readonly currentParallelism: number;
  readonly lowerLimit: number;
  readonly vertexMinParallelism: number;
  readonly vertexMaxParallelism: number;
  readonly maxParallelism: number;
  readonly numSourcePartitions: number;
  readonly alignmentMode: AlignmentMode;
  /** N used by alignment (partitions for sources, else key groups). */
  readonly numKeyGroupsOrPartitions: number;
}

/** The clause for one limit reason of {@link scaleParallelism} that moved the number to `value`. */
export function describeLimit(reason: VertexLimitReason, value: number, context: LimitContext): string {
  const alignedOn =
    context.numSourcePartitions > 0
      ? `${context.numKeyGroupsOrPartitions} source partitions`
      : `${context.numKeyGroupsOrPartitions} key groups`;
  switch (reason) {
    case 'min-parallelism':
      return `raised to ${value} (lower limit: min(current ${context.currentParallelism}, vertex.min-parallelism ${context.vertexMinParallelism}))`;
    case 'max-parallelism':
      return `capped to ${value} (upper limit: max(current ${context.currentParallelism}, vertex.max-parallelism ${context.vertexMaxParallelism}))`;
    case 'key-groups':
      return `capped to ${value} (max parallelism, ${context.maxParallelism} key groups)`;
    case 'source-partitions':
      return `capped to ${value} (${context.numSourcePartitions} source partitions)`;
    case 'alignment':
      return `aligned to ${value} (${context.alignmentMode}, ${alignedOn})`;
    case 'alignment-blocked':
      return `alignment blocked by ${context.alignmentMode} (${alignedOn}), kept ${value}`;
    default:
      return `${reason} → ${value}`;
  }
}

/** The clauses of every limit step of {@link scaleParallelism}, in the order applied. */
export function describeLimitSteps(steps: readonly LimitStep[], context: LimitContext): string[] {
  return steps.map((step) => describeLimit(step.reason, step.parallelism, context));
}

/** `source src: last 5m 4000 rec/s vs window 3200 rec/s`, for each source with a step. */
export function describeStepSources(step: StepTargetDataRate): string {
  return step.sources
    .map(
      (source) =>
        `source ${source.vertexId}: last ${formatDurationMs(source.recentSpanMs)} (${source.recentSamples} samples) ` +
        `${formatRate(source.recentRate)} rec/s vs window ${formatRate(source.windowRate)} rec/s`,
    )
    .join('; ');
}
