import { flattenConfiguration } from '../../lib/config/flatten-configuration.ts';
import { PARALLELISM_OVERRIDES_KEY } from '../../lib/domain/owned-keys.ts';
import { deepEqual } from './json-patches.ts';

/**
 * How the operator classifies a spec change (docs/flink-resources.md §4 step 2; `DiffType` and
 * `ReflectiveDiffBuilder`, operator 1.x): the strongest of IGNORE < SCALE < UPGRADE <
 * SAVEPOINT_REDEPLOY over all changed fields; unannotated fields count as UPGRADE.
 */
export type SpecChangeType = 'ignore' | 'scale' | 'upgrade' | 'savepoint-redeploy';

const OVERRIDES_KEY = PARALLELISM_OVERRIDES_KEY;
/** `spec.job` fields whose change alone redeploys nothing (diff type IGNORE on `JobSpec`, §2.3). */
const IGNORED_JOB_FIELDS = [
  'upgradeMode',
  'initialSavepointPath',
  'allowNonRestoredState',
  'savepointTriggerNonce',
  'checkpointTriggerNonce',
  'autoscalerResetNonce',
  'savepointRedeployNonce',
];

/**
 * `flinkConfiguration` keys of diff type IGNORE: the `@SpecDiff.Config` prefixes on
 * `AbstractFlinkSpec.flinkConfiguration` (operator 1.x): `job.autoscaler`, `parallelism.default`,
 * `kubernetes.operator`. The overrides key is SCALE there (native mode).
 */
function isIgnoredConfigKey(key: string): boolean {
  return (
    key === 'parallelism.default' ||
    key.startsWith('job.autoscaler.') ||
    key.startsWith('kubernetes.operator.')
  );
}

type Spec = Record<string, unknown>;

/** Removes IGNORE fields (and the overrides key, judged separately) from a spec copy. */
function comparable(spec: Spec): { rest: Spec; overrides: string | undefined } {
  const copy = structuredClone(spec);
  const config = flattenConfiguration(copy['flinkConfiguration'] ?? {});
  const overrides = config[OVERRIDES_KEY];
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) if (!isIgnoredConfigKey(k) && k !== OVERRIDES_KEY) kept[k] = v;
  copy['flinkConfiguration'] = kept;
  const job = copy['job'];
  if (job && typeof job === 'object')
    for (const f of IGNORED_JOB_FIELDS) delete (job as Record<string, unknown>)[f];
  return { rest: copy, overrides };
}

/**
 * Classifies a change from `before` (last reconciled spec) to `after` (current spec). A new non-null
 * `savepointRedeployNonce` is SAVEPOINT_REDEPLOY (`JobSpec`, operator 1.x). The overrides key is
 * SCALE only in native mode (`AbstractFlinkSpec`: `@SpecDiff.Entry(prefix =
 * "pipeline.jobvertex-parallelism-overrides", type = SCALE, mode = NATIVE)`); in standalone mode
 * the entry does not apply and the change is an UPGRADE like any unannotated key.
 */
export function classifySpecChange(before: Spec, after: Spec, mode: 'native' | 'standalone' = 'native'): SpecChangeType {
  const beforeNonce = (before['job'] as Record<string, unknown> | undefined)?.['savepointRedeployNonce'];
  const afterNonce = (after['job'] as Record<string, unknown> | undefined)?.['savepointRedeployNonce'];
  if (afterNonce !== undefined && afterNonce !== null && afterNonce !== beforeNonce)
    return 'savepoint-redeploy';
  const a = comparable(before);
  const b = comparable(after);
  if (!deepEqual(a.rest, b.rest)) return 'upgrade';
  if (a.overrides === b.overrides) return 'ignore';
  return mode === 'native' ? 'scale' : 'upgrade';
}

/** Parses `v1_18` → [1, 18]; undefined when absent or malformed. */
export function parseFlinkVersion(value: unknown): [number, number] | undefined {
  const m = typeof value === 'string' ? /^v(\d+)_(\d+)$/.exec(value) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * Whether the operator would rescale in place (docs/flink-resources.md §4 step 4;
 * `NativeFlinkService.supportsInPlaceScaling` and `scale`, operator 1.x): in-place scaling
 * enabled, Flink ≥ 1.18, adaptive scheduler, and no vertex override removed. The flag, the
 * scheduler and the Flink version are read from the DEPLOYED configuration (`ctx.getObserveConfig()`:
 * the operator defaults under the last reconciled spec), not from the new spec; only the overrides
 * come from the new one (`deployConfig`).
 */
export function operatorScalesInPlace(
  deployed: Readonly<Record<string, string>>,
  after: Spec,
  deployedFlinkVersion: unknown,
): boolean {
  const version = parseFlinkVersion(deployedFlinkVersion);
  if (!version || version[0] < 1 || (version[0] === 1 && version[1] < 18)) return false;
  if (deployed['jobmanager.scheduler']?.trim().toLowerCase() !== 'adaptive') return false;
  if (deployed['kubernetes.operator.job.upgrade.inplace-scaling.enabled']?.trim().toLowerCase() === 'false')
    return false;
  const oldKeys = overrideVertices(deployed[OVERRIDES_KEY]);
  const newKeys = overrideVertices(flattenConfiguration(after['flinkConfiguration'] ?? {})[OVERRIDES_KEY]);
  return [...oldKeys].every((k) => newKeys.has(k));
}

function overrideVertices(text: string | undefined): Set<string> {
  return new Set(
    (text ?? '')
      .split(',')
      .map((e) => e.split(':')[0]?.trim() ?? '')
      .filter((k) => k !== ''),
  );
}
