/**
 * Size of an item as DynamoDB counts it for the 400 KB limit and for capacity units
 * (developer guide "Item sizes and formats"): attribute names and strings in UTF-8 bytes,
 * binary in bytes, numbers about 1 byte per 2 significant digits + 1, 1 byte for booleans and
 * null, lists and maps 3 bytes + 1 byte per element (+ key names for maps).
 */
export function itemSizeBytes(item: Readonly<Record<string, unknown>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    total += Buffer.byteLength(name, 'utf8') + valueSizeBytes(value);
  }
  return total;
}

function valueSizeBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return numberSizeBytes(value);
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + valueSizeBytes(v), 0);
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueSizeBytes(v), 0);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return 3 + entries.reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k, 'utf8') + valueSizeBytes(v), 0);
  }
  return 0;
}

function numberSizeBytes(value: number): number {
  // Significant digits of the decimal form, without sign, exponent and leading/trailing zeros.
  const digits = Math.abs(value).toExponential().replace(/e.*$/, '').replace('.', '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1 + (value < 0 ? 1 : 0);
}
