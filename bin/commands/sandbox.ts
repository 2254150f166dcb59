import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { parseDurationMs } from '../../lib/config/index.ts';
import { type Sandbox, type SandboxJob, startSandbox } from '../../sim/sandbox/sandbox.ts';
import { resourceNameOf } from '../../sim/sandbox/sandbox-deployment.ts';
import { loadWorldScenario } from '../../sim/world/world-scenario.ts';

/** The demo's scenario (Kafka → parse → keyBy window → sink). */
export const SANDBOX_DEFAULT_SCENARIO = join(
  import.meta.dirname,
  '..',
  '..',
  'sim',
  'scenarios',
  'default.yaml',
);

interface SandboxCliOptions {
  readonly scenario: string[];
  readonly set: string[];
  readonly upgradeMode: string[];
  readonly annotate: string[];
  readonly kubeconfigOut: string;
  readonly table: string;
  readonly operatorDelay: string;
  readonly plainHttp?: boolean;
  readonly json?: boolean;
}

const collect = (value: string, all: string[]) => [...all, value];

/** `[<job>:]<rest>` → job (or undefined = every job) and rest. */
function scoped(text: string): { job: string | undefined; rest: string } {
  const colon = text.indexOf(':');
  const equals = text.indexOf('=');
  if (colon > 0 && (equals < 0 || colon < equals))
    return { job: text.slice(0, colon), rest: text.slice(colon + 1) };
  return { job: undefined, rest: text };
}

/** `key=value` → [key, value]. */
function keyValue(text: string, option: string): [string, string] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new Error(`${option} needs [<job>:]<key>=<value>, got '${text}'`);
  return [text.slice(0, equals).trim(), text.slice(equals + 1)];
}

/** Builds the sandbox's jobs from the CLI options. */
export async function sandboxJobsFromOptions(
  options: Pick<SandboxCliOptions, 'scenario' | 'set' | 'upgradeMode' | 'annotate'>,
): Promise<{
  jobs: SandboxJob[];
  flinkConfiguration: Record<string, string>;
}> {
  const specs = options.scenario.length > 0 ? options.scenario : [SANDBOX_DEFAULT_SCENARIO];
  const jobs: Array<{ name: string; path: string }> = [];
  for (const spec of specs) {
    // `<name>=<file>` names the resource; a plain file uses the scenario's name.
    const equals = spec.indexOf('=');
    const named = equals > 0 && /^[a-z0-9-]+$/.test(spec.slice(0, equals));
    jobs.push({
      name: named ? spec.slice(0, equals) : '',
      path: resolve(named ? spec.slice(equals + 1) : spec),
    });
  }
  const loaded = await Promise.all(jobs.map((j) => loadWorldScenario(j.path)));
  const names = jobs.map((j, i) => j.name || resourceNameOf(loaded[i]!.simulator.name));
  const known = new Set(names);
  const jobOf = (job: string | undefined, option: string) => {
    if (job !== undefined && !known.has(job))
      throw new Error(`${option}: no sandbox job named '${job}' (jobs: ${names.join(', ')})`);
    return job;
  };
  const everyJob: Record<string, string> = {};
  interface PerJob {
    config: Record<string, string>;
    annotations: Record<string, string>;
    upgradeMode?: string;
  }
  const perJob = new Map<string, PerJob>(names.map((n) => [n, { config: {}, annotations: {} }]));
  for (const text of options.set) {
    const { job, rest } = scoped(text);
    const [key, value] = keyValue(rest, '--set');
    if (jobOf(job, '--set') === undefined) everyJob[key] = value;
    else perJob.get(job!)!.config[key] = value;
  }
  for (const text of options.annotate) {
    const { job, rest } = scoped(text);
    const [key, value] = keyValue(rest, '--annotate');
    for (const name of jobOf(job, '--annotate') === undefined ? names : [job!])
      perJob.get(name)!.annotations[key] = value;
  }
  for (const text of options.upgradeMode) {
    const { job, rest } = scoped(text);
    if (!['stateless', 'last-state', 'savepoint'].includes(rest))
      throw new Error(`--upgrade-mode must be stateless, last-state or savepoint, got '${rest}'`);
    for (const name of jobOf(job, '--upgrade-mode') === undefined ? names : [job!])
      perJob.get(name)!.upgradeMode = rest;
  }
  return {
    flinkConfiguration: everyJob,
    jobs: names.map((name, i) => {
      const own = perJob.get(name)!;
      return {
        scenario: loaded[i]!,
        name,
        flinkConfiguration: own.config,
        annotations: own.annotations,
        ...(own.upgradeMode ? { upgradeMode: own.upgradeMode } : {}),
      };
    }),
  };
}

function tryCommands(sandbox: Sandbox, kubeconfigPath: string): string {
  const first = sandbox.status().jobs[0];
  const resource = `${sandbox.namespace}/${first?.name ?? '<name>'}`;
  const table = `--table ${sandbox.tableName} --endpoint ${sandbox.dynamoEndpoint}`;
  return [
    `  fsa run --kubeconfig ${kubeconfigPath} ${table} --interval 1min   # until Ctrl-C; --once: one cycle`,
    `  fsa status ${table}`,
    `  fsa recommend ${resource} --kubeconfig ${kubeconfigPath} ${table}`,
    `  fsa events ${first?.jobKey ?? '<job>'} ${table}`,
    // kubectl sends no bearer token over plain HTTP (--plain-http)
    ...(sandbox.emulatorUrl.startsWith('https:')
      ? [
          `  kubectl --kubeconfig ${kubeconfigPath} get flinkdeployments`,
          `  kubectl --kubeconfig ${kubeconfigPath} describe flinkdeployment ${first?.name ?? '<name>'}`,
        ]
      : []),
    `  curl ${sandbox.statusUrl}      # parallelism, oracle and rescales per job`,
  ].join('\n');
}

/**
 * `fsa sandbox`: the simulated cluster of the local world served on the real clock until Ctrl-C,
 * with a kubeconfig for `fsa run` / `fsa recommend` / kubectl and the DynamoDB state table.
 */
export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description(
      'Serve a simulated EKS cluster (Kubernetes API + Flink operator, Flink jobs, DynamoDB) on the real clock, to try fsa run/status/recommend/events and kubectl without a cluster',
    )
    .option(
      '--scenario <[name=]file>',
      'scenario of a job (repeatable: one job each; default: the demo, sim/scenarios/default.yaml)',
      collect,
      [],
    )
    .option(
      '--set <[job:]key=value>',
      'add a flinkConfiguration key to every job (or to one job), e.g. job.autoscaler.metrics.window=2min',
      collect,
      [],
    )
    .option(
      '--upgrade-mode <[job:]mode>',
      'spec.job.upgradeMode: stateless, last-state (default) or savepoint',
      collect,
      [],
    )
    .option('--annotate <[job:]key=value>', 'add an annotation to every job (or to one job)', collect, [])
    .option('--kubeconfig-out <file>', 'where to write the kubeconfig', 'sandbox.kubeconfig')
    .option('--table <name>', 'DynamoDB state table to create', 'fsa-sandbox')
    .option('--operator-delay <duration>', 'time the operator takes to roll out a spec change', '5s')
    .option(
      '--plain-http',
      'serve the Kubernetes API over plain HTTP (no openssl needed; fsa works, kubectl sends no token)',
    )
    .option('--json', 'print one JSON line with the URLs (for scripts and tests) instead of the text')
    .action(async (options: SandboxCliOptions) => {
      const operatorDelayMs = parseDurationMs(options.operatorDelay);
      if (!(operatorDelayMs >= 0))
        throw new Error(`--operator-delay must be a duration, got '${options.operatorDelay}'`);
      const { jobs, flinkConfiguration } = await sandboxJobsFromOptions(options);
      const sandbox = await startSandbox({
        jobs,
        flinkConfiguration,
        tableName: options.table,
        operatorDelayMs,
        tls: options.plainHttp !== true,
      });
      const kubeconfigPath = resolve(options.kubeconfigOut);
      try {
        await sandbox.writeKubeconfig(kubeconfigPath);
      } catch (error) {
        await sandbox.close();
        throw error;
      }
      const stopped = new Promise<string>((resolveSignal) => {
        process.once('SIGINT', () => resolveSignal('SIGINT'));
        process.once('SIGTERM', () => resolveSignal('SIGTERM'));
      });
      if (options.json) {
        console.log(
          JSON.stringify({
            kubernetesUrl: sandbox.emulatorUrl,
            kubeconfig: kubeconfigPath,
            dynamoEndpoint: sandbox.dynamoEndpoint,
            table: sandbox.tableName,
            statusUrl: sandbox.statusUrl,
            cluster: sandbox.clusterName,
            namespace: sandbox.namespace,
            jobs: sandbox.status().jobs.map((j) => j.jobKey),
          }),
        );
      } else {
        console.log(
          [
            'fsa sandbox: a simulated cluster on the real clock (Ctrl-C to stop)',
            `  Kubernetes API   ${sandbox.emulatorUrl}  (kubeconfig: ${kubeconfigPath})`,
            `  DynamoDB         ${sandbox.dynamoEndpoint}  table ${sandbox.tableName}`,
            `  status           ${sandbox.statusUrl}`,
            `  jobs             ${sandbox
              .status()
              .jobs.map((j) => j.jobKey)
              .join(', ')}`,
            '',
            'Try from another terminal:',
            tryCommands(sandbox, kubeconfigPath),
          ].join('\n'),
        );
      }
      const signal = await stopped;
      process.stderr.write(`fsa sandbox: ${signal}, shutting down\n`);
      await sandbox.close();
    });
}
