/**
 * The reading side of `fsa doctor`: access reviews, the operator, the opted-in jobs and their
 * Flink REST API. Each probe turns its own failure into a checklist line, so one failing call
 * never stops the others.
 */
import { encodeMetricIds, FlinkRestClient } from '../../lib/adapters/flink-rest/flink-rest-client.ts';
import { reviewOwnAccess, reviewSubjectAccess } from '../../lib/adapters/kubernetes/access-review.ts';
import type { FlinkResource } from '../../lib/adapters/kubernetes/flink-resource.ts';
import type { KubernetesClient } from '../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesApiError } from '../../lib/adapters/kubernetes/kubernetes-errors.ts';
import { toDiscoveredJob } from '../../lib/adapters/kubernetes/kubernetes-job-discovery.ts';
import { FLINK_API_VERSION, FLINK_PLURALS, flinkResourcePath } from '../../lib/adapters/kubernetes/resource-names.ts';
import { MANAGED_LABEL } from '../../lib/domain/index.ts';
import type { DiscoveredJob } from '../../lib/ports/job-discovery.ts';
import type { FlinkJobTarget } from '../../lib/ports/metrics-source.ts';
import {
  type AccessReviewOutcome,
  checkFlinkCrds,
  checkJob,
  checkOperatorVersion,
  checkOptInLabels,
  checkPermission,
  type DoctorCheck,
  type FunctionRole,
  type JobProbe,
  type MetricsProbe,
  OPERATOR_DEPLOYMENT_SELECTOR,
  type OperatorDeploymentView,
  PROBED_METRIC,
  requiredPermissions,
  type RestProbe,
} from '../../lib/report/doctor/index.ts';

/** Whose permissions the RBAC lines are about. */
export type RbacSubject =
  | { readonly kind: 'groups'; readonly role: FunctionRole; readonly groups: readonly string[] }
  | { readonly kind: 'self'; readonly role: FunctionRole };

/** Per-call timeout of the Flink REST probes. */
const REST_TIMEOUT_MS = 10_000;

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One access review per required permission. Groups are reviewed with a SubjectAccessReview for
 * the function's groups plus `system:authenticated` (every authenticated request carries it);
 * `self` uses a SelfSubjectAccessReview with the caller's own credentials.
 */
export async function rbacChecks(client: KubernetesClient, subject: RbacSubject): Promise<DoctorCheck[]> {
  const groups = subject.kind === 'groups' ? [...subject.groups, 'system:authenticated'] : [];
  const description =
    subject.kind === 'groups' ? `group(s) ${subject.groups.join(', ')}` : 'the current credentials';
  return Promise.all(
    requiredPermissions(subject.role).map(async (permission) => {
      const request = {
        verb: permission.verb,
        group: permission.group,
        resource: permission.resource,
        ...(permission.subresource ? { subresource: permission.subresource } : {}),
      };
      let outcome: AccessReviewOutcome;
      try {
        const status =
          subject.kind === 'groups'
            ? await reviewSubjectAccess(client, { groups }, request)
            : await reviewOwnAccess(client, request);
        outcome = { allowed: status.allowed, ...(status.reason ? { reason: status.reason } : {}) };
      } catch (error) {
        outcome = { error: errorText(error) };
      }
      return checkPermission({ role: subject.role, description }, permission, outcome);
    }),
  );
}

/** CRDs through API discovery (no CRD read rights needed) and the operator's Deployment. */
export async function operatorChecks(client: KubernetesClient): Promise<DoctorCheck[]> {
  let served: string[] | undefined;
  try {
    const list = await client.get<{ resources?: { name: string }[] }>(`/apis/${FLINK_API_VERSION}`);
    served = (list.resources ?? []).map((r) => r.name);
  } catch (error) {
    if (!(error instanceof KubernetesApiError && error.status === 404)) {
      return [
        {
          section: 'operator',
          name: 'Flink CRDs',
          status: 'warn',
          detail: `API discovery failed: ${errorText(error)}`,
          fix: 'check the connection and rerun',
        },
      ];
    }
  }
  let deployments: OperatorDeploymentView[] | { error: string };
  try {
    const items = await client.list<{
      metadata: { name: string; namespace?: string; labels?: Record<string, string> };
      spec?: { template?: { spec?: { containers?: { image?: string }[] } } };
    }>('/apis/apps/v1/deployments', { labelSelector: OPERATOR_DEPLOYMENT_SELECTOR });
    deployments = items.map((d) => ({
      namespace: d.metadata.namespace ?? '',
      name: d.metadata.name,
      ...(d.metadata.labels?.['app.kubernetes.io/version'] ? { versionLabel: d.metadata.labels['app.kubernetes.io/version'] } : {}),
      images: (d.spec?.template?.spec?.containers ?? []).flatMap((c) => (c.image ? [c.image] : [])),
    }));
  } catch (error) {
    deployments = { error: errorText(error) };
  }
  return [checkFlinkCrds(served), checkOperatorVersion(deployments)];
}

const subjectOf = (r: FlinkResource) => `${r.metadata.namespace ?? ''}/${r.metadata.name} (${r.kind})`;

/** Every labelled Flink resource: the label lines, then the lines of each opted-in job. */
export async function jobChecks(client: KubernetesClient, cluster: string): Promise<DoctorCheck[]> {
  let labelled: FlinkResource[];
  try {
    const lists = await Promise.all(
      [FLINK_PLURALS.FlinkDeployment, FLINK_PLURALS.FlinkSessionJob].map((plural) =>
        client.list<FlinkResource>(`/apis/${FLINK_API_VERSION}/${plural}`, { labelSelector: MANAGED_LABEL }),
      ),
    );
    labelled = lists.flat();
  } catch (error) {
    return [
      {
        section: 'jobs',
        name: 'opted-in jobs',
        status: 'fail',
        detail: `listing the labelled Flink resources failed: ${errorText(error)}`,
        fix: 'run fsa doctor with credentials that may list flinkdeployments and flinksessionjobs in all namespaces, and check that the operator CRDs are installed',
      },
    ];
  }
  const checks = checkOptInLabels(
    labelled.map((r) => ({ subject: subjectOf(r), labelValue: r.metadata.labels?.[MANAGED_LABEL] ?? '' })),
  );
  const rest = new FlinkRestClient({ connectionsPerOrigin: 2 });
  try {
    for (const resource of labelled.filter((r) => r.metadata.labels?.[MANAGED_LABEL] === 'true')) {
      checks.push(...checkJob(await probeJob(client, rest, cluster, resource)));
    }
  } finally {
    await rest.close();
  }
  return checks;
}

async function probeJob(
  client: KubernetesClient,
  rest: FlinkRestClient,
  cluster: string,
  resource: FlinkResource,
): Promise<JobProbe> {
  let session: FlinkResource | undefined;
  if (resource.kind === 'FlinkSessionJob' && resource.spec.deploymentName) {
    session = await client
      .get<FlinkResource>(flinkResourcePath('FlinkDeployment', resource.metadata.namespace ?? '', resource.spec.deploymentName))
      .catch(() => undefined);
  }
  const job = toDiscoveredJob(resource, cluster, client.baseUrl, session);
  const service = job.rest.serviceName;
  const readiness = job.readiness.ready
    ? ({ ready: true } as const)
    : { ready: false as const, code: job.readiness.code, refused: job.readiness.refused, reason: job.readiness.reason };
  return {
    subject: subjectOf(resource),
    readiness,
    ...(job.flinkVersion ? { specFlinkVersion: job.flinkVersion } : {}),
    rest: {
      via: job.rest.via,
      baseUrl: job.rest.baseUrl,
      ...(service ? { service: { namespace: job.key.namespace, name: decodeURIComponent(service) } } : {}),
    },
    restProbe: job.rest.baseUrl === '' ? { reachable: false, error: 'no REST endpoint (invalid resource)' } : await probeRest(client, rest, job),
  };
}

/** `GET /overview` for reachability and version, then one metric on the running job's vertices. */
async function probeRest(client: KubernetesClient, rest: FlinkRestClient, job: DiscoveredJob): Promise<RestProbe> {
  const target: FlinkJobTarget = {
    restBaseUrl: job.rest.baseUrl,
    ...(job.rest.via === 'service-proxy' ? await client.proxyAccess() : {}),
  };
  let overview: { 'flink-version'?: string };
  try {
    overview = (await rest.getJson(target, { path: '/overview', timeoutMs: REST_TIMEOUT_MS })) as typeof overview;
  } catch (error) {
    return { reachable: false, error: errorText(error) };
  }
  let metrics: MetricsProbe;
  try {
    metrics = await probeMetrics(rest, target, job.jobId);
  } catch (error) {
    metrics = { found: false, reason: `reading ${PROBED_METRIC} failed: ${errorText(error)}` };
  }
  return { reachable: true, ...(overview['flink-version'] ? { flinkVersion: overview['flink-version'] } : {}), metrics };
}

async function probeMetrics(rest: FlinkRestClient, target: FlinkJobTarget, knownJobId: string | undefined): Promise<MetricsProbe> {
  let jobId = knownJobId;
  if (!jobId) {
    const { jobs } = (await rest.getJson(target, { path: '/jobs/overview', timeoutMs: REST_TIMEOUT_MS })) as {
      jobs?: { jid: string; state: string }[];
    };
    jobId = jobs?.find((j) => j.state === 'RUNNING')?.jid;
    if (!jobId) return { skipped: 'no RUNNING job' };
  }
  const details = (await rest.getJson(target, { path: `/jobs/${jobId}`, timeoutMs: REST_TIMEOUT_MS })) as {
    state?: string;
    vertices?: { id: string; name: string }[];
  };
  if (details.state !== undefined && details.state !== 'RUNNING') return { skipped: `job ${jobId} is ${details.state}` };
  for (const vertex of details.vertices ?? []) {
    const values = (await rest.getJson(target, {
      path: `/jobs/${jobId}/vertices/${vertex.id}/subtasks/metrics`,
      query: { get: encodeMetricIds([PROBED_METRIC]) },
      timeoutMs: REST_TIMEOUT_MS,
    })) as { id: string; max?: number; avg?: number }[];
    const value = values.find((m) => m.id === PROBED_METRIC);
    const number = Number(value?.max ?? value?.avg);
    if (value && Number.isFinite(number)) return { found: true, vertex: vertex.name, value: number };
  }
  return { found: false, reason: `no vertex of job ${jobId} reports ${PROBED_METRIC}` };
}
