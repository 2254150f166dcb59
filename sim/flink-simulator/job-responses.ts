import { hexId, type NormalizedVertex } from './parse-scenario.ts';
import { type SimulatedFlinkCluster, versionAtLeast } from './simulated-cluster.ts';

/** Job-level REST bodies: jobs overview, job details, plan, job config, resource requirements. */

/** `ExecutionState` values in Flink's declaration order (Flink 1.x), the keys of `tasks` maps. */
const EXECUTION_STATES = [
  'CREATED',
  'SCHEDULED',
  'DEPLOYING',
  'RUNNING',
  'FINISHED',
  'CANCELING',
  'CANCELED',
  'FAILED',
  'RECONCILING',
  'INITIALIZING',
] as const;
/** `JobStatus` values (Flink 1.x), the keys of the `timestamps` map of job details. */
const JOB_STATES = [
  'INITIALIZING',
  'CREATED',
  'RUNNING',
  'FAILING',
  'FAILED',
  'CANCELLING',
  'CANCELED',
  'FINISHED',
  'RESTARTING',
  'SUSPENDED',
  'RECONCILING',
] as const;
/** Tasks per execution state: all of the job's subtasks are in the state its vertices are in. */
function taskCounts(cluster: SimulatedFlinkCluster, lowerCase: boolean) {
  const counts: Record<string, number> = {};
  for (const state of EXECUTION_STATES) counts[lowerCase ? state.toLowerCase() : state] = 0;
  const vertexState = vertexStatus(cluster);
  const key = lowerCase ? vertexState.toLowerCase() : vertexState;
  counts[key] = cluster.scenario.vertices.reduce((sum, vertex) => sum + cluster.parallelismOf(vertex.key), 0);
  return counts;
}

/** The simulated vertices are RUNNING with the job and CREATED while it (re)starts. */
function vertexStatus(cluster: SimulatedFlinkCluster): string {
  return cluster.state === 'RUNNING' ? 'RUNNING' : 'CREATED';
}

/** `GET /jobs/overview` (`JobsOverviewHandler`, `MultipleJobsDetails`; lower-case task states). */
export function jobsOverview(cluster: SimulatedFlinkCluster) {
  const tasks = taskCounts(cluster, true);
  return {
    jobs: [
      {
        jid: cluster.jobId,
        name: cluster.scenario.jobName,
        state: cluster.state,
        'start-time': cluster.startTimeMs,
        'end-time': -1,
        duration: cluster.nowMs - cluster.startTimeMs,
        'last-modification': Math.max(...Object.values(cluster.timestamps)),
        tasks: { total: Object.values(tasks).reduce((a, b) => a + b, 0), ...tasks },
      },
    ],
  };
}

/**
 * The job plan (`JsonPlanGenerator`, Flink 1.x): one node per vertex with `inputs[]` edges and the
 * HTML-escaped description; served by `GET /jobs/{id}/plan` and embedded in job details.
 */
export function plan(cluster: SimulatedFlinkCluster) {
  const byKey = new Map(cluster.scenario.vertices.map((vertex) => [vertex.key, vertex]));
  return {
    jid: cluster.jobId,
    name: cluster.scenario.jobName,
    type: 'STREAMING',
    nodes: cluster.scenario.vertices.map((vertex) => ({
      id: vertex.vertexId,
      parallelism: cluster.parallelismOf(vertex.key),
      operator: '',
      operator_strategy: '',
      description: `${vertex.taskName.replace(/>/g, '&gt;')}<br/>`,
      ...(vertex.inputs.length > 0
        ? {
            inputs: vertex.inputs.map((input, num) => ({
              num,
              id: byKey.get(input.from)?.vertexId,
              ship_strategy: input.shipStrategy,
              exchange: 'pipelined_bounded',
            })),
          }
        : {}),
      optimizer_properties: {},
    })),
  };
}

/**
 * `GET /jobs/{id}` (`JobDetailsHandler`, `JobDetailsInfo`): vertices with IO metrics
 * (`IOMetricsInfo`; accumulated busy/idle/back-pressured time from Flink 1.16) and, from Flink
 * 1.20, `slotSharingGroupId`.
 */
export function jobDetails(cluster: SimulatedFlinkCluster) {
  const version = cluster.scenario.flinkVersion;
  const withAccumulated = versionAtLeast(version, 1, 16);
  const withSlotSharing = versionAtLeast(version, 1, 20);
  const timestamps: Record<string, number> = {};
  for (const state of JOB_STATES) timestamps[state] = cluster.timestamps[state] ?? 0;
  const status = vertexStatus(cluster);
  return {
    jid: cluster.jobId,
    name: cluster.scenario.jobName,
    isStoppable: false,
    state: cluster.state,
    'start-time': cluster.startTimeMs,
    'end-time': -1,
    duration: cluster.nowMs - cluster.startTimeMs,
    maxParallelism: -1,
    now: cluster.nowMs,
    timestamps,
    vertices: cluster.scenario.vertices.map((vertex) => {
      const parallelism = cluster.parallelismOf(vertex.key);
      const counters = cluster.counters(vertex.key);
      const tasks: Record<string, number> = {};
      for (const state of EXECUTION_STATES) tasks[state] = state === status ? parallelism : 0;
      const readRecords = vertex.source ? 0 : Math.round(counters.recordsIn);
      const writeRecords = Math.round(counters.recordsOut);
      const runningTs = cluster.timestamps['RUNNING'] ?? cluster.startTimeMs;
      return {
        id: vertex.vertexId,
        name: vertex.taskName,
        maxParallelism: vertex.maxParallelism,
        parallelism,
        status,
        'start-time': cluster.state === 'RUNNING' ? runningTs : -1,
        'end-time': -1,
        duration: cluster.state === 'RUNNING' ? cluster.nowMs - runningTs : -1,
        tasks,
        metrics: {
          'read-bytes': readRecords * 100,
          'read-bytes-complete': true,
          'write-bytes': writeRecords * 100,
          'write-bytes-complete': true,
          'read-records': readRecords,
          'read-records-complete': true,
          'write-records': writeRecords,
          'write-records-complete': true,
          ...(withAccumulated
            ? {
                'accumulated-backpressured-time': Math.round(counters.backPressuredMs),
                'accumulated-idle-time': Math.round(counters.idleMs),
                // Legacy sources cannot measure busy time; Flink serializes the NaN as a string.
                'accumulated-busy-time': vertex.source?.type === 'legacy' ? Number.NaN : counters.busyMs,
              }
            : {}),
        },
        ...(withSlotSharing ? { slotSharingGroupId: slotSharingGroupId(cluster, vertex) } : {}),
      };
    }),
    'status-counts': taskCounts(cluster, false),
    plan: plan(cluster),
  };
}

/** `GET /jobs/{id}/resource-requirements` (`JobResourceRequirementsHandler`, Flink 1.18+). */
export function resourceRequirements(cluster: SimulatedFlinkCluster) {
  const body: Record<string, { parallelism: { lowerBound: number; upperBound: number } }> = {};
  for (const vertex of cluster.scenario.vertices) {
    body[vertex.vertexId] = { parallelism: { lowerBound: 1, upperBound: cluster.parallelismOf(vertex.key) } };
  }
  return body;
}

/** A stable opaque id per slot sharing group, derived like the vertex ids. */
function slotSharingGroupId(cluster: SimulatedFlinkCluster, vertex: NormalizedVertex): string {
  return hexId(`${cluster.scenario.name}/ssg/${vertex.slotSharingGroup}`);
}

/** `GET /jobs/{id}/config` (`JobConfigHandler`, `JobConfigInfo`, Flink 1.x). */
export function jobConfig(cluster: SimulatedFlinkCluster) {
  return {
    jid: cluster.jobId,
    name: cluster.scenario.jobName,
    'execution-config': {
      'execution-mode': 'PIPELINED',
      'restart-strategy': 'Cluster level default restart strategy',
      'job-parallelism': Math.max(
        ...cluster.scenario.vertices.map((vertex) => cluster.parallelismOf(vertex.key)),
      ),
      'object-reuse-mode': false,
      'user-config': {},
    },
  };
}

