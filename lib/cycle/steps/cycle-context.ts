/**
 * What every step of one job's cycle shares: the dependencies, the job, the cycle's instant and
 * logger, and the one thing the run record needs that the result does not carry (the mode).
 * Also the two helpers all steps use: reporting an event and stopping the cycle early.
 */
import { DEFAULT_CADENCE_MS } from '../../decide/decide.ts';
import type { AutoscalerOptions } from '../../config/index.ts';
import { type AutoscalerEvent, formatJobKey, type JobKey, type NotReadyReason } from '../../domain/index.ts';
import type { DiscoveredJob } from '../../ports/job-discovery.ts';
import type { RunRecord } from '../../ports/state-store.ts';
import { describeError } from '../../report/describe-error.ts';
import type { CycleDependencies, CycleLogger } from '../cycle-dependencies.ts';
import type { CycleResult } from '../cycle-result.ts';

/** One job's cycle in progress. */
export interface CycleContext {
  readonly deps: CycleDependencies;
  readonly key: JobKey;
  /** The cycle's instant: every step uses it, so one cycle sees one `now`. */
  readonly nowMs: number;
  /** The schedule's interval (`deps.cadenceMs`, or the deployed 1-minute default), resolved once. */
  readonly cadenceMs: number;
  /** The logger with the job's key on every line (silent without a logger). */
  readonly log: CycleLogger;
  /** Set by the observe step once it knows how the resource is managed (for the run record). */
  mode?: RunRecord['mode'];
  /** Set by the observe step once it read the resource (the rollback watch of a not-ready job uses it). */
  job?: DiscoveredJob;
  /** Set by the collect step when Flink reports the job in another state than RUNNING (`FAILED`, …). */
  flinkJobState?: string;
  /** Set by the observe step once the job's options are resolved (the liveness limit uses them). */
  options?: AutoscalerOptions;
  /** Set by the observe step: the job's detailed-metrics annotation is `"true"`. */
  detailedMetrics?: boolean;
  /** Set by the step that found the job not ready: why (the StuckJobs / NotReadyCycles metrics). */
  notReadyReason?: NotReadyReason;
  /**
   * The job's last recorded run, once known: read with the state by the load step, or by the
   * liveness step of a cycle that stopped before loading. `null` = read, and none is recorded.
   */
  previousRun?: RunRecord | null;
  /**
   * Set by the persist step when this cycle saved its evaluation: the state (its
   * `lastEvaluationMs` is the cycle's `now`) or, when only bookkeeping changed, the sample alone
   * (whose time the store reports as the evaluation's).
   */
  savedState?: boolean;
  /**
   * Set by the persist step when it left the state unwritten: the conditional state write, run
   * once, that the realize step makes before any write to the resource, so no patch is ever sent
   * by a run that did not win the job's revision (lib/cycle/run-cycle.ts).
   */
  stateWriteBeforeRealize?: () => Promise<void>;
}

/** Starts a cycle's context at the clock's current time. */
export function cycleContext(deps: CycleDependencies, key: JobKey): CycleContext {
  return {
    deps,
    key,
    nowMs: deps.clock.nowMs(),
    cadenceMs: deps.cadenceMs ?? DEFAULT_CADENCE_MS,
    log: contextLogger(deps.logger, key),
  };
}

/** A step's way of ending the cycle early with this result (not ready, refused, skipped, …). */
export interface Stop {
  readonly stop: CycleResult;
}

/** Ends the cycle with `result`. */
export function stop(result: CycleResult): Stop {
  return { stop: result };
}

/** Whether a step's answer ends the cycle. */
export function isStop(value: unknown): value is Stop {
  return typeof value === 'object' && value !== null && 'stop' in value;
}

/** Reports to every sink; a failing sink is logged, never fails the cycle. */
export async function emit(cycle: CycleContext, event: AutoscalerEvent): Promise<void> {
  const { deps, key } = cycle;
  for (const sink of deps.eventSinks) {
    try {
      await sink.emit(key, event);
    } catch (error) {
      deps.logger?.warn('could not report an event', {
        job: formatJobKey(key),
        reason: event.reason,
        error: describeError(error),
      });
    }
  }
}

function contextLogger(logger: CycleLogger | undefined, key: JobKey): CycleLogger {
  const job = formatJobKey(key);
  const silent = () => {};
  if (!logger) return { debug: silent, info: silent, warn: silent, error: silent };
  return {
    debug: (message, extra) => logger.debug(message, { job, ...extra }),
    info: (message, extra) => logger.info(message, { job, ...extra }),
    warn: (message, extra) => logger.warn(message, { job, ...extra }),
    error: (message, extra) => logger.error(message, { job, ...extra }),
  };
}
