import type { AutoscalerOptions } from '../../config/index.ts';
import type { AutoscalerEvent, GuardOutcome } from '../../domain/index.ts';

/** Inputs of {@link checkQuota}. */
export interface QuotaCheckInput {
  /** TaskManagers the job runs now and would run after the change (see `countTaskManagers`). */
  readonly currentTaskManagers: number;
  readonly newTaskManagers: number;
  /** CPU cores per TaskManager; undefined = unknown (the CPU quota cannot be checked). */
  readonly taskManagerCpu: number | undefined;
  /** Memory per TaskManager in bytes; undefined = unknown (the memory quota cannot be checked). */
  readonly taskManagerMemoryBytes: number | undefined;
  readonly options: Pick<AutoscalerOptions, 'quotaCpu' | 'quotaMemoryBytes' | 'scalingEventIntervalMs'>;
}

/** Result of {@link checkQuota}; `outcome` is undefined when no quota is configured. */
export interface QuotaCheckResult {
  readonly outcome?: GuardOutcome;
  /** ResourceQuotaReached event when the quota blocks the change. */
  readonly event?: AutoscalerEvent;
}

/** Text of the operator's ResourceQuotaReached event (docs/algorithm.md §5.4). */
export const QUOTA_REACHED_MESSAGE =
  'Resource usage is above the allowed limit for scaling operations. Please adjust the resource quota manually.';

/**
 * Job resource quota guard (docs/algorithm.md §5.1 step 9): a change that needs more TaskManagers is blocked
 * when `TaskManagers × CPU > quota.cpu` or `TaskManagers × memory > quota.memory`. A change that
 * does not add TaskManagers always passes, so a job already above its quota can still shrink.
 */
export function checkQuota(input: QuotaCheckInput): QuotaCheckResult {
  const { options, currentTaskManagers: current, newTaskManagers: next } = input;
  if (options.quotaCpu === undefined && options.quotaMemoryBytes === undefined) return {};
  if (next <= current) {
    return {
      outcome: {
        guard: 'quota',
        passed: true,
        detail: `TaskManagers ${current} -> ${next}: no additional resources needed`,
      },
    };
  }
  const findings: string[] = [];
  const exceeded: string[] = [];
  if (options.quotaCpu !== undefined) {
    if (input.taskManagerCpu === undefined) findings.push('CPU quota not checked: TaskManager CPU unknown');
    else {
      const cpu = input.taskManagerCpu * next;
      const text = `CPU ${next} × ${input.taskManagerCpu} = ${cpu} vs quota ${options.quotaCpu}`;
      (cpu > options.quotaCpu ? exceeded : findings).push(text);
    }
  }
  if (options.quotaMemoryBytes !== undefined) {
    if (input.taskManagerMemoryBytes === undefined) {
      findings.push('memory quota not checked: TaskManager memory unknown');
    } else {
      const bytes = input.taskManagerMemoryBytes * next;
      const text = `memory ${next} × ${input.taskManagerMemoryBytes} B = ${bytes} B vs quota ${options.quotaMemoryBytes} B`;
      (bytes > options.quotaMemoryBytes ? exceeded : findings).push(text);
    }
  }
  const prefix = `TaskManagers ${current} -> ${next}`;
  if (exceeded.length === 0) {
    return { outcome: { guard: 'quota', passed: true, detail: `${prefix}; ${findings.join('; ')}` } };
  }
  return {
    outcome: {
      guard: 'quota',
      passed: false,
      detail: `${prefix}; quota exceeded: ${[...exceeded, ...findings].join('; ')}`,
    },
    event: {
      reason: 'ResourceQuotaReached',
      type: 'Warning',
      message: QUOTA_REACHED_MESSAGE,
      dedupeIntervalMs: options.scalingEventIntervalMs,
    },
  };
}
