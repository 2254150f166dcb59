import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';

/**
 * Validators for Flink REST bodies built from the shared OpenAPI file
 * (reference/flink-rest-v1.yml, Flink 1.19). The spec's schemas allow any extra field; here
 * every object schema with declared properties is closed (`additionalProperties: false`) so the
 * simulator cannot invent fields. Documented exceptions:
 * - metric endpoints return TOP-LEVEL ARRAYS (docs/flink-rest.md §2.2): collection bodies are
 *   validated element-wise against `Metric`, aggregated bodies against {@link AGGREGATED_METRIC};
 * - `JobDetailsVertexInfo.slotSharingGroupId` (Flink ≥ 1.20, after this 1.19 spec);
 * - `JobConfigInfo`: Flink writes it with a custom serializer as `{jid, name, execution-config}`;
 *   the generated spec shows the Java field names (`jobId`, `jobName`, `executionConfigInfo`)
 *   instead, so the wire shape is substituted;
 * - `ResourceID` (TaskManager id): the spec demands 32 hex characters, but real ids are
 *   `host:port-suffix` (1.14 sample `172.26.0.3:34457-7b2520`) or pod names on Kubernetes, so
 *   only "string" is checked;
 * - `IOMetricsInfo.accumulated-busy-time` is a string `"NaN"` for legacy sources (Jackson's
 *   non-finite doubles), so legacy-source scenarios are not validated against it.
 */
const SPEC_PATH = join(import.meta.dirname, '../../../../shared/reference/flink-rest-v1.yml');

/** Element of an aggregated metrics answer (`AggregatedMetric` in Flink's code, untyped in the spec). */
export const AGGREGATED_METRIC = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    min: { type: 'number' },
    max: { type: 'number' },
    avg: { type: 'number' },
    sum: { type: 'number' },
    skew: { type: 'number' },
  },
};

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if (record['type'] === 'object' && record['properties'] && record['additionalProperties'] === undefined) {
    record['additionalProperties'] = false;
  }
  for (const value of Object.values(record)) closeObjects(value);
}

/** Loads the spec and returns a validator factory by schema name. */
export function loadFlinkRestValidators(): (schemaName: string) => ValidateFunction {
  const spec = parseYaml(readFileSync(SPEC_PATH, 'utf8')) as {
    components: { schemas: Record<string, unknown> };
  };
  const schemas = structuredClone(spec.components.schemas) as Record<string, Record<string, unknown>>;
  closeObjects(schemas);
  const vertexInfo = schemas['JobDetailsVertexInfo'] as { properties: Record<string, unknown> };
  vertexInfo.properties['slotSharingGroupId'] = { type: 'string' };
  schemas['ResourceID'] = { type: 'string' };
  schemas['JobConfigInfo'] = {
    type: 'object',
    additionalProperties: false,
    properties: {
      jid: { $ref: '#/components/schemas/JobID' },
      name: { type: 'string' },
      'execution-config': { $ref: '#/components/schemas/ExecutionConfigInfo' },
    },
  };
  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const format of ['int32', 'int64', 'double', 'float', 'binary', 'byte']) ajv.addFormat(format, true);
  ajv.addSchema({ $id: 'flink-rest-v1', components: { schemas } });
  ajv.addSchema({ $id: 'aggregated-metrics', type: 'array', items: AGGREGATED_METRIC });
  ajv.addSchema({
    $id: 'metric-collection',
    type: 'array',
    items: { $ref: 'flink-rest-v1#/components/schemas/Metric' },
  });
  return (schemaName) => {
    const id =
      schemaName.includes('#') || !/^[A-Z]/.test(schemaName)
        ? schemaName
        : `flink-rest-v1#/components/schemas/${schemaName}`;
    const validate = ajv.getSchema(id);
    if (!validate) throw new Error(`No schema ${schemaName}`);
    return validate;
  };
}
