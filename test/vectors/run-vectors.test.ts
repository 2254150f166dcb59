/**
 * Vector runner: every case of every `*.json` file in the vectors directory is one vitest test,
 * named by its `source` and `description`. `VECTORS_DIR=<dir>` runs another directory of files in
 * the same format. A case of a kind no handler knows fails; it is never skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'vitest';
import { KIND_HANDLERS } from './kinds/index.ts';
import type { VectorCase } from './vector-format.ts';

const vectorsDir = resolve(process.env.VECTORS_DIR ?? join(import.meta.dirname, '../../../shared/vectors'));
const files = readdirSync(vectorsDir)
  .filter((name) => name.endsWith('.json'))
  .sort();

if (files.length === 0) {
  throw new Error(`No vector files (*.json) in ${vectorsDir}`);
}

for (const file of files) {
  const cases = JSON.parse(readFileSync(join(vectorsDir, file), 'utf8')) as VectorCase[];
  describe(file, () => {
    cases.forEach((vector, index) => {
      it(`#${index} ${vector.source} — ${vector.description}`, async () => {
        const handler = KIND_HANDLERS[vector.kind];
        if (!handler) {
          throw new Error(`No handler for vector kind '${vector.kind}' (${file} #${index})`);
        }
        await handler(vector, { file, index, all: cases });
      });
    });
  });
}
