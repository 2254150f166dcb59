import { flattenConfiguration } from '../../config/flatten-configuration.ts';
import { InvalidOptionError } from '../../config/options-error.ts';
import { MANAGED_LABEL } from '../../domain/resource-metadata.ts';
import type { FlinkResource } from './flink-resource.ts';
import { isAtLeast, parseFlinkMinorVersion } from './upgrade-path.ts';

/** Why a resource is not evaluated now. `refused` reasons need a user fix; the rest pass by themselves. */
export type NotReadyCode =
  | 'builtin-autoscaler-enabled'
  | 'ambiguous-configuration'
  | 'invalid-configuration'
  | 'flink-version-unsupported'
  | 'operator-error'
  | 'operator-too-old'
  | 'suspended'
  | 'spec-not-observed'
  | 'lifecycle'
  | 'reconciliation'
  | 'jobmanager-not-ready'
  | 'job-not-running'
  | 'session-cluster-not-ready';

/** Whether a resource can be evaluated now, and why not. */
export type Readiness =
  | { readonly ready: true }
  | {
      readonly ready: false;
      readonly code: NotReadyCode;
      readonly refused: boolean;
      readonly reason: string;
    };

const notReady = (code: NotReadyCode, reason: string, refused = false): Readiness => ({
  ready: false,
  code,
  refused,
  reason,
});

/**
 * Keys present both flat and nested in `spec.flinkConfiguration` (e.g. `"a.b": 1` and
 * `a: {b: 2}`): which one the operator uses is ambiguous, so such resources are refused
 * (docs/flink-resources.md §2.1).
 */
export function findAmbiguousConfigKeys(config: unknown): string[] {
  const seen = new Map<string, number>();
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path === '' ? k : `${path}.${k}`);
    } else if (path !== '' && value !== null && value !== undefined) {
      seen.set(path, (seen.get(path) ?? 0) + 1);
    }
  };
  walk(config, '');
  return [...seen.entries()]
    .filter(([, n]) => n > 1)
    .map(([k]) => k)
    .sort();
}

/**
 * Ready to evaluate and act (docs/design.md §4; docs/flink-resources.md §3): lifecycle STABLE or DEPLOYED,
 * reconciliation DEPLOYED, `observedGeneration == generation`, JobManager READY (for a session
 * job: its session cluster's), job RUNNING. Refused outright when the operator's built-in
 * autoscaler is enabled too — it would re-apply its own overrides on every reconcile (§5).
 * The REST `timestamps.RUNNING` stabilization check belongs to the collector, which reads REST.
 */
export function assessReadiness(resource: FlinkResource, sessionCluster?: FlinkResource): Readiness {
  const config = resource.spec.flinkConfiguration ?? {};
  const ambiguous = findAmbiguousConfigKeys(config);
  if (ambiguous.length > 0) {
    return notReady(
      'ambiguous-configuration',
      `spec.flinkConfiguration sets ${ambiguous.join(', ')} both flat and nested; keep one form`,
      true,
    );
  }
  let flat: Record<string, string>;
  try {
    flat = flattenConfiguration(config);
  } catch (error) {
    // A value of an unsupported type (null in a list, …): refuse this job, never fail the listing.
    if (!(error instanceof InvalidOptionError)) throw error;
    return notReady('invalid-configuration', `spec.flinkConfiguration: ${error.message}`, true);
  }
  const builtin = flat['job.autoscaler.enabled'] ?? flat['kubernetes.operator.job.autoscaler.enabled'];
  if (builtin?.trim().toLowerCase() === 'true') {
    return notReady(
      'builtin-autoscaler-enabled',
      `the operator's built-in autoscaler is enabled (job.autoscaler.enabled: true); disable it or remove the ${MANAGED_LABEL} label`,
      true,
    );
  }
  const flinkVersion = (resource.kind === 'FlinkSessionJob' ? sessionCluster : resource)?.spec.flinkVersion;
  const version = parseFlinkMinorVersion(flinkVersion);
  if (version && !isAtLeast(version, 1, 17)) {
    // FLINK-29501: `pipeline.jobvertex-parallelism-overrides` is read from Flink 1.17 on; before,
    // every patch would restart the job to no effect, cycle after cycle.
    return notReady(
      'flink-version-unsupported',
      `Flink ${flinkVersion} does not apply pipeline.jobvertex-parallelism-overrides (honoured from Flink 1.17, FLINK-29501); upgrade the job to Flink 1.17 or later`,
      true,
    );
  }
  if (resource.spec.job?.state === 'suspended') return notReady('suspended', 'spec.job.state is suspended');
  const status = resource.status ?? {};
  const observed = observedGenerationOf(resource);
  const generation = resource.metadata.generation;
  if (status.error?.trim() && observed.generation !== generation) {
    // The operator rejected the current spec (`DefaultValidator`, `ReconciliationUtils
    // .applyValidationErrorAndResetSpec`): the last valid spec keeps running and the new generation
    // stays unobserved, so "spec not observed" would never end; say why instead. An error next to
    // an observed spec (e.g. an earlier job failure) does not block: the job is judged as it runs.
    return notReady('operator-error', `the operator rejected the spec: ${status.error.trim()}`, true);
  }
  if (observed.generation === undefined && status.reconciliationStatus?.lastReconciledSpec) {
    return notReady(
      'operator-too-old',
      'the operator reports neither status.observedGeneration (operator 1.8+) nor a reconciled generation in status.reconciliationStatus.lastReconciledSpec; upgrade the Flink Kubernetes Operator',
      true,
    );
  }
  if (generation === undefined || observed.generation !== generation) {
    return notReady(
      'spec-not-observed',
      `the operator has not observed generation ${generation ?? '?'} yet (${observed.source} ${observed.generation ?? 'unset'})`,
    );
  }
  if (status.lifecycleState !== 'STABLE' && status.lifecycleState !== 'DEPLOYED') {
    return notReady(
      'lifecycle',
      `lifecycleState is ${status.lifecycleState ?? 'unset'}, not STABLE or DEPLOYED`,
    );
  }
  if (status.reconciliationStatus?.state !== 'DEPLOYED') {
    return notReady(
      'reconciliation',
      `reconciliationStatus.state is ${status.reconciliationStatus?.state ?? 'unset'}, not DEPLOYED`,
    );
  }
  if (resource.kind === 'FlinkDeployment' && status.jobManagerDeploymentStatus !== 'READY') {
    return notReady(
      'jobmanager-not-ready',
      `jobManagerDeploymentStatus is ${status.jobManagerDeploymentStatus ?? 'unset'}, not READY`,
    );
  }
  if (resource.kind === 'FlinkSessionJob' && sessionCluster?.status?.jobManagerDeploymentStatus !== 'READY') {
    return notReady(
      'session-cluster-not-ready',
      `session cluster '${resource.spec.deploymentName ?? '?'}' ${sessionCluster ? `has jobManagerDeploymentStatus ${sessionCluster.status?.jobManagerDeploymentStatus ?? 'unset'}` : 'was not found'}`,
    );
  }
  if (status.jobStatus?.state !== 'RUNNING') {
    return notReady('job-not-running', `job state is ${status.jobStatus?.state ?? 'unset'}, not RUNNING`);
  }
  return { ready: true };
}

/**
 * The generation the operator has reconciled: `status.observedGeneration` (written from operator
 * 1.8), else the one recorded with the last reconciled spec (`resource_metadata.metadata
 * .generation` in `status.reconciliationStatus.lastReconciledSpec`, `ReconciliationUtils
 * .writeSpecWithMeta`, operator 1.2+), so older operators do not stay "spec not observed" forever.
 */
export function observedGenerationOf(resource: FlinkResource): {
  generation: number | undefined;
  source: string;
} {
  const status = resource.status ?? {};
  if (typeof status.observedGeneration === 'number')
    return { generation: status.observedGeneration, source: 'observedGeneration' };
  const source = 'lastReconciledSpec generation';
  const text = status.reconciliationStatus?.lastReconciledSpec;
  if (!text) return { generation: undefined, source };
  try {
    const parsed = JSON.parse(text) as { resource_metadata?: { metadata?: { generation?: unknown } } };
    const generation = parsed.resource_metadata?.metadata?.generation;
    return { generation: typeof generation === 'number' ? generation : undefined, source };
  } catch {
    return { generation: undefined, source };
  }
}
