/**
 * `cdk synth` through the real CDK CLI, offline and without an AWS account, exactly as a user
 * runs it. Guards what an in-process `app.synth()` cannot see: the CLI must be able to read the
 * cloud assembly aws-cdk-lib writes (their schema versions move independently).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('npx cdk synth', () => {
  it('synthesizes the stack offline with the CLI the project pins', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'fsa-cdk-out-'));
    const cli = join(ROOT, 'node_modules', '.bin', 'cdk');
    execFileSync(cli, ['synth', '--quiet', '--output', outdir, '-c', 'clusters=["prod-eu"]'], {
      cwd: ROOT,
      // No credentials and no network: synth must not need either.
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_PROFILE: '',
        CDK_DISABLE_VERSION_CHECK: '1',
      },
      stdio: 'pipe',
      timeout: 180_000,
    });
    const templates = readdirSync(outdir).filter((file) => file.endsWith('.template.json'));
    expect(templates).toHaveLength(1);
    const template = JSON.parse(readFileSync(join(outdir, templates[0]!), 'utf8')) as {
      Resources: Record<string, { Type: string }>;
    };
    const types = new Set(Object.values(template.Resources).map((resource) => resource.Type));
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::SQS::Queue',
      'AWS::Lambda::Function',
      'AWS::Scheduler::Schedule',
      'AWS::EKS::AccessEntry',
      'AWS::CloudWatch::Dashboard',
    ]) {
      expect(types, type).toContain(type);
    }
  }, 200_000);
});
