/**
 * Shapes and value conventions of the shared test vectors (../shared/vectors/README.md).
 */

/** One vector case as stored in the JSON files. */
export interface VectorCase {
  readonly source: string;
  readonly kind: string;
  readonly description: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector inputs are free-form JSON checked per kind
  readonly inputs: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- vector expectations are free-form JSON checked per kind
  readonly expected: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- optional derived values
  readonly derived?: any;
  readonly notes?: string;
}

/**
 * Runs one case and asserts with vitest's `expect`. `file` is the vector file name, `index` the
 * case's position in it, `all` every case of that file (some kinds refer to the preceding case).
 */
export type KindHandler = (
  vector: VectorCase,
  context: { file: string; index: number; all: readonly VectorCase[] },
) => void | Promise<void>;

/** Strict-JSON number convention: "Infinity", "-Infinity", "NaN" strings; null = NaN/absent. */
export function vectorNumber(value: unknown): number {
  if (value === null || value === undefined) return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (value === 'NaN') return Number.NaN;
  if (typeof value === 'number') return value;
  throw new TypeError(`not a vector number: ${JSON.stringify(value)}`);
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  day: 86_400_000,
  d: 86_400_000,
};

/** Vector duration string (`"30 s"`, `"-4 h"`, `"0"`) to milliseconds. */
export function vectorDurationMs(value: string | number): number {
  if (typeof value === 'number') return value;
  const match = /^(-)?\s*(\d+(?:\.\d+)?)\s*([a-z]*)$/.exec(value.trim());
  if (!match) throw new TypeError(`not a vector duration: ${value}`);
  const [, minus, amount, unit] = match;
  const factor = unit ? UNIT_MS[unit] : 1;
  if (factor === undefined) throw new TypeError(`unknown vector duration unit in ${value}`);
  return (minus ? -1 : 1) * Number(amount) * factor;
}

/** Vector config object → flat string map for `resolveOptions` (numbers and booleans stringified). */
export function vectorConfig(config: Record<string, unknown> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(config ?? {})) {
    // Lists are written the way Flink reads them (`a;b`), everything else as its JSON text.
    result[key] =
      typeof value === 'string' ? value : Array.isArray(value) ? value.join(';') : JSON.stringify(value);
  }
  return result;
}
