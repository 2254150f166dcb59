/**
 * The two patch formats the API server accepts for custom resources (docs/kubernetes-and-eks.md §6):
 * RFC 7386 merge patch and RFC 6902 JSON patch. Pure functions over JSON values; inputs are
 * never mutated. The JSON patch is implemented here because no RFC 6902 library is among the
 * project's dependencies (json-merge-patch covers RFC 7386 only).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** RFC 7386 merge patch: the same implementation the realizer uses (the json-merge-patch library). */
export { applyMergePatch } from '../../lib/adapters/kubernetes/json-merge-patch.ts';

/** A JSON patch operation failed; `test` failures and bad paths are both 422 on the server. */
export class JsonPatchError extends Error {
  override readonly name = 'JsonPatchError';
  readonly opIndex: number;
  readonly isTestFailure: boolean;
  constructor(opIndex: number, message: string, isTestFailure = false) {
    super(message);
    this.opIndex = opIndex;
    this.isTestFailure = isTestFailure;
  }
}

/** One RFC 6902 operation; `from` for `move` and `copy`, `value` for `add`, `replace` and `test`. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly from?: string;
  readonly value?: unknown;
}

function pointer(path: string, index: number): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(index, `path '${path}' must start with '/'`);
  return path
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(
  doc: unknown,
  tokens: string[],
  index: number,
): { parent: Record<string, unknown> | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(token)];
    else if (isObject(cur)) cur = cur[token];
    else cur = undefined;
    if (cur === undefined) throw new JsonPatchError(index, `path '/${tokens.join('/')}' does not exist`);
  }
  if (!Array.isArray(cur) && !isObject(cur))
    throw new JsonPatchError(index, `path '/${tokens.join('/')}' has no parent object`);
  return { parent: cur, key: tokens[tokens.length - 1] ?? '' };
}

function getAt(doc: unknown, tokens: string[], index: number): unknown {
  let cur: unknown = doc;
  for (const token of tokens) {
    if (Array.isArray(cur)) cur = cur[Number(token)];
    else if (isObject(cur) && Object.hasOwn(cur, token)) cur = cur[token];
    else throw new JsonPatchError(index, `path '/${tokens.join('/')}' does not exist`);
  }
  return cur;
}

function remove(doc: unknown, tokens: string[], index: number): unknown {
  const { parent, key } = parentOf(doc, tokens, index);
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= parent.length)
      throw new JsonPatchError(index, `index ${key} out of range`);
    return parent.splice(i, 1)[0];
  }
  if (!Object.hasOwn(parent, key))
    throw new JsonPatchError(index, `path '/${tokens.join('/')}' does not exist`);
  const old = parent[key];
  delete parent[key];
  return old;
}

function add(doc: unknown, tokens: string[], value: unknown, index: number): unknown {
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, index);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(i) || i < 0 || i > parent.length)
      throw new JsonPatchError(index, `index ${key} out of range`);
    parent.splice(i, 0, value);
  } else parent[key] = value;
  return doc;
}

/** Applies RFC 6902 operations in order; any failure aborts the whole patch. */
export function applyJsonPatch(document: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new JsonPatchError(0, 'a JSON patch must be an array of operations');
  let doc = structuredClone(document);
  operations.forEach((raw, index) => {
    if (!isObject(raw) || typeof raw['path'] !== 'string')
      throw new JsonPatchError(index, 'operation needs an op and a path');
    const op = raw as unknown as JsonPatchOperation;
    const tokens = pointer(op.path, index);
    switch (op.op) {
      case 'add':
        doc = add(doc, tokens, structuredClone(op.value), index);
        break;
      case 'remove':
        remove(doc, tokens, index);
        break;
      case 'replace':
        getAt(doc, tokens, index);
        if (tokens.length === 0) doc = structuredClone(op.value);
        else {
          remove(doc, tokens, index);
          doc = add(doc, tokens, structuredClone(op.value), index);
        }
        break;
      case 'move': {
        const value = remove(doc, pointer(op.from ?? '', index), index);
        doc = add(doc, tokens, value, index);
        break;
      }
      case 'copy':
        doc = add(doc, tokens, structuredClone(getAt(doc, pointer(op.from ?? '', index), index)), index);
        break;
      case 'test': {
        const actual = getAt(doc, tokens, index);
        if (!deepEqual(actual, op.value)) {
          throw new JsonPatchError(
            index,
            `testing value ${op.path} failed: expected ${JSON.stringify(op.value)}, found ${JSON.stringify(actual)}`,
            true,
          );
        }
        break;
      }
      default:
        throw new JsonPatchError(index, `unknown op '${String((raw as Record<string, unknown>)['op'])}'`);
    }
  });
  return doc;
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
