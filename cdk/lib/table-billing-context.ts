/**
 * Context keys of the state table's billing (docs/architecture.md "State table billing"):
 * `tableBilling` = `provisioned` (default) or `on-demand`; with `provisioned`, `tableReadCapacity`
 * and `tableWriteCapacity` as `"<min>-<max>"` capacity units for auto scaling, and
 * `tableTargetUtilization` in percent.
 */
import { type CapacityRange, DEFAULT_PROVISIONED_CAPACITY, type StateTableBilling } from './constructs/state-table.ts';
import { AutoscalerConfigError } from './validation.ts';


/** Reads the billing keys; `get` returns undefined for a key that is not set. */
export function parseTableBilling(get: (key: string) => unknown): StateTableBilling {
  const mode = get('tableBilling');
  const text = mode === undefined ? 'provisioned' : String(mode).trim().toLowerCase();
  if (text === 'on-demand') {
    for (const key of ['tableReadCapacity', 'tableWriteCapacity', 'tableTargetUtilization']) {
      if (get(key) !== undefined) {
        throw new AutoscalerConfigError(`context "${key}" applies only with tableBilling=provisioned`);
      }
    }
    return { mode: 'on-demand' };
  }
  if (text !== 'provisioned') {
    throw new AutoscalerConfigError(
      `context "tableBilling" must be "on-demand" or "provisioned", got ${JSON.stringify(mode)}`,
    );
  }
  const target = get('tableTargetUtilization');
  const targetPercent = target === undefined ? undefined : Number(String(target).trim());
  if (targetPercent !== undefined && !Number.isInteger(targetPercent)) {
    throw new AutoscalerConfigError(
      `context "tableTargetUtilization" must be a whole percentage, got ${JSON.stringify(target)}`,
    );
  }
  return {
    mode: 'provisioned',
    readCapacity: parseRange(get('tableReadCapacity'), 'tableReadCapacity') ?? DEFAULT_PROVISIONED_CAPACITY.readCapacity,
    writeCapacity:
      parseRange(get('tableWriteCapacity'), 'tableWriteCapacity') ?? DEFAULT_PROVISIONED_CAPACITY.writeCapacity,
    ...(targetPercent !== undefined ? { targetUtilizationPercent: targetPercent } : {}),
  };
}

function parseRange(value: unknown, key: string): CapacityRange | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(String(value));
  if (!match) {
    throw new AutoscalerConfigError(
      `context "${key}" must be "<min>-<max>" capacity units, e.g. "5-200", got ${JSON.stringify(value)}`,
    );
  }
  return { min: Number(match[1]), max: Number(match[2]) };
}
