/**
 * The `AutoscalerDisabled` message of a job that is no longer managed. It outlives the job's state
 * (the event log expires by TTL), so it says what happened to the resource and to the overrides.
 */
import type { WithdrawResult } from '../domain/realizer-outcomes.ts';

/**
 * The message for a retired job: why it stopped being managed, how many state items were removed
 * and whether our overrides were restored or kept (with how to have them removed next time).
 */
export function retirementMessage(withdrawn: WithdrawResult, itemsDeleted: number): string {
  const what =
    withdrawn.outcome === 'deleted'
      ? 'The resource was deleted'
      : 'The resource no longer carries flink-serverless-autoscaler/enabled=true';
  const overrides =
    withdrawn.outcome === 'restored'
      ? ` Restored: ${withdrawn.reason}${withdrawn.patch ? ` (patch ${JSON.stringify(withdrawn.patch)})` : ''}.`
      : withdrawn.outcome === 'kept'
        ? ` Kept: ${withdrawn.reason}; set the annotation flink-serverless-autoscaler/on-disable: restore before removing the label to have them removed.`
        : '';
  return `${what}; the autoscaler stopped managing it and removed its stored state (${itemsDeleted} items; this event log stays until it expires).${overrides}`;
}
