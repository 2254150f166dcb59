import type { VertexInfo } from '../../domain/index.ts';
import { FlinkResponseFormatError } from '../../ports/metrics-source.ts';

/**
 * Orders vertices sources-first with Kahn's algorithm, layer by layer, keeping the plan's order
 * inside a layer (the Java collector processes vertices in the same order, which makes reports
 * and tests deterministic). Throws on edges to unknown vertices or cycles: a Flink job graph is
 * a DAG, so either means the body is corrupt.
 */
export function sortTopologically(vertices: readonly VertexInfo[], path: string): VertexInfo[] {
  const byId = new Map(vertices.map((vertex) => [vertex.id, vertex]));
  const remainingInputs = new Map<string, number>();
  const outputs = new Map<string, string[]>();
  for (const vertex of vertices) {
    remainingInputs.set(vertex.id, vertex.inputs.length);
    vertex.inputs.forEach((input, index) => {
      if (!byId.has(input.id)) {
        throw new FlinkResponseFormatError(
          path,
          `plan.nodes[id=${vertex.id}].inputs[${index}].id`,
          `refers to unknown vertex ${input.id}`,
        );
      }
      outputs.set(input.id, [...(outputs.get(input.id) ?? []), vertex.id]);
    });
  }
  const ordered: VertexInfo[] = [];
  let layer = vertices.filter((vertex) => vertex.inputs.length === 0);
  while (layer.length > 0) {
    ordered.push(...layer);
    const next = new Set<string>();
    for (const vertex of layer) {
      for (const downstream of outputs.get(vertex.id) ?? []) {
        const left = (remainingInputs.get(downstream) ?? 0) - 1;
        remainingInputs.set(downstream, left);
        if (left === 0) next.add(downstream);
      }
    }
    layer = vertices.filter((vertex) => next.has(vertex.id));
  }
  if (ordered.length !== vertices.length) {
    throw new FlinkResponseFormatError(path, 'plan.nodes', 'contain a cycle');
  }
  return ordered;
}
