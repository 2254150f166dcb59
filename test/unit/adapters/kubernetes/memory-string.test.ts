import { describe, expect, it } from 'vitest';
import { InvalidKubernetesInputError } from '../../../../lib/adapters/kubernetes/kubernetes-errors.ts';
import { formatMemoryLike, parseOperatorMemoryBytes } from '../../../../lib/adapters/kubernetes/memory-string.ts';

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

describe('parseOperatorMemoryBytes (operator parseResourceMemoryString)', () => {
  it.each<[string | number, number]>([
    // Flink MemorySize first: every unit binary, case-insensitive, space allowed before the unit
    ['2G', 2 * GiB],
    ['2g', 2 * GiB],
    ['2gb', 2 * GiB],
    ['2 GB', 2 * GiB],
    ['2048m', 2 * GiB],
    ['2048M', 2 * GiB],
    ['1536 mebibytes', 1536 * MiB],
    ['64k', 64 * KiB],
    ['1t', 1024 * GiB],
    ['4096', 4096],
    ['100b', 100],
    ['100 bytes', 100],
    [2147483648, 2 * GiB],
    // then the fabric8 quantity, after upper-casing, dropping a trailing B and fixing a trailing I
    ['2Gi', 2 * GiB],
    ['2gi', 2 * GiB],
    ['2GiB', 2 * GiB],
    ['2048 Mi', 2 * GiB],
    ['123456Ki', 123456 * KiB],
    ['2e9', 2e9],
    ['2E9', 2e9],
    ['1P', 1e15],
    ['+2Gi', 2 * GiB],
  ])('%s → %d bytes', (text, bytes) => expect(parseOperatorMemoryBytes(text, 'memory')).toBe(bytes));

  it.each([
    // MemorySize reads the leading digits only; the quantity fallback keeps the fraction, and the
    // operator's second MemorySize.parse rejects "1610612736.0"
    '1.5g',
    '1.5Gi',
    '0.5G',
    // upper-cased `k` is no fabric8 suffix; negative exponents leave a fraction
    '1.5k',
    '5e-3',
    '-2Gi',
    'lots',
    'Gi',
    '',
    '2 GiX',
  ])('rejects %j as the operator validator does', (text) => {
    expect(() => parseOperatorMemoryBytes(text, 'spec.taskManager.resource.memory')).toThrow(
      InvalidKubernetesInputError,
    );
    expect(() => parseOperatorMemoryBytes(text, 'spec.taskManager.resource.memory')).toThrow(
      /spec.taskManager.resource.memory.*Flink unit/,
    );
  });
});

describe('formatMemoryLike', () => {
  it.each<[number, string | number | undefined, string]>([
    [6 * GiB, '4g', '6g'],
    [6 * GiB, '4G', '6G'],
    [6 * GiB, '4 gb', '6 gb'],
    [6 * GiB, '4096m', '6144m'],
    [6 * GiB, '4Gi', '6Gi'],
    [6 * GiB, '4GiB', '6GiB'],
    [3e9, '2e9', '3e9'],
    // not a whole number of the user's unit, or no unit at all: plain bytes (the operator's tuner)
    [6 * GiB + MiB, '4g', String(6 * GiB + MiB)],
    [6 * GiB, '4096', String(6 * GiB)],
    [6 * GiB, 4 * GiB, String(6 * GiB)],
    [6 * GiB, undefined, String(6 * GiB)],
    // a form the operator rejects is never copied
    [6 * GiB, '1.5g', String(6 * GiB)],
  ])('%d bytes written like %j → %s', (bytes, previous, expected) => {
    const written = formatMemoryLike(bytes, previous);
    expect(written).toBe(expected);
    expect(parseOperatorMemoryBytes(written, 'memory')).toBe(bytes);
  });

  it('refuses a byte count that is not whole', () => {
    expect(() => formatMemoryLike(1.5, '1g')).toThrow(/whole/);
  });
});
