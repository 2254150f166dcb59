import { flattenConfiguration } from '../../config/flatten-configuration.ts';
import { InvalidOptionError } from '../../config/options-error.ts';
import { REST_URL_ANNOTATION } from '../../domain/resource-metadata.ts';
import type { FlinkResource } from './flink-resource.ts';
import { InvalidKubernetesInputError } from './kubernetes-errors.ts';
import { assertNamespace, assertObjectName } from './resource-names.ts';

/** Where the Flink REST API of a job is reached. */
export interface FlinkRestEndpoint {
  /** Base URL; REST paths (`/jobs/overview`) are appended to it. */
  readonly baseUrl: string;
  /**
   * `service-proxy`: through the API server (`…/services/[https:]<name>-rest:rest/proxy`); the
   * caller must send the Kubernetes bearer token and trust the cluster CA. `annotation`: a URL the
   * user gave.
   */
  readonly via: 'service-proxy' | 'annotation';
  /** The cluster whose JobManager serves it (the session cluster for a session job). */
  readonly clusterName: string;
  /** For `service-proxy`: the Kubernetes Service the API server proxies to (`<cluster>-rest`). */
  readonly serviceName?: string;
}

/** Flink's boolean parsing (`ConfigurationUtils.convertToBoolean`): true/false in any case. */
function flinkBoolean(value: string | undefined): boolean | undefined {
  const text = value?.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

/**
 * Whether the cluster's REST endpoint speaks TLS: `security.ssl.rest.enabled`, falling back to the
 * deprecated `security.ssl.enabled` (Flink `SecurityOptions.isRestSSLEnabled` /
 * `SSLUtils.isRestSSLEnabled`, 1.x). A configuration that cannot be flattened (ambiguous nested
 * keys) counts as plain HTTP here; readiness refuses such a resource anyway.
 */
export function restSslEnabled(flinkConfiguration: unknown): boolean {
  let flat: Record<string, string>;
  try {
    flat = flattenConfiguration(flinkConfiguration ?? {});
  } catch (error) {
    if (error instanceof InvalidOptionError) return false;
    throw error;
  }
  return (
    flinkBoolean(flat['security.ssl.rest.enabled']) ?? flinkBoolean(flat['security.ssl.enabled']) ?? false
  );
}

/**
 * Flink REST base URL of a resource (docs/design.md §4; docs/flink-resources.md §6): the annotation
 * `flink-serverless-autoscaler/rest-url` when set, else the API-server proxy to the
 * `<cluster>-rest` service's `rest` port. A session job uses its session cluster
 * (`spec.deploymentName`), whose configuration (`sessionCluster`, when loaded) says whether the
 * endpoint uses TLS. With TLS the proxy path names the scheme, `https:<service>:<port>`
 * (Kubernetes "Manually constructing apiserver proxy URLs"); without it the API server would speak
 * plain HTTP to a TLS port.
 */
export function flinkRestEndpoint(
  resource: FlinkResource,
  apiServerUrl: string,
  sessionCluster?: FlinkResource,
): FlinkRestEndpoint {
  const namespace = assertNamespace(resource.metadata.namespace ?? '', 'metadata.namespace');
  const clusterName =
    resource.kind === 'FlinkSessionJob'
      ? assertObjectName(resource.spec.deploymentName ?? '', 'spec.deploymentName')
      : assertObjectName(resource.metadata.name, 'metadata.name');
  const annotated = resource.metadata.annotations?.[REST_URL_ANNOTATION];
  if (annotated !== undefined) {
    let url: URL;
    try {
      url = new URL(annotated);
    } catch (error) {
      throw new InvalidKubernetesInputError(
        `annotation ${REST_URL_ANNOTATION}`,
        `'${annotated}' is not a URL`,
        { cause: error },
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new InvalidKubernetesInputError(
        `annotation ${REST_URL_ANNOTATION}`,
        `'${annotated}' must be http or https`,
      );
    }
    return { baseUrl: annotated.replace(/\/+$/, ''), via: 'annotation', clusterName };
  }
  const cluster = resource.kind === 'FlinkSessionJob' ? sessionCluster : resource;
  const scheme = restSslEnabled(cluster?.spec.flinkConfiguration) ? 'https:' : '';
  const serviceName = `${clusterName}-rest`;
  return {
    baseUrl: `${apiServerUrl.replace(/\/+$/, '')}/api/v1/namespaces/${namespace}/services/${scheme}${serviceName}:rest/proxy`,
    via: 'service-proxy',
    clusterName,
    serviceName,
  };
}
