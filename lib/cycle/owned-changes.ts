import type { JobState } from '../domain/index.ts';
import type { OwnedChanges } from '../domain/owned-keys.ts';

/** What the autoscaler wrote into a resource's spec, from its stored state (for restore/reset). */
export function ownedChangesOf(state: JobState): OwnedChanges {
  return {
    vertices: Object.keys(state.parallelismOverrides),
    memoryKeys: [...Object.keys(state.configOverrides.overrides), ...state.configOverrides.removals],
  };
}
