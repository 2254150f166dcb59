/** Shared helpers for the CDK tests: stacks without bundling, and cdk-nag findings as data. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import nag from 'cdk-nag';

/** A handler entry that exists, for constructs that need one. */
export const TEST_ENTRY = fileURLToPath(new URL('../../functions/scale-job/handler.ts', import.meta.url));

/**
 * A stack in a fixed environment whose NodejsFunctions are not bundled (`aws:cdk:bundling-stacks`
 * empty): construct tests assert the template, not the bundle, and stay fast.
 */
export function testStack(options: { bundle?: boolean; region?: string | null } = {}): Stack {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'fsa-cdk-')),
    context: options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] },
  });
  // `region: null` makes an environment-agnostic stack (account and region resolved at deploy time).
  if (options.region === null) return new Stack(app, 'Test');
  return new Stack(app, 'Test', { env: { account: '123456789012', region: options.region ?? 'eu-west-1' } });
}

/** Unacknowledged AwsSolutions findings of a construct tree, as `rule @ path` strings. */
export function awsSolutionsFindings(scope: Stack): string[] {
  const report = new nag.AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
  );
}
