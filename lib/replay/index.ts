export * from './replay-engine.ts';
export * from './replay-options.ts';
export * from './replay-totals.ts';
export * from './replay-types.ts';
