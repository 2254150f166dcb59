/**
 * `npm run bench -- --only=lambda-memory`: the memory size of each function, chosen from
 * measurement. Lambda allocates CPU in proportion to memory, a full vCPU at 1,769 MB (AWS Lambda
 * Developer Guide, "Configuring Lambda function memory":
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). Below 1,769 MB a
 * function's CPU work stretches by 1,769 / memory while its waits on the network do not:
 *
 *   duration(memory) = max(wall, wait + cpu × 1,769 / memory),  wait = max(0, wall − cpu)
 *
 * measured locally: `wall` and the handler's own `cpu` (all threads of the process, the
 * simulators' share taken out) per worker invocation (a batch as deployed) and per dispatcher tick
 * (./cost-measure.ts, ./lambda-cpu.ts). Both parts are taken as sequential (no overlap of one
 * cycle's CPU with another's wait), so the model errs long.
 * Lambda bills each invocation's duration rounded up to the millisecond, times the memory.
 *
 * The cheapest size (the smallest of equally cheap ones) is chosen among those that (1) finish a worker batch of the largest jobs
 * within half the schedule's interval, so a batch ends well before the next tick's messages, and
 * a dispatcher tick within a tenth of it; and (2) keep the process's resident memory after init
 * (measured by importing the bundle in a fresh Node process) within half the memory size, leaving
 * the other half for a batch's cycles, garbage collection and the runtime client.
 */
import { execFileSync } from 'node:child_process';
import { US_EAST_1_PRICES } from '../lib/report/cloud-prices.ts';
import type { BenchTable } from './bench-table.ts';
import { type CycleMeasurement, measureCycleUsage } from './cost-measure.ts';
import { type DeployedShape, deployedShape } from './deployed-shape.ts';
import { bundleHandler, RUNTIME_ENVIRONMENT } from './lambda-bundles.ts';
import { billedGbSeconds, type MeasuredRun, modeledDurationMs } from './lambda-cpu.ts';


/** The sizes compared. */
export const MEMORY_SIZES_MB = [128, 256, 512, 1024] as const;

/** Schedule interval the deadlines and the monthly cost are taken from (the default 1-minute cadence). */
const CADENCE_MS = 60_000;

/** Runs a month (30 days) at {@link CADENCE_MS}. */
const RUNS_PER_MONTH = (30 * 24 * 3_600_000) / CADENCE_MS;

/** Whether `memoryMb` meets both criteria of the module comment. Pure. */
export function memoryFits(
  memoryMb: number,
  limits: { readonly run: MeasuredRun; readonly deadlineMs: number; readonly residentMb: number },
): { readonly withinDeadline: boolean; readonly withinMemory: boolean } {
  return {
    withinDeadline: modeledDurationMs(limits.run, memoryMb) <= limits.deadlineMs,
    withinMemory: limits.residentMb <= memoryMb / 2,
  };
}

/** Resident memory (MB) of a fresh Node process after importing the bundle with the construct's environment. */
function residentMbAfterInit(file: string): number {
  const script = `await import(${JSON.stringify(file)}); console.log(process.memoryUsage().rss / 1048576);`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...RUNTIME_ENVIRONMENT },
    encoding: 'utf8',
  });
  return Number(output.trim().split('\n').at(-1));
}

interface FunctionMeasurement {
  readonly name: 'worker' | 'dispatcher';
  readonly deployedMb: number;
  /** Per invocation at each measured job size. */
  readonly runs: ReadonlyArray<{ readonly vertices: number; readonly run: MeasuredRun; readonly jobsPerRun: number }>;
  readonly deadlineMs: number;
  readonly residentMb: number;
}

/** Wall and CPU time from the measured ticks, the handler's share of the CPU from one more, profiled tick. */
async function measureAt(shape: DeployedShape, vertices: number): Promise<{ worker: MeasuredRun; dispatcher: MeasuredRun; jobs: number }> {
  const jobs = shape.workerBatchSize;
  const measured: CycleMeasurement = await measureCycleUsage({ vertices, detailed: false, shape, jobs });
  const t = measured.timing;
  return {
    worker: { wallMs: t.workerWallMsPerInvocation, cpuMs: t.workerCpuMsPerInvocation * t.workerHandlerCpuShare },
    // The dispatcher's tick is small and its CPU mostly its own: counted whole (errs long).
    dispatcher: { wallMs: t.dispatcherWallMsPerTick, cpuMs: t.dispatcherCpuMsPerTick },
    jobs,
  };
}

const usd = (value: number) => `$${value.toFixed(4)}`;

/** Rows of one function: per size and job size, modeled duration, billed cost, criteria. */
function rowsOf(fn: FunctionMeasurement): { rows: string[][]; cheapest: number | undefined } {
  const rows: string[][] = [];
  let cheapest: { memoryMb: number; usd: number } | undefined;
  for (const memoryMb of MEMORY_SIZES_MB) {
    const largest = fn.runs.at(-1)!;
    const fits = memoryFits(memoryMb, { run: largest.run, deadlineMs: fn.deadlineMs, residentMb: fn.residentMb });
    const first = fn.runs[0]!;
    const perMonth = (run: MeasuredRun, jobsPerRun: number) =>
      (billedGbSeconds(run, memoryMb) * US_EAST_1_PRICES.lambda.usdPerGbSecondArm * RUNS_PER_MONTH) / jobsPerRun;
    const cost = perMonth(first.run, first.jobsPerRun);
    const passes = fits.withinDeadline && fits.withinMemory;
    if (passes && (cheapest === undefined || cost < cheapest.usd)) cheapest = { memoryMb, usd: cost };
    rows.push([
      fn.name,
      `${memoryMb}${memoryMb === fn.deployedMb ? ' (deployed)' : ''}`,
      ...fn.runs.map(({ run }) => Math.ceil(modeledDurationMs(run, memoryMb)).toLocaleString('en-US')),
      usd(cost),
      fits.withinDeadline ? 'yes' : 'NO',
      fits.withinMemory ? 'yes' : 'NO',
    ]);
  }
  return { rows, cheapest: cheapest?.memoryMb };
}

/** The benchmark section. */
export async function benchLambdaMemory(vertexCounts: readonly number[] = [10, 1000]): Promise<BenchTable> {
  const shape = deployedShape();
  const measured = [];
  for (const vertices of vertexCounts) {
    const started = performance.now();
    measured.push({ vertices, ...(await measureAt(shape, vertices)) });
    console.error(`lambda-memory: measured ${vertices} vertices in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  const functions: FunctionMeasurement[] = [
    {
      name: 'worker',
      deployedMb: shape.workerMemoryMb,
      runs: measured.map((m) => ({ vertices: m.vertices, run: m.worker, jobsPerRun: m.jobs })),
      deadlineMs: CADENCE_MS / 2,
      residentMb: residentMbAfterInit(await bundleHandler('scale-job')),
    },
    {
      name: 'dispatcher',
      deployedMb: shape.dispatcherMemoryMb,
      // One tick dispatches the whole fleet: per job-month it is shared by all jobs (1 here).
      runs: measured.map((m) => ({ vertices: m.vertices, run: m.dispatcher, jobsPerRun: 1 })),
      deadlineMs: CADENCE_MS / 10,
      residentMb: residentMbAfterInit(await bundleHandler('dispatcher')),
    },
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const fn of functions) {
    const result = rowsOf(fn);
    rows.push(...result.rows);
    const verdict = result.cheapest === fn.deployedMb ? 'deployed' : `NOT deployed (${fn.deployedMb} MB is)`;
    notes.push(
      `${fn.name}: measured locally per ${fn.name === 'worker' ? `invocation (batch of ${shape.workerBatchSize} jobs)` : 'tick'} ` +
        fn.runs.map((r) => `at ${r.vertices} vertices ${r.run.wallMs.toFixed(0)} ms wall, ${r.run.cpuMs.toFixed(0)} ms handler CPU (all threads)`).join('; ') +
        `; resident after init ${fn.residentMb.toFixed(0)} MB. Cheapest size within the criteria: ${result.cheapest ?? 'none'} MB, ${verdict}.`,
    );
  }
  const sizes = vertexCounts.map((v) => `modeled ms per run at ${v} vertices`);
  return {
    title: 'Lambda memory size (duration modeled from measured wall and CPU time; CPU in proportion to memory, one vCPU at 1,769 MB)',
    headers: ['function', 'memory MB', ...sizes, `USD per job-month at ${vertexCounts[0]} vertices`, 'run within deadline', 'resident ≤ half'],
    rows,
    notes: [
      'A run is a worker invocation (a batch) or a dispatcher tick; the worker\'s cost is shared by the jobs of its batch, the dispatcher\'s by the fleet (shown for a fleet of one job). ' +
        `Deadlines: a worker batch of the largest jobs within ${CADENCE_MS / 2000} s, a dispatcher tick within ${CADENCE_MS / 10_000} s (of the 1-minute cadence). ` +
        'Source of the CPU-to-memory ratio: AWS Lambda Developer Guide, "Configuring Lambda function memory". Local CPU ≈ one Lambda arm64 vCPU is assumed; waits are on in-process simulators, so a deployment waits longer (which favours smaller sizes further).',
      ...notes,
    ],
  };
}
