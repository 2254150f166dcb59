import type { AutoscalerEvent } from './autoscaler-event.ts';
import type { DecisionPrice } from './decision-price.ts';
import type { EvaluatedMetrics } from './evaluated-metrics.ts';
import type { VertexId } from './topology.ts';

/**
 * Why a vertex ended up at its final parallelism. The first entry is the primary reason; later
 * entries are limits or rules applied on top, in the order they were applied.
 */
export type VertexLimitReason =
  | 'no-metrics' // TPR or capacity NaN: no decision possible
  | 'within-bounds' // TPR inside the utilization band, no change needed
  | 'scale-up'
  | 'scale-down'
  | 'max-scale-up-factor'
  | 'max-scale-down-factor'
  | 'min-parallelism'
  | 'max-parallelism'
  | 'key-groups' // capped by max parallelism (number of key groups)
  | 'source-partitions' // capped at the source partition count
  | 'alignment' // moved by the alignment mode
  | 'alignment-blocked' // a legacy blocking mode kept the current parallelism
  | 'delayed-scale-down' // a scale-down waiting for `scale-down.interval`
  | 'ineffective-scaling' // a scale-up blocked because the previous one did not help
  | 'excluded' // in `vertex.exclude.ids`
  | 'finished' // FINISHED vertex
  | 'observed-scalability' // scale factor divided by the fitted coefficient
  | 'catch-up-settle' // extension: one right-sizing scale-down once a scale-up's backlog is drained
  | 'step-target-rate' // extension: a scale-up sized for a source's recent rate after a load step
  | 'shortfall-correction' // extension: one more scale-up when the last one fell short of its expected rate
  | 'load-step-correction'; // extension: one more scale-up when the load grew after the last one

/**
 * Result of the per-vertex parallelism computation (Java `ParallelismChange`, docs/algorithm.md §4.1). A "no
 * change" result has `newParallelism === currentParallelism` and `outsideUtilizationBound` false.
 */
export interface ParallelismChange {
  readonly currentParallelism: number;
  readonly newParallelism: number;
  /** Whether the change was recommended with TPR outside the no-scaling band (docs/algorithm.md §3.6). */
  readonly outsideUtilizationBound: boolean;
  readonly noChange: boolean;
}

/** The per-vertex outcome of a cycle with everything needed to explain it. */
export interface VertexDecision {
  readonly vertexId: VertexId;
  /** Extension: the vertex's display name (operator chain) when Flink reported one. */
  readonly vertexName?: string;
  readonly currentParallelism: number;
  /** Parallelism the algorithm recommends now (equals current when nothing changes). */
  readonly recommendedParallelism: number;
  /** True when the recommendation differs from the current parallelism and is part of the decision. */
  readonly changed: boolean;
  /** Whether TPR lies outside the no-scaling band (docs/algorithm.md §3.6). */
  readonly outsideUtilizationBound: boolean;
  readonly trueProcessingRateAvg: number;
  readonly targetDataRateAvg: number;
  readonly catchUpDataRate: number;
  readonly scaleUpRateThreshold: number;
  readonly scaleDownRateThreshold: number;
  /** Target processing capacity at the utilization target (records/s). */
  readonly targetCapacity: number;
  /** Scale factor after clamping (NaN when not computed). */
  readonly scaleFactor: number;
  /** EXPECTED_PROCESSING_RATE after the change (TPR / cur × new), NaN without a change. */
  readonly expectedProcessingRate: number;
  readonly reasons: readonly VertexLimitReason[];
  /** One human-readable sentence: rates, thresholds, factor and the rule that set the number. */
  readonly why: string;
}

/** Outcome of the job-level guards (docs/algorithm.md §5.1), in the order they ran. */
export interface GuardOutcome {
  readonly guard:
    | 'window'
    /** Every required metric was read this cycle (`RawJobMetrics.missingRequired` empty). */
    | 'observation'
    | 'memory-pressure'
    | 'scaling-disabled'
    | 'excluded-period'
    | 'cluster-capacity'
    | 'quota'
    | 'policy'
    /** Extension: the change repeats one rolled back during `rollback.cool-down` (docs/algorithm.md §13). */
    | 'rollback-cool-down'
    /** Extension: the change under watch was unhealthy and is rolled back this cycle. */
    | 'rollback';
  readonly passed: boolean;
  readonly detail: string;
}

/**
 * What the cycle decided. `action`:
 * - `not-ready`: the window is not full yet (or fewer than 2 samples); nothing evaluated for scaling;
 * - `balanced`: every vertex is within its band (or no change is outside it);
 * - `blocked`: a change was recommended but a guard stopped it (see `guards`);
 * - `scale`: new parallelism overrides are to be applied.
 */
export interface ScalingDecision {
  readonly action: 'not-ready' | 'balanced' | 'blocked' | 'scale';
  readonly vertices: readonly VertexDecision[];
  readonly guards: readonly GuardOutcome[];
  /** Overrides to apply when `action === 'scale'`: every evaluated vertex → parallelism. */
  readonly parallelismOverrides: Readonly<Record<VertexId, number>>;
  /** One-paragraph summary of the decision. */
  readonly summary: string;
  /**
   * Extension: the TaskManager delta of the recommended change in US dollars (`scale` and
   * `blocked` decisions; absent when nothing changes).
   */
  readonly price?: DecisionPrice;
}

/** Everything a cycle reports besides the new state. */
export interface DecisionReport {
  readonly evaluated?: EvaluatedMetrics;
  readonly events: readonly AutoscalerEvent[];
  /** Restart time used in the capacity formula (ms), from tracking or `restart.time`. */
  readonly restartTimeMs: number;
  /** Whether the metric window is full (docs/algorithm.md §2.5). */
  readonly windowFull: boolean;
  /** Number of samples in the window after this cycle. */
  readonly windowSampleCount: number;
}
