/**
 * Source of the current time. Everything in `lib/` outside adapters takes time from here, never
 * from `Date.now()`, so tests and the local world can run hours of traffic on a virtual clock.
 */
export interface Clock {
  /** Current time as epoch milliseconds. */
  nowMs(): number;
}
