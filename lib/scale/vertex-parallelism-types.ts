/** Input and output of the per-vertex parallelism decision (docs/algorithm.md §4.1). */
import type { AutoscalerOptions } from '../config/index.ts';
import type {
  AutoscalerEvent,
  DelayedScaleDownState,
  EvaluatedVertexMetrics,
  ParallelismChange,
  ScalingSummary,
  ShipStrategy,
  StepTargetDataRate,
  VertexDecision,
  VertexId,
  VertexInfo,
} from '../domain/index.ts';

/** Input of `computeVertexParallelism`. */
export interface VertexParallelismInput {
  readonly vertex: VertexInfo;
  /** Evaluated metrics of the vertex (docs/algorithm.md §3.4). */
  readonly metrics: EvaluatedVertexMetrics;
  /** Ship strategies of the vertex's input edges (empty for a source). */
  readonly inputShipStrategies: readonly ShipStrategy[];
  /** Executed scalings of the vertex, oldest first (already trimmed, docs/algorithm.md §4.7). */
  readonly history: readonly ScalingSummary[];
  /** Pending delayed scale-down of the vertex, undefined when none. */
  readonly delayedScaleDown: DelayedScaleDownState | undefined;
  readonly options: AutoscalerOptions;
  /** Restart time fed into the capacity formula (docs/algorithm.md §6), ms. */
  readonly restartTimeMs: number;
  /** The cycle's time, epoch ms. */
  readonly nowMs: number;
  /** The job's processing-backlog flag (docs/algorithm.md §3.1), for catch-up settle. @default false */
  readonly processingBacklog?: boolean;
  /**
   * Whether the job's backlog is drained (`isBacklogDrained`), for catch-up settle; undefined =
   * unknown, which never settles.
   */
  readonly backlogDrained?: boolean;
  /**
   * Extension (step-aware target rate): the vertex's recent target data rate after a source's load
   * step (`EvaluatedMetrics.stepTargetDataRates`); only ever used to size a scale-up.
   */
  readonly stepTargetDataRate?: StepTargetDataRate;
  /**
   * Extension (load-step correction): the sources of the job whose load still rises over the
   * window (`EvaluatedMetrics.risingSources`); the correction waits while any does. @default []
   */
  readonly risingSources?: readonly VertexId[];
}

/** Output of `computeVertexParallelism`. */
export interface VertexParallelismResult {
  readonly change: ParallelismChange;
  readonly decision: VertexDecision;
  /** New pending delayed scale-down of the vertex (undefined = none/cleared). */
  readonly delayedScaleDown: DelayedScaleDownState | undefined;
  /** IneffectiveScaling and ScalingLimited events raised while deciding. */
  readonly events: AutoscalerEvent[];
  /**
   * True when this cycle made the one catch-up settle check of the vertex's last scale-up and
   * found nothing to settle: the caller drops `catchUpCapacity` from that history entry.
   */
  readonly settleCheckSpent?: boolean;
  /**
   * True when this cycle made the one shortfall check of the vertex's last scale-up and found
   * nothing to correct: the caller drops `shortfallCheckDue` from that history entry.
   */
  readonly shortfallCheckSpent?: boolean;
}
