/**
 * One autoscaler cycle for one job, in the fixed order of docs/design.md §1:
 * observe → collect → effective configuration → load → decide → rollback watch → review → persist
 * → realize → report (→ retire when the job is no longer managed; a not-ready job with a watched
 * change gets the rollback watch before its cycle ends). Each step is a module in ./steps/.
 *
 * One cycle per job at a time, without a lease item: in AWS the FIFO job queue has each job as its
 * own message group, and SQS never has two messages of one group in flight (docs/architecture.md
 * "Job queue"). Where cycles of one job may still overlap — `fsa run` next to a deployment, a
 * message redelivered after a visibility timeout — the persist step is the guard: the state write
 * is conditional on the revision loaded, so of two runs that loaded the same state exactly one
 * saves, and the other stops before realize (no double patch); a run that loads after the other
 * saved finds the tick already evaluated. The guard costs no request: it is the state write itself.
 * A steady cycle leaves its state unwritten (only bookkeeping changed; the sample records it), and
 * then makes that conditional write before realize writes anything (`stateWriteBeforeRealize`).
 *
 * This is the only module in lib/ (besides adapters) that calls ports. The Lambda worker, the
 * CLI (`fsa run --once`) and the local world all run exactly this code; only the adapters behind
 * the ports differ (assembled by ./compose-cycle-dependencies.ts). A failure of one job becomes an
 * event and a metric and never throws for an expected error class, so one bad job never stops the
 * others.
 */
import type { JobKey } from '../domain/index.ts';
import type { CycleDependencies, CycleRequest } from './cycle-dependencies.ts';
import type { CycleResult } from './cycle-result.ts';
import { applyEffectiveConfiguration } from './steps/apply-effective-configuration.ts';
import { collect } from './steps/collect.ts';
import { type CycleContext, cycleContext, isStop } from './steps/cycle-context.ts';
import { decideStep } from './steps/decide.ts';
import { fail } from './steps/fail.ts';
import { load } from './steps/load.ts';
import { observe } from './steps/observe.ts';
import { persist } from './steps/persist.ts';
import { realize } from './steps/realize.ts';
import { recordRun } from './steps/record-run.ts';
import { report } from './steps/report.ts';
import { retire } from './steps/retire.ts';
import { trackLiveness } from './steps/track-liveness.ts';
import { review } from './steps/review.ts';
import { watchDecided, watchNotReady } from './steps/rollback.ts';

// The API the handlers, the CLI and the local world import from here.
export type { CycleDependencies, CycleLogger, CycleRequest } from './cycle-dependencies.ts';
export type { CycleResult } from './cycle-result.ts';
export { describeError } from '../report/describe-error.ts';
export { scalingPlanFor } from './steps/realize.ts';

/** Runs one cycle for `key`. Never throws for expected failures; see {@link CycleResult}. */
export async function runCycle(
  deps: CycleDependencies,
  key: JobKey,
  request: CycleRequest = {},
): Promise<CycleResult> {
  const cycle = cycleContext(deps, key);
  let result: CycleResult;
  try {
    result = await trackLiveness(cycle, await cycleSteps(cycle, request));
  } catch (error) {
    result = await fail(cycle, error, 'run the cycle');
  }
  await recordRun(cycle, result);
  return result;
}

/** The steps in order; any step may end the cycle early. */
async function cycleSteps(cycle: CycleContext, request: CycleRequest): Promise<CycleResult> {
  const seen = await observe(cycle);
  if (seen === undefined) return retire(cycle);
  if (isStop(seen)) return watchNotReady(cycle, seen.stop);

  const raw = await collect(cycle, seen);
  if (isStop(raw)) return watchNotReady(cycle, raw.stop);

  const observed = await applyEffectiveConfiguration(cycle, seen, raw);
  if (isStop(observed)) return observed.stop;

  const loaded = await load(cycle, observed.options, request);
  if (isStop(loaded)) return loaded.stop;

  const decided = await decideStep(cycle, observed, raw, loaded);
  const { output, rollback } = await watchDecided(cycle, observed, raw, loaded, decided);
  const reviewed = await review(cycle, observed, output, loaded);

  const conflict = await persist(cycle, observed, raw, loaded, output, reviewed.stateToSave);
  if (conflict) return conflict.stop;

  // A denied change is not applied; a modified one is applied as the hook's patch.
  const verdict = reviewed.review?.verdict;
  const realized =
    verdict === 'deny'
      ? undefined
      : await realize(cycle, observed, output, verdict === 'modify' ? reviewed.review?.patch : undefined);
  if (isStop(realized)) return realized.stop;

  const result = await report(cycle, { observed, raw, loaded, output, reviewed, realized });
  return rollback ? { ...result, rollback } : result;
}
