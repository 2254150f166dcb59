export * from './update-metric-window.ts';
