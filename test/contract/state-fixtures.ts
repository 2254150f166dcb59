import type {
  DelayedScaleDownState,
  JobKey,
  JobState,
  MetricSample,
  ScalingSummary,
  VertexId,
} from '../../lib/domain/index.ts';

/** A job key unique per call, so contract tests never share a partition. */
let jobCounter = 0;
export function aJobKey(name = `job-${++jobCounter}`): JobKey {
  return { cluster: 'eks-test', namespace: 'flink', kind: 'FlinkDeployment', name };
}

/** `count` deterministic 32-hex vertex ids, like Flink JobVertexIDs. */
export function vertexIds(count: number, seed = 1): VertexId[] {
  const ids: VertexId[] = [];
  let x = seed * 2654435761;
  for (let i = 0; i < count; i++) {
    let hex = '';
    while (hex.length < 32) {
      x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
      hex += x.toString(16).padStart(8, '0');
    }
    ids.push(hex.slice(0, 32));
  }
  return ids;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), for realistic metric values. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * A state with every part filled: `historyCount` summaries per vertex, tracking records,
 * delayed scale-downs, overrides and config changes. Values are already rounded to 3 decimals,
 * as the core produces them, so a round trip must return them unchanged.
 */
export function aFullState(ids: readonly VertexId[], historyCount = 3, nowMs = 1_700_000_000_000): JobState {
  const rnd = random(ids.length + historyCount);
  const scalingHistory: Record<VertexId, ScalingSummary[]> = {};
  const delayedScaleDown: Record<VertexId, DelayedScaleDownState> = {};
  const parallelismOverrides: Record<VertexId, number> = {};
  ids.forEach((id, v) => {
    scalingHistory[id] = Array.from({ length: historyCount }, (_, i) => ({
      tsMs: nowMs - (historyCount - i) * 3_600_000,
      currentParallelism: 4 + i,
      newParallelism: 5 + i,
      metrics: {
        trueProcessingRateAvg: round3(rnd() * 100_000),
        expectedProcessingRate: round3(rnd() * 120_000),
        targetDataRateAvg: round3(rnd() * 90_000),
      },
    }));
    delayedScaleDown[id] = {
      firstTriggerTimeMs: nowMs - 600_000,
      recommendations: [
        { triggerTimeMs: nowMs - 600_000, parallelism: 12, outsideUtilizationBound: true },
        { triggerTimeMs: nowMs - 60_000, parallelism: 8 + (v % 3), outsideUtilizationBound: false },
      ],
    };
    parallelismOverrides[id] = 1 + (v % 128);
  });
  return {
    schemaVersion: 1,
    jobId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    topologyHash: 'topo-1',
    scalingHistory,
    scalingTracking: Array.from({ length: historyCount }, (_, i) => ({
      startMs: nowMs - (historyCount - i) * 3_600_000,
      ...(i < historyCount - 1 ? { restartDurationMs: 45_000 + i } : {}),
    })),
    delayedScaleDown,
    parallelismOverrides,
    configOverrides: {
      overrides: { 'taskmanager.memory.managed.fraction': '0.2', 'taskmanager.memory.process.size': '4 gb' },
      removals: ['taskmanager.memory.network.fraction'],
    },
    memoryHistory: { peaks: [1.5, Number.NaN, Number.POSITIVE_INFINITY, -0], note: '~tilde' },
    lastEvaluationMs: nowMs,
  };
}

/** A sample of every vertex with all seven vertex metrics and the global metrics. */
export function aFullSample(ids: readonly VertexId[], tsMs: number, seed = 7): MetricSample {
  const rnd = random(seed + tsMs);
  const vertices: Record<VertexId, MetricSample['vertices'][string]> = {};
  ids.forEach((id, v) => {
    const source = v % 10 === 0;
    vertices[id] = {
      LOAD: round3(rnd()),
      NUM_RECORDS_IN: Math.floor(rnd() * 1e11),
      NUM_RECORDS_OUT: Math.floor(rnd() * 1e11),
      ACCUMULATED_BUSY_TIME: Math.floor(rnd() * 1e9),
      ...(source
        ? { LAG: Math.floor(rnd() * 1e6), OBSERVED_TPR: round3(rnd() * 50_000) }
        : { NUM_RECORDS_IN_PER_SECOND: round3(rnd() * 80_000) }),
    };
  });
  return {
    tsMs,
    vertices,
    global: {
      HEAP_MAX_USAGE_RATIO: round3(rnd()),
      GC_PRESSURE: round3(rnd() / 10),
      HEAP_MEMORY_USED: Math.floor(rnd() * 4e9),
      MANAGED_MEMORY_USED: 0,
      METASPACE_MEMORY_USED: Math.floor(rnd() * 2e8),
      NUM_TASK_SLOTS_USED: 40,
    },
  };
}
