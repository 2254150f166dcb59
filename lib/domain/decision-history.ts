/**
 * The decision history a state store keeps for the what-if replay (`fsa replay --table`, README
 * "What-if replay"): every cycle's stored metric sample with what the cycle decided on it, and
 * the context the sample alone cannot reconstruct (topology, configuration, cadence), which
 * changes rarely and is therefore stored only when it changes.
 */
import type { MetricSample } from './metric-sample.ts';
import type { TaskManagerResources } from './resources.ts';
import type { ScalingDecision } from './scaling-decision.ts';
import type { JobTopology, VertexId } from './topology.ts';

/** What one cycle decided, enough to compare a replayed decision with it exactly. */
export interface RecordedDecision {
  readonly action: ScalingDecision['action'];
  /**
   * Recommended parallelism of each vertex the decision changes (for `scale` the new parallelism,
   * for `blocked` the one the guard stopped); empty for `not-ready` and `balanced`.
   */
  readonly parallelism: Readonly<Record<VertexId, number>>;
}

/**
 * What a stored sample cannot reconstruct of the cycle that wrote it. Stores write it only when it
 * changes (a new epoch, a rescale or restart, a configuration change), not once per cycle.
 */
export interface DecisionContext {
  /** The job graph with the parallelism that was running, the job id and its RUNNING time. */
  readonly topology: JobTopology;
  /**
   * The configuration the cycle's options were resolved from (option keys only, as
   * `options.flinkConfiguration` holds them): resolving it again gives the same options.
   */
  readonly configuration: Readonly<Record<string, string>>;
  /** Interval of the schedule that ran the cycle (the window's lookback depends on it), ms. */
  readonly cadenceMs: number;
  /** TaskManager CPU and memory from the resource spec (quota guard, decision price). */
  readonly taskManager?: TaskManagerResources;
}

/** What a cycle hands its state store to keep for the replay (`SaveRequest.history`). */
export interface HistoryRecord {
  /** How long the sample and its decision are kept (`job.autoscaler.history.retention`), ms; > 0. */
  readonly retentionMs: number;
  readonly decision: RecordedDecision;
  /** Required metrics missing from the cycle's observation (the core never scales on those). */
  readonly missingRequired?: readonly string[];
  readonly context: DecisionContext;
}

/** One retained cycle, as {@link HistoryRecord} stored it. */
export interface HistoryEntry {
  /** The sample exactly as stored (and as the next cycles loaded it into their window). */
  readonly sample: MetricSample;
  /**
   * The store's window epoch of the sample: samples of another epoch never share a metric window
   * (a new job id or topology, or state that was discarded).
   */
  readonly epoch: number;
  readonly decision: RecordedDecision;
  readonly missingRequired?: readonly string[];
  readonly context: DecisionContext;
}

/** The recorded form of a decision: its action and the changed vertices' recommendation. */
export function recordedDecisionOf(decision: Pick<ScalingDecision, 'action' | 'vertices'>): RecordedDecision {
  const parallelism: Record<VertexId, number> = {};
  if (decision.action === 'scale' || decision.action === 'blocked') {
    for (const vertex of decision.vertices) {
      if (vertex.changed) parallelism[vertex.vertexId] = vertex.recommendedParallelism;
    }
  }
  return { action: decision.action, parallelism };
}

/** Whether two recorded decisions are the same: same action, same vertices, same parallelism. */
export function sameRecordedDecision(a: RecordedDecision, b: RecordedDecision): boolean {
  if (a.action !== b.action) return false;
  const aIds = Object.keys(a.parallelism).sort();
  const bIds = Object.keys(b.parallelism).sort();
  return aIds.length === bIds.length && aIds.every((id, i) => id === bIds[i] && a.parallelism[id] === b.parallelism[id]);
}
