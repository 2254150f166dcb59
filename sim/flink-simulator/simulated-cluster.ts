import { computeFlow, trueCapacity, type VertexFlow } from './flow-model.ts';
import { loadRateAt } from './load-profile.ts';
import { hexId, type NormalizedScenario, type NormalizedVertex } from './parse-scenario.ts';
import { type WithheldMetric, WithheldMetrics } from './withheld-metrics.ts';

/** Job states the simulator goes through. */
export type SimulatedJobState = 'RUNNING' | 'INITIALIZING' | 'RESTARTING' | 'FAILED';

/** Cumulative counters of one vertex in the current job attempt. */
interface VertexCounters {
  recordsIn: number;
  recordsOut: number;
  busyMs: number;
  backPressuredMs: number;
  idleMs: number;
}

/** Per-subtask values of one metric id; `undefined` = that subtask does not report it. */
export type SubtaskValues = readonly (number | undefined)[];

/** A TaskManager as served over REST. */
export interface SimulatedTaskManager {
  readonly id: string;
  readonly slots: number;
  readonly freeSlots: number;
  readonly metrics: ReadonlyMap<string, number>;
}

/**
 * The simulated cluster's state on a virtual clock: one job whose vertices process records
 * according to the flow model, Kafka lag, restarts with downtime. Never reads the wall clock.
 */
export class SimulatedFlinkCluster {
  readonly scenario: NormalizedScenario;
  #nowMs: number;
  #generation = 0;
  #jobId: string;
  #state: SimulatedJobState = 'RUNNING';
  #timestamps: Record<string, number> = {};
  #startTimeMs: number;
  #runningAtMs: number;
  #parallelism: Map<string, number>;
  #lag = new Map<string, number>();
  #consumed = new Map<string, number>();
  #counters = new Map<string, VertexCounters>();
  #flow: Map<string, VertexFlow> | undefined;
  readonly #withheld = new WithheldMetrics();

  constructor(scenario: NormalizedScenario) {
    this.scenario = scenario;
    this.#nowMs = scenario.startTimeMs;
    this.#parallelism = new Map(scenario.vertices.map((vertex) => [vertex.key, vertex.initialParallelism]));
    for (const vertex of scenario.vertices) {
      if (vertex.source) this.#lag.set(vertex.key, vertex.source.initialLagRecords);
    }
    this.#jobId = this.#newJobId();
    this.#startTimeMs = this.#nowMs;
    this.#runningAtMs = this.#nowMs;
    this.#timestamps = { INITIALIZING: this.#nowMs, CREATED: this.#nowMs, RUNNING: this.#nowMs };
    this.#resetCounters();
    this.#flow = this.#computeFlow(0);
  }

  /** Virtual epoch ms. */
  get nowMs(): number {
    return this.#nowMs;
  }

  get jobId(): string {
    return this.#jobId;
  }

  get state(): SimulatedJobState {
    return this.#state;
  }

  get startTimeMs(): number {
    return this.#startTimeMs;
  }

  /** JobStatus → epoch ms of entering it, for the current attempt. */
  get timestamps(): Readonly<Record<string, number>> {
    return this.#timestamps;
  }

  /** Current parallelism of a vertex (scenario key). */
  parallelismOf(key: string): number {
    return this.#parallelism.get(key) ?? 1;
  }

  /** Current Kafka/backlog lag of a source, records. */
  lagOf(key: string): number {
    return this.#lag.get(key) ?? 0;
  }

  /** The vertex for a scenario key or a 32-hex vertex id. */
  vertex(keyOrVertexId: string): NormalizedVertex | undefined {
    return this.scenario.vertices.find(
      (vertex) => vertex.key === keyOrVertexId || vertex.vertexId === keyOrVertexId,
    );
  }

  /** Oracle: true capacity (records/s) of a vertex at a parallelism (default: current). */
  trueCapacity(keyOrVertexId: string, parallelism?: number): number {
    const vertex = this.vertex(keyOrVertexId);
    if (!vertex) throw new Error(`Unknown simulator vertex ${keyOrVertexId}`);
    return trueCapacity(vertex, parallelism ?? this.parallelismOf(vertex.key));
  }

  /** Arrival rate of a source at the current time, records/s. */
  arrivalRate(key: string): number {
    const source = this.vertex(key)?.source;
    return source ? loadRateAt(source.load, this.#nowMs - this.scenario.startTimeMs) : 0;
  }

  /** Advances the virtual clock, integrating the flow model in steps of `stepMs`. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a finite ms >= 0, got ${ms}`);
    let remaining = ms;
    while (remaining > 0) {
      let dt = Math.min(this.scenario.stepMs, remaining);
      // Split the step at the end of a restart so processing starts exactly at RUNNING.
      if (this.#state !== 'RUNNING' && this.#runningAtMs > this.#nowMs) {
        dt = Math.min(dt, this.#runningAtMs - this.#nowMs);
      }
      this.#step(dt);
      remaining -= dt;
    }
    this.#enterRunningIfDue();
  }

  /** Moves the virtual clock forward to `epochMs` (never backwards). */
  setTime(epochMs: number): void {
    if (epochMs < this.#nowMs) {
      throw new RangeError(`setTime(${epochMs}) is before the current virtual time ${this.#nowMs}`);
    }
    this.advance(epochMs - this.#nowMs);
  }

  /**
   * Applies new parallelisms (keys or hex vertex ids; others keep theirs). Processing stops for
   * the restart downtime; lag keeps growing. In `redeploy` mode the job gets a new id and a new
   * attempt (INITIALIZING → CREATED → RUNNING, like a fresh submission); in `in-place` mode the job
   * keeps its id and passes through RESTARTING, as the adaptive scheduler restarts it (Flink 1.18+).
   * Counters restart from zero either way: Flink's task metrics belong to the task attempt.
   */
  applyParallelism(overrides: Readonly<Record<string, number>>): { jobId: string; runningAtMs: number } {
    for (const [id, value] of Object.entries(overrides)) {
      const vertex = this.vertex(id);
      if (!vertex) throw new Error(`applyParallelism: unknown vertex ${id}`);
      if (!Number.isInteger(value) || value < 1 || value > vertex.maxParallelism) {
        throw new RangeError(
          `applyParallelism: ${id} needs an integer in 1..${vertex.maxParallelism}, got ${value}`,
        );
      }
      this.#parallelism.set(vertex.key, value);
    }
    const { downtimeMs, mode } = this.scenario.restart;
    this.#generation += 1;
    this.#runningAtMs = this.#nowMs + downtimeMs;
    if (mode === 'redeploy') {
      this.#jobId = this.#newJobId();
      this.#startTimeMs = this.#nowMs;
      this.#timestamps = { INITIALIZING: this.#nowMs, CREATED: this.#nowMs };
      this.#state = 'INITIALIZING';
    } else {
      this.#timestamps = { ...this.#timestamps, RESTARTING: this.#nowMs };
      this.#state = 'RESTARTING';
    }
    this.#flow = undefined;
    this.#resetCounters();
    this.#failAboveParallelism();
    this.#enterRunningIfDue();
    return { jobId: this.#jobId, runningAtMs: this.#runningAtMs };
  }

  /** Stops reporting a metric (vertex or TaskManager, all or some indexes) until {@link reportAllMetrics}. */
  withholdMetric(metric: WithheldMetric): void {
    const vertex = metric.vertex === undefined ? undefined : this.vertex(metric.vertex);
    if (metric.vertex !== undefined && !vertex) throw new Error(`withholdMetric: unknown vertex ${metric.vertex}`);
    this.#withheld.add(metric, vertex?.key);
  }

  /** Reports every metric again. */
  reportAllMetrics(): void {
    this.#withheld.clear();
  }

  /** True when vertex/TM metrics are listed (RUNNING for at least `metricsDelayMs`). */
  metricsReported(): boolean {
    return this.#state === 'RUNNING' && this.#nowMs >= this.#runningAtMs + this.scenario.metricsDelayMs;
  }

  /** Cumulative IO counters of a vertex (current attempt). */
  counters(key: string): Readonly<VertexCounters> {
    return (
      this.#counters.get(key) ?? { recordsIn: 0, recordsOut: 0, busyMs: 0, backPressuredMs: 0, idleMs: 0 }
    );
  }

  /** Latest flow of a vertex; undefined while not RUNNING. */
  flow(key: string): VertexFlow | undefined {
    return this.#flow?.get(key);
  }

  /**
   * Metric id → per-subtask values of a vertex, as its subtasks would report them (bare ids,
   * operator scope prefixed with the filtered operator name). Empty while metrics are not reported.
   * Names (Flink 1.x): busy / back-pressured / idle time and task-level record counts from
   * `TaskIOMetricGroup` (busy time is NaN where it cannot be measured, legacy `SourceFunction`
   * sources), operator-level counts from `OperatorIOMetricGroup`, and the Kafka source's
   * `pendingRecords` (FLIP-33 `SourceReaderMetricGroup`) and per-partition offsets
   * (`KafkaSourceReaderMetrics`, flink-connector-kafka).
   */
  vertexMetrics(key: string): Map<string, SubtaskValues> {
    const result = new Map<string, SubtaskValues>();
    const vertex = this.vertex(key);
    const flow = this.flow(key);
    if (!vertex || !flow || !this.metricsReported()) return result;
    const counters = this.counters(vertex.key);
    const shares = flow.shares;
    const split = (total: number) => shares.map((share) => total * share);
    const legacy = vertex.source?.type === 'legacy';
    result.set(
      'busyTimeMsPerSecond',
      flow.busyMsPerSecond.map((value) => (legacy ? Number.NaN : value)),
    );
    result.set('backPressuredTimeMsPerSecond', flow.backPressuredMsPerSecond);
    result.set('idleTimeMsPerSecond', flow.idleMsPerSecond);
    // Task-level input counts network input only, which is zero for a source task.
    result.set('numRecordsIn', split(vertex.source ? 0 : counters.recordsIn));
    result.set('numRecordsInPerSecond', split(vertex.source ? 0 : flow.inputRate));
    result.set('numRecordsOut', split(counters.recordsOut));
    result.set('numRecordsOutPerSecond', split(flow.outputRate));
    const prefix = vertex.metricPrefix;
    result.set(`${prefix}.numRecordsIn`, split(counters.recordsIn));
    result.set(`${prefix}.numRecordsInPerSecond`, split(flow.inputRate));
    result.set(`${prefix}.numRecordsOut`, split(counters.recordsOut));
    result.set(`${prefix}.numRecordsOutPerSecond`, split(flow.outputRate));
    const source = vertex.source;
    if (source?.type === 'kafka') {
      // The Kafka source registers pendingRecords lazily, after its first record.
      if (counters.recordsIn > 0) result.set(`${prefix}.pendingRecords`, split(this.lagOf(vertex.key)));
      const parallelism = shares.length;
      const cluster = source.kafkaCluster === undefined ? '' : `.kafkaCluster.${source.kafkaCluster}`;
      const offset = Math.floor((this.#consumed.get(vertex.key) ?? 0) / source.partitions);
      for (let partition = 0; partition < source.partitions; partition++) {
        const owner = partition % parallelism;
        const values = Array.from({ length: parallelism }, (_, i) => (i === owner ? offset : undefined));
        const base = `${prefix}${cluster}.KafkaSourceReader.topic.${source.topic}.partition.${partition}`;
        result.set(`${base}.currentOffset`, values);
        result.set(`${base}.committedOffset`, values);
      }
    }
    this.#withheld.applyToVertex(vertex.key, result);
    return result;
  }

  /**
   * Slots needed: per slot sharing group the max parallelism, summed (slot sharing, Flink 1.x:
   * one slot holds one subtask of every vertex in its group).
   */
  slotsNeeded(): number {
    const perGroup = new Map<string, number>();
    for (const vertex of this.scenario.vertices) {
      const p = this.parallelismOf(vertex.key);
      perGroup.set(vertex.slotSharingGroup, Math.max(perGroup.get(vertex.slotSharingGroup) ?? 0, p));
    }
    return [...perGroup.values()].reduce((sum, value) => sum + value, 0);
  }

  /**
   * TaskManagers with their memory metrics (a simple load-driven heap/GC model). Metric names are
   * Flink's TaskManager `Status.*` system metrics (`MetricUtils.instantiateStatusMetrics`, Flink
   * 1.x); `GarbageCollector.All.TimeMsPerSecond` is only reported from 1.19 on (docs/flink-rest.md §4).
   */
  taskManagers(): SimulatedTaskManager[] {
    const tm = this.scenario.taskManager;
    const count = Math.max(1, Math.ceil(this.slotsNeeded() / tm.slots));
    let freeSlots = count * tm.slots - this.slotsNeeded();
    let totalInput = 0;
    for (const vertex of this.scenario.vertices) totalInput += this.flow(vertex.key)?.inputRate ?? 0;
    const heapUsed = Math.min(
      tm.heapMaxBytes * 0.98,
      tm.heapBaseUsedBytes + (tm.heapBytesPerRecordPerSecond * totalInput) / count,
    );
    const gc = tm.gcMsPerSecondAtFullHeap * (heapUsed / tm.heapMaxBytes) ** 4;
    const withGcAll = versionAtLeast(this.scenario.flinkVersion, 1, 19);
    return Array.from({ length: count }, (_, index) => {
      const free = Math.max(0, Math.min(tm.slots, freeSlots));
      freeSlots -= free;
      const metrics = new Map<string, number>([
        ['Status.JVM.Memory.Heap.Used', Math.round(heapUsed)],
        ['Status.JVM.Memory.Heap.Committed', tm.heapMaxBytes],
        ['Status.JVM.Memory.Heap.Max', tm.heapMaxBytes],
        ['Status.JVM.Memory.Metaspace.Used', tm.metaspaceUsedBytes],
        ['Status.Flink.Memory.Managed.Used', Math.round(tm.managedTotalBytes * tm.managedUsedFraction)],
        ['Status.Flink.Memory.Managed.Total', tm.managedTotalBytes],
        ['Status.JVM.GarbageCollector.G1_Young_Generation.Time', 0],
        ['Status.JVM.CPU.Load', Math.min(1, totalInput > 0 ? 0.5 : 0.01)],
      ]);
      if (withGcAll) metrics.set('Status.JVM.GarbageCollector.All.TimeMsPerSecond', gc);
      this.#withheld.applyToTaskManager(index, metrics);
      return { id: `simulated-tm-${this.#generation}-${index}`, slots: tm.slots, freeSlots: free, metrics };
    });
  }

  #newJobId(): string {
    return hexId(`${this.scenario.name}/job/${this.#generation}`);
  }

  #resetCounters(): void {
    for (const vertex of this.scenario.vertices) {
      this.#counters.set(vertex.key, {
        recordsIn: 0,
        recordsOut: 0,
        busyMs: 0,
        backPressuredMs: 0,
        idleMs: 0,
      });
    }
  }

  /**
   * Failure mode (scenario `failure`): above the parallelism the job never runs again — it stays
   * RESTARTING (a restart strategy without end) or FAILED (attempts exhausted) until a new
   * parallelism is applied.
   */
  #failAboveParallelism(): void {
    const failure = this.scenario.failure;
    if (!failure || ![...this.#parallelism.values()].some((p) => p > failure.aboveParallelism)) return;
    this.#runningAtMs = Number.POSITIVE_INFINITY;
    this.#state = failure.state;
    this.#timestamps = { ...this.#timestamps, [failure.state]: this.#nowMs };
  }

  #enterRunningIfDue(): void {
    if (this.#state !== 'RUNNING' && this.#nowMs >= this.#runningAtMs) {
      this.#state = 'RUNNING';
      this.#timestamps = { ...this.#timestamps, RUNNING: this.#runningAtMs };
      this.#flow = this.#computeFlow(this.scenario.stepMs);
    }
  }

  #computeFlow(dtMs: number): Map<string, VertexFlow> {
    const wanted = new Map<string, number>();
    const scenarioTime = this.#nowMs - this.scenario.startTimeMs + dtMs / 2;
    for (const vertex of this.scenario.vertices) {
      if (!vertex.source) continue;
      const arrival = loadRateAt(vertex.source.load, scenarioTime);
      const lag = this.lagOf(vertex.key);
      const ownCapacity = trueCapacity(vertex, this.parallelismOf(vertex.key));
      // With a backlog a source reads as fast as it can (catching up), never more than exists.
      const demand = lag > 0 ? arrival + lag / Math.max(dtMs / 1000, 1e-3) : arrival;
      wanted.set(vertex.key, Math.min(ownCapacity, demand));
    }
    return computeFlow(this.scenario, this.#parallelism, wanted);
  }

  #step(dtMs: number): void {
    this.#enterRunningIfDue();
    const seconds = dtMs / 1000;
    const scenarioTime = this.#nowMs - this.scenario.startTimeMs + dtMs / 2;
    if (this.#state !== 'RUNNING') {
      for (const vertex of this.scenario.vertices) {
        if (vertex.source) {
          const arrival = loadRateAt(vertex.source.load, scenarioTime);
          this.#lag.set(vertex.key, this.lagOf(vertex.key) + arrival * seconds);
        }
      }
      this.#nowMs += dtMs;
      return;
    }
    const flow = this.#computeFlow(dtMs);
    this.#flow = flow;
    for (const vertex of this.scenario.vertices) {
      const vertexFlow = flow.get(vertex.key);
      if (!vertexFlow) continue;
      const counters = this.#counters.get(vertex.key)!;
      counters.recordsIn += vertexFlow.inputRate * seconds;
      counters.recordsOut += vertexFlow.outputRate * seconds;
      counters.busyMs += sum(vertexFlow.busyMsPerSecond) * seconds;
      counters.backPressuredMs += sum(vertexFlow.backPressuredMsPerSecond) * seconds;
      counters.idleMs += sum(vertexFlow.idleMsPerSecond) * seconds;
      if (vertex.source) {
        const arrival = loadRateAt(vertex.source.load, scenarioTime);
        const lag = this.lagOf(vertex.key) + (arrival - vertexFlow.inputRate) * seconds;
        this.#lag.set(vertex.key, Math.max(0, lag));
        this.#consumed.set(
          vertex.key,
          (this.#consumed.get(vertex.key) ?? 0) + vertexFlow.inputRate * seconds,
        );
      }
    }
    this.#nowMs += dtMs;
  }
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** `"1.20.1"` ≥ major.minor. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [maj = 0, min = 0] = version.split('.').map(Number);
  return maj > major || (maj === major && min >= minor);
}
