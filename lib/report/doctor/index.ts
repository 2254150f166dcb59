export * from './cluster-checks.ts';
export * from './doctor-check.ts';
export * from './job-checks.ts';
export * from './operator-checks.ts';
export * from './required-permissions.ts';
