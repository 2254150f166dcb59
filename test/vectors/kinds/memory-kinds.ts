import type { KindHandler } from '../vector-format.ts';

/** Vector kinds owned by this module's area; see ../../../../shared/vectors/README.md. */
export const memoryKinds: Record<string, KindHandler> = {};
