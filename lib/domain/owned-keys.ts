/**
 * What the autoscaler owns in a Flink resource's spec (docs/design.md §4): the only keys it writes, the
 * only ones a policy hook may change and the ones it takes back when a job opts out with
 * `on-disable: restore`. One home, so the realizer, the policy review, the restore and the
 * simulated operator cannot disagree about them.
 */
import type { VertexId } from './topology.ts';

/** The Flink key holding per-vertex parallelism, `vertex:parallelism,…` (docs/flink-resources.md §2.1). */
export const PARALLELISM_OVERRIDES_KEY = 'pipeline.jobvertex-parallelism-overrides';

/** Prefix of the TaskManager memory keys memory tuning writes (FlinkDeployment only). */
export const MEMORY_KEY_PREFIX = 'taskmanager.memory.';

/** TaskManager memory fields of the spec the realizer may write, as dotted paths under `spec.taskManager`. */
export const TASK_MANAGER_MEMORY_PATHS: ReadonlySet<string> = new Set([
  'resource.memory',
  'resources.requests.memory',
  'resources.limits.memory',
]);

/** A Flink JobVertexID as the overrides key expects it: 32 lower-case hex digits. */
export const JOB_VERTEX_ID = /^[0-9a-f]{32}$/;

/** Whether a (flat) `flinkConfiguration` key is one the autoscaler owns. */
export function isOwnedConfigurationKey(key: string): boolean {
  return key === PARALLELISM_OVERRIDES_KEY || key.startsWith(MEMORY_KEY_PREFIX);
}

/** What the autoscaler wrote to a resource and may take back when the job is no longer managed. */
export interface OwnedChanges {
  /** Vertices whose entries in `pipeline.jobvertex-parallelism-overrides` the autoscaler set. */
  readonly vertices: readonly VertexId[];
  /** `taskmanager.memory.*` keys the autoscaler set. */
  readonly memoryKeys: readonly string[];
}
