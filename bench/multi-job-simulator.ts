/**
 * One HTTP server serving the Flink REST API of many simulated clusters under `/<job>/`: the load
 * and cost benchmarks run hundreds of jobs, and 1,000 listening servers would measure the OS, not
 * the autoscaler. Each job is a real `SimulatedFlinkCluster` (the simulator's model and REST
 * answers); jobs point at it with the `rest-url` annotation.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerGet, parseScenario, SimulatedFlinkCluster } from '../sim/flink-simulator/index.ts';
import {
  type KubernetesEmulator,
  parallelismOverridesOf,
  startKubernetesEmulator,
} from '../sim/kubernetes-emulator/index.ts';

/** The running server and the cluster behind each job name. */
export interface MultiJobSimulator {
  readonly url: string;
  readonly clusters: ReadonlyMap<string, SimulatedFlinkCluster>;
  close(): Promise<void>;
}

/** Starts the server with one cluster per name, each running `scenarioYaml`. */
export async function startMultiJobSimulator(
  names: readonly string[],
  scenarioYaml: string,
): Promise<MultiJobSimulator> {
  const scenario = parseScenario(scenarioYaml);
  const clusters = new Map(names.map((name) => [name, new SimulatedFlinkCluster(scenario)] as const));
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://sim.local');
    const [, job, ...rest] = url.pathname.split('/');
    const cluster = clusters.get(job ?? '');
    let status = 404;
    let body: unknown = { errors: ['unknown job'] };
    if (cluster) {
      try {
        const answer = answerGet(cluster, `/${rest.join('/')}`.replace(/^\/v1(?=\/)/, ''), url.searchParams);
        status = answer.status;
        body = answer.body;
      } catch (error) {
        status = 500;
        body = { errors: [(error as Error).message] };
      }
    }
    const text = JSON.stringify(body, (_k, v) =>
      typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
    );
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clusters,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The Kubernetes emulator in front of the simulator's jobs: a FlinkDeployment named after a job
 * runs that simulated cluster (its status carries the cluster's job id). With `applyOverrides`, a
 * spec whose parallelism overrides changed restarts the cluster at them, as the operator applies
 * them; without, the jobs keep their parallelism (steady-state measurements).
 */
export async function startMultiJobEmulator(
  sim: MultiJobSimulator,
  options: { readonly token: string; readonly startTimeMs: number; readonly applyOverrides: boolean },
): Promise<KubernetesEmulator> {
  return startKubernetesEmulator({
    token: options.token,
    restartDelayMs: 20_000,
    startTimeMs: options.startTimeMs,
    onSpecApplied: (resource) => {
      const cluster = sim.clusters.get(String((resource.metadata as { name?: string }).name));
      if (!cluster) return {};
      const overrides = options.applyOverrides ? parallelismOverridesOf(resource) : undefined;
      return { jobId: overrides ? cluster.applyParallelism(overrides).jobId : cluster.jobId };
    },
  });
}
