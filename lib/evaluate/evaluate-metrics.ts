/**
 * The evaluation stage (docs/algorithm.md §3.1–3.7, Java `ScalingMetricEvaluator`):
 * metric window → per-vertex rates, capacities and thresholds, plus job-level metrics.
 */
import type { AutoscalerOptions } from '../config/index.ts';
import type {
  EvaluatedMetric,
  EvaluatedMetrics,
  EvaluatedVertexMetrics,
  JobTopology,
  MetricSample,
  StepTargetDataRate,
  VertexId,
  VertexInfo,
} from '../domain/index.ts';
import { counterRate, vertexMetricValue } from '../domain/sample-series.ts';
import { roundMetric } from '../domain/metric-rounding.ts';
import { EvaluationInputError, MissingIngestionRateError } from './evaluation-error.ts';
import { evaluateGlobalMetrics } from './global-metrics.ts';
import { computeOutputRatio } from './output-ratio.ts';
import { isProcessingBacklog } from './processing-backlog.ts';
import {
  computeBusyTimeMsPerSecond,
  computeTprInputRate,
  computeTrueProcessingRate,
} from './processing-rate.ts';
import {
  downstreamStepTargetDataRate,
  type StepRateInput,
  sourceStepRate,
  isSourceLoadRising,
  sourceStepTargetDataRate,
} from './step-target-rate.ts';
import { computeScaleThresholds } from './target-capacity.ts';
import { indexTopology, topologicalOrder } from '../domain/topology-graph.ts';

export { computeEdgeDataRate, computeOutputRatio } from './output-ratio.ts';
export { isProcessingBacklog } from './processing-backlog.ts';
export {
  computeBusyTimeMsPerSecond,
  computeTprInputRate,
  computeTrueProcessingRate,
} from './processing-rate.ts';

/** Input of {@link evaluateMetrics}. */
export interface EvaluateMetricsInput {
  /** The metric window, oldest first; at least two samples (docs/algorithm.md §2.5 step 8). */
  readonly samples: readonly MetricSample[];
  readonly topology: JobTopology;
  readonly options: AutoscalerOptions;
  /** Restart time for the capacity formula in ms (see `computeRestartTimeMs`, docs/algorithm.md §6). */
  readonly restartTimeMs: number;
}

/**
 * Evaluates the window (docs/algorithm.md §3). Vertices are visited in topological order so each non-source
 * sees its inputs' target and catch-up rates. Per vertex:
 * - sources: TARGET_DATA_RATE (avg) = max(0, rate(NUM_RECORDS_IN) + rate(LAG)), LAG (cur) and
 *   CATCH_UP_DATA_RATE (cur) = LAG / catch-up seconds (0 when catch-up is 0);
 * - non-sources: both rates summed over inputs × edge output ratio;
 * - extension: the step-aware target data rate of sources whose recent rate is a step above the
 *   window average, and of the vertices downstream of them (`step-target-rate.ts`); the sources
 *   whose load still rises over the window (`isSourceLoadRising`, for the load-step correction);
 * - LOAD (avg), TRUE_PROCESSING_RATE (avg), PARALLELISM, RECOMMENDED_PARALLELISM (= current),
 *   MAX_PARALLELISM, NUM_SOURCE_PARTITIONS (cur) and the two rate thresholds (cur).
 * Unused halves of an {@link EvaluatedMetric} are NaN; every value goes through `roundMetric`,
 * and downstream vertices read their inputs' rounded values, as the Java evaluator does.
 *
 * Throws {@link MissingIngestionRateError} when a source has no ingestion rate, and
 * {@link EvaluationInputError} for fewer than two samples or a broken topology.
 */
export function evaluateMetrics(input: EvaluateMetricsInput): EvaluatedMetrics {
  const { topology, options, restartTimeMs } = input;
  if (input.samples.length < 2) {
    throw new EvaluationInputError(
      'samples',
      `${input.samples.length} sample(s)`,
      'at least 2 window samples',
    );
  }
  const samples = [...input.samples].sort((a, b) => a.tsMs - b.tsMs);
  const latest = samples.at(-1) as MetricSample;
  const processingBacklog = isProcessingBacklog(samples, topology, options);
  const catchUpSeconds = Math.trunc(options.catchUpDurationMs / 1000);
  const index = indexTopology(topology);

  const vertices: Record<VertexId, EvaluatedVertexMetrics> = {};
  const steps: Record<VertexId, StepTargetDataRate> = {};
  const risingSources: VertexId[] = [];
  for (const vertex of topologicalOrder(topology)) {
    const out: EvaluatedVertexMetrics = {};
    if (vertex.inputs.length === 0) {
      const inputRate = counterRate(samples, vertex.id, 'NUM_RECORDS_IN');
      const lagRate = counterRate(samples, vertex.id, 'LAG');
      // Lag growth is input the source could not keep up with: it is part of the demand.
      const targetDataRate = Math.max(0, inputRate + lagRate);
      if (Number.isNaN(targetDataRate)) throw new MissingIngestionRateError(vertex.id, inputRate, lagRate);
      const latestLag = vertexMetricValue(latest, vertex.id, 'LAG');
      const lag = Number.isNaN(latestLag) ? 0 : latestLag;
      out.TARGET_DATA_RATE = averageOnly(targetDataRate);
      out.LAG = currentOnly(lag);
      out.CATCH_UP_DATA_RATE = currentOnly(catchUpSeconds === 0 ? 0 : lag / catchUpSeconds);
      const step = sourceStepRate(samples, vertex.id, out.TARGET_DATA_RATE.average, options);
      if (step) steps[vertex.id] = sourceStepTargetDataRate(step);
      if (isSourceLoadRising(samples, vertex.id, options.scaleUpShortfallTolerance)) risingSources.push(vertex.id);
    } else {
      let targetDataRate = 0;
      let catchUpDataRate = 0;
      const stepInputs: StepRateInput[] = [];
      for (const inputId of new Set(vertex.inputs.map((edge) => edge.id))) {
        const upstream = vertices[inputId] ?? {};
        const ratio = computeOutputRatio(samples, topology, inputId, vertex.id, index);
        const upstreamRate = upstream.TARGET_DATA_RATE?.average ?? Number.NaN;
        targetDataRate += upstreamRate * ratio;
        catchUpDataRate += (upstream.CATCH_UP_DATA_RATE?.current ?? Number.NaN) * ratio;
        stepInputs.push({ windowRate: upstreamRate, step: steps[inputId], ratio });
      }
      out.TARGET_DATA_RATE = averageOnly(targetDataRate);
      out.CATCH_UP_DATA_RATE = currentOnly(catchUpDataRate);
      const step = downstreamStepTargetDataRate(stepInputs, out.TARGET_DATA_RATE.average);
      if (step) steps[vertex.id] = step;
    }

    const busyTimeMsPerSecond = computeBusyTimeMsPerSecond(samples, vertex.id, vertex.parallelism, options);
    const tprInputRate = computeTprInputRate(samples, vertex.id, options);
    out.LOAD = averageOnly(busyTimeMsPerSecond / 1000);
    out.TRUE_PROCESSING_RATE = averageOnly(
      computeTrueProcessingRate(busyTimeMsPerSecond, tprInputRate, samples, vertex.id, options),
    );
    Object.assign(out, structuralMetrics(vertex));

    const thresholds = computeScaleThresholds(
      {
        targetDataRateAvg: out.TARGET_DATA_RATE.average,
        catchUpDataRate: out.CATCH_UP_DATA_RATE.current,
      },
      options,
      restartTimeMs,
      processingBacklog,
    );
    out.SCALE_UP_RATE_THRESHOLD = currentOnly(thresholds.scaleUpRateThreshold);
    out.SCALE_DOWN_RATE_THRESHOLD = currentOnly(thresholds.scaleDownRateThreshold);
    vertices[vertex.id] = out;
  }

  return {
    vertices,
    global: evaluateGlobalMetrics(samples),
    processingBacklog,
    // Only present when a source shows a step, so a steady window evaluates exactly as before.
    ...(Object.keys(steps).length > 0 ? { stepTargetDataRates: steps } : {}),
    ...(risingSources.length > 0 ? { risingSources } : {}),
  };
}

/** Metrics read from the topology rather than the window (docs/algorithm.md §3.4). */
function structuralMetrics(vertex: VertexInfo): EvaluatedVertexMetrics {
  return {
    PARALLELISM: currentOnly(vertex.parallelism),
    // The scaling stage replaces this for vertices it changes; until then "keep as is".
    RECOMMENDED_PARALLELISM: currentOnly(vertex.parallelism),
    MAX_PARALLELISM: currentOnly(vertex.maxParallelism),
    NUM_SOURCE_PARTITIONS: currentOnly(vertex.numSourcePartitions),
  };
}

function currentOnly(value: number): EvaluatedMetric {
  return { current: roundMetric(value), average: Number.NaN };
}

function averageOnly(value: number): EvaluatedMetric {
  return { current: Number.NaN, average: roundMetric(value) };
}
