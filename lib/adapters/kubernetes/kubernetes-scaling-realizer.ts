import { isDeepStrictEqual } from 'node:util';
import type { JobKey } from '../../domain/job-key.ts';
import {
  MANAGED_LABEL,
  ON_DISABLE_ANNOTATION,
  OPERATOR_VERSION_ANNOTATION,
} from '../../domain/resource-metadata.ts';
import type {
  OwnedChanges,
  RealizeOptions,
  RealizePreview,
  RealizeResult,
  ScalingPlan,
  ScalingRealizer,
  WithdrawResult,
} from '../../ports/scaling-realizer.ts';
import type { FlinkResource } from './flink-resource.ts';
import { applyMergePatch } from './json-merge-patch.ts';
import type { KubernetesClient } from './kubernetes-client.ts';
import { KubernetesApiError, ScalingPatchError } from './kubernetes-errors.ts';
import type { ObservedResources } from './observed-resources.ts';
import { buildRestorePatch, plannedChangeOfPatch, specExcerptOf } from './owned-spec.ts';
import { flinkResourcePath } from './resource-names.ts';
import { buildScalingPatch } from './scaling-patch.ts';
import { effectiveFlinkConfiguration } from './effective-configuration.ts';
import { decideUpgradePath, parseFlinkMinorVersion } from './upgrade-path.ts';

/** `fieldManager` of the autoscaler's writes (shown in `metadata.managedFields`). */
export const FIELD_MANAGER = 'flink-serverless-autoscaler';

/**
 * Realizes plans by JSON merge patch of the FlinkDeployment / FlinkSessionJob spec (docs/design.md §4):
 * GET → build (pure) → upgrade-path check → conditional PATCH. A 409 (someone changed the
 * resource in between) re-reads, re-builds and retries once; a second 409 is a
 * {@link ScalingPatchError} `conflict`. A 422 becomes `invalid` with the server's causes.
 * 429/5xx are retried inside {@link KubernetesClient} with `Retry-After`.
 */
export class KubernetesScalingRealizer implements ScalingRealizer {
  readonly #client: KubernetesClient;
  readonly #observed: ObservedResources | undefined;

  /**
   * @param observed what the job discovery of the same cluster read this cycle: {@link realize}
   *   starts from it instead of a second GET (./observed-resources.ts); a retry after a 409 reads again.
   */
  constructor(client: KubernetesClient, observed?: ObservedResources) {
    this.#client = client;
    this.#observed = observed;
  }

  async preview(
    key: JobKey,
    plan: ScalingPlan,
    options: Pick<RealizeOptions, 'effectiveConfiguration'> = {},
  ): Promise<RealizePreview> {
    const resource = await this.#client.get<FlinkResource>(
      flinkResourcePath(key.kind, key.namespace, key.name),
    );
    const context = { sessionCluster: await this.#sessionClusterOf(resource), reported: options.effectiveConfiguration };
    const inspected = inspect(resource, plan, undefined, context);
    const base = { ...inspected.current, current: specExcerptOf(resource) };
    if (!inspected.patch)
      return { outcome: 'unchanged', upgradePath: 'none', reason: inspected.unchangedReason, ...base };
    if (inspected.upgrade.path === 'refused') {
      return {
        outcome: 'refused',
        upgradePath: 'refused',
        reason: inspected.upgrade.reason,
        patch: inspected.patch,
        ...base,
      };
    }
    return {
      outcome: 'would-patch',
      upgradePath: inspected.upgrade.path,
      reason: inspected.upgrade.reason,
      patch: inspected.patch,
      ...base,
    };
  }

  /**
   * The session FlinkDeployment of a session job (its Flink version, mode, scheduler and HA decide
   * the upgrade); undefined for a FlinkDeployment or when it cannot be found (the conservative
   * path is then assumed).
   */
  async #sessionClusterOf(resource: FlinkResource, fresh = true): Promise<FlinkResource | undefined> {
    const name = resource.spec.deploymentName;
    if (resource.kind !== 'FlinkSessionJob' || !name) return undefined;
    const path = flinkResourcePath('FlinkDeployment', resource.metadata.namespace ?? '', name);
    try {
      return (fresh ? undefined : this.#observed?.take(path)) ?? (await this.#client.get<FlinkResource>(path));
    } catch (error) {
      if (error instanceof KubernetesApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  async withdraw(key: JobKey, owned: OwnedChanges): Promise<WithdrawResult> {
    const path = flinkResourcePath(key.kind, key.namespace, key.name);
    for (let attempt = 0; ; attempt += 1) {
      let resource: FlinkResource;
      try {
        resource = await this.#client.get<FlinkResource>(path);
      } catch (error) {
        if (error instanceof KubernetesApiError && error.status === 404)
          return { outcome: 'deleted', reason: `${key.kind} ${key.namespace}/${key.name} no longer exists` };
        throw error;
      }
      if (resource.metadata.labels?.[MANAGED_LABEL] === 'true')
        return { outcome: 'still-managed', reason: `${MANAGED_LABEL}=true is set again` };
      const mode = resource.metadata.annotations?.[ON_DISABLE_ANNOTATION]?.trim().toLowerCase() ?? 'keep';
      if (mode !== 'restore') {
        return {
          outcome: 'kept',
          reason: `opted out; the overrides the autoscaler wrote stay in the spec (${ON_DISABLE_ANNOTATION}: ${mode === 'keep' ? 'keep, the default' : `'${mode}' is not 'restore'`})`,
        };
      }
      const patch = buildRestorePatch(resource, owned);
      if (!patch)
        return {
          outcome: 'restored',
          reason: 'opted out with on-disable: restore; no autoscaler override was left in the spec',
        };
      try {
        await this.#client.patch<FlinkResource>(path, patch, undefined, { fieldManager: FIELD_MANAGER });
        return {
          outcome: 'restored',
          reason:
            "opted out with on-disable: restore; the autoscaler overrides were removed, so the spec's own parallelism applies again",
          patch,
        };
      } catch (error) {
        if (error instanceof KubernetesApiError && error.status === 409 && attempt === 0) continue;
        throw new ScalingPatchError(
          'api',
          `restoring ${key.kind} ${key.namespace}/${key.name} failed: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    }
  }

  async realize(key: JobKey, plan: ScalingPlan, options: RealizeOptions = {}): Promise<RealizeResult> {
    const path = flinkResourcePath(key.kind, key.namespace, key.name);
    const override = options.patchOverride;
    for (let attempt = 0; ; attempt += 1) {
      // The first attempt may start from what this cycle's discovery read; a retry reads again.
      const observed = attempt === 0 ? this.#observed?.take(path) : undefined;
      const resource = observed ?? (await this.#client.get<FlinkResource>(path));
      const context = {
        sessionCluster: await this.#sessionClusterOf(resource, attempt > 0),
        reported: options.effectiveConfiguration,
      };
      const inspected = inspect(resource, plan, override, context);
      const { current, upgrade } = inspected;
      const ignoredNote = inspected.ignoredNote;
      if (!inspected.patch)
        return {
          outcome: 'unchanged',
          upgradePath: 'none',
          reason: inspected.unchangedReason,
          ...current,
        };
      if (upgrade.path === 'refused') {
        return {
          outcome: 'refused',
          upgradePath: 'refused',
          reason: upgrade.reason,
          patch: inspected.patch,
          ...current,
        };
      }
      const built = { patch: inspected.patch };
      // Outside the try: its error (the cycle's state conflict) is the caller's, not the API's.
      await options.beforeWrite?.();
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
        // A policy-approved patch is not rebuilt against a changed resource; the next cycle asks again.
        if (error.status === 409 && attempt === 0 && !override) continue;
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

/** Whether applying `patch` (a merge patch) would change the resource's spec. */
function specChangedBy(resource: FlinkResource, patch: Record<string, unknown>): boolean {
  const spec = patch['spec'];
  if (spec === undefined) return false;
  return !isDeepStrictEqual(applyMergePatch(resource.spec, spec), resource.spec);
}

/** What besides the resource decides the upgrade path. */
interface UpgradeContext {
  readonly sessionCluster: FlinkResource | undefined;
  readonly reported: Readonly<Record<string, string>> | undefined;
}

/** Builds (or takes the override) patch and decides the upgrade path for `resource`. Pure. */
function inspect(
  resource: FlinkResource,
  plan: ScalingPlan,
  override: Record<string, unknown> | undefined,
  context: UpgradeContext,
) {
  const built = override
    ? {
        // The resourceVersion the policy saw (from the proposal) keeps the write conditional on it.
        // A policy's patch that leaves the spec as it is (e.g. the same ceiling as last cycle) is
        // not sent: no change, no write.
        patch: specChangedBy(resource, override)
          ? { metadata: { resourceVersion: resource.metadata.resourceVersion }, ...override }
          : undefined,
        change: plannedChangeOfPatch(resource, override),
        memoryIgnored: false,
      }
    : buildScalingPatch(resource, plan);
  // A session job has no Flink version, mode or cluster of its own: its session cluster's apply.
  const cluster = resource.kind === 'FlinkSessionJob' ? context.sessionCluster : resource;
  const operatorVersion =
    resource.metadata.annotations?.[OPERATOR_VERSION_ANNOTATION] ??
    context.sessionCluster?.metadata.annotations?.[OPERATOR_VERSION_ANNOTATION];
  const upgrade = decideUpgradePath({
    kind: resource.kind,
    flinkVersion: cluster?.spec.flinkVersion ?? cluster?.status?.clusterInfo?.['flink-version'],
    deploymentMode: cluster ? cluster.spec.mode : 'unknown (session cluster not found)',
    flinkConfiguration: effectiveFlinkConfiguration(resource, context.sessionCluster, context.reported),
    operatorVersion: parseFlinkMinorVersion(operatorVersion),
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
  return {
    patch: built.patch,
    upgrade,
    current,
    ignoredNote,
    unchangedReason: `nothing changes${ignoredNote}`,
  };
}
