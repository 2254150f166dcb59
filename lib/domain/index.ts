export * from './autoscaler-event.ts';
export * from './evaluated-metrics.ts';
export * from './job-key.ts';
export * from './job-state.ts';
export type * from './metric-names.ts';
export * from './metric-sample.ts';
export * from './resources.ts';
export * from './scaling-decision.ts';
export * from './topology.ts';
