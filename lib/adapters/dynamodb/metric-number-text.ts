/**
 * Lossless, compact text for the numbers of samples and state: DynamoDB numbers cannot hold
 * NaN or ±Infinity, and JSON turns them into null, yet the autoscaler uses both (an absent
 * metric is NaN, OBSERVED_TPR is +∞ when nothing comes in).
 */

/**
 * Shortest text of a number: `N` (NaN), `I` / `-I` (±∞), `-0`, otherwise JavaScript's
 * round-tripping decimal form without the leading zero of fractions (`.25`, `-.5`).
 */
export function formatNumberText(value: number): string {
  if (Number.isNaN(value)) return 'N';
  if (value === Number.POSITIVE_INFINITY) return 'I';
  if (value === Number.NEGATIVE_INFINITY) return '-I';
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  if (text.startsWith('0.')) return text.slice(1);
  if (text.startsWith('-0.')) return `-${text.slice(2)}`;
  return text;
}

const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/;

/** Inverse of {@link formatNumberText}; undefined when `text` is not such a number. */
export function parseNumberText(text: string): number | undefined {
  if (text === 'N') return Number.NaN;
  if (text === 'I') return Number.POSITIVE_INFINITY;
  if (text === '-I') return Number.NEGATIVE_INFINITY;
  return NUMBER_TEXT.test(text) ? Number(text) : undefined;
}

/**
 * JSON text of any plain value, keeping NaN/±∞ and -0: they become the strings `~N`, `~I`,
 * `~-I`, `~-0`, and strings that start with `~` get one more `~` so nothing is ambiguous.
 */
export function toTaggedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : `~${formatNumberText(v)}`;
    if (typeof v === 'string' && v.startsWith('~')) return `~${v}`;
    return v;
  });
}

/** Inverse of {@link toTaggedJson}; throws SyntaxError on malformed text. */
export function fromTaggedJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v !== 'string' || !v.startsWith('~')) return v;
    if (v.startsWith('~~')) return v.slice(1);
    const parsed = parseNumberText(v.slice(1));
    if (parsed === undefined) throw new SyntaxError(`bad tagged value ${JSON.stringify(v)}`);
    return parsed;
  });
}
