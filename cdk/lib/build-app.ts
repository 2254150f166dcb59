import { type App, Validations } from 'aws-cdk-lib';
import nag from 'cdk-nag';
import { AutoscalerStack } from './autoscaler-stack.ts';
import { readStageConfig } from './stage-config.ts';

/**
 * Instantiates the stack from the app's context. Separate from `bin/app.ts` so tests synthesize the
 * same app in-process.
 *
 * The environment: context `account`/`region` first, else `CDK_DEFAULT_ACCOUNT`/`CDK_DEFAULT_REGION`,
 * which the CDK CLI sets from the caller's credentials and profile. A resolved region lets the
 * stack tell a cluster in its own region (a CloudFormation access entry) from one elsewhere (a
 * custom resource in that region); without one, clusters with an explicit region fail synth.
 */
export function buildApp(
  app: App,
  processEnv: Readonly<Record<string, string | undefined>> = process.env,
): App {
  const config = readStageConfig(app.node);
  const account = config.env.account ?? nonEmpty(processEnv['CDK_DEFAULT_ACCOUNT']);
  const region = config.env.region ?? nonEmpty(processEnv['CDK_DEFAULT_REGION']);
  new AutoscalerStack(app, config.stackName, {
    config,
    description: 'Flink Serverless Autoscaler: FLIP-271 autoscaling and memory tuning for Flink on EKS',
    ...(account || region ? { env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } } : {}),
  });
  // Every synth checks the AwsSolutions rules; a new unacknowledged finding fails `cdk synth`.
  Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app));
  return app;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
