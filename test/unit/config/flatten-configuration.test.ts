import { describe, expect, it } from 'vitest';
import { flattenConfiguration } from '../../../lib/config/index.ts';

describe('flattenConfiguration', () => {
  it.each([
    ['flat keys stay', { 'a.b': '1' }, { 'a.b': '1' }],
    ['nested objects join with dots', { a: { b: { c: 2 } } }, { 'a.b.c': '2' }],
    ['mixed flat and nested', { 'a.b': 'x', a: { c: true } }, { 'a.b': 'x', 'a.c': 'true' }],
    [
      'lists become Flink ;-lists',
      { 'job.autoscaler.vertex.exclude.ids': ['aa', 'bb'] },
      { 'job.autoscaler.vertex.exclude.ids': 'aa;bb' },
    ],
    ['nulls are dropped', { a: null, b: '1' }, { b: '1' }],
    ['numbers keep their text form', { x: 0.7, y: 2147483647 }, { x: '0.7', y: '2147483647' }],
  ])('%s', (_name, input, expected) => {
    expect(flattenConfiguration(input)).toEqual(expected);
  });

  it('names the key whose value has an unsupported type', () => {
    expect(() => flattenConfiguration({ a: { b: [{ c: 1 }] } })).toThrow(
      /'a.b'.*unsupported type object.*use a string/,
    );
  });
});
