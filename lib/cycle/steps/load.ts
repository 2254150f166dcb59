/**
 * Step 4, load: the job's state and the window's samples in one query, from the window's possible
 * anchor on (the newest sample at or before `now − window`, see lib/window/update-metric-window.ts).
 */
import type { AutoscalerOptions } from '../../config/index.ts';
import type { LoadedJob } from '../../ports/state-store.ts';
import { windowLookbackMs } from '../../window/update-metric-window.ts';
import type { CycleRequest } from '../cycle-dependencies.ts';
import { type CycleContext, emit, type Stop, stop } from './cycle-context.ts';

/** Loads the job; a stop when this delivery is a duplicate or late (already evaluated after it). */
export async function load(
  cycle: CycleContext,
  options: AutoscalerOptions,
  request: CycleRequest,
): Promise<LoadedJob | Stop> {
  const { deps, key, nowMs } = cycle;
  const loaded = await deps.store.load(key, {
    sinceMs: nowMs - options.metricsWindowMs - windowLookbackMs(cycle.cadenceMs),
  });
  cycle.previousRun = loaded.lastRun ?? null;
  const lastEvaluationMs = loaded.state.lastEvaluationMs;
  if (request.tickMs !== undefined && lastEvaluationMs !== undefined && lastEvaluationMs >= request.tickMs) {
    return stop({
      outcome: 'skipped',
      reason: `already evaluated at ${new Date(lastEvaluationMs).toISOString()}, after this message's tick (duplicate or late delivery)`,
    });
  }
  if (loaded.discarded) {
    await emit(cycle, {
      reason: 'AutoscalerError',
      type: 'Warning',
      message: `Stored autoscaler state was discarded (${loaded.discarded.code}: ${loaded.discarded.detail}); starting from an empty state.`,
    });
  }
  return loaded;
}
