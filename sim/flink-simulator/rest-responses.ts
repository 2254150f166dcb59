import {
  configuration,
  dashboardConfig,
  jobManagerMetrics,
  overview,
  taskManagersInfo,
} from './cluster-responses.ts';
import { jobConfig, jobDetails, jobsOverview, plan, resourceRequirements } from './job-responses.ts';
import {
  metricCollection,
  taskManagerAggregates,
  vertexAggregates,
  vertexSubtaskCollection,
} from './metric-responses.ts';
import { badRequest, notFound, ok, type RestAnswer } from './rest-answer.ts';
import { type SimulatedFlinkCluster, versionAtLeast } from './simulated-cluster.ts';

/**
 * Routes the Flink REST API (shapes of reference/flink-rest-v1.yml and the captured samples) to
 * the pure body builders: `cluster-responses.ts`, `job-responses.ts`, `metric-responses.ts`.
 */

export type { RestAnswer } from './rest-answer.ts';

/**
 * Routes one GET. `path` has no `/v1` prefix and no query. Unknown jobs and vertices are 404 with
 * `NotFoundException` messages, as Flink 1.x's `JobNotFoundException` / vertex lookup answer.
 */
export function answerGet(cluster: SimulatedFlinkCluster, path: string, query: URLSearchParams): RestAnswer {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third, fourth, fifth, sixth] = parts;
  if (parts.length === 1 && first === 'overview') return ok(overview(cluster));
  if (parts.length === 1 && first === 'config') return ok(dashboardConfig(cluster));
  if (parts.length === 1 && first === 'jobs')
    return ok({ jobs: [{ id: cluster.jobId, status: cluster.state }] });
  if (parts.length === 2 && first === 'jobs' && second === 'overview') return ok(jobsOverview(cluster));
  if (parts.length === 2 && first === 'jobmanager' && second === 'config') return ok(configuration(cluster));
  if (parts.length === 2 && first === 'jobmanager' && second === 'metrics') {
    return metricCollection(jobManagerMetrics(cluster), query);
  }
  if (parts.length === 1 && first === 'taskmanagers') return ok(taskManagersInfo(cluster));
  if (parts.length === 2 && first === 'taskmanagers' && second === 'metrics')
    return taskManagerAggregates(cluster, query);
  if (first === 'jobs' && second !== undefined) {
    if (second !== cluster.jobId) {
      return notFound(`org.apache.flink.runtime.rest.NotFoundException: Job ${second} not found`);
    }
    if (parts.length === 2) return ok(jobDetails(cluster));
    if (parts.length === 3 && third === 'plan') return ok({ plan: plan(cluster) });
    if (parts.length === 3 && third === 'status') return ok({ status: cluster.state });
    if (parts.length === 3 && third === 'config') return ok(jobConfig(cluster));
    if (parts.length === 3 && third === 'resource-requirements') return ok(resourceRequirements(cluster));
    if (parts.length === 4 && third === 'jobmanager' && fourth === 'config') {
      // Per-job configuration exists from Flink 1.19 on (`JobManagerJobConfigurationHandler`).
      if (versionAtLeast(cluster.scenario.flinkVersion, 1, 19)) return ok(configuration(cluster));
      return notFound(`Not found: /jobs/${second}/jobmanager/config`);
    }
    if (third === 'vertices' && fourth !== undefined) {
      const vertex = cluster.vertex(fourth);
      if (!vertex || vertex.vertexId !== fourth) {
        return notFound(`org.apache.flink.runtime.rest.NotFoundException: JobVertex ${fourth} not found`);
      }
      if (parts.length === 6 && fifth === 'subtasks' && sixth === 'metrics') {
        return vertexAggregates(cluster, vertex, query);
      }
      if (parts.length === 5 && fifth === 'metrics') return vertexSubtaskCollection(cluster, vertex, query);
    }
  }
  return notFound(`Not found: ${path}`);
}

/**
 * `PUT /jobs/{jobid}/resource-requirements` (`JobResourceRequirementsUpdateHandler`, adaptive
 * scheduler, Flink ≥ 1.18; what the operator's in-place rescale calls, `NativeFlinkService.scale`):
 * applies each vertex's `upperBound` as its new parallelism after the restart downtime. Only
 * scenarios with `restart.mode: in-place` (which report `jobmanager.scheduler: adaptive`) accept it.
 */
export function answerPutResourceRequirements(
  cluster: SimulatedFlinkCluster,
  jobId: string,
  body: unknown,
): RestAnswer {
  if (jobId !== cluster.jobId)
    return notFound(`org.apache.flink.runtime.rest.NotFoundException: Job ${jobId} not found`);
  if (cluster.scenario.restart.mode !== 'in-place') {
    return badRequest(
      'Resource requirements can only be changed with the adaptive scheduler (jobmanager.scheduler: adaptive).',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return badRequest('Request body must be a JSON object keyed by job vertex id.');
  }
  const overrides: Record<string, number> = {};
  for (const [vertexId, requirement] of Object.entries(body)) {
    const vertex = cluster.vertex(vertexId);
    const upperBound = (requirement as { parallelism?: { upperBound?: unknown } } | null)?.parallelism
      ?.upperBound;
    if (!vertex || vertex.vertexId !== vertexId) return badRequest(`Unknown job vertex ${vertexId}.`);
    if (typeof upperBound !== 'number' || !Number.isInteger(upperBound) || upperBound < 1) {
      return badRequest(`${vertexId}.parallelism.upperBound must be a positive integer.`);
    }
    if (upperBound > vertex.maxParallelism) {
      return badRequest(
        `${vertexId}.parallelism.upperBound ${upperBound} exceeds max parallelism ${vertex.maxParallelism}.`,
      );
    }
    overrides[vertexId] = upperBound;
  }
  cluster.applyParallelism(overrides);
  return ok({});
}

