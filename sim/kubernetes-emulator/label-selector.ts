/**
 * Kubernetes label and field selectors as the API server evaluates them: equality (`a=b`,
 * `a==b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`) requirements, joined
 * by commas (all must hold). Source: Kubernetes docs, "Labels and Selectors" and "Field
 * Selectors"; the grammar of k8s.io/apimachinery `labels.Parse`.
 */

export type SelectorRequirement =
  | { readonly key: string; readonly op: 'eq' | 'neq'; readonly value: string }
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] }
  | { readonly key: string; readonly op: 'exists' | 'notexists' };

/** A selector that cannot be parsed; the server answers 400 BadRequest. */
export class SelectorSyntaxError extends Error {
  override readonly name = 'SelectorSyntaxError';
}

/** Splits on commas that are not inside a `( … )` value set. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

/** Parses a label selector string; the empty string selects everything. */
export function parseLabelSelector(text: string): SelectorRequirement[] {
  return splitTopLevel(text).map((part) => {
    let m = /^(\S+?)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = (m[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return { key: checkKey(m[1] ?? '', text), op: m[2] as 'in' | 'notin', values };
    }
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (m) return { key: checkKey(m[1] ?? '', text), op: m[2] === '!=' ? 'neq' : 'eq', value: m[3] ?? '' };
    m = /^!\s*(\S+)$/.exec(part);
    if (m) return { key: checkKey(m[1] ?? '', text), op: 'notexists' };
    return { key: checkKey(part, text), op: 'exists' };
  });
}

function checkKey(key: string, text: string): string {
  if (!KEY.test(key))
    throw new SelectorSyntaxError(`unable to parse requirement in selector '${text}': bad key '${key}'`);
  return key;
}

/** True when every requirement holds for the given labels (or field values). */
export function matchesSelector(
  requirements: readonly SelectorRequirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    const value = labels[r.key];
    switch (r.op) {
      case 'eq':
        return has && value === r.value;
      case 'neq':
        return !has || value !== r.value;
      case 'in':
        return has && r.values.includes(value ?? '');
      case 'notin':
        return !has || !r.values.includes(value ?? '');
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      default:
        return false;
    }
  });
}

/** Reads a dotted field path (`involvedObject.name`) as a string for field selectors. */
export function fieldValue(object: unknown, path: string): string | undefined {
  let cur: unknown = object;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? undefined : String(cur);
}
