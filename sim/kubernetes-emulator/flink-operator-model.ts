import { createHash } from 'node:crypto';
import { classifySpecChange, operatorScalesInPlace, parseFlinkVersion } from './operator-spec-diff.ts';
import {
  deployedConfiguration,
  lastReconciledSpecOf,
  type OperatorProfile,
  reportsObservedGeneration,
  validateSpec,
} from './operator-profile.ts';

/**
 * The Flink Kubernetes Operator's behaviour on a spec change, as pure functions over a stored
 * resource (operator 1.x: main at 6e9caeb4 and release-1.15.0, docs/flink-resources.md §3–§4). The
 * emulator's `OperatorLoop` (operator-loop.ts) runs them on its virtual clock.
 */

/** A Flink resource object as stored by the emulator (plain JSON). */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    resourceVersion: string;
    generation?: number;
    creationTimestamp: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * A change the operator has started and finishes after the restart delay. `stabilize` is the
 * DEPLOYED → STABLE step of the lifecycle (`ResourceLifecycleState`, computed by the operator once
 * the last reconciled spec is marked stable).
 */
export interface PendingRollout {
  readonly kind: 'deploy' | 'in-place' | 'upgrade' | 'savepoint-redeploy' | 'stabilize';
  readonly dueAtMs: number;
  readonly newJobId: boolean;
}

/** What one reconcile step decided: the new status, an optional timer, events to record. */
export interface ReconcileOutcome {
  readonly status: Record<string, unknown>;
  readonly pending: PendingRollout | undefined;
  readonly events: ReadonlyArray<{ reason: string; type: 'Normal' | 'Warning'; message: string }>;
}

/** How long the operator's steps take in virtual time. */
export interface OperatorTiming {
  /** Time from observing a change to the job RUNNING again (full upgrade, deploy). */
  readonly restartDelayMs: number;
  /** Time an in-place rescale takes (adaptive scheduler restart). */
  readonly inPlaceDelayMs: number;
  /** Time from RUNNING to lifecycle STABLE. */
  readonly stableDelayMs: number;
}

/**
 * Deterministic 32-hex job id: same resource + deployment count → same id (reproducible tests).
 * The real operator lets Flink generate a random `JobID` per submission.
 */
export function jobIdFor(uid: string, deploymentCount: number): string {
  return createHash('sha256').update(`${uid}#${deploymentCount}`).digest('hex').slice(0, 32);
}

/** Serializes a spec the way `ReconciliationUtils.writeSpecWithMeta` does (spec + resource_metadata). */
function specRecord(object: StoredObject, generation: number): string {
  return JSON.stringify({
    spec: object.spec ?? {},
    resource_metadata: { apiVersion: object.apiVersion, metadata: { generation } },
  });
}

/**
 * Observes a resource whose `metadata.generation` is ahead of `status.observedGeneration` and
 * starts the rollout the operator would (docs/flink-resources.md §4, `AbstractFlinkResourceReconciler
 * .reconcile`, operator 1.x): the first deployment submits the job (`Submit` event); otherwise the
 * spec diff decides (`ReflectiveDiffBuilder` over the `@SpecDiff` annotations): IGNORE catches up
 * at once, SCALE rescales in place when eligible (`NativeFlinkService.scale`, `Scaling` event
 * "In-place scaling triggered"), anything else is a full upgrade by `upgradeMode` (`SpecChanged`
 * and `Suspended` events, reconciliation state UPGRADING as
 * `ReconciliationUtils.updateStatusBeforeDeploymentAttempt` sets it), a new
 * `savepointRedeployNonce` redeploys from `initialSavepointPath`.
 */
export function observeSpecChange(
  object: StoredObject,
  nowMs: number,
  timing: OperatorTiming,
  environment: OperatorEnvironment,
): ReconcileOutcome {
  const { profile, sessionCluster } = environment;
  const generation = object.metadata.generation ?? 1;
  const status = structuredClone(object.status ?? {});
  const isDeployment = object.kind === 'FlinkDeployment';
  const previous = lastReconciledSpecOf(object);
  const spec = object.spec ?? {};
  const invalid = validateSpec(object, sessionCluster, profile);
  if (invalid !== undefined) return rejectSpec(object, status, invalid);
  // a successful reconcile clears the error (`ReconciliationUtils.updateStatusForDeployedSpec`)
  delete status['error'];
  const reconciliation: Record<string, unknown> = {
    ...((status['reconciliationStatus'] as Record<string, unknown>) ?? {}),
    lastReconciledSpec: specRecord(object, generation),
    reconciliationTimestamp: nowMs,
  };
  if (reportsObservedGeneration(profile)) status['observedGeneration'] = generation;
  // A session job runs on its session cluster: its Flink version and mode are the cluster's.
  const cluster = isDeployment ? object : sessionCluster;
  const deployedClusterSpec = isDeployment ? previous : lastReconciledSpecOf(sessionCluster);
  const mode = cluster?.spec?.['mode'] === 'standalone' ? 'standalone' : 'native';
  const job = (status['jobStatus'] as Record<string, unknown>) ?? {};
  if (!previous) {
    status['reconciliationStatus'] = { ...reconciliation, state: 'DEPLOYED' };
    status['lifecycleState'] = 'DEPLOYED';
    if (isDeployment) status['jobManagerDeploymentStatus'] = 'DEPLOYING';
    status['jobStatus'] = { ...job, state: 'RECONCILING', jobName: object.metadata.name };
    return {
      status,
      pending: { kind: 'deploy', dueAtMs: nowMs + timing.restartDelayMs, newJobId: true },
      events: [{ reason: 'Submit', type: 'Normal', message: 'Starting deployment' }],
    };
  }
  const change = classifySpecChange(previous, spec, mode);
  if (change === 'ignore') {
    status['reconciliationStatus'] = { ...reconciliation, state: reconciliation['state'] ?? 'DEPLOYED' };
    return { status, pending: undefined, events: [] };
  }
  const deployed = deployedConfiguration(object, sessionCluster, profile);
  if (change === 'scale' && operatorScalesInPlace(deployed, spec, deployedClusterSpec?.['flinkVersion'])) {
    status['reconciliationStatus'] = { ...reconciliation, state: 'DEPLOYED' };
    status['lifecycleState'] = 'DEPLOYED';
    status['jobStatus'] = { ...job, state: 'RESTARTING' };
    return {
      status,
      pending: { kind: 'in-place', dueAtMs: nowMs + timing.inPlaceDelayMs, newJobId: false },
      events: [{ reason: 'Scaling', type: 'Normal', message: 'In-place scaling triggered' }],
    };
  }
  const upgradeMode = (spec['job'] as Record<string, unknown> | undefined)?.['upgradeMode'] ?? 'stateless';
  status['reconciliationStatus'] = { ...reconciliation, state: 'UPGRADING' };
  status['lifecycleState'] = 'UPGRADING';
  if (isDeployment) status['jobManagerDeploymentStatus'] = 'DEPLOYING';
  status['jobStatus'] = { ...job, state: 'RECONCILING' };
  const redeploy = change === 'savepoint-redeploy';
  return {
    status,
    pending: {
      kind: redeploy ? 'savepoint-redeploy' : 'upgrade',
      dueAtMs: nowMs + timing.restartDelayMs,
      // last-state keeps the HA job id; stateless, savepoint and savepoint redeploys submit anew
      // (docs/flink-resources.md §4 step 5)
      newJobId: redeploy || upgradeMode !== 'last-state',
    },
    events: [
      {
        reason: 'SpecChanged',
        type: 'Normal',
        message: `${redeploy ? 'SAVEPOINT_REDEPLOY' : 'UPGRADE'} change(s) detected`,
      },
      {
        reason: 'Suspended',
        type: 'Normal',
        message: `Suspending existing deployment (${String(upgradeMode)})`,
      },
    ],
  };
}

/** What besides the resource the operator reconciles it with. */
export interface OperatorEnvironment {
  readonly profile: OperatorProfile;
  /** A session job's session FlinkDeployment (`spec.deploymentName`), when it exists. */
  readonly sessionCluster: StoredObject | undefined;
}

/**
 * A spec the validator rejects (`ReconciliationUtils.applyValidationErrorAndResetSpec`, operator
 * 1.x): `status.error` holds the error as `ReconciliationUtils.updateForReconciliationError` serializes it,
 * a `ValidationError` Warning event is recorded when the error is new, the last valid spec keeps
 * running and the new generation stays unobserved.
 */
function rejectSpec(object: StoredObject, status: Record<string, unknown>, message: string): ReconcileOutcome {
  const error = JSON.stringify({
    type: 'org.apache.flink.kubernetes.operator.exception.ValidationException',
    message,
    additionalMetadata: {},
    throwableList: [],
  });
  const isNew = object.status?.['error'] !== error;
  status['error'] = error;
  return {
    status,
    pending: undefined,
    events: isNew ? [{ reason: 'ValidationError', type: 'Warning', message }] : [],
  };
}

/**
 * Finishes a due rollout: the job runs the new spec (the operator's observers, `JobStatusObserver`
 * and the JobManager deployment observer, report RUNNING and READY; `JobStatusChanged` event);
 * STABLE follows after `stableDelayMs`, when the reconciled spec is marked stable (`lastStableSpec`).
 */
export function completeRollout(
  object: StoredObject,
  rollout: PendingRollout,
  deploymentCount: number,
  nowMs: number,
  timing: OperatorTiming,
): ReconcileOutcome {
  const status = structuredClone(object.status ?? {});
  if (rollout.kind === 'stabilize') {
    status['lifecycleState'] = 'STABLE';
    const rec = (status['reconciliationStatus'] as Record<string, unknown>) ?? {};
    status['reconciliationStatus'] = { ...rec, lastStableSpec: rec['lastReconciledSpec'] };
    return { status, pending: undefined, events: [] };
  }
  const job = (status['jobStatus'] as Record<string, unknown>) ?? {};
  const jobId =
    rollout.newJobId || typeof job['jobId'] !== 'string'
      ? jobIdFor(object.metadata.uid, deploymentCount)
      : job['jobId'];
  status['jobStatus'] = {
    ...job,
    jobId,
    jobName: object.metadata.name,
    state: 'RUNNING',
    startTime: rollout.newJobId ? String(nowMs) : (job['startTime'] ?? String(nowMs)),
    updateTime: String(nowMs),
  };
  status['reconciliationStatus'] = {
    ...((status['reconciliationStatus'] as Record<string, unknown>) ?? {}),
    state: 'DEPLOYED',
  };
  status['lifecycleState'] = 'DEPLOYED';
  if (object.kind === 'FlinkDeployment') {
    status['jobManagerDeploymentStatus'] = 'READY';
    const version = parseFlinkVersion(object.spec?.['flinkVersion']);
    status['clusterInfo'] = {
      ...((status['clusterInfo'] as Record<string, unknown>) ?? {}),
      'flink-version': version ? `${version[0]}.${version[1]}.0` : 'unknown',
    };
  }
  return {
    status,
    pending: { kind: 'stabilize', dueAtMs: nowMs + timing.stableDelayMs, newJobId: false },
    events: [{ reason: 'JobStatusChanged', type: 'Normal', message: 'Job status changed to RUNNING' }],
  };
}
