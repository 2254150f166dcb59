import { findUnknownInput, orderTopologically, type VertexInfo } from '../../domain/index.ts';
import { FlinkResponseFormatError } from '../../ports/metrics-source.ts';

/**
 * Orders the plan's vertices sources-first (see `orderTopologically`). Throws on edges to unknown
 * vertices or cycles: a Flink job graph is a DAG, so either means the body is corrupt.
 */
export function sortTopologically(vertices: readonly VertexInfo[], path: string): VertexInfo[] {
  const unknown = findUnknownInput(vertices);
  if (unknown !== undefined) {
    throw new FlinkResponseFormatError(
      path,
      `plan.nodes[id=${unknown.vertexId}].inputs[${unknown.inputIndex}].id`,
      `refers to unknown vertex ${unknown.inputId}`,
    );
  }
  const { ordered, cyclic } = orderTopologically(vertices);
  if (cyclic.length > 0) throw new FlinkResponseFormatError(path, 'plan.nodes', 'contain a cycle');
  return ordered;
}
