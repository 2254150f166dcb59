/**
 * Metrics the simulator does not report for now: a test control for the gaps a real job has for
 * a while (subtasks just redeployed, a metric registered lazily, a metric dropped between two REST
 * calls). Flink's REST handlers then answer without the id (listings, collections) or with `[]`
 * (an aggregation of an id nobody reports, `metric-responses.ts`).
 */

/** One metric to withhold. */
export interface WithheldMetric {
  /** Exact metric id (bare, as listed: `busyTimeMsPerSecond`, `Source__orders.pendingRecords`). */
  readonly id: string;
  /** Vertex (scenario key or 32-hex id); absent = the TaskManagers' metric. */
  readonly vertex?: string;
  /** Subtask (or TaskManager) indexes that stop reporting it; absent = all. */
  readonly indexes?: readonly number[];
  /**
   * Vertex metrics only: keep the id in the listing although no subtask has a value, i.e. what a
   * client sees when Flink's metric store drops the metric between its listing call and its query
   * (each REST call may trigger a `MetricFetcher` update).
   */
  readonly stillListed?: boolean;
}

/** Per-subtask values of one metric id; `undefined` = that subtask does not report it. */
type Values = readonly (number | undefined)[];

/** The active {@link WithheldMetric}s, keyed by vertex key (`''` = the TaskManagers). */
export class WithheldMetrics {
  readonly #rules: { readonly scope: string; readonly metric: WithheldMetric }[] = [];

  /** Withholds `metric`; `vertexKey` is its resolved vertex (undefined = TaskManagers). */
  add(metric: WithheldMetric, vertexKey: string | undefined): void {
    this.#rules.push({ scope: vertexKey ?? '', metric });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /**
   * Removes withheld values from a vertex's `id → values` map in place; an id no subtask reports
   * any more leaves the map (a listing is the union of what the subtasks report) unless a rule
   * keeps it listed.
   */
  applyToVertex(vertexKey: string, metrics: Map<string, Values>): void {
    for (const [id, values] of metrics) {
      const rules = this.#matching(vertexKey, id);
      if (rules.length === 0) continue;
      const left = values.map((value, index) => (withholds(rules, index) ? undefined : value));
      const keepListed = rules.some((rule) => rule.stillListed === true);
      if (left.every((value) => value === undefined) && !keepListed) metrics.delete(id);
      else metrics.set(id, left);
    }
  }

  /** Removes the metrics TaskManager number `index` does not report from its map, in place. */
  applyToTaskManager(index: number, metrics: Map<string, number>): void {
    for (const id of [...metrics.keys()]) {
      if (withholds(this.#matching('', id), index)) metrics.delete(id);
    }
  }

  #matching(scope: string, id: string): WithheldMetric[] {
    return this.#rules.filter((rule) => rule.scope === scope && rule.metric.id === id).map((rule) => rule.metric);
  }
}

function withholds(rules: readonly WithheldMetric[], index: number): boolean {
  return rules.some((rule) => rule.indexes === undefined || rule.indexes.includes(index));
}
