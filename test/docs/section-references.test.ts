// Every `docs/<file>.md §<number>` cited in the code and the repository's Markdown must name a
// numbered heading of that document, and no reference may still point at the documents' old
// locations outside the repository (run `node scripts/rewrite-doc-references.ts` to convert them).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesToScan, rewriteDocReferences } from '../../scripts/rewrite-doc-references.ts';

const root = join(import.meta.dirname, '..', '..');

const DOCS = ['algorithm', 'design', 'flink-resources', 'kubernetes-and-eks', 'flink-rest'] as const;

/** Section numbers of a document: headings like `## 2. Metrics collection` or `### 2.5 Metric …`. */
function headingNumbers(markdown: string): Set<string> {
  const numbers = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence) continue;
    const m = /^#{1,6}[ \t]+(\d+(?:\.\d+)*)\.?(?:[ \t]|$)/.exec(line);
    if (m?.[1] !== undefined) numbers.add(m[1]);
  }
  return numbers;
}

const NUM = String.raw`(\d+(?:\.\d+)*)`;
/**
 * `docs/x.md §2.5`, also with the path in backticks or the section sign on the next comment line,
 * followed by more numbers of the same document: `, §3.2`, `–§7.3`, `–1.8`, ` and §6`.
 */
const REFERENCE_RE = new RegExp(
  String.raw`docs/(${DOCS.join('|')})\.md` + '`?' +
    String.raw`(?:[ \t\u00a0]+|[ \t]*\r?\n[ \t]*(?:\*|//|#)?[ \t]*)§[ \u00a0]?` + NUM +
    String.raw`((?:[ \t]*,[ \t]*§[ \u00a0]?\d+(?:\.\d+)*|[ \t]*[–-][ \t]*§?\d+(?:\.\d+)*|[ \t]+(?:and|or)[ \t]+§[ \u00a0]?\d+(?:\.\d+)*)*)`,
  'g',
);

interface CitedSection {
  readonly doc: string;
  readonly section: string;
  /** 1-based line of the reference. */
  readonly line: number;
}

/** Every section of a docs/ document cited in `text`. */
function citedSections(text: string): CitedSection[] {
  const cited: CitedSection[] = [];
  for (const m of text.matchAll(REFERENCE_RE)) {
    const doc = m[1] ?? '';
    const line = text.slice(0, m.index).split('\n').length;
    const numbers = [m[2] ?? '', ...[...(m[3] ?? '').matchAll(/\d+(?:\.\d+)*/g)].map((n) => n[0])];
    for (const section of numbers) cited.push({ doc, section, line });
  }
  return cited;
}

const headings = new Map(
  DOCS.map((doc) => [doc, headingNumbers(readFileSync(join(root, 'docs', `${doc}.md`), 'utf8'))]),
);
const files = filesToScan(root).map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
/** The docs cite each other too; they are checked for section numbers (not for old forms). */
const docFiles = readdirSync(join(root, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .map((name) => ({ file: `docs/${name}`, text: readFileSync(join(root, 'docs', name), 'utf8') }));

describe('section references to docs/', () => {
  it('finds the numbered headings of every document', () => {
    for (const doc of DOCS) expect(headings.get(doc)?.size, doc).toBeGreaterThan(3);
    expect(citedSections('see docs/algorithm.md §7.1–§7.3, §7.5 and docs/design.md\n * §4')).toEqual([
      { doc: 'algorithm', section: '7.1', line: 1 },
      { doc: 'algorithm', section: '7.3', line: 1 },
      { doc: 'algorithm', section: '7.5', line: 1 },
      { doc: 'design', section: '4', line: 1 },
    ]);
  });

  it('cite only sections that exist as headings', () => {
    const missing: string[] = [];
    for (const { file, text } of [...files, ...docFiles]) {
      for (const ref of citedSections(text)) {
        if (!headings.get(ref.doc as (typeof DOCS)[number])?.has(ref.section)) {
          missing.push(`${file}:${ref.line}: docs/${ref.doc}.md §${ref.section} has no heading`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('no longer point at the old documents outside the repository (run scripts/rewrite-doc-references.ts)', () => {
    const old: string[] = [];
    for (const { file, text } of files) {
      for (const r of rewriteDocReferences(text).rewrites) old.push(`${file}:${r.line}: "${r.before}" → "${r.after}"`);
    }
    expect(old).toEqual([]);
  });
});
