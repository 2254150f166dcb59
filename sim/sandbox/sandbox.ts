/**
 * The sandbox: the local world's simulated cluster served on 127.0.0.1 on the REAL clock, for a
 * user (or an end-to-end test) to point the real `fsa` and `kubectl` at. Nothing of the
 * autoscaler runs here: `fsa run` is started from another terminal.
 *
 * - one Kubernetes API emulator with the Flink operator's behaviour, holding one opted-in
 *   FlinkDeployment per job (bearer-token auth, as in the local world);
 * - one Flink simulator per job, reached through the emulator's service proxy
 *   (`<name>-rest`), exactly as the CLI reaches a real JobManager;
 * - dynalite with the state table created;
 * - a timer that advances the emulator's and the simulators' virtual time by the elapsed wall
 *   time, so virtual time IS wall time (every scenario starts at the sandbox's start);
 * - a small read-only status server (`GET /sandbox`): per job the current parallelism per vertex,
 *   the oracle (sim/world/oracle.ts) and the number of rescales the operator applied.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { stringify as toYaml } from 'yaml';
import { createStateTable } from '../../lib/adapters/dynamodb/create-state-table.ts';
import { resolveOptions } from '../../lib/config/index.ts';
import { localDynamoClients, startDynalite } from '../dynalite-server.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../flink-simulator/flink-simulator.ts';
import {
  type KubernetesEmulator,
  parallelismOverridesOf,
  startKubernetesEmulator,
} from '../kubernetes-emulator/index.ts';
import { oracleParallelism } from '../world/oracle.ts';
import { createSandboxCertificates, type SandboxCertificates } from './sandbox-certificates.ts';
import type { WorldScenario } from '../world/world-scenario.ts';
import {
  SANDBOX_NAMESPACE,
  type SandboxDeploymentOptions,
  sandboxFlinkDeployment,
} from './sandbox-deployment.ts';

/** One job of the sandbox: a scenario plus per-job resource choices. */
export interface SandboxJob extends SandboxDeploymentOptions {
  readonly scenario: WorldScenario;
}

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  readonly jobs: readonly SandboxJob[];
  /** flinkConfiguration keys added to every job's resource (`--set`), before per-job keys. */
  readonly flinkConfiguration?: Readonly<Record<string, string>>;
  /** DynamoDB state table. @default "fsa-sandbox" */
  readonly tableName?: string;
  /** Bearer token of the emulator. @default random */
  readonly token?: string;
  /** Wall ms the operator takes to roll out a spec change. @default 5 000 */
  readonly operatorDelayMs?: number;
  /** How often virtual time catches up with the wall clock, ms. @default 200 */
  readonly followMs?: number;
  /** Fixed ports (0 = any free one). */
  readonly ports?: { readonly emulator?: number; readonly dynamodb?: number; readonly status?: number };
  /**
   * Serve the Kubernetes API over HTTPS with a throw-away CA (the kubeconfig carries it), as
   * kubectl sends no token over plain HTTP. `false`: plain HTTP (fsa accepts it, kubectl does not).
   * @default true (needs the openssl CLI)
   */
  readonly tls?: boolean;
  /** The wall clock. @default Date.now */
  readonly nowMs?: () => number;
}

/** One job in {@link SandboxStatus}. */
export interface SandboxJobStatus {
  readonly name: string;
  readonly namespace: string;
  /** The job key `fsa run --kubeconfig <sandbox.kubeconfig>` uses (`sandbox/<ns>/FlinkDeployment/<name>`). */
  readonly jobKey: string;
  readonly upgradeMode: string;
  readonly jobState: string | undefined;
  readonly lifecycleState: string | undefined;
  /** Simulated job state (RUNNING, RESTARTING, …). */
  readonly simulatorState: string;
  /** Current parallelism per vertex (scenario keys). */
  readonly parallelism: Readonly<Record<string, number>>;
  /** The oracle per vertex at this moment. */
  readonly oracle: Readonly<Record<string, number>>;
  /** Rescales the operator applied since the first deploy. */
  readonly rescales: number;
}

/** What `GET /sandbox` answers. */
export interface SandboxStatus {
  readonly nowMs: number;
  readonly startedAtMs: number;
  readonly jobs: readonly SandboxJobStatus[];
}

/** A running sandbox. */
export interface Sandbox {
  readonly emulatorUrl: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly token: string;
  readonly namespace: string;
  /** `http://127.0.0.1:<port>/sandbox`. */
  readonly statusUrl: string;
  /** Cluster name `fsa run` derives from the kubeconfig's context. */
  readonly clusterName: string;
  readonly emulator: KubernetesEmulator;
  status(): SandboxStatus;
  /** The kubeconfig text: server = emulator URL, user = the bearer token. */
  kubeconfig(): string;
  /** Writes {@link kubeconfig} to a file (mode 0600: it holds the token). */
  writeKubeconfig(path: string): Promise<void>;
  /** Stops the timer and every server. Idempotent. */
  close(): Promise<void>;
}

interface RunningJob {
  readonly name: string;
  readonly scenario: WorldScenario;
  readonly simulator: FlinkSimulator;
  readonly upgradeMode: string;
  readonly utilizationTarget: number;
  deployed: boolean;
  rescales: number;
}

/** The kubeconfig context (and so the job keys' cluster name) of the sandbox. */
export const SANDBOX_CONTEXT = 'sandbox';

/** Starts everything; call `close()` to stop. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  if (options.jobs.length === 0) throw new Error('the sandbox needs at least one job');
  const now = options.nowMs ?? Date.now;
  const startedAtMs = now();
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tableName = options.tableName ?? 'fsa-sandbox';
  const closers: Array<() => Promise<void>> = [];
  let closed = false;
  const closeAll = async () => {
    if (closed) return;
    closed = true;
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };

  try {
    const jobs = new Map<string, RunningJob>();
    const deployments: Record<string, unknown>[] = [];
    for (const job of options.jobs) {
      const deployment = sandboxFlinkDeployment(job.scenario, {
        ...job,
        flinkConfiguration: { ...options.flinkConfiguration, ...job.flinkConfiguration },
      });
      const name = (deployment['metadata'] as { name: string }).name;
      if (jobs.has(name)) throw new Error(`two sandbox jobs are named '${name}' (give each its own name)`);
      // Virtual time is wall time: the scenario's load profile starts now.
      const simulator = await startFlinkSimulator({
        scenario: { ...job.scenario.simulator, startTimeMs: startedAtMs },
        recordRequests: false,
      });
      closers.push(() => simulator.close());
      const spec = deployment['spec'] as { flinkConfiguration: Record<string, string>; job: { upgradeMode: string } };
      jobs.set(name, {
        name,
        scenario: job.scenario,
        simulator,
        upgradeMode: spec.job.upgradeMode,
        utilizationTarget: resolveOptions({}, spec.flinkConfiguration).options.utilizationTarget,
        deployed: false,
        rescales: 0,
      });
      deployments.push(deployment);
    }

    const certificates: SandboxCertificates | undefined =
      options.tls === false ? undefined : createSandboxCertificates();
    const emulator = await startKubernetesEmulator({
      token,
      recordRequests: false,
      ...(certificates ? { tls: { certPem: certificates.serverCertPem, keyPem: certificates.serverKeyPem } } : {}),
      startTimeMs: startedAtMs,
      restartDelayMs: options.operatorDelayMs ?? 5_000,
      ...(options.ports?.emulator !== undefined ? { port: options.ports.emulator } : {}),
      onSpecApplied: (resource) => {
        const job = jobs.get(resource.metadata.name);
        if (!job) return undefined;
        job.simulator.setTime(Math.max(job.simulator.nowMs(), emulator.nowMs()));
        if (!job.deployed) {
          // The first deploy finds the job running with the scenario's parallelism.
          job.deployed = true;
          return { jobId: job.simulator.jobId };
        }
        job.rescales += 1;
        return { jobId: job.simulator.applyParallelism(parallelismOverridesOf(resource) ?? {}).jobId };
      },
    });
    closers.push(() => emulator.close());
    for (const deployment of deployments) {
      const name = (deployment['metadata'] as { name: string }).name;
      emulator.setProxyTarget(SANDBOX_NAMESPACE, `${name}-rest`, jobs.get(name)!.simulator.url);
      emulator.apply(deployment);
    }

    const dynalite = await startDynalite(options.ports?.dynamodb ?? 0);
    closers.push(() => dynalite.close());
    const { client } = localDynamoClients(dynalite.endpoint);
    try {
      await createStateTable(client, tableName);
    } finally {
      client.destroy();
    }

    // Virtual time follows the wall clock; one step at a time (a rollout's hook may be async).
    let stepping: Promise<void> | undefined;
    const follow = async () => {
      const wall = now();
      const elapsed = wall - emulator.nowMs();
      if (elapsed > 0) await emulator.advance(elapsed);
      for (const job of jobs.values()) {
        if (job.simulator.nowMs() < wall) job.simulator.setTime(wall);
      }
    };
    const timer = setInterval(() => {
      if (stepping) return;
      stepping = follow()
        .catch((error: unknown) => process.emitWarning(`sandbox: advancing time failed: ${String(error)}`))
        .finally(() => {
          stepping = undefined;
        });
    }, options.followMs ?? 200);
    closers.push(async () => {
      clearInterval(timer);
      await stepping;
    });
    await follow();

    const status = (): SandboxStatus => {
      const nowMs = now();
      return {
        nowMs,
        startedAtMs,
        jobs: [...jobs.values()].map((job) => {
          const sim = job.scenario.simulator;
          const oracle = oracleParallelism(sim, Math.max(0, job.simulator.nowMs() - startedAtMs), {
            utilizationTarget: job.utilizationTarget,
          });
          const resource = emulator.get('FlinkDeployment', SANDBOX_NAMESPACE, job.name);
          const resourceStatus = resource?.status as
            | { jobStatus?: { state?: string }; lifecycleState?: string }
            | undefined;
          return {
            name: job.name,
            namespace: SANDBOX_NAMESPACE,
            jobKey: `${SANDBOX_CONTEXT}/${SANDBOX_NAMESPACE}/FlinkDeployment/${job.name}`,
            upgradeMode: job.upgradeMode,
            jobState: resourceStatus?.jobStatus?.state,
            lifecycleState: resourceStatus?.lifecycleState,
            simulatorState: job.simulator.cluster.state,
            parallelism: Object.fromEntries(
              sim.vertices.map((v) => [v.key, job.simulator.cluster.parallelismOf(v.key)]),
            ),
            oracle: oracle.parallelism,
            rescales: job.rescales,
          };
        }),
      };
    };

    const statusServer: Server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (req.method !== 'GET' || path !== '/sandbox') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'only GET /sandbox is served' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status()));
    });
    await new Promise<void>((resolve, reject) => {
      statusServer.once('error', reject);
      statusServer.listen(options.ports?.status ?? 0, '127.0.0.1', () => resolve());
    });
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          statusServer.closeAllConnections();
          statusServer.close(() => resolve());
        }),
    );
    const statusPort = (statusServer.address() as AddressInfo).port;

    const kubeconfig = (): string =>
      toYaml({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: SANDBOX_CONTEXT,
            cluster: {
              server: emulator.url,
              ...(certificates
                ? { 'certificate-authority-data': Buffer.from(certificates.caPem).toString('base64') }
                : {}),
            },
          },
        ],
        users: [{ name: SANDBOX_CONTEXT, user: { token } }],
        contexts: [
          {
            name: SANDBOX_CONTEXT,
            context: { cluster: SANDBOX_CONTEXT, user: SANDBOX_CONTEXT, namespace: SANDBOX_NAMESPACE },
          },
        ],
        'current-context': SANDBOX_CONTEXT,
      });

    return {
      emulatorUrl: emulator.url,
      dynamoEndpoint: dynalite.endpoint,
      tableName,
      token,
      namespace: SANDBOX_NAMESPACE,
      statusUrl: `http://127.0.0.1:${statusPort}/sandbox`,
      clusterName: SANDBOX_CONTEXT,
      emulator,
      status,
      kubeconfig,
      writeKubeconfig: (path) => writeFile(path, kubeconfig(), { mode: 0o600 }),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
