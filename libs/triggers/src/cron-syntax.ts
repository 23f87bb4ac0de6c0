// A pure check of 5-field cron syntax (minute hour day-of-month month day-of-week), so a
// definition is refused with a clear sentence wherever it is validated, sandbox included. The
// arithmetic itself is cron-parser's, on the Node side (calendar/instants.ts).

const FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

function value(s: string, f: (typeof FIELDS)[number]): number | null {
  if (/^\d{1,2}$/.test(s)) {
    const n = Number(s);
    return n >= f.min && n <= f.max ? n : null;
  }
  const i = f.names?.indexOf(s.toUpperCase()) ?? -1;
  return i === -1 ? null : i + (f.name === 'month' ? 1 : 0);
}

function partProblem(part: string, f: (typeof FIELDS)[number]): string | null {
  const [range = '', step, extra] = part.split('/');
  if (extra !== undefined || (step !== undefined && !/^\d{1,2}$/.test(step)) || step === '0')
    return `"${part}" has an invalid step`;
  if (range === '*') return null;
  const [a = '', b, more] = range.split('-');
  if (more !== undefined) return `"${part}" is not a value or a range`;
  const lo = value(a, f);
  const hi = b === undefined ? lo : value(b, f);
  if (lo === null || hi === null)
    return `"${part}" is out of range: the ${f.name} goes from ${f.min} to ${f.max}${f.names ? ` (or ${f.names[0]}-${f.names[f.names.length - 1]})` : ''}`;
  if (hi < lo) return `"${part}" is a backwards range`;
  return null;
}

/** Null when `s` is a valid 5-field cron expression, else a sentence naming the problem. */
export function cronSyntaxProblem(s: string): string | null {
  const fields = s.trim().split(/\s+/);
  if (s.length > 200 || fields.length !== 5)
    return 'must be a 5-field cron expression "minute hour day-of-month month day-of-week" (for example "0 9 * * MON")';
  for (let i = 0; i < 5; i++) {
    const f = FIELDS[i] as (typeof FIELDS)[number];
    for (const part of (fields[i] as string).split(',')) {
      const problem = partProblem(part, f);
      if (problem !== null) return `${f.name} field: ${problem}`;
    }
  }
  return null;
}
