import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AutoscalerStack } from '../../cdk/lib/autoscaler-stack.ts';
import { buildApp } from '../../cdk/lib/build-app.ts';
import { readStageConfig } from '../../cdk/lib/stage-config.ts';
import { awsSolutionsFindings } from './cdk-test-support.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CDK_JSON = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as {
  app: string;
  context: Record<string, unknown>;
};

describe('AutoscalerStack', () => {
  it('creates an alarm topic only when alarmEmail is set, and passes cdk-nag', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = readStageConfig({
      tryGetContext: (key) =>
        ({ clusters: ['prod-eks'], alarmEmail: 'oncall@example.com', region: 'eu-west-1' })[key as string],
    });
    const stack = new AutoscalerStack(app, 'Fsa', {
      config,
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });
});

describe('the CDK app', () => {
  it('synthesizes offline in-process from the cdk.json context, bundles included', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'fsa-app-'));
    const app = buildApp(new App({ outdir, context: CDK_JSON.context }));

    const assembly = app.synth();

    const stack = assembly.getStackByName('FlinkServerlessAutoscaler');
    expect(stack.environment.account).toBe('unknown-account'); // environment-agnostic: no lookups
    const template = stack.template as { Resources: Record<string, { Type: string }> };
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::Lambda::Function')).toHaveLength(2);
    expect(readdirSync(outdir).filter((f) => f.startsWith('asset.'))).toHaveLength(2);
  });

  it('runs as `node cdk/bin/app.ts` (Node 24 type stripping), the way cdk.json launches it', () => {
    expect(CDK_JSON.app).toBe('node cdk/bin/app.ts');
    const outdir = mkdtempSync(join(tmpdir(), 'fsa-bin-'));

    execFileSync(process.execPath, ['cdk/bin/app.ts'], {
      cwd: ROOT,
      // Bundling is covered in-process above; here only the entry point and type stripping matter.
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ ...CDK_JSON.context, 'aws:cdk:bundling-stacks': [] }),
      },
      stdio: 'pipe',
    });

    expect(readdirSync(outdir)).toContain('FlinkServerlessAutoscaler.template.json');
  });
});
