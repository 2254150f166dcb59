export * from './emf-metrics-reporter.ts';
export * from './metric-catalog.ts';
