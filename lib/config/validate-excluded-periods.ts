import { parseExcludedPeriods } from './excluded-periods.ts';

/** Returns why the excluded periods cannot be parsed, or undefined when they are valid. */
export function validateExcludedPeriods(periods: readonly string[], timeZone: string): string | undefined {
  try {
    parseExcludedPeriods(periods, timeZone);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
