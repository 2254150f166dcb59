/**
 * What `fsa status` shows per managed job, from stored data only (pure): mode, last evaluation,
 * last decision, pending scale-downs and the health of the last run.
 */
import { formatJobKey, type JobKey, type JobState } from '../domain/index.ts';
import type { RunRecord } from '../domain/run-record.ts';
import { NOT_READY_WORDS } from './liveness.ts';

/** One job's status. Times are epoch ms; absent = unknown (never evaluated, no run recorded). */
export interface JobStatus {
  /** `cluster/namespace/kind/name`. */
  readonly job: string;
  /** `active`, `recommendation-only`, `refused: <reason>`, or `unknown` before the first run. */
  readonly mode: string;
  readonly lastEvaluationMs?: number;
  /** Last decision: the action and, for a decided cycle, its summary. */
  readonly lastDecision?: string;
  /** Vertices with a delayed scale-down waiting: vertex → {since, parallelism it would go to}. */
  readonly pendingScaleDown: Readonly<
    Record<string, { readonly sinceMs: number; readonly parallelism: number }>
  >;
  /**
   * `ok` (evaluated), `not ready for 47 min: metric window not full` (with `— stuck` past the
   * limit), `refused` or `failed: <reason>`; `unknown` without a run record.
   */
  readonly health: string;
  /**
   * Extension (docs/algorithm.md §13): the change under watch, the last rollback with its
   * evidence, and the changes blocked by the cool-down; absent when there is none of these.
   */
  readonly rollback?: string;
  readonly lastRun?: RunRecord;
}

/** Builds a job's status from its stored state and last-run record. */
export function jobStatusOf(key: JobKey, state: JobState, run: RunRecord | undefined): JobStatus {
  const pendingScaleDown: Record<string, { sinceMs: number; parallelism: number }> = {};
  for (const [vertex, delayed] of Object.entries(state.delayedScaleDown)) {
    const latest = delayed.recommendations.at(-1);
    if (latest)
      pendingScaleDown[vertex] = { sinceMs: delayed.firstTriggerTimeMs, parallelism: latest.parallelism };
  }
  const mode = !run?.mode ? 'unknown' : run.mode === 'refused' ? `refused: ${run.reason}` : run.mode;
  const health = !run
    ? 'unknown'
    : run.outcome === 'failed'
      ? `failed: ${run.reason}`
      : run.outcome === 'refused'
        ? 'refused'
        : run.notReady
          ? notReadyHealth(run.atMs, run.notReady)
          : 'ok';
  const policy = run?.policy
    ? ` (policy: ${run.policy.verdict}${run.policy.reason ? ` – ${run.policy.reason}` : ''})`
    : '';
  const lastDecision = run?.action
    ? `${run.action}${run.realized ? `, ${run.realized}${run.upgradePath && run.upgradePath !== 'none' ? ` ${run.upgradePath}` : ''}` : ''}${policy}`
    : run
      ? run.outcome
      : undefined;
  return {
    job: formatJobKey(key),
    mode,
    ...(state.lastEvaluationMs !== undefined ? { lastEvaluationMs: state.lastEvaluationMs } : {}),
    ...(lastDecision ? { lastDecision } : {}),
    pendingScaleDown,
    health,
    ...(rollbackStatus(state, run?.atMs) ? { rollback: rollbackStatus(state, run?.atMs) } : {}),
    ...(run ? { lastRun: run } : {}),
  };
}

/**
 * "watching the change of <time>", "rolled back <time> (<cause>): <evidence>", "blocked until
 * <time>: <vertex> → <parallelism>", joined by "; "; undefined when none applies. Blocks are
 * those still in force at the last run (stored data only: no clock is read here).
 */
function rollbackStatus(state: JobState, asOfMs: number | undefined): string | undefined {
  const rollback = state.rollback;
  if (!rollback) return undefined;
  const iso = (ms: number) => new Date(ms).toISOString();
  const parts: string[] = [];
  if (rollback.watch) parts.push(`watching the change of ${iso(rollback.watch.appliedAtMs)}`);
  if (rollback.last) {
    parts.push(`rolled back ${iso(rollback.last.atMs)} (${rollback.last.cause}): ${rollback.last.evidence}`);
  }
  for (const block of rollback.blocked) {
    if (asOfMs !== undefined && block.untilMs <= asOfMs) continue;
    parts.push(`blocked until ${iso(block.untilMs)}: ${block.vertexId.slice(0, 8)} → ${block.toParallelism}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** "not ready for 47 min: metric window not full", as of the last run. */
function notReadyHealth(atMs: number, spell: NonNullable<RunRecord['notReady']>): string {
  const minutes = Math.max(0, Math.round((atMs - spell.sinceMs) / 60_000));
  const stuck = spell.stuck ? ' — stuck: longer than stabilization + metric window + a margin' : '';
  return `not ready for ${minutes} min: ${NOT_READY_WORDS[spell.reason]}${stuck}`;
}
