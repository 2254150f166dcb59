import { describe, expect, it } from 'vitest';
import { decodeSampleBody, encodeSampleBody } from '../../../../lib/adapters/dynamodb/sample-codec.ts';
import { CorruptItemError } from '../../../../lib/adapters/dynamodb/state-codec.ts';

describe('sample body', () => {
  const dictionary = ['v0', 'v1', 'v2', 'v3'];

  it('stores one column per metric in dictionary order, empty where absent', () => {
    const body = encodeSampleBody(
      {
        tsMs: 1,
        vertices: { v2: { LOAD: 0.5 }, v0: { LOAD: 0.25, LAG: 10 }, v3: {} },
        global: { GC_PRESSURE: Number.POSITIVE_INFINITY },
      },
      dictionary,
    );

    expect(JSON.parse(body)).toEqual({ v: { LOAD: '.25,,.5', LAG: '10' }, g: { GC_PRESSURE: 'I' }, n: [3] });
  });

  it('decodes columns back to per-vertex metrics', () => {
    const sample = decodeSampleBody('{"v":{"LOAD":".25,,.5","LAG":"10"},"g":{},"n":[3]}', 42, dictionary);

    expect(sample).toEqual({
      tsMs: 42,
      vertices: { v0: { LOAD: 0.25, LAG: 10 }, v2: { LOAD: 0.5 }, v3: {} },
      global: {},
    });
  });

  it.each([
    { name: 'an index past the dictionary', body: '{"v":{"LOAD":",,,,,1"},"g":{}}' },
    { name: 'a non-number', body: '{"v":{"LOAD":"x"},"g":{}}' },
    { name: 'invalid JSON', body: '{"v":' },
  ])('rejects $name', ({ body }) => {
    expect(() => decodeSampleBody(body, 1, dictionary)).toThrow(CorruptItemError);
  });
});
