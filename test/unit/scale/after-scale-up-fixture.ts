/**
 * A keyed `work` vertex (720 key groups, fed by a HASH edge) decided one cycle after a scale-up:
 * the shared set-up of the tests of the one-time checks that follow a scale-up (catch-up settle,
 * scale-up shortfall correction).
 */
import { resolveOptions } from '../../../lib/config/index.ts';
import type { EvaluatedVertexMetrics, ScalingSummary, VertexInfo } from '../../../lib/domain/index.ts';
import { computeVertexParallelism } from '../../../lib/scale/compute-vertex-parallelism.ts';

export const MIN = 60_000;
/** Time of the scale-up the checks follow. */
export const T0 = 1_700_000_000_000;
const both = (value: number) => ({ current: value, average: value });

/** The cycle after the scale-up. */
export interface AfterScaleUpCycle {
  readonly cur: number;
  readonly tpr: number;
  readonly tdr: number;
  readonly catchUpDataRate?: number;
  /** Minutes since the scale-up. @default 15 (one metrics.window) */
  readonly minutes?: number;
  /** @default true */
  readonly drained?: boolean;
  /** @default false */
  readonly backlog?: boolean;
  readonly config?: Record<string, string>;
  /** Sources whose load still rises over the window. @default [] */
  readonly risingSources?: readonly string[];
}

/** Decides the vertex with `history` (options from `config`, defaults otherwise). */
export function decideAfterScaleUp(cycle: AfterScaleUpCycle, history: readonly ScalingSummary[]) {
  const vertex: VertexInfo = {
    id: 'work',
    parallelism: cycle.cur,
    maxParallelism: 720,
    numSourcePartitions: 0,
    inputs: [{ id: 'src', shipStrategy: 'HASH' }],
    finished: false,
  };
  const metrics: EvaluatedVertexMetrics = {
    PARALLELISM: both(cycle.cur),
    MAX_PARALLELISM: both(720),
    NUM_SOURCE_PARTITIONS: both(0),
    TARGET_DATA_RATE: both(cycle.tdr),
    CATCH_UP_DATA_RATE: both(cycle.catchUpDataRate ?? 0),
    TRUE_PROCESSING_RATE: both(cycle.tpr),
  };
  return computeVertexParallelism({
    vertex,
    metrics,
    inputShipStrategies: ['HASH'],
    history,
    delayedScaleDown: undefined,
    // Defaults: utilization.target 0.7 (band [0.4, 1.0]), metrics.window 15 min, scale-down.interval
    // 1 h, scale-down.max-factor 0.6, BALANCED alignment; both checks on.
    options: resolveOptions(cycle.config ?? {}).options,
    restartTimeMs: 0,
    nowMs: T0 + (cycle.minutes ?? 15) * MIN,
    processingBacklog: cycle.backlog ?? false,
    backlogDrained: cycle.drained ?? true,
    risingSources: cycle.risingSources ?? [],
  });
}
