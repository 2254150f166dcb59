/** Text renderings of a cost estimate (`fsa cost`, the cost benchmark). */
import type { FleetCostEstimate, ServiceCost } from './cost-model.ts';

/** Dollars with the digits a small amount needs: $0.0042, $0.123, $12.34. */
export function formatUsd(usd: number): string {
  const abs = Math.abs(usd);
  const digits = abs === 0 ? 2 : abs < 0.01 ? 4 : abs < 1 ? 3 : 2;
  return `$${usd.toFixed(digits)}`;
}

function formatQuantity(quantity: number): string {
  if (quantity === 0) return '0';
  if (Math.abs(quantity) >= 1000) return Math.round(quantity).toLocaleString('en-US');
  return Number(quantity.toPrecision(3)).toString();
}

function serviceLines(costs: readonly ServiceCost[], multiplier: number): string[] {
  const lines: string[] = [];
  for (const service of costs) {
    if (service.lines.length === 0) continue;
    lines.push(`  ${service.service.padEnd(34)} ${formatUsd(service.usdPerMonth * multiplier).padStart(12)}`);
    for (const line of service.lines) {
      const quantity = `${formatQuantity(line.quantity * multiplier)} ${line.unit}`;
      lines.push(`    ${line.item.padEnd(44)} ${quantity.padStart(20)} ${formatUsd(line.usdPerMonth * multiplier).padStart(12)}`);
    }
  }
  return lines;
}

/** The estimate as a human-readable report: per job, fleet fixed, total. */
export function formatEstimate(estimate: FleetCostEstimate): string {
  const { fleet, usage } = estimate;
  const cadenceSeconds = fleet.cadenceMs / 1000;
  return [
    `Fleet: ${fleet.jobs} job(s) × ${fleet.vertices} vertices, one cycle every ${cadenceSeconds} s ` +
      `(${Math.round(estimate.cyclesPerJobMonth).toLocaleString('en-US')} cycles per job and month), ` +
      `DynamoDB ${fleet.billing}, ${fleet.detailedJobs} job(s) with detailed metrics.`,
    `Per job-cycle: ${formatQuantity(usage.workerBilledMs)} billed worker ms, ${formatQuantity(usage.sqsRequests)} SQS requests, ` +
      `${formatQuantity(usage.dynamoReadUnits)} RRU + ${formatQuantity(usage.dynamoWriteUnits)} WRU, ` +
      `${formatQuantity(usage.logBytes)} log bytes, ${usage.customMetrics} custom metrics per job.`,
    '',
    `Per job and month: ${formatUsd(estimate.perJobUsdPerMonth)}`,
    ...serviceLines(estimate.perJob, 1),
    ...(fleet.detailedJobs > 0
      ? ['', `Detailed metrics, extra per job and month: ${formatUsd(estimate.detailedExtraUsdPerJobMonth)}`]
      : []),
    '',
    `Fleet fixed per month: ${formatUsd(estimate.fleetFixedUsdPerMonth)}`,
    ...serviceLines(estimate.fleetFixed, 1),
    '',
    `Total per month: ${formatUsd(estimate.totalUsdPerMonth)} ` +
      `(${fleet.jobs} × ${formatUsd(estimate.perJobUsdPerMonth)}` +
      `${fleet.detailedJobs > 0 ? ` + ${fleet.detailedJobs} × ${formatUsd(estimate.detailedExtraUsdPerJobMonth)}` : ''}` +
      ` + ${formatUsd(estimate.fleetFixedUsdPerMonth)} fixed)`,
  ].join('\n');
}
