import { flattenConfiguration } from '../../config/flatten-configuration.ts';
import type { MemoryPlan } from '../../domain/memory-plan.ts';
import { JOB_VERTEX_ID, MEMORY_KEY_PREFIX, PARALLELISM_OVERRIDES_KEY } from '../../domain/owned-keys.ts';
import type { VertexId } from '../../domain/topology.ts';
import type { ScalingPlan } from '../../ports/scaling-realizer.ts';
import { currentOverrides, formatOverrides, putConfigKey } from './configuration-paths.ts';
import type { FlinkResource } from './flink-resource.ts';
import { ScalingPatchError } from './kubernetes-errors.ts';
import { formatMemoryLike } from './memory-string.ts';
import { readTaskManagerResources } from './task-manager-resources.ts';
import type { PlannedChange } from './upgrade-path.ts';

/** A built patch: `patch` is undefined when nothing would change (then nothing is written). */
export interface ScalingPatch {
  readonly patch: Record<string, unknown> | undefined;
  /** What changes, for the upgrade-path decision. */
  readonly change: PlannedChange;
  /** Memory parts of the plan that were ignored (session jobs have no TaskManagers of their own). */
  readonly memoryIgnored: boolean;
}

type Obj = Record<string, unknown>;

function sameMap(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length &&
    ka.every((k) => Object.hasOwn(b, k) && Number(a[k]) === Number(b[k]))
  );
}

/**
 * Builds the JSON merge patch for a plan (docs/design.md §4; docs/flink-resources.md §5, §7). Pure.
 * - Only the autoscaler's keys: `pipeline.jobvertex-parallelism-overrides` (the user's existing
 *   overrides merged, ours winning except for excluded vertices, as Java's
 *   `applyParallelismOverrides`), `taskmanager.memory.*` of the plan (removals as `null`), and
 *   the TaskManager memory resource (`resources.limits` scaled by the same ratio).
 * - Flat string keys and values; a key the user wrote nested is written at its nested place so
 *   the configuration never holds both forms.
 * - The old overrides string is kept when the map is equal, to avoid a no-op redeploy.
 * - `metadata.resourceVersion` makes the write conditional (409 on a concurrent change).
 */
export function buildScalingPatch(resource: FlinkResource, plan: ScalingPlan): ScalingPatch {
  const raw = resource.spec.flinkConfiguration ?? {};
  const flat = flattenConfiguration(raw);
  const configPatch: Obj = {};
  let specChanged = false;
  const put = (key: string, value: string | null) => {
    putConfigKey(configPatch, raw, key, value);
    specChanged = true;
  };

  checkOverrides(plan.parallelismOverrides);
  const userOverrides = currentOverrides(resource);
  const excluded = new Set(plan.excludedVertices ?? []);
  const merged: Record<string, string> = { ...userOverrides };
  for (const [vertex, parallelism] of Object.entries(plan.parallelismOverrides)) {
    if (!excluded.has(vertex)) merged[vertex] = String(parallelism);
  }
  if (!sameMap(userOverrides, merged)) put(PARALLELISM_OVERRIDES_KEY, formatOverrides(merged));

  // memory (FlinkDeployment only)
  const isDeployment = resource.kind === 'FlinkDeployment';
  const wantsMemory = plan.memoryConfig !== undefined || plan.taskManagerMemoryBytes !== undefined;
  let memoryChanged = false;
  const specPatch: Obj = {};
  if (isDeployment && plan.memoryConfig) {
    memoryChanged = putMemoryConfig(flat, plan.memoryConfig, put);
  }
  if (isDeployment && plan.taskManagerMemoryBytes !== undefined) {
    const taskManager = taskManagerMemoryPatch(resource, plan.taskManagerMemoryBytes);
    if (taskManager !== undefined) {
      memoryChanged = true;
      specChanged = true;
      specPatch['taskManager'] = taskManager;
    }
  }

  const change: PlannedChange = { overridesBefore: userOverrides, overridesAfter: merged, memoryChanged };
  const memoryIgnored = !isDeployment && wantsMemory;
  if (!specChanged) return { patch: undefined, change, memoryIgnored };
  if (Object.keys(configPatch).length > 0) specPatch['flinkConfiguration'] = configPatch;
  return {
    patch: {
      metadata: { resourceVersion: resource.metadata.resourceVersion },
      spec: specPatch,
    },
    change,
    memoryIgnored,
  };
}

/** Rejects overrides that are not `32-hex JobVertexID → positive integer`. */
function checkOverrides(overrides: Readonly<Record<VertexId, number>>): void {
  for (const [vertex, parallelism] of Object.entries(overrides)) {
    if (!JOB_VERTEX_ID.test(vertex))
      throw new ScalingPatchError(
        'invalid',
        `parallelism override vertex '${vertex}' is not a 32-hex JobVertexID`,
      );
    if (!Number.isInteger(parallelism) || parallelism < 1) {
      throw new ScalingPatchError(
        'invalid',
        `parallelism ${parallelism} for vertex ${vertex} is not a positive integer`,
      );
    }
  }
}

/**
 * Puts the memory plan's `taskmanager.memory.*` changes that differ from the current flat
 * configuration (removals as `null`); returns whether any did.
 */
function putMemoryConfig(
  flat: Readonly<Record<string, string>>,
  memoryConfig: NonNullable<ScalingPlan['memoryConfig']>,
  put: (key: string, value: string | null) => void,
): boolean {
  for (const key of [...memoryConfig.removals, ...Object.keys(memoryConfig.overrides)]) {
    if (!key.startsWith(MEMORY_KEY_PREFIX))
      throw new ScalingPatchError('invalid', `memory plan key '${key}' is not a ${MEMORY_KEY_PREFIX}* key`);
  }
  let changed = false;
  for (const key of memoryConfig.removals) {
    if (flat[key] !== undefined && memoryConfig.overrides[key] === undefined) {
      put(key, null);
      changed = true;
    }
  }
  for (const [key, value] of Object.entries(memoryConfig.overrides)) {
    if (flat[key] !== String(value)) {
      put(key, String(value));
      changed = true;
    }
  }
  return changed;
}

/**
 * The `spec.taskManager` patch for a new TaskManager memory size, written where the resource
 * declares it and in the unit the user wrote there (`4g` → `6g`; plain bytes when the size is
 * not a whole number of that unit, as the operator's tuner writes it); undefined when the size
 * is already right.
 */
function taskManagerMemoryPatch(resource: FlinkResource, bytes: number): Obj | undefined {
  if (!(Number.isSafeInteger(bytes) && bytes > 0))
    throw new ScalingPatchError('invalid', `taskManagerMemoryBytes ${bytes} is not a positive whole size`);
  const current = readTaskManagerResources(resource.spec);
  // No field in force (operator main skips tuning then too); an unchanged size, compared as the
  // operator reads the field (`2G` is 2 GiB), is no patch.
  if (current.memorySource === undefined || current.memoryBytes === bytes) return undefined;
  const tm = resource.spec.taskManager;
  const requests = tm?.resources?.requests ?? {};
  const limits = tm?.resources?.limits ?? {};
  switch (current.memorySource) {
    case 'resources.requests.memory': {
      const resources: Obj = { requests: { memory: formatMemoryLike(bytes, requests['memory']) } };
      if (current.memoryLimitBytes !== undefined && current.memoryBytes) {
        // keep the limit/request ratio, rounded as the operator's KubernetesScalingRealizer
        // (`scaleMemory`, main) rounds it
        const limitBytes = Math.round(current.memoryLimitBytes * (bytes / current.memoryBytes));
        resources['limits'] = { memory: formatMemoryLike(limitBytes, limits['memory']) };
      }
      return { resources };
    }
    case 'resources.limits.memory':
      return { resources: { limits: { memory: formatMemoryLike(bytes, limits['memory']) } } };
    default:
      return { resource: { memory: formatMemoryLike(bytes, tm?.resource?.memory) } };
  }
}

/**
 * The realizer's plan from the core's outputs: parallelism overrides, plus the memory plan only
 * when it is applied (`memory.tuning.enabled`; a recommendation-only plan writes nothing).
 */
export function scalingPlanOf(
  parallelismOverrides: Readonly<Record<VertexId, number>>,
  memoryPlan?: MemoryPlan,
  excludedVertices?: readonly VertexId[],
): ScalingPlan {
  const applied = memoryPlan?.applied === true;
  return {
    parallelismOverrides,
    ...(excludedVertices?.length ? { excludedVertices } : {}),
    ...(applied && memoryPlan ? { memoryConfig: memoryPlan.configChanges } : {}),
    ...(applied && memoryPlan?.taskManagerSpec
      ? { taskManagerMemoryBytes: memoryPlan.taskManagerSpec.afterBytes }
      : {}),
  };
}
