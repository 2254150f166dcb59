/**
 * Measures what one job-cycle uses, for the cost model (lib/report/cost-model.ts): simulated jobs of
 * a given size run through the real dispatcher and scale-job handlers, wrapped in the real Lambda
 * middleware (logger context, EMF flush), with invocations shaped as deployed (the worker's batch
 * size and memory from the synthesized stack, ./deployed-shape.ts).
 *
 * Counted, not assumed: DynamoDB requests and read/write units (dynalite reports consumed capacity
 * with DynamoDB's item-size rules), the items' stored bytes, SQS send batches (from the messages the
 * dispatcher sends, in SendMessageBatch's groups of 10) plus one receive and one delete per worker
 * invocation, every log line the Powertools logger writes at its default level, every EMF document
 * (and the distinct custom metrics in them), and the wall and CPU time of each worker invocation and
 * dispatcher tick, from which the billed duration at the deployed memory is modeled (./lambda-cpu.ts).
 */
import { Console } from 'node:console';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { type DeadlineContext, withAutoscalerMiddleware } from '../functions/shared/middleware.ts';
import { cycleLogger } from '../functions/shared/wiring.ts';
import { EmfMetricsReporter } from '../lib/adapters/cloudwatch/emf-metrics-reporter.ts';
import { DIMENSION } from '../lib/adapters/cloudwatch/metric-catalog.ts';
import { ManualClock } from '../lib/adapters/clock/manual-clock.ts';
import { defaultOptions } from '../lib/config/resolve-options.ts';
import { createStateTable } from '../lib/adapters/dynamodb/create-state-table.ts';
import { DynamoDbStateStore } from '../lib/adapters/dynamodb/dynamodb-state-store.ts';
import { itemSizeBytes } from '../lib/adapters/dynamodb/item-size.ts';
import { SORT_KEYS } from '../lib/adapters/dynamodb/table-schema.ts';
import { defaultItemLimits } from '../lib/adapters/state/save-window.ts';
import { FlinkRestMetricsSource } from '../lib/adapters/flink-rest/flink-rest-metrics-source.ts';
import { StaticTokenProvider } from '../lib/adapters/kubernetes/auth/token-providers.ts';
import { createClusterAdapters } from '../lib/adapters/kubernetes/cluster-adapters.ts';
import { KubernetesClient } from '../lib/adapters/kubernetes/kubernetes-client.ts';
import { sqsEventOf } from '../lib/adapters/sqs/sqs-event.ts';
import { InMemoryJobQueue } from '../lib/adapters/sqs/sqs-job-queue.ts';
import { formatOverrides } from '../lib/adapters/kubernetes/configuration-paths.ts';
import { emptyJobState } from '../lib/domain/index.ts';
import type { JobKey } from '../lib/domain/job-key.ts';
import { DETAILED_METRICS_ANNOTATION, REST_URL_ANNOTATION } from '../lib/domain/resource-metadata.ts';
import type { JobMessage } from '../lib/ports/job-queue.ts';
import { type CycleUsage, type FleetUsage, retainedSamplesPerJob } from '../lib/report/cost-model.ts';
import { localHandlers } from '../sim/world/local-handlers.ts';
import { aFlinkDeployment } from '../test/integration/kubernetes/flink-fixtures.ts';
import { localDynamoClient, startDynalite } from '../sim/dynalite-server.ts';
import type { DeployedShape } from './deployed-shape.ts';
import { type CpuSplit, handlerShare, type MeasuredRun, modeledDurationMs, profileCpu } from './lambda-cpu.ts';
import { startMultiJobEmulator, startMultiJobSimulator } from './multi-job-simulator.ts';

const MINUTE = 60_000;

/** SQS accepts at most 10 entries per SendMessageBatch (SQS API reference, SendMessageBatch). */
const SEND_BATCH_ENTRIES = 10;

/**
 * CloudWatch Logs counts 26 bytes per log event on top of its message (PutLogEvents API reference:
 * "the sum of all event messages in UTF-8, plus 26 bytes for each log event").
 */
export const LOG_EVENT_OVERHEAD_BYTES = 26;

/**
 * The three platform lines Lambda writes per invocation in its default text log format
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html): START, END and REPORT, here
 * with a request id and figures of typical width.
 */
export function platformLogBytes(memoryMb: number): number {
  const id = '8f507cfc-5a1c-4697-b07a-ac58fc914c95';
  const lines = [
    `START RequestId: ${id} Version: $LATEST`,
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}\tDuration: 1234.56 ms\tBilled Duration: 1235 ms\tMemory Size: ${memoryMb} MB\tMax Memory Used: 118 MB\t`,
  ];
  return lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1 + LOG_EVENT_OVERHEAD_BYTES, 0);
}

/**
 * A job of `vertices` vertices in steady state: a Kafka source feeding a chain of operators, every
 * vertex at parallelism 2 and about 60 % busy, inside the default utilization band (0.7 ± 0.3),
 * so cycles decide `balanced` as most cycles of a healthy fleet do.
 */
export function steadyScenario(name: string, vertices: number): string {
  const lines = [
    `name: ${name}`,
    'restart: { downtimeMs: 20 s, mode: in-place }',
    'job:',
    '  vertices:',
    '    - id: v0',
    '      name: orders-kafka',
    '      parallelism: 2',
    '      maxParallelism: 128',
    '      costMsPerRecord: 1.2',
    '      source: { type: kafka, topic: orders, partitions: 8, load: { type: constant, recordsPerSecond: 1000 } }',
  ];
  for (let i = 1; i < vertices; i++) {
    lines.push(
      `    - { id: v${i}, name: "Map -> Filter -> Enrich (step ${i})", parallelism: 2, maxParallelism: 128, costMsPerRecord: 1.2 }`,
    );
  }
  lines.push('  edges:');
  for (let i = 1; i < vertices; i++) lines.push(`    - { from: v${i - 1}, to: v${i} }`);
  return `${lines.join('\n')}\n`;
}

/** Options of {@link measureCycleUsage}. */
export interface CycleUsageOptions {
  readonly vertices: number;
  /** Jobs carry the detailed-metrics annotation. */
  readonly detailed: boolean;
  readonly shape: DeployedShape;
  /** Jobs in the measured fleet. @default the worker batch size, at least 2 */
  readonly jobs?: number;
  /**
   * Ticks measured after the window is full. @default the least common multiple of the
   * vertex-detail interval and the state refresh interval (15 minutes at the defaults), so each
   * job's periodic detailed cycle record and its periodic state write
   * (lib/adapters/state/state-write-elision.ts) are counted exactly as often as they happen
   */
  readonly measuredTicks?: number;
  /** Metric window (the default, 15 min): sets how many samples each load reads. */
  readonly windowMinutes?: number;
  /**
   * Profile the CPU of the worker invocations of one more tick after the measured ones, to tell
   * the handlers' CPU time from the in-process simulators' (./lambda-cpu.ts). That tick counts
   * for nothing else (the profiler slows it). Without it the billed worker time counts the
   * simulators' CPU as the handler's. @default true
   */
  readonly profileCpu?: boolean;
}

/** What {@link measureCycleUsage} returns. */
export interface CycleMeasurement {
  readonly usage: CycleUsage;
  /** Fleet part (dispatcher, fleet metrics), at this fleet size. */
  readonly fleet: Omit<FleetUsage, 'alarms' | 'dashboards' | 'idleSqsRequestsPerMonth'>;
  /** Outcomes of the measured cycles (`balanced` expected). */
  readonly actions: Readonly<Record<string, number>>;
  /**
   * Realize outcomes of the measured cycles (`unchanged` expected: the jobs carry the overrides of
   * an earlier rescale, which each cycle checks the spec against); `none` = nothing to realize.
   */
  readonly realized: Readonly<Record<string, number>>;
  /** Application log bytes (without EMF and platform lines) per job-cycle. */
  readonly applicationLogBytes: number;
  /** EMF document bytes and cycle-record bytes per job-cycle. */
  readonly metricLogBytes: number;
  /**
   * Wall and CPU time (process.cpuUsage, user + system) per worker invocation and per dispatcher
   * tick, for the memory-size model (./lambda-memory.ts). The process CPU time includes the
   * in-process simulators' and dynalite's share of the work; with `profileCpu`, the handlers' own
   * share of it is measured.
   */
  readonly timing: {
    readonly workerWallMsPerInvocation: number;
    readonly workerCpuMsPerInvocation: number;
    /** The worker handler's share of {@link workerCpuMsPerInvocation} (1 without `profileCpu`). */
    readonly workerHandlerCpuShare: number;
    readonly dispatcherWallMsPerTick: number;
    readonly dispatcherCpuMsPerTick: number;
  };
}

/** CPU milliseconds (user + system) since `start` (a process.cpuUsage() reading). */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** A Lambda context as the runtime passes it (the middleware adds the deadline). */
function lambdaContext(functionName: string, memoryMb: number): DeadlineContext {
  const context: Context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/12/04/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => 120_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
  return context as DeadlineContext;
}

/** Ticks in which every periodic write of a steady job (detailed record, state refresh) recurs a whole number of times. */
function periodicTicks(vertexDetailIntervalMs: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const detail = Math.max(1, Math.ceil(vertexDetailIntervalMs / MINUTE));
  const refresh = Math.ceil(defaultItemLimits().stateRefreshMs / MINUTE);
  return Math.max(3, (detail * refresh) / gcd(detail, refresh));
}

/** Runs steady-state cycles of `jobs` jobs and returns the per-job-cycle usage. */
export async function measureCycleUsage(options: CycleUsageOptions): Promise<CycleMeasurement> {
  const { vertices, shape } = options;
  const jobCount = options.jobs ?? Math.max(2, shape.workerBatchSize);
  const measuredTicks = options.measuredTicks ?? periodicTicks(shape.vertexDetailIntervalMs);
  const profiling = options.profileCpu ?? true;
  const windowMinutes = options.windowMinutes ?? 15;
  const names = Array.from({ length: jobCount }, (_, i) => `cost-${vertices}-${i}`);
  const sim = await startMultiJobSimulator(names, steadyScenario('cost', vertices));
  const first = sim.clusters.get(names[0]!)!;
  // Steady state: the jobs keep their parallelism.
  const emulator = await startMultiJobEmulator(sim, { token: 'cost-token', startTimeMs: first.nowMs, applyOverrides: false });
  const dynamo = await startDynalite();
  const client = localDynamoClient(dynamo.endpoint);
  const counted = { requests: 0, readUnits: 0, writeUnits: 0 };
  const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
  const CAPACITY = new Set([...READS, 'PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand']);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? '';
      if (!CAPACITY.has(command)) return next(args);
      (args.input as Record<string, unknown>)['ReturnConsumedCapacity'] = 'TOTAL';
      const result = await next(args);
      counted.requests += 1;
      const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const units = [consumed]
        .flat()
        .reduce<number>((sum, c) => sum + Number((c as { CapacityUnits?: number } | undefined)?.CapacityUnits ?? 0), 0);
      if (READS.has(command)) counted.readUnits += units;
      else counted.writeUnits += units;
      return result;
    },
    { step: 'initialize', name: 'countConsumedCapacity' },
  );
  const tableName = `fsa-cost-${process.pid}-${vertices}-${options.detailed ? 'd' : 'f'}`;
  await createStateTable(client, tableName);
  const documents = DynamoDBDocumentClient.from(client);
  const store = new DynamoDbStateStore(documents, { tableName });
  const clock = new ManualClock(first.nowMs);
  const kube = new KubernetesClient({ baseUrl: emulator.url, token: new StaticTokenProvider('cost-token') });
  const adapters = createClusterAdapters(kube, { cluster: 'prod-eks', clock });
  const metrics = new FlinkRestMetricsSource();

  // Every line the functions write, as Lambda would ship it to CloudWatch Logs.
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.length > 0) lines.push(line);
      callback();
    },
  });
  // The production logger (wiring.ts) at its default level: no level set, no level variable.
  for (const name of ['POWERTOOLS_LOG_LEVEL', 'LOG_LEVEL', 'AWS_LAMBDA_LOG_LEVEL']) delete process.env[name];
  process.env['_X_AMZN_TRACE_ID'] = 'Root=1-6750a1b2-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=0';
  const powertools = new Logger({ serviceName: 'flink-serverless-autoscaler' });
  (powertools as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
  const reporter = new EmfMetricsReporter({
    serviceName: 'flink-serverless-autoscaler',
    output: (line) => lines.push(line),
    now: () => clock.nowMs(),
    vertexDetailIntervalMs: shape.vertexDetailIntervalMs,
  });
  const queue = new InMemoryJobQueue();
  let sentMessages = 0;
  const countingQueue = {
    send: async (messages: readonly JobMessage[]) => {
      sentMessages += messages.length;
      return queue.send(messages);
    },
  };
  const logger = cycleLogger(powertools);
  const handlers = localHandlers({
    adapters,
    metrics,
    store,
    clock,
    queue: countingQueue,
    logger,
    reporter,
    managedState: store,
    reportWork: (run) => reporter.reportRun({ kind: 'worker', ...run }),
    reportDispatch: (run) => reporter.reportRun(run),
  });
  const worker = withAutoscalerMiddleware(handlers.worker, { logger: powertools, metrics: reporter });
  const dispatcher = withAutoscalerMiddleware(handlers.dispatcher, { logger: powertools, metrics: reporter });
  const workerName = 'fsa-prod-AutoscalerWorkerFunction5B0D1C2E-9aBcDeFgHiJk';
  const dispatcherName = 'fsa-prod-AutoscalerDispatcherFunctionA1B2C3D4-KlMnOpQrStUv';

  // The jobs run as they do after the autoscaler's first rescale: its overrides are in the spec
  // and in the state, so every cycle's realize step checks the spec against them. A job never
  // scaled has nothing to realize and costs a little less; measuring only those would flatter a
  // real fleet.
  const overridesOf = (name: string): Record<string, number> => {
    const cluster = sim.clusters.get(name)!;
    return Object.fromEntries(cluster.scenario.vertices.map((v) => [v.vertexId, cluster.parallelismOf(v.key)]));
  };
  for (const name of names) {
    const key: JobKey = { cluster: 'prod-eks', kind: 'FlinkDeployment', namespace: 'flink-jobs', name };
    await store.save(key, await store.load(key, { sinceMs: 0 }), {
      state: { ...emptyJobState(), parallelismOverrides: overridesOf(name) },
      windowMs: windowMinutes * MINUTE,
    });
    emulator.apply(
      aFlinkDeployment({
        name,
        flinkConfiguration: {
          'taskmanager.numberOfTaskSlots': '2',
          'jobmanager.scheduler': 'adaptive',
          'job.autoscaler.metrics.window': `${windowMinutes} min`,
          'job.autoscaler.stabilization.interval': '1 min',
          'pipeline.jobvertex-parallelism-overrides': formatOverrides(overridesOf(name)),
        },
        annotations: {
          [REST_URL_ANNOTATION]: `${sim.url}/${name}`,
          ...(options.detailed ? { [DETAILED_METRICS_ANNOTATION]: 'true' } : {}),
        },
      }),
    );
  }
  const advance = async (ms: number) => {
    clock.advance(ms);
    for (const cluster of sim.clusters.values()) cluster.advance(ms);
    await emulator.advance(ms);
  };
  await advance(20_000);

  const warmupTicks = windowMinutes + 3;
  const cpuSplit = { handlerUs: 0, simulatorUs: 0, unattributedUs: 0 };
  const addSplit = (split: CpuSplit) => {
    cpuSplit.handlerUs += split.handlerUs;
    cpuSplit.simulatorUs += split.simulatorUs;
    cpuSplit.unattributedUs += split.unattributedUs;
  };
  const workerRuns: MeasuredRun[] = [];
  const dispatcherRuns: MeasuredRun[] = [];
  const totals = { cycles: 0, invocations: 0, sendBatches: 0, workerWallMs: 0, workerCpuMs: 0, dispatcherWallMs: 0, dispatcherCpuMs: 0, dynamo: { requests: 0, readUnits: 0, writeUnits: 0 } };
  const measuredLines: string[] = [];
  const dispatcherLines: string[] = [];
  const actions: Record<string, number> = {};
  const realized: Record<string, number> = {};
  try {
    const profiledTick = profiling ? warmupTicks + measuredTicks : -1;
    for (let tick = 0; tick < warmupTicks + measuredTicks + (profiling ? 1 : 0); tick++) {
      const measuring = tick >= warmupTicks && tick !== profiledTick;
      await advance(MINUTE);
      let sentBefore = sentMessages;
      let dispatchStart = performance.now();
      let dispatchCpu = process.cpuUsage();
      let lineMark = lines.length;
      const tickEvent = { time: new Date(clock.nowMs()).toISOString() };
      await dispatcher(tickEvent, lambdaContext(dispatcherName, shape.dispatcherMemoryMb));
      if (sentMessages === sentBefore) {
        // On a loaded machine the emulator can reset an idle keep-alive connection while the
        // workers run (ECONNRESET on the list); the next tick would dispatch: repeat this one.
        sentBefore = sentMessages;
        dispatchStart = performance.now();
        dispatchCpu = process.cpuUsage();
        lineMark = lines.length;
        await dispatcher(tickEvent, lambdaContext(dispatcherName, shape.dispatcherMemoryMb));
      }
      if (measuring) {
        const run = { wallMs: performance.now() - dispatchStart, cpuMs: cpuMsSince(dispatchCpu) };
        dispatcherRuns.push(run);
        totals.dispatcherCpuMs += run.cpuMs;
        totals.dispatcherWallMs += run.wallMs;
        dispatcherLines.push(...lines.slice(lineMark));
      }
      const messages = queue.drain();
      const dynamoBefore = { ...counted };
      const workerMark = lines.length;
      for (let start = 0; start < messages.length; start += shape.workerBatchSize) {
        const batch = messages.slice(start, start + shape.workerBatchSize);
        // The event is the Lambda service's work, built before the measured time starts.
        const event = sqsEventOf(batch, { messageIdPrefix: `t${tick}-${start}`, region: 'us-east-1' });
        const context = lambdaContext(workerName, shape.workerMemoryMb);
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        const invoke = () => worker(event, context);
        let response: Awaited<ReturnType<typeof invoke>>;
        if (tick === profiledTick) {
          const profiled = await profileCpu(invoke);
          addSplit(profiled.split);
          response = profiled.result;
        } else {
          response = await invoke();
        }
        if (!measuring) continue;
        const run = { wallMs: performance.now() - t0, cpuMs: cpuMsSince(cpu0) };
        workerRuns.push(run);
        totals.workerCpuMs += run.cpuMs;
        totals.workerWallMs += run.wallMs;
        totals.invocations += 1;
        for (const r of response.results) {
          totals.cycles += 1;
          const action = r.result?.decision?.action ?? `${r.result?.outcome ?? 'crashed'}: ${r.result?.reason ?? r.error}`;
          actions[action] = (actions[action] ?? 0) + 1;
          const outcome = r.result?.realized?.outcome ?? 'none';
          realized[outcome] = (realized[outcome] ?? 0) + 1;
        }
      }
      if (!measuring) continue;
      measuredLines.push(...lines.slice(workerMark));
      // A fleet's messages fill SendMessageBatch requests of 10 (SqsJobQueue); so does each job's share.
      totals.sendBatches += (sentMessages - sentBefore) / SEND_BATCH_ENTRIES;
      totals.dynamo.requests += counted.requests - dynamoBefore.requests;
      totals.dynamo.readUnits += counted.readUnits - dynamoBefore.readUnits;
      totals.dynamo.writeUnits += counted.writeUnits - dynamoBefore.writeUnits;
    }
    const stored = await storedBytesPerJob(documents, tableName, jobCount, windowMinutes);
    const cycles = Math.max(1, totals.cycles);
    const workerShare = profiling ? handlerShare(cpuSplit) : 1;
    // Billed as Lambda would at the deployed memory (CPU in proportion to memory, ./lambda-cpu.ts),
    // not the local wall time of a full core.
    const billedMs = (runs: readonly MeasuredRun[], memoryMb: number, share: number) =>
      runs.reduce((sum, run) => sum + Math.ceil(modeledDurationMs({ wallMs: run.wallMs, cpuMs: run.cpuMs * share }, memoryMb)), 0);
    const bytes = (selected: readonly string[]) =>
      selected.reduce((sum, line) => sum + Buffer.byteLength(line) + 1 + LOG_EVENT_OVERHEAD_BYTES, 0);
    const isMetricLine = (line: string) => line.includes('"_aws"') || line.startsWith('{"fsa":');
    const applicationLogBytes = bytes(measuredLines.filter((l) => !isMetricLine(l))) / cycles;
    const metricLogBytes = bytes(measuredLines.filter(isMetricLine)) / cycles;
    const series = distinctMetrics([...measuredLines, ...dispatcherLines]);
    return {
      usage: {
        vertices,
        workerInvocations: totals.invocations / cycles,
        workerBilledMs: billedMs(workerRuns, shape.workerMemoryMb, workerShare) / cycles,
        sqsRequests: (totals.sendBatches + 2 * totals.invocations) / cycles,
        dynamoRequests: totals.dynamo.requests / cycles,
        dynamoReadUnits: totals.dynamo.readUnits / cycles,
        dynamoWriteUnits: totals.dynamo.writeUnits / cycles,
        dynamoStoredBytes: stored.storedBytes,
        dynamoSampleItemBytes: stored.sampleItemBytes,
        logBytes: applicationLogBytes + metricLogBytes + (platformLogBytes(shape.workerMemoryMb) * totals.invocations) / cycles,
        customMetrics: series.perJob / jobCount,
      },
      fleet: {
        // The dispatcher's CPU counted whole (its share of the simulators' work is small): errs long.
        dispatcherBilledMsPerTick: billedMs(dispatcherRuns, shape.dispatcherMemoryMb, 1) / measuredTicks,
        dispatcherLogBytesPerTick: bytes(dispatcherLines) / measuredTicks + platformLogBytes(shape.dispatcherMemoryMb),
        fleetCustomMetrics: series.fleet,
      },
      actions,
      realized,
      applicationLogBytes,
      metricLogBytes,
      timing: {
        workerWallMsPerInvocation: totals.workerWallMs / Math.max(1, totals.invocations),
        workerCpuMsPerInvocation: totals.workerCpuMs / Math.max(1, totals.invocations),
        workerHandlerCpuShare: workerShare,
        dispatcherWallMsPerTick: totals.dispatcherWallMs / measuredTicks,
        dispatcherCpuMsPerTick: totals.dispatcherCpuMs / measuredTicks,
      },
    };
  } finally {
    await metrics.close();
    await kube.close();
    await emulator.close();
    await sim.close();
    client.destroy();
    await dynamo.close();
  }
}

/**
 * Bytes one job keeps: every item but samples as it is now, plus samples for the window and the
 * hour of grace their TTL gives, plus two hours more because DynamoDB removes expired items lazily.
 */
async function storedBytesPerJob(
  documents: DynamoDBDocumentClient,
  tableName: string,
  jobs: number,
  windowMinutes: number,
): Promise<{ readonly storedBytes: number; readonly sampleItemBytes: number }> {
  let other = 0;
  let sampleBytes = 0;
  let samples = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      const size = itemSizeBytes(item);
      if (String(item['sk']).startsWith(SORT_KEYS.samplePrefix)) {
        sampleBytes += size;
        samples += 1;
      } else other += size;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  // Samples are kept for the default history retention (the replay history), at one a minute.
  const sampleItemBytes = samples > 0 ? sampleBytes / samples : 0;
  const retained = retainedSamplesPerJob(defaultOptions().historyRetentionMs, MINUTE, windowMinutes * MINUTE);
  return { storedBytes: other / jobs + sampleItemBytes * retained, sampleItemBytes };
}

/** Distinct custom metrics (name × dimension values) in the EMF documents, per job and fleet. */
export function distinctMetrics(lines: readonly string[]): { perJob: number; fleet: number } {
  const perJob = new Set<string>();
  const fleet = new Set<string>();
  for (const line of lines) {
    if (!line.includes('"_aws"')) continue;
    const doc = JSON.parse(line) as {
      _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
      [key: string]: unknown;
    };
    for (const directive of doc._aws.CloudWatchMetrics) {
      for (const dimensions of directive.Dimensions) {
        const key = dimensions.map((d) => `${d}=${String(doc[d])}`).join(',');
        for (const metric of directive.Metrics) {
          (dimensions.includes(DIMENSION.resource) ? perJob : fleet).add(`${metric.Name}|${key}`);
        }
      }
    }
  }
  return { perJob: perJob.size, fleet: fleet.size };
}
