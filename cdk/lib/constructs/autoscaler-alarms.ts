import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DIMENSION, METRICS_NAMESPACE, RUN_METRIC } from '../../../lib/adapters/cloudwatch/metric-catalog.ts';
import { assertIntegerInRange } from '../validation.ts';

/** Props of {@link AutoscalerAlarms}. */
export interface AutoscalerAlarmsProps {
  /** `Service` dimension value of the run metrics. */
  readonly serviceName: string;
  readonly deadLetterQueue: IQueue;
  /** Topic notified on ALARM and OK. @default no notification (alarms visible in the console only) */
  readonly topic?: ITopic;
  /** Period of every alarm. @default Duration.minutes(5) */
  readonly period?: Duration;
  /**
   * Periods with errors, out of {@link errorEvaluationPeriods}, before the errors alarm fires: a single
   * failing job cycle (a job being redeployed) should not page anyone.
   * @default 2
   */
  readonly errorDatapointsToAlarm?: number;
  /** @default 3 */
  readonly errorEvaluationPeriods?: number;
  /**
   * Consecutive periods without any `JobsEvaluated` before the stale-evaluations alarm fires. Set to 0
   * to disable it (e.g. while no job is labelled for autoscaling yet: the alarm assumes at least one).
   * @default 3
   */
  readonly staleEvaluationPeriods?: number;
  /**
   * Whether to alarm when a job stays not ready longer than it can by design (the worker counts it
   * in `StuckJobs` once it is not ready past its stabilization interval + metric window + three
   * cadences + 10 minutes). @default true
   */
  readonly stuckJobsAlarm?: boolean;
  /** @default METRICS_NAMESPACE */
  readonly namespace?: string;
}

/** Defaults of {@link AutoscalerAlarmsProps}. */
export function defaultAutoscalerAlarmsProps() {
  return {
    period: Duration.minutes(5),
    errorDatapointsToAlarm: 2,
    errorEvaluationPeriods: 3,
    staleEvaluationPeriods: 3,
    stuckJobsAlarm: true,
    namespace: METRICS_NAMESPACE,
  };
}

/** Alarms on autoscaler errors, dead-lettered jobs and stale evaluations. */
export class AutoscalerAlarms extends Construct {
  readonly errors: Alarm;
  readonly deadLetters: Alarm;
  /** Undefined when disabled with `staleEvaluationPeriods: 0`. */
  readonly staleEvaluations?: Alarm;
  /** Undefined when disabled with `stuckJobsAlarm: false`. */
  readonly stuckJobs?: Alarm;

  constructor(scope: Construct, id: string, props: AutoscalerAlarmsProps) {
    super(scope, id);
    const defaults = defaultAutoscalerAlarmsProps();
    const period = props.period ?? defaults.period;
    const namespace = props.namespace ?? defaults.namespace;
    const errorEvaluationPeriods = props.errorEvaluationPeriods ?? defaults.errorEvaluationPeriods;
    const errorDatapoints = props.errorDatapointsToAlarm ?? defaults.errorDatapointsToAlarm;
    const stalePeriods = props.staleEvaluationPeriods ?? defaults.staleEvaluationPeriods;
    assertIntegerInRange('errorEvaluationPeriods', errorEvaluationPeriods, 1, 100);
    assertIntegerInRange('errorDatapointsToAlarm', errorDatapoints, 1, errorEvaluationPeriods);
    assertIntegerInRange('staleEvaluationPeriods', stalePeriods, 0, 100);

    const runMetric = (name: string) =>
      new Metric({
        namespace,
        metricName: name,
        dimensionsMap: { [DIMENSION.service]: props.serviceName },
        statistic: 'Sum',
        period,
      });

    this.errors = new Alarm(this, 'Errors', {
      alarmDescription:
        'Autoscaler runs report errors (failed job cycles or dispatcher failures). See the worker logs.',
      metric: runMetric(RUN_METRIC.ERRORS.name),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: errorEvaluationPeriods,
      datapointsToAlarm: errorDatapoints,
      // No data means no run reported errors.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetters = new Alarm(this, 'DeadLetters', {
      alarmDescription: 'Job messages reached the dead-letter queue: a job failed every retry of a tick.',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: 'Maximum',
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (stalePeriods > 0) {
      this.staleEvaluations = new Alarm(this, 'StaleEvaluations', {
        alarmDescription:
          'No job was evaluated recently: the schedule, the dispatcher or cluster access may be broken.',
        metric: runMetric(RUN_METRIC.JOBS_EVALUATED.name),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: stalePeriods,
        // A silent autoscaler emits no data at all: that is exactly the failure to catch.
        treatMissingData: TreatMissingData.BREACHING,
      });
    }

    if (props.stuckJobsAlarm ?? defaults.stuckJobsAlarm) {
      this.stuckJobs = new Alarm(this, 'StuckJobs', {
        alarmDescription:
          'A job has been not ready for longer than stabilization + metric window + a margin: the autoscaler ' +
          'cannot evaluate it. `fsa status` names the job, for how long and why (metric window not full, ' +
          'no Flink metrics, resource not ready, …).',
        metric: runMetric(RUN_METRIC.STUCK_JOBS.name).with({ statistic: 'Maximum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // The worker only counts a job as stuck once it is past its own limit: one period is enough.
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    }

    if (props.topic) {
      const action = new SnsAction(props.topic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  /** Every alarm of this construct. */
  get alarms(): Alarm[] {
    return [
      this.errors,
      this.deadLetters,
      ...(this.staleEvaluations ? [this.staleEvaluations] : []),
      ...(this.stuckJobs ? [this.stuckJobs] : []),
    ];
  }
}
