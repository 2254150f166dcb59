import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type FlinkJobTarget, FlinkRestError } from '../../ports/metrics-source.ts';
import { encodeMetricIds, type FlinkRestClient } from './flink-rest-client.ts';
import { GC_TIME_METRIC_ID, TASK_MANAGER_METRIC_IDS } from './flink-rest-metrics-source.ts';
import { parseJobsOverview } from './parse-cluster-responses.ts';
import { parseJobDetails } from './parse-job-details.ts';
import { parseMetricIdList } from './parse-metric-responses.ts';
import { selectVertexMetrics } from './vertex-metric-names.ts';

/** One recorded call, as listed in `index.json`. */
export interface RecordedResponse {
  /** File name in the output directory; absent when the call failed. */
  readonly file?: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  /** 200, or the failing status (e.g. 404 for `/jobs/{id}/jobmanager/config` before 1.19). */
  readonly status: number | 'error';
  readonly error?: string;
}

/** Options of {@link recordRestResponses}. */
export interface RecordRestResponsesOptions {
  readonly client: FlinkRestClient;
  readonly target: FlinkJobTarget;
  readonly outDir: string;
  readonly timeoutMs: number;
  /**
   * Epoch ms the capture is taken at, written to `index.json` (`capturedAtMs`, `capturedAt`) so a
   * series of captures can be replayed in time order (`fsa replay`). @default the wall clock at
   * the start of the recording
   */
  readonly capturedAtMs?: number;
}

/** Result: which job was recorded and every call made. */
export interface RecordRestResponsesResult {
  readonly jobId: string;
  /** Epoch ms the capture was taken at (as written to `index.json`). */
  readonly capturedAtMs: number;
  readonly responses: readonly RecordedResponse[];
}

/**
 * Saves the raw REST responses the collector reads (plus the cluster overview endpoints) as
 * fixture files: one pretty-printed JSON file per call and an `index.json` listing path, query
 * and status. Job details and metric listings are required; other failures are recorded in the
 * index and do not stop the recording (old versions lack some endpoints).
 */
export async function recordRestResponses(
  options: RecordRestResponsesOptions,
): Promise<RecordRestResponsesResult> {
  const { client, target, outDir, timeoutMs } = options;
  // Taken before the first call: the metrics are read right after it (as the cycle's `now`).
  const capturedAtMs = options.capturedAtMs ?? Date.now();
  await mkdir(outDir, { recursive: true });
  const responses: RecordedResponse[] = [];
  const used = new Set<string>();

  const record = async (
    name: string,
    path: string,
    query?: Record<string, string>,
    required = false,
  ): Promise<unknown> => {
    let file = `${name}.json`;
    for (let n = 2; used.has(file); n++) file = `${name}-${n}.json`;
    used.add(file);
    try {
      const body = await client.getJson(target, { path, timeoutMs, ...(query ? { query } : {}) });
      await writeFile(join(outDir, file), `${JSON.stringify(body, null, 2)}\n`);
      responses.push({ file, path, ...(query ? { query } : {}), status: 200 });
      return body;
    } catch (error) {
      if (required || !(error instanceof FlinkRestError)) throw error;
      responses.push({
        path,
        ...(query ? { query } : {}),
        status: error.status ?? 'error',
        error: error.message,
      });
      return undefined;
    }
  };

  await record('overview', '/overview');
  await record('config', '/config');
  await record('jobs', '/jobs');
  const overview = await record('jobs-overview', '/jobs/overview', undefined, true);
  let jobId = target.jobId;
  if (jobId === undefined) {
    const running = parseJobsOverview(overview).filter((job) => job.state === 'RUNNING');
    if (running.length === 0) throw new Error(`No RUNNING job on ${target.restBaseUrl}; pass --job <id>`);
    jobId = running[0]!.jobId;
  }
  const jobPath = `/jobs/${encodeURIComponent(jobId)}`;
  const details = parseJobDetails(await record('jobs-jobid', jobPath, undefined, true), jobPath);
  await record('jobs-jobid-plan', `${jobPath}/plan`);
  await record('jobs-jobid-status', `${jobPath}/status`);
  await record('jobs-jobid-config', `${jobPath}/config`);
  await record('jobs-jobid-jobmanager-config', `${jobPath}/jobmanager/config`);
  await record('jobmanager-config', '/jobmanager/config');
  await record('jobmanager-metrics', '/jobmanager/metrics');
  await record('jobmanager-metrics-get', '/jobmanager/metrics', {
    get: encodeMetricIds(['taskSlotsTotal', 'taskSlotsAvailable']),
  });
  await record('taskmanagers', '/taskmanagers');
  await record('taskmanagers-metrics', '/taskmanagers/metrics');
  const tmIds = Object.values(TASK_MANAGER_METRIC_IDS);
  await record('taskmanagers-metrics-get-with-gc', '/taskmanagers/metrics', {
    get: encodeMetricIds([...tmIds, GC_TIME_METRIC_ID]),
    agg: 'min,max,avg',
  });
  await record('taskmanagers-metrics-get', '/taskmanagers/metrics', {
    get: encodeMetricIds(tmIds),
    agg: 'min,max,avg',
  });

  for (const [index, vertex] of details.vertices.entries()) {
    const path = `${jobPath}/vertices/${encodeURIComponent(vertex.id)}/subtasks/metrics`;
    const name = `vertex-${index}-${vertex.id}-subtasks-metrics`;
    const listing = await record(name, path, undefined, true);
    const selection = selectVertexMetrics(parseMetricIdList(listing, path), vertex.inputs.length === 0);
    if (selection.queryIds.length > 0)
      await record(`${name}-get`, path, { get: encodeMetricIds(selection.queryIds) });
  }
  await writeFile(
    join(outDir, 'index.json'),
    `${JSON.stringify(
      { restBaseUrl: target.restBaseUrl, jobId, capturedAtMs, capturedAt: new Date(capturedAtMs).toISOString(), responses },
      null,
      2,
    )}\n`,
  );
  return { jobId, capturedAtMs, responses };
}
