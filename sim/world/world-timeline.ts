/**
 * The record of one local-world run: what happened at every tick (load, lag, parallelism, the
 * oracle, the baseline) and every decision with its reasons. Plain data, so the metrics, the
 * HTML report and summary.json are pure functions of it.
 */
import type { CostLedger, DecisionPrice } from '../../lib/domain/index.ts';

/** One vertex at one tick. */
export interface VertexPoint {
  /** Parallelism the simulated job runs with. */
  readonly parallelism: number;
  /** The oracle's parallelism at this moment. */
  readonly oracle: number;
  /** True capacity (records/s) at the running parallelism. */
  readonly capacity: number;
  /** Records/s the vertex must process in steady state at this moment. */
  readonly requiredRate: number;
  /** Records/s the vertex processed during the last step (0 while restarting). */
  readonly processedRate: number;
  /** Busiest subtask's busy fraction 0..1 (undefined while restarting). */
  readonly busyRatio: number | undefined;
  /** The baseline's parallelism of this vertex (the whole-job value, capped by max parallelism). */
  readonly baselineParallelism: number;
  /** True capacity (records/s) of the baseline's vertex. */
  readonly baselineCapacity: number;
}

/** The baseline job at one tick. */
export interface BaselinePoint {
  readonly lagRecords: number;
  readonly lagSeconds: number;
  readonly maxCpu: number | undefined;
}

/** Everything observed at one tick. */
export interface TickRecord {
  /** Simulated ms since the scenario started. */
  readonly tMs: number;
  /** Sum of the sources' arrival rates, records/s. */
  readonly inputRate: number;
  readonly lagRecords: number;
  /** Lag in seconds of input at the current arrival rate (0 without input). */
  readonly lagSeconds: number;
  readonly vertices: Readonly<Record<string, VertexPoint>>;
  /** How the autoscaler's cycle ended (`decided`, `not-ready`, …). */
  readonly outcome: string;
  /** The decision's action when decided. */
  readonly action?: string;
  /** TaskManager process memory of the resource spec, bytes. */
  readonly taskManagerMemoryBytes?: number;
  /** Heap used per TaskManager as the simulator reports it, bytes. */
  readonly heapUsedBytes?: number;
  readonly baseline: BaselinePoint;
  /** Wall-clock ms the autoscaler's cycle took. */
  readonly cycleWallMs: number;
}

/** One vertex change inside a decision. */
export interface VertexChange {
  readonly vertex: string;
  /** `name (short id)` as events and `fsa status` show the vertex; absent when Flink named none. */
  readonly label?: string;
  readonly from: number;
  readonly to: number;
  /** The core's one-sentence reason for the vertex. */
  readonly why: string;
}

/** One entry of the decision log. */
export interface DecisionLogEntry {
  readonly tMs: number;
  readonly actor: 'autoscaler' | 'baseline';
  /** `scale`, `blocked`, `memory`, … */
  readonly action: string;
  readonly summary: string;
  readonly changes: readonly VertexChange[];
  /** The autoscaler's price of the change (`ScalingDecision.price`). */
  readonly price?: DecisionPrice;
}

/** A Kubernetes/DynamoDB event the autoscaler reported. */
export interface WorldEvent {
  readonly tMs: number;
  readonly reason: string;
  readonly type: string;
  readonly message: string;
}

/** The complete record of a run. */
export interface WorldRun {
  readonly scenario: string;
  readonly description: string;
  readonly startTimeMs: number;
  readonly durationMs: number;
  readonly tickMs: number;
  /** How cycles were timed: `realistic` (late, missed, duplicate ticks) or `exact` (on the tick). */
  readonly timing: 'realistic' | 'exact';
  readonly utilizationTarget: number;
  /** The lag above which a tick counts as "lag above target", seconds (`catch-up.duration`). */
  readonly lagTargetSeconds: number;
  readonly linear: boolean;
  readonly steady: boolean;
  /** The benchmark's limit on rescales to converge (the scenario's `maxRescalesToConverge`). */
  readonly maxRescalesToConverge: number;
  /** Vertices in topological order: scenario key and display name. */
  readonly vertices: readonly { readonly key: string; readonly name: string; readonly source: boolean }[];
  readonly ticks: readonly TickRecord[];
  readonly decisions: readonly DecisionLogEntry[];
  readonly events: readonly WorldEvent[];
  /** Wall-clock duration of the run, ms. */
  readonly wallMs: number;
  /** Which state store backed the run. */
  readonly store: 'dynamodb' | 'memory';
  /** Warnings and errors the cycle logged (should be empty). */
  readonly problems: readonly string[];
  /** What the autoscaler saved or added against the spec by the end (the last evaluated cycle's ledger). */
  readonly costLedger?: CostLedger;
}
