import { expect } from 'vitest';
import { countSourcePartitions } from '../../../lib/adapters/flink-rest/source-partitions.ts';
import type { KindHandler } from '../vector-format.ts';

/** Vector kinds owned by this module's area; see ../../../../shared/vectors/README.md. */
export const flinkRestKinds: Record<string, KindHandler> = {
  partition_discovery: (vector) => {
    const cases = vector.inputs.cases as string[][];
    const expected = vector.expected.num_source_partitions as number[];
    expect(cases.map((metricIds) => countSourcePartitions(metricIds))).toEqual(expected);
  },
};
