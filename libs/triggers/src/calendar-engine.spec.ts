// Date and schedule triggers in the matcher (docs/triggers.md §3.12-§3.13): host-armed instants,
// fired once, vetoed by `unless`, arbitrated like other deadlines, carried by snapshots, replayed.
import { applyArmings, armRequests } from './calendar-arming';
import { computeArmings } from './calendar/arming';
import { runReplay } from './cli-commands';
import { createEngine, type Engine } from './engine';
import { ev, trig } from './engine.fixtures';
import type { MatchOutput, Output } from './engine.types';
import type { Trigger } from './trigger.schema';
import { validateTrigger } from './validate';

const DAY = 86_400_000;
const T0 = Date.parse('2027-03-01T00:00:00Z');
const renewal = (extra: Record<string, unknown> = {}): Trigger =>
  trig({
    id: 'renewal',
    pattern: { kind: 'date', path: 'profile.attributes.renewal_at', offset: '-7d', at: '09:00' },
    ...extra,
  });
const weekly = (extra: Record<string, unknown> = {}): Trigger =>
  trig({
    id: 'weekly',
    pattern: {
      kind: 'schedule',
      cron: '0 9 * * MON',
      unless: { kind: 'event', name: 'login', within: '7d' },
    },
    ...extra,
  });
const matches = (out: Output[]): MatchOutput[] => out.filter((o): o is MatchOutput => o.type === 'match');
const brief = (out: Output[]): string[] =>
  matches(out).map(
    (m) =>
      `${m.triggerId} ${m.kind} ${new Date(m.matchedAt).toISOString()} ${m.status}${m.reason ? `:${m.reason}` : ''}`,
  );

/** The host loop of the journey: arm what needs arming from this profile at `now`. */
function arm(
  engine: Engine,
  triggers: Trigger[],
  profile: Record<string, unknown>,
  now: number,
  all = false,
): void {
  applyArmings(engine, computeArmings(armRequests(engine, triggers, now, all), profile));
}

describe('date and schedule triggers in the engine', () => {
  const berlin = (renewalAt: unknown) => ({
    customerId: 'c',
    timezone: 'Europe/Berlin',
    attributes: { renewal_at: renewalAt },
  });

  it('fires a date at its instant, once: the same instant cannot be armed again', () => {
    const triggers = [renewal()];
    const engine = createEngine(triggers);
    engine.advanceTo(T0);
    arm(engine, triggers, berlin('2027-03-31'), T0);
    const at = Date.parse('2027-03-24T08:00:00Z');
    expect(engine.calendars()).toEqual([
      { triggerId: 'renewal', kind: 'date', at, lastAt: null, needsArming: false },
    ]);
    expect(engine.nextWakeup()).toBe(at);
    expect(engine.advanceTo(at - 1)).toEqual([]);
    const out = engine.advanceTo(at);
    expect(brief(out)).toEqual(['renewal time 2027-03-24T08:00:00.000Z fired']);
    expect((out[0] as MatchOutput).bindings).toEqual({});
    // The host re-arms after a firing: a one-shot date has nothing left.
    arm(engine, triggers, berlin('2027-03-31'), at);
    expect(engine.calendars()[0]).toMatchObject({ at: null, lastAt: at, note: 'passed', needsArming: false });
    expect(engine.arm('renewal', at)).toBe(false);
    expect(engine.advanceTo(at + 30 * DAY)).toEqual([]);
  });

  it('a changed date re-arms (recomputed for every trigger), the old instant never fires', () => {
    const triggers = [renewal()];
    const engine = createEngine(triggers);
    engine.advanceTo(T0);
    arm(engine, triggers, berlin('2027-03-31'), T0);
    arm(engine, triggers, berlin('2027-04-30'), T0 + DAY, true);
    expect(engine.calendars()[0]?.at).toBe(Date.parse('2027-04-23T07:00:00Z'));
    expect(engine.advanceTo(Date.parse('2027-03-25T00:00:00Z'))).toEqual([]);
    expect(brief(engine.advanceTo(Date.parse('2027-04-23T07:00:00Z')))).toEqual([
      'renewal time 2027-04-23T07:00:00.000Z fired',
    ]);
  });

  it('missing and unparsable dates never arm and are reported with a note', () => {
    const triggers = [renewal()];
    const engine = createEngine(triggers);
    arm(engine, triggers, { customerId: 'c' }, T0);
    expect(engine.calendars()[0]).toMatchObject({ at: null, note: 'missing', needsArming: false });
    arm(engine, triggers, berlin('soon'), T0, true);
    expect(engine.calendars()[0]?.note).toMatch(/^unparsable: "soon"/);
    expect(engine.nextWakeup()).toBeNull();
  });

  it('a weekly schedule is vetoed by an `unless` event within its window, and fires otherwise', () => {
    const triggers = [weekly()];
    const engine = createEngine(triggers);
    const profile = { customerId: 'c', timezone: 'Europe/Berlin' };
    const mon1 = Date.parse('2027-03-08T08:00:00Z');
    engine.ingest(ev('l1', 'login', mon1 - 2 * DAY));
    arm(engine, triggers, profile, mon1 - 2 * DAY);
    const first = engine.advanceTo(mon1);
    expect(brief(first)).toEqual(['weekly time 2027-03-08T08:00:00.000Z suppressed:unless']);
    arm(engine, triggers, profile, mon1);
    const out = engine.advanceTo(mon1 + 7 * DAY);
    expect(brief(out)).toEqual(['weekly time 2027-03-15T08:00:00.000Z fired']);
    expect(engine.stats()).toMatchObject({ fired: 1, suppressed: 1 });
  });

  it('goes through arbitration and re-entry like any deadline', () => {
    const a = renewal({ id: 'a', group: 'g', priority: 5, reentry: { mode: 'once' } });
    const b = renewal({
      id: 'b',
      group: 'g',
      priority: 1,
      pattern: { kind: 'schedule', cron: '0 9 24 3 *' },
    });
    const triggers = [a, b];
    const engine = createEngine(triggers);
    arm(engine, triggers, berlin('2027-03-31'), T0);
    expect(brief(engine.advanceTo(Date.parse('2027-03-24T08:00:00Z')))).toEqual([
      'a time 2027-03-24T08:00:00.000Z fired',
      'b time 2027-03-24T08:00:00.000Z suppressed:group',
    ]);
    // A new renewal date: `once` suppresses the second firing of a.
    arm(engine, triggers, berlin('2027-06-30'), Date.parse('2027-03-25T00:00:00Z'), true);
    expect(brief(engine.advanceTo(Date.parse('2027-06-23T07:00:00Z')))).toEqual([
      'a time 2027-06-23T07:00:00.000Z suppressed:reentry',
    ]);
  });

  it('a snapshot carries the armed instant, the last firing and the last `unless` time', () => {
    const triggers = [weekly(), renewal()];
    const engine = createEngine(triggers);
    const profile = { ...berlin('2027-03-31') };
    engine.ingest(ev('l1', 'login', T0));
    arm(engine, triggers, profile, T0);
    const restored = createEngine(triggers, {}, JSON.parse(JSON.stringify(engine.snapshot())));
    expect(restored.calendars()).toEqual(engine.calendars());
    expect(restored.nextWakeup()).toBe(engine.nextWakeup());
    const until = Date.parse('2027-03-24T08:00:00Z');
    const both = (e: Engine) => {
      const out: string[] = [];
      for (let w = e.nextWakeup(); w !== null && w <= until; w = e.nextWakeup()) {
        out.push(...brief(e.advanceTo(w)));
        arm(e, triggers, profile, w);
      }
      return out;
    };
    const original = both(engine);
    expect(both(restored)).toEqual(original);
    expect(original).toEqual([
      'weekly time 2027-03-01T08:00:00.000Z suppressed:unless',
      'weekly time 2027-03-08T08:00:00.000Z fired',
      'weekly time 2027-03-15T08:00:00.000Z fired',
      'weekly time 2027-03-22T08:00:00.000Z fired',
      'renewal time 2027-03-24T08:00:00.000Z fired',
    ]);
  });
});

describe('validation of date and schedule patterns', () => {
  const errors = (pattern: unknown, extra: Record<string, unknown> = {}) => {
    const r = validateTrigger({ id: 'x', version: 1, pattern, ...extra });
    return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
  };
  it('refuses bad offsets, times, paths, cron expressions and correlation, naming the field', () => {
    expect(errors({ kind: 'date', path: 'profile.attributes.d', offset: '7 days' })[0]).toMatch(
      /^pattern.offset: must be a signed offset/,
    );
    expect(errors({ kind: 'date', path: 'profile.attributes.d', at: '9am' })[0]).toMatch(
      /^pattern.at: must be a 24-hour/,
    );
    expect(errors({ kind: 'date', path: 'properties.d' })[0]).toMatch(
      /^pattern.path: must be a profile path/,
    );
    expect(errors({ kind: 'date', path: 'profile.attributes.d', every: 'month' })[0]).toMatch(
      /^pattern.every:/,
    );
    expect(errors({ kind: 'date', path: 'profile.renewal_at' })[0]).toMatch(
      /^pattern.path: .*did you mean "profile.attributes.renewal_at"\?/,
    );
    expect(errors({ kind: 'schedule', cron: '0 9 * *' })[0]).toMatch(/^pattern.cron: must be a 5-field cron/);
    expect(errors({ kind: 'schedule', cron: '0 25 * * MON' })[0]).toBe(
      'pattern.cron: hour field: "25" is out of range: the hour goes from 0 to 23',
    );
    expect(errors({ kind: 'schedule', cron: '0 9 * * FUN' })[0]).toMatch(/day of week field: "FUN"/);
    expect(errors({ kind: 'schedule', cron: '*/15 9-17 1,15 JAN-MAR MON-FRI' })).toEqual([]);
    expect(
      errors({ kind: 'schedule', cron: '0 9 * * MON', unless: { kind: 'event', name: 'login' } })[0],
    ).toMatch(/^pattern.unless.within: must be a duration/);
    expect(
      errors({ kind: 'date', path: 'profile.attributes.d' }, { correlate: { by: ['properties.k'] } }),
    ).toEqual([
      'correlate: a "date" pattern fires once per customer and has no events to take a key from: remove "correlate"',
    ]);
  });
});

describe('triggers replay with profiles', () => {
  it('shows a date and a schedule firing at their instants up to --until', () => {
    const lines = runReplay(
      [renewal(), weekly()],
      [{ customerId: 'ana', event: ev('l1', 'login', T0) }],
      undefined,
      Date.parse('2027-03-25T00:00:00Z'),
      {
        profiles: { ana: { customerId: 'ana', attributes: { renewal_at: '2027-03-31' } } },
        timezone: 'Europe/Berlin',
      },
    );
    expect(
      lines.map(
        (l) =>
          `${String(l.triggerId)} ${String(l.kind)} ${new Date(l.emittedAt as number).toISOString()} ${String(l.status)}`,
      ),
    ).toEqual([
      'weekly time 2027-03-01T08:00:00.000Z suppressed',
      'weekly time 2027-03-08T08:00:00.000Z fired',
      'weekly time 2027-03-15T08:00:00.000Z fired',
      'weekly time 2027-03-22T08:00:00.000Z fired',
      'renewal time 2027-03-24T08:00:00.000Z fired',
    ]);
  });
});
