// The instant arithmetic of date and schedule triggers (docs/triggers.md §3.12-§3.13), in the
// customer's zone. Node side only (luxon, cron-parser and the machine's tz database): the
// journey calls it from a local activity, so its results are recorded and replay never depends
// on the replaying machine; `triggers replay` calls it directly.
import { CronExpressionParser } from 'cron-parser';
import { DateTime, IANAZone } from 'luxon';
import { offsetParts, type CalendarPattern, type DatePattern } from '../calendar.schema';
import { readPath } from '../predicate';

/** The next instant of a trigger, or null with the reason (`missing`, `unparsable: ...`, `passed`). */
export type NextInstant = { at: number | null; note?: string; zone: string };

/** The profile's zone when it is a known IANA zone, else the workspace default (else UTC). */
export function zoneOf(profile: { timezone?: unknown }, defaultZone?: string): string {
  const own = profile.timezone;
  if (typeof own === 'string' && IANAZone.isValidZone(own)) return own;
  return defaultZone !== undefined && IANAZone.isValidZone(defaultZone) ? defaultZone : 'UTC';
}

type LocalDate = { year: number; month: number; day: number; hour: number; minute: number };

/** The local date (and time of day) a profile value names in `zone`, or why it names none. */
export function readDateValue(raw: unknown, zone: string): LocalDate | { problem: string } {
  if (raw === undefined || raw === null) return { problem: 'missing' };
  let dt: DateTime | null = null;
  if (typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    dt = DateTime.fromISO(raw, { zone: 'UTC' });
    if (dt.isValid) return { year: dt.year, month: dt.month, day: dt.day, hour: 0, minute: 0 };
  } else if (typeof raw === 'string' && raw.length <= 64) dt = DateTime.fromISO(raw, { zone }).setZone(zone);
  else if (typeof raw === 'number' && Number.isSafeInteger(raw)) dt = DateTime.fromMillis(raw, { zone });
  if (dt === null || !dt.isValid)
    return {
      problem: `unparsable: ${JSON.stringify(raw).slice(0, 60)} is not an ISO-8601 date ("2027-03-31"), date-time or epoch milliseconds`,
    };
  return { year: dt.year, month: dt.month, day: dt.day, hour: dt.hour, minute: dt.minute };
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * The instant of a local wall time. A time skipped by a DST jump moves forward by the jump
 * (02:30 on a 02:00→03:00 night is 03:30); a repeated time is its first occurrence.
 */
export function wallToInstant(d: LocalDate, zone: string): number {
  const dt = DateTime.fromObject(d, { zone });
  let ms = dt.toMillis();
  // luxon resolves a repeated wall time to its later occurrence: look for an earlier one.
  for (const back of [3_600_000, 1_800_000]) {
    const e = DateTime.fromMillis(ms - back, { zone });
    if (e.day === dt.day && e.hour === dt.hour && e.minute === dt.minute) {
      ms -= back;
      break;
    }
  }
  return ms;
}

/** The date trigger's instant for the anniversary in `year` (the base year for a one-shot date). */
function dateInstant(p: DatePattern, base: LocalDate, year: number, zone: string): number {
  // 29 February in a year without it: the anniversary is 28 February (docs/triggers.md §3.12).
  const day = base.month === 2 && base.day === 29 && !isLeap(year) ? 28 : base.day;
  const off = offsetParts(p.offset ?? '0d');
  const shifted = new Date(Date.UTC(year, base.month - 1, day + off.days));
  const [hour, minute] = p.at === undefined ? [base.hour, base.minute] : p.at.split(':').map(Number);
  const local = {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: hour as number,
    minute: minute as number,
  };
  // Days and weeks moved the local date above; hours and minutes move the instant.
  return wallToInstant(local, zone) + (off.days === 0 ? off.ms : 0);
}

function nextDate(
  p: DatePattern,
  profile: Record<string, unknown>,
  zone: string,
  after: number,
): NextInstant {
  const base = readDateValue(readPath({ profile }, p.path), zone);
  if ('problem' in base) return { at: null, note: base.problem, zone };
  if (p.every !== 'year') {
    const at = dateInstant(p, base, base.year, zone);
    return at > after ? { at, zone } : { at: null, note: 'passed', zone };
  }
  const from = Math.max(base.year, DateTime.fromMillis(after, { zone }).year - 1);
  for (let y = from; y <= from + 3; y++) {
    const at = dateInstant(p, base, y, zone);
    if (at > after) return { at, zone };
  }
  return { at: null, note: 'passed', zone };
}

function nextCron(cron: string, zone: string, after: number): NextInstant {
  try {
    const it = CronExpressionParser.parse(cron, { currentDate: new Date(after), tz: zone });
    return { at: it.next().getTime(), zone };
  } catch (err) {
    return { at: null, note: `invalid cron: ${String(err).slice(0, 120)}`, zone };
  }
}

/**
 * The first instant of `pattern` strictly after `after`, for this profile: a date pattern reads
 * the date at its path, a schedule runs its cron expression, both in the customer's zone.
 */
export function nextInstant(
  pattern: CalendarPattern,
  profile: Record<string, unknown>,
  after: number,
  defaultZone?: string,
): NextInstant {
  const zone = zoneOf(profile, defaultZone);
  return pattern.kind === 'date'
    ? nextDate(pattern, profile, zone, after)
    : nextCron(pattern.cron, zone, after);
}
