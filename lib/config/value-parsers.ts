/**
 * Parsers for Flink configuration values, following Flink's own rules (TimeUtils.parseDuration,
 * MemorySize.parse, ConfigurationUtils) so a value that works for the operator works here.
 * Each throws {@link ValueFormatError} with a message that says what is allowed.
 */

/** A value that does not match the expected format. The message says which formats are allowed. */
export class ValueFormatError extends Error {
  override readonly name = 'ValueFormatError';
}

const DURATION_UNITS_MS: ReadonlyArray<[readonly string[], number]> = [
  [['ns', 'nano', 'nanos', 'nanosecond', 'nanoseconds'], 1e-6],
  [['us', 'µs', 'micro', 'micros', 'microsecond', 'microseconds'], 1e-3],
  [['ms', 'milli', 'millis', 'millisecond', 'milliseconds'], 1],
  [['s', 'sec', 'secs', 'second', 'seconds'], 1000],
  [['m', 'min', 'mins', 'minute', 'minutes'], 60_000],
  [['h', 'hour', 'hours'], 3_600_000],
  [['d', 'day', 'days'], 86_400_000],
];

const ISO_DURATION =
  /^(-)?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Parses a duration to milliseconds: `30 s`, `5 min`, `1h`, `2 days`, `PT5M` (ISO-8601), or a plain
 * number of milliseconds. A leading `-` is accepted (the operator uses `-1 min` for "disabled").
 */
export function parseDurationMs(text: string): number {
  const value = text.trim();
  const iso = ISO_DURATION.exec(value);
  if (iso && value.length > 2 && /[DHMS]$/i.test(value)) {
    const [, minus, d, h, m, s] = iso;
    const ms =
      Number(d ?? 0) * 86_400_000 +
      Number(h ?? 0) * 3_600_000 +
      Number(m ?? 0) * 60_000 +
      Number(s ?? 0) * 1000;
    return minus ? -ms : ms;
  }
  const match = /^(-)?(\d+(?:\.\d+)?)\s*([a-zµ]*)$/i.exec(value);
  if (!match) {
    throw new ValueFormatError(
      `'${text}' is not a duration: use a number with a unit (ms, s, min, h, d; e.g. '30 s', '5 min'), an ISO-8601 duration such as 'PT5M', or plain milliseconds`,
    );
  }
  const [, minus, amount, unitText] = match;
  const unit = (unitText ?? '').toLowerCase();
  let factor = 1;
  if (unit !== '') {
    const found = DURATION_UNITS_MS.find(([names]) => names.includes(unit));
    if (!found) {
      throw new ValueFormatError(
        `'${text}' has an unknown time unit '${unitText}': use ms, s, min, h or d (or their long forms)`,
      );
    }
    factor = found[1];
  }
  const ms = Number(amount) * factor;
  return minus ? -ms : ms;
}

const MEMORY_UNITS: ReadonlyArray<[readonly string[], number]> = [
  [['b', 'bytes', 'byte'], 1],
  [['k', 'kb', 'kibibytes', 'ki', 'kib'], 1024],
  [['m', 'mb', 'mebibytes', 'mi', 'mib'], 1024 ** 2],
  [['g', 'gb', 'gibibytes', 'gi', 'gib'], 1024 ** 3],
  [['t', 'tb', 'tebibytes', 'ti', 'tib'], 1024 ** 4],
];

/**
 * Parses a Flink memory size to bytes: `1 gb`, `512m`, `4Gi`, `13760 kb`, `0 bytes`, or a plain
 * byte count. All units are binary (Flink: 1 kb = 1024 bytes; Kubernetes-style `Ki/Mi/Gi/Ti` too).
 */
export function parseMemoryBytes(text: string): number {
  const value = text.trim();
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value);
  if (!match) {
    throw new ValueFormatError(
      `'${text}' is not a memory size: use a non-negative number with an optional unit (bytes, kb, mb, gb, tb, or Ki/Mi/Gi/Ti; e.g. '1 gb', '512m', '4Gi')`,
    );
  }
  const [, amount, unitText] = match;
  const unit = (unitText ?? '').toLowerCase();
  let factor = 1;
  if (unit !== '') {
    const found = MEMORY_UNITS.find(([names]) => names.includes(unit));
    if (!found) {
      throw new ValueFormatError(
        `'${text}' has an unknown memory unit '${unitText}': use bytes, kb, mb, gb, tb or Ki/Mi/Gi/Ti`,
      );
    }
    factor = found[1];
  }
  const bytes = Number(amount) * factor;
  if (!Number.isSafeInteger(Math.floor(bytes))) {
    throw new ValueFormatError(`'${text}' is too large a memory size`);
  }
  return Math.floor(bytes);
}

/**
 * Renders a byte count the way Flink's `MemorySize.toString` does: the largest unit that divides
 * it exactly (`120 mb`, `13760 kb`, `30 gb`), `0 bytes`, otherwise `<n> bytes`.
 */
export function formatMemorySize(bytes: number): string {
  if (bytes === 0) return '0 bytes';
  const units: ReadonlyArray<[string, number]> = [
    ['tb', 1024 ** 4],
    ['gb', 1024 ** 3],
    ['mb', 1024 ** 2],
    ['kb', 1024],
  ];
  for (const [name, size] of units) {
    if (bytes % size === 0) return `${bytes / size} ${name}`;
  }
  return `${bytes} bytes`;
}

/** Renders milliseconds as a compact Flink duration (`30 s`, `5 min`, `1 h`, `250 ms`). */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  const units: ReadonlyArray<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ];
  if (abs === 0) return '0 ms';
  for (const [name, size] of units) {
    if (abs % size === 0) return `${sign}${abs / size} ${name}`;
  }
  return `${sign}${abs} ms`;
}

/** Parses `true`/`false` (case-insensitive), as Flink does. */
export function parseBoolean(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ValueFormatError(`'${text}' is not a boolean: use true or false`);
}

/** Parses a double like Java's `Double.parseDouble` (also `Infinity`, `NaN`, a trailing `d`/`f`). */
export function parseDouble(text: string): number {
  const value = text.trim().replace(/[dDfF]$/, '');
  if (value === '' || !/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|Infinity|NaN)$/.test(value)) {
    throw new ValueFormatError(`'${text}' is not a number: use a decimal such as 0.7 or 1e3`);
  }
  return Number(value);
}

/** Parses a 32-bit integer like Java's `Integer.parseInt`. */
export function parseInteger(text: string): number {
  const value = text.trim();
  if (!/^[+-]?\d+$/.test(value)) {
    throw new ValueFormatError(`'${text}' is not a whole number`);
  }
  const n = Number(value);
  if (n > 2147483647 || n < -2147483648) {
    throw new ValueFormatError(`'${text}' is outside the 32-bit integer range`);
  }
  return n;
}

/** Parses a Flink list value: `;`-separated, items trimmed, empty items dropped. */
export function parseList(text: string): string[] {
  return text
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Parses a Flink map value `k1:v1,k2:v2` (keys and values trimmed). */
export function parseMap(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const entry of text.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const colon = trimmed.indexOf(':');
    if (colon <= 0) {
      throw new ValueFormatError(
        `'${text}' is not a map: use 'key1:value1,key2:value2' (entry '${trimmed}' has no key)`,
      );
    }
    result[trimmed.slice(0, colon).trim()] = trimmed.slice(colon + 1).trim();
  }
  return result;
}

/** Renders a map in Flink's `k1:v1,k2:v2` syntax with keys sorted, so equal maps render equally. */
export function formatMap(map: Readonly<Record<string, string | number>>): string {
  return Object.keys(map)
    .sort()
    .map((key) => `${key}:${map[key]}`)
    .join(',');
}
