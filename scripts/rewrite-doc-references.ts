// Rewrites references to the reference documents that used to live outside the repository into
// references to their in-repo versions under docs/ (same section numbers):
//
//   spec §2.5                           → docs/algorithm.md §2.5
//   spec/autoscaler-algorithm.md §4.1   → docs/algorithm.md §4.1
//   autoscaler-algorithm §2             → docs/algorithm.md §2
//   design §4                           → docs/design.md §4
//   flinkdeployment.md §3               → docs/flink-resources.md §3
//   eks-kubernetes.md §1                → docs/kubernetes-and-eks.md §1
//   flink-rest.md §3                    → docs/flink-rest.md §3
//   spec/flink-rest.md (no section)     → docs/flink-rest.md
//
// Usage: node scripts/rewrite-doc-references.ts [--check] [--list] [--root <dir>]
//   --check  rewrite nothing; report what would change and exit 1 if anything would
//   --list   print every rewritten reference (file:line old → new)
//   --root   the repository to work on (default: the repository this script is in)
//
// Only text that cites a document is touched: a path ending in one of the document names, or one
// of the document words (spec, design, autoscaler-algorithm, flinkdeployment, eks-kubernetes)
// directly followed by "§". Paths already under docs/ are left alone, so running it twice changes
// nothing. Bare "§N" without a document name is not touched (its document is only implied by the
// surrounding text). test/docs/section-references.test.ts checks the result.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** Old document name (file name without `.md`) → its file under docs/. */
export const DOC_FOR_OLD_NAME: Readonly<Record<string, string>> = {
  'autoscaler-algorithm': 'docs/algorithm.md',
  design: 'docs/design.md',
  flinkdeployment: 'docs/flink-resources.md',
  'eks-kubernetes': 'docs/kubernetes-and-eks.md',
  'flink-rest': 'docs/flink-rest.md',
};

/** Folders scanned (besides the repository's top-level and nested *.md files). */
export const SCANNED_DIRS = ['lib', 'sim', 'functions', 'bin', 'cdk', 'bench', 'test', 'scripts', 'examples', 'k8s'];

/** Files that mention the old forms on purpose: this script and the test that checks the result. */
export const EXEMPT_FILES = ['scripts/rewrite-doc-references.ts', 'test/docs/section-references.test.ts'];

const TEXT_EXTENSIONS = /\.(ts|tsx|mts|cts|js|mjs|cjs|md|ya?ml|sh|txt)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'cdk.out', 'dist', 'out', 'coverage', 'docs']);

/**
 * One pattern, two alternatives:
 * 1. a path to one of the documents: `spec/autoscaler-algorithm.md`, `flinkdeployment.md`,
 *    `/work/shared/spec/flink-rest.md`, `design.md`. The directory part is optional; a path whose
 *    directory is `docs/` is already new and is kept;
 * 2. a document word directly followed by a section sign: `spec §2.5`, `Spec §4.6`, `design §4`,
 *    `autoscaler-algorithm §2`, `flinkdeployment §3`.
 */
const OLD_REFERENCE_RE = new RegExp(
  String.raw`(?<![\w./-])(/?(?:[\w.-]+/)*)(autoscaler-algorithm|design|flinkdeployment|eks-kubernetes|flink-rest)\.md\b` +
    String.raw`|(?<![\w./-])(spec|Spec|design|Design|autoscaler-algorithm|flinkdeployment|eks-kubernetes)[ \u00a0]?§[ \u00a0]?(?=\d)`,
  'g',
);

export interface Rewrite {
  /** 1-based line in the original text. */
  readonly line: number;
  readonly before: string;
  readonly after: string;
}

/** Rewrites every old-form reference in `text`; returns the new text and what was changed. */
export function rewriteDocReferences(text: string): { text: string; rewrites: Rewrite[] } {
  const rewrites: Rewrite[] = [];
  let line = 1;
  let scanned = 0;
  const out = text.replace(
    OLD_REFERENCE_RE,
    (match: string, dir: string | undefined, name: string | undefined, word: string | undefined, index: number) => {
      let after: string;
      if (name !== undefined) {
        if (dir === 'docs/' || (dir ?? '').endsWith('/docs/')) return match;
        after = DOC_FOR_OLD_NAME[name] ?? match;
      } else {
        const lower = (word ?? '').toLowerCase();
        after = `${lower === 'spec' ? 'docs/algorithm.md' : (DOC_FOR_OLD_NAME[lower] ?? match)} §`;
      }
      for (; scanned < index; scanned++) if (text.charCodeAt(scanned) === 10) line++;
      rewrites.push({ line, before: match, after });
      return after;
    },
  );
  return { text: out, rewrites };
}

/** Every file the rewrite applies to, relative to `root`, sorted. */
export function filesToScan(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(rel);
      } else if (entry.isFile() && TEXT_EXTENSIONS.test(entry.name)) {
        files.push(rel);
      }
    }
  };
  for (const dir of SCANNED_DIRS) {
    try {
      if (statSync(join(root, dir)).isDirectory()) walk(dir);
    } catch {
      // folder absent in this checkout
    }
  }
  // *.md anywhere else in the repository (README.md, examples' READMEs, …), except docs/.
  const mdWalk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.') && !SCANNED_DIRS.includes(rel)) mdWalk(rel);
      } else if (entry.isFile() && entry.name.endsWith('.md')) {
        files.push(rel);
      }
    }
  };
  mdWalk('');
  return [...new Set(files)].filter((f) => !EXEMPT_FILES.includes(f)).sort();
}

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const list = argv.includes('--list');
  const rootFlag = argv.indexOf('--root');
  const root = resolve(rootFlag >= 0 && argv[rootFlag + 1] ? argv[rootFlag + 1]! : join(import.meta.dirname, '..'));
  let total = 0;
  let changedFiles = 0;
  for (const file of filesToScan(root)) {
    const path = join(root, file);
    const before = readFileSync(path, 'utf8');
    const { text, rewrites } = rewriteDocReferences(before);
    if (rewrites.length === 0) continue;
    total += rewrites.length;
    changedFiles++;
    console.log(`${file}: ${rewrites.length}`);
    if (list) for (const r of rewrites) console.log(`  ${file}:${r.line}  ${r.before} → ${r.after}`);
    if (!check) writeFileSync(path, text);
  }
  const verb = check ? 'would be rewritten' : 'rewritten';
  console.log(`${total} reference(s) in ${changedFiles} file(s) ${verb} under ${relative(process.cwd(), root) || '.'}`);
  return check && total > 0 ? 1 : 0;
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
