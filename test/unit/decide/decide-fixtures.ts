/**
 * Builders of `decide()` inputs for the executor tests: a Kafka source → map → sink job whose
 * metric window is produced by the real `computeSample`, one sample per minute.
 */
import { resolveOptions } from '../../../lib/config/index.ts';
import {
  emptyJobState,
  type JobState,
  type JobTopology,
  type MetricSample,
  type RawJobMetrics,
} from '../../../lib/domain/index.ts';
import type { DecideInput } from '../../../lib/decide/decide.ts';
import { computeSample } from '../../../lib/collect/index.ts';

export const SOURCE = 'cbc357ccb763df2852fee8c4fc7d55f2';
export const MAP = '90bea66de1c231edf33913ecd54406c1';
export const SINK = '6cdc5bb954874d922eaee11a8e7ca5be';
export const T0 = Date.parse('2026-03-02T09:00:00Z');
export const MINUTE = 60_000;

/** Knobs of the synthetic job. Rates in records/s, busy time in ms/s. */
export interface JobParams {
  readonly parallelism?: readonly [number, number, number];
  /** Records/s the source consumes. */
  readonly consumedPerSecond?: number;
  /** Records/s the backlog grows by (producers − consumed). */
  readonly lagGrowthPerSecond?: number;
  /** Backlog at minute 0, records (default 100,000). */
  readonly initialLag?: number;
  readonly busyMsPerSecond?: readonly [number, number, number];
  /** Samples before the current cycle (stored window). */
  readonly storedSamples?: number;
  readonly configuration?: Readonly<Record<string, string>>;
  readonly missingRequired?: readonly string[];
  readonly state?: JobState;
  readonly jobId?: string;
  readonly gcTimeMsPerSecond?: number;
  /** Slots the job uses (JobManager metrics); default 2 = the widest vertex (shared slots). */
  readonly taskSlotsUsed?: number;
}

export function jobTopology(params: JobParams = {}): JobTopology {
  const [ps, pm, pk] = params.parallelism ?? [2, 2, 2];
  return {
    jobId: params.jobId ?? 'a3f5e8d2c41b4e7f9a0b1c2d3e4f5a6b',
    jobRunningTsMs: T0 - 10 * MINUTE,
    vertices: [
      {
        id: SOURCE,
        parallelism: ps,
        maxParallelism: 128,
        inputs: [],
        finished: false,
        numSourcePartitions: 12,
      },
      {
        id: MAP,
        parallelism: pm,
        maxParallelism: 128,
        inputs: [{ id: SOURCE, shipStrategy: 'HASH' }],
        finished: false,
        numSourcePartitions: 0,
      },
      {
        id: SINK,
        parallelism: pk,
        maxParallelism: 128,
        inputs: [{ id: MAP, shipStrategy: 'REBALANCE' }],
        finished: false,
        numSourcePartitions: 0,
      },
    ],
  };
}

export function rawAt(minute: number, params: JobParams = {}): RawJobMetrics {
  const topology = jobTopology(params);
  const rate = params.consumedPerSecond ?? 3000;
  const growth = params.lagGrowthPerSecond ?? 2000;
  const [bs, bm, bk] = params.busyMsPerSecond ?? [950, 560, 280];
  const s = minute * 60 + 36_000;
  const consumed = rate * s;
  const busy = (ms: number) => ({ min: ms * 0.9, max: ms, avg: ms * 0.95 });
  return {
    collectedAtMs: T0 + minute * MINUTE,
    topology,
    vertices: {
      [SOURCE]: {
        busyTimeMsPerSecond: busy(bs),
        backPressuredTimeMsPerSecond: { avg: 0, max: 0 },
        sourceNumRecordsInPerSecond: rate,
        sourceNumRecordsIn: consumed,
        pendingRecords: (params.initialLag ?? 100_000) + growth * minute * 60,
        readRecords: 0,
        writeRecords: consumed,
      },
      [MAP]: {
        busyTimeMsPerSecond: busy(bm),
        numRecordsInPerSecond: rate,
        readRecords: consumed,
        writeRecords: consumed,
      },
      [SINK]: {
        busyTimeMsPerSecond: busy(bk),
        numRecordsInPerSecond: rate,
        readRecords: consumed,
        writeRecords: 0,
      },
    },
    taskManagers: {
      heapUsedBytes: { max: 500_000_000 },
      heapMaxBytes: { max: 1_000_000_000 },
      gcTimeMsPerSecond: { max: params.gcTimeMsPerSecond ?? 10 },
      metaspaceUsedBytes: { max: 90_000_000 },
      managedUsedBytes: { max: 0 },
    },
    jobManager: { taskSlotsTotal: params.taskSlotsUsed ?? 2, taskSlotsAvailable: 0 },
    ...(params.missingRequired ? { missingRequired: params.missingRequired } : {}),
  };
}

/** A decide input at minute `storedSamples` (default 15: a full 15-minute window). */
export function decideInput(params: JobParams = {}): DecideInput {
  const options = resolveOptions({ 'taskmanager.numberOfTaskSlots': '1', ...params.configuration }).options;
  const stored = params.storedSamples ?? 15;
  const samples: MetricSample[] = [];
  for (let m = 0; m < stored; m++) samples.push(computeSample(rawAt(m, params), samples, options));
  return {
    options,
    raw: rawAt(stored, params),
    samples,
    state: params.state ?? emptyJobState(),
    nowMs: T0 + stored * MINUTE,
  };
}
