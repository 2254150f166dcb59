import type { Command } from 'commander';
import type { FLINK_PLURALS, FlinkResource } from '../../lib/adapters/kubernetes/index.ts';
import { buildRestorePatch } from '../../lib/adapters/kubernetes/owned-spec.ts';
import { flinkResourcePath, parseNamespacedName } from '../../lib/adapters/kubernetes/resource-names.ts';
import { ownedChangesOf } from '../../lib/cycle/owned-changes.ts';
import { type JobKey, MANAGED_LABEL } from '../../lib/domain/index.ts';
import { toJsonText } from '../format/json-text.ts';
import { parseResourceKindOption } from './resource-kind-option.ts';
import { connect } from './run.ts';
import { openTableStore } from './state.ts';

interface ResetOptions {
  readonly kind: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly eksCluster?: string;
  readonly region?: string;
  readonly clusterName?: string;
  readonly table: string;
  readonly endpoint?: string;
  readonly dryRun?: boolean;
}


/**
 * `fsa reset <ns/name>`: removes what the autoscaler wrote into the resource (its entries in
 * `pipeline.jobvertex-parallelism-overrides` and its `taskmanager.memory.*` keys, as recorded in
 * the state) and forgets the job's state, so the spec's own settings apply again. A still-labelled
 * job starts from an empty state at the next cycle. The event log is kept.
 */
export function registerResetCommand(program: Command): void {
  program
    .command('reset')
    .description("Remove the autoscaler's overrides from a resource and forget its state")
    .argument('<resource>', 'namespace/name of the FlinkDeployment or FlinkSessionJob')
    .requiredOption(
      '--table <name>',
      'the DynamoDB state table (it records what the autoscaler wrote)',
      process.env['FSA_TABLE'],
    )
    .option('--kind <kind>', 'FlinkDeployment or FlinkSessionJob', 'FlinkDeployment')
    .option('--kubeconfig <file>', 'kubeconfig of the cluster')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--eks-cluster <name>', 'EKS cluster name')
    .option('--region <region>', 'AWS region (default: AWS_REGION)')
    .option('--cluster-name <name>', 'logical cluster name of the job key')
    .option('--endpoint <url>', 'DynamoDB endpoint for a local table')
    .option('--dry-run', 'print the patch and what would be forgotten; change nothing')
    .action(async (resource: string, options: ResetOptions) => {
      const kind = parseResourceKindOption(options.kind);
      const { namespace, name } = parseNamespacedName(resource);
      const { client, cluster } = await connect(options);
      try {
        const key: JobKey = { cluster, namespace, kind, name };
        const store = openTableStore({
          table: options.table,
          ...(options.region ? { region: options.region } : {}),
          ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        });
        const loaded = await store.load(key, { sinceMs: 0 });
        const path = flinkResourcePath(kind satisfies keyof typeof FLINK_PLURALS, namespace, name);
        const current = await client.get<FlinkResource>(path);
        const patch = buildRestorePatch(current, ownedChangesOf(loaded.state));
        if (options.dryRun) {
          console.log(toJsonText({ job: key, patch: patch ?? null, stateRevision: loaded.revision }));
          return;
        }
        if (patch)
          await client.patch(path, patch, undefined, { fieldManager: 'flink-serverless-autoscaler' });
        const forgotten = await store.forgetJob(key);
        console.log(
          `${kind} ${namespace}/${name}: ${patch ? "the autoscaler's overrides were removed" : 'no autoscaler override was left in the spec'}; ` +
            `${forgotten.itemsDeleted} state item(s) forgotten (the event log is kept).` +
            (current.metadata.labels?.[MANAGED_LABEL] === 'true'
              ? ' The job is still labelled: the next cycle starts from an empty state.'
              : ''),
        );
      } finally {
        await client.close();
      }
    });
}
