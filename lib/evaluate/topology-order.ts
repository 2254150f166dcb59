/**
 * Graph helpers over {@link JobTopology} for the evaluator: outputs (inverted inputs) and a
 * topological order, so every vertex is evaluated after its inputs (spec §2.2, §3).
 */
import {
  findUnknownInput,
  type JobTopology,
  orderTopologically,
  outputsOf,
  type VertexId,
  type VertexInfo,
} from '../domain/index.ts';
import { EvaluationInputError } from './evaluation-error.ts';

/** Downstream vertices of every vertex (the plan only lists inputs). Unknown inputs are rejected. */
export function vertexOutputs(topology: JobTopology): Map<VertexId, VertexId[]> {
  rejectUnknownInputs(topology);
  return outputsOf(topology.vertices);
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
  rejectUnknownInputs(topology);
  const { ordered, cyclic } = orderTopologically(topology.vertices);
  if (cyclic.length > 0) {
    throw new EvaluationInputError('topology.vertices', cyclic.join(', '), 'an acyclic job graph');
  }
  return ordered;
}

function rejectUnknownInputs(topology: JobTopology): void {
  const unknown = findUnknownInput(topology.vertices);
  if (unknown === undefined) return;
  const ids = [...new Set(topology.vertices.map((vertex) => vertex.id))];
  throw new EvaluationInputError(
    `topology.vertices[${unknown.vertexId}].inputs`,
    unknown.inputId,
    `ids of vertices in the topology (${ids.join(', ')})`,
  );
}
