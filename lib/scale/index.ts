export * from './align-parallelism.ts';
export * from './compute-vertex-parallelism.ts';
export * from './delayed-scale-down.ts';
export * from './describe-vertex-decision.ts';
export * from './ineffective-scaling.ts';
export * from './scalability-coefficient.ts';
export * from './scale-input-error.ts';
export * from './scale-parallelism.ts';
