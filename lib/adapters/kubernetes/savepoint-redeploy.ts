import type { ResourceKind } from '../../domain/job-key.ts';
import type { FlinkResource } from './flink-resource.ts';
import type { KubernetesClient } from './kubernetes-client.ts';
import { InvalidKubernetesInputError, KubernetesApiError, ScalingPatchError } from './kubernetes-errors.ts';
import { flinkResourcePath } from './resource-names.ts';

/** Result of a savepoint redeploy request. */
export interface SavepointRedeployResult {
  readonly previousNonce: number | undefined;
  readonly nonce: number;
  readonly generation: number | undefined;
  readonly resourceVersion: string | undefined;
}

const SAVEPOINT_URI = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

/**
 * The merge patch asking the operator to redeploy from a savepoint (docs/flink-resources.md §2.3,
 * §4 step 6): `spec.job.initialSavepointPath` plus a `savepointRedeployNonce` that differs
 * from the current one (SAVEPOINT_REDEPLOY, regardless of upgrade mode). Pure.
 */
export function buildSavepointRedeployPatch(
  resource: FlinkResource,
  savepointPath: string,
): { patch: Record<string, unknown>; nonce: number } {
  if (!SAVEPOINT_URI.test(savepointPath)) {
    throw new InvalidKubernetesInputError(
      '--path',
      `'${savepointPath}' is not a savepoint URI such as s3://bucket/savepoints/savepoint-1a2b3c`,
    );
  }
  const current = resource.spec.job?.savepointRedeployNonce;
  const nonce = (typeof current === 'number' && Number.isSafeInteger(current) ? current : 0) + 1;
  return {
    patch: {
      metadata: { resourceVersion: resource.metadata.resourceVersion },
      spec: { job: { initialSavepointPath: savepointPath, savepointRedeployNonce: nonce } },
    },
    nonce,
  };
}

/** Applies {@link buildSavepointRedeployPatch}; a 409 re-reads and retries once. */
export async function redeployFromSavepoint(
  client: KubernetesClient,
  target: { kind: ResourceKind; namespace: string; name: string },
  savepointPath: string,
): Promise<SavepointRedeployResult> {
  const path = flinkResourcePath(target.kind, target.namespace, target.name);
  for (let attempt = 0; ; attempt += 1) {
    const resource = await client.get<FlinkResource>(path);
    const { patch, nonce } = buildSavepointRedeployPatch(resource, savepointPath);
    try {
      const updated = await client.patch<FlinkResource>(path, patch);
      return {
        previousNonce: resource.spec.job?.savepointRedeployNonce,
        nonce,
        generation: updated.metadata.generation,
        resourceVersion: updated.metadata.resourceVersion,
      };
    } catch (error) {
      if (error instanceof KubernetesApiError && error.status === 409 && attempt === 0) continue;
      if (error instanceof KubernetesApiError && error.status === 409) {
        throw new ScalingPatchError(
          'conflict',
          `${target.kind} ${target.namespace}/${target.name} changed concurrently twice`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}
