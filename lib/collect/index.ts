export * from './compute-sample.ts';
export * from './global-sample-metrics.ts';
export * from './observed-tpr.ts';
