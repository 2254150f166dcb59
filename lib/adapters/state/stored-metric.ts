/** Above this magnitude a double has no third decimal left to round. */
const ROUNDING_LIMIT = 2 ** 53 / 1000;

/**
 * Rounds a metric the way the Java autoscaler does before storing it (docs/algorithm.md §2.4 `roundMetric`):
 * half-up to 3 decimals, but a value that would round to 0 is kept as is, so small positive
 * rates never become 0. Non-finite values pass through. Every state store rounds with it, so a
 * cycle reads back the same numbers whichever store it runs on.
 */
export function roundMetric(value: number): number {
  if (!Number.isFinite(value) || Math.abs(value) >= ROUNDING_LIMIT) return value;
  const rounded = Math.round(value * 1000) / 1000;
  return rounded === 0 ? value : rounded;
}
