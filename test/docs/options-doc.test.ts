import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPTION_DEFINITIONS, replaceOptionsDoc } from '../../lib/config/index.ts';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('README options table', () => {
  it('is generated from the current option declarations (run `npm run docs:options` when this fails)', () => {
    expect(replaceOptionsDoc(readme)).toBe(readme);
  });

  it('lists every declared key', () => {
    for (const def of OPTION_DEFINITIONS) {
      expect(readme).toContain(`| \`${def.key}\` |`);
    }
  });
});
