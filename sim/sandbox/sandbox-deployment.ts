/**
 * The FlinkDeployment a sandbox job is served as: the same resource the local world builds from a
 * scenario (sim/world/local-world.ts, `worldFlinkDeployment` and its private helpers, duplicated
 * here until both are unified), plus what the sandbox lets a user choose per job: the object
 * name, `spec.job.upgradeMode`, annotations and extra flinkConfiguration keys.
 */
import type { NormalizedScenario } from '../flink-simulator/parse-scenario.ts';
import type { WorldScenario } from '../world/world-scenario.ts';

/** The namespace every sandbox job lives in (the local world's). */
export const SANDBOX_NAMESPACE = 'flink-jobs';

/** The label that opts a resource in to the autoscaler. */
export const OPT_IN_LABEL = 'flink-serverless-autoscaler/enabled';

/** Per-job choices on top of the scenario. */
export interface SandboxDeploymentOptions {
  /** `metadata.name`. @default a slug of the scenario name */
  readonly name?: string;
  /** `spec.job.upgradeMode`. @default "last-state" (with Kubernetes HA, as the local world) */
  readonly upgradeMode?: string;
  /** Keys merged last over the scenario's `world.flinkConfiguration`. */
  readonly flinkConfiguration?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The configuration before the scenario's keys: the adaptive scheduler (in-place rescaling on
 * Flink ≥ 1.18), Kubernetes HA, and the operator's own autoscaler off (ours is opted in by label).
 */
function baseConfiguration(scenario: NormalizedScenario): Record<string, string> {
  return {
    'taskmanager.numberOfTaskSlots': String(scenario.taskManager.slots),
    'jobmanager.scheduler': 'adaptive',
    'high-availability.type': 'kubernetes',
    'job.autoscaler.enabled': 'false',
  };
}

/** A Kubernetes object name (RFC 1123 label) from a scenario name. */
export function resourceNameOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug || 'simulated-job';
}

/** `1.20.1` → `v1_20`; the CRD only knows 1.x minor versions. */
function crdFlinkVersion(version: string): string {
  const [major, minor] = version.split('.');
  return `v${major ?? '1'}_${minor ?? '20'}`;
}

/** Builds the FlinkDeployment of one sandbox job. */
export function sandboxFlinkDeployment(
  scenario: WorldScenario,
  options: SandboxDeploymentOptions = {},
): Record<string, unknown> {
  const sim = scenario.simulator;
  return {
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkDeployment',
    metadata: {
      name: options.name ?? resourceNameOf(sim.name),
      namespace: SANDBOX_NAMESPACE,
      labels: { [OPT_IN_LABEL]: 'true' },
      ...(options.annotations && Object.keys(options.annotations).length > 0
        ? { annotations: { ...options.annotations } }
        : {}),
    },
    spec: {
      image: `flink:${sim.flinkVersion.split('.').slice(0, 2).join('.')}`,
      flinkVersion: crdFlinkVersion(sim.flinkVersion),
      serviceAccount: 'flink',
      flinkConfiguration: {
        ...baseConfiguration(sim),
        ...scenario.world.flinkConfiguration,
        ...options.flinkConfiguration,
      },
      jobManager: { resource: { cpu: 1, memory: '2048m' } },
      taskManager: { resource: { cpu: 2, memory: scenario.world.taskManagerMemory } },
      job: {
        jarURI: 'local:///opt/flink/usrlib/job.jar',
        parallelism: Math.max(...sim.vertices.map((v) => v.initialParallelism)),
        upgradeMode: options.upgradeMode ?? 'last-state',
        state: 'running',
      },
    },
  };
}
