/**
 * What a policy hook may put in a modified patch: only the keys the autoscaler owns (docs/design.md §4),
 * so a policy can lower or raise what we write but never use the autoscaler's write access to
 * change anything else of the user's resource. Pure.
 */
import { parseMap } from '../config/value-parsers.ts';
import {
  JOB_VERTEX_ID as VERTEX_ID,
  MEMORY_KEY_PREFIX as OWNED_MEMORY_PREFIX,
  PARALLELISM_OVERRIDES_KEY as OWNED_OVERRIDES_KEY,
  TASK_MANAGER_MEMORY_PATHS,
} from '../domain/owned-keys.ts';
import { PolicyPatchError } from '../domain/policy-errors.ts';

/** The autoscaler-owned content of a checked patch. */
export interface OwnedPatchContent {
  /** Parsed `pipeline.jobvertex-parallelism-overrides` when the patch sets it (vertex → parallelism). */
  readonly parallelismOverrides?: Readonly<Record<string, number>>;
  /** `taskmanager.memory.*` keys the patch sets (string) or removes (null). */
  readonly memory: Readonly<Record<string, string | null>>;
  /** TaskManager memory quantities the patch sets, by path under `spec.taskManager`. */
  readonly taskManagerMemory: Readonly<Record<string, string>>;
}

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Leaves of a nested object as [dotted path, value]; nested flinkConfiguration keys join with `.`. */
function leaves(value: Obj, prefix: string): [string, unknown][] {
  return Object.entries(value).flatMap(([key, v]): [string, unknown][] => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return isObject(v) ? leaves(v, path) : [[path, v]];
  });
}

/**
 * Checks that `patch` is a JSON merge patch touching only the autoscaler's keys and that every
 * value is well-formed; throws {@link PolicyPatchError} naming the first offending field.
 */
export function checkOwnedPatch(patch: unknown): OwnedPatchContent {
  if (!isObject(patch)) throw new PolicyPatchError('patch', 'must be a JSON object (a merge patch)');
  for (const key of Object.keys(patch)) {
    if (key !== 'metadata' && key !== 'spec')
      throw new PolicyPatchError(`patch.${key}`, 'is not a field the autoscaler owns');
  }
  const metadata = patch['metadata'];
  if (metadata !== undefined) {
    if (!isObject(metadata)) throw new PolicyPatchError('patch.metadata', 'must be an object');
    for (const [key, value] of Object.entries(metadata)) {
      if (key !== 'resourceVersion')
        throw new PolicyPatchError(`patch.metadata.${key}`, 'is not a field the autoscaler owns');
      if (value !== undefined && typeof value !== 'string')
        throw new PolicyPatchError('patch.metadata.resourceVersion', 'must be a string');
    }
  }
  const spec = patch['spec'];
  let parallelismOverrides: Record<string, number> | undefined;
  const memory: Record<string, string | null> = {};
  const taskManagerMemory: Record<string, string> = {};
  if (spec !== undefined) {
    if (!isObject(spec)) throw new PolicyPatchError('patch.spec', 'must be an object');
    for (const key of Object.keys(spec)) {
      if (key !== 'flinkConfiguration' && key !== 'taskManager')
        throw new PolicyPatchError(`patch.spec.${key}`, 'is not a field the autoscaler owns');
    }
    const config = spec['flinkConfiguration'];
    if (config !== undefined) {
      if (!isObject(config)) throw new PolicyPatchError('patch.spec.flinkConfiguration', 'must be an object');
      for (const [key, value] of leaves(config, '')) {
        const field = `patch.spec.flinkConfiguration["${key}"]`;
        if (key === OWNED_OVERRIDES_KEY) {
          parallelismOverrides = parseOverrides(value, field);
        } else if (key.startsWith(OWNED_MEMORY_PREFIX)) {
          if (value !== null && typeof value !== 'string')
            throw new PolicyPatchError(field, 'must be a string, or null to remove the key');
          memory[key] = value;
        } else {
          throw new PolicyPatchError(field, 'is not a key the autoscaler owns');
        }
      }
    }
    const taskManager = spec['taskManager'];
    if (taskManager !== undefined) {
      if (!isObject(taskManager)) throw new PolicyPatchError('patch.spec.taskManager', 'must be an object');
      for (const [path, value] of leaves(taskManager, '')) {
        const field = `patch.spec.taskManager.${path}`;
        if (!TASK_MANAGER_MEMORY_PATHS.has(path))
          throw new PolicyPatchError(field, 'is not a field the autoscaler owns');
        if (typeof value !== 'string' || !/^\d+(\.\d+)?\s*([KMGTPE]i?|[kmgtpe]|b)?$/.test(value))
          throw new PolicyPatchError(field, `${JSON.stringify(value)} is not a memory quantity such as 4Gi`);
        taskManagerMemory[path] = value;
      }
    }
  }
  return { ...(parallelismOverrides ? { parallelismOverrides } : {}), memory, taskManagerMemory };
}

function parseOverrides(value: unknown, field: string): Record<string, number> {
  if (typeof value !== 'string')
    throw new PolicyPatchError(field, 'must be a string "vertex:parallelism,…" (it cannot be removed)');
  let map: Record<string, string>;
  try {
    map = parseMap(value);
  } catch (error) {
    throw new PolicyPatchError(field, (error as Error).message);
  }
  const result: Record<string, number> = {};
  for (const [vertex, text] of Object.entries(map)) {
    if (!VERTEX_ID.test(vertex))
      throw new PolicyPatchError(field, `vertex '${vertex}' is not a 32-hex JobVertexID`);
    const parallelism = Number(text);
    if (!Number.isSafeInteger(parallelism) || parallelism < 1)
      throw new PolicyPatchError(
        field,
        `parallelism '${text}' of vertex ${vertex} is not a positive integer`,
      );
    result[vertex] = parallelism;
  }
  return result;
}
