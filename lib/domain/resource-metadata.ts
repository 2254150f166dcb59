/**
 * The label and annotations through which users steer the autoscaler on a FlinkDeployment or
 * FlinkSessionJob (docs/design.md §4). Declared once: the adapters, the CLI and the simulated world read
 * the same names.
 */

/** Label that opts a resource in to the autoscaler; the value must be `"true"`. */
export const MANAGED_LABEL = 'flink-serverless-autoscaler/enabled';
/** Annotation overriding the Flink REST base URL (instead of the API-server service proxy). */
export const REST_URL_ANNOTATION = 'flink-serverless-autoscaler/rest-url';
/** Annotation allowing a stateless full restart to apply a change (upgrade-path.ts). */
export const ALLOW_STATELESS_RESTART_ANNOTATION = 'flink-serverless-autoscaler/allow-stateless-restart';
/** Annotation choosing what opting out does to the overrides we wrote: `keep` (default) or `restore`. */
export const ON_DISABLE_ANNOTATION = 'flink-serverless-autoscaler/on-disable';
/**
 * Annotation opting a job in to per-job and per-vertex CloudWatch metrics (`"true"`). Without it
 * the job adds no custom metric (only its cycle log record); with it, 9 per job plus about 15 per
 * vertex, each $0.30 a month (README "Cost").
 */
export const DETAILED_METRICS_ANNOTATION = 'flink-serverless-autoscaler/detailed-metrics';

/** Whether the annotations opt the job in to detailed metrics (`"true"`, as the other switches). */
export function wantsDetailedMetrics(annotations: Readonly<Record<string, string>>): boolean {
  return annotations[DETAILED_METRICS_ANNOTATION]?.trim() === 'true';
}

/**
 * Annotation declaring the Flink Kubernetes Operator version that manages the resource (`1.10`,
 * `1.12.1`). The operator does not report its own version on the resource, and some upgrade paths
 * depend on it (last-state without HA from 1.10, upgrade-path.ts); unknown = the conservative path.
 */
export const OPERATOR_VERSION_ANNOTATION = 'flink-serverless-autoscaler/operator-version';
