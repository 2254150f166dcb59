/**
 * JSON for humans and scripts: non-finite numbers (NaN, ±Infinity, meaningful in the autoscaler)
 * become the strings "NaN", "Infinity", "-Infinity" instead of null, and Sets become arrays.
 */
export function toJsonText(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, item: unknown) => {
      if (typeof item === 'number' && !Number.isFinite(item)) return String(item);
      if (item instanceof Set) return [...item];
      return item;
    },
    2,
  );
}
