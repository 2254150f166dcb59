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

/** Result of the evaluation stage for a whole job (spec §3). */
export interface EvaluatedMetrics {
  readonly vertices: Readonly<Record<VertexId, EvaluatedVertexMetrics>>;
  readonly global: Partial<Record<EvaluatedGlobalMetricName, EvaluatedMetric>>;
  /** Job-level backlog flag (spec §3.1): widens the no-scaling band. */
  readonly processingBacklog: boolean;
}
