export * from './compute-sample.ts';
export * from './global-sample-metrics.ts';
export * from './metric-window.ts';
export * from './observed-tpr.ts';
export * from './scaling-tracking.ts';
export * from './window-math.ts';
