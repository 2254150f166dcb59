/**
 * The baseline the benchmark compares against: the built-in autoscaling rule of AWS Managed
 * Service for Apache Flink (spec/users-and-peers.md): CPU only, whole job. Parallelism ×2 when the
 * maximum CPU utilization is ≥ 75 % for 15 consecutive minutes; ÷2 when it is < 10 % for 6 hours;
 * never below the configured parallelism; at most 64 (KPUs, one parallelism per KPU).
 *
 * Pure: one call per observation, the caller applies the returned parallelism (and waits out the
 * restart, during which CPU is not observed because the job does not run).
 */

/** Parameters of the rule; {@link MANAGED_FLINK_RULE} holds the service's defaults. */
export interface BaselineRule {
  /** CPU fraction at or above which a minute counts as "high". */
  readonly scaleUpCpu: number;
  /** Consecutive high time before a scale-up, ms. */
  readonly scaleUpAfterMs: number;
  /** CPU fraction below which a minute counts as "low". */
  readonly scaleDownCpu: number;
  /** Consecutive low time before a scale-down, ms. */
  readonly scaleDownAfterMs: number;
  /** The configured `Parallelism`: never scaled below it. */
  readonly minParallelism: number;
  /** Upper bound (64 KPUs by default). */
  readonly maxParallelism: number;
}

/** AWS Managed Flink's defaults (min parallelism 1; the caller sets the job's configured value). */
export const MANAGED_FLINK_RULE: BaselineRule = {
  scaleUpCpu: 0.75,
  scaleUpAfterMs: 15 * 60_000,
  scaleDownCpu: 0.1,
  scaleDownAfterMs: 6 * 60 * 60_000,
  minParallelism: 1,
  maxParallelism: 64,
};

/** What the rule remembers between observations. */
export interface BaselineState {
  readonly parallelism: number;
  /** Start of the current run of high-CPU observations (epoch ms), if any. */
  readonly highSinceMs?: number;
  /** Start of the current run of low-CPU observations (epoch ms), if any. */
  readonly lowSinceMs?: number;
}

/** One observation: the job's maximum CPU utilization (0..1) at `nowMs`; undefined while restarting. */
export interface BaselineObservation {
  readonly nowMs: number;
  readonly maxCpu: number | undefined;
}

/** Result of {@link stepBaseline}. */
export interface BaselineStep {
  readonly state: BaselineState;
  /** Set when the rule rescales now: the new whole-job parallelism. */
  readonly rescaleTo?: number;
  readonly reason?: string;
}

/**
 * Advances the rule by one observation. A run of high (low) observations starts at its first
 * observation and fires once it has lasted the configured time; a rescale (or a gap while the
 * job restarts) starts both runs afresh, as a CloudWatch alarm re-evaluates after an update.
 */
export function stepBaseline(
  state: BaselineState,
  observation: BaselineObservation,
  rule: BaselineRule,
): BaselineStep {
  const { nowMs, maxCpu } = observation;
  if (maxCpu === undefined || !Number.isFinite(maxCpu)) return { state: { parallelism: state.parallelism } };
  const high = maxCpu >= rule.scaleUpCpu;
  const low = maxCpu < rule.scaleDownCpu;
  const highSinceMs = high ? (state.highSinceMs ?? nowMs) : undefined;
  const lowSinceMs = low ? (state.lowSinceMs ?? nowMs) : undefined;
  // "15 consecutive 1-minute datapoints" span 15 minutes including the first one.
  const datapointMs = 60_000;
  if (highSinceMs !== undefined && nowMs - highSinceMs + datapointMs >= rule.scaleUpAfterMs) {
    const next = Math.min(rule.maxParallelism, state.parallelism * 2);
    if (next !== state.parallelism) {
      return {
        state: { parallelism: next },
        rescaleTo: next,
        reason: `CPU ≥ ${pct(rule.scaleUpCpu)} for ${minutes(rule.scaleUpAfterMs)}: ×2 → ${next}`,
      };
    }
  }
  if (lowSinceMs !== undefined && nowMs - lowSinceMs + datapointMs >= rule.scaleDownAfterMs) {
    const next = Math.max(rule.minParallelism, Math.floor(state.parallelism / 2));
    if (next !== state.parallelism) {
      return {
        state: { parallelism: next },
        rescaleTo: next,
        reason: `CPU < ${pct(rule.scaleDownCpu)} for ${minutes(rule.scaleDownAfterMs)}: ÷2 → ${next}`,
      };
    }
  }
  return {
    state: {
      parallelism: state.parallelism,
      ...(highSinceMs !== undefined ? { highSinceMs } : {}),
      ...(lowSinceMs !== undefined ? { lowSinceMs } : {}),
    },
  };
}

/**
 * Managed Flink's `containerCPUUtilization` is not simulated; the closest signal the simulator
 * has is busy time. The rule uses the Maximum statistic, so the busiest subtask of the job
 * (busy ms per second ÷ 1000) stands in for the busiest container.
 */
export function maxCpuFromBusyTime(busyMsPerSecondPerVertex: readonly (readonly number[])[]): number {
  let max = 0;
  for (const subtasks of busyMsPerSecondPerVertex) {
    for (const busy of subtasks) if (Number.isFinite(busy)) max = Math.max(max, busy / 1000);
  }
  return Math.min(1, max);
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

function minutes(ms: number): string {
  return ms >= 3_600_000 ? `${ms / 3_600_000} h` : `${ms / 60_000} min`;
}
