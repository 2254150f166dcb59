/**
 * One CloudWatch Embedded Metric Format document, serialized by hand: the format is a small JSON
 * object (AWS CloudWatch User Guide, "Specification: Embedded metric format"), and writing it here
 * spares both functions the Powertools Metrics module at every cold start.
 *
 * The root holds the `_aws` metadata (timestamp, namespace, one dimension set, the metric names
 * and units) and, as plain members, the value of every dimension and metric it names.
 */
import type { MetricSpec } from './metric-catalog.ts';

/** The specification's limit of dimension keys in one dimension set. */
export const MAX_DIMENSIONS_PER_SET = 30;

/** The specification's limit of metric definitions in one directive. */
export const MAX_METRICS_PER_DIRECTIVE = 100;

/** A metric value to write: its name and unit, and a finite number. */
export type MetricValue = readonly [MetricSpec, number];

/** The root member of the metadata. */
const RESERVED = '_aws';

/**
 * The document of `values` under `dimensions` at `timestampMs`. Throws on input CloudWatch would
 * reject or misread: a non-finite value, an empty dimension value, too many dimensions or metrics,
 * or a metric named twice or like a dimension (both would be one member of the root object). Pure.
 */
export function emfDocument(
  namespace: string,
  dimensions: Readonly<Record<string, string>>,
  values: readonly MetricValue[],
  timestampMs: number,
): string {
  const dimensionNames = Object.keys(dimensions);
  if (dimensionNames.length > MAX_DIMENSIONS_PER_SET) {
    throw new Error(`an EMF dimension set has at most ${MAX_DIMENSIONS_PER_SET} dimensions, got ${dimensionNames.length}`);
  }
  if (values.length > MAX_METRICS_PER_DIRECTIVE) {
    throw new Error(`an EMF document has at most ${MAX_METRICS_PER_DIRECTIVE} metrics, got ${values.length}`);
  }
  const root: Record<string, unknown> = {
    [RESERVED]: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [dimensionNames],
          Metrics: values.map(([spec]) => ({ Name: spec.name, Unit: spec.unit })),
        },
      ],
    },
  };
  for (const name of dimensionNames) {
    const value = dimensions[name]!;
    if (value.length === 0) throw new Error(`EMF dimension '${name}' has an empty value`);
    root[name] = value;
  }
  for (const [spec, value] of values) {
    if (!Number.isFinite(value)) throw new Error(`EMF metric '${spec.name}' must be a finite number, got ${value}`);
    if (Object.hasOwn(root, spec.name)) {
      throw new Error(`EMF metric '${spec.name}' is named twice, or like a dimension or the metadata`);
    }
    root[spec.name] = value;
  }
  return JSON.stringify(root);
}
