import { describe, expect, it } from 'vitest';
import { itemSizeBytes } from '../../../../lib/adapters/dynamodb/item-size.ts';

describe('itemSizeBytes', () => {
  it.each([
    // name bytes + value bytes, per the DynamoDB developer guide
    { name: 'a string', item: { pk: 'JOB#a' }, expected: 2 + 5 },
    { name: 'UTF-8 characters', item: { s: 'é→' }, expected: 1 + 2 + 3 },
    { name: 'a 1-digit number', item: { n: 7 }, expected: 1 + 2 },
    { name: 'a 13-digit number', item: { ts: 1_700_000_000_123 }, expected: 2 + 8 },
    { name: 'a negative number', item: { n: -12.5 }, expected: 1 + (2 + 1 + 1) }, // 3 digits → 2 + 1, sign + 1
    { name: 'binary', item: { z: new Uint8Array(10) }, expected: 1 + 10 },
    { name: 'a boolean and null', item: { t: true, u: null }, expected: 2 + 2 },
    { name: 'a list', item: { l: ['ab', 1] }, expected: 1 + 3 + (1 + 2) + (1 + 2) },
    { name: 'a map', item: { m: { k: 'v' } }, expected: 1 + 3 + (1 + 1 + 1) },
    { name: 'undefined attributes', item: { a: undefined, b: 'x' }, expected: 2 },
  ])('counts $name', ({ item, expected }) => {
    expect(itemSizeBytes(item)).toBe(expected);
  });
});
