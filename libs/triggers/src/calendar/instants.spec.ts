import { nextInstant, readDateValue, wallToInstant, zoneOf } from './instants';
import type { CalendarPattern } from '../calendar.schema';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const renewal = (extra: Partial<Extract<CalendarPattern, { kind: 'date' }>> = {}): CalendarPattern => ({
  kind: 'date',
  path: 'profile.attributes.renewal_at',
  offset: '-7d',
  at: '09:00',
  ...extra,
});
const berlin = (value: unknown) => ({
  customerId: 'c',
  timezone: 'Europe/Berlin',
  attributes: { renewal_at: value },
});

describe('date instants (docs/triggers.md §3.12)', () => {
  it('-7d at 09:00 Europe/Berlin across the March DST change is 09:00 local, not 7 x 24 h earlier', () => {
    // Renewal after the change (CEST, UTC+2); the day it fires is before it (CET, UTC+1).
    const r = nextInstant(renewal(), berlin('2027-03-31'), at('2027-01-01T00:00:00Z'));
    expect(iso(r.at)).toBe('2027-03-24T08:00:00.000Z');
    expect(r.zone).toBe('Europe/Berlin');
    const after = nextInstant(renewal({ offset: '+1d' }), berlin('2027-03-27'), at('2027-01-01T00:00:00Z'));
    expect(iso(after.at)).toBe('2027-03-28T07:00:00.000Z');
  });

  it('a local time skipped by the spring jump moves forward by the jump; a repeated one is the first', () => {
    expect(iso(wallToInstant({ year: 2027, month: 3, day: 28, hour: 2, minute: 30 }, 'Europe/Berlin'))).toBe(
      '2027-03-28T01:30:00.000Z', // 03:30 CEST
    );
    expect(iso(wallToInstant({ year: 2027, month: 10, day: 31, hour: 2, minute: 30 }, 'Europe/Berlin'))).toBe(
      '2027-10-31T00:30:00.000Z', // 02:30 CEST, the first of the two
    );
    const gap = nextInstant(renewal({ offset: '0d', at: '02:30' }), berlin('2027-03-28'), 0);
    expect(iso(gap.at)).toBe('2027-03-28T01:30:00.000Z');
  });

  it('29 February: every year it fires on 29 February in leap years and 28 February otherwise', () => {
    const p = renewal({ path: 'profile.attributes.birthday', offset: undefined, every: 'year' });
    const profile = { customerId: 'c', timezone: 'UTC', attributes: { birthday: '2000-02-29' } };
    const seen: (string | null)[] = [];
    let after = at('2026-01-01T00:00:00Z');
    for (let i = 0; i < 3; i++) {
      const r = nextInstant(p, profile, after);
      seen.push(iso(r.at));
      after = r.at as number;
    }
    expect(seen).toEqual([
      '2026-02-28T09:00:00.000Z',
      '2027-02-28T09:00:00.000Z',
      '2028-02-29T09:00:00.000Z',
    ]);
  });

  it('every year never fires before the date itself, and a one-shot date that passed is reported', () => {
    const p = renewal({ offset: undefined, every: 'year' });
    expect(iso(nextInstant(p, berlin('2030-06-01'), at('2027-01-01T00:00:00Z')).at)).toBe(
      '2030-06-01T07:00:00.000Z',
    );
    expect(nextInstant(renewal(), berlin('2020-06-01'), at('2027-01-01T00:00:00Z'))).toEqual({
      at: null,
      note: 'passed',
      zone: 'Europe/Berlin',
    });
  });

  it('offsets in hours and minutes move the instant; without `at` the value keeps its own time', () => {
    const p = renewal({ offset: '-2h', at: undefined });
    const r = nextInstant(p, berlin('2027-05-10T12:15:00+02:00'), 0);
    expect(iso(r.at)).toBe('2027-05-10T08:15:00.000Z');
    const ms = nextInstant(renewal({ offset: '+1w' }), berlin(at('2027-05-10T22:30:00Z')), 0);
    // 22:30 UTC is 00:30 on 11 May in Berlin: the local date counts.
    expect(iso(ms.at)).toBe('2027-05-18T07:00:00.000Z');
  });

  it('missing and unparsable dates never arm, and say why', () => {
    expect(nextInstant(renewal(), { customerId: 'c' }, 0)).toMatchObject({ at: null, note: 'missing' });
    expect(nextInstant(renewal(), berlin(null), 0).note).toBe('missing');
    for (const bad of ['next tuesday', '2027-02-30', true, { y: 2027 }, '2027-13-01T00:00:00Z'])
      expect(nextInstant(renewal(), berlin(bad), 0).note).toMatch(/^unparsable: /);
    expect(readDateValue('2027-03-31', 'Asia/Tokyo')).toEqual({
      year: 2027,
      month: 3,
      day: 31,
      hour: 0,
      minute: 0,
    });
  });

  it('zone: the profile one, else the workspace default, else UTC', () => {
    expect(zoneOf({ timezone: 'America/New_York' }, 'Europe/Paris')).toBe('America/New_York');
    expect(zoneOf({ timezone: 'Mars/Olympus' }, 'Europe/Paris')).toBe('Europe/Paris');
    expect(zoneOf({}, 'Nowhere/City')).toBe('UTC');
  });
});

describe('schedule instants (docs/triggers.md §3.13)', () => {
  const weekly: CalendarPattern = { kind: 'schedule', cron: '0 9 * * MON' };
  it('every Monday 09:00 local, across the March DST change', () => {
    const profile = { customerId: 'c', timezone: 'Europe/Berlin' };
    const first = nextInstant(weekly, profile, at('2027-03-20T00:00:00Z'));
    expect(iso(first.at)).toBe('2027-03-22T08:00:00.000Z');
    expect(iso(nextInstant(weekly, profile, first.at as number).at)).toBe('2027-03-29T07:00:00.000Z');
  });

  it('a daily 02:30 fires once on the spring and autumn change nights', () => {
    const daily: CalendarPattern = { kind: 'schedule', cron: '30 2 * * *' };
    const profile = { customerId: 'c', timezone: 'Europe/Berlin' };
    const list = (from: string): (string | null)[] => {
      let after = at(from);
      const out: (string | null)[] = [];
      for (let i = 0; i < 3; i++) {
        const r = nextInstant(daily, profile, after);
        out.push(iso(r.at));
        after = r.at as number;
      }
      return out;
    };
    expect(list('2027-03-27T12:00:00Z')).toEqual([
      '2027-03-28T01:30:00.000Z',
      '2027-03-29T00:30:00.000Z',
      '2027-03-30T00:30:00.000Z',
    ]);
    expect(list('2027-10-30T12:00:00Z')).toEqual([
      '2027-10-31T00:30:00.000Z',
      '2027-11-01T01:30:00.000Z',
      '2027-11-02T01:30:00.000Z',
    ]);
  });
});
