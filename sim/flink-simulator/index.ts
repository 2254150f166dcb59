export * from './flink-simulator.ts';
export * from './flow-model.ts';
export * from './load-profile.ts';
export * from './parse-scenario.ts';
export * from './rest-responses.ts';
export type * from './scenario.ts';
export * from './scenario-schema.ts';
export * from './simulated-cluster.ts';
export * from './withheld-metrics.ts';
