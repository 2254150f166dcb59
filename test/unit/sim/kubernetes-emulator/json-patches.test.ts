import { describe, expect, it } from 'vitest';
import {
  applyJsonPatch,
  applyMergePatch,
  JsonPatchError,
} from '../../../../sim/kubernetes-emulator/json-patches.ts';

describe('applyMergePatch (RFC 7386)', () => {
  it.each([
    { target: { a: 'b' }, patch: { a: 'c' }, expected: { a: 'c' } },
    { target: { a: 'b' }, patch: { b: 'c' }, expected: { a: 'b', b: 'c' } },
    { target: { a: 'b' }, patch: { a: null }, expected: {} },
    { target: { a: ['b'] }, patch: { a: ['c', 'd'] }, expected: { a: ['c', 'd'] } },
    { target: { a: { b: 'c' } }, patch: { a: { b: 'd', c: null } }, expected: { a: { b: 'd' } } },
    { target: ['a'], patch: { a: 'b' }, expected: { a: 'b' } },
    { target: { a: 'foo' }, patch: 'bar', expected: 'bar' },
  ])('$patch over $target', ({ target, patch, expected }) => {
    const copy = structuredClone(target);
    expect(applyMergePatch(target, patch)).toEqual(expected);
    expect(target).toEqual(copy);
  });
});

describe('applyJsonPatch (RFC 6902)', () => {
  const doc = { metadata: { resourceVersion: '5' }, spec: { list: [1, 2], 'a/b': 1 } };
  it('applies add, remove, replace, move, copy and test with escaped pointers', () => {
    const result = applyJsonPatch(doc, [
      { op: 'test', path: '/metadata/resourceVersion', value: '5' },
      { op: 'add', path: '/spec/list/-', value: 3 },
      { op: 'add', path: '/spec/list/0', value: 0 },
      { op: 'replace', path: '/spec/a~1b', value: 2 },
      { op: 'copy', from: '/spec/a~1b', path: '/spec/c' },
      { op: 'move', from: '/spec/c', path: '/spec/d' },
      { op: 'remove', path: '/spec/list/1' },
    ]);
    expect(result).toEqual({ metadata: { resourceVersion: '5' }, spec: { list: [0, 2, 3], 'a/b': 2, d: 2 } });
    expect(doc.spec.list).toEqual([1, 2]);
  });

  it.each([
    { ops: [{ op: 'test', path: '/metadata/resourceVersion', value: '6' }], test: true },
    { ops: [{ op: 'remove', path: '/spec/missing' }], test: false },
    { ops: [{ op: 'replace', path: '/nope/x', value: 1 }], test: false },
    { ops: [{ op: 'bogus', path: '/a' }], test: false },
    { ops: { op: 'add' }, test: false },
  ])('fails atomically: $ops', ({ ops, test }) => {
    const error = (() => {
      try {
        applyJsonPatch(doc, ops);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(JsonPatchError);
    expect((error as JsonPatchError).isTestFailure).toBe(test);
  });
});
