import { type Command, InvalidArgumentError } from 'commander';
import { FlinkRestMetricsSource } from '../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { createClusterAdapters } from '../../lib/adapters/kubernetes/cluster-adapters.ts';
import { RecentEmissions } from '../../lib/adapters/state/recent-emissions.ts';
import { EksClusterInfoSource } from '../../lib/adapters/kubernetes/auth/eks-cluster-info.ts';
import { createEksKubernetesClient } from '../../lib/adapters/kubernetes/auth/eks-kubernetes-client.ts';
import { kubernetesClientFromKubeconfig } from '../../lib/adapters/kubernetes/auth/kubeconfig.ts';
import type { KubernetesClient } from '../../lib/adapters/kubernetes/kubernetes-client.ts';
import { InMemoryStateStore } from '../../lib/adapters/memory/in-memory-state-store.ts';
import { systemClock } from '../../lib/adapters/clock/system-clock.ts';
import type { CycleResult } from '../../lib/cycle/cycle-result.ts';
import {
  type CycleProcessParts,
  composeCycleDependencies,
} from '../../lib/cycle/compose-cycle-dependencies.ts';
import { type CycleLogger, runCycle } from '../../lib/cycle/run-cycle.ts';
import { parseDurationMs } from '../../lib/config/index.ts';
import { formatJobKey, type JobKey } from '../../lib/domain/index.ts';
import { loadModulePolicyHook } from '../../lib/adapters/policy/module-policy-hook.ts';
import type { MetricsReporter } from '../../lib/ports/metrics-reporter.ts';
import type { StateStore } from '../../lib/ports/state-store.ts';
import { toJsonText } from '../format/json-text.ts';
import { priceWords } from '../../lib/report/job-status.ts';
import { textTable } from '../format/text-table.ts';
import { openTableStore } from './state.ts';

interface RunOptions {
  readonly once?: boolean;
  readonly interval: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly eksCluster?: string;
  readonly region?: string;
  readonly clusterName?: string;
  readonly namespace: string[];
  readonly table?: string;
  readonly endpoint?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
  readonly policyModule?: string;
  readonly policyFailureMode: string;
  /** Deployment-wide flinkConfiguration defaults from `--default key=value`. */
  readonly default: Record<string, string>;
}

/**
 * Collects one `--default key=value` into the defaults given so far (the last value of a key wins,
 * as in a flinkConfiguration). The key must be non-empty; the value may be empty or hold `=`.
 */
export function parseDefaultOption(
  argument: string,
  defaults: Record<string, string>,
): Record<string, string> {
  const at = argument.indexOf('=');
  const key = at < 0 ? '' : argument.slice(0, at).trim();
  if (key === '') {
    throw new InvalidArgumentError(
      `'${argument}' is not key=value (e.g. --default job.autoscaler.utilization.target=0.7).`,
    );
  }
  return { ...defaults, [key]: argument.slice(at + 1).trim() };
}

/**
 * `fsa run`: the worker's run-cycle from the command line, for every opted-in job of one cluster
 * (a kubeconfig or an EKS cluster), with state in a DynamoDB table (the Lambda's or a local one)
 * or in memory. Exactly the code path of the scale-job Lambda; only the adapters are built here.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description(
      'Run autoscaler cycles for every opted-in job of a cluster (the Lambda worker, from the CLI)',
    )
    .option('--once', 'run one cycle per job and exit (default: repeat every --interval until interrupted)')
    .option(
      '--interval <duration>',
      'time between cycles; with --once, how often you run it (the metric window may start up to 3 intervals before its nominal start)',
      '1 min',
    )
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (token, client certificate or exec plugin)')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--eks-cluster <name>', 'EKS cluster name: endpoint and CA from DescribeCluster, IAM token')
    .option('--region <region>', 'AWS region of the EKS cluster and the table (default: AWS_REGION)')
    .option(
      '--cluster-name <name>',
      'logical cluster name in job keys (default: EKS name, context, or "local")',
    )
    .option(
      '--namespace <ns>',
      'namespace to watch (repeatable; default: all)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option(
      '--table <name>',
      'DynamoDB state table (default: in-memory state, lost at exit)',
      process.env['FSA_TABLE'],
    )
    .option('--endpoint <url>', 'DynamoDB endpoint for a local table, e.g. http://127.0.0.1:8000')
    .option('--policy-module <file>', 'policy hook module reviewing every change before it is applied')
    .option(
      '--policy-failure-mode <mode>',
      'fail-closed (default) or fail-open when the hook errors or times out',
      'fail-closed',
    )
    .option(
      '--default <key=value>',
      'deployment-wide flinkConfiguration default (repeatable); a resource\'s own keys take precedence',
      parseDefaultOption,
      {},
    )
    .option('--json', 'print the cycle results as JSON')
    .option(
      '--verbose',
      'log every cycle step to stderr, with each job\'s evaluation (the per-job metrics the Lambda sends to CloudWatch)',
    )
    .action(runCommand);
}

/**
 * Runs the cycles: one round over every opted-in job, then (without --once) again every
 * --interval. All rounds share the cluster's adapters and the process-wide parts; each round is one
 * run, assembled by the composition root as in the Lambda. Jobs run one after another, so this
 * process never has two cycles of one job at once; next to a deployment (or another `fsa run` on
 * the same table) the conditional state write lets only one of two overlapping cycles act
 * (docs/architecture.md "Job queue").
 */
async function runCommand(options: RunOptions): Promise<void> {
  const intervalMs = parseDurationMs(options.interval);
  if (!(intervalMs > 0))
    throw new Error(`--interval must be a positive duration, got '${options.interval}'`);
  const { client, cluster } = await connect(options);
  const store: StateStore = options.table
    ? openTableStore({
        table: options.table,
        ...(options.region ? { region: options.region } : {}),
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      })
    : new InMemoryStateStore();
  const adapters = createClusterAdapters(client, {
    cluster,
    ...(options.namespace.length > 0 ? { namespaces: options.namespace } : {}),
    clock: systemClock,
    reportingInstance: 'fsa-cli',
  });
  if (options.policyFailureMode !== 'fail-closed' && options.policyFailureMode !== 'fail-open') {
    throw new Error(
      `--policy-failure-mode must be fail-closed or fail-open, got '${options.policyFailureMode}'`,
    );
  }
  const policy = options.policyModule
    ? await loadModulePolicyHook(options.policyModule, { failureMode: options.policyFailureMode })
    : undefined;
  const metrics = new FlinkRestMetricsSource();
  const logger = options.verbose ? stderrLogger() : undefined;
  // Without --verbose there is nowhere to report per-job metrics to: no reporter.
  const reporter = logger ? loggingMetricsReporter(logger) : undefined;
  const parts: CycleProcessParts = {
    store,
    metrics,
    clock: systemClock,
    cadenceMs: intervalMs,
    deploymentDefaults: options.default,
    recentEmissions: new RecentEmissions(),
    ...(logger ? { logger } : {}),
    ...(reporter ? { reporter } : {}),
    ...(policy ? { policy } : {}),
  };
  // Ctrl-C between or during rounds: the running job's cycle finishes (a cycle killed between its
  // patch and its state write would be redone by the next run, but a clean stop needs no redo), the
  // loop ends and the connections close. A second Ctrl-C exits at once.
  const stop = stopSignal();
  try {
    for (let round = 1; !stop.requested; round++) {
      const jobs = await adapters.discovery.listManagedJobs();
      const results: { job: string; result: CycleResult }[] = [];
      const deps = composeCycleDependencies(adapters, parts, `fsa-cli-${process.pid}-${round}`);
      for (const job of jobs) {
        if (stop.requested) break;
        const result = await runCycle(deps, job.key);
        results.push({ job: formatJobKey(job.key), result });
      }
      print(results, options.json === true);
      if (options.once) break;
      await stop.sleep(intervalMs);
    }
  } finally {
    stop.dispose();
    await metrics.close();
    await client.close();
  }
}

/** Cluster access from `--kubeconfig`/`--context` or `--eks-cluster`/`--region`. */
export async function connect(
  options: Pick<RunOptions, 'kubeconfig' | 'context' | 'eksCluster' | 'region' | 'clusterName'>,
): Promise<{ client: KubernetesClient; cluster: string }> {
  if (!options.kubeconfig === !options.eksCluster) {
    throw new Error('give exactly one of --kubeconfig <file> or --eks-cluster <name>');
  }
  if (options.kubeconfig) {
    const { client, connection } = await kubernetesClientFromKubeconfig(options.kubeconfig, {
      ...(options.context ? { context: options.context } : {}),
    });
    return { client, cluster: options.clusterName ?? clusterNameFromContext(connection.contextName) };
  }
  const region = options.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'];
  if (!region) throw new Error('--eks-cluster needs --region or AWS_REGION');
  const { EKSClient } = await import('@aws-sdk/client-eks');
  const { client } = await createEksKubernetesClient({
    clusterName: options.eksCluster as string,
    region,
    clusterInfo: new EksClusterInfoSource(new EKSClient({ region })),
  });
  return { client, cluster: options.clusterName ?? (options.eksCluster as string) };
}

/**
 * A job-key cluster name from a kubeconfig context: EKS contexts are ARNs
 * (`arn:aws:eks:<region>:<account>:cluster/<name>`), so the last path segment is used, with
 * characters a cluster name cannot hold replaced by `-`.
 */
export function clusterNameFromContext(context: string): string {
  const last = context.split('/').at(-1) ?? context;
  const cleaned = last
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, 100);
  return cleaned === '' ? 'local' : cleaned;
}

function print(results: readonly { job: string; result: CycleResult }[], json: boolean): void {
  if (json) {
    console.log(toJsonText(results));
    return;
  }
  if (results.length === 0) {
    console.log('No opted-in jobs (label flink-serverless-autoscaler/enabled=true) found.');
    return;
  }
  console.log(
    textTable(
      ['job', 'outcome', 'decision', 'price', 'applied', 'reason'],
      results.map(({ job, result }) => [
        job,
        result.outcome,
        result.decision?.action ?? '–',
        result.decision?.price ? priceWords(result.decision.price) : '–',
        result.realized ? `${result.realized.outcome} (${result.realized.upgradePath})` : '–',
        result.reason.length > 100 ? `${result.reason.slice(0, 99)}…` : result.reason,
      ]),
    ),
  );
}

function stderrLogger(): CycleLogger {
  const write = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    process.stderr.write(`${level} ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}\n`);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * Per-job metrics as debug log lines (`fsa run --verbose`): the decision per vertex and the time
 * since the previous evaluation, where the Lambda sends EMF documents to CloudWatch. EMF on stdout
 * would mix with the results table, so the CLI logs a summary instead.
 */
export function loggingMetricsReporter(logger: CycleLogger): MetricsReporter {
  return {
    reportEvaluation(jobKey, evaluated, decision, extras = {}) {
      logger.debug('evaluation', {
        job: formatJobKey(jobKey),
        action: decision.action,
        vertices: decision.vertices.map((v) => ({
          vertex: v.vertexId,
          ...(v.vertexName !== undefined ? { name: v.vertexName } : {}),
          parallelism: v.currentParallelism,
          recommended: v.recommendedParallelism,
        })),
        evaluated: evaluated !== undefined,
        ...(extras.evaluationAgeSeconds !== undefined
          ? { evaluationAgeSeconds: extras.evaluationAgeSeconds }
          : {}),
        ...(extras.memoryPlan ? { memoryPlan: true } : {}),
      });
    },
    reportJobError(jobKey: JobKey) {
      logger.debug('job error', { job: formatJobKey(jobKey) });
    },
  };
}

/** A SIGINT/SIGTERM flag for the `fsa run` loop, with a sleep that the signal cuts short. */
interface StopSignal {
  readonly requested: boolean;
  sleep(ms: number): Promise<void>;
  dispose(): void;
}

function stopSignal(): StopSignal {
  let requested = false;
  let wake: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) process.exit(130);
    requested = true;
    process.stderr.write(`\n${signal}: stopping after the running cycle (again to exit at once)\n`);
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get requested() {
      return requested;
    },
    sleep: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
