import type { NormalizedScenario, NormalizedVertex } from './parse-scenario.ts';

/**
 * Steady-state flow of records through the job graph for one integration step: capacity-limited,
 * with back-pressure propagating upstream to the sources (Flink's credit-based flow control
 * throttles every producer feeding a saturated consumer).
 */

/** Per-subtask records/s one subtask can process at 100 % busy, given the vertex parallelism. */
export function perSubtaskCapacity(vertex: NormalizedVertex, parallelism: number): number {
  const linear = 1000 / vertex.costMsPerRecord;
  const exponentPenalty = parallelism ** (vertex.scalabilityExponent - 1);
  // Failure mode (scenario `collapse`): the external system degrades above a parallelism.
  const collapse =
    vertex.collapse && parallelism > vertex.collapse.aboveParallelism ? vertex.collapse.capacityFactor : 1;
  return (linear * exponentPenalty * collapse) / (1 + vertex.coordinationOverhead * (parallelism - 1));
}

/**
 * Share of the vertex input each subtask receives (sums to 1). Kafka sources: partitions are
 * assigned round-robin, so with 5 partitions on 2 subtasks one reads 3. HASH inputs: the
 * hottest subtask gets `keySkew` times the mean. GLOBAL inputs: everything goes to subtask 0.
 */
export function subtaskShares(vertex: NormalizedVertex, parallelism: number): number[] {
  if (vertex.source?.type === 'kafka') {
    const partitions = vertex.source.partitions;
    const counts = Array.from({ length: parallelism }, (_, i) =>
      i < partitions ? Math.floor((partitions - 1 - i) / parallelism) + 1 : 0,
    );
    return counts.map((count) => count / partitions);
  }
  if (vertex.inputs.some((input) => input.shipStrategy === 'GLOBAL')) {
    return Array.from({ length: parallelism }, (_, i) => (i === 0 ? 1 : 0));
  }
  const hashed = vertex.inputs.some((input) => input.shipStrategy === 'HASH');
  if (!hashed || vertex.keySkew <= 1 || parallelism === 1) {
    return Array.from({ length: parallelism }, () => 1 / parallelism);
  }
  const hottest = Math.min(vertex.keySkew, parallelism) / parallelism;
  const rest = (1 - hottest) / (parallelism - 1);
  return Array.from({ length: parallelism }, (_, i) => (i === 0 ? hottest : rest));
}

/**
 * True processing capacity (records/s of vertex input) at a parallelism: the rate at which the
 * hottest subtask is 100 % busy. This is the oracle against which decisions are judged.
 */
export function trueCapacity(vertex: NormalizedVertex, parallelism: number): number {
  const maxShare = Math.max(...subtaskShares(vertex, parallelism));
  return perSubtaskCapacity(vertex, parallelism) / maxShare;
}

/** Flow of one vertex during a step. */
export interface VertexFlow {
  /** Records/s entering the vertex (sources: read from the external system). */
  readonly inputRate: number;
  /** Records/s emitted downstream. */
  readonly outputRate: number;
  /** Per subtask busy time, ms/s (0..1000). */
  readonly busyMsPerSecond: readonly number[];
  /** Per subtask back-pressured time, ms/s. */
  readonly backPressuredMsPerSecond: readonly number[];
  /** Per subtask idle time, ms/s. */
  readonly idleMsPerSecond: readonly number[];
  /** Per subtask input share (for splitting counters and lag). */
  readonly shares: readonly number[];
}

/**
 * Computes the flow of a step. `wantedSourceRates` is what each source would read if nothing
 * downstream limited it (already capped by its own capacity). Returns per-vertex flows keyed by
 * scenario vertex key.
 */
export function computeFlow(
  scenario: NormalizedScenario,
  parallelism: ReadonlyMap<string, number>,
  wantedSourceRates: ReadonlyMap<string, number>,
): Map<string, VertexFlow> {
  const vertices = scenario.vertices;
  const p = (vertex: NormalizedVertex) => parallelism.get(vertex.key) ?? vertex.initialParallelism;
  const capacity = new Map(vertices.map((vertex) => [vertex.key, trueCapacity(vertex, p(vertex))]));
  const { ancestorSources, descendants } = graphRelations(scenario);
  const throttle = new Map<string, number>();
  for (const vertex of vertices) if (vertex.source) throttle.set(vertex.key, 1);

  const propagate = (): Map<string, { input: number; output: number }> => {
    const rates = new Map<string, { input: number; output: number }>();
    for (const vertex of vertices) {
      let input = 0;
      if (vertex.source) {
        input = (wantedSourceRates.get(vertex.key) ?? 0) * (throttle.get(vertex.key) ?? 1);
      } else {
        for (const edge of vertex.inputs) {
          const upstream = rates.get(edge.from)?.output ?? 0;
          input += edge.shipStrategy === 'BROADCAST' ? upstream * p(vertex) : upstream;
        }
      }
      rates.set(vertex.key, { input, output: input * vertex.selectivity });
    }
    return rates;
  };

  // Each pass scales the sources feeding the most overloaded vertex down to its capacity; inputs
  // are linear in source rates, so every pass removes at least one overload.
  let rates = propagate();
  for (let pass = 0; pass <= vertices.length; pass++) {
    let worst: { key: string; ratio: number } | undefined;
    for (const vertex of vertices) {
      if (vertex.source) continue;
      const input = rates.get(vertex.key)?.input ?? 0;
      const cap = capacity.get(vertex.key) ?? Number.POSITIVE_INFINITY;
      if (input > cap * (1 + 1e-9)) {
        const ratio = cap / input;
        if (!worst || ratio < worst.ratio) worst = { key: vertex.key, ratio };
      }
    }
    if (!worst) break;
    for (const source of ancestorSources.get(worst.key) ?? []) {
      throttle.set(source, (throttle.get(source) ?? 1) * worst.ratio);
    }
    rates = propagate();
  }

  const saturated = new Set(
    vertices
      .filter(
        (vertex) =>
          (rates.get(vertex.key)?.input ?? 0) >= (capacity.get(vertex.key) ?? Infinity) * (1 - 1e-9),
      )
      .map((vertex) => vertex.key),
  );
  const flows = new Map<string, VertexFlow>();
  for (const vertex of vertices) {
    const parallel = p(vertex);
    const shares = subtaskShares(vertex, parallel);
    const perSubtask = perSubtaskCapacity(vertex, parallel);
    const { input, output } = rates.get(vertex.key) ?? { input: 0, output: 0 };
    const backPressured = [...(descendants.get(vertex.key) ?? [])].some((key) => saturated.has(key));
    const busy = shares.map((share) => Math.min(1000, (1000 * input * share) / perSubtask));
    flows.set(vertex.key, {
      inputRate: input,
      outputRate: output,
      busyMsPerSecond: busy,
      // A subtask with no input (more source subtasks than partitions) is idle, not back-pressured.
      backPressuredMsPerSecond: busy.map((b, i) => (backPressured && (shares[i] ?? 0) > 0 ? 1000 - b : 0)),
      idleMsPerSecond: busy.map((b, i) => (backPressured && (shares[i] ?? 0) > 0 ? 0 : 1000 - b)),
      shares,
    });
  }
  return flows;
}

interface GraphRelations {
  readonly ancestorSources: ReadonlyMap<string, ReadonlySet<string>>;
  readonly descendants: ReadonlyMap<string, ReadonlySet<string>>;
}

// The graph never changes during a simulation; computing reachability once keeps a step O(V + E).
const relationsCache = new WeakMap<NormalizedScenario, GraphRelations>();

function graphRelations(scenario: NormalizedScenario): GraphRelations {
  let relations = relationsCache.get(scenario);
  if (relations === undefined) {
    relations = {
      ancestorSources: sourceAncestors(scenario.vertices),
      descendants: vertexDescendants(scenario.vertices),
    };
    relationsCache.set(scenario, relations);
  }
  return relations;
}

function sourceAncestors(vertices: readonly NormalizedVertex[]): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const vertex of vertices) {
    const set = new Set<string>(vertex.source ? [vertex.key] : []);
    for (const input of vertex.inputs) for (const source of result.get(input.from) ?? []) set.add(source);
    result.set(vertex.key, set);
  }
  return result;
}

function vertexDescendants(vertices: readonly NormalizedVertex[]): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const vertex of [...vertices].reverse()) {
    const set = new Set<string>();
    for (const candidate of vertices) {
      if (candidate.inputs.some((input) => input.from === vertex.key)) {
        set.add(candidate.key);
        for (const below of result.get(candidate.key) ?? []) set.add(below);
      }
    }
    result.set(vertex.key, set);
  }
  return result;
}
