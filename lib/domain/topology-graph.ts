/**
 * Graph helpers over a job's vertices, shared by the Flink REST parser (which orders the plan it
 * reads) and the evaluator (which evaluates every vertex after its inputs). Each caller turns a
 * failure into its own error type, since a bad graph means a corrupt response in one and a bad
 * input in the other.
 */
import type { VertexId, VertexInfo } from './topology.ts';

/** An input edge that names a vertex the graph does not have. */
export interface UnknownInput {
  readonly vertexId: VertexId;
  /** Position of the edge in the vertex's `inputs`. */
  readonly inputIndex: number;
  readonly inputId: VertexId;
}

/** The first input edge naming an unknown vertex, in vertex and edge order; undefined when none. */
export function findUnknownInput(vertices: readonly VertexInfo[]): UnknownInput | undefined {
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
export interface TopologicalOrder {
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
export function orderTopologically(vertices: readonly VertexInfo[]): TopologicalOrder {
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
