/**
 * Formats a number like Java's `String.format("%.2f", x)` with a `.` separator: two decimals,
 * rounded half-up on the number's shortest decimal representation (Java rounds `1.005` to `1.01`,
 * where `Number.prototype.toFixed` gives `1.00`), and `Infinity`, `-Infinity`, `NaN` spelled out.
 * The ScalingReport text (docs/algorithm.md §5.4) is parsed back by tools, so the format must match exactly.
 */
export function formatTwoDecimals(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const negative = value < 0 || Object.is(value, -0);
  const text = Math.abs(value).toString();
  // Exponent notation only occurs below 1e-6 (rounds to 0.00) or at or above 1e21.
  if (text.includes('e')) {
    return Math.abs(value) < 1 ? `${negative ? '-' : ''}0.00` : value.toFixed(2);
  }
  const [intPart = '0', fracPart = ''] = text.split('.');
  const digits = BigInt(intPart + `${fracPart}00`.slice(0, 2));
  const roundUp = (fracPart[2] ?? '0') >= '5';
  const cents = (digits + (roundUp ? 1n : 0n)).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${cents.slice(0, -2)}.${cents.slice(-2)}`;
}
