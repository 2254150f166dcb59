import type { MetricAggregates, RawVertexMetrics } from '../../domain/index.ts';
import type { VertexIoCounters } from './parse-job-details.ts';

/**
 * Which vertex metrics are queried and how ids map to logical metrics
 * (docs/algorithm.md §2.3). Operator-scoped ids contain the operator name, so they
 * are matched by prefix/suffix on the listing, never hard-coded.
 */

/** Logical vertex metrics read by the collector. */
export type LogicalVertexMetric =
  | 'busyTimeMsPerSecond'
  | 'backPressuredTimeMsPerSecond'
  | 'sourceNumRecordsInPerSecond'
  | 'sourceNumRecordsIn'
  | 'sourceNumRecordsOut'
  | 'sourceNumRecordsOutPerSecond'
  | 'pendingRecords'
  | 'numRecordsInPerSecond';

interface LogicalMetricRule {
  readonly metric: LogicalVertexMetric;
  readonly matches: (id: string) => boolean;
  readonly sources: boolean;
  readonly nonSources: boolean;
  /** Required metrics missing from the listing make the observation incomplete. */
  readonly requiredFor: 'all' | 'sources' | 'none';
  /** Name used in `missingRequired` and error messages. */
  readonly label: string;
  /**
   * Every matching id is queried and their aggregates merged (`FlinkMetric.findAll`); otherwise
   * one id is (`findAny`). The Java collector (`ScalingMetricCollector
   * .getFilteredVertexMetricNames`, flink-autoscaler) merges only `*.pendingRecords`.
   */
  readonly all?: boolean;
}

const SOURCE_PREFIX = 'Source__';
const sourceOperator = (suffix: string) => (id: string) =>
  id.startsWith(SOURCE_PREFIX) && id.endsWith(suffix);

const RULES: readonly LogicalMetricRule[] = [
  {
    metric: 'busyTimeMsPerSecond',
    matches: (id) => id === 'busyTimeMsPerSecond',
    sources: true,
    nonSources: true,
    requiredFor: 'all',
    label: 'busyTimeMsPerSecond',
  },
  {
    metric: 'backPressuredTimeMsPerSecond',
    matches: (id) => id === 'backPressuredTimeMsPerSecond',
    sources: true,
    nonSources: false,
    requiredFor: 'sources',
    label: 'backPressuredTimeMsPerSecond',
  },
  {
    metric: 'sourceNumRecordsInPerSecond',
    matches: sourceOperator('.numRecordsInPerSecond'),
    sources: true,
    nonSources: false,
    requiredFor: 'sources',
    label: 'Source__*.numRecordsInPerSecond',
  },
  {
    metric: 'sourceNumRecordsIn',
    matches: sourceOperator('.numRecordsIn'),
    sources: true,
    nonSources: false,
    requiredFor: 'sources',
    label: 'Source__*.numRecordsIn',
  },
  {
    metric: 'sourceNumRecordsOut',
    matches: sourceOperator('.numRecordsOut'),
    sources: true,
    nonSources: false,
    requiredFor: 'none',
    label: 'Source__*.numRecordsOut',
  },
  {
    // Not queried by the Java REST collector; cheap, and the only rate some sources report.
    metric: 'sourceNumRecordsOutPerSecond',
    matches: sourceOperator('.numRecordsOutPerSecond'),
    sources: true,
    nonSources: false,
    requiredFor: 'none',
    label: 'Source__*.numRecordsOutPerSecond',
  },
  {
    metric: 'pendingRecords',
    matches: (id) => id.endsWith('.pendingRecords'),
    sources: true,
    nonSources: false,
    requiredFor: 'none',
    label: '*.pendingRecords',
    all: true,
  },
  {
    metric: 'numRecordsInPerSecond',
    matches: (id) => id === 'numRecordsInPerSecond',
    sources: false,
    nonSources: true,
    requiredFor: 'none',
    label: 'numRecordsInPerSecond',
  },
];

/** Result of {@link selectVertexMetrics}. */
export interface VertexMetricSelection {
  /** Metric ids to pass in `get=` (deduplicated, code-point order). */
  readonly queryIds: readonly string[];
  /** id → logical metric, to assemble the aggregated answer. */
  readonly logicalById: ReadonlyMap<string, LogicalVertexMetric>;
  /** Labels of required metrics absent from the listing. */
  readonly missingRequired: readonly string[];
}

/**
 * Chooses which listed ids to query for one vertex. Where several ids match a metric that Java
 * reads from one id (`findAny`: e.g. two `Source__*.numRecordsIn` of a vertex with two chained
 * sources), the first in code-point order is taken, so the choice is stable (Java takes whichever
 * its hash set yields first); all `*.pendingRecords` ids are taken and summed, as in Java.
 */
export function selectVertexMetrics(listedIds: readonly string[], isSource: boolean): VertexMetricSelection {
  const logicalById = new Map<string, LogicalVertexMetric>();
  const missingRequired: string[] = [];
  const ordered = [...listedIds].sort();
  for (const rule of RULES) {
    if (!(isSource ? rule.sources : rule.nonSources)) continue;
    const all = ordered.filter((id) => rule.matches(id) && !logicalById.has(id));
    const matching = rule.all ? all : all.slice(0, 1);
    for (const id of matching) logicalById.set(id, rule.metric);
    const required = rule.requiredFor === 'all' || (rule.requiredFor === 'sources' && isSource);
    if (required && matching.length === 0) missingRequired.push(rule.label);
  }
  return { queryIds: [...logicalById.keys()], logicalById, missingRequired };
}

/**
 * Merges the aggregates of several ids mapped to one logical metric (e.g. two
 * `*.pendingRecords`): min of mins, max of maxes, sum of sums; the average is unknown
 * (docs/algorithm.md §2.1), so it is dropped.
 */
export function mergeAggregates(all: readonly MetricAggregates[]): MetricAggregates {
  if (all.length === 1 && all[0]) return all[0];
  const merged: { min?: number; max?: number; sum?: number } = {};
  for (const one of all) {
    if (one.min !== undefined)
      merged.min = merged.min === undefined ? one.min : Math.min(merged.min, one.min);
    if (one.max !== undefined)
      merged.max = merged.max === undefined ? one.max : Math.max(merged.max, one.max);
    if (one.sum !== undefined) merged.sum = (merged.sum ?? 0) + one.sum;
  }
  return merged;
}

/**
 * Builds one vertex's raw metrics from the aggregated answer and the job-details IO counters.
 * Sums feed the rate/counter fields; busy and back-pressure time keep all aggregates because
 * the busy-time aggregator (MAX/AVG/MIN) is an option of the metrics stage.
 */
export function assembleVertexMetrics(
  selection: VertexMetricSelection,
  aggregated: ReadonlyMap<string, MetricAggregates>,
  io: VertexIoCounters,
  finished: boolean,
): RawVertexMetrics {
  const grouped = new Map<LogicalVertexMetric, MetricAggregates[]>();
  for (const [id, metric] of selection.logicalById) {
    const value = aggregated.get(id);
    if (value !== undefined) grouped.set(metric, [...(grouped.get(metric) ?? []), value]);
  }
  const merged = (metric: LogicalVertexMetric): MetricAggregates | undefined => {
    const values = grouped.get(metric);
    return values === undefined ? undefined : mergeAggregates(values);
  };
  const sum = (metric: LogicalVertexMetric): number | undefined => merged(metric)?.sum;
  const result: Record<string, unknown> = {
    ...(finished ? { finished: true } : {}),
    busyTimeMsPerSecond: merged('busyTimeMsPerSecond'),
    backPressuredTimeMsPerSecond: merged('backPressuredTimeMsPerSecond'),
    sourceNumRecordsInPerSecond: sum('sourceNumRecordsInPerSecond'),
    sourceNumRecordsOutPerSecond: sum('sourceNumRecordsOutPerSecond'),
    sourceNumRecordsIn: sum('sourceNumRecordsIn'),
    sourceNumRecordsOut: sum('sourceNumRecordsOut'),
    pendingRecords: sum('pendingRecords'),
    numRecordsInPerSecond: sum('numRecordsInPerSecond'),
    readRecords: io.readRecords,
    writeRecords: io.writeRecords,
    accumulatedBusyTimeMs: io.accumulatedBusyTimeMs,
  };
  for (const key of Object.keys(result)) if (result[key] === undefined) delete result[key];
  return result as RawVertexMetrics;
}
