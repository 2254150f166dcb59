import { type App, Validations } from 'aws-cdk-lib';
import nag from 'cdk-nag';
import { AutoscalerStack } from './autoscaler-stack.ts';
import { readStageConfig } from './stage-config.ts';

/**
 * Instantiates the stack from the app's context. Separate from `bin/app.ts` so tests synthesize the
 * same app in-process.
 */
export function buildApp(app: App): App {
  const config = readStageConfig(app.node);
  new AutoscalerStack(app, config.stackName, {
    config,
    description: 'Flink Serverless Autoscaler: FLIP-271 autoscaling and memory tuning for Flink on EKS',
    ...(config.env.account || config.env.region ? { env: config.env } : {}),
  });
  // Every synth checks the AwsSolutions rules; a new unacknowledged finding fails `cdk synth`.
  Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app));
  return app;
}
