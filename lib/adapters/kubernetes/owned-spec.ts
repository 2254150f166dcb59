/**
 * Pure helpers around the autoscaler-owned parts of a Flink resource spec: the excerpt a policy
 * hook sees, the change a (policy-modified) patch makes, and the patch that takes our overrides
 * back when a job opts out with `on-disable: restore`.
 */
import { flattenConfiguration } from '../../config/flatten-configuration.ts';
import { parseMap } from '../../config/value-parsers.ts';
import {
  isOwnedConfigurationKey,
  MEMORY_KEY_PREFIX,
  type OwnedChanges,
  PARALLELISM_OVERRIDES_KEY,
} from '../../domain/owned-keys.ts';
import type { SpecExcerpt } from '../../ports/scaling-realizer.ts';
import { currentOverrides, formatOverrides, putConfigKey } from './configuration-paths.ts';
import type { FlinkResource } from './flink-resource.ts';
import type { PlannedChange } from './upgrade-path.ts';

type Obj = Record<string, unknown>;

/** The policy's view of the resource: owned keys' current values plus context. */
export function specExcerptOf(resource: FlinkResource): SpecExcerpt {
  const flat = flattenConfiguration(resource.spec.flinkConfiguration ?? {});
  const ownedConfiguration = Object.fromEntries(
    Object.entries(flat).filter(([key]) => isOwnedConfigurationKey(key)),
  );
  const tm = resource.spec.taskManager;
  const memory =
    tm?.resources?.requests?.['memory'] ?? tm?.resources?.limits?.['memory'] ?? tm?.resource?.memory;
  return {
    ...(resource.spec.flinkVersion ? { flinkVersion: resource.spec.flinkVersion } : {}),
    ...(resource.spec.job?.upgradeMode ? { upgradeMode: resource.spec.job.upgradeMode } : {}),
    ...(resource.spec.job?.parallelism !== undefined
      ? { jobParallelism: resource.spec.job.parallelism }
      : {}),
    ownedConfiguration,
    ...(memory !== undefined ? { taskManagerMemory: String(memory) } : {}),
    labels: { ...(resource.metadata.labels ?? {}) },
    annotations: { ...(resource.metadata.annotations ?? {}) },
  };
}

/**
 * The change a ready-made merge patch (a policy's modified patch, already checked to touch only
 * our keys) makes to `resource`, for the upgrade-path decision.
 */
export function plannedChangeOfPatch(resource: FlinkResource, patch: Obj): PlannedChange {
  const before = currentOverrides(resource);
  const spec = (patch['spec'] ?? {}) as Obj;
  const config = flattenConfiguration(spec['flinkConfiguration'] ?? {});
  const text = config[PARALLELISM_OVERRIDES_KEY];
  const after = text !== undefined ? parseMap(text) : before;
  const memoryKeys = Object.keys(flattenPatchKeys((spec['flinkConfiguration'] ?? {}) as Obj, ''));
  const memoryChanged =
    memoryKeys.some((key) => key.startsWith(MEMORY_KEY_PREFIX)) || spec['taskManager'] !== undefined;
  return { overridesBefore: before, overridesAfter: after, memoryChanged };
}

/** Dotted keys of a patch object, including those set to null (flattenConfiguration drops nulls). */
function flattenPatchKeys(value: Obj, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      Object.assign(out, flattenPatchKeys(v as Obj, path));
    else out[path] = v;
  }
  return out;
}

/**
 * The merge patch that removes what the autoscaler owns (docs/design.md §9.1 clean-up, like the operator
 * dropping its overrides when the autoscaler is disabled): our vertices' entries leave
 * `pipeline.jobvertex-parallelism-overrides` (the key goes when nothing else is left, so the
 * user's `job.parallelism` applies again) and our `taskmanager.memory.*` keys are removed.
 * The TaskManager memory resource is left as it is: its value before tuning is not known.
 * Undefined when there is nothing to remove.
 */
export function buildRestorePatch(resource: FlinkResource, owned: OwnedChanges): Obj | undefined {
  const raw = resource.spec.flinkConfiguration ?? {};
  const flat = flattenConfiguration(raw);
  const config: Obj = {};
  const overrides = currentOverrides(resource);
  const remaining = Object.fromEntries(
    Object.entries(overrides).filter(([vertex]) => !owned.vertices.includes(vertex)),
  );
  if (Object.keys(remaining).length !== Object.keys(overrides).length) {
    const text = formatOverrides(remaining);
    putConfigKey(config, raw, PARALLELISM_OVERRIDES_KEY, text === '' ? null : text);
  }
  for (const key of owned.memoryKeys) {
    if (key.startsWith(MEMORY_KEY_PREFIX) && flat[key] !== undefined) putConfigKey(config, raw, key, null);
  }
  if (Object.keys(config).length === 0) return undefined;
  return {
    metadata: { resourceVersion: resource.metadata.resourceVersion },
    spec: { flinkConfiguration: config },
  };
}
