/**
 * The FlinkDeployment the local world applies to the Kubernetes emulator: the scenario's job with
 * the opt-in label, the adaptive scheduler and the operator's own autoscaler off.
 */
import { MANAGED_LABEL } from '../../lib/domain/resource-metadata.ts';
import type { NormalizedScenario } from '../flink-simulator/parse-scenario.ts';
import type { WorldScenario } from './world-scenario.ts';

/** Namespace of the world's FlinkDeployment. */
export const WORLD_NAMESPACE = 'flink-jobs';

/**
 * The FlinkDeployment's configuration before the scenario's keys: the adaptive scheduler (so
 * parallelism overrides are applied in place, as on Flink ≥ 1.18 with the operator), Kubernetes
 * HA, and the operator's own autoscaler explicitly off (ours is enabled by the label).
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

/** What a caller may choose on top of the scenario (the sandbox lets a user set these per job). */
export interface ScenarioDeploymentOptions {
  /** `metadata.name`. @default a slug of the scenario name */
  readonly name?: string;
  /** `spec.job.upgradeMode`. @default "last-state" (with Kubernetes HA) */
  readonly upgradeMode?: string;
  /** Keys merged last over the scenario's `world.flinkConfiguration`. */
  readonly flinkConfiguration?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Builds the FlinkDeployment the world applies to the emulator. */
export function worldFlinkDeployment(
  scenario: WorldScenario,
  extraConfiguration: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  return scenarioFlinkDeployment(scenario, { flinkConfiguration: extraConfiguration });
}

/** The FlinkDeployment of a scenario's job, opted in, in {@link WORLD_NAMESPACE}. */
export function scenarioFlinkDeployment(
  scenario: WorldScenario,
  options: ScenarioDeploymentOptions = {},
): Record<string, unknown> {
  const sim = scenario.simulator;
  return {
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkDeployment',
    metadata: {
      name: options.name ?? resourceNameOf(sim.name),
      namespace: WORLD_NAMESPACE,
      labels: { [MANAGED_LABEL]: 'true' },
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
