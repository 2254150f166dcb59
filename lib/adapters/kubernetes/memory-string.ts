/**
 * TaskManager memory strings of a Flink resource, read exactly as the Flink Kubernetes operator
 * reads them and written back in the form the user chose (docs/flink-resources.md §2.2).
 *
 * The operator (`FlinkConfigBuilder.parseResourceMemoryString` up to release 1.15.0,
 * `ResourceConfigUtils.parseResourceMemoryString` on main) first tries Flink's `MemorySize.parse`
 * (flink-core), where every unit is binary: `2G`, `2g`, `2gb` and `2048m` are all 2 GiB. Only
 * when that throws does it upper-case the string, drop a trailing `B`, turn a trailing `I` into
 * `i` and parse it as a fabric8 Kubernetes `Quantity` (`2Gi`, `2gi`, `2GiB`, `2e9`, `2P`), then
 * hands `Quantity.getNumericalAmount()` to `MemorySize.parse` again, which rejects any fraction.
 * The same function reads `resources.requests/limits.memory` on main (via `Quantity.toString()`,
 * the text as written), so one parser serves every TaskManager memory field.
 */
import { InvalidKubernetesInputError } from './kubernetes-errors.ts';

/** `MemorySize.MemoryUnit` (flink-core): unit names, case-insensitive, and their multipliers. */
const FLINK_UNITS: ReadonlyArray<readonly [readonly string[], bigint]> = [
  [['b', 'bytes'], 1n],
  [['k', 'kb', 'kibibytes'], 1024n],
  [['m', 'mb', 'mebibytes'], 1024n ** 2n],
  [['g', 'gb', 'gibibytes'], 1024n ** 3n],
  [['t', 'tb', 'tebibytes'], 1024n ** 4n],
];

/** Java `Long.MAX_VALUE`: `MemorySize` overflows throw. */
const LONG_MAX = 2n ** 63n - 1n;

/** fabric8 `Quantity.getMultiple` suffixes that can survive the operator's upper-casing. */
const QUANTITY_MULTIPLES: Readonly<Record<string, bigint>> = {
  '': 1n,
  Ki: 2n ** 10n,
  Mi: 2n ** 20n,
  Gi: 2n ** 30n,
  Ti: 2n ** 40n,
  Pi: 2n ** 50n,
  Ei: 2n ** 60n,
  M: 10n ** 6n,
  G: 10n ** 9n,
  T: 10n ** 12n,
  P: 10n ** 15n,
  E: 10n ** 18n,
};

/** fabric8 `Quantity.indexOfUnit`: where the format starts. */
const QUANTITY_UNIT_CHARS = new Set(['e', 'E', 'i', 'n', 'u', 'm', 'k', 'K', 'M', 'G', 'T', 'P']);

const ALLOWED =
  'use a whole number with a Flink unit (2048m, 2g, 2 gb: powers of 1024) or a Kubernetes quantity (2Gi, 2048Mi, 2e9; no fractions)';

/**
 * Flink `MemorySize.parseBytes`: leading digits, then an optional unit (trimmed, lower-cased).
 * Undefined where Java throws `IllegalArgumentException` (the operator then tries a quantity).
 */
function parseFlinkMemorySize(text: string): bigint | undefined {
  const trimmed = text.trim();
  const digits = /^\d*/.exec(trimmed)?.[0] ?? '';
  if (digits === '') return undefined;
  const unit = trimmed.slice(digits.length).trim().toLowerCase();
  let multiplier = 1n;
  if (unit !== '') {
    const found = FLINK_UNITS.find(([names]) => names.includes(unit));
    if (!found) return undefined;
    multiplier = found[1];
  }
  const value = BigInt(digits);
  const bytes = value * multiplier;
  return value > LONG_MAX || bytes > LONG_MAX ? undefined : bytes;
}

/**
 * The operator's quantity fallback (`formatMemoryStringForK8sSpec`, fabric8 `Quantity.parse` and
 * `getAmountInBytes`) followed by the second `MemorySize.parse`, which only accepts a whole,
 * non-negative byte count. Undefined when the operator would reject the value.
 */
function parseOperatorQuantity(text: string): bigint | undefined {
  let s = text.trim().replace(/\s/g, '').toUpperCase();
  if (s.endsWith('B')) s = s.slice(0, -1);
  if (s.endsWith('I')) s = `${s.slice(0, -1)}i`;
  let unitIndex = [...s].findIndex((char) => QUANTITY_UNIT_CHARS.has(char));
  if (unitIndex < 0) unitIndex = s.length;
  const amount = s.slice(0, unitIndex);
  const format = s.slice(unitIndex);
  // `BigDecimal` with a fraction keeps its scale, so `MemorySize.parse("1610612736.0")` throws.
  const whole = /^\+?(\d+)\.?$/.exec(amount);
  if (!whole?.[1]) return undefined;
  let multiple: bigint | undefined;
  if (/\d/.test(format) && format.length > 1) {
    // Decimal exponent (`E9`); a negative one leaves a fraction.
    if (!/^E\+?\d+$/.test(format)) return undefined;
    multiple = 10n ** BigInt(format.slice(1).replace('+', ''));
  } else {
    multiple = QUANTITY_MULTIPLES[format];
  }
  if (multiple === undefined) return undefined;
  const bytes = BigInt(whole[1]) * multiple;
  return bytes > LONG_MAX ? undefined : bytes;
}

/**
 * Bytes of a TaskManager memory string as the operator computes `taskmanager.memory.process.size`
 * from it (module comment): `2G` = `2g` = `2048m` = 2 GiB, `2Gi` = 2 GiB, `2e9` = 2·10⁹. A number
 * (an int-or-string `resources` value) is a byte count. Throws {@link InvalidKubernetesInputError}
 * naming `field` for anything the operator would reject (its validator reports "resource memory
 * parse error" and the resource is never deployed).
 */
export function parseOperatorMemoryBytes(value: string | number, field: string): number {
  const text = String(value);
  const bytes = parseFlinkMemorySize(text) ?? parseOperatorQuantity(text);
  if (bytes === undefined) {
    throw new InvalidKubernetesInputError(field, `'${text}' is not a memory size the Flink operator accepts: ${ALLOWED}`);
  }
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InvalidKubernetesInputError(field, `'${text}' is too large a memory size`);
  }
  return Number(bytes);
}

/** {@link parseOperatorMemoryBytes} without the error: undefined where the operator rejects. */
function tryParse(text: string): number | undefined {
  try {
    return parseOperatorMemoryBytes(text, 'memory');
  } catch {
    return undefined;
  }
}

/**
 * Writes `bytes` in the unit the user wrote `previous` in (`4g` → `6g`, `4096m` → `6144m`,
 * `4Gi` → `6Gi`, `4 gb` → `6 gb`), so the resource keeps its style and reads the same under every
 * operator release that accepted the original. When `bytes` is not a whole number of that unit,
 * or the unit has no exact reading (a fraction, a sign), the plain byte count is written, as the
 * operator's own tuner does (`KubernetesScalingRealizer`: `String.valueOf(bytes)`). The result
 * always parses back to exactly `bytes`.
 */
export function formatMemoryLike(bytes: number, previous: string | number | undefined): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    throw new RangeError(`memory ${bytes} is not a whole, non-negative byte count`);
  }
  const plain = String(bytes);
  if (typeof previous !== 'string') return plain;
  const suffix = /^\s*\d+(.*?)\s*$/s.exec(previous)?.[1];
  if (suffix === undefined || suffix === '') return plain;
  const unitBytes = tryParse(`1${suffix}`);
  if (unitBytes === undefined || unitBytes <= 0 || bytes % unitBytes !== 0) return plain;
  const styled = `${bytes / unitBytes}${suffix}`;
  return tryParse(styled) === bytes ? styled : plain;
}
