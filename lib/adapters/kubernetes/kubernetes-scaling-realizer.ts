import { flattenConfiguration } from '../../config/flatten-configuration.ts';
import type { JobKey } from '../../domain/job-key.ts';
import type { RealizeResult, ScalingPlan, ScalingRealizer } from '../../ports/scaling-realizer.ts';
import type { FlinkResource } from './flink-resource.ts';
import type { KubernetesClient } from './kubernetes-client.ts';
import { KubernetesApiError, ScalingPatchError } from './kubernetes-errors.ts';
import { flinkResourcePath } from './resource-names.ts';
import { buildScalingPatch } from './scaling-patch.ts';
import { decideUpgradePath } from './upgrade-path.ts';

/** `fieldManager` of the autoscaler's writes (shown in `metadata.managedFields`). */
export const FIELD_MANAGER = 'flink-serverless-autoscaler';

/**
 * Realizes plans by JSON merge patch of the FlinkDeployment / FlinkSessionJob spec (design §4):
 * GET → build (pure) → upgrade-path check → conditional PATCH. A 409 (someone changed the
 * resource in between) re-reads, re-builds and retries once; a second 409 is a
 * {@link ScalingPatchError} `conflict`. A 422 becomes `invalid` with the server's causes.
 * 429/5xx are retried inside {@link KubernetesClient} with `Retry-After`.
 */
export class KubernetesScalingRealizer implements ScalingRealizer {
  readonly #client: KubernetesClient;

  constructor(client: KubernetesClient) {
    this.#client = client;
  }

  async realize(key: JobKey, plan: ScalingPlan): Promise<RealizeResult> {
    const path = flinkResourcePath(key.kind, key.namespace, key.name);
    for (let attempt = 0; ; attempt += 1) {
      const resource = await this.#client.get<FlinkResource>(path);
      const built = buildScalingPatch(resource, plan);
      const upgrade = decideUpgradePath({
        flinkVersion: resource.spec.flinkVersion ?? resource.status?.clusterInfo?.['flink-version'],
        flinkConfiguration: flattenConfiguration(resource.spec.flinkConfiguration ?? {}),
        upgradeMode: resource.spec.job?.upgradeMode,
        annotations: resource.metadata.annotations ?? {},
        change: built.change,
      });
      const current = {
        ...(resource.metadata.resourceVersion ? { resourceVersion: resource.metadata.resourceVersion } : {}),
        ...(resource.metadata.generation !== undefined ? { generation: resource.metadata.generation } : {}),
      };
      const ignoredNote = built.memoryIgnored
        ? ' (memory plan ignored: session jobs have no TaskManagers of their own)'
        : '';
      if (!built.patch)
        return {
          outcome: 'unchanged',
          upgradePath: 'none',
          reason: `nothing changes${ignoredNote}`,
          ...current,
        };
      if (upgrade.path === 'refused') {
        return {
          outcome: 'refused',
          upgradePath: 'refused',
          reason: upgrade.reason,
          patch: built.patch,
          ...current,
        };
      }
      try {
        const updated = await this.#client.patch<FlinkResource>(path, built.patch, undefined, {
          fieldManager: FIELD_MANAGER,
        });
        return {
          outcome: 'patched',
          upgradePath: upgrade.path,
          reason: `${upgrade.reason}${ignoredNote}`,
          patch: built.patch,
          ...(updated.metadata.resourceVersion ? { resourceVersion: updated.metadata.resourceVersion } : {}),
          ...(updated.metadata.generation !== undefined ? { generation: updated.metadata.generation } : {}),
        };
      } catch (error) {
        if (!(error instanceof KubernetesApiError)) throw error;
        if (error.status === 409 && attempt === 0) continue;
        if (error.status === 409) {
          throw new ScalingPatchError(
            'conflict',
            `${key.kind} ${key.namespace}/${key.name} changed concurrently twice; giving up this cycle`,
            { cause: error },
          );
        }
        if (error.status === 422) {
          const fields = error.causes
            .map((c) => `${c.field ?? '?'}: ${c.message ?? c.reason ?? ''}`)
            .join('; ');
          throw new ScalingPatchError(
            'invalid',
            `${key.kind} ${key.namespace}/${key.name} rejected the patch: ${fields || error.message}`,
            {
              cause: error,
              causes: error.causes,
            },
          );
        }
        throw new ScalingPatchError(
          'api',
          `patching ${key.kind} ${key.namespace}/${key.name} failed: ${error.message}`,
          { cause: error },
        );
      }
    }
  }
}
