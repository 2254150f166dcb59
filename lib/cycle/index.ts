/**
 * The cycle's public API: run one job's cycle (`runCycle`) with dependencies built by the one
 * composition root (`composeCycleDependencies`). The steps themselves live in ./steps/.
 */
export {
  type CycleDependencies,
  type CycleLogger,
  type CycleRequest,
  describeError,
  runCycle,
  scalingPlanFor,
} from './run-cycle.ts';
export type { CleanupOutcome, CycleOutcome, CycleResult, PolicyOutcome } from './cycle-result.ts';
export {
  type CycleClusterAdapters,
  type CycleProcessParts,
  composeCycleDependencies,
} from './compose-cycle-dependencies.ts';
export { ownedChangesOf } from './owned-changes.ts';
