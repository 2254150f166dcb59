import type { JobKey } from '../domain/job-key.ts';
import type { ConfigChanges } from '../domain/job-state.ts';
import type { VertexId } from '../domain/topology.ts';

/** What the autoscaler wants a job's resource to say after this cycle. */
export interface ScalingPlan {
  /** Parallelism per vertex (32-hex JobVertexID → parallelism) the autoscaler wants applied. */
  readonly parallelismOverrides: Readonly<Record<VertexId, number>>;
  /** Vertices excluded from autoscaling (`vertex.exclude.ids`): the user's override stays. */
  readonly excludedVertices?: readonly VertexId[];
  /** Memory tuning: `taskmanager.memory.*` keys to set and to remove (FlinkDeployment only). */
  readonly memoryConfig?: ConfigChanges;
  /** Memory tuning: new TaskManager total process memory in bytes (FlinkDeployment only). */
  readonly taskManagerMemoryBytes?: number;
}

/** What realizing a plan did, for the decision report. */
export interface RealizeResult {
  /** `patched`: written; `unchanged`: nothing to write; `refused`: the change is not safe to make. */
  readonly outcome: 'patched' | 'unchanged' | 'refused';
  /** How the operator will apply it: `none`, `in-place`, `full-upgrade` or `refused`. */
  readonly upgradePath: string;
  /** Why this path (and why refused). */
  readonly reason: string;
  /** resourceVersion and generation after the write (or as read when nothing was written). */
  readonly resourceVersion?: string;
  readonly generation?: number;
  /** The merge patch that was (or would have been) sent. */
  readonly patch?: unknown;
}

/**
 * Applies a scaling/memory plan to the job's Kubernetes resource (Java `ScalingRealizer`). Must
 * make no write when nothing changes and only touch the keys the autoscaler owns.
 */
export interface ScalingRealizer {
  realize(key: JobKey, plan: ScalingPlan): Promise<RealizeResult>;
}
