import { InvalidKubernetesInputError } from './kubernetes-errors.ts';

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * Parses a Kubernetes resource quantity (`500m`, `2`, `16Gi`, `1000M`, `1e9`) to a plain number
 * in base units (cores, bytes). Binary suffixes are powers of 1024, decimal ones powers of 1000,
 * as in `resource.Quantity`.
 */
export function parseQuantity(text: string, field = 'quantity'): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(
    String(text).trim(),
  );
  if (!m)
    throw new InvalidKubernetesInputError(
      field,
      `'${text}' is not a Kubernetes quantity (e.g. 500m, 2, 16Gi)`,
    );
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  const suffix = m[3] ?? '';
  return base * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

/** CPU quantity in cores (`250m` → 0.25). */
export function parseCpuCores(text: string | number, field = 'cpu'): number {
  return typeof text === 'number' ? text : parseQuantity(text, field);
}

/** Memory quantity in whole bytes (`4Gi` → 4294967296, `1G` → 1e9). */
export function parseMemoryQuantityBytes(text: string | number, field = 'memory'): number {
  return Math.floor(typeof text === 'number' ? text : parseQuantity(text, field));
}
