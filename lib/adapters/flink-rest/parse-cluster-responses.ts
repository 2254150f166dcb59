import { FlinkResponseFormatError } from '../../ports/metrics-source.ts';
import {
  isJsonObject,
  optionalString,
  readFlinkNumber,
  requireArray,
  requireFiniteNumber,
  requireObject,
  requireString,
} from './json-values.ts';

/**
 * Parsers of the cluster-level endpoints (`/overview`, `/config`, `/jobs`, `/jobs/overview`,
 * `/taskmanagers`, vertex details, checkpoints). Each returns the subset the autoscaler and the
 * CLI use and ignores unknown fields, since newer Flink versions only add fields
 * (docs/flink-rest.md §6).
 */

/** `GET /overview`. */
export interface ClusterOverview {
  readonly taskManagers: number;
  readonly slotsTotal: number;
  readonly slotsAvailable: number;
  readonly jobsRunning: number;
  readonly flinkVersion?: string;
}

/** Parses `GET /overview` (TaskManagers, slots, running jobs); throws {@link FlinkResponseFormatError}. */
export function parseClusterOverview(body: unknown, path = '/overview'): ClusterOverview {
  const root = requireObject(body, path, '(body)');
  const flinkVersion = optionalString(root['flink-version']);
  return {
    taskManagers: requireFiniteNumber(root['taskmanagers'], path, 'taskmanagers'),
    slotsTotal: requireFiniteNumber(root['slots-total'], path, 'slots-total'),
    slotsAvailable: requireFiniteNumber(root['slots-available'], path, 'slots-available'),
    jobsRunning: requireFiniteNumber(root['jobs-running'], path, 'jobs-running'),
    ...(flinkVersion === undefined ? {} : { flinkVersion }),
  };
}

/** `GET /config` (dashboard configuration). */
export interface DashboardConfig {
  readonly flinkVersion: string;
  readonly flinkRevision?: string;
  readonly refreshIntervalMs?: number;
}

/** Parses `GET /config` (Flink version and revision); throws {@link FlinkResponseFormatError}. */
export function parseDashboardConfig(body: unknown, path = '/config'): DashboardConfig {
  const root = requireObject(body, path, '(body)');
  const flinkRevision = optionalString(root['flink-revision']);
  const refreshIntervalMs = readFlinkNumber(root['refresh-interval']);
  return {
    flinkVersion: requireString(root['flink-version'], path, 'flink-version'),
    ...(flinkRevision === undefined ? {} : { flinkRevision }),
    ...(refreshIntervalMs === undefined ? {} : { refreshIntervalMs }),
  };
}

/** One job of `GET /jobs/overview` or `GET /jobs`. */
export interface JobSummary {
  readonly jobId: string;
  readonly state: string;
  readonly name?: string;
  readonly startTimeMs?: number;
}

/** `GET /jobs/overview` (`{"jobs":[{"jid","name","state","start-time",…}]}`). */
export function parseJobsOverview(body: unknown, path = '/jobs/overview'): JobSummary[] {
  const root = requireObject(body, path, '(body)');
  return requireArray(root['jobs'], path, 'jobs').map((raw, index) => {
    const job = requireObject(raw, path, `jobs[${index}]`);
    const name = optionalString(job['name']);
    const startTimeMs = readFlinkNumber(job['start-time']);
    return {
      jobId: requireString(job['jid'], path, `jobs[${index}].jid`),
      state: requireString(job['state'], path, `jobs[${index}].state`),
      ...(name === undefined ? {} : { name }),
      ...(startTimeMs === undefined ? {} : { startTimeMs }),
    };
  });
}

/** `GET /jobs` (`{"jobs":[{"id","status"}]}`). */
export function parseJobIdsWithStatus(body: unknown, path = '/jobs'): JobSummary[] {
  const root = requireObject(body, path, '(body)');
  return requireArray(root['jobs'], path, 'jobs').map((raw, index) => {
    const job = requireObject(raw, path, `jobs[${index}]`);
    return {
      jobId: requireString(job['id'], path, `jobs[${index}].id`),
      state: requireString(job['status'], path, `jobs[${index}].status`),
    };
  });
}

/** One TaskManager of `GET /taskmanagers`. */
export interface TaskManagerSummary {
  readonly id: string;
  readonly slotsNumber: number;
  readonly freeSlots: number;
  /** `memoryConfiguration` fields in bytes, when reported (keys as Flink names them). */
  readonly memoryConfigurationBytes: Readonly<Record<string, number>>;
}

/** Parses `GET /taskmanagers`, one summary per TaskManager; throws {@link FlinkResponseFormatError}. */
export function parseTaskManagers(body: unknown, path = '/taskmanagers'): TaskManagerSummary[] {
  const root = requireObject(body, path, '(body)');
  return requireArray(root['taskmanagers'], path, 'taskmanagers').map((raw, index) => {
    const tm = requireObject(raw, path, `taskmanagers[${index}]`);
    const memory: Record<string, number> = {};
    if (isJsonObject(tm['memoryConfiguration'])) {
      for (const [key, value] of Object.entries(tm['memoryConfiguration'])) {
        const bytes = readFlinkNumber(value);
        if (bytes !== undefined) memory[key] = bytes;
      }
    }
    return {
      id: requireString(tm['id'], path, `taskmanagers[${index}].id`),
      slotsNumber: requireFiniteNumber(tm['slotsNumber'], path, `taskmanagers[${index}].slotsNumber`),
      freeSlots: requireFiniteNumber(tm['freeSlots'], path, `taskmanagers[${index}].freeSlots`),
      memoryConfigurationBytes: memory,
    };
  });
}

/** `GET /jobs/{jobid}/vertices/{vertexid}`: per-subtask status and IO counters. */
export interface VertexDetails {
  readonly id: string;
  readonly parallelism: number;
  readonly subtasks: readonly {
    readonly index: number;
    readonly status: string;
    readonly readRecords?: number;
  }[];
}

/** Parses `GET /jobs/{jobid}/vertices/{vertexid}`; throws {@link FlinkResponseFormatError}. */
export function parseVertexDetails(body: unknown, path = '/jobs/{jobid}/vertices/{vertexid}'): VertexDetails {
  const root = requireObject(body, path, '(body)');
  const subtasks = requireArray(root['subtasks'], path, 'subtasks').map((raw, index) => {
    const subtask = requireObject(raw, path, `subtasks[${index}]`);
    const metrics = isJsonObject(subtask['metrics']) ? subtask['metrics'] : {};
    const readRecords = readFlinkNumber(metrics['read-records']);
    return {
      index: requireFiniteNumber(subtask['subtask'], path, `subtasks[${index}].subtask`),
      status: requireString(subtask['status'], path, `subtasks[${index}].status`),
      ...(readRecords === undefined ? {} : { readRecords }),
    };
  });
  return {
    id: requireString(root['id'], path, 'id'),
    parallelism: requireFiniteNumber(root['parallelism'], path, 'parallelism'),
    subtasks,
  };
}

/** `GET /jobs/{jobid}/checkpoints`: counts and the latest completed checkpoint. */
export interface CheckpointSummary {
  readonly completed: number;
  readonly failed: number;
  readonly inProgress: number;
  readonly latestCompletedExternalPath?: string;
  readonly latestCompletedEndToEndDurationMs?: number;
}

/** Parses the counts and latest completed checkpoint of `GET /jobs/{jobid}/checkpoints`. */
export function parseCheckpointStatistics(
  body: unknown,
  path = '/jobs/{jobid}/checkpoints',
): CheckpointSummary {
  const root = requireObject(body, path, '(body)');
  const counts = requireObject(root['counts'], path, 'counts');
  const latest = isJsonObject(root['latest']) ? root['latest'] : {};
  const completed = latest['completed'];
  if (completed !== undefined && completed !== null && !isJsonObject(completed)) {
    throw new FlinkResponseFormatError(path, 'latest.completed', 'must be an object or null');
  }
  const externalPath = isJsonObject(completed) ? optionalString(completed['external_path']) : undefined;
  const duration = isJsonObject(completed) ? readFlinkNumber(completed['end_to_end_duration']) : undefined;
  return {
    completed: requireFiniteNumber(counts['completed'], path, 'counts.completed'),
    failed: requireFiniteNumber(counts['failed'], path, 'counts.failed'),
    inProgress: requireFiniteNumber(counts['in_progress'], path, 'counts.in_progress'),
    ...(externalPath === undefined ? {} : { latestCompletedExternalPath: externalPath }),
    ...(duration === undefined ? {} : { latestCompletedEndToEndDurationMs: duration }),
  };
}
