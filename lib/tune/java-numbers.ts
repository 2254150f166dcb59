/**
 * Java numeric semantics the memory model depends on, so sizes match the operator to the byte
 * (docs/algorithm.md §7.1, §7.3; vectors/README.md §4):
 * - Flink's fraction options are `float`s widened to `double` (0.4f = 0.4000000059604645);
 * - `MemorySize.multiply(double)` is an exact BigDecimal product truncated to whole bytes;
 * - the tuner rounds fractions UP to 3 decimals with BigDecimal and renders them as Java floats.
 */
import { InvalidTuningInputError } from './tuning-errors.ts';

/** A configured fraction as Flink reads it: a Java `float` widened to `double`. */
export function javaFloat(value: number): number {
  return Math.fround(value);
}

/** Decimal digits and scale of a finite double, as `BigDecimal.valueOf(double)` sees it. */
function decimalOf(value: number): { digits: bigint; scale: number } {
  // JS renders the shortest round-tripping decimal, as Java's Double.toString does (JDK 19+).
  const text = value.toString();
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match) throw new InvalidTuningInputError('multiplier', value, 'a finite number');
  const [, sign, intPart, fracPart = '', exp = '0'] = match;
  let digits = BigInt(`${sign}${intPart}${fracPart}`);
  let scale = fracPart.length - Number(exp);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { digits, scale };
}

/**
 * `MemorySize.multiply(multiplier)`: bytes × multiplier computed exactly on the decimal form of
 * the multiplier, truncated toward zero (Java `BigDecimal.longValue()`).
 */
export function multiplyBytes(bytes: number, multiplier: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new InvalidTuningInputError('bytes', bytes, 'a whole number of bytes ≥ 0');
  }
  if (!Number.isFinite(multiplier) || multiplier < 0) {
    throw new InvalidTuningInputError('multiplier', multiplier, 'a finite number ≥ 0');
  }
  const { digits, scale } = decimalOf(multiplier);
  return Number((BigInt(bytes) * digits) / 10n ** BigInt(scale));
}

/**
 * The tuner's `getFraction(a, b)`: `BigDecimal.valueOf(a / (double) b).setScale(3, CEILING)`,
 * returned as whole thousandths (0.654 → 654) so no binary rounding can creep in.
 */
export function ceilFractionThousandths(numeratorBytes: number, denominatorBytes: number): number {
  if (!(denominatorBytes > 0)) {
    throw new InvalidTuningInputError('denominatorBytes', denominatorBytes, 'a number > 0');
  }
  const ratio = numeratorBytes / denominatorBytes;
  if (!Number.isFinite(ratio) || ratio < 0) {
    throw new InvalidTuningInputError('fraction', ratio, 'a finite number ≥ 0');
  }
  const { digits, scale } = decimalOf(ratio);
  if (scale <= 3) return Number(digits * 10n ** BigInt(3 - scale));
  const divisor = 10n ** BigInt(scale - 3);
  const quotient = digits / divisor;
  return Number(digits % divisor === 0n ? quotient : quotient + 1n);
}

/**
 * Renders k thousandths the way Java's `Float.toString` renders the float k/1000 (what
 * Flink's `ConfigurationUtils.convertValue` writes): `0.654`, `0.05`, `0.0`, `1.0`.
 */
export function formatFractionThousandths(thousandths: number): string {
  const text = (thousandths / 1000).toString();
  return text.includes('.') ? text : `${text}.0`;
}
