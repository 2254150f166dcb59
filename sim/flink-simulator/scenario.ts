/**
 * Scenario of the simulated Flink cluster: the job graph, its costs and the load on its sources.
 * Written as JSON or YAML, validated by {@link parseScenario} (scenario-schema.ts) and normalized
 * (defaults applied, durations in ms).
 *
 * Durations (`*Ms` fields) accept milliseconds as a number or a string with a unit:
 * `"250 ms"`, `"30 s"`, `"5 min"`, `"2 h"`, `"1 d"`.
 */

/** Milliseconds, or a string with unit `ms`, `s`, `min`, `h` or `d`. */
export type DurationInput = number | string;

/** The whole scenario. */
export interface FlinkSimulatorScenario {
  /** Used in the job name and to derive job ids. @default "simulated-job" */
  readonly name?: string;
  /**
   * Flink version whose REST shapes are served: `slotSharingGroupId` from 1.20, the GC
   * `All.TimeMsPerSecond` metric and `/jobs/{id}/jobmanager/config` from 1.19,
   * `accumulated-*` counters from 1.16. @default "1.20.1"
   */
  readonly flinkVersion?: string;
  /** Virtual epoch ms of scenario time 0. @default 1_700_000_000_000 (2023-11-14) */
  readonly startTimeMs?: number;
  /** Integration step of the flow model. @default 1000 */
  readonly stepMs?: DurationInput;
  /**
   * After the job (re)enters RUNNING, vertex and TaskManager metrics stay unlisted this long,
   * as on a real cluster before the first metric fetch. @default 0
   */
  readonly metricsDelayMs?: DurationInput;
  /** How a new parallelism is applied. */
  readonly restart?: ScenarioRestart;
  /** TaskManager shape and memory model. */
  readonly taskManager?: ScenarioTaskManager;
  /** The job graph. */
  readonly job: ScenarioJob;
  /** Failure mode: the job cannot run above a parallelism (rollback tests). Absent = it always can. */
  readonly failure?: ScenarioFailure;
  /**
   * More entries of the cluster's effective configuration, as `GET /jobmanager/config` reports
   * them: the operator deploys its own default configuration (the operator ConfigMap's
   * `flink-conf.yaml`) under the resource's `flinkConfiguration` into the cluster's flink-conf
   * (flink-kubernetes-operator `FlinkConfigManager.getDeployConfig`, release 1.10), so an
   * operator-wide `job.autoscaler.enabled: "true"` shows up here. They override the simulator's
   * own entries. @default {}
   */
  readonly configuration?: Readonly<Record<string, string>>;
}

/**
 * A job that cannot run above a parallelism: once any vertex is set above `aboveParallelism` the
 * job never reaches RUNNING again. It models a job whose tasks fail when opened at that scale —
 * an external system refusing more connections, a source with fewer splits than a connector
 * requires — under Flink's restart strategies (`RestartBackoffTimeStrategy`, Flink 1.19+
 * `restart-strategy.type`): `exponential-delay`, the default with checkpointing, restarts without
 * end (RESTARTING), `fixed-delay` with exhausted attempts ends the job FAILED.
 */
export interface ScenarioFailure {
  readonly aboveParallelism: number;
  /** The state the job stays in. @default "RESTARTING" */
  readonly state?: 'RESTARTING' | 'FAILED';
}

/**
 * A vertex whose capacity collapses above a parallelism: per-subtask capacity is multiplied by
 * `capacityFactor` once the vertex runs above `aboveParallelism`. It models a sink whose external
 * system degrades under more concurrent writers (lock contention, connection-pool or write-quota
 * throttling) — the case the operator's ineffective-scaling detection
 * (`job.autoscaler.scaling.effectiveness.detection.enabled`, operator 1.8+) exists for.
 */
export interface ScenarioCollapse {
  readonly aboveParallelism: number;
  /** Per-subtask capacity multiplier above the threshold, in (0, 1]. */
  readonly capacityFactor: number;
}

/** Restart behaviour of {@link FlinkSimulatorScenario}. */
export interface ScenarioRestart {
  /** Time without processing between applying a parallelism and RUNNING again. @default 30 s */
  readonly downtimeMs?: DurationInput;
  /**
   * `redeploy`: the operator's full upgrade — a new job id, the old id answers 404;
   * `in-place`: adaptive-scheduler rescale — same job id, RESTARTING during the downtime.
   * @default "redeploy"
   */
  readonly mode?: 'redeploy' | 'in-place';
}

/** TaskManager model (all sizes in bytes, per TaskManager). */
export interface ScenarioTaskManager {
  /** `taskmanager.numberOfTaskSlots`. @default 2 */
  readonly slots?: number;
  /** `Status.JVM.Memory.Heap.Max`. @default 1 GiB */
  readonly heapMaxBytes?: number;
  /** Heap in use without load. @default 200 MiB */
  readonly heapBaseUsedBytes?: number;
  /** Extra heap per record/s processed by the TaskManager (state, buffers). @default 1000 */
  readonly heapBytesPerRecordPerSecond?: number;
  /** `Status.Flink.Memory.Managed.Total`. @default 512 MiB */
  readonly managedTotalBytes?: number;
  /** Fraction of managed memory in use (0..1). @default 0.5 */
  readonly managedUsedFraction?: number;
  /** `Status.JVM.Memory.Metaspace.Used`. @default 100 MiB */
  readonly metaspaceUsedBytes?: number;
  /** GC time at a full heap; scales with (heap used / max)^4. @default 200 */
  readonly gcMsPerSecondAtFullHeap?: number;
  /** `taskmanager.memory.process.size` reported in the configuration. @default 2 GiB */
  readonly processSizeBytes?: number;
}

/** The job graph. */
export interface ScenarioJob {
  /** Job name. @default scenario name */
  readonly name?: string;
  /** Default max parallelism of vertices (`pipeline.max-parallelism`). @default 128 */
  readonly maxParallelism?: number;
  readonly vertices: readonly ScenarioVertex[];
  /** Edges; a vertex without incoming edges must be a source. @default [] */
  readonly edges?: readonly ScenarioEdge[];
}

/** One job vertex (an operator chain). */
export interface ScenarioVertex {
  /** Symbolic id, unique in the scenario (edges refer to it). */
  readonly id: string;
  /** Display name; for sources the operator name becomes `Source: <name>`. @default id */
  readonly name?: string;
  /** 32-hex JobVertexID served over REST. @default derived from `id` */
  readonly vertexId?: string;
  /** Initial parallelism. */
  readonly parallelism: number;
  /** Max parallelism (key groups). @default job.maxParallelism */
  readonly maxParallelism?: number;
  /** Busy time one subtask spends per record, in ms (capacity = 1000 / cost records/s per subtask). */
  readonly costMsPerRecord: number;
  /** Records out per record in. @default 1 */
  readonly selectivity?: number;
  /**
   * Load of the hottest subtask relative to the mean, for vertices with a HASH input (1 = even
   * key distribution). Capped at the parallelism. @default 1
   */
  readonly keySkew?: number;
  /**
   * Non-linear scaling: per-subtask capacity is multiplied by p^(exponent−1). @default 1 (linear)
   */
  readonly scalabilityExponent?: number;
  /** Coordination overhead: per-subtask capacity is divided by 1 + overhead·(p−1). @default 0 */
  readonly coordinationOverhead?: number;
  /** Slot sharing group. @default "default" */
  readonly slotSharingGroup?: string;
  /** Failure mode: capacity collapse above a parallelism (rollback tests). */
  readonly collapse?: ScenarioCollapse;
  /** Present on source vertices (and only on them). */
  readonly source?: ScenarioSource;
}

/** A source and the load arriving at it. */
export interface ScenarioSource {
  /**
   * `kafka`: FLIP-27 Kafka source (pendingRecords, per-partition offsets);
   * `legacy`: SourceFunction (no pendingRecords, busy time NaN). @default "kafka"
   */
  readonly type?: 'kafka' | 'legacy';
  /** Kafka topic. @default vertex id */
  readonly topic?: string;
  /** Kafka partitions (caps useful parallelism). @default 1 */
  readonly partitions?: number;
  /** Dynamic Kafka source cluster id (adds `.kafkaCluster.<id>` to metric ids). */
  readonly kafkaCluster?: string;
  /** Backlog at time 0, records. @default 0 */
  readonly initialLagRecords?: number;
  /** Arrival rate: one component or several that are summed (negative sums count as 0). */
  readonly load: LoadComponent | readonly LoadComponent[];
}

/** One additive component of a load profile; times are scenario time (ms since start). */
export type LoadComponent =
  | { readonly type: 'constant'; readonly recordsPerSecond: number }
  | {
      readonly type: 'steps';
      /** Piecewise constant: the last step with `atMs` ≤ t applies (0 before the first). */
      readonly steps: readonly { readonly atMs: DurationInput; readonly recordsPerSecond: number }[];
    }
  | {
      readonly type: 'diurnal';
      readonly meanRecordsPerSecond: number;
      readonly amplitudeRecordsPerSecond: number;
      /** @default 1 d */
      readonly periodMs?: DurationInput;
      /** Time of the first peak. @default 0 */
      readonly peakAtMs?: DurationInput;
      /**
       * From this time on the rate stays at its value then (a night after a compressed day: put
       * it at a trough). @default never
       */
      readonly holdFromMs?: DurationInput;
    }
  | {
      readonly type: 'spikes';
      /** Extra rate during [atMs, atMs + durationMs). */
      readonly spikes: readonly {
        readonly atMs: DurationInput;
        readonly durationMs: DurationInput;
        readonly recordsPerSecond: number;
      }[];
    };

/** Ship strategies the simulator models. */
export type ScenarioShipStrategy =
  | 'HASH'
  | 'REBALANCE'
  | 'RESCALE'
  | 'FORWARD'
  | 'BROADCAST'
  | 'GLOBAL'
  | 'SHUFFLE'
  | 'CUSTOM';

/** A data exchange between two vertices. */
export interface ScenarioEdge {
  readonly from: string;
  readonly to: string;
  /** HASH = keyBy (key skew applies), BROADCAST = every record to every subtask, GLOBAL = all to subtask 0. @default "HASH" */
  readonly shipStrategy?: ScenarioShipStrategy;
}
