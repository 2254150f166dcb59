// Regenerates the options table in README.md from lib/config/option-definitions.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replaceOptionsDoc } from '../lib/config/options-doc.ts';

const readmePath = join(import.meta.dirname, '..', 'README.md');
const before = readFileSync(readmePath, 'utf8');
const after = replaceOptionsDoc(before);
writeFileSync(readmePath, after);
console.log(before === after ? 'README options table is up to date' : 'README options table regenerated');
