import type { NormalizedLoadComponent } from './parse-scenario.ts';

/**
 * Arrival rate (records/s) of a composed load profile at scenario time `tMs`: the sum of its
 * components, never negative.
 */
export function loadRateAt(components: readonly NormalizedLoadComponent[], tMs: number): number {
  let total = 0;
  for (const component of components) total += componentRate(component, tMs);
  return Math.max(0, total);
}

function componentRate(component: NormalizedLoadComponent, tMs: number): number {
  switch (component.type) {
    case 'constant':
      return component.recordsPerSecond;
    case 'steps': {
      let rate = 0;
      for (const step of component.steps) if (step.atMs <= tMs) rate = step.recordsPerSecond;
      return rate;
    }
    case 'diurnal': {
      const atMs = Math.min(tMs, component.holdFromMs);
      return (
        component.meanRecordsPerSecond +
        component.amplitudeRecordsPerSecond *
          Math.cos((2 * Math.PI * (atMs - component.peakAtMs)) / component.periodMs)
      );
    }
    case 'spikes': {
      let rate = 0;
      for (const spike of component.spikes) {
        if (tMs >= spike.atMs && tMs < spike.atMs + spike.durationMs) rate += spike.recordsPerSecond;
      }
      return rate;
    }
  }
}
