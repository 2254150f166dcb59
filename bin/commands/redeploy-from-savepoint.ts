import type { Command } from 'commander';
import { kubernetesClientFromKubeconfig } from '../../lib/adapters/kubernetes/auth/kubeconfig.ts';
import { parseNamespacedName } from '../../lib/adapters/kubernetes/resource-names.ts';
import { redeployFromSavepoint } from '../../lib/adapters/kubernetes/savepoint-redeploy.ts';
import { parseResourceKindOption } from './resource-kind-option.ts';

/** Where the command writes its report (stdout by default; tests collect it). */
export interface RedeployOutput {
  write(text: string): void;
}

const stdout: RedeployOutput = { write: (text) => process.stdout.write(text) };

/**
 * `fsa redeploy-from-savepoint <namespace/name> --path <uri> --kubeconfig <file>`: sets
 * `spec.job.initialSavepointPath` and a new `savepointRedeployNonce`, so the operator tears the
 * job down and deploys it fresh from that savepoint (docs/flink-resources.md §4 step 6). The way
 * out after a bad rescale or a state-incompatible change; no rollback is possible afterwards.
 */
export function registerRedeployFromSavepointCommand(
  program: Command,
  output: RedeployOutput = stdout,
): void {
  program
    .command('redeploy-from-savepoint')
    .description(
      'Redeploy a FlinkDeployment/FlinkSessionJob from a savepoint (sets initialSavepointPath and a new savepointRedeployNonce)',
    )
    .argument('<resource>', 'resource as <namespace>/<name>')
    .requiredOption('--path <uri>', 'savepoint URI, e.g. s3://bucket/savepoints/savepoint-1a2b3c')
    .requiredOption(
      '--kubeconfig <file>',
      'kubeconfig file (token, exec plugin such as aws eks get-token, or client certificate)',
    )
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--kind <kind>', 'FlinkDeployment or FlinkSessionJob', 'FlinkDeployment')
    .action(
      async (
        resource: string,
        opts: { path: string; kubeconfig: string; context?: string; kind: string },
      ) => {
        const { namespace, name } = parseNamespacedName(resource);
        const kind = parseResourceKindOption(opts.kind);
        const { client } = await kubernetesClientFromKubeconfig(
          opts.kubeconfig,
          opts.context ? { context: opts.context } : {},
        );
        try {
          const result = await redeployFromSavepoint(
            client,
            { kind, namespace, name },
            opts.path,
          );
          output.write(
            `${kind} ${namespace}/${name}: redeploy from ${opts.path} requested ` +
              `(savepointRedeployNonce ${result.previousNonce ?? 'unset'} -> ${result.nonce}, generation ${result.generation ?? '?'})\n`,
          );
        } finally {
          await client.close();
        }
      },
    );
}
