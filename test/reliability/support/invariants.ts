/**
 * The invariants every fault run is checked against, after every tick:
 *
 * 1. no state lost or corrupted: every job's state loads without a discard, its revision and
 *    last evaluation time never go back, stored overrides never disappear;
 * 2. no decision applied on partial metrics: a job whose metrics were faulted in a tick wrote no
 *    new state and got no patch in that tick;
 * 3. at most one patch per decision: at most one successful FlinkDeployment patch per job and
 *    tick, never the same overrides twice in a row, and what was patched is what was stored;
 * 4. other jobs keep being scaled: jobs outside the fault never fail;
 * 5. every failure is visible as an event (DynamoDB log or Kubernetes Event) and as an EMF
 *    `Errors` metric of the job.
 *
 * Violations are collected as text, so a test can assert `violations == []` and report how many
 * checks ran.
 */
import { DIMENSION } from '../../../lib/adapters/cloudwatch/metric-catalog.ts';
import { parseMap } from '../../../lib/config/value-parsers.ts';
import type { ReliabilityWorld, TickResult } from './reliability-world.ts';

interface JobSnapshot {
  readonly revision: number;
  readonly lastEvaluationMs: number | undefined;
  readonly overrides: Readonly<Record<string, number>>;
}

export interface TickExpectations {
  /** Jobs whose metrics were faulted (partial, missing, garbage) in this tick. */
  readonly partialMetrics?: readonly string[];
  /** Jobs outside the fault: they must not fail. Default: none. */
  readonly healthy?: readonly string[];
  /** DynamoDB is down after this tick: state checks wait for the next tick. */
  readonly storeDown?: boolean;
}

/** Process-wide totals, for the README figures. */
export const RELIABILITY_TOTALS = { ticks: 0, checks: 0, violations: 0, failuresSeen: 0 };

export class InvariantChecker {
  readonly violations: string[] = [];
  checks = 0;
  readonly #world: ReliabilityWorld;
  readonly #jobs: readonly string[];
  readonly #prev = new Map<string, JobSnapshot>();
  readonly #lastPatch = new Map<string, string | undefined>();
  readonly #failed = new Map<string, number>();

  constructor(world: ReliabilityWorld, jobs: readonly string[]) {
    this.#world = world;
    this.#jobs = jobs;
  }

  #check(ok: boolean, message: string): void {
    this.checks += 1;
    RELIABILITY_TOTALS.checks += 1;
    if (!ok) {
      this.violations.push(message);
      RELIABILITY_TOTALS.violations += 1;
    }
  }

  /** Failed cycles seen per job so far. */
  failures(job: string): number {
    return this.#failed.get(job) ?? 0;
  }

  async afterTick(tick: TickResult, expect: TickExpectations = {}): Promise<void> {
    RELIABILITY_TOTALS.ticks += 1;
    const at = new Date(tick.tickMs).toISOString();
    for (const r of tick.results) {
      const job = r.job?.split('/').pop();
      if (job && r.result?.outcome === 'failed') {
        this.#failed.set(job, this.failures(job) + 1);
        RELIABILITY_TOTALS.failuresSeen += 1;
      }
    }
    for (const job of this.#jobs) {
      const prev = this.#prev.get(job);
      const partial = expect.partialMetrics?.includes(job) ?? false;
      // 4. other jobs keep being scaled.
      if (expect.healthy?.includes(job)) {
        const outcome = tick.outcomes.get(job);
        this.#check(
          outcome !== undefined && outcome !== 'failed' && !outcome.startsWith('error:'),
          `${at} ${job}: healthy job ended ${outcome}`,
        );
      }
      // 3. at most one patch per decision.
      const patches = tick.patches.filter((p) => p.job === job);
      this.#check(patches.length <= 1, `${at} ${job}: ${patches.length} patches in one tick`);
      for (const patch of patches) {
        if (patch.overrides !== undefined) {
          this.#check(
            this.#lastPatch.get(job) !== patch.overrides,
            `${at} ${job}: the same overrides patched twice (${patch.overrides})`,
          );
          this.#lastPatch.set(job, patch.overrides);
        }
      }
      // 2. nothing applied on partial metrics.
      if (partial) {
        this.#check(patches.length === 0, `${at} ${job}: patched although its metrics were partial`);
      }
      if (expect.storeDown) continue;
      // 1. state not lost or corrupted.
      const loaded = await this.#world.store.load(this.#world.keyOf(job), { sinceMs: 0 });
      this.#check(
        loaded.discarded === undefined,
        `${at} ${job}: state discarded (${loaded.discarded?.detail})`,
      );
      const now: JobSnapshot = {
        revision: loaded.revision,
        lastEvaluationMs: loaded.state.lastEvaluationMs,
        overrides: loaded.state.parallelismOverrides,
      };
      if (prev) {
        this.#check(
          now.revision >= prev.revision,
          `${at} ${job}: revision went back ${prev.revision} → ${now.revision}`,
        );
        this.#check(
          (now.lastEvaluationMs ?? 0) >= (prev.lastEvaluationMs ?? 0),
          `${at} ${job}: last evaluation went back`,
        );
        this.#check(
          Object.keys(prev.overrides).length === 0 || Object.keys(now.overrides).length > 0,
          `${at} ${job}: stored overrides lost`,
        );
        if (partial) {
          // A cycle that saw partial metrics either stops before persisting, or (metrics missing
          // after stabilization) records a not-ready decision: never a scaling.
          const result = tick.results.find((r) => r.job?.endsWith(`/${job}`))?.result;
          if (result?.outcome === 'decided') {
            this.#check(result.decision?.action !== 'scale', `${at} ${job}: scaled on partial metrics`);
          } else {
            this.#check(now.revision === prev.revision, `${at} ${job}: state written from partial metrics`);
          }
        }
      }
      for (const patch of patches) {
        if (patch.overrides === undefined) continue;
        const patched = Object.fromEntries(
          Object.entries(parseMap(patch.overrides)).map(([v, p]) => [v, Number(p)]),
        );
        this.#check(
          JSON.stringify(sorted(patched)) === JSON.stringify(sorted(now.overrides)),
          `${at} ${job}: patched ${patch.overrides} but stored ${JSON.stringify(now.overrides)}`,
        );
      }
      this.#prev.set(job, now);
      // 5. every failure visible as an event and a metric.
      const failed = this.failures(job);
      if (failed > 0) {
        const stored = await this.#world.store.listEvents(this.#world.keyOf(job), { limit: 500 });
        const inDynamo = stored
          .filter((e) => e.reason === 'AutoscalerError')
          .reduce((n, e) => n + e.count, 0);
        const inKubernetes = this.#world.emulator
          .events('flink-jobs', job)
          .filter((e) => e['reason'] === 'AutoscalerError')
          .reduce((n, e) => n + Number(e['count'] ?? 1), 0);
        this.#check(
          Math.max(inDynamo, inKubernetes) >= failed,
          `${at} ${job}: ${failed} failed cycles but ${inDynamo} stored / ${inKubernetes} Kubernetes AutoscalerError events`,
        );
      }
    }
    // 5b. …and every failure counted by the fleet's Errors metric (Service dimension: per-job
    // metrics are opt-in, README "Cost"), at least once per failed cycle of any job.
    const failedCycles = [...this.#failed.values()].reduce((sum, n) => sum + n, 0);
    const counted = errorMetricCount(this.#world.emfLines);
    this.#check(counted >= failedCycles, `${at}: ${failedCycles} failed cycles but ${counted} counted by the fleet's Errors metric`);
  }
}

function sorted(record: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

/** The fleet's Errors metric summed over the EMF documents (Service dimension, no job dimension). */
export function errorMetricCount(emfLines: readonly string[]): number {
  let count = 0;
  for (const line of emfLines) {
    const doc = JSON.parse(line) as Record<string, unknown>;
    if (doc[DIMENSION.service] === undefined || doc[DIMENSION.resource] !== undefined) continue;
    const errors = doc['Errors'];
    if (typeof errors === 'number') count += errors;
  }
  return count;
}
