/**
 * The configuration the operator decides an upgrade with (issue 14, docs/flink-resources.md §4):
 * the resource's own `spec.flinkConfiguration` over its session cluster's (session jobs) over the
 * configuration the running JobManager reports over REST. The operator builds a job's
 * configuration from its default configuration (the operator ConfigMap's `flink-conf`) with the
 * spec on top (`FlinkConfigManager.getDeployConfig` / `getSessionJobConfig`, operator 1.x) and
 * deploys all of it, so the JobManager's answer carries the operator-wide defaults (scheduler,
 * `kubernetes.operator.job.upgrade.inplace-scaling.enabled`, HA, task slots, memory,
 * `job.autoscaler.enabled`) that the resource leaves out.
 */
import { flattenConfiguration } from '../../config/flatten-configuration.ts';
import { InvalidOptionError } from '../../config/options-error.ts';
import type { FlinkResource } from './flink-resource.ts';

/** Flink's REST handlers mask secret values (`GlobalConfiguration.HIDDEN_CONTENT`). */
const MASKED_VALUE = '******';

/** The flat configuration of a resource; empty when it cannot be flattened (readiness refuses it). */
export function flatConfigurationOf(resource: FlinkResource | undefined): Record<string, string> {
  try {
    return flattenConfiguration(resource?.spec.flinkConfiguration ?? {});
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    return {};
  }
}

/**
 * Merges the layers, later ones winning: the JobManager's reported configuration (masked values
 * dropped), the session cluster's spec, the resource's spec. The resource's spec goes last because
 * it may hold a change the operator has not deployed yet.
 */
export function effectiveFlinkConfiguration(
  resource: FlinkResource,
  sessionCluster: FlinkResource | undefined,
  reported: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const fromRest = Object.fromEntries(
    Object.entries(reported ?? {}).filter(([, value]) => value !== MASKED_VALUE),
  );
  return {
    ...fromRest,
    ...(resource.kind === 'FlinkSessionJob' ? flatConfigurationOf(sessionCluster) : {}),
    ...flatConfigurationOf(resource),
  };
}
