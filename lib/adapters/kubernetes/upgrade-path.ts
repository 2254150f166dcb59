import { ALLOW_STATELESS_RESTART_ANNOTATION } from '../../domain/resource-metadata.ts';

/** What applying a planned change will do to the running job (for the decision report). */
export type UpgradePath =
  | { readonly path: 'none'; readonly reason: string }
  | { readonly path: 'in-place'; readonly reason: string }
  | { readonly path: 'full-upgrade'; readonly upgradeMode: string; readonly reason: string }
  | {
      readonly path: 'refused';
      readonly code: 'stateless-restart-not-allowed' | 'last-state-without-ha' | 'unknown-upgrade-mode';
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
  /** `spec.flinkVersion` (`v1_20`) or a dotted version from `status.clusterInfo` (`1.20.1`). */
  readonly flinkVersion: string | undefined;
  /** Flat effective `spec.flinkConfiguration`. */
  readonly flinkConfiguration: Readonly<Record<string, string>>;
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

function sameOverrides(a: PlannedChange['overridesBefore'], b: PlannedChange['overridesAfter']): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => String(a[k]) === String(b[k]));
}

/**
 * Predicts how the operator applies a change and whether the autoscaler may make it
 * (docs/design.md §4; docs/flink-resources.md §4):
 * - in place when only overrides change, none is removed, Flink ≥ 1.18, `jobmanager.scheduler:
 *   adaptive` and `kubernetes.operator.job.upgrade.inplace-scaling.enabled` is not false;
 * - otherwise a full upgrade by `spec.job.upgradeMode`: `savepoint` is allowed, `last-state` only
 *   with HA, `stateless` (state lost) only with the annotation
 *   `flink-serverless-autoscaler/allow-stateless-restart: "true"`.
 */
export function decideUpgradePath(input: UpgradePathInput): UpgradePath {
  const { change, flinkConfiguration: config } = input;
  const overridesChanged = !sameOverrides(change.overridesBefore, change.overridesAfter);
  if (!overridesChanged && !change.memoryChanged) return { path: 'none', reason: 'nothing changes' };
  if (!change.memoryChanged) {
    const version = parseFlinkMinorVersion(input.flinkVersion);
    const removed = Object.keys(change.overridesBefore).filter(
      (k) => !Object.hasOwn(change.overridesAfter, k),
    );
    const blockers: string[] = [];
    if (!version || version[0] < 1 || (version[0] === 1 && version[1] < 18))
      blockers.push(`Flink ${input.flinkVersion ?? 'version unknown'} < 1.18`);
    if (config['jobmanager.scheduler']?.trim().toLowerCase() !== 'adaptive')
      blockers.push('jobmanager.scheduler is not adaptive');
    if (config['kubernetes.operator.job.upgrade.inplace-scaling.enabled']?.trim().toLowerCase() === 'false') {
      blockers.push('kubernetes.operator.job.upgrade.inplace-scaling.enabled is false');
    }
    if (removed.length > 0) blockers.push(`override(s) removed for ${removed.join(', ')}`);
    if (blockers.length === 0)
      return {
        path: 'in-place',
        reason: 'only parallelism overrides change and in-place scaling is available',
      };
    return fullUpgrade(input, `in-place scaling not possible: ${blockers.join('; ')}`);
  }
  return fullUpgrade(input, 'TaskManager memory changes need a full upgrade');
}

function fullUpgrade(input: UpgradePathInput, why: string): UpgradePath {
  const mode = (input.upgradeMode ?? 'stateless').trim();
  switch (mode) {
    case 'savepoint':
      return { path: 'full-upgrade', upgradeMode: mode, reason: `${why}; savepoint upgrade keeps state` };
    case 'last-state': {
      const ha = highAvailabilityMode(input.flinkConfiguration);
      if (!ha) {
        return {
          path: 'refused',
          code: 'last-state-without-ha',
          reason: `${why}; upgradeMode last-state needs high availability (high-availability.type kubernetes or zookeeper) to restore state, and none is configured`,
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
