/**
 * Excluded periods (`job.autoscaler.excluded.periods`, docs/algorithm.md §5.2): time windows in which scaling is
 * evaluated and reported but never executed.
 *
 * Each entry is one of
 * - a Quartz cron expression (6 or 7 fields: sec min hour day-of-month month day-of-week [year]),
 * - a daily range `HH:mm:ss-HH:mm:ss` (Quartz `DailyCalendar` syntax `HH:mm[:ss[:SSS]]`),
 * - `daily && cron` (exactly one of each; the instant must be inside both).
 *
 * An instant is excluded when any entry contains it. Unlike the operator, which uses the JVM
 * default zone of its pod (docs/algorithm.md §11 #16), every entry is evaluated in an explicit IANA time zone.
 *
 * Cron matching is delegated to `croner`; this module only translates Quartz syntax into croner's
 * (Quartz weekday numbering, `L` as a day-of-week, seconds/year fields) and rejects what Quartz
 * rejects, so a configuration the operator accepts behaves the same here.
 */
import { Cron } from 'croner';
import { FieldError } from '../domain/field-error.ts';

const PERIODS_KEY = 'job.autoscaler.excluded.periods';
const TIME_ZONE_KEY = 'job.autoscaler.excluded.periods.time-zone';

/**
 * An excluded-period entry or time zone that cannot be used. Names the configuration key, the
 * offending value and what is allowed.
 */
export class InvalidExcludedPeriodError extends FieldError {
  override readonly name = 'InvalidExcludedPeriodError';

  /** `field` is the configuration key; `value` the offending entry (or part of it) as written. */
  constructor(field: string, value: string, allowed: string, options?: { cause?: unknown }) {
    super(`Invalid ${field} entry '${value}': ${allowed}`, { field, value, allowed }, options);
  }
}

/** A daily time range, inclusive at both ends, in milliseconds after local midnight. */
export interface DailyRange {
  readonly startMsOfDay: number;
  readonly endMsOfDay: number;
}

/** One parsed entry. An instant is inside the entry when it is inside every part present. */
export interface ExcludedPeriod {
  /** The entry as configured. */
  readonly text: string;
  /** IANA zone in which the entry is evaluated. */
  readonly timeZone: string;
  readonly daily?: DailyRange;
  /** Croner matcher built from the translated Quartz expression. */
  readonly cron?: Cron;
}

/**
 * Parses every entry of `job.autoscaler.excluded.periods` for evaluation in `timeZone`.
 *
 * @throws {InvalidExcludedPeriodError} on the first invalid entry or an unknown time zone.
 */
export function parseExcludedPeriods(periods: readonly string[], timeZone: string): ExcludedPeriod[] {
  assertTimeZone(timeZone);
  return periods.map((text) => parseEntry(text, timeZone));
}

/**
 * The first entry containing the instant `nowMs` (epoch ms), or undefined when scaling may run.
 */
export function findExcludedPeriod(
  periods: readonly ExcludedPeriod[],
  nowMs: number,
): ExcludedPeriod | undefined {
  return periods.find((period) => isInPeriod(period, nowMs));
}

/** Whether the instant `nowMs` (epoch ms) lies inside any of the parsed periods. */
export function isInExcludedPeriod(periods: readonly ExcludedPeriod[], nowMs: number): boolean {
  return findExcludedPeriod(periods, nowMs) !== undefined;
}

function isInPeriod(period: ExcludedPeriod, nowMs: number): boolean {
  if (period.daily && !isInDailyRange(period.daily, msOfDayInZone(nowMs, period.timeZone))) return false;
  if (period.cron && !period.cron.match(new Date(nowMs))) return false;
  return true;
}

function isInDailyRange(range: DailyRange, msOfDay: number): boolean {
  return msOfDay >= range.startMsOfDay && msOfDay <= range.endMsOfDay;
}

// --- entries -------------------------------------------------------------------------------

const DAILY_PART = /^[0-9:]+\s*-\s*[0-9:]+$/;

function parseEntry(text: string, timeZone: string): ExcludedPeriod {
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new InvalidExcludedPeriodError(PERIODS_KEY, text, 'an entry must not be empty');
  }
  const parts = trimmed.split('&&').map((part) => part.trim());
  if (parts.length > 2) {
    throw new InvalidExcludedPeriodError(
      PERIODS_KEY,
      text,
      'at most two parts joined by &&: one daily range and one cron expression',
    );
  }
  const dailyParts = parts.filter((part) => DAILY_PART.test(part));
  const cronParts = parts.filter((part) => !DAILY_PART.test(part));
  if (dailyParts.length > 1 || cronParts.length > 1) {
    throw new InvalidExcludedPeriodError(
      PERIODS_KEY,
      text,
      'two parts joined by && must be one daily range (HH:mm:ss-HH:mm:ss) and one Quartz cron expression',
    );
  }
  const daily = dailyParts[0] === undefined ? undefined : parseDailyRange(dailyParts[0]);
  const cron = cronParts[0] === undefined ? undefined : parseQuartzCron(cronParts[0], timeZone);
  return { text, timeZone, ...(daily ? { daily } : {}), ...(cron ? { cron } : {}) };
}

// --- daily ranges (Quartz DailyCalendar) ------------------------------------------------------

const TIME_OF_DAY = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?::(\d{1,3}))?)?$/;

/** Parses `start-end`; start must be strictly before end (a range never spans midnight). */
function parseDailyRange(part: string): DailyRange {
  const [startText = '', endText = ''] = part.split('-').map((s) => s.trim());
  const startMsOfDay = parseTimeOfDay(startText, part);
  const endMsOfDay = parseTimeOfDay(endText, part);
  if (startMsOfDay >= endMsOfDay) {
    throw new InvalidExcludedPeriodError(
      PERIODS_KEY,
      part,
      'the start of a daily range must be before its end (ranges cannot span midnight; use two entries)',
    );
  }
  return { startMsOfDay, endMsOfDay };
}

function parseTimeOfDay(text: string, part: string): number {
  const match = TIME_OF_DAY.exec(text);
  if (!match) {
    throw new InvalidExcludedPeriodError(
      PERIODS_KEY,
      part,
      `'${text}' is not a time of day HH:mm[:ss[:SSS]]`,
    );
  }
  const [hours, minutes, seconds, millis] = match.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as [
    number,
    number,
    number,
    number,
  ];
  if (hours > 23 || minutes > 59 || seconds > 59) {
    throw new InvalidExcludedPeriodError(
      PERIODS_KEY,
      part,
      `'${text}' is out of range: hours 0-23, minutes 0-59, seconds 0-59`,
    );
  }
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}

// --- Quartz cron → croner ---------------------------------------------------------------------

const FIELD_NAMES = ['seconds', 'minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'] as const;
const QUARTZ_CHARS = /^[0-9A-Z*?,\-/#]+$/;

/**
 * Translates a Quartz expression and builds a croner matcher for it. Croner options: seconds and
 * optional year (`6-or-7-parts`), Quartz weekday numbers 1=SUN..7=SAT (`alternativeWeekdays`),
 * Quartz `start/step` steps (`sloppyRanges`) and AND of day-of-month/day-of-week (Quartz requires
 * one of them to be `?`, so AND with a wildcard is exactly Quartz's meaning).
 */
function parseQuartzCron(expression: string, timeZone: string): Cron {
  const fields = expression.toUpperCase().split(/\s+/);
  if (fields.length !== 6 && fields.length !== 7) {
    throw new InvalidExcludedPeriodError(
      PERIODS_KEY,
      expression,
      `a Quartz cron expression has 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), found ${fields.length}`,
    );
  }
  fields.forEach((field, index) => {
    if (!QUARTZ_CHARS.test(field)) {
      throw new InvalidExcludedPeriodError(
        PERIODS_KEY,
        expression,
        `${FIELD_NAMES[index]} field '${field}' may only contain digits, names and * ? , - / L W #`,
      );
    }
    if (field.includes('?') && index !== 3 && index !== 5) {
      throw new InvalidExcludedPeriodError(
        PERIODS_KEY,
        expression,
        `'?' is only allowed in the day-of-month or day-of-week field, not in ${FIELD_NAMES[index]}`,
      );
    }
  });
  const dayOfMonth = fields[3] as string;
  const dayOfWeek = fields[5] as string;
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    throw new InvalidExcludedPeriodError(
      PERIODS_KEY,
      expression,
      "exactly one of day-of-month and day-of-week must be '?' (Quartz does not support both)",
    );
  }
  if (/^L-\d+/.test(dayOfMonth)) {
    throw new InvalidExcludedPeriodError(
      PERIODS_KEY,
      expression,
      "offsets from the last day of the month ('L-n') are not supported; list the days instead",
    );
  }
  fields[5] = translateDayOfWeek(dayOfWeek, expression);
  if (fields[6] !== undefined) checkNumbers(fields[6], 1970, 2099, 'year', expression);
  try {
    return new Cron(fields.join(' '), {
      paused: true,
      timezone: timeZone,
      mode: '6-or-7-parts',
      alternativeWeekdays: true,
      sloppyRanges: true,
      domAndDow: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern:\s*/, '') : String(error);
    throw new InvalidExcludedPeriodError(
      PERIODS_KEY,
      expression,
      `not a valid Quartz cron expression (${reason})`,
      {
        cause: error,
      },
    );
  }
}

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/**
 * Quartz day-of-week → croner with `alternativeWeekdays`: `L` alone means Saturday (7), `nL` is
 * the last weekday n of the month (croner `n#L`). Numbers must be 1..7, `#` occurrences 1..5;
 * croner would otherwise read 8 as a weekday.
 */
function translateDayOfWeek(field: string, expression: string): string {
  if (field === '?' || field === '*') return field;
  if (field === 'L') return '7';
  return field
    .split(',')
    .map((item) => {
      const last = /^([0-9A-Z]+)L$/.exec(item);
      if (last) {
        checkDayOfWeekValue(last[1] as string, expression);
        return `${last[1]}#L`;
      }
      const nth = /^([0-9A-Z]+)#(\d+)$/.exec(item);
      if (nth) {
        checkDayOfWeekValue(nth[1] as string, expression);
        checkNumbers(nth[2] as string, 1, 5, 'day-of-week occurrence (#)', expression);
        return item;
      }
      for (const token of item.split(/[-/]/)) {
        if (token !== '*' && token !== '') checkDayOfWeekValue(token, expression);
      }
      return item;
    })
    .join(',');
}

function checkDayOfWeekValue(token: string, expression: string): void {
  if (DAY_NAMES.includes(token)) return;
  checkNumbers(token, 1, 7, 'day-of-week (1=SUN..7=SAT or SUN-SAT)', expression);
}

function checkNumbers(field: string, min: number, max: number, what: string, expression: string): void {
  for (const token of field.split(/[,\-/]/)) {
    if (token === '*' || token === '?') continue;
    const value = /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (!(value >= min && value <= max)) {
      throw new InvalidExcludedPeriodError(
        PERIODS_KEY,
        expression,
        `${what} value '${token}' is outside ${min}-${max}`,
      );
    }
  }
}

// --- time zones -------------------------------------------------------------------------------

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = FORMATTERS.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    FORMATTERS.set(timeZone, formatter);
  }
  return formatter;
}

function assertTimeZone(timeZone: string): void {
  try {
    formatterFor(timeZone);
  } catch (error) {
    throw new InvalidExcludedPeriodError(
      TIME_ZONE_KEY,
      timeZone,
      'an IANA time zone such as UTC or Europe/Berlin',
      {
        cause: error,
      },
    );
  }
}

/** Milliseconds since local midnight of `epochMs` in `timeZone`. */
function msOfDayInZone(epochMs: number, timeZone: string): number {
  let hours = 0;
  let minutes = 0;
  let seconds = 0;
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type === 'hour') hours = Number(part.value);
    else if (part.type === 'minute') minutes = Number(part.value);
    else if (part.type === 'second') seconds = Number(part.value);
  }
  const millis = ((epochMs % 1000) + 1000) % 1000;
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}
