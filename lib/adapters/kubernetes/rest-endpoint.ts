import { REST_URL_ANNOTATION } from '../../domain/resource-metadata.ts';
import type { FlinkResource } from './flink-resource.ts';
import { InvalidKubernetesInputError } from './kubernetes-errors.ts';
import { assertNamespace, assertObjectName } from './resource-names.ts';

/** Where the Flink REST API of a job is reached. */
export interface FlinkRestEndpoint {
  /** Base URL; REST paths (`/jobs/overview`) are appended to it. */
  readonly baseUrl: string;
  /**
   * `service-proxy`: through the API server (`…/services/<name>-rest:rest/proxy`); the caller must
   * send the Kubernetes bearer token and trust the cluster CA. `annotation`: a URL the user gave.
   */
  readonly via: 'service-proxy' | 'annotation';
  /** The cluster whose JobManager serves it (the session cluster for a session job). */
  readonly clusterName: string;
}

/**
 * Flink REST base URL of a resource (docs/design.md §4; docs/flink-resources.md §6): the annotation
 * `flink-serverless-autoscaler/rest-url` when set, else the API-server proxy to the
 * `<cluster>-rest` service's `rest` port. A session job uses its session cluster
 * (`spec.deploymentName`).
 */
export function flinkRestEndpoint(resource: FlinkResource, apiServerUrl: string): FlinkRestEndpoint {
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
  return {
    baseUrl: `${apiServerUrl.replace(/\/+$/, '')}/api/v1/namespaces/${namespace}/services/${clusterName}-rest:rest/proxy`,
    via: 'service-proxy',
    clusterName,
  };
}
