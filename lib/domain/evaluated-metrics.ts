import type { EvaluatedGlobalMetricName, EvaluatedVertexMetricName } from './metric-names.ts';
import type { VertexId } from './topology.ts';

/**
 * One evaluated metric (Java `EvaluatedScalingMetric`): the latest value and the window average.
 * `NaN` means "not available / not computed"; `Infinity` is meaningful (e.g. an idle vertex has
 * an infinite true processing rate).
 */
export interface EvaluatedMetric {
  readonly current: number;
  readonly average: number;
}

/** Evaluated metrics of one vertex. Absent keys are not applicable to that vertex. */
export type EvaluatedVertexMetrics = Partial<Record<EvaluatedVertexMetricName, EvaluatedMetric>>;

/** Result of the evaluation stage for a whole job (docs/algorithm.md §3). */
export interface EvaluatedMetrics {
  readonly vertices: Readonly<Record<VertexId, EvaluatedVertexMetrics>>;
  readonly global: Partial<Record<EvaluatedGlobalMetricName, EvaluatedMetric>>;
  /** Job-level backlog flag (docs/algorithm.md §3.1): widens the no-scaling band. */
  readonly processingBacklog: boolean;
  /**
   * Extension (step-aware target rate): the vertices whose scale-up may be sized for a recent
   * target data rate above their TARGET_DATA_RATE average. Absent when no source shows a step.
   */
  readonly stepTargetDataRates?: Readonly<Record<VertexId, StepTargetDataRate>>;
  /**
   * Extension (load-step correction): the sources whose target data rate over the newer half of
   * the window is above the older half's × (1 + `scale-up.shortfall.tolerance`), i.e. whose load
   * still rises. Absent when none does.
   */
  readonly risingSources?: readonly VertexId[];
}

/**
 * Extension: a vertex's target data rate from the recent part of the window, used only to size a
 * scale-up (see `lib/evaluate/step-target-rate.ts`).
 */
export interface StepTargetDataRate {
  /** The step-aware target data rate, records/s (> the TARGET_DATA_RATE average). */
  readonly rate: number;
  /** The TARGET_DATA_RATE window average it replaces, records/s. */
  readonly windowRate: number;
  /** The sources whose recent rate showed the step (the vertex itself for a source). */
  readonly sources: readonly StepSourceRate[];
}

/** One source's step: its recent and full-window target data rates. */
export interface StepSourceRate {
  readonly vertexId: VertexId;
  readonly recentRate: number;
  readonly windowRate: number;
  /** Time span of the recent part, ms, and its number of samples. */
  readonly recentSpanMs: number;
  readonly recentSamples: number;
}
