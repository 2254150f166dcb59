import { flattenConfiguration } from '../../config/flatten-configuration.ts';
import { parseMap } from '../../config/value-parsers.ts';
import type { MemoryPlan } from '../../domain/memory-plan.ts';
import type { VertexId } from '../../domain/topology.ts';
import type { ScalingPlan } from '../../ports/scaling-realizer.ts';
import type { FlinkResource } from './flink-resource.ts';
import { ScalingPatchError } from './kubernetes-errors.ts';
import { readTaskManagerResources } from './task-manager-resources.ts';
import type { PlannedChange } from './upgrade-path.ts';

/** The Flink key holding per-vertex parallelism (flinkdeployment.md §2.1). */
export const PARALLELISM_OVERRIDES_KEY = 'pipeline.jobvertex-parallelism-overrides';
const MEMORY_PREFIX = 'taskmanager.memory.';
const VERTEX_ID = /^[0-9a-f]{32}$/;

/** A built patch: `patch` is undefined when nothing would change (then nothing is written). */
export interface ScalingPatch {
  readonly patch: Record<string, unknown> | undefined;
  /** What changes, for the upgrade-path decision. */
  readonly change: PlannedChange;
  /** Memory parts of the plan that were ignored (session jobs have no TaskManagers of their own). */
  readonly memoryIgnored: boolean;
}

type Obj = Record<string, unknown>;

/** Where a key lives in a possibly nested configuration: its path segments, or undefined if absent. */
export function locateKey(config: unknown, key: string): string[] | undefined {
  if (config === null || typeof config !== 'object') return undefined;
  const obj = config as Obj;
  if (Object.hasOwn(obj, key)) return [key];
  for (const [k, v] of Object.entries(obj)) {
    if (key.startsWith(`${k}.`) && v !== null && typeof v === 'object') {
      const rest = locateKey(v, key.slice(k.length + 1));
      if (rest) return [k, ...rest];
    }
  }
  return undefined;
}

function setPath(target: Obj, path: readonly string[], value: unknown): void {
  let cur = target;
  for (const segment of path.slice(0, -1)) {
    const next = cur[segment];
    if (next === null || typeof next !== 'object') cur[segment] = {};
    cur = cur[segment] as Obj;
  }
  cur[path[path.length - 1] ?? ''] = value;
}

/** Kubernetes quantity for a byte count: `Mi`/`Gi` when exact, else plain bytes. */
export function formatMemoryQuantity(bytes: number): string {
  const b = Math.round(bytes);
  if (b % 1024 ** 3 === 0) return `${b / 1024 ** 3}Gi`;
  if (b % 1024 ** 2 === 0) return `${b / 1024 ** 2}Mi`;
  return String(b);
}

function sameMap(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length &&
    ka.every((k) => Object.hasOwn(b, k) && Number(a[k]) === Number(b[k]))
  );
}

/**
 * Builds the JSON merge patch for a plan (design §4; flinkdeployment.md §5, §7). Pure.
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
    setPath(configPatch, locateKey(raw, key) ?? [key], value);
    specChanged = true;
  };

  // parallelism overrides
  for (const [vertex, parallelism] of Object.entries(plan.parallelismOverrides)) {
    if (!VERTEX_ID.test(vertex))
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
  let userOverrides: Record<string, string>;
  try {
    userOverrides = flat[PARALLELISM_OVERRIDES_KEY] ? parseMap(flat[PARALLELISM_OVERRIDES_KEY]) : {};
  } catch (error) {
    throw new ScalingPatchError(
      'invalid',
      `spec.flinkConfiguration ${PARALLELISM_OVERRIDES_KEY} is malformed: ${String(error)}`,
      { cause: error },
    );
  }
  const excluded = new Set(plan.excludedVertices ?? []);
  const merged: Record<string, string> = { ...userOverrides };
  for (const [vertex, parallelism] of Object.entries(plan.parallelismOverrides)) {
    if (!excluded.has(vertex)) merged[vertex] = String(parallelism);
  }
  if (!sameMap(userOverrides, merged)) {
    put(
      PARALLELISM_OVERRIDES_KEY,
      Object.keys(merged)
        .sort()
        .map((k) => `${k}:${merged[k]}`)
        .join(','),
    );
  }

  // memory (FlinkDeployment only)
  const isDeployment = resource.kind === 'FlinkDeployment';
  const wantsMemory = plan.memoryConfig !== undefined || plan.taskManagerMemoryBytes !== undefined;
  let memoryChanged = false;
  const specPatch: Obj = {};
  if (isDeployment && plan.memoryConfig) {
    for (const key of [...plan.memoryConfig.removals, ...Object.keys(plan.memoryConfig.overrides)]) {
      if (!key.startsWith(MEMORY_PREFIX))
        throw new ScalingPatchError('invalid', `memory plan key '${key}' is not a ${MEMORY_PREFIX}* key`);
    }
    for (const key of plan.memoryConfig.removals) {
      if (flat[key] !== undefined && plan.memoryConfig.overrides[key] === undefined) {
        put(key, null);
        memoryChanged = true;
      }
    }
    for (const [key, value] of Object.entries(plan.memoryConfig.overrides)) {
      if (flat[key] !== String(value)) {
        put(key, String(value));
        memoryChanged = true;
      }
    }
  }
  if (isDeployment && plan.taskManagerMemoryBytes !== undefined) {
    const bytes = plan.taskManagerMemoryBytes;
    if (!(Number.isFinite(bytes) && bytes > 0))
      throw new ScalingPatchError('invalid', `taskManagerMemoryBytes ${bytes} is not a positive size`);
    const current = readTaskManagerResources(resource.spec);
    if (current.memoryBytes !== bytes) {
      memoryChanged = true;
      specChanged = true;
      switch (current.memorySource) {
        case 'resources.requests.memory': {
          const resources: Obj = { requests: { memory: formatMemoryQuantity(bytes) } };
          if (current.memoryLimitBytes !== undefined && current.memoryBytes) {
            // keep the limit/request ratio (Java KubernetesScalingRealizer on main)
            resources['limits'] = {
              memory: formatMemoryQuantity(
                Math.round((bytes * current.memoryLimitBytes) / current.memoryBytes),
              ),
            };
          }
          specPatch['taskManager'] = { resources };
          break;
        }
        case 'resources.limits.memory':
          specPatch['taskManager'] = { resources: { limits: { memory: formatMemoryQuantity(bytes) } } };
          break;
        default:
          specPatch['taskManager'] = { resource: { memory: formatMemoryQuantity(bytes) } };
      }
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
