/**
 * Graph helpers over {@link JobTopology} for the evaluator: outputs (inverted inputs) and a
 * topological order, so every vertex is evaluated after its inputs (spec §2.2, §3).
 */
import type { JobTopology, VertexId, VertexInfo } from '../domain/index.ts';
import { EvaluationInputError } from './evaluation-error.ts';

/** Downstream vertices of every vertex (the plan only lists inputs). Unknown inputs are rejected. */
export function vertexOutputs(topology: JobTopology): Map<VertexId, VertexId[]> {
  const outputs = new Map<VertexId, VertexId[]>(topology.vertices.map((vertex) => [vertex.id, []]));
  for (const vertex of topology.vertices) {
    for (const input of vertex.inputs) {
      const list = outputs.get(input.id);
      if (list === undefined) {
        throw new EvaluationInputError(
          `topology.vertices[${vertex.id}].inputs`,
          input.id,
          `ids of vertices in the topology (${[...outputs.keys()].join(', ')})`,
        );
      }
      if (!list.includes(vertex.id)) list.push(vertex.id);
    }
  }
  return outputs;
}

/** Lookups over a topology built once per evaluation, so per-edge work stays O(degree). */
export interface TopologyIndex {
  readonly vertices: ReadonlyMap<VertexId, VertexInfo>;
  readonly outputs: ReadonlyMap<VertexId, readonly VertexId[]>;
}

/** Builds the {@link TopologyIndex} of a topology (rejects inputs that name unknown vertices). */
export function indexTopology(topology: JobTopology): TopologyIndex {
  return {
    vertices: new Map(topology.vertices.map((vertex) => [vertex.id, vertex])),
    outputs: vertexOutputs(topology),
  };
}

/**
 * The vertices in topological order (Kahn's algorithm, layer by layer, keeping the given order
 * within a layer). A topology that is already ordered comes back unchanged.
 */
export function topologicalOrder(topology: JobTopology): VertexInfo[] {
  const outputs = vertexOutputs(topology);
  const byId = new Map(topology.vertices.map((vertex) => [vertex.id, vertex]));
  const remainingInputs = new Map(
    topology.vertices.map((vertex) => [vertex.id, new Set(vertex.inputs.map((input) => input.id)).size]),
  );
  const position = new Map(topology.vertices.map((vertex, index) => [vertex.id, index]));
  const ordered: VertexInfo[] = [];
  let layer = topology.vertices.filter((vertex) => remainingInputs.get(vertex.id) === 0);
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
  if (ordered.length !== topology.vertices.length) {
    const placed = new Set(ordered.map((vertex) => vertex.id));
    const cyclic = topology.vertices.filter((vertex) => !placed.has(vertex.id)).map((v) => v.id);
    throw new EvaluationInputError('topology.vertices', cyclic.join(', '), 'an acyclic job graph');
  }
  return ordered.map((vertex) => byId.get(vertex.id) ?? vertex);
}
