/**
 * The FlinkDeployment a sandbox job is served as: the local world's resource for a scenario
 * (sim/world/world-deployment.ts) with the choices the sandbox offers per job (name, upgrade mode,
 * annotations, extra flinkConfiguration keys).
 */
import type { WorldScenario } from '../world/world-scenario.ts';
import { type ScenarioDeploymentOptions, scenarioFlinkDeployment, WORLD_NAMESPACE } from '../world/world-deployment.ts';

export { resourceNameOf } from '../world/world-deployment.ts';

/** The namespace every sandbox job lives in (the local world's). */
export const SANDBOX_NAMESPACE = WORLD_NAMESPACE;

/** Per-job choices on top of the scenario. */
export type SandboxDeploymentOptions = ScenarioDeploymentOptions;

/** Builds the FlinkDeployment of one sandbox job. */
export function sandboxFlinkDeployment(
  scenario: WorldScenario,
  options: SandboxDeploymentOptions = {},
): Record<string, unknown> {
  return scenarioFlinkDeployment(scenario, options);
}
