import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { ATTR } from './table-schema.ts';

/**
 * Bodies up to this size stay readable text. Small, because crossing a 1 KB boundary costs a
 * whole extra write unit: compressing a 10-vertex state keeps its item under 1 KB.
 */
const PLAIN_BODY_MAX_BYTES = 256;
/**
 * Brotli quality 5: most of the ratio of quality 11 at a small fraction of its CPU time, which
 * matters for a 1,000-vertex state encoded (and possibly re-encoded while trimming) per cycle.
 */
const BROTLI_QUALITY = 5;

/**
 * Brotli window of a body: the smallest that holds the whole text. node:zlib drives the streaming
 * encoder, which sizes its ring buffer from the window (default 2^22 = 4 MB) whatever the input;
 * for a body of a few KB that allocation took more time than the compression.
 */
function windowBitsFor(byteLength: number): number {
  const bits = Math.ceil(Math.log2(byteLength + 1));
  return Math.min(constants.BROTLI_MAX_WINDOW_BITS, Math.max(constants.BROTLI_MIN_WINDOW_BITS, bits));
}

/** The body attributes of an item: exactly one of them is set. */
export interface BodyAttributes {
  b?: string;
  z?: Uint8Array;
}

/** Stores `text` plain when small, else Brotli-compressed if that is smaller. */
export function encodeBody(text: string): BodyAttributes {
  const plain = Buffer.from(text, 'utf8');
  if (plain.byteLength <= PLAIN_BODY_MAX_BYTES) return { [ATTR.body]: text };
  const compressed = brotliCompressSync(plain, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: plain.byteLength,
      [constants.BROTLI_PARAM_LGWIN]: windowBitsFor(plain.byteLength),
    },
  });
  if (compressed.byteLength >= plain.byteLength) return { [ATTR.body]: text };
  // A plain Uint8Array view: the document client marshals it as binary (B).
  return {
    [ATTR.compressedBody]: new Uint8Array(compressed.buffer, compressed.byteOffset, compressed.byteLength),
  };
}

/** The body text of an item; throws when neither attribute is usable. */
export function decodeBody(item: Readonly<Record<string, unknown>>): string {
  const plain = item[ATTR.body];
  if (typeof plain === 'string') return plain;
  const compressed = item[ATTR.compressedBody];
  if (compressed instanceof Uint8Array) return brotliDecompressSync(compressed).toString('utf8');
  throw new Error(`item has no body (${ATTR.body} or ${ATTR.compressedBody})`);
}
