import { parseMap } from '../../lib/config/value-parsers.ts';
import { PARALLELISM_OVERRIDES_KEY as OVERRIDES_KEY } from '../../lib/domain/owned-keys.ts';
import type { StoredObject } from './flink-operator-model.ts';


/**
 * The per-vertex parallelism a FlinkDeployment's spec asks for
 * (`pipeline.jobvertex-parallelism-overrides`, Flink `PipelineOptions.PARALLELISM_OVERRIDES`
 * since 1.17, as numbers), or undefined when it sets none: what
 * the operator model hands to a simulated Flink cluster when a spec change rolls out.
 */
export function parallelismOverridesOf(resource: StoredObject): Record<string, number> | undefined {
  const config = (resource.spec?.['flinkConfiguration'] ?? {}) as Record<string, string>;
  const text = config[OVERRIDES_KEY];
  if (!text) return undefined;
  return Object.fromEntries(Object.entries(parseMap(text)).map(([vertex, p]) => [vertex, Number(p)]));
}
