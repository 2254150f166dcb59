/**
 * The one home of the graph algorithms over a job's vertices: outputs (the plan only lists
 * inputs), a topological order (Kahn's algorithm) and the lookups the evaluator indexes once per
 * evaluation. The Flink REST parser orders the plan it reads and the evaluator evaluates every
 * vertex after its inputs (docs/algorithm.md §2.2, §3); a graph that cannot be ordered throws
 * {@link InvalidTopologyError}, which the parser turns into its own "corrupt response" error.
 */
import { FieldError } from './field-error.ts';
import type { JobTopology, VertexId, VertexInfo } from './topology.ts';

/** An input edge that names a vertex the graph does not have. */
interface UnknownInput {
  readonly vertexId: VertexId;
  /** Position of the edge in the vertex's `inputs`. */
  readonly inputIndex: number;
  readonly inputId: VertexId;
}

/** The first input edge naming an unknown vertex, in vertex and edge order; undefined when none. */
function findUnknownInput(vertices: readonly VertexInfo[]): UnknownInput | undefined {
  const known = new Set(vertices.map((vertex) => vertex.id));
  for (const vertex of vertices) {
    const inputIndex = vertex.inputs.findIndex((input) => !known.has(input.id));
    if (inputIndex >= 0) return { vertexId: vertex.id, inputIndex, inputId: vertex.inputs[inputIndex]!.id };
  }
  return undefined;
}

/** Downstream vertices of every vertex (the plan only lists inputs), each listed once; unknown inputs are ignored. */
export function outputsOf(vertices: readonly VertexInfo[]): Map<VertexId, VertexId[]> {
  const outputs = new Map<VertexId, VertexId[]>(vertices.map((vertex) => [vertex.id, []]));
  for (const vertex of vertices) {
    for (const input of vertex.inputs) {
      const list = outputs.get(input.id);
      if (list !== undefined && !list.includes(vertex.id)) list.push(vertex.id);
    }
  }
  return outputs;
}

/** Result of {@link orderTopologically}. */
interface TopologicalOrder {
  /** Sources first, every vertex after all of its inputs. */
  readonly ordered: VertexInfo[];
  /** Vertices on or behind a cycle, which cannot be ordered; empty for a DAG. */
  readonly cyclic: VertexId[];
}

/**
 * Kahn's algorithm, layer by layer, keeping the given order within a layer (the Java collector
 * walks vertices in the same order, which keeps reports and tests deterministic). A graph that is
 * already ordered comes back unchanged. Inputs naming unknown vertices are ignored: check them
 * with {@link findUnknownInput} first.
 */
function orderTopologically(vertices: readonly VertexInfo[]): TopologicalOrder {
  const outputs = outputsOf(vertices);
  const byId = new Map(vertices.map((vertex) => [vertex.id, vertex]));
  const remainingInputs = new Map(
    vertices.map((vertex) => [
      vertex.id,
      new Set(vertex.inputs.map((input) => input.id).filter((id) => byId.has(id))).size,
    ]),
  );
  const position = new Map(vertices.map((vertex, index) => [vertex.id, index]));
  const ordered: VertexInfo[] = [];
  let layer = vertices.filter((vertex) => remainingInputs.get(vertex.id) === 0);
  while (layer.length > 0) {
    ordered.push(...layer);
    const next = new Set<VertexId>();
    for (const vertex of layer) {
      for (const downstream of outputs.get(vertex.id) ?? []) {
        const left = (remainingInputs.get(downstream) ?? 0) - 1;
        remainingInputs.set(downstream, left);
        if (left === 0) next.add(downstream);
      }
    }
    // Keep the given order within a layer without scanning every vertex per layer.
    layer = [...next]
      .sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0))
      .map((id) => byId.get(id))
      .filter((vertex) => vertex !== undefined);
  }
  const placed = new Set(ordered.map((vertex) => vertex.id));
  return { ordered, cyclic: vertices.filter((vertex) => !placed.has(vertex.id)).map((vertex) => vertex.id) };
}

/** Why a job graph cannot be ordered: an input edge naming an unknown vertex, or a cycle. */
export type GraphDefect =
  | ({ readonly kind: 'unknown-input' } & UnknownInput)
  | { readonly kind: 'cycle'; readonly cyclic: readonly VertexId[] };

/**
 * A job graph that cannot be ordered. Names the field, the value and what is allowed like every
 * stage input error; `defect` carries the details for callers that report it their own way.
 */
export class InvalidTopologyError extends FieldError {
  override readonly name: string = 'InvalidTopologyError';
  readonly defect: GraphDefect;

  constructor(defect: GraphDefect, vertices: readonly VertexInfo[]) {
    const [field, value, allowed] =
      defect.kind === 'cycle'
        ? ['topology.vertices', defect.cyclic.join(', '), 'an acyclic job graph']
        : [
            `topology.vertices[${defect.vertexId}].inputs`,
            defect.inputId,
            `ids of vertices in the topology (${[...new Set(vertices.map((vertex) => vertex.id))].join(', ')})`,
          ];
    super(`Invalid ${field}: ${value}; allowed: ${allowed}`, { field, value, allowed });
    this.defect = defect;
  }
}

/**
 * The vertices sources first, every vertex after all of its inputs (Kahn's algorithm, layer by
 * layer, keeping the given order within a layer). Throws {@link InvalidTopologyError} on an input
 * naming an unknown vertex or a cycle.
 */
export function topologicalOrder(topology: Pick<JobTopology, 'vertices'>): VertexInfo[] {
  rejectUnknownInputs(topology.vertices);
  const { ordered, cyclic } = orderTopologically(topology.vertices);
  if (cyclic.length > 0) throw new InvalidTopologyError({ kind: 'cycle', cyclic }, topology.vertices);
  return ordered;
}

/** Lookups over a topology built once per evaluation, so per-edge work stays O(degree). */
export interface TopologyIndex {
  readonly vertices: ReadonlyMap<VertexId, VertexInfo>;
  readonly outputs: ReadonlyMap<VertexId, readonly VertexId[]>;
}

/** Builds the {@link TopologyIndex} of a topology; throws {@link InvalidTopologyError} on unknown inputs. */
export function indexTopology(topology: Pick<JobTopology, 'vertices'>): TopologyIndex {
  rejectUnknownInputs(topology.vertices);
  return {
    vertices: new Map(topology.vertices.map((vertex) => [vertex.id, vertex])),
    outputs: outputsOf(topology.vertices),
  };
}

function rejectUnknownInputs(vertices: readonly VertexInfo[]): void {
  const unknown = findUnknownInput(vertices);
  if (unknown !== undefined) throw new InvalidTopologyError({ kind: 'unknown-input', ...unknown }, vertices);
}
