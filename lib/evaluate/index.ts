export * from './backlog-drained.ts';
export * from './evaluate-metrics.ts';
export * from './evaluation-error.ts';
export * from './global-metrics.ts';
export * from './step-target-rate.ts';
export * from './target-capacity.ts';
