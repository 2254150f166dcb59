/**
 * The local world (design §7): the real autoscaler cycle (`runCycle`, the code the scale-job
 * Lambda runs) against a simulated Flink cluster served over the Flink REST API, a Kubernetes API
 * emulator with the operator's behaviour, and DynamoDB (dynalite) — all on 127.0.0.1 and one
 * virtual clock, so hours of traffic take seconds.
 *
 * Wiring, as in production: KubernetesJobDiscovery / KubernetesScalingRealizer /
 * KubernetesEventSink talk to the emulator with a bearer token; FlinkRestMetricsSource reaches
 * the simulator through the emulator's service proxy; DynamoDbStateStore + StateStoreEventSink
 * talk to dynalite. The emulator's operator model hands every effective spec to the simulator
 * (`onSpecApplied`), which restarts the job with the new parallelism.
 *
 * Next to it, in the same process and on the same virtual time, a second copy of the simulated
 * job is driven by the AWS Managed Flink CPU rule (the baseline), and the oracle is evaluated at
 * every tick, so one run yields the autoscaler, the baseline and the optimum side by side.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { createDispatcherHandler } from '../../functions/dispatcher/dispatcher-handler.ts';
import { createScaleJobHandler } from '../../functions/scale-job/scale-job-handler.ts';
import { DynamoDbStateStore } from '../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { StateStoreEventSink } from '../../lib/adapters/dynamodb/state-store-event-sink.ts';
import { FlinkRestMetricsSource } from '../../lib/adapters/flink-rest/index.ts';
import { KubernetesClient } from '../../lib/adapters/kubernetes/kubernetes-client.ts';
import { KubernetesEventSink } from '../../lib/adapters/kubernetes/kubernetes-event-sink.ts';
import { KubernetesJobDiscovery } from '../../lib/adapters/kubernetes/kubernetes-job-discovery.ts';
import { KubernetesScalingRealizer } from '../../lib/adapters/kubernetes/kubernetes-scaling-realizer.ts';
import { readTaskManagerResources } from '../../lib/adapters/kubernetes/task-manager-resources.ts';
import { StaticTokenProvider } from '../../lib/adapters/kubernetes/auth/token-providers.ts';
import { InMemoryStateStore } from '../../lib/adapters/memory/in-memory-state-store.ts';
import { ManualClock } from '../../lib/adapters/clock/manual-clock.ts';
import { sqsEventOf } from '../../lib/adapters/sqs/sqs-event.ts';
import { InMemoryJobQueue } from '../../lib/adapters/sqs/sqs-job-queue.ts';
import type { CycleResult } from '../../lib/cycle/cycle-result.ts';
import type { CycleDependencies, CycleLogger } from '../../lib/cycle/run-cycle.ts';
import { resolveOptions } from '../../lib/config/index.ts';
import { type AutoscalerEvent, formatJobKey, type JobKey, MANAGED_LABEL } from '../../lib/domain/index.ts';
import type { EventEmission, EventSink } from '../../lib/ports/event-sink.ts';
import type { PolicyHook } from '../../lib/ports/policy-hook.ts';
import type { StateStore } from '../../lib/ports/state-store.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../flink-simulator/flink-simulator.ts';
import type { NormalizedScenario } from '../flink-simulator/parse-scenario.ts';
import { SimulatedFlinkCluster } from '../flink-simulator/simulated-cluster.ts';
import {
  type KubernetesEmulator,
  parallelismOverridesOf,
  startKubernetesEmulator,
} from '../kubernetes-emulator/index.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from './embedded-dynamodb.ts';
import {
  type BaselineRule,
  type BaselineState,
  MANAGED_FLINK_RULE,
  maxCpuFromBusyTime,
  stepBaseline,
} from './managed-flink-baseline.ts';
import { oracleParallelism } from './oracle.ts';
import type { WorldScenario } from './world-scenario.ts';
import type { DecisionLogEntry, TickRecord, VertexPoint, WorldEvent, WorldRun } from './world-timeline.ts';

/** Options of {@link startLocalWorld}. */
export interface LocalWorldOptions {
  readonly scenario: WorldScenario;
  /** Virtual time between two autoscaler cycles (the EventBridge schedule). @default 60 000 */
  readonly tickMs?: number;
  /** Keys merged over the scenario's flinkConfiguration (last word). */
  readonly flinkConfiguration?: Readonly<Record<string, string>>;
  /** `dynamodb` (dynalite, the default) or `memory` (InMemoryStateStore: faster tests). */
  readonly store?: 'dynamodb' | 'memory';
  /** Virtual ms the operator takes to roll out a spec change before the job restarts. @default 10 000 */
  readonly operatorDelayMs?: number;
  /** Overrides of the baseline rule (e.g. a test's shorter windows). */
  readonly baselineRule?: Partial<BaselineRule>;
  /** Called after every tick (progress output). */
  readonly onTick?: (tick: TickRecord, decisions: readonly DecisionLogEntry[]) => void;
  /** A policy hook reviewing every change before it is stored or applied (e.g. a module hook). */
  readonly policy?: PolicyHook;
}

/** A running local world. */
export interface LocalWorld {
  readonly key: JobKey;
  readonly simulator: FlinkSimulator;
  readonly emulator: KubernetesEmulator;
  readonly clock: ManualClock;
  /** The autoscaler's state store (dynalite-backed or in memory), for inspection. */
  readonly store: StateStore;
  /** The baseline's simulated job (same model, driven by the Managed Flink rule). */
  readonly baselineCluster: SimulatedFlinkCluster;
  /** Runs one tick: time moves by `tickMs`, the baseline observes, the autoscaler runs a cycle. */
  tick(): Promise<TickRecord>;
  /** Ticks until the scenario's duration (or `durationMs`) has passed; returns the whole record. */
  run(durationMs?: number): Promise<WorldRun>;
  /** The record so far. */
  record(): WorldRun;
  close(): Promise<void>;
}

const NAMESPACE = 'flink-jobs';
const TOKEN = 'local-world-token';

/**
 * The FlinkDeployment's configuration before the scenario's keys: the adaptive scheduler (so
 * parallelism overrides are applied in place, as on Flink ≥ 1.18 with the operator), Kubernetes
 * HA, and the operator's own autoscaler explicitly off (ours is enabled by the label).
 */
function baseConfiguration(scenario: NormalizedScenario): Record<string, string> {
  return {
    'taskmanager.numberOfTaskSlots': String(scenario.taskManager.slots),
    'jobmanager.scheduler': 'adaptive',
    'high-availability.type': 'kubernetes',
    'job.autoscaler.enabled': 'false',
  };
}

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

/** A Kubernetes object name from the scenario name. */
function resourceName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug || 'simulated-job';
}

/** `1.20.1` → `v1_20`; the CRD only knows 1.x minor versions. */
function crdFlinkVersion(version: string): string {
  const [major, minor] = version.split('.');
  return `v${major ?? '1'}_${minor ?? '20'}`;
}

/** Builds the FlinkDeployment the world applies to the emulator. */
export function worldFlinkDeployment(
  scenario: WorldScenario,
  extraConfiguration: Readonly<Record<string, string>> = {},
): Record<string, unknown> {
  const sim = scenario.simulator;
  return {
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkDeployment',
    metadata: {
      name: resourceName(sim.name),
      namespace: NAMESPACE,
      labels: { [MANAGED_LABEL]: 'true' },
    },
    spec: {
      image: `flink:${sim.flinkVersion.split('.').slice(0, 2).join('.')}`,
      flinkVersion: crdFlinkVersion(sim.flinkVersion),
      serviceAccount: 'flink',
      flinkConfiguration: {
        ...baseConfiguration(sim),
        ...scenario.world.flinkConfiguration,
        ...extraConfiguration,
      },
      jobManager: { resource: { cpu: 1, memory: '2048m' } },
      taskManager: { resource: { cpu: 2, memory: scenario.world.taskManagerMemory } },
      job: {
        jarURI: 'local:///opt/flink/usrlib/job.jar',
        parallelism: Math.max(...sim.vertices.map((v) => v.initialParallelism)),
        upgradeMode: 'last-state',
        state: 'running',
      },
    },
  };
}

/**
 * Wraps the DynamoDB event-log sink and records what it actually emitted, for the report: the
 * sinks de-duplicate (`scaling.event.interval`), so the report lists the events a user would see,
 * not every repetition the core produced.
 */
class RecordingEventSink implements EventSink {
  readonly events: WorldEvent[] = [];
  readonly #inner: EventSink;
  readonly #clock: ManualClock;
  readonly #startMs: number;
  constructor(inner: EventSink, clock: ManualClock, startMs: number) {
    this.#inner = inner;
    this.#clock = clock;
    this.#startMs = startMs;
  }
  async emit(key: JobKey, event: AutoscalerEvent): Promise<EventEmission> {
    const emission = await this.#inner.emit(key, event);
    if (emission.emitted) {
      this.events.push({
        tMs: this.#clock.nowMs() - this.#startMs,
        reason: event.reason,
        type: event.type,
        message: event.message,
      });
    }
    return emission;
  }
  flush(): Promise<void> {
    return this.#inner.flush();
  }
}

/**
 * Starts the world: dynalite (unless `store: 'memory'`), the simulator, the emulator with the
 * scenario's FlinkDeployment, and the adapters of a scale-job run. Call `run()` or `tick()`, then
 * `close()`.
 *
 * Every tick goes through the real Lambda handlers: the dispatcher lists the emulator's opted-in
 * resources and queues one message per job; the scale-job worker decodes the SQS-shaped records
 * and runs the cycle with the adapters above. Only the queue is in process.
 */
export async function startLocalWorld(options: LocalWorldOptions): Promise<LocalWorld> {
  const scenario = options.scenario;
  const simScenario = scenario.simulator;
  const tickMs = options.tickMs ?? 60_000;
  if (!(tickMs >= 1000)) throw new RangeError(`tickMs must be at least 1000, got ${tickMs}`);
  const startMs = simScenario.startTimeMs;
  const clock = new ManualClock(startMs);
  const storeKind = options.store ?? 'dynamodb';
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };

  try {
    const simulator = await startFlinkSimulator({ scenario: simScenario });
    closers.push(() => simulator.close());
    let deployed = false;
    const emulator = await startKubernetesEmulator({
      token: TOKEN,
      startTimeMs: startMs,
      restartDelayMs: options.operatorDelayMs ?? 10_000,
      onSpecApplied: (resource) => {
        // The rollout completes at the emulator's (virtual) time; bring the simulated cluster there.
        simulator.setTime(Math.max(simulator.nowMs(), emulator.nowMs()));
        if (!deployed) {
          // The first deploy finds the job already running with the scenario's parallelism.
          deployed = true;
          return { jobId: simulator.jobId };
        }
        // Any effective spec change (parallelism or memory) restarts the job.
        return { jobId: simulator.applyParallelism(parallelismOverridesOf(resource) ?? {}).jobId };
      },
    });
    closers.push(() => emulator.close());
    const deployment = worldFlinkDeployment(scenario, options.flinkConfiguration);
    const name = (deployment['metadata'] as { name: string }).name;
    emulator.setProxyTarget(NAMESPACE, `${name}-rest`, simulator.url);
    emulator.apply(deployment);

    let store: StateStore;
    if (storeKind === 'dynamodb') {
      const dynamo: EmbeddedDynamoDb = await startEmbeddedDynamoDb();
      closers.push(() => dynamo.close());
      store = new DynamoDbStateStore(dynamo.doc, { tableName: dynamo.tableName });
    } else {
      store = new InMemoryStateStore();
    }

    const client = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider(TOKEN) });
    const metrics = new FlinkRestMetricsSource();
    closers.push(() => metrics.close());
    const recorder = new RecordingEventSink(new StateStoreEventSink(store, clock), clock, startMs);
    const problems: string[] = [];
    const logger: CycleLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message, extra) => problems.push(`warn: ${message} ${JSON.stringify(extra ?? {})}`),
      error: (message, extra) => problems.push(`error: ${message} ${JSON.stringify(extra ?? {})}`),
    };
    const deps: CycleDependencies = {
      discovery: new KubernetesJobDiscovery(client, { cluster: 'local', apiServerUrl: emulator.url }),
      metrics,
      store,
      realizer: new KubernetesScalingRealizer(client),
      eventSinks: [recorder, new KubernetesEventSink(client, clock)],
      clock,
      cadenceMs: tickMs,
      restTarget: (job) => ({ restBaseUrl: job.rest.baseUrl, headers: { authorization: `Bearer ${TOKEN}` } }),
      logger,
      runId: `local-world-${randomUUID()}`,
      ...(options.policy ? { policy: options.policy } : {}),
    };
    const queue = new InMemoryJobQueue();
    const dispatch = createDispatcherHandler({
      clusters: [{ name: 'local', discovery: async () => deps.discovery }],
      queue,
      managedState: store,
      logger,
      nowMs: () => clock.nowMs(),
    });
    const work = createScaleJobHandler({
      cycleDependencies: async (_cluster, runId) => ({ ...deps, runId }),
      logger,
      nowMs: () => clock.nowMs(),
      concurrency: 1,
    });
    /** One schedule tick through both handlers; the job's cycle result. */
    const runHandlers = async (nowMs: number, tickNumber: number): Promise<CycleResult> => {
      await dispatch({ time: new Date(nowMs).toISOString() });
      const messages = queue.drain();
      const response = await work(
        sqsEventOf(messages, { messageIdPrefix: `tick-${tickNumber}`, region: 'local' }),
        {
          awsRequestId: `local-world-${tickNumber}`,
        } as Context,
      );
      const own = response.results.find((r) => r.job === formatJobKey(key));
      if (own?.result) return own.result;
      return {
        outcome: 'failed',
        reason: own?.error ?? `the dispatcher queued no message for ${formatJobKey(key)}`,
      };
    };
    const key: JobKey = { cluster: 'local', namespace: NAMESPACE, kind: 'FlinkDeployment', name };

    const flinkConfiguration = (deployment['spec'] as { flinkConfiguration: Record<string, string> })
      .flinkConfiguration;
    const resolved = resolveOptions({}, flinkConfiguration).options;
    const oracleOptions = { utilizationTarget: resolved.utilizationTarget };

    // The baseline: the same job, one parallelism for every vertex (Managed Flink's model).
    const baselineStart = Math.max(...simScenario.vertices.map((v) => v.initialParallelism));
    const baselineCluster = new SimulatedFlinkCluster({
      ...simScenario,
      vertices: simScenario.vertices.map((v) => ({
        ...v,
        initialParallelism: Math.min(v.maxParallelism, baselineStart),
      })),
    });
    const rule: BaselineRule = { ...MANAGED_FLINK_RULE, ...options.baselineRule };
    let baselineState: BaselineState = { parallelism: baselineStart };

    const ticks: TickRecord[] = [];
    const decisions: DecisionLogEntry[] = [];
    const vertexKeyOf = (id: string) => simulator.cluster.vertex(id)?.key ?? id;
    const wallStart = performance.now();

    const stepBaselineJob = (nowMs: number): void => {
      baselineCluster.setTime(nowMs);
      const busy = simScenario.vertices.map((v) => baselineCluster.flow(v.key)?.busyMsPerSecond ?? []);
      const running = baselineCluster.state === 'RUNNING' && baselineCluster.metricsReported();
      const step = stepBaseline(
        baselineState,
        { nowMs, maxCpu: running ? maxCpuFromBusyTime(busy) : undefined },
        rule,
      );
      baselineState = step.state;
      if (step.rescaleTo !== undefined) {
        const from = baselineCluster.parallelismOf(simScenario.vertices[0]?.key ?? '');
        const overrides = Object.fromEntries(
          simScenario.vertices.map((v) => [v.key, Math.min(v.maxParallelism, step.rescaleTo ?? 1)]),
        );
        baselineCluster.applyParallelism(overrides);
        decisions.push({
          tMs: nowMs - startMs,
          actor: 'baseline',
          action: 'scale',
          summary: step.reason ?? 'rescale',
          changes: simScenario.vertices.map((v) => ({
            vertex: v.key,
            from: Math.min(v.maxParallelism, from),
            to: overrides[v.key] ?? 1,
            why: step.reason ?? '',
          })),
        });
      }
    };

    const recordDecision = (result: CycleResult, tMs: number): DecisionLogEntry | undefined => {
      const decision = result.decision;
      if (!decision) return undefined;
      // A policy hook may have stopped or limited the change: log what actually happened.
      if (result.policy?.verdict === 'deny') {
        return {
          tMs,
          actor: 'autoscaler',
          action: 'denied',
          summary: `Denied by the policy hook (${result.policy.hook}): ${result.policy.reason ?? 'no reason given'}`,
          changes: [],
        };
      }
      if (result.policy?.verdict === 'modify' && result.realized?.outcome !== 'patched') return undefined;
      const changed = decision.vertices.filter((v) => v.changed);
      if (decision.action !== 'scale' && decision.action !== 'blocked') {
        if (result.realized?.outcome !== 'patched') return undefined;
        return {
          tMs,
          actor: 'autoscaler',
          action: 'memory',
          summary: `Applied the stored overrides/memory plan (${result.realized.upgradePath}).`,
          changes: [],
        };
      }
      return {
        tMs,
        actor: 'autoscaler',
        action: decision.action,
        summary: decision.summary,
        changes: changed.map((v) => ({
          vertex: vertexKeyOf(v.vertexId),
          from: v.currentParallelism,
          to: v.recommendedParallelism,
          why: v.why,
        })),
      };
    };

    const readMemory = (): number | undefined => {
      const resource = emulator.get('FlinkDeployment', NAMESPACE, name);
      if (!resource?.spec) return undefined;
      try {
        return readTaskManagerResources(resource.spec as Parameters<typeof readTaskManagerResources>[0])
          .memoryBytes;
      } catch {
        return undefined;
      }
    };

    const tick = async (): Promise<TickRecord> => {
      clock.advance(tickMs);
      const nowMs = clock.nowMs();
      await emulator.advance(tickMs);
      simulator.setTime(nowMs);
      stepBaselineJob(nowMs);
      const cycleStart = performance.now();
      const result = await runHandlers(nowMs, ticks.length + 1);
      const cycleWallMs = performance.now() - cycleStart;
      const tMs = nowMs - startMs;
      const newDecisions: DecisionLogEntry[] = [];
      const entry = recordDecision(result, tMs);
      if (entry) newDecisions.push(entry);
      if (result.outcome === 'failed') problems.push(`cycle failed at ${tMs / 60_000} min: ${result.reason}`);
      const record = observe(tMs, result, cycleWallMs);
      const before = ticks.at(-1)?.taskManagerMemoryBytes;
      if (
        before !== undefined &&
        record.taskManagerMemoryBytes !== undefined &&
        before !== record.taskManagerMemoryBytes
      ) {
        // The memory plan is applied together with a scaling; the spec shows it once patched.
        newDecisions.push({
          tMs,
          actor: 'autoscaler',
          action: 'memory',
          summary: `TaskManager memory ${mebibytes(before)} → ${mebibytes(record.taskManagerMemoryBytes)} (memory tuning, applied with the scaling).`,
          changes: [],
        });
      }
      ticks.push(record);
      const baselineEntries = decisions.filter((d) => d.actor === 'baseline' && d.tMs === tMs);
      decisions.push(...newDecisions);
      options.onTick?.(record, [...baselineEntries, ...newDecisions]);
      return record;
    };

    const observe = (tMs: number, result: CycleResult, cycleWallMs: number): TickRecord => {
      const cluster = simulator.cluster;
      const oracle = oracleParallelism(simScenario, tMs, oracleOptions);
      const vertices: Record<string, VertexPoint> = {};
      let inputRate = 0;
      let lagRecords = 0;
      let baselineLag = 0;
      for (const v of simScenario.vertices) {
        const flow = cluster.flow(v.key);
        const busy = flow?.busyMsPerSecond;
        vertices[v.key] = {
          parallelism: cluster.parallelismOf(v.key),
          oracle: oracle.parallelism[v.key] ?? 1,
          capacity: cluster.trueCapacity(v.key),
          requiredRate: oracle.requiredRate[v.key] ?? 0,
          processedRate: cluster.state === 'RUNNING' ? (flow?.inputRate ?? 0) : 0,
          busyRatio:
            cluster.state === 'RUNNING' && busy && busy.length > 0 ? Math.max(...busy) / 1000 : undefined,
          baselineParallelism: baselineCluster.parallelismOf(v.key),
          baselineCapacity: baselineCluster.trueCapacity(v.key),
        };
        if (v.source) {
          inputRate += cluster.arrivalRate(v.key);
          lagRecords += cluster.lagOf(v.key);
          baselineLag += baselineCluster.lagOf(v.key);
        }
      }
      const tms = cluster.taskManagers();
      const heapUsed = tms[0]?.metrics.get('Status.JVM.Memory.Heap.Used');
      const memory = readMemory();
      const baselineBusy = simScenario.vertices.map(
        (v) => baselineCluster.flow(v.key)?.busyMsPerSecond ?? [],
      );
      return {
        tMs,
        inputRate,
        lagRecords,
        lagSeconds: inputRate > 0 ? lagRecords / inputRate : 0,
        vertices,
        outcome: result.outcome,
        ...(result.decision ? { action: result.decision.action } : {}),
        ...(memory !== undefined ? { taskManagerMemoryBytes: memory } : {}),
        ...(heapUsed !== undefined && cluster.state === 'RUNNING' ? { heapUsedBytes: heapUsed } : {}),
        baseline: {
          lagRecords: baselineLag,
          lagSeconds: inputRate > 0 ? baselineLag / inputRate : 0,
          maxCpu: baselineCluster.state === 'RUNNING' ? maxCpuFromBusyTime(baselineBusy) : undefined,
        },
        cycleWallMs,
      };
    };

    const record = (): WorldRun => ({
      scenario: simScenario.name,
      description: scenario.world.description,
      startTimeMs: startMs,
      durationMs: scenario.world.durationMs,
      tickMs,
      utilizationTarget: resolved.utilizationTarget,
      lagTargetSeconds: resolved.catchUpDurationMs / 1000,
      linear: scenario.world.linear,
      steady: scenario.world.steady,
      vertices: simScenario.vertices.map((v) => ({
        key: v.key,
        name: v.taskName,
        source: v.source !== undefined,
      })),
      ticks: [...ticks],
      decisions: [...decisions].sort((a, b) => a.tMs - b.tMs),
      events: [...recorder.events],
      wallMs: performance.now() - wallStart,
      store: storeKind,
      problems: [...problems],
    });

    return {
      key,
      simulator,
      emulator,
      clock,
      store,
      baselineCluster,
      tick,
      record,
      async run(durationMs = scenario.world.durationMs) {
        const count = Math.floor(durationMs / tickMs);
        for (let i = 0; i < count; i++) await tick();
        return record();
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
