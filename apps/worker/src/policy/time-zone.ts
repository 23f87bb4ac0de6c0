// Time-zone arithmetic with Intl. Node side only: called from activities, so every result is
// recorded in history and replay never depends on the tz database of the replaying machine.
import type { Weekday } from '@kairos/triggers';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** A valid IANA zone, or UTC when the profile has none or an unknown one. */
export function safeZone(tz: string | undefined | null): string {
  if (!tz) return 'UTC';
  try {
    formatter(tz);
    return tz;
  } catch {
    return 'UTC';
  }
}

export type LocalParts = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
};
const WEEKDAYS: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};

/** Wall-clock parts of an instant in a zone. */
export function localParts(ms: number, tz: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 'mon',
  };
}

/** Calendar date "YYYY-MM-DD" of an instant in a zone (the unit of daily caps). */
export function localDate(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * The instant when the wall clock in `tz` shows the given date and time. For a time skipped by a
 * DST jump the instant after the jump is returned; for a repeated time, the first one.
 */
export function zonedToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  tz: string,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const p = localParts(guess, tz);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const diff = wall - shown;
    if (diff === 0) return guess;
    guess += diff;
  }
  return guess;
}

export function parseHhMm(s: string): { hour: number; minute: number } {
  const [h, m] = s.split(':');
  return { hour: Number(h), minute: Number(m) };
}

/**
 * The first instant `>= from` when the local time in `tz` is `at` (HH:MM), on one of `days`
 * when given. Searches two weeks ahead, so any weekday set is found.
 */
export function nextLocalTime(from: number, at: string, tz: string, days?: readonly Weekday[]): number {
  const { hour, minute } = parseHhMm(at);
  const start = localParts(from, tz);
  for (let i = 0; i < 15; i++) {
    const noon = Date.UTC(start.year, start.month - 1, start.day + i, 12);
    const d = new Date(noon);
    const candidate = zonedToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, minute, tz);
    if (candidate < from) continue;
    if (days && days.length > 0 && !days.includes(localParts(candidate, tz).weekday)) continue;
    return candidate;
  }
  throw new Error(
    `KAIROS_TIME: no local time ${at} found in ${tz} within two weeks of ${new Date(from).toISOString()}`,
  );
}

/** Whether the local time of `ms` in `tz` lies in the window [start, end) (wrapping midnight when start > end). */
export function inWindow(ms: number, window: { start: string; end: string }, tz: string): boolean {
  const p = localParts(ms, tz);
  const t = p.hour * 60 + p.minute;
  const s = parseHhMm(window.start);
  const e = parseHhMm(window.end);
  const start = s.hour * 60 + s.minute;
  const end = e.hour * 60 + e.minute;
  if (start === end) return false;
  return start < end ? t >= start && t < end : t >= start || t < end;
}
