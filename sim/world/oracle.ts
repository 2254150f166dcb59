/**
 * The oracle of the local world: at a moment t, the smallest per-vertex parallelism that keeps
 * every vertex at or below the utilization target, computed from the simulator's TRUE capacities
 * (which the autoscaler never sees; it only sees busy-time metrics) and the scenario's load at t.
 *
 * Why an oracle at all: "did the autoscaler do well?" needs a reference that does not depend on
 * the autoscaler's own estimates. The simulator knows each vertex's capacity at every parallelism
 * (`trueCapacity`), so the minimum that fits the load is exact, and the decision quality of the
 * autoscaler and of the baseline is measured against it (docs/design.md §8).
 *
 * Steady state only: the oracle ignores backlog (lag), because the backlog is a consequence of
 * past decisions, not of the load; catching up after a restart is allowed to need more.
 */
import type { ShipStrategy } from '../../lib/domain/index.ts';
import { type AlignmentMode, alignParallelism } from '../../lib/scale/align-parallelism.ts';
import { trueCapacity } from '../flink-simulator/flow-model.ts';
import { loadRateAt } from '../flink-simulator/load-profile.ts';
import type { NormalizedScenario, NormalizedVertex } from '../flink-simulator/parse-scenario.ts';

/** Inputs of {@link oracleParallelism} besides the scenario and time. */
export interface OracleOptions {
  /** `job.autoscaler.utilization.target`, a 0..1 fraction of busy time. */
  readonly utilizationTarget: number;
  /** Alignment mode in effect (the autoscaler's; `BALANCED` by default). */
  readonly alignmentMode?: AlignmentMode;
  /** Upper bound of the search per vertex (keeps the scan bounded). @default 4096 */
  readonly searchLimit?: number;
}

/** Per vertex (scenario key) the oracle's parallelism, plus the rates that set it. */
export interface OracleResult {
  readonly parallelism: Readonly<Record<string, number>>;
  /** Records/s each vertex must process at t in steady state. */
  readonly requiredRate: Readonly<Record<string, number>>;
  /** Vertices whose load no parallelism can carry at the target (the oracle returns its best). */
  readonly infeasible: readonly string[];
}

const DEFAULT_SEARCH_LIMIT = 4096;

/**
 * The oracle at scenario time `tMs` (ms since the scenario's start). Vertices are visited in
 * topological order (the scenario's order), so every input's rate is known when a vertex is
 * sized; a vertex's input is the sum of its upstreams' outputs (× its own parallelism for a
 * BROADCAST edge, which is why the requirement is re-evaluated per candidate parallelism).
 */
export function oracleParallelism(
  scenario: NormalizedScenario,
  tMs: number,
  options: OracleOptions,
): OracleResult {
  const parallelism: Record<string, number> = {};
  const requiredRate: Record<string, number> = {};
  const outputRate = new Map<string, number>();
  const infeasible: string[] = [];
  for (const vertex of scenario.vertices) {
    const required = (p: number): number => {
      if (vertex.source) return loadRateAt(vertex.source.load, tMs);
      let input = 0;
      for (const edge of vertex.inputs) {
        const upstream = outputRate.get(edge.from) ?? 0;
        input += edge.shipStrategy === 'BROADCAST' ? upstream * p : upstream;
      }
      return input;
    };
    const aligned = minimalAlignedParallelism(vertex, required, options);
    if (!aligned.feasible) infeasible.push(vertex.key);
    parallelism[vertex.key] = aligned.parallelism;
    const rate = required(aligned.parallelism);
    requiredRate[vertex.key] = rate;
    outputRate.set(vertex.key, rate * vertex.selectivity);
  }
  return { parallelism, requiredRate, infeasible };
}

/**
 * Smallest p with required(p) ≤ target × capacity(p), by a bounded linear scan: capacity is not
 * monotone in p (coordination overhead, sub-linear scaling), so bisection could skip the answer.
 * When nothing fits, the p with the most headroom is returned and flagged.
 */
function minimalParallelism(
  vertex: NormalizedVertex,
  required: (p: number) => number,
  options: OracleOptions,
): { parallelism: number; feasible: boolean } {
  const limit = Math.min(vertex.maxParallelism, options.searchLimit ?? DEFAULT_SEARCH_LIMIT);
  let best = { parallelism: 1, headroom: Number.NEGATIVE_INFINITY };
  for (let p = 1; p <= limit; p++) {
    const headroom = options.utilizationTarget * trueCapacity(vertex, p) - required(p);
    if (headroom >= 0) return { parallelism: p, feasible: true };
    if (headroom > best.headroom) best = { parallelism: p, headroom };
  }
  return { parallelism: best.parallelism, feasible: false };
}

/**
 * The smallest parallelism the autoscaler's alignment can produce that fits the load. Aligning
 * the smallest fitting p is not enough: alignment is not monotone (BALANCED on 120 key groups
 * turns a target of 16 into 18 but 18 into 20, since 18 is not a divisor yet lowers the share
 * ⌊120/p⌋ below that of 16), so the oracle would call 20 minimal while the autoscaler reaches 18,
 * which fits. Every target t is aligned and the smallest fitting result wins; as align(t) ≥ t the
 * scan stops at the best found. Without any fitting value, the aligned minimal-headroom p.
 */
function minimalAlignedParallelism(
  vertex: NormalizedVertex,
  required: (p: number) => number,
  options: OracleOptions,
): { parallelism: number; feasible: boolean } {
  const limit = Math.min(vertex.maxParallelism, options.searchLimit ?? DEFAULT_SEARCH_LIMIT);
  const mode = options.alignmentMode ?? 'BALANCED';
  const fits = (p: number) => options.utilizationTarget * trueCapacity(vertex, p) - required(p) >= 0;
  let best: number | undefined;
  for (let target = 1; target <= limit && (best === undefined || target < best); target++) {
    const aligned = alignOracle(vertex, target, mode);
    if (aligned <= limit && fits(aligned) && (best === undefined || aligned < best)) best = aligned;
  }
  if (best !== undefined) return { parallelism: best, feasible: true };
  const sized = minimalParallelism(vertex, required, options);
  return { parallelism: alignOracle(vertex, sized.parallelism, mode), feasible: false };
}

/**
 * The autoscaler aligns its targets to key groups or partitions (lib/scale); the oracle's answer
 * is aligned the same way, from parallelism 1 upwards, so that both speak about reachable values.
 */
function alignOracle(vertex: NormalizedVertex, target: number, mode: AlignmentMode): number {
  const partitions = vertex.source?.type === 'kafka' ? vertex.source.partitions : 0;
  return alignParallelism({
    vertexId: vertex.vertexId,
    mode,
    currentParallelism: 1,
    targetParallelism: target,
    numSourcePartitions: partitions,
    maxParallelism: vertex.maxParallelism,
    lowerLimit: 1,
    upperLimit: vertex.maxParallelism,
    inputShipStrategies: vertex.inputs.map((input) => input.shipStrategy as ShipStrategy),
    eventIntervalMs: 0,
  }).parallelism;
}

/** Σ over vertices of the oracle's parallelism: the job-level size the metrics compare against. */
export function totalParallelism(parallelism: Readonly<Record<string, number>>): number {
  let total = 0;
  for (const value of Object.values(parallelism)) total += value;
  return total;
}
