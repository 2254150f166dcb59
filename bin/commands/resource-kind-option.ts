import type { ResourceKind } from '../../lib/domain/index.ts';

const KINDS: Record<string, ResourceKind> = {
  flinkdeployment: 'FlinkDeployment',
  flinksessionjob: 'FlinkSessionJob',
};

/** The `--kind` option of the commands that address one resource, case-insensitive. */
export function parseResourceKindOption(value: string): ResourceKind {
  const kind = KINDS[value.toLowerCase()];
  if (!kind) throw new Error(`--kind must be FlinkDeployment or FlinkSessionJob, got '${value}'`);
  return kind;
}
