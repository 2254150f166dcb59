/**
 * Rounding of metric values as the Flink autoscaler stores them (docs/algorithm.md
 * §2.4): samples, evaluated metrics and the stored state all round the same way.
 */
const DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * Rounds half-up (away from zero on ties) to `places` decimals on the value's shortest decimal
 * representation, like Java's `Precision.round` (BigDecimal HALF_UP). Rounding the decimal text
 * rather than `x * 1000` avoids binary artefacts: `1.0005 * 1000` is `1000.4999…` in IEEE
 * arithmetic, but the value *prints* as 1.0005 and must round to 1.001. Non-finite values pass through.
 */
export function roundHalfUpToDecimals(x: number, places: number): number {
  // Integers (counters, lags, byte counts) have no decimals to round: skip the text path.
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  const fast = roundAwayFromTie(x, places);
  if (fast !== undefined) return fast;
  return roundOnDecimalText(x, places);
}

/** Largest |x| × 10^places for the arithmetic path: its float error stays below 2^-16. */
const FAST_PATH_LIMIT = 2 ** 36;

/**
 * Arithmetic rounding when it provably agrees with the decimal-text rounding: the scaled value is
 * small enough that the product's float error (≤ one ulp, < 2^-16 here) cannot cross a rounding
 * boundary, and its fraction is more than 10^-3 away from the half-way point. Undefined when the
 * exact (text) path is needed. Division by 10^places is correctly rounded, as is parsing `ne-p`.
 */
function roundAwayFromTie(x: number, places: number): number | undefined {
  const factor = 10 ** places;
  const scaled = Math.abs(x) * factor;
  if (!(scaled < FAST_PATH_LIMIT)) return undefined;
  const fraction = scaled - Math.floor(scaled);
  if (Math.abs(fraction - 0.5) <= 1e-3) return undefined;
  const magnitude = Math.floor(scaled + 0.5) / factor;
  return x < 0 ? -magnitude : magnitude;
}

/** Exact half-up rounding on the value's shortest decimal text (see {@link roundHalfUpToDecimals}). */
export function roundOnDecimalText(x: number, places: number): number {
  if (x === 0) return x;
  const match = DECIMAL_PATTERN.exec(Math.abs(x).toString());
  if (!match) return x;
  const [, intPart = '', fracPart = '', expPart] = match;
  const digits = intPart + fracPart;
  // Position of the decimal point within `digits` (may be negative or beyond its end).
  const pointPos = intPart.length + (expPart ? Number(expPart) : 0);
  const keep = pointPos + places;
  if (digits.length <= keep) return x; // no digits beyond the requested precision
  if (keep < 0) return x > 0 ? 0 : -0; // the first dropped digit is an implicit leading 0
  const roundUp = Number(digits[keep]) >= 5;
  let kept = keep === 0 ? 0n : BigInt(digits.slice(0, keep));
  if (roundUp) kept += 1n;
  // kept × 10^-places, parsed from text so the result is the double nearest to the exact decimal.
  const magnitude = Number(`${kept}e-${places}`);
  return x < 0 ? -magnitude : magnitude;
}

/**
 * Rounds a metric value as the Flink autoscaler stores it (docs/algorithm.md §2.4): half-up to 3 decimals,
 * but a value that would round to 0 is kept unrounded, so a small positive rate never becomes 0
 * (which would read as "idle" and make the true processing rate infinite). NaN and ±∞ pass through.
 */
export function roundMetric(x: number): number {
  const rounded = roundHalfUpToDecimals(x, 3);
  return rounded === 0 ? x : rounded;
}

