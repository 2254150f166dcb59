/**
 * RFC 7386 JSON merge patch (the patch format the realizer writes and the emulator accepts),
 * through the `json-merge-patch` library. The library changes its target in place; this wrapper
 * never does.
 */
import { createRequire } from 'node:module';

/** The one function of `json-merge-patch` used here (the package ships no types). */
type ApplyMergePatch = (target: unknown, patch: unknown) => unknown;

const libraryApply = (createRequire(import.meta.url)('json-merge-patch') as { apply: ApplyMergePatch }).apply;

/** `target` with `patch` applied: objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  return libraryApply(target === undefined ? undefined : structuredClone(target), structuredClone(patch));
}
