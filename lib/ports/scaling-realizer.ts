import type { JobKey } from '../domain/job-key.ts';
import type { ConfigChanges } from '../domain/job-state.ts';
import type { OwnedChanges } from '../domain/owned-keys.ts';
import type { VertexId } from '../domain/topology.ts';

/** Re-exported: the port speaks of it, the notion of what the autoscaler owns lives in the domain. */
export type { OwnedChanges };
export type { RealizePreview, SpecExcerpt, WithdrawResult } from '../domain/realizer-outcomes.ts';
import type { RealizePreview, WithdrawResult } from '../domain/realizer-outcomes.ts';

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



/** Options of {@link ScalingRealizer.realize}. */
export interface RealizeOptions {
  /**
   * Send this merge patch instead of the one built from the plan (a policy hook's modified patch,
   * already checked to touch only the autoscaler's keys). It is sent as-is with the resource's
   * current `resourceVersion`; a concurrent change fails the write instead of being rebuilt,
   * because a rebuilt patch would no longer be what the policy approved.
   */
  readonly patchOverride?: Record<string, unknown>;
  /**
   * The job's configuration as its JobManager reports it over REST (`RawJobMetrics
   * .flinkConfiguration`): it holds the operator-wide defaults the resource leaves out, which
   * decide how the operator applies the change. Absent when it could not be read; the realizer
   * then decides from the resource alone, assuming the more careful path where that is unsure.
   */
  readonly effectiveConfiguration?: Readonly<Record<string, string>>;
  /**
   * Called, and awaited, right before the first write to the resource; a rejection aborts the
   * realize with that error and nothing written. The cycle passes its deferred conditional state
   * write here (lib/cycle/steps/persist.ts), so only the run that holds the job's revision writes.
   */
  readonly beforeWrite?: () => Promise<void>;
}



/**
 * Applies a scaling/memory plan to the job's Kubernetes resource (Java `ScalingRealizer`). Must
 * make no write when nothing changes and only touch the keys the autoscaler owns.
 */
export interface ScalingRealizer {
  realize(key: JobKey, plan: ScalingPlan, options?: RealizeOptions): Promise<RealizeResult>;
  /**
   * Builds the patch `realize` would send now, without writing (for the policy hook). Optional so
   * test doubles that only realize keep working; without it a policy hook cannot be consulted and
   * its failure mode applies.
   */
  preview?(
    key: JobKey,
    plan: ScalingPlan,
    options?: Pick<RealizeOptions, 'effectiveConfiguration'>,
  ): Promise<RealizePreview>;
  /**
   * The job stopped being managed (label removed or resource deleted): finds out which, and on
   * opt-out with `on-disable: restore` removes the {@link OwnedChanges} from the spec. Optional:
   * without it the clean-up removes the stored state and leaves the resource alone (`kept`).
   */
  withdraw?(key: JobKey, owned: OwnedChanges): Promise<WithdrawResult>;
}
