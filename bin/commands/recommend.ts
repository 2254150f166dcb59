import type { Command } from 'commander';
import { FlinkRestMetricsSource } from '../../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { createClusterAdapters } from '../../lib/adapters/kubernetes/cluster-adapters.ts';
import { parseNamespacedName } from '../../lib/adapters/kubernetes/resource-names.ts';
import { systemClock } from '../../lib/adapters/clock/system-clock.ts';
import { parseDurationMs, resolveOptions } from '../../lib/config/index.ts';
import { emptyJobState, type JobKey, MANAGED_LABEL, type MetricSample } from '../../lib/domain/index.ts';
import { decide } from '../../lib/decide/decide.ts';
import type { Clock } from '../../lib/ports/clock.ts';
import { decisionText } from '../format/decision-text.ts';
import { toJsonText } from '../format/json-text.ts';
import { parseResourceKindOption } from './resource-kind-option.ts';
import { connect } from './run.ts';
import { openTableStore } from './state.ts';

interface RecommendOptions {
  readonly kind: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly eksCluster?: string;
  readonly region?: string;
  readonly clusterName?: string;
  readonly table?: string;
  readonly endpoint?: string;
  readonly samples: string;
  readonly interval: string;
  readonly json?: boolean;
}


/**
 * `fsa recommend <ns/name>`: what the autoscaler would decide for a live job now — a dry run that
 * writes nothing to the cluster or the table. With `--table` it uses the job's stored metric window
 * and state; without, it collects `--samples` observations `--interval` apart and evaluates them
 * as a window of that length.
 */
export function registerRecommendCommand(
  program: Command,
  runtime: { clock: Clock; sleep: (ms: number) => Promise<void> } = {
    clock: systemClock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): void {
  program
    .command('recommend')
    .description('Dry run: evaluate a live job and print the decision it would get (nothing is written)')
    .argument('<resource>', 'namespace/name of the FlinkDeployment or FlinkSessionJob')
    .option('--kind <kind>', 'FlinkDeployment or FlinkSessionJob', 'FlinkDeployment')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--eks-cluster <name>', 'EKS cluster name (endpoint and CA from DescribeCluster, IAM token)')
    .option('--region <region>', 'AWS region (default: AWS_REGION)')
    .option('--cluster-name <name>', 'logical cluster name of the job key (to find stored state)')
    .option('--table <name>', 'read the stored metric window and state from this DynamoDB table')
    .option('--endpoint <url>', 'DynamoDB endpoint for a local table')
    .option('--samples <n>', 'observations to collect when no table is given (2-60)', '3')
    .option('--interval <duration>', 'time between collected observations', '15 s')
    .option('--json', 'print the decision, report and memory plan as JSON')
    .action(async (resource: string, options: RecommendOptions) => {
      const kind = parseResourceKindOption(options.kind);
      const sampleCount = Number(options.samples);
      if (!Number.isInteger(sampleCount) || sampleCount < 2 || sampleCount > 60) {
        throw new Error(`--samples must be a whole number from 2 to 60, got '${options.samples}'`);
      }
      const intervalMs = parseDurationMs(options.interval);
      if (!(intervalMs >= 1000))
        throw new Error(`--interval must be at least 1 s, got '${options.interval}'`);
      const { namespace, name } = parseNamespacedName(resource);
      const { client, cluster } = await connect(options);
      const adapters = createClusterAdapters(client, { cluster, clock: runtime.clock });
      const metrics = new FlinkRestMetricsSource();
      try {
        const key: JobKey = { cluster, namespace, kind, name };
        const job = await adapters.discovery.getJob(key);
        if (!job)
          throw new Error(
            `${kind} ${namespace}/${name} was not found or is not labelled ${MANAGED_LABEL}=true`,
          );
        if (!job.readiness.ready)
          throw new Error(`${kind} ${namespace}/${name} is not ready to evaluate: ${job.readiness.reason}`);
        const stored = options.table
          ? await openTableStore({
              table: options.table,
              ...(options.region ? { region: options.region } : {}),
              ...(options.endpoint ? { endpoint: options.endpoint } : {}),
            }).load(key, { sinceMs: 0 })
          : undefined;
        // Without stored history the window is what we collect now: no stabilization wait.
        const dryRunOverrides = stored
          ? {}
          : {
              'job.autoscaler.metrics.window': `${(sampleCount - 1) * intervalMs} ms`,
              'job.autoscaler.stabilization.interval': '0 ms',
            };
        const { options: autoscalerOptions } = resolveOptions(job.flinkConfiguration, dryRunOverrides);
        const target = await adapters.restTarget(job);
        let samples: MetricSample[] = stored ? [...stored.samples] : [];
        let state = stored?.state ?? emptyJobState();
        const rounds = stored ? 1 : sampleCount;
        let output: ReturnType<typeof decide> | undefined;
        for (let round = 0; round < rounds; round++) {
          if (round > 0) await runtime.sleep(intervalMs);
          const nowMs = runtime.clock.nowMs();
          const raw = await metrics.collect(target, autoscalerOptions, nowMs);
          output = decide({
            options: autoscalerOptions,
            raw,
            samples,
            state,
            nowMs,
            ...(job.taskManager ? { taskManager: job.taskManager } : {}),
            memoryTuning: job.memoryTuning,
          });
          samples = output.samples;
          state = output.state;
        }
        if (!output) return;
        console.log(
          options.json
            ? toJsonText({ decision: output.decision, report: output.report, memoryPlan: output.memoryPlan })
            : `${decisionText(output)}\n\nDry run: nothing was written to the cluster or the table.`,
        );
      } finally {
        await metrics.close();
        await client.close();
      }
    });
}
