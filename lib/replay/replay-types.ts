/**
 * Result types of the what-if replay (`fsa replay`, docs in README "What-if replay"). The metrics
 * of a replay were measured at the parallelism that really ran, so a replayed decision is what the
 * core **would have recommended** on them, not what would have happened had it been applied.
 */
import type { RecordedDecision, ScalingDecision, VertexId } from '../domain/index.ts';

/** Parallelism per vertex id. */
export type ParallelismByVertex = Readonly<Record<VertexId, number>>;

/** One vertex of one replay step. */
export interface ReplayVertexStep {
  readonly vertexId: VertexId;
  readonly vertexName?: string;
  /** Parallelism that really ran at this step (from the observed topology). */
  readonly realParallelism: number;
  /**
   * Parallelism the replayed core recommended this step (equals the real one when it was not
   * ready or saw no reason to change).
   */
  readonly recommendedParallelism: number;
  /** The replayed parallelism held after this step: the last replayed scaling's target, else the first real parallelism. */
  readonly replayedParallelism: number;
  /**
   * Predicted busy ratio at `replayedParallelism`: TARGET_DATA_RATE ÷ (TRUE_PROCESSING_RATE per
   * subtask × replayed parallelism), from this step's full-window evaluation; absent on a
   * not-ready step (window not full yet, observation incomplete) or when the rates are not finite.
   */
  readonly predictedUtilization?: number;
  /** The same ratio at the parallelism that really ran: the busy ratio the evaluation measured. */
  readonly realUtilization?: number;
  /** The core's reasons for this vertex (absent when the step decided nothing). */
  readonly reasons?: readonly string[];
  /** TARGET_DATA_RATE (window average, records/s) of this step's full-window evaluation. */
  readonly targetDataRate?: number;
  /** TRUE_PROCESSING_RATE (window average, records/s) at the parallelism that really ran. */
  readonly realCapacity?: number;
  /** The same rate scaled linearly to the replayed parallelism. */
  readonly replayedCapacity?: number;
  /** A source's pending records (LAG) in this step's sample. */
  readonly lagRecords?: number;
}

/** One observation replayed through `decide()`. */
export interface ReplayStep {
  readonly atMs: number;
  /** Index into {@link ReplayResult.epochs}: the job id / RUNNING time this step belongs to. */
  readonly epoch: number;
  readonly action: ScalingDecision['action'];
  /** Short reason: the guard that stopped it, or the changed vertices and their rules. */
  readonly why: string;
  /** The core's one-paragraph summary of the decision. */
  readonly summary: string;
  readonly vertices: readonly ReplayVertexStep[];
  /** Heap used on the busiest TaskManager in this step's sample (HEAP_MEMORY_USED), bytes. */
  readonly heapUsedBytes?: number;
  /** Some vertex's predicted utilization is above 1: it could not keep up at the replayed parallelism. */
  readonly overloadRisk: boolean;
  /** Some vertex's predicted utilization is above the scale-up bound (`utilization.max`, else target + boundary). */
  readonly aboveMaxRisk: boolean;
  /**
   * What the deployed autoscaler really decided at this step (a replay of the state table's
   * history; absent for captures, which hold no decision).
   */
  readonly recorded?: RecordedDecision;
  /**
   * Whether the replayed decision is the recorded one: same action, same changed vertices with the
   * same recommended parallelism. Absent without {@link recorded}.
   */
  readonly matchesRecorded?: boolean;
}

/** One incarnation of the job: a job id and the time it (re)entered RUNNING. */
export interface ReplayEpoch {
  readonly jobId: string;
  readonly jobRunningTsMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly steps: number;
}

/** Totals of a replay, real against replayed. */
export interface ReplayTotals {
  readonly steps: number;
  /** Steps where the core evaluated a full window (action other than not-ready). */
  readonly decidedSteps: number;
  /** Changes of the really running parallelism between consecutive observations. */
  readonly realRescales: number;
  /** Changes of the replayed (held) parallelism: how often the replayed core would have rescaled. */
  readonly replayedRescales: number;
  /**
   * Σ over vertices of parallelism × hours, each step's parallelism held until the next
   * observation (the last observation has no duration).
   */
  readonly realParallelismHours: number;
  readonly replayedParallelismHours: number;
  /** Steps with {@link ReplayStep.overloadRisk} / {@link ReplayStep.aboveMaxRisk}. */
  readonly overloadRiskSteps: number;
  readonly aboveMaxRiskSteps: number;
  /** Highest predicted utilization per vertex over the replay (absent when never evaluated). */
  readonly maxPredictedUtilization: ParallelismByVertex;
  /** Steps with a recorded decision (a replay of the state table's history), and how many differ. */
  readonly recordedSteps: number;
  readonly differingSteps: number;
  /** Recorded `scale` decisions: the rescales the deployed autoscaler made. */
  readonly recordedScalings: number;
}

/** Everything a replay produces. */
export interface ReplayResult {
  /** What the numbers mean; printed with every output. */
  readonly caveat: string;
  readonly steps: readonly ReplayStep[];
  readonly epochs: readonly ReplayEpoch[];
  readonly totals: ReplayTotals;
  /** The scale-up bound used for {@link ReplayStep.aboveMaxRisk}. */
  readonly utilizationUpperBound: number;
  /** The cadence the window lookback was computed for, ms. */
  readonly cadenceMs: number;
}

/** The caveat every replay carries. */
export const REPLAY_CAVEAT =
  'Metrics were measured at the parallelism that really ran: replayed decisions are what the autoscaler would have recommended on them, not what would have happened had they been applied.';
