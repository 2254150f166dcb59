/**
 * Lambda bundle size and module init time (docs/design.md §8: ≤ 1 MB minified per function, init ≤ 150 ms).
 * Bundles each handler with the same esbuild settings as the CDK `AutoscalerFunction` (ESM,
 * node24, minified with names kept, the AWS SDK v3 left to the Lambda runtime), then imports each
 * bundle in a fresh Node process with the environment the construct sets (no run-time source maps,
 * the construct's default), timing the import.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type BenchTable, median } from './bench-table.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, 'out', 'bench-bundles');
const HANDLERS = ['dispatcher', 'scale-job'] as const;
const BUNDLE_BUDGET_BYTES = 1024 * 1024;
const INIT_BUDGET_MS = 150;

/** The environment the CDK construct gives the functions (values for a bench, no real resources). */
export const RUNTIME_ENVIRONMENT = {
  FSA_TABLE_NAME: 'fsa-state',
  FSA_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fsa-jobs',
  FSA_CLUSTERS: JSON.stringify([{ name: 'prod', region: 'eu-west-1' }]),
  FSA_DEPLOYMENT_DEFAULTS: '{}',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'bench-only-not-a-secret',
  POWERTOOLS_METRICS_NAMESPACE: 'FlinkServerlessAutoscaler',
  POWERTOOLS_SERVICE_NAME: 'flink-serverless-autoscaler',
};

/** Bundles one handler; returns the output file. */
export async function bundleHandler(name: (typeof HANDLERS)[number]): Promise<string> {
  return (await bundleWithImports(name)).file;
}

/**
 * Bundles one handler; returns the output file and the AWS SDK packages it imports at module
 * scope (static imports of the externals, which the Lambda runtime provides).
 */
async function bundleWithImports(name: (typeof HANDLERS)[number]): Promise<{ file: string; sdkImports: string[] }> {
  mkdirSync(OUT, { recursive: true });
  const outfile = join(OUT, `${name}.mjs`);
  const result = await build({
    entryPoints: [join(ROOT, 'functions', name, 'handler.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    keepNames: true,
    external: ['@aws-sdk/*'],
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire as __fsaCreateRequire } from 'node:module'; const require = __fsaCreateRequire(import.meta.url);",
    },
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const sdkImports = [
    ...new Set(
      output.imports
        .filter((i) => i.external && i.kind === 'import-statement' && i.path.startsWith('@aws-sdk/'))
        .map((i) => i.path),
    ),
  ];
  return { file: outfile, sdkImports };
}

/** Milliseconds to import the modules in a fresh process, in order (module scope = Lambda init). */
function importTimeMs(...modules: string[]): number {
  const imports = modules.map((m) => `await import(${JSON.stringify(m)});`).join(' ');
  const script = `const t = performance.now(); ${imports} console.log(performance.now() - t);`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...RUNTIME_ENVIRONMENT },
    cwd: ROOT,
    encoding: 'utf8',
  });
  return Number(output.trim().split('\n').at(-1));
}

export async function benchLambdaBundles(runs = 11): Promise<BenchTable> {
  const rows: string[][] = [];
  for (const name of HANDLERS) {
    const { file, sdkImports } = await bundleWithImports(name);
    const bytes = statSync(file).size;
    const gzipBytes = gzipSync(readFileSync(file)).length;
    importTimeMs(file); // first run warms the OS file cache
    const times: number[] = [];
    const sdkTimes: number[] = [];
    // Interleaved, so a change in the machine's load touches both alike.
    for (let run = 0; run < runs; run++) {
      times.push(importTimeMs(file));
      sdkTimes.push(importTimeMs(...sdkImports));
    }
    const initMs = median(times);
    const sdkMs = median(sdkTimes);
    rows.push([
      name,
      `${(bytes / 1024).toFixed(1)} KB`,
      `${(gzipBytes / 1024).toFixed(1)} KB`,
      bytes <= BUNDLE_BUDGET_BYTES ? 'yes' : 'NO',
      initMs.toFixed(1),
      `${sdkMs.toFixed(1)} (${sdkImports.map((i) => i.replace('@aws-sdk/', '')).join(', ')})`,
      initMs <= INIT_BUDGET_MS ? 'yes' : 'NO',
    ]);
  }
  return {
    title: 'Lambda bundles (esbuild as in the CDK construct; AWS SDK v3 from the runtime)',
    headers: ['function', 'bundle (minified)', 'gzip', '≤ 1 MB', 'module init median ms', 'of which the SDK clients it imports, median ms', '≤ 150 ms'],
    rows,
    notes: [
      `Init = importing the bundle in a fresh Node process with the construct's environment (median of ${runs}). ` +
        'The SDK column imports only the AWS SDK packages the bundle imports at module scope, in a fresh process, interleaved with the bundle runs: ' +
        'the part of the init that loads the runtime\'s SDK rather than the bundle\'s own code.',
    ],
  };
}
