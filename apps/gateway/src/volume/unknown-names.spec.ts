import { EventNameSchema } from '@kairos/events';
import { OTHER_NAMES, UnknownNames } from './unknown-names';

describe('UnknownNames (event_volume bound for names no trigger uses)', () => {
  it('keeps the first N distinct names of a minute, then counts the rest as (other)', () => {
    const names = new UnknownNames(2);
    expect(['a', 'b', 'a', 'c', 'd', 'b'].map((n) => names.bucket(n, 0))).toEqual([
      'a',
      'b',
      'a',
      OTHER_NAMES,
      OTHER_NAMES,
      'b',
    ]);
    // A new minute starts a new allowance.
    expect(names.bucket('c', 60_000)).toBe('c');
    // A late count for the previous minute never adds a row for a name not admitted then.
    expect(names.bucket('z', 0)).toBe(OTHER_NAMES);
  });

  it('0 = every unknown name counted as (other)', () => {
    expect(new UnknownNames(0).bucket('x', 0)).toBe(OTHER_NAMES);
  });

  it('(other) can never be a real event name', () => {
    const parsed = EventNameSchema.safeParse(OTHER_NAMES);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/reserved.*choose another name/);
  });
});
