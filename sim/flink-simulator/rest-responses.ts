import { PARALLELISM_OVERRIDES_KEY } from '../../lib/domain/owned-keys.ts';
import { hexId, type NormalizedVertex } from './parse-scenario.ts';
import { type SimulatedFlinkCluster, type SubtaskValues, versionAtLeast } from './simulated-cluster.ts';

/**
 * Builds the JSON bodies of the Flink REST API (shapes of reference/flink-rest-v1.yml and the
 * captured samples) from the simulated cluster. Pure: one function per endpoint family.
 */

/** A REST answer: status and JSON-serializable body. */
export interface RestAnswer {
  readonly status: number;
  readonly body: unknown;
}

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
const AGGREGATIONS = ['min', 'max', 'avg', 'sum'] as const;
type Aggregation = (typeof AGGREGATIONS)[number];

const ok = (body: unknown): RestAnswer => ({ status: 200, body });
const notFound = (message: string): RestAnswer => ({ status: 404, body: { errors: [message] } });
const badRequest = (message: string): RestAnswer => ({ status: 400, body: { errors: [message] } });

/** Routes one GET. `path` has no `/v1` prefix and no query. */
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
      // Per-job configuration exists from Flink 1.19 on.
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

function overview(cluster: SimulatedFlinkCluster) {
  const tms = cluster.taskManagers();
  const total = tms.reduce((sum, tm) => sum + tm.slots, 0);
  const free = tms.reduce((sum, tm) => sum + tm.freeSlots, 0);
  return {
    taskmanagers: tms.length,
    'slots-total': total,
    'slots-available': free,
    'jobs-running': cluster.state === 'RUNNING' ? 1 : 0,
    'jobs-finished': 0,
    'jobs-cancelled': 0,
    'jobs-failed': 0,
    'flink-version': cluster.scenario.flinkVersion,
    'flink-commit': 'simulat',
    ...(versionAtLeast(cluster.scenario.flinkVersion, 1, 17)
      ? { 'slots-free-and-blocked': 0, 'taskmanagers-blocked': 0 }
      : {}),
  };
}

function dashboardConfig(cluster: SimulatedFlinkCluster) {
  return {
    'refresh-interval': 3000,
    'timezone-name': 'Coordinated Universal Time',
    'timezone-offset': 0,
    'flink-version': cluster.scenario.flinkVersion,
    'flink-revision': 'simulat @ simulated',
    features: { 'web-submit': false, 'web-cancel': false, 'web-rescale': false, 'web-history': false },
  };
}

function taskCounts(cluster: SimulatedFlinkCluster, lowerCase: boolean) {
  const counts: Record<string, number> = {};
  for (const state of EXECUTION_STATES) counts[lowerCase ? state.toLowerCase() : state] = 0;
  const vertexState = vertexStatus(cluster);
  const key = lowerCase ? vertexState.toLowerCase() : vertexState;
  counts[key] = cluster.scenario.vertices.reduce((sum, vertex) => sum + cluster.parallelismOf(vertex.key), 0);
  return counts;
}

function vertexStatus(cluster: SimulatedFlinkCluster): string {
  return cluster.state === 'RUNNING' ? 'RUNNING' : 'CREATED';
}

function jobsOverview(cluster: SimulatedFlinkCluster) {
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

function plan(cluster: SimulatedFlinkCluster) {
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

function jobDetails(cluster: SimulatedFlinkCluster) {
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

function resourceRequirements(cluster: SimulatedFlinkCluster) {
  const body: Record<string, { parallelism: { lowerBound: number; upperBound: number } }> = {};
  for (const vertex of cluster.scenario.vertices) {
    body[vertex.vertexId] = { parallelism: { lowerBound: 1, upperBound: cluster.parallelismOf(vertex.key) } };
  }
  return body;
}

/**
 * `PUT /jobs/{jobid}/resource-requirements` (adaptive scheduler, Flink ≥ 1.18): applies each
 * vertex's `upperBound` as its new parallelism after the restart downtime. Only scenarios with
 * `restart.mode: in-place` (which report `jobmanager.scheduler: adaptive`) accept it.
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

function slotSharingGroupId(cluster: SimulatedFlinkCluster, vertex: NormalizedVertex): string {
  return hexId(`${cluster.scenario.name}/ssg/${vertex.slotSharingGroup}`);
}

function jobConfig(cluster: SimulatedFlinkCluster) {
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

function configuration(cluster: SimulatedFlinkCluster) {
  const { scenario } = cluster;
  const overrides = scenario.vertices.map(
    (vertex) => `${vertex.vertexId}:${cluster.parallelismOf(vertex.key)}`,
  );
  const entries: Record<string, string> = {
    'taskmanager.numberOfTaskSlots': String(scenario.taskManager.slots),
    'pipeline.max-parallelism': String(scenario.jobMaxParallelism),
    [PARALLELISM_OVERRIDES_KEY]: overrides.join(','),
    'jobmanager.scheduler': scenario.restart.mode === 'in-place' ? 'adaptive' : 'default',
    'taskmanager.memory.process.size': `${Math.round(scenario.taskManager.processSizeBytes / 1024 / 1024)}m`,
    'taskmanager.memory.managed.size': `${Math.round(scenario.taskManager.managedTotalBytes / 1024 / 1024)}m`,
    'metrics.fetcher.update-interval': '10000',
    'rest.port': '8081',
    'kubernetes.cluster-id': scenario.name,
    's3.secret-key': '******',
  };
  return Object.entries(entries).map(([key, value]) => ({ key, value }));
}

function jobManagerMetrics(cluster: SimulatedFlinkCluster): Map<string, number> {
  const tms = cluster.taskManagers();
  return new Map<string, number>([
    ['taskSlotsTotal', tms.reduce((sum, tm) => sum + tm.slots, 0)],
    ['taskSlotsAvailable', tms.reduce((sum, tm) => sum + tm.freeSlots, 0)],
    ['numRegisteredTaskManagers', tms.length],
    ['numRunningJobs', cluster.state === 'RUNNING' ? 1 : 0],
    ['Status.JVM.Memory.Heap.Used', 150 * 1024 * 1024],
    ['Status.JVM.Memory.Heap.Max', 512 * 1024 * 1024],
  ]);
}

function taskManagersInfo(cluster: SimulatedFlinkCluster) {
  const tm = cluster.scenario.taskManager;
  const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);
  return {
    taskmanagers: cluster.taskManagers().map((info, index) => {
      const resource = (slots: number) => ({
        cpuCores: slots,
        taskHeapMemory: mib(tm.heapMaxBytes) * (slots / info.slots),
        taskOffHeapMemory: 0,
        managedMemory: mib(tm.managedTotalBytes) * (slots / info.slots),
        networkMemory: 64 * (slots / info.slots),
        extendedResources: {},
      });
      return {
        id: info.id,
        path: `pekko.tcp://flink@10.0.${index >> 8}.${index & 255}:6122/user/rpc/taskmanager_0`,
        dataPort: 6121,
        jmxPort: -1,
        timeSinceLastHeartbeat: cluster.nowMs,
        slotsNumber: info.slots,
        freeSlots: info.freeSlots,
        totalResource: resource(info.slots),
        freeResource: resource(info.freeSlots),
        hardware: {
          cpuCores: info.slots,
          physicalMemory: tm.processSizeBytes,
          freeMemory: tm.heapMaxBytes,
          managedMemory: tm.managedTotalBytes,
        },
        memoryConfiguration: {
          frameworkHeap: 128 * 1024 * 1024,
          taskHeap: tm.heapMaxBytes - 128 * 1024 * 1024,
          frameworkOffHeap: 128 * 1024 * 1024,
          taskOffHeap: 0,
          networkMemory: 64 * 1024 * 1024,
          managedMemory: tm.managedTotalBytes,
          jvmMetaspace: 256 * 1024 * 1024,
          jvmOverhead: 192 * 1024 * 1024,
          totalFlinkMemory: tm.processSizeBytes - 448 * 1024 * 1024,
          totalProcessMemory: tm.processSizeBytes,
        },
        blocked: false,
      };
    }),
  };
}

/** `get` ids of a metric query (absent = listing call). Flink splits the decoded value on commas. */
function requestedIds(query: URLSearchParams): string[] | undefined {
  const raw = query.get('get');
  if (raw === null) return undefined;
  return raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
}

function parseAggregations(query: URLSearchParams): Aggregation[] | RestAnswer {
  const raw = query.get('agg');
  if (raw === null) return [...AGGREGATIONS];
  const result: Aggregation[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim().toLowerCase();
    if (!(AGGREGATIONS as readonly string[]).includes(name)) {
      return badRequest(`Invalid aggregation mode '${part}'. Allowed: ${AGGREGATIONS.join(', ')}.`);
    }
    result.push(name as Aggregation);
  }
  return result;
}

/** Parses `subtasks=0,2,5-9`; undefined = all. */
function parseSubtaskRanges(raw: string | null): Set<number> | RestAnswer | undefined {
  if (raw === null) return undefined;
  const result = new Set<number>();
  for (const part of raw.split(',')) {
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!match) return badRequest(`Invalid subtask range '${part}'.`);
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    for (let index = from; index <= to; index++) result.add(index);
  }
  return result;
}

function aggregate(values: readonly number[], aggregations: readonly Aggregation[]) {
  const result: Record<string, number> = {};
  if (values.length === 0) return result;
  const sum = values.reduce((a, b) => a + b, 0);
  for (const aggregation of aggregations) {
    if (aggregation === 'min')
      result['min'] = values.reduce((a, b) => (Number.isNaN(b) ? b : Math.min(a, b)));
    if (aggregation === 'max')
      result['max'] = values.reduce((a, b) => (Number.isNaN(b) ? b : Math.max(a, b)));
    if (aggregation === 'avg') result['avg'] = sum / values.length;
    if (aggregation === 'sum') result['sum'] = sum;
  }
  return result;
}

function vertexAggregates(
  cluster: SimulatedFlinkCluster,
  vertex: NormalizedVertex,
  query: URLSearchParams,
): RestAnswer {
  const metrics = cluster.vertexMetrics(vertex.key);
  const ids = requestedIds(query);
  if (ids === undefined) return ok([...metrics.keys()].map((id) => ({ id })));
  const aggregations = parseAggregations(query);
  if (!Array.isArray(aggregations)) return aggregations;
  const subtasks = parseSubtaskRanges(query.get('subtasks'));
  if (subtasks !== undefined && !(subtasks instanceof Set)) return subtasks;
  const body = [];
  for (const id of ids) {
    const values = metrics.get(id);
    // Unknown ids are silently absent, as in Flink.
    if (values === undefined) continue;
    const selected = pick(values, subtasks);
    if (selected.length === 0) continue;
    body.push({ id, ...aggregate(selected, aggregations) });
  }
  return ok(body);
}

function pick(values: SubtaskValues, subtasks: Set<number> | undefined): number[] {
  const result: number[] = [];
  values.forEach((value, index) => {
    if (value !== undefined && (subtasks === undefined || subtasks.has(index))) result.push(value);
  });
  return result;
}

function vertexSubtaskCollection(
  cluster: SimulatedFlinkCluster,
  vertex: NormalizedVertex,
  query: URLSearchParams,
): RestAnswer {
  // `/vertices/{id}/metrics` prefixes every id with the subtask index.
  const prefixed = new Map<string, number>();
  for (const [id, values] of cluster.vertexMetrics(vertex.key)) {
    values.forEach((value, index) => {
      if (value !== undefined) prefixed.set(`${index}.${id}`, value);
    });
  }
  return metricCollection(prefixed, query);
}

function metricCollection(metrics: ReadonlyMap<string, number>, query: URLSearchParams): RestAnswer {
  const ids = requestedIds(query);
  if (ids === undefined) return ok([...metrics.keys()].map((id) => ({ id })));
  const body = [];
  for (const id of ids) {
    const value = metrics.get(id);
    // Collection values are strings in Flink (`"16"`, `"NaN"`).
    if (value !== undefined) body.push({ id, value: String(value) });
  }
  return ok(body);
}

function taskManagerAggregates(cluster: SimulatedFlinkCluster, query: URLSearchParams): RestAnswer {
  const tms = cluster.metricsReported() ? cluster.taskManagers() : [];
  const filter = query.get('taskmanagers');
  const wanted = filter === null ? undefined : new Set(filter.split(',').map((id) => id.trim()));
  const selected = tms.filter((tm) => wanted === undefined || wanted.has(tm.id));
  const ids = requestedIds(query);
  if (ids === undefined) {
    const all = new Set<string>();
    for (const tm of selected) for (const id of tm.metrics.keys()) all.add(id);
    return ok([...all].map((id) => ({ id })));
  }
  const aggregations = parseAggregations(query);
  if (!Array.isArray(aggregations)) return aggregations;
  // Observed Flink behaviour the Java autoscaler works around: one unknown id empties the answer.
  if (ids.some((id) => selected.every((tm) => !tm.metrics.has(id)))) return ok([]);
  return ok(
    ids.map((id) => ({
      id,
      ...aggregate(
        selected.map((tm) => tm.metrics.get(id) ?? 0),
        aggregations,
      ),
    })),
  );
}
