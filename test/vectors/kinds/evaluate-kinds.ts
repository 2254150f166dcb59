import type { KindHandler } from '../vector-format.ts';

/** Vector kinds owned by this module's area; see ../../../../shared/vectors/README.md. */
export const evaluateKinds: Record<string, KindHandler> = {};
