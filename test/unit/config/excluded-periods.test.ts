import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidExcludedPeriodError,
  isInExcludedPeriod,
  parseExcludedPeriods,
} from '../../../lib/config/excluded-periods.ts';
import { resolveOptions } from '../../../lib/config/resolve-options.ts';

/** 2023-12-14 is a Thursday (Quartz day-of-week 5). */
const THU_14_01_30_UTC = Date.UTC(2023, 11, 14, 14, 1, 30);
const SEC = 1000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('parseExcludedPeriods', () => {
  it.each([
    { name: 'daily range', periods: ['09:13:17-11:15:18'] },
    { name: 'daily range without seconds', periods: ['09:13-11:15'] },
    { name: 'daily range with millis', periods: ['09:13:17:250-11:15:18:999'] },
    { name: 'Quartz cron, 6 fields', periods: ['* * 9-17 ? * MON-FRI'] },
    { name: 'Quartz cron with year', periods: ['0 0 12 ? * 2 2030'] },
    { name: 'daily && cron', periods: ['* * * ? * 2,5 && 14:01:20-16:00:00'] },
    { name: 'cron && daily (either order)', periods: ['14:01:20-16:00:00 && * * * ? * 2,5'] },
    { name: 'last day of month', periods: ['* * * L * ?'] },
    { name: 'nearest weekday', periods: ['* * * 15W * ?'] },
    { name: 'second Friday', periods: ['* * * ? * 6#2'] },
    { name: 'last Friday', periods: ['* * * ? * 6L'] },
    { name: 'L alone as day-of-week (Saturday)', periods: ['* * * ? * L'] },
    { name: 'Quartz start/step', periods: ['0/15 * * ? * *'] },
    { name: 'lower-case names', periods: ['* * * ? jan-mar mon'] },
    { name: 'no periods', periods: [] },
  ])('accepts $name', ({ periods }) => {
    expect(parseExcludedPeriods(periods, 'UTC')).toHaveLength(periods.length);
  });

  it.each([
    { name: 'end before start', periods: ['09:13:17-08:15:18'], reason: /before its end/ },
    { name: 'equal start and end', periods: ['09:00:00-09:00:00'], reason: /before its end/ },
    { name: 'hour 25', periods: ['25:00:00-26:00:00'], reason: /out of range/ },
    { name: 'minute 60', periods: ['09:60:00-10:00:00'], reason: /out of range/ },
    { name: 'two dailies', periods: ['09:13:17-11:15:18 && 12:01:20-16:00:00'], reason: /one daily range/ },
    { name: 'two crons', periods: ['* * * ? * 2,5 && * * 11-13 * * ?'], reason: /one daily range/ },
    { name: 'three parts', periods: ['* * * ? * 2 && 09:00-10:00 && 11:00-12:00'], reason: /at most two/ },
    { name: 'day-of-week 5555', periods: ['* * * ? * 5555'], reason: /day-of-week/ },
    { name: 'day-of-week 0 (Quartz starts at 1)', periods: ['* * * ? * 0'], reason: /1-7/ },
    { name: 'day-of-week 8', periods: ['* * * ? * 8'], reason: /1-7/ },
    { name: 'occurrence #6', periods: ['* * * ? * 2#6'], reason: /1-5/ },
    { name: 'year before 1970', periods: ['* * * ? * * 1969'], reason: /1970-2099/ },
    { name: 'five fields (Unix cron)', periods: ['* * * * *'], reason: /6 or 7 fields/ },
    { name: 'both day fields set', periods: ['* * * * * *'], reason: /exactly one/ },
    { name: 'both day fields ?', periods: ['* * * ? * ?'], reason: /exactly one/ },
    { name: '? in hours', periods: ['* * ? * * ?'], reason: /only allowed/ },
    { name: 'croner-only + modifier', periods: ['* * * ? * +MON'], reason: /may only contain/ },
    { name: 'hour 24 in cron', periods: ['* * 24 ? * *'], reason: /not a valid Quartz cron/ },
    { name: 'L-n offset (unsupported)', periods: ['* * * L-3 * ?'], reason: /not supported/ },
    { name: 'empty entry', periods: [' '], reason: /empty/ },
    { name: 'second entry invalid', periods: ['09:13:17-11:15:18', '18:01:20-16:00:00'], reason: /before/ },
  ])('rejects $name', ({ periods, reason }) => {
    const act = () => parseExcludedPeriods(periods, 'UTC');
    expect(act).toThrow(InvalidExcludedPeriodError);
    expect(act).toThrow(reason);
  });

  it('names the field, value and what is allowed', () => {
    try {
      parseExcludedPeriods(['09:13:17-08:15:18'], 'UTC');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidExcludedPeriodError);
      const e = error as InvalidExcludedPeriodError;
      expect(e.field).toBe('job.autoscaler.excluded.periods');
      expect(e.value).toBe('09:13:17-08:15:18');
      expect(e.allowed).toMatch(/start .* before its end/);
    }
  });

  it('rejects an unknown time zone naming the time-zone key', () => {
    const act = () => parseExcludedPeriods([], 'Mars/Olympus_Mons');
    expect(act).toThrow(InvalidExcludedPeriodError);
    expect(act).toThrow(/excluded\.periods\.time-zone/);
  });

  it('makes resolveOptions fail on an invalid period', () => {
    expect(() => resolveOptions({ 'job.autoscaler.excluded.periods': '25:00:00-26:00:00' })).toThrow(
      /excluded\.periods/,
    );
  });
});

describe('isInExcludedPeriod', () => {
  it.each([
    // Thursday 14:01:30 UTC.
    {
      name: 'inside daily && Thursday cron',
      periods: ['* * * ? * 2,5 && 14:01:20-16:00:00'],
      at: 0,
      excluded: true,
    },
    {
      name: 'one day earlier (Wednesday)',
      periods: ['* * * ? * 2,5 && 14:01:20-16:00:00'],
      at: -DAY,
      excluded: false,
    },
    {
      name: 'inside second daily range',
      periods: ['09:13:17-11:15:18', '14:01:20-16:00:00'],
      at: 0,
      excluded: true,
    },
    // 14:01:10 is before 14:01:20.
    {
      name: '20 s earlier',
      periods: ['09:13:17-11:15:18', '14:01:20-16:00:00'],
      at: -20 * SEC,
      excluded: false,
    },
    // 10:01:30 is in 09:13:17-11:15:18.
    {
      name: '4 h earlier',
      periods: ['09:13:17-11:15:18', '14:01:20-16:00:00'],
      at: -4 * HOUR,
      excluded: true,
    },
    // 13:59:50 is outside hours 14-16.
    { name: '100 s earlier, cron hours', periods: ['* * 14-16 * * ?'], at: -100 * SEC, excluded: false },
    // Daily ranges include both ends: 14:01:20.000 and 16:00:00.000.
    { name: 'exact range start', periods: ['14:01:20-16:00:00'], at: -10 * SEC, excluded: true },
    { name: 'just after range end', periods: ['13:00:00-14:01:29'], at: -1 + 0, excluded: false },
    // Quartz day-of-week 5 = Thursday, 1 = Sunday.
    { name: 'Quartz weekday 5 is Thursday', periods: ['* * * ? * 5'], at: 0, excluded: true },
    { name: 'Quartz weekday 1 is Sunday', periods: ['* * * ? * 1'], at: 3 * DAY, excluded: true },
    // Saturday 2023-12-16 = Quartz L (alone) = 7.
    { name: 'L as day-of-week is Saturday', periods: ['* * * ? * L'], at: 2 * DAY, excluded: true },
    // Last Friday of December 2023 is the 29th.
    { name: 'last Friday', periods: ['* * * ? * 6L'], at: 15 * DAY, excluded: true },
    { name: 'not the last Friday', periods: ['* * * ? * 6L'], at: 8 * DAY, excluded: false },
    { name: 'year field', periods: ['* * * ? * * 2024'], at: 0, excluded: false },
    { name: 'no periods', periods: [], at: 0, excluded: false },
  ])('$name → $excluded', ({ periods, at, excluded }) => {
    const parsed = parseExcludedPeriods(periods, 'UTC');
    expect(isInExcludedPeriod(parsed, THU_14_01_30_UTC + at)).toBe(excluded);
  });

  it('evaluates ranges and crons in the configured zone', () => {
    // 14:01:30 UTC = 15:01:30 in Berlin (CET, +1 in December) = 19:31:30 in Kolkata (+5:30).
    const berlin = parseExcludedPeriods(['15:00:00-15:30:00 && * * 15 ? * THU'], 'Europe/Berlin');
    const kolkata = parseExcludedPeriods(['19:31:00-19:32:00'], 'Asia/Kolkata');
    const utc = parseExcludedPeriods(['15:00:00-15:30:00'], 'UTC');
    expect(isInExcludedPeriod(berlin, THU_14_01_30_UTC)).toBe(true);
    expect(isInExcludedPeriod(kolkata, THU_14_01_30_UTC)).toBe(true);
    expect(isInExcludedPeriod(utc, THU_14_01_30_UTC)).toBe(false);
  });

  it('follows daylight saving time in the zone', () => {
    // Berlin is UTC+2 in July: 09:30 local = 07:30 UTC.
    const periods = parseExcludedPeriods(['09:00:00-10:00:00'], 'Europe/Berlin');
    expect(isInExcludedPeriod(periods, Date.UTC(2024, 6, 1, 7, 30))).toBe(true);
    expect(isInExcludedPeriod(periods, Date.UTC(2024, 0, 1, 7, 30))).toBe(false); // 08:30 CET
  });

  it('property: a daily range contains exactly the instants between its ends (UTC)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: DAY - 2000 }),
        fc.integer({ min: 1000, max: DAY - 1 }),
        fc.integer({ min: 0, max: DAY - 1 }),
        fc.integer({ min: 0, max: 20_000 }),
        (startMs, lengthMs, probeMs, dayIndex) => {
          const start = Math.floor(startMs / 1000) * 1000;
          const end = Math.min(DAY - 1000, Math.floor((start + lengthMs) / 1000) * 1000);
          fc.pre(end > start);
          const periods = parseExcludedPeriods([`${hms(start)}-${hms(end)}`], 'UTC');
          const instant = dayIndex * DAY + probeMs;
          expect(isInExcludedPeriod(periods, instant)).toBe(probeMs >= start && probeMs <= end);
        },
      ),
    );
  });
});

function hms(msOfDay: number): string {
  const s = Math.floor(msOfDay / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}
