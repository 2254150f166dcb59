/** Builds small synthetic {@link WorldRun}s for the pure metrics and report tests. */
import type {
  DecisionLogEntry,
  TickRecord,
  VertexPoint,
  WorldRun,
} from '../../../../sim/world/world-timeline.ts';

/** One vertex point: parallelism, oracle and (optionally) the baseline's parallelism. */
export function point(parallelism: number, oracle: number, baseline = parallelism): VertexPoint {
  return {
    parallelism,
    oracle,
    capacity: parallelism * 1000,
    requiredRate: oracle * 700,
    processedRate: oracle * 700,
    busyRatio: 0.5,
    baselineParallelism: baseline,
    baselineCapacity: baseline * 1000,
  };
}

/** A tick at minute `minute` with vertex points and lags. */
export function tick(
  minute: number,
  vertices: Record<string, VertexPoint>,
  lagSeconds = 0,
  baselineLagSeconds = 0,
): TickRecord {
  return {
    tMs: minute * 60_000,
    inputRate: 1000,
    lagRecords: lagSeconds * 1000,
    lagSeconds,
    vertices,
    outcome: 'decided',
    action: 'balanced',
    taskManagerMemoryBytes: 4 * 1024 ** 3,
    heapUsedBytes: 300 * 1024 ** 2,
    baseline: { lagRecords: baselineLagSeconds * 1000, lagSeconds: baselineLagSeconds, maxCpu: 0.5 },
    cycleWallMs: 10,
  };
}

export function rescale(
  minute: number,
  actor: 'autoscaler' | 'baseline',
  vertex: string,
  from: number,
  to: number,
): DecisionLogEntry {
  return {
    tMs: minute * 60_000,
    actor,
    action: 'scale',
    summary: `${vertex} ${from} → ${to}`,
    changes: [{ vertex, from, to, why: `because <${vertex}> & more` }],
  };
}

export function aRun(
  ticks: TickRecord[],
  decisions: DecisionLogEntry[] = [],
  extra: Partial<WorldRun> = {},
): WorldRun {
  return {
    scenario: 'synthetic',
    description: 'a synthetic run',
    startTimeMs: 0,
    durationMs: ticks.length * 60_000,
    timing: 'exact',
    tickMs: 60_000,
    utilizationTarget: 0.7,
    lagTargetSeconds: 60,
    linear: false,
    steady: false,
    maxRescalesToConverge: 3,
    vertices: [
      { key: 'src', name: 'Source: src', source: true },
      { key: 'work', name: 'work', source: false },
    ],
    ticks,
    decisions,
    events: [],
    wallMs: 1234,
    store: 'memory',
    problems: [],
    ...extra,
  };
}
