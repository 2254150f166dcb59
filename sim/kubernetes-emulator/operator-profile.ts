import { flattenConfiguration } from '../../lib/config/flatten-configuration.ts';
import type { StoredObject } from './flink-operator-model.ts';

/**
 * Which Flink Kubernetes Operator the emulator plays and its operator-wide default configuration
 * (the `flink-conf` of the operator's ConfigMap, `FlinkConfigManager.getDefaultConfig`, operator
 * 1.x). Behaviours that changed between releases are gated on `version` here, each naming its
 * release.
 */
export interface OperatorProfile {
  /** [major, minor] of the operator release. */
  readonly version: readonly [number, number];
  /** Flat default Flink configuration the operator puts under every resource's own. */
  readonly defaults: Readonly<Record<string, string>>;
}

/** The release the emulator plays by default (CRDs of release-1.15.0 in /work/shared/reference). */
export const DEFAULT_OPERATOR_VERSION: readonly [number, number] = [1, 15];

/** Parses `1.15`, `1.7.0` → [1, 15]; throws on anything else (an emulator option, checked early). */
export function parseOperatorVersion(text: string): readonly [number, number] {
  const m = /^(\d+)\.(\d+)(\.\d+)?$/.exec(text.trim());
  if (!m) throw new Error(`operatorVersion '${text}' is not a version like 1.15 or 1.7.0`);
  return [Number(m[1]), Number(m[2])];
}

function atLeast(profile: OperatorProfile, major: number, minor: number): boolean {
  const [a, b] = profile.version;
  return a > major || (a === major && b >= minor);
}

/** `status.observedGeneration` is written from operator 1.8 (`CommonStatus.observedGeneration`). */
export function reportsObservedGeneration(profile: OperatorProfile): boolean {
  return atLeast(profile, 1, 8);
}

/**
 * The generation the operator has reconciled: `status.observedGeneration`, else the one recorded
 * with the last reconciled spec (`resource_metadata`, `ReconciliationUtils.writeSpecWithMeta`).
 */
export function reconciledGeneration(object: StoredObject): number | undefined {
  const observed = object.status?.['observedGeneration'];
  if (typeof observed === 'number') return observed;
  const rec = object.status?.['reconciliationStatus'] as Record<string, unknown> | undefined;
  const text = rec?.['lastReconciledSpec'];
  if (typeof text !== 'string') return undefined;
  const parsed = JSON.parse(text) as { resource_metadata?: { metadata?: { generation?: number } } };
  return parsed.resource_metadata?.metadata?.generation;
}

/** The spec the operator last reconciled (`status.reconciliationStatus.lastReconciledSpec`). */
export function lastReconciledSpecOf(object: StoredObject | undefined): Record<string, unknown> | undefined {
  const rec = object?.status?.['reconciliationStatus'] as Record<string, unknown> | undefined;
  const text = rec?.['lastReconciledSpec'];
  return typeof text === 'string' ? (JSON.parse(text) as { spec: Record<string, unknown> }).spec : undefined;
}

function flatConfig(spec: Record<string, unknown> | undefined): Record<string, string> {
  return flattenConfiguration(spec?.['flinkConfiguration'] ?? {});
}

/**
 * The configuration a running job was deployed with, which the operator decides an in-place
 * rescale with (`ctx.getObserveConfig()` in `NativeFlinkService.scale`): the operator defaults,
 * for a session job its session cluster's deployed configuration (`getSessionJobConfig`), and the
 * resource's last reconciled spec on top (`FlinkConfigManager.getObserveConfig`).
 */
export function deployedConfiguration(
  object: StoredObject,
  sessionCluster: StoredObject | undefined,
  profile: OperatorProfile,
): Record<string, string> {
  return {
    ...profile.defaults,
    ...(object.kind === 'FlinkSessionJob' ? flatConfig(lastReconciledSpecOf(sessionCluster)) : {}),
    ...flatConfig(lastReconciledSpecOf(object)),
  };
}

/** HA configured (`HighAvailabilityMode.isHighAvailabilityModeActivated`): a type other than NONE. */
function haActivated(config: Readonly<Record<string, string>>): boolean {
  const value = (config['high-availability.type'] ?? config['high-availability'])?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'none';
}

/**
 * The operator's validation of a new spec (`DefaultValidator`), for the rules the emulator models;
 * undefined when valid. A failure is a `ValidationError` event and `status.error`, and the last
 * valid spec keeps running (`ReconciliationUtils.applyValidationErrorAndResetSpec`).
 * - A session job's session cluster must exist (`validateSessionJob`: "Session cluster deployment
 *   is not found").
 * - Before operator 1.10 a FlinkDeployment with `upgradeMode: last-state` needs HA
 *   (`validateJobSpec`: "Job could not be upgraded with last-state while HA disabled"); 1.10 drops
 *   the rule (FLINK-35414: last-state cancels the job and restores from its latest checkpoint).
 */
export function validateSpec(
  object: StoredObject,
  sessionCluster: StoredObject | undefined,
  profile: OperatorProfile,
): string | undefined {
  if (object.kind === 'FlinkSessionJob') {
    return sessionCluster ? undefined : 'Session cluster deployment is not found';
  }
  const job = object.spec?.['job'] as Record<string, unknown> | undefined;
  const config = { ...profile.defaults, ...flatConfig(object.spec) };
  if (job?.['upgradeMode'] === 'last-state' && !haActivated(config) && !atLeast(profile, 1, 10))
    return 'Job could not be upgraded with last-state while HA disabled';
  return undefined;
}
