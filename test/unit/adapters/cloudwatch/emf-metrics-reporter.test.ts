import { describe, expect, it } from 'vitest';
import { EmfMetricsReporter } from '../../../../lib/adapters/cloudwatch/emf-metrics-reporter.ts';
import { METRICS_NAMESPACE } from '../../../../lib/adapters/cloudwatch/metric-catalog.ts';
import type {
  EvaluatedMetrics,
  JobKey,
  MemoryPlan,
  ScalingDecision,
  VertexDecision,
} from '../../../../lib/domain/index.ts';

interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [key: string]: unknown;
}

const NOW_MS = Date.UTC(2025, 0, 1);
const JOB: JobKey = { cluster: 'prod-eks', namespace: 'flink', kind: 'FlinkDeployment', name: 'orders' };
const SOURCE = 'a'.repeat(32);
const SINK = 'b'.repeat(32);

function capture() {
  const lines: string[] = [];
  const reporter = new EmfMetricsReporter({
    serviceName: 'fsa-test',
    output: (line) => lines.push(line),
    now: () => Date.now(),
  });
  /** The EMF documents (metrics); cycle records are plain log lines without `_aws`. */
  const documents = (): EmfDocument[] =>
    lines.map((line) => JSON.parse(line) as EmfDocument).filter((d) => d._aws !== undefined);
  const records = (): Array<Record<string, unknown>> =>
    lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((d) => d['fsa'] === 'cycle');
  return { reporter, lines, documents, records };
}

function vertexDecision(vertexId: string, current: number, recommended: number): VertexDecision {
  return {
    vertexId,
    currentParallelism: current,
    recommendedParallelism: recommended,
    changed: current !== recommended,
    outsideUtilizationBound: current !== recommended,
    trueProcessingRateAvg: 100,
    targetDataRateAvg: 150,
    catchUpDataRate: 0,
    scaleUpRateThreshold: 140,
    scaleDownRateThreshold: 60,
    targetCapacity: 214,
    scaleFactor: 1.5,
    expectedProcessingRate: 150,
    reasons: ['scale-up'],
    why: 'test',
  };
}

function decision(action: ScalingDecision['action'], vertices: VertexDecision[] = []): ScalingDecision {
  return { action, vertices, guards: [], parallelismOverrides: {}, summary: 'test' };
}

const EVALUATED: EvaluatedMetrics = {
  vertices: {
    [SOURCE]: {
      LOAD: { current: 0.9, average: 0.8 },
      TRUE_PROCESSING_RATE: { current: Number.POSITIVE_INFINITY, average: 1000 },
      TARGET_DATA_RATE: { current: 500, average: 450 },
      LAG: { current: 12_000, average: 11_000 },
      PARALLELISM: { current: 4, average: 4 },
      SCALE_UP_RATE_THRESHOLD: { current: Number.NaN, average: Number.NaN },
    },
    [SINK]: {
      LOAD: { current: 0.2, average: 0.25 },
    },
  },
  global: {
    HEAP_MAX_USAGE_RATIO: { current: 0.42, average: 0.4 },
    GC_PRESSURE: { current: Number.NaN, average: Number.NaN },
  },
  processingBacklog: false,
};

const DETAILED = { detailedMetrics: true } as const;

describe('EmfMetricsReporter', () => {
  it('writes one EMF document per vertex with the vertex dimension set and operator names', () => {
    // Prepare
    const { reporter, documents } = capture();

    // Act
    reporter.reportEvaluation(JOB, EVALUATED, decision('scale', [vertexDecision(SOURCE, 4, 6)]), DETAILED);
    reporter.flush();

    // Assess
    const source = documents().find((d) => d['Vertex'] === SOURCE);
    expect(source).toBeDefined();
    const block = source!._aws.CloudWatchMetrics[0]!;
    expect(block.Namespace).toBe(METRICS_NAMESPACE);
    expect(block.Dimensions).toEqual([['Cluster', 'Namespace', 'Resource', 'Vertex']]);
    expect(source).toMatchObject({
      Cluster: 'prod-eks',
      Namespace: 'flink',
      Resource: 'FlinkDeployment/orders',
      LOAD: 0.9,
      LOAD_AVERAGE: 0.8,
      TRUE_PROCESSING_RATE_AVERAGE: 1000,
      TARGET_DATA_RATE: 500,
      LAG: 12_000,
      // the decision's numbers win over the evaluated ones, as single values (not EMF arrays)
      PARALLELISM: 4,
      RECOMMENDED_PARALLELISM: 6,
    });
    expect(block.Metrics).toContainEqual({ Name: 'TRUE_PROCESSING_RATE_AVERAGE', Unit: 'Count/Second' });
    expect(block.Metrics).toContainEqual({ Name: 'LAG', Unit: 'Count' });
  });

  it('skips NaN and infinite values instead of emitting them', () => {
    // Prepare
    const { reporter, documents, lines } = capture();

    // Act
    reporter.reportEvaluation(JOB, EVALUATED, decision('balanced'), DETAILED);
    reporter.flush();

    // Assess
    const source = documents().find((d) => d['Vertex'] === SOURCE)!;
    const names = source._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name);
    expect(names).not.toContain('TRUE_PROCESSING_RATE'); // +∞ (idle)
    expect(names).not.toContain('SCALE_UP_RATE_THRESHOLD'); // NaN
    expect(source).not.toHaveProperty('TRUE_PROCESSING_RATE');
    const job = documents().find((d) => d['Resource'] !== undefined && d['Vertex'] === undefined)!;
    expect(job).not.toHaveProperty('GC_PRESSURE');
    for (const line of lines) {
      expect(line).not.toMatch(/NaN|Infinity|null/);
    }
  });

  it('writes the per-job document with heap, memory recommendation and outcome counters', () => {
    // Prepare
    const { reporter, documents } = capture();
    const plan = { totalAfterBytes: 3_221_225_472, savingBytes: 1_073_741_824 } as MemoryPlan;

    // Act
    reporter.reportEvaluation(JOB, EVALUATED, decision('scale', [vertexDecision(SOURCE, 4, 6)]), {
      memoryPlan: plan,
      evaluationAgeSeconds: 42,
      ...DETAILED,
    });
    reporter.flush();

    // Assess
    const job = documents().find((d) => d['Resource'] !== undefined && d['Vertex'] === undefined)!;
    expect(job._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Cluster', 'Namespace', 'Resource']]);
    expect(job).toMatchObject({
      HEAP_MAX_USAGE_RATIO: 0.42,
      MemoryRecommendationBytes: 3_221_225_472,
      MemorySavingBytes: 1_073_741_824,
      Scalings: 1,
      Balanced: 0,
      Blocked: 0,
      Errors: 0,
      EvaluationAgeSeconds: 42,
    });
    expect(job._aws.CloudWatchMetrics[0]!.Metrics).toContainEqual({
      Name: 'MemoryRecommendationBytes',
      Unit: 'Bytes',
    });
  });

  it('reports a not-ready job (no evaluation) with its counters only', () => {
    // Prepare
    const { reporter, documents } = capture();

    // Act
    reporter.reportEvaluation(JOB, undefined, decision('not-ready'), DETAILED);
    reporter.flush();

    // Assess: the job's counters, then the fleet's decision counters (no run reported them)
    const jobDocuments = documents().filter((d) => d['Resource'] !== undefined);
    expect(jobDocuments).toHaveLength(1);
    expect(jobDocuments[0]).toMatchObject({ Scalings: 0, Balanced: 0, Errors: 0 });
  });

  it('by default writes no per-job or per-vertex metric, only the cycle record and fleet counters', () => {
    // Prepare
    const { reporter, documents, records } = capture();

    // Act
    reporter.reportEvaluation(JOB, EVALUATED, decision('scale', [vertexDecision(SOURCE, 4, 6)]), {
      vertexNames: { [SOURCE]: 'Source: orders' },
      evaluationAgeSeconds: 60,
    });
    reporter.reportEvaluation(JOB, EVALUATED, decision('blocked'));
    reporter.reportEvaluation(JOB, EVALUATED, decision('balanced'));
    reporter.flush();

    // Assess: every metric has the Service dimension only; one record per evaluation
    expect(documents()).toHaveLength(1);
    expect(documents()[0]!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service']]);
    expect(documents()[0]).toMatchObject({ Service: 'fsa-test', JobsScaled: 1, JobsBlocked: 1 });
    expect(records()).toHaveLength(3);
    expect(records()[0]).toMatchObject({
      job: 'prod-eks/flink/FlinkDeployment/orders',
      action: 'scale',
      heap: 0.42,
      age: 60,
      v: [
        { n: 'Source: orders', p: 4, r: 6, l: 0.8, t: 1000, d: 450, lag: 12_000 },
        { n: SINK, l: 0.25 },
      ],
    });
  });

  it('lists every vertex once per detail interval for a quiet job, and at once when a cycle changes something', () => {
    // Prepare: a 2-minute interval, cycles every minute from 10:00:30
    const lines: string[] = [];
    const reporter = new EmfMetricsReporter({ output: (l) => lines.push(l), vertexDetailIntervalMs: 120_000 });
    const minute = (m: number) => Date.UTC(2026, 11, 5, 10, m, 30);
    const cycle = (m: number, action: ScalingDecision['action'], changed = false) =>
      reporter.reportEvaluation(JOB, EVALUATED, decision(action), {
        cycleTimeMs: minute(m),
        previousEvaluationMs: minute(m - 1),
        changed,
      });

    // Act
    cycle(1, 'balanced');
    cycle(2, 'balanced');
    cycle(3, 'blocked', true);
    cycle(4, 'balanced');
    cycle(5, 'balanced');
    reporter.flush();

    // Assess: 10:02:30 opens the slot [10:02, 10:04), 10:03:30 changed something, 10:04:30 opens the next
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((d) => d['fsa'] === 'cycle');
    expect(records.map((r) => r['v'] !== undefined)).toEqual([false, true, true, true, false]);
    for (const record of records) expect(record).toMatchObject({ job: 'prod-eks/flink/FlinkDeployment/orders', l: 0.8, lag: 12_000 });
  });

  it('counts decisions into the next worker run document, once', () => {
    // Prepare
    const { reporter, documents } = capture();

    // Act
    reporter.reportEvaluation(JOB, EVALUATED, decision('scale', [vertexDecision(SOURCE, 4, 6)]));
    reporter.reportRun({ durationMs: 10, jobsEvaluated: 1, errors: 0 });
    reporter.reportRun({ durationMs: 10, jobsEvaluated: 0, errors: 0 });
    reporter.reportRun({ kind: 'dispatcher', durationMs: 5, jobsDispatched: 1, errors: 0 });
    reporter.flush();

    // Assess
    const [first, second, dispatch] = documents();
    expect(first).toMatchObject({ JobsScaled: 1, JobsBlocked: 0 });
    expect(second).toMatchObject({ JobsScaled: 0, JobsBlocked: 0 });
    expect(dispatch).not.toHaveProperty('JobsScaled');
    expect(documents()).toHaveLength(3);
  });

  it('writes run totals under the Service dimension and job errors under the job dimensions', () => {
    // Prepare
    const { reporter, documents } = capture();

    // Act
    reporter.reportRun({ durationMs: 1234, jobsEvaluated: 3, errors: 1 });
    reporter.reportJobError(JOB);
    reporter.reportJobError(JOB, DETAILED);
    reporter.flush();

    // Assess: the job without detailed metrics adds no metric (the run's Errors counts it)
    expect(documents()).toHaveLength(2);
    const [run, jobError] = documents();
    expect(run!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['Service']]);
    expect(run).toMatchObject({ Service: 'fsa-test', RunDurationMs: 1234, JobsEvaluated: 3, Errors: 1 });
    expect(run).not.toHaveProperty('JobsDispatched');
    expect(run).not.toHaveProperty('service'); // Powertools' default dimension is not added
    expect(jobError).toMatchObject({ Resource: 'FlinkDeployment/orders', Errors: 1 });
  });

  it('counts not-ready cycles per reason that occurred and stuck jobs, at fleet level', () => {
    // Prepare
    const { reporter, documents } = capture();

    // Act
    reporter.reportRun({
      durationMs: 900,
      jobsEvaluated: 2,
      notReadyByReason: { window: 3, metrics: 1 },
      stuckJobs: 1,
      errors: 0,
    });
    reporter.flush();

    // Assess: one run document, then one per reason that occurred, with the Service and Reason dimensions
    const [run, ...byReason] = documents();
    expect(run).toMatchObject({ JobsEvaluated: 2, StuckJobs: 1, Errors: 0 });
    expect(byReason.map((d) => [d['Reason'], d['NotReadyCycles']])).toEqual([
      ['metrics', 1],
      ['window', 3],
    ]);
    expect(byReason.every((d) => d._aws.CloudWatchMetrics[0]!.Dimensions[0]!.join() === 'Service,Reason')).toBe(
      true,
    );
  });

  it('names the dispatcher duration separately from worker runs', () => {
    // Prepare
    const { reporter, documents } = capture();

    // Act
    reporter.reportRun({ kind: 'dispatcher', durationMs: 800, jobsDispatched: 12, errors: 0 });
    reporter.flush();

    // Assess
    expect(documents()[0]).toMatchObject({ DispatchDurationMs: 800, JobsDispatched: 12, Errors: 0 });
    expect(documents()[0]).not.toHaveProperty('RunDurationMs');
  });

  it('buffers documents until flush and writes each only once', () => {
    // Prepare
    const { reporter, lines } = capture();

    // Act
    reporter.reportRun({ durationMs: 1, errors: 0 });
    const beforeFlush = lines.length;
    reporter.flush();
    reporter.flush();

    // Assess
    expect(beforeFlush).toBe(0);
    expect(reporter.pendingCount).toBe(0);
    expect(lines).toHaveLength(1);
  });

  it('stamps documents with the injected clock', () => {
    // Prepare
    const lines: string[] = [];
    const reporter = new EmfMetricsReporter({ output: (l) => lines.push(l), now: () => NOW_MS });

    // Act
    reporter.reportRun({ durationMs: 5, errors: 0 });
    reporter.flush();

    // Assess
    expect((JSON.parse(lines[0]!) as EmfDocument)._aws.Timestamp).toBe(NOW_MS);
  });
});
