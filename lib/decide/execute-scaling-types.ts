/** Input and output of the scaling executor (docs/algorithm.md §5.1 steps 2–11). */
import type { AutoscalerOptions } from '../config/index.ts';
import type {
  AutoscalerEvent,
  BlockedChange,
  ClusterCapacitySnapshot,
  DecisionPrice,
  DelayedScaleDownState,
  EvaluatedMetrics,
  GuardOutcome,
  JobState,
  JobTopology,
  ParallelismChange,
  ScalingSummary,
  TaskManagerResources,
  VertexDecision,
  VertexId,
} from '../domain/index.ts';

/** Inputs of `executeScaling`. */
export interface ExecuteScalingInput {
  readonly options: AutoscalerOptions;
  readonly topology: JobTopology;
  /** Evaluated metrics of a full window (docs/algorithm.md §3). */
  readonly evaluated: EvaluatedMetrics;
  /** Scaling history, already trimmed (docs/algorithm.md §4.7). */
  readonly scalingHistory: JobState['scalingHistory'];
  /** Pending delayed scale-downs per vertex (docs/algorithm.md §4.6). */
  readonly delayedScaleDown: JobState['delayedScaleDown'];
  /** Restart time of the capacity formula (docs/algorithm.md §6), ms. */
  readonly restartTimeMs: number;
  /** The cycle's time, epoch ms. */
  readonly nowMs: number;
  /** Vertices excluded for this cycle only, e.g. those without a busy-time metric (docs/algorithm.md §2.4). */
  readonly runtimeExcludedVertexIds?: readonly VertexId[];
  readonly taskManager?: TaskManagerResources;
  /** Cluster capacity for the capacity guard; absent = check disabled. */
  readonly clusterCapacity?: ClusterCapacitySnapshot;
  /** Extension: changes rolled back and still in their cool-down (docs/algorithm.md §13). */
  readonly blockedChanges?: readonly BlockedChange[];
}

/** Result of `executeScaling`. */
export interface ExecuteScalingOutput {
  readonly action: 'balanced' | 'blocked' | 'scale';
  /** One decision per topology vertex, in topology order. */
  readonly vertices: VertexDecision[];
  readonly guards: GuardOutcome[];
  readonly events: AutoscalerEvent[];
  /** The vertices the scaling changes (empty when balanced). */
  readonly summaries: Record<VertexId, ParallelismChange>;
  /** `evaluated` with RECOMMENDED_PARALLELISM set for every vertex (docs/algorithm.md §5.1 step 6). */
  readonly evaluated: EvaluatedMetrics;
  /** Every evaluated vertex → parallelism; only filled when `action === 'scale'` (docs/algorithm.md §5.3). */
  readonly parallelismOverrides: Record<VertexId, number>;
  /** History with the executed scaling appended (unchanged unless `scale`). */
  readonly scalingHistory: Record<VertexId, readonly ScalingSummary[]>;
  /** Delayed scale-downs to keep: updated by the vertex decisions, cleared after a scaling. */
  readonly delayedScaleDown: Record<VertexId, DelayedScaleDownState>;
  /** TaskManagers before and after the change (from slot sharing groups, rounded up). */
  readonly taskManagers: { readonly current: number; readonly next: number };
  /** Extension: the price of going from `taskManagers.current` to `.next`; absent when nothing changes. */
  readonly price?: DecisionPrice;
}
