/**
 * What the in-memory store keeps of a state and a sample: plain objects shaped and rounded the
 * way a durable store reads them back (docs/algorithm.md §2.4 rounding, only the fields of the stored
 * schema), so a cycle sees the same numbers on every store. Sizes are estimated, since nothing
 * here is serialised.
 */
import { brotliCompressSync, constants } from 'node:zlib';
import type {
  GlobalSampleMetrics,
  JobState,
  MetricSample,
  ScalingSummary,
  VertexSampleMetrics,
} from '../../domain/index.ts';
import { parseRollbackState } from '../../domain/rollback-state.ts';
import { roundMetric } from '../state/stored-metric.ts';

/** A copy of `state` with the stored fields only and its metrics rounded. */
export function storedState(state: JobState): JobState {
  return {
    schemaVersion: 1,
    scalingHistory: Object.fromEntries(
      Object.entries(state.scalingHistory).map(([id, entries]) => [id, entries.map(storedSummary)]),
    ),
    scalingTracking: state.scalingTracking.map((r) =>
      r.restartDurationMs === undefined
        ? { startMs: r.startMs }
        : { startMs: r.startMs, restartDurationMs: r.restartDurationMs },
    ),
    delayedScaleDown: Object.fromEntries(
      Object.entries(state.delayedScaleDown).map(([id, d]) => [
        id,
        {
          firstTriggerTimeMs: d.firstTriggerTimeMs,
          recommendations: d.recommendations.map((r) => ({
            triggerTimeMs: r.triggerTimeMs,
            parallelism: r.parallelism,
            outsideUtilizationBound: r.outsideUtilizationBound,
          })),
        },
      ]),
    ),
    parallelismOverrides: { ...state.parallelismOverrides },
    configOverrides: {
      overrides: { ...state.configOverrides.overrides },
      removals: [...state.configOverrides.removals],
    },
    ...(state.memoryHistory !== undefined ? { memoryHistory: structuredClone(state.memoryHistory) } : {}),
    ...(state.lastEvaluationMs !== undefined ? { lastEvaluationMs: state.lastEvaluationMs } : {}),
    ...(state.vertexNames !== undefined ? { vertexNames: { ...state.vertexNames } } : {}),
    ...(state.costLedger !== undefined ? { costLedger: { ...state.costLedger } } : {}),
    // Parsed back from its JSON form, as the DynamoDB codec does (absent optional fields dropped).
    ...(state.rollback !== undefined
      ? { rollback: parseRollbackState(JSON.parse(JSON.stringify(state.rollback))) }
      : {}),
    ...(state.jobId !== undefined ? { jobId: state.jobId } : {}),
    ...(state.topologyHash !== undefined ? { topologyHash: state.topologyHash } : {}),
  };
}

function storedSummary(s: ScalingSummary): ScalingSummary {
  return {
    tsMs: s.tsMs,
    currentParallelism: s.currentParallelism,
    newParallelism: s.newParallelism,
    metrics: {
      trueProcessingRateAvg: roundMetric(s.metrics.trueProcessingRateAvg),
      expectedProcessingRate: roundMetric(s.metrics.expectedProcessingRate),
      targetDataRateAvg: roundMetric(s.metrics.targetDataRateAvg),
    },
    ...(s.catchUpCapacity !== undefined ? { catchUpCapacity: roundMetric(s.catchUpCapacity) } : {}),
    ...(s.shortfallCheckDue === true ? { shortfallCheckDue: true } : {}),
  };
}

/** A copy of `sample` with its metric values rounded and absent values left out. */
export function storedSample(sample: MetricSample): MetricSample {
  return {
    tsMs: sample.tsMs,
    vertices: Object.fromEntries(
      Object.entries(sample.vertices).map(([id, metrics]) => [id, roundedMetrics(metrics) as VertexSampleMetrics]),
    ),
    global: roundedMetrics(sample.global) as GlobalSampleMetrics,
  };
}

function roundedMetrics(metrics: object): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(metrics) as [string, number | undefined][]) {
    if (value !== undefined) out[name] = roundMetric(value);
  }
  return out;
}

/**
 * Estimated stored size of a value in bytes: its JSON compressed with Brotli, close to what a
 * durable store keeps, so the size limits (trimming, rejection) apply at comparable sizes
 * without tying this store to one database's item format.
 */
export function estimatedStoredBytes(value: unknown): number {
  const text = JSON.stringify(value);
  return brotliCompressSync(Buffer.from(text, 'utf8'), {
    params: {
      // Quality 5: the ratio matters, not the last percent; trimming may measure several times.
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
    },
  }).byteLength;
}
