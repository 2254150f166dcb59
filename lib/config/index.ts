export * from './excluded-periods.ts';
export * from './flatten-configuration.ts';
export * from './option-configuration.ts';
export * from './option-definitions.ts';
export type * from './option-values.ts';
export * from './options-doc.ts';
export * from './options-error.ts';
export * from './resolve-options.ts';
export * from './value-parsers.ts';
