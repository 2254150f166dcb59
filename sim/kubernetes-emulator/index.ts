export * from './crd-validator.ts';
export * from './kubernetes-emulator.ts';
export * from './label-selector.ts';
export * from './parallelism-overrides.ts';
