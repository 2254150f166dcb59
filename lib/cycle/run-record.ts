/** The last-run record `fsa status` shows, built from a cycle's result (pure). */
import { isDeepStrictEqual } from 'node:util';
import type { RunRecord } from '../ports/state-store.ts';
import type { CycleResult } from './cycle-result.ts';

/** Longest reason kept in the record (DynamoDB item size; a status line, not a log). */
const MAX_REASON_CHARS = 2048;

/**
 * The record of a cycle that ended with `result`, or undefined for the cycles that are not
 * recorded: skipped ones (another run acted and records its own) and retired jobs (their state was
 * just removed). `mode` is what the observe step learned about the resource, when it got that far.
 */
export function runRecordOf(
  result: CycleResult,
  atMs: number,
  mode: RunRecord['mode'] | undefined,
): RunRecord | undefined {
  if (result.outcome === 'skipped' || result.outcome === 'gone') return undefined;
  return {
    atMs,
    outcome: result.outcome,
    reason: result.reason.slice(0, MAX_REASON_CHARS),
    ...(mode ? { mode } : {}),
    ...(result.decision ? { action: result.decision.action } : {}),
    ...(result.decision?.price ? { price: result.decision.price } : {}),
    ...(result.realized
      ? { realized: result.realized.outcome, upgradePath: result.realized.upgradePath }
      : {}),
    ...(result.notReady ? { notReady: result.notReady } : {}),
    ...(result.policy
      ? {
          policy: {
            verdict: result.policy.verdict,
            ...(result.policy.reason ? { reason: result.policy.reason } : {}),
          },
        }
      : {}),
  };
}

/**
 * Whether `next` says exactly what `previous` said, apart from the time: the cycle repeats the
 * recorded run, and rewriting the record would only move its `atMs`.
 */
export function isRepeatedRun(previous: RunRecord, next: RunRecord): boolean {
  const { atMs: _previousAtMs, ...previousRest } = previous;
  const { atMs: _nextAtMs, ...nextRest } = next;
  return isDeepStrictEqual(jsonCopy(previousRest), jsonCopy(nextRest));
}

/** Through JSON, as the store keeps a record: fields set to undefined disappear. */
function jsonCopy(value: object): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
