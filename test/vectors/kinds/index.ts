import type { KindHandler } from '../vector-format.ts';
import { evaluateKinds } from './evaluate-kinds.ts';
import { executorKinds } from './executor-kinds.ts';
import { flinkRestKinds } from './flink-rest-kinds.ts';
import { memoryKinds } from './memory-kinds.ts';
import { scaleKinds } from './scale-kinds.ts';

function merge(...groups: Record<string, KindHandler>[]): Record<string, KindHandler> {
  const all: Record<string, KindHandler> = {};
  for (const group of groups) {
    for (const [kind, handler] of Object.entries(group)) {
      if (all[kind]) throw new Error(`Vector kind '${kind}' has two handlers`);
      all[kind] = handler;
    }
  }
  return all;
}

/** Every known vector kind → its handler. */
export const KIND_HANDLERS = merge(evaluateKinds, scaleKinds, executorKinds, memoryKinds, flinkRestKinds);
