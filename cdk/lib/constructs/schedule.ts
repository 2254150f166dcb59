import { Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { AutoscalerConfigError, assertIntegerInRange } from '../validation.ts';

/** Props of {@link Schedule}. */
export interface ScheduleProps {
  /** The function to invoke on every tick (the dispatcher). */
  readonly target: IFunction;
  /**
   * Tick interval, in whole minutes. One minute matches the operator's default reconcile cadence and
   * the metric window resolution.
   * @default Duration.minutes(1)
   */
  readonly rate?: Duration;
  /** @default true */
  readonly enabled?: boolean;
}

/** Defaults of {@link ScheduleProps}. */
export function defaultScheduleProps() {
  return { rate: Duration.minutes(1), enabled: true };
}

/** EventBridge Scheduler expression for a whole number of minutes (`rate(1 minute)`, `rate(5 minutes)`). */
export function rateExpression(rate: Duration): string {
  const minutes = rate.toMinutes({ integral: false });
  if (!Number.isInteger(minutes)) {
    throw new AutoscalerConfigError(
      `scheduleRate must be a whole number of minutes, got ${rate.toHumanString()}`,
    );
  }
  assertIntegerInRange('scheduleRate (minutes)', minutes, 1, 60);
  return `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}

/**
 * An EventBridge Scheduler schedule that invokes the dispatcher, with its own role allowed to invoke
 * only that function. A missed tick is not retried: the next tick does the same work with fresher data.
 */
export class Schedule extends Construct {
  readonly schedule: CfnSchedule;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ScheduleProps) {
    super(scope, id);
    const defaults = defaultScheduleProps();
    const expression = rateExpression(props.rate ?? defaults.rate);

    this.role = new Role(this, 'Role', {
      // The source-account condition stops another account's schedule from using this role
      // (confused deputy).
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets EventBridge Scheduler invoke the autoscaler dispatcher',
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.target.functionArn] }),
    );

    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: 'Flink Serverless Autoscaler tick',
      scheduleExpression: expression,
      flexibleTimeWindow: { mode: 'OFF' },
      state: (props.enabled ?? defaults.enabled) ? 'ENABLED' : 'DISABLED',
      target: {
        arn: props.target.functionArn,
        roleArn: this.role.roleArn,
        retryPolicy: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 60 },
        // Scheduler sends no event of its own; the tick's identity is its scheduled time, so a
        // late or repeated invocation is recognised as the same tick (dispatcher-handler.ts).
        input: JSON.stringify({ time: '<aws.scheduler.scheduled-time>' }),
      },
    });
  }
}
