/**
 * The local world (docs/design.md §7): the real autoscaler cycle (`runCycle`, the code the scale-job
 * Lambda runs) against a simulated Flink cluster served over the Flink REST API, a Kubernetes API
 * emulator with the operator's behaviour, and DynamoDB (dynalite) — all on 127.0.0.1 and one
 * virtual clock, so hours of traffic take seconds.
 *
 * Wiring, as in production (the one composition root, through the real handlers): the cluster
 * adapters (discovery, realizer, Kubernetes events, capacity view) talk to the emulator with a
 * bearer token; FlinkRestMetricsSource reaches the simulator through the emulator's service proxy;
 * DynamoDbStateStore + StateStoreEventSink talk to dynalite. The emulator's operator model hands every effective spec to the simulator
 * (`onSpecApplied`), which restarts the job with the new parallelism.
 *
 * Next to it, in the same process and on the same virtual time, a second copy of the simulated
 * job is driven by the AWS Managed Flink CPU rule (the baseline), and the oracle is evaluated at
 * every tick, so one run yields the autoscaler, the baseline and the optimum side by side.
 */
import type { Context } from 'aws-lambda';
import { DynamoDbStateStore } from '../../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { FlinkRestMetricsSource } from '../../lib/adapters/flink-rest/index.ts';
import { createClusterAdapters } from '../../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../../lib/adapters/kubernetes/kubernetes-client.ts';
import { StaticTokenProvider } from '../../lib/adapters/kubernetes/auth/token-providers.ts';
import { InMemoryStateStore } from '../../lib/adapters/memory/in-memory-state-store.ts';
import { ManualClock } from '../../lib/adapters/clock/manual-clock.ts';
import { sqsEventOf } from '../../lib/adapters/sqs/sqs-event.ts';
import { InMemoryJobQueue } from '../../lib/adapters/sqs/sqs-job-queue.ts';
import type { CycleResult } from '../../lib/cycle/cycle-result.ts';
import type { CycleLogger } from '../../lib/cycle/run-cycle.ts';
import { resolveOptions } from '../../lib/config/index.ts';
import { type CostLedger, formatJobKey, type JobKey } from '../../lib/domain/index.ts';
import type { PolicyHook } from '../../lib/ports/policy-hook.ts';
import type { StateStore } from '../../lib/ports/state-store.ts';
import { type FlinkSimulator, startFlinkSimulator } from '../flink-simulator/flink-simulator.ts';
import type { SimulatedFlinkCluster } from '../flink-simulator/simulated-cluster.ts';
import {
  type KubernetesEmulator,
  parallelismOverridesOf,
  startKubernetesEmulator,
} from '../kubernetes-emulator/index.ts';
import { startEmbeddedDynamoDb } from './embedded-dynamodb.ts';
import { localHandlers } from './local-handlers.ts';
import type { BaselineRule } from './managed-flink-baseline.ts';
import { EmittedEventRecorder } from './emitted-event-recorder.ts';
import { createWorldBaseline, type WorldBaseline } from './world-baseline.ts';
import { WORLD_NAMESPACE, worldFlinkDeployment } from './world-deployment.ts';
import {
  decisionEntryOf,
  memoryChangeEntry,
  observeTick,
  type WorldObservation,
} from './world-observation.ts';
import type { WorldScenario } from './world-scenario.ts';
import { cycleStartsOfTick, REALISTIC_TIMING, type TickTiming } from './tick-timing.ts';
import type { DecisionLogEntry, TickRecord, WorldRun } from './world-timeline.ts';

export { worldFlinkDeployment } from './world-deployment.ts';

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
  /**
   * Failure mode: TaskManager pods the emulated cluster can place; more stay Pending/Unschedulable
   * (sim/kubernetes-emulator/task-manager-pods.ts). Absent: no pods are modelled.
   */
  readonly taskManagerNodeBudget?: number;
  /** Overrides of the baseline rule (e.g. a test's shorter windows). */
  readonly baselineRule?: Partial<BaselineRule>;
  /** Called after every tick (progress output). */
  readonly onTick?: (tick: TickRecord, decisions: readonly DecisionLogEntry[]) => void;
  /** A policy hook reviewing every change before it is stored or applied (e.g. a module hook). */
  readonly policy?: PolicyHook;
  /**
   * When each tick's cycle starts: late by a seeded 0.2–5 s, about 1 % of ticks missed and 1 %
   * delivered twice (sim/world/tick-timing.ts), or exactly on the tick. @default REALISTIC_TIMING
   */
  readonly timing?: TickTiming;
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

const TOKEN = 'local-world-token';

/** Closes what was started, last first; a failing close does not stop the others. */
type Closers = Array<() => Promise<void>>;

/** The servers of a world and the job they run. */
interface WorldServers {
  readonly simulator: FlinkSimulator;
  readonly emulator: KubernetesEmulator;
  readonly store: StateStore;
  /** Name of the FlinkDeployment applied to the emulator. */
  readonly name: string;
  /** Its flinkConfiguration (scenario keys and the caller's over the base). */
  readonly flinkConfiguration: Record<string, string>;
}

/**
 * Starts the simulator, the emulator with the scenario's FlinkDeployment (its operator model hands
 * every effective spec to the simulator) and the state store (dynalite unless `store: 'memory'`).
 */
async function startServers(options: LocalWorldOptions, closers: Closers): Promise<WorldServers> {
  const simScenario = options.scenario.simulator;
  const simulator = await startFlinkSimulator({ scenario: simScenario });
  closers.push(() => simulator.close());
  let deployed = false;
  const emulator: KubernetesEmulator = await startKubernetesEmulator({
    token: TOKEN,
    startTimeMs: simScenario.startTimeMs,
    restartDelayMs: options.operatorDelayMs ?? 10_000,
    ...(options.taskManagerNodeBudget !== undefined ? { taskManagerNodeBudget: options.taskManagerNodeBudget } : {}),
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
  const deployment = worldFlinkDeployment(options.scenario, options.flinkConfiguration);
  const name = (deployment['metadata'] as { name: string }).name;
  emulator.setProxyTarget(WORLD_NAMESPACE, `${name}-rest`, simulator.url);
  emulator.apply(deployment);
  const flinkConfiguration = (deployment['spec'] as { flinkConfiguration: Record<string, string> })
    .flinkConfiguration;
  return { simulator, emulator, store: await startStore(options, closers), name, flinkConfiguration };
}

async function startStore(options: LocalWorldOptions, closers: Closers): Promise<StateStore> {
  if ((options.store ?? 'dynamodb') === 'memory') return new InMemoryStateStore();
  const dynamo = await startEmbeddedDynamoDb();
  closers.push(() => dynamo.close());
  return new DynamoDbStateStore(dynamo.doc, { tableName: dynamo.tableName });
}

/** The autoscaler as deployed: both handlers, and what the world records of it. */
interface WorldAutoscaler {
  /**
   * One schedule tick through both handlers, scheduled at `tickMs` and delivered at each of
   * `deliveriesAtMs` (two = a duplicate SQS delivery; `moveTo` brings the world to each); the
   * job's result of the first delivery.
   */
  runTick(
    tickMs: number,
    tickNumber: number,
    deliveriesAtMs: readonly number[],
    moveTo: (atMs: number) => Promise<void>,
  ): Promise<CycleResult>;
  readonly recorder: EmittedEventRecorder;
  /** Warnings and errors the autoscaler logged, and failed cycles (the report lists them). */
  readonly problems: string[];
}

/**
 * Wires the real dispatcher and scale-job handlers to the servers through the one composition
 * root, with the Kubernetes adapters of cluster `local` (the capacity view included: it is read
 * only when a job enables the capacity guard). Only the queue is in process.
 */
function wireAutoscaler(
  options: LocalWorldOptions,
  servers: WorldServers,
  clock: ManualClock,
  tickMs: number,
  closers: Closers,
): WorldAutoscaler {
  const { store } = servers;
  const client = new KubernetesClient({
    baseUrl: servers.emulator.url,
    token: new StaticTokenProvider(TOKEN),
  });
  closers.push(() => client.close());
  const adapters = createClusterAdapters(client, { cluster: 'local', clock });
  const metrics = new FlinkRestMetricsSource();
  closers.push(() => metrics.close());
  const recorder = new EmittedEventRecorder(clock, options.scenario.simulator.startTimeMs);
  const problems: string[] = [];
  const logger: CycleLogger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message, extra) => problems.push(`warn: ${message} ${JSON.stringify(extra ?? {})}`),
    error: (message, extra) => problems.push(`error: ${message} ${JSON.stringify(extra ?? {})}`),
  };
  const queue = new InMemoryJobQueue();
  const { dispatcher, worker } = localHandlers({
    adapters,
    metrics,
    store,
    clock,
    logger,
    queue,
    cadenceMs: tickMs,
    managedState: store,
    concurrency: 1,
    wrapEventLog: (eventLog) => recorder.wrap(eventLog),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  const jobName = formatJobKey(worldJobKey(servers.name));
  const runTick: WorldAutoscaler['runTick'] = async (tickMs, tickNumber, deliveriesAtMs, moveTo) => {
    // The schedule's input carries the scheduled time (cdk/lib/constructs/schedule.ts); the
    // dispatcher and the worker run when the tick is delivered, later.
    await dispatcher({ time: new Date(tickMs).toISOString() });
    const messages = queue.drain();
    let first: CycleResult | undefined;
    for (const [delivery, atMs] of deliveriesAtMs.entries()) {
      await moveTo(atMs);
      const response = await worker(
        sqsEventOf(messages, { messageIdPrefix: `tick-${tickNumber}-${delivery}`, region: 'local' }),
        { awsRequestId: `local-world-${tickNumber}-${delivery}` } as Context,
      );
      const own = response.results.find((r) => r.job === jobName);
      first ??= own?.result ?? {
        outcome: 'failed',
        reason: own?.error ?? `the dispatcher queued no message for ${jobName}`,
      };
    }
    return first ?? { outcome: 'skipped', reason: 'no delivery' };
  };
  return { runTick, recorder, problems };
}

function worldJobKey(name: string): JobKey {
  return { cluster: 'local', namespace: WORLD_NAMESPACE, kind: 'FlinkDeployment', name };
}

/**
 * Starts the world: dynalite (unless `store: 'memory'`), the simulator, the emulator with the
 * scenario's FlinkDeployment, and the autoscaler. Call `run()` or `tick()`, then `close()`.
 *
 * Every tick goes through the real Lambda handlers: the dispatcher lists the emulator's opted-in
 * resources and queues one message per job; the scale-job worker decodes the SQS-shaped records
 * and runs the cycle with the adapters above. Only the queue is in process.
 */
export async function startLocalWorld(options: LocalWorldOptions): Promise<LocalWorld> {
  const tickMs = options.tickMs ?? 60_000;
  if (!(tickMs >= 1000)) throw new RangeError(`tickMs must be at least 1000, got ${tickMs}`);
  const clock = new ManualClock(options.scenario.simulator.startTimeMs);
  const closers: Closers = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  };
  try {
    const servers = await startServers(options, closers);
    const autoscaler = wireAutoscaler(options, servers, clock, tickMs, closers);
    const baseline = createWorldBaseline(options.scenario.simulator, options.baselineRule);
    const timeline = new WorldTimeline(options, servers, autoscaler, baseline, clock, tickMs);
    return {
      key: worldJobKey(servers.name),
      simulator: servers.simulator,
      emulator: servers.emulator,
      clock,
      store: servers.store,
      baselineCluster: baseline.cluster,
      tick: () => timeline.tick(),
      record: () => timeline.record(),
      async run(durationMs = options.scenario.world.durationMs) {
        const count = Math.floor(durationMs / tickMs);
        for (let i = 0; i < count; i++) await timeline.tick();
        return timeline.record();
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The ticks of a running world and what they recorded. */
class WorldTimeline {
  readonly #ticks: TickRecord[] = [];
  readonly #decisions: DecisionLogEntry[] = [];
  /** The last evaluated cycle's cost ledger (what the autoscaler saved against the spec). */
  #costLedger: CostLedger | undefined;
  readonly #wallStart = performance.now();
  readonly #observation: WorldObservation;
  /** The job's resolved options (utilization and lag targets for the oracle and the report). */
  readonly #resolved: ReturnType<typeof resolveOptions>['options'];

  readonly options: LocalWorldOptions;
  readonly servers: WorldServers;
  readonly autoscaler: WorldAutoscaler;
  readonly baseline: WorldBaseline;
  readonly clock: ManualClock;
  readonly tickMs: number;
  readonly timing: TickTiming;

  constructor(
    options: LocalWorldOptions,
    servers: WorldServers,
    autoscaler: WorldAutoscaler,
    baseline: WorldBaseline,
    clock: ManualClock,
    tickMs: number,
  ) {
    this.options = options;
    this.servers = servers;
    this.autoscaler = autoscaler;
    this.baseline = baseline;
    this.clock = clock;
    this.tickMs = tickMs;
    this.timing = options.timing ?? REALISTIC_TIMING;
    this.#resolved = resolveOptions({}, servers.flinkConfiguration).options;
    this.#observation = {
      scenario: options.scenario.simulator,
      simulator: servers.simulator,
      emulator: servers.emulator,
      name: servers.name,
      baselineCluster: baseline.cluster,
      utilizationTarget: this.#resolved.utilizationTarget,
    };
  }

  /**
   * The next schedule tick: time moves to the tick's first delivery (or to the tick, if the
   * schedule missed it), the baseline steps, the autoscaler runs its cycle (a duplicate delivery
   * runs again, later), and the world is observed.
   */
  async tick(): Promise<TickRecord> {
    const { servers, autoscaler } = this;
    const startMs = this.options.scenario.simulator.startTimeMs;
    const tickNumber = this.#ticks.length + 1;
    const scheduledMs = startMs + tickNumber * this.tickMs;
    const starts = cycleStartsOfTick(this.timing, tickNumber, scheduledMs);
    await this.#moveTo(starts[0] ?? scheduledMs);
    const baselineEntry = this.baseline.step(this.clock.nowMs(), startMs);
    if (baselineEntry) this.#decisions.push(baselineEntry);
    const cycleStart = performance.now();
    const result: CycleResult =
      starts.length === 0
        ? { outcome: 'skipped', reason: 'the schedule missed this tick: no cycle ran' }
        : await autoscaler.runTick(scheduledMs, tickNumber, starts, (atMs) => this.#moveTo(atMs));
    const cycleWallMs = performance.now() - cycleStart;
    const tMs = scheduledMs - startMs;
    if (result.outcome === 'failed')
      autoscaler.problems.push(`cycle failed at ${tMs / 60_000} min: ${result.reason}`);
    const record = observeTick(this.#observation, tMs, result, cycleWallMs);
    if (result.costLedger) this.#costLedger = result.costLedger;
    const vertexKeyOf = (id: string) => servers.simulator.cluster.vertex(id)?.key ?? id;
    const newDecisions = [
      decisionEntryOf(result, tMs, vertexKeyOf),
      memoryChangeEntry(this.#ticks.at(-1)?.taskManagerMemoryBytes, record, tMs),
    ].filter((entry): entry is DecisionLogEntry => entry !== undefined);
    this.#ticks.push(record);
    this.#decisions.push(...newDecisions);
    this.options.onTick?.(record, [...(baselineEntry ? [baselineEntry] : []), ...newDecisions]);
    return record;
  }

  /** Moves the world's clock, the operator's rollouts and the simulated job forward to `atMs`. */
  async #moveTo(atMs: number): Promise<void> {
    const deltaMs = atMs - this.clock.nowMs();
    if (deltaMs <= 0) return;
    this.clock.advance(deltaMs);
    await this.servers.emulator.advance(deltaMs);
    this.servers.simulator.setTime(this.clock.nowMs());
  }

  /** The record so far. */
  record(): WorldRun {
    const { scenario } = this.options;
    const simScenario = scenario.simulator;
    return {
      scenario: simScenario.name,
      description: scenario.world.description,
      startTimeMs: simScenario.startTimeMs,
      durationMs: scenario.world.durationMs,
      tickMs: this.tickMs,
      timing: this.timing.mode,
      utilizationTarget: this.#resolved.utilizationTarget,
      lagTargetSeconds: this.#resolved.catchUpDurationMs / 1000,
      linear: scenario.world.linear,
      steady: scenario.world.steady,
      maxRescalesToConverge: scenario.world.maxRescalesToConverge,
      vertices: simScenario.vertices.map((v) => ({
        key: v.key,
        name: v.taskName,
        source: v.source !== undefined,
      })),
      ticks: [...this.#ticks],
      decisions: [...this.#decisions].sort((a, b) => a.tMs - b.tMs),
      events: [...this.autoscaler.recorder.events],
      wallMs: performance.now() - this.#wallStart,
      store: this.options.store ?? 'dynamodb',
      problems: [...this.autoscaler.problems],
      ...(this.#costLedger ? { costLedger: this.#costLedger } : {}),
    };
  }
}
