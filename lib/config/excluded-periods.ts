// IN PROGRESS (executor helper): Quartz cron + daily ranges, parsed and checked in an explicit zone.
export interface ExcludedPeriod {
  readonly text: string;
}
export function parseExcludedPeriods(periods: readonly string[], _timeZone: string): ExcludedPeriod[] {
  return periods.map((text) => ({ text }));
}
