import type { ResourceKind } from '../../domain/job-key.ts';
import { ALLOW_STATELESS_RESTART_ANNOTATION } from '../../domain/resource-metadata.ts';

/** What applying a planned change will do to the running job (for the decision report). */
export type UpgradePath =
  | { readonly path: 'none'; readonly reason: string }
  | { readonly path: 'in-place'; readonly reason: string }
  | { readonly path: 'full-upgrade'; readonly upgradeMode: string; readonly reason: string }
  | {
      readonly path: 'refused';
      readonly code:
        | 'stateless-restart-not-allowed'
        | 'last-state-without-ha'
        | 'unknown-upgrade-mode'
        | 'flink-version-unsupported';
      readonly reason: string;
    };

/** The change the autoscaler wants to make, as per-vertex overrides before/after and a memory flag. */
export interface PlannedChange {
  readonly overridesBefore: Readonly<Record<string, string | number>>;
  readonly overridesAfter: Readonly<Record<string, string | number>>;
  /** Any `taskmanager.memory.*` key or TaskManager memory resource changes (always a full upgrade). */
  readonly memoryChanged: boolean;
}

/** What {@link decideUpgradePath} needs to know about the resource and the change. */
export interface UpgradePathInput {
  /** FlinkDeployment or FlinkSessionJob: a session job upgrades through its session cluster. */
  readonly kind: ResourceKind;
  /**
   * `spec.flinkVersion` (`v1_20`) or a dotted version from `status.clusterInfo` (`1.20.1`); for a
   * session job the session FlinkDeployment's.
   */
  readonly flinkVersion: string | undefined;
  /**
   * `spec.mode` of the FlinkDeployment (for a session job: of its session cluster); absent means
   * `native`, the CRD default.
   */
  readonly deploymentMode: string | undefined;
  /**
   * The job's effective configuration (effective-configuration.ts): the resource's flat
   * `spec.flinkConfiguration` over its session cluster's and over the configuration the running
   * JobManager reports (which holds the operator's defaults).
   */
  readonly flinkConfiguration: Readonly<Record<string, string>>;
  /** [major, minor] of the Flink Kubernetes Operator; undefined when unknown. */
  readonly operatorVersion: readonly [number, number] | undefined;
  /** `spec.job.upgradeMode`; the operator defaults to `stateless`. */
  readonly upgradeMode: string | undefined;
  readonly annotations: Readonly<Record<string, string>>;
  readonly change: PlannedChange;
}

/** Parses `v1_18`, `1.18`, `1.18.1` → [major, minor]. */
export function parseFlinkMinorVersion(text: string | undefined): [number, number] | undefined {
  const m = text ? /^v?(\d+)[._](\d+)/.exec(text.trim()) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * HA is configured when `high-availability.type` (or the legacy key `high-availability`) is
 * `kubernetes`, `zookeeper`, or a factory class name; `NONE`/absent is no HA. Last-state
 * upgrades restore from HA metadata, so without it they would lose state.
 */
export function highAvailabilityMode(config: Readonly<Record<string, string>>): string | undefined {
  const value = (config['high-availability.type'] ?? config['high-availability'])?.trim();
  if (!value || value.toLowerCase() === 'none') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'kubernetes' || lower === 'zookeeper') return lower;
  return /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(value) ? value : undefined;
}

/** Whether `version` is at least `major.minor`; false when unknown. */
export function isAtLeast(version: readonly [number, number] | undefined, major: number, minor: number): boolean {
  return version !== undefined && (version[0] > major || (version[0] === major && version[1] >= minor));
}

function sameOverrides(a: PlannedChange['overridesBefore'], b: PlannedChange['overridesAfter']): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => String(a[k]) === String(b[k]));
}

/**
 * Predicts how the operator applies a change and whether the autoscaler may make it
 * (docs/design.md §4; docs/flink-resources.md §4). Where the outcome cannot be known for certain
 * (unknown version, operator or mode), the full upgrade is assumed and its guards apply.
 * - Refused on Flink < 1.17: `pipeline.jobvertex-parallelism-overrides` is honoured from Flink 1.17
 *   (FLINK-29501, `PipelineOptions.PARALLELISM_OVERRIDES`); before, every patch would restart the
 *   job to no effect, cycle after cycle.
 * - In place when only overrides change and none is removed, `spec.mode` is native, Flink ≥ 1.18,
 *   `jobmanager.scheduler: adaptive` and `kubernetes.operator.job.upgrade.inplace-scaling.enabled`
 *   is not false (operator 1.7+ `NativeFlinkService.supportsInPlaceScaling`; the overrides key is
 *   diff type SCALE only in native mode, `AbstractFlinkSpec` `@SpecDiff.Entry(mode = NATIVE)`,
 *   operator 1.7+; in standalone mode it is an UPGRADE).
 * - Otherwise a full upgrade by `spec.job.upgradeMode` ({@link fullUpgrade}).
 */
export function decideUpgradePath(input: UpgradePathInput): UpgradePath {
  const { change, flinkConfiguration: config } = input;
  const overridesChanged = !sameOverrides(change.overridesBefore, change.overridesAfter);
  if (!overridesChanged && !change.memoryChanged) return { path: 'none', reason: 'nothing changes' };
  const version = parseFlinkMinorVersion(input.flinkVersion);
  if (overridesChanged && version && !isAtLeast(version, 1, 17)) {
    return {
      path: 'refused',
      code: 'flink-version-unsupported',
      reason: `Flink ${input.flinkVersion} ignores ${'pipeline.jobvertex-parallelism-overrides'} (honoured from Flink 1.17, FLINK-29501); upgrade the job to Flink 1.17 or later`,
    };
  }
  if (change.memoryChanged) return fullUpgrade(input, 'TaskManager memory changes need a full upgrade');
  const removed = Object.keys(change.overridesBefore).filter((k) => !Object.hasOwn(change.overridesAfter, k));
  const mode = (input.deploymentMode ?? 'native').trim().toLowerCase();
  const blockers: string[] = [];
  if (mode !== 'native') blockers.push(`spec.mode is ${mode} (the operator rescales in place only in native mode)`);
  if (!isAtLeast(version, 1, 18)) blockers.push(`Flink ${input.flinkVersion ?? 'version unknown'} < 1.18`);
  if (config['jobmanager.scheduler']?.trim().toLowerCase() !== 'adaptive')
    blockers.push('jobmanager.scheduler is not adaptive');
  if (config['kubernetes.operator.job.upgrade.inplace-scaling.enabled']?.trim().toLowerCase() === 'false') {
    blockers.push('kubernetes.operator.job.upgrade.inplace-scaling.enabled is false');
  }
  if (removed.length > 0) blockers.push(`override(s) removed for ${removed.join(', ')}`);
  if (blockers.length === 0)
    return { path: 'in-place', reason: 'only parallelism overrides change and in-place scaling is available' };
  return fullUpgrade(input, `in-place scaling not possible: ${blockers.join('; ')}`);
}

/**
 * How last-state restores state without HA metadata, or undefined when it cannot be known to:
 * a session job's upgrade cancels the job and resubmits it from its latest checkpoint
 * (`SessionJobReconciler` / `AbstractJobReconciler.cancelJob`); a FlinkDeployment does the same
 * from operator 1.10 (FLINK-35414); older operators restore last-state only from HA metadata.
 */
function lastStateWithoutHa(input: UpgradePathInput): string | undefined {
  if (input.kind === 'FlinkSessionJob')
    return 'session jobs are cancelled and resubmitted from their latest checkpoint';
  if (isAtLeast(input.operatorVersion, 1, 10))
    return `operator ${input.operatorVersion?.join('.')} (≥ 1.10, FLINK-35414) cancels the job and restores it from its latest checkpoint`;
  return undefined;
}

/**
 * The full upgrade by `spec.job.upgradeMode` (`AbstractJobReconciler.getAvailableUpgradeMode`):
 * `savepoint` is allowed; `last-state` with HA, or without it where {@link lastStateWithoutHa}
 * knows how state is restored, else it falls under the stateless guard; `stateless` (state lost)
 * only with the annotation `flink-serverless-autoscaler/allow-stateless-restart: "true"`.
 */
function fullUpgrade(input: UpgradePathInput, why: string): UpgradePath {
  const mode = (input.upgradeMode ?? 'stateless').trim();
  switch (mode) {
    case 'savepoint':
      return { path: 'full-upgrade', upgradeMode: mode, reason: `${why}; savepoint upgrade keeps state` };
    case 'last-state': {
      const ha = highAvailabilityMode(input.flinkConfiguration);
      if (!ha) {
        const restore = lastStateWithoutHa(input);
        if (restore) return { path: 'full-upgrade', upgradeMode: mode, reason: `${why}; last-state upgrade without HA: ${restore}` };
        if (input.annotations[ALLOW_STATELESS_RESTART_ANNOTATION]?.trim() === 'true') {
          return {
            path: 'full-upgrade',
            upgradeMode: mode,
            reason: `${why}; last-state without HA may restart from empty state, allowed by annotation ${ALLOW_STATELESS_RESTART_ANNOTATION}`,
          };
        }
        return {
          path: 'refused',
          code: 'last-state-without-ha',
          reason: `${why}; upgradeMode last-state without high availability restores state only on operator 1.10 or later (FLINK-35414), and the operator version is ${input.operatorVersion ? input.operatorVersion.join('.') : 'unknown (annotation flink-serverless-autoscaler/operator-version)'}; configure HA, declare the operator version, or set annotation ${ALLOW_STATELESS_RESTART_ANNOTATION}: "true"`,
        };
      }
      return {
        path: 'full-upgrade',
        upgradeMode: mode,
        reason: `${why}; last-state upgrade restores from ${ha} HA metadata`,
      };
    }
    case 'stateless':
      if (input.annotations[ALLOW_STATELESS_RESTART_ANNOTATION]?.trim() === 'true') {
        return {
          path: 'full-upgrade',
          upgradeMode: mode,
          reason: `${why}; stateless restart allowed by annotation ${ALLOW_STATELESS_RESTART_ANNOTATION}`,
        };
      }
      return {
        path: 'refused',
        code: 'stateless-restart-not-allowed',
        reason: `${why}; upgradeMode stateless would restart the job from empty state (set annotation ${ALLOW_STATELESS_RESTART_ANNOTATION}: "true" to allow it)`,
      };
    default:
      return {
        path: 'refused',
        code: 'unknown-upgrade-mode',
        reason: `${why}; unknown upgradeMode '${mode}'`,
      };
  }
}
